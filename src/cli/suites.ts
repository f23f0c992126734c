import { readdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { Command } from "commander";
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
}

/** Runs suites; one line per case, explained failures, statement coverage, and the summary line. */
export async function runTests(io: Io, paths: readonly string[], options: TestOptions = {}): Promise<number> {
  const suites = suiteFiles(io, paths.length > 0 ? paths : ["fixtures"]).map((f) => loadSuite(io, f, options.kind));
  let passed = 0;
  let failed = 0;
  const exercised = new Set<string>();
  const all = new Map<string, string>();
  for (const suite of suites) {
    io.stdout(`${suite.name}  (${relative(io.cwd, resolve(io.cwd, suite.file))})\n`);
    for (const p of suite.policies) for (const s of p.statements) all.set(`${p.name}#${s.index}`, `${p.name} statement ${s.index}${s.sid ? ` (${s.sid})` : ""}`);
    for (const c of suite.cases) {
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
      const mark = problems.length === 0 ? "ok  " : "FAIL";
      io.stdout(`  ${mark} ${d.decision.padEnd(12)} ${d.action.padEnd(34)} ${c.name}\n`);
      if (problems.length === 0) {
        passed++;
        continue;
      }
      failed++;
      for (const p of problems) io.stdout(`       ${p}\n`);
      io.stdout(`       request: ${c.requestLabel}\n`);
      for (const r of d.resources) {
        const text = explainDecision(r);
        io.stdout(`       ${r.arn}\n${text.split("\n").map((l) => `         ${l}`).join("\n")}\n`);
      }
    }
  }
  const unused = [...all.keys()].filter((k) => !exercised.has(k));
  io.stdout(`statement coverage: ${all.size - unused.length}/${all.size} statements decided at least one case\n`);
  if (options.coverage) for (const k of unused) io.stdout(`  never exercised: ${all.get(k)}\n`);
  io.stdout(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? EXIT.denied : EXIT.ok;
}

export function registerTest(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("test")
    .description("run policy test suites (*.suite.json|yaml): expected decisions, determining statements, visible groups")
    .argument("[paths...]", "suite files or folders", [])
    .option("--coverage", "list the statements that decided no case")
    .addOption(kindOption())
    .action(async (paths: string[], opts: TestOptions) => setExit(await runTests(io, paths, opts)));
}
