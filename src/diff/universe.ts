import type { Policy } from "../policy/ast.js";
import { OPERATIONS } from "../ess/catalog.js";
import { StoreError, storeFromJson } from "../ess/store.js";
import { API_VERSIONS, type ChildKind, type EssOperation, type WireParams } from "../ess/types.js";
import type { RequestFile } from "../ess/decide.js";
import { isEssId, isRegionId } from "../ess/params.js";
import { UNBINDABLE } from "../ess/request.js";
import { arnMentions, conditionAssignments, type Assignment } from "./mentions.js";

/**
 * The requests the semantic diff decides: every ESS operation of the catalog against representative resources
 * (the regions, accounts and scaling groups the policies name, a fresh group, the groups of a store snapshot)
 * and condition-key values (tags as request or resource tags, global keys). Each cell is a complete request
 * file, so that `ess-authz eval` decides it exactly as the diff did.
 */

export type Tag = readonly [key: string, value: string];

/** What a request is authorized against: a scaling group, `scalinggroup/*` (create), `*`, or `*` for a task bound to no group. */
export type TargetKind = "group" | "create" | "all" | "unbound";

export interface Cell {
  readonly operation: string;
  readonly target: TargetKind;
  readonly region: string;
  readonly account: string;
  readonly scalingGroupId?: string;
  /** The target group's tags; undefined when the request targets no group. */
  readonly resourceTags?: readonly Tag[];
  readonly requestTags: readonly Tag[];
  readonly context: Readonly<Record<string, string>>;
  readonly request: RequestFile;
}

export interface Universe {
  readonly cells: readonly Cell[];
  readonly operations: number;
  readonly regions: readonly string[];
  readonly accounts: readonly string[];
  readonly scalingGroups: readonly string[];
  /** Condition-key combinations tried (before each operation keeps the keys it can carry). */
  readonly conditionSets: number;
  /** What was left out to keep the universe bounded, in words; empty when nothing was. */
  readonly capped: readonly string[];
}

export interface UniverseOptions {
  /** A store document (the `store` of a request file): its groups are decided too, with their real tags. */
  readonly snapshot?: unknown;
}

const LIMITS = { regions: 4, accounts: 3, groupIds: 6, conditionSets: 64, cells: 40_000 } as const;

/** A scaling group to target: synthetic ones take their tags from the condition set, snapshot ones keep theirs. */
export interface GroupSpec {
  readonly id: string;
  readonly region: string;
  readonly account: string;
  readonly tags?: readonly Tag[];
  readonly resourceGroupId?: string;
}

/** Child ids are made up per group; the prefix says what they are (`asr-of-asg-…` is a scaling rule of asg-…). */
const CHILD_PREFIX: Readonly<Record<ChildKind, string>> = {
  ScalingConfiguration: "asc",
  ScalingRule: "asr",
  AlarmTask: "alarm",
  LifecycleHook: "ash",
  ScheduledTask: "task",
  ScalingActivity: "asa",
  Instance: "i",
  DiagnoseReport: "report",
};

/** The newest API version that has the operation: one wire form per operation is enough for authorization. */
export function wireOf(op: EssOperation): { version: string; wire: WireParams } {
  const version = API_VERSIONS.filter((v) => op.wire[v]).at(-1)!;
  return { version, wire: op.wire[version]! };
}

function limited<T>(what: string, values: readonly T[], limit: number, notes: string[]): T[] {
  if (values.length > limit) notes.push(`${what}: ${limit} of ${values.length}`);
  return values.slice(0, limit);
}

function snapshotGroups(snapshot: unknown, accounts: readonly string[]): GroupSpec[] {
  storeFromJson(snapshot); // validates the shape: throws StoreError naming the bad field
  const groups = ((snapshot as { scalingGroups?: unknown[] } | undefined)?.scalingGroups ?? []) as {
    ScalingGroupId: string;
    RegionId: string;
    Tags?: Record<string, string>;
    ResourceGroupId?: string;
  }[];
  // A request can only name groups by ids and regions ESS accepts; the store itself does not check them.
  groups.forEach((g, i) => {
    if (!isEssId(g.ScalingGroupId)) throw new StoreError(`store.scalingGroups[${i}].ScalingGroupId: not a valid ESS id`);
    if (!isRegionId(g.RegionId)) throw new StoreError(`store.scalingGroups[${i}].RegionId: not a valid region id`);
  });
  return groups.flatMap((g) =>
    accounts.map((account) => ({
      id: g.ScalingGroupId,
      region: g.RegionId,
      account,
      tags: Object.entries(g.Tags ?? {}),
      ...(g.ResourceGroupId === undefined ? {} : { resourceGroupId: g.ResourceGroupId }),
    })),
  );
}

