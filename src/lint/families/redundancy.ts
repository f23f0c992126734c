import { compileGlob } from "../../match/glob.js";
import type { LintContext } from "../context.js";
import { isObject, type Located, type LintStatement } from "../document.js";
import { ESS_ACTIONS, UNBOUND_ALLOWANCE, actionsMatching, isEssPattern, listActions } from "../ess-actions.js";
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

/** Every string `p` matches is matched by `q` too: equal, all stars, or `q` a literal prefix plus `*` that `p` starts with. */
function globContains(q: string, p: string): boolean {
  if (q === p || /^\*+$/.test(q)) return true;
  const prefix = q.slice(0, -1);
  return q.endsWith("*") && !/[*?]/.test(prefix) && p.startsWith(prefix);
}

function coversActions(ctx: LintContext, wide: LintStatement, narrow: LintStatement): boolean {
  const wideActions = ctx.essActions(wide);
  return narrow.actions.every(({ value }) => {
    if (isEssPattern(value)) {
      const matched = actionsMatching(value);
      return matched.length > 0 && matched.every((a) => wideActions.has(a));
    }
    return wide.actions.some((q) => globContains(q.value.toLowerCase(), value.toLowerCase()));
  });
}

function coversResources(wide: LintStatement, narrow: LintStatement): boolean {
  // Deny statements match resources regardless of case (contract §2).
  const fold = (s: string): string => (wide.effect === "Deny" ? s.toLowerCase() : s);
  return narrow.resources!.every((p) => wide.resources!.some((q) => globContains(fold(q.value), fold(p.value))));
}

/** `wide` applies whenever `narrow` does: same effect, superset of actions and resources, subset of conditions. */
function covers(ctx: LintContext, wide: LintStatement, narrow: LintStatement): boolean {
  if (wide.effect !== narrow.effect || wide.actionKind !== "Action" || narrow.actionKind !== "Action") return false;
  if (!wide.resources || !narrow.resources || narrow.resources.length === 0) return false;
  const narrowConditions = new Set(conditionId(narrow));
  return conditionId(wide).every((c) => narrowConditions.has(c)) && coversActions(ctx, wide, narrow) && coversResources(wide, narrow);
}

function checkStatements(ctx: LintContext): void {
  const statements = ctx.statements.filter((s) => s.effect !== undefined && s.actions.length > 0);
  const keys = statements.map(canonical);
  statements.forEach((s, j) => {
    const twin = keys.indexOf(keys[j]!);
    if (twin < j) {
      ctx.report("statement-duplicate", `this statement repeats statement ${statements[twin]!.index}`, s.pointer, { fix: removeAt(s.pointer), fixDescription: "remove this statement" });
      return;
    }
    const wide = statements.find((w, i) => i !== j && keys[i] !== keys[j] && covers(ctx, w, s));
    if (wide) ctx.report("statement-covered", `this statement is fully covered by statement ${wide.index} (same effect, broader actions and resources, fewer conditions): it never changes a decision`, s.pointer);
  });
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
