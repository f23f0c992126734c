/**
 * The reference service: real operations over SQLite, list filtering, persistence across restarts,
 * configuration validation and hot reload, the decision log, and ESS error answers.
 */
import { randomUUID } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import t from "tap";
import { runDecodeDiagnostic } from "../src/cli/decode-diagnostic.js";
import { decodeDiagnostic, encodeDiagnostic } from "../src/middleware/diagnostic.js";
import { ConfigError, loadConfig } from "../src/service/config.js";
import { stateDiagnosticKey } from "../src/service/state.js";
import { startService } from "../src/service/server.js";
import Database from "better-sqlite3";
import { Store, Table } from "../src/service/store.js";
import {
  ACCOUNT,
  client,
  DIALECTS,
  EXAMPLE_CONFIG,
  EXAMPLE_SEED,
  eventually,
  failure,
  GROUP1,
  GROUP2,
  GROUP3,
  KEYS,
  POLICIES,
  RULE_OF_GROUP1,
  sendV1,
  sendV3,
  serve,
  serveOn,
  tempDir,
  testDatabase,
  timestamp,
  UNDO_SCHEMA_5,
  UNDO_SCHEMA_6,
  UNDO_SCHEMA_7,
  UNDO_SCHEMA_8,
  writeConfig,
  type LogLine,
  type V1Request,
} from "./helpers/service.js";

const HZ = { RegionId: "cn-hangzhou" };
const silent = () => pino({ enabled: false });

t.test("state survives a restart (create, stop, start, describe)", async (t) => {
  const dir = tempDir(t);
  const dbFile = join(dir, "data", "ess.db");
  const first = await startService({ configFile: EXAMPLE_CONFIG, dbFile, watchIntervalMs: 0, logger: silent() });
  const admin = client(first.url, KEYS.admin);
  const { ScalingGroupId } = await admin.request<{ ScalingGroupId: string }>("CreateScalingGroup", {
    ...HZ,
    ScalingGroupName: "survivor",
    MinSize: 1,
    MaxSize: 3,
    Tag: [{ Key: "team", Value: "game1" }],
  });
  const { ScalingRuleAri } = await admin.request<{ ScalingRuleAri: string }>("CreateScalingRule", {
    ...HZ,
    ScalingGroupId,
    AdjustmentType: "QuantityChangeInCapacity",
    AdjustmentValue: 1,
  });
  await first.close();
  t.ok(existsSync(dbFile), "the database file (and its directory) were created");

  const second = await startService({ configFile: EXAMPLE_CONFIG, dbFile, watchIntervalMs: 0, logger: silent() });
  t.teardown(() => second.close());
  const again = client(second.url, KEYS.admin);
  const found = await again.request<{ ScalingGroups: { ScalingGroup: { ScalingGroupName: string; MinSize: number; Tags: { Tag: unknown[] } }[] } }>(
    "DescribeScalingGroups",
    { ...HZ, ScalingGroupId: [ScalingGroupId] },
  );
  t.match(found.ScalingGroups.ScalingGroup, [{ ScalingGroupName: "survivor", MinSize: 1, Tags: { Tag: [{ Key: "team", Value: "game1" }] } }]);
  const rules = await again.request<{ ScalingRules: { ScalingRule: { ScalingRuleAri: string }[] } }>("DescribeScalingRules", { ...HZ, ScalingGroupId });
  t.equal(rules.ScalingRules.ScalingRule[0]?.ScalingRuleAri, ScalingRuleAri);
  t.match(await second.store.query("PRAGMA journal_mode"), [{ journal_mode: "wal" }]);
});

