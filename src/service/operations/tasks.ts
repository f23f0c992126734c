/**
 * Scheduled tasks and alarm tasks. Either may be bound to a scaling group or to none; unbound ones are
 * authorized on `*` (docs/semantics.md §5) and are visible to a list call only when `*` was allowed.
 */
import { EssHttpError } from "../../middleware/errors.js";
import { listValue, paged } from "../input.js";
import { newAlarmTaskId, newTaskId, nowIso, type AlarmRow, type ScheduledTaskRow } from "../store.js";
import { groupInRegion } from "./groups.js";
import type { RegionList } from "../../ess/types.js";
import type { SqlClause, TaskTable } from "../list.js";
import { CAPACITY, checkName, filterAsync, defined, duplicateName, equal, inList, inRegion, nameTaken, pagedInSql, rowsIn, rowsOf, type Handler, type OperationContext } from "./context.js";

/**
 * A whole-region list of tasks, paged in SQL: those of the groups the residual allows, and those bound to no group
 * when the call was allowed on `*`, as `Visibility.sees` decides them one by one. (These calls carry no tag
 * filter, so the request tags `pagedInSql` requires of groups never leave an unbound task out.)
 */
async function pagedTasksInSql(ctx: OperationContext, list: RegionList, where: readonly SqlClause[], table: TaskTable) {
  return pagedInSql(ctx, list, where, table, await ctx.visibility.sees(undefined));
}

// ---- scheduled tasks ----

const RECURRENCE_TYPES = ["Daily", "Weekly", "Monthly", "Cron"] as const;

/**
 * Where a task points: `ScheduledAction` (a rule ARI: the rule's group) or `ScalingGroupId`, never both.
 * Returns undefined when the request names neither.
 */
async function taskTarget(ctx: OperationContext): Promise<{ groupId?: string; scheduledAction?: string } | undefined> {
  const action = ctx.input.string("ScheduledAction");
  const groupId = ctx.input.string("ScalingGroupId");
  if (action !== undefined && groupId !== undefined) throw EssHttpError.invalid("ScheduledAction", "Give ScheduledAction or ScalingGroupId, not both.");
  if (action !== undefined) {
    const rule = await inRegion(ctx, "ScalingRule", action, (await ctx.store.rules.where({ ari: action }))[0]);
    return { groupId: rule.groupId, scheduledAction: action };
  }
  if (groupId !== undefined) return { groupId: (await groupInRegion(ctx, groupId)).id };
  return undefined;
}

function taskFields(ctx: OperationContext) {
  const { input } = ctx;
  return {
    description: input.string("Description"),
    launchTime: input.time("LaunchTime"),
    launchExpirationTime: input.int("LaunchExpirationTime", { min: 0, max: 1440 }),
    recurrenceType: input.oneOf("RecurrenceType", RECURRENCE_TYPES),
    recurrenceValue: input.string("RecurrenceValue"),
    recurrenceEndTime: input.time("RecurrenceEndTime"),
    taskEnabled: input.bool("TaskEnabled"),
    minValue: input.int("MinValue", CAPACITY),
    maxValue: input.int("MaxValue", CAPACITY),
    desiredCapacity: input.int("DesiredCapacity", CAPACITY),
  };
}

function checkTask(task: Partial<ScheduledTaskRow>): void {
  if (task.minValue !== undefined && task.maxValue !== undefined && task.minValue > task.maxValue) {
    throw EssHttpError.invalid("MinValue", "MinValue must not exceed MaxValue.");
  }
}

function taskView(row: ScheduledTaskRow): Record<string, unknown> {
  return {
    ScheduledTaskId: row.id,
    ScheduledTaskName: row.name,
    TaskName: row.name,
    Description: row.description,
    ScheduledAction: row.scheduledAction,
    ScalingGroupId: row.groupId,
    LaunchTime: row.launchTime,
    LaunchExpirationTime: row.launchExpirationTime,
    RecurrenceType: row.recurrenceType,
    RecurrenceValue: row.recurrenceValue,
    RecurrenceEndTime: row.recurrenceEndTime,
    TaskEnabled: row.taskEnabled,
    MinValue: row.minValue,
    MaxValue: row.maxValue,
    DesiredCapacity: row.desiredCapacity,
  };
}

const createScheduledTask: Handler = async (ctx) => {
  const { input, store } = ctx;
  const id = newTaskId();
  const name = checkName("ScheduledTaskName", input.string("ScheduledTaskName") ?? input.string("TaskName")) ?? id;
  if (await nameTaken(store.scheduledTasks, { regionId: ctx.regionId }, name)) throw duplicateName("ScheduledTask", name);
  const fields = taskFields(ctx);
  if (fields.launchTime === undefined) throw EssHttpError.missing("LaunchTime");
  const row: ScheduledTaskRow = {
    id,
    regionId: ctx.regionId,
    name,
    ...defined({ ...(await taskTarget(ctx)), ...fields }),
    launchTime: fields.launchTime,
    taskEnabled: fields.taskEnabled ?? true,
    creationTime: nowIso(),
  };
  checkTask(row);
  await store.scheduledTasks.insert(row);
  return { ScheduledTaskId: id };
};

