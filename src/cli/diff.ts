import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, posix, resolve } from "node:path";
import { Option, type Command } from "commander";
import { StoreError } from "../ess/store.js";
import { diffPolicies, type PolicyDiff, type PolicyVersion } from "../diff/index.js";
import { renderJson, renderMarkdown, renderText, requestFileJson, type RenderOptions } from "../diff/format.js";
import { findNewAccess } from "../analysis/analyze.js";
import { renderCheckJson, renderCheckText, type CheckReport } from "../analysis/format.js";
import { writeWitnesses } from "./witnesses.js";
import { EXIT, InputError, readText, type Io } from "./io.js";
import { documentsOf, isSourceFile, type FileDocuments } from "../sources/discover.js";
import { kindOption, loadFileDocuments, loadPolicyPaths, type HostSpan } from "./policy-files.js";
import type { PolicyKind } from "../policy/ast.js";

/**
 * `ess-authz diff OLD NEW`: the decisions that changed between two versions of a principal's policies, over
 * every ESS operation and the resources and condition values either version names, and the RFC 6902 patch.
 * OLD and NEW are a policy file (JSON, YAML, Terraform, ROS), a folder (its policy files, attached together) or
 * `git:<ref>:<path>`.
 */
export interface DiffOptions {
  format: "text" | "markdown" | "json";
  store?: string;
  examples?: string;
  failOnNewAccess?: boolean;
  kind?: PolicyKind;
}

export interface LoadedVersion extends PolicyVersion {
  /** The policy files on disk, for the `eval` command that reproduces an example; absent for git sources. */
  readonly files?: readonly string[];
  /** Where each policy was read from (a path or `git:<ref>:<path>`), in the order of `policies`. */
  readonly labels: readonly string[];
  /** Where each policy's spans are in its file (a document embedded in Terraform starts further down). */
  readonly toHost?: readonly HostSpan[];
}

const GIT_SOURCE = /^git:([^:]+):(.+)$/;

