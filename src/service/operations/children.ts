/**
 * Objects that belong to a scaling group: scaling configurations, scaling rules and lifecycle hooks. Their
 * operations were authorized against the owning group (resolved by the store), so they only act inside it.
 */
import { EssHttpError } from "../../middleware/errors.js";
import { listValue, paged } from "../input.js";
import { newId, nowIso, type LifecycleHookRow, type ScalingConfigurationRow, type ScalingRuleRow } from "../store.js";
import { groupInRegion } from "./groups.js";
import { COOLDOWN, checkName, filterAsync, rowsOf, defined, duplicateName, equal, inList, incorrectState, inRegion, nameTaken, pagedInSql, rowsIn, type Handler, type OperationContext } from "./context.js";


// ---- scaling configurations ----

/** `Tags` of a scaling configuration: ECS instance tags as a JSON object string (not scaling-group tags). */
function instanceTags(ctx: OperationContext): Record<string, string> | undefined {
  const text = ctx.input.string("Tags");
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw EssHttpError.invalid("Tags", 'Expected a JSON object such as {"key1":"value1"}.');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === "string")) {
    throw EssHttpError.invalid("Tags", "Expected a JSON object of string values.");
  }
  return value as Record<string, string>;
}

function instanceTypes(ctx: OperationContext): string[] | undefined {
  const single = ctx.input.string("InstanceType");
  const list = ctx.input.list("InstanceTypes", "InstanceTypes");
  const all = [...(single ? [single] : []), ...list];
  return all.length > 0 ? all : undefined;
}

function securityGroups(ctx: OperationContext): string[] | undefined {
  const single = ctx.input.string("SecurityGroupId");
  const all = [...(single ? [single] : []), ...ctx.input.list("SecurityGroupIds", "SecurityGroupIds")];
  return all.length > 0 ? all : undefined;
}

async function configurationView(ctx: OperationContext, row: ScalingConfigurationRow): Promise<Record<string, unknown>> {
  const group = await ctx.store.groups.get(row.groupId);
  const active = group?.activeScalingConfigurationId === row.id;
  return {
    ScalingConfigurationId: row.id,
    ScalingConfigurationName: row.name,
    ScalingGroupId: row.groupId,
    ImageId: row.imageId,
    InstanceType: row.instanceTypes[0],
    InstanceTypes: listValue(ctx.version, "InstanceType", row.instanceTypes),
    SecurityGroupId: row.securityGroupIds[0],
    SecurityGroupIds: listValue(ctx.version, "SecurityGroupId", row.securityGroupIds),
    LifecycleState: active ? "Active" : "Inactive",
    CreationTime: row.creationTime,
    Tags: listValue(ctx.version, "Tag", Object.entries(row.instanceTags ?? {}).map(([Key, Value]) => ({ Key, Value }))),
  };
}

const createScalingConfiguration: Handler = async (ctx) => {
  const { input, store } = ctx;
  const group = await groupInRegion(ctx, input.required("ScalingGroupId"));
  const id = newId("asc-");
  const name = checkName("ScalingConfigurationName", input.string("ScalingConfigurationName")) ?? id;
  if (await nameTaken(store.configurations, { groupId: group.id }, name)) throw duplicateName("ScalingConfiguration", name);
  const imageId = input.string("ImageId") ?? input.string("ImageFamily") ?? input.string("ImageName");
  if (imageId === undefined) throw EssHttpError.missing("ImageId");
  const types = instanceTypes(ctx);
  if (!types) throw EssHttpError.missing("InstanceType");
  await store.configurations.insert({
    id,
    groupId: group.id,
    regionId: group.regionId,
    name,
    imageId,
    instanceTypes: types,
    securityGroupIds: securityGroups(ctx) ?? [],
    ...defined({ instanceTags: instanceTags(ctx) }),
    creationTime: nowIso(),
  });
  return { ScalingConfigurationId: id };
};

const describeScalingConfigurations: Handler = async (ctx) => {
  const { input, store } = ctx;
  const groupId = input.string("ScalingGroupId");
  const ids = new Set(input.list("ScalingConfigurationId", "ScalingConfigurationIds"));
  const names = new Set(input.list("ScalingConfigurationName", "ScalingConfigurationNames"));
  if (ctx.list) {
    const { ids: page, fields } = await pagedInSql(ctx, ctx.list, [...inList("c.id", ids), ...inList("c.name", names)], "scaling_configurations");
    const rows = await rowsOf(store.configurations, page);
    return { ...fields, ScalingConfigurations: listValue(ctx.version, "ScalingConfiguration", await Promise.all(rows.map((c) => configurationView(ctx, c)))) };
  }
  const rows = await filterAsync(
    await rowsIn(store.configurations, { regionId: ctx.regionId, ...defined({ groupId }) }, ids),
    async (c) => (names.size === 0 || names.has(c.name)) && ctx.visibility.sees(c.groupId),
  );
  const { page, fields } = paged(input, rows);
  return { ...fields, ScalingConfigurations: listValue(ctx.version, "ScalingConfiguration", await Promise.all(page.map((c) => configurationView(ctx, c)))) };
};

