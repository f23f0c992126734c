/** The store the list benches seed: group `i` of a region of groups with tags in case variants. */
import type { Store } from "../src/service/store.js";

export const REGION = "cn-hangzhou";

const TAG_SETS = [
  [["team", "game1"], ["environment", "test"]],
  [["Team", "game1"], ["environment", "test"], ["TEAM", "game2"]],
  [["team", "game2"], ["environment", "dev"]],
  [["owner", "ops"]],
] as const;

/** Inserts group `i` (90% in REGION, one a second, every fifth in a resource group) with its tags; its id. */
export async function insertGroup(store: Store, i: number): Promise<string> {
  const id = `asg-${String(i).padStart(20, "0")}`;
  await store.groups.insert({
    id, regionId: i % 10 === 9 ? "cn-beijing" : REGION, name: `g${i}`, lifecycleState: "Active", minSize: 0, maxSize: 1,
    defaultCooldown: 300, removalPolicies: [], vswitchIds: [], multiAzPolicy: "PRIORITY", healthCheckType: "ECS",
    groupDeletionProtection: false, creationTime: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    ...(i % 5 === 0 ? { resourceGroupId: "rg-a" } : {}),
  });
  await store.putTags(id, TAG_SETS[i % TAG_SETS.length]!.map(([key, value]) => ({ key, value, propagate: false })));
  return id;
}