function git(io: Io, source: string, args: readonly string[]): string {
  try {
    return execFileSync("git", args, { cwd: io.cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? "").trim().split("\n")[0];
    throw new InputError(`${source}: cannot read from git${stderr ? ` (${stderr})` : ""}`);
  }
}

/**
 * `git:<ref>:<path>`, read with `git cat-file` (no network): a file, or the policy files of a folder (JSON, YAML,
 * Terraform, ROS), refusing any policy with an Error finding, as for files on disk.
 */
async function loadGitVersion(io: Io, source: string, kind: PolicyKind | undefined): Promise<LoadedVersion> {
  const m = GIT_SOURCE.exec(source);
  if (!m || m[1]!.startsWith("-")) throw new InputError(`${source}: expected git:<ref>:<path>, e.g. git:HEAD:policies/r1-group1-by-arn.json`);
  const [ref, path] = [m[1]!, m[2]!.replace(/\/+$/, "")];
  const object = `${ref}:${path}`;
  const type = git(io, source, ["cat-file", "-t", object]).trim();
  let entries: { path: string; object: string }[];
  if (type === "blob") entries = [{ path, object }];
  else if (type === "tree") {
    entries = git(io, source, ["ls-tree", "-z", object])
      .split("\0")
      .map((line) => /^\d+ blob ([0-9a-f]+)\t(.+)$/.exec(line))
      .flatMap((e) => (e && isSourceFile(e[2]!) ? [{ path: posix.join(path, e[2]!), object: e[1]! }] : []))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
  } else throw new InputError(`${source}: not a file or folder in git`);
  const files: FileDocuments[] = [];
  for (const e of entries) {
    const file = `git:${ref}:${e.path}`;
    const text = git(io, source, ["cat-file", "blob", e.object]);
    const found = await documentsOf({ file, text, explicit: type === "blob" });
    if (found) files.push({ file, text, ...found });
    else if (type === "blob") throw new InputError(`${source}: holds no policy (no Statement member, no Terraform or ROS RAM policy)`);
  }
  if (files.length === 0) throw new InputError(`${source}: no policy files (JSON, YAML, Terraform, ROS)`);
  return { label: source, ...loadFileDocuments(files, (m) => io.stderr(`ess-authz diff: note: ${m}\n`), kind) };
}

/** A file, a folder (its own policy files: one principal's set, not its sub-folders') or `git:<ref>:<path>`. */
export async function loadVersion(io: Io, source: string, kind: PolicyKind | undefined): Promise<LoadedVersion> {
  if (source.startsWith("git:")) return loadGitVersion(io, source, kind);
  return { label: source, ...(await loadPolicyPaths(io, [source], kind, (m) => io.stderr(`ess-authz diff: note: ${m}\n`))) };
}

function readSnapshot(io: Io, path: string): unknown {
  try {
    return JSON.parse(readText(io, path));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: ${(e as Error).message}`);
  }
}

/** Writes each group's example request to `dir/NN-<change>-<family>.json`; returns the paths in group order. */
function writeExamples(io: Io, dir: string, diff: PolicyDiff): string[] {
  try {
    mkdirSync(resolve(io.cwd, dir), { recursive: true });
    return diff.delta.groups.map((g, i) => {
      const path = join(dir, `${String(i + 1).padStart(2, "0")}-${g.change}-${g.family.replace(/\*$/, "")}.json`);
      writeFileSync(resolve(io.cwd, path), JSON.stringify(requestFileJson(g.cells[0]!.cell.request), null, 2) + "\n");
      return path;
    });
  } catch (e) {
    throw new InputError(`${dir}: cannot write the examples (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

const RENDERERS = { text: renderText, markdown: renderMarkdown, json: renderJson } as const;

/** Exit 0, or 1 with `failOnNewAccess` when any cell became allowed; invalid input throws InputError (exit 2). */
export async function runDiff(io: Io, oldSource: string, newSource: string, options: DiffOptions): Promise<number> {
  const oldVersion = await loadVersion(io, oldSource, options.kind);
  const newVersion = await loadVersion(io, newSource, options.kind);
  const snapshot = options.store === undefined ? undefined : readSnapshot(io, options.store);
  let diff: PolicyDiff;
  try {
    diff = await diffPolicies(oldVersion, newVersion, snapshot === undefined ? {} : { snapshot });
  } catch (e) {
    if (e instanceof StoreError) throw new InputError(`${options.store}: ${e.message}`);
    throw e;
  }
  const render: RenderOptions = {
    ...(options.examples === undefined ? {} : { examplePaths: writeExamples(io, options.examples, diff) }),
    ...(newVersion.files ? { newPolicyFiles: newVersion.files } : {}),
    ...(options.kind ? { kind: options.kind } : {}),
  };
  const rendered = RENDERERS[options.format](diff, render);
  if (!options.failOnNewAccess) {
    io.stdout(rendered);
    return EXIT.ok;
  }
  return gateOnNewAccess(io, oldVersion, newVersion, diff, rendered, options);
}

/**
 * `--fail-on-new-access` does not trust the bounded cells above: it asks the exact analysis, appends its answer
 * (with witness requests in `--examples`), and exits 1 on new access, 2 when it could not decide.
 */
async function gateOnNewAccess(io: Io, oldVersion: LoadedVersion, newVersion: LoadedVersion, diff: PolicyDiff, rendered: string, options: DiffOptions): Promise<number> {
  const result = await findNewAccess(oldVersion.policies, newVersion.policies);
  const witnessPaths = result.status === "violated" && options.examples !== undefined ? writeWitnesses(io, options.examples, result.witnesses, "new-access-") : undefined;
  const report: CheckReport = {
    check: "no-new-access",
    subject: `${newVersion.label} against ${oldVersion.label}`,
    result,
    policies: newVersion.policies,
    labels: newVersion.labels,
    ...(newVersion.toHost ? { toHost: newVersion.toHost } : {}),
    ...(witnessPaths ? { witnessPaths } : {}),
  };
  if (options.format === "json") io.stdout(JSON.stringify({ ...JSON.parse(rendered), newAccess: JSON.parse(renderCheckJson(report)) }, null, 2) + "\n");
  else if (options.format === "markdown") io.stdout(`${rendered}\n### New access (exact check)\n\n\`\`\`\n${renderCheckText(report)}\`\`\`\n`);
  else io.stdout(`${rendered}\nNEW ACCESS (exact check)\n${renderCheckText(report)}`);
  if (result.status === "holds" && diff.delta.counts.allowed > 0) {
    io.stderr("ess-authz: internal disagreement: the exact check found no new access but some example requests became allowed; nothing is proven\n");
    return EXIT.invalid;
  }
  if (result.status === "undecided") io.stderr(`ess-authz: new access could not be decided: ${result.reason}\n`);
  return result.status === "holds" ? EXIT.ok : result.status === "violated" ? EXIT.denied : EXIT.invalid;
}

export function registerDiff(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("diff")
    .description("decisions that changed between two policy versions, grouped, with a reproducible example each, and the RFC 6902 patch (exit 0; 1 with --fail-on-new-access; 2 invalid input)")
    .argument("<old>", "policy file (JSON, YAML, .tf, ROS template), folder of them, or git:<ref>:<path>")
    .argument("<new>", "policy file (JSON, YAML, .tf, ROS template), folder of them, or git:<ref>:<path>")
    .addOption(new Option("--format <format>", "output format").choices(["text", "markdown", "json"]).default("text"))
    .option("--store <file>", "a store snapshot (the store object of a request file): its scaling groups are compared too, with their tags")
    .option("--examples <dir>", "write each group's example request to a file in this folder")
    .option("--fail-on-new-access", "decide exactly whether NEW allows any request OLD does not: exit 1 with witnesses (in --examples), 2 when undecided")
    .addOption(kindOption())
    .action(async (oldSource: string, newSource: string, opts: DiffOptions) => setExit(await runDiff(io, oldSource, newSource, opts)));
}
