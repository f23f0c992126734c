/**
 * Every bullet of scenarios.md, end to end: the official `@alicloud/pop-core` RPCClient against
 * `ess-authz serve`'s service on 127.0.0.1, signed in as a RAM user whose policies are the scenario's
 * (examples/service/config.json), over the scenario's groups (examples/service/seed.json). Denials arrive as the
 * client's error with code `Forbidden.Unauthorized`.
 */
import t from "tap";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../src/service/config.js";
import { startService } from "../src/service/server.js";
import {
  ACCOUNT,
  client,
  failure,
  GROUP1,
  GROUP2,
  GROUP3,
  KEYS,
  POLICIES,
  RULE_OF_GROUP1,
  serve,
  tempDir,
  UNBOUND_TASK,
  writeConfig,
  type ClientError,
} from "./helpers/service.js";

const HANGZHOU = { RegionId: "cn-hangzhou" };

interface Groups {
  ScalingGroups: { ScalingGroup: { ScalingGroupId: string }[] };
}

const ids = (r: Groups): string[] => r.ScalingGroups.ScalingGroup.map((g) => g.ScalingGroupId);

/** The part of a tap test `denied` uses (the root and subtests differ in type, not in this). */
type Asserts = Pick<typeof t, "equal">;

function denied(t: Asserts, e: ClientError, kind: "ImplicitDeny" | "ExplicitDeny", action: string): void {
  t.equal(e.code, "Forbidden.Unauthorized", `${action}: Forbidden.Unauthorized`);
  t.equal(e.data.AccessDeniedDetail?.["NoPermissionType"], kind, `${action}: ${kind}`);
  t.equal(e.data.AccessDeniedDetail?.["AuthAction"], action);
}

const createGroup = (tags: Record<string, string>, region = "cn-hangzhou") => ({
  RegionId: region,
  MinSize: 0,
  MaxSize: 2,
  Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
});

t.test("T1: a group can be created only with environment=test and team=game1", async (t) => {
  const { url } = await serve(t);
  const t1 = client(url, KEYS.t1);
  const created = await t1.request<{ ScalingGroupId: string }>("CreateScalingGroup", createGroup({ environment: "test", team: "game1" }), { method: "POST" });
  t.match(created.ScalingGroupId, /^asg-[a-z0-9]{20}$/, "both tags: Allow, and the service generated the id");
  const extra = await t1.request<{ ScalingGroupId: string }>("CreateScalingGroup", createGroup({ environment: "test", team: "game1", owner: "bob" }));
  t.match(extra.ScalingGroupId, /^asg-/, "extra tags do not hurt");

  for (const [name, tags] of [
    ["no tags", {}],
    ["only environment", { environment: "test" }],
    ["only team", { team: "game1" }],
    ["environment=dev", { environment: "dev", team: "game1" }],
  ] as const) {
    const e = await failure(t1.request("CreateScalingGroup", createGroup(tags)));
    denied(t, e, "ImplicitDeny", "ess:CreateScalingGroup");
    t.pass(name);
  }

  const admin = client(url, KEYS.admin);
  const all = await admin.request<Groups>("DescribeScalingGroups", { ...HANGZHOU, PageSize: 50 });
  t.ok(ids(all).includes(created.ScalingGroupId), "the allowed group exists; the denied ones were never created");
  t.equal(ids(all).length, 5, "3 seeded + 2 created");
});

