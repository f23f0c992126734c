// The rule families case by case: the edges that the per-rule fixtures do not reach.
import t from "tap";
import { lintPolicy, fixPolicy } from "../src/lint/lint.js";
import { recase, suggestActions } from "../src/lint/families/actions.js";
import { resourceShape } from "../src/lint/families/resources.js";
import type { Finding } from "../src/policy/findings.js";

const ACC = "1609982529920904";
const G1 = `acs:ess:cn-hangzhou:${ACC}:scalinggroup/asg-bp17np35ywjwh2cx0001`;
const doc = (...statements: unknown[]): string => JSON.stringify({ Version: "1", Statement: statements }, null, 2);
const allow = (extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Action: "ess:DescribeScalingGroups", Resource: G1, ...extra });
const deny = (extra: Record<string, unknown> = {}) => ({ ...allow(extra), Effect: "Deny" });
const lint = (...statements: unknown[]): Finding[] => lintPolicy(doc(...statements));
const of = (fs: Finding[], ruleId: string): Finding[] => fs.filter((f) => f.ruleId === ruleId);
const ids = (fs: Finding[]): string[] => fs.map((f) => f.ruleId);

t.test("actions: did-you-mean from the catalog", async (t) => {
  t.same(suggestActions("ess:Describle*"), ["ess:Describe*"]);
  t.same(suggestActions("ess:DescribeScalingGroup"), ["ess:DescribeScalingGroups"]);
  t.same(suggestActions("ess:Deleet*"), ["ess:Delete*"]);
  t.same(suggestActions("ess:*Groupz*"), [], "no suggestion for inner wildcards");
  t.same(suggestActions("ess:Xyzzy"), [], "nothing close");
  const tie = of(lint(allow({ Action: "ess:AttachXServerGroups" })), "action-unknown")[0]!;
  t.notOk(tie.fix, "several equally close actions: no fix");
  t.match(tie.message, /did you mean "ess:\w+" or "ess:\w+"/);
  const verify = of(lint(allow({ Action: "ess:VerifyUser", Resource: "*" })), "action-unknown")[0]!;
  t.match(verify.message, /VerifyUser API is authorized as ess:DescribeRegions/);
  t.same(verify.fix, [{ op: "replace", path: "/Statement/0/Action", value: "ess:DescribeRegions" }]);
});

t.test("actions: canonical case, also through wildcards", async (t) => {
  t.equal(recase("ess:describe*", "ess:DescribeScalingGroups"), "ess:Describe*");
  t.equal(recase("ess:*scaling*", "ess:DescribeScalingGroups"), "ess:*Scaling*");
  t.equal(recase("ess:describescalinggroup?", "ess:DescribeScalingGroups"), "ess:DescribeScalingGroup?");
  t.equal(recase("*:listtagresources", "ess:ListTagResources"), "*:ListTagResources");
  const upper = of(lint(allow({ Action: "ESS:DescribeRegions", Resource: "*" })), "action-case")[0]!;
  t.same(upper.fix, [{ op: "replace", path: "/Statement/0/Action", value: "ess:DescribeRegions" }]);
  t.same(ids(lint(allow({ Action: ["ess:Describe*", "*", "*:ListTagResources", "e?s:Describe*"] }))).filter((i) => i.startsWith("action-")), [], "canonical, or other legal shapes");
  const other = lint(allow({ Action: ["ecs:DescribeInstances", "ec?:Describe*", "ram:PassRole"] }));
  t.same(ids(other).filter((i) => i.startsWith("action-")), [], "other services' well-formed actions: syntax only, no finding");
});

