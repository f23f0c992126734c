import t, { type Test } from "tap";
import type { Condition, Policy } from "../src/policy/ast.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { makeContext } from "../src/evaluate/context.js";
import { decideRequestFile } from "../src/ess/decide.js";
import { findAccessGranted, findNewAccess, type AnalysisResult, type Witness } from "../src/index.js";
import { stringClasses, anyStringDomain, Undecided } from "../src/analysis/strings.js";
import { keyValues } from "../src/analysis/solve.js";
import { valueClasses } from "../src/analysis/values.js";
import { policyOf } from "./helpers/policies.js";
import { authorizePlan } from "../src/ess/authorize.js";
import { buildPlan } from "../src/ess/request.js";
import { storeFromJson } from "../src/ess/store.js";

/** Known widenings and narrowings, with answers from the contract; every witness is replayed. */

const ACCOUNT = "1609982529920904";
const GROUP = `acs:ess:cn-hangzhou:${ACCOUNT}:scalinggroup/asg-bp17np35ywjwh2cx0001`;
const allow = (Resource: string | string[], extra: object = {}): object => ({ Effect: "Allow", Action: "ess:*", Resource, ...extra });

async function replayed(t: Test, before: readonly Policy[], after: readonly Policy[], w: Witness): Promise<void> {
  if (w.request) {
    t.equal((await decideRequestFile(after, w.request, false)).decision, "Allow", `${w.operation}: the new version allows the witness`);
    t.not((await decideRequestFile(before, w.request, false)).decision, "Allow", `${w.operation}: the old version does not`);
  } else {
    const ctx = makeContext({ action: w.action, resource: w.resource, keys: Object.entries(w.context), requestTags: w.requestTags, resourceTags: w.resourceTags });
    t.equal(evaluate({ identity: after.map((policy) => ({ policy })) }, ctx).decision, "Allow");
    t.not(evaluate({ identity: before.map((policy) => ({ policy })) }, ctx).decision, "Allow");
  }
}

function witnesses(t: Test, r: AnalysisResult): readonly Witness[] {
  if (r.status !== "violated") {
    t.fail(`expected new access, got ${JSON.stringify(r)}`);
    return [];
  }
  return r.witnesses;
}

t.test("the issue's widenings: the same group in every region, in every account", async (t) => {
  const before = [policyOf([allow(GROUP)], "old")];
  for (const [what, arn, differs] of [
    ["region", `acs:ess:*:${ACCOUNT}:scalinggroup/asg-bp17np35ywjwh2cx0001`, (w: Witness) => !w.resource.startsWith("acs:ess:cn-hangzhou:")],
    ["account", "acs:ess:cn-hangzhou:*:scalinggroup/asg-bp17np35ywjwh2cx0001", (w: Witness) => !w.resource.includes(`:${ACCOUNT}:`)],
  ] as const) {
    const after = [policyOf([allow(arn)], "new")];
    const found = witnesses(t, await findNewAccess(before, after));
    t.equal(found.length, 1, `${what}: one witness for the one statement`);
    for (const w of found) {
      t.ok(differs(w), `${what}: the witness is in another ${what} (${w.resource})`);
      t.equal(w.before, "ImplicitDeny");
      t.same(w.allowedBy.map((r) => `${r.policy}#${r.statement}`), ["new#0"]);
      await replayed(t, before, after, w);
    }
    t.equal((await findNewAccess(after, before)).status, "holds", `${what}: narrowing back is no new access`);
  }
});

t.test("identical and reordered versions grant nothing new", async (t) => {
  const a = policyOf([allow(GROUP), { Effect: "Deny", Action: "ess:Delete*", Resource: "*" }], "a");
  const b = policyOf([{ Effect: "Deny", Action: "ess:delete*", Resource: "*" }, allow([GROUP, GROUP])], "b");
  t.equal((await findNewAccess([a], [b])).status, "holds");
  t.equal((await findNewAccess([b], [a])).status, "holds");
});

