// The CLI as a CI job runs it, in a child process of the built package (build first: npx tsc -p tsconfig.json):
// a bin that always runs, no silent success, the lint configuration, suppressions, baseline, exit options,
// GitHub and JUnit output, and fixes that never widen access.
import t from "tap";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cliProcess as run } from "./helpers/cli.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ORIGINALS = join(REPO, "policies", "guide-originals");
const T2_ORIGINAL = join(ORIGINALS, "t2-describe-group1-by-tag.original.json");
const R1_ORIGINAL = join(ORIGINALS, "r1-group1-by-arn.original.json");
const CLEAN = join(REPO, "test", "fixtures", "lint", "action-unknown", "good.json");
const PACKAGE = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string; bin: Record<string, string> };

/** A fresh folder with the given files (name → text). */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ess-authz-ci-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const t2 = readFileSync(T2_ORIGINAL, "utf8");
const r1 = readFileSync(R1_ORIGINAL, "utf8");

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
  for (const bin of [join(pkg, "dist", "cli", "bin.js"), join(root, "node_modules", ".bin", "ess-authz")]) {
    const lint = await run(["lint", "t2 été.json"], { cwd: work, bin });
    t.equal(lint.code, 1, `${bin}: a finding fails`);
    t.match(lint.out, /^t2 été\.json:6:17 Error action-unknown /m);
    t.same(await run(["--version"], { cwd: work, bin }), { code: 0, out: "9.9.9-copy\n", err: "" });
  }
});

t.test("--version prints the package's version", async (t) => {
  t.same(await run(["--version"]), { code: 0, out: `${PACKAGE.version}\n`, err: "" });
});

t.test("eval without --policy is a usage error, not an ImplicitDeny", async (t) => {
  const r = await run(["eval", "--request", "fixtures/requests/t2-describe-by-tags.json"], { cwd: REPO });
  t.equal(r.code, 2);
  t.equal(r.out, "");
  t.match(r.err, /no --policy given/);
});

