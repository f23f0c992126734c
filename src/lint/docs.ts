import type { Finding } from "../policy/findings.js";
import { formatText } from "./format/text.js";
import { RULES, type RuleFamily, type RuleMeta } from "./rules.js";

/**
 * Renders docs/lint-rules.md from the rule registry and one bad/good example per rule (the fixtures of
 * test/fixtures/lint/), with what the linter prints for the bad one, so the page cannot drift from the code.
 */
export interface RuleExample {
  readonly bad?: string;
  /** Where the bad example comes from, when it is not shown (too long, or generated). */
  readonly badNote?: string;
  readonly good: string;
  /** The rule's findings on the bad example. */
  readonly findings: readonly Finding[];
}

const FAMILY_TITLES: Record<RuleFamily, string> = {
  policy: "Policy grammar and values (semantics §1, §3)",
  trust: "Trust policies",
  actions: "Actions",
  resources: "Resources",
  conditions: "Conditions",
  security: "Security",
  redundancy: "Redundancy and completeness",
  configuration: "Configuration",
};

/** Examples longer than this are named, not shown. */
const MAX_EXAMPLE_LINES = 40;

function block(language: string, text: string): string {
  return "```" + language + "\n" + text.replace(/\n$/, "") + "\n```";
}

function example(title: string, text: string | undefined, note: string | undefined, fixture: string): string {
  if (text === undefined) return `${title}: ${note ?? "not shown"}.`;
  const lines = text.split("\n").length;
  if (lines > MAX_EXAMPLE_LINES) return `${title}: ${lines} lines, too long to show here (\`test/fixtures/lint/${fixture}\`).`;
  let language = "json";
  try {
    JSON.parse(text);
  } catch {
    language = "text";
  }
  return `${title}:\n\n${block(language, text)}`;
}

function section(rule: RuleMeta, ex: RuleExample): string {
  const output = formatText([{ file: "bad.json", ...(ex.bad === undefined ? {} : { text: ex.bad }), findings: ex.findings }]);
  return [
    `### ${rule.id}`,
    "",
    `**${rule.severity}**${rule.severityNote ? ` (${rule.severityNote})` : ""} · family: ${rule.family} · autofix: ${rule.autofix ? "yes" : "no"}`,
    "",
    rule.summary,
    "",
    `**Why.** ${rule.why}`,
    "",
    `**Fix.** ${rule.fix}`,
    "",
    example("Bad", ex.bad, ex.badNote, `${rule.id}/bad.json`),
    "",
    "`ess-authz lint bad.json` reports:",
    "",
    block("text", output),
    "",
    example("Good", ex.good, undefined, `${rule.id}/good.json`),
    "",
  ].join("\n");
}

export function renderRulesDoc(examples: (id: string) => RuleExample): string {
  const families = [...new Set(RULES.map((r) => r.family))];
  const index = RULES.map((r) => `| [${r.id}](#${r.id}) | ${r.severity} | ${r.family} | ${r.autofix ? "yes" : ""} | ${r.summary.replace(/\|/g, "\\|")} |`);
  return [
    "# Lint rules",
    "",
    "<!-- Generated from src/lint/rules.ts and test/fixtures/lint/<rule>/{bad,good}.json: do not edit by hand.",
    "     Regenerate with: UPDATE_LINT_DOCS=1 npx tap test/lint-docs.test.ts -->",
    "",
    "`ess-authz lint PATH... [--format text|json|sarif|github] [--fix [--fix-type safe|widening] [--dry-run]] [--fail-on error|security-warning|warning|suggestion|none] [--max-warnings N] [--quiet] [--config FILE | --no-config] [--baseline FILE] [--write-baseline FILE] [--kind identity|trust|session|control]`",
    "",
    "- PATHs are files or folders (every `*.json` below a folder, skipping hidden entries and `node_modules`); `-` reads standard input.",
    "- Exit `0` when no finding is at or above `--fail-on` (default `error`) and there are no more warnings than `--max-warnings`, `1` otherwise, `2` for a usage error, a bad configuration or baseline, or a path that cannot be read (the other paths are still linted). The configuration file, suppressions and baseline are described in the README (Linting in CI).",
    "- `--format text` prints `file:line:col severity ruleId message`, the source line with a caret under the span and the fix; `json` an array of findings (the fields of [semantics §7](semantics.md#7-lint-findings) plus `file`); `sarif` SARIF 2.1.0 with one rule per id and the fixes as text replacements.",
    "- `--kind` says which kind of policy the files are (grammar, size limit, rules). Without it, a document where a statement has a `Principal` and `sts:AssumeRole` is linted as a trust policy, any other as an identity policy, and the output says which files were detected.",
    "- ESS is checked exactly, against its catalog. Other services' actions, ARNs and condition keys are checked for syntax only (`<service>:<Action>`, `acs:<service>:<region>:<account>:<resource>`, `<service>:<key>`), and the output says so once per run: the linter does not know their catalogs.",
    "- `--fix` applies the fixes that never widen access (RFC 6902 patches), re-linting after each pass, rewrites the files keeping their formatting, and reports what remains; a fix that makes a dead Allow entry match or changes a condition is a suggestion applied only with `--fix --fix-type widening`. `--fix --dry-run` prints the patches instead (JSON `[{file, patch}]` with `--format json` or `sarif`).",
    "",
    "Severities ([semantics §7](semantics.md#7-lint-findings)): **Error**: the policy does not work or is rejected. **SecurityWarning**: it grants more than it seems (or a guardrail does not hold). **Warning**: best practice. **Suggestion**: style and redundancy.",
    "Errors of the `policy` family make `parsePolicy` reject the document; the other Errors come from the catalog-aware rules and do not stop the engine from loading the policy.",
    "",
    "| rule | severity | family | autofix | finds |",
    "|---|---|---|---|---|",
    ...index,
    "",
    ...families.flatMap((family) => [`## ${FAMILY_TITLES[family]}`, "", ...RULES.filter((r) => r.family === family).map((r) => section(r, examples(r.id)))]),
  ].join("\n");
}