const modifyScalingConfiguration: Handler = async (ctx) => {
  const { input, store } = ctx;
  const id = input.required("ScalingConfigurationId");
  const row = await inRegion(ctx, "ScalingConfiguration", id, await store.configurations.get(id));
  const name = checkName("ScalingConfigurationName", input.string("ScalingConfigurationName"));
  if (name !== undefined && await nameTaken(store.configurations, { groupId: row.groupId }, name, id)) throw duplicateName("ScalingConfiguration", name);
  await store.configurations.update(
    id,
    defined({
      name,
      imageId: input.string("ImageId") ?? input.string("ImageFamily") ?? input.string("ImageName"),
      instanceTypes: instanceTypes(ctx),
      securityGroupIds: securityGroups(ctx),
      instanceTags: instanceTags(ctx),
    }),
  );
  return {};
};

const deleteScalingConfiguration: Handler = async (ctx) => {
  const { store } = ctx;
  const id = ctx.input.required("ScalingConfigurationId");
  const row = await inRegion(ctx, "ScalingConfiguration", id, await store.configurations.get(id));
  const group = await store.groups.get(row.groupId);
  if (group?.activeScalingConfigurationId === id) {
    if (group.lifecycleState === "Active") {
      throw incorrectState("IncorrectScalingConfigurationLifecycleState", "The active scaling configuration of an enabled scaling group cannot be deleted.");
    }
    await store.transaction(async (tx) => {
      await tx.groups.update(group.id, { activeScalingConfigurationId: undefined });
      await tx.configurations.remove(id);
    });
  } else {
    await store.configurations.remove(id);
  }
  return {};
};

// ---- scaling rules ----

const RULE_TYPES = ["SimpleScalingRule", "TargetTrackingScalingRule", "StepScalingRule", "PredictiveScalingRule"] as const;
const ADJUSTMENT_TYPES = ["QuantityChangeInCapacity", "PercentChangeInCapacity", "TotalCapacity"] as const;
const ADJUSTMENT = { min: -2000, max: 2000 };

/** `ari:acs:ess:{region}:{account}:scalingrule/{id}` (ExecuteScalingRule docs). */
export const ruleAri = (regionId: string, account: string, id: string): string => `ari:acs:ess:${regionId}:${account}:scalingrule/${id}`;

function ruleFields(ctx: OperationContext) {
  const { input } = ctx;
  return {
    adjustmentType: input.oneOf("AdjustmentType", ADJUSTMENT_TYPES),
    adjustmentValue: input.int("AdjustmentValue", ADJUSTMENT),
    cooldown: input.int("Cooldown", COOLDOWN),
    metricName: input.string("MetricName"),
    targetValue: input.number("TargetValue"),
  };
}

async function ruleView(ctx: OperationContext, row: ScalingRuleRow): Promise<Record<string, unknown>> {
  const group = await ctx.store.groups.get(row.groupId);
  return {
    ScalingRuleId: row.id,
    ScalingRuleAri: row.ari,
    ScalingRuleName: row.name,
    ScalingRuleType: row.ruleType,
    ScalingGroupId: row.groupId,
    AdjustmentType: row.adjustmentType,
    AdjustmentValue: row.adjustmentValue,
    Cooldown: row.cooldown,
    MetricName: row.metricName,
    TargetValue: row.targetValue,
    MinSize: group?.minSize,
    MaxSize: group?.maxSize,
  };
}

const createScalingRule: Handler = async (ctx) => {
  const { input, store } = ctx;
  const group = await groupInRegion(ctx, input.required("ScalingGroupId"));
  const id = newId("asr-");
  const name = checkName("ScalingRuleName", input.string("ScalingRuleName")) ?? id;
  if (await nameTaken(store.rules, { groupId: group.id }, name)) throw duplicateName("ScalingRule", name);
  const ruleType = input.oneOf("ScalingRuleType", RULE_TYPES) ?? "SimpleScalingRule";
  const fields = ruleFields(ctx);
  if (ruleType === "SimpleScalingRule" || ruleType === "StepScalingRule") {
    if (fields.adjustmentType === undefined) throw EssHttpError.missing("AdjustmentType");
  }
  if (ruleType === "SimpleScalingRule" && fields.adjustmentValue === undefined) throw EssHttpError.missing("AdjustmentValue");
  if (ruleType === "TargetTrackingScalingRule" || ruleType === "PredictiveScalingRule") {
    if (fields.metricName === undefined) throw EssHttpError.missing("MetricName");
    if (fields.targetValue === undefined) throw EssHttpError.missing("TargetValue");
  }
  const ari = ruleAri(group.regionId, ctx.account, id);
  await store.rules.insert({ id, ari, groupId: group.id, regionId: group.regionId, name, ruleType, ...defined(fields), creationTime: nowIso() });
  return { ScalingRuleId: id, ScalingRuleAri: ari };
};

