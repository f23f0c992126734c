import type { Statement } from "../policy/ast.js";
import type { MismatchReason } from "../evaluate/decision.js";
import { compileGlob, type Glob } from "./glob.js";

/**
 * Action and resource matching of one statement (docs/semantics.md §2): actions case-insensitively; resources with
 * exact case in Allow statements and regardless of case in Deny statements, so that case never widens access.
 */
export interface CompiledTarget {
  matchAction(actionLower: string): boolean;
  /** The first matching action pattern, and why none matched otherwise. */
  explainAction(actionLower: string): { matched: boolean; pattern?: string; reason?: MismatchReason };
  matchResource(resource: string, resourceLower: string): boolean;
  explainResource(resource: string, resourceLower: string): { matched: boolean; pattern?: string; reason?: MismatchReason };
}

export function compileTarget(statement: Statement): CompiledTarget {
  const actionGlobs = statement.actions.map((a) => compileGlob(a.toLowerCase()));
  const negatedActions = statement.actionKind === "NotAction";
  const caseInsensitive = statement.effect === "Deny";
  const exact: Glob[] | undefined = statement.resources?.map((r) => compileGlob(caseInsensitive ? r.toLowerCase() : r));
  const folded: Glob[] | undefined = caseInsensitive ? exact : statement.resources?.map((r) => compileGlob(r.toLowerCase()));
  const firstAction = (actionLower: string): number => actionGlobs.findIndex((g) => g.test(actionLower));

  return {
    matchAction: (actionLower) => (firstAction(actionLower) >= 0) !== negatedActions,
    explainAction(actionLower) {
      const i = firstAction(actionLower);
      if (negatedActions) {
        return i >= 0
          ? { matched: false, pattern: statement.actions[i]!, reason: "ActionExcludedByNotAction" }
          : { matched: true };
      }
      return i >= 0 ? { matched: true, pattern: statement.actions[i]! } : { matched: false, reason: "ActionNotMatched" };
    },
    matchResource(resource, resourceLower) {
      if (!exact) return true; // trust policies: the resource is the role itself
      const input = caseInsensitive ? resourceLower : resource;
      for (const g of exact) if (g.test(input)) return true;
      return false;
    },
    explainResource(resource, resourceLower) {
      if (!exact || !statement.resources) return { matched: true };
      const input = caseInsensitive ? resourceLower : resource;
      const i = exact.findIndex((g) => g.test(input));
      if (i >= 0) return { matched: true, pattern: statement.resources[i]! };
      const j = folded!.findIndex((g) => g.test(resourceLower));
      return j >= 0
        ? { matched: false, pattern: statement.resources[j]!, reason: "ResourceCaseMismatch" }
        : { matched: false, reason: "ResourceNotMatched" };
    },
  };
}
