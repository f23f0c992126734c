import type { Statement } from "../policy/ast.js";
import type { MismatchReason } from "../evaluate/decision.js";
import { compileGlob, type Glob } from "./glob.js";
import { BoundedMemo } from "../bounded-memo.js";
import { listKey } from "./list-key.js";

/**
 * Action and resource matching of one statement (docs/semantics.md §2): actions case-insensitively; resources with
 * exact case in Allow statements and regardless of case in Deny statements, so that case never widens access.
 */
export interface CompiledTarget {
  /** The Resource element's matcher, shared by every statement with the same element and case rule. */
  readonly resources: ResourcePatterns;
  matchAction(actionLower: string): boolean;
  /** The first matching action pattern, and why none matched otherwise. */
  explainAction(actionLower: string): { matched: boolean; pattern?: string; reason?: MismatchReason };
  matchResource(resource: string, resourceLower: string): boolean;
  explainResource(resource: string, resourceLower: string): { matched: boolean; pattern?: string; reason?: MismatchReason };
}

/**
 * A Resource element compiled under one case rule. Statements repeat a handful of Resource elements, so they
 * share one matcher each: a decision visiting many statements then reads a few matchers that stay in the CPU's
 * caches, not one per statement.
 */
export class ResourcePatterns {
  /** The patterns as the effect's case rule compares them; undefined for trust policies (no Resource). */
  private readonly exact: readonly Glob[] | undefined;
  /** The patterns lower-cased, to tell a case mismatch from a miss. */
  private readonly folded: readonly Glob[] | undefined;

  constructor(
    private readonly resources: readonly string[] | undefined,
    private readonly caseInsensitive: boolean,
  ) {
    this.exact = resources?.map((r) => compileGlob(caseInsensitive ? r.toLowerCase() : r));
    this.folded = caseInsensitive ? this.exact : resources?.map((r) => compileGlob(r.toLowerCase()));
  }

  matches(resource: string, resourceLower: string): boolean {
    const exact = this.exact;
    if (!exact) return true; // trust policies: the resource is the role itself
    const input = this.caseInsensitive ? resourceLower : resource;
    for (let i = 0; i < exact.length; i++) if (exact[i]!.test(input)) return true;
    return false;
  }

  explain(resource: string, resourceLower: string): { matched: boolean; pattern?: string; reason?: MismatchReason } {
    if (!this.exact || !this.resources) return { matched: true };
    const input = this.caseInsensitive ? resourceLower : resource;
    const i = this.exact.findIndex((g) => g.test(input));
    if (i >= 0) return { matched: true, pattern: this.resources[i]! };
    const j = this.folded!.findIndex((g) => g.test(resourceLower));
    return j >= 0
      ? { matched: false, pattern: this.resources[j]!, reason: "ResourceCaseMismatch" }
      : { matched: false, reason: "ResourceNotMatched" };
  }
}

/** Policies choose their Resource elements, so the memory is bounded: when full it starts over. */
const sharedResourcePatterns = new BoundedMemo<string, ResourcePatterns>(4096);

function resourcePatternsFor(resources: readonly string[] | undefined, caseInsensitive: boolean): ResourcePatterns {
  const key = `${caseInsensitive ? "i" : "e"}${resources === undefined ? "-" : listKey(resources)}`;
  return sharedResourcePatterns.get(key, () => new ResourcePatterns(resources, caseInsensitive));
}

export function compileTarget(statement: Statement): CompiledTarget {
  const actionGlobs = statement.actions.map((a) => compileGlob(a.toLowerCase()));
  const negatedActions = statement.actionKind === "NotAction";
  const resources = resourcePatternsFor(statement.resources, statement.effect === "Deny");
  const firstAction = (actionLower: string): number => actionGlobs.findIndex((g) => g.test(actionLower));

  return {
    resources,
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
    matchResource: (resource, resourceLower) => resources.matches(resource, resourceLower),
    explainResource: (resource, resourceLower) => resources.explain(resource, resourceLower),
  };
}
