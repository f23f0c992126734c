/**
 * Robustness of the parser and the linter (issue #6): random and mutated JSON texts (from the real policies in
 * `policies/`), deep nesting (100,000 levels), huge strings and arrays, 10 MB documents, lone surrogates, BOMs and
 * every JSON syntax error give findings — never an exception, a hang or an out-of-memory. Adversarial wildcard
 * patterns stay linear.
 *
 * Time bounds are on CPU time (process.cpuUsage), not wall time, so that a busy machine does not make them
 * flaky; they are loose (1 s per input) and only catch hangs and super-linear blowups. Inputs that could hang are
 * run in a child process with a wall-clock timeout and a heap limit.
 */
import t from "tap";
import fc from "fast-check";
import { fork } from "node:child_process";
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
import { BIG_INPUTS } from "./reference/big-inputs.js";

const LIMIT_MS = 1000;
const root = fileURLToPath(new URL("..", import.meta.url));
const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort().join();

/** CPU milliseconds of `f` (this process only). */
function cpu<T>(f: () => T): { value: T; ms: number } {
  const c = process.cpuUsage();
  const value = f();
  const d = process.cpuUsage(c);
  return { value, ms: (d.user + d.system) / 1000 };
}

/** parse, lint and (for small texts) fix: never throws, returns findings; the slowest step's CPU time. */
function everything(text: string, fix = text.length < 20_000): { parse: readonly Finding[]; lint: readonly Finding[]; ms: number; loaded: boolean } {
  const p = cpu(() => parsePolicy(text));
  const l = cpu(() => lintPolicy(text));
  const f = fix ? cpu(() => fixPolicy(text)) : { ms: 0 };
  return { parse: p.value.findings, lint: l.value, ms: Math.max(p.ms, l.ms, f.ms), loaded: p.value.policy !== undefined };
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
    t.ok(r.ms < LIMIT_MS, `${name}: ${r.ms.toFixed(1)} ms`);
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
    t.ok(r.ms < LIMIT_MS);
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
  let slowest = 0;
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
    slowest = Math.max(slowest, r.ms);
    // a document that does not load has an Error finding that says why
    return (r.loaded || errors(r.parse).length > 0) && r.ms < LIMIT_MS;
  };
  fc.assert(fc.property(mutation, check), { numRuns: 1200, seed: 6 });
  fc.assert(fc.property(fc.json({ maxDepth: 6 }), check), { numRuns: 400, seed: 7 });
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify({ Version: "1", Statement: [v] })), check), { numRuns: 300, seed: 8 });
  fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), check), { numRuns: 300, seed: 9 });
  t.comment(`${inputs} texts (${loaded} loaded), slowest ${slowest.toFixed(1)} ms CPU`);
  t.ok(slowest < LIMIT_MS);
});

// ---------------------------------------------------------------- big inputs, in a child process

interface ChildResult {
  cpuMs?: number;
  wallMs?: number;
  ruleIds?: string[];
  error?: string;
  timedOut?: boolean;
  exit?: string;
}

/**
 * A child process (tsx loader, 1 GB heap) that runs big inputs one after the other. A hang is a wall-clock
 * timeout: the child is killed and the next input gets a fresh one.
 */
class Lane {
  private child?: ReturnType<typeof fork>;
  private stderr = "";

