import t from "tap";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "./helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "ess-authz-cli-"));
const write = (name: string, text: string): string => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

t.test("eval: exit 0 on Allow, 1 on deny, with the determining statement", async (t) => {
  const allow = await cli("eval", "--policy", "policies/t3-operate-group1-by-tag.json", "--request", "fixtures/requests/t3-delete-group1.json");
  t.equal(allow.code, 0);
  t.match(allow.out, /^Allow\s+ess:DeleteScalingGroup/);
  t.match(allow.out, /t3-operate-group1-by-tag#0/);
  const deny = await cli("eval", "--policy", "policies/t3-operate-group1-by-tag.json", "--request", "fixtures/requests/t3-delete-group2.json");
  t.equal(deny.code, 1);
  t.match(deny.out, /^ExplicitDeny/);
});

t.test("eval --json has the documented shape; list calls report every group", async (t) => {
  const r = await cli("eval", "--json", "--policy", "policies/t3-operate-group1-by-tag.json", "--request", "fixtures/requests/t3-describe-groups-no-ids.json");
  t.equal(r.code, 0);
  const j = JSON.parse(r.out);
  t.equal(j.decision, "Allow");
  t.equal(j.action, "ess:DescribeScalingGroups");
  t.same(j.visible, ["asg-bp17np35ywjwh2cx0001"]);
  const byId = Object.fromEntries(j.resources.map((x: { scalingGroupId: string; decision: string }) => [x.scalingGroupId, x.decision]));
  t.same(byId, { "asg-bp17np35ywjwh2cx0001": "Allow", "asg-bp1c5pl2qc6ozgb10002": "ExplicitDeny", "asg-bp1hm4k7zr9tq2w30003": "ImplicitDeny" });
  t.same(j.determining, [{ policy: "t3-operate-group1-by-tag", statement: 0 }]);
});

t.test("eval --explain names the closest Allow and what it lacked", async (t) => {
  const r = await cli("eval", "--explain", "--policy", "policies/t3-operate-group1-by-tag.json", "--request", "fixtures/requests/t3-delete-untagged.json");
  t.equal(r.code, 1);
  t.match(r.out, /Closest Allow: t3-operate-group1-by-tag statement 0/);
  t.match(r.out, /the request has no acs:ResourceTag\/environment/);
});

t.test("invalid input: exit 2, a message with file:line:col, no stack, no decision", async (t) => {
  const badPolicy = write("bad.json", '{\n  "Version": "1",\n  "Statement": [{"Effect": "Allow", "Action": "ess>Create*", "Resource": "*"}]\n}');
  const r = await cli("eval", "--policy", badPolicy, "--request", "fixtures/requests/t1-create-no-tags.json");
  t.equal(r.code, 2);
  t.match(r.err, new RegExp(`${badPolicy.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:47 Error action-malformed`));
  t.equal(r.out, "");
  t.notMatch(r.err, /\n\s+at /);
  const badJson = write("req.json", '{"account": "1609982529920904", "params": {"Action": "DescribeRegions",}}');
  const r2 = await cli("eval", "--policy", "policies/admin.json", "--request", badJson);
  t.equal(r2.code, 2);
  t.match(r2.err, /req\.json:1:72 invalid JSON/);
  const noParams = write("req2.json", '{"account": "1609982529920904", "params": {"Action": "DescribeRegions", "RegionId": 5}}');
  const r3 = await cli("eval", "--policy", "policies/admin.json", "--request", noParams);
  t.equal(r3.code, 2);
  t.match(r3.err, /req2\.json:1:\d+ \/params\/RegionId must be string/);
  const unknownOp = write("req3.json", '{"account": "1609982529920904", "params": {"Action": "DescribeEverything", "Version": "2014-08-28", "RegionId": "cn-hangzhou"}}');
  const r4 = await cli("eval", "--policy", "policies/admin.json", "--request", unknownOp);
  t.equal(r4.code, 2);
  t.match(r4.err, /UnsupportedOperation/);
  const missing = await cli("eval", "--policy", "nope.json", "--request", unknownOp);
  t.equal(missing.code, 2);
  t.match(missing.err, /nope\.json: cannot read file \(ENOENT\)/);
  const usage = await cli("eval", "--policy", "policies/admin.json");
  t.equal(usage.code, 2);
});

t.test("test: every scenario suite passes, with full statement coverage", async (t) => {
  const r = await cli("test", "fixtures/suites", "--coverage");
  t.equal(r.code, 0, "every suite passes");
  t.match(r.out, /\n31 passed, 0 failed\n$/);
  t.match(r.out, /statement coverage: 11\/11/);
});

t.test("test: a failing case exits 1 and prints the explanation; unused statements are listed", async (t) => {
  const suite = write(
    "x.suite.json",
    JSON.stringify({
      name: "wrong on purpose",
      policies: [{ name: "p", document: { Version: "1", Statement: [{ Effect: "Allow", Action: "ess:DescribeRegions", Resource: "*" }, { Effect: "Allow", Action: "ess:DescribeLimitation", Resource: "*" }] } }],
      cases: [
        { name: "regions", request: { account: "1", params: { Action: "DescribeRegions", Version: "2014-08-28", RegionId: "cn-hangzhou" } }, expect: { decision: "Allow" } },
        { name: "delete", request: { account: "1", params: { Action: "DeleteScalingGroup", Version: "2014-08-28", RegionId: "cn-hangzhou", ScalingGroupId: "asg-1" } }, expect: { decision: "Allow" } },
      ],
    }),
  );
  const r = await cli("test", suite, "--coverage");
  t.equal(r.code, 1);
  t.match(r.out, /FAIL ImplicitDeny/);
  t.match(r.out, /decision ImplicitDeny, expected Allow/);
  t.match(r.out, /No Allow statement comes close|Closest Allow/);
  t.match(r.out, /never exercised: p statement 1/);
  t.match(r.out, /1 passed, 1 failed\n$/);
  const invalid = write("y.suite.json", JSON.stringify({ policies: [], cases: [] }));
  t.equal((await cli("test", invalid)).code, 2);
});

t.test("test: YAML suites work like JSON ones", async (t) => {
  const suite = write(
    "t3.suite.yaml",
    [
      "name: T3 in YAML",
      "policies:",
      `  - ${join(process.cwd(), "policies/t3-operate-group1-by-tag.json")}`,
      "cases:",
      "  - name: delete group 2",
      `    request: ${join(process.cwd(), "fixtures/requests/t3-delete-group2.json")}`,
      "    expect:",
      "      decision: ExplicitDeny",
      "      determining:",
      "        - { policy: t3-operate-group1-by-tag, statement: 1 }",
    ].join("\n"),
  );
  const r = await cli("test", suite);
  t.equal(r.code, 0, r.out);
  t.match(r.out, /ok {3}ExplicitDeny/);
  t.match(r.out, /1 passed, 0 failed\n$/);
  const bad = write("bad.suite.yaml", "name: [unclosed\n");
  t.equal((await cli("test", bad)).code, 2);
});

t.test("test: a suite whose policies have Errors is refused, every policy's Errors listed", async (t) => {
  const typo = (action: string) => ({ Version: "1", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });
  const suite = write(
    "errors.suite.json",
    JSON.stringify({
      policies: [
        { name: "first", document: typo("ess:Describle*") },
        { name: "fine", document: typo("ess:DescribeRegions") },
        { name: "third", document: { Version: "1", Statement: [{ Effect: "Alow", Action: "ess:DescribeRegions", Resource: "*" }] } },
      ],
      cases: [{ name: "regions", request: { account: "1", params: { Action: "DescribeRegions", Version: "2014-08-28", RegionId: "cn-hangzhou" } }, expect: { decision: "Allow" } }],
    }),
  );
  const r = await cli("test", suite);
  t.equal(r.code, 2);
  t.match(r.err, /errors\.suite\.json#\/policies\/0:\d+:\d+/, "the first policy's Error, with its place");
  t.match(r.err, /errors\.suite\.json#\/policies\/2:\d+:\d+/, "and the third's");
  t.notMatch(r.err, /policies\/1:/, "the clean policy has none");
});
