import { compileGlob } from "../../match/glob.js";
import type { LintContext } from "../context.js";
import { isObject } from "../../policy/json-source.js";
import type { Located, LintStatement } from "../document.js";
import { ESS_ACTIONS, UNBOUND_ALLOWANCE, isEssPattern, listActions } from "../ess-actions.js";
import { removeAt } from "../fixes.js";
import { classifyKey } from "../condition-keys.js";

/** Redundancy and completeness (Suggestions): nothing here changes a decision except the unbound allowance. */
const conditionId = (s: LintStatement): string[] =>
  [...new Set(s.conditions.map((c) => `${c.operator}\u0000${c.keyLower}\u0000${c.values.map((v) => v.value).sort().join("\u0000")}`))].sort();

/** Canonical form of a statement for equality: order and (for actions) case do not matter. */
function canonical(s: LintStatement): string {
  const resources = (s.resources ?? []).map((r) => (s.effect === "Deny" ? r.value.toLowerCase() : r.value));
  return JSON.stringify([
    s.effect,
    s.actionKind,
    [...new Set(s.actions.map((a) => a.value.toLowerCase()))].sort(),
    s.resources ? [...new Set(resources)].sort() : null,
    conditionId(s),
  ]);
}

/** A pattern seen as a set of strings, prepared once: it contains `p` when every string `p` matches, it matches too. */
interface Container {
  readonly pattern: string;
  readonly matchesAll: boolean;
  /** The literal part of a `prefix*` pattern. */
  readonly prefix?: string;
}

function container(pattern: string): Container {
  const prefix = pattern.slice(0, -1);
  return { pattern, matchesAll: /^\*+$/.test(pattern), ...(pattern.endsWith("*") && !/[*?]/.test(prefix) ? { prefix } : {}) };
}

/** Equal, all stars, or a literal prefix plus `*` that `p` starts with. */
const contains = (q: Container, p: string): boolean => q.matchesAll || q.pattern === p || (q.prefix !== undefined && p.startsWith(q.prefix));

/** What the coverage check needs of a statement, computed once rather than once per pair. */
interface CoverageProfile {
  readonly statement: LintStatement;
  readonly conditions: ReadonlySet<string>;
  /** As the covering statement: its lower-cased Action patterns and the ESS actions they match. */
  readonly actionContainers: readonly Container[];
  readonly essActions: ReadonlySet<string>;
  /** As the covered statement: the ESS actions its `ess:` patterns match, and its other patterns (lower-cased). */
  readonly essPatternActions: readonly string[];
  readonly otherActions: readonly string[];
  /** Resources as compared: lower-cased in a Deny (docs/semantics.md §2). */
  readonly resources: readonly string[];
  readonly resourceContainers: readonly Container[];
}

function coverageProfile(ctx: LintContext, statement: LintStatement): CoverageProfile {
  const fold = (s: string): string => (statement.effect === "Deny" ? s.toLowerCase() : s);
  const essPatterns = statement.actions.filter((a) => isEssPattern(a.value)).map((a) => ctx.actionsMatching(a.value));
  const resources = (statement.resources ?? []).map((r) => fold(r.value));
  return {
    statement,
    conditions: new Set(conditionId(statement)),
    actionContainers: statement.actions.map((a) => container(a.value.toLowerCase())),
    essActions: ctx.essActions(statement),
    essPatternActions: [...new Set(essPatterns.flat())],
    otherActions: statement.actions.filter((a) => !isEssPattern(a.value)).map((a) => a.value.toLowerCase()),
    resources,
    resourceContainers: resources.map(container),
  };
}

/** `wide` applies whenever `narrow` does (both of one effect, both Action): superset of actions and resources, subset of conditions. */
function covers(wide: CoverageProfile, narrow: CoverageProfile): boolean {
  if (wide.conditions.size > narrow.conditions.size || ![...wide.conditions].every((c) => narrow.conditions.has(c))) return false;
  if (!narrow.essPatternActions.every((a) => wide.essActions.has(a))) return false;
  if (!narrow.otherActions.every((p) => wide.actionContainers.some((q) => contains(q, p)))) return false;
  return narrow.resources.every((p) => wide.resourceContainers.some((q) => contains(q, p)));
}

/** The most a coverage comparison of two statements can cost, in element comparisons. */
const comparisonCost = (wide: CoverageProfile, narrow: CoverageProfile): number =>
  1 + wide.conditions.size + narrow.essPatternActions.length + narrow.otherActions.length * wide.actionContainers.length + narrow.resources.length * wide.resources.length;

/**
 * The coverage check compares statements pairwise. A legal policy (at most 6,144 characters: about 120
 * statements, 1,500 array elements) costs at most about 1,500,000; a document that exhausts the budget
 * is already a `policy-too-large` Error, so stopping the check there loses no finding that matters, and keeps
 * hostile documents (thousands of statements) fast.
 */
const COVERAGE_BUDGET = 4_000_000;

