/** Scaling groups and their tags. */
import { EssHttpError } from "../../middleware/errors.js";
import { checkTagKey, listValue, MAX_TAGS_PER_GROUP, paged } from "../input.js";
import { carrying, pageTagRows } from "../list.js";
import { newId, nowIso, type ScalingGroupRow, type TagRow } from "../store.js";
import { CAPACITY, COOLDOWN, checkName, filterAsync, rowsOf, defined, duplicateName, equal, inList, incorrectState, nameTaken, notFound, pagedInSql, rowsIn, type Handler, type OperationContext } from "./context.js";

const REMOVAL_POLICIES = ["OldestInstance", "NewestInstance", "OldestScalingConfiguration", "CustomPolicy"] as const;
const MULTI_AZ_POLICIES = ["PRIORITY", "BALANCE", "COST_OPTIMIZED", "COMPOSABLE"] as const;
const HEALTH_CHECK_TYPES = ["ECS", "NONE", "LOAD_BALANCER"] as const;
const RESOURCE_TYPE_OF_TAGS = "ALIYUN::ESS::SCALINGGROUP";

export async function groupInRegion(ctx: OperationContext, id: string): Promise<ScalingGroupRow> {
  const row = await ctx.store.groups.get(id);
  if (!row || row.regionId !== ctx.regionId) throw new EssHttpError("InvalidScalingGroupId.NotFound");
  return row;
}

function removalPolicies(ctx: OperationContext): string[] | undefined {
  const name = ctx.input.name("RemovalPolicy", "RemovalPolicies");
  const values = ctx.input.list("RemovalPolicy", "RemovalPolicies");
  for (const v of values) {
    if (!(REMOVAL_POLICIES as readonly string[]).includes(v)) throw EssHttpError.invalid(`${name}.N`, `Expected one of ${REMOVAL_POLICIES.join(", ")}.`);
  }
  if (values.length > 3) throw EssHttpError.invalid(`${name}.N`, "At most 3 removal policies.");
  return values.length > 0 ? values : undefined;
}

function checkSizes(row: Pick<ScalingGroupRow, "minSize" | "maxSize" | "desiredCapacity">): void {
  if (row.minSize > row.maxSize) throw EssHttpError.invalid("MinSize", "MinSize must not exceed MaxSize.");
  const d = row.desiredCapacity;
  if (d !== undefined && (d < row.minSize || d > row.maxSize)) throw EssHttpError.invalid("DesiredCapacity", "It must lie between MinSize and MaxSize.");
}

async function groupView(ctx: OperationContext, row: ScalingGroupRow): Promise<Record<string, unknown>> {
  const v = ctx.version;
  return {
    ScalingGroupId: row.id,
    ScalingGroupName: row.name,
    RegionId: row.regionId,
    LifecycleState: row.lifecycleState,
    MinSize: row.minSize,
    MaxSize: row.maxSize,
    DesiredCapacity: row.desiredCapacity,
    DefaultCooldown: row.defaultCooldown,
    ActiveScalingConfigurationId: row.activeScalingConfigurationId,
    RemovalPolicies: listValue(v, "RemovalPolicy", row.removalPolicies),
    VSwitchIds: listValue(v, "VSwitchId", row.vswitchIds),
    MultiAZPolicy: row.multiAzPolicy,
    HealthCheckType: row.healthCheckType,
    GroupDeletionProtection: row.groupDeletionProtection,
    ResourceGroupId: row.resourceGroupId,
    CreationTime: row.creationTime,
    TotalCapacity: 0,
    ActiveCapacity: 0,
    PendingCapacity: 0,
    RemovingCapacity: 0,
    Tags: listValue(v, "Tag", (await ctx.store.tags(row.id)).map((t) => ({ Key: t.key, Value: t.value, Propagate: t.propagate }))),
  };
}

