// ESS request → authorization plan → decision (docs/semantics.md §5). Expected values come from the contract and
// scenarios.md, not from the implementation's output.
import t from "tap";
import { OPERATIONS } from "../src/ess/catalog.js";
import { authorizePlan } from "../src/ess/authorize.js";
import { buildPlan, type PlanDeps } from "../src/ess/request.js";
import { storeFromJson } from "../src/ess/store.js";
import type { AuthorizationPlan, ChildKind, ChildResolution, EssOperation, ApiVersion } from "../src/ess/types.js";
import type { EvaluationInput } from "../src/evaluate/decision.js";
import type { RequestContext } from "../src/evaluate/context.js";
import { policyOf } from "./helpers/policies.js";

const ACCOUNT = "1609982529920904";
const REGION = "cn-hangzhou";
const G1 = "asg-bp17np35ywjwh2cx0001";
const G2 = "asg-bp1c5pl2qc6ozgb10002";
const arn = (id: string, region = REGION) => `acs:ess:${region}:${ACCOUNT}:scalinggroup/${id}`;
const ruleAri = (rule: string, region = REGION, account = ACCOUNT) => `ari:acs:ess:${region}:${account}:scalingrule/${rule}`;

/** Child ids of G1 by kind; G2's end in -2. */
const CHILD_OF_G1: Readonly<Record<ChildKind, string>> = {
  ScalingConfiguration: "asc-1",
  ScalingRule: "asr-1",
  AlarmTask: `${G1}_a1b2`,
  LifecycleHook: "ash-1",
  ScheduledTask: "task-1",
  ScalingActivity: "asa-1",
  Instance: "i-1",
  DiagnoseReport: "dr-1",
};

const STORE = {
  scalingGroups: [
    {
      ScalingGroupId: G1,
      RegionId: REGION,
      ResourceGroupId: "rg-1",
      Tags: { environment: "test", team: "game1" },
      ScalingConfigurationIds: ["asc-1"],
      ScalingRuleIds: ["asr-1"],
      AlarmTaskIds: [`${G1}_a1b2`],
      LifecycleHookIds: ["ash-1"],
      ScheduledTaskIds: ["task-1"],
      ScalingActivityIds: ["asa-1"],
      InstanceIds: ["i-1"],
      DiagnoseReportIds: ["dr-1"],
    },
    { ScalingGroupId: G2, RegionId: REGION, Tags: { environment: "dev", team: "game2" }, ScalingRuleIds: ["asr-2"], ScheduledTaskIds: ["task-2"] },
    { ScalingGroupId: "asg-beijing", RegionId: "cn-beijing", ScalingRuleIds: ["asr-bj"] },
    // Prototype names are ordinary ids and tag keys.
    { ScalingGroupId: "__proto__", RegionId: "cn-shenzhen", Tags: JSON.parse('{"__proto__":"x","constructor":"y"}') as Record<string, string>, ScalingRuleIds: ["constructor"] },
  ],
  unboundScheduledTaskIds: ["task-unbound"],
  unboundAlarmTaskIds: ["alarm-unbound"],
};
const deps = storeFromJson(STORE);

type Params = Record<string, string>;
const request = (params: Params, extra: { context?: Record<string, string>; endpointRegion?: string } = {}, using: PlanDeps = deps) =>
  buildPlan({ account: ACCOUNT, params, ...extra }, using);
const call = (action: string, version: ApiVersion, params: Params = {}) => request({ Action: action, Version: version, RegionId: REGION, ...params });
const v14 = (action: string, params: Params = {}) => call(action, "2014-08-28", params);
const v22 = (action: string, params: Params = {}) => call(action, "2022-02-22", params);

const values = (ctx: RequestContext, key: string) => ctx.values.get(key.toLowerCase());
const identity = (...statements: unknown[]): EvaluationInput => ({ identity: [{ policy: policyOf(statements, "p") }] });
const allowAll = identity({ Effect: "Allow", Action: "ess:*", Resource: "*" });
const allowArn = (...ids: string[]) => identity({ Effect: "Allow", Action: "ess:*", Resource: ids.map((id) => arn(id)) });

/** A request naming one G1 resource through the operation's first locator in that version. */
function locatorParams(op: EssOperation, version: ApiVersion): Params {
  const wire = op.wire[version]!;
  if (wire.groupId) return { [wire.groupId]: G1 };
  if (wire.groupIds) return { [`${wire.groupIds}.1`]: G1 };
  const child = wire.children[0];
  if (!child) return {};
  const value = child.ari ? ruleAri(CHILD_OF_G1.ScalingRule) : CHILD_OF_G1[child.kind];
  return { [child.list ? `${child.param}.1` : child.param]: value };
}