t.test("actions: a dead entry is a Warning while the statement still applies, an Error when nothing in its Action list lives", async (t) => {
  // Published EMR role policy: 2 of its ESS actions do not exist (test/fixtures/real-world).
  const emr = of(lint(allow({ Action: ["ess:DescribeScalingGroups", "ess:EnableScheduledTask", "ess:VerifyAuthentication"], Resource: "*" })), "action-unknown");
  t.same(emr.map((f) => f.severity), ["Warning", "Warning"]);
  t.match(emr[0]!.message, /: a dead entry \(the statement's other actions still apply\)/);
  t.match(emr[1]!.message, /VerifyAuthentication API is authorized as ess:DescribeRegions.*did you mean "ess:DescribeRegions"/);
  t.same(emr[1]!.fix, [{ op: "replace", path: "/Statement/0/Action/2", value: "ess:DescribeRegions" }]);
  const withOtherService = of(lint(allow({ Action: ["ess:EnableScheduledTask", "ecs:DescribeInstances"], Resource: "*" })), "action-unknown");
  t.same(withOtherService.map((f) => f.severity), ["Warning"], "another service's action keeps the statement alive");
  const allDead = of(lint(allow({ Action: ["ess:EnableScheduledTask", "ess:Describle*"], Resource: "*" })), "action-unknown");
  t.same(allDead.map((f) => f.severity), ["Error", "Error"]);
  t.match(allDead[0]!.message, /nor does any other entry of its Action list, so the statement never applies/);
  const deadAndMalformed = lint(allow({ Action: ["ess:EnableScheduledTask", "ess>CreateScheduledTask"], Resource: "*" }));
  t.same(deadAndMalformed.filter((f) => f.ruleId.startsWith("action-")).map((f) => `${f.ruleId} ${f.severity}`), ["action-unknown Error", "action-malformed Error"], "a malformed entry is dead too, and stays an Error");
  const denyDead = of(lint(deny({ Action: "ess:EnableScheduledTask", Resource: "*" })), "action-unknown");
  t.same(denyDead.map((f) => f.severity), ["Error"], "a Deny that applies to nothing does not work either");
  const notAction = of(lint({ Effect: "Deny", NotAction: ["ess:EnableScheduledTask"], Resource: "*" }), "action-unknown");
  t.same(notAction.map((f) => f.severity), ["Warning"]);
  t.match(notAction[0]!.message, /excludes nothing from the NotAction/);
});

t.test("resources: shapes", async (t) => {
  t.same(resourceShape("**"), { kind: "any" });
  t.same(resourceShape("acs:ecs:*:*:instance/i-1"), { kind: "foreign", service: "ecs", complete: true });
  t.same(resourceShape("acs:ecs:*"), { kind: "foreign", service: "ecs", complete: true });
  t.same(resourceShape("acs:ecs:cn-hangzhou"), { kind: "foreign", service: "ecs", complete: false });
  const ecs = (r: string) => of(lint(allow({ Action: "ecs:DescribeInstances", Resource: r })), "resource-arn-malformed");
  t.same(ecs("acs:ecs:cn-hangzou:123:instnce/i-1"), [], "another service's ARN: syntax only (no region or type check)");
  t.equal(ecs("acs:ecs:cn-hangzhou").length, 1, "too few segments");
  // Published ACK FAQ policy (test/fixtures/real-world/067): RAM actions on `acs:*:*:*:user/*`.
  const ram = (r: string) => lint(allow({ Action: "ram:AttachPolicyToUser", Resource: r })).filter((f) => f.ruleId.startsWith("resource-"));
  t.same(ram("acs:*:*:*:user/*"), [], "an ARN whose service glob covers ess, in a statement of other services: syntax only");
  t.same(ram("acs:ess:cn-hangzhou").map((f) => f.message), ['"acs:ess:cn-hangzhou" has too few segments for an ARN: write acs:<service>:<region>:<account>:<resource>']);
  t.same(ram("acs:*:cn-hangzhou:*"), [], "a trailing wildcard spans the rest");
  t.same(resourceShape("acs:ess:*"), { kind: "short", open: true });
  t.same(resourceShape("acs:ess:cn-hangzhou"), { kind: "short", open: false });
  t.match(resourceShape(`acs:ess:cn-hangzhou:${ACC}:scalinggroup/asg-1`), { kind: "ess", arn: { type: "scalinggroup", id: "asg-1" } });
  const malformed = (r: string | string[], extra: Record<string, unknown> = {}) => of(lint(allow({ Resource: r, ...extra })), "resource-arn-malformed");
  t.equal(malformed("acs:ess:cn-hangzhou").length, 1);
  t.equal(malformed("acs:ess:*").length, 0);
  t.equal(malformed(`acs:ess:cn-hangzhou:${ACC}:scalinggroup`).length, 1, "no id");
  t.equal(malformed(`acs:ess:cn-hangzhou:${ACC}:*`).length, 0);
  t.equal(malformed("acs:ecs:*:*:instance/*").length, 1, "another service in an ESS-only statement");
  t.equal(malformed("acs:ecs:*:*:instance/*", { Action: ["ess:DescribeScalingGroups", "ecs:DescribeInstances"] }).length, 0, "multi-service statement");
});

t.test("resources: case, region, account and type", async (t) => {
  const inDeny = of(lint(deny({ Resource: `ACS:ESS:CN-Hangzhou:${ACC}:scalingGroup/asg-bp17np35ywjwh2cx0001` })), "resource-case")[0]!;
  t.equal(inDeny.severity, "Warning");
  t.match(inDeny.message, /a Deny matches it regardless of case/);
  t.same(inDeny.fix, [{ op: "replace", path: "/Statement/0/Resource", value: G1 }]);
  const region = (r: string) => of(lint(allow({ Resource: r })), "resource-region-unknown");
  t.equal(region(`acs:ess:cn-*:${ACC}:scalinggroup/*`).length, 0, "a glob that covers known regions");
  t.equal(region(`acs:ess:xx-*:${ACC}:scalinggroup/*`).length, 1);
  t.equal(region(`acs:ess::${ACC}:scalinggroup/*`).length, 1, "empty region");
  t.notOk(region(`acs:ess:moon-base-1:${ACC}:scalinggroup/*`)[0]!.fix, "nothing close: no fix");
  t.equal(of(lint(allow({ Resource: "acs:ess:cn-hangzhou:16099825299209*:scalinggroup/*" })), "resource-account-invalid").length, 0, "a glob account");
  const child = of(lint(allow({ Resource: `acs:ess:cn-hangzhou:${ACC}:scalingconfiguration/asc-1` })), "resource-type-unknown")[0]!;
  t.match(child.message, /has no ARN of its own/);
  t.notOk(child.fix, "a child type is not a typo");
  const near = of(lint(allow({ Resource: `acs:ess:cn-hangzhou:${ACC}:scalinggroups/asg-bp17np35ywjwh2cx0001` })), "resource-type-unknown")[0]!;
  t.same(near.fix, [{ op: "replace", path: "/Statement/0/Resource", value: G1 }]);
  t.equal(of(lint(allow({ Resource: `acs:ess:cn-hangzhou:${ACC}:scaling*/asg-*` })), "resource-type-unknown").length, 0);
  t.equal(of(lint(allow({ Resource: `acs:ess:cn-hangzhou:${ACC}:alarm*/x` })), "resource-type-unknown").length, 1);
});

t.test("resources: ids and masks", async (t) => {
  const format = (id: string) => of(lint(allow({ Resource: `acs:ess:cn-hangzhou:${ACC}:scalinggroup/${id}` })), "resource-id-format").length;
  t.equal(format("asg-*"), 0);
  t.equal(format("asg-bp1?"), 0);
  t.equal(format("*"), 0);
  t.equal(format("ASG-BP1"), 1, "ids are lower case");
  t.equal(format("sg-*"), 1);
  t.equal(format("asg-BP*"), 1);
  const maskedDeny = of(lint(deny({ Resource: `acs:ess:cn-hangzhou:${ACC}:scalinggroup/asg-bp17****` })), "resource-masked-id")[0]!;
  t.equal(maskedDeny.severity, "SecurityWarning", "a masked id is a wildcard in a Deny too (docs/semantics.md §2)");
  t.match(maskedDeny.message, /Deny matches every scaling group whose id starts with "asg-bp17"/);
  const alone = of(lint(allow({ Resource: "acs:ess:cn-hangzhou:1234567890123****:scalinggroup/*" })), "resource-masked-id")[0]!;
  t.equal(alone.severity, "SecurityWarning", "an Allow with a masked account and no other account to compare");
  t.match(alone.message, /matches every account of that shape/);
  const denyAlone = of(lint(deny({ Resource: "acs:ess:cn-hangzhou:1234567890123****:scalinggroup/*" })), "resource-masked-id")[0]!;
  t.equal(denyAlone.severity, "SecurityWarning", "a masked account is a wildcard in a Deny too");
  const missing = lint(deny({ Resource: `acs:ess:cn-hangzhou:${ACC}:scalinggroup/asg-1` }), deny({ Resource: "acs:ess:cn-hangzhou:160998252992***8:scalinggroup/asg-2" }));
  const typo = of(missing, "resource-masked-id")[0]!;
  t.equal(typo.severity, "Warning", "a masked account that cannot match the policy's account is a typo, not a widening");
  t.match(typo.message, /never matches/);
});

t.test("resources: accounts and near-duplicate ids across the policy", async (t) => {
  const other = `acs:ess:cn-hangzhou:1609982529920905:scalinggroup/asg-bp17np35ywjwh2cx0001`;
  const mismatch = of(lint(allow({ Resource: [G1, G1.replace("0001", "0003"), other] })), "resource-account-mismatch");
  t.same(mismatch.map((f) => f.path), ["/Statement/0/Resource/2"], "the minority account");
  t.equal(of(lint(allow({ Resource: [G1, "acs:ess:cn-hangzhou:1609*:scalinggroup/*", "acs:ess:cn-hangzhou:*:scalinggroup/*"] })), "resource-account-mismatch").length, 0, "globs that match the account");
  t.equal(of(lint(allow({ Resource: [G1, "acs:ess:cn-hangzhou:2*:scalinggroup/*"] })), "resource-account-mismatch").length, 1, "a glob that cannot");
  const a = "acs:ess:cn-hangzhou:1609982529920904:scalinggroup/asg-bp1c5pl2qc6ozgb10002";
  const b = a.replace("pl2", "p12");
  const freq = of(lint(allow({ Resource: [b, a] }), deny({ Resource: a })), "resource-id-near-duplicate");
  t.same(freq.map((f) => f.path), ["/Statement/0/Resource/0"], "the spelling used more often is the reference");
  t.match(freq[0]!.message, /one edit away from "asg-bp1c5pl2qc6ozgb10002" \(\/Statement\/0\/Resource\/1\)/);
  const two = of(lint(allow({ Resource: [a, a.replace("pl2qc", "p12qx")] })), "resource-id-near-duplicate")[0]!;
  t.match(two.message, /two edits away/);
});

t.test("conditions: a key that is certainly absent decides the statement: Error, SecurityWarning or Warning by effect and operator", async (t) => {
  const finding = (statement: Record<string, unknown>) => of(lint(statement), "condition-key-unknown");
  const tag = (operator: string) => ({ Condition: { [operator]: { "ess:ResourceTag/team": "game1" } } });
  // ESS defines no condition keys (its RAM page lists none): no request carries ess:ResourceTag/…, so a positive
  // operator is false and a negated one true (docs/semantics.md §3).
  const allowTag = finding(allow(tag("StringEquals")));
  t.same(allowTag.map((f) => f.severity), ["Error"], "an Allow that never applies");
  t.match(allowTag[0]!.message, /StringEquals is false for every request, so this Allow never applies; did you mean "acs:ResourceTag\/team"\?/);
  t.same(allowTag[0]!.fix, [{ op: "move", from: "/Statement/0/Condition/StringEquals/ess:ResourceTag~1team", path: "/Statement/0/Condition/StringEquals/acs:ResourceTag~1team" }]);
  t.same(finding(allow({ ...tag("StringEquals"), Action: ["ess:DescribeScalingGroups", "ecs:DescribeInstances"] })).map((f) => f.severity), ["Error"], "no service's request carries an ess: key");
  t.same(finding(allow({ Condition: { StringEquals: { "ess:RequestTag/team": "game1" } } })).map((f) => f.severity), ["Error"]);
  t.same(finding(allow(tag("StringNotEquals"))).map((f) => f.severity), ["SecurityWarning"], "a negated condition that restricts nothing");
  const denyTag = finding(deny(tag("StringEquals")));
  t.same(denyTag.map((f) => f.severity), ["SecurityWarning"], "a Deny that never fires");
  t.match(denyTag[0]!.message, /this Deny never fires and protects nothing/);
  t.same(finding(deny(tag("StringNotEquals"))).map((f) => f.severity), ["Warning"], "a Deny that always fires denies more, not less");
  t.same(finding(allow({ Condition: { StringEquals: { "ecs:tag/team": "game1" } } })).map((f) => f.severity), ["Error"], "another service's key on ESS actions only");
  t.same(finding(allow({ Condition: { StringEquals: { "acs:UserAgent": "x" } } })).map((f) => f.severity), ["Warning"], "an acs: key the contract does not list may still be a global key");
  t.same(finding(allow({ Condition: { StringEquals: { team: "x" } } })).map((f) => f.message.includes("keys are written <service>:<name>")), [true]);
  t.same(finding({ Action: "ess:DescribeScalingGroups", Resource: G1, Condition: { StringEquals: { "ess:ResourceTag/team": "x" } } }).map((f) => f.severity), ["Warning"], "no Effect: the parser reports it");
});

t.test("conditions: statements that name no ESS action are checked for the key syntax only", async (t) => {
  const keys = (key: string) => of(lint(allow({ Action: ["ecs:DescribeInstances", "ram:PassRole"], Resource: "*", Condition: { StringEquals: { [key]: "x" } } })), "condition-key-unknown");
  for (const key of ["acs:UserAgent", "acs:Service", "ram:ServiceName", "oss:Prefix", "ecs:tag/team"]) t.same(keys(key), [], key);
  t.equal(keys("SourceIp").length, 1, "a key without a service is malformed anywhere");
  const tagKeys = lint(allow({ Action: "ecs:TagResources", Resource: "*", Condition: { StringEquals: { "acs:TagKeys": "team" } } }));
  t.same(of(tagKeys, "condition-tag-keys-unsupported"), [], "acs:TagKeys is unavailable for ESS only");
  t.equal(of(lint(allow({ Action: "*", Resource: "*", Condition: { StringEquals: { "acs:UserAgent": "x" } } })), "condition-key-unknown").length, 1, "`*` covers ESS: its keys are judged exactly");
});

t.test("conditions: unknown keys, did-you-mean, collisions", async (t) => {
  const unknown = (key: string, extra: Record<string, unknown> = {}) => of(lint(allow({ Condition: { StringEquals: { [key]: "x" } }, ...extra })), "condition-key-unknown");
  t.match(unknown("ess:Owner")[0]!.message, /ESS defines no service-specific condition keys/);
  t.same(unknown("SourceVpc")[0]!.fix, [{ op: "move", from: "/Statement/0/Condition/StringEquals/SourceVpc", path: "/Statement/0/Condition/StringEquals/acs:SourceVpc" }]);
  t.same(unknown("acs:ResourceTags/team")[0]!.fix?.[0], { op: "move", from: "/Statement/0/Condition/StringEquals/acs:ResourceTags~1team", path: "/Statement/0/Condition/StringEquals/acs:ResourceTag~1team" });
  t.notOk(unknown("acs:Owner/x")[0]!.fix, "no tag prefix is close");
  t.notOk(unknown("acs:UserAgent")[0]!.fix, "no key is close");
  t.equal(unknown("oss:Prefix").length, 1, "another service's key in an ESS-only statement");
  t.equal(unknown("oss:Prefix", { Action: ["ess:DescribeScalingGroups", "oss:GetObject"] }).length, 0, "a multi-service statement may use it");
  const collide = of(lint(allow({ Condition: { StringEquals: { "acs:sourcevpc": "vpc-1", "acs:SourceVpc": "vpc-2" } } })), "condition-key-case")[0]!;
  t.notOk(collide.fix, "renaming would merge two conditions");
  const negatedTagKeys = of(lint(allow({ Condition: { StringNotEquals: { "acs:TagKeys": "x" } } })), "condition-tag-keys-unsupported")[0]!;
  t.match(negatedTagKeys.message, /always holds/);
});

t.test("conditions: operator against key type", async (t) => {
  const type = (condition: unknown) => of(lint(allow({ Condition: condition })), "condition-operator-type");
  t.equal(type({ StringEquals: { "acs:SourceIp": "10.0.0.0/8" } })[0]!.severity, "Warning", "text comparison of an IP");
  t.equal(type({ StringLike: { "acs:CurrentTime": "2026-*" } })[0]!.severity, "Warning");
  t.equal(type({ NumericLessThan: { "acs:AccessId": "5" } })[0]!.severity, "Error");
  t.equal(type({ StringEquals: { "acs:SecureTransport": "true" } }).length, 0, "booleans compare as text");
  t.equal(type({ NumericLessThan: { "acs:RequestTag/cost": "5" } }).length, 0, "tag values may be numbers");
});

t.test("conditions: one spelling per tag key", async (t) => {
  const fs = of(
    lint(
      allow({ Condition: { StringEquals: { "acs:RequestTag/Env": "a" } } }),
      allow({ Condition: { StringEquals: { "acs:ResourceTag/ENV": "a" } } }),
      allow({ Condition: { StringEquals: { "acs:ResourceTag/Env": "b" } } }),
    ),
    "condition-tag-key-case",
  );
  t.same(fs.map((f) => f.path), ["/Statement/1/Condition/StringEquals/acs:ResourceTag~1ENV"], "the most frequent spelling wins");
  t.match(fs[0]!.message, /written "Env" elsewhere/);
  const three = of(lint(allow({ Condition: { StringEquals: { "acs:RequestTag/a": "1", "acs:RequestTag/A": "1" }, StringLike: { "acs:RequestTag/a": "*" } } })), "condition-tag-key-case")[0]!;
  t.notOk(three.fix, "renaming A into a would merge it with the a of the same operator");
});

t.test("conditions and security: contradictions make a statement unmatchable", async (t) => {
  const never = (condition: unknown, effect = "Allow") =>
    ids(lint({ ...allow({ Condition: condition }), Effect: effect })).filter((i) => i.endsWith("-never-matches"));
  t.same(never({ NumericGreaterThan: { "acs:RequestTag/n": "10" }, NumericLessThan: { "acs:RequestTag/n": "5" } }), ["allow-never-matches"]);
  t.same(never({ NumericGreaterThanEquals: { "acs:RequestTag/n": "5" }, NumericLessThan: { "acs:RequestTag/n": "5" } }), ["allow-never-matches"], "equal bounds, one strict");
  t.same(never({ NumericGreaterThanEquals: { "acs:RequestTag/n": "5" }, NumericLessThanEquals: { "acs:RequestTag/n": "5" } }), [], "exactly 5 remains");
  t.same(never({ NumericEquals: { "acs:RequestTag/n": ["1", "2"] }, NumericGreaterThan: { "acs:RequestTag/n": "3" } }), ["allow-never-matches"]);
  t.same(never({ NumericGreaterThan: { "acs:RequestTag/n": ["3", "1"] }, NumericLessThan: { "acs:RequestTag/n": "2" } }), [], "values OR: the loosest bound counts");
  t.same(never({ DateGreaterThan: { "acs:CurrentTime": "2026-01-01T00:00:00Z" }, DateLessThan: { "acs:CurrentTime": "2025-01-01T00:00:00Z" } }, "Deny"), ["deny-never-matches"]);
  t.same(never({ StringEquals: { "acs:SourceVpc": "vpc-1" }, StringNotEquals: { "acs:SourceVpc": ["vpc-1", "vpc-2"] } }, "Deny"), ["deny-never-matches"]);
  t.same(never({ StringEquals: { "acs:SourceVpc": "VPC-1" }, StringNotEqualsIgnoreCase: { "acs:SourceVpc": "vpc-1" } }), ["allow-never-matches"]);
  t.same(never({ StringEqualsIgnoreCase: { "acs:SourceVpc": "VPC-1" }, StringNotEquals: { "acs:SourceVpc": "vpc-1" } }), [], "another case passes");
  t.same(never({ StringEquals: { "acs:SourceVpc": "vpc-1" }, StringEqualsIgnoreCase: { "acs:SourceVpc": "vpc-2" } }), ["allow-never-matches"]);
  t.same(never({ IpAddress: { "acs:SourceIp": "10.1.0.0/16" }, NotIpAddress: { "acs:SourceIp": "10.0.0.0/8" } }, "Deny"), ["deny-never-matches"]);
  t.same(never({ IpAddress: { "acs:SourceIp": "10.0.0.0/8" }, NotIpAddress: { "acs:SourceIp": "10.1.0.0/16" } }), []);
  t.same(
    never({ StringEquals: { "acs:ResourceTag/env": "dev" }, StringNotEquals: { "acs:ResourceTag/env": "dev" } }, "Deny"),
    [],
    "case-variant tags can satisfy both in a Deny (docs/semantics.md §3)",
  );
});

t.test("security: never-matching statements by resources and by missing keys", async (t) => {
  const stmt = (effect: string, extra: Record<string, unknown>) => ({ Effect: effect, Action: "ess:DeleteScalingGroup", Resource: G1, ...extra });
  const dead = lint(stmt("Deny", { Resource: ["arn:aws:s3:::b", `acs:ess:cn-hangzhou:${ACC}:scalinggroup/asg-!`] }));
  t.match(of(dead, "deny-never-matches")[0]!.message, /none of its resources can name a scaling group/);
  t.equal(of(lint(stmt("Allow", { Action: "ess:DescribeRegions", Resource: "acs:ess:*:*:*" })), "allow-never-matches").length, 1, "authorized on * only");
  t.equal(of(lint(stmt("Allow", { Action: ["ess:DescribeRegions", "ecs:DescribeRegions"], Resource: G1 })), "allow-never-matches").length, 0, "another service may match");
  const unbound = of(lint(stmt("Deny", { Action: "ess:DeleteAlarm", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/env": "prod" } } })), "deny-condition-key-absent")[0]!;
  t.match(unbound.message, /never fires for ess:DeleteAlarm when the task is not bound to a scaling group/);
  t.equal(of(lint(stmt("Deny", { Resource: "*", Condition: { StringNotEquals: { "acs:ResourceTag/env": "prod" } } })), "deny-condition-key-absent").length, 0, "negated: fires when missing");
  const everything = of(lint(allow({ Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:TagKeys": "x" } } })), "allow-never-matches")[0]!;
  t.match(everything.message, /and \d+ more/, "long lists are shortened");
  t.equal(of(lint(allow({ Action: "*", Resource: "*" })), "allow-all-unconditioned").length, 1);
  t.equal(of(lint(allow({ Action: ["ess:Describe*", "ess:*"], Resource: ["*"] })), "allow-all-unconditioned")[0]!.path, "/Statement/0/Action/1");
});

t.test("conditions: negated tag conditions in an Allow", async (t) => {
  const fs = lint(allow({ Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/env": "dev" }, StringNotEquals: { "acs:RequestTag/env": "prod" } } }));
  const negated = of(fs, "condition-negated-key-absent")[0]!;
  t.notMatch(negated.message, /ess:DescribeRegions/, "actions the positive condition already excludes are not granted");
  t.match(negated.message, /ess:DeleteScalingGroup/);
});

t.test("redundancy: coverage, duplicates, empty elements", async (t) => {
  // The statements that are reported as covered, by index.
  const covered = (first: unknown, second: unknown) => of(lint(first, second), "statement-covered").map((f) => f.path);
  t.same(covered(allow({ Action: ["ess:*", "ecs:*"] }), allow({ Action: ["ess:DescribeScalingGroups", "ecs:DescribeInstances"] })), ["/Statement/1"]);
  t.same(covered(allow({ Action: "ecs:*" }), allow({ Action: "ecs:Describe*" })), ["/Statement/1"]);
  t.same(covered(allow({ Action: "ecs:Describe*" }), allow({ Action: "ecs:Describe?nstances" })), ["/Statement/1"], "every match of the narrow one starts with the prefix");
  t.same(covered(allow({ Action: "ecs:Describe*" }), allow({ Action: "ecs:Desc*" })), ["/Statement/0"], "the shorter prefix covers the longer, not the reverse");
  t.same(covered(allow({ Resource: "acs:ess:cn-hangzhou:*" }), allow({ Resource: G1 })), ["/Statement/1"]);
  t.same(covered(deny({ Resource: "ACS:ESS:cn-hangzhou:*" }), deny({ Resource: G1 })), ["/Statement/1"], "a Deny ignores resource case");
  t.same(covered(allow({ Resource: "ACS:ESS:cn-hangzhou:*" }), allow({ Resource: G1 })), [], "an Allow does not");
  t.same(covered(allow({ Condition: { Bool: { "acs:SecureTransport": "true" } } }), allow()), ["/Statement/0"], "the statement with more conditions is the narrower");
  t.same(covered(allow({ NotAction: "ess:Delete*", Action: undefined }), allow()), [], "NotAction statements are not compared");
  t.same(covered(allow(), deny()), [], "different effects");
  const dup = lint(allow({ Resource: [G1, G1], Condition: { StringEqualsIgnoreCase: { "acs:SourceVpc": ["Vpc-1", "vpc-1"] } } }));
  t.same(of(dup, "value-duplicate").map((f) => f.path), ["/Statement/0/Resource/1", "/Statement/0/Condition/StringEqualsIgnoreCase/acs:SourceVpc/1"]);
  t.equal(of(lint(allow({ Resource: [] })), "element-empty").length, 1);
  t.notOk(of(lint(allow({ Resource: [] })), "element-empty")[0]!.fix, "an empty Resource has no safe fix");
  const arn = of(lint(allow({ Action: "ess:*", Resource: "acs:ess:cn-hangzhou:*" })), "unbound-allowance-missing")[0]!;
  t.match(arn.message, /restricted by ARN/);
});

t.test("fixes: several in one document, applied one at a time; refused on duplicate keys", async (t) => {
  const text = doc(allow({ Action: ["ess:describescalinggroups", "ess:Describle*", "ess:DescribeScalingGroups"], Condition: {} }), allow({ Action: ["ess:describescalinggroups", "ess:Describle*", "ess:DescribeScalingGroups"], Condition: {} }));
  const r = fixPolicy(text, { fixType: "widening" });
  t.same(JSON.parse(r.text), { Version: "1", Statement: [allow({ Action: ["ess:DescribeScalingGroups", "ess:Describe*"] })] });
  t.same(r.findings.filter((f) => f.fix), [], "nothing fixable left");
  const safe = fixPolicy(text);
  t.same(JSON.parse(safe.text), { Version: "1", Statement: [allow({ Action: ["ess:DescribeScalingGroups", "ess:Describle*"] })] }, "the default leaves the dead Allow entry");
  t.same(safe.findings.filter((f) => f.fix).map((f) => [f.ruleId, f.fixWidens]), [["action-unknown", true]]);
  const withDup = '{"Version": "1", "Version": "1", "Statement": [{"Effect": "Allow", "Action": "ess:describeregions", "Resource": "*"}]}';
  t.equal(fixPolicy(withDup).text, withDup);
  t.equal(fixPolicy("not json").text, "not json");
});

t.test("trust policies: recognised by content, Principal required and checked, no Resource needed", async (t) => {
  const trust = (principal: unknown, extra: Record<string, unknown> = {}) =>
    lintPolicy(doc({ Effect: "Allow", Action: "sts:AssumeRole", ...(principal === undefined ? {} : { Principal: principal }), ...extra }), { kind: "trust" });
  t.same(trust({ RAM: ["acs:ram::1609982529920904:root", "acs:ram::1609982529920904:role/ops"], Service: "ecs.aliyuncs.com", Federated: "acs:ram::1609982529920904:saml-provider/idp" }), []);
  t.same(trust({ Federated: "acs:ram::1609982529920904:oidc-provider/gh" }, { Condition: { StringEquals: { "oidc:aud": "sts.aliyuncs.com" } } }), [], "IdP keys: syntax only");
  const missing = trust(undefined);
  t.same(missing.map((f) => `${f.ruleId} ${f.severity}`), ["element-missing Error"]);
  t.match(missing[0]!.message, /"Principal" \(required in trust policies/);
  t.same(trust("*").map((f) => f.ruleId), ["principal-invalid"], "not an object");
  t.same(trust({ AWS: "arn:aws:iam::1:root" }).map((f) => f.message), ['principal type "AWS" is not one of RAM, Service, Federated']);
  t.same(trust({ RAM: ["1609982529920904", 7] }).map((f) => f.path), ["/Statement/0/Principal/RAM/0", "/Statement/0/Principal/RAM/1"]);
  t.same(trust({ Service: "ecs aliyuncs" }).map((f) => f.ruleId), ["principal-invalid"]);
  const bucket = lintPolicy(doc({ Effect: "Deny", Action: "oss:GetObject", Principal: ["1234567890"], Resource: "acs:oss:*:1234567890:b/*" }), { kind: "trust" });
  t.same(bucket, [], "other resource-based policies: their principals are not a role's");
  t.same(lintPolicy(doc(allow({ Principal: { RAM: "acs:ram::1609982529920904:root" } }))).map((f) => f.ruleId), ["principal-not-allowed"], "a Principal without sts:AssumeRole is no trust policy");
});
