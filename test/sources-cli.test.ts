/**
 * Where policies live, through the real CLI in a child process: discovery by content (and never a silent
 * success), Terraform, ROS and YAML sources with findings at their own line:column, `eval` of folders and
 * standard input, `diff` of two Terraform revisions in git. Every expected line:column was counted by hand from
 * the fixture files in test/fixtures/sources/ (see its README).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import t from "tap";
import { parse as parseYaml } from "yaml";

const REPO = resolve(import.meta.dirname, "..");
const FIXTURES = join(REPO, "test/fixtures/sources");
const CLEAN_POLICY = join(REPO, "test/fixtures/lint/action-unknown/good.json");
const BAD_POLICY = join(REPO, "policies/guide-originals/t2-describe-group1-by-tag.original.json");
const REGIONS_REQUEST = join(REPO, "fixtures/requests/r1-describe-regions.json");

/** The built CLI (`npx tsc -p tsconfig.json` first), as `ess-authz` runs it, whatever the entry file becomes. */
const RUNNER = `
import { runCli } from ${JSON.stringify(join(REPO, "dist/cli/main.js"))};
import { processIo } from ${JSON.stringify(join(REPO, "dist/cli/io.js"))};
process.exitCode = await runCli(process.argv.slice(1), processIo);
`;

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** `ess-authz ARGS` in a child process, in `cwd`, with `stdin`; `preload` runs first (a module hook). */
function cli(args: readonly string[], options: { cwd?: string; stdin?: string; preload?: string } = {}): Run {
  const r = spawnSync(process.execPath, [...(options.preload ? ["--import", options.preload] : []), "--enable-source-maps", "--input-type=module", "-e", RUNNER, ...args], {
    cwd: options.cwd ?? REPO,
    input: options.stdin ?? "",
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), "ess-authz-sources-"));

interface JsonFinding {
  file: string;
  ruleId: string;
  severity: string;
  line: number;
  column: number;
  message: string;
  fix?: unknown;
}