t.test("every operation of both versions builds a plan on the contract's resource", async (t) => {
  let built = 0;
  for (const op of OPERATIONS) {
    for (const version of ["2014-08-28", "2022-02-22"] as const) {
      if (!op.versions[version]) continue;
      const plan = await call(op.name, version, locatorParams(op, version));
      built++;
      t.equal(plan.action, op.ramAction);
      t.equal(plan.apiVersion, version);
      if (op.resource === "all") t.same(plan.targets.map((x) => x.arn), ["*"], `${op.name} ${version} on *`);
      else if (op.resource === "create") t.same(plan.targets.map((x) => x.arn), [arn("*")], `${op.name} ${version} on scalinggroup/*`);
      else {
        t.same(plan.targets.map((x) => x.arn), [arn(G1)], `${op.name} ${version} on the owning group`);
        const ctx = plan.targets[0]!.context;
        t.same(values(ctx, "acs:ResourceTag/environment"), ["test"], `${op.name} ${version} resource tags`);
        t.equal(ctx.resourceGroupId, "rg-1");
      }
    }
  }
  t.equal(built, 103 + 89, "103 operations in 2022-02-22, 89 in 2014-08-28");
});

t.test("VerifyUser and VerifyAuthentication are authorized as ess:DescribeRegions on *", async (t) => {
  for (const action of ["VerifyUser", "VerifyAuthentication"]) {
    const plan = await v22(action);
    t.equal(plan.action, "ess:DescribeRegions");
    t.equal(plan.operation, action);
    t.equal(plan.targets[0]!.context.action, "ess:DescribeRegions");
    t.equal(plan.targets[0]!.context.resource, "*");
    t.equal(values(plan.targets[0]!.context, "acs:ResourceTag/environment"), undefined, "no resource, no resource tags");
  }
});

t.test("requests that are not authorization questions", async (t) => {
  await t.rejects(request({ Version: "2014-08-28" }), { code: "MissingParameter", httpStatus: 400 });
  await t.rejects(request({ Action: "DescribeScalingGroupz", Version: "2014-08-28" }), { code: "UnsupportedOperation", httpStatus: 400 });
  await t.rejects(request({ Action: "describescalinggroups", Version: "2014-08-28" }), { code: "UnsupportedOperation" }, "API names are case-sensitive");
  await t.rejects(request({ Action: "__proto__", Version: "2014-08-28" }), { code: "UnsupportedOperation" });
  await t.rejects(request({ Action: "DescribeRegions" }), { code: "NoSuchVersion", httpStatus: 400 });
  await t.rejects(request({ Action: "DescribeRegions", Version: "2016-07-22" }), { code: "NoSuchVersion" }, "deprecated version");
  await t.rejects(v14("CreateDiagnoseReport", { ScalingGroupId: G1 }), { code: "UnsupportedOperation", message: /2014-08-28/ });
  await t.rejects(request({ Action: "DeleteScalingGroup", Version: "2014-08-28", ScalingGroupId: G1 }), { code: "MissingParameter", message: /RegionId/ });
  await t.rejects(request({ Action: "ListTagKeys", Version: "2022-02-22", ResourceType: "scalinggroup" }), { code: "MissingParameter", message: /RegionId/ });
  await t.rejects(v14("DeleteScalingGroup"), { code: "MissingParameter", message: /"ScalingGroupId"/ });
  await t.rejects(v22("DeleteLifecycleHook"), { code: "MissingParameter", message: /"ScalingGroupId" or "LifecycleHookId"/ });
  await t.rejects(v22("DescribeDiagnoseReports"), { code: "MissingParameter", message: /"ScalingGroupId" or "ReportIds\.N"/ });
  await t.rejects(v22("TagResources", { ResourceType: "scalinggroup", "Tags.1.Key": "a" }), { code: "MissingParameter", message: /ResourceIds\.N/ });
  await t.rejects(request({ Action: "DescribeRegions", Version: "2014-08-28", RegionId: "cn hangzhou" }), { code: "InvalidParameter" });
  await t.rejects(v14("DeleteScalingGroup", { ScalingGroupId: "asg-*" }), { code: "InvalidParameter", message: /ScalingGroupId/ }, "a wildcard id would change the ARN");
  await t.rejects(v14("DeleteScalingGroup", { ScalingGroupId: "" }), { code: "InvalidParameter" });
  await t.rejects(v22("TagResources", { ResourceType: "instance", "ResourceIds.1": G1 }), { code: "InvalidParameter", message: /ResourceType/ });
  await t.rejects(request({ Action: "DescribeRegions", Version: "2014-08-28", PageSize: 10 as unknown as string }), { code: "InvalidParameter" });
  await t.rejects(buildPlan({ account: "acct", params: { Action: "DescribeRegions", Version: "2014-08-28" } }, deps), TypeError);
});

