// `ess-authz lint` for CI: exit options, GitHub workflow annotations, and fixes that never widen access. Each behaviour at least once in a child process of the
// built package (build first: npx tsc -p tsconfig.json), variants in-process.
import t from "tap";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cliIn, cliProcess as run, R1_ORIGINAL as r1, T2_ORIGINAL as t2, tempProject as project } from "./helpers/cli.js";

t.test("lint exit options: --fail-on none, --max-warnings, --quiet", async (t) => {
  const dir = project({ "t2.json": t2, "r1.json": r1 });
  // r1's original has 1 security warning and 3 warnings and no error; t2's has one error.
  const [none, atMax, overMax, quiet] = await Promise.all([
    run(["lint", "t2.json", "--fail-on", "none"], { cwd: dir }),
    cliIn(["lint", "r1.json", "--max-warnings", "4"], { cwd: dir }),
    cliIn(["lint", "r1.json", "--max-warnings", "3"], { cwd: dir }),
    cliIn(["lint", "t2.json", "r1.json", "--quiet"], { cwd: dir }),
  ]);
  t.equal(none.code, 0, "--fail-on none: findings never fail");
  t.match(none.out, /Error action-unknown/);
  t.equal(atMax.code, 0, "4 warnings, at most 4");
  t.equal(overMax.code, 1, "4 warnings, at most 3");
  t.match(overMax.err, /too many warnings \(4; --max-warnings 3\)/);
  t.equal(quiet.code, 1);
  t.notMatch(quiet.out, /Warning|Suggestion/, "errors only");
  t.match(quiet.out, /^1 finding \(1 error\) in 2 files/m);
  const bad = await cliIn(["lint", "r1.json", "--max-warnings", "-1"], { cwd: dir });
  t.equal(bad.code, 2, "a negative maximum is a usage error");
});

t.test("lint --format github: workflow commands, escaped as GitHub's toolkit escapes them", async (t) => {
  const dir = project({
    "a,b:c%.json": t2,
    "dup.json": JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:DescribeRegions", Resource: "*" }, { Effect: "Allow", Action: "ess:DescribeRegions", Resource: "*" }] }, null, 2),
  });
  const args = ["lint", "a,b:c%.json", "dup.json", "--format", "github", "--fail-on", "suggestion"];
  const r = await run(args, { cwd: dir });
  t.same(await cliIn(args, { cwd: dir }), r, "in-process, the same");
  t.equal(r.code, 1);
  const lines = r.out.trimEnd().split("\n");
  t.equal(
    lines[0],
    '::error file=a%2Cb%3Ac%25.json,line=6,col=17,endLine=6,endColumn=32,title=Error action-unknown::"ess:Describle*" matches no ESS action, so the statement never applies; did you mean "ess:Describe*"?%0Asuggestion, widens access (apply with --fix --fix-type widening): replace with "ess:Describe*"',
  );
  // A span over several lines: GitHub takes columns only within one line.
  t.match(lines[1], /^::notice file=dup\.json,line=9,endLine=13,title=Suggestion statement-duplicate::this statement repeats statement 0%0Afix: remove this statement$/);
  t.equal(lines.at(-1), "2 findings (1 error, 1 suggestion) in 2 files; 1 fixable with --fix; 1 suggested fix widens access (--fix-type widening)");
});

t.test("--fix never widens access: a dead Deny entry is fixed, a dead Allow entry only suggested; SARIF carries both unapplied", async (t) => {
  const deny = JSON.stringify({ Version: "1", Statement: [{ Effect: "Deny", Action: "ess:Describle*", Resource: "*" }] }, null, 2);
  const dir = project({ "deny.json": deny, "allow.json": t2 });
  const sarif = await cliIn(["lint", ".", "--format", "sarif"], { cwd: dir });
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
  const usage = await cliIn(["lint", ".", "--fix-type", "widening"], { cwd: dir });
  t.equal(usage.code, 2);
  t.match(usage.err, /--fix-type only goes with --fix/);
});
