import type { PolicyKind } from "../../policy/ast.js";
import type { Finding, Severity } from "../../policy/findings.js";
import type { Unreadable } from "../files.js";

/** One linted file as the formatters see it: its findings and, when it was read, its text (for source lines). */
export interface FileReport {
  readonly file: string;
  readonly text?: string;
  readonly findings: readonly Finding[];
  /** The kind read from the content, when no `--kind` was given and it is not the default `identity`. */
  readonly detectedKind?: PolicyKind;
  /** Services other than ESS named by the file's actions: checked for syntax only. */
  readonly syntaxOnlyServices?: readonly string[];
}

/** A file's report from what linting it found and knew (a LintReport or a FixResult). */
export function fileReport(
  file: string,
  text: string,
  r: { readonly findings: readonly Finding[]; readonly kind: PolicyKind; readonly kindDetected: boolean; readonly syntaxOnlyServices: readonly string[] },
): FileReport {
  return { file, text, findings: r.findings, ...(r.kindDetected ? { detectedKind: r.kind } : {}), syntaxOnlyServices: r.syntaxOnlyServices };
}

const MAX_FILES_NAMED = 5;
const MAX_SERVICES_NAMED = 8;

/**
 * What the run could not check exactly, said once: files whose kind was read from their content, and the other
 * services whose actions, ARNs and condition keys were checked for syntax only.
 */
export function runNotes(reports: readonly FileReport[]): string[] {
  const notes: string[] = [];
  const detected = reports.filter((r) => r.detectedKind !== undefined);
  for (const kind of [...new Set(detected.map((r) => r.detectedKind!))]) {
    const files = detected.filter((r) => r.detectedKind === kind).map((r) => r.file);
    const named = files.slice(0, MAX_FILES_NAMED).join(", ") + (files.length > MAX_FILES_NAMED ? ` and ${files.length - MAX_FILES_NAMED} more` : "");
    notes.push(`note: linted as ${kind} ${files.length === 1 ? "policy" : "policies"} (a statement has a Principal and sts:AssumeRole): ${named}; --kind identity|trust|session|control says it explicitly`);
  }
  const services = [...new Set(reports.flatMap((r) => r.syntaxOnlyServices ?? []))].sort();
  if (services.length > 0) {
    const named = services.slice(0, MAX_SERVICES_NAMED).join(", ") + (services.length > MAX_SERVICES_NAMED ? ` and ${services.length - MAX_SERVICES_NAMED} more services` : "");
    notes.push(`note: actions, ARNs and condition keys of other services (${named}) were checked for syntax only: the linter knows the ESS catalog alone; ESS parts were checked exactly`);
  }
  return notes;
}

/** Characters of context around the span when a line is too long to print whole (minified policies). */
const CONTEXT = 40;
const MAX_LINE = 120;

/** The source line and a caret line under the span (to the end of the line for multi-line spans). */
export function caretLines(text: string, f: Finding): [string, string] | undefined {
  const line = text.split("\n")[f.line - 1]?.replace(/\r$/, "").replace(/\t/g, " ");
  if (line === undefined) return undefined;
  const start = Math.min(f.column - 1, line.length);
  const end = f.endLine === f.line ? Math.min(f.endColumn - 1, line.length) : line.length;
  const width = Math.max(1, end - start);
  let [from, to] = [0, line.length];
  if (line.length > MAX_LINE) [from, to] = [Math.max(0, start - CONTEXT), Math.min(line.length, start + width + CONTEXT)];
  const shown = (from > 0 ? "…" : "") + line.slice(from, to) + (to < line.length ? "…" : "");
  const pad = start - from + (from > 0 ? 1 : 0);
  return [shown, " ".repeat(pad) + "^".repeat(Math.min(width, to - start || 1))];
}

const PLURAL: Record<Severity, [string, string]> = {
  Error: ["error", "errors"],
  SecurityWarning: ["security warning", "security warnings"],
  Warning: ["warning", "warnings"],
  Suggestion: ["suggestion", "suggestions"],
};

const count = (n: number, [one, many]: [string, string]): string => `${n} ${n === 1 ? one : many}`;

export function summaryLine(reports: readonly FileReport[], unreadable: readonly Unreadable[] = [], skipped = 0): string {
  const all = reports.flatMap((r) => r.findings);
  const files = count(reports.length, ["file", "files"]);
  const cannotRead =
    (unreadable.length > 0 ? `; ${count(unreadable.length, ["path", "paths"])} could not be read` : "") +
    (skipped > 0 ? `; skipped ${count(skipped, ["file that holds", "files that hold"])} no policy` : "");
  if (all.length === 0) return `no findings in ${files}${cannotRead}`;
  const bySeverity = (Object.keys(PLURAL) as Severity[])
    .map((s) => [s, all.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => count(n, PLURAL[s]));
  const fixable = all.filter((f) => f.fix && !f.fixWidens).length;
  const widening = all.filter((f) => f.fix && f.fixWidens).length;
  const fixes = `${fixable > 0 ? `; ${fixable} fixable with --fix` : ""}${widening > 0 ? `; ${count(widening, ["suggested fix widens", "suggested fixes widen"])} access (--fix-type widening)` : ""}`;
  return `${count(all.length, ["finding", "findings"])} (${bySeverity.join(", ")}) in ${files}${fixes}${cannotRead}`;
}

/** How a fix that widens access is offered: never applied by plain --fix. */
export const WIDENING_LABEL = "suggestion, widens access (apply with --fix --fix-type widening)";

/** `file:line:col severity ruleId message`, the source line with a caret under the span, the fix; then a summary. */
export function formatText(reports: readonly FileReport[], unreadable: readonly Unreadable[] = [], skipped = 0): string {
  const out: string[] = [];
  for (const report of reports) {
    for (const f of report.findings) {
      out.push(`${report.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId} ${f.message}`);
      const caret = report.text === undefined ? undefined : caretLines(report.text, f);
      if (caret) {
        const gutter = String(f.line);
        out.push(`  ${gutter} | ${caret[0]}`, `  ${" ".repeat(gutter.length)} | ${caret[1]}`);
      }
      if (f.fix) out.push(`  ${f.fixWidens ? WIDENING_LABEL : "fix"}: ${f.fixDescription ?? JSON.stringify(f.fix)}`);
    }
  }
  for (const u of unreadable) out.push(`${u.path}: cannot read (${u.reason})`);
  if (out.length > 0) out.push("");
  out.push(...runNotes(reports));
  out.push(summaryLine(reports, unreadable, skipped));
  return out.join("\n") + "\n";
}

/** Contract §7 findings plus `file`, in a stable key order. */
export function formatJson(reports: readonly FileReport[]): string {
  const findings = reports.flatMap((r) =>
    r.findings.map((f) => ({
      file: r.file,
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      path: f.path,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      ...(f.fix ? { fix: f.fix } : {}),
      ...(f.fixDescription ? { fixDescription: f.fixDescription } : {}),
      ...(f.fixWidens ? { fixWidens: true } : {}),
    })),
  );
  return JSON.stringify(findings, null, 2) + "\n";
}
