/**
 * Whole-region DescribeScalingGroups as the reference service answers it: the residual of the caller's
 * policies, the store's search for one allowed group (which decides the call) and the first page of 50 with its
 * TotalCount, all in SQLite. Page p50/p99 per principal over 1k, 10k and 100k groups (90% in the listed region);
 * seeding is done before the clock starts. Prints the query plans at the largest size (pageGroups picks the
 * scanning or the seeking one by size) and the id covers ARN patterns give. `npm run bench:list` (SIZES=1000,10000 CALLS=50 to choose).
 */
import { percentile } from "./measure.js";
import { performance } from "node:perf_hooks";
import type { EvaluationInput } from "../src/evaluate/decision.js";
import { loadPolicy } from "../src/policy/parse.js";
import { idCovers } from "../src/residual/ids.js";
import { groupArnPrefix, residual } from "../src/residual/residual.js";
import { pageGroups, RESIDUAL_SCHEMA } from "../src/service/list.js";
import { Store } from "../src/service/store.js";
import { insertGroup, REGION } from "./list-store.js";

const ACCOUNT = "1609982529920904";
const ACTION = "ess:DescribeScalingGroups";
const PAGE = 50;
const CALLS = Number(process.env.CALLS ?? 30);
const SIZES = (process.env.SIZES ?? "1000,10000,100000").split(",").map(Number);

const principal = (statements: unknown[]): EvaluationInput => ({
  identity: [{ policy: loadPolicy(JSON.stringify({ Version: "1", Statement: statements }), { name: "bench" }) }],
});

const PRINCIPALS: Record<string, EvaluationInput> = {
  admin: principal([{ Effect: "Allow", Action: "*", Resource: "*" }]),
  "tag-based": principal([
    { Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/team": "game1", "acs:ResourceTag/environment": "test" } } },
    { Effect: "Deny", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/team": "game2" } } },
  ]),
  "arn-based": principal([{ Effect: "Allow", Action: "ess:Describe*", Resource: `acs:ess:${REGION}:${ACCOUNT}:scalinggroup/asg-*7` }]),
  "rare-tag": principal([{ Effect: "Allow", Action: "ess:Describe*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/project": "p1" } } }]),
  "deny-tag": principal([
    { Effect: "Allow", Action: "*", Resource: "*" },
    { Effect: "Deny", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/project": "p1" } } },
  ]),
  mixed: principal([
    { Effect: "Allow", Action: "ess:*", Resource: `acs:ess:${REGION}:*:scalinggroup/asg-00*` },
    { Effect: "Allow", Action: "ess:Describe*", Resource: "*", Condition: { StringLike: { "acs:ResourceTag/Team": "game*" } } },
    { Effect: "Deny", Action: "ess:*", Resource: `acs:ess:${REGION}:*:scalinggroup/asg-001*` },
  ]),
};

async function seed(root: Store, n: number): Promise<void> {
  await root.transaction(async (store) => {
    for (let i = 0; i < n; i++) {
      const id = await insertGroup(store, i);
      // One group in a thousand carries the rare tag: what rare-tag may see grows with the store, the region far faster.
      if (i % 1000 === 0) await store.putTags(id, [{ key: "project", value: "p1", propagate: false }]);
    }
  });
  await root.execute("ANALYZE");
}

/**
 * One list call: residual, the allowed-group search that decides it, then the first page and (unless `count` is
 * false, to show what the count costs) its TotalCount.
 */
async function listCall(store: Store, input: EvaluationInput, count = true): Promise<number> {
  const allowed = residual(input, ACTION, { region: REGION, account: ACCOUNT, keys: { "acs:SourceIp": "127.0.0.1" } });
  const decided = await store.findAllowed(REGION, allowed, []);
  if (!decided.group) return 0;
  return (await pageGroups(store, allowed, { regionId: REGION, offset: 0, limit: PAGE, count })).total;
}

async function timeCalls(call: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let c = 0; c < CALLS; c++) {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

const rows: string[] = [];
const p50By = new Map<string, number>();
for (const n of SIZES) {
  const store = await Store.open(":memory:");
  await seed(store, n);
  for (const [name, input] of Object.entries(PRINCIPALS)) {
    const total = await listCall(store, input); // warm-up, and the figure's sanity check
    const samples = await timeCalls(() => listCall(store, input));
    const withoutCount = await timeCalls(() => listCall(store, input, false));
    const p50 = percentile(samples, 0.5);
    p50By.set(`${name}@${n}`, p50);
    rows.push(`| ${name} | ${n} | ${total} | ${p50.toFixed(2)} | ${percentile(samples, 0.99).toFixed(2)} | ${percentile(withoutCount, 0.5).toFixed(2)} |`);
    if (n === SIZES[SIZES.length - 1]) {
      const sql = residual(input, ACTION, { region: REGION, account: ACCOUNT }).toSql({ dialect: "sqlite", schema: RESIDUAL_SCHEMA, asciiIds: true });
      const plan = async (query: string, params: readonly unknown[]): Promise<string> =>
        (await store.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`, params)).map((p) => `  ${p.detail}`).join("\n");
      const where = `FROM scaling_groups g WHERE g.region_id = ? AND ${sql.sql}`;
      console.log(`${name}: WHERE g.region_id = ? AND ${sql.sql}\n page and count, scanning:\n${await plan(`SELECT g.id ${where} ORDER BY g.creation_time, g.id LIMIT 50`, [REGION, ...sql.params])}`);
      const covers = idCovers(residual(input, ACTION, { region: REGION, account: ACCOUNT }).tree, groupArnPrefix(REGION, ACCOUNT), true);
      if (covers.allowed.length + covers.rejected.length > 0) console.log(` id covers (the ids plan counts within the likely smallest): ${JSON.stringify(covers)}`);
      if (sql.candidates) {
        const sought = `${where} AND g.id IN (${sql.candidates.sql})`;
        const params = [REGION, ...sql.params, ...sql.candidates.params];
        console.log(` AND g.id IN (${sql.candidates.sql})\n count, seeking:\n${await plan(`SELECT COUNT(*) ${sought}`, params)}\n page, seeking:\n${await plan(`SELECT g.id ${sought} ORDER BY g.creation_time, g.id LIMIT 50`, params)}`);
      }
    }
  }
  await store.close();
}
console.log(`\n${CALLS} calls per row, page of ${PAGE}, times in ms\n\n| principal | groups | allowed | p50 | p99 | p50 without TotalCount |\n|---|---|---|---|---|---|\n${rows.join("\n")}`);
const [small, large] = [SIZES[0], SIZES[SIZES.length - 1]];
for (const name of Object.keys(PRINCIPALS)) {
  console.log(`${name}: p50 at ${large} / p50 at ${small} = ${(p50By.get(`${name}@${large}`)! / p50By.get(`${name}@${small}`)!).toFixed(1)}×`);
}
