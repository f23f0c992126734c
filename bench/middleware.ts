/**
 * The middleware's cost on a route, over loopback: autocannon against the same route without and with the
 * `ess-authz/fastify` plugin, every request freshly signed (v1, unique nonce). Latency is read per response
 * (autocannon's own histogram has 1 ms resolution, coarser than a loopback round trip); throughput comes
 * from a run with several connections.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import autocannon from "autocannon";
import { signV1 } from "../src/middleware/signature.js";
import { ACCESS_KEY } from "./workload.js";

export interface RouteResult {
  readonly mode: "plain" | "authorized";
  /** Microseconds, one connection. */
  readonly latencyUs: { readonly p50: number; readonly p99: number; readonly mean: number };
  readonly requestsPerSecond: number;
  readonly connections: number;
}

export interface MiddlewareResult {
  readonly routes: readonly RouteResult[];
  /** (authorized − plain) / plain, at p50 and mean, one connection. */
  readonly addedLatency: { readonly p50: number; readonly mean: number };
  /** authorized / plain requests per second. */
  readonly throughputRatio: number;
}

const PARAMS = { Action: "DescribeScalingGroups", RegionId: "cn-hangzhou", "ScalingGroupId.1": "asg-bp17np35ywjwh2cx0001" };

function signedPath(): string {
  const params: Record<string, string> = {
    Format: "JSON",
    Version: "2014-08-28",
    AccessKeyId: ACCESS_KEY[0],
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: randomUUID(),
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    ...PARAMS,
  };
  const Signature = signV1("GET", Object.entries(params), ACCESS_KEY[1]);
  return `/?${new URLSearchParams({ ...params, Signature }).toString()}`;
}

async function startServer(mode: RouteResult["mode"]): Promise<{ url: string; child: ChildProcess }> {
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

async function load(url: string, connections: number, seconds: number): Promise<Load> {
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: signedPath() }) }],
  });
  instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms * 1000));
  const result = await instance;
  return { requestsPerSecond: result.requests.average, latencies, non2xx: result.non2xx };
}

const percentile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function measureRoute(mode: RouteResult["mode"], seconds: number, connections: number): Promise<RouteResult> {
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

/** Alternates the two variants `rounds` times and keeps each one's best round, to damp machine noise. */
export async function measureMiddleware(seconds: number, rounds: number, connections = 10): Promise<MiddlewareResult> {
  const best = new Map<RouteResult["mode"], RouteResult>();
  for (let r = 0; r < rounds; r++) {
    for (const mode of ["plain", "authorized"] as const) {
      const result = await measureRoute(mode, seconds, connections);
      const previous = best.get(mode);
      if (!previous || result.latencyUs.p50 < previous.latencyUs.p50) best.set(mode, result);
    }
  }
  const plain = best.get("plain")!;
  const authorized = best.get("authorized")!;
  return {
    routes: [plain, authorized],
    addedLatency: { p50: authorized.latencyUs.p50 / plain.latencyUs.p50 - 1, mean: authorized.latencyUs.mean / plain.latencyUs.mean - 1 },
    throughputRatio: authorized.requestsPerSecond / plain.requestsPerSecond,
  };
}
