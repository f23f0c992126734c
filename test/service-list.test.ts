/**
 * Whole-region list calls of the reference service page in SQL: over a store of groups with tags in case
 * variants and several resource groups, every page and TotalCount of DescribeScalingGroups, for each example
 * user, equals the groups `evaluate` allows one by one, and a caller allowed none is still refused. Scheduled and
 * alarm tasks, bound to a group or to none, are listed as `evaluate` decides their group, or `*`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import t from "tap";
import { makeContext } from "../src/evaluate/context.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import type { EvaluationInput } from "../src/evaluate/decision.js";
import { loadPolicy } from "../src/policy/parse.js";
import { residual } from "../src/residual/residual.js";
import { pageGroups } from "../src/service/list.js";
import { Store, Table, type AlarmRow, type ScheduledTaskRow, type TagRow } from "../src/service/store.js";
import { policyOf } from "./helpers/policies.js";
import { ACCOUNT, client, DIALECTS, EXAMPLE_CONFIG, failure, GROUP1, GROUP2, GROUP3, groupRow, KEYS, POLICIES, RULE_OF_GROUP1, serve, tempDir, testDatabase, UNBOUND_TASK, UNDO_SCHEMA_5, UNDO_SCHEMA_6, UNDO_SCHEMA_7, UNDO_SCHEMA_8 } from "./helpers/service.js";

const REGION = "cn-hangzhou";
const TAGS: readonly (readonly [string, string])[][] = [
  [["Team", "game1"], ["environment", "test"]],
  [["team", "game1"], ["TEAM", "game2"], ["environment", "test"]],
  [["team", "game2"], ["environment", "dev"]],
  [["Team", "game1"], ["Environment", "test"]],
  [],
  [["team", "game1"]],
];

const policies = (...files: string[]): EvaluationInput => ({
  identity: files.map((f) => ({ policy: loadPolicy(readFileSync(join(POLICIES, f), "utf8"), { name: f }) })),
});

/** The example users allowed to list groups, with their policies (examples/service/config.json). */
const USERS = [
  ["admin", KEYS.admin, policies("admin.json")],
  ["alice", KEYS.alice, policies("t3-operate-group1-by-tag.json")],
  ["r1", KEYS.r1, policies("r1-group1-by-arn.json")],
] as const;

/** A user of the task-list test's config, allowed by a tag condition only. */
const BY_TAG = ["AKIDBYTAG00001", "s3cr3t-by-tag"] as const;

interface Listed {
  TotalCount: number;
  ScalingGroups: { ScalingGroup: { ScalingGroupId: string }[] };
}