t.test("operations without a region or a RegionId parameter", async (t) => {
  const regions = await request({ Action: "DescribeRegions", Version: "2022-02-22" });
  t.equal(regions.regionId, "", "operations on * need no region");
  // 2022-02-22 DisableScalingGroup has no RegionId parameter: the endpoint's region builds the ARN.
  const disable = await request({ Action: "DisableScalingGroup", Version: "2022-02-22", ScalingGroupId: G1 }, { endpointRegion: REGION });
  t.same(disable.targets.map((x) => x.arn), [arn(G1)]);
  const explicit = await request({ Action: "DisableScalingGroup", Version: "2022-02-22", ScalingGroupId: G1, RegionId: "cn-beijing" }, { endpointRegion: REGION });
  t.equal(explicit.regionId, "cn-beijing", "RegionId wins over the endpoint");
});

t.test("both versions' wire names", async (t) => {
  const tag14 = await v14("TagResources", { ResourceType: "scalinggroup", "ResourceId.1": G1, "Tag.1.Key": "team", "Tag.1.Value": "game1" });
  const tag22 = await v22("TagResources", { ResourceType: "scalinggroup", "ResourceIds.1": G1, "Tags.1.Key": "team", "Tags.1.Value": "game1" });
  for (const plan of [tag14, tag22]) {
    t.same(plan.targets.map((x) => x.arn), [arn(G1)]);
    t.same(values(plan.targets[0]!.context, "acs:RequestTag/team"), ["game1"]);
  }
  const untag14 = await v14("UntagResources", { ResourceType: "scalinggroup", "ResourceId.1": G1, "TagKey.1": "team" });
  const untag22 = await v22("UntagResources", { ResourceType: "scalinggroup", "ResourceIds.1": G1, "TagKeys.1": "team" });
  for (const plan of [untag14, untag22]) {
    t.same(plan.targets.map((x) => x.arn), [arn(G1)]);
    t.equal(values(plan.targets[0]!.context, "acs:RequestTag/team"), undefined, "tag keys carry no RequestTag values");
  }
  const groups14 = await v14("DescribeScalingGroups", { "ScalingGroupId.1": G1 });
  const groups22 = await v22("DescribeScalingGroups", { "ScalingGroupIds.1": G1 });
  t.same(groups14.targets.map((x) => x.scalingGroupId), [G1]);
  t.same(groups22.targets.map((x) => x.scalingGroupId), [G1]);
  const detach14 = await v14("DetachInstances", { ScalingGroupId: G1, "InstanceId.1": "i-1" });
  const detach22 = await v22("DetachInstances", { ScalingGroupId: G1, "InstanceIds.1": "i-1" });
  t.same(detach14.targets.map((x) => x.arn), [arn(G1)], "instances of a group call are operands");
  t.same(detach22.targets.map((x) => x.arn), [arn(G1)]);
  const heartbeat = await v22("RecordLifecycleActionHeartbeat", { lifecycleHookId: "ash-1", lifecycleActionToken: "tok" });
  t.same(heartbeat.targets.map((x) => x.arn), [arn(G1)], "lower-camel lifecycleHookId");
});

t.test("another spelling of an authorization parameter is refused (fail closed)", async (t) => {
  await t.rejects(v14("TagResources", { ResourceType: "scalinggroup", "ResourceId.1": G1, "Tags.1.Key": "env" }), { code: "InvalidParameter", message: /Tags\.1\.Key/ }, "2022 name in a 2014 request");
  await t.rejects(v22("TagResources", { ResourceType: "scalinggroup", "ResourceId.1": G1 }), { code: "InvalidParameter" }, "2014 name in a 2022 request");
  await t.rejects(v14("CreateScalingGroup", { "tag.1.key": "env" }), { code: "InvalidParameter" });
  await t.rejects(request({ Action: "DescribeRegions", Version: "2014-08-28", regionid: "cn-beijing" }), { code: "InvalidParameter" });
  await t.rejects(v14("RecordLifecycleActionHeartbeat", { LifecycleHookId: "ash-1" }), { code: "InvalidParameter" });
  // Parameters that do not matter for authorization are left to ESS.
  await t.resolves(v14("DescribeScalingGroups", { PageSize: "50", ScalingGroupName: "x" }));
});

