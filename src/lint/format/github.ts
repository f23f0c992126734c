import type { Severity } from "../../policy/findings.js";
import type { Unreadable } from "../files.js";
import { summaryLine, WIDENING_LABEL, type FileReport } from "./text.js";

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`), which the runner turns into annotations
 * on the pull request. Escaping as GitHub's toolkit does it (@actions/core, command.ts): `%`, CR and LF in the
 * message; also `:` and `,` in property values.
 */
const escapeData = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

const COMMAND: Record<Severity, "error" | "warning" | "notice"> = { Error: "error", SecurityWarning: "warning", Warning: "warning", Suggestion: "notice" };

const command = (name: string, properties: readonly [string, string | number][], message: string): string =>
  `::${name} ${properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(",")}::${escapeData(message)}`;

export function formatGithub(reports: readonly FileReport[], unreadable: readonly Unreadable[] = []): string {
  const out: string[] = [];
  for (const report of reports) {
    for (const f of report.findings) {
      // Annotations take columns only on one line (GitHub's check-run API), and the end column is inclusive.
      const oneLine = f.line === f.endLine;
      const fix = f.fix ? `\n${f.fixWidens ? WIDENING_LABEL : "fix"}: ${f.fixDescription ?? JSON.stringify(f.fix)}` : "";
      out.push(
        command(
          COMMAND[f.severity],
          [
            ["file", report.file],
            ["line", f.line],
            ...(oneLine ? [["col", f.column] as [string, number]] : []),
            ["endLine", f.endLine],
            ...(oneLine ? [["endColumn", Math.max(f.column, f.endColumn - 1)] as [string, number]] : []),
            ["title", `${f.severity} ${f.ruleId}`],
          ],
          `${f.message}${fix}`,
        ),
      );
    }
  }
  for (const u of unreadable) out.push(command("error", [["file", u.path], ["title", "cannot read"]], `cannot read ${u.path} (${u.reason})`));
  out.push(summaryLine(reports, unreadable));
  return out.join("\n") + "\n";
}
