/**
 * The playground's engine: the real parser, linter and ESS authorizer, with no Node built-ins, so that the
 * page decides in the browser. Mirrors `ess-authz eval` (identity policies at account scope, trace on).
 */
import type { Policy } from "../policy/ast.js";
import type { Finding, Span } from "../policy/findings.js";
import { parsePolicy } from "../policy/parse.js";
import { loadLintedPolicy } from "../lint/lint.js";
import { applyPatchToText } from "../lint/fixes.js";
import { decideRequestFile, toRequestFile, type RequestFileValue } from "../ess/decide.js";
import type { EssDecision } from "../ess/types.js";

export type { RequestFileValue } from "../ess/decide.js";

export interface PolicyText {
  readonly name: string;
  readonly text: string;
}

export type Outcome =
  | { readonly kind: "decided"; readonly decision: EssDecision }
  /** The request or a policy is not something the engine can decide: the page shows why. */
  | { readonly kind: "invalid"; readonly problems: readonly string[] };

/** A policy's findings, and the policy itself when none of them is an Error. */
export interface LintedPolicy {
  readonly findings: Finding[];
  readonly policy?: Policy;
}

/** Lints a policy once for both the editor's findings and the decision (as `eval` loads it, its name as `file`). */
export const lint = (p: PolicyText): LintedPolicy => loadLintedPolicy(p.text, { name: p.name, file: p.name });

/** Applies one finding's fix to the text, keeping the rest of its formatting where the linter can. */
export function applyFix(text: string, finding: Finding): string {
  const parsed = parsePolicy(text);
  if (!parsed.source || !finding.fix) return text;
  return applyPatchToText(parsed.source, finding.fix);
}

/** The source span of statement `index` (a lone-statement document has its statement at `/Statement`). */
export function statementSpan(text: string, index: number): Span | undefined {
  const source = parsePolicy(text).source;
  return source?.nodes.get(`/Statement/${index}`)?.span ?? (index === 0 ? source?.nodes.get("/Statement")?.span : undefined);
}

/** Decides with the linted policies, all or none (as loadLintedPolicies): any Error finding leaves it undecided. */
export async function decide(linted: readonly LintedPolicy[], request: RequestFileValue): Promise<Outcome> {
  const errors = linted.flatMap((l) => l.findings.filter((f) => f.severity === "Error"));
  // Every finding carries its policy's name as `file`.
  if (errors.length > 0) return { kind: "invalid", problems: errors.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`) };
  try {
    const policies = linted.flatMap((l) => (l.policy ? [l.policy] : []));
    return { kind: "decided", decision: await decideRequestFile(policies, toRequestFile(request), true) };
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { kind: "invalid", problems: [`${code ? `${code}: ` : ""}${(e as Error).message}`] };
  }
}
