import t from "tap";
import { makeContext } from "../src/evaluate/context.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { explainDecision } from "../src/evaluate/explain.js";
import type { Policy } from "../src/policy/ast.js";
import { policyOf } from "./helpers/policies.js";

const ARN1 = "acs:ess:cn-hangzhou:1609982529920904:scalinggroup/asg-bp17np35ywjwh2cx0001";
const ctx = (action: string, resource = ARN1, extra: Partial<Parameters<typeof makeContext>[0]> = {}) =>
  makeContext({ action, resource, ...extra });
const allowAll = policyOf([{ Effect: "Allow", Action: "*", Resource: "*" }], "allow-all");

t.test("actions match case-insensitively", async (t) => {
  const p = policyOf([{ Effect: "Allow", Action: "ESS:describescalinggroups", Resource: "*" }]);
  t.equal(evaluate({ identity: [{ policy: p }] }, ctx("ess:DescribeScalingGroups")).decision, "Allow");
});

t.test("resources: exact case in Allow, any case in Deny (case never widens access)", async (t) => {
  const upper = ARN1.replace("scalinggroup", "scalingGroup");
  const allow = policyOf([{ Effect: "Allow", Action: "ess:*", Resource: upper }]);
  const d = evaluate({ identity: [{ policy: allow }] }, ctx("ess:DeleteScalingGroup"), { trace: true });
  t.equal(d.decision, "ImplicitDeny");
  t.equal(d.trace![0]!.resource.reason, "ResourceCaseMismatch");
  const deny = policyOf([{ Effect: "Deny", Action: "ess:*", Resource: upper }]);
  t.equal(evaluate({ identity: [{ policy: allowAll }, { policy: deny }] }, ctx("ess:DeleteScalingGroup")).decision, "ExplicitDeny");
});

t.test("resource * of all-resource operations is covered only by a pattern matching the literal *", async (t) => {
  const regional = policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "acs:ess:cn-hangzhou:1609982529920904:*" }]);
  t.equal(evaluate({ identity: [{ policy: regional }] }, ctx("ess:DescribeRegions", "*")).decision, "ImplicitDeny");
  t.equal(evaluate({ identity: [{ policy: regional }] }, ctx("ess:CreateScalingGroup", "acs:ess:cn-hangzhou:1609982529920904:scalinggroup/*")).decision, "Allow");
});

t.test("NotAction allows everything except the listed actions", async (t) => {
  const p = policyOf([{ Effect: "Allow", NotAction: "ram:*", Resource: "*" }]);
  t.equal(evaluate({ identity: [{ policy: p }] }, ctx("ecs:DescribeInstances", "*")).decision, "Allow");
  const d = evaluate({ identity: [{ policy: p }] }, ctx("ram:CreateUser", "*"), { trace: true });
  t.equal(d.decision, "ImplicitDeny");
  t.equal(d.trace![0]!.action.reason, "ActionExcludedByNotAction");
});

t.test("determining statements and the stage", async (t) => {
  const p = policyOf(
    [
      { Sid: "a", Effect: "Allow", Action: "ess:*", Resource: "*" },
      { Sid: "d", Effect: "Deny", Action: "ess:Delete*", Resource: "*" },
      { Effect: "Deny", Action: "ess:DeleteScalingGroup", Resource: ARN1 },
    ],
    "mixed",
  );
  const d = evaluate({ identity: [{ policy: p }] }, ctx("ess:DeleteScalingGroup"));
  t.equal(d.decision, "ExplicitDeny");
  t.equal(d.decidedBy, "identity");
  t.same(d.determining, [
    { policy: "mixed", statement: 1, sid: "d", effect: "Deny", stage: "identity" },
    { policy: "mixed", statement: 2, effect: "Deny", stage: "identity" },
  ]);
  t.equal(d.trace, undefined, "no trace unless asked");
  const a = evaluate({ identity: [{ policy: p }] }, ctx("ess:ModifyScalingGroup"));
  t.same(a.determining, [{ policy: "mixed", statement: 0, sid: "a", effect: "Allow", stage: "identity" }]);
});

t.test("identity: account scope first; resource-group scope only on ImplicitDeny and only for its group", async (t) => {
  const allowEcs = policyOf([{ Effect: "Allow", Action: "ecs:*", Resource: "*" }], "allow");
  const denyDelete = policyOf([{ Effect: "Deny", Action: "ecs:DeleteInstance", Resource: "*" }], "deny");
  const inA = (action: string) => ctx(action, "acs:ecs:cn-hangzhou:111:instance/i-1", { resourceGroupId: "rg-A" });
  // §11 #38: account-level Allow ends identity evaluation; the RG-scope Deny is never consulted.
  t.equal(evaluate({ identity: [{ policy: allowEcs }, { policy: denyDelete, scope: { resourceGroupId: "rg-A" } }] }, inA("ecs:DeleteInstance")).decision, "Allow");
  // §11 #39
  const i39 = { identity: [{ policy: denyDelete }, { policy: allowEcs, scope: { resourceGroupId: "rg-A" } }] };
  t.equal(evaluate(i39, inA("ecs:DeleteInstance")).decision, "ExplicitDeny");
  t.equal(evaluate(i39, inA("ecs:StartInstance")).decision, "Allow");
  // §11 #40
  const i40 = { identity: [{ policy: allowEcs, scope: { resourceGroupId: "rg-A" } }] };
  t.equal(evaluate(i40, inA("ecs:StartInstance")).decision, "Allow");
  t.equal(evaluate(i40, ctx("ecs:StartInstance", "acs:ecs:cn-hangzhou:111:instance/i-2", { resourceGroupId: "rg-B" })).decision, "ImplicitDeny");
  t.equal(evaluate(i40, ctx("ecs:StartInstance", "*")).decision, "ImplicitDeny", "no resource, no resource group");
  const traced = evaluate(i40, ctx("ecs:StartInstance", "*"), { trace: true });
  t.equal(traced.trace![0]!.reason, "ScopeNotApplicable");
});

