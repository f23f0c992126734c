// Every rule has a fixture that triggers it (at an exact position) and one that does not:
// test/fixtures/lint/<rule-id>/bad.json and good.json. The same files are the examples of docs/lint-rules.md.
import t from "tap";
import { lintPolicy } from "../src/lint/lint.js";
import { RULES, getRule } from "../src/lint/rules.js";
import type { Finding } from "../src/policy/findings.js";
import { badText, fixtureFolders, goodText, hasBad, hasGood } from "./fixtures/lint/fixtures.js";

/** Where each rule fires in its bad fixture: pointer, line:column–endLine:endColumn, severity, and whether it carries a fix. */
const EXPECTED: Record<string, [string, string, Finding["severity"], boolean]> = {
  "json-syntax": ["", "8:5-8:6", "Error", false],
  "json-duplicate-key": ["/Statement/0/Effect", "6:7-6:15", "Error", false],
  "json-too-deep": ["", "3:79-3:80", "Error", false],
  "json-too-large": ["", "1:1-1:1", "Error", false],
  "element-missing": ["/Statement/0", "4:5-7:6", "Error", false],
  "element-unknown": ["/Statement/0/Resources", "7:7-7:18", "Error", false],
  "version-invalid": ["/Version", "2:14-2:26", "Error", false],
  "effect-invalid": ["/Statement/0/Effect", "5:17-5:24", "Error", false],
  "type-invalid": ["/Statement/0/Action", "6:17-6:19", "Error", false],
  "action-exclusive": ["/Statement/0/NotAction", "8:7-8:18", "Error", false],
  "action-malformed": ["/Statement/0/Action", "6:17-6:41", "Error", true],
  "not-resource-unsupported": ["/Statement/0/NotResource", "7:7-7:20", "Error", false],
  "not-principal-unsupported": ["/Statement/0/NotPrincipal", "8:7-8:21", "Error", false],
  "principal-invalid": ["/Statement/0/Principal/Ram", "8:9-8:14", "Warning", false],
  "principal-not-allowed": ["/Statement/0/Principal", "8:7-8:18", "Error", false],
  "resource-empty": ["/Statement/0/Resource", "7:19-7:21", "Error", false],
  "condition-operator-unknown": ["/Statement/0/Condition/IpAdress", "9:9-9:19", "Error", true],
  "condition-operator-empty": ["/Statement/0/Condition/StringEquals", "12:9-12:23", "Suggestion", false],
  "condition-values-empty": ["/Statement/0/Condition/IpAddress/acs:SourceIp", "10:27-10:29", "Error", false],
  "condition-value-unquoted": ["/Statement/0/Condition/Bool/acs:SecureTransport", "10:34-10:38", "Warning", false],
  "condition-value-format": ["/Statement/0/Condition/Bool/acs:SecureTransport", "10:34-10:39", "Error", false],
  "condition-value-type": ["/Statement/0/Condition/StringEquals/acs:SourceVpc", "10:28-12:12", "Error", false],
  "condition-key-empty": ["/Statement/0/Condition/StringEquals/", "10:11-10:13", "Error", false],
  "statement-not-array": ["/Statement", "3:3-3:14", "Warning", false],
  "statement-empty": ["/Statement", "3:16-3:18", "Suggestion", false],
  "sid-duplicate": ["/Statement/1/Sid", "14:14-14:22", "Warning", false],
  "policy-too-large": ["", "1:1-111:2", "Error", false],
  "policy-variable": ["/Statement/0/Resource", "7:19-7:81", "Warning", false],
  "action-unknown": ["/Statement/0/Action/1", "8:9-8:38", "Warning", true],
  "action-case": ["/Statement/0/Action", "6:17-6:44", "Warning", true],
  "resource-arn-malformed": ["/Statement/0/Resource", "7:19-7:86", "Warning", false],
  "resource-type-unknown": ["/Statement/0/Resource", "7:19-7:88", "Warning", false],
  "resource-case": ["/Statement/0/Resource", "7:19-7:95", "Warning", true],
  "resource-region-unknown": ["/Statement/0/Resource", "7:19-7:94", "Warning", true],
  "resource-masked-id": ["/Statement/0/Resource", "7:19-7:95", "SecurityWarning", false],
  "resource-id-format": ["/Statement/0/Resource", "7:19-7:95", "Warning", false],
  "resource-id-near-duplicate": ["/Statement/0/Resource/1", "9:9-9:85", "Warning", false],
  "resource-account-invalid": ["/Statement/0/Resource", "7:19-7:93", "Warning", false],
  "resource-account-mismatch": ["/Statement/1/Resource", "12:19-12:95", "Warning", false],
  "condition-key-unknown": ["/Statement/0/Condition/IpAddress/acs:SorceIp", "10:11-10:24", "Warning", true],
  "condition-key-case": ["/Statement/0/Condition/IpAddress/acs:sourceip", "10:11-10:25", "Warning", true],
  "condition-tag-keys-unsupported": ["/Statement/0/Condition/StringEquals/acs:TagKeys", "10:11-10:24", "Warning", false],
  "condition-key-absent": ["/Statement/0/Condition/StringEquals/acs:RequestTag~1environment", "10:11-10:39", "Suggestion", false],
  "condition-negated-key-absent": ["/Statement/0/Condition/StringNotEquals/acs:RequestTag~1environment", "13:11-13:39", "SecurityWarning", false],
  "condition-forallvalues-key-absent": ["/Statement/0/Condition/ForAllValues:StringEquals/acs:RequestTag~1team", "10:11-10:32", "SecurityWarning", false],
  "condition-tag-key-case": ["/Statement/0/Condition/StringEquals/acs:ResourceTag~1Team", "11:11-11:33", "Warning", true],
  "condition-operator-type": ["/Statement/0/Condition/Bool/acs:SourceIp", "10:11-10:25", "Error", false],
  "allow-all-unconditioned": ["/Statement/0/Action", "6:17-6:24", "SecurityWarning", false],
  "allow-not-action": ["/Statement/0/NotAction", "7:7-7:18", "SecurityWarning", false],
  "deny-condition-key-absent": ["/Statement/1/Condition/StringEquals/acs:ResourceTag~1environment", "18:11-18:40", "SecurityWarning", false],
  "deny-never-matches": ["/Statement/1/Condition/StringEquals/acs:ResourceTag~1environment", "15:11-15:40", "SecurityWarning", false],
  "allow-never-matches": ["/Statement/0/Resource", "7:7-7:17", "Error", false],
  "statement-duplicate": ["/Statement/1", "9:5-13:6", "Suggestion", true],
  "statement-covered": ["/Statement/1", "9:5-18:6", "Suggestion", false],
  "value-duplicate": ["/Statement/0/Action/2", "9:9-9:36", "Suggestion", true],
  "element-empty": ["/Statement/0/Condition", "8:20-8:22", "Suggestion", true],
  "unbound-allowance-missing": ["/Statement/0/Action", "6:17-6:24", "Suggestion", false],
};