/** Merges new tags into a group's, keeping ESS's limit of 20 per group. */
async function putTags(ctx: OperationContext, groupId: string, tags: readonly TagRow[]): Promise<void> {
  const keys = new Set([...(await ctx.store.tags(groupId)).map((t) => t.key), ...tags.map((t) => t.key)]);
  if (keys.size > MAX_TAGS_PER_GROUP) throw EssHttpError.invalid(ctx.input.name("Tag.N.Key", "Tags.N.Key"), `A scaling group holds at most ${MAX_TAGS_PER_GROUP} tags.`);
  await ctx.store.putTags(groupId, tags);
}

const createScalingGroup: Handler = async (ctx) => {
  const { input, store } = ctx;
  const id = newId("asg-");
  const name = checkName("ScalingGroupName", input.string("ScalingGroupName")) ?? id;
  if (await nameTaken(store.groups, { regionId: ctx.regionId }, name)) throw duplicateName("ScalingGroup", name);
  const vswitchId = input.string("VSwitchId");
  const vswitchIds = [...(vswitchId ? [vswitchId] : []), ...input.list("VSwitchIds", "VSwitchIds")];
  const row: ScalingGroupRow = {
    id,
    regionId: ctx.regionId,
    name,
    ...defined({ resourceGroupId: input.string("ResourceGroupId"), desiredCapacity: input.int("DesiredCapacity", CAPACITY) }),
    lifecycleState: "Inactive",
    minSize: input.requiredInt("MinSize", CAPACITY),
    maxSize: input.requiredInt("MaxSize", CAPACITY),
    defaultCooldown: input.int("DefaultCooldown", COOLDOWN) ?? 300,
    removalPolicies: removalPolicies(ctx) ?? ["OldestScalingConfiguration", "OldestInstance"],
    vswitchIds,
    multiAzPolicy: input.oneOf("MultiAZPolicy", MULTI_AZ_POLICIES) ?? "PRIORITY",
    healthCheckType: input.oneOf("HealthCheckType", HEALTH_CHECK_TYPES) ?? "ECS",
    groupDeletionProtection: input.bool("GroupDeletionProtection") ?? false,
    creationTime: nowIso(),
  };
  checkSizes(row);
  const tags = input.tags();
  await store.transaction(async (tx) => {
    await tx.groups.insert(row);
    await putTags({ ...ctx, store: tx }, id, tags);
  });
  return { ScalingGroupId: id };
};

const describeScalingGroups: Handler = async (ctx) => {
  const { input, store } = ctx;
  const ids = new Set(input.list("ScalingGroupId", "ScalingGroupIds"));
  const name = input.string("ScalingGroupName");
  const names = new Set([...input.list("ScalingGroupName", "ScalingGroupNames"), ...(name ? [name] : [])]);
  const tagFilter = input.tags();
  const resourceGroupId = input.string("ResourceGroupId");
  if (ctx.list) {
    const where = [
      ...inList("g.id", ids),
      ...inList("g.name", names),
      ...equal("g.resource_group_id", resourceGroupId),
      ...carrying(tagFilter.map((t) => [t.key, t.value] as const)),
    ];
    const { ids: page, fields } = await pagedInSql(ctx, ctx.list, where);
    const rows = await rowsOf(store.groups, page);
    return { ...fields, ScalingGroups: listValue(ctx.version, "ScalingGroup", await Promise.all(rows.map((g) => groupView(ctx, g)))) };
  }
  const rows = await filterAsync(await rowsIn(store.groups, { regionId: ctx.regionId }, ids), async (g) => {
    if (!(await ctx.visibility.sees(g.id))) return false;
    if (names.size > 0 && !names.has(g.name)) return false;
    if (resourceGroupId !== undefined && g.resourceGroupId !== resourceGroupId) return false;
    if (tagFilter.length === 0) return true;
    const tags = await store.tags(g.id);
    return tagFilter.every((f) => tags.some((t) => t.key === f.key && t.value === f.value));
  });
  const { page, fields } = paged(input, rows);
  return { ...fields, ScalingGroups: listValue(ctx.version, "ScalingGroup", await Promise.all(page.map((g) => groupView(ctx, g)))) };
};