/** Splits a condition set into what a request of this shape can carry. */
function carried(assignment: Assignment, requestTagsCarried: boolean, onGroup: boolean): { requestTags: Tag[]; resourceTags: Tag[]; context: Record<string, string> } {
  const requestTags: Tag[] = [];
  const resourceTags: Tag[] = [];
  const context: Record<string, string> = {};
  for (const [lower, { key, value }] of assignment) {
    const tagKey = key.slice(key.indexOf("/") + 1);
    if (lower.startsWith("acs:requesttag/")) {
      if (requestTagsCarried) requestTags.push([tagKey, value]);
    } else if (lower.startsWith("acs:resourcetag/")) {
      if (onGroup) resourceTags.push([tagKey, value]);
    } else context[key] = value;
  }
  return { requestTags, resourceTags, context };
}

export interface Shape {
  readonly target: TargetKind;
  readonly region: string;
  readonly account: string;
  readonly group?: GroupSpec;
}

function shapesOf(op: EssOperation, regions: readonly string[], accounts: readonly string[], groups: readonly GroupSpec[]): Shape[] {
  // Authorized on `*`: the region and account are not in the resource, so one of each stands for all.
  const anywhere = { region: regions[0]!, account: accounts[0]! };
  switch (op.resource) {
    case "all":
      return [{ target: "all", ...anywhere }];
    case "create":
      return regions.flatMap((region) => accounts.map((account) => ({ target: "create" as const, region, account })));
    case "group":
      return [
        ...groups.map((group) => ({ target: "group" as const, region: group.region, account: group.account, group })),
        ...(op.unboundTasks ? [{ target: "unbound" as const, ...anywhere }] : []),
      ];
  }
}

/** Builds the request file of one cell: locator parameters, request tags, global keys and the store it needs. */
function cellOf(op: EssOperation, shape: Shape, assignment: Assignment): Cell {
  const { wire } = wireOf(op);
  return requestCell(op, shape, carried(assignment, wire.tags !== undefined, shape.target === "group"));
}

/** What a request carries besides its resource; request tags only reach operations with tag parameters. */
export interface CarriedValues {
  readonly requestTags: readonly Tag[];
  readonly resourceTags: readonly Tag[];
  readonly context: Readonly<Record<string, string>>;
}

/** The cell of one operation on one resource shape carrying these values, with its complete request file. */
export function requestCell(op: EssOperation, shape: Shape, { requestTags, resourceTags, context }: CarriedValues): Cell {
  const { version, wire } = wireOf(op);
  const params: Record<string, string> = { Action: op.name, Version: version, RegionId: shape.region };
  if (wire.resourceType) params.ResourceType = "scalinggroup";
  let store: Record<string, unknown> = {};
  const group = shape.group;
  if (group) {
    const tags = group.tags ?? resourceTags;
    const stored: Record<string, unknown> = {
      ScalingGroupId: group.id,
      RegionId: group.region,
      Tags: Object.fromEntries(tags),
      ...(group.resourceGroupId === undefined ? {} : { ResourceGroupId: group.resourceGroupId }),
    };
    if (wire.groupId !== undefined) params[wire.groupId] = group.id;
    else if (wire.groupIds !== undefined) params[`${wire.groupIds}.1`] = group.id;
    else {
      // Named only by a child (DeleteScalingRule's ScalingRuleId): the store resolves it to the group.
      const child = wire.children[0]!;
      const id = `${CHILD_PREFIX[child.kind]}-of-${group.id}`;
      params[child.list ? `${child.param}.1` : child.param] = child.ari ? `ari:acs:ess:${shape.region}:${shape.account}:scalingrule/${id}` : id;
      stored[`${child.kind}Ids`] = [id];
    }
    store = { scalingGroups: [stored] };
  } else if (shape.target === "unbound") {
    // Either no locator at all (CreateAlarm) or the id of a task bound to no group (DeleteAlarm's AlarmTaskId).
    const child = op.withoutLocator === "unbound" ? undefined : wire.children.find((c) => UNBINDABLE.has(c.kind));
    if (child) {
      const id = `${CHILD_PREFIX[child.kind]}-unbound`;
      params[child.list ? `${child.param}.1` : child.param] = id;
      store = { [`unbound${child.kind}Ids`]: [id] };
    }
  }
  requestTags.forEach(([key, value], i) => {
    params[`${wire.tags}.${i + 1}.Key`] = key;
    params[`${wire.tags}.${i + 1}.Value`] = value;
  });
  const hasContext = Object.keys(context).length > 0;
  return {
    operation: op.name,
    target: shape.target,
    region: shape.region,
    account: shape.account,
    ...(group ? { scalingGroupId: group.id, resourceTags: group.tags ?? resourceTags } : {}),
    requestTags,
    context,
    request: {
      request: { account: shape.account, params, ...(hasContext ? { context } : {}) },
      store,
    },
  };
}

