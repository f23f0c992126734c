import type { Operation } from "fast-json-patch";
import type { Policy, PolicyKind } from "../policy/ast.js";
import type { Finding } from "../policy/findings.js";
import { isWellFormedAction, minifiedLength, parsePolicy, SIZE_LIMITS, type ParseResult } from "../policy/parse.js";
import { isObject, type JsonSource } from "../policy/json-source.js";
import { LintContext } from "./context.js";
import { lintDocument } from "./document.js";
import { checkActions } from "./families/actions.js";
import { checkConditions } from "./families/conditions.js";
import { checkRedundancy } from "./families/redundancy.js";
import { checkResources } from "./families/resources.js";
import { checkSecurity } from "./families/security.js";
import { ASSUME_ROLE, checkTrust } from "./families/trust.js";
import { serviceOf } from "./ess-actions.js";
import { fixWidens } from "./fix-safety.js";
import { applyPatchToText, combinePatches } from "./fixes.js";
import { applyRuleSettings, type RuleSetting } from "./rule-settings.js";

export interface LintOptions {
  /** Recorded on every finding. */
  readonly file?: string;
  /** Grammar, size limit and rules to apply; when absent, `trust` if the content is a trust policy, else `identity`. */
  readonly kind?: PolicyKind;
  /** Severities set by a configuration, by rule id; `off` drops the rule's findings (and its fixes). */
  readonly rules?: ReadonlyMap<string, RuleSetting>;
}

/** What a lint run found, and what it knew: the kind it linted the document as, and the services it checked only for syntax. */
export interface LintReport {
  readonly findings: Finding[];
  readonly kind: PolicyKind;
  /** The kind was read from the content (no `kind` was given). */
  readonly kindDetected: boolean;
  /** Services other than ESS the document's actions name (lower case, sorted): their parts were checked for syntax only. */
  readonly syntaxOnlyServices: readonly string[];
}

const OVERSIZED_FACTOR = 10;

const FAMILIES = [checkTrust, checkActions, checkResources, checkConditions, checkSecurity, checkRedundancy];

const byPosition = (a: Finding, b: Finding): number =>
  a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message);

/**
 * `trust` when a statement has a Principal and names `sts:AssumeRole`: that is what a RAM role's trust policy is
 * (https://www.alibabacloud.com/help/en/ram/user-guide/edit-the-trust-policy-of-a-ram-role); otherwise `identity`.
 */
export function detectKind(document: unknown): PolicyKind {
  const raw = isObject(document) ? document.Statement : undefined;
  const statements = Array.isArray(raw) ? raw : [raw];
  const trust = statements.some(
    (s) => isObject(s) && Object.prototype.hasOwnProperty.call(s, "Principal") && (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => typeof a === "string" && a.toLowerCase() === ASSUME_ROLE),
  );
  return trust ? "trust" : "identity";
}

function parseAs(text: string, kind: PolicyKind, options: LintOptions & { name?: string }): ParseResult {
  return parsePolicy(text, {
    kind,
    ...(options.file === undefined ? {} : { file: options.file }),
    ...(options.name === undefined ? {} : { name: options.name }),
  });
}