t.test("denials are sealed with a key kept beside the database: created at first start, owner-only, kept on restart", async (t) => {
  const dir = tempDir(t);
  const dbFile = join(dir, "ess.db");
  const keyFile = `${dbFile}.diagnostic-key`;
  const options = { configFile: EXAMPLE_CONFIG, dbFile, seedFile: EXAMPLE_SEED, watchIntervalMs: 0, logger: silent() };
  const first = await startService(options);
  t.equal(statSync(keyFile).mode & 0o777, 0o600, "readable by its owner only");
  const key = readFileSync(keyFile, "utf8");
  const denied = await failure(client(first.url, KEYS.alice).request("DeleteScalingGroup", { ...HZ, ScalingGroupId: GROUP2 }));
  t.equal(denied.code, "Forbidden.Unauthorized");
  const message = denied.data.AccessDeniedDetail!["EncodedDiagnosticMessage"]!;
  t.match(message, /^EDM1S\./);
  t.throws(() => decodeDiagnostic(message), /sealed/, "the denied caller cannot read it");
  await first.close();
  const second = await startService(options);
  await second.close();
  t.equal(readFileSync(keyFile, "utf8"), key, "the same key after a restart");

  let out = "";
  const io = { cwd: dir, stdout: (s: string) => void (out += s), stderr: () => {} };
  t.equal(await runDecodeDiagnostic(io, message, { state: "ess.db", json: true }), 0, "the operator decodes it with the state path");
  t.match(JSON.parse(out), { action: "ess:DeleteScalingGroup", requestId: denied.data.RequestId });
  await t.rejects(runDecodeDiagnostic(io, message, { state: "other.db" }), /no diagnostic key for the database other\.db/);
  await t.rejects(runDecodeDiagnostic(io, message, { config: EXAMPLE_CONFIG }), /has no service\.diagnosticKey.*--state/);
  t.equal(await runDecodeDiagnostic(io, message, { config: EXAMPLE_CONFIG, state: "ess.db" }), 0, "a config without the key falls back to the state");
  writeFileSync(keyFile, "short");
  await t.rejects(runDecodeDiagnostic(io, message, { state: "ess.db" }), /shorter than 16 characters/);
});

t.test("a throw-away store gets a key of the process; a key that cannot be kept is an error, not a plain message", async (t) => {
  const a = stateDiagnosticKey(":memory:");
  t.not(a, stateDiagnosticKey(":memory:"), "a fresh random key each time");
  t.ok(a.length >= 32);
  t.throws(() => stateDiagnosticKey(join(tempDir(t), "missing-dir", "ess.db")), { code: "ENOENT" });
});

t.test("decode-diagnostic reads the key from ESS_AUTHZ_DIAGNOSTIC_KEY", async (t) => {
  const key = "a-diagnostic-key-from-the-environment";
  const message = encodeDiagnostic({ version: 1, requestId: "R", time: "2026-01-01T00:00:00Z", principal: "p", policySetHash: "h", action: "ess:X", decision: "ImplicitDeny", resources: [] }, key);
  const before = process.env["ESS_AUTHZ_DIAGNOSTIC_KEY"];
  process.env["ESS_AUTHZ_DIAGNOSTIC_KEY"] = key;
  t.teardown(() => {
    if (before === undefined) delete process.env["ESS_AUTHZ_DIAGNOSTIC_KEY"];
    else process.env["ESS_AUTHZ_DIAGNOSTIC_KEY"] = before;
  });
  let out = "";
  t.equal(await runDecodeDiagnostic({ cwd: process.cwd(), stdout: (s) => void (out += s), stderr: () => {} }, message, { json: true }), 0);
  t.match(JSON.parse(out), { requestId: "R", decision: "ImplicitDeny" });
});

for (const dialect of DIALECTS) t.test(`a signed request replayed after a restart is refused: nonces are kept in the database (${dialect})`, async (t) => {
  const dir = tempDir(t);
  const dbFile = await testDatabase(t, dialect, dir);
  if (!dbFile) return;
  const create: V1Request = {
    key: KEYS.admin,
    // Unnamed, so a replay that got through would create a second group rather than fail on the name.
    params: { Action: "CreateScalingGroup", ...HZ, MinSize: "0", MaxSize: "7" },
    nonce: randomUUID(),
    timestamp: timestamp(),
  };
  const first = await startService({ configFile: EXAMPLE_CONFIG, dbFile, watchIntervalMs: 0, logger: silent() });
  t.equal((await sendV1(first.url, create)).status, 200, "first use");
  await first.close();

  const second = await startService({ configFile: EXAMPLE_CONFIG, dbFile, watchIntervalMs: 0, logger: silent() });
  t.teardown(() => second.close());
  const replay = await sendV1(second.url, create);
  t.equal(replay.status, 400);
  t.equal(replay.body["Code"], "SignatureNonceUsed");
  t.equal((await second.store.groups.where({ maxSize: 7 })).length, 1, "the replay created nothing");
});

