import { parsePolicy } from "../../src/policy/parse.js";
import type { Policy, PolicyKind } from "../../src/policy/ast.js";

/** Wraps statements into a document and parses it; throws with the findings if it does not load. */
export function policyOf(statements: unknown[], name = "p", kind: PolicyKind = "identity"): Policy {
  const r = parsePolicy(JSON.stringify({ Version: "1", Statement: statements }), { name, kind });
  if (!r.policy) throw new Error(`policy ${name} does not load: ${r.findings.map((f) => f.message).join("; ")}`);
  return r.policy;
}

/** Rule ids of a document's findings, for assertions. */
export function ruleIds(text: string, kind: PolicyKind = "identity"): string[] {
  return parsePolicy(text, { kind }).findings.map((f) => f.ruleId);
}
