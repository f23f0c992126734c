/**
 * The middleware's cost on a route, over loopback: autocannon against the same route without the plugin, behind
 * the signature check alone, and behind the `ess-authz/fastify` plugin, every request freshly signed (v1,
 * unique nonce). Latency is read per response (autocannon's own histogram has 1 ms resolution, coarser than a
 * loopback round trip); throughput comes from a run with several connections. An in-process probe times one
 * `authorize()` call back to back and after the CPU has idled, which is how a lone connection meets it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { createAuthorizer } from "../src/middleware/authorizer.js";
import { percentile } from "./measure.js";
import { credentials, signedQuery, store } from "./middleware-host.js";

export type RouteMode = "plain" | "authenticated" | "authorized";

export interface RouteResult {
  readonly mode: RouteMode;
  /** Microseconds, one connection. */
  readonly latencyUs: { readonly p50: number; readonly p99: number; readonly mean: number };
  readonly requestsPerSecond: number;
  readonly connections: number;
}

export interface MiddlewareResult {
  readonly routes: readonly RouteResult[];
  /** (authorized − plain) / plain, at p50 and mean, one connection. */
  readonly addedLatency: { readonly p50: number; readonly mean: number };
  /** p50 microseconds the signature check alone adds, and the whole plugin adds, one connection. */
  readonly addedUs: { readonly signature: number; readonly plugin: number };
  /** authorized / plain requests per second. */
  readonly throughputRatio: number;
  /** One `authorize()` call in this process, p50 µs: back to back, and each after a 1 ms pause. */
  readonly authorizeUs: { readonly backToBack: number; readonly afterIdle: number };
}

const MODES: readonly RouteMode[] = ["plain", "authenticated", "authorized"];

async function startServer(mode: RouteMode): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", join(import.meta.dirname, "loader.mjs"), join(import.meta.dirname, "middleware-server.ts"), mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`middleware server exited with ${code}`)));
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
  });
  return { url, child };
}

interface Load {
  readonly requestsPerSecond: number;
  readonly latencies: number[];
  readonly non2xx: number;
}

/** Requests per second no variant reaches on this machine: the size of the pre-signed pool. */
const POOL_RATE = 50_000;

async function load(url: string, connections: number, seconds: number): Promise<Load> {
  const latencies: number[] = [];
  // Signed before the run, so the load generator's signing does not compete with the server for the CPU while
  // a request is in flight; a nonce is used once, so a pool that runs dry signs afresh.
  const pool = Array.from({ length: POOL_RATE * seconds }, signedQuery);
  let next = 0;
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/?${pool[next++] ?? signedQuery()}` }) }],
  });
  instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms * 1000));
  const result = await instance;
  return { requestsPerSecond: result.requests.average, latencies, non2xx: result.non2xx };
}

const median = (values: number[]): number => percentile(values.sort((a, b) => a - b), 0.5);

async function measureRoute(mode: RouteMode, seconds: number, connections: number): Promise<RouteResult> {
  const { url, child } = await startServer(mode);
  try {
    await load(url, connections, 1); // warm-up: JIT, connection setup
    const single = await load(url, 1, seconds);
    const many = await load(url, connections, seconds);
    if (single.non2xx + many.non2xx > 0) throw new Error(`${mode}: ${single.non2xx + many.non2xx} answers were not 2xx`);
    const sorted = [...single.latencies].sort((a, b) => a - b);
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    return { mode, latencyUs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean }, requestsPerSecond: many.requestsPerSecond, connections };
  } finally {
    child.kill();
  }
}

/**
 * The same authorizer the server runs, called here without HTTP: a function that authorizes the next of `count`
 * pre-signed requests and answers how many microseconds it took.
 */
export async function warmAuthorizer(count: number): Promise<() => Promise<number>> {
  const authorizer = createAuthorizer({ credentials, groups: store.groups, resolver: store.resolver });
  const queries = Array.from({ length: count }, signedQuery);
  let next = 0;
  return async () => {
    const start = process.hrtime.bigint();
    const result = await authorizer.authorize({ method: "GET", path: "/", rawQuery: queries[next++]!, headers: {}, remoteAddress: "127.0.0.1", encrypted: false });
    const us = Number(process.hrtime.bigint() - start) / 1000;
    if (!result.ok) throw new Error(`the probe's request was refused: ${result.rejected.body.Code}`);
    return us;
  };
}

/** The plugin's own work, warm and cold: p50 of one call back to back, and after the CPU has idled 1 ms. */
export async function probeAuthorize(): Promise<MiddlewareResult["authorizeUs"]> {
  const once = await warmAuthorizer(30_000);
  for (let i = 0; i < 20_000; i++) await once(); // warm-up
  const backToBack: number[] = [];
  for (let i = 0; i < 8_000; i++) backToBack.push(await once());
  const afterIdle: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    await sleep(1);
    afterIdle.push(await once());
  }
  return { backToBack: median(backToBack), afterIdle: median(afterIdle) };
}

/** Alternates the variants `rounds` times and keeps each one's best round, to damp machine noise. */
export async function measureMiddleware(seconds: number, rounds: number, connections = 10): Promise<MiddlewareResult> {
  const best = new Map<RouteMode, RouteResult>();
  for (let r = 0; r < rounds; r++) {
    for (const mode of MODES) {
      const result = await measureRoute(mode, seconds, connections);
      const previous = best.get(mode);
      if (!previous || result.latencyUs.p50 < previous.latencyUs.p50) best.set(mode, result);
    }
  }
  const [plain, authenticated, authorized] = MODES.map((mode) => best.get(mode)!) as [RouteResult, RouteResult, RouteResult];
  return {
    routes: [plain, authenticated, authorized],
    addedLatency: { p50: authorized.latencyUs.p50 / plain.latencyUs.p50 - 1, mean: authorized.latencyUs.mean / plain.latencyUs.mean - 1 },
    addedUs: { signature: authenticated.latencyUs.p50 - plain.latencyUs.p50, plugin: authorized.latencyUs.p50 - plain.latencyUs.p50 },
    throughputRatio: authorized.requestsPerSecond / plain.requestsPerSecond,
    authorizeUs: await probeAuthorize(),
  };
}
