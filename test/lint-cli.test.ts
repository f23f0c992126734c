// `ess-authz lint`, run in-process through runLint: paths and folders, stdin, formats, exit codes, --fix.
import t from "tap";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runLint } from "../src/cli/lint.js";
import type { Io } from "../src/cli/io.js";

async function lint(argv: string[], options: { cwd?: string; stdin?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = {
    cwd: options.cwd ?? process.cwd(),
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    ...(options.stdin === undefined ? {} : { readStdin: () => options.stdin! }),
  };
  const code = await runLint(argv, io);
  return { code, out, err };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), "ess-authz-lint-"));
const ORIGINALS = "policies/guide-originals";
const T2_ORIGINAL = `${ORIGINALS}/t2-describe-group1-by-tag.original.json`;
const CLEAN = "test/fixtures/lint/action-unknown/good.json";
const T3_FIXED = "policies/t3-operate-group1-by-tag.json";

t.test("text: file:line:col severity ruleId message, the source line with a caret, the fix, a summary", async (t) => {
  const r = await lint([T2_ORIGINAL]);
  t.equal(r.code, 1);
  t.equal(
    r.out,
    [
      `${T2_ORIGINAL}:6:17 Error action-unknown "ess:Describle*" matches no ESS action, so the statement never applies; did you mean "ess:Describe*"?`,
      `  6 |       "Action": "ess:Describle*",`,
      `    |                 ^^^^^^^^^^^^^^^^`,
      `  suggestion, widens access (apply with --fix --fix-type widening): replace with "ess:Describe*"`,
      ``,
      `1 finding (1 error) in 1 file; 1 suggested fix widens access (--fix-type widening)`,
      ``,
    ].join("\n"),
  );
  t.equal(r.err, "");
});

t.test("exit codes follow --fail-on", async (t) => {
  t.equal((await lint([CLEAN])).code, 0, "clean");
  t.match((await lint([CLEAN])).out, /^no findings in 1 file\n$/);
  t.equal((await lint([T3_FIXED])).code, 0, "warnings do not fail the default --fail-on error");
  t.equal((await lint([T3_FIXED, "--fail-on", "security-warning"])).code, 1);
  t.equal((await lint([T3_FIXED, "--fail-on", "warning"])).code, 1);
  t.equal((await lint(["policies/t1-create-tagged-only.json", "--fail-on", "warning"])).code, 0, "a Suggestion is below warning");
  t.equal((await lint(["policies/t1-create-tagged-only.json", "--fail-on", "suggestion"])).code, 1);
});

t.test("folders: every *.json below them, sorted; hidden entries and node_modules skipped", async (t) => {
  const dir = tmp();
  mkdirSync(join(dir, "team", "deep"), { recursive: true });
  mkdirSync(join(dir, ".git"));
  mkdirSync(join(dir, "node_modules"));
  cpSync(CLEAN, join(dir, "b.json"));
  cpSync(T2_ORIGINAL, join(dir, "team", "deep", "a.json"));
  cpSync(T2_ORIGINAL, join(dir, ".git", "x.json"));
  cpSync(T2_ORIGINAL, join(dir, "node_modules", "x.json"));
  writeFileSync(join(dir, "notes.txt"), "not a policy");
  const r = await lint([".", "--format", "json"], { cwd: dir });
  t.equal(r.code, 1);
  t.same(
    (JSON.parse(r.out) as { file: string }[]).map((f) => f.file),
    ["team/deep/a.json"],
  );
  t.match((await lint([dir])).out, /in 2 files/);
});

t.test("one broken or unreadable path never stops the others; unreadable paths exit 2", async (t) => {
  const dir = tmp();
  writeFileSync(join(dir, "broken.json"), '{"Version": "1",\n "Statement": [}\n');
  cpSync(T2_ORIGINAL, join(dir, "t2.json"));
  const broken = await lint(["broken.json", "t2.json"], { cwd: dir });
  t.equal(broken.code, 1);
  t.match(broken.out, /^broken\.json:2:16 Error json-syntax invalid JSON/m);
  t.match(broken.out, /^t2\.json:6:17 Error action-unknown/m);

  const missing = await lint(["missing.json", "t2.json"], { cwd: dir });
  t.equal(missing.code, 2);
  t.match(missing.out, /^t2\.json:6:17 Error action-unknown/m);
  t.match(missing.out, /^missing\.json: cannot read \(ENOENT\)$/m);
  t.match(missing.out, /1 path could not be read/);

  const json = await lint(["missing.json", "t2.json", "--format", "json"], { cwd: dir });
  t.equal(json.code, 2);
  t.equal((JSON.parse(json.out) as unknown[]).length, 1);
  t.match(json.err, /cannot read missing\.json \(ENOENT\)/);
});

t.test("- reads standard input", async (t) => {
  const r = await lint(["-", "--format", "json"], { stdin: readFileSync(T2_ORIGINAL, "utf8") });
  t.equal(r.code, 1);
  const [f] = JSON.parse(r.out) as { file: string; ruleId: string }[];
  t.equal(f!.file, "<stdin>");
  t.equal(f!.ruleId, "action-unknown");
  t.equal((await lint(["-"])).code, 2, "no standard input to read");
});