const where = (findings: JsonFinding[]): string[] => findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId}`);

t.test("lint . at a repository root: only policies, the rest skipped with a count", async (t) => {
  const dir = tmp();
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "infra", version: "1.0.0" }));
  writeFileSync(join(dir, "tsconfig.json"), '{\n  // comments: not even JSON\n  "compilerOptions": {}\n}\n');
  cpSync(REGIONS_REQUEST, join(dir, "request.json"));
  writeFileSync(join(dir, "notes.yaml"), "title: not a policy\n");
  writeFileSync(join(dir, "network.tf"), 'resource "alicloud_vpc" "main" {\n  cidr_block = "10.0.0.0/8"\n}\n');
  mkdirSync(join(dir, "policies"));
  cpSync(CLEAN_POLICY, join(dir, "policies", "ops.json"));
  for (const skipped of ["node_modules/pkg", "dist", ".git"]) {
    mkdirSync(join(dir, skipped), { recursive: true });
    cpSync(BAD_POLICY, join(dir, skipped, "policy.json"));
  }
  const r = cli(["lint", "."], { cwd: dir });
  t.equal(r.code, 0, r.err);
  t.equal(r.out, "no findings in 1 file; skipped 5 files that hold no policy\n");
});

t.test("never a silent success: an empty folder, a folder of non-policies, a named file that holds no policy", async (t) => {
  const dir = tmp();
  mkdirSync(join(dir, "empty"));
  mkdirSync(join(dir, "config"));
  writeFileSync(join(dir, "config", "package.json"), "{}");
  const empty = cli(["lint", "empty"], { cwd: dir });
  t.equal(empty.code, 2);
  t.equal(empty.err, "ess-authz lint: no policy found in empty; pass --no-error-on-unmatched if that is expected\n");
  const config = cli(["lint", "config"], { cwd: dir });
  t.equal(config.code, 2);
  t.match(config.err, "no policy found in config (skipped 1 file that holds no policy)");
  const allowed = cli(["lint", "empty", "--no-error-on-unmatched"], { cwd: dir });
  t.equal(allowed.code, 0);
  t.equal(allowed.out, "no findings in 0 files\n");
  const named = cli(["lint", "config/package.json"], { cwd: dir });
  t.equal(named.code, 2, "a file named on the command line is reported, not skipped");
  t.match(named.err, "config/package.json holds no policy");
  const staged = cli(["lint", "--no-error-on-unmatched", "config/package.json", CLEAN_POLICY], { cwd: dir });
  t.equal(staged.code, 0, "as a pre-commit hook passes every staged file");
  t.equal(staged.out, "no findings in 1 file; skipped 1 file that holds no policy\n");
  const network = join(dir, "network.tf");
  writeFileSync(network, 'resource "alicloud_vpc" "main" {}\n');
  t.equal(cli(["lint", network]).code, 2, "a named Terraform file with no RAM policy");
});

t.test("Terraform: heredoc, jsonencode, the role's trust policy and the data source, at their line:column in the .tf", async (t) => {
  const r = cli(["lint", "--format", "json", "terraform"], { cwd: FIXTURES });
  t.equal(r.code, 1, r.err);
  const findings = JSON.parse(r.out) as JsonFinding[];
  t.same(where(findings), [
    // heredoc: "ess:Describle*" on line 10 after 10 spaces; ${var.account_id} after `          "acs:ess:*:`
    "terraform/main.tf:10:11 Warning action-unknown", // dead beside a live action: a Warning
    "terraform/main.tf:14:22 Suggestion unrendered-value",
    // jsonencode: `var.extra_action` after `      Action   = ["ess:ModifyScalingGroup", `; the bad action after `      Action   = `
    "terraform/main.tf:30:45 Suggestion unrendered-value",
    "terraform/main.tf:39:18 Error action-malformed",
    // the data source's second statement block: `    effect   = "Alow"`
    "terraform/main.tf:80:16 Error effect-invalid",
    // a document read from a file only Terraform opens
    "terraform/main.tf:93:21 Suggestion unrendered-value",
  ]);
  t.notOk(findings.some((f) => f.ruleId === "allow-never-matches"), "the statement holding ${var.account_id} is not judged on a placeholder");
  t.match(findings[1]!.message, "not checked: ${var.account_id} is only known when the template is rendered (main.tf:alicloud_ram_policy.ess_ops at /Statement/0/Resource/0)");
  t.match(findings[2]!.message, "(main.tf:alicloud_ram_policy.ess_scale at /Statement/0/Action/1)");
  t.notOk(findings.some((f) => f.fix), "no JSON patch is offered for a document inside a .tf");

  const sarif = JSON.parse(cli(["lint", "--format", "sarif", "terraform/main.tf"], { cwd: FIXTURES }).out);
  const [first] = sarif.runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[];
  t.equal(first!.ruleId, "action-unknown");
  t.same(first!.locations[0]!.physicalLocation.artifactLocation, { uri: "terraform/main.tf" }, "code scanning annotates the .tf");
  t.match(first!.locations[0]!.physicalLocation.region, { startLine: 10, startColumn: 11 });

  const text = cli(["lint", "terraform/main.tf"], { cwd: FIXTURES });
  t.match(text.out, 'terraform/main.tf:39:18 Error action-malformed malformed action "ess>ScaleWithAdjustment"');
  t.match(text.out, '  39 |       Action   = "ess>ScaleWithAdjustment"\n     |                  ^^^^^^^^^^^^^^^^^^^^^^^^^\n', "the caret under the .tf source line");
});

t.test("--fix leaves Terraform files alone", async (t) => {
  const dir = tmp();
  const before = readFileSync(join(FIXTURES, "terraform/main.tf"), "utf8");
  writeFileSync(join(dir, "main.tf"), before);
  t.equal(cli(["lint", "--fix", "main.tf"], { cwd: dir }).code, 1);
  t.equal(readFileSync(join(dir, "main.tf"), "utf8"), before);
});

