import t, { type Test } from "tap";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fjp from "fast-json-patch";
import { cli } from "./helpers/cli.js";


const FIXTURES = "test/fixtures/diff";
const tmp = mkdtempSync(join(tmpdir(), "ess-authz-diff-"));

interface JsonGroup {
  change: string;
  example: { request: object; old: { decision: string }; new: { decision: string }; file?: string };
}

/** Every group's example, saved to a file, gets from `eval` the decision the diff reported, for both versions. */
async function examplesReproduce(t: Test, oldPolicy: string, newPolicy: string): Promise<JsonGroup[]> {
  const r = await cli("diff", "--format", "json", oldPolicy, newPolicy);
  t.equal(r.code, 0, r.err);
  const groups = JSON.parse(r.out).groups as JsonGroup[];
  for (const [i, g] of groups.entries()) {
    const file = join(tmp, `example-${i}.json`);
    writeFileSync(file, JSON.stringify(g.example.request));
    for (const [policy, want] of [[newPolicy, g.example.new.decision], [oldPolicy, g.example.old.decision]] as const) {
      const e = await cli("eval", "--json", "--policy", policy, "--request", file);
      t.equal(JSON.parse(e.out).decision, want, `group ${i} (${g.change}) with ${policy}`);
    }
  }
  return groups;
}

t.test("every example request reproduces with eval, for every constructed pair and the guide's R1 fix", async (t) => {
  const pairs = ["tag-condition", "widen-arn", "region", "deny-notaction", "allow-notaction", "source-ip"].map((n) => [`${FIXTURES}/${n}.old.json`, `${FIXTURES}/${n}.new.json`] as const);
  for (const [from, to] of [...pairs, ["policies/r1-group1-by-arn.json", `${FIXTURES}/r1-without-deny.json`] as const, ["policies/guide-originals/r1-group1-by-arn.original.json", "policies/r1-group1-by-arn.json"] as const]) {
    const groups = await examplesReproduce(t, from, to);
    t.ok(groups.length > 0, `${from} → ${to} has changes`);
  }
});

