import type { Policy } from "../policy/ast.js";
import type { DecisionKind, StatementRef } from "../evaluate/decision.js";
import { authorizePlan } from "../ess/authorize.js";
import { inputFor } from "../ess/decide.js";
import { buildPlan } from "../ess/request.js";
import { storeFromJson } from "../ess/store.js";
import type { Cell, Tag, Universe } from "./universe.js";

/** How a cell's decision moved: to Allow, from Allow, or between ExplicitDeny and ImplicitDeny. */
export type Change = "allowed" | "denied" | "denyKind";

export const CHANGES: readonly Change[] = ["allowed", "denied", "denyKind"];

function changeOf(before: DecisionKind, after: DecisionKind): Change | undefined {
  if (before === after) return undefined;
  if (after === "Allow") return "allowed";
  return before === "Allow" ? "denied" : "denyKind";
}

export interface Outcome {
  readonly decision: DecisionKind;
  readonly determining: readonly StatementRef[];
}

export interface ChangedCell {
  readonly cell: Cell;
  /** The ARN (or `*`) the request was authorized against. */
  readonly resource: string;
  readonly change: Change;
  readonly old: Outcome;
  readonly new: Outcome;
}

/** Changed cells of one kind, operation family, region and condition values; the first is the example. */
export interface ChangeGroup {
  readonly change: Change;
  /** `Describe*`, `Create*`: the verb the operation names start with. */
  readonly family: string;
  /** The region of the request, or `*` when it is authorized on `*` (no region in the resource). */
  readonly region: string;
  /** The tags and condition keys the requests carry, in words. */
  readonly conditions: string;
  readonly cells: readonly ChangedCell[];
}

export interface SemanticDelta {
  readonly universe: Omit<Universe, "cells"> & { readonly cells: number };
  readonly counts: Readonly<Record<Change, number>>;
  readonly groups: readonly ChangeGroup[];
}

export const familyOf = (operation: string): string => `${/^[A-Z][a-z]*/.exec(operation)?.[0] ?? operation}*`;

const tagText = (tags: readonly Tag[]): string => tags.map(([k, v]) => `${k}=${v}`).join(", ");

function conditionsOf(cell: Cell): string {
  const parts: string[] = [];
  if (cell.resourceTags) parts.push(cell.resourceTags.length > 0 ? `group tags {${tagText(cell.resourceTags)}}` : "untagged group");
  if (cell.requestTags.length > 0) parts.push(`request tags {${tagText(cell.requestTags)}}`);
  for (const [key, value] of Object.entries(cell.context)) parts.push(`${key}=${value}`);
  return parts.length > 0 ? parts.join(", ") : "no tags";
}

const regionOf = (cell: Cell): string => (cell.target === "group" || cell.target === "create" ? cell.region : "*");

/** Decides every cell with both versions, the way `ess-authz eval` does, and groups the cells that changed. */
export async function semanticDelta(oldPolicies: readonly Policy[], newPolicies: readonly Policy[], universe: Universe): Promise<SemanticDelta> {
  const groups = new Map<string, { key: Omit<ChangeGroup, "cells">; cells: ChangedCell[] }>();
  const counts: Record<Change, number> = { allowed: 0, denied: 0, denyKind: 0 };
  for (const cell of universe.cells) {
    // As decideRequestFile decides it, with each cell's plan built once for both versions.
    const plan = await buildPlan(cell.request.request, storeFromJson(cell.request.store));
    const before = authorizePlan(plan, inputFor(oldPolicies, cell.request.principalType));
    const after = authorizePlan(plan, inputFor(newPolicies, cell.request.principalType));
    const change = changeOf(before.decision, after.decision);
    if (!change) continue;
    counts[change]++;
    const key = { change, family: familyOf(cell.operation), region: regionOf(cell), conditions: conditionsOf(cell) };
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { key, cells: [] };
    group.cells.push({
      cell,
      resource: after.resources[0]?.arn ?? "",
      change,
      old: { decision: before.decision, determining: before.determining },
      new: { decision: after.decision, determining: after.determining },
    });
    groups.set(id, group);
  }
  const order = (g: Omit<ChangeGroup, "cells">): string => [CHANGES.indexOf(g.change), g.family, g.region, g.conditions].join("\u0000");
  const { cells, ...dimensions } = universe;
  return {
    universe: { ...dimensions, cells: cells.length },
    counts,
    groups: [...groups.values()].sort((a, b) => (order(a.key) < order(b.key) ? -1 : 1)).map((g) => ({ ...g.key, cells: g.cells })),
  };
}
