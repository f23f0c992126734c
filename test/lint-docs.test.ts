// docs/lint-rules.md is generated from the rule registry and the fixtures; this test keeps it in step.
// Regenerate with: UPDATE_LINT_DOCS=1 npx tap test/lint-docs.test.ts
import t from "tap";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderRulesDoc } from "../src/lint/docs.js";
import { lintPolicy } from "../src/lint/lint.js";
import { DOCS_URL, RULES, docsUrl } from "../src/lint/rules.js";
import { badText, generatedNote, goodText } from "./fixtures/lint/fixtures.js";

const DOC = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "docs", "lint-rules.md");

const rendered = renderRulesDoc((id) => {
  const note = generatedNote(id);
  return {
    ...(note === undefined ? { bad: badText(id) } : { badNote: note }),
    good: goodText(id),
    findings: lintPolicy(badText(id), { file: "bad.json" }).filter((f) => f.ruleId === id),
  };
});

if (process.env.UPDATE_LINT_DOCS) writeFileSync(DOC, rendered);

t.test("docs/lint-rules.md is generated from the registry and the fixtures", async (t) => {
  t.equal(readFileSync(DOC, "utf8"), rendered, "up to date (regenerate: UPDATE_LINT_DOCS=1 npx tap test/lint-docs.test.ts)");
});

t.test("every rule has a section with why, fix and a bad/good example, reachable by its docs link", async (t) => {
  t.ok(DOCS_URL.endsWith("docs/lint-rules.md"));
  for (const rule of RULES) {
    t.equal(docsUrl(rule.id), `${DOCS_URL}#${rule.id}`);
    const start = rendered.indexOf(`\n### ${rule.id}\n`);
    t.ok(start > 0, `${rule.id} has a section`);
    const section = rendered.slice(start, rendered.indexOf("\n### ", start + 1) >>> 0);
    t.match(section, /\*\*Why\.\*\* \S/, `${rule.id}: why`);
    t.match(section, /\*\*Fix\.\*\* \S/, `${rule.id}: fix`);
    t.match(section, /\nBad:?/, `${rule.id}: bad example`);
    t.match(section, new RegExp(`bad\\.json:\\d+:\\d+ ${rule.severity === "SecurityWarning" ? "(SecurityWarning|Warning)" : "\\w+"} ${rule.id} `), `${rule.id}: the linter's output`);
    t.match(section, /\nGood:\n\n```json\n/, `${rule.id}: good example`);
  }
});
