import type { SarifLocation, SarifResult } from "../lint/format/sarif-types.js";
import type { Policy } from "../policy/ast.js";
import type { Span } from "../policy/findings.js";
import type { StatementRef } from "../evaluate/decision.js";
import { requestFileJson } from "../diff/format.js";
import { artifactUri, sarifLog } from "../lint/format/sarif.js";
import type { AnalysisResult, Witness } from "./analyze.js";

/** Renders an access check's answer as text, JSON or SARIF 2.1.0 (one result per witness). Pure: no files. */

export type CheckName = "no-new-access" | "access-not-granted";

export interface CheckReport {
  readonly check: CheckName;
  readonly result: AnalysisResult;
  /** What was asked, in words (`policies/ against git:main:policies`). */
  readonly subject: string;
  /** Where each witness was written, in witness order, when it was. */
  readonly witnessPaths?: readonly string[];
  /** The policies of the version that allows the witnesses, with where each was read from (SARIF locations). */
  readonly policies: readonly Policy[];
  readonly labels: readonly string[];
  /** Per policy, where a span of its document is in its file (absent: the document is the whole file). */
  readonly toHost?: readonly ((span: Span, path: string) => Span)[];
}

const VERDICT = { holds: "PASS", violated: "FAIL", undecided: "UNDECIDED" } as const;

const PASS_TEXT: Record<CheckName, string> = {
  "no-new-access": "no request whatsoever is allowed by the new version and not by the old one",
  "access-not-granted": "no request context whatsoever makes the policies allow one of the actions on a matching resource",
};

const refText = (refs: readonly StatementRef[]): string => refs.map((r) => `${r.policy}#${r.statement}${r.sid !== undefined ? ` "${r.sid}"` : ""}`).join(", ");

/** The witness's tags and keys, in words. */
export function valuesText(w: Witness): string {
  const parts = [
    ...(w.resourceGroupId === undefined ? [] : [`resource group ${w.resourceGroupId}`]),
    ...w.requestTags.map(([k, v]) => `request tag ${k}=${v}`),
    ...w.resourceTags.map(([k, v]) => `group tag ${k}=${v}`),
    ...Object.entries(w.context).map(([k, v]) => `${k}=${v}`),
  ];
  return parts.length > 0 ? parts.join(", ") : "no tags or condition keys";
}

function witnessLine(w: Witness, report: CheckReport, i: number): string[] {
  const change = w.before === undefined ? "Allow" : `${w.before} → Allow`;
  const lines = [`  ${w.action} on ${w.resource}: ${change} (${refText(w.allowedBy)})`, `      with ${valuesText(w)}`];
  if (!w.request) lines.push("      an action outside the ESS catalog: no ESS request names it; replay its context file with `ess-authz eval --context`");
  const path = report.witnessPaths?.[i];
  if (path) lines.push(`      witness: ${path}`);
  return lines;
}

export function renderCheckText(report: CheckReport): string {
  const { result } = report;
  const head = `${report.check}: ${VERDICT[result.status]} — ${report.subject}`;
  if (result.status === "holds") return `${head}\n  ${PASS_TEXT[report.check]} (decided exactly, ${result.steps} search steps)\n`;
  if (result.status === "undecided") return `${head}\n  could not decide: ${result.reason}\n  nothing was proven; treat this as a failure\n`;
  const lines = [head, `  ${result.witnesses.length} witness request${result.witnesses.length === 1 ? "" : "s"}:`];
  result.witnesses.forEach((w, i) => lines.push(...witnessLine(w, report, i)));
  return lines.join("\n") + "\n";
}

/** A witness as JSON: what it is, and the request file `eval` reads (absent outside the catalog). */
export function witnessJson(w: Witness): object {
  return {
    action: w.action,
    resource: w.resource,
    ...(w.operation ? { operation: w.operation } : {}),
    ...(w.resourceGroupId === undefined ? {} : { resourceGroupId: w.resourceGroupId }),
    requestTags: w.requestTags,
    resourceTags: w.resourceTags,
    context: w.context,
    ...(w.before ? { before: w.before } : {}),
    allowedBy: w.allowedBy,
    ...(w.request ? { request: requestFileJson(w.request) } : {}),
  };
}

export function renderCheckJson(report: CheckReport): string {
  const { result } = report;
  return (
    JSON.stringify(
      {
        check: report.check,
        subject: report.subject,
        result: result.status === "holds" ? "pass" : result.status === "violated" ? "fail" : "undecided",
        steps: result.steps,
        ...(result.status === "undecided" ? { reason: result.reason } : {}),
        ...(result.status === "violated"
          ? { witnesses: result.witnesses.map((w, i) => ({ ...witnessJson(w), ...(report.witnessPaths?.[i] ? { file: report.witnessPaths[i] } : {}) })) }
          : {}),
      },
      null,
      2,
    ) + "\n"
  );
}

/** The statement that allows a witness, as a SARIF location in the policy file it came from. */
function locationOf(report: CheckReport, ref: StatementRef | undefined): SarifLocation[] {
  const i = report.policies.findIndex((p) => p.name === ref?.policy);
  const statement = report.policies[i]?.statements.find((s) => s.index === ref?.statement);
  if (!statement) return [];
  const { line, column, endLine, endColumn } = report.toHost?.[i]?.(statement.span, statement.pointer) ?? statement.span;
  return [{ physicalLocation: { artifactLocation: { uri: artifactUri(report.labels[i]!) }, region: { startLine: line, startColumn: column, endLine, endColumn } } }];
}

export function renderCheckSarif(report: CheckReport): string {
  const { result } = report;
  const results: SarifResult[] =
    result.status === "holds"
      ? []
      : result.status === "undecided"
        ? [{ ruleId: report.check, level: "error", message: { text: `Undecided: ${result.reason}` } }]
        : result.witnesses.map((w) => ({
            ruleId: report.check,
            level: "error",
            message: { text: `${w.action} on ${w.resource} is allowed${w.before ? ` (was ${w.before})` : ""}, with ${valuesText(w)}` },
            locations: locationOf(report, w.allowedBy[0]),
            properties: { witness: witnessJson(w) },
          }));
  const log = sarifLog({ rules: [{ id: report.check, shortDescription: { text: PASS_TEXT[report.check] } }] }, { results });
  return JSON.stringify(log, null, 2) + "\n";
}
