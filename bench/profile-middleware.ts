/**
 * Where one `authorize()` call spends its CPU: the middleware benchmark's in-process probe (same principal, store and
 * signed requests) under V8's sampling profiler, self time summed per area of the code. Run:
 *   node --import ./bench/loader.mjs bench/profile-middleware.ts [--functions N]
 * `--functions N` also lists the N functions with the most self time.
 */
import { Session } from "node:inspector/promises";
import { createAuthorizer } from "../src/middleware/authorizer.js";
import { credentials, signedQuery, store } from "./middleware-host.js";
import { selfTimeByArea } from "./profile-areas.js";

// As the benchmark's server runs it: the default in-process nonce store included.
const authorizer = createAuthorizer({ credentials, groups: store.groups, resolver: store.resolver });
const queries = Array.from({ length: 120_000 }, signedQuery);
let next = 0;
async function run(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    // With a request id, as the Fastify plugin calls it.
    const requestId = `req-${next}`;
    const result = await authorizer.authorize({ method: "GET", path: "/", rawQuery: queries[next++]!, headers: {}, remoteAddress: "127.0.0.1", encrypted: false }, requestId);
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

console.log(`authorize(): ${usPerCall.toFixed(1)} µs per call back to back (100,000 calls; self time by area, sampled every 50 µs)`);
const listed = process.argv.indexOf("--functions");
for (const line of selfTimeByArea(profile, listed >= 0 ? Number(process.argv[listed + 1] ?? 20) : 0)) console.log(line);