t.test("repeat lists: N is a positive integer, gaps are fine, order is numeric", async (t) => {
  for (const bad of ["ResourceIds.0", "ResourceIds.01", "ResourceIds.x", "ResourceIds.-1", "ResourceIds.1e2", "ResourceIds.99999999999999999999"]) {
    await t.rejects(v22("TagResources", { ResourceType: "scalinggroup", [bad]: G1, "Tags.1.Key": "a" }), { code: "InvalidParameter", message: new RegExp(bad.replace(".", "\\.")) }, bad);
  }
  await t.rejects(v22("TagResources", { "ResourceIds.1.Id": G1, "Tags.1.Key": "a" }), { code: "InvalidParameter" }, "scalar lists take no fields");
  await t.rejects(v22("TagResources", { "ResourceIds.1": G1, "Tags.1.Name": "a" }), { code: "InvalidParameter" }, "tag fields are Key/Value/Propagate");
  await t.rejects(v22("TagResources", { "ResourceIds.1": G1, "Tags.1": "a" }), { code: "InvalidParameter" });
  await t.rejects(v22("TagResources", { "ResourceIds.1": G1, "Tags.2.Value": "a" }), { code: "MissingParameter", message: /Tags\.2\.Key/ });
  await t.rejects(v22("TagResources", { "ResourceIds.1": G1, "Tags.1.Key": "" }), { code: "InvalidParameter" });
  await t.rejects(v22("UntagResources", { "ResourceIds.1": G1, "TagKeys.0": "a" }), { code: "InvalidParameter" });
  const plan = await v22("TagResources", { "ResourceIds.10": G2, "ResourceIds.3": G1, "Tags.7.Key": "b", "Tags.7.Value": "2", "Tags.2.Key": "a", "Tags.2.Propagate": "true" });
  t.same(plan.targets.map((x) => x.origin), ["ResourceIds.3", "ResourceIds.10"]);
  t.same(values(plan.targets[0]!.context, "acs:RequestTag/a"), [""], "a tag without Value has the empty value");
  t.same(values(plan.targets[0]!.context, "acs:RequestTag/b"), ["2"]);
});

t.test("children resolve to their owning group", async (t) => {
  const rule = await v14("DeleteScalingRule", { ScalingRuleId: "asr-1" });
  t.same(rule.targets.map((x) => [x.arn, x.scalingGroupId, x.origin]), [[arn(G1), G1, "ScalingRuleId"]]);
  t.same(values(rule.targets[0]!.context, "acs:ResourceTag/team"), ["game1"]);

  const other = await v14("DeleteScalingRule", { ScalingRuleId: "asr-2" });
  t.equal(authorizePlan(other, allowArn(G1)).decision, "ImplicitDeny", "a rule of group 2 is not group 1's");

  const elsewhere = await v14("DeleteScalingRule", { ScalingRuleId: "asr-bj" });
  t.ok(elsewhere.targets[0]!.unresolved, "a child of another region's group is not found here");
});

t.test("an unresolvable child is ImplicitDeny, never Allow", async (t) => {
  const plan = await v14("DeleteScalingRule", { ScalingRuleId: "asr-404" });
  t.match(plan.targets[0]!.unresolved, /asr-404/);
  const d = authorizePlan(plan, allowAll);
  t.equal(d.decision, "ImplicitDeny", "even ess:* on *");
  t.match(d.resources[0]!.error, /ScalingRule asr-404/);
  t.same(d.determining, []);
  // Prototype names must not resolve through Object.prototype.
  for (const id of ["constructor", "__proto__", "toString"]) {
    const p = await v14("ModifyScalingRule", { ScalingRuleId: id });
    t.ok(p.targets[0]!.unresolved, `${id} is an ordinary unknown id in ${REGION}`);
  }
});