t.test("session policy must allow, and its deny is final", async (t) => {
  const role = policyOf([{ Effect: "Allow", Action: "oss:*", Resource: "*" }], "role");
  const session = policyOf([{ Effect: "Allow", Action: "oss:GetObject", Resource: "*" }], "session", "session");
  const input = { principalType: "AssumedRoleUser" as const, identity: [{ policy: role }], session };
  t.equal(evaluate(input, ctx("oss:PutObject", "*")).decision, "ImplicitDeny");
  t.equal(evaluate(input, ctx("oss:PutObject", "*")).decidedBy, "session");
  t.equal(evaluate(input, ctx("oss:GetObject", "*")).decision, "Allow");
  const putOnly = policyOf([{ Effect: "Allow", Action: "oss:PutObject", Resource: "*" }], "put");
  t.equal(evaluate({ ...input, identity: [{ policy: putOnly }] }, ctx("oss:GetObject", "*")).decision, "ImplicitDeny", "empty intersection");
});

t.test("control policies: per level Deny → ExplicitDeny, no Allow → ImplicitDeny; owner and service-linked roles", async (t) => {
  const full = policyOf([{ Effect: "Allow", Action: "*", Resource: "*" }], "FullAliyunAccess", "control");
  const denyUpdate = policyOf([{ Effect: "Deny", Action: ["ram:UpdateUser"], Resource: "*" }], "deny-update", "control");
  const levels = [[full, denyUpdate], [full]];
  const user = { identity: [{ policy: allowAll }], control: { levels } };
  const d = evaluate(user, ctx("ram:UpdateUser", "*"));
  t.equal(d.decision, "ExplicitDeny");
  t.equal(d.decidedBy, "control");
  t.equal(evaluate({ ...user, control: { levels: [[denyUpdate]] } }, ctx("ecs:DescribeInstances", "*")).decision, "ImplicitDeny", "§11 #34");
  t.equal(evaluate({ ...user, control: { levels: [[full], [denyUpdate]] } }, ctx("ecs:DescribeInstances", "*")).decision, "ImplicitDeny", "every level needs an Allow");
  t.equal(evaluate({ ...user, principalType: "Root" }, ctx("ram:UpdateUser", "*")).decision, "Allow", "§11 #33 owner exempt by default");
  t.equal(evaluate({ identity: [], principalType: "Root", control: { levels, effectScope: "All" } }, ctx("ram:UpdateUser", "*")).decision, "ExplicitDeny", "EffectScope All applies to the owner");
  t.equal(evaluate({ ...user, principalType: "ServiceLinkedRole" }, ctx("ram:UpdateUser", "*")).decision, "Allow", "§11 #35");
});

t.test("the account owner is allowed without policies", async (t) => {
  const d = evaluate({ identity: [], principalType: "Root" }, ctx("ess:DeleteScalingGroup"));
  t.equal(d.decision, "Allow");
  t.equal(d.decidedBy, "owner");
  t.equal(evaluate({ identity: [] }, ctx("ess:DeleteScalingGroup")).decision, "ImplicitDeny");
});

t.test("a thrown exception denies with an error, never allows", async (t) => {
  const broken = { name: "broken", kind: "identity", document: {}, get statements(): never { throw new Error("boom"); } } as unknown as Policy;
  const d = evaluate({ identity: [{ policy: allowAll }, { policy: broken }] }, ctx("ess:DescribeRegions", "*"));
  t.equal(d.decision, "ImplicitDeny");
  t.equal(d.decidedBy, "error");
  t.match(d.error, /boom/);
});

t.test("explain names the determining statement and, for a denial, the closest Allow and what it lacked", async (t) => {
  const p = policyOf(
    [
      { Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/environment": "test", "acs:ResourceTag/team": "game1" } } },
      { Effect: "Allow", Action: "ess:DescribeRegions", Resource: "*" },
    ],
    "t3",
  );
  const d = evaluate({ identity: [{ policy: p }] }, ctx("ess:DeleteScalingGroup", ARN1, { resourceTags: [["environment", "test"], ["team", "game2"]] }), { trace: true });
  const text = explainDecision(d);
  t.match(text, /Decision: ImplicitDeny/);
  t.match(text, /Closest Allow: t3 statement 0/);
  t.match(text, /StringEquals acs:ResourceTag\/team: request value "game2" does not satisfy "game1"/);
  t.notMatch(text, /acs:ResourceTag\/environment: request value/, "satisfied conditions are not listed as lacking");
  const c = d.trace![0]!.conditions;
  t.same(c.map((x) => [x.satisfied, x.reason ?? null]), [[true, null], [false, "ConditionValueMismatch"]]);
});
