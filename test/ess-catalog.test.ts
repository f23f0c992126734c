import t from "tap";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { OPERATIONS, allRamActions, canonicalAction, getOperation, operationsMatching } from "../src/ess/catalog.js";
import { API_VERSIONS } from "../src/ess/types.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const op = (name: string) => {
  const found = getOperation(name);
  if (!found) throw new Error(`no operation ${name}`);
  return found;
};

// Catalog §8: present only in the 2022-02-22 SDKs.
const ONLY_2022 = [
  "ApplyEciScalingConfiguration",
  "CreateDiagnoseReport",
  "DeleteDiagnoseReport",
  "DescribeCandidateInstanceType",
  "DescribeDiagnoseReports",
  "DescribeEciScalingConfigurationDetail",
  "DescribeInstanceCreateAndDeleteStatistics",
  "DescribeScalingActivityStatistics",
  "DescribeScalingGroupDetail",
  "DescribeScalingGroupDiagnoseDetails",
  "QueryHistoricalMetric",
  "QueryPredictiveMetric",
  "QueryPredictiveTaskInfo",
  "QueryPredictiveValue",
];

t.test("103 operations, unique and sorted, each with a source", async (t) => {
  t.equal(OPERATIONS.length, 103);
  const names = OPERATIONS.map((o) => o.name);
  t.equal(new Set(names).size, 103);
  t.same(names, [...names].sort());
  for (const o of OPERATIONS) t.match(o.source, /^(documented|inferred): \S/, `${o.name} source`);
});

// `node scripts/gen-catalog.mjs --check` verifies the whole file; it is not spawned here because tap would
// count the build script's coverage as library code. The header pins the source it was generated from.
t.test("catalog.data.ts was generated from the catalog kept in the repository", async (t) => {
  const source = readFileSync(resolve(ROOT, "catalog", "ess-api-catalog.json"));
  const header = readFileSync(resolve(ROOT, "src", "ess", "catalog.data.ts"), "utf8").split("\n", 3).join("\n");
  t.match(header, "GENERATED FILE");
  t.match(header, `sha256 ${createHash("sha256").update(source).digest("hex")}`);
});

t.test("RAM actions: ess:<Action>, except VerifyUser and VerifyAuthentication → ess:DescribeRegions (§5)", async (t) => {
  t.equal(op("VerifyUser").ramAction, "ess:DescribeRegions");
  t.equal(op("VerifyAuthentication").ramAction, "ess:DescribeRegions");
  for (const o of OPERATIONS.filter((o) => !o.name.startsWith("Verify"))) t.equal(o.ramAction, `ess:${o.name}`);
  const actions = allRamActions();
  t.equal(actions.length, 101, "two operations share ess:DescribeRegions");
  t.notOk(actions.includes("ess:VerifyUser"));
  t.same(actions, [...actions].sort());
});

t.test("versions: every operation in 2022-02-22; the 14 of catalog §8 only there", async (t) => {
  for (const o of OPERATIONS) {
    t.ok(o.versions["2022-02-22"], `${o.name} in 2022`);
    t.equal(o.versions["2014-08-28"], !ONLY_2022.includes(o.name), `${o.name} in 2014`);
    for (const v of API_VERSIONS) t.equal(o.wire[v] !== undefined, o.versions[v], `${o.name} wire ${v}`);
  }
});

t.test("resource kinds follow docs/semantics.md §5", async (t) => {
  const all = [
    "DescribeRegions",
    "DescribeLimitation",
    "ListTagKeys",
    "ListTagValues",
    "DescribeNotificationTypes",
    "DescribePatternTypes",
    "DescribeCandidateInstanceType",
    "ApplyScalingGroup",
    "ApplyEciScalingConfiguration",
    "VerifyUser",
    "VerifyAuthentication",
  ];
  for (const o of OPERATIONS) {
    const expected = all.includes(o.name) ? "all" : o.name === "CreateScalingGroup" ? "create" : "group";
    t.equal(o.resource, expected, o.name);
  }
});

t.test("canonical case of actions", async (t) => {
  t.equal(canonicalAction("ess:describescalinggroups"), "ess:DescribeScalingGroups");
  t.equal(canonicalAction("ESS:DESCRIBEREGIONS"), "ess:DescribeRegions");
  t.equal(canonicalAction("ess:VerifyUser"), undefined, "authorized as ess:DescribeRegions, never requested");
  t.equal(canonicalAction("ess:Describle*"), undefined);
  t.equal(canonicalAction("ecs:DescribeRegions"), undefined);
});