t.test("a wildcard over actions outside the catalog is new access, with an evaluator-level witness", async (t) => {
  const before = [policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*" }], "old")];
  const after = [policyOf([{ Effect: "Allow", Action: "*", Resource: "*" }], "new")];
  const [w] = witnesses(t, await findNewAccess(before, after));
  t.ok(w && !w.action.toLowerCase().startsWith("ess:"), `an action of another service (${w?.action})`);
  t.equal(w?.request, undefined, "no ESS request names it");
  if (w) await replayed(t, before, after, w);
  const future = [policyOf([{ Effect: "Allow", Action: "ess:Describe*", Resource: "*" }], "future")];
  const listed = [policyOf([{ Effect: "Allow", Action: ["ess:DescribeScalingGroups", "ess:DescribeRegions"], Resource: "*" }], "listed")];
  const [f] = witnesses(t, await findNewAccess(listed, future));
  t.ok(f !== undefined, "ess:Describe* grants what two named actions do not");
  if (f) await replayed(t, listed, future, f);
});

t.test("tags: unseen values, keys in any case, and case-variant duplicates that only a pair of tags reaches", async (t) => {
  const cond = (op: string, key: string, values: string[]): object => ({ Condition: { [op]: { [key]: values } } });
  const before = [policyOf([allow("*", cond("StringEquals", "acs:ResourceTag/team", ["a"])), allow("*", cond("StringEquals", "acs:ResourceTag/TEAM", ["b"]))], "old")];
  const after = [policyOf([allow("*", cond("StringEquals", "acs:resourcetag/Team", ["a", "b"]))], "new")];
  const [w] = witnesses(t, await findNewAccess(before, after));
  t.equal(w?.resourceTags.length, 2, "two tags whose keys differ only in case");
  t.same(new Set(w?.resourceTags.map(([, v]) => v)), new Set(["a", "b"]));
  if (w) await replayed(t, before, after, w);

  const notEquals = [policyOf([allow("*", cond("StringNotEquals", "acs:RequestTag/env", ["prod"]))], "ne")];
  const equals = [policyOf([allow("*", cond("StringEquals", "acs:RequestTag/env", ["test"]))], "eq")];
  const [u] = witnesses(t, await findNewAccess(equals, notEquals));
  t.ok(u && (u.requestTags.length === 0 || u.requestTags.some(([, v]) => v !== "test" && v !== "prod")), "a value neither version names, or no tag at all");
  if (u) await replayed(t, equals, notEquals, u);
});

t.test("global keys: CIDR pieces, date intervals, Bool, indeterminate values", async (t) => {
  const on = (Condition: object, name: string): Policy[] => [policyOf([allow("*", { Condition })], name)];
  const cases: [string, Policy[], Policy[], boolean][] = [
    ["a wider CIDR", on({ IpAddress: { "acs:SourceIp": ["10.1.0.0/16"] } }, "old"), on({ IpAddress: { "acs:SourceIp": ["10.0.0.0/8"] } }, "new"), true],
    ["a narrower CIDR", on({ IpAddress: { "acs:SourceIp": ["10.0.0.0/8"] } }, "old"), on({ IpAddress: { "acs:SourceIp": ["10.1.0.0/16", "10.2.3.4"] } }, "new"), false],
    ["IPv4-mapped IPv6 is the IPv4 block", on({ IpAddress: { "acs:SourceIp": ["10.0.0.0/8"] } }, "old"), on({ IpAddress: { "acs:SourceIp": ["::ffff:10.0.0.0/104"] } }, "new"), false],
    ["NotIpAddress lets unparseable values deny", on({ NotIpAddress: { "acs:SourceIp": ["10.0.0.0/8"] } }, "old"), on({ NotIpAddress: { "acs:SourceIp": ["10.0.0.0/9"] } }, "new"), true],
    ["a later deadline", on({ DateLessThan: { "acs:CurrentTime": ["2026-01-01T00:00:00Z"] } }, "old"), on({ DateLessThan: { "acs:CurrentTime": ["2026-01-01T00:00:00.000000001Z"] } }, "new"), true],
    ["the same instant in another offset", on({ DateLessThan: { "acs:CurrentTime": ["2026-01-01T08:00:00+08:00"] } }, "old"), on({ DateLessThan: { "acs:CurrentTime": ["2026-01-01T00:00:00Z"] } }, "new"), false],
    ["a higher limit", on({ NumericLessThan: { "ess:Count": ["10"] } }, "old"), on({ NumericLessThanEquals: { "ess:Count": ["10.0"] } }, "new"), true],
    ["Bool dropped", on({ Bool: { "acs:SecureTransport": ["true"] } }, "old"), [policyOf([allow("*")], "new")], true],
  ];
  for (const [what, before, after, widens] of cases) {
    const r = await findNewAccess(before, after);
    t.equal(r.status, widens ? "violated" : "holds", what);
    if (r.status === "violated") for (const w of r.witnesses) await replayed(t, before, after, w);
  }
});

t.test("control and session stages", async (t) => {
  const identity = [{ policy: policyOf([allow("*")], "id") }];
  const guard = policyOf([{ Effect: "Allow", Action: "ess:Describe*", Resource: "*" }], "guard", "control");
  const wide = { identity };
  const guarded = { identity, control: { levels: [[guard]] } };
  t.equal((await findNewAccess(wide, guarded)).status, "holds", "a control policy only narrows");
  const r = await findNewAccess(guarded, wide);
  t.equal(r.status, "violated", "dropping it widens");
  const session = policyOf([{ Effect: "Allow", Action: "ess:DescribeRegions", Resource: "*" }], "session", "session");
  t.equal((await findNewAccess(wide, { identity, session, principalType: "AssumedRoleUser" })).status, "holds");
  t.equal((await findNewAccess({ identity: [] }, { identity: [], principalType: "Root" })).status, "violated", "the owner is allowed without policies");
  // A list of policies is placed by kind, as `eval` places a request file's: the control policy restricts.
  t.equal((await findNewAccess([identity[0]!.policy, guard], [identity[0]!.policy])).status, "violated", "dropping a control policy from a list widens");
  t.equal((await findNewAccess([identity[0]!.policy], [identity[0]!.policy, guard])).status, "holds", "adding one narrows");
});

t.test("set qualifiers: ForAllValues holds without the key, ForAnyValue needs one value and no unreadable one", async (t) => {
  const on = (operator: string, key: string, values: string[], name: string): Policy[] => [policyOf([allow("*", { Condition: { [operator]: { [key]: values } } })], name)];
  const plain = on("StringEquals", "acs:RequestTag/team", ["a"], "plain");
  const all = on("ForAllValues:StringEquals", "acs:RequestTag/team", ["a"], "all");
  const any = on("ForAnyValue:StringEquals", "acs:RequestTag/team", ["a"], "any");
  const untagged = witnesses(t, await findNewAccess(plain, all));
  t.ok(untagged.length > 0 && untagged.every((w) => w.requestTags.length === 0), "ForAllValues: a request without the tag (docs/semantics.md §3)");
  for (const w of untagged) await replayed(t, plain, all, w);
  const [pair] = witnesses(t, await findNewAccess(plain, any));
  t.same(new Set(pair?.requestTags.map(([, v]) => v)), new Set(["a", pair?.requestTags.find(([, v]) => v !== "a")?.[1]]), "ForAnyValue: a second value besides a");
  t.equal(pair?.requestTags.length, 2);
  if (pair) await replayed(t, plain, any, pair);
  t.equal((await findNewAccess(any, plain)).status, "holds", "every value a is one value a");
  const [mixed] = witnesses(t, await findNewAccess(all, any));
  t.ok(mixed?.requestTags.some(([, v]) => v !== "a"), "ForAnyValue allows a beside another value, which ForAllValues does not");

  const ips = (operator: string, name: string) => on(operator, "acs:SourceIp", ["10.0.0.0/8"], name);
  t.equal((await findNewAccess(ips("IpAddress", "old"), ips("ForAnyValue:IpAddress", "new"))).status, "violated", "one address inside is enough for ForAnyValue");
  t.equal((await findNewAccess(ips("ForAllValues:IpAddress", "old"), ips("ForAnyValue:NotIpAddress", "new"))).status, "violated");
  const deny = (operator: string, name: string): Policy[] => [policyOf([allow("*"), { Effect: "Deny", Action: "ess:*", Resource: "*", Condition: { [operator]: { "acs:ResourceTag/env": ["prod"] } } }], name)];
  // A Deny with ForAllValues fires on a group without the tag; with ForAnyValue it does not.
  const [untaggedGroup] = witnesses(t, await findNewAccess(deny("ForAllValues:StringNotEquals", "old"), deny("ForAnyValue:StringEquals", "new")));
  t.ok(untaggedGroup !== undefined && untaggedGroup.resourceTags.every(([, v]) => v !== "prod"), `no prod tag (${JSON.stringify(untaggedGroup?.resourceTags)})`);
  if (untaggedGroup) await replayed(t, deny("ForAllValues:StringNotEquals", "old"), deny("ForAnyValue:StringEquals", "new"), untaggedGroup);
});

t.test("resource-group-scope attachments decide only where account scope says ImplicitDeny", async (t) => {
  const describe = policyOf([{ Effect: "Allow", Action: "ess:Describe*", Resource: "*" }], "describe");
  const everything = policyOf([allow("*")], "everything");
  const noDelete = policyOf([{ Effect: "Deny", Action: "ess:Delete*", Resource: "*" }], "no-delete");
  const inGroup = (policy: Policy, resourceGroupId = "rg-1") => ({ policy, scope: { resourceGroupId } });
  const before = { identity: [{ policy: describe }] };
  const after = { identity: [{ policy: describe }, inGroup(everything)] };
  const r = await findNewAccess(before, after);
  const found = witnesses(t, r);
  for (const w of found) {
    t.equal(w.resourceGroupId, "rg-1", "the target is in the group the attachment names");
    t.match(w.request?.store, { scalingGroups: [{ ResourceGroupId: "rg-1" }] }, "and the request file's group says so");
    const decided = async (input: typeof before) => authorizePlan(await buildPlan(w.request!.request, storeFromJson(w.request!.store)), input).decision;
    t.equal(await decided(after), "Allow");
    t.not(await decided(before), "Allow");
  }
  t.equal((await findNewAccess(after, before)).status, "holds", "dropping the attachment narrows");
  const denied = { identity: [{ policy: noDelete }, inGroup(everything)] };
  t.equal((await findAccessGranted(denied, { actions: ["ess:DeleteScalingGroup"] })).status, "holds", "an ExplicitDeny at account scope ends step 3");
  t.equal((await findAccessGranted(denied, { actions: ["ess:ModifyScalingGroup"] })).status, "violated");
  const wide = { identity: [{ policy: everything }] };
  t.equal((await findNewAccess(wide, { identity: [{ policy: everything }, inGroup(noDelete)] })).status, "holds", "an Allow at account scope ends step 3 too");
  t.equal((await findNewAccess({ identity: [inGroup(everything)] }, { identity: [inGroup(everything, "rg-2")] })).status, "violated", "another group is other targets");
});

t.test("undecided, never a silent pass", async (t) => {
  const base = policyOf([allow("*", { Condition: { StringEquals: { "acs:ResourceTag/team": ["a"] } } })], "base");
  const qualified: Policy = {
    ...base,
    statements: base.statements.map((s) => ({ ...s, conditions: s.conditions.map((c): Condition => ({ ...c, operator: "ForAnyValue:StringEquals" as Condition["operator"] })) })),
  };
  const r1 = await findNewAccess([base], [qualified]);
  t.equal(r1.status, "undecided");
  t.match(r1.status === "undecided" ? r1.reason : "", /operator ForAnyValue:StringEquals is not analysed/);
  const withField = { ...base, statements: base.statements.map((s) => ({ ...s, conditions: s.conditions.map((c) => ({ ...c, ifExists: true })) })) } as Policy;
  t.match(await findNewAccess([base], [withField]), { status: "undecided", reason: /has "ifExists", which is not analysed/ });
  const mixed = policyOf([allow("*", { Condition: { StringLike: { "acs:SourceIp": ["10.*"] }, IpAddress: { "acs:SourceIp": ["10.0.0.0/8"] } } })], "mixed");
  t.match(await findNewAccess([base], [mixed]), { status: "undecided", reason: /key acs:SourceIp is compared with StringLike patterns and as ip at once/ });
  t.match(await findNewAccess([base], [mixed].slice(0, 0).concat(policyOf([allow("*")], "wide")), { maxSteps: 5 }), { status: "undecided", reason: /more than 5 steps/ });
});

t.test("resources longer than ESS accepts: a class only they are in is no ESS request", async (t) => {
  const long = (region: string, name: string): Policy[] => [policyOf([{ Effect: "Allow", Action: "ess:DeleteScalingGroup", Resource: `acs:ess:${region}:${ACCOUNT}:scalinggroup/*` }], name)];
  // Region ids have at most 64 characters (ESS refuses longer ones), so the 65-character one names no group.
  t.equal((await findNewAccess([], long("r".repeat(65), "too-long"))).status, "holds");
  const [w] = witnesses(t, await findNewAccess([], long(`${"r".repeat(63)}*`, "starts-long")));
  t.equal(w?.resource, `acs:ess:${"r".repeat(63)}:${ACCOUNT}:scalinggroup/asg-example0001`, "the shortest fits");
  const [x] = witnesses(t, await findNewAccess(long(`${"r".repeat(64)}*`, "old"), long(`${"r".repeat(63)}*`, "new")));
  t.equal(x?.resource.split(":")[2], "r".repeat(63), "63 r's is the one region id the new version adds (64 is the old one's)");
  if (x) await replayed(t, long(`${"r".repeat(64)}*`, "old"), long(`${"r".repeat(63)}*`, "new"), x);
  t.equal((await findNewAccess(long(`${"r".repeat(63)}`, "old"), long(`${"r".repeat(63)}*`, "new"))).status, "violated", "a longer region id still fits");
  t.equal((await findNewAccess(long(`${"r".repeat(64)}`, "old"), long(`${"r".repeat(64)}*`, "new"))).status, "holds", "a longer one does not");
});

t.test("one key compared as several types: each type reads its own texts, the others find them unreadable", async (t) => {
  const on = (Condition: object, name: string): Policy[] => [policyOf([allow("*", { Condition })], name)];
  const numeric = on({ NumericLessThan: { "ess:Count": ["10"] } }, "numeric");
  // Allow needs the value to be a number below 10 and not the text "5": "5.0" is that number, spelled otherwise.
  const notFive = on({ NumericLessThan: { "ess:Count": ["10"] }, StringNotEquals: { "ess:Count": ["5"] } }, "not-five");
  t.equal((await findNewAccess(numeric, notFive)).status, "holds", "a string condition only narrows");
  const [five] = witnesses(t, await findNewAccess(notFive, numeric));
  t.equal(Object.values(five?.context ?? {})[0], "5", "the one text the string condition refuses");
  if (five) await replayed(t, notFive, numeric, five);
  const onlyFive = on({ NumericEquals: { "ess:Count": ["5"] }, StringNotEquals: { "ess:Count": ["5", "5.0", "05"] } }, "only-five");
  const [spelled] = witnesses(t, await findNewAccess([], onlyFive));
  t.ok(spelled && !["5", "5.0", "05"].includes(Object.values(spelled.context)[0]!), `five, spelled as no string value is (${Object.values(spelled?.context ?? {})[0]})`);
  if (spelled) await replayed(t, [], onlyFive, spelled);
  // Bool reads exactly "true": once the string condition refuses that text, nothing satisfies both.
  const never = on({ Bool: { "ess:flag": ["true"] }, StringNotEqualsIgnoreCase: { "ess:flag": ["TRUE"] } }, "never");
  t.equal((await findNewAccess([], never)).status, "holds");
  // A group's tag "1" has one value (its key has no case): only another spelling of TRUE is neither Bool true nor unlike TRUE.
  const either = [policyOf([allow("*", { Condition: { Bool: { "acs:ResourceTag/1": ["true"] } } }), allow("*", { Condition: { StringNotEqualsIgnoreCase: { "acs:ResourceTag/1": ["TRUE"] } } })], "either")];
  const [otherCase] = witnesses(t, await findNewAccess(either, [policyOf([allow("*")], "all")]));
  t.ok(otherCase && otherCase.resourceTags.length === 1 && otherCase.resourceTags.every(([, v]) => v.toLowerCase() === "true" && v !== "true"), `TRUE in another case (${JSON.stringify(otherCase?.resourceTags)})`);
  if (otherCase) await replayed(t, either, [policyOf([allow("*")], "all")], otherCase);
  const twoTypes = on({ NumericGreaterThan: { "ess:x": ["1"] }, DateLessThan: { "ess:x": ["2026-01-01T00:00:00Z"] } }, "two-types");
  t.equal((await findNewAccess([], twoTypes)).status, "holds", "no text is both a number and a date");
  const deny = [policyOf([allow("*"), { Effect: "Deny", Action: "ess:*", Resource: "*", Condition: { NumericGreaterThan: { "ess:x": ["1"] }, DateLessThan: { "ess:x": ["2026-01-01T00:00:00Z"] } } }], "deny")];
  t.equal((await findNewAccess(deny, [policyOf([allow("*")], "all")])).status, "violated", "but a Deny on both fires on any text (one of them is unreadable)");
});

t.test("access-not-granted: proven, or a witness eval allows", async (t) => {
  const policies = [
    policyOf(
      [
        allow("*", { Condition: { StringEquals: { "acs:ResourceTag/team": ["game1"] } } }),
        { Effect: "Deny", Action: "ess:DeleteScalingGroup", Resource: "*", Condition: { StringNotEquals: { "acs:ResourceTag/env": ["test"] } } },
      ],
      "p",
    ),
  ];
  const open = await findAccessGranted(policies, { actions: ["ess:deletescalinggroup"] });
  t.equal(open.status, "violated");
  if (open.status === "violated") {
    const [w] = open.witnesses;
    t.equal((await decideRequestFile(policies, w!.request!, false)).decision, "Allow");
    t.same(Object.fromEntries(w!.resourceTags), { team: "game1", env: "test" });
  }
  t.equal((await findAccessGranted(policies, { actions: ["ess:DeleteScalingGroup"], resourceTags: [["env", "prod"]] })).status, "holds", "never on a prod group");
  t.equal((await findAccessGranted(policies, { actions: ["ess:DeleteScalingGroup"], resourceTags: [["Team", "game2"]] })).status, "holds", "never on another team's group");
  t.equal((await findAccessGranted(policies, { actions: ["ess:CreateScalingGroup"] })).status, "holds", "create has no resource tags to match");
  const byArn = [policyOf([allow(GROUP)], "arn")];
  t.equal((await findAccessGranted(byArn, { actions: ["ess:ModifyScalingGroup"], resource: "acs:ess:cn-beijing:*" })).status, "holds");
  const inRegion = await findAccessGranted(byArn, { actions: ["ess:ModifyScalingGroup"], resource: "acs:ess:cn-hangzhou:*" });
  t.equal(inRegion.status, "violated");
  if (inRegion.status === "violated") t.equal(inRegion.witnesses[0]!.resource, GROUP);
  await t.rejects(findAccessGranted(byArn, { actions: ["ess:NoSuchThing"] }), /not an ESS action/);
});

t.test("string classes: one witness per combination, a fresh character for the unnamed ones", async (t) => {
  const classes = stringClasses(
    [
      { text: "a*", glob: true, fold: false },
      { text: "*b", glob: true, fold: false },
      { text: "A?", glob: false, fold: true },
    ],
    anyStringDomain(),
  );
  const combos = new Set(classes.map((c) => c.matches.map(Number).join("")));
  // The third is a literal that folds: "a?" (which "a*" matches too) and "A?" (which it does not).
  t.same(combos, new Set(["000", "100", "010", "110", "101", "001"]));
  t.throws(() => stringClasses([{ text: "x*y*z*w", glob: true, fold: false }], anyStringDomain(), 3), Undecided);
  t.throws(() => stringClasses([{ text: "\u03a3*", glob: true, fold: true }], anyStringDomain()), /folds differently/);
  t.throws(() => stringClasses([{ text: "😀", glob: true, fold: false }], anyStringDomain()), /Basic Multilingual Plane/);
  const numeric = valueClasses(policyOf([allow("*", { Condition: { NumericLessThan: { "ess:n": ["-1.5", "2"] } } })]).statements[0]!.conditions);
  t.same(numeric.map((c) => c.outcomes[0]).sort(), ["false", "indeterminate", "true"]);
});

t.test("a key's values: absent, confined, and as few as the request can carry", async (t) => {
  const some = (hit: boolean[]) => ({ t: "some" as const, key: 0, hit, absent: false });
  const all = (ok: boolean[]) => ({ t: "all" as const, key: 0, ok, absent: true });
  t.same(keyValues([{ atom: all([true, false]), value: true }], 2, 5), [], "absent satisfies an Allow condition of a negated operator");
  t.same(keyValues([{ atom: some([true, false, false]), value: true }, { atom: some([false, true, false]), value: true }], 3, 2), [0, 1], "two values, one per need");
  t.equal(keyValues([{ atom: some([true, false, false]), value: true }, { atom: some([false, true, false]), value: true }], 3, 1), undefined, "one value cannot meet both");
  t.same(keyValues([{ atom: some([true, true, false]), value: true }, { atom: some([false, true, true]), value: true }], 3, 1), [1], "one value can, when it is in both");
  t.equal(keyValues([{ atom: some([true, false]), value: true }], 2, 0), undefined, "a request that cannot carry the key");
  t.equal(keyValues([{ atom: some([true, false]), value: true }, { atom: all([false, true]), value: true }], 2, 3), undefined, "confined away from what is needed");
});

t.test("string classes: characters the patterns use up, and folding that changes length", async (t) => {
  const letters = [..."xqzjkvwyubcdefghilmnoprsta0123456789"].map((text) => ({ text, glob: false, fold: false }));
  const crowded = stringClasses([...letters, { text: "?", glob: true, fold: false }], anyStringDomain());
  const fresh = crowded.find((c) => c.matches.every((m, i) => m === (i === letters.length)));
  t.ok(fresh && fresh.witness.charCodeAt(0) >= 0x100, `one character none of the literals is (${fresh?.witness})`);
  t.throws(() => stringClasses([{ text: "ß*", glob: true, fold: true }], anyStringDomain()), /changes length or identity/);
  t.throws(() => stringClasses([{ text: "\u0130*", glob: true, fold: true }], anyStringDomain()), /folds differently/);
});

t.test("check --witness into a path that is a file: exit 2", async (t) => {
  const { cli } = await import("./helpers/cli.js");
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "ess-authz-witness-"));
  const file = join(dir, "file");
  writeFileSync(file, "");
  const p = join(dir, "p.json");
  writeFileSync(p, JSON.stringify({ Version: "1", Statement: [allow("*")] }));
  const r = await cli("check", "access-not-granted", "--policy", p, "--action", "ess:DescribeRegions", "--witness", join(file, "sub"));
  t.equal(r.code, 2);
  t.match(r.err, /cannot write the witnesses/);
});

t.test("string classes: characters that fold into a pattern's letters", async (t) => {
  const kelvin = stringClasses(
    [
      { text: "K", glob: false, fold: false },
      { text: "k", glob: false, fold: false },
      { text: "k", glob: false, fold: true },
    ],
    anyStringDomain(),
  );
  t.equal(kelvin.find((c) => c.matches.join() === "false,false,true")?.witness, "\u212a", "the Kelvin sign is k only when folded");
  const dotted = stringClasses(
    [
      { text: "?", glob: true, fold: false },
      { text: "??", glob: true, fold: true },
    ],
    anyStringDomain(),
  );
  t.equal(dotted.find((c) => c.matches.join() === "true,true")?.witness, "\u0130", "İ is one character, two once lower-cased");
});
