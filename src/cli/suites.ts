import { readdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { Option, type Command } from "commander";
import { parse as parseYaml } from "yaml";
import type { Policy } from "../policy/ast.js";
import { isObject } from "../policy/json-source.js";
import type { PolicySource } from "../lint/lint.js";
import { policyName } from "../policy/name.js";
import { explainDecision } from "../evaluate/explain.js";
import type { DecisionKind } from "../evaluate/decision.js";
import { decideRequest, visibleGroups } from "./decide.js";
import { EXIT, InputError, readText, type Io } from "./io.js";
import { checkSessionCount, kindOption, loadPolicySources } from "./policy-files.js";
import type { PolicyKind } from "../policy/ast.js";
import { parseRequestFile, type RequestFile } from "./request-file.js";

/**
 * `ess-authz test`: policy unit tests. A suite names the policies under test and cases, each a request (the
 * request file of `eval`, by path or inline) with the expected decision, and optionally the determining
 * statements and, for list calls, the visible groups.
 */
interface Expectation {
  decision: DecisionKind;
  determining?: { policy: string; statement: number }[];
  visible?: string[];
}

interface SuiteCase {
  name: string;
  request: RequestFile;
  requestLabel: string;
  expect: Expectation;
}

interface Suite {
  file: string;
  name: string;
  policies: Policy[];
  cases: SuiteCase[];
}

/** A path written in a suite: relative to the suite's folder unless absolute. */
const relativeTo = (base: string, path: string): string => (isAbsolute(path) ? path : join(base, path));

const DECISIONS = new Set(["Allow", "ExplicitDeny", "ImplicitDeny"]);

function fail(file: string, where: string, message: string): never {
  throw new InputError(`${file}: ${where}: ${message}`);
}

function parseSuiteText(file: string, text: string): unknown {
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    return fail(file, "syntax", (e as Error).message);
  }
}

function loadSuite(io: Io, file: string, kind: PolicyKind | undefined): Suite {
  const raw = parseSuiteText(file, readText(io, file));
  const base = dirname(file);
  if (!isObject(raw)) fail(file, "suite", "must be an object with policies and cases");
  if (!Array.isArray(raw.policies) || raw.policies.length === 0) fail(file, "policies", "must be a non-empty array");
  if (!Array.isArray(raw.cases)) fail(file, "cases", "must be an array");
  const sources = raw.policies.map((p, i): PolicySource => {
    if (typeof p === "string") return { text: readText(io, relativeTo(base, p)), name: policyName(p), file: relativeTo(base, p) };
    if (isObject(p) && typeof p.name === "string") return { text: JSON.stringify(p.document, null, 2), name: p.name, file: `${file}#/policies/${i}` };
    return fail(file, `policies/${i}`, 'must be a path or {"name", "document"}');
  });
  // Every policy's Errors at once, as `eval` reports them.
  checkSessionCount(kind, sources.length);
  const policies = loadPolicySources(sources, kind);
  const cases = raw.cases.map((c, i): SuiteCase => {
    const where = `cases/${i}`;
    if (!isObject(c) || typeof c.name !== "string") fail(file, where, "needs a name");
    const expect = c.expect;
    if (!isObject(expect) || typeof expect.decision !== "string" || !DECISIONS.has(expect.decision)) {
      fail(file, `${where}/expect/decision`, "must be Allow, ExplicitDeny or ImplicitDeny");
    }
    const [requestText, requestLabel] =
      typeof c.request === "string"
        ? [readText(io, relativeTo(base, c.request)), relativeTo(base, c.request)]
        : [JSON.stringify(c.request), `${file}#/${where}/request`];
    return { name: c.name, request: parseRequestFile(requestText, requestLabel), requestLabel, expect: expect as unknown as Expectation };
  });
  return { file, name: typeof raw.name === "string" ? raw.name : file, policies, cases };
}

/** Suite files of the given paths: folders contribute every `*.suite.json|yaml|yml` below them. */
export function suiteFiles(io: Io, paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (path: string): void => {
    const abs = resolve(io.cwd, path);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new InputError(`${path}: no such file or folder`);
    }
    if (st.isDirectory()) {
      for (const entry of readdirSync(abs).sort()) {
        const child = join(path, entry);
        if (statSync(resolve(io.cwd, child)).isDirectory() || /\.suite\.(json|ya?ml)$/i.test(entry)) walk(child);
      }
    } else out.push(path);
  };
  paths.forEach(walk);
  return out;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

export interface TestOptions {
  coverage?: boolean;
  kind?: PolicyKind;
  format?: "text" | "junit";
  errorOnUnmatched?: boolean;
}

/** One case as run: what was decided and, when it failed, why and the explanation lines. */
interface CaseResult {
  readonly name: string;
  readonly decision: string;
  readonly action: string;
  readonly problems: readonly string[];
  readonly details: readonly string[];
}

interface SuiteResult {
  readonly name: string;
  readonly file: string;
  readonly cases: readonly CaseResult[];
}

async function runCase(suite: Suite, c: SuiteCase, exercised: Set<string>): Promise<CaseResult> {
  const d = await decideRequest(suite.policies, c.request, true);
  for (const s of d.determining) exercised.add(`${s.policy}#${s.statement}`);
  const problems: string[] = [];
  if (d.decision !== c.expect.decision) problems.push(`decision ${d.decision}, expected ${c.expect.decision}`);
  if (c.expect.determining) {
    const got = d.determining.map((s) => `${s.policy}#${s.statement}`);
    const want = c.expect.determining.map((s) => `${s.policy}#${s.statement}`);
    if (!sameSet(got, want)) problems.push(`determining [${got.join(", ")}], expected [${want.join(", ")}]`);
  }
  if (c.expect.visible && !sameSet(visibleGroups(d), c.expect.visible)) {
    problems.push(`visible [${visibleGroups(d).join(", ")}], expected [${c.expect.visible.join(", ")}]`);
  }
  const details =
    problems.length === 0
      ? []
      : [`request: ${c.requestLabel}`, ...d.resources.flatMap((r) => [r.arn, ...explainDecision(r).split("\n").map((l) => `  ${l}`)])];
  return { name: c.name, decision: d.decision, action: d.action, problems, details };
}

