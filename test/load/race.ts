/**
 * Race test (issue #6; not part of CI): `npx tsx test/load/race.ts [--seconds 20] [--groups 4] [--clients 24]`
 *
 * Concurrent TagResources / UntagResources (the admin) and DeleteScalingGroup / TagResources (alice, whose
 * policy — T3 — allows `ess:*` only on groups tagged environment=test and team=game1) on the same few groups.
 *
 * Isolation (documented in SECURITY.md): a mutating call executes in a transaction that holds the locks on what
 * its decision read, after checking it is unchanged, and logs `executing` there (src/service/server.ts); in SQLite
 * that lock is the database's, so those lines are the serial order of execution. The check replays them with the
 * tag writes that were acknowledged and asserts that every alice request that executed was allowed by the tags of
 * that moment — no request committed against tags that were not there — and that the final database agrees with
 * the replay (deleted groups are gone with their tags, the others carry the replayed tags).
 */
import Database from "better-sqlite3";
import { ADMIN, ALICE, argOf, call, startService, tempDb } from "./common.js";

const seconds = argOf("seconds", 20);
const groupCount = argOf("groups", 8);
const clients = argOf("clients", 24);
const HZ = { RegionId: "cn-hangzhou" };

const dbFile = tempDb();
const service = await startService(dbFile);

const groups: string[] = [];
for (let i = 0; i < groupCount; i++) {
  const a = await call(service.url, ADMIN, { Action: "CreateScalingGroup", ...HZ, MinSize: "0", MaxSize: "1", "Tag.1.Key": "environment", "Tag.1.Value": "test", "Tag.2.Key": "team", "Tag.2.Value": "game1" }, "POST");
  groups.push(String(a.body["ScalingGroupId"]));
}

interface Sent {
  who: "admin" | "alice";
  op: "Tag" | "Untag" | "Delete" | "AliceTag";
  group: string;
  value?: string;
  status: number;
}
const sent = new Map<string, Sent>();
const deadline = Date.now() + seconds * 1000;

async function worker(n: number): Promise<void> {
  for (let i = 0; Date.now() < deadline; i++) {
    const group = groups[(i * 31 + n * 17) % groups.length]!;
    const roll = (i * 7 + n * 13) % 10;
    let r: Sent;
    let a;
    if (roll < 4) {
      const value = ["test", "dev", "prod"][(i + n) % 3]!;
      a = await call(service.url, ADMIN, { Action: "TagResources", ...HZ, ResourceType: "scalinggroup", "ResourceId.1": group, "Tag.1.Key": "environment", "Tag.1.Value": value }, "POST");
      r = { who: "admin", op: "Tag", group, value, status: a.status };
    } else if (roll < 5) {
      a = await call(service.url, ADMIN, { Action: "UntagResources", ...HZ, ResourceType: "scalinggroup", "ResourceId.1": group, "TagKey.1": "environment" }, "POST");
      r = { who: "admin", op: "Untag", group, status: a.status };
    } else if (roll < 6) {
      a = await call(service.url, ALICE, { Action: "DeleteScalingGroup", ...HZ, ScalingGroupId: group }, "POST");
      r = { who: "alice", op: "Delete", group, status: a.status };
    } else {
      a = await call(service.url, ALICE, { Action: "TagResources", ...HZ, ResourceType: "scalinggroup", "ResourceId.1": group, "Tag.1.Key": "touched", "Tag.1.Value": `${n}-${i}` }, "POST");
      r = { who: "alice", op: "AliceTag", group, value: `${n}-${i}`, status: a.status };
    }
    sent.set(String(a.body["RequestId"]), r);
  }
}

await Promise.all(Array.from({ length: clients }, (_, n) => worker(n)));
service.child.kill("SIGTERM");
await service.exited;

// replay the serial order of execution
const state = new Map(groups.map((g) => [g, new Map([["environment", "test"], ["team", "game1"]]) as Map<string, string> | undefined]));
const violations: string[] = [];
const counts = new Map<string, number>();
const count = (k: string): void => void counts.set(k, (counts.get(k) ?? 0) + 1);
for (const line of service.logs) {
  if (line["msg"] === "authorization decision") {
    const r = sent.get(String(line["requestId"]));
    if (r) count(`${r.who} ${r.op} ${String(line["decision"])} → ${r.status}`);
  }
  if (line["msg"] !== "executing") continue;
  const r = sent.get(String(line["requestId"]));
  if (!r) continue;
  const tags = state.get(r.group);
  // T3: Allow needs environment=test and team=game1 on the group as it is now; nothing else allows alice
  if (r.who === "alice" && !(tags && tags.get("environment") === "test" && tags.get("team") === "game1")) {
    violations.push(`${r.op} ${r.group}: executed, tags then ${JSON.stringify(tags ? [...tags] : "deleted")}`);
  }
  if (r.status !== 200) continue;
  if (r.op === "Delete") state.set(r.group, undefined);
  else if (tags && r.op === "Tag") tags.set("environment", r.value!);
  else if (tags && r.op === "Untag") tags.delete("environment");
  else if (tags && r.op === "AliceTag") tags.set("touched", r.value!);
}
const unlogged = [...sent.keys()].filter((id) => !service.logs.some((l) => l["requestId"] === id)).length;

// the database agrees with the replay
const db = new Database(dbFile, { readonly: true });
const integrity = db.pragma("integrity_check", { simple: true });
for (const g of groups) {
  const exists = db.prepare("SELECT 1 FROM scaling_groups WHERE id = ?").get(g) !== undefined;
  const rows = db.prepare("SELECT key, value FROM scaling_group_tags WHERE group_id = ?").all(g) as { key: string; value: string }[];
  const expected = state.get(g);
  if (!expected) {
    if (exists || rows.length > 0) violations.push(`${g}: deleted by an acknowledged request, still in the database (${rows.length} tag rows)`);
  } else {
    const actual = JSON.stringify(rows.map((r) => [r.key, r.value]).sort());
    const wanted = JSON.stringify([...expected].sort());
    if (!exists || actual !== wanted) violations.push(`${g}: database ${actual}, replay ${wanted}`);
  }
}
const orphans = (db.prepare("SELECT count(*) AS n FROM scaling_group_tags WHERE group_id NOT IN (SELECT id FROM scaling_groups)").get() as { n: number }).n;
db.close();

console.log([...counts].sort().map(([k, n]) => `  ${k}: ${n}`).join("\n"));
console.log(`race: ${sent.size} requests on ${groups.length} groups in ${seconds} s; ${unlogged} without a decision line (rejected before authorization); violations ${violations.length}; orphan tag rows ${orphans}; integrity_check ${String(integrity)}`);
for (const v of violations.slice(0, 10)) console.log(`  VIOLATION ${v}`);
process.exitCode = violations.length === 0 && orphans === 0 && integrity === "ok" ? 0 : 1;
