// Real published policies (test/fixtures/real-world, sources in SOURCES.md): every Error and SecurityWarning the
// linter reports on them is pinned here with why the published policy really is broken or risky. A policy that
// works in RAM must have no Error, and every policy without Errors must load for `eval`.
import t from "tap";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadPolicyTexts } from "../src/cli/policy-files.js";
import { lintPolicyReport } from "../src/lint/lint.js";
import type { PolicyKind } from "../src/policy/ast.js";
import { typescriptLoaderArgs } from "./helpers/child-env.js";
import { ACCOUNT, tempDir, writeConfig } from "./helpers/service.js";
import { loadConfig } from "../src/service/config.js";

const DIR = "test/fixtures/real-world";
const FILES = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();

/**
 * Resource-based policies of other services: their Principal is legal there, and `--kind trust` (the grammar
 * with Principal and without a required Resource) is how a user lints them. As identity policies RAM would
 * reject them (principal-not-allowed), which says nothing about the policies as published.
 */
const KINDS: Record<string, PolicyKind> = {
  "051-tf-lwt-oss-bucket-policy-principal.json": "trust", // OSS bucket policy: Principal is a list of account ids
  "055-tf-lwt-privatelink-endpoint-policy.json": "trust", // PrivateLink endpoint policy: Principal "*"
};

/** `severity ruleId pointer` of every Error and SecurityWarning, per file; files not listed have none. */
const PINNED: Record<string, string[]> = {
  // Not JSON: the published indentation is U+00A0 no-break spaces (SOURCES.md), which RFC 8259 does not count as
  // whitespace. The strict JSON the contract requires (and any JSON parser) rejects the document as published.
  "001-ess-doc-create-slr-permission.json": ["Error json-syntax "],
  "028-ram-doc-vpc-empty-conditions-nbsp.json": ["Error json-syntax "],
  // `"Action": "*"` on `"Resource": "*"` without a condition: full administration of the account, ESS included,
  // which is what the page asks for; the Deny on billing leaves the rest. Granted deliberately, but it is the
  // broadest grant there is.
  "025-ram-doc-all-except-billing.json": ["SecurityWarning allow-all-unconditioned /Statement/0/Action"],
  "031-tf-rampolicy-power-user-access.json": [
    // Allow + NotAction grants every action of every service except those listed, including services added
    // later; RAM's policy-elements page says to use it with caution.
    // Its `ForAllValues:StringEquals` on ram:TrustedPrincipalTypes is a set qualifier RAM accepts: no Error.
    "SecurityWarning allow-not-action /Statement/0/NotAction",
  ],
  // A RAM user the template creates gets `"Action": ["*"]` on `["*"]`: every action on every resource.
  "042-ros-k8s-cluster-ramuser-admin.json": ["SecurityWarning allow-all-unconditioned /Statement/0/Action/0"],
  // `ess:Describle*` (a typo of ess:Describe* in Alibaba's tag-based authentication sample) matches no RAM action
  // of ESS, and it is the statement's only action: the statement never applies, so the sample does not allow
  // the Describe operations it is written for.
  "046-ess-doc-tag-based-auth-sample.json": ["Error action-unknown /Statement/1/Action"],
  // The Deny of scenario 3 is conditioned on acs:ResourceTag/…, which operations without a scaling group never
  // carry (CreateScalingGroup, DescribeRegions, unbound scheduled and alarm tasks): a positive operator on a
  // missing key is false in RAM, so the guardrail does not stop them.
  "047-ess-doc-tag-based-auth-scenario3.json": ["SecurityWarning deny-condition-key-absent /Statement/1/Condition/StringEquals/acs:ResourceTag~1environment"],
  // PrivateLink's default endpoint policy: Principal "*" may do "*" on "*" through the endpoint.
  "055-tf-lwt-privatelink-endpoint-policy.json": ["SecurityWarning allow-all-unconditioned /Statement/0/Action/0"],
  // Service roles granted `ess:*` on `*` without conditions: every scaling group of the account, deletion included.
  "070-ros-zookeeper-oos-role-ecs-ess-star.json": ["SecurityWarning allow-all-unconditioned /Statement/1/Action/0"],
  "071-ros-emr-lowcost-role-multi-service.json": ["SecurityWarning allow-all-unconditioned /Statement/4/Action/0"],
};

