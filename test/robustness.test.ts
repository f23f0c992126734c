/**
 * Robustness of the parser and the linter (issue #6): random and mutated JSON texts (from the real policies in
 * `policies/`), deep nesting (100,000 levels), huge strings and arrays, 10 MB documents, lone surrogates, BOMs and
 * every JSON syntax error give findings — never an exception, a hang or an out-of-memory. Adversarial wildcard
 * patterns stay linear.
 *
 * Work is bounded by counting steps (executed code blocks, test/helpers/steps.ts), never by timing, so that a
 * busy or slow machine cannot fail the suite: big inputs cost at most a fixed number of steps per character, and
 * wildcard matching takes at most about twice the steps on twice the input. These run in a child process with a
 * heap limit, where a hang is a timeout rather than a stuck run. Timings belong in bench/.
 */
import t from "tap";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { parsePolicy } from "../src/policy/parse.js";
import { fixPolicy, lintPolicy } from "../src/lint/lint.js";
import { globMatch } from "../src/match/glob.js";
import { makeContext } from "../src/evaluate/context.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import type { Finding } from "../src/policy/findings.js";
import { policyOf } from "./helpers/policies.js";
import { BIG_INPUTS, PAIRWISE, SCHEMA_FAILURES } from "./reference/big-inputs.js";
import { runJobs } from "./helpers/work-lane.js";
import type { WorkJob } from "./reference/work-child.js";

/**
 * Steps allowed per character of input: linear work, with a wide margin. The fixer lints again after each round of
 * fixes, so it has ten times as many.
 */
const STEPS_PER_CHARACTER = { parse: 100, lint: 100, fix: 1000 };
/** What a child may take to answer once its input is built before it counts as hung; not a performance bound. */
const HANG_MS = 60_000;
const root = fileURLToPath(new URL("..", import.meta.url));
const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort().join();

/** parse, lint and (for small texts) fix: never throws, returns findings. */
function everything(text: string, fix = text.length < 20_000): { parse: readonly Finding[]; lint: readonly Finding[]; loaded: boolean } {
  const parsed = parsePolicy(text);
  const lint = lintPolicy(text);
  if (fix) fixPolicy(text, { fixType: "widening" });
  return { parse: parsed.findings, lint, loaded: parsed.policy !== undefined };
}

const errors = (fs: readonly Finding[]): string[] => fs.filter((f) => f.severity === "Error").map((f) => f.ruleId);

// ---------------------------------------------------------------- every JSON syntax error

const SYNTAX_ERRORS: Record<string, string> = {
  "empty text": "",
  "whitespace only": " \n\t ",
  "lone {": "{",
  "lone [": "[",
  "lone }": "}",
  "mismatched {]": "{]",
  "mismatched [}": "[}",
  "trailing comma in object": '{"Version":"1",}',
  "trailing comma in array": '{"Version":"1","Statement":[{},]}',
  "leading comma in array": "[,1]",
  "double comma": '{"a":1,,"b":2}',
  "missing comma": '{"Version":"1" "Statement":[]}',
  "missing colon": '{"Version" "1"}',
  "missing value": '{"a":}',
  "missing key": '{:1}',
  "number key": "{1:1}",
  "key without value": '{"a"}',
  "single quotes": "{'Version':'1'}",
  "unquoted key": '{Version:"1"}',
  "line comment": '{"Version":"1"} // comment',
  "block comment": '/* c */ {"Version":"1"}',
  "leading zero": '{"a":01}',
  NaN: '{"a":NaN}',
  Infinity: '{"a":Infinity}',
  "lone minus": '{"a":-}',
  "trailing dot": '{"a":1.}',
  "leading dot": '{"a":.5}',
  "plus sign": '{"a":+1}',
  hex: '{"a":0x10}',
  "bare exponent": '{"a":1e}',
  "invalid escape": '{"a":"\\x41"}',
  "short unicode escape": '{"a":"\\u12"}',
  "bad unicode escape": '{"a":"\\uZZZZ"}',
  "raw tab in string": '{"a":"tab\there"}',
  "raw newline in string": '{"a":"line\nbreak"}',
  "raw NUL in string": '{"a":"\u0000"}',
  "unterminated string": '{"a":"unterminated}',
  "unterminated escape": '{"a":"\\',
  "escaped closing quote": '{"a":"\\"}',
  "truncated true": '{"a":tru}',
  "truncated null": '{"a":nul}',
  "capitalised True": '{"a":True}',
  undefined: '{"a":undefined}',
  "two documents": "{} {}",
  "trailing garbage": "{}x",
  "BOM inside the document": '{\uFEFF"Version":"1"}',
  "BOM after the document": "{}\uFEFF",
  "two BOMs": "\uFEFF\uFEFF{}",
  "BOM then garbage": "\uFEFFx",
  "NUL byte outside strings": "{\u0000}",
  "duplicate keys": '{"Version":"1","Version":"1","Statement":[]}',
  "top-level string": '"policy"',
  "top-level number": "1",
  "top-level null": "null",
  "top-level array": "[]",
};