/** Good fixtures lint clean, except where the bad example's point needs a statement that keeps an informational finding. */
const GOOD_MAY_HAVE: Record<string, string[]> = {
  // ess:* restricted by a resource tag still excludes DescribeLimitation, ListTagKeys…: the Suggestion stays.
  "unbound-allowance-missing": ["condition-key-absent"],
};

const span = (f: Finding): string => `${f.line}:${f.column}-${f.endLine}:${f.endColumn}`;

t.test("every registered rule has a bad and a good fixture, and every fixture names a rule", async (t) => {
  for (const dir of fixtureFolders()) t.ok(getRule(dir), `fixture folder ${dir} names a registered rule`);
  for (const rule of RULES) {
    t.ok(hasBad(rule.id), `${rule.id}: bad fixture`);
    t.ok(hasGood(rule.id), `${rule.id}: good fixture`);
    t.ok(EXPECTED[rule.id], `${rule.id}: expected position`);
  }
  t.equal(Object.keys(EXPECTED).length, RULES.length);
});

for (const rule of RULES) {
  t.test(`${rule.id}: triggers on bad.json at the exact position, not on good.json`, async (t) => {
    const bad = lintPolicy(badText(rule.id), { file: "bad.json" });
    const hits = bad.filter((f) => f.ruleId === rule.id);
    const [path, where, severity, fixable] = EXPECTED[rule.id]!;
    t.equal(hits.length, 1, `${rule.id} fires once: ${hits.map((f) => f.message).join(" | ")}`);
    const hit = hits[0]!;
    t.equal(hit.path, path);
    t.equal(span(hit), where);
    t.equal(hit.severity, severity);
    t.equal(hit.file, "bad.json");
    t.equal(Boolean(hit.fix), fixable, "fix presence");
    t.equal(Boolean(hit.fix), Boolean(hit.fixDescription), "a fix is described");
    if (hit.fix) t.equal(rule.autofix, true, "the registry says the rule fixes");
    for (const f of bad) t.ok(getRule(f.ruleId), `${f.ruleId} is registered`);

    const good = lintPolicy(goodText(rule.id));
    const allowed = GOOD_MAY_HAVE[rule.id] ?? [];
    t.same(good.filter((f) => !allowed.includes(f.ruleId)).map((f) => `${f.ruleId}: ${f.message}`), [], "good.json lints clean");
  });
}