for (const dialect of DIALECTS) t.test(`DescribeScalingGroups pages and counts in SQL exactly as groups are decided one by one (${dialect})`, async (t) => {
  const dir = tempDir(t);
  const database = await testDatabase(t, dialect, dir);
  if (!database) return;
  const { url } = await serve(t, { dir, dbFile: database });
  const writer = await Store.open(database);
  t.teardown(() => writer.close());
  await writer.transaction(async (writer) => {
    for (let i = 0; i < 45; i++) {
      const id = `asg-list${String(i).padStart(16, "0")}`;
      await writer.groups.insert(
        groupRow({
          id,
          regionId: i % 9 === 8 ? "cn-beijing" : REGION,
          name: `list-${i}`,
          creationTime: `2030-01-01T00:00:${String(Math.floor(i / 3)).padStart(2, "0")}Z`,
          ...(i % 4 === 0 ? { resourceGroupId: "rg-aek2x" } : {}),
        }),
      );
      await writer.putTags(id, TAGS[i % TAGS.length]!.map(([key, value]) => ({ key, value, propagate: false })));
      if (i % 3 === 0) continue;
      const regionId = i % 9 === 8 ? "cn-beijing" : REGION;
      // Children created in the opposite order of their groups, so that their own order is what pages follow.
      const creationTime = `2031-01-01T00:00:${String(59 - i).padStart(2, "0")}Z`;
      const n = String(i).padStart(16, "0");
      await writer.rules.insert({ id: `asr-list${n}`, ari: `ari:acs:ess:${regionId}:${ACCOUNT}:scalingrule/asr-list${n}`, groupId: id, regionId, name: `r${i}`, ruleType: "SimpleScalingRule", creationTime });
      await writer.configurations.insert({ id: `asc-list${n}`, groupId: id, regionId, name: `c${i}`, instanceTypes: ["ecs.g6.large"], securityGroupIds: [], creationTime });
      await writer.lifecycleHooks.insert({
        id: `ash-list${n}`, groupId: id, regionId, name: `h${i}`, lifecycleTransition: "SCALE_OUT", defaultResult: "CONTINUE", heartbeatTimeout: 600, creationTime,
      });
    }
  });
  const all = await writer.groups.where({ regionId: REGION });
  const tagsOf = new Map<string, TagRow[]>();
  for (const g of all) tagsOf.set(g.id, await writer.tags(g.id));
  // Counts the service's reads of a whole region: an allowed list call is decided on one group found in SQL.
  const listGroups = Store.prototype.listGroups;
  let regionReads = 0;
  Store.prototype.listGroups = function (this: Store, regionId: string) {
    regionReads++;
    return listGroups.call(this, regionId);
  };
  t.teardown(() => {
    Store.prototype.listGroups = listGroups;
  });
  for (const [name, key, input] of USERS) {
    const expected = all
      .filter((g) => {
        const ctx = makeContext({
          action: "ess:DescribeScalingGroups",
          resource: `acs:ess:${REGION}:${ACCOUNT}:scalinggroup/${g.id}`,
          resourceTags: tagsOf.get(g.id)!.map((tag) => [tag.key, tag.value] as const),
          ...(g.resourceGroupId ? { resourceGroupId: g.resourceGroupId } : {}),
        });
        return evaluate(input, ctx).decision === "Allow";
      })
      .map((g) => g.id);
    t.ok(expected.length > 0, `${name} may see ${expected.length} of ${all.length} groups`);
    const api = client(url, key);
    const listed: string[] = [];
    for (let page = 1; page <= Math.ceil(expected.length / 7); page++) {
      const r = await api.request<Listed>("DescribeScalingGroups", { RegionId: REGION, PageSize: 7, PageNumber: page }, { method: "POST" });
      t.equal(r.TotalCount, expected.length, `${name}: TotalCount on page ${page}`);
      listed.push(...r.ScalingGroups.ScalingGroup.map((g) => g.ScalingGroupId));
    }
    t.strictSame(listed, expected, `${name}: every page, in order`);
    const visible = new Set(expected);
    const children = [
      ["DescribeScalingRules", writer.rules, (r: Record<string, unknown>) => (r.ScalingRules as { ScalingRule: { ScalingRuleId: string }[] }).ScalingRule.map((c) => c.ScalingRuleId)],
      ["DescribeScalingConfigurations", writer.configurations, (r: Record<string, unknown>) => (r.ScalingConfigurations as { ScalingConfiguration: { ScalingConfigurationId: string }[] }).ScalingConfiguration.map((c) => c.ScalingConfigurationId)],
      ["DescribeLifecycleHooks", writer.lifecycleHooks, (r: Record<string, unknown>) => (r.LifecycleHooks as { LifecycleHook: { LifecycleHookId: string }[] }).LifecycleHook.map((c) => c.LifecycleHookId)],
    ] as const;
    for (const [action, table, idsOf] of children) {
      const want = (await table.where({ regionId: REGION })).filter((c) => visible.has(c.groupId)).map((c) => c.id);
      const got: string[] = [];
      let total = -1;
      for (let page = 1; page <= Math.max(1, Math.ceil(want.length / 5)); page++) {
        const r = await api.request<Record<string, unknown>>(action, { RegionId: REGION, PageSize: 5, PageNumber: page }, { method: "POST" });
        total = r.TotalCount as number;
        got.push(...idsOf(r));
      }
      t.strictSame([got, total], [want, want.length], `${name}: ${action}, every page and TotalCount`);
    }
    const wantTags = expected.flatMap((id) => tagsOf.get(id)!.map((tag) => `${id}:${tag.key}=${tag.value}`));
    const gotTags: string[] = [];
    let token: string | undefined;
    do {
      const r = await api.request<{ NextToken?: string; TagResources: { TagResource: { ResourceId: string; TagKey: string; TagValue: string }[] } }>(
        "ListTagResources",
        { RegionId: REGION, ResourceType: "scalinggroup", ...(token ? { NextToken: token } : {}) },
        { method: "POST" },
      );
      gotTags.push(...r.TagResources.TagResource.map((tag) => `${tag.ResourceId}:${tag.TagKey}=${tag.TagValue}`));
      token = r.NextToken;
    } while (token);
    t.strictSame(gotTags, wantTags, `${name}: ListTagResources, every page`);
    const byRg = await api.request<Listed>("DescribeScalingGroups", { RegionId: REGION, ResourceGroupId: "rg-aek2x", PageSize: 50 }, { method: "POST" });
    const inRg = new Set(all.filter((g) => g.resourceGroupId === "rg-aek2x").map((g) => g.id));
    t.strictSame(byRg.ScalingGroups.ScalingGroup.map((g) => g.ScalingGroupId), expected.filter((id) => inRg.has(id)), `${name}: filtered by resource group`);
  }
  const alice = client(url, KEYS.alice);
  const tagged = await alice.request<Listed>("DescribeScalingGroups", { RegionId: REGION, "Tag.1.Key": "team", "Tag.1.Value": "game1", PageSize: 50 }, { method: "POST" });
  const carrying = new Set(all.filter((g) => tagsOf.get(g.id)!.some((tag) => tag.key === "team" && tag.value === "game1")).map((g) => g.id));
  t.ok(tagged.ScalingGroups.ScalingGroup.every((g) => carrying.has(g.ScalingGroupId)), "a tag filter keeps only groups carrying the exact tag");
  t.equal(tagged.TotalCount, tagged.ScalingGroups.ScalingGroup.length);
  const admin = client(url, KEYS.admin);
  const nobody = await admin.request<Listed>("DescribeScalingGroups", { RegionId: REGION, "Tag.1.Key": "team", "Tag.1.Value": "nobody" }, { method: "POST" });
  t.equal(nobody.TotalCount, 0, "no group carries the tag: the call is decided on scalinggroup/*, and lists nothing");
  const rules = await admin.request<{ ScalingRules: { ScalingRule: { ScalingRuleId: string }[] } }>("DescribeScalingRules", { RegionId: REGION, PageSize: 50 }, { method: "POST" });
  t.ok(rules.ScalingRules.ScalingRule.some((r) => r.ScalingRuleId === RULE_OF_GROUP1), "children of allowed groups are listed");
  const tasks = await admin.request<{ ScheduledTasks: { ScheduledTask: { ScheduledTaskId: string }[] } }>("DescribeScheduledTasks", { RegionId: REGION, PageSize: 50 }, { method: "POST" });
  t.ok(tasks.ScheduledTasks.ScheduledTask.some((task) => task.ScheduledTaskId === UNBOUND_TASK), "tasks bound to no group, allowed on *");
  const one = <T>(action: string, params: Record<string, string>) => admin.request<T>(action, { RegionId: REGION, ...params }, { method: "POST" });
  const byName = await one<Listed>("DescribeScalingGroups", { "ScalingGroupName.1": "list-4", "ScalingGroupName.2": "list-5" });
  t.strictSame(byName.ScalingGroups.ScalingGroup.map((g) => g.ScalingGroupId), [`asg-list${"4".padStart(16, "0")}`, `asg-list${"5".padStart(16, "0")}`], "filtered by name");
  const rule = await one<{ ScalingRules: { ScalingRule: { ScalingRuleName: string }[] } }>("DescribeScalingRules", { "ScalingRuleName.1": "r4", ScalingRuleType: "SimpleScalingRule" });
  t.strictSame(rule.ScalingRules.ScalingRule.map((r) => r.ScalingRuleName), ["r4"], "rules filtered by name and type");
  const configuration = await one<{ ScalingConfigurations: { ScalingConfiguration: { ScalingConfigurationName: string }[] } }>("DescribeScalingConfigurations", { "ScalingConfigurationName.1": "c5" });
  t.strictSame(configuration.ScalingConfigurations.ScalingConfiguration.map((c) => c.ScalingConfigurationName), ["c5"], "configurations filtered by name");
  const hook = await one<{ LifecycleHooks: { LifecycleHook: { LifecycleHookName: string }[] } }>("DescribeLifecycleHooks", { LifecycleHookName: "h7" });
  t.strictSame(hook.LifecycleHooks.LifecycleHook.map((h) => h.LifecycleHookName), ["h7"], "hooks filtered by name");
  const badToken = await failure(admin.request("ListTagResources", { RegionId: REGION, ResourceType: "scalinggroup", NextToken: "100000" }, { method: "POST" }));
  t.equal(badToken.code, "InvalidParameter", "a NextToken past the last tag row");
  t.equal(regionReads, 0, "no allowed list call read every group of the region");
  const refused = await failure(client(url, KEYS.t1).request("DescribeScalingGroups", { RegionId: REGION }, { method: "POST" }));
  t.equal(refused.code, "Forbidden.Unauthorized", "a caller allowed no group is refused, as before");
  t.equal(regionReads, 1, "a denial is decided group by group, to explain itself");
});