/** The published policies that do not work in RAM as written (see their pins): all others must have no Error. */
const BROKEN = new Set(["001-ess-doc-create-slr-permission.json", "028-ram-doc-vpc-empty-conditions-nbsp.json", "046-ess-doc-tag-based-auth-sample.json"]);

const lint = (file: string) => lintPolicyReport(readFileSync(join(DIR, file), "utf8"), KINDS[file] ? { kind: KINDS[file] } : {});

t.test("the corpus: at least 50 policies, each cited in SOURCES.md", async (t) => {
  t.ok(FILES.length >= 50, `${FILES.length} policies`);
  const sources = readFileSync(join(DIR, "SOURCES.md"), "utf8");
  for (const file of FILES) t.match(sources, `\`${file}\``, `${file} is cited`);
  for (const file of Object.keys(PINNED)) t.ok(FILES.includes(file), `${file} exists`);
});

for (const file of FILES) {
  t.test(`${file}: its Errors and SecurityWarnings are exactly the pinned ones`, async (t) => {
    const { findings } = lint(file);
    const serious = findings.filter((f) => f.severity === "Error" || f.severity === "SecurityWarning").map((f) => `${f.severity} ${f.ruleId} ${f.path}`);
    t.same(serious, PINNED[file] ?? []);
    t.equal(serious.some((s) => s.startsWith("Error")), BROKEN.has(file), BROKEN.has(file) ? "broken as published" : "works in RAM: no Error");
  });
}

t.test("every corpus policy without Errors loads for eval, test and serve", async (t) => {
  for (const file of FILES.filter((f) => !BROKEN.has(f))) {
    const text = readFileSync(join(DIR, file), "utf8");
    const [policy] = loadPolicyTexts([{ label: file, text }], KINDS[file]);
    t.equal(policy?.kind, KINDS[file] ?? lint(file).kind, file);
  }
  for (const file of BROKEN) t.throws(() => loadPolicyTexts([{ label: file, text: readFileSync(join(DIR, file), "utf8") }]), `${file} is refused`);
});

t.test("serve loads a policy whose only findings are Warnings, and logs them", async (t) => {
  // Alibaba's EMR role policy: two of its 35 ESS actions (ess:EnableScheduledTask, ess:DisableScheduledTask) do not exist.
  const emr = join(process.cwd(), DIR, "045-emr-doc-passrole-35-ess-actions.json");
  const file = writeConfig(tempDir(t), { account: ACCOUNT, users: [{ name: "emr", accessKeyId: "AKIDEMR0001", accessKeySecret: "s3cr3t-emr", policies: [emr] }] });
  const loaded = loadConfig(file);
  t.match(loaded.notes.join("\n"), /Warning action-unknown "ess:EnableScheduledTask" matches no ESS action: a dead entry/);
});

t.test("the real CLI, as a child process: a clean official multi-service policy passes --fail-on warning", async (t) => {
  // Alibaba's own ROS template: the role an ESS lifecycle hook's OOS run-command execution assumes (ESS + ECS + OOS actions).
  const file = `${DIR}/041-ros-ess-lifecycle-oos-role-policy.json`;
  const out = execFileSync(process.execPath, [...typescriptLoaderArgs(), "src/cli/bin.ts", "lint", "--fail-on", "warning", file], {
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  t.match(out, /note: actions, ARNs and condition keys of other services \([a-z, ]+\) were checked for syntax only/);
  t.match(out, /no findings in 1 file\n$/);
});
