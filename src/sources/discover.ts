import { basename } from "node:path";
import type { Finding } from "../policy/findings.js";
import { isObject, parseJsonSource } from "../policy/json-source.js";
import { policyName } from "../policy/name.js";
import { collectInputs, type InputSource, type LintInput, type Unreadable } from "../lint/files.js";
import { pointerMapping, type PolicyDocument } from "./document.js";
import { isRosTemplate, rosDocuments } from "./ros.js";
import { mentionsRamPolicy, MissingHclParser, terraformDocuments } from "./terraform.js";
import { parseYaml } from "./yaml.js";

/** Where policies live: policy files (JSON, YAML), ROS templates (JSON, YAML), Terraform files. */
export const SOURCE_FILES = "**/*.{json,yaml,yml,tf}";
/** The same, in a folder itself and not its sub-folders: one principal's policies, for `eval` and `diff`. */
export const SOURCE_FILES_HERE = "*.{json,yaml,yml,tf}";
export const isSourceFile = (path: string): boolean => /\.(json|ya?ml|tf)$/i.test(path);

const isYaml = (file: string): boolean => /\.ya?ml$/i.test(file);
const isTerraform = (file: string): boolean => /\.tf$/i.test(file);

/** What one file holds. */
export interface FileDocuments {
  readonly file: string;
  readonly text: string;
  readonly documents: PolicyDocument[];
  /** Findings on the file itself: its syntax, values not checked because they are not written in it. */
  readonly findings: Finding[];
}

export interface Discovery {
  readonly files: FileDocuments[];
  /** Files found in folders that hold no policy (package.json, request files, other Terraform). */
  readonly skipped: string[];
  /** Paths that cannot be read (or, for Terraform, parsed without the optional parser). */
  readonly problems: Unreadable[];
  /** Files named on the command line that hold no policy. */
  readonly notPolicies: string[];
  /** Command-line paths under which no policy was found. */
  readonly unmatched: string[];
}

const standalone = (input: Pick<LintInput, "file" | "text">, text: string, name: string): PolicyDocument => ({
  name,
  file: input.file,
  hostText: input.text,
  kind: "identity",
  text,
  standalone: true,
  unrendered: [],
  toHost: (span) => span,
});

/** A policy has a `Statement` member (every policy must). */
const holdsStatement = (value: unknown): boolean => isObject(value) && "Statement" in value;

/**
 * A file named on the command line is read as a policy unless it is plainly something else: an object with
 * neither `Statement` nor `Version` (package.json, a request file). One with only one of them is a broken policy,
 * and the linter says what is missing.
 */
const namedAsPolicy = (value: unknown): boolean => !isObject(value) || "Statement" in value || "Version" in value;

/** The policy documents in one file; undefined when it holds none (`explicit` files are read as policies). */
export async function documentsOf(input: Pick<LintInput, "file" | "text" | "explicit">): Promise<{ documents: PolicyDocument[]; findings: Finding[] } | undefined> {
  const { file, text, explicit } = input;
  if (isTerraform(file)) {
    if (!mentionsRamPolicy(text)) return undefined;
    const result = await terraformDocuments(file, text);
    return result.documents.length + result.findings.length > 0 ? result : undefined;
  }
  if (isYaml(file)) {
    const parsed = parseYaml(text);
    if (!parsed.ok) return explicit || /^\s*["']?Statement["']?\s*:/m.test(text) ? { documents: [], findings: [{ ...parsed.finding, file }] } : undefined;
    if (isRosTemplate(parsed.tree.value)) return nonEmpty(rosDocuments(file, text, parsed.tree));
    if (!(explicit ? namedAsPolicy : holdsStatement)(parsed.tree.value)) return undefined;
    const json = JSON.stringify(parsed.tree.value, null, 2) ?? "null";
    const name = basename(file).replace(/\.ya?ml$/i, "");
    const doc = { ...standalone(input, json, name), standalone: false, unrendered: parsed.tree.tagged, toHost: pointerMapping(json, parsed.tree.nodes) };
    return { documents: [doc], findings: [] };
  }
  const parsed = parseJsonSource(text);
  if (parsed.ok && isRosTemplate(parsed.source.value)) {
    return nonEmpty(rosDocuments(file, text, { value: parsed.source.value, nodes: parsed.source.nodes, tagged: [] }));
  }
  // A broken file that names a Statement is a broken policy: report it rather than skip it.
  const policy = parsed.ok ? (explicit ? namedAsPolicy : holdsStatement)(parsed.source.value) : explicit || /"Statement"/.test(text);
  return policy ? { documents: [standalone(input, text, policyName(file))], findings: [] } : undefined;
}

const nonEmpty = (documents: PolicyDocument[]): { documents: PolicyDocument[]; findings: Finding[] } | undefined =>
  documents.length > 0 ? { documents, findings: [] } : undefined;

/**
 * Expands the command-line paths (files, folders, `-`) and finds the policy documents in them. Files found in
 * folders are recognised by content; a file named on the command line that holds no policy is a problem, so
 * that a typo'd path never passes as "no findings".
 */
export async function discoverPolicies(paths: readonly string[], io: InputSource, pattern: string = SOURCE_FILES): Promise<Discovery> {
  const { inputs, unreadable } = collectInputs(paths, io, pattern);
  const files: FileDocuments[] = [];
  const skipped: string[] = [];
  const problems: Unreadable[] = [...unreadable];
  const notPolicies: string[] = [];
  const matched = new Set<string>();
  for (const input of inputs) {
    let found;
    try {
      found = await documentsOf(input);
    } catch (e) {
      if (!(e instanceof MissingHclParser)) throw e;
      problems.push({ path: input.file, reason: e.message });
      matched.add(input.from);
      continue;
    }
    if (found) {
      files.push({ file: input.file, text: input.text, ...found });
      matched.add(input.from);
    } else if (input.explicit) {
      notPolicies.push(input.file);
      matched.add(input.from);
    } else skipped.push(input.file);
  }
  const unreadablePaths = new Set(unreadable.map((u) => u.path));
  const unmatched = paths.filter((p) => !matched.has(p) && !unreadablePaths.has(p));
  return { files, skipped, problems, notPolicies, unmatched };
}
