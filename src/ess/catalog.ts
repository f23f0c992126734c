import { compileGlob } from "../match/glob.js";
import { OPERATION_ROWS } from "./catalog.data.js";
import type { EssOperation } from "./types.js";

/** Every ESS operation (103), sorted by name. Generated from the reference catalog: see `catalog.data.ts`. */
export const OPERATIONS: readonly EssOperation[] = OPERATION_ROWS;

const byName = new Map(OPERATIONS.map((op) => [op.name, op]));

/** Distinct RAM actions, keyed by their lower-case form (action matching ignores case, docs/semantics.md §2). */
const actionsByLower = new Map(OPERATIONS.map((op) => [op.ramAction.toLowerCase(), op.ramAction]));

/** The operation with this exact API name (`Action` on the wire is case-sensitive). */
export function getOperation(name: string): EssOperation | undefined {
  return byName.get(name);
}

/** Every RAM action ESS authorizes, sorted (VerifyUser/VerifyAuthentication share `ess:DescribeRegions`). */
export function allRamActions(): readonly string[] {
  return [...actionsByLower.values()].sort();
}

/** The canonical spelling of an ESS RAM action given in any case, or undefined when ESS has no such action. */
export function canonicalAction(action: string): string | undefined {
  return actionsByLower.get(action.toLowerCase());
}

/** Operations whose RAM action an Action-element pattern matches (`ess:Describe*`, `*:ListTagResources`, `*`). */
export function operationsMatching(pattern: string): readonly EssOperation[] {
  const glob = compileGlob(pattern.toLowerCase());
  return OPERATIONS.filter((op) => glob.test(op.ramAction.toLowerCase()));
}
