/**
 * Seeds the store from a resource document in the `store` form of request files (schema/request.schema.json),
 * e.g. the scenario groups `asg-bp17np35ywjwh2cx0001` and `asg-bp1c5pl2qc6ozgb10002`. Objects whose ids
 * already exist are left alone, so seeding at every start is harmless.
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { ruleAri } from "./operations/children.js";
import { nowIso, type SqliteStore } from "./store.js";

interface SeedGroup {
  ScalingGroupId: string;
  RegionId: string;
  ResourceGroupId?: string;
  Tags?: Record<string, string>;
  ScalingConfigurationIds?: string[];
  ScalingRuleIds?: string[];
  AlarmTaskIds?: string[];
  LifecycleHookIds?: string[];
  ScheduledTaskIds?: string[];
  ScalingActivityIds?: string[];
}

interface SeedDocument {
  scalingGroups?: SeedGroup[];
  unboundScheduledTaskIds?: string[];
  unboundAlarmTaskIds?: string[];
}

const SCHEMA_URL = new URL("../../schema/request.schema.json", import.meta.url);

export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SeedError";
  }
}

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(JSON.parse(readFileSync(SCHEMA_URL, "utf8")) as object, "request");
  return ajv.compile<SeedDocument>({ $ref: "request#/definitions/store" });
}

/** Seeds from a file; throws `SeedError` naming the problem. */
export function seedFromFile(store: SqliteStore, file: string, account: string): void {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new SeedError(`${file}: ${(e as Error).message}`);
  }
  const validate = validator();
  if (!validate(value)) {
    throw new SeedError((validate.errors ?? []).map((e) => `${file}: ${e.instancePath || "/"} ${e.message ?? "is invalid"}`).join("\n"));
  }
  seed(store, value, account);
}

/** Inserts what is missing, in one transaction. Children get plain defaults; only their ids and owners matter. */
export function seed(store: SqliteStore, doc: SeedDocument, account: string): void {
  const at = nowIso();
  const missing = (table: { get(id: string): unknown }, id: string): boolean => table.get(id) === undefined;
  store.transaction(() => {
    for (const g of doc.scalingGroups ?? []) {
      const groupId = g.ScalingGroupId;
      const regionId = g.RegionId;
      if (missing(store.groups, groupId)) {
        store.groups.insert({
          id: groupId,
          regionId,
          name: groupId,
          ...(g.ResourceGroupId ? { resourceGroupId: g.ResourceGroupId } : {}),
          lifecycleState: "Inactive",
          minSize: 0,
          maxSize: 10,
          defaultCooldown: 300,
          removalPolicies: ["OldestScalingConfiguration", "OldestInstance"],
          vswitchIds: [],
          multiAzPolicy: "PRIORITY",
          healthCheckType: "ECS",
          groupDeletionProtection: false,
          creationTime: at,
        });
        store.putTags(groupId, Object.entries(g.Tags ?? {}).map(([key, value]) => ({ key, value, propagate: false })));
      }
      const owned = { groupId, regionId, creationTime: at };
      for (const id of g.ScalingConfigurationIds ?? []) {
        if (missing(store.configurations, id)) store.configurations.insert({ id, ...owned, name: id, imageId: "seed-image", instanceTypes: ["ecs.g6.large"], securityGroupIds: [] });
      }
      for (const id of g.ScalingRuleIds ?? []) {
        if (missing(store.rules, id)) {
          store.rules.insert({ id, ...owned, ari: ruleAri(regionId, account, id), name: id, ruleType: "SimpleScalingRule", adjustmentType: "QuantityChangeInCapacity", adjustmentValue: 1 });
        }
      }
      for (const id of g.LifecycleHookIds ?? []) {
        if (missing(store.lifecycleHooks, id)) store.lifecycleHooks.insert({ id, ...owned, name: id, lifecycleTransition: "SCALE_OUT", defaultResult: "CONTINUE", heartbeatTimeout: 600 });
      }
      for (const id of g.ScheduledTaskIds ?? []) seedTask(store, id, regionId, groupId, at);
      for (const id of g.AlarmTaskIds ?? []) seedAlarm(store, id, regionId, groupId, at);
      for (const id of g.ScalingActivityIds ?? []) {
        if (missing(store.activities, id)) store.activities.insert({ id, groupId, regionId, description: "seeded", statusCode: "Successful", startTime: at });
      }
    }
    // Unbound tasks have no group to take a region from: they live in the first seeded group's region.
    const region = doc.scalingGroups?.[0]?.RegionId ?? "cn-hangzhou";
    for (const id of doc.unboundScheduledTaskIds ?? []) seedTask(store, id, region, undefined, at);
    for (const id of doc.unboundAlarmTaskIds ?? []) seedAlarm(store, id, region, undefined, at);
  });
}

function seedTask(store: SqliteStore, id: string, regionId: string, groupId: string | undefined, at: string): void {
  if (store.scheduledTasks.get(id)) return;
  store.scheduledTasks.insert({ id, regionId, name: id, ...(groupId ? { groupId } : {}), launchTime: "2030-01-01T00:00Z", taskEnabled: true, creationTime: at });
}

function seedAlarm(store: SqliteStore, id: string, regionId: string, groupId: string | undefined, at: string): void {
  if (store.alarms.get(id)) return;
  store.alarms.insert({
    id,
    regionId,
    name: id,
    ...(groupId ? { groupId } : {}),
    metricType: "system",
    metricName: "CpuUtilization",
    period: 300,
    statistics: "Average",
    comparisonOperator: ">=",
    threshold: 80,
    evaluationCount: 3,
    alarmActions: [],
    enable: true,
    state: "INSUFFICIENT_DATA",
    creationTime: at,
  });
}