t.test("test with no suite or no case exits 2 with a message, unless --no-error-on-unmatched", async (t) => {
  const dir = project({ "notes.txt": "no suites here", "empty.suite.json": JSON.stringify({ policies: [CLEAN], cases: [] }) });
  const [none, noCases, allowed] = await Promise.all([
    run(["test", "notes.txt", "."], { cwd: join(dir) }).then(() => run(["test", "sub"], { cwd: project({ "sub/readme.md": "" }) })),
    run(["test", "empty.suite.json"], { cwd: dir }),
    run(["test", "sub", "--no-error-on-unmatched"], { cwd: project({ "sub/readme.md": "" }) }),
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

t.test("lint exit options: --fail-on none, --max-warnings, --quiet", async (t) => {
  const dir = project({ "t2.json": t2, "r1.json": r1 });
  // r1's original has 1 security warning and 3 warnings and no error; t2's has one error.
  const [none, atMax, overMax, quiet] = await Promise.all([
    run(["lint", "t2.json", "--fail-on", "none"], { cwd: dir }),
    run(["lint", "r1.json", "--max-warnings", "4"], { cwd: dir }),
    run(["lint", "r1.json", "--max-warnings", "3"], { cwd: dir }),
    run(["lint", "t2.json", "r1.json", "--quiet"], { cwd: dir }),
  ]);
  t.equal(none.code, 0, "--fail-on none: findings never fail");
  t.match(none.out, /Error action-unknown/);
  t.equal(atMax.code, 0, "4 warnings, at most 4");
  t.equal(overMax.code, 1, "4 warnings, at most 3");
  t.match(overMax.err, /too many warnings \(4; --max-warnings 3\)/);
  t.equal(quiet.code, 1);
  t.notMatch(quiet.out, /Warning|Suggestion/, "errors only");
  t.match(quiet.out, /^1 finding \(1 error\) in 2 files/m);
  const bad = await run(["lint", "r1.json", "--max-warnings", "-1"], { cwd: dir });
  t.equal(bad.code, 2, "a negative maximum is a usage error");
});

t.test("lint --format github: workflow commands, escaped as GitHub's toolkit escapes them", async (t) => {
  const dir = project({
    "a,b:c%.json": t2,
    "dup.json": JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:DescribeRegions", Resource: "*" }, { Effect: "Allow", Action: "ess:DescribeRegions", Resource: "*" }] }, null, 2),
  });
  const r = await run(["lint", "a,b:c%.json", "dup.json", "--format", "github", "--fail-on", "suggestion"], { cwd: dir });
  t.equal(r.code, 1);
  const lines = r.out.trimEnd().split("\n");
  t.equal(
    lines[0],
    '::error file=a%2Cb%3Ac%25.json,line=6,col=17,endLine=6,endColumn=32,title=Error action-unknown::"ess:Describle*" matches no ESS action, so it grants or denies nothing; did you mean "ess:Describe*"?%0Asuggestion, widens access (apply with --fix --fix-type widening): replace with "ess:Describe*"',
  );
  // A span over several lines: GitHub takes columns only within one line.
  t.match(lines[1], /^::notice file=dup\.json,line=9,endLine=13,title=Suggestion statement-duplicate::this statement repeats statement 0%0Afix: remove this statement$/);
  t.equal(lines.at(-1), "2 findings (1 error, 1 suggestion) in 2 files; 1 fixable with --fix; 1 suggested fix widens access (--fix-type widening)");
});

t.test("--fix never widens access: a dead Deny entry is fixed, a dead Allow entry only suggested; SARIF carries both unapplied", async (t) => {
  const deny = JSON.stringify({ Version: "1", Statement: [{ Effect: "Deny", Action: "ess:Describle*", Resource: "*" }] }, null, 2);
  const dir = project({ "deny.json": deny, "allow.json": t2 });
  const sarif = await run(["lint", ".", "--format", "sarif"], { cwd: dir });
  const results = (JSON.parse(sarif.out) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; fixes?: { description: { text: string }; properties?: object }[] }[] }[] }).runs[0]!.results;
  const fixOf = (uri: string) => results.find((x) => x.locations[0]!.physicalLocation.artifactLocation.uri === uri)!.fixes![0]!;
  t.same(fixOf("allow.json").properties, { widensAccess: true });
  t.match(fixOf("allow.json").description.text, /^suggestion, widens access/);
  t.notOk(fixOf("deny.json").properties, "narrowing the Deny is a plain fix");
  t.equal(readFileSync(join(dir, "allow.json"), "utf8"), t2, "SARIF output writes nothing");

  const fixed = await run(["lint", ".", "--fix"], { cwd: dir });
  t.equal(fixed.code, 1, "the Allow still has its Error");
  t.equal(readFileSync(join(dir, "deny.json"), "utf8"), deny.replace("ess:Describle*", "ess:Describe*"));
  t.equal(readFileSync(join(dir, "allow.json"), "utf8"), t2, "the Allow is not widened");
  const widened = await run(["lint", ".", "--fix", "--fix-type", "widening"], { cwd: dir });
  t.equal(widened.code, 0);
  t.equal(readFileSync(join(dir, "allow.json"), "utf8"), t2.replace("ess:Describle*", "ess:Describe*"));
  const usage = await run(["lint", ".", "--fix-type", "widening"], { cwd: dir });
  t.equal(usage.code, 2);
  t.match(usage.err, /--fix-type only goes with --fix/);
});

const RC = `{
  "rules": {
    "resource-id-format": "error",
    "resource-id-near-duplicate": "off"
  },
  "ignorePatterns": ["legacy/"],
  "overrides": [
    { "files": ["trust/*.json"], "kind": "trust", "rules": { "action-service-unknown": "off" } }
  ],
  "suppressions": [
    { "file": "policies/r1.json", "path": "/Statement/0", "rule": "resource-masked-id", "reason": "masked on purpose in the docs" },
    { "file": "policies/r1.json", "path": "/Statement/3", "rule": "resource-case", "reason": "stale" }
  ]
}
`;

const TRUST = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: ["ecs.aliyuncs.com"] } }] }, null, 2);

