// The CLI as a CI job runs it: each behaviour at least once in a child process of the built package (build
// first: npx tsc -p tsconfig.json), variants in-process. A bin that always runs, --version, no silent success
// for eval and test, JUnit output of test.
import t from "tap";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliIn, cliProcess as run, REPO, T2_ORIGINAL as t2, tempProject as project } from "./helpers/cli.js";
import { tmpdir } from "node:os";

const CLEAN = join(REPO, "test", "fixtures", "lint", "action-unknown", "good.json");
const PACKAGE = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string; bin: Record<string, string> };

t.test("the bin runs from a package copied under a path with spaces and non-ASCII characters, also through npm's bin link", async (t) => {
  t.equal(PACKAGE.bin["ess-authz"], "dist/cli/bin.js");
  const root = mkdtempSync(join(tmpdir(), "ess authz ü 试 "));
  const pkg = join(root, "node_modules", "ess-authz");
  mkdirSync(pkg, { recursive: true });
  // The copy's own version, so that --version is seen to come from the package it runs from.
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ ...PACKAGE, version: "9.9.9-copy" }));
  cpSync(join(REPO, "dist"), join(pkg, "dist"), { recursive: true });
  cpSync(join(REPO, "schema"), join(pkg, "schema"), { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(pkg, "node_modules"));
  mkdirSync(join(root, "node_modules", ".bin"));
  symlinkSync("../ess-authz/dist/cli/bin.js", join(root, "node_modules", ".bin", "ess-authz"));
  const work = join(root, "mes politiques");
  mkdirSync(work);
  writeFileSync(join(work, "t2 été.json"), t2);
  const [lint, version] = await Promise.all([
    run(["lint", "t2 été.json"], { cwd: work, bin: join(root, "node_modules", ".bin", "ess-authz") }),
    run(["--version"], { cwd: work, bin: join(pkg, "dist", "cli", "bin.js") }),
  ]);
  t.equal(lint.code, 1, "through the bin link: a finding fails");
  t.match(lint.out, /^t2 été\.json:6:17 Error action-unknown /m);
  t.same(version, { code: 0, out: "9.9.9-copy\n", err: "" }, "the bin file itself");
});

t.test("--version prints the package's version", async (t) => {
  t.same(await cliIn(["--version"]), { code: 0, out: `${PACKAGE.version}\n`, err: "" });
  // As eslint answers `eslint --version` after its options: a command's --version is the program's, unless the
  // command has one of its own (`config show --version N` picks a stored version).
  for (const argv of [["lint", "--version"], ["diff", "-V"], ["config", "--version"], ["config", "history", "--version"]]) {
    t.same(await cliIn(argv), { code: 0, out: `${PACKAGE.version}\n`, err: "" }, argv.join(" "));
  }
});

t.test("eval without --policy is a usage error, not an ImplicitDeny", async (t) => {
  const r = await run(["eval", "--request", "fixtures/requests/t2-describe-by-tags.json"], { cwd: REPO });
  t.equal(r.code, 2);
  t.equal(r.out, "");
  t.match(r.err, /no --policy given/);
});

t.test("test with no suite or no case exits 2 with a message, unless --no-error-on-unmatched", async (t) => {
  const dir = project({ "sub/readme.md": "no suites here", "empty.suite.json": JSON.stringify({ policies: [CLEAN], cases: [] }) });
  const [none, noCases, allowed] = await Promise.all([
    run(["test", "sub"], { cwd: dir }),
    cliIn(["test", "empty.suite.json"], { cwd: dir }),
    cliIn(["test", "sub", "--no-error-on-unmatched"], { cwd: dir }),
  ]);
  t.equal(none.code, 2);
  t.equal(none.out, "");
  t.match(none.err, /no test suites found in sub \(looked for \*\.suite\.json, \*\.suite\.yaml, \*\.suite\.yml\)/);
  t.equal(noCases.code, 2);
  t.match(noCases.err, /no test cases in 1 suite/);
  t.equal(allowed.code, 0);
  t.match(allowed.err, /no test suites found in sub/);
});

t.test("test --format junit: JUnit XML with one testsuite per suite file and escaped text", async (t) => {
  const allow = { decision: "Allow" };
  const dir = project({
    "p.json": readFileSync(join(REPO, "policies", "t2-describe-group1-by-tag.json"), "utf8"),
    "r.json": readFileSync(join(REPO, "fixtures", "requests", "t2-describe-by-tags.json"), "utf8"),
    "a.suite.json": JSON.stringify({
      name: 'T2 <tags> & "quotes"',
      policies: ["p.json"],
      cases: [
        { name: "allowed", request: "r.json", expect: allow },
        { name: "wrong on purpose: it's <denied>", request: "r.json", expect: { decision: "ExplicitDeny" } },
      ],
    }),
  });
  const r = await run(["test", ".", "--format", "junit"], { cwd: dir });
  t.equal(r.code, 1, "a failing case still fails the run");
  const suite = 'T2 &lt;tags&gt; &amp; &quot;quotes&quot;';
  const lines = r.out.split("\n");
  t.same(lines.slice(0, 4), [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="ess-authz test" tests="2" failures="1" errors="0">',
    `  <testsuite name="${suite}" tests="2" failures="1" errors="0" skipped="0" file="a.suite.json">`,
    `    <testcase name="allowed" classname="${suite}" file="a.suite.json"/>`,
  ]);
  t.equal(lines[4], `    <testcase name="wrong on purpose: it&apos;s &lt;denied&gt;" classname="${suite}" file="a.suite.json">`);
  t.match(lines[5], /^ {6}<failure message="decision Allow, expected ExplicitDeny" type="ExpectationFailed">decision Allow, expected ExplicitDeny&#10;request: r\.json&#10;/);
  t.match(r.out, /<\/failure>\n {4}<\/testcase>\n {2}<\/testsuite>\n<\/testsuites>\n$/);
  t.notMatch(r.out.replace(/<[^>]*>/g, ""), /[<>]/, "no markup character outside tags");
});