function checkStatements(ctx: LintContext): void {
  const statements = ctx.statements.filter((s) => s.effect !== undefined && s.actions.length > 0);
  const firstWithKey = new Map<string, LintStatement>();
  const distinct: LintStatement[] = [];
  for (const s of statements) {
    const key = canonical(s);
    const twin = firstWithKey.get(key);
    if (twin) {
      ctx.report("statement-duplicate", `this statement repeats statement ${twin.index}`, s.pointer, { fix: removeAt(s.pointer), fixDescription: "remove this statement" });
    } else {
      firstWithKey.set(key, s);
      distinct.push(s);
    }
  }
  // Only Action statements with resources cover or are covered, and only by one of the same effect.
  const comparable = distinct.filter((s) => s.actionKind === "Action" && s.resources !== undefined && s.resources.length > 0);
  const profiles = new Map<LintStatement, CoverageProfile>();
  const profileOf = (s: LintStatement): CoverageProfile => profiles.get(s) ?? profiles.set(s, coverageProfile(ctx, s)).get(s)!;
  // An `ess:` pattern that matches no action matches requests no other statement can cover.
  const coverable = (s: LintStatement): boolean => s.actions.every((a) => !isEssPattern(a.value) || ctx.actionsMatching(a.value).length > 0);
  let budget = COVERAGE_BUDGET;
  for (const effect of ["Allow", "Deny"]) {
    const candidates = comparable.filter((s) => s.effect === effect);
    for (const s of candidates) {
      if (!coverable(s)) continue;
      const narrow = profileOf(s);
      for (const w of candidates) {
        if (w === s) continue;
        const wide = profileOf(w);
        budget -= comparisonCost(wide, narrow);
        if (budget < 0) return;
        if (covers(wide, narrow)) {
          ctx.report("statement-covered", `this statement is fully covered by statement ${w.index} (same effect, broader actions and resources, fewer conditions): it never changes a decision`, s.pointer);
          break;
        }
      }
    }
  }
}

function duplicatesIn(ctx: LintContext, values: readonly Located<string>[], what: string, fold: (s: string) => string): void {
  const seen = new Map<string, string>();
  for (const { value, pointer } of values) {
    const key = fold(value);
    const first = seen.get(key);
    // Only elements of arrays can repeat: their pointer ends in an index.
    if (first !== undefined && /\/\d+$/.test(pointer)) {
      ctx.report("value-duplicate", `${what} "${value}" repeats ${first}`, pointer, { fix: removeAt(pointer), fixDescription: "remove the repetition" });
    } else if (first === undefined) seen.set(key, pointer);
  }
}

function checkValues(ctx: LintContext): void {
  for (const s of ctx.statements) {
    duplicatesIn(ctx, s.actions, "action", (a) => a.toLowerCase());
    duplicatesIn(ctx, s.resources ?? [], "resource", (r) => r);
    for (const c of s.conditions) duplicatesIn(ctx, c.values, "value", c.spec?.comparison === "equalsIgnoreCase" ? (v) => v.toLowerCase() : (v) => v);
    if (Array.isArray(s.raw.Resource) && s.raw.Resource.length === 0) {
      ctx.report("element-empty", "Resource is an empty array: the statement matches no resource and has no effect", s.resourcePointer);
    }
    if (isObject(s.raw.Condition) && Object.keys(s.raw.Condition).length === 0) {
      const pointer = `${s.pointer}/Condition`;
      ctx.report("element-empty", "Condition is empty: it adds no condition", pointer, { fix: removeAt(pointer), fixDescription: "remove the empty Condition" });
    }
  }
}

const TAG_KINDS: ReadonlySet<string> = new Set(["requestTag", "resourceTag", "tagKeys"]);
const hasTagCondition = (s: LintStatement): boolean => s.conditions.some((c) => TAG_KINDS.has(classifyKey(c.key).kind));
const allowsStar = (s: LintStatement): boolean => (s.resources ?? []).some((r) => compileGlob(r.value).test("*"));

/**
 * scenarios.md: DescribeRegions and the scheduled/alarm task APIs support neither tag- nor resource-based
 * authorization, so a tag- or ARN-restricted `ess:*` policy must allow them on `*` separately.
 */
function checkUnboundAllowance(ctx: LintContext): void {
  const allows = ctx.statements.filter((s) => s.effect === "Allow" && s.actionKind === "Action");
  const restricted = allows.find((s) => ctx.essActions(s).size === ESS_ACTIONS.size && (hasTagCondition(s) || !allowsStar(s)));
  if (!restricted) return;
  const granted = new Set(allows.filter((s) => allowsStar(s) && !hasTagCondition(s)).flatMap((s) => [...ctx.essActions(s)]));
  const missing = UNBOUND_ALLOWANCE.filter((a) => !granted.has(a));
  if (missing.length === 0) return;
  ctx.report(
    "unbound-allowance-missing",
    `this ess:* Allow is restricted by ${hasTagCondition(restricted) ? "tags" : "ARN"}, but ${listActions(missing)} support neither tag- nor resource-based authorization: allow them on "*" in a separate statement, or they stay denied`,
    restricted.actionPointer,
  );
}

export function checkRedundancy(ctx: LintContext): void {
  checkStatements(ctx);
  checkValues(ctx);
  checkUnboundAllowance(ctx);
}
