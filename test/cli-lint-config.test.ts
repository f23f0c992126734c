// `ess-authz lint` for CI: configuration, suppressions and baseline. Each behaviour at least once in a child process of the
// built package (build first: npx tsc -p tsconfig.json), variants in-process.
import t from "tap";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliIn, cliProcess as run, R1_ORIGINAL as r1, REPO, T2_ORIGINAL as t2, tempProject as project } from "./helpers/cli.js";

const RC = `{
  "rules": {
    "resource-id-format": "error",
    "resource-id-near-duplicate": "off"
  },
  "ignorePatterns": ["legacy/"],
  "overrides": [
    { "files": ["trust/*.json"], "kind": "trust", "rules": { "principal-invalid": "off" } }
  ],
  "suppressions": [
    { "file": "policies/r1.json", "path": "/Statement/0", "rule": "resource-masked-id", "reason": "masked on purpose in the docs" },
    { "file": "policies/r1.json", "path": "/Statement/3", "rule": "resource-case", "reason": "stale" }
  ]
}
`;

// A resource-based policy (an OSS bucket's): a Principal without sts:AssumeRole, so only the override says "trust".
const TRUST = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "oss:GetObject", Principal: { RAM: ["acs:ram::1609982529920904:root"] }, Resource: "acs:oss:*:1609982529920904:logs/*" }] }, null, 2);

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
    "../trust/role.json Error principal-not-allowed /Statement/0/Principal",
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

  const allIgnored = await cliIn(["lint", "legacy"], { cwd: dir });
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
  const u = await cliIn(["lint", "r1.json"], { cwd: unknownRule });
  t.equal(u.code, 2);
  t.match(u.err, /\.ess-authzrc\.yaml:2:3 \/rules\/action-unknwn unknown rule "action-unknwn"; did you mean "action-unknown"\?/);

  const json = project({ "ess-authz.config.json": '{\n  "rule": {},\n  "suppressions": [{ "file": "r1.json", "path": "/Statement/0", "rule": "resource-masked-id" }]\n}\n', "r1.json": r1 });
  const j = await cliIn(["lint", "r1.json"], { cwd: json });
  t.equal(j.code, 2);
  t.match(j.err, /ess-authz\.config\.json:2:3 \/rule unknown property "rule"/);
  t.match(j.err, /ess-authz\.config\.json:3:20 \/suppressions\/0 must have required property 'reason'/, "a suppression needs its reason");

  const syntax = project({ ".ess-authzrc.json": '{\n  "rules": {,}\n}\n', "r1.json": r1 });
  const s = await cliIn(["lint", "r1.json"], { cwd: syntax });
  t.equal(s.code, 2);
  t.match(s.err, /\.ess-authzrc\.json:2:13 /);

  const pkg = project({ "package.json": JSON.stringify({ name: "x", "ess-authz": { rules: { "resource-id-format": "off", "resource-id-near-duplicate": "off", "resource-masked-id": "off" } } }), "r1.json": r1 });
  const p = await cliIn(["lint", "r1.json"], { cwd: pkg });
  t.equal(p.code, 0);
  t.equal(p.out, "no findings in 1 file\n");

  const explicit = project({ "conf/strict.json": JSON.stringify({ rules: { "resource-masked-id": "error" } }), "r1.json": r1, ".ess-authzrc.json": JSON.stringify({ rules: { "resource-masked-id": "off" } }) });
  const e = await cliIn(["lint", "r1.json", "--config", "conf/strict.json"], { cwd: explicit });
  t.equal(e.code, 1, "--config replaces the configuration found by search");
  t.match(e.out, /Error resource-masked-id/);
  const missing = await cliIn(["lint", "r1.json", "--config", "nope.json"], { cwd: explicit });
  t.equal(missing.code, 2);
  t.match(missing.err, /nope\.json: cannot read the configuration \(ENOENT\)/);
  const dupKey = project({ ".ess-authzrc.yaml": "rules: {}\nrules: {}\n", "r1.json": r1 });
  const d = await cliIn(["lint", "r1.json"], { cwd: dupKey });
  t.equal(d.code, 2);
  t.match(d.err, /^ess-authz lint: \.ess-authzrc\.yaml:2:1 Map keys must be unique/m, "YAML syntax, with its position");
  const brokenPackage = project({ "package.json": "{ not json", "r1.json": r1 });
  const bp = await cliIn(["lint", "r1.json"], { cwd: brokenPackage });
  t.equal(bp.code, 2, "a package.json that may hold the configuration but cannot be read is no silent skip");
  t.match(bp.err, /package\.json: cannot read it to look for an "ess-authz" key/);
  t.equal((await cliIn(["lint", "r1.json", "--no-config"], { cwd: brokenPackage })).code, 0, "--no-config does not look");
  const fatal = project({ ".ess-authzrc.json": JSON.stringify({ rules: { "json-syntax": "off" } }), "r1.json": r1 });
  t.match((await cliIn(["lint", "r1.json"], { cwd: fatal })).err, /"json-syntax" reports a document that cannot be read/);
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
  const moved = await cliIn(["lint", "policies", "--baseline", "ci/baseline.json", "--fail-on", "warning"], { cwd: dir });
  t.equal(moved.code, 0);
  t.equal(moved.out, "no findings in 2 files\n");

  // A changed value is a new finding; the old entry matched nothing.
  writeFileSync(join(dir, "policies", "t2.json"), t2.replace("ess:Describle*", "ess:Describl*"));
  const changed = await run(["lint", "policies", "--baseline", "ci/baseline.json"], { cwd: dir });
  t.equal(changed.code, 1);
  t.match(changed.out, /^policies\/t2\.json:6:17 Error action-unknown "ess:Describl\*"/m);
  t.match(changed.out, /^ci\/baseline\.json:\d+:5 Warning baseline-unused baseline entry for action-unknown at "\/Statement\/0\/Action" in \.\.\/policies\/t2\.json matched no finding$/m);

  const blocked = await cliIn(["lint", "policies", "--write-baseline", "policies/t2.json/baseline.json"], { cwd: dir });
  t.equal(blocked.code, 2, "a baseline that cannot be written");
  t.match(blocked.err, /cannot write the baseline policies\/t2\.json\/baseline\.json/);

  const bad = project({ "b.json": '{"version": 2, "findings": []}', "r1.json": r1 });
  const b = await cliIn(["lint", "r1.json", "--baseline", "b.json"], { cwd: bad });
  t.equal(b.code, 2);
  t.match(b.err, /b\.json:1:13 \/version must be equal to constant/);
});

t.test("the README's configuration example is a valid configuration", async (t) => {
  const example = /### Linting in CI[\s\S]*?```json\n([\s\S]*?)```/.exec(readFileSync(join(REPO, "README.md"), "utf8"))?.[1];
  t.ok(example, "README has the example");
  const dir = project({ ".ess-authzrc.json": example!, "policies/ops.json": r1 });
  const r = await cliIn(["lint", "policies"], { cwd: dir });
  t.equal(r.err, "", "no configuration error");
  t.equal(r.code, 0);
});
