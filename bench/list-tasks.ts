/**
 * Whole-region DescribeScheduledTasks and DescribeAlarms through the reference service (SQLite, loopback HTTP,
 * the official client), first page of 50: the rows the store's queries return per call (repeatable) and the
 * call's p50/p99. Tasks: two per group, plus one bound to no group per ten groups; 90% in the listed region.
 * Users of examples/service/config.json: admin (every group) and alice (by tag, a Deny by tag, `*` allowed). `node --import ./bench/loader.mjs bench/list-tasks.ts` (SIZES=1000,10000 CALLS=20).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import RPCClient from "@alicloud/pop-core";
import pino from "pino";
import { startService } from "../src/service/server.js";
import { Store } from "../src/service/store.js";
import { insertGroup, REGION } from "./list-store.js";
import { percentile } from "./measure.js";

const CALLS = Number(process.env.CALLS ?? 20);
const SIZES = (process.env.SIZES ?? "1000,10000").split(",").map(Number);
const CONFIG = join(import.meta.dirname, "../examples/service/config.json");
const USERS = { admin: ["AKIDADMIN0001", "s3cr3t-admin"], alice: ["AKIDALICE0001", "s3cr3t-alice"] } as const;
async function seed(root: Store, n: number): Promise<void> {
  await root.transaction(async (store) => {
    for (let i = 0; i < n; i++) {
      const groupId = await insertGroup(store, i);
      const { regionId, creationTime } = (await store.groups.get(groupId))!;
      for (let k = 0; k < (i % 10 === 0 ? 3 : 2); k++) {
        const task = { id: `task-${i}-${k}`, regionId, name: `task-${i}-${k}`, creationTime, ...(k < 2 ? { groupId } : {}) };
        await store.scheduledTasks.insert({ ...task, launchTime: "2031-01-01T00:00Z", taskEnabled: true });
        await store.alarms.insert({
          ...task, metricType: "system", metricName: "CpuUtilization", period: 300, statistics: "Average", comparisonOperator: ">=", threshold: 80,
          evaluationCount: 3, alarmActions: [], enable: true, state: "OK",
        });
      }
    }
  });
  await root.execute("ANALYZE");
}

// Rows the service's queries return, whatever runs them.
let rowsRead = 0;
const query = Store.prototype.query;
Store.prototype.query = async function <T>(this: Store, text: string, params?: readonly unknown[]): Promise<T[]> {
  const rows = await query.call(this, text, params);
  rowsRead += rows.length;
  return rows as T[];
};

const table: string[] = [];
for (const n of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), "ess-authz-bench-"));
  const dbFile = join(dir, "ess.db");
  const seeding = await Store.open(dbFile);
  await seed(seeding, n);
  await seeding.close();
  const service = await startService({ configFile: CONFIG, dbFile, port: 0, host: "127.0.0.1", logger: pino({ level: "silent" }), watchIntervalMs: 0 });
  for (const [name, [id, secret]] of Object.entries(USERS)) {
    const api = new RPCClient({ endpoint: service.url, apiVersion: "2014-08-28", accessKeyId: id, accessKeySecret: secret });
    for (const action of ["DescribeScheduledTasks", "DescribeAlarms"]) {
      const call = () => api.request<{ TotalCount: number }>(action, { RegionId: REGION, PageSize: 50 }, { method: "POST" });
      const before = rowsRead;
      const { TotalCount } = await call();
      const rows = rowsRead - before;
      const samples: number[] = [];
      for (let c = 0; c < CALLS; c++) {
        const start = performance.now();
        await call();
        samples.push(performance.now() - start);
      }
      samples.sort((a, b) => a - b);
      table.push(`| ${action} | ${name} | ${n} | ${TotalCount} | ${rows} | ${percentile(samples, 0.5).toFixed(2)} | ${percentile(samples, 0.99).toFixed(2)} |`);
    }
  }
  await service.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${CALLS} calls per row, page of 50, times in ms\n\n| action | user | groups | TotalCount | rows read | p50 | p99 |\n|---|---|---|---|---|---|---|\n${table.join("\n")}`);