const describeScheduledTasks: Handler = async (ctx) => {
  const { input, store } = ctx;
  const groupId = input.string("ScalingGroupId");
  const ids = new Set(input.list("ScheduledTaskId", "ScheduledTaskIds"));
  const actions = new Set(input.list("ScheduledAction", "ScheduledActions"));
  const names = new Set(input.list("ScheduledTaskName", "ScheduledTaskNames"));
  const taskName = input.string("TaskName");
  const enabled = input.bool("TaskEnabled");
  if (ctx.list) {
    const where = [
      ...equal("c.group_id", groupId),
      ...inList("c.id", ids),
      ...inList("c.scheduled_action", actions),
      ...inList("c.name", names),
      ...equal("c.name", taskName),
      ...equal("c.task_enabled", enabled),
    ];
    const { ids: page, fields } = await pagedTasksInSql(ctx, ctx.list, where, "scheduled_tasks");
    return { ...fields, ScheduledTasks: listValue(ctx.version, "ScheduledTask", (await rowsOf(store.scheduledTasks, page)).map(taskView)) };
  }
  const rows = await filterAsync(
    await rowsIn(store.scheduledTasks, { regionId: ctx.regionId, ...defined({ groupId, taskEnabled: enabled }) }, ids),
    async (t) =>
      (actions.size === 0 || (t.scheduledAction !== undefined && actions.has(t.scheduledAction))) &&
      (names.size === 0 || names.has(t.name)) &&
      (taskName === undefined || t.name === taskName) &&
      ctx.visibility.sees(t.groupId),
  );
  const { page, fields } = paged(input, rows);
  return { ...fields, ScheduledTasks: listValue(ctx.version, "ScheduledTask", page.map(taskView)) };
};

/** Giving `ScheduledAction` or `ScalingGroupId` re-targets the task (both old and new target were authorized). */
const modifyScheduledTask: Handler = async (ctx) => {
  const { input, store } = ctx;
  const id = input.required("ScheduledTaskId");
  const row = await inRegion(ctx, "ScheduledTask", id, await store.scheduledTasks.get(id));
  const name = checkName("ScheduledTaskName", input.string("ScheduledTaskName") ?? input.string("TaskName"));
  if (name !== undefined && await nameTaken(store.scheduledTasks, { regionId: ctx.regionId }, name, id)) throw duplicateName("ScheduledTask", name);
  const target = await taskTarget(ctx);
  const patch = {
    ...defined({ name, ...taskFields(ctx) }),
    ...(target ? { groupId: target.groupId, scheduledAction: target.scheduledAction } : {}),
  };
  checkTask({ ...row, ...patch });
  await store.scheduledTasks.update(id, patch);
  return {};
};

const deleteScheduledTask: Handler = async (ctx) => {
  const id = ctx.input.required("ScheduledTaskId");
  await inRegion(ctx, "ScheduledTask", id, await ctx.store.scheduledTasks.get(id));
  await ctx.store.scheduledTasks.remove(id);
  return {};
};

// ---- alarm tasks ----

const METRIC_TYPES = ["system", "custom"] as const;
const STATISTICS = ["Average", "Minimum", "Maximum"] as const;
const COMPARISONS = [">=", "<=", ">", "<"] as const;
const PERIODS = [15, 60, 120, 300, 900];

/**
 * `AlarmAction.N` / `AlarmActions.N`: rule ARIs the alarm executes. They must be rules of the alarm's own group:
 * an alarm authorized on one group must not execute the rules of another (nor may an unbound alarm, on `*`).
 */
async function alarmActions(ctx: OperationContext, groupId: string | undefined): Promise<string[] | undefined> {
  const param = `${ctx.input.name("AlarmAction", "AlarmActions")}.N`;
  const actions = ctx.input.list("AlarmAction", "AlarmActions");
  if (actions.length === 0) return undefined;
  for (const ari of actions) {
    const rule = (await ctx.store.rules.where({ ari }))[0];
    if (!rule || groupId === undefined || rule.groupId !== groupId) {
      throw EssHttpError.invalid(param, `${ari} is not a scaling rule of the alarm's scaling group.`);
    }
  }
  return actions;
}

function alarmFields(ctx: OperationContext) {
  const { input } = ctx;
  const period = input.int("Period", { min: 15, max: 900 });
  if (period !== undefined && !PERIODS.includes(period)) throw EssHttpError.invalid("Period", `Expected one of ${PERIODS.join(", ")}.`);
  return {
    name: checkName("Name", input.string("Name")),
    description: input.string("Description"),
    metricType: input.oneOf("MetricType", METRIC_TYPES),
    metricName: input.string("MetricName"),
    period,
    statistics: input.oneOf("Statistics", STATISTICS),
    comparisonOperator: input.oneOf("ComparisonOperator", COMPARISONS),
    threshold: input.number("Threshold"),
    evaluationCount: input.int("EvaluationCount", { min: 1, max: 100 }),
  };
}

