import type { ChildKind, ChildResolution, ChildResolver, GroupInfo, GroupSource } from "./types.js";

/**
 * An in-memory GroupSource and ChildResolver built from the `store` object of a request file
 * (schema/request.schema.json):
 *
 *   { "scalingGroups": [ { "ScalingGroupId", "RegionId", "Tags": {k: v}, "ResourceGroupId"?,
 *                          "ScalingConfigurationIds": [], "ScalingRuleIds": [], "AlarmTaskIds": [],
 *                          "LifecycleHookIds": [], "ScheduledTaskIds": [], "ScalingActivityIds": [],
 *                          "InstanceIds": [], "DiagnoseReportIds": [] } ],
 *     "unboundScheduledTaskIds": [], "unboundAlarmTaskIds": [] }
 *
 * Every list is optional. Lookups go through Maps: `__proto__` and `constructor` are ordinary ids here.
 */
export interface MemoryStore {
  readonly groups: GroupSource;
  readonly resolver: ChildResolver;
}

/** A store document that does not have the expected shape; the message names the offending field. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreError";
  }
}

/** The child-id lists of a stored group, and the kind of child each holds. */
const CHILD_LISTS: readonly (readonly [field: string, kind: ChildKind])[] = [
  ["ScalingConfigurationIds", "ScalingConfiguration"],
  ["ScalingRuleIds", "ScalingRule"],
  ["AlarmTaskIds", "AlarmTask"],
  ["LifecycleHookIds", "LifecycleHook"],
  ["ScheduledTaskIds", "ScheduledTask"],
  ["ScalingActivityIds", "ScalingActivity"],
  ["InstanceIds", "Instance"],
  ["DiagnoseReportIds", "DiagnoseReport"],
];

const UNBOUND_LISTS: readonly (readonly [field: string, kind: ChildKind])[] = [
  ["unboundScheduledTaskIds", "ScheduledTask"],
  ["unboundAlarmTaskIds", "AlarmTask"],
];

const GROUP_FIELDS = ["ScalingGroupId", "RegionId", "Tags", "ResourceGroupId", ...CHILD_LISTS.map(([f]) => f)];
const STORE_FIELDS = ["scalingGroups", ...UNBOUND_LISTS.map(([f]) => f)];

type Fields = ReadonlyMap<string, unknown>;

/** The own fields of a JSON object, refusing any field not in `allowed` (a typo must not drop data silently). */
function objectAt(value: unknown, path: string, allowed?: readonly string[]): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new StoreError(`${path}: expected an object`);
  const fields = new Map(Object.entries(value));
  for (const key of fields.keys()) {
    if (allowed && !allowed.includes(key)) throw new StoreError(`${path}.${key}: unknown field (expected one of ${allowed.join(", ")})`);
  }
  return fields;
}

function stringAt(value: unknown, path: string): string {
  if (typeof value !== "string" || value === "") throw new StoreError(`${path}: expected a non-empty string`);
  return value;
}

function idsAt(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new StoreError(`${path}: expected an array of ids`);
  return value.map((id, i) => stringAt(id, `${path}[${i}]`));
}

function tagsAt(value: unknown, path: string): [string, string][] {
  if (value === undefined) return [];
  return [...objectAt(value, path)].map(([key, v]): [string, string] => {
    if (typeof v !== "string") throw new StoreError(`${path}.${key}: expected a string tag value`);
    return [key, v];
  });
}

type Owner = { readonly group: GroupInfo } | "unbound";

const NOT_FOUND: ChildResolution = { kind: "notFound" };
const UNBOUND: ChildResolution = { kind: "unbound" };

/** Validates a store document and indexes it. Throws StoreError naming the first bad field. */
export function storeFromJson(value: unknown): MemoryStore {
  const doc = objectAt(value ?? {}, "store", STORE_FIELDS);
  const groupsByRegion = new Map<string, Map<string, GroupInfo>>();
  const owners = new Map<ChildKind, Map<string, Owner>>();

  const own = (kind: ChildKind, id: string, owner: Owner, path: string): void => {
    const ids = owners.get(kind) ?? new Map<string, Owner>();
    if (ids.has(id)) throw new StoreError(`${path}: ${kind} ${id} is listed more than once, so its owner is ambiguous`);
    ids.set(id, owner);
    owners.set(kind, ids);
  };

  const groups = doc.get("scalingGroups") ?? [];
  if (!Array.isArray(groups)) throw new StoreError("store.scalingGroups: expected an array");
  groups.forEach((raw: unknown, i) => {
    const path = `store.scalingGroups[${i}]`;
    const fields = objectAt(raw, path, GROUP_FIELDS);
    const resourceGroupId = fields.get("ResourceGroupId");
    const group: GroupInfo = {
      scalingGroupId: stringAt(fields.get("ScalingGroupId"), `${path}.ScalingGroupId`),
      regionId: stringAt(fields.get("RegionId"), `${path}.RegionId`),
      tags: tagsAt(fields.get("Tags"), `${path}.Tags`),
      ...(resourceGroupId === undefined ? {} : { resourceGroupId: stringAt(resourceGroupId, `${path}.ResourceGroupId`) }),
    };
    const region = groupsByRegion.get(group.regionId) ?? new Map<string, GroupInfo>();
    if (region.has(group.scalingGroupId)) throw new StoreError(`${path}.ScalingGroupId: ${group.scalingGroupId} is listed twice in ${group.regionId}`);
    region.set(group.scalingGroupId, group);
    groupsByRegion.set(group.regionId, region);
    for (const [field, kind] of CHILD_LISTS) {
      idsAt(fields.get(field), `${path}.${field}`).forEach((id, j) => own(kind, id, { group }, `${path}.${field}[${j}]`));
    }
  });
  for (const [field, kind] of UNBOUND_LISTS) {
    idsAt(doc.get(field), `store.${field}`).forEach((id, j) => own(kind, id, "unbound", `store.${field}[${j}]`));
  }

  return {
    groups: {
      getGroup: (scalingGroupId, regionId) => groupsByRegion.get(regionId)?.get(scalingGroupId),
      listGroups: (regionId) => [...(groupsByRegion.get(regionId)?.values() ?? [])],
    },
    resolver: {
      resolve(kind, id, regionId) {
        const owner = owners.get(kind)?.get(id);
        if (owner === undefined) return NOT_FOUND;
        if (owner === "unbound") return UNBOUND;
        // A child of a group in another region is not visible from this one.
        return owner.group.regionId === regionId ? { kind: "group", scalingGroupId: owner.group.scalingGroupId } : NOT_FOUND;
      },
    },
  };
}
