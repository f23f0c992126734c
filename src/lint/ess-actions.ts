import { OPERATIONS, allRamActions, operationsMatching } from "../ess/catalog.js";
import { compileGlob } from "../match/glob.js";

/**
 * The catalog seen per RAM action (what a policy's Action element names), rather than per API operation:
 * `VerifyUser` and `VerifyAuthentication` are authorized as `ess:DescribeRegions` (docs/semantics.md §5), so a policy
 * can only ever speak of the action.
 */
export interface EssAction {
  /** Canonical RAM action, e.g. `ess:DescribeScalingGroups`. */
  readonly name: string;
  /** Some request can carry `acs:RequestTag/*` (the operation has key/value tag parameters). */
  readonly requestTag: boolean;
  /** `acs:ResourceTag/*`: present for group operations, absent for unbound tasks, never for operations on `*`. */
  readonly resourceTag: "present" | "absentWhenUnbound" | "never";
  /** Every request is authorized on the literal resource `*` (DescribeRegions, DescribeLimitation, …). */
  readonly onlyOnStar: boolean;
}

function aggregate(): ReadonlyMap<string, EssAction> {
  const out = new Map<string, EssAction>();
  for (const op of OPERATIONS) {
    const prev = out.get(op.ramAction);
    const resourceTag = !op.carriesResourceTag ? "never" : op.unboundTasks ? "absentWhenUnbound" : "present";
    out.set(op.ramAction, {
      name: op.ramAction,
      requestTag: (prev?.requestTag ?? false) || op.carriesRequestTag,
      // Operations sharing an action all authorize on `*` today; keep the most available value regardless.
      resourceTag: prev && prev.resourceTag !== "never" ? prev.resourceTag : resourceTag,
      onlyOnStar: (prev?.onlyOnStar ?? true) && op.resource === "all",
    });
  }
  return out;
}

export const ESS_ACTIONS: ReadonlyMap<string, EssAction> = aggregate();

/** Canonical action names, sorted. */
export const ESS_ACTION_NAMES: readonly string[] = allRamActions();

const LOWER_NAMES = ESS_ACTION_NAMES.map((a) => a.toLowerCase());

/** The canonical ESS actions an Action-element pattern matches (case-insensitively, docs/semantics.md §2). */
export function actionsMatching(pattern: string): string[] {
  // A pattern matches only names that start with its literal head: most mistyped actions are settled here.
  const head = pattern.toLowerCase().split(/[*?]/, 1)[0]!;
  if (!LOWER_NAMES.some((name) => name.startsWith(head))) return [];
  return [...new Set(operationsMatching(pattern).map((op) => op.ramAction))].sort();
}

/** The actions the pattern matches with exact case, i.e. without relying on RAM's case-insensitivity. */
export function actionsMatchingExactCase(pattern: string): string[] {
  const glob = compileGlob(pattern);
  return ESS_ACTION_NAMES.filter((a) => glob.test(a));
}

/** Sorted action names for messages; past `max`, the rest is counted. */
export function listActions(actions: Iterable<string>, max = Infinity): string {
  const sorted = [...actions].sort();
  return sorted.length <= max ? sorted.join(", ") : `${sorted.slice(0, max).join(", ")} and ${sorted.length - max} more`;
}

/** The service part of an action pattern (`ess` in `ess:Describe*`); undefined for `*` alone. */
export function serviceOf(action: string): string | undefined {
  const colon = action.indexOf(":");
  return colon < 0 ? undefined : action.slice(0, colon);
}

/** The pattern names ESS literally (`ess:`…, any case): only then does the catalog judge it. */
export const isEssPattern = (action: string): boolean => serviceOf(action)?.toLowerCase() === "ess";

/**
 * The APIs that support neither tag- nor resource-based authorization (scenarios.md): DescribeRegions and the
 * scheduled and alarm task operations, whose tasks may be bound to no group and are then authorized on `*`.
 */
export const UNBOUND_ALLOWANCE: readonly string[] = [
  ...new Set(OPERATIONS.filter((op) => op.ramAction === "ess:DescribeRegions" || op.unboundTasks).map((op) => op.ramAction)),
].sort();