t.test("text report: sources, cells compared, counts, groups with an example, the patch", async (t) => {
  const r = await cli("diff", "policies/guide-originals/r1-group1-by-arn.original.json", "policies/r1-group1-by-arn.json");
  t.equal(r.code, 0);
  t.match(r.out, /^old: policies\/guide-originals\/r1-group1-by-arn\.original\.json \(r1-group1-by-arn\.original\)\n/);
  t.match(r.out, /\d+ cells compared: 103 operations × 1 region \(cn-hangzhou\) × 2 accounts × 5 scaling groups × 1 condition set/);
  t.match(r.out, /\n(\d+) became allowed, (\d+) became denied, (\d+) changed between explicit and implicit deny\n/);
  t.match(r.out, /BECAME ALLOWED: \d+ cells in \d+ groups\n {2}Create\* · cn-hangzhou · untagged group: /);
  t.match(r.out, /example: {4}CreateAlarm acs:ess:cn-hangzhou:1609982529920904:scalinggroup\/asg-bp1c5p12qc6ozgb10002: ExplicitDeny \(r1-group1-by-arn\.original#1\) → Allow \(r1-group1-by-arn#2\)/);
  t.match(r.out, /STRUCTURAL CHANGE \(RFC 6902\): 2 operations\n {2}\{"op":"replace","path":"\/Statement\/0\/Resource"/);
});

t.test("--fail-on-new-access: exit 1 only when something became allowed", async (t) => {
  const allowed = await cli("diff", "--fail-on-new-access", `${FIXTURES}/deny-notaction.old.json`, `${FIXTURES}/deny-notaction.new.json`);
  t.equal(allowed.code, 1);
  const deniedOnly = await cli("diff", "--fail-on-new-access", `${FIXTURES}/allow-notaction.old.json`, `${FIXTURES}/allow-notaction.new.json`);
  t.equal(deniedOnly.code, 0);
  t.equal((await cli("diff", `${FIXTURES}/deny-notaction.old.json`, `${FIXTURES}/deny-notaction.new.json`)).code, 0, "without the flag: 0");
});

t.test("markdown for a pull-request comment", async (t) => {
  const r = await cli("diff", "--format", "markdown", `${FIXTURES}/deny-notaction.old.json`, `${FIXTURES}/deny-notaction.new.json`);
  t.equal(r.code, 0);
  t.match(r.out, /^### ess-authz diff\n/);
  t.match(r.out, /\*\*\d+ cells became allowed\*\*/);
  t.match(r.out, /#### Became allowed\n\n\| # \| family \| region \| conditions \| cells \| change \| operations \| resources \|/);
  t.match(r.out, /\| 1 \| `List\*` \| resource `\*` \| no tags \|/);
  t.match(r.out, /--request &lt;example&gt;\.json<\/code>/, "no raw <example> tag for the renderer to swallow");
  t.match(r.out, /#### Structural change \(RFC 6902, 1 operation\)\n\n```json\n/);
});

t.test("--examples writes one request per group; json names the files", async (t) => {
  const dir = join(tmp, "examples");
  const r = await cli("diff", "--format", "json", "--examples", dir, `${FIXTURES}/region.old.json`, `${FIXTURES}/region.new.json`);
  t.equal(r.code, 0);
  const groups = JSON.parse(r.out).groups as JsonGroup[];
  t.equal(readdirSync(dir).length, groups.length);
  for (const g of groups) {
    t.same(JSON.parse(readFileSync(g.example.file!, "utf8")), g.example.request);
    const e = await cli("eval", "--policy", `${FIXTURES}/region.new.json`, "--request", g.example.file!);
    t.equal(e.code, g.example.new.decision === "Allow" ? 0 : 1);
  }
  const text = await cli("diff", "--examples", dir, `${FIXTURES}/region.old.json`, `${FIXTURES}/region.new.json`);
  t.match(text.out, /reproduce an example: ess-authz eval --policy test\/fixtures\/diff\/region\.new\.json --request <example>\.json/);
  t.match(text.out, new RegExp(`\\n {16}${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/01-allowed-Attach\\.json\\n`));
});

t.test("folders are the policies attached together; the patch is keyed by policy name", async (t) => {
  const r = await cli("diff", "--format", "json", `${FIXTURES}/folder-old`, `${FIXTURES}/folder-new`);
  t.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  t.same(j.old.policies, ["r1-group1-by-arn", "t1-create-tagged-only"]);
  t.same(j.new.policies, ["r1-group1-by-arn", "t3-operate-group1-by-tag"]);
  const doc = (p: string): unknown => JSON.parse(readFileSync(p, "utf8"));
  const before = { "r1-group1-by-arn": doc("policies/r1-group1-by-arn.json"), "t1-create-tagged-only": doc("policies/t1-create-tagged-only.json") };
  const after = { "r1-group1-by-arn": doc("policies/r1-group1-by-arn.json"), "t3-operate-group1-by-tag": doc("policies/t3-operate-group1-by-tag.json") };
  t.same(fjp.applyPatch(before, j.patch, true, false).newDocument, after);
  t.ok(j.universe.scalingGroups.includes("asg-bp17np35ywjwh2cx0001"));
});

t.test("git:<ref>:<path> reads files and folders from git", async (t) => {
  const file = await cli("diff", "--format", "json", "git:HEAD:policies/r1-group1-by-arn.json", "git:HEAD:policies/r1-group1-by-arn.json");
  t.equal(file.code, 0, file.err);
  const j = JSON.parse(file.out);
  t.same(j.summary, { allowed: 0, denied: 0, denyKind: 0 });
  t.same(j.old.policies, ["r1-group1-by-arn"]);
  const folder = await cli("diff", "--format", "json", "git:HEAD:policies", "git:HEAD:policies/");
  t.equal(folder.code, 0, folder.err);
  t.ok(JSON.parse(folder.out).old.policies.includes("admin"), "the folder's *.json files, not its subfolders'");
  t.notOk(JSON.parse(folder.out).old.policies.includes("r1-group1-by-arn.original"));
});

t.test("invalid input: exit 2 with a message, nothing on stdout", async (t) => {
  const cases: [string[], RegExp][] = [
    [[`${FIXTURES}/invalid.json`, "policies/admin.json"], /invalid\.json:3:\d+ Error action-malformed/],
    [["no/such/policy.json", "policies/admin.json"], /no\/such\/policy\.json: cannot read file \(ENOENT\)/],
    [["git:no-such-ref-xyz:policies/admin.json", "policies/admin.json"], /git:no-such-ref-xyz:policies\/admin\.json: cannot read from git/],
    [["git:--output=/tmp/x:policies", "policies/admin.json"], /expected git:<ref>:<path>/],
    [["git:HEAD:no/such/folder", "policies/admin.json"], /cannot read from git/],
    [["policies/admin.json", "policies/admin.json", "--store", `${FIXTURES}/invalid.json`], /invalid\.json: store: unknown field|invalid\.json: store\.Version: unknown field/],
    [["policies/admin.json", "policies/admin.json", "--store", `${FIXTURES}/store-bad-id.json`], /store-bad-id\.json: store\.scalingGroups\[0\]\.ScalingGroupId: not a valid ESS id/],
    [["policies/admin.json", "policies/admin.json", "--format", "yaml"], /argument 'yaml' is invalid/],
  ];
  for (const [args, message] of cases) {
    const r = await cli("diff", ...args);
    t.equal(r.code, 2, args.join(" "));
    t.match(r.err, message);
    t.equal(r.out, "");
  }
});
