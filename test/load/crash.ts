/**
 * Crash test (issue #6; not part of CI): `npx tsx test/load/crash.ts [--rounds 5] [--writers 16]`
 *
 * Each round: start the service, stream writes (CreateScalingGroup, TagResources) from `writers` clients,
 * `kill -9` the service at a random moment in the stream, restart it on the same database, and check that every
 * write acknowledged before the kill is there, and that `PRAGMA integrity_check` passes. Writes in flight at the
 * kill may or may not have happened; they are not counted.
 */
import Database from "better-sqlite3";
import { ADMIN, argOf, call, startService, tempDb } from "./common.js";

const rounds = argOf("rounds", 5);
const writers = argOf("writers", 16);
const HZ = { RegionId: "cn-hangzhou" };
const dbFile = tempDb();
const created = new Set<string>();
const tags = new Map<string, string>(); // group → value of tag "crash"
let failures = 0;

for (let round = 1; round <= rounds; round++) {
  const service = await startService(dbFile);
  let stop = false;
  let acknowledged = 0;
  const writer = async (n: number): Promise<void> => {
    for (let i = 0; !stop; i++) {
      try {
        const a = await call(service.url, ADMIN, { Action: "CreateScalingGroup", ...HZ, MinSize: "0", MaxSize: "1", ScalingGroupName: `crash-${round}-${n}-${i}` }, "POST");
        if (a.status !== 200) continue;
        const id = String(a.body["ScalingGroupId"]);
        created.add(id);
        acknowledged++;
        const value = `r${round}-${i}`;
        const t = await call(service.url, ADMIN, { Action: "TagResources", ...HZ, ResourceType: "scalinggroup", "ResourceId.1": id, "Tag.1.Key": "crash", "Tag.1.Value": value }, "POST");
        if (t.status === 200) {
          tags.set(id, value);
          acknowledged++;
        }
      } catch {
        return; // the connection died with the service
      }
    }
  };
  const streams = Array.from({ length: writers }, (_, n) => writer(n));
  await new Promise((r) => setTimeout(r, 500 + Math.random() * 2500));
  service.child.kill("SIGKILL");
  stop = true;
  await service.exited;
  await Promise.all(streams);

  // restart on the same file: the service must open it, and every acknowledged write must be there
  const again = await startService(dbFile);
  const missing: string[] = [];
  for (const id of created) {
    const d = await call(again.url, ADMIN, { Action: "DescribeScalingGroups", ...HZ, "ScalingGroupId.1": id });
    const groups = (d.body["ScalingGroups"] as { ScalingGroup?: { ScalingGroupId: string; Tags?: { Tag?: { Key: string; Value: string }[] } }[] } | undefined)?.ScalingGroup ?? [];
    const g = groups.find((x) => x.ScalingGroupId === id);
    if (!g) missing.push(`group ${id}`);
    else if (tags.has(id) && !g.Tags?.Tag?.some((x) => x.Key === "crash" && x.Value === tags.get(id))) missing.push(`tag crash=${tags.get(id)} on ${id}`);
  }
  again.child.kill("SIGTERM");
  await again.exited;
  const db = new Database(dbFile, { readonly: true });
  const integrity = db.pragma("integrity_check", { simple: true });
  db.close();
  console.log(`round ${round}: ${acknowledged} writes acknowledged before kill -9; after restart ${created.size} groups checked, missing ${missing.length}; integrity_check ${String(integrity)}`);
  for (const m of missing.slice(0, 5)) console.log(`  MISSING ${m}`);
  if (missing.length > 0 || integrity !== "ok") failures++;
}
console.log(`crash: ${rounds} rounds, ${created.size} acknowledged groups, ${tags.size} acknowledged tags, ${failures} failed rounds`);
process.exitCode = failures === 0 ? 0 : 1;