const describeScalingRules: Handler = async (ctx) => {
  const { input, store } = ctx;
  const groupId = input.string("ScalingGroupId");
  const ids = new Set(input.list("ScalingRuleId", "ScalingRuleIds"));
  const aris = new Set(input.list("ScalingRuleAri", "ScalingRuleAris"));
  const names = new Set(input.list("ScalingRuleName", "ScalingRuleNames"));
  const ruleType = input.oneOf("ScalingRuleType", RULE_TYPES);
  if (ctx.list) {
    const where = [
      ...inList("c.id", ids),
      ...inList("c.ari", aris),
      ...inList("c.name", names),
      ...equal("c.rule_type", ruleType),
    ];
    const { ids: page, fields } = await pagedInSql(ctx, ctx.list, where, "scaling_rules");
    const rows = await rowsOf(store.rules, page);
    return { ...fields, ScalingRules: listValue(ctx.version, "ScalingRule", await Promise.all(rows.map((r) => ruleView(ctx, r)))) };
  }
  const rows = await filterAsync(
    await rowsIn(store.rules, { regionId: ctx.regionId, ...defined({ groupId, ruleType }) }, ids),
    async (r) => (aris.size === 0 || aris.has(r.ari)) && (names.size === 0 || names.has(r.name)) && ctx.visibility.sees(r.groupId),
  );
  const { page, fields } = paged(input, rows);
  return { ...fields, ScalingRules: listValue(ctx.version, "ScalingRule", await Promise.all(page.map((r) => ruleView(ctx, r)))) };
};

const modifyScalingRule: Handler = async (ctx) => {
  const { input, store } = ctx;
  const id = input.required("ScalingRuleId");
  const row = await inRegion(ctx, "ScalingRule", id, await store.rules.get(id));
  const name = checkName("ScalingRuleName", input.string("ScalingRuleName"));
  if (name !== undefined && await nameTaken(store.rules, { groupId: row.groupId }, name, id)) throw duplicateName("ScalingRule", name);
  await store.rules.update(id, defined({ name, ...ruleFields(ctx) }));
  return {};
};

const deleteScalingRule: Handler = async (ctx) => {
  const id = ctx.input.required("ScalingRuleId");
  await inRegion(ctx, "ScalingRule", id, await ctx.store.rules.get(id));
  await ctx.store.rules.remove(id);
  return {};
};

/** Runs a simple rule: the group's desired capacity moves by the rule's adjustment, within MinSize..MaxSize. */
const executeScalingRule: Handler = async (ctx) => {
  const { input, store } = ctx;
  const ari = input.required("ScalingRuleAri");
  const rule = await inRegion(ctx, "ScalingRule", ari, (await store.rules.where({ ari }))[0]);
  if (rule.ruleType !== "SimpleScalingRule") throw EssHttpError.invalid("ScalingRuleAri", "Only simple scaling rules can be executed by this service.");
  const group = await groupInRegion(ctx, rule.groupId);
  if (group.lifecycleState !== "Active") throw incorrectState("IncorrectScalingGroupStatus", "The scaling group is not enabled.");
  const current = group.desiredCapacity ?? group.minSize;
  const value = rule.adjustmentValue ?? 0;
  const wanted =
    rule.adjustmentType === "TotalCapacity"
      ? value
      : rule.adjustmentType === "PercentChangeInCapacity"
        ? current + Math.trunc((current * value) / 100)
        : current + value;
  const target = Math.min(group.maxSize, Math.max(group.minSize, wanted));
  const activityId = newId("asa-");
  await store.transaction(async (tx) => {
    await tx.groups.update(group.id, { desiredCapacity: target });
    await tx.activities.insert({
      id: activityId,
      groupId: group.id,
      regionId: group.regionId,
      description: `Execute scaling rule ${rule.id}: desired capacity ${current} -> ${target}`,
      statusCode: "Successful",
      startTime: nowIso(),
    });
  });
  return { ScalingActivityId: activityId };
};

// ---- lifecycle hooks ----

const TRANSITIONS = ["SCALE_OUT", "SCALE_IN"] as const;
const DEFAULT_RESULTS = ["CONTINUE", "ABANDON", "ROLLBACK"] as const;