function textReport(io: Io, results: readonly SuiteResult[], coverageLines: readonly string[]): void {
  for (const suite of results) {
    io.stdout(`${suite.name}  (${suite.file})\n`);
    for (const c of suite.cases) {
      io.stdout(`  ${c.problems.length === 0 ? "ok  " : "FAIL"} ${c.decision.padEnd(12)} ${c.action.padEnd(34)} ${c.name}\n`);
      for (const line of [...c.problems, ...c.details]) io.stdout(`       ${line}\n`);
    }
  }
  for (const line of coverageLines) io.stdout(`${line}\n`);
}

/** Text as XML 1.0 allows it in content and attributes: markup escaped, forbidden control characters replaced. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/[&<>"'\t\n\r]/g, (c) => XML_ENTITIES[c]!);
}

// Whitespace as character references too, so attribute-value normalization cannot turn it into spaces.
const XML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;" };

/**
 * JUnit XML as Jenkins, GitLab and the GitHub test-report actions read it: one <testsuite> per suite file, one
 * <testcase> per case, a <failure> with the mismatches as its message and the explanation as its text.
 */
export function formatJunit(results: readonly SuiteResult[]): string {
  const failures = (cases: readonly CaseResult[]): number => cases.filter((c) => c.problems.length > 0).length;
  const all = results.flatMap((s) => s.cases);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="ess-authz test" tests="${all.length}" failures="${failures(all)}" errors="0">`];
  for (const suite of results) {
    const name = xmlEscape(suite.name);
    const file = xmlEscape(suite.file);
    out.push(`  <testsuite name="${name}" tests="${suite.cases.length}" failures="${failures(suite.cases)}" errors="0" skipped="0" file="${file}">`);
    for (const c of suite.cases) {
      const open = `    <testcase name="${xmlEscape(c.name)}" classname="${name}" file="${file}"`;
      if (c.problems.length === 0) {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`, `      <failure message="${xmlEscape(c.problems.join("; "))}" type="ExpectationFailed">${xmlEscape([...c.problems, ...c.details].join("\n"))}</failure>`, "    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}

const SUITE_PATTERNS = "*.suite.json, *.suite.yaml, *.suite.yml";

/** Runs suites; one line per case, explained failures, statement coverage, and the summary line (or JUnit XML). */
export async function runTests(io: Io, paths: readonly string[], options: TestOptions = {}): Promise<number> {
  const searched = paths.length > 0 ? paths : ["fixtures"];
  const suites = suiteFiles(io, searched).map((f) => loadSuite(io, f, options.kind));
  const caseCount = suites.reduce((n, s) => n + s.cases.length, 0);
  if (caseCount === 0) {
    // A run that tested nothing must not pass unnoticed (as eslint's "No files matching the pattern").
    const what = suites.length === 0 ? `no test suites found in ${searched.join(", ")} (looked for ${SUITE_PATTERNS})` : `no test cases in ${suites.length} suite${suites.length === 1 ? "" : "s"}`;
    if (options.errorOnUnmatched === false) {
      io.stderr(`ess-authz test: ${what}\n`);
      return EXIT.ok;
    }
    throw new InputError(`test: ${what}`);
  }
  const exercised = new Set<string>();
  const all = new Map<string, string>();
  const results: SuiteResult[] = [];
  for (const suite of suites) {
    for (const p of suite.policies) for (const s of p.statements) all.set(`${p.name}#${s.index}`, `${p.name} statement ${s.index}${s.sid ? ` (${s.sid})` : ""}`);
    const cases: CaseResult[] = [];
    for (const c of suite.cases) cases.push(await runCase(suite, c, exercised));
    results.push({ name: suite.name, file: relative(io.cwd, resolve(io.cwd, suite.file)), cases });
  }
  const unused = [...all.keys()].filter((k) => !exercised.has(k));
  const failed = results.reduce((n, s) => n + s.cases.filter((c) => c.problems.length > 0).length, 0);
  if (options.format === "junit") io.stdout(formatJunit(results));
  else {
    textReport(io, results, [
      `statement coverage: ${all.size - unused.length}/${all.size} statements decided at least one case`,
      ...(options.coverage ? unused.map((k) => `  never exercised: ${all.get(k)}`) : []),
      `${caseCount - failed} passed, ${failed} failed`,
    ]);
  }
  return failed > 0 ? EXIT.denied : EXIT.ok;
}

export function registerTest(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("test")
    .description("run policy test suites (*.suite.json|yaml): expected decisions, determining statements, visible groups (exit 0 pass / 1 failures / 2 invalid or nothing to test)")
    .argument("[paths...]", "suite files or folders (default: fixtures)", [])
    .option("--coverage", "list the statements that decided no case")
    .addOption(kindOption())
    .addOption(new Option("--format <format>", "output format; junit prints JUnit XML for CI test reports").choices(["text", "junit"]).default("text"))
    .option("--no-error-on-unmatched", "exit 0 when no suite or case is found")
    .action(async (paths: string[], opts: TestOptions) => setExit(await runTests(io, paths, opts)));
}