t.test("tags written before the folded columns existed are folded when the database is opened", async (t) => {
  const dbFile = join(tempDir(t), "ess.db");
  const old = await Store.open(dbFile);
  await old.groups.insert(groupRow({ id: "asg-old", regionId: REGION, name: "old", creationTime: "2030-01-01T00:00:00Z" }));
  await old.putTags("asg-old", [{ key: "Team", value: "Game", propagate: false }]);
  await old.execute("UPDATE scaling_group_tags SET context_key = '', value_lower = ''");
  await old.close();
  const store = await Store.open(dbFile);
  t.teardown(() => store.close());
  t.strictSame(await store.query("SELECT context_key, value_lower FROM scaling_group_tags"), [{ context_key: "acs:resourcetag/team", value_lower: "game" }]);
});

for (const dialect of DIALECTS) t.test(`a region's group count is backfilled when the database is upgraded, then kept by every insert, move and delete, of replicas at once too (${dialect})`, async (t) => {
  const target = await testDatabase(t, dialect, tempDir(t));
  if (target === undefined) return;
  const old = await Store.open(target);
  for (const [i, id] of ["asg-1", "asg-2", "asg-3"].entries()) {
    await old.groups.insert(groupRow({ id, regionId: i === 2 ? "cn-beijing" : REGION, name: id, creationTime: `2030-01-01T00:00:0${i}Z` }));
  }
  for (const statement of `${UNDO_SCHEMA_8[dialect]};${UNDO_SCHEMA_7[dialect]};${UNDO_SCHEMA_6[dialect]};${UNDO_SCHEMA_5[dialect]}`.split(";").filter((s) => s.trim() !== "")) await old.execute(statement);
  await old.execute(dialect === "sqlite" ? "PRAGMA user_version = 4" : "UPDATE ess_authz_schema_version SET version = 4");
  await old.close();
  const store = await Store.open(target);
  t.teardown(() => store.close());
  const counts = async () =>
    (await store.query<{ region_id: string; group_count: number }>("SELECT region_id, group_count FROM scaling_group_region_counts ORDER BY region_id")).map((r) => [r.region_id, Number(r.group_count)]);
  t.strictSame(await counts(), [["cn-beijing", 1], [REGION, 2]], "counted from the rows already there");
  const reversed = async () => (await store.query<{ id: string; id_reversed: string }>("SELECT id, id_reversed FROM scaling_groups ORDER BY id")).map((g) => [g.id, g.id_reversed]);
  t.strictSame(await reversed(), [["asg-1", "1-gsa"], ["asg-2", "2-gsa"], ["asg-3", "3-gsa"]], "ids reversed for the rows already there");
  await store.groups.insert(groupRow({ id: "asg-4", regionId: REGION, name: "asg-4", creationTime: "2030-01-01T00:00:04Z" }));
  await store.execute("UPDATE scaling_groups SET region_id = 'cn-shanghai' WHERE id = 'asg-1'");
  await store.execute("UPDATE scaling_groups SET name = 'renamed' WHERE id = 'asg-2'");
  await store.execute("DELETE FROM scaling_groups WHERE id = 'asg-3'");
  t.strictSame(await counts(), [["cn-beijing", 0], [REGION, 2], ["cn-shanghai", 1]]);
  t.strictSame(await reversed(), [["asg-1", "1-gsa"], ["asg-2", "2-gsa"], ["asg-4", "4-gsa"]], "a new group's id is reversed as it is written");
  // Writes past the Store: refused on SQLite, the id reversed by a trigger on PostgreSQL; never a stale reversed id.
  const raw = async (sql: string): Promise<string | undefined> => store.execute(sql).then(() => undefined, (e: Error) => e.message);
  const inserted = await raw("INSERT INTO scaling_groups (id, region_id, name, lifecycle_state, min_size, max_size, default_cooldown, removal_policies, vswitch_ids, multi_az_policy, health_check_type, group_deletion_protection, creation_time) VALUES ('asg-5é', 'cn-beijing', 'raw', 'Active', 0, 1, 300, '[]', '[]', 'PRIORITY', 'ECS', 0, '2030-01-01T00:00:05Z')");
  const renamed = await raw("UPDATE scaling_groups SET id = 'asg-6x' WHERE id = 'asg-4'");
  const rewritten = await raw("UPDATE scaling_groups SET id_reversed = 'x' WHERE id = 'asg-1'");
  if (dialect === "sqlite") {
    t.match([inserted, renamed, rewritten], [/id_reversed must be written/, /never changes/, /never changes/], "SQLite refuses them");
    t.strictSame(await reversed(), [["asg-1", "1-gsa"], ["asg-2", "2-gsa"], ["asg-4", "4-gsa"]]);
  } else {
    t.strictSame(await reversed(), [["asg-1", "1-gsa"], ["asg-2", "2-gsa"], ["asg-5é", "é5-gsa"], ["asg-6x", "x6-gsa"]], "PostgreSQL reverses the id itself");
    await store.execute("DELETE FROM scaling_groups WHERE id IN ('asg-5é', 'asg-6x')");
    await store.groups.insert(groupRow({ id: "asg-4", regionId: REGION, name: "asg-4", creationTime: "2030-01-01T00:00:04Z" }));
  }
  const admin = residual([policyOf([{ Effect: "Allow", Action: "*", Resource: "*" }])], "ess:DescribeScalingGroups", { region: REGION, account: ACCOUNT });
  t.strictSame(await pageGroups(store, admin, { regionId: REGION, offset: 1, limit: 5 }), { ids: ["asg-4"], total: 2 }, "a whole region's TotalCount is the counter");

  // Two replicas creating and deleting groups of one region, each write its own transaction: at once on
  // PostgreSQL, where the counter row's lock orders them; in turn on SQLite, whose write lock orders writers
  // anyway (two connections of one process at once would block the thread that must commit).
  const replica = await Store.open(target);
  t.teardown(() => replica.close());
  const writes = [
    ...Array.from({ length: 20 }, (_, i) => () =>
      (i % 2 === 0 ? store : replica).transaction((tx) =>
        tx.groups.insert(groupRow({ id: `asg-r${i}`, regionId: REGION, name: `r${i}`, creationTime: `2030-01-02T00:00:${String(i).padStart(2, "0")}Z` })),
      ),
    ),
    ...["asg-2", "asg-4"].map((id, i) => () => (i % 2 === 0 ? store : replica).execute("DELETE FROM scaling_groups WHERE id = ?", [id])),
  ];
  if (dialect === "postgres") await Promise.all(writes.map((write) => write()));
  else for (const write of writes) await write();
  t.strictSame(await counts(), [["cn-beijing", 0], [REGION, 20], ["cn-shanghai", 1]], "2 + 20 created − 2 deleted");
});