function hookView(row: LifecycleHookRow): Record<string, unknown> {
  return {
    LifecycleHookId: row.id,
    LifecycleHookName: row.name,
    ScalingGroupId: row.groupId,
    LifecycleTransition: row.lifecycleTransition,
    DefaultResult: row.defaultResult,
    HeartbeatTimeout: row.heartbeatTimeout,
    NotificationArn: row.notificationArn,
    NotificationMetadata: row.notificationMetadata,
    LifecycleHookStatus: "Active",
  };
}

const createLifecycleHook: Handler = async (ctx) => {
  const { input, store } = ctx;
  const group = await groupInRegion(ctx, input.required("ScalingGroupId"));
  const id = newId("ash-");
  const name = checkName("LifecycleHookName", input.string("LifecycleHookName")) ?? id;
  if (await nameTaken(store.lifecycleHooks, { groupId: group.id }, name)) throw duplicateName("LifecycleHook", name);
  const transition = input.oneOf("LifecycleTransition", TRANSITIONS);
  if (transition === undefined) throw EssHttpError.missing("LifecycleTransition");
  await store.lifecycleHooks.insert({
    id,
    groupId: group.id,
    regionId: group.regionId,
    name,
    lifecycleTransition: transition,
    defaultResult: input.oneOf("DefaultResult", DEFAULT_RESULTS) ?? "CONTINUE",
    heartbeatTimeout: input.int("HeartbeatTimeout", { min: 30, max: 21600 }) ?? 600,
    ...defined({ notificationArn: input.string("NotificationArn"), notificationMetadata: input.string("NotificationMetadata") }),
    creationTime: nowIso(),
  });
  return { LifecycleHookId: id };
};

const describeLifecycleHooks: Handler = async (ctx) => {
  const { input, store } = ctx;
  const groupId = input.string("ScalingGroupId");
  const ids = new Set(input.list("LifecycleHookId", "LifecycleHookIds"));
  const name = input.string("LifecycleHookName");
  if (ctx.list) {
    const where = [...inList("c.id", ids), ...equal("c.name", name)];
    const { ids: page, fields } = await pagedInSql(ctx, ctx.list, where, "lifecycle_hooks");
    const rows = await rowsOf(store.lifecycleHooks, page);
    return { ...fields, LifecycleHooks: listValue(ctx.version, "LifecycleHook", rows.map(hookView)) };
  }
  const rows = await filterAsync(
    await rowsIn(store.lifecycleHooks, { regionId: ctx.regionId, ...defined({ groupId, name }) }, ids),
    async (h) => ctx.visibility.sees(h.groupId),
  );
  const { page, fields } = paged(input, rows);
  return { ...fields, LifecycleHooks: listValue(ctx.version, "LifecycleHook", page.map(hookView)) };
};

/** By `LifecycleHookId`, or by `ScalingGroupId` + `LifecycleHookName`; when both name the hook they must agree. */
const deleteLifecycleHook: Handler = async (ctx) => {
  const { input, store } = ctx;
  const id = input.string("LifecycleHookId");
  const groupId = input.string("ScalingGroupId");
  const name = input.string("LifecycleHookName");
  let hook: LifecycleHookRow;
  if (id !== undefined) {
    hook = await inRegion(ctx, "LifecycleHook", id, await store.lifecycleHooks.get(id));
    if (groupId !== undefined && hook.groupId !== groupId) throw EssHttpError.invalid("ScalingGroupId", "The lifecycle hook is not in this scaling group.");
  } else {
    if (groupId === undefined) throw EssHttpError.missing("LifecycleHookId");
    if (name === undefined) throw EssHttpError.missing("LifecycleHookName");
    hook = await inRegion(ctx, "LifecycleHook", name, (await store.lifecycleHooks.where({ groupId, name }))[0]);
  }
  await store.lifecycleHooks.remove(hook.id);
  return {};
};

export const CHILD_HANDLERS: Readonly<Record<string, Handler>> = {
  CreateScalingConfiguration: createScalingConfiguration,
  DescribeScalingConfigurations: describeScalingConfigurations,
  ModifyScalingConfiguration: modifyScalingConfiguration,
  DeleteScalingConfiguration: deleteScalingConfiguration,
  CreateScalingRule: createScalingRule,
  DescribeScalingRules: describeScalingRules,
  ModifyScalingRule: modifyScalingRule,
  DeleteScalingRule: deleteScalingRule,
  ExecuteScalingRule: executeScalingRule,
  CreateLifecycleHook: createLifecycleHook,
  DescribeLifecycleHooks: describeLifecycleHooks,
  DeleteLifecycleHook: deleteLifecycleHook,
};