const modifyScalingGroup: Handler = async (ctx) => {
  const { input, store } = ctx;
  const row = await groupInRegion(ctx, input.required("ScalingGroupId"));
  const name = checkName("ScalingGroupName", input.string("ScalingGroupName"));
  if (name !== undefined && await nameTaken(store.groups, { regionId: ctx.regionId }, name, row.id)) throw duplicateName("ScalingGroup", name);
  const activeId = input.string("ActiveScalingConfigurationId");
  const vswitchIds = input.list("VSwitchIds", "VSwitchIds");
  if (activeId !== undefined && (await store.configurations.get(activeId))?.groupId !== row.id) throw notFound("ScalingConfiguration", activeId);
  const patch = defined({
    name,
    minSize: input.int("MinSize", CAPACITY),
    maxSize: input.int("MaxSize", CAPACITY),
    desiredCapacity: input.int("DesiredCapacity", CAPACITY),
    defaultCooldown: input.int("DefaultCooldown", COOLDOWN),
    activeScalingConfigurationId: activeId,
    removalPolicies: removalPolicies(ctx),
    vswitchIds: vswitchIds.length > 0 ? vswitchIds : undefined,
    multiAzPolicy: input.oneOf("MultiAZPolicy", MULTI_AZ_POLICIES),
    healthCheckType: input.oneOf("HealthCheckType", HEALTH_CHECK_TYPES),
    groupDeletionProtection: input.bool("GroupDeletionProtection"),
  });
  checkSizes({ ...row, ...patch });
  await store.groups.update(row.id, patch);
  return {};
};

const deleteScalingGroup: Handler = async (ctx) => {
  const row = await groupInRegion(ctx, ctx.input.required("ScalingGroupId"));
  if (row.groupDeletionProtection) throw incorrectState("IncorrectScalingGroupStatus", "Deletion protection is enabled for the scaling group.");
  ctx.input.bool("ForceDelete");
  // Configurations, rules, hooks, tags and the tasks bound to the group go with it (ON DELETE CASCADE).
  await ctx.store.groups.remove(row.id);
  return {};
};

const enableScalingGroup: Handler = async (ctx) => {
  const { input, store } = ctx;
  const row = await groupInRegion(ctx, input.required("ScalingGroupId"));
  const requested = input.string("ActiveScalingConfigurationId");
  if (requested !== undefined && (await store.configurations.get(requested))?.groupId !== row.id) throw notFound("ScalingConfiguration", requested);
  const active = requested ?? row.activeScalingConfigurationId ?? (await store.configurations.where({ groupId: row.id }))[0]?.id;
  if (active === undefined) throw incorrectState("IncorrectScalingGroupStatus", "The scaling group has no scaling configuration to activate.");
  await store.groups.update(row.id, { lifecycleState: "Active", activeScalingConfigurationId: active });
  return {};
};

const disableScalingGroup: Handler = async (ctx) => {
  const row = await groupInRegion(ctx, ctx.input.required("ScalingGroupId"));
  await ctx.store.groups.update(row.id, { lifecycleState: "Inactive" });
  return {};
};

function checkResourceType(ctx: OperationContext): void {
  if (ctx.input.required("ResourceType").toLowerCase() !== "scalinggroup") throw EssHttpError.invalid("ResourceType", "Only scalinggroup is supported.");
}

/** The groups named by `ResourceId.N` / `ResourceIds.N`; every one must exist. */
async function namedGroups(ctx: OperationContext, required: boolean): Promise<ScalingGroupRow[]> {
  const ids = ctx.input.list("ResourceId", "ResourceIds");
  if (required && ids.length === 0) throw EssHttpError.missing(`${ctx.input.name("ResourceId", "ResourceIds")}.N`);
  const groups: ScalingGroupRow[] = [];
  for (const id of ids) groups.push(await groupInRegion(ctx, id));
  return groups;
}