t.test("the SQLite nonce store: refuses live nonces, prunes expired ones, and is added to an older database", async (t) => {
  const dir = tempDir(t);
  const dbFile = join(dir, "ess.db");
  await (await Store.open(dbFile)).close();
  const old = new Database(dbFile);
  // The schema before nonces were persisted (and before the tag columns list calls filter on, shared secrets, the seek indexes and region counter, tag signatures, the id indexes and the children's order indexes).
  old.exec(`
    ${UNDO_SCHEMA_8.sqlite}
    ${UNDO_SCHEMA_7.sqlite}
    ${UNDO_SCHEMA_6.sqlite}
    ${UNDO_SCHEMA_5.sqlite}
    DROP TABLE service_secrets;
    DROP TABLE signature_nonces;
    DROP INDEX scaling_group_tags_context;
    DROP INDEX scaling_groups_region_order;
    ALTER TABLE scaling_group_tags DROP COLUMN context_key;
    ALTER TABLE scaling_group_tags DROP COLUMN value_lower;
  `);
  old.pragma("user_version = 1");
  old.close();

  const store = await Store.open(dbFile);
  t.teardown(() => store.close());
  t.same(await store.query("PRAGMA user_version"), [{ user_version: 8 }], "migrated on open, to the latest version");
  const keys = async (): Promise<string[]> => (await store.query<{ key: string }>("SELECT key FROM signature_nonces ORDER BY key")).map((r) => r.key);
  t.ok(await store.nonces.remember("a", 1000, 0));
  t.notOk(await store.nonces.remember("a", 1000, 500), "replayed within its lifetime");
  t.ok(await store.nonces.remember("b", 1000, 600));
  t.ok(await store.nonces.remember("a", 1000, 1001), "an expired nonce may come back (its timestamp no longer would)");
  t.same(await keys(), ["a", "b"], "the expired entry was replaced");
  t.ok(await store.nonces.remember("c", 1000, 1700));
  t.same(await keys(), ["a", "c"], "expired entries are pruned");
});

