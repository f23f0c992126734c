import type { Policy, PolicyKind } from "../policy/ast.js";
import { formatFindingLine, type Finding } from "../policy/findings.js";
import { loadLintedPolicies, loadLintedPolicy, type PolicySource } from "../lint/lint.js";
import { policyName } from "../policy/name.js";
import { hostFindings } from "../sources/document.js";
import { discoverPolicies, SOURCE_FILES_HERE, type FileDocuments } from "../sources/discover.js";
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

/**
 * The identity policies of some files, for evaluation, all or none: an Error anywhere, or a value only known once
 * Terraform or ROS renders the template, refuses them all (fail closed: a missing Deny could widen access).
 * Trust policies (a role's) are not the principal's permissions and are left out, with a note on `note`.
 */
export function loadFileDocuments(files: readonly FileDocuments[], note: (message: string) => void): Policy[] {
  const problems: Finding[] = files.flatMap((f) => f.findings);
  const policies: Policy[] = [];
  const trust = files.flatMap((f) => f.documents).filter((d) => d.kind === "trust");
  if (trust.length > 0) note(`left out ${trust.length} trust polic${trust.length === 1 ? "y" : "ies"} (${trust.map((d) => d.name).join(", ")}): they say who may assume a role, not what it may do`);
  for (const doc of files.flatMap((f) => f.documents).filter((d) => d.kind !== "trust")) {
    const loaded = loadLintedPolicy(doc.text, { name: doc.name, kind: doc.kind, file: doc.file });
    const errors = hostFindings(doc, loaded.findings).filter((f) => f.severity === "Error");
    const unrendered = hostFindings(doc, []).map((f) => ({ ...f, severity: "Error" as const, message: f.message.replace(/^not checked/, "cannot evaluate") }));
    problems.push(...errors, ...unrendered);
    if (loaded.policy) policies.push(loaded.policy);
  }
  if (problems.length > 0) throw new InputError(problems.map(formatFindingLine).join("\n"));
  return policies;
}

/**
 * Loads the policies of files and folders (a folder's own policy files, not its sub-folders': one principal's
 * set) in any source format; a path that holds no policy is an input error.
 */
export async function loadPolicyPaths(io: Io, paths: readonly string[]): Promise<{ policies: Policy[]; files: string[] }> {
  const discovery = await discoverPolicies(paths, io, SOURCE_FILES_HERE);
  const errors = [
    ...discovery.problems.map((p) => `${p.path}: cannot read file (${p.reason})`),
    ...discovery.notPolicies.map((f) => `${f}: holds no policy (no Statement member, no Terraform or ROS RAM policy)`),
    ...discovery.unmatched.map((p) => `${p}: no policy files (JSON, YAML, Terraform, ROS)`),
  ];
  if (errors.length > 0) throw new InputError(errors.join("\n"));
  const policies = loadFileDocuments(discovery.files, (m) => io.stderr(`ess-authz: ${m}\n`));
  if (policies.length === 0) throw new InputError(`${paths.join(", ")}: no identity policy to evaluate`);
  return { policies, files: discovery.files.map((f) => f.file) };
}