t.test("Terraform syntax errors are Errors of the file", async (t) => {
  const dir = tmp();
  writeFileSync(join(dir, "broken.tf"), 'resource "alicloud_ram_policy" "p" {\n  policy_document = jsonencode({\n    Version = \n}\n');
  const r = cli(["lint", "--format", "json", "broken.tf"], { cwd: dir });
  t.equal(r.code, 1);
  const [f] = JSON.parse(r.out) as JsonFinding[];
  t.equal(f!.ruleId, "hcl-syntax");
  t.equal(f!.severity, "Error");
});

t.test("ROS templates, JSON and YAML: ManagedPolicy, the Role's trust policy and inline Policies, with their own line numbers", async (t) => {
  const r = cli(["lint", "--format", "json", "ros"], { cwd: FIXTURES });
  t.equal(r.code, 1, r.err);
  const findings = JSON.parse(r.out) as JsonFinding[];
  t.same(where(findings), [
    // `              "Action": ["ess:DescribeScalingGroups", "ess:Describle*"],`
    "ros/template.json:18:55 Warning action-unknown",
    // the Fn::Join object, on its own line after 16 spaces
    "ros/template.json:20:17 Suggestion unrendered-value",
    // `              "Statement": [{ "Effect": "Allow", "Action": "ess>ScaleWithAdjustment", ...`
    "ros/template.json:48:60 Error action-malformed",
    // `              - ess:Describle*`
    "ros/template.yaml:17:17 Warning action-unknown",
    // `              Fn::Sub: acs:ess:*:${AccountId}:scalinggroup/*`
    "ros/template.yaml:19:15 Suggestion unrendered-value",
    // `                Action: ess>ScaleWithAdjustment`
    "ros/template.yaml:38:25 Error action-malformed",
  ]);
  t.match(findings[4]!.message, "(template.yaml:EssOpsPolicy at /Statement/0/Resource)");
});

t.test("YAML policy files, with positions; a broken one is an Error", async (t) => {
  const r = cli(["lint", "--format", "json", "yaml/ess-read.yaml"], { cwd: FIXTURES });
  t.equal(r.code, 0, "a dead action beside a live one is a Warning");
  t.same(where(JSON.parse(r.out) as JsonFinding[]), ["yaml/ess-read.yaml:6:9 Warning action-unknown"]);
  const dir = tmp();
  writeFileSync(join(dir, "broken.yaml"), "Version: '1'\nStatement:\n  - Effect: [Allow\n");
  const broken = cli(["lint", "--format", "json", "."], { cwd: dir });
  t.equal(broken.code, 1, "found in a folder: it names a Statement, so it is a broken policy, not a skipped file");
  t.same((JSON.parse(broken.out) as JsonFinding[]).map((f) => f.ruleId), ["yaml-syntax"]);
});

