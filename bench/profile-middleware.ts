/**
 * Where one `authorize()` call spends its CPU: the middleware benchmark's in-process probe (same principal, store and
 * signed requests) under V8's sampling profiler, self time summed per area of the code. Run:
 *   node --import ./bench/loader.mjs bench/profile-middleware.ts [--functions N]
 * `--functions N` also lists the N functions with the most self time.
 */
import { Session } from "node:inspector/promises";
import { createAuthorizer } from "../src/middleware/authorizer.js";
import { credentials, signedQuery, store } from "./middleware-host.js";

/** Areas by source path (first match wins); anything else in our code is "other ess-authz", the rest "runtime". */
const AREAS: readonly (readonly [area: string, path: RegExp])[] = [
  ["form parsing", /src\/middleware\/form\.ts/],
  ["string-to-sign and HMAC", /src\/middleware\/signature\.ts|crypto|Hmac|digest|update/],
  ["nonce memory", /src\/middleware\/nonce\.ts/],
  ["rest of authentication", /src\/middleware\/authenticate\.ts/],
  ["buildPlan (request → targets and contexts)", /src\/ess\/(request|params|store)\.ts|src\/evaluate\/context\.ts/],
  ["decision (compiled policy set)", /src\/ess\/authorize\.ts|src\/evaluate\/|src\/match\/|src\/conditions\//],
  ["authorizer glue (keys, parameter object)", /src\/middleware\//],
  ["garbage collection", /^\(garbage collector\)/],
];

// As the benchmark's server runs it: the default in-process nonce store included.
const authorizer = createAuthorizer({ credentials, groups: store.groups, resolver: store.resolver });
const queries = Array.from({ length: 120_000 }, signedQuery);
let next = 0;
async function run(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const result = await authorizer.authorize({ method: "GET", path: "/", rawQuery: queries[next++]!, headers: {}, remoteAddress: "127.0.0.1", encrypted: false });
    if (!result.ok) throw new Error(`the probe's request was refused: ${result.rejected.body.Code}`);
  }
}

await run(20_000); // warm-up
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 50 });
await session.post("Profiler.start");
const start = process.hrtime.bigint();
await run(100_000);
const usPerCall = Number(process.hrtime.bigint() - start) / 100_000 / 1000;
const { profile } = await session.post("Profiler.stop");

const samplesOf = new Map<number, number>();
for (const id of profile.samples ?? []) samplesOf.set(id, (samplesOf.get(id) ?? 0) + 1);
const shares = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const samples = samplesOf.get(node.id) ?? 0;
  if (samples === 0 || node.callFrame.functionName === "(idle)" || node.callFrame.functionName === "(program)") continue;
  const where = `${node.callFrame.url} ${node.callFrame.functionName}`;
  const area = AREAS.find(([, path]) => path.test(node.callFrame.url) || path.test(node.callFrame.functionName))?.[0] ?? (where.includes("/src/") ? "other ess-authz" : "runtime");
  shares.set(area, (shares.get(area) ?? 0) + samples);
  const name = `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/^.*\/(src|node_modules)\//, "")}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + samples);
  total += samples;
}
console.log(`authorize(): ${usPerCall.toFixed(1)} µs per call back to back (100,000 calls; self time by area, sampled every 50 µs)`);
for (const [area, samples] of [...shares].sort((a, b) => b[1] - a[1])) console.log(`${((100 * samples) / total).toFixed(1).padStart(5)} %  ${area}`);
const listed = process.argv.indexOf("--functions");
if (listed >= 0) {
  const count = Number(process.argv[listed + 1] ?? 20);
  console.log(`\nthe ${count} functions with the most self time:`);
  for (const [name, samples] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`${((100 * samples) / total).toFixed(1).padStart(5)} %  ${name}`);
}