const tagResources: Handler = async (ctx) => {
  checkResourceType(ctx);
  const groups = await namedGroups(ctx, true);
  const tags = ctx.input.tags();
  if (tags.length === 0) throw EssHttpError.missing(`${ctx.input.name("Tag", "Tags")}.N.Key`);
  await ctx.store.transaction(async (tx) => {
    for (const g of groups) await putTags({ ...ctx, store: tx }, g.id, tags);
  });
  return {};
};

const untagResources: Handler = async (ctx) => {
  checkResourceType(ctx);
  const groups = await namedGroups(ctx, true);
  const keys = ctx.input.list("TagKey", "TagKeys");
  keys.forEach((k) => checkTagKey(k, `${ctx.input.name("TagKey", "TagKeys")}.N`));
  const all = ctx.input.bool("All") ?? false;
  if (!all && keys.length === 0) throw EssHttpError.missing(`${ctx.input.name("TagKey", "TagKeys")}.N`);
  await ctx.store.transaction(async (tx) => {
    for (const g of groups) await tx.removeTags(g.id, all ? "all" : keys);
  });
  return {};
};

const LIST_TAGS_PAGE = 50;

const listTagResources: Handler = async (ctx) => {
  const { input, store } = ctx;
  checkResourceType(ctx);
  const ids = input.list("ResourceId", "ResourceIds");
  const filter = input.tags();
  const token = input.string("NextToken");
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isSafeInteger(start) || start < 0) throw EssHttpError.invalid("NextToken");
  const inSql =
    ctx.list &&
    (await pageTagRows(store, ctx.list.residual, {
      regionId: ctx.regionId,
      offset: start,
      limit: LIST_TAGS_PAGE,
      where: carrying([...ctx.list.requestTags, ...filter.map((f) => [f.key, f.value] as const)]),
    }));
  if (inSql) {
    if (start > inSql.total) throw EssHttpError.invalid("NextToken");
    const page = inSql.rows.map((t) => ({ ResourceId: t.groupId, ResourceType: RESOURCE_TYPE_OF_TAGS, TagKey: t.key, TagValue: t.value, Propagate: t.propagate }));
    return { NextToken: start + LIST_TAGS_PAGE < inSql.total ? String(start + LIST_TAGS_PAGE) : undefined, TagResources: listValue(ctx.version, "TagResource", page) };
  }
  const groups = await filterAsync(
    ids.length > 0 ? await rowsOf(store.groups, ids) : await store.groups.where({ regionId: ctx.regionId }),
    (g) => g.regionId === ctx.regionId && ctx.visibility.sees(g.id),
  );
  const rows: Record<string, unknown>[] = [];
  for (const g of groups) {
    const tags = await store.tags(g.id);
    if (!filter.every((f) => tags.some((t) => t.key === f.key && t.value === f.value))) continue;
    rows.push(...tags.map((t) => ({ ResourceId: g.id, ResourceType: RESOURCE_TYPE_OF_TAGS, TagKey: t.key, TagValue: t.value, Propagate: t.propagate })));
  }
  if (start > rows.length) throw EssHttpError.invalid("NextToken");
  const next = start + LIST_TAGS_PAGE < rows.length ? String(start + LIST_TAGS_PAGE) : undefined;
  return { NextToken: next, TagResources: listValue(ctx.version, "TagResource", rows.slice(start, start + LIST_TAGS_PAGE)) };
};

export const GROUP_HANDLERS: Readonly<Record<string, Handler>> = {
  CreateScalingGroup: createScalingGroup,
  DescribeScalingGroups: describeScalingGroups,
  ModifyScalingGroup: modifyScalingGroup,
  DeleteScalingGroup: deleteScalingGroup,
  EnableScalingGroup: enableScalingGroup,
  DisableScalingGroup: disableScalingGroup,
  TagResources: tagResources,
  UntagResources: untagResources,
  ListTagResources: listTagResources,
};
