import type { Policy, PolicyKind } from "../policy/ast.js";
import { formatFindingLine } from "../policy/findings.js";
import { loadLintedPolicies, type PolicySource } from "../lint/lint.js";
import { policyName } from "../policy/name.js";
import { InputError, readText, type Io } from "./io.js";

/**
 * Loads policy texts for evaluation, named after their labels. Any Error finding, the parser's or the linter's,
 * rejects the input (contract §1: a policy with Errors is never loaded); Warnings never change decisions.
 */
export function loadPolicyTexts(sources: readonly { label: string; text: string }[], kind: PolicyKind = "identity"): Policy[] {
  return loadPolicySources(sources.map(({ label, text }) => ({ text, name: policyName(label), file: label })), kind);
}

/** Loads named policy sources, all or none: every Error finding of every source is thrown as one `InputError`. */
export function loadPolicySources(sources: readonly PolicySource[], kind: PolicyKind = "identity"): Policy[] {
  const loaded = loadLintedPolicies(sources, kind);
  if (loaded.errors) throw new InputError(loaded.errors.map(formatFindingLine).join("\n"));
  return loaded.policies;
}

/** Loads policy files for evaluation (see loadPolicyTexts). */
export function loadPolicyFiles(io: Io, paths: readonly string[], kind: PolicyKind = "identity"): Policy[] {
  return loadPolicyTexts(paths.map((path) => ({ label: path, text: readText(io, path) })), kind);
}
