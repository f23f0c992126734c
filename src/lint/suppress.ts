import { createHash } from "node:crypto";
import { dirname, posix, relative, resolve, sep } from "node:path";
import fjp from "fast-json-patch";
import type { Finding, Span } from "../policy/findings.js";
import { parseJsonSource, type JsonSource } from "../policy/json-source.js";
import { lazySchemaValidator } from "../policy/schema-validator.js";
import { readJson, readSettingsFile, schemaProblems, suppressionNames, throwProblems, type LoadedConfig } from "./config.js";
import { STDIN_NAME } from "./files.js";
import type { FileReport } from "./format/text.js";
import { CONFIG_RULES } from "./rules.js";

/**
 * Findings accepted on purpose, kept out of the policy (RAM rejects comments): suppressions in the
 * configuration (one rule, one file, a JSON Pointer and everything below it, with a reason) and a baseline
 * file of the findings that existed when it was written (as checkov's and detekt's baselines). An entry that
 * matches nothing in a file it names is reported itself, so that none outlives its finding.
 */

/** A finding about a suppression or baseline entry, at the entry. */
function entryFinding(ruleId: string, message: string, file: string, path: string, span: Span): Finding {
  const meta = CONFIG_RULES.find((r) => r.id === ruleId)!;
  return { ruleId, severity: meta.severity, message, path, file, ...span };
}

/** The pointer is the finding's node or one of its ancestors. */
const covers = (pointer: string, path: string): boolean => pointer === "" || path === pointer || path.startsWith(`${pointer}/`);

const absoluteOf = (cwd: string, file: string): string | undefined => (file === STDIN_NAME ? undefined : resolve(cwd, file));

/** The reports without the suppressed findings, and the suppressions that matched none in a file they name. */
export function applySuppressions(reports: readonly FileReport[], loaded: LoadedConfig, cwd: string): { reports: FileReport[]; unused: Finding[] } {
  const suppressions = loaded.config.suppressions ?? [];
  const named = new Set<number>();
  const used = new Set<number>();
  const kept = reports.map((report): FileReport => {
    const absolute = absoluteOf(cwd, report.file);
    const mine = absolute === undefined ? [] : suppressions.flatMap((s, i) => (suppressionNames(loaded, s, absolute) ? [{ s, i }] : []));
    if (mine.length === 0) return report;
    for (const { i } of mine) named.add(i);
    const findings = report.findings.filter((f) => {
      const by = mine.filter(({ s }) => s.rule === f.ruleId && covers(s.path, f.path));
      for (const { i } of by) used.add(i);
      return by.length === 0;
    });
    return { ...report, findings };
  });
  const unused = [...named]
    .filter((i) => !used.has(i))
    .sort((a, b) => a - b)
    .map((i) => {
      const s = suppressions[i]!;
      const message = `suppression of ${s.rule} at "${s.path}" in ${s.file} matched no finding; remove it`;
      return entryFinding("suppression-unused", message, loaded.file, `/suppressions/${i}`, loaded.spanOf(`/suppressions/${i}`));
    });
  return { reports: kept, unused };
}

export interface BaselineEntry {
  readonly file: string;
  readonly rule: string;
  readonly path: string;
  readonly fingerprint: string;
}

export interface Baseline {
  readonly file: string;
  readonly text: string;
  readonly dir: string;
  readonly entries: readonly BaselineEntry[];
  readonly spanOf: (pointer: string) => Span;
}

const BASELINE_VERSION = 1;

const baselineValidator = lazySchemaValidator(new URL("../../schema/ess-authz-baseline.schema.json", import.meta.url));

const toPosix = (p: string): string => p.split(sep).join(posix.sep);

/** A linted file as a baseline names it: relative to the baseline's folder, so the baseline moves with the repository. */
function baselineName(dir: string, cwd: string, file: string): string {
  const absolute = absoluteOf(cwd, file);
  return absolute === undefined ? file : toPosix(relative(dir, absolute));
}

/**
 * What identifies a finding across edits that only move it: the rule and the JSON value at its pointer
 * (so a re-indented or shifted statement keeps it, a changed value does not); the message when the document
 * could not be parsed.
 */
function fingerprintOf(f: Finding, document: JsonSource | undefined): string {
  const value: unknown = document?.nodes.has(f.path) ? fjp.getValueByPointer(document.value, f.path) : undefined;
  const basis = value === undefined ? `message\0${f.message}` : `value\0${JSON.stringify(value)}`;
  return createHash("sha256").update(`${f.ruleId}\0${basis}`).digest("hex").slice(0, 16);
}

/** Every finding of the reports as a baseline entry, in report order. */
function entriesOf(reports: readonly FileReport[], dir: string, cwd: string): (BaselineEntry & { finding: Finding })[] {
  return reports.flatMap((report) => {
    const parsed = report.text === undefined ? undefined : parseJsonSource(report.text);
    const document = parsed?.ok ? parsed.source : undefined;
    const file = baselineName(dir, cwd, report.file);
    return report.findings.map((finding) => ({ file, rule: finding.ruleId, path: finding.path, fingerprint: fingerprintOf(finding, document), finding }));
  });
}

/** The baseline file's text for the findings of the reports. */
export function baselineText(reports: readonly FileReport[], baselineFile: string, cwd: string): string {
  const entries = entriesOf(reports, dirname(resolve(cwd, baselineFile)), cwd).map(({ file, rule, path, fingerprint }) => ({ file, rule, path, fingerprint }));
  return JSON.stringify({ version: BASELINE_VERSION, findings: entries }, null, 2) + "\n";
}

/** Reads and validates a baseline; problems throw a ConfigError with their positions. */
export function loadBaseline(file: string, cwd: string): Baseline {
  const { absolute, shown, text } = readSettingsFile(file, cwd, "baseline");
  const located = readJson(shown, text);
  throwProblems(shown, located, schemaProblems(baselineValidator(), located.value));
  return { file: shown, text, dir: dirname(absolute), entries: (located.value as { findings: BaselineEntry[] }).findings, spanOf: (pointer) => located.spanOf(pointer) };
}

/**
 * The reports without the findings the baseline records (each entry accepts one finding with the same file,
 * rule, pointer and fingerprint), and the entries that accepted none in a file that was linted.
 */
export function applyBaseline(reports: readonly FileReport[], baseline: Baseline, cwd: string): { reports: FileReport[]; unused: Finding[] } {
  const key = (e: BaselineEntry): string => JSON.stringify([e.file, e.rule, e.path, e.fingerprint]);
  const open = new Map<string, number[]>();
  baseline.entries.forEach((e, i) => open.set(key(e), [...(open.get(key(e)) ?? []), i]));
  const accepted = new Set<Finding>();
  const linted = new Set<string>();
  for (const entry of entriesOf(reports, baseline.dir, cwd)) {
    const index = open.get(key(entry))?.shift();
    if (index !== undefined) accepted.add(entry.finding);
  }
  for (const report of reports) linted.add(baselineName(baseline.dir, cwd, report.file));
  const unused = [...open.values()]
    .flat()
    .filter((i) => linted.has(baseline.entries[i]!.file))
    .sort((a, b) => a - b)
    .map((i) => {
      const e = baseline.entries[i]!;
      return entryFinding("baseline-unused", `baseline entry for ${e.rule} at "${e.path}" in ${e.file} matched no finding`, baseline.file, `/findings/${i}`, baseline.spanOf(`/findings/${i}`));
    });
  return { reports: reports.map((r) => ({ ...r, findings: r.findings.filter((f) => !accepted.has(f)) })), unused };
}