t.test("every JSON syntax error is an Error finding, never an exception", async (t) => {
  for (const [name, text] of Object.entries(SYNTAX_ERRORS)) {
    const r = everything(text);
    t.notOk(r.loaded, `${name}: no policy`);
    t.ok(errors(r.parse).length > 0, `${name}: parser Error (${errors(r.parse).join(", ")})`);
    t.ok(errors(r.lint).length > 0, `${name}: linter Error`);
  }
});

t.test("byte-order marks", async (t) => {
  const ok = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ess:*","Resource":"*"}]}';
  const r = parsePolicy("\uFEFF" + ok);
  t.ok(r.policy, "a leading BOM is tolerated (editors add it)");
  t.same(errors(lintPolicy("\uFEFF" + ok)), []);
  t.equal(r.findings.find((f) => f.line !== 1) ?? undefined, undefined);
  t.notOk(parsePolicy(ok.replace('"ess:*"', '"\uFEFFess:*"')).policy, "a BOM inside a value is a character: the action is malformed");
});

t.test("lone surrogates, raw and escaped, in keys and values", async (t) => {
  const raw = '{"Version":"1","Statement":[{"Sid":"\ud800","Effect":"Allow","Action":"ess:*","Resource":"acs:ess:*:*:scalinggroup/\udc00*","Condition":{"StringLike":{"acs:RequestTag/\ud800":"\udfff*"}}}]}';
  const escaped = raw.replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  for (const [name, text] of [["raw", raw], ["escaped", escaped]] as const) {
    const r = everything(text);
    t.ok(r.loaded, `${name}: loads (surrogates are characters of strings)`);
    const p = parsePolicy(text).policy!;
    const d = evaluate({ identity: [{ policy: p }] }, makeContext({ action: "ess:DeleteScalingGroup", resource: "acs:ess:cn-hangzhou:1:scalinggroup/\udc00x", requestTags: [["\ud800", "\udfffy"]] }));
    t.equal(d.decision, "Allow", `${name}: evaluates`);
  }
  const unpaired = everything('{"\ud800":"\udc00\ud800","Version":"1","Statement":[]}');
  t.notOk(unpaired.loaded, "an unknown key, even a lone surrogate, is an Error");
});

// ---------------------------------------------------------------- random and mutated texts

const REAL_POLICIES = [join(root, "policies"), join(root, "policies", "guide-originals")].flatMap((dir) =>
  readdirSync(dir).filter((f) => f.endsWith(".json") && !f.startsWith("expected")).map((f) => readFileSync(join(dir, f), "utf8")),
);

const TOKENS = ["{", "}", "[", "]", ",", ":", '"', "\\", "\ud800", "\udc00", "\uFEFF", "\u0000", "null", "1e999", "-0", '"__proto__"', '"constructor"', " ", "*", "?", '"Deny"', '"NotAction"', '"ForAnyValue:StringLike"', "😀"];

const mutation = fc.tuple(
  fc.constantFrom(...REAL_POLICIES),
  fc.array(fc.tuple(fc.constantFrom("delete", "insert", "replace", "duplicate", "truncate"), fc.nat(), fc.nat({ max: 40 }), fc.constantFrom(...TOKENS)), { minLength: 1, maxLength: 4 }),
).map(([text, edits]) => {
  let s = text;
  for (const [op, at, len, token] of edits) {
    const i = s.length === 0 ? 0 : at % s.length;
    if (op === "delete") s = s.slice(0, i) + s.slice(i + len);
    else if (op === "insert") s = s.slice(0, i) + token + s.slice(i);
    else if (op === "replace") s = s.slice(0, i) + token + s.slice(i + 1);
    else if (op === "duplicate") s = s.slice(0, i + len) + s.slice(i, i + len) + s.slice(i + len);
    else s = s.slice(0, i);
  }
  return s;
});

