import t from "tap";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "./helpers/cli.js";

/** `ess-authz check …` and `diff --fail-on-new-access`: exit codes, witnesses `eval` decides as reported, formats. */

const tmp = mkdtempSync(join(tmpdir(), "ess-authz-check-"));
const ACCOUNT = "1609982529920904";
const write = (name: string, statements: object[]): string => {
  const path = join(tmp, name);
  writeFileSync(path, JSON.stringify({ Version: "1", Statement: statements }));
  return path;
};
const oldPolicy = write("old.json", [{ Effect: "Allow", Action: "ess:*", Resource: `acs:ess:cn-hangzhou:${ACCOUNT}:scalinggroup/asg-bp17np35ywjwh2cx0001` }]);
const regionWide = write("region.json", [{ Effect: "Allow", Action: "ess:*", Resource: `acs:ess:*:${ACCOUNT}:scalinggroup/asg-bp17np35ywjwh2cx0001` }]);
const accountWide = write("account.json", [{ Effect: "Allow", Action: "ess:*", Resource: "acs:ess:cn-hangzhou:*:scalinggroup/asg-bp17np35ywjwh2cx0001" }]);

t.test("check no-new-access: 1 with witnesses eval allows under NEW and not under OLD, 0 when narrowed", async (t) => {
  for (const [name, widened] of [["region", regionWide], ["account", accountWide]] as const) {
    const dir = join(tmp, `witness-${name}`);
    const r = await cli("check", "no-new-access", oldPolicy, widened, "--witness", dir);
    t.equal(r.code, 1, `${name} widening fails the check`);
    t.match(r.out, /^no-new-access: FAIL — /);
    const files = readdirSync(dir);
    t.ok(files.length > 0);
    for (const f of files) {
      t.equal((await cli("eval", "--policy", widened, "--request", join(dir, f))).code, 0, `${f}: NEW allows`);
      t.equal((await cli("eval", "--policy", oldPolicy, "--request", join(dir, f))).code, 1, `${f}: OLD does not`);
    }
    const back = await cli("check", "no-new-access", widened, oldPolicy);
    t.equal(back.code, 0);
    t.match(back.out, /PASS .*\n {2}no request whatsoever is allowed by the new version and not by the old one \(decided exactly/);
  }
});

t.test("a witness for an action outside the ESS catalog is a context file that eval --context decides as reported", async (t) => {
  const narrow = write("ess-only.json", [{ Effect: "Allow", Action: "ess:*", Resource: "*" }]);
  const unlisted = write("every-service.json", [{ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { "acs:RequestTag/team": "blue" } } }]);
  const dir = join(tmp, "witness-unlisted");
  const r = await cli("check", "no-new-access", narrow, unlisted, "--witness", dir);
  t.equal(r.code, 1);
  t.match(r.out, /replay its context file with `ess-authz eval --context`/);
  const files = readdirSync(dir);
  t.ok(files.length > 0 && files.every((f) => f.endsWith(".context.json")), "no ESS request names the action");
  for (const f of files) {
    const witness = JSON.parse(readFileSync(join(dir, f), "utf8"));
    t.notOk(String(witness.action).toLowerCase().startsWith("ess:"), `an action of another service (${witness.action})`);
    t.same(witness.requestTags.map(([k, v]: [string, string]) => [k.toLowerCase(), v]), [["team", "blue"]], "the witness carries the tag the condition needs");
    const now = await cli("eval", "--policy", unlisted, "--context", join(dir, f));
    t.equal(now.code, 0, `${f}: NEW allows`);
    t.match(now.out, new RegExp(`^Allow {2}${witness.action.replace(/[^A-Za-z0-9]/g, ".")} on `));
    t.equal((await cli("eval", "--policy", narrow, "--context", join(dir, f))).code, 1, `${f}: OLD does not`);
    // Without the tag the condition fails: the file's values are what decides.
    writeFileSync(join(tmp, "untagged.json"), JSON.stringify({ ...witness, requestTags: [] }));
    t.equal((await cli("eval", "--policy", unlisted, "--context", join(tmp, "untagged.json"))).code, 1, "untagged: denied");
  }
  const both = await cli("eval", "--policy", unlisted, "--context", join(dir, files[0]!), "--request", join(dir, files[0]!));
  t.equal(both.code, 2);
  t.match(both.err, /give one of --request .* or --context/);
  writeFileSync(join(tmp, "bad-context.json"), '{\n  "action": "ess:UnlistedThing",\n  "resource": "*",\n  "requestTags": "team=blue"\n}\n');
  const bad = await cli("eval", "--policy", unlisted, "--context", join(tmp, "bad-context.json"));
  t.equal(bad.code, 2);
  t.match(bad.err, /bad-context\.json:4:\d+ \/requestTags must be an array of \[key, value\] pairs/);
});

t.test("check no-new-access --format json and sarif", async (t) => {
  const json = await cli("check", "no-new-access", "--format", "json", oldPolicy, regionWide);
  t.equal(json.code, 1);
  const report = JSON.parse(json.out);
  t.equal(report.result, "fail");
  t.equal(report.witnesses[0].before, "ImplicitDeny");
  t.match(report.witnesses[0].request, { account: ACCOUNT, params: { Action: String } });
  const sarif = await cli("check", "no-new-access", "--format", "sarif", oldPolicy, regionWide);
  const log = JSON.parse(sarif.out);
  t.equal(log.version, "2.1.0");
  t.equal(log.runs[0].results[0].ruleId, "no-new-access");
  t.match(log.runs[0].results[0].locations[0].physicalLocation, { artifactLocation: { uri: /region\.json$/ }, region: { startLine: 1 } });
  const pass = JSON.parse((await cli("check", "no-new-access", "--format", "sarif", regionWide, oldPolicy)).out);
  t.same(pass.runs[0].results, [], "no results when it holds");
});