  private start(): ReturnType<typeof fork> {
    const child = fork(fileURLToPath(new URL("./reference/lint-child.ts", import.meta.url)), [], {
      cwd: root,
      execArgv: ["--import=tsx", "--max-old-space-size=1024"],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.stderr = "";
    child.stderr?.on("data", (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
    return child;
  }

  run(input: string, mode: "parse" | "lint" | "fix", timeoutMs: number): Promise<ChildResult> {
    const child = (this.child ??= this.start());
    return new Promise((resolve) => {
      const done = (r: ChildResult, keep: boolean): void => {
        clearTimeout(timer);
        child.removeAllListeners("message");
        child.removeAllListeners("exit");
        if (!keep) {
          child.kill("SIGKILL");
          this.child = undefined;
        }
        resolve(r);
      };
      // the timeout covers the child's start-up only once: it is armed when the child says it is ready
      let timer = setTimeout(() => done({ timedOut: true }, false), timeoutMs + 60_000);
      child.on("message", (m: ChildResult & { ready?: boolean }) => {
        if (m.ready) {
          clearTimeout(timer);
          timer = setTimeout(() => done({ timedOut: true }, false), timeoutMs);
          return;
        }
        done(m, true);
      });
      child.on("exit", (code, signal) => done({ exit: `exit ${code} ${signal ?? ""} ${this.stderr}` }, false));
      child.send({ input, mode });
    });
  }

  close(): void {
    this.child?.kill("SIGKILL");
  }
}

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
};

t.test("big inputs: a finding within 1 s CPU, no hang, no out-of-memory", async (t) => {
  const jobs: { input: string; mode: "parse" | "lint" | "fix" }[] = [];
  for (const input of Object.keys(BIG_INPUTS)) {
    jobs.push({ input, mode: "parse" }, { input, mode: "lint" });
  }
  jobs.push({ input: "115 fixable statements (legal size)", mode: "fix" });
  // two at a time (2 cores)
  const results = new Map<string, ChildResult>();
  const queue = [...jobs];
  await Promise.all(
    [new Lane(), new Lane()].map(async (lane) => {
      for (let job = queue.shift(); job; job = queue.shift()) results.set(`${job.mode} ${job.input}`, await lane.run(job.input, job.mode, 15_000));
      lane.close();
    }),
  );
  for (const job of jobs) {
    const name = `${job.mode} ${job.input}`;
    const r = results.get(name)!;
    t.test(name, async (t) => {
      t.notOk(r.timedOut, "no hang");
      t.equal(r.exit, undefined, "no crash or out-of-memory");
      t.equal(r.error, undefined, "no exception");
      if (r.cpuMs !== undefined) t.ok(r.cpuMs < LIMIT_MS, `${r.cpuMs.toFixed(0)} ms CPU (${r.wallMs!.toFixed(0)} ms wall)`);
      const expected = EXPECTED_ERROR[job.input]!;
      if (!r.ruleIds) return;
      // the fixer's findings are those of the fixed document: what it fixed is gone
      if (job.mode === "fix") t.notOk(r.ruleIds.includes(expected), `no ${expected} left in ${r.ruleIds.join(", ")}`);
      else t.ok(expected.split("|").some((id) => r.ruleIds!.includes(id)), `finding ${expected} in ${r.ruleIds.join(", ")}`);
    });
  }
});

// ---------------------------------------------------------------- pairwise rules on hostile documents

const statementsDoc = (statements: unknown[]): string => JSON.stringify({ Version: "1", Statement: statements });
const arn = (id: string): string => `acs:ess:cn-hangzhou:1234567890123456:scalinggroup/${id}`;
/** A literal group id per number, 20 characters like real ones. */
const groupId = (i: number): string => `asg-${i.toString(36).padStart(16, "0")}`;

/** Documents that make the rules comparing statements, ids or spellings pairwise do the most work per pair. */
const PAIRWISE: Record<string, () => string> = {
  "2,000 comparable statements (statement-covered)": () =>
    statementsDoc(Array.from({ length: 2_000 }, (_, i) => ({ Effect: i % 2 ? "Allow" : "Deny", Action: ["ess:*", `ecs:x${i}`], Resource: [arn(groupId(i)), arn(groupId(i + 1))] }))),
  "2,000 statements differing in conditions only": () =>
    statementsDoc(Array.from({ length: 2_000 }, (_, i) => ({ Effect: "Allow", Action: "ess:DescribeScalingGroups", Resource: "*", Condition: { StringEquals: { "acs:RequestTag/team": `t${i}` } } }))),
  "6,000 literal group ids (resource-id-near-duplicate)": () => statementsDoc([{ Effect: "Allow", Action: "ess:*", Resource: Array.from({ length: 6_000 }, (_, i) => arn(groupId(i))) }]),
  "3,000 spellings of one tag key (condition-tag-key-case)": () =>
    statementsDoc(
      Array.from({ length: 3_000 }, (_, i) => {
        const tagKey = [...i.toString(2).padStart(12, "0")].map((bit) => (bit === "1" ? "T" : "t")).join("");
        return { Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { [`acs:RequestTag/${tagKey}`]: "x" } } };
      }),
    ),
};

t.test("pairwise rules stay fast on hostile documents", async (t) => {
  for (const [name, build] of Object.entries(PAIRWISE)) {
    const text = build();
    const r = cpu(() => lintPolicy(text));
    t.ok(r.value.some((f) => f.ruleId === "policy-too-large"), `${name}: policy-too-large (${text.length} characters)`);
    t.ok(r.ms < LIMIT_MS, `${name}: ${r.ms.toFixed(0)} ms CPU`);
  }
});

t.test("thousands of schema failures in one document stay fast, one finding per failing node", async (t) => {
  // 4,000 statements with a number for Action: about 12,000 schema errors to fold into findings (this took
  // about 4 s of CPU when every failure was compared with every other).
  const statements = Array.from({ length: 4000 }, () => ({ Effect: "Allow", Action: 1, Resource: "*" }));
  const text = JSON.stringify({ Version: "1", Statement: statements });
  const r = cpu(() => parsePolicy(text));
  const typeFindings = r.value.findings.filter((f) => f.ruleId === "type-invalid");
  t.equal(typeFindings.length, 4000, "one type-invalid finding per Action");
  t.equal(new Set(typeFindings.map((f) => f.path)).size, 4000);
  t.ok(r.ms < LIMIT_MS, `${r.ms.toFixed(0)} ms CPU`);
});

// ---------------------------------------------------------------- adversarial wildcards stay linear

t.test("adversarial wildcard patterns stay linear", async (t) => {
  const long = "a".repeat(100_000);
  const cases: [string, string, boolean][] = [
    ["*a*a*a*a*a*b", long, false],
    ["*a*a*a*a*a*a", long, true],
    ["*" + "a*".repeat(3000) + "b", long, false],
    ["*?a?a?a?a?b*", long, false],
    ["?".repeat(5000) + "*b", long, false],
    ["*" + "?*".repeat(2000) + "b", long, false],
    ["\ud800*a*a*a*b", "\ud800" + long, false],
    ["*" + "a".repeat(5000) + "b*", long, false],
  ];
  for (const [pattern, input, expected] of cases) {
    const r = cpu(() => globMatch(pattern, input));
    t.equal(r.value, expected, `${JSON.stringify(pattern.slice(0, 24))}… (${pattern.length}) on ${input.length} characters`);
    t.ok(r.ms < LIMIT_MS, `${r.ms.toFixed(1)} ms CPU`);
  }
  // through the evaluator: a Resource and a StringLike value against 100,000-character request values
  const p = policyOf([
    { Effect: "Allow", Action: "ess:*", Resource: "*a*a*a*a*a*a*a*a*b", Condition: { StringLike: { "acs:RequestTag/team": ["*a*a*a*a*a*a*b", "*?a?a?a*b"] } } },
    { Effect: "Deny", Action: "ess:*", Resource: "*A*A*A*A*A*A*A*A*B" },
  ]);
  const r = cpu(() => evaluate({ identity: [{ policy: p }] }, makeContext({ action: "ess:DeleteScalingGroup", resource: long, requestTags: [["team", long], ["TEAM", long]] }), { trace: true }));
  t.equal(r.value.decision, "ImplicitDeny");
  t.ok(r.ms < LIMIT_MS, `evaluate: ${r.ms.toFixed(1)} ms CPU`);
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