t.test("the configuration is found upward and applies rules, ignorePatterns, overrides and suppressions", async (t) => {
  const dir = project({ ".ess-authzrc.json": RC, "policies/r1.json": r1, "legacy/t2.json": t2, "trust/role.json": TRUST, "sub/.keep": "" });
  const [configured, bare] = await Promise.all([
    run(["lint", "..", "--format", "json"], { cwd: join(dir, "sub") }),
    run(["lint", "..", "--format", "json", "--no-config"], { cwd: join(dir, "sub") }),
  ]);
  type Row = { file: string; ruleId: string; severity: string; path: string; line: number; column: number };
  const rows = (out: string) => (JSON.parse(out) as Row[]).map((f) => `${f.file} ${f.severity} ${f.ruleId} ${f.path}`);
  t.same(rows(bare.out).sort(), [
    "../legacy/t2.json Error action-unknown /Statement/0/Action",
    "../policies/r1.json SecurityWarning resource-masked-id /Statement/0/Resource",
    "../policies/r1.json Warning resource-id-format /Statement/1/Resource/2",
    "../policies/r1.json Warning resource-id-near-duplicate /Statement/1/Resource/1",
    "../policies/r1.json Warning resource-masked-id /Statement/1/Resource/0",
    "../trust/role.json Error element-missing /Statement/0",
    "../trust/role.json Error principal-not-allowed /Statement/0/Principal",
    "../trust/role.json Warning action-service-unknown /Statement/0/Action",
  ].sort(), "--no-config: every default");
  t.same(rows(configured.out).sort(), [
    "../.ess-authzrc.json Warning suppression-unused /suppressions/1",
    "../policies/r1.json Warning resource-masked-id /Statement/1/Resource/0",
    "../policies/r1.json Error resource-id-format /Statement/1/Resource/2",
  ].sort(), "legacy/ ignored, trust/ linted as trust policies, rules set, one suppression used and one not");
  const unused = (JSON.parse(configured.out) as Row[]).find((f) => f.ruleId === "suppression-unused")!;
  t.same([unused.line, unused.column], [12, 5], "reported where the suppression is written");
  t.equal(configured.code, 1, "resource-id-format raised to error");
  t.match(configured.err, /1 file ignored by ignorePatterns of \.\.\/\.ess-authzrc\.json/);
  t.equal(bare.code, 1);

  const allIgnored = await run(["lint", "legacy"], { cwd: dir });
  t.equal(allIgnored.code, 2, "nothing left to lint is no pass");
  t.match(allIgnored.err, /all 1 file is ignored by ignorePatterns of \.ess-authzrc\.json/);
});

