/**
 * Self time of a V8 CPU profile, summed per area of the code, for the middleware profilers
 * (`profile-middleware.ts` in process, `profile-route.ts` in the benchmark's server).
 */
import type { Profiler } from "node:inspector";

/** Areas by source path or function name (first match wins); anything else in our code is "other ess-authz", the rest "runtime". */
const AREAS: readonly (readonly [area: string, path: RegExp])[] = [
  ["form parsing", /src\/middleware\/form\.ts/],
  ["string-to-sign and HMAC", /src\/middleware\/signature\.ts|crypto|^Hmac$|^digest$|^update$|^init$/],
  ["nonce memory", /src\/middleware\/nonce\.ts/],
  ["rest of authentication", /src\/middleware\/authenticate\.ts/],
  ["buildPlan (request → targets and contexts)", /src\/ess\/(request|params|store|maybe|catalog)\.ts|src\/evaluate\/context\.ts/],
  ["decision (compiled policy set)", /src\/ess\/authorize\.ts|src\/evaluate\/|src\/match\/|src\/conditions\//],
  ["authorizer glue (keys, parameter object)", /src\/middleware\//],
  ["Fastify", /node_modules\/(fastify|find-my-way|avvio|light-my-request|@fastify)\//],
  ["HTTP and sockets (node:http, node:net, writev)", /^node:(_http|http|net|stream|internal\/stream)|^writev$|^writeUtf8String$|^writeBuffer$/],
  ["garbage collection", /^\(garbage collector\)$/],
];

/**
 * Lines to print: the share of each area, then the `functions` functions with the most self time. With `per`, each
 * area's samples are also given as microseconds per unit of work (`count` units, one sample every `intervalUs`).
 */
export function selfTimeByArea(profile: Profiler.Profile, functions = 0, per?: { readonly count: number; readonly intervalUs: number }): string[] {
  const samplesOf = new Map<number, number>();
  for (const id of profile.samples ?? []) samplesOf.set(id, (samplesOf.get(id) ?? 0) + 1);
  const shares = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const samples = samplesOf.get(node.id) ?? 0;
    const { functionName, url } = node.callFrame;
    if (samples === 0 || functionName === "(idle)" || functionName === "(program)") continue;
    const area = AREAS.find(([, path]) => path.test(url) || path.test(functionName))?.[0] ?? (url.includes("/src/") ? "other ess-authz" : "runtime");
    shares.set(area, (shares.get(area) ?? 0) + samples);
    const name = `${functionName || "(anonymous)"} ${url.replace(/^.*\/(src|node_modules)\//, "")}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + samples);
    total += samples;
  }
  const share = (samples: number): string =>
    `${((100 * samples) / total).toFixed(1).padStart(5)} %${per ? `  ${((samples * per.intervalUs) / per.count).toFixed(2).padStart(6)} µs` : ""}`;
  const lines = [...shares].sort((a, b) => b[1] - a[1]).map(([area, samples]) => `${share(samples)}  ${area}`);
  if (functions > 0) {
    lines.push("", `the ${functions} functions with the most self time:`);
    for (const [name, samples] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, functions)) lines.push(`${share(samples)}  ${name}`);
  }
  return lines;
}