t.test("prototype names are ordinary ids and tag keys", async (t) => {
  const group = await request({ Action: "DeleteScalingGroup", Version: "2014-08-28", RegionId: "cn-shenzhen", ScalingGroupId: "__proto__" });
  t.equal(group.targets[0]!.arn, arn("__proto__", "cn-shenzhen"));
  t.notOk(group.targets[0]!.groupNotFound);
  t.same(values(group.targets[0]!.context, "acs:ResourceTag/__proto__"), ["x"]);
  t.same(values(group.targets[0]!.context, "acs:ResourceTag/constructor"), ["y"]);
  const rule = await request({ Action: "DeleteScalingRule", Version: "2014-08-28", RegionId: "cn-shenzhen", ScalingRuleId: "constructor" });
  t.equal(rule.targets[0]!.scalingGroupId, "__proto__");
  const tagged = await v14("CreateScalingGroup", { "Tag.1.Key": "__proto__", "Tag.1.Value": "v" });
  t.same(values(tagged.targets[0]!.context, "acs:RequestTag/__proto__"), ["v"]);
  const params = JSON.parse(`{"Action":"DeleteScalingGroup","Version":"2014-08-28","RegionId":"${REGION}","ScalingGroupId":"${G1}","__proto__":"p"}`) as Params;
  t.same((await request(params)).targets.map((x) => x.arn), [arn(G1)]);
});

t.test("scaling-rule ARIs", async (t) => {
  const exec = await v22("ExecuteScalingRule", { ScalingRuleAri: ruleAri("asr-1") });
  t.same(exec.targets.map((x) => [x.arn, x.origin]), [[arn(G1), "ScalingRuleAri"]]);
  const foreign = await v22("ExecuteScalingRule", { ScalingRuleAri: ruleAri("asr-1", REGION, "1234567890") });
  t.match(foreign.targets[0]!.unresolved, /account 1234567890/);
  const otherRegion = await v22("ExecuteScalingRule", { ScalingRuleAri: ruleAri("asr-1", "cn-beijing") });
  t.match(otherRegion.targets[0]!.unresolved, /region cn-beijing/);
  for (const bad of ["asr-1", `acs:ess:${REGION}:${ACCOUNT}:scalingrule/asr-1`, `${ruleAri("asr-1")}/x`, ruleAri("asr-*")]) {
    await t.rejects(v22("ExecuteScalingRule", { ScalingRuleAri: bad }), { code: "InvalidParameter" }, bad);
  }
  const task = await v14("CreateScheduledTask", { ScheduledAction: ruleAri("asr-2") });
  t.same(task.targets.map((x) => x.arn), [arn(G2)], "a task created for a rule is authorized on the rule's group");
});

t.test("scheduled and alarm tasks bound to no group are authorized on *", async (t) => {
  for (const [action, params] of [
    ["CreateScheduledTask", {}],
    ["CreateAlarm", { MetricName: "CpuUtilization" }],
    ["DeleteScheduledTask", { ScheduledTaskId: "task-unbound" }],
    ["ModifyScheduledTask", { ScheduledTaskId: "task-unbound" }],
    ["EnableAlarm", { AlarmTaskId: "alarm-unbound" }],
    ["DeleteAlarm", { AlarmTaskId: "alarm-unbound" }],
  ] as const) {
    const plan = await v14(action, params);
    t.same(plan.targets.map((x) => x.arn), ["*"], action);
    t.equal(values(plan.targets[0]!.context, "acs:ResourceTag/environment"), undefined, `${action}: no resource tags`);
  }
  const bound = await v14("CreateAlarm", { ScalingGroupId: G1 });
  t.same(bound.targets.map((x) => x.arn), [arn(G1)]);
});

t.test("a mutating call that names several resources needs all of them", async (t) => {
  const plan = await v22("TagResources", { ResourceType: "scalinggroup", "ResourceIds.1": G1, "ResourceIds.2": G2, "Tags.1.Key": "k" });
  t.equal(plan.mode, "all");
  const onlyG1 = authorizePlan(plan, allowArn(G1));
  t.equal(onlyG1.decision, "ImplicitDeny");
  t.same(onlyG1.resources.map((r) => r.decision), ["Allow", "ImplicitDeny"]);
  t.same(onlyG1.determining, [], "the deciding resource is the implicitly denied one");
  const both = authorizePlan(plan, allowArn(G1, G2));
  t.equal(both.decision, "Allow");
  t.same(both.determining.map((r) => r.statement), [0], "one statement, deduplicated across resources");
  const denyG2 = identity({ Effect: "Allow", Action: "ess:*", Resource: "*" }, { Effect: "Deny", Action: "ess:TagResources", Resource: arn(G2) });
  const denied = authorizePlan(plan, denyG2);
  t.equal(denied.decision, "ExplicitDeny");
  t.same(denied.determining.map((r) => [r.statement, r.effect]), [[1, "Deny"]]);

  // Moving a task from group 1 to group 2 touches both.
  const move = await v14("ModifyScheduledTask", { ScheduledTaskId: "task-1", ScalingGroupId: G2 });
  t.same(move.targets.map((x) => x.arn).sort(), [arn(G1), arn(G2)].sort());
  t.equal(authorizePlan(move, allowArn(G1)).decision, "ImplicitDeny");
});

