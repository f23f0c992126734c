import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { Operation } from "fast-json-patch";
import { SEVERITY_RANK, type Severity } from "../policy/findings.js";
import { ConfigError, findConfigFile, isIgnored, loadConfig, settingsFor, type LoadedConfig } from "../lint/config.js";
import { STDIN_NAME, type Unreadable } from "../lint/files.js";
import { formatGithub } from "../lint/format/github.js";
import { formatSarif } from "../lint/format/sarif.js";
import { formatJson, formatText, runNotes, type FileReport } from "../lint/format/text.js";
import { fixPolicy, lintPolicyReport, type FixType, type LintReport } from "../lint/lint.js";
import type { PolicyKind } from "../policy/ast.js";
import { hostFindings } from "../sources/document.js";
import { discoverPolicies, type Discovery } from "../sources/discover.js";
import { kindOption } from "./policy-files.js";
import { applyRuleSettings } from "../lint/rule-settings.js";
import { applyBaseline, applySuppressions, baselineText, loadBaseline, type Baseline } from "../lint/suppress.js";
import type { Io } from "./io.js";
import { VERSION } from "./version.js";

/**
 * `ess-authz lint PATH...`: see `registerLint` for the options and README.md for the configuration.
 * Exit 0: no finding at or above --fail-on and no more warnings than --max-warnings; 1: otherwise; 2: usage
 * error, bad configuration or baseline, a path that cannot be read (the other paths are still linted and
 * reported), or files all ignored by the configuration.
 */
export interface LintCliOptions {
  readonly format: "text" | "json" | "sarif" | "github";
  readonly fix?: boolean;
  readonly fixType?: FixType;
  readonly dryRun?: boolean;
  readonly failOn: keyof typeof FAIL_ON;
  readonly maxWarnings?: number;
  readonly quiet?: boolean;
  /** A file, false for --no-config, undefined to search from the working directory. */
  readonly config?: string | false;
  readonly baseline?: string;
  readonly writeBaseline?: string;
  /** false with `--no-error-on-unmatched`: a path with no policy in it is not an error. */
  readonly errorOnUnmatched?: boolean;
  readonly kind?: PolicyKind;
}

const FAIL_ON = { error: "Error", "security-warning": "SecurityWarning", warning: "Warning", suggestion: "Suggestion", none: undefined } as const satisfies Record<string, Severity | undefined>;

/** Severities --max-warnings counts, as eslint counts its warnings. */
const WARNINGS: ReadonlySet<Severity> = new Set(["SecurityWarning", "Warning"]);

function printPatches(io: Io, format: LintCliOptions["format"], patches: readonly { file: string; patch: readonly Operation[] }[]): void {
  if (format !== "text") {
    io.stdout(JSON.stringify(patches, null, 2) + "\n");
    return;
  }
  for (const { file, patch } of patches) io.stdout(`${file}\n${JSON.stringify(patch, null, 2)}\n`);
  const ops = patches.reduce((n, p) => n + p.patch.length, 0);
  io.stdout(`dry run: ${ops} operation${ops === 1 ? "" : "s"} for ${patches.length} file${patches.length === 1 ? "" : "s"}, nothing written\n`);
}

function usageProblem(options: LintCliOptions, paths: readonly string[]): string | undefined {
  if (options.dryRun && !options.fix) return "--dry-run only goes with --fix";
  if (options.fixType && !options.fix) return "--fix-type only goes with --fix";
  if (options.fix && !options.dryRun && paths.includes("-")) return "--fix cannot rewrite standard input; use --fix --dry-run to print the patches";
  return undefined;
}

/** The configuration and baseline the run uses; a bad one is reported (exit 2) before anything is linted. */
function loadSettings(io: Io, options: LintCliOptions): { config?: LoadedConfig; baseline?: Baseline } | undefined {
  try {
    const configFile = options.config === false ? undefined : (options.config ?? findConfigFile(io.cwd));
    const config = configFile === undefined ? undefined : loadConfig(configFile, io.cwd);
    const baseline = options.baseline === undefined ? undefined : loadBaseline(options.baseline, io.cwd);
    return { ...(config ? { config } : {}), ...(baseline ? { baseline } : {}) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(`ess-authz lint: ${e.message}\n`);
    return undefined;
  }
}

const errorsOnly = (reports: readonly FileReport[]): FileReport[] => reports.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === "Error") }));