t.test("mutated real policies, random JSON and random text: findings only", async (t) => {
  t.ok(REAL_POLICIES.length >= 8, `${REAL_POLICIES.length} real policies`);
  let inputs = 0;
  let loaded = 0;
  const check = (text: string): boolean => {
    const r = everything(text);
    inputs++;
    if (r.loaded) {
      loaded++;
      const p = parsePolicy(text).policy!;
      const d = evaluate({ identity: [{ policy: p }] }, makeContext({ action: "ess:DeleteScalingGroup", resource: "*", requestTags: [["team", "game1"]] }), { trace: true });
      if (!["Allow", "ExplicitDeny", "ImplicitDeny"].includes(d.decision)) return false;
    }
    // a document that does not load has an Error finding that says why
    return r.loaded || errors(r.parse).length > 0;
  };
  fc.assert(fc.property(mutation, check), { numRuns: 1200, seed: 6 });
  fc.assert(fc.property(fc.json({ maxDepth: 6 }), check), { numRuns: 400, seed: 7 });
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify({ Version: "1", Statement: [v] })), check), { numRuns: 300, seed: 8 });
  fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), check), { numRuns: 300, seed: 9 });
  t.comment(`${inputs} texts (${loaded} loaded)`);
});

// ---------------------------------------------------------------- big inputs, in a child process

const EXPECTED_ERROR: Record<string, string> = {
  "10MB document": "json-too-large",
  "999,000-character string": "policy-too-large",
  "100,000 nested arrays": "json-too-deep",
  "100,000 nested objects": "json-too-deep",
  "100,000 unclosed brackets": "json-too-deep",
  "100,000 levels inside Condition": "json-too-deep",
  "60,000 malformed actions": "policy-too-large|json-too-large",
  "60,000 wildcard actions": "policy-too-large|json-too-large",
  "50,000 StringLike values": "policy-too-large|json-too-large",
  "3,000 condition keys": "policy-too-large|json-too-large",
  "30,000 resources": "policy-too-large|json-too-large",
  "8,000 statements": "policy-too-large|json-too-large",
  "115 fixable statements (legal size)": "action-malformed",
  ...Object.fromEntries(Object.keys(PAIRWISE).map((name) => [name, "policy-too-large"])),
  [SCHEMA_FAILURES]: "type-invalid",
};

t.test("big inputs: a finding, linear work, no hang, no out-of-memory", async (t) => {
  const jobs: WorkJob[] = [];
  for (const input of Object.keys(BIG_INPUTS)) jobs.push({ input, mode: "parse" }, { input, mode: "lint" });
  jobs.push({ input: "115 fixable statements (legal size)", mode: "fix" });
  const named = jobs.map((job) => [`${job.mode} ${"input" in job ? job.input : ""}`, job] as const);
  const results = await runJobs(named, HANG_MS);
  for (const [name, job] of named) {
    const r = results.get(name)!;
    if (!("input" in job) || job.mode === "glob") continue;
    t.test(name, async (t) => {
      t.notOk(r.timedOut, "no hang");
      t.equal(r.exit, undefined, "no crash or out-of-memory");
      t.equal(r.error, undefined, "no exception");
      if (r.steps !== undefined) t.ok(r.steps <= STEPS_PER_CHARACTER[job.mode] * r.length!, `${r.steps} steps for ${r.length} characters`);
      const expected = EXPECTED_ERROR[job.input]!;
      if (!r.ruleIds) return;
      // the fixer's findings are those of the fixed document: what it fixed is gone
      if (job.mode === "fix") t.notOk(r.ruleIds.includes(expected), `no ${expected} left in ${r.ruleIds.join(", ")}`);
      else t.ok(expected.split("|").some((id) => r.ruleIds!.includes(id)), `finding ${expected} in ${r.ruleIds.join(", ")}`);
    });
  }
});

// ---------------------------------------------------------------- pairwise rules on hostile documents

// Their step counts are bounded with the big inputs above.
t.test("pairwise rules on hostile documents give policy-too-large", async (t) => {
  for (const name of Object.keys(PAIRWISE)) {
    const text = BIG_INPUTS[name]!();
    t.ok(lintPolicy(text).some((f) => f.ruleId === "policy-too-large"), `${name}: policy-too-large (${text.length} characters)`);
  }
});

t.test("thousands of schema failures in one document, one finding per failing node", async (t) => {
  // 4,000 statements with a number for Action: about 12,000 schema errors to fold into findings (once quadratic,
  // when every failure was compared with every other; its steps are bounded with the big inputs above).
  const findings = parsePolicy(BIG_INPUTS[SCHEMA_FAILURES]!()).findings;
  const typeFindings = findings.filter((f) => f.ruleId === "type-invalid");
  t.equal(typeFindings.length, 4000, "one type-invalid finding per Action");
  t.equal(new Set(typeFindings.map((f) => f.path)).size, 4000);
});

