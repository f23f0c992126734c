import t from "tap";
import { StoreError, storeFromJson } from "../src/ess/store.js";

const group = (extra: Record<string, unknown> = {}) => ({ ScalingGroupId: "asg-1", RegionId: "cn-hangzhou", ...extra });

t.test("groups by region, children to their group, unbound tasks", async (t) => {
  const { groups, resolver } = storeFromJson({
    scalingGroups: [
      group({ Tags: { env: "test", Env: "dev" }, ResourceGroupId: "rg-1", ScalingRuleIds: ["asr-1"], InstanceIds: ["i-1"] }),
      group({ ScalingGroupId: "asg-2", RegionId: "cn-beijing", DiagnoseReportIds: ["dr-2"] }),
    ],
    unboundScheduledTaskIds: ["task-u"],
    unboundAlarmTaskIds: ["alarm-u"],
  });
  t.same(await groups.getGroup("asg-1", "cn-hangzhou"), {
    scalingGroupId: "asg-1",
    regionId: "cn-hangzhou",
    tags: [["env", "test"], ["Env", "dev"]],
    resourceGroupId: "rg-1",
  });
  t.equal(await groups.getGroup("asg-1", "cn-beijing"), undefined, "a group belongs to one region");
  t.same((await groups.listGroups("cn-beijing")).map((g) => g.scalingGroupId), ["asg-2"]);
  t.same(await groups.listGroups("cn-shanghai"), []);
  t.same(await resolver.resolve("ScalingRule", "asr-1", "cn-hangzhou"), { kind: "group", scalingGroupId: "asg-1" });
  t.same(await resolver.resolve("ScalingRule", "asr-1", "cn-beijing"), { kind: "notFound" });
  t.same(await resolver.resolve("Instance", "asr-1", "cn-hangzhou"), { kind: "notFound" }, "ids are per kind");
  t.same(await resolver.resolve("DiagnoseReport", "dr-2", "cn-beijing"), { kind: "group", scalingGroupId: "asg-2" });
  t.same(await resolver.resolve("ScheduledTask", "task-u", "cn-hangzhou"), { kind: "unbound" });
  t.same(await resolver.resolve("AlarmTask", "alarm-u", "cn-beijing"), { kind: "unbound" });
  t.same(await resolver.resolve("ScalingRule", "constructor", "cn-hangzhou"), { kind: "notFound" });
});

t.test("an absent or empty store is an empty world", async (t) => {
  for (const doc of [undefined, {}]) {
    const { groups, resolver } = storeFromJson(doc);
    t.same(await groups.listGroups("cn-hangzhou"), []);
    t.same(await resolver.resolve("ScalingRule", "asr-1", "cn-hangzhou"), { kind: "notFound" });
  }
});

t.test("prototype names are ordinary keys", async (t) => {
  const tags = JSON.parse('{"__proto__":"a","constructor":"b"}') as unknown;
  const { groups, resolver } = storeFromJson({ scalingGroups: [group({ ScalingGroupId: "__proto__", Tags: tags, ScalingRuleIds: ["constructor"] })] });
  t.same((await groups.getGroup("__proto__", "cn-hangzhou"))?.tags, [["__proto__", "a"], ["constructor", "b"]]);
  t.equal(await groups.getGroup("constructor", "cn-hangzhou"), undefined);
  t.same(await resolver.resolve("ScalingRule", "constructor", "cn-hangzhou"), { kind: "group", scalingGroupId: "__proto__" });
  t.same(await resolver.resolve("ScalingRule", "toString", "cn-hangzhou"), { kind: "notFound" });
});

t.test("a malformed store names the bad field", async (t) => {
  const cases: [unknown, RegExp][] = [
    [[], /^store: expected an object/],
    [{ scalingGroup: [] }, /^store\.scalingGroup: unknown field/],
    [{ scalingGroups: {} }, /^store\.scalingGroups: expected an array/],
    [{ scalingGroups: [null] }, /^store\.scalingGroups\[0\]: expected an object/],
    [{ scalingGroups: [group({ ScalingGroupID: "x" })] }, /^store\.scalingGroups\[0\]\.ScalingGroupID: unknown field/],
    [{ scalingGroups: [{ RegionId: "cn-hangzhou" }] }, /^store\.scalingGroups\[0\]\.ScalingGroupId: expected a non-empty string/],
    [{ scalingGroups: [group({ RegionId: "" })] }, /\.RegionId: expected a non-empty string/],
    [{ scalingGroups: [group({ ResourceGroupId: 7 })] }, /\.ResourceGroupId: expected a non-empty string/],
    [{ scalingGroups: [group({ Tags: ["a"] })] }, /\.Tags: expected an object/],
    [{ scalingGroups: [group({ Tags: { env: 1 } })] }, /\.Tags\.env: expected a string tag value/],
    [{ scalingGroups: [group({ ScalingRuleIds: "asr-1" })] }, /\.ScalingRuleIds: expected an array of ids/],
    [{ scalingGroups: [group({ InstanceIds: ["i-1", ""] })] }, /\.InstanceIds\[1\]: expected a non-empty string/],
    [{ scalingGroups: [group(), group()] }, /^store\.scalingGroups\[1\]\.ScalingGroupId: asg-1 is listed twice/],
    [{ scalingGroups: [group({ ScalingRuleIds: ["asr-1"] }), group({ ScalingGroupId: "asg-2", ScalingRuleIds: ["asr-1"] })] }, /\[1\]\.ScalingRuleIds\[0\]: ScalingRule asr-1 is listed more than once/],
    [{ scalingGroups: [group({ ScheduledTaskIds: ["t"] })], unboundScheduledTaskIds: ["t"] }, /^store\.unboundScheduledTaskIds\[0\]: ScheduledTask t/],
    [{ unboundAlarmTaskIds: [3] }, /^store\.unboundAlarmTaskIds\[0\]: expected a non-empty string/],
  ];
  for (const [doc, message] of cases) t.throws(() => storeFromJson(doc), { name: "StoreError", message }, String(message));
  t.type(new StoreError("x"), Error);
});
