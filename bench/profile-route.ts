/**
 * Where the benchmark's server spends its CPU on one route, as a lone connection meets it: the server of
 * `middleware-server.ts` under V8's sampling profiler, loaded by one connection, self time summed per area of the
 * code and given per request. Unlike `profile-middleware.ts` (one warm `authorize()` after another in process), this
 * is the route's own cost: Fastify, the sockets, and ess-authz's code as it runs between idle waits. Run:
 *   node --import ./bench/loader.mjs bench/profile-route.ts [plain|authenticated|authorized] [requests, default 60000] [--functions N]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import type { Profiler } from "node:inspector";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { signedQuery } from "./middleware-host.js";
import { ROUTE_PATHS } from "./middleware-server.js";
import { selfTimeByArea } from "./profile-areas.js";

const mode = (process.argv[2] ?? "authorized") as keyof typeof ROUTE_PATHS;
if (!(mode in ROUTE_PATHS)) throw new Error(`usage: profile-route.ts ${Object.keys(ROUTE_PATHS).join("|")} [requests] [--functions N]`);
const requests = Number(process.argv[3] ?? 60_000);
const listed = process.argv.indexOf("--functions");
const INTERVAL_US = 25;

const dir = mkdtempSync(join(tmpdir(), "ess-authz-route-profile-"));
const server = spawn(
  process.execPath,
  ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${INTERVAL_US}`, "--import", join(import.meta.dirname, "loader.mjs"), join(import.meta.dirname, "middleware-server.ts")],
  { stdio: ["ignore", "pipe", "inherit"] },
);
try {
  const url = await new Promise<string>((resolve) => server.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim())));
  const pool = Array.from({ length: requests }, signedQuery);
  let next = 0;
  const result = await autocannon({ url, connections: 1, amount: requests, requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: `${ROUTE_PATHS[mode]}?${pool[next++]}` }) }] });
  if (result.non2xx > 0) throw new Error(`${result.non2xx} answers were not 2xx`);
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGINT"); // the server exits on it, and V8 writes the profile
  await exited;
  const [file] = readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"));
  const profile = JSON.parse(readFileSync(join(dir, file!), "utf8")) as Profiler.Profile;
  console.log(`${mode} route: ${requests} requests on one connection; server self time by area (start-up included), per request, sampled every ${INTERVAL_US} µs`);
  for (const line of selfTimeByArea(profile, listed >= 0 ? Number(process.argv[listed + 1] ?? 20) : 0, { count: requests, intervalUs: INTERVAL_US })) console.log(line);
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
