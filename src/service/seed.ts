/**
 * Seeds the store from a resource document in the `store` form of request files (schema/request.schema.json),
 * e.g. the scenario groups `asg-bp17np35ywjwh2cx0001` and `asg-bp1c5pl2qc6ozgb10002`. Objects whose ids
 * already exist are left alone, so seeding at every start is harmless.
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { ruleAri } from "./operations/children.js";
import { nowIso, storableGroupId, type Store } from "./store.js";

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
export async function seedFromFile(store: Store, file: string, account: string): Promise<void> {
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
  await seed(store, value, account);
}

/**
 * Inserts what is missing, in one transaction, one replica at a time (replicas starting together seed once).
 * Children get plain defaults; only their ids and owners matter.
 */
export async function seed(root: Store, doc: SeedDocument, account: string): Promise<void> {
  const at = nowIso();
  const missing = async (table: { get(id: string): Promise<unknown> }, id: string): Promise<boolean> => (await table.get(id)) === undefined;
  await root.seeding(async (store) => {
    for (const g of doc.scalingGroups ?? []) {
      const groupId = g.ScalingGroupId;
      try {
        storableGroupId(groupId);
      } catch (e) {
        throw new SeedError(`scalingGroups: ${(e as Error).message}`);
      }
      const regionId = g.RegionId;
      if (await missing(store.groups, groupId)) {
        await store.groups.insert({
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
        await store.putTags(groupId, Object.entries(g.Tags ?? {}).map(([key, value]) => ({ key, value, propagate: false })));
      }
      const owned = { groupId, regionId, creationTime: at };
      for (const id of g.ScalingConfigurationIds ?? []) {
        if (await missing(store.configurations, id)) await store.configurations.insert({ id, ...owned, name: id, imageId: "seed-image", instanceTypes: ["ecs.g6.large"], securityGroupIds: [] });
      }
      for (const id of g.ScalingRuleIds ?? []) {
        if (await missing(store.rules, id)) {
          await store.rules.insert({ id, ...owned, ari: ruleAri(regionId, account, id), name: id, ruleType: "SimpleScalingRule", adjustmentType: "QuantityChangeInCapacity", adjustmentValue: 1 });
        }
      }
      for (const id of g.LifecycleHookIds ?? []) {
        if (await missing(store.lifecycleHooks, id)) await store.lifecycleHooks.insert({ id, ...owned, name: id, lifecycleTransition: "SCALE_OUT", defaultResult: "CONTINUE", heartbeatTimeout: 600 });
      }
      for (const id of g.ScheduledTaskIds ?? []) await seedTask(store, id, regionId, groupId, at);
      for (const id of g.AlarmTaskIds ?? []) await seedAlarm(store, id, regionId, groupId, at);
      for (const id of g.ScalingActivityIds ?? []) {
        if (await missing(store.activities, id)) await store.activities.insert({ id, groupId, regionId, description: "seeded", statusCode: "Successful", startTime: at });
      }
    }
    // Unbound tasks have no group to take a region from: they live in the first seeded group's region.
    const region = doc.scalingGroups?.[0]?.RegionId ?? "cn-hangzhou";
    for (const id of doc.unboundScheduledTaskIds ?? []) await seedTask(store, id, region, undefined, at);
    for (const id of doc.unboundAlarmTaskIds ?? []) await seedAlarm(store, id, region, undefined, at);
  });
}

async function seedTask(store: Store, id: string, regionId: string, groupId: string | undefined, at: string): Promise<void> {
  if (await store.scheduledTasks.get(id)) return;
  await store.scheduledTasks.insert({ id, regionId, name: id, ...(groupId ? { groupId } : {}), launchTime: "2030-01-01T00:00Z", taskEnabled: true, creationTime: at });
}

async function seedAlarm(store: Store, id: string, regionId: string, groupId: string | undefined, at: string): Promise<void> {
  if (await store.alarms.get(id)) return;
  await store.alarms.insert({
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