const cellId = (c: Cell): string => JSON.stringify(c.request);

type ShapesByOp = readonly (readonly [EssOperation, readonly Shape[]])[];

/** The new cells of one condition set over the given shapes (a projection often repeats a cell already there). */
function cellsFor(shapesByOp: ShapesByOp, assignment: Assignment, seen: ReadonlyMap<string, Cell>): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const [op, shapes] of shapesByOp) {
    for (const shape of shapes) {
      const cell = cellOf(op, shape, assignment);
      const id = cellId(cell);
      if (!seen.has(id)) cells.set(id, cell);
    }
  }
  return cells;
}

/**
 * Condition sets in order, each on every resource while half the cell budget lasts, then on the default region
 * and account only (how resources and condition values interact is mostly told by the first sets: each
 * statement's own combination), until the budget is spent.
 */
function tieredCells(everywhere: ShapesByOp, core: ShapesByOp, assignments: readonly Assignment[]) {
  const cells = new Map<string, Cell>();
  let onEveryResource = 0;
  let used = 0;
  for (const assignment of assignments) {
    const wide = onEveryResource === used ? cellsFor(everywhere, assignment, cells) : undefined;
    const added = wide && cells.size + wide.size <= LIMITS.cells / 2 ? wide : cellsFor(core, assignment, cells);
    if (cells.size + added.size > LIMITS.cells) break;
    if (added === wide) onEveryResource++;
    used++;
    for (const [id, cell] of added) cells.set(id, cell);
  }
  return { cells: [...cells.values()], onEveryResource, used };
}

/** The cells for two (or more) policy versions; bounded by LIMITS, with what was cut listed in `capped`. */
export function buildUniverse(versions: readonly (readonly Policy[])[], options: UniverseOptions = {}): Universe {
  const notes: string[] = [];
  const arns = arnMentions(versions);
  const regions = limited("regions", arns.regions, LIMITS.regions, notes);
  const accounts = limited("accounts", arns.accounts, LIMITS.accounts, notes);
  const groupIds = limited("scaling groups", arns.groupIds, LIMITS.groupIds, notes);
  const groups: GroupSpec[] = [
    ...regions.flatMap((region) => accounts.flatMap((account) => groupIds.map((id) => ({ id, region, account })))),
    ...(options.snapshot === undefined ? [] : snapshotGroups(options.snapshot, accounts)),
  ];
  const coreGroups = groups.filter((g) => g.region === regions[0] && g.account === accounts[0]);
  const everywhere = OPERATIONS.map((op) => [op, shapesOf(op, regions, accounts, groups)] as const);
  const core = OPERATIONS.map((op) => [op, shapesOf(op, regions.slice(0, 1), accounts.slice(0, 1), coreGroups)] as const);
  const { assignments, total } = conditionAssignments(versions, LIMITS.conditionSets);
  const { cells, onEveryResource, used } = tieredCells(everywhere, core, assignments);
  if (used < total) notes.push(`condition sets: ${used} of ${total}`);
  if (onEveryResource < used) notes.push(`condition sets ${onEveryResource + 1}–${used} on ${regions[0]} and account ${accounts[0]} only`);
  return {
    cells,
    operations: OPERATIONS.length,
    regions,
    accounts,
    scalingGroups: [...new Set(groups.map((g) => g.id))],
    conditionSets: used,
    capped: notes,
  };
}
