// `--kind` on lint, eval, test and diff; trust policies recognised by content; policies with Warnings only are
// loaded for evaluation; the once-per-run notes about what was detected and what was checked for syntax only.
import t from "tap";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "./helpers/cli.js";
import { decideRequestFile } from "../src/ess/decide.js";
import { parsePolicy } from "../src/policy/parse.js";

const CORPUS = "test/fixtures/real-world";
/** Alibaba's EMR role policy: 35 ESS actions, two of which (ess:EnableScheduledTask, ess:DisableScheduledTask) do not exist. */
const EMR = `${CORPUS}/045-emr-doc-passrole-35-ess-actions.json`;
/** The ECS instance role trust policy of the ESS documentation. */
const TRUST = `${CORPUS}/003-ess-doc-ecs-instance-role-trust.json`;
const DELETE_GROUP1 = "fixtures/requests/r1-delete-group1.json";
const R1 = "policies/r1-group1-by-arn.json";

const tmp = (): string => mkdtempSync(join(tmpdir(), "ess-authz-kinds-"));

t.test("eval loads a policy whose only findings are Warnings (dead entries in statements that still apply)", async (t) => {
  const lint = await cli("lint", "--format", "json", EMR);
  const severities = new Set((JSON.parse(lint.out) as { severity: string }[]).map((f) => f.severity));
  t.notOk(severities.has("Error"), "no Error");
  t.ok(severities.has("Warning"), "the dead actions are Warnings");
  const r = await cli("eval", "--policy", EMR, "--request", DELETE_GROUP1);
  t.equal(r.code, 0, r.err);
  t.match(r.out, /^Allow {2}ess:DeleteScalingGroup/);
});

t.test("lint: a trust policy is recognised by its content and the run says so; --kind wins", async (t) => {
  const detected = await cli("lint", TRUST);
  t.equal(detected.code, 0);
  t.match(detected.out, new RegExp(`note: linted as trust policy \\(a statement has a Principal and sts:AssumeRole\\): ${TRUST}; --kind`));
  t.match(detected.out, /note: actions, ARNs and condition keys of other services \(sts\) were checked for syntax only/);
  t.match(detected.out, /no findings in 1 file\n$/);
  const identity = await cli("lint", "--kind", "identity", TRUST);
  t.equal(identity.code, 1);
  t.match(identity.out, /Error principal-not-allowed/);
  t.notMatch(identity.out, /linted as trust/, "nothing detected when the kind is given");
  const json = await cli("lint", "--format", "json", TRUST);
  t.same(JSON.parse(json.out), [], "JSON stays a findings array");
  t.match(json.err, /^ess-authz lint: note: linted as trust policy/m, "the notes go to standard error");
  t.equal((await cli("lint", "--kind", "admin", TRUST)).code, 2, "an unknown kind is a usage error");
});

t.test("lint --fix keeps the detected kind", async (t) => {
  const dir = tmp();
  const file = join(dir, "trust.json");
  writeFileSync(file, JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: ["ecs.aliyuncs.com"] }, Condition: { StringEquals: {} } }] }));
  const r = await cli("lint", "--fix", file);
  t.equal(r.code, 0);
  t.match(r.out, /linted as trust policy/);
  t.notMatch(r.out, /principal-not-allowed/);
});

t.test("eval: each kind is evaluated where RAM evaluates it", async (t) => {
  const trust = await cli("eval", "--policy", TRUST, "--request", DELETE_GROUP1);
  t.equal(trust.code, 1, "a trust policy decides sts:AssumeRole only: it allows no ESS request");
  t.match(trust.out, /^ImplicitDeny/);
  t.match(trust.err, /note: no identity policy among the inputs, so nothing can allow the request \(trust policies/);
  t.match(trust.err, /note: 003-ess-doc-ecs-instance-role-trust: trust policy \(--kind or a Principal with sts:AssumeRole\), deciding sts:AssumeRole only: not part of this decision/);
  const both = await cli("eval", "--policy", TRUST, "--policy", "test/fixtures/real-world/044-ccm-worker-policy.json", "--policy", R1, "--request", "fixtures/requests/r1-describe-group1.json");
  t.equal(both.code, 0, "the identity policies decide");
  t.match(both.err, /trust policy/);
  t.notMatch(both.err, /no identity policy/);
  const session = await cli("eval", "--kind", "session", "--policy", R1, "--request", "fixtures/requests/r1-describe-group1.json");
  t.equal(session.code, 1, "a session policy alone allows nothing");
  t.match(session.err, /\(session policies only restrict/);
  const control = await cli("eval", "--kind", "control", "--policy", "policies/admin.json", "--request", DELETE_GROUP1);
  t.equal(control.code, 1, "a control policy alone allows nothing");
  const two = await cli("eval", "--kind", "session", "--policy", R1, "--policy", "policies/t3-operate-group1-by-tag.json", "--request", DELETE_GROUP1);
  t.equal(two.code, 2);
  t.match(two.err, /--kind session: a request has one session policy, got 2 policy documents/);
  const identity = await cli("eval", "--kind", "identity", "--policy", R1, "--request", "fixtures/requests/r1-describe-group1.json");
  t.equal(identity.code, 0);
  t.equal(identity.err, "");
});

t.test("test and diff accept --kind", async (t) => {
  t.equal((await cli("test", "--kind", "identity", "fixtures/suites/r1.suite.json")).code, 0);
  const session = await cli("test", "--kind", "session", "fixtures/suites/r1.suite.json");
  t.equal(session.code, 1, "as a session policy alone, R1 allows nothing its cases expect");
  t.match(session.out, /decision ImplicitDeny, expected Allow/);
  const diff = await cli("diff", "--kind", "identity", "policies/guide-originals/r1-group1-by-arn.original.json", R1);
  t.equal(diff.code, 0, diff.err);
  t.match(diff.out, new RegExp(`ess-authz eval --policy ${R1} --kind identity --request`), "the reproducing command repeats the kind");
  const twoSessions = await cli("diff", "--kind", "session", "policies", R1);
  t.equal(twoSessions.code, 2);
});

t.test("a folder of many kinds and services: the notes name a few and count the rest", async (t) => {
  const r = await cli("lint", CORPUS);
  t.match(r.out, /note: linted as trust policies \(a statement has a Principal and sts:AssumeRole\): [^\n]+, [^\n]+ and \d+ more; --kind/);
  t.match(r.out, /note: actions, ARNs and condition keys of other services \((\w[\w-]*, ){7}[\w-]+ and \d+ more services\) were checked for syntax only/);
  t.notMatch(r.out, /other services \([^)]*\*/, "service globs (*:Describe*, yundun-*) cover ESS: they are not listed");
});

t.test("the library refuses two session policies for one request rather than pick one", async (t) => {
  const { policy } = parsePolicy(JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:*", Resource: "*" }] }), { kind: "session" });
  const request = { request: { account: "1609982529920904", params: { Action: "DescribeRegions", Version: "2014-08-28", RegionId: "cn-hangzhou" } }, store: {} };
  await t.rejects(decideRequestFile([policy!, policy!], request, false), /at most one session policy, got 2/);
});