t.test("a Terraform file without the optional HCL parser: a clear message naming the packages", async (t) => {
  const dir = tmp();
  const hook = join(dir, "hook.mjs");
  writeFileSync(
    hook,
    `export async function resolve(specifier, context, next) {
  if (specifier === "web-tree-sitter") throw Object.assign(new Error("Cannot find package 'web-tree-sitter'"), { code: "ERR_MODULE_NOT_FOUND" });
  return next(specifier, context);
}\n`,
  );
  writeFileSync(join(dir, "register.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(`file://${hook}`)});\n`);
  const r = cli(["lint", join(FIXTURES, "terraform/main.tf"), CLEAN_POLICY], { preload: join(dir, "register.mjs") });
  t.equal(r.code, 2);
  t.match(r.out, "needs the optional packages web-tree-sitter and @tree-sitter-grammars/tree-sitter-hcl: npm install web-tree-sitter @tree-sitter-grammars/tree-sitter-hcl");
  t.match(r.out, "1 path could not be read", "the JSON policy is still linted");
});

t.test("eval: --policy folders of any source, --request - from standard input", async (t) => {
  const dir = tmp();
  cpSync(join(FIXTURES, "terraform-clean/main.tf"), join(dir, "main.tf"));
  const request = readFileSync(REGIONS_REQUEST, "utf8");
  const allow = cli(["eval", "--json", "--policy", ".", "--request", "-"], { cwd: dir, stdin: request });
  t.equal(allow.code, 0, allow.err);
  const decision = JSON.parse(allow.out) as { decision: string; determining: { policy: string }[] };
  t.equal(decision.decision, "Allow");
  t.same(decision.determining.map((d) => d.policy), ["main.tf:alicloud_ram_policy.regions"]);
  t.match(allow.err, "main.tf:alicloud_ram_role.ess_role: trust policy (--kind or a Principal with sts:AssumeRole), deciding sts:AssumeRole only: not part of this decision");

  writeFileSync(join(dir, "deny-regions.yaml"), 'Version: "1"\nStatement:\n  - Effect: Deny\n    Action: ess:DescribeRegions\n    Resource: "*"\n');
  const deny = cli(["eval", "--json", "--policy", ".", "--request", "-"], { cwd: dir, stdin: request });
  t.equal(deny.code, 1);
  t.same(JSON.parse(deny.out).determining.map((d: { policy: string }) => d.policy), ["deny-regions"]);

  const unrendered = cli(["eval", "--policy", join(FIXTURES, "terraform"), "--request", REGIONS_REQUEST]);
  t.equal(unrendered.code, 2, "a value only Terraform knows refuses the evaluation");
  t.match(unrendered.err, /main\.tf:14:22 Error unrendered-value cannot evaluate: \$\{var\.account_id\}/);
  t.equal(unrendered.out, "");

  const empty = tmp();
  const none = cli(["eval", "--policy", empty, "--request", REGIONS_REQUEST]);
  t.equal(none.code, 2);
  t.match(none.err, "no policy files");
});

t.test("diff of two Terraform revisions with git:<ref>:<path>", async (t) => {
  const dir = tmp();
  const git = (...args: string[]): string => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, encoding: "utf8" });
  git("init", "-q");
  const v1 = readFileSync(join(FIXTURES, "terraform-clean/main.tf"), "utf8");
  writeFileSync(join(dir, "main.tf"), v1);
  git("add", "main.tf");
  git("commit", "-qm", "v1");
  writeFileSync(join(dir, "main.tf"), v1.replace('Action   = "ess:DescribeRegions"', 'Action   = ["ess:DescribeRegions", "ess:DescribeScalingGroups"]'));
  git("commit", "-qam", "v2");
  const r = cli(["diff", "--fail-on-new-access", "git:HEAD~1:main.tf", "git:HEAD:main.tf"], { cwd: dir });
  t.equal(r.code, 1, r.err);
  t.match(r.out, "DescribeScalingGroups");
  const same = cli(["diff", "--fail-on-new-access", "git:HEAD:main.tf", "main.tf"], { cwd: dir });
  t.equal(same.code, 0, same.err);
});

t.test("wiring: the GitHub Action lints with SARIF and uploads it; the pre-commit hook takes JSON, YAML and .tf", async (t) => {
  const action = parseYaml(readFileSync(join(REPO, "action.yml"), "utf8")) as { runs: { using: string; steps: { run?: string; uses?: string }[] } };
  t.equal(action.runs.using, "composite");
  t.ok(action.runs.steps.some((s) => /npm pack/.test(s.run ?? "")), "runs the packed CLI");
  t.ok(action.runs.steps.some((s) => /lint .*--format sarif/.test(s.run ?? "")));
  t.ok(action.runs.steps.some((s) => /^github\/codeql-action\/upload-sarif@/.test(s.uses ?? "")));
  const [hook] = parseYaml(readFileSync(join(REPO, ".pre-commit-hooks.yaml"), "utf8")) as { language: string; entry: string; files: string }[];
  t.equal(hook!.language, "node");
  t.match(hook!.entry, /^ess-authz lint/);
  const files = new RegExp(hook!.files);
  for (const f of ["p.json", "ros/t.yaml", "t.yml", "infra/main.tf"]) t.ok(files.test(f), f);
  t.notOk(files.test("README.md"));
});