t.test("configuration files: YAML, package.json's key, --config; their errors name file:line:column and exit 2", async (t) => {
  const yaml = project({ ".ess-authzrc.yaml": "rules:\n  resource-id-format: fatal\n  action-unknwn: warning\n", "r1.json": r1 });
  const r = await run(["lint", "r1.json"], { cwd: yaml });
  t.equal(r.code, 2);
  t.equal(r.out, "");
  t.match(r.err, /^ess-authz lint: \.ess-authzrc\.yaml:2:23 \/rules\/resource-id-format must be one of "off", "error", "security-warning", "warning", "suggestion"$/m);

  const unknownRule = project({ ".ess-authzrc.yaml": "rules:\n  action-unknwn: warning\n", "r1.json": r1 });
  const u = await run(["lint", "r1.json"], { cwd: unknownRule });
  t.equal(u.code, 2);
  t.match(u.err, /\.ess-authzrc\.yaml:2:3 \/rules\/action-unknwn unknown rule "action-unknwn"; did you mean "action-unknown"\?/);

  const json = project({ "ess-authz.config.json": '{\n  "rule": {},\n  "suppressions": [{ "file": "r1.json", "path": "/Statement/0", "rule": "resource-masked-id" }]\n}\n', "r1.json": r1 });
  const j = await run(["lint", "r1.json"], { cwd: json });
  t.equal(j.code, 2);
  t.match(j.err, /ess-authz\.config\.json:2:3 \/rule unknown property "rule"/);
  t.match(j.err, /ess-authz\.config\.json:3:20 \/suppressions\/0 must have required property 'reason'/, "a suppression needs its reason");

  const syntax = project({ ".ess-authzrc.json": '{\n  "rules": {,}\n}\n', "r1.json": r1 });
  const s = await run(["lint", "r1.json"], { cwd: syntax });
  t.equal(s.code, 2);
  t.match(s.err, /\.ess-authzrc\.json:2:13 /);

  const pkg = project({ "package.json": JSON.stringify({ name: "x", "ess-authz": { rules: { "resource-id-format": "off", "resource-id-near-duplicate": "off", "resource-masked-id": "off" } } }), "r1.json": r1 });
  const p = await run(["lint", "r1.json"], { cwd: pkg });
  t.equal(p.code, 0);
  t.equal(p.out, "no findings in 1 file\n");

  const explicit = project({ "conf/strict.json": JSON.stringify({ rules: { "resource-masked-id": "error" } }), "r1.json": r1, ".ess-authzrc.json": JSON.stringify({ rules: { "resource-masked-id": "off" } }) });
  const e = await run(["lint", "r1.json", "--config", "conf/strict.json"], { cwd: explicit });
  t.equal(e.code, 1, "--config replaces the configuration found by search");
  t.match(e.out, /Error resource-masked-id/);
  const missing = await run(["lint", "r1.json", "--config", "nope.json"], { cwd: explicit });
  t.equal(missing.code, 2);
  t.match(missing.err, /nope\.json: cannot read the configuration \(ENOENT\)/);
  const fatal = project({ ".ess-authzrc.json": JSON.stringify({ rules: { "json-syntax": "off" } }), "r1.json": r1 });
  t.match((await run(["lint", "r1.json"], { cwd: fatal })).err, /"json-syntax" reports a document that cannot be read/);
});

t.test("baseline: only new findings count; moved lines keep their entry; a stale entry is reported", async (t) => {
  const dir = project({ "policies/t2.json": t2, "policies/r1.json": r1 });
  const write = await run(["lint", "policies", "--write-baseline", "ci/baseline.json"], { cwd: dir });
  t.equal(write.code, 0, "everything recorded is accepted");
  t.match(write.err, /wrote 5 findings to ci\/baseline\.json/);
  const baseline = JSON.parse(readFileSync(join(dir, "ci", "baseline.json"), "utf8")) as { version: number; findings: { file: string; rule: string; path: string; fingerprint: string }[] };
  t.equal(baseline.version, 1);
  t.same(baseline.findings.find((f) => f.rule === "action-unknown")!.file, "../policies/t2.json", "files relative to the baseline's folder");
  t.ok(baseline.findings.every((f) => /^[0-9a-f]{16}$/.test(f.fingerprint)));

  // Re-indented and shifted down by three lines: the same findings, so still accepted.
  writeFileSync(join(dir, "policies", "t2.json"), "\n\n\n" + JSON.stringify(JSON.parse(t2), null, 4));
  const moved = await run(["lint", "policies", "--baseline", "ci/baseline.json", "--fail-on", "warning"], { cwd: dir });
  t.equal(moved.code, 0);
  t.equal(moved.out, "no findings in 2 files\n");

  // A changed value is a new finding; the old entry matched nothing.
  writeFileSync(join(dir, "policies", "t2.json"), t2.replace("ess:Describle*", "ess:Describl*"));
  const changed = await run(["lint", "policies", "--baseline", "ci/baseline.json"], { cwd: dir });
  t.equal(changed.code, 1);
  t.match(changed.out, /^policies\/t2\.json:6:17 Error action-unknown "ess:Describl\*"/m);
  t.match(changed.out, /^ci\/baseline\.json:\d+:5 Warning baseline-unused baseline entry for action-unknown at "\/Statement\/0\/Action" in \.\.\/policies\/t2\.json matched no finding$/m);

  const bad = project({ "b.json": '{"version": 2, "findings": []}', "r1.json": r1 });
  const b = await run(["lint", "r1.json", "--baseline", "b.json"], { cwd: bad });
  t.equal(b.code, 2);
  t.match(b.err, /b\.json:1:13 \/version must be equal to constant/);
});