t.test("a list call returns the allowed resources", async (t) => {
  const named = await v22("DescribeScalingGroups", { "ScalingGroupIds.1": G1, "ScalingGroupIds.2": G2 });
  t.equal(named.mode, "filter");
  const d = authorizePlan(named, allowArn(G1));
  t.equal(d.decision, "Allow");
  t.same(d.resources.map((r) => [r.scalingGroupId, r.decision]), [[G1, "Allow"], [G2, "ImplicitDeny"]]);
  const denyBoth = identity({ Effect: "Deny", Action: "ess:*", Resource: arn(G2) });
  t.equal(authorizePlan(named, denyBoth).decision, "ExplicitDeny", "nothing allowed, one explicitly denied");
  t.equal(authorizePlan(named, identity()).decision, "ImplicitDeny");

  const all = await v22("DescribeScalingGroups");
  t.same(all.targets.map((x) => x.scalingGroupId), [G1, G2], "one target per group of the region");

  // The tag filter narrows the region's groups (exact key and value) and is the request's RequestTag.
  const filtered = await v14("DescribeScalingGroups", { "Tag.1.Key": "environment", "Tag.1.Value": "test" });
  t.same(filtered.targets.map((x) => x.scalingGroupId), [G1]);
  t.same(values(filtered.targets[0]!.context, "acs:RequestTag/environment"), ["test"]);
  const caseOff = await v14("DescribeScalingGroups", { "Tag.1.Key": "Environment", "Tag.1.Value": "test" });
  t.same(caseOff.targets.map((x) => [x.arn, x.scalingGroupId]), [[arn("*"), undefined]], "no group carries Environment: the probe");

  // A group named with a child filter is the scope; the child does not add a target.
  const rules = await v22("DescribeScalingRules", { ScalingGroupId: G1, "ScalingRuleIds.1": "asr-2" });
  t.same(rules.targets.map((x) => x.arn), [arn(G1)]);
  const byChild = await v22("DescribeScalingRules", { "ScalingRuleIds.1": "asr-1", "ScalingRuleIds.2": "asr-2", "ScalingRuleIds.3": "asr-404" });
  t.same(byChild.targets.map((x) => x.scalingGroupId), [G1, G2, undefined]);
  t.equal(authorizePlan(byChild, allowArn(G1)).decision, "Allow");
});

