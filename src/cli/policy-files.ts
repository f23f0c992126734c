import { basename } from "node:path";
import type { Policy, PolicyKind } from "../policy/ast.js";
import { formatFindingLine, type Finding } from "../policy/findings.js";
import { loadLintedPolicy } from "../lint/lint.js";
import { InputError, readText, type Io } from "./io.js";

/** A policy's name in decisions: its file name without `.json`. */
export const policyName = (path: string): string => basename(path).replace(/\.json$/i, "");

/**
 * Loads policy files for evaluation. Any Error finding, the parser's or the linter's, rejects the input
 * (contract §1: a policy with Errors is never loaded); Warnings never change decisions.
 */
export function loadPolicyFiles(io: Io, paths: readonly string[], kind: PolicyKind = "identity"): Policy[] {
  const errors: Finding[] = [];
  const policies: Policy[] = [];
  for (const path of paths) {
    const r = loadLintedPolicy(readText(io, path), { name: policyName(path), kind, file: path });
    errors.push(...r.findings.filter((f) => f.severity === "Error"));
    if (r.policy) policies.push(r.policy);
  }
  if (errors.length > 0) throw new InputError(errors.map(formatFindingLine).join("\n"));
  return policies;
}
