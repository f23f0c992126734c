import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, CommanderError, Option } from "commander";
import type { Operation } from "fast-json-patch";
import { SEVERITY_RANK, type Severity } from "../policy/findings.js";
import type { Unreadable } from "../lint/files.js";
import { formatSarif } from "../lint/format/sarif.js";
import { formatJson, formatText, runNotes, type FileReport } from "../lint/format/text.js";
import { fixPolicy, lintPolicyReport, type LintReport } from "../lint/lint.js";
import type { PolicyKind } from "../policy/ast.js";
import { hostFindings } from "../sources/document.js";
import { discoverPolicies, type Discovery } from "../sources/discover.js";
import { kindOption } from "./policy-files.js";
import type { Io } from "./io.js";

/**
 * `ess-authz lint PATH... [--format text|json|sarif] [--fix [--dry-run]] [--fail-on SEVERITY]`.
 * Exit 0: no finding at or above --fail-on; 1: at least one; 2: usage error or a path that cannot be read
 * (the other paths are still linted and reported).
 */
export interface LintCliOptions {
  readonly format: "text" | "json" | "sarif";
  readonly fix?: boolean;
  readonly dryRun?: boolean;
  readonly failOn: keyof typeof FAIL_ON;
  /** false with `--no-error-on-unmatched`: a path with no policy in it is not an error. */
  readonly errorOnUnmatched?: boolean;
  readonly kind?: PolicyKind;
}

const FAIL_ON = { error: "Error", "security-warning": "SecurityWarning", warning: "Warning", suggestion: "Suggestion" } as const satisfies Record<string, Severity>;

export const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

function printPatches(io: Io, format: LintCliOptions["format"], patches: readonly { file: string; patch: readonly Operation[] }[]): void {
  if (format !== "text") {
    io.stdout(JSON.stringify(patches, null, 2) + "\n");
    return;
  }
  for (const { file, patch } of patches) io.stdout(`${file}\n${JSON.stringify(patch, null, 2)}\n`);
  const ops = patches.reduce((n, p) => n + p.patch.length, 0);
  io.stdout(`dry run: ${ops} operation${ops === 1 ? "" : "s"} for ${patches.length} file${patches.length === 1 ? "" : "s"}, nothing written\n`);
}

export async function lintCommand(io: Io, paths: readonly string[], options: LintCliOptions): Promise<number> {
  if (options.dryRun && !options.fix) {
    io.stderr("ess-authz lint: --dry-run only goes with --fix\n");
    return 2;
  }
  if (options.fix && !options.dryRun && paths.includes("-")) {
    io.stderr("ess-authz lint: --fix cannot rewrite standard input; use --fix --dry-run to print the patches\n");
    return 2;
  }
  const discovery = await discoverPolicies(paths, io);
  const problems: Unreadable[] = [...discovery.problems];
  const reports: FileReport[] = [];
  const patches: { file: string; patch: readonly Operation[] }[] = [];
  for (const { file, text, documents, findings } of discovery.files) {
    let reportText = text;
    const all = [...findings];
    const linted: Pick<LintReport, "kind" | "kindDetected" | "syntaxOnlyServices">[] = [];
    for (const doc of documents) {
      // --kind wins; else the source's kind (a role's document is a trust policy), else the content says.
      const kind = options.kind ?? (doc.kind === "identity" ? undefined : doc.kind);
      const lintOptions = { file, ...(kind ? { kind } : {}) };
      if (!options.fix || !doc.standalone) {
        const report = lintPolicyReport(doc.text, lintOptions);
        linted.push(report);
        all.push(...hostFindings(doc, report.findings));
        continue;
      }
      const fixed = fixPolicy(doc.text, lintOptions);
      linted.push(fixed);
      if (fixed.patch.length > 0) {
        patches.push({ file, patch: fixed.patch });
        if (!options.dryRun) {
          try {
            writeFileSync(resolve(io.cwd, file), fixed.text);
          } catch (e) {
            problems.push({ path: file, reason: (e as NodeJS.ErrnoException).code ?? String(e) });
          }
        }
      }
      reportText = fixed.text;
      all.push(...fixed.findings);
    }
    const detected = linted.find((r) => r.kindDetected);
    reports.push({
      file,
      text: reportText,
      findings: all.sort((a, b) => a.line - b.line || a.column - b.column),
      ...(detected ? { detectedKind: detected.kind } : {}),
      syntaxOnlyServices: [...new Set(linted.flatMap((r) => r.syntaxOnlyServices))].sort(),
    });
  }
  const unmatched = reportUnmatched(io, discovery, options.errorOnUnmatched !== false);
  if (options.dryRun) printPatches(io, options.format, patches);
  else if (options.format === "json") io.stdout(formatJson(reports));
  else if (options.format === "sarif") io.stdout(formatSarif(reports, problems, VERSION));
  else io.stdout(formatText(reports, problems, unmatched.skipped));
  if (options.format !== "text") {
    for (const p of problems) io.stderr(`ess-authz lint: cannot read ${p.path} (${p.reason})\n`);
    for (const note of runNotes(reports)) io.stderr(`ess-authz lint: ${note}\n`);
  }

  if (problems.length > 0 || unmatched.failed) return 2;
  const threshold = SEVERITY_RANK[FAIL_ON[options.failOn]];
  return reports.some((r) => r.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold)) ? 1 : 0;
}

