import type { Operation } from "fast-json-patch";

/** The four severities of Alibaba's policy checker and IAM Access Analyzer (docs/semantics.md §7). */
export type Severity = "Error" | "SecurityWarning" | "Warning" | "Suggestion";

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  Error: 3,
  SecurityWarning: 2,
  Warning: 1,
  Suggestion: 0,
};

/** 1-based, end-exclusive source span. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Finding extends Span {
  ruleId: string;
  severity: Severity;
  message: string;
  /** RFC 6901 JSON Pointer of the offending node ("" is the whole document). */
  path: string;
  file?: string;
  /** A safe fix as an RFC 6902 patch, when one exists. */
  fix?: Operation[];
  /** A short human description of the fix. */
  fixDescription?: string;
  /** The fix could let through a request that was denied before (it revives a dead Allow entry): a suggestion only. */
  fixWidens?: boolean;
}

export const WHOLE_DOCUMENT: Span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === "Error");
}

export function formatFindingLine(f: Finding): string {
  const where = `${f.file ?? "<policy>"}:${f.line}:${f.column}`;
  return `${where} ${f.severity} ${f.ruleId} ${f.message}`;
}
