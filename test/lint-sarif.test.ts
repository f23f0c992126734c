// SARIF output validates against the official SARIF 2.1.0 JSON Schema (shipped by @microsoft/jest-sarif as
// sarif-2.1.0-rtm.5.json, the schema of the OASIS standard's final draft), and its fixes are exact text edits.
import t from "tap";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import type { SarifLog } from "../src/lint/format/sarif-types.js";
import { runLint } from "../src/cli/lint.js";
import type { Io } from "../src/cli/io.js";
import { applyPatchToText } from "../src/lint/fixes.js";
import { artifactUri, toSarif } from "../src/lint/format/sarif.js";
import { lintFiles } from "../src/lint/index.js";
import { CONFIG_RULES, RULES, docsUrl } from "../src/lint/rules.js";
import { parseJsonSource } from "../src/policy/json-source.js";

const require = createRequire(import.meta.url);

/**
 * The schema is draft-04: its `id` becomes `$id` for Ajv 8. Its `language` pattern is only valid without the
 * `u` flag, and a few `required` lists name properties declared in sibling branches (strictRequired). The
 * three string formats are checked with the platform's URL parser and Date.parse.
 */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")) as Record<string, unknown>;
  const { $schema: _draft04, id, ...rest } = schema;
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, unicodeRegExp: false });
  const parses = (s: string, base?: string): boolean => {
    try {
      new URL(s, base);
      return true;
    } catch {
      return false;
    }
  };
  ajv.addFormat("uri", (s: string) => parses(s));
  ajv.addFormat("uri-reference", (s: string) => parses(s, "file:///base/"));
  ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile<unknown>({ ...rest, $id: id as string });
}
const validate = sarifValidator();

const POLICY_FILES = ["policies/admin.json", "policies/t3-operate-group1-by-tag.json", "policies/guide-originals/t1-create-tagged-only.original.json",
  "policies/guide-originals/t2-describe-group1-by-tag.original.json", "policies/guide-originals/t3-operate-group1-by-tag.original.json",
  "policies/guide-originals/r1-group1-by-arn.original.json", "test/fixtures/lint/json-syntax/bad.json", "test/fixtures/lint/statement-duplicate/bad.json",
  "test/fixtures/lint/value-duplicate/bad.json", "test/fixtures/lint/element-empty/bad.json", "test/fixtures/lint/resource-case/bad.json"];

async function sarifOf(paths: string[]): Promise<{ code: number; log: SarifLog }> {
  let out = "";
  const io: Io = { cwd: process.cwd(), stdout: (s) => void (out += s), stderr: () => undefined };
  const code = await runLint([...paths, "--format", "sarif"], io);
  return { code, log: JSON.parse(out) as SarifLog };
}

t.test("the SARIF log validates against the SARIF 2.1.0 schema", async (t) => {
  const { code, log } = await sarifOf(POLICY_FILES);
  t.equal(code, 1);
  t.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
  t.equal(log.version, "2.1.0");
  const withUnreadable = await sarifOf(["missing.json", "policies/admin.json"]);
  t.equal(withUnreadable.code, 2);
  t.ok(validate(withUnreadable.log), JSON.stringify(validate.errors?.slice(0, 3)));
  const invocation = withUnreadable.log.runs[0]!.invocations![0]!;
  t.equal(invocation.executionSuccessful, false);
  t.match(invocation.toolExecutionNotifications![0]!.message.text, /cannot read missing\.json/);
});

t.test("the validator rejects what SARIF forbids", async (t) => {
  const { log } = await sarifOf(["policies/admin.json"]);
  const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
  broken.runs[0]!.results[0]!.level = "fatal";
  t.notOk(validate(broken));
});

t.test("one rule per ruleId, with help text and a link to its docs; results point at them", async (t) => {
  const { log } = await sarifOf(POLICY_FILES);
  const rules = log.runs[0]!.tool.driver.rules!;
  t.same(rules.map((r) => r.id), [...RULES, ...CONFIG_RULES].map((r) => r.id), "the policy rules, then those about suppressions and the baseline");
  for (const r of rules) {
    t.equal(r.helpUri, docsUrl(r.id));
    t.ok(r.help?.text && r.shortDescription?.text && r.fullDescription?.text, `${r.id}: descriptions`);
  }
  for (const result of log.runs[0]!.results!) t.equal(rules[result.ruleIndex!]!.id, result.ruleId);
});

t.test("regions are the findings' exact spans; fixes are replacements that produce the fixed text", async (t) => {
  const { reports } = lintFiles(POLICY_FILES);
  const log = toSarif(reports, [], "0.0.0");
  const results = log.runs[0]!.results!;
  const findings = reports.flatMap((r) => r.findings.map((f) => ({ r, f })));
  t.equal(results.length, findings.length);
  let fixes = 0;
  findings.forEach(({ r, f }, i) => {
    const result = results[i]!;
    const location = result.locations![0]!.physicalLocation!;
    t.equal(location.artifactLocation!.uri, artifactUri(r.file));
    t.same(location.region, { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn });
    if (!result.fixes) return;
    fixes++;
    const replacement = result.fixes[0]!.artifactChanges[0]!.replacements[0]!;
    const lines = r.text!.split("\n");
    const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
    const d = replacement.deletedRegion;
    const edited = r.text!.slice(0, offset(d.startLine!, d.startColumn!)) + (replacement.insertedContent?.text ?? "") + r.text!.slice(offset(d.endLine!, d.endColumn!));
    const parsed = parseJsonSource(r.text!);
    if (!parsed.ok) throw new Error("fixable findings come from valid JSON");
    t.equal(edited, applyPatchToText(parsed.source, f.fix!), `${r.file} ${f.ruleId} ${f.path}: the replacement is the patch`);
  });
  t.ok(fixes >= 8, `replacements checked: ${fixes}`);
});

t.test("artifact URIs are URI references", async (t) => {
  t.equal(artifactUri("policies/a b.json"), "policies/a%20b.json");
  t.equal(artifactUri("<stdin>"), "stdin");
  t.equal(artifactUri("/tmp/x.json"), "file:///tmp/x.json");
});