function run(text: string, options: LintOptions & { name?: string }): LintReport & { source?: JsonSource; policy?: Policy } {
  let kind = options.kind ?? "identity";
  let parsed = parseAs(text, kind, options);
  const kindDetected = options.kind === undefined && parsed.source !== undefined && detectKind(parsed.source.value) === "trust";
  if (kindDetected) parsed = parseAs(text, (kind = "trust"), options);
  const configured = (findings: readonly Finding[]): Finding[] => (options.rules ? applyRuleSettings(findings, options.rules) : [...findings]);
  if (!parsed.source) return { findings: configured(parsed.findings), kind, kindDetected, syntaxOnlyServices: [] };
  const doc = lintDocument(parsed.source);
  const ctx = new LintContext(doc, kind);
  // Ten times RAM's size limit is no policy anyone wrote: the policy-too-large Error says all that matters,
  // and skipping the catalog-aware rules keeps hostile megabyte documents linear and fast.
  const oversized = minifiedLength(text) > OVERSIZED_FACTOR * SIZE_LIMITS[kind];
  if (!oversized) for (const check of FAMILIES) check(ctx);
  const own = options.file === undefined ? ctx.findings : ctx.findings.map((f) => ({ ...f, file: options.file! }));
  const all = [...parsed.findings, ...own];
  // Marked in place: these findings were made by this call, and a copy each costs a tenth of a 60,000-finding lint.
  for (const f of all) if (f.fix && fixWidens(f, parsed.source.value)) f.fixWidens = true;
  const findings = configured(all).sort(byPosition);
  const services = doc.statements.flatMap((s) => s.actions.flatMap((a) => (isWellFormedAction(a.value) ? (serviceOf(a.value)?.toLowerCase() ?? []) : [])));
  // A service glob (`*:List*`, `yundun*:`) covers ESS too, and ESS is judged exactly: only named services are listed.
  const syntaxOnlyServices = [...new Set(services)].filter((s) => s !== "ess" && !/[*?]/.test(s)).sort();
  return { findings, kind, kindDetected, syntaxOnlyServices, source: parsed.source, ...(parsed.policy ? { policy: parsed.policy } : {}) };
}

/**
 * Lints one policy document: the parser's grammar and value checks (docs/semantics.md §1, §3) plus the catalog-aware
 * rules of `families/`. Findings are sorted by position; each carries a JSON Pointer, a 1-based end-exclusive
 * span and, where a safe fix exists, an RFC 6902 patch.
 */
export function lintPolicy(text: string, options: LintOptions = {}): Finding[] {
  return run(text, options).findings;
}

/** `lintPolicy`, with the kind the document was linted as and the services checked for syntax only. */
export function lintPolicyReport(text: string, options: LintOptions = {}): LintReport {
  const { findings, kind, kindDetected, syntaxOnlyServices } = run(text, options);
  return { findings, kind, kindDetected, syntaxOnlyServices };
}

/**
 * Parses and lints a policy for evaluation: the policy is returned only when no finding, the parser's or the
 * catalog-aware rules', is an Error (a statement whose only action is `ess:Describle*` is refused as firmly as
 * bad JSON). Warnings, dead entries in statements that still apply included, never refuse a policy.
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
 * (docs/semantics.md §1). The Errors are returned, not thrown, so that the CLI and the browser playground each report
 * them in their own way. Without `kind`, each document's kind is read from its content (`detectKind`).
 */
export function loadLintedPolicies(
  sources: readonly PolicySource[],
  kind?: PolicyKind,
): { policies: Policy[]; errors?: undefined } | { errors: Finding[] } {
  const errors: Finding[] = [];
  const policies: Policy[] = [];
  for (const { text, name, file } of sources) {
    const r = loadLintedPolicy(text, { name, file, ...(kind ? { kind } : {}) });
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
  /** What the last lint run knew (see LintReport). */
  readonly kind: PolicyKind;
  readonly kindDetected: boolean;
  readonly syntaxOnlyServices: readonly string[];
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
  const { findings, kind, kindDetected, syntaxOnlyServices } = state;
  return { text: current, patch, fixed, findings, kind, kindDetected, syntaxOnlyServices };
}

/** One fix on its own: its minimal edit, or the document re-serialized; the text unchanged when it does not apply. */
function fixAlone(source: JsonSource, finding: Finding, current: string): { text: string; patch: readonly Operation[]; fixed: readonly Finding[] } {
  try {
    return { text: applyPatchToText(source, finding.fix!), patch: finding.fix!, fixed: [finding] };
  } catch {
    return { text: current, patch: [], fixed: [] };
  }
}