/** The service on a database of the dialect, and a store writing to it; undefined when PostgreSQL is unreachable. */
async function serveWithWriter(t: Parameters<typeof testDatabase>[0], dialect: (typeof DIALECTS)[number], options: { dir?: string; configFile?: string } = {}) {
  const dir = options.dir ?? tempDir(t);
  const database = await testDatabase(t, dialect, dir);
  if (!database) return undefined;
  const { url } = await serve(t, { ...options, dir, dbFile: database });
  const writer = await Store.open(database);
  t.teardown(() => writer.close());
  return { url, writer };
}

for (const dialect of DIALECTS) t.test(`DescribeScheduledTasks and DescribeAlarms page and count in SQL exactly as tasks were decided one by one: by their group, or on * when bound to none (${dialect})`, async (t) => {
  const dir = tempDir(t);
  // The example users, and one allowed by tag only: never on `*`, so it sees no unbound task.
  const example = JSON.parse(readFileSync(EXAMPLE_CONFIG, "utf8")) as { users: { policies?: string[] }[]; groups: { policies: string[] }[] };
  const absolute = (refs: string[] | undefined) => refs?.map((ref) => join(dirname(EXAMPLE_CONFIG), ref));
  const byTag = join(dir, "by-tag.json");
  writeFileSync(byTag, JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:Describe*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/team": "game1" } } }] }));
  const configFile = join(dir, "config.json");
  const config = {
    ...example,
    users: [...example.users.map((u) => ({ ...u, ...(u.policies ? { policies: absolute(u.policies) } : {}) })), { name: "by-tag", accessKeyId: BY_TAG[0], accessKeySecret: BY_TAG[1], policies: [byTag] }],
    groups: example.groups.map((g) => ({ ...g, policies: absolute(g.policies) })),
  };
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  const served = await serveWithWriter(t, dialect, { dir, configFile });
  if (!served) return;
  const { url, writer } = served;
  await writer.transaction(async (writer) => {
    for (let i = 0; i < 24; i++) {
      const id = `asg-task${String(i).padStart(16, "0")}`;
      await writer.groups.insert(groupRow({ id, regionId: REGION, name: `task-group-${i}`, creationTime: `2030-01-01T00:00:${String(i).padStart(2, "0")}Z` }));
      await writer.putTags(id, TAGS[i % TAGS.length]!.map(([key, value]) => ({ key, value, propagate: false })));
    }
    for (let i = 0; i < 60; i++) {
      // Every third task bound to no group; two tasks share each second, in an order unlike their groups'.
      const groupId = i % 3 === 0 ? undefined : `asg-task${String((i * 7) % 24).padStart(16, "0")}`;
      const row = { regionId: i % 10 === 9 ? "cn-beijing" : REGION, creationTime: `2031-01-01T00:00:${String(29 - Math.floor(i / 2)).padStart(2, "0")}Z`, ...(groupId ? { groupId } : {}) };
      const id = `${i % 2 === 0 ? "t-b" : "ta"}${String(i).padStart(3, "0")}`;
      if (groupId && row.regionId !== REGION) continue;
      await writer.scheduledTasks.insert({ id, name: `task-${i}`, launchTime: "2031-02-01T00:00Z", taskEnabled: i % 4 !== 0, ...row });
      await writer.alarms.insert({
        id: `alarm-${id}`, name: `alarm-${i}`, metricType: "system", metricName: "CpuUtilization", period: 300, statistics: "Average", comparisonOperator: ">=",
        threshold: 80, evaluationCount: 3, alarmActions: [], enable: i % 4 !== 0, state: i % 5 === 0 ? "ALARM" : "OK", ...row,
      });
    }
  });
  const groups = await writer.groups.where({ regionId: REGION });
  const decide = (input: EvaluationInput, action: string, resource: string, tags: readonly TagRow[], resourceGroupId?: string): boolean =>
    evaluate(input, makeContext({ action, resource, resourceTags: tags.map((tag) => [tag.key, tag.value] as const), ...(resourceGroupId ? { resourceGroupId } : {}) })).decision === "Allow";
  const inCodePointOrder = <R extends { creationTime: string; id: string }>(rows: R[]): R[] =>
    [...rows].sort((a, b) => (a.creationTime === b.creationTime ? (a.id < b.id ? -1 : 1) : a.creationTime < b.creationTime ? -1 : 1));
  // Counts the whole-region reads of the task tables the in-memory decision made.
  const where = Table.prototype.where;
  let taskTableReads = 0;
  Table.prototype.where = function (this: Table<{ id: string }>, filter) {
    if (["scheduled_tasks", "alarms"].includes((this as unknown as { name: string }).name)) taskTableReads++;
    return where.call(this, filter);
  };
  t.teardown(() => {
    Table.prototype.where = where;
  });
  const cases = [
    ["DescribeScheduledTasks", writer.scheduledTasks, {}, () => true, (r: Record<string, unknown>) => (r.ScheduledTasks as { ScheduledTask: { ScheduledTaskId: string }[] }).ScheduledTask.map((task) => task.ScheduledTaskId)],
    ["DescribeScheduledTasks", writer.scheduledTasks, { TaskEnabled: "false" }, (row: ScheduledTaskRow) => !row.taskEnabled, (r: Record<string, unknown>) => (r.ScheduledTasks as { ScheduledTask: { ScheduledTaskId: string }[] }).ScheduledTask.map((task) => task.ScheduledTaskId)],
    ["DescribeAlarms", writer.alarms, {}, () => true, (r: Record<string, unknown>) => (r.AlarmList as { Alarm: { AlarmTaskId: string }[] }).Alarm.map((alarm) => alarm.AlarmTaskId)],
    ["DescribeAlarms", writer.alarms, { State: "ALARM", IsEnable: "true" }, (row: AlarmRow) => row.state === "ALARM" && row.enable, (r: Record<string, unknown>) => (r.AlarmList as { Alarm: { AlarmTaskId: string }[] }).Alarm.map((alarm) => alarm.AlarmTaskId)],
  ] as const;
  let unboundSeen = 0;
  let unboundHidden = 0;
  for (const [name, key, input] of [...USERS, ["by-tag", BY_TAG, { identity: [{ policy: loadPolicy(readFileSync(byTag, "utf8"), { name: "by-tag.json" }) }] }]] as const) {
    const api = client(url, key);
    for (const [action, table, filters, keep, idsOf] of cases) {
      const onStar = decide(input, `ess:${action}`, "*", []);
      const allowed = new Set<string>();
      for (const g of groups) if (decide(input, `ess:${action}`, `acs:ess:${REGION}:${ACCOUNT}:scalinggroup/${g.id}`, await writer.tags(g.id), g.resourceGroupId)) allowed.add(g.id);
      const rows = inCodePointOrder(await (table as Table<ScheduledTaskRow | AlarmRow>).where({ regionId: REGION }));
      const want = rows.filter((row) => (keep as (row: ScheduledTaskRow | AlarmRow) => boolean)(row) && (row.groupId === undefined ? onStar : allowed.has(row.groupId))).map((row) => row.id);
      if (onStar) unboundSeen++;
      else unboundHidden++;
      const readsBefore = taskTableReads;
      const got: string[] = [];
      let total = -1;
      for (let page = 1; page <= Math.max(1, Math.ceil(want.length / 4)); page++) {
        const r = await api.request<Record<string, unknown>>(action, { RegionId: REGION, PageSize: 4, PageNumber: page, ...filters }, { method: "POST" });
        total = r.TotalCount as number;
        got.push(...idsOf(r));
      }
      t.strictSame([got, total], [want, want.length], `${name}: ${action} ${JSON.stringify(filters)}, every page and TotalCount`);
      t.equal(taskTableReads, readsBefore, `${name}: ${action} read no whole region of tasks`);
    }
  }
  t.ok(unboundSeen > 0 && unboundHidden > 0, `unbound tasks both listed (${unboundSeen}) and left out (${unboundHidden})`);
});

for (const dialect of DIALECTS) t.test(`calls naming children by id read those rows, not every row of the region, and list the allowed ones in order (${dialect})`, async (t) => {
  const served = await serveWithWriter(t, dialect);
  if (!served) return;
  const { url, writer } = served;
  const owners = [GROUP1, GROUP2, GROUP3, undefined];
  await writer.transaction(async (writer) => {
    for (let i = 0; i < 16; i++) {
      const groupId = owners[i % owners.length];
      // Newest first, so the order listed is the rows' own, not the order ids are named in.
      const row = { regionId: REGION, name: `named-${i}`, creationTime: `2031-01-01T00:00:${String(40 - i).padStart(2, "0")}Z` };
      const id = String(i).padStart(3, "0");
      await writer.scheduledTasks.insert({ ...row, id: `task-${id}`, launchTime: "2031-02-01T00:00Z", taskEnabled: true, ...(groupId ? { groupId } : {}) });
      if (!groupId) continue;
      await writer.rules.insert({ ...row, id: `asr-named${id}`, ari: `ari:acs:ess:${REGION}:${ACCOUNT}:scalingrule/asr-named${id}`, groupId, ruleType: "SimpleScalingRule" });
      await writer.configurations.insert({ ...row, id: `asc-named${id}`, groupId, instanceTypes: ["ecs.g6.large"], securityGroupIds: [] });
      await writer.lifecycleHooks.insert({ ...row, id: `ash-named${id}`, groupId, lifecycleTransition: "SCALE_OUT", defaultResult: "CONTINUE", heartbeatTimeout: 600 });
    }
  });
  const where = Table.prototype.where;
  let regionReads = 0;
  Table.prototype.where = function (this: Table<{ id: string }>, filter) {
    if ((filter as { regionId?: string }).regionId !== undefined) regionReads++;
    return where.call(this, filter);
  };
  t.teardown(() => {
    Table.prototype.where = where;
  });
  const list = <R extends { id: string; groupId?: string; creationTime: string }>(rows: R[]) => rows.filter((row) => row.id.includes("named") || row.id.startsWith("task-"));
  const kinds = [
    ["DescribeScheduledTasks", "ScheduledTaskId", list(await writer.scheduledTasks.where({ regionId: REGION })), (r: Record<string, unknown>) => (r.ScheduledTasks as { ScheduledTask: { ScheduledTaskId: string }[] }).ScheduledTask.map((x) => x.ScheduledTaskId)],
    ["DescribeScalingRules", "ScalingRuleId", list(await writer.rules.where({ regionId: REGION })), (r: Record<string, unknown>) => (r.ScalingRules as { ScalingRule: { ScalingRuleId: string }[] }).ScalingRule.map((x) => x.ScalingRuleId)],
    ["DescribeScalingConfigurations", "ScalingConfigurationId", list(await writer.configurations.where({ regionId: REGION })), (r: Record<string, unknown>) => (r.ScalingConfigurations as { ScalingConfiguration: { ScalingConfigurationId: string }[] }).ScalingConfiguration.map((x) => x.ScalingConfigurationId)],
    ["DescribeLifecycleHooks", "LifecycleHookId", list(await writer.lifecycleHooks.where({ regionId: REGION })), (r: Record<string, unknown>) => (r.LifecycleHooks as { LifecycleHook: { LifecycleHookId: string }[] }).LifecycleHook.map((x) => x.LifecycleHookId)],
  ] as const;
  const tagsOf = new Map(await Promise.all([GROUP1, GROUP2, GROUP3].map(async (g) => [g, await writer.tags(g)] as const)));
  for (const [name, key, input] of USERS) {
    const api = client(url, key);
    for (const [action, param, rows, idsOf] of kinds) {
      // Two rows of every three, named last first: the order listed is the rows' own.
      const named = rows.filter((_, i) => i % 3 !== 1).map((row) => row.id).reverse();
      const decide = (resource: string, tags: readonly TagRow[]) =>
        evaluate(input, makeContext({ action: `ess:${action}`, resource, resourceTags: tags.map((tag) => [tag.key, tag.value] as const) })).decision === "Allow";
      const want = rows
        .filter((row) => named.includes(row.id) && (row.groupId === undefined ? decide("*", []) : decide(`acs:ess:${REGION}:${ACCOUNT}:scalinggroup/${row.groupId}`, tagsOf.get(row.groupId)!)))
        .sort((a, b) => (a.creationTime === b.creationTime ? (a.id < b.id ? -1 : 1) : a.creationTime < b.creationTime ? -1 : 1))
        .map((row) => row.id);
      const before = regionReads;
      const params = Object.fromEntries(named.map((id, i) => [`${param}.${i + 1}`, id]));
      const r = await api.request<Record<string, unknown>>(action, { RegionId: REGION, PageSize: 50, ...params }, { method: "POST" });
      t.strictSame([idsOf(r), r.TotalCount], [want, want.length], `${name}: ${action} naming ${named.length} ids`);
      t.equal(regionReads, before, `${name}: ${action} read only the named rows`);
    }
  }
});

t.test("a count of groups an ARN pattern bounds visits the ids it names, sought in the id indexes, not the region (sqlite)", async (t) => {
  const store = await Store.open(":memory:");
  t.teardown(() => store.close());
  await store.transaction(async (tx) => {
    for (let i = 0; i < 2000; i++) {
      const id = `asg-${String(i).padStart(8, "0")}`;
      await tx.groups.insert(groupRow({ id, regionId: REGION, name: id, creationTime: `2030-01-01T00:00:00.${String(i).padStart(4, "0")}Z` }));
      await tx.putTags(id, [{ key: "Team", value: i % 2 === 0 ? "game1" : "ops" }].map((tag) => ({ ...tag, propagate: false })));
    }
  });
  await store.execute("ANALYZE");
  const queries: { sql: string; params: readonly unknown[] }[] = [];
  const query = store.query.bind(store);
  store.query = (<T>(sql: string, params: readonly unknown[] = []) => {
    queries.push({ sql, params });
    return query<T>(sql, params);
  }) as Store["query"];
  // Each principal, and the index its count must seek: the suffix's reversed ids; the Deny's and the odd ids.
  const principals = {
    "an id suffix": [{ Effect: "Allow", Action: "ess:Describe*", Resource: `acs:ess:${REGION}:${ACCOUNT}:scalinggroup/asg-*7` }],
    "every id less a Deny's prefix, in any case": [
      { Effect: "Allow", Action: "ess:*", Resource: `acs:ess:${REGION}:*:scalinggroup/asg-00*` },
      { Effect: "Allow", Action: "ess:Describe*", Resource: "*", Condition: { StringLike: { "acs:ResourceTag/Team": "game*" } } },
      { Effect: "Deny", Action: "ess:*", Resource: `acs:ess:${REGION}:*:scalinggroup/ASG-0000001*` },
    ],
  };
  for (const [name, statements] of Object.entries(principals)) {
    const r = residual([policyOf(statements)], "ess:DescribeScalingGroups", { region: REGION, account: ACCOUNT });
    const groups = await store.groups.where({ regionId: REGION });
    const expected = [];
    for (const g of groups) if (r.matches({ scalingGroupId: g.id, tags: (await store.tags(g.id)).map((tag) => [tag.key, tag.value] as const) })) expected.push(g.id);
    queries.length = 0;
    t.strictSame(await pageGroups(store, r, { regionId: REGION, offset: 0, limit: 10 }), { ids: expected.slice(0, 10), total: expected.length }, `${name}: page and count`);
    const counts = queries.filter((q) => /^SELECT COUNT\(\*\) AS n FROM scaling_groups g /.test(q.sql));
    t.ok(counts.length > 0, `${name}: counted`);
    for (const q of counts) {
      const plan = (await query<{ detail: string }>(`EXPLAIN QUERY PLAN ${q.sql}`, q.params)).map((p) => p.detail);
      const reads = plan.filter((line) => /\b(SCAN|SEARCH) g\b/.test(line));
      const sought = name === "an id suffix" ? /^SEARCH g USING COVERING INDEX scaling_groups_region_id_reversed \(region_id=\? AND id_reversed>\? AND id_reversed<\?\)$/ : /^SEARCH g USING COVERING INDEX (scaling_groups_region_id \(region_id=\? AND id[<>]\?|scaling_groups_odd_ids \(region_id=\?\))/;
      t.ok(reads.length > 0 && reads.every((line) => sought.test(line)), `${name}: each read of the count seeks an id index: ${plan.join(" / ")}`);
    }
  }
});