t.test("check no-new-access --format sarif points into the Terraform file that embeds the policy", async (t) => {
  const tf = (name: string, region: string): string => {
    const path = join(tmp, name);
    const statement = `        "Resource": "acs:ess:${region}:${ACCOUNT}:scalinggroup/asg-bp17np35ywjwh2cx0001"`;
    const lines = ['resource "alicloud_ram_policy" "ess" {', '  policy_name     = "ess"', "  policy_document = <<EOF", "  {", '    "Version": "1",', '    "Statement": [', "      {", '        "Effect": "Allow",', '        "Action": "ess:*",', statement, "      }", "    ]", "  }", "  EOF", "}"];
    writeFileSync(path, lines.join("\n") + "\n");
    return path;
  };
  const log = JSON.parse((await cli("check", "no-new-access", "--format", "sarif", tf("old.tf", "cn-hangzhou"), tf("new.tf", "*"))).out);
  // The statement's "{" is on line 7, column 7 of the file (line 4 of the embedded document).
  t.match(log.runs[0].results[0].locations[0].physicalLocation, { artifactLocation: { uri: /new\.tf$/ }, region: { startLine: 7, startColumn: 7, endLine: 11, endColumn: 8 } });
});

t.test("check no-new-access: 2 when undecided or invalid, never a pass", async (t) => {
  const mixed = write("mixed.json", [{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringLike: { "acs:SourceIp": ["10.*"] }, IpAddress: { "acs:SourceIp": ["10.0.0.0/8"] } } }]);
  const r = await cli("check", "no-new-access", oldPolicy, mixed);
  t.equal(r.code, 2);
  t.match(r.out, /UNDECIDED .*\n {2}could not decide: key acs:SourceIp is compared with StringLike patterns and as ip at once/);
  const json = JSON.parse((await cli("check", "no-new-access", "--format", "json", oldPolicy, mixed)).out);
  t.equal(json.result, "undecided");
  const sarif = JSON.parse((await cli("check", "no-new-access", "--format", "sarif", oldPolicy, mixed)).out);
  t.match(sarif.runs[0].results[0].message.text, /^Undecided: /);
  t.equal((await cli("check", "no-new-access", oldPolicy, join(tmp, "missing.json"))).code, 2);
});

t.test("check access-not-granted", async (t) => {
  const policy = write("team.json", [
    { Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/team": ["game1"] } } },
    { Effect: "Deny", Action: "ess:DeleteScalingGroup", Resource: "*", Condition: { StringNotEquals: { "acs:ResourceTag/env": ["test"] } } },
  ]);
  const proven = await cli("check", "access-not-granted", "--policy", policy, "--action", "ess:DeleteScalingGroup", "--resource-tag", "env=prod");
  t.equal(proven.code, 0, proven.out + proven.err);
  t.match(proven.out, /^access-not-granted: PASS — ess:DeleteScalingGroup on any resource tagged env=prod/);
  const dir = join(tmp, "granted");
  const granted = await cli("check", "access-not-granted", "--policy", policy, "--action", "ess:DeleteScalingGroup", "--action", "ess:CreateScalingGroup", "--witness", dir, "--format", "json");
  t.equal(granted.code, 1);
  const [file] = readdirSync(dir);
  t.equal((await cli("eval", "--policy", policy, "--request", join(dir, file!))).code, 0, "eval allows the witness");
  t.same(JSON.parse(readFileSync(join(dir, file!), "utf8")), JSON.parse(granted.out).witnesses[0].request);
  const arn = await cli("check", "access-not-granted", "--policy", oldPolicy, "--action", "ess:ModifyScalingGroup", "--resource", "acs:ess:cn-beijing:*");
  t.equal(arn.code, 0);
  t.equal((await cli("check", "access-not-granted", "--policy", policy, "--action", "ess:Nope")).code, 2);
  t.equal((await cli("check", "access-not-granted", "--policy", policy, "--action", "ess:DeleteScalingGroup", "--resource-tag", "novalue")).code, 2);
  t.equal((await cli("check", "access-not-granted", "--action", "ess:DeleteScalingGroup")).code, 2, "--policy is required");
});

t.test("diff --fail-on-new-access asks the exact analysis and writes its witnesses", async (t) => {
  const dir = join(tmp, "diff-examples");
  const r = await cli("diff", "--fail-on-new-access", "--examples", dir, oldPolicy, regionWide);
  t.equal(r.code, 1, "the issue's region widening is caught");
  t.match(r.out, /NEW ACCESS \(exact check\)\nno-new-access: FAIL/);
  const witnesses = readdirSync(dir).filter((f) => f.startsWith("new-access-"));
  t.ok(witnesses.length > 0);
  for (const f of witnesses) t.equal((await cli("eval", "--policy", regionWide, "--request", join(dir, f))).code, 0);
  const json = JSON.parse((await cli("diff", "--format", "json", "--fail-on-new-access", oldPolicy, accountWide)).out);
  t.equal(json.newAccess.result, "fail");
  const md = await cli("diff", "--format", "markdown", "--fail-on-new-access", regionWide, oldPolicy);
  t.equal(md.code, 0);
  t.match(md.out, /### New access \(exact check\)\n\n```\nno-new-access: PASS/);
  const mixed = write("mixed2.json", [{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringNotLike: { "acs:x": ["1*"] }, NumericEquals: { "acs:x": ["1"] } } }]);
  const undecided = await cli("diff", "--fail-on-new-access", oldPolicy, mixed);
  t.equal(undecided.code, 2);
  t.match(undecided.err, /new access could not be decided: key acs:x is compared with StringNotLike patterns and as numeric at once/);
});
