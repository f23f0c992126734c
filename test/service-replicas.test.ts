/**
 * Replicas of the reference service on one database (issue #16): they share groups, tags and nonces, and
 * authorization and commit are atomic across them — a DeleteScalingGroup allowed only by a tag never commits on
 * a group whose committed tags no longer carry it, whatever an UntagResources on the other replica does.
 * PostgreSQL tests use a schema of their own (test/helpers/servers.ts); SQLite replicas share one file.
 */
import { randomUUID } from "node:crypto";
import t, { type Test } from "tap";
import type { RunningService } from "../src/service/server.js";
import { runDecodeDiagnostic } from "../src/cli/decode-diagnostic.js";
import { serveProcess, servingReplica } from "./helpers/serve-process.js";
import { testPostgres } from "./helpers/servers.js";
import { ACCOUNT, client, DIALECTS, EXAMPLE_CONFIG, EXAMPLE_SEED, failure, KEYS, sendV1, serve, tempDir, testDatabase, writeConfig, type Dialect } from "./helpers/service.js";

const HZ = { RegionId: "cn-hangzhou" };
const DELETER = ["AKIDDELETER001", "s3cr3t-deleter"] as const;

/** The admin, and a user who may delete a scaling group, or its scheduled tasks, only while it carries `deletable=yes`. */
function raceConfig(dir: string): string {
  writeConfig(
    dir,
    { Version: "1", Statement: [{ Effect: "Allow", Action: ["ess:DeleteScalingGroup", "ess:DeleteScheduledTask"], Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/deletable": "yes" } } }] },
    "delete-if-deletable.json",
  );
  writeConfig(dir, { Version: "1", Statement: [{ Effect: "Allow", Action: "ess:*", Resource: "*" }] }, "admin.json");
  return writeConfig(dir, {
    account: ACCOUNT,
    users: [
      { name: "admin", accessKeyId: KEYS.admin[0], accessKeySecret: KEYS.admin[1], policies: ["admin.json"] },
      { name: "deleter", accessKeyId: DELETER[0], accessKeySecret: DELETER[1], policies: ["delete-if-deletable.json"] },
    ],
  });
}

/** Two replicas of one service on one database of the dialect; undefined when PostgreSQL is unreachable. */
async function replicas(t: Test, dialect: Dialect): Promise<[RunningService, RunningService] | undefined> {
  const dir = tempDir(t);
  const database = await testDatabase(t, dialect, dir);
  if (!database) return undefined;
  const configFile = raceConfig(dir);
  const a = await serve(t, { dir, dbFile: database, configFile, seed: false });
  const b = await serve(t, { dir, dbFile: database, configFile, seed: false });
  return [a.service, b.service];
}

async function deletableGroup(url: string): Promise<string> {
  const { ScalingGroupId } = await client(url, KEYS.admin).request<{ ScalingGroupId: string }>("CreateScalingGroup", {
    ...HZ,
    MinSize: 0,
    MaxSize: 1,
    Tag: [{ Key: "deletable", Value: "yes" }],
  });
  return ScalingGroupId;
}

const untag = (url: string, groupId: string) =>
  client(url, KEYS.admin).request("UntagResources", { ...HZ, ResourceType: "scalinggroup", ResourceId: [groupId], TagKey: ["deletable"] });
const remove = (url: string, groupId: string) => client(url, DELETER).request("DeleteScalingGroup", { ...HZ, ScalingGroupId: groupId });

for (const dialect of DIALECTS) {
  t.test(`a tag removed by the other replica between decision and commit: nothing is deleted, 409 OperationConflict (${dialect})`, async (t) => {
    const pair = await replicas(t, dialect);
    if (!pair) return;
    const [a, b] = pair;
    const groupId = await deletableGroup(b.url);
    // The decision on A reads the group, tagged; before A commits, B removes the tag.
    const read = a.store.getGroup.bind(a.store);
    let untagged = false;
    a.store.getGroup = async (id, region) => {
      const info = await read(id, region);
      if (id === groupId && !untagged) {
        untagged = true;
        await untag(b.url, groupId);
      }
      return info;
    };
    const conflict = await failure(remove(a.url, groupId));
    t.ok(untagged, "the tag was removed after the decision read it");
    t.equal(conflict.code, "OperationConflict", conflict.data.Message);
    t.ok(await b.store.groups.get(groupId), "the group was not deleted");
    t.same(await b.store.tags(groupId), [], "and its tag is gone");
    const again = await failure(remove(a.url, groupId));
    t.equal(again.code, "Forbidden.Unauthorized", "the retry is decided on the committed tags");
    t.ok(await b.store.groups.get(groupId), "still there");
  });

  t.test(`a task moved to another group by the other replica between decision and commit is not deleted (${dialect})`, async (t) => {
    const pair = await replicas(t, dialect);
    if (!pair) return;
    const [a, b] = pair;
    const [tagged, untagged] = [await deletableGroup(b.url), await deletableGroup(b.url)];
    await untag(b.url, untagged);
    const admin = client(b.url, KEYS.admin);
    const { ScheduledTaskId } = await admin.request<{ ScheduledTaskId: string }>("CreateScheduledTask", { ...HZ, ScalingGroupId: tagged, LaunchTime: "2030-01-01T00:00Z" });
    // The decision on A resolves the task to the tagged group; before A commits, B moves it to the other one.
    const resolve = a.store.resolve.bind(a.store);
    let moved = false;
    a.store.resolve = async (kind, id, region) => {
      const resolution = await resolve(kind, id, region);
      if (id === ScheduledTaskId && !moved) {
        moved = true;
        await admin.request("ModifyScheduledTask", { ...HZ, ScheduledTaskId, ScalingGroupId: untagged });
      }
      return resolution;
    };
    const conflict = await failure(client(a.url, DELETER).request("DeleteScheduledTask", { ...HZ, ScheduledTaskId }));
    t.ok(moved, "the task was moved after the decision resolved it");
    t.equal(conflict.code, "OperationConflict");
    t.equal((await b.store.scheduledTasks.get(ScheduledTaskId))?.groupId, untagged, "the task is there, in the group it was moved to");
    const again = await failure(client(a.url, DELETER).request("DeleteScheduledTask", { ...HZ, ScheduledTaskId }));
    t.equal(again.code, "Forbidden.Unauthorized", "the retry is decided on the task's committed group");
  });

  t.test(`UntagResources on one replica races DeleteScalingGroup on the other: never both (${dialect})`, async (t) => {
    const pair = await replicas(t, dialect);
    if (!pair) return;
    const [a, b] = pair;
    const outcomes = new Map<string, number>();
    const ROUNDS = 40;
    for (let round = 0; round < ROUNDS; round++) {
      const groupId = await deletableGroup(a.url);
      const settle = (p: Promise<unknown>): Promise<string> =>
        p.then(
          () => "ok",
          (e: { code?: string }) => e.code ?? String(e),
        );
      const [untagged, deleted] = await Promise.all([settle(untag(b.url, groupId)), settle(remove(a.url, groupId))]);
      const key = `untag ${untagged} / delete ${deleted}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      // A delete that committed was serialised before the untag, which then must not have committed either.
      if (untagged === "ok" && deleted === "ok") t.fail(`round ${round}: both committed (${groupId})`);
      const group = await a.store.groups.get(groupId);
      if (deleted === "ok") {
        if (group) t.fail(`round ${round}: the delete answered OK but the group is there`);
      } else {
        if (!["Forbidden.Unauthorized", "OperationConflict"].includes(deleted)) t.fail(`round ${round}: delete answered ${deleted}`);
        if (!group) t.fail(`round ${round}: the delete was refused but the group is gone`);
        if (untagged === "ok" && (await a.store.tags(groupId)).length > 0) t.fail(`round ${round}: the untag answered OK but the tag is there`);
      }
    }
    t.comment(`outcomes over ${ROUNDS} rounds: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    t.equal([...outcomes.values()].reduce((x, y) => x + y, 0), ROUNDS, "every round was checked");
  });
}

t.test("two serve processes on one PostgreSQL schema share groups, tags and nonces", async (t) => {
  const pg = await testPostgres(t);
  if (!pg) return;
  // The example explicitly: with --db alone, serve would want a configuration pushed to the database.
  const args = ["--port", "0", "--watch-interval", "0", "--db", pg.url, "--config", EXAMPLE_CONFIG, "--seed", EXAMPLE_SEED];
  const [a, urlA] = await servingReplica(t, tempDir(t), args);
  const [b, urlB] = await servingReplica(t, tempDir(t), args);
  const viaA = client(urlA, KEYS.admin);
  const viaB = client(urlB, KEYS.admin);

  const seeded = await viaB.request<{ TotalCount: number }>("DescribeScalingGroups", HZ);
  t.equal(seeded.TotalCount, 3, "the example's groups, seeded once by both replicas");
  const { ScalingGroupId } = await viaA.request<{ ScalingGroupId: string }>("CreateScalingGroup", { ...HZ, MinSize: 0, MaxSize: 2, Tag: [{ Key: "team", Value: "game1" }] });
  type Described = { ScalingGroups: { ScalingGroup: { Tags: { Tag: { Key: string; Value: string }[] } }[] } };
  const onB = await viaB.request<Described>("DescribeScalingGroups", { ...HZ, ScalingGroupId: [ScalingGroupId] });
  t.match(onB.ScalingGroups.ScalingGroup, [{ Tags: { Tag: [{ Key: "team", Value: "game1" }] } }], "created on A, with its tag, seen on B");
  await viaB.request("UntagResources", { ...HZ, ResourceType: "scalinggroup", ResourceId: [ScalingGroupId], TagKey: ["team"] });
  const onA = await viaA.request<Described>("DescribeScalingGroups", { ...HZ, ScalingGroupId: [ScalingGroupId] });
  t.same(onA.ScalingGroups.ScalingGroup[0]?.Tags.Tag ?? [], [], "untagged on B, seen on A");
  const { rows } = await pg.pool.query(`SELECT count(*)::int AS n FROM ${pg.schema}.scaling_groups`);
  t.equal(rows[0].n, 4, "in the test's schema");

  const nonce = randomUUID();
  const describe = { Action: "DescribeRegions", ...HZ };
  t.equal((await sendV1(urlA, { key: KEYS.admin, params: describe, nonce })).status, 200, "accepted by A");
  const replay = await sendV1(urlB, { key: KEYS.admin, params: describe, nonce });
  t.equal(replay.body["Code"], "SignatureNonceUsed", "replayed to B: refused, the nonce is in the shared database");

  for (const served of [a, b]) {
    served.child.kill("SIGTERM");
    t.equal(await served.exit, 0, "stops cleanly, closing its pool");
  }
});

t.test("a wrong --db URL, or one whose schema does not exist, is a usage error that names it, password hidden", async (t) => {
  const served = serveProcess(t, tempDir(t), ["--port", "0", "--db", "postgres://u:hunter2@127.0.0.1:5432"]);
  t.equal(await served.exit, 2);
  t.match(served.stderr(), /--db postgres:\/\/u:\*\*\*@127\.0\.0\.1:5432\/?: no database name/);
  t.notMatch(served.stderr(), /hunter2/);
  const noSchema = serveProcess(t, tempDir(t), ["--port", "0", "--db", `postgres://postgres@127.0.0.1:5432/test?options=${encodeURIComponent("-c search_path=ess_authz_no_such_schema")}`]);
  t.equal(await noSchema.exit, 2);
  t.match(noSchema.stderr(), /search path names no schema that exists/);
});

t.test("a denial sealed by a PostgreSQL service is decoded with --state postgres://…, the key its replicas share", async (t) => {
  const dir = tempDir(t);
  const database = await testDatabase(t, "postgres", dir);
  if (!database) return;
  const configFile = raceConfig(dir);
  const { service: a } = await serve(t, { dir, dbFile: database, configFile, seed: false });
  const { service: b } = await serve(t, { dir, dbFile: database, configFile, seed: false });
  const groupId = await deletableGroup(a.url);
  await untag(a.url, groupId);
  const denied = await failure(remove(b.url, groupId));
  const message = denied.data.AccessDeniedDetail!["EncodedDiagnosticMessage"]!;
  t.match(message, /^EDM1S\./, "sealed");
  let out = "";
  const io = { cwd: tempDir(t), stdout: (s: string) => void (out += s), stderr: () => {} };
  t.equal(await runDecodeDiagnostic(io, message, { state: database, json: true }), 0);
  t.match(JSON.parse(out), { decision: "ImplicitDeny", action: "ess:DeleteScalingGroup", requestId: denied.data.RequestId });
  const empty = await testDatabase(t, "postgres", tempDir(t));
  await t.rejects(runDecodeDiagnostic(io, message, { state: empty! }), /no diagnostic key for the database postgres:.*(not created one yet|service_secrets)/, "a database no service has run on");
});

t.test("--db-pool N: a replica opens no more than N connections to PostgreSQL, however many requests wait", async (t) => {
  const pg = await testPostgres(t);
  if (!pg) return;
  const name = `ess_authz_pool_${randomUUID().slice(0, 8)}`;
  const args = ["--port", "0", "--watch-interval", "0", "--db", `${pg.url}&application_name=${name}`, "--config", EXAMPLE_CONFIG, "--seed", EXAMPLE_SEED];
  const connections = async (): Promise<number> =>
    (await pg.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [name])).rows[0]!.n;
  const [, url] = await servingReplica(t, tempDir(t), [...args, "--db-pool", "2"]);
  const via = client(url, KEYS.admin);
  // Every call waits on the database for its nonce and its groups: 40 at once would take 10 connections by default.
  const answers = await Promise.all(Array.from({ length: 40 }, () => via.request<{ TotalCount: number }>("DescribeScalingGroups", HZ)));
  t.ok(answers.every((a) => a.TotalCount === 3), "every call answered");
  const opened = await connections();
  t.ok(opened >= 1 && opened <= 2, `${opened} connections (idle ones are kept, so this is every one the pool opened)`);

  const refused = serveProcess(t, tempDir(t), [...args, "--db-pool", "0"]);
  t.equal(await refused.exit, 2);
  t.match(refused.stderr(), /--db-pool 0: expected a whole number from 1 to 1000/);
});
