import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding, Severity } from "../../policy/findings.js";
import { parseJsonSource, type JsonSource } from "../../policy/json-source.js";
import { STDIN_NAME, type Unreadable } from "../files.js";
import { editSpan, verifiedEdit } from "../fixes.js";
import { CONFIG_RULES, RULES, docsUrl, type RuleMeta } from "../rules.js";
import type { SarifFix, SarifLevel, SarifLog, SarifRegion, SarifReportingDescriptor, SarifResult, SarifRun } from "./sarif-types.js";
import { WIDENING_LABEL, type FileReport } from "./text.js";

/** SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) with one rule per ruleId. */
export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** The policy rules, then the rules about suppressions and the baseline. */
const ALL_RULES = [...RULES, ...CONFIG_RULES];

const LEVEL: Record<Severity, SarifLevel> = { Error: "error", SecurityWarning: "warning", Warning: "warning", Suggestion: "note" };

const pascal = (id: string): string => id.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());

function descriptor(rule: RuleMeta): SarifReportingDescriptor {
  return {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.why },
    help: { text: `${rule.why}\nFix: ${rule.fix}\n${docsUrl(rule.id)}`, markdown: `${rule.why}\n\n**Fix:** ${rule.fix}\n\n[Documentation](${docsUrl(rule.id)})` },
    helpUri: docsUrl(rule.id),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: [...new Set([rule.family, ...(rule.severity === "SecurityWarning" ? ["security"] : [])])], severity: rule.severity },
  };
}

/** A URI reference for a file as the user named it. */
export function artifactUri(file: string): string {
  if (file === STDIN_NAME) return "stdin";
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split("/").map(encodeURIComponent).join("/");
}

const region = (s: { line: number; column: number; endLine: number; endColumn: number }): SarifRegion => ({
  startLine: s.line,
  startColumn: s.column,
  endLine: s.endLine,
  endColumn: s.endColumn,
});

/** The fix as a text replacement, when the patch has an exact minimal edit. */
function sarifFix(source: JsonSource | undefined, uri: string, f: Finding): SarifFix[] {
  if (!source || !f.fix) return [];
  let edit;
  try {
    edit = verifiedEdit(source, f.fix);
  } catch {
    return [];
  }
  if (!edit) return [];
  return [
    {
      // SARIF fixes are proposals a viewer may apply; one that widens access says so in its description.
      description: { text: `${f.fixWidens ? `${WIDENING_LABEL}: ` : ""}${f.fixDescription ?? "apply the fix"}` },
      ...(f.fixWidens ? { properties: { widensAccess: true } } : {}),
      artifactChanges: [
        {
          artifactLocation: { uri },
          replacements: [{ deletedRegion: region(editSpan(source.text, edit)), ...(edit.text ? { insertedContent: { text: edit.text } } : {}) }],
        },
      ],
    },
  ];
}

export function toSarif(reports: readonly FileReport[], unreadable: readonly Unreadable[], version: string): SarifLog {
  const ruleIndex = new Map(ALL_RULES.map((r, i) => [r.id, i]));
  const results: SarifResult[] = reports.flatMap((report) => {
    const uri = artifactUri(report.file);
    const parsed = report.text === undefined ? undefined : parseJsonSource(report.text);
    const source = parsed?.ok ? parsed.source : undefined;
    return report.findings.map((f) => {
      const fixes = sarifFix(source, uri, f);
      return {
        ruleId: f.ruleId,
        ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId)! } : {}),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri }, region: region(f) },
            ...(f.path ? { logicalLocations: [{ fullyQualifiedName: f.path }] } : {}),
          },
        ],
        ...(fixes.length > 0 ? { fixes } : {}),
        properties: { severity: f.severity, jsonPointer: f.path, ...(f.fix ? { patch: f.fix } : {}), ...(f.fixWidens ? { fixWidensAccess: true } : {}) },
      };
    });
  });
  return sarifLog(
    { semanticVersion: version, rules: ALL_RULES.map(descriptor) },
    {
      invocations: [
        {
          executionSuccessful: unreadable.length === 0,
          toolExecutionNotifications: unreadable.map((u) => ({
            level: "error" as const,
            message: { text: `cannot read ${u.path} (${u.reason})` },
            locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(u.path) } } }],
          })),
        },
      ],
      columnKind: "utf16CodeUnits",
      results,
    },
  );
}

/** The SARIF log of one run of ess-authz: the envelope `lint` and `check` share, around the run's own parts. */
export function sarifLog(driver: { rules: SarifReportingDescriptor[]; semanticVersion?: string }, run: Omit<SarifRun, "tool">): SarifLog {
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "ess-authz",
            ...(driver.semanticVersion === undefined ? {} : { semanticVersion: driver.semanticVersion }),
            informationUri: "https://github.com/ess-authz/ess-authz",
            rules: driver.rules,
          },
        },
        ...run,
      },
    ],
  };
}

export function formatSarif(reports: readonly FileReport[], unreadable: readonly Unreadable[], version: string): string {
  return JSON.stringify(toSarif(reports, unreadable, version), null, 2) + "\n";
}
