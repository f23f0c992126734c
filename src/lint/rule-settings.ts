import type { Finding, Severity } from "../policy/findings.js";

/** What a configuration may set a rule to, in eslint's style: off, or the severity it reports with. */
export type RuleSetting = "off" | "error" | "security-warning" | "warning" | "suggestion";

export const SETTING_SEVERITY: Readonly<Record<Exclude<RuleSetting, "off">, Severity>> = {
  error: "Error",
  "security-warning": "SecurityWarning",
  warning: "Warning",
  suggestion: "Suggestion",
};

/**
 * Rules that cannot be configured: they report a document that could not be read at all, so there is no
 * policy to lint (as eslint's parsing errors, which are no rule).
 */
export const FATAL_RULES: ReadonlySet<string> = new Set(["json-syntax", "json-too-deep", "json-too-large"]);

/** The findings with the configured severities; findings of rules set to off are dropped. */
export function applyRuleSettings(findings: readonly Finding[], rules: ReadonlyMap<string, RuleSetting>): Finding[] {
  return findings.flatMap((f) => {
    const setting = rules.get(f.ruleId);
    if (setting === undefined) return [f];
    return setting === "off" ? [] : [{ ...f, severity: SETTING_SEVERITY[setting] }];
  });
}