function print(io: Io, format: LintCliOptions["format"], reports: readonly FileReport[], problems: readonly Unreadable[], skipped: number): void {
  if (format === "json") io.stdout(formatJson(reports));
  else if (format === "sarif") io.stdout(formatSarif(reports, problems, VERSION));
  else if (format === "github") io.stdout(formatGithub(reports, problems));
  else io.stdout(formatText(reports, problems, skipped));
  if (format === "json" || format === "sarif") for (const p of problems) io.stderr(`ess-authz lint: cannot read ${p.path} (${p.reason})\n`);
  if (format !== "text") for (const note of runNotes(reports)) io.stderr(`ess-authz lint: ${note}\n`);
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

export async function lintCommand(io: Io, paths: readonly string[], options: LintCliOptions): Promise<number> {
  const usage = usageProblem(options, paths);
  if (usage) {
    io.stderr(`ess-authz lint: ${usage}\n`);
    return 2;
  }
  const settings = loadSettings(io, options);
  if (!settings) return 2;
  const { config } = settings;
  const discovery = await discoverPolicies(paths, io);
  const problems: Unreadable[] = [...discovery.problems];
  const absoluteOf = (file: string): string | undefined => (file === STDIN_NAME ? undefined : resolve(io.cwd, file));
  const files = config ? discovery.files.filter((f) => f.file === STDIN_NAME || !isIgnored(config, resolve(io.cwd, f.file))) : discovery.files;
  const ignored = discovery.files.length - files.length;
  if (ignored > 0) {
    // As eslint's "All files matched by … are ignored": linting nothing because of the configuration is no pass.
    if (files.length === 0) {
      io.stderr(`ess-authz lint: all ${ignored} file${ignored === 1 ? " is" : "s are"} ignored by ignorePatterns of ${config!.file}\n`);
      return 2;
    }
    io.stderr(`ess-authz lint: ${ignored} file${ignored === 1 ? "" : "s"} ignored by ignorePatterns of ${config!.file}\n`);
  }
  let reports: FileReport[] = [];
  const patches: { file: string; patch: readonly Operation[] }[] = [];
  for (const { file, text, documents, findings } of files) {
    const fileSettings = config ? settingsFor(config, absoluteOf(file)) : undefined;
    let reportText = text;
    const all = [...findings];
    const linted: Pick<LintReport, "kind" | "kindDetected" | "syntaxOnlyServices">[] = [];
    for (const doc of documents) {
      // --kind wins, then the configuration's; else the source's kind (a role's document is a trust policy), else the content says.
      const kind = options.kind ?? fileSettings?.kind ?? (doc.kind === "identity" ? undefined : doc.kind);
      const lintOptions = { file, ...(kind ? { kind } : {}), ...(fileSettings ? { rules: fileSettings.rules } : {}) };
      if (!options.fix || !doc.standalone) {
        const report = lintPolicyReport(doc.text, lintOptions);
        linted.push(report);
        all.push(...hostFindings(doc, report.findings));
        continue;
      }
      const fixed = fixPolicy(doc.text, { ...lintOptions, fixType: options.fixType ?? "safe" });
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
  // Findings about the configuration and the baseline themselves, reported at their entries.
  const entryReports: FileReport[] = [];
  const configRules = new Map(Object.entries(config?.config.rules ?? {}));
  if (config?.config.suppressions) {
    const suppressed = applySuppressions(reports, config, io.cwd);
    reports = suppressed.reports;
    entryReports.push({ file: config.file, text: config.text, findings: applyRuleSettings(suppressed.unused, configRules) });
  }
  let baseline = settings.baseline;
  if (options.writeBaseline !== undefined) {
    try {
      const target = resolve(io.cwd, options.writeBaseline);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, baselineText(reports, options.writeBaseline, io.cwd));
      baseline = loadBaseline(options.writeBaseline, io.cwd);
    } catch (e) {
      io.stderr(`ess-authz lint: cannot write the baseline ${options.writeBaseline} (${(e as NodeJS.ErrnoException).code ?? String(e)})\n`);
      return 2;
    }
    io.stderr(`ess-authz lint: wrote ${baseline.entries.length} finding${baseline.entries.length === 1 ? "" : "s"} to ${baseline.file}\n`);
  }
  if (baseline) {
    const accepted = applyBaseline(reports, baseline, io.cwd);
    reports = accepted.reports;
    entryReports.push({ file: baseline.file, text: baseline.text, findings: applyRuleSettings(accepted.unused, configRules) });
  }
  const all = [...reports, ...entryReports.filter((r) => r.findings.length > 0)];
  const shown = options.quiet ? errorsOnly(all) : all;
  if (options.dryRun) printPatches(io, options.format, patches);
  else print(io, options.format, shown, problems, unmatched.skipped);

  if (problems.length > 0 || unmatched.failed) return 2;
  const findings = shown.flatMap((r) => r.findings);
  const lowest = FAIL_ON[options.failOn];
  if (lowest !== undefined && findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[lowest])) return 1;
  const warnings = findings.filter((f) => WARNINGS.has(f.severity)).length;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    io.stderr(`ess-authz lint: too many warnings (${warnings}; --max-warnings ${options.maxWarnings})\n`);
    return 1;
  }
  return 0;
}

const nonNegativeInteger = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number, 0 or more");
  return Number(value);
};

/** Adds `lint` to the program; the action reports its exit code through `setExit` (use `parseAsync`). */
export function registerLint(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("lint")
    .description("lint RAM policies for ESS: errors, security warnings, warnings, suggestions (exit 0 clean / 1 findings / 2 usage, configuration or unreadable)")
    .argument("<paths...>", "policy files (JSON, YAML), Terraform files, ROS templates, or folders of them; - reads standard input")
    .addOption(new Option("--format <format>", "output format (github: workflow commands that annotate a pull request)").choices(["text", "json", "sarif", "github"]).default("text"))
    .option("--fix", "apply the fixes that never widen access and rewrite the files; report what remains")
    .addOption(new Option("--fix-type <type>", "with --fix: widening also applies fixes that make a dead Allow entry match").choices(["safe", "widening"]))
    .option("--dry-run", "with --fix: print the RFC 6902 patches instead of rewriting")
    .addOption(new Option("--fail-on <severity>", "lowest severity that makes the exit code 1 (none: findings never do)").choices(Object.keys(FAIL_ON)).default("error"))
    .option("--max-warnings <n>", "exit 1 when there are more than n warnings and security warnings", nonNegativeInteger)
    .option("--quiet", "report errors only")
    .option("--config <file>", "use this configuration file instead of searching for one")
    .option("--no-config", "use no configuration file")
    .option("--baseline <file>", "report only findings the baseline file does not record")
    .option("--write-baseline <file>", "record every current finding in a baseline file")
    .option("--no-error-on-unmatched", "exit 0 rather than 2 when a path holds no policy")
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
