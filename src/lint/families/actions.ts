import { distance } from "fastest-levenshtein";
import { getOperation } from "../../ess/catalog.js";
import { isWellFormedAction } from "../../policy/parse.js";
import type { LintContext } from "../context.js";
import type { LintStatement } from "../document.js";
import { ESS_ACTION_NAMES, actionsMatchingExactCase, isEssPattern } from "../ess-actions.js";
import { replaceValue } from "../fixes.js";

/**
 * Action rules, judged against the ESS catalog (https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-ram).
 * Matching is case-insensitive (docs/semantics.md §2), so "unknown" means no action matches in any case.
 */
const NAMES = ESS_ACTION_NAMES.map((a) => a.slice("ess:".length));

/** Prefixes of action names that end at a word boundary (`Describe`, `DescribeScaling`…), for `Prefix*` patterns. */
const PREFIXES = [...new Set(NAMES.flatMap((n) => [...n.matchAll(/(?=[A-Z])|$/g)].map((m) => n.slice(0, m.index)).filter(Boolean)))];

/** The largest edit distance a suggestion may be from what was typed. */
const maxSuggestionDistance = (length: number): number => Math.max(2, Math.floor(length / 4));

interface Candidate {
  readonly name: string;
  readonly lower: string;
  readonly order: number;
}

/** Catalog spellings by length: the edit distance is at least the length difference, so the search starts at the typed length. */
function byLength(names: readonly string[]): Candidate[][] {
  const buckets: Candidate[][] = [];
  names.forEach((name, order) => (buckets[name.length] ??= []).push({ name, lower: name.toLowerCase(), order }));
  return buckets;
}
const NAME_CANDIDATES = byLength(NAMES);
const PREFIX_CANDIDATES = byLength(PREFIXES);

/** The closest catalog spellings of a mistyped name (`Describle*` → `Describe*`); several on a tie, in catalog order. */
export function suggestActions(pattern: string): string[] {
  const name = pattern.slice(pattern.indexOf(":") + 1);
  const prefixOnly = /^[^*?]+\*$/.test(name);
  if (/[*?]/.test(name) && !prefixOnly) return [];
  const typed = (prefixOnly ? name.slice(0, -1) : name).toLowerCase();
  const buckets = prefixOnly ? PREFIX_CANDIDATES : NAME_CANDIDATES;
  const limit = maxSuggestionDistance(typed.length);
  let best = Infinity;
  let found: Candidate[] = [];
  const consider = (c: Candidate): void => {
    const d = distance(typed, c.lower);
    if (d < best) [best, found] = [d, [c]];
    else if (d === best) found.push(c);
  };
  for (let gap = 0; gap <= Math.min(best, limit); gap++) {
    buckets[typed.length + gap]?.forEach(consider);
    if (gap > 0) buckets[typed.length - gap]?.forEach(consider);
  }
  if (best > limit) return [];
  return found.sort((a, b) => a.order - b.order).map((c) => `ess:${c.name}${prefixOnly ? "*" : ""}`);
}

/** Matches a `?`-bearing segment case-insensitively at `at`. */
const segmentAt = (segment: string, s: string, at: number): boolean =>
  at + segment.length <= s.length && [...segment].every((c, i) => c === "?" || c.toLowerCase() === s[at + i]!.toLowerCase());

/**
 * The pattern rewritten with the case of the action it matches: each literal segment takes the characters of
 * the action at the place the matcher puts it (first segment at the start, last at the end, middle ones leftmost).
 */
export function recase(pattern: string, action: string): string {
  const segments = pattern.split("*");
  const placed: string[] = [];
  let pos = 0;
  segments.forEach((seg, i) => {
    let at = pos;
    if (i === segments.length - 1 && segments.length > 1) at = action.length - seg.length;
    else if (i > 0) while (at <= action.length && !segmentAt(seg, action, at)) at++;
    placed.push([...seg].map((c, k) => (c === "?" ? "?" : action[at + k]!)).join(""));
    pos = at + seg.length;
  });
  return placed.join("*");
}

/**
 * An entry is dead when it is malformed (the parser reports it) or an `ess:` pattern the catalog does not know.
 * Other services' actions are live: outside ESS the linter does not know the catalog and checks syntax only.
 */
function isDeadAction(ctx: LintContext, action: string): boolean {
  return !isWellFormedAction(action) || (isEssPattern(action) && ctx.actionsMatching(action).length === 0);
}

export function checkActions(ctx: LintContext): void {
  for (const statement of ctx.statements) {
    // An Action list with nothing but dead entries makes the statement apply to no request at all.
    const statementDead = statement.actionKind === "Action" && statement.actions.length > 0 && statement.actions.every((a) => isDeadAction(ctx, a.value));
    for (const { value: action, pointer } of statement.actions) {
      if (!isWellFormedAction(action) || !isEssPattern(action)) continue;
      const matched = ctx.actionsMatching(action);
      if (matched.length === 0) {
        unknownAction(ctx, statement, action, pointer, statementDead);
        continue;
      }
      const exact = actionsMatchingExactCase(action);
      if (exact.length === matched.length) continue;
      const forms = [...new Set(matched.map((a) => recase(action, a)))];
      const canonical = forms.length === 1 ? forms[0] : undefined;
      const shown = matched.length === 1 ? matched[0] : `${matched[0]} and ${matched.length - 1} more`;
      ctx.report(
        "action-case",
        `"${action}" matches ${shown} only because RAM ignores the case of actions "in most cases"${canonical ? `; write "${canonical}"` : ""}`,
        pointer,
        canonical ? { fix: replaceValue(pointer, canonical), fixDescription: `replace with "${canonical}"` } : {},
      );
    }
  }
}

function unknownAction(ctx: LintContext, statement: LintStatement, action: string, pointer: string, statementDead: boolean): void {
  const { actionKind: kind, actions: { length: listLength } } = statement;
  // VerifyUser and VerifyAuthentication are APIs, but RAM authorizes them as ess:DescribeRegions (docs/semantics.md §5).
  const op = getOperation(action.slice(action.indexOf(":") + 1));
  const suggestions = op ? [op.ramAction] : suggestActions(action);
  const why = op ? `: the ${op.name} API is authorized as ${op.ramAction}` : "";
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(" or ")}?` : "";
  const fix = suggestions.length === 1 ? { fix: replaceValue(pointer, suggestions[0]), fixDescription: `replace with "${suggestions[0]}"` } : {};
  const consequence = statementDead
    ? listLength === 1
      ? ", so the statement never applies"
      : ", nor does any other entry of its Action list, so the statement never applies"
    : kind === "NotAction"
      ? ", so it excludes nothing from the NotAction"
      : ": a dead entry (the statement's other actions still apply)";
  ctx.report("action-unknown", `"${action}" matches no ESS action${why}${consequence}${hint}`, pointer, {
    ...fix,
    ...(statementDead ? { severity: "Error" as const } : {}),
  });
}