t.test("json: docs/semantics.md §7 findings plus file", async (t) => {
  const r = await lint([`${ORIGINALS}/t1-create-tagged-only.original.json`, "--format", "json"]);
  t.same(JSON.parse(r.out), [
    {
      file: `${ORIGINALS}/t1-create-tagged-only.original.json`,
      ruleId: "action-malformed",
      severity: "Error",
      message: 'malformed action "ess>Create*" (">" instead of ":"): expected <service>:<ApiName>, e.g. ess:DescribeScalingGroups; did you mean "ess:Create*"?',
      path: "/Statement/0/Action",
      line: 6,
      column: 17,
      endLine: 6,
      endColumn: 30,
      fix: [{ op: "replace", path: "/Statement/0/Action", value: "ess:Create*" }],
      fixDescription: 'replace with "ess:Create*"',
      fixWidens: true,
    },
  ]);
});

t.test("usage errors exit 2", async (t) => {
  t.equal((await lint([])).code, 2, "no path");
  t.equal((await lint([CLEAN, "--format", "xml"])).code, 2, "unknown format");
  t.equal((await lint([CLEAN, "--fail-on", "info"])).code, 2, "unknown severity");
  const dry = await lint([CLEAN, "--dry-run"]);
  t.equal(dry.code, 2);
  t.match(dry.err, /--dry-run only goes with --fix/);
  const stdin = await lint(["-", "--fix"], { stdin: "{}" });
  t.equal(stdin.code, 2);
  t.match(stdin.err, /--fix cannot rewrite standard input/);
  const help = await lint(["--help"]);
  t.equal(help.code, 0);
  t.match(help.out, /--fail-on <severity>/);
});

t.test("--fix applies only fixes that never widen access; --fix-type widening also revives dead Allow entries", async (t) => {
  const dir = tmp();
  mkdirSync(join(dir, "originals"));
  for (const name of ["t1-create-tagged-only", "t2-describe-group1-by-tag", "t3-operate-group1-by-tag", "r1-group1-by-arn"]) {
    cpSync(`${ORIGINALS}/${name}.original.json`, join(dir, "originals", `${name}.json`));
  }
  t.equal((await lint(["originals"], { cwd: dir })).code, 1, "before: errors");
  const safe = await lint(["originals", "--fix"], { cwd: dir });
  t.equal(safe.code, 1, "the dead Allow entries are still Errors");
  t.notMatch(safe.out, /condition-tag-key-case/, "the same-meaning fix (tag key case) is applied");
  t.match(safe.out, /^originals\/t2-describe-group1-by-tag\.json:6:17 Error action-unknown .*\n.*\n.*\n {2}suggestion, widens access \(apply with --fix --fix-type widening\): replace with "ess:Describe\*"$/m);
  t.equal(readFileSync(join(dir, "originals", "t1-create-tagged-only.json"), "utf8"), readFileSync(`${ORIGINALS}/t1-create-tagged-only.original.json`, "utf8"), "ess>Create* in an Allow is left");
  const run = await lint(["originals", "--fix", "--fix-type", "widening"], { cwd: dir });
  t.equal(run.code, 0, "after: no Error left");
  t.notMatch(run.out, /action-malformed|action-unknown|condition-tag-key-case/, "the fixed findings are gone");
  t.match(run.out, /resource-id-format/, "findings without a safe fix remain");
  const t1 = readFileSync(join(dir, "originals", "t1-create-tagged-only.json"), "utf8");
  t.equal(t1, readFileSync(`${ORIGINALS}/t1-create-tagged-only.original.json`, "utf8").replace("ess>Create*", "ess:Create*"), "a one-token edit");
  const again = await lint(["originals", "--fail-on", "warning"], { cwd: dir });
  t.equal(again.out, run.out, "re-linting the fixed files gives what --fix reported");
});

t.test("--fix --dry-run prints the patches and writes nothing", async (t) => {
  const dir = tmp();
  cpSync(T2_ORIGINAL, join(dir, "t2.json"));
  const before = readFileSync(join(dir, "t2.json"), "utf8");
  const safe = await lint(["t2.json", "--fix", "--dry-run"], { cwd: dir });
  t.equal(safe.code, 1, "exit as after the fixes: the widening one is not among them");
  t.equal(safe.out, "dry run: 0 operations for 0 files, nothing written\n");
  const text = await lint(["t2.json", "--fix", "--fix-type", "widening", "--dry-run"], { cwd: dir });
  t.equal(text.code, 0, "exit as after the fixes");
  t.equal(text.out, `t2.json\n${JSON.stringify([{ op: "replace", path: "/Statement/0/Action", value: "ess:Describe*" }], null, 2)}\ndry run: 1 operation for 1 file, nothing written\n`);
  t.equal(readFileSync(join(dir, "t2.json"), "utf8"), before);
  const json = await lint(["t2.json", "--fix", "--fix-type", "widening", "--dry-run", "--format", "json"], { cwd: dir });
  t.same(JSON.parse(json.out), [{ file: "t2.json", patch: [{ op: "replace", path: "/Statement/0/Action", value: "ess:Describe*" }] }]);
  const stdin = await lint(["-", "--fix", "--fix-type", "widening", "--dry-run", "--format", "json"], { stdin: before });
  t.same(JSON.parse(stdin.out), [{ file: "<stdin>", patch: [{ op: "replace", path: "/Statement/0/Action", value: "ess:Describe*" }] }]);
});