t.test("operations matching an Action pattern (case-insensitive glob)", async (t) => {
  t.equal(operationsMatching("*").length, 103);
  t.same(operationsMatching("ess:Describle*"), [], "the guide's typo matches nothing");
  t.same(operationsMatching("*:ListTagResources").map((o) => o.name), ["ListTagResources"]);
  const describe = operationsMatching("ESS:describe*").map((o) => o.name);
  t.ok(describe.includes("DescribeScalingGroups"));
  t.ok(describe.includes("VerifyUser"), "VerifyUser is authorized as ess:DescribeRegions");
  t.notOk(describe.includes("ListTagKeys"));
  t.same(operationsMatching("ess:DeleteScalingGroup").map((o) => o.name), ["DeleteScalingGroup"]);
});

t.test("which operations can carry acs:RequestTag and acs:ResourceTag", async (t) => {
  for (const name of ["CreateScalingGroup", "TagResources", "DescribeScalingGroups", "ListTagResources"]) {
    t.ok(op(name).carriesRequestTag, `${name} has tag parameters`);
  }
  // §5: the Tags JSON of Create/ModifyScalingConfiguration holds ECS instance tags.
  t.notOk(op("CreateScalingConfiguration").carriesRequestTag);
  t.notOk(op("ModifyScalingConfiguration").carriesRequestTag);
  // §5: the Tag.N / Tags.N of Create/ModifyEciScalingConfiguration hold ECI container-group tags (both versions).
  for (const name of ["CreateEciScalingConfiguration", "ModifyEciScalingConfiguration"]) {
    t.notOk(op(name).carriesRequestTag, `${name}: container-group tags are not request tags`);
    for (const v of API_VERSIONS) t.equal(op(name).wire[v]?.tags, undefined, `${name} ${v}`);
  }
  t.notOk(op("UntagResources").carriesRequestTag, "tag keys only");
  t.notOk(op("DeleteScalingGroup").carriesRequestTag);
  t.ok(op("DeleteScalingGroup").carriesResourceTag);
  t.ok(op("DeleteScalingRule").carriesResourceTag, "authorized against the owning group");
  t.notOk(op("CreateScalingGroup").carriesResourceTag);
  t.notOk(op("DescribeRegions").carriesResourceTag);
});

t.test("wire names differ between versions", async (t) => {
  t.equal(op("TagResources").wire["2014-08-28"]?.groupIds, "ResourceId");
  t.equal(op("TagResources").wire["2022-02-22"]?.groupIds, "ResourceIds");
  t.equal(op("TagResources").wire["2014-08-28"]?.tags, "Tag");
  t.equal(op("TagResources").wire["2022-02-22"]?.tags, "Tags");
  t.equal(op("UntagResources").wire["2014-08-28"]?.tagKeys, "TagKey");
  t.equal(op("UntagResources").wire["2022-02-22"]?.tagKeys, "TagKeys");
  t.equal(op("DescribeScalingGroups").wire["2014-08-28"]?.groupIds, "ScalingGroupId");
  t.equal(op("DescribeScalingGroups").wire["2022-02-22"]?.groupIds, "ScalingGroupIds");
  t.same(op("RecordLifecycleActionHeartbeat").wire["2014-08-28"]?.children.map((c) => c.param), ["lifecycleHookId"]);
  t.same(op("ExecuteScalingRule").wire["2022-02-22"]?.children, [{ param: "ScalingRuleAri", kind: "ScalingRule", list: false, ari: true }]);
});

t.test("list calls filter, mutating calls need every resource", async (t) => {
  t.equal(op("DescribeScalingGroups").mode, "filter");
  t.equal(op("ListTagResources").mode, "filter");
  t.equal(op("TagResources").mode, "all");
  t.equal(op("DeleteScalingGroup").mode, "all");
  t.equal(op("DescribeScalingGroups").withoutLocator, "regionGroups");
  t.equal(op("CreateAlarm").withoutLocator, "unbound", "an alarm task may be bound to no group");
  t.equal(op("CreateScheduledTask").withoutLocator, "unbound");
  t.equal(op("DeleteScalingGroup").withoutLocator, "missingParameter");
  t.equal(op("DescribeRegions").withoutLocator, undefined, "only group operations have locators");
});
