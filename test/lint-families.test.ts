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
  const other = lint(allow({ Action: ["ecs:DescribeInstances", "ec?:Describe*"] }));
  t.equal(of(other, "action-service-unknown").length, 2);
});

t.test("resources: shapes", async (t) => {
  t.same(resourceShape("**"), { kind: "any" });
  t.same(resourceShape("acs:ecs:*:*:instance/i-1"), { kind: "foreign", service: "ecs" });
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
  t.equal(maskedDeny.severity, "Warning");
  t.match(maskedDeny.message, /Deny matches every scaling group whose id starts with "asg-bp17"/);
  const alone = of(lint(allow({ Resource: "acs:ess:cn-hangzhou:1234567890123****:scalinggroup/*" })), "resource-masked-id")[0]!;
  t.equal(alone.severity, "SecurityWarning", "an Allow with a masked account and no other account to compare");
  t.match(alone.message, /matches every account of that shape/);
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
    "case-variant tags can satisfy both in a Deny (contract §3)",
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
