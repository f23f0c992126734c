/**
 * Only the middleware rows of `npm run bench`: the loopback route plain, behind the signature check alone and behind
 * the plugin, and the in-process probe of one `authorize()`. Run:
 *   node --import ./bench/loader.mjs bench/run-middleware.ts [seconds per load, default 5] [rounds, default 2]
 */
import { loadavg } from "node:os";
import { measureMiddleware } from "./middleware.js";

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 2);
const loadBefore = loadavg()[0]!;
const result = await measureMiddleware(seconds, rounds);
const us = (value: number): string => `${value.toFixed(0)} µs`;
for (const route of result.routes) {
  console.log(`${route.mode.padEnd(14)} p50 ${us(route.latencyUs.p50)}  p99 ${us(route.latencyUs.p99)}  ${Math.round(route.requestsPerSecond)} req/s (${route.connections} connections)`);
}
console.log(`plugin adds ${us(result.addedUs.plugin)} at p50 (+${(100 * result.addedLatency.p50).toFixed(0)} %), the signature check alone ${us(result.addedUs.signature)}`);
console.log(`against the route that checks signatures itself, the plugin adds +${(100 * result.addedOverSignature).toFixed(0)} % at p50`);
console.log(`authorize() p50 in-process: ${result.authorizeUs.backToBack.toFixed(1)} µs back to back, ${result.authorizeUs.afterIdle.toFixed(1)} µs after a 1 ms idle`);
console.log(`load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`);
