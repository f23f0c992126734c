/**
 * The playground's engine: the real parser, linter and ESS authorizer, with no Node built-ins, so that the
 * page decides in the browser. Mirrors `ess-authz eval` (identity policies at account scope, trace on).
 */
import type { Finding, Span } from "../policy/findings.js";
import { parsePolicy } from "../policy/parse.js";
import { lintPolicy, loadLintedPolicies } from "../lint/lint.js";
import { applyPatchToText } from "../lint/fixes.js";
import type { PrincipalType } from "../evaluate/decision.js";
import { decideRequestFile } from "../ess/decide.js";
import type { EssDecision } from "../ess/types.js";

export interface PolicyText {
  readonly name: string;
  readonly text: string;
}

/** The request file of `ess-authz eval` (schema/request.schema.json). */
export interface RequestFileValue {
  account: string;
  params: Record<string, string>;
  context?: Record<string, string>;
  principal?: PrincipalType;
  store?: unknown;
}

export type Outcome =
  | { readonly kind: "decided"; readonly decision: EssDecision }
  /** The request or a policy is not something the engine can decide: the page shows why. */
  | { readonly kind: "invalid"; readonly problems: readonly string[] };

export const lint = (p: PolicyText): Finding[] => lintPolicy(p.text, { file: p.name });

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

export async function decide(policies: readonly PolicyText[], request: RequestFileValue): Promise<Outcome> {
  const loaded = loadLintedPolicies(policies.map((p) => ({ text: p.text, name: p.name, file: p.name })));
  // Every finding carries its policy's name as `file`.
  if (loaded.errors) return { kind: "invalid", problems: loaded.errors.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`) };
  try {
    const file = {
      request: { account: request.account, params: request.params, ...(request.context ? { context: request.context } : {}) },
      ...(request.principal ? { principalType: request.principal } : {}),
      store: request.store ?? {},
    };
    return { kind: "decided", decision: await decideRequestFile(loaded.policies, file, true) };
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { kind: "invalid", problems: [`${code ? `${code}: ` : ""}${(e as Error).message}`] };
  }
}
