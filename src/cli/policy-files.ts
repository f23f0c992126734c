import { basename } from "node:path";
import type { Policy, PolicyKind } from "../policy/ast.js";
import { formatFindingLine } from "../policy/findings.js";
import { loadLintedPolicies } from "../lint/lint.js";
import { InputError, readText, type Io } from "./io.js";

/** A policy's name in decisions: its file name without `.json`. */
export const policyName = (path: string): string => basename(path).replace(/\.json$/i, "");

/**
 * Loads policy texts for evaluation, named after their labels. Any Error finding, the parser's or the linter's,
 * rejects the input (contract §1: a policy with Errors is never loaded); Warnings never change decisions.
 */
export function loadPolicyTexts(sources: readonly { label: string; text: string }[], kind: PolicyKind = "identity"): Policy[] {
  const loaded = loadLintedPolicies(sources.map(({ label, text }) => ({ text, name: policyName(label), file: label })), kind);
  if (loaded.errors) throw new InputError(loaded.errors.map(formatFindingLine).join("\n"));
  return loaded.policies;
}

/** Loads policy files for evaluation (see loadPolicyTexts). */
export function loadPolicyFiles(io: Io, paths: readonly string[], kind: PolicyKind = "identity"): Policy[] {
  return loadPolicyTexts(paths.map((path) => ({ label: path, text: readText(io, path) })), kind);
}
