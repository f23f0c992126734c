import type { Operation } from "fast-json-patch";
import type { Policy, PolicyKind } from "../policy/ast.js";
import type { Finding } from "../policy/findings.js";
import { minifiedLength, parsePolicy, SIZE_LIMITS } from "../policy/parse.js";
import type { JsonSource } from "../policy/json-source.js";
import { LintContext } from "./context.js";
import { lintDocument } from "./document.js";
import { checkActions } from "./families/actions.js";
import { checkConditions } from "./families/conditions.js";
import { checkRedundancy } from "./families/redundancy.js";
import { checkResources } from "./families/resources.js";
import { checkSecurity } from "./families/security.js";
import { fixWidens } from "./fix-safety.js";
import { applyPatchToText, combinePatches } from "./fixes.js";
import { applyRuleSettings, type RuleSetting } from "./rule-settings.js";

export interface LintOptions {
  /** Recorded on every finding. */
  readonly file?: string;
  /** Grammar and size limit to apply; default `identity`. */
  readonly kind?: PolicyKind;
  /** Severities set by a configuration, by rule id; `off` drops the rule's findings (and its fixes). */
  readonly rules?: ReadonlyMap<string, RuleSetting>;
}

const OVERSIZED_FACTOR = 10;

const FAMILIES = [checkActions, checkResources, checkConditions, checkSecurity, checkRedundancy];

const byPosition = (a: Finding, b: Finding): number =>
  a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message);

function run(text: string, options: LintOptions & { name?: string }): { findings: Finding[]; source?: JsonSource; policy?: Policy } {
  const parsed = parsePolicy(text, {
    ...(options.kind ? { kind: options.kind } : {}),
    ...(options.file === undefined ? {} : { file: options.file }),
    ...(options.name === undefined ? {} : { name: options.name }),
  });
  const configured = (findings: readonly Finding[]): Finding[] => (options.rules ? applyRuleSettings(findings, options.rules) : [...findings]);
  if (!parsed.source) return { findings: configured(parsed.findings) };
  const ctx = new LintContext(lintDocument(parsed.source));
  // Ten times RAM's size limit is no policy anyone wrote: the policy-too-large Error says all that matters,
  // and skipping the catalog-aware rules keeps hostile megabyte documents linear and fast.
  const oversized = minifiedLength(text) > OVERSIZED_FACTOR * SIZE_LIMITS[options.kind ?? "identity"];
  if (!oversized) for (const check of FAMILIES) check(ctx);
  const own = options.file === undefined ? ctx.findings : ctx.findings.map((f) => ({ ...f, file: options.file! }));
  const all = [...parsed.findings, ...own];
  // Marked in place: these findings were made by this call, and a copy each costs a tenth of a 60,000-finding lint.
  for (const f of all) if (f.fix && fixWidens(f, parsed.source.value)) f.fixWidens = true;
  const findings = configured(all).sort(byPosition);
  return { findings, source: parsed.source, ...(parsed.policy ? { policy: parsed.policy } : {}) };
}

/**
 * Lints one policy document: the parser's grammar and value checks (contract §1, §3) plus the catalog-aware
 * rules of `families/`. Findings are sorted by position; each carries a JSON Pointer, a 1-based end-exclusive
 * span and, where a safe fix exists, an RFC 6902 patch.
 */
export function lintPolicy(text: string, options: LintOptions = {}): Finding[] {
  return run(text, options).findings;
}

/**
 * Parses and lints a policy for evaluation: the policy is returned only when no finding, the parser's or the
 * catalog-aware rules', is an Error (a dead `ess:Describle*` statement is refused as firmly as bad JSON).
 */
export function loadLintedPolicy(text: string, options: LintOptions & { name: string }): { policy?: Policy; findings: Finding[] } {
  const { policy, findings } = run(text, options);
  return policy && !findings.some((f) => f.severity === "Error") ? { policy, findings } : { findings };
}

/** Policy texts to load together, each with its name in decisions and the file recorded on its findings. */
export interface PolicySource {
  readonly text: string;
  readonly name: string;
  readonly file: string;
}

/**
 * Loads a set of policies for evaluation, all or none: any Error finding in any of them refuses the set
 * (contract §1). The Errors are returned, not thrown, so that the CLI and the browser playground each report
 * them in their own way.
 */
export function loadLintedPolicies(
  sources: readonly PolicySource[],
  kind: PolicyKind = "identity",
): { policies: Policy[]; errors?: undefined } | { errors: Finding[] } {
  const errors: Finding[] = [];
  const policies: Policy[] = [];
  for (const { text, name, file } of sources) {
    const r = loadLintedPolicy(text, { name, kind, file });
    errors.push(...r.findings.filter((f) => f.severity === "Error"));
    if (r.policy) policies.push(r.policy);
  }
  return errors.length > 0 ? { errors } : { policies };
}

export interface FixResult {
  /** The fixed document (the input when nothing was fixed). */
  readonly text: string;
  /** Every operation applied, in order: one RFC 6902 patch that turns the input into `text`. */
  readonly patch: readonly Operation[];
  /** The findings whose fixes were applied. */
  readonly fixed: readonly Finding[];
  /** The findings of the fixed document. */
  readonly findings: readonly Finding[];
}

/** Enough for every fix of a 6,144-character policy; a bound, so that two fixes undoing each other cannot loop. */
const MAX_FIX_PASSES = 500;

/** `safe`: only fixes that never widen access; `widening`: also those that revive a dead Allow entry. */
export type FixType = "safe" | "widening";

/**
 * Applies the fixes of `fixType` (default `safe`) in passes: each pass applies together every fix of the current findings that touches
 * no part of the document another one of them touches (the first one alone when no two combine), then
 * re-lints, so every fix is computed on the document it applies to. Documents with duplicate keys are left
 * alone: their text and their value disagree.
 */
export function fixPolicy(text: string, options: LintOptions & { fixType?: FixType } = {}): FixResult {
  let current = text;
  const patch: Operation[] = [];
  const fixed: Finding[] = [];
  let state = run(current, options);
  const failed = new Set<string>();
  // A text seen before means two fixes undo each other: refuse the second rather than loop.
  const seen = new Set([text]);
  for (let pass = 0; pass < MAX_FIX_PASSES && state.source; pass++) {
    if (state.findings.some((f) => f.ruleId === "json-duplicate-key")) break;
    const fixable = state.findings.filter((f) => f.fix && (options.fixType === "widening" || !f.fixWidens) && !failed.has(JSON.stringify(f.fix)));
    if (fixable.length === 0) break;
    const combined = combinePatches(state.source, fixable.map((f) => f.fix!));
    const step = combined && !seen.has(combined.text) ? { ...combined, fixed: combined.taken.map((i) => fixable[i]!) } : fixAlone(state.source, fixable[0]!, current);
    if (seen.has(step.text)) {
      failed.add(JSON.stringify(fixable[0]!.fix));
      continue;
    }
    seen.add(step.text);
    current = step.text;
    patch.push(...step.patch);
    fixed.push(...step.fixed);
    failed.clear();
    state = run(current, options);
  }
  return { text: current, patch, fixed, findings: state.findings };
}

/** One fix on its own: its minimal edit, or the document re-serialized; the text unchanged when it does not apply. */
function fixAlone(source: JsonSource, finding: Finding, current: string): { text: string; patch: readonly Operation[]; fixed: readonly Finding[] } {
  try {
    return { text: applyPatchToText(source, finding.fix!), patch: finding.fix!, fixed: [finding] };
  } catch {
    return { text: current, patch: [], fixed: [] };
  }
}
