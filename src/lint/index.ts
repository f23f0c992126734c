/**
 * The policy linter: `lintPolicy` for one document, `lintFiles` for paths, `fixPolicy` for the safe fixes,
 * the rule registry, and the text/JSON/SARIF formatters. Contract §7; rules documented in docs/lint-rules.md.
 */
import { collectInputs, type InputSource, type Unreadable } from "./files.js";
import { fileReport, type FileReport } from "./format/text.js";
import { lintPolicyReport, type LintOptions } from "./lint.js";

export { lintPolicy, lintPolicyReport, fixPolicy, loadLintedPolicy, detectKind } from "./lint.js";
export type { LintOptions, LintReport, FixResult } from "./lint.js";
export { RULES, getRule, docsUrl, DOCS_URL } from "./rules.js";
export type { RuleMeta, RuleFamily } from "./rules.js";
export { collectInputs, STDIN_NAME } from "./files.js";
export type { LintInput, Unreadable, InputSource } from "./files.js";
export { formatText, formatJson, summaryLine, runNotes } from "./format/text.js";
export type { FileReport } from "./format/text.js";
export { formatSarif, toSarif, SARIF_SCHEMA } from "./format/sarif.js";
export type * from "./format/sarif-types.js";

/** Lints files and folders (every `*.json` below a folder; `-` is standard input). Unreadable paths are returned, not thrown. */
export function lintFiles(
  paths: readonly string[],
  io: InputSource = { cwd: process.cwd() },
  options: Omit<LintOptions, "file"> = {},
): { reports: FileReport[]; unreadable: Unreadable[] } {
  const { inputs, unreadable } = collectInputs(paths, io);
  const reports = inputs.map(({ file, text }) => fileReport(file, text, lintPolicyReport(text, { ...options, file })));
  return { reports, unreadable };
}
