import type { Operation } from "fast-json-patch";
import type { Policy } from "../policy/ast.js";
import { semanticDelta, type SemanticDelta } from "./delta.js";
import { structuralPatch } from "./patch.js";
import { buildUniverse, type UniverseOptions } from "./universe.js";

export { familyOf, type Change, type ChangeGroup, type ChangedCell, type Outcome, type SemanticDelta } from "./delta.js";
export { buildUniverse, type Cell, type TargetKind, type Universe, type UniverseOptions } from "./universe.js";
export { structuralPatch } from "./patch.js";

/** One side of a diff: where the policies came from, and the policies attached together. */
export interface PolicyVersion {
  readonly label: string;
  readonly policies: readonly Policy[];
}

export interface PolicyDiff {
  readonly old: PolicyVersion;
  readonly new: PolicyVersion;
  readonly delta: SemanticDelta;
  readonly patch: readonly Operation[];
}

/** The semantic delta (decisions that changed, over a universe built from both versions) and the structural patch. */
export async function diffPolicies(oldVersion: PolicyVersion, newVersion: PolicyVersion, options: UniverseOptions = {}): Promise<PolicyDiff> {
  const universe = buildUniverse([oldVersion.policies, newVersion.policies], options);
  return {
    old: oldVersion,
    new: newVersion,
    delta: await semanticDelta(oldVersion.policies, newVersion.policies, universe),
    patch: structuralPatch(oldVersion.policies, newVersion.policies),
  };
}