function alarmView(ctx: OperationContext, row: AlarmRow): Record<string, unknown> {
  return {
    AlarmTaskId: row.id,
    Name: row.name,
    Description: row.description,
    MetricType: row.metricType,
    MetricName: row.metricName,
    Period: row.period,
    Statistics: row.statistics,
    ComparisonOperator: row.comparisonOperator,
    Threshold: row.threshold,
    EvaluationCount: row.evaluationCount,
    State: row.state,
    Enable: row.enable,
    ScalingGroupId: row.groupId,
    AlarmActions: listValue(ctx.version, "AlarmAction", row.alarmActions),
  };
}

const createAlarm: Handler = async (ctx) => {
  const { input, store } = ctx;
  const groupIdParam = input.string("ScalingGroupId");
  const groupId = groupIdParam === undefined ? undefined : (await groupInRegion(ctx, groupIdParam)).id;
  const fields = alarmFields(ctx);
  if (fields.metricName === undefined) throw EssHttpError.missing("MetricName");
  if (fields.threshold === undefined) throw EssHttpError.missing("Threshold");
  const id = newAlarmTaskId(groupId);
  await store.alarms.insert({
    id,
    regionId: ctx.regionId,
    name: fields.name ?? id,
    ...defined({ groupId, description: fields.description }),
    metricType: fields.metricType ?? "system",
    metricName: fields.metricName,
    period: fields.period ?? 300,
    statistics: fields.statistics ?? "Average",
    comparisonOperator: fields.comparisonOperator ?? ">=",
    threshold: fields.threshold,
    evaluationCount: fields.evaluationCount ?? 3,
    alarmActions: (await alarmActions(ctx, groupId)) ?? [],
    enable: true,
    state: "INSUFFICIENT_DATA",
    creationTime: nowIso(),
  });
  return { AlarmTaskId: id };
};

const describeAlarms: Handler = async (ctx) => {
  const { input, store } = ctx;
  const groupId = input.string("ScalingGroupId");
  const id = input.string("AlarmTaskId");
  const filters = defined({
    groupId,
    id,
    metricType: input.oneOf("MetricType", METRIC_TYPES),
    metricName: input.string("MetricName"),
    enable: input.bool("IsEnable"),
    state: input.oneOf("State", ["ALARM", "OK", "INSUFFICIENT_DATA"] as const),
  });
  if (ctx.list) {
    const where = [
      ...equal("c.group_id", filters.groupId),
      ...equal("c.id", filters.id),
      ...equal("c.metric_type", filters.metricType),
      ...equal("c.metric_name", filters.metricName),
      ...equal("c.enable", filters.enable),
      ...equal("c.state", filters.state),
    ];
    const { ids: page, fields } = await pagedTasksInSql(ctx, ctx.list, where, "alarms");
    return { ...fields, AlarmList: listValue(ctx.version, "Alarm", (await rowsOf(store.alarms, page)).map((a) => alarmView(ctx, a))) };
  }
  const rows = await filterAsync(await store.alarms.where({ regionId: ctx.regionId, ...filters }), (a) => ctx.visibility.sees(a.groupId));
  const { page, fields } = paged(input, rows);
  return { ...fields, AlarmList: listValue(ctx.version, "Alarm", page.map((a) => alarmView(ctx, a))) };
};

async function alarmAt(ctx: OperationContext): Promise<AlarmRow> {
  const id = ctx.input.required("AlarmTaskId");
  return await inRegion(ctx, "AlarmTask", id, await ctx.store.alarms.get(id));
}

const modifyAlarm: Handler = async (ctx) => {
  const row = await alarmAt(ctx);
  await ctx.store.alarms.update(row.id, defined({ ...alarmFields(ctx), alarmActions: await alarmActions(ctx, row.groupId) }));
  return {};
};

const switchAlarm =
  (enable: boolean): Handler =>
  async (ctx) => {
    await ctx.store.alarms.update((await alarmAt(ctx)).id, { enable });
    return {};
  };

const deleteAlarm: Handler = async (ctx) => {
  await ctx.store.alarms.remove((await alarmAt(ctx)).id);
  return {};
};

export const TASK_HANDLERS: Readonly<Record<string, Handler>> = {
  CreateScheduledTask: createScheduledTask,
  DescribeScheduledTasks: describeScheduledTasks,
  ModifyScheduledTask: modifyScheduledTask,
  DeleteScheduledTask: deleteScheduledTask,
  CreateAlarm: createAlarm,
  DescribeAlarms: describeAlarms,
  ModifyAlarm: modifyAlarm,
  EnableAlarm: switchAlarm(true),
  DisableAlarm: switchAlarm(false),
  DeleteAlarm: deleteAlarm,
};