t.test("T1, T2: the guide's typos stop the service from starting", async (t) => {
  const dir = tempDir(t);
  for (const [file, rule] of [
    ["t1-create-tagged-only.original.json", /action-malformed.*ess>Create\*/],
    ["t2-describe-group1-by-tag.original.json", /action-unknown.*ess:Describle\*.*ess:Describe\*/],
  ] as const) {
    const config = writeConfig(dir, {
      account: ACCOUNT,
      users: [{ name: "u", accessKeyId: "AKIDU0001", accessKeySecret: "s", policies: [join(POLICIES, "guide-originals", file)] }],
    });
    const error = await startService({ configFile: config, dbFile: join(dir, "never.db"), watchIntervalMs: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.type(error, ConfigError, `${file}: refused`);
    t.match((error as ConfigError).problems.join("\n"), rule, `${file}: the lint finding is reported`);
  }
});

t.test("T2 (fixed): DescribeScalingGroups filtered by tags returns only the groups carrying them", async (t) => {
  const { url } = await serve(t);
  const t2 = client(url, KEYS.t2);
  const filtered = await t2.request<Groups>("DescribeScalingGroups", { ...HANGZHOU, Tag: [{ Key: "environment", Value: "test" }, { Key: "team", Value: "game1" }] });
  t.same(ids(filtered), [GROUP1]);
  const e = await failure(t2.request("DescribeScalingGroups", HANGZHOU));
  denied(t, e, "ImplicitDeny", "ess:DescribeScalingGroups");
});

t.test("T3: operate group 1, never group 2", async (t) => {
  const { url } = await serve(t);
  const alice = client(url, KEYS.alice);
  const admin = client(url, KEYS.admin);

  const listed = await alice.request<Groups>("DescribeScalingGroups", HANGZHOU);
  t.same(ids(listed), [GROUP1], "DescribeScalingGroups with no ids returns asg-001 only");

  const regions = await alice.request<{ Regions: { Region: { RegionId: string }[] } }>("DescribeRegions", {});
  t.ok(regions.Regions.Region.some((r) => r.RegionId === "cn-hangzhou"), "DescribeRegions: Allow (statement 3)");

  denied(t, await failure(alice.request("CreateScalingGroup", createGroup({ environment: "test", team: "game1" }))), "ImplicitDeny", "ess:CreateScalingGroup");
  denied(t, await failure(alice.request("DeleteScalingGroup", { ...HANGZHOU, ScalingGroupId: GROUP2 })), "ExplicitDeny", "ess:DeleteScalingGroup");
  denied(t, await failure(alice.request("DeleteScalingGroup", { ...HANGZHOU, ScalingGroupId: GROUP3 })), "ImplicitDeny", "ess:DeleteScalingGroup");

  // The tasks and alarms not bound to a group are allowed on `*` by statement 3.
  const task = await alice.request<{ ScheduledTaskId: string }>("CreateScheduledTask", { ...HANGZHOU, ScheduledTaskName: "nightly", LaunchTime: "2030-01-01T01:00Z" });
  t.match(task.ScheduledTaskId, /^[0-9a-f-]{36}$/, "CreateScheduledTask (unbound): Allow");
  await alice.request("DeleteScheduledTask", { ...HANGZHOU, ScheduledTaskId: UNBOUND_TASK });
  t.pass("DeleteScheduledTask (unbound): Allow");
  const alarm = await alice.request<{ AlarmTaskId: string }>("CreateAlarm", { ...HANGZHOU, MetricName: "CpuUtilization", Threshold: 80 });
  await alice.request("EnableAlarm", { ...HANGZHOU, AlarmTaskId: alarm.AlarmTaskId });
  t.pass("CreateAlarm / EnableAlarm (unbound): Allow");

  await alice.request("DeleteScalingGroup", { ...HANGZHOU, ScalingGroupId: GROUP1 });
  const left = await admin.request<Groups>("DescribeScalingGroups", HANGZHOU);
  t.same(ids(left).sort(), [GROUP2, GROUP3].sort(), "DeleteScalingGroup asg-001: Allow (acs:ResourceTag/Team matched tag team)");
});

t.test("R1: group 1 only, by ARN", async (t) => {
  const { url } = await serve(t);
  const r1 = client(url, KEYS.r1);

  const one = await r1.request<Groups>("DescribeScalingGroups", { ...HANGZHOU, ScalingGroupId: [GROUP1] });
  t.same(ids(one), [GROUP1], "Describe asg-001: Allow");
  denied(t, await failure(r1.request("DescribeScalingGroups", { ...HANGZHOU, ScalingGroupId: [GROUP2] })), "ExplicitDeny", "ess:DescribeScalingGroups");

  await r1.request("ModifyScalingGroup", { ...HANGZHOU, ScalingGroupId: GROUP1, MaxSize: 5 });
  t.pass("Modify asg-001: Allow");
  denied(t, await failure(r1.request("ModifyScalingGroup", { ...HANGZHOU, ScalingGroupId: GROUP2, MaxSize: 5 })), "ExplicitDeny", "ess:ModifyScalingGroup");

  await r1.request("DeleteScalingRule", { ...HANGZHOU, ScalingRuleId: RULE_OF_GROUP1 });
  t.pass("DeleteScalingRule of a rule of asg-001 (rule id only): Allow via child → group");

  denied(t, await failure(r1.request("DeleteScalingGroup", { ...HANGZHOU, ScalingGroupId: GROUP2 })), "ExplicitDeny", "ess:DeleteScalingGroup");
  await r1.request("DeleteScalingGroup", { ...HANGZHOU, ScalingGroupId: GROUP1 });
  t.pass("Delete asg-001: Allow");
  const rules = await r1.request<{ TotalCount: number }>("DescribeScalingRules", { ...HANGZHOU, ScalingGroupId: GROUP1 });
  t.equal(rules.TotalCount, 0, "its rules went with it");
  const orphan = await failure(r1.request("ExecuteScalingRule", { ...HANGZHOU, ScalingRuleAri: `ari:acs:ess:cn-hangzhou:${ACCOUNT}:scalingrule/${RULE_OF_GROUP1}` }));
  t.equal(orphan.code, "Forbidden.Unauthorized", "a child that no longer resolves is never allowed");
});

t.test("R2: create only in Hangzhou", async (t) => {
  const { url } = await serve(t);
  const r2 = client(url, KEYS.r2);
  const created = await r2.request<{ ScalingGroupId: string }>("CreateScalingGroup", { RegionId: "cn-hangzhou", MinSize: 0, MaxSize: 1 });
  t.match(created.ScalingGroupId, /^asg-/, "cn-hangzhou: Allow");
  denied(t, await failure(r2.request("CreateScalingGroup", { RegionId: "cn-beijing", MinSize: 0, MaxSize: 1 })), "ExplicitDeny", "ess:CreateScalingGroup");
  denied(t, await failure(r2.request("CreateScalingGroup", { RegionId: "cn-shanghai", MinSize: 0, MaxSize: 1 })), "ImplicitDeny", "ess:CreateScalingGroup");
  const regions = await r2.request<{ Regions: unknown }>("DescribeRegions", {});
  t.ok(regions.Regions, "DescribeRegions: Allow (statement 3)");
});

t.test("R2 without statement 3: DescribeRegions is denied (only a policy resource matching `*` covers it)", async (t) => {
  const dir = tempDir(t);
  const policy = join(dir, "hangzhou-only.json");
  writeFileSync(
    policy,
    JSON.stringify({
      Version: "1",
      Statement: [{ Effect: "Allow", Action: "ess:*", Resource: `acs:ess:cn-hangzhou:${ACCOUNT}:*` }],
    }),
  );
  const config = writeConfig(dir, { account: ACCOUNT, users: [{ name: "h", accessKeyId: "AKIDHZ0001", accessKeySecret: "s3cr3t-h", policies: [policy] }] });
  const { url } = await serve(t, { configFile: config, dir });
  denied(t, await failure(client(url, ["AKIDHZ0001", "s3cr3t-h"]).request("DescribeRegions", {})), "ImplicitDeny", "ess:DescribeRegions");
});