/**
 * Never a silent success: (unless `--no-error-on-unmatched`) a file named on the command line that holds no
 * policy, and a path under which no policy was found, are usage errors, as eslint's "No files
 * matching the pattern". With the option, named files that hold no policy are skipped like the others (a
 * pre-commit hook names every staged file).
 */
function reportUnmatched(io: Io, discovery: Discovery, errorOnUnmatched: boolean): { failed: boolean; skipped: number } {
  if (!errorOnUnmatched) return { failed: false, skipped: discovery.skipped.length + discovery.notPolicies.length };
  for (const file of discovery.notPolicies) io.stderr(`ess-authz lint: ${file} holds no policy (no Statement member, no Terraform or ROS RAM policy)\n`);
  const skipped = discovery.skipped.length;
  const note = skipped > 0 ? ` (skipped ${skipped} file${skipped === 1 ? "" : "s"} that ${skipped === 1 ? "holds" : "hold"} no policy)` : "";
  for (const path of discovery.unmatched) io.stderr(`ess-authz lint: no policy found in ${path}${note}; pass --no-error-on-unmatched if that is expected\n`);
  return { failed: discovery.notPolicies.length + discovery.unmatched.length > 0, skipped };
}

/** Adds `lint` to the program; the action reports its exit code through `setExit` (use `parseAsync`). */
export function registerLint(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("lint")
    .description("lint RAM policies for ESS: errors, security warnings, warnings, suggestions (exit 0 clean / 1 findings / 2 usage or unreadable)")
    .argument("<paths...>", "policy files (JSON, YAML), Terraform files, ROS templates, or folders of them; - reads standard input")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif"]).default("text"))
    .option("--fix", "apply the safe fixes and rewrite the files; report what remains")
    .option("--dry-run", "with --fix: print the RFC 6902 patches instead of rewriting")
    .option("--no-error-on-unmatched", "exit 0 rather than 2 when a path holds no policy")
    .addOption(new Option("--fail-on <severity>", "lowest severity that makes the exit code 1").choices(Object.keys(FAIL_ON)).default("error"))
    .addOption(kindOption())
    .action(async (paths: string[], opts: LintCliOptions) => setExit(await lintCommand(io, paths, opts)));
}

/** Runs `ess-authz lint` with the arguments after `lint`, in-process; resolves to the exit code. */
export async function runLint(argv: readonly string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = new Command("ess-authz")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  registerLint(program, io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(["lint", ...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return exitCode;
}
