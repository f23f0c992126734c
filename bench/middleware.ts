/**
 * The middleware's cost on a route, over loopback: autocannon against the same route without the plugin, behind
 * the signature check alone, and behind the `ess-authz/fastify` plugin, every request freshly signed (v1,
 * unique nonce). The three routes live in one server and one connection sends to them in turn, so the machine's
 * drift over a run (other guests, clock speed) meets all three alike: run one after another, routes measured
 * minutes apart differed by more than the plugin's cost. Latency is read per response (autocannon's own
 * histogram has 1 ms resolution, coarser than a loopback round trip); throughput comes from a run per route with
 * several connections. An in-process probe times one `authorize()` call back to back and after the CPU has
 * idled, which is how a lone connection meets it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { createAuthorizer } from "../src/middleware/authorizer.js";
import { percentile } from "./measure.js";
import { credentials, signedQuery, store } from "./middleware-host.js";
import { ROUTE_PATHS } from "./middleware-server.js";

export type RouteMode = keyof typeof ROUTE_PATHS;

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
  /** (authorized − authenticated) / authenticated at p50: the plugin against a route that checks signatures itself. */
  readonly addedOverSignature: number;
  /** authorized / plain requests per second. */
  readonly throughputRatio: number;
  /** One `authorize()` call in this process, p50 µs: back to back, and each after a 1 ms pause. */
  readonly authorizeUs: { readonly backToBack: number; readonly afterIdle: number };
}

const MODES = Object.keys(ROUTE_PATHS) as RouteMode[];

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", join(import.meta.dirname, "loader.mjs"), join(import.meta.dirname, "middleware-server.ts")], {
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
  /** Per route of `modes`, in the order given. */
  readonly latencies: number[][];
  readonly non2xx: number;
}

/** Requests per second no variant reaches on this machine: the size of the pre-signed pool. */
const POOL_RATE = 50_000;

/** Loads `modes` in turn (one request each, round and round) over `connections`. */
async function load(url: string, modes: readonly RouteMode[], connections: number, seconds: number): Promise<Load> {
  const latencies = modes.map((): number[] => []);
  // Signed before the run, so the load generator's signing does not compete with the server for the CPU while
  // a request is in flight; a nonce is used once, so a pool that runs dry signs afresh.
  const pool = Array.from({ length: POOL_RATE * seconds }, signedQuery);
  let next = 0;
  let answered = 0;
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    requests: modes.map((mode) => ({ method: "GET", setupRequest: (req) => ({ ...req, path: `${ROUTE_PATHS[mode]}?${pool[next++] ?? signedQuery()}` }) })),
  });
  // One connection answers in the order it asked, so the n-th answer is to the route asked n-th: as long as no
  // request fails, which would move autocannon on to the next route without an answer.
  instance.on("response", (_client, _status, _bytes, ms) => latencies[answered++ % modes.length]!.push(ms * 1000));
  const result = await instance;
  if (result.errors + result.timeouts > 0) throw new Error(`${result.errors} requests failed and ${result.timeouts} timed out`);
  return { requestsPerSecond: result.requests.average, latencies, non2xx: result.non2xx };
}

function summary(latencies: number[]): RouteResult["latencyUs"] {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

const median = (values: number[]): number => percentile(values.sort((a, b) => a - b), 0.5);

/**
 * The same authorizer the server runs, called here without HTTP as the Fastify plugin calls it (with Fastify's
 * request id): a function that authorizes the next of `count` pre-signed requests and answers how many
 * microseconds it took. Each query is copied just before its call, as a server has just read it off the socket:
 * a pool large enough for unique nonces is otherwise read from memory no cache holds any more.
 */
export async function warmAuthorizer(count: number): Promise<() => Promise<number>> {
  const authorizer = createAuthorizer({ credentials, groups: store.groups, resolver: store.resolver });
  const queries = Array.from({ length: count }, signedQuery);
  let next = 0;
  return async () => {
    const rawQuery = Buffer.from(queries[next]!, "latin1").toString("latin1");
    const requestId = `req-${next++}`;
    const start = process.hrtime.bigint();
    const result = await authorizer.authorize({ method: "GET", path: "/", rawQuery, headers: {}, remoteAddress: "127.0.0.1", encrypted: false }, requestId);
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

/**
 * `rounds` interleaved runs of `seconds` per route on one connection (latency, all rounds pooled), then `rounds`
 * rounds of one run per route on `connections` (throughput, each route's best round).
 */
export async function measureMiddleware(seconds: number, rounds: number, connections = 10): Promise<MiddlewareResult> {
  const { url, child } = await startServer();
  let routes: RouteResult[];
  try {
    await load(url, MODES, connections, 1); // warm-up: JIT, connection setup
    const latencies = MODES.map((): number[] => []);
    let refused = 0;
    for (let r = 0; r < rounds; r++) {
      const single = await load(url, MODES, 1, seconds * MODES.length);
      single.latencies.forEach((values, i) => latencies[i]!.push(...values));
      refused += single.non2xx;
    }
    const throughput = MODES.map(() => 0);
    for (let r = 0; r < rounds; r++) {
      for (const [i, mode] of MODES.entries()) {
        const many = await load(url, [mode], connections, seconds);
        refused += many.non2xx;
        throughput[i] = Math.max(throughput[i]!, many.requestsPerSecond);
      }
    }
    routes = MODES.map((mode, i) => ({ mode, latencyUs: summary(latencies[i]!), requestsPerSecond: throughput[i]!, connections }));
    if (refused > 0) throw new Error(`${refused} answers were not 2xx`);
  } finally {
    child.kill();
  }
  const [plain, authenticated, authorized] = routes as [RouteResult, RouteResult, RouteResult];
  return {
    routes,
    addedLatency: { p50: authorized.latencyUs.p50 / plain.latencyUs.p50 - 1, mean: authorized.latencyUs.mean / plain.latencyUs.mean - 1 },
    addedUs: { signature: authenticated.latencyUs.p50 - plain.latencyUs.p50, plugin: authorized.latencyUs.p50 - plain.latencyUs.p50 },
    addedOverSignature: authorized.latencyUs.p50 / authenticated.latencyUs.p50 - 1,
    throughputRatio: authorized.requestsPerSecond / plain.requestsPerSecond,
    authorizeUs: await probeAuthorize(),
  };
}