// ---------------------------------------------------------------- adversarial wildcards stay linear

t.test("adversarial wildcard patterns stay linear", async (t) => {
  // [pattern, repeated unit of the input, expected match]; inputs of 50,000 and 100,000 repetitions.
  const cases: [string, string, boolean][] = [
    ["*a*a*a*a*a*b", "a", false],
    ["*a*a*a*a*a*a", "a", true],
    ["*" + "a*".repeat(3000) + "b", "a", false],
    ["*?a?a?a?a?b*", "a", false],
    ["?".repeat(5000) + "*b", "a", false],
    ["*" + "?*".repeat(2000) + "b", "a", false],
    ["\ud800*a*a*a*b", "\ud800a", false],
    ["*" + "a".repeat(5000) + "b*", "a", false],
    ["*?b?b?b*c", "ab", false],
  ];
  const jobs = cases.flatMap(([pattern, input], i) =>
    [50_000, 100_000].map((repeat) => [`${i} ${repeat}`, { mode: "glob", pattern, input: pattern.startsWith("\ud800") ? input : input, repeat } as const] as const),
  );
  const results = await runJobs(jobs, HANG_MS);
  cases.forEach(([pattern, input, expected], i) => {
    const label = `${JSON.stringify(pattern.slice(0, 24))}… (${pattern.length}) on ${JSON.stringify(input)} × 100,000`;
    const half = results.get(`${i} 50000`)!;
    const full = results.get(`${i} 100000`)!;
    t.equal(full.matched, expected, label);
    t.equal(globMatch(pattern, input.repeat(1000)), expected, `${label}, in this process too`);
    // Linear: twice the input, at most about twice the steps (plus what does not depend on the input).
    t.ok(full.steps! <= 2.2 * half.steps! + 10 * pattern.length + 100, `${label}: ${half.steps} then ${full.steps} steps`);
  });
  // through the evaluator: a Resource and a StringLike value against 100,000-character request values
  const long = "a".repeat(100_000);
  const p = policyOf([
    { Effect: "Allow", Action: "ess:*", Resource: "*a*a*a*a*a*a*a*a*b", Condition: { StringLike: { "acs:RequestTag/team": ["*a*a*a*a*a*a*b", "*?a?a?a*b"] } } },
    { Effect: "Deny", Action: "ess:*", Resource: "*A*A*A*A*A*A*A*A*B" },
  ]);
  const d = evaluate({ identity: [{ policy: p }] }, makeContext({ action: "ess:DeleteScalingGroup", resource: long, requestTags: [["team", long], ["TEAM", long]] }), { trace: true });
  t.equal(d.decision, "ImplicitDeny");
});

// ---------------------------------------------------------------- prototype pollution through policy JSON

t.test("policy JSON cannot pollute prototypes", async (t) => {
  const texts = [
    '{"__proto__":{"polluted":"yes"},"Version":"1","Statement":[]}',
    '{"constructor":{"prototype":{"polluted":"yes"}},"Version":"1","Statement":[]}',
    '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ess:*","Resource":"*","Condition":{"StringEquals":{"__proto__":{"polluted":"yes"}}}}]}',
    '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ess:*","Resource":"*","Condition":{"__proto__":{"polluted":"yes"}}}]}',
    '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ess:*","Resource":"*","Condition":{"StringEquals":{"__proto__":"x","constructor":"y","toString":"z"}}}]}',
  ];
  for (const text of texts) everything(text, true);
  const ok = parsePolicy(texts[4]!).policy!;
  t.same(ok.statements[0]!.conditions.map((c) => c.key), ["__proto__", "constructor", "toString"], "such keys are ordinary condition keys");
  const d = evaluate({ identity: [{ policy: ok }] }, makeContext({ action: "ess:X", resource: "*", keys: [["__proto__", "x"], ["constructor", "y"], ["toString", "z"]] }));
  t.equal(d.decision, "Allow");
  t.equal(evaluate({ identity: [{ policy: ok }] }, makeContext({ action: "ess:X", resource: "*" })).decision, "ImplicitDeny", "an inherited property is not a request value");
  t.equal(({} as Record<string, unknown>).polluted, undefined);
  t.equal(Object.getOwnPropertyNames(Object.prototype).sort().join(), prototypeBefore, "Object.prototype unchanged");
});