for (const dialect of DIALECTS) t.test(`every implemented operation, as the admin (${dialect})`, async (t) => {
  const served = await serveOn(t, dialect);
  if (!served) return;
  const { url } = served;
  const admin = client(url, KEYS.admin);
  const call = <T = Record<string, unknown>>(action: string, params: Record<string, unknown>) => admin.request<T>(action, { ...HZ, ...params }, { method: "POST" });

  const { ScalingGroupId: g } = await call<{ ScalingGroupId: string }>("CreateScalingGroup", { ScalingGroupName: "web", MinSize: 0, MaxSize: 4, Tag: [{ Key: "app", Value: "web" }] });
  const duplicate = await failure(call("CreateScalingGroup", { ScalingGroupName: "web", MinSize: 0, MaxSize: 1 }));
  t.equal(duplicate.code, "InvalidScalingGroupName.Duplicate");
  t.equal((await failure(call("CreateScalingGroup", { MinSize: 3, MaxSize: 1 }))).code, "InvalidParameter", "MinSize > MaxSize");
  t.equal((await failure(call("CreateScalingGroup", { MaxSize: 1 }))).code, "MissingParameter");

  const { ScalingConfigurationId: c } = await call<{ ScalingConfigurationId: string }>("CreateScalingConfiguration", {
    ScalingGroupId: g,
    ImageId: "ubuntu_22_04",
    InstanceType: "ecs.g7.large",
    Tags: JSON.stringify({ owner: "web-team" }),
  });
  t.match(c, /^asc-[a-z0-9]{20}$/);
  t.equal((await failure(call("CreateScalingConfiguration", { ScalingGroupId: g, ImageId: "x", InstanceType: "y", Tags: "not json" }))).code, "InvalidParameter");
  await call("ModifyScalingConfiguration", { ScalingConfigurationId: c, ScalingConfigurationName: "web-v2" });
  const configs = await call<{ ScalingConfigurations: { ScalingConfiguration: { ScalingConfigurationName: string; Tags: unknown }[] } }>("DescribeScalingConfigurations", { ScalingGroupId: g });
  t.match(configs.ScalingConfigurations.ScalingConfiguration, [{ ScalingConfigurationName: "web-v2", Tags: { Tag: [{ Key: "owner", Value: "web-team" }] } }]);

  await call("EnableScalingGroup", { ScalingGroupId: g });
  t.equal((await failure(call("DeleteScalingConfiguration", { ScalingConfigurationId: c }))).code, "IncorrectScalingConfigurationLifecycleState");
  await call("ModifyScalingGroup", { ScalingGroupId: g, MaxSize: 6, DesiredCapacity: 1 });

  const rule = await call<{ ScalingRuleId: string; ScalingRuleAri: string }>("CreateScalingRule", { ScalingGroupId: g, AdjustmentType: "QuantityChangeInCapacity", AdjustmentValue: 2 });
  t.equal(rule.ScalingRuleAri, `ari:acs:ess:cn-hangzhou:${ACCOUNT}:scalingrule/${rule.ScalingRuleId}`);
  await call("ModifyScalingRule", { ScalingRuleId: rule.ScalingRuleId, AdjustmentValue: 3 });
  const executed = await call<{ ScalingActivityId: string }>("ExecuteScalingRule", { ScalingRuleAri: rule.ScalingRuleAri });
  t.match(executed.ScalingActivityId, /^asa-/);
  const after = await call<{ ScalingGroups: { ScalingGroup: { DesiredCapacity: number; LifecycleState: string }[] } }>("DescribeScalingGroups", { ScalingGroupId: [g] });
  t.match(after.ScalingGroups.ScalingGroup[0], { DesiredCapacity: 4, LifecycleState: "Active" }, "1 + 3 = 4 ≤ MaxSize 6");

  const task = await call<{ ScheduledTaskId: string }>("CreateScheduledTask", { ScheduledTaskName: "scale-up", LaunchTime: "2030-06-01T08:00Z", ScheduledAction: rule.ScalingRuleAri });
  await call("ModifyScheduledTask", { ScheduledTaskId: task.ScheduledTaskId, TaskEnabled: false });
  const tasks = await call<{ ScheduledTasks: { ScheduledTask: { ScalingGroupId: string; TaskEnabled: boolean }[] } }>("DescribeScheduledTasks", { ScheduledTaskId: [task.ScheduledTaskId] });
  t.match(tasks.ScheduledTasks.ScheduledTask, [{ ScalingGroupId: g, TaskEnabled: false }], "bound to the rule's group");

  const alarm = await call<{ AlarmTaskId: string }>("CreateAlarm", { ScalingGroupId: g, MetricName: "CpuUtilization", Threshold: 70, AlarmAction: [rule.ScalingRuleAri] });
  t.match(alarm.AlarmTaskId, new RegExp(`^${g}_[0-9a-f-]{36}$`));
  const foreign = await failure(call("CreateAlarm", { ScalingGroupId: GROUP2, MetricName: "CpuUtilization", Threshold: 70, AlarmAction: [rule.ScalingRuleAri] }));
  t.equal(foreign.code, "InvalidParameter", "an alarm cannot execute another group's rule");
  await call("ModifyAlarm", { AlarmTaskId: alarm.AlarmTaskId, Threshold: 75 });
  await call("DisableAlarm", { AlarmTaskId: alarm.AlarmTaskId });
  const alarms = await call<{ AlarmList: { Alarm: { Threshold: number; Enable: boolean }[] } }>("DescribeAlarms", { AlarmTaskId: alarm.AlarmTaskId });
  t.match(alarms.AlarmList.Alarm, [{ Threshold: 75, Enable: false }]);
  await call("EnableAlarm", { AlarmTaskId: alarm.AlarmTaskId });
  await call("DeleteAlarm", { AlarmTaskId: alarm.AlarmTaskId });

  const hook = await call<{ LifecycleHookId: string }>("CreateLifecycleHook", { ScalingGroupId: g, LifecycleTransition: "SCALE_OUT", LifecycleHookName: "drain" });
  const hooks = await call<{ LifecycleHooks: { LifecycleHook: { LifecycleHookName: string }[] } }>("DescribeLifecycleHooks", { ScalingGroupId: g });
  t.match(hooks.LifecycleHooks.LifecycleHook, [{ LifecycleHookName: "drain" }]);
  await call("DeleteLifecycleHook", { LifecycleHookId: hook.LifecycleHookId });

  await call("TagResources", { ResourceType: "scalinggroup", ResourceId: [g], Tag: [{ Key: "env", Value: "prod" }] });
  await call("UntagResources", { ResourceType: "scalinggroup", ResourceId: [g], TagKey: ["app"] });
  const tags = await call<{ TagResources: { TagResource: { TagKey: string; ResourceType: string }[] } }>("ListTagResources", { ResourceType: "scalinggroup", ResourceId: [g] });
  t.same(tags.TagResources.TagResource.map((r) => r.TagKey), ["env"]);
  t.equal(tags.TagResources.TagResource[0]?.ResourceType, "ALIYUN::ESS::SCALINGGROUP");
  const tooMany = Array.from({ length: 21 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
  t.equal((await failure(call("TagResources", { ResourceType: "scalinggroup", ResourceId: [g], Tag: tooMany }))).code, "InvalidParameter", "at most 20 tags");
  t.equal((await failure(call("TagResources", { ResourceType: "scalinggroup", ResourceId: [g], Tag: [{ Key: "aliyun:x", Value: "v" }] }))).code, "InvalidParameter");

  await call("DeleteScheduledTask", { ScheduledTaskId: task.ScheduledTaskId });
  await call("DeleteScalingRule", { ScalingRuleId: rule.ScalingRuleId });
  await call("DisableScalingGroup", { ScalingGroupId: g });
  await call("DeleteScalingConfiguration", { ScalingConfigurationId: c });
  await call("VerifyUser", {});
  await call("DeleteScalingGroup", { ScalingGroupId: g });
  const none = await call<{ TotalCount: number }>("DescribeScalingGroups", { ScalingGroupId: [g] });
  t.equal(none.TotalCount, 0);
});

t.test("DescribeScalingGroups with ScalingGroupIds reads those groups by id, oldest first, not the whole region", async (t) => {
  const { url } = await serve(t);
  const admin = client(url, KEYS.admin);
  const where = Table.prototype.where;
  const filters: unknown[] = [];
  Table.prototype.where = function (this: Table<never>, filter) {
    filters.push(filter);
    return where.call(this, filter);
  };
  t.teardown(() => {
    Table.prototype.where = where;
  });
  const found = await admin.request<{ TotalCount: number; ScalingGroups: { ScalingGroup: { ScalingGroupId: string }[] } }>("DescribeScalingGroups", {
    ...HZ,
    ScalingGroupId: [GROUP3, "asg-doesnotexist00000000", GROUP1],
  });
  // The example seed creates its groups in one transaction, so they share a creation time: ties go by id.
  t.same(found.ScalingGroups.ScalingGroup.map((g) => g.ScalingGroupId), [GROUP1, GROUP3], "the named groups that exist, oldest first");
  t.equal(found.TotalCount, 2);
  t.same(filters, [], "no table was scanned by filter");
});

for (const dialect of DIALECTS) t.test(`list calls return only what the caller may see (${dialect})`, async (t) => {
  const served = await serveOn(t, dialect);
  if (!served) return;
  const { url } = served;
  const admin = client(url, KEYS.admin);
  const alice = client(url, KEYS.alice);
  const ari = `ari:acs:ess:cn-hangzhou:${ACCOUNT}:scalingrule/`;
  const ruleOfGroup2 = "asr-bp1fk4c2v0xg7rby0002";
  await admin.request("CreateScheduledTask", { ...HZ, ScheduledTaskName: "g1", LaunchTime: "2030-01-01T00:00Z", ScheduledAction: ari + RULE_OF_GROUP1 });
  await admin.request("CreateScheduledTask", { ...HZ, ScheduledTaskName: "g2", LaunchTime: "2030-01-01T00:00Z", ScheduledAction: ari + ruleOfGroup2 });

  const rules = await alice.request<{ ScalingRules: { ScalingRule: { ScalingRuleId: string }[] } }>("DescribeScalingRules", HZ);
  t.same(rules.ScalingRules.ScalingRule.map((r) => r.ScalingRuleId), [RULE_OF_GROUP1]);
  const tasks = await alice.request<{ ScheduledTasks: { ScheduledTask: { ScheduledTaskName: string }[] } }>("DescribeScheduledTasks", HZ);
  t.same(tasks.ScheduledTasks.ScheduledTask.map((x) => x.ScheduledTaskName).sort(), ["9c1f0e52-3b7a-4d8e-a6c4-2f5e8d1b7a30", "g1"], "group 1's task and the unbound one (allowed on *)");
  const tagged = await alice.request<{ TagResources: { TagResource: { ResourceId: string }[] } }>("ListTagResources", { ...HZ, ResourceType: "scalinggroup" });
  t.same([...new Set(tagged.TagResources.TagResource.map((r) => r.ResourceId))], [GROUP1]);
  const named = await failure(alice.request("DescribeScalingConfigurations", { ...HZ, ScalingGroupId: GROUP2 }));
  t.equal(named.code, "Forbidden.Unauthorized", "naming only a denied group is a denial, not an empty list");
});

for (const dialect of DIALECTS) t.test(`API version 2022-02-22: plural wire names and flat lists, v1 and v3 signatures (${dialect})`, async (t) => {
  const served = await serveOn(t, dialect);
  if (!served) return;
  const { url } = served;
  const admin = client(url, KEYS.admin, "2022-02-22");
  const created = await admin.request<{ ScalingGroupId: string }>("CreateScalingGroup", { ...HZ, MinSize: 0, MaxSize: 1, Tags: [{ Key: "team", Value: "game1" }] });
  const listed = await admin.request<{ ScalingGroups: { ScalingGroupId: string; Tags: { Key: string }[] }[] }>("DescribeScalingGroups", {
    ...HZ,
    ScalingGroupIds: [created.ScalingGroupId],
  });
  t.match(listed.ScalingGroups, [{ ScalingGroupId: created.ScalingGroupId, Tags: [{ Key: "team", Value: "game1" }] }]);

  const v3 = await sendV3(url, { key: KEYS.alice, action: "DescribeScalingGroups", query: { ...HZ } });
  t.equal(v3.status, 200, v3.text);
  t.same((v3.body["ScalingGroups"] as { ScalingGroupId: string }[]).map((g) => g.ScalingGroupId), [GROUP1]);
  const v3post = await sendV3(url, { key: KEYS.t1, action: "CreateScalingGroup", form: { ...HZ, MinSize: "0", MaxSize: "1", "Tags.1.Key": "environment", "Tags.1.Value": "test", "Tags.2.Key": "team", "Tags.2.Value": "game1" } });
  t.match(v3post.body["ScalingGroupId"], /^asg-/, v3post.text);
  const wrongNames = await sendV3(url, { key: KEYS.admin, action: "DescribeScalingGroups", query: { ...HZ, "ScalingGroupId.1": GROUP1 } });
  t.equal(wrongNames.body["Code"], "InvalidParameter", "2014 names in a 2022 request are refused");
});

t.test("ESS answers for what is not an allowed, implemented call", async (t) => {
  const { url } = await serve(t);
  const admin = client(url, KEYS.admin);
  const missing = await failure(admin.request("DeleteScalingGroup", { ...HZ, ScalingGroupId: "asg-doesnotexist00000000" }));
  t.equal(missing.code, "InvalidScalingGroupId.NotFound");
  const notImplemented = await failure(admin.request("DescribeScalingActivities", { ...HZ, ScalingGroupId: GROUP1 }));
  t.equal(notImplemented.code, "NotImplemented");
  t.match(notImplemented.data.Message, /DescribeScalingActivities.*not implemented by this service/);
  const deniedFirst = await failure(client(url, KEYS.r1).request("DescribeScalingActivities", { ...HZ, ScalingGroupId: GROUP2 }));
  t.equal(deniedFirst.code, "Forbidden.Unauthorized", "other operations are still authorized first");

  const xml = await sendV1(url, { key: KEYS.admin, params: { Action: "DescribeRegions", Format: "XML" } });
  t.match(xml.text, /^<\?xml version="1.0" encoding="UTF-8"\?><DescribeRegionsResponse><RequestId>[0-9A-F-]{36}<\/RequestId><Regions><Region><RegionId>cn-hangzhou<\/RegionId>/);

  const path = await fetch(`${url}/other`);
  t.equal(path.status, 404);
  t.match(await path.json(), { Code: "UnsupportedOperation", RequestId: /^[0-9A-F-]{36}$/ });
  const media = await fetch(`${url}/`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: "x" });
  t.equal(media.status, 415);
  t.match(await media.json(), { Code: "InvalidParameter", RequestId: /./ });
  const text = await fetch(`${url}/`, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
  t.match(await text.json(), { Code: "InvalidParameter", Message: /Content-Type/ }, "only form bodies carry parameters");
  const anonymous = await fetch(`${url}/?Action=DescribeRegions&Version=2014-08-28`);
  t.match(await anonymous.json(), { Code: "MissingParameter" });
});

for (const dialect of DIALECTS) t.test(`concurrent creates and lists are all served, without deadlock (${dialect})`, async (t) => {
  const served = await serveOn(t, dialect);
  if (!served) return;
  const { url } = served;
  const admin = client(url, KEYS.admin);
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? admin.request<{ ScalingGroupId: string }>("CreateScalingGroup", { ...HZ, MinSize: 0, MaxSize: 1 })
        : admin.request<{ TotalCount: number }>("DescribeScalingGroups", HZ),
    ),
  );
  t.equal(results.length, 20);
  const aborted = new AbortController();
  const pending = fetch(`${url}/?Action=DescribeRegions`, { signal: aborted.signal }).catch(() => undefined);
  aborted.abort();
  await pending;
  const after = await admin.request<{ TotalCount: number }>("DescribeScalingGroups", { ...HZ, PageSize: 50 });
  t.equal(after.TotalCount, 13, "3 seeded + 10 created; an aborted request left nothing locked");
});

