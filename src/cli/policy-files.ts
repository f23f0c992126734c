import { Option } from "commander";
import type { Policy, PolicyKind } from "../policy/ast.js";
import { formatFindingLine, type Finding, type Span } from "../policy/findings.js";
import { loadLintedPolicies, loadLintedPolicy, type PolicySource } from "../lint/lint.js";
import { policyName } from "../policy/name.js";
import { hostFindings } from "../sources/document.js";
import { discoverPolicies, SOURCE_FILES_HERE, type FileDocuments } from "../sources/discover.js";
import { InputError, type Io } from "./io.js";

/**
 * Loads policy texts for evaluation, named after their labels. Any Error finding, the parser's or the linter's,
 * rejects the input (docs/semantics.md §1: a policy with Errors is never loaded); Warnings never change decisions.
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

/** A span of a policy document (with its node's JSON Pointer) → where it is in the file the document is written in. */
export type HostSpan = (span: Span, path: string) => Span;

export const POLICY_KINDS: readonly PolicyKind[] = ["identity", "trust", "session", "control"];

/** `--kind`: which grammar and rules the policy files follow; without it, a trust policy is recognised by its content. */
export const kindOption = (): Option =>
  new Option("--kind <kind>", "the policies' kind (default: trust when a statement has a Principal and sts:AssumeRole, else identity)").choices(POLICY_KINDS);

/** `--kind session` names the one session policy of a request: more documents are a usage error. */
export function checkSessionCount(kind: PolicyKind | undefined, documents: number): void {
  if (kind === "session" && documents > 1) throw new InputError(`--kind session: a request has one session policy, got ${documents} policy documents`);
}

/**
 * The policies of some files, for evaluation, all or none: an Error anywhere, or a value only known once Terraform
 * or ROS renders the template, refuses them all (fail closed: a missing Deny could widen access). `kind` is the
 * user's `--kind`; without it a document's kind is its source's (a role's document is a trust policy) or read
 * from its content. Trust policies decide only sts:AssumeRole: they load, and `note` says they take no part.
 */
export function loadFileDocuments(files: readonly FileDocuments[], note: (message: string) => void, kind?: PolicyKind): { policies: Policy[]; labels: string[]; toHost: HostSpan[] } {
  const documents = files.flatMap((f) => f.documents);
  checkSessionCount(kind, documents.length);
  const problems: Finding[] = files.flatMap((f) => f.findings);
  const policies: Policy[] = [];
  // Where each policy was read from, in the order of `policies` (reports point at the file).
  const labels: string[] = [];
  const toHost: HostSpan[] = [];
  for (const doc of documents) {
    const docKind = kind ?? (doc.kind === "identity" ? undefined : doc.kind);
    const loaded = loadLintedPolicy(doc.text, { name: doc.name, file: doc.file, ...(docKind ? { kind: docKind } : {}) });
    const errors = hostFindings(doc, loaded.findings).filter((f) => f.severity === "Error");
    const unrendered = hostFindings(doc, []).map((f) => ({ ...f, severity: "Error" as const, message: f.message.replace(/^not checked/, "cannot evaluate") }));
    problems.push(...errors, ...unrendered);
    if (loaded.policy) {
      policies.push(loaded.policy);
      labels.push(doc.file);
      toHost.push((span, path) => doc.toHost(span, path));
    }
  }
  if (problems.length > 0) throw new InputError(problems.map(formatFindingLine).join("\n"));
  const trust = policies.filter((p) => p.kind === "trust").map((p) => p.name);
  if (trust.length > 0) {
    note(`${trust.join(", ")}: trust ${trust.length === 1 ? "policy" : "policies"} (--kind or a Principal with sts:AssumeRole), deciding sts:AssumeRole only: not part of this decision`);
  }
  if (!policies.some((p) => p.kind === "identity")) {
    note(`no identity policy among the inputs, so nothing can allow the request (${[...new Set(policies.map((p) => p.kind))].join(", ")} policies only restrict identity policies or decide sts:AssumeRole)`);
  }
  return { policies, labels, toHost };
}

/**
 * Loads the policies of files and folders (a folder's own policy files, not its sub-folders': one principal's
 * set) in any source format; a path that holds no policy is an input error.
 */
export async function loadPolicyPaths(io: Io, paths: readonly string[], kind: PolicyKind | undefined, note: (message: string) => void): Promise<{ policies: Policy[]; labels: string[]; toHost: HostSpan[]; files: string[] }> {
  const discovery = await discoverPolicies(paths, io, SOURCE_FILES_HERE);
  const errors = [
    ...discovery.problems.map((p) => `${p.path}: cannot read file (${p.reason})`),
    ...discovery.notPolicies.map((f) => `${f}: holds no policy (no Statement member, no Terraform or ROS RAM policy)`),
    ...discovery.unmatched.map((p) => `${p}: no policy files (JSON, YAML, Terraform, ROS)`),
  ];
  if (errors.length > 0) throw new InputError(errors.join("\n"));
  return { ...loadFileDocuments(discovery.files, note, kind), files: discovery.files.map((f) => f.file) };
}