t.test("a list call in a region without candidate groups decides on a probe", async (t) => {
  const plan = await request({ Action: "DescribeScalingGroups", Version: "2022-02-22", RegionId: "cn-shanghai" });
  t.same(plan.targets.map((x) => x.arn), [arn("*", "cn-shanghai")]);
  t.equal(values(plan.targets[0]!.context, "acs:ResourceTag/environment"), undefined);
  t.equal(authorizePlan(plan, allowAll).decision, "Allow");
  const byTag = identity({ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/team": "game1" } } });
  t.equal(authorizePlan(plan, byTag).decision, "ImplicitDeny", "no group could ever be allowed (403)");
});

t.test("listing scheduled or alarm tasks covers the unbound ones on *", async (t) => {
  const plan = await v14("DescribeScheduledTasks");
  t.same(plan.targets.map((x) => x.arn), [arn(G1), arn(G2), "*"]);
  const unboundOnly = identity({ Effect: "Allow", Action: "ess:DescribeScheduledTasks", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/team": "nobody" } } });
  t.equal(authorizePlan(plan, unboundOnly).decision, "ImplicitDeny");
});

t.test("aggregate reads without a group need every group of the region", async (t) => {
  const plan = await v22("DescribeScalingActivityStatistics", { StartTime: "a", EndTime: "b" });
  t.equal(plan.mode, "all");
  t.same(plan.targets.map((x) => x.scalingGroupId), [G1, G2]);
  t.equal(authorizePlan(plan, allowArn(G1)).decision, "ImplicitDeny");
});

t.test("request tags: tag parameters, not the instance tags of scaling configurations", async (t) => {
  const config = await v22("CreateScalingConfiguration", { ScalingGroupId: G1, Tags: '{"environment":"prod"}' });
  t.equal(values(config.targets[0]!.context, "acs:RequestTag/environment"), undefined, "ECS instance tags are not request tags");
  const modify = await v14("ModifyScalingConfiguration", { ScalingConfigurationId: "asc-1", Tags: '{"team":"x"}' });
  t.equal(values(modify.targets[0]!.context, "acs:RequestTag/team"), undefined);
  // docs/semantics.md §5: the Tag.N / Tags.N of the ECI configurations tag the container groups the group launches.
  const eci14 = await v14("CreateEciScalingConfiguration", { ScalingGroupId: G1, "Tag.1.Key": "environment", "Tag.1.Value": "prod" });
  t.equal(values(eci14.targets[0]!.context, "acs:RequestTag/environment"), undefined, "ECI container-group tags (2014) are not request tags");
  t.same(values(eci14.targets[0]!.context, "acs:ResourceTag/environment"), ["test"], "the group's own tags still apply");
  const eci22 = await v22("ModifyEciScalingConfiguration", { ScalingConfigurationId: "asc-1", "Tags.1.Key": "team", "Tags.1.Value": "x" });
  t.equal(values(eci22.targets[0]!.context, "acs:RequestTag/team"), undefined, "ECI container-group tags (2022) are not request tags");
  const tagOnlyRequest = identity({ Effect: "Allow", Action: "ess:*EciScalingConfiguration", Resource: "*", Condition: { StringEquals: { "acs:RequestTag/environment": "prod" } } });
  t.equal(authorizePlan(eci14, tagOnlyRequest).decision, "ImplicitDeny", "a RequestTag condition cannot be met through container-group tags");
  const create = await v22("CreateScalingGroup", { "Tags.1.Key": "environment", "Tags.1.Value": "test" });
  t.same(values(create.targets[0]!.context, "acs:RequestTag/environment"), ["test"]);
  t.equal(values(create.targets[0]!.context, "acs:ResourceTag/environment"), undefined, "creation has no resource");
});

t.test("case-variant tags never widen access", async (t) => {
  const allowTest = (family: string) =>
    identity({ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { [`acs:${family}/environment`]: "test" } } });
  const create = await v14("CreateScalingGroup", { "Tag.1.Key": "environment", "Tag.1.Value": "test", "Tag.2.Key": "Environment", "Tag.2.Value": "dev" });
  t.same(values(create.targets[0]!.context, "acs:RequestTag/environment"), ["test", "dev"]);
  t.equal(authorizePlan(create, allowTest("RequestTag")).decision, "ImplicitDeny");

  const store = storeFromJson({ scalingGroups: [{ ScalingGroupId: "asg-x", RegionId: REGION, Tags: { environment: "test", ENVIRONMENT: "prod" } }] });
  const del = await request({ Action: "DeleteScalingGroup", Version: "2014-08-28", RegionId: REGION, ScalingGroupId: "asg-x" }, {}, store);
  t.equal(authorizePlan(del, allowTest("ResourceTag")).decision, "ImplicitDeny");
  const denyProd = identity({ Effect: "Allow", Action: "ess:*", Resource: "*" }, { Effect: "Deny", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/environment": "prod" } } });
  t.equal(authorizePlan(del, denyProd).decision, "ExplicitDeny");
});

t.test("global condition keys pass through; tag keys cannot be injected", async (t) => {
  const context = { "acs:SourceIp": "192.168.0.1", "acs:SecureTransport": "true", "acs:CurrentTime": "2026-11-30T10:00:00Z", "acs:MFAPresent": "false", "acs:AccessId": "LTAIxxx", "acs:PrincipalARN": "acs:ram::1:user/u", "acs:SourceVpc": "vpc-1" };
  const plan = await request({ Action: "DeleteScalingGroup", Version: "2014-08-28", RegionId: REGION, ScalingGroupId: G1 }, { context });
  for (const [k, v] of Object.entries(context)) t.same(values(plan.targets[0]!.context, k), [v], k);
  for (const key of ["acs:ResourceTag/environment", "ACS:requesttag/team", "acs:TagKeys"]) {
    await t.rejects(request({ Action: "DescribeRegions", Version: "2014-08-28" }, { context: { [key]: "x" } }), { code: "InvalidParameter" }, key);
  }
  await t.rejects(request({ Action: "DescribeRegions", Version: "2014-08-28" }, { context: { "acs:SourceIp": 1 as unknown as string } }), { code: "InvalidParameter" });
});

t.test("an unknown scaling group is evaluated on its ARN without resource tags", async (t) => {
  const plan = await v14("DeleteScalingGroup", { ScalingGroupId: "asg-unknown" });
  const target = plan.targets[0]!;
  t.equal(target.arn, arn("asg-unknown"));
  t.ok(target.groupNotFound, "the host answers InvalidScalingGroupId.NotFound after an Allow");
  t.equal(values(target.context, "acs:ResourceTag/environment"), undefined);
  const d = authorizePlan(plan, allowArn("asg-unknown"));
  t.equal(d.decision, "Allow");
  t.ok(d.resources[0]!.groupNotFound);
});

t.test("a resolver that contradicts the store or answers nonsense fails closed", async (t) => {
  const answering = (resolution: unknown): PlanDeps => ({ groups: deps.groups, resolver: { resolve: () => resolution as ChildResolution } });
  const unboundRule = await request({ Action: "DeleteScalingRule", Version: "2014-08-28", RegionId: REGION, ScalingRuleId: "asr-1" }, {}, answering({ kind: "unbound" }));
  t.match(unboundRule.targets[0]!.unresolved, /only scheduled and alarm tasks/);
  const ghost = await request({ Action: "DeleteScalingRule", Version: "2014-08-28", RegionId: REGION, ScalingRuleId: "asr-1" }, {}, answering({ kind: "group", scalingGroupId: "asg-ghost" }));
  t.match(ghost.targets[0]!.unresolved, /asg-ghost/);
  const nonsense = await request({ Action: "DeleteScalingRule", Version: "2014-08-28", RegionId: REGION, ScalingRuleId: "asr-1" }, {}, answering({ kind: "maybe" }));
  t.ok(nonsense.targets[0]!.unresolved);
  t.equal(authorizePlan(nonsense, allowAll).decision, "ImplicitDeny");
});

t.test("authorizePlan: traces on request, no targets is ImplicitDeny", async (t) => {
  const plan = await v14("DeleteScalingGroup", { ScalingGroupId: G1 });
  const traced = authorizePlan(plan, allowAll, { trace: true });
  t.equal(traced.resources[0]!.trace?.length, 1);
  t.equal(authorizePlan(plan, allowAll).resources[0]!.trace, undefined);
  t.same(
    [traced.action, traced.operation, traced.mode, traced.resources[0]!.scalingGroupId],
    ["ess:DeleteScalingGroup", "DeleteScalingGroup", "all", G1],
  );
  // An evaluation failure denies the resource and says why.
  const broken = { identity: [{ policy: { name: "broken", kind: "identity", statements: null, document: {} } }] } as unknown as EvaluationInput;
  const failed = authorizePlan(plan, broken);
  t.equal(failed.decision, "ImplicitDeny");
  t.match(failed.resources[0]!.error, /evaluation failed/);
  const empty: AuthorizationPlan = { ...plan, targets: [] };
  t.equal(authorizePlan(empty, allowAll).decision, "ImplicitDeny", "all-of-nothing is not an Allow");
  t.equal(authorizePlan({ ...empty, mode: "filter" }, allowAll).decision, "ImplicitDeny");
});

t.test("global keys may not supply tag keys, in any spelling the context would fold to one", async (t) => {
  const describe = { Action: "DescribeScalingGroups", Version: "2014-08-28", RegionId: REGION };
  for (const key of ["acs:RequestTag/team", "ACS:RESOURCETAG/team", "acs:TagKeys", "acs:Tag\u212Aeys" /* KELVIN SIGN folds to k */]) {
    await t.rejects(request(describe, { context: { [key]: "x" } }), { code: "InvalidParameter", httpStatus: 400 }, key);
  }
  const plan = await request(describe, { context: { "acs:SourceIp": "10.0.0.1", "acs:TagKeysExtra": "y" } });
  t.same(values(plan.targets[0]!.context, "acs:SourceIp"), ["10.0.0.1"]);
  t.same(values(plan.targets[0]!.context, "acs:tagkeysextra"), ["y"], "only the exact reserved names and prefixes are refused");
});

t.test("a policy attached twice names each determining statement once, with one resource or several", async (t) => {
  const policy = policyOf([{ Effect: "Allow", Action: "ess:DescribeScalingGroups", Resource: "*" }], "twice");
  const input: EvaluationInput = { identity: [{ policy }, { policy }] };
  const one = authorizePlan(await request({ Action: "DescribeScalingGroups", Version: "2014-08-28", RegionId: REGION, "ScalingGroupId.1": G1 }), input);
  const two = authorizePlan(await request({ Action: "DescribeScalingGroups", Version: "2014-08-28", RegionId: REGION, "ScalingGroupId.1": G1, "ScalingGroupId.2": G2 }), input);
  t.equal(one.decision, "Allow");
  t.same(one.determining, [{ policy: "twice", statement: 0, effect: "Allow", stage: "identity" }]);
  t.same(two.determining, one.determining);
});
