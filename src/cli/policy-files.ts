import { Option } from "commander";
import type { Policy, PolicyKind } from "../policy/ast.js";
import { formatFindingLine } from "../policy/findings.js";
import { loadLintedPolicies, type PolicySource } from "../lint/lint.js";
import { policyName } from "../policy/name.js";
import { InputError, readText, type Io } from "./io.js";

/**
 * Loads policy texts for evaluation, named after their labels. Any Error finding, the parser's or the linter's,
 * rejects the input (contract §1: a policy with Errors is never loaded); Warnings never change decisions.
 * `kind` is the user's `--kind`; without it each document's kind is read from its content.
 */
export function loadPolicyTexts(sources: readonly { label: string; text: string }[], kind?: PolicyKind): Policy[] {
  return loadPolicySources(sources.map(({ label, text }) => ({ text, name: policyName(label), file: label })), kind);
}

/** Loads named policy sources, all or none: every Error finding of every source is thrown as one `InputError`. */
export function loadPolicySources(sources: readonly PolicySource[], kind?: PolicyKind): Policy[] {
  const loaded = loadLintedPolicies(sources, kind);
  if (loaded.errors) throw new InputError(loaded.errors.map(formatFindingLine).join("\n"));
  return loaded.policies;
}

/** Loads policy files for evaluation (see loadPolicyTexts). */
export function loadPolicyFiles(io: Io, paths: readonly string[], kind?: PolicyKind): Policy[] {
  return loadPolicyTexts(paths.map((path) => ({ label: path, text: readText(io, path) })), kind);
}

export const POLICY_KINDS: readonly PolicyKind[] = ["identity", "trust", "session", "control"];

/** `--kind`: which grammar and rules the policy files follow; without it, a trust policy is recognised by its content. */
export const kindOption = (): Option =>
  new Option("--kind <kind>", "the policies' kind (default: trust when a statement has a Principal and sts:AssumeRole, else identity)").choices(POLICY_KINDS);

/** `--kind session` names the one session policy of a request: more files are a usage error. */
export function checkSessionCount(kind: PolicyKind | undefined, files: number): void {
  if (kind === "session" && files > 1) throw new InputError(`--kind session: a request has one session policy, got ${files} policy files`);
}