t.test("the decision log: one JSON line per decision, never a secret", async (t) => {
  const { url, logs } = await serve(t);
  await client(url, KEYS.alice).request("DescribeScalingGroups", HZ);
  await failure(client(url, KEYS.alice).request("DeleteScalingGroup", { ...HZ, ScalingGroupId: GROUP2 }));
  await sendV1(url, { key: KEYS.alice, params: { Action: "DescribeRegions" }, secretForSigning: "wrong" });
  const decisions = logs.filter((l) => l.msg === "authorization decision");
  t.equal(decisions.length, 2);
  t.match(decisions[1], {
    requestId: /^[0-9A-F-]{36}$/,
    principal: `acs:ram::${ACCOUNT}:user/alice`,
    action: "ess:DeleteScalingGroup",
    decision: "ExplicitDeny",
    resources: [{ arn: `acs:ess:cn-hangzhou:${ACCOUNT}:scalinggroup/${GROUP2}`, decision: "ExplicitDeny" }],
    determining: [{ policy: "t3-operate-group1-by-tag", statement: 1 }],
    policySetHash: /^sha256:[0-9a-f]{64}$/,
  });
  t.match(logs.find((l) => l.msg === "request rejected"), { code: "SignatureDoesNotMatch", accessKeyId: KEYS.alice[0] });
  const everything = JSON.stringify(logs);
  for (const [, secret] of Object.values(KEYS)) t.notOk(everything.includes(secret), "no AccessKey secret in the log");
  t.notMatch(everything, /Signature"?:/, "no signatures in the log");
});

const userWith = (policies: unknown[]) => ({
  account: ACCOUNT,
  users: [{ name: "alice", accessKeyId: "AKIDALICE0001", accessKeySecret: "s3cr3t-alice", policies }],
});

t.test("configuration: validated at start, reloaded on change, a bad one keeps the old", async (t) => {
  const dir = tempDir(t);
  const policy = (name: string) => {
    copyFileSync(join(POLICIES, name), join(dir, name));
    return name;
  };
  const configFile = writeConfig(dir, userWith([policy("r2-create-in-hangzhou.json")]));
  const { url, logs, service } = await serve(t, { configFile, dir, watchIntervalMs: 100 });
  const alice = client(url, KEYS.alice);
  const describe = () => alice.request("DescribeScalingGroups", { ...HZ, ScalingGroupId: [GROUP1] }).then(() => true, () => false);
  t.ok(await describe(), "R2's policy allows everything in cn-hangzhou");

  writeConfig(dir, userWith([policy("t2-describe-group1-by-tag.json")]));
  t.ok(await eventually(async () => !(await describe())), "the changed file is picked up: now only tag-filtered describes");
  t.ok(logs.some((l) => l.msg === "configuration reloaded"));

  writeFileSync(join(dir, "broken.json"), JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess>Create*", Resource: "*" }] }));
  writeConfig(dir, userWith([policy("r2-create-in-hangzhou.json"), "broken.json"]));
  t.ok(await eventually(() => logs.some((l) => l.msg.startsWith("configuration reload rejected"))), "the bad configuration is rejected");
  const rejected = logs.find((l) => l.msg.startsWith("configuration reload rejected")) as LogLine & { problems: string[] };
  t.match(rejected.problems.join("\n"), /broken\.json:1:\d+ Error action-malformed/);
  t.notOk(await describe(), "the previous configuration stays in force");

  writeFileSync(join(dir, "broken.json"), JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:Create*", Resource: "*" }] }));
  t.ok(await eventually(() => describe()), "fixing only the policy file of the rejected version is noticed too");

  writeConfig(dir, userWith([policy("t2-describe-group1-by-tag.json")]));
  t.equal(await service.reload(), true, "an explicit reload (what SIGHUP does)");
  t.notOk(await describe());

  writeConfig(dir, { ...userWith([]), account: "1111111111111111" });
  t.equal(await service.reload(), false, "the account cannot change under a running service");
});

t.test("configuration problems are reported together, with positions", async (t) => {
  const dir = tempDir(t);
  const refused = (config: string | object): string[] => {
    const file = typeof config === "string" ? join(dir, "raw.json") : writeConfig(dir, config);
    if (typeof config === "string") writeFileSync(file, config);
    try {
      loadConfig(file);
    } catch (e) {
      if (e instanceof ConfigError) return [...e.problems];
      throw e;
    }
    return [];
  };
  const admin = join(POLICIES, "admin.json");
  t.match(refused({ account: "x" }), [/\/account must match pattern/]);
  t.match(refused('{"account": "1609982529920904", "account": "1"}').join(), /duplicate/i);
  t.match(
    refused({
      account: ACCOUNT,
      users: [
        { name: "a", accessKeyId: "AK1", accessKeySecret: "s", groups: ["nope"], policies: [admin] },
        { name: "b", accessKeyId: "AK1", accessKeySecret: "s", policies: ["missing.json"] },
      ],
    }).join("\n"),
    /group nope, which is not defined[\s\S]*missing\.json: cannot read policy[\s\S]*AccessKey AK1 is given more than once/,
  );
  t.match(refused({ account: ACCOUNT, users: [{ name: "a", accessKeyId: "AK1" }] }).join(), /accessKeySecret/);
  t.same(refused({ account: ACCOUNT, users: [{ name: "a", accessKeyId: "AK1", accessKeySecret: "s", policies: [{ path: admin, scope: "rg-acfm2xx" }] }] }), []);
  t.same(refused({ account: ACCOUNT, users: [{ name: "a", accessKeyId: "AK1", accessKeySecret: "s" }], owner: { accessKeyId: "AKROOT", accessKeySecret: "r" } }), []);
});

t.test("resource-group scope, role sessions and the account owner", async (t) => {
  const dir = tempDir(t);
  const configFile = writeConfig(dir, {
    account: ACCOUNT,
    users: [{ name: "rg-admin", accessKeyId: "AKIDRG0001", accessKeySecret: "s3cr3t-rg", policies: [{ path: join(POLICIES, "admin.json"), scope: "rg-acfmgame1" }] }],
    roles: [
      {
        name: "ops",
        policies: [join(POLICIES, "admin.json")],
        sessions: [{ name: "s1", accessKeyId: "STS.OPS0001", accessKeySecret: "s3cr3t-sts", securityToken: "CAIS-ops", expiration: "2099-01-01T00:00:00Z", policy: join(POLICIES, "r2-create-in-hangzhou.json") }],
      },
    ],
    owner: { accessKeyId: "AKIDROOT0001", accessKeySecret: "s3cr3t-root" },
  });
  const { url } = await serve(t, { configFile, dir });
  const root = client(url, ["AKIDROOT0001", "s3cr3t-root"]);
  const inGroup = await root.request<{ ScalingGroupId: string }>("CreateScalingGroup", { ...HZ, MinSize: 0, MaxSize: 1, ResourceGroupId: "rg-acfmgame1" });
  t.ok(inGroup.ScalingGroupId, "the owner needs no policy");

  const rg = client(url, ["AKIDRG0001", "s3cr3t-rg"]);
  await rg.request("DeleteScalingGroup", { ...HZ, ScalingGroupId: inGroup.ScalingGroupId });
  t.pass("a resource-group-scope policy covers the groups of that resource group");
  t.equal((await failure(rg.request("DeleteScalingGroup", { ...HZ, ScalingGroupId: GROUP1 }))).code, "Forbidden.Unauthorized", "and no other");

  const session = client(url, ["STS.OPS0001", "s3cr3t-sts"], "2014-08-28", "CAIS-ops");
  await session.request("CreateScalingGroup", { ...HZ, MinSize: 0, MaxSize: 1 });
  const limited = await failure(session.request("CreateScalingGroup", { RegionId: "cn-beijing", MinSize: 0, MaxSize: 1 }));
  t.match(limited.data.AccessDeniedDetail, { AuthPrincipalType: "AssumedRoleUser", AuthPrincipalDisplayName: "ops:s1", PolicyType: "SessionPolicy" });
});

t.test("a config that holds secrets and is readable by others is warned about", async (t) => {
  const dir = tempDir(t);
  const config = { account: ACCOUNT, users: [{ name: "u", accessKeyId: "AKIDU0001", accessKeySecret: "s3cr3t-u", policies: [join(POLICIES, "admin.json")] }] };
  const file = writeConfig(dir, config);
  chmodSync(file, 0o644);
  t.match(loadConfig(file).notes.join("\n"), /holds secrets but its mode is 0644 .*chmod 600/);
  chmodSync(file, 0o600);
  t.notMatch(loadConfig(file).notes.join("\n"), /holds secrets/);
});
