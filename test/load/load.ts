/**
 * Load test (issue #6; not part of CI): `npx tsx test/load/load.ts [--seconds 60] [--connections 64]`
 *
 * The reference service in a child process on 127.0.0.1; `connections` concurrent clients send signed, mixed
 * reads and writes for `seconds`. Reports throughput and latency percentiles; fails on any unexpected status
 * (every 5xx is unexpected), and checks afterwards — service stopped, database opened directly — that every
 * acknowledged write is present (created groups exist unless we deleted them, acknowledged tags are on their
 * groups) and that `PRAGMA integrity_check` passes.
 */
import Database from "better-sqlite3";
import { ALICE, ADMIN, GROUP1, GROUP2, argOf, call, percentile, startService, tempDb, type Answer } from "./common.js";

const seconds = argOf("seconds", 60);
const connections = argOf("connections", 64);
const HZ = { RegionId: "cn-hangzhou" };

interface Ack {
  created: Set<string>;
  deleted: Set<string>;
  /** group → key → value, as last acknowledged. */
  tags: Map<string, Map<string, string>>;
}

const dbFile = tempDb();
const service = await startService(dbFile);
console.log(`load: ${connections} connections × ${seconds} s against ${service.url} (db ${dbFile})`);

const ack: Ack = { created: new Set(), deleted: new Set(), tags: new Map() };
const latencies: number[] = [];
const statuses = new Map<string, number>();
const unexpected: string[] = [];
const deadline = Date.now() + seconds * 1000;
const live: string[] = []; // groups we created and have not deleted

/** Each group is written by one client only, so acknowledgements are unambiguous. */
async function client(n: number): Promise<void> {
  const mine: string[] = [];
  let i = 0;
  while (Date.now() < deadline) {
    i++;
    const roll = (i * 7919 + n * 104729) % 100;
    let op: string;
    let a: Answer;
    let expected: number[] = [200];
    if (roll < 25) {
      op = "CreateScalingGroup";
      a = await call(service.url, ADMIN, { Action: op, ...HZ, MinSize: "0", MaxSize: "2", ScalingGroupName: `load-${n}-${i}` }, "POST");
      if (a.status === 200) {
        const id = String(a.body["ScalingGroupId"]);
        ack.created.add(id);
        mine.push(id);
        live.push(id);
      }
    } else if (roll < 40 && mine.length > 0) {
      op = "TagResources";
      const id = mine[i % mine.length]!;
      const key = `k${i % 5}`;
      const value = `v${i}`;
      a = await call(service.url, ADMIN, { Action: op, ...HZ, ResourceType: "scalinggroup", "ResourceId.1": id, "Tag.1.Key": key, "Tag.1.Value": value }, "POST");
      if (a.status === 200) {
        if (!ack.tags.has(id)) ack.tags.set(id, new Map());
        ack.tags.get(id)!.set(key, value);
      }
    } else if (roll < 45 && mine.length > 4) {
      op = "DeleteScalingGroup";
      const id = mine.shift()!;
      a = await call(service.url, ADMIN, { Action: op, ...HZ, ScalingGroupId: id }, "POST");
      if (a.status === 200) {
        ack.deleted.add(id);
        ack.tags.delete(id);
      }
    } else if (roll < 75) {
      op = "DescribeScalingGroups(ids)";
      const ids = live.slice(-3);
      a = await call(service.url, ADMIN, { Action: "DescribeScalingGroups", ...HZ, ...Object.fromEntries(ids.map((id, k) => [`ScalingGroupId.${k + 1}`, id])), "ScalingGroupId.9": GROUP1 });
    } else if (roll < 85) {
      op = "DescribeRegions";
      a = await call(service.url, ADMIN, { Action: op });
    } else if (roll < 95) {
      // a tag-restricted user: group 1 allowed, group 2 explicitly denied
      op = "alice DescribeScalingGroups";
      const group = roll % 2 === 0 ? GROUP1 : GROUP2;
      expected = group === GROUP1 ? [200] : [403];
      a = await call(service.url, ALICE, { Action: "DescribeScalingGroups", ...HZ, "ScalingGroupId.1": group });
    } else {
      op = "DescribeScalingGroups(page)";
      a = await call(service.url, ADMIN, { Action: "DescribeScalingGroups", ...HZ, PageSize: "10" });
    }
    latencies.push(a.ms);
    const k = `${op} ${a.status}`;
    statuses.set(k, (statuses.get(k) ?? 0) + 1);
    if (!expected.includes(a.status)) unexpected.push(`${op}: ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
  }
}

const started = Date.now();
await Promise.all(Array.from({ length: connections }, (_, n) => client(n)));
const elapsed = (Date.now() - started) / 1000;
service.child.kill("SIGTERM");
await service.exited;

// verify from the database itself
const db = new Database(dbFile, { readonly: true });
const integrity = db.pragma("integrity_check", { simple: true });
const groupExists = db.prepare("SELECT 1 FROM scaling_groups WHERE id = ?");
const tagOf = db.prepare("SELECT value FROM scaling_group_tags WHERE group_id = ? AND key = ?");
const missing: string[] = [];
for (const id of ack.created) {
  const present = groupExists.get(id) !== undefined;
  if (ack.deleted.has(id) ? present : !present) missing.push(`group ${id}: ${ack.deleted.has(id) ? "deleted but present" : "acknowledged but missing"}`);
}
for (const [id, tags] of ack.tags) {
  for (const [key, value] of tags) {
    const row = tagOf.get(id, key) as { value: string } | undefined;
    if (row?.value !== value) missing.push(`tag ${id} ${key}=${value}: found ${row?.value ?? "nothing"}`);
  }
}
db.close();

latencies.sort((a, b) => a - b);
const fivexx = [...statuses].filter(([k]) => / 5\d\d$/.test(k)).reduce((n, [, c]) => n + c, 0);
console.log([...statuses].sort().map(([k, n]) => `  ${k}: ${n}`).join("\n"));
console.log(
  `load: ${latencies.length} requests in ${elapsed.toFixed(1)} s (${(latencies.length / elapsed).toFixed(0)}/s), ` +
    `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms; ` +
    `5xx ${fivexx}, unexpected ${unexpected.length}; acknowledged: ${ack.created.size} creates, ${ack.deleted.size} deletes, ` +
    `${[...ack.tags.values()].reduce((n, m) => n + m.size, 0)} tags; missing ${missing.length}; integrity_check ${String(integrity)}`,
);
for (const u of unexpected.slice(0, 10)) console.log(`  UNEXPECTED ${u}`);
for (const m of missing.slice(0, 10)) console.log(`  MISSING ${m}`);
process.exitCode = unexpected.length === 0 && missing.length === 0 && integrity === "ok" ? 0 : 1;
