/**
 * `npm run bench` (`-- --quick` for a short run): every engine on the same workload, the probe of rarely named
 * actions, lint throughput and the middleware on loopback; prints the report and writes `results.json`,
 * `RESULTS.md` and `decisions-per-second.svg` (to `bench/`, or to `bench/out/` for a quick run).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { decisionMix, measureEngines, measureProbe, referenceVerdicts, type Budget, type EngineResult } from "./decisions.js";
import { casbin } from "./engines/casbin.js";
import { casl } from "./engines/casl.js";
import { cedarWasm } from "./engines/cedar.js";
import type { Engine } from "./engines/engine.js";
import { iamSimulate } from "./engines/iam-simulate.js";
import { oursCompiled, oursInterpreter } from "./engines/ours.js";
import { measureLint } from "./lint.js";
import { canCollect, clockOverheadNs } from "./measure.js";
import { measureMiddleware } from "./middleware.js";
import { chart, checkTargets, markdown, ratios, type Machine, type Results } from "./report.js";
import { benchRequests, parseSources, workload, REQUEST_COUNT } from "./workload.js";

const quick = process.argv.includes("--quick");
const PADDINGS = quick ? [10, 1000] : [10, 100, 1000, 10_000];
const BUDGET: Budget = quick ? { verifyMs: 1000, throughputMs: 300, latencyMs: 300 } : { verifyMs: 4000, throughputMs: 1500, latencyMs: 1000 };
const LINT = quick ? { files: 1000, rounds: 2 } : { files: 1000, rounds: 5 };
const MIDDLEWARE = quick ? { seconds: 2, rounds: 1 } : { seconds: 5, rounds: 2 };
const ENGINES: readonly Engine[] = [oursCompiled, oursInterpreter, cedarWasm, iamSimulate, casl, casbin];
const OUT = join(import.meta.dirname, quick ? "out" : ".");

if (!canCollect) console.warn("run with `node --expose-gc` (as `npm run bench` does) to measure retained memory");

const machine: Machine = {
  cpu: cpus()[0]?.model.trim() ?? "unknown",
  cores: cpus().length,
  node: process.versions.node,
  platform: `${platform()} ${release()}`,
  memoryGB: Math.round(totalmem() / 2 ** 30),
  loadAverage: { start: loadavg()[0]! },
};
console.log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.platform}; load average ${machine.loadAverage.start.toFixed(2)}`);

const requests = benchRequests(REQUEST_COUNT);
const decisions: EngineResult[] = [];
const mixes: Record<number, Record<string, number>> = {};
const parseMs: Record<number, number> = {};
for (const n of PADDINGS) {
  const w = workload(n, requests);
  const t0 = performance.now();
  // The reference decides on its own copy of the policies, so the compiled engine starts with no cached matcher.
  const reference = { ...w, policies: parseSources(w.sources) };
  parseMs[n] = performance.now() - t0;
  const expected = referenceVerdicts(reference);
  mixes[n] = decisionMix(expected);
  console.log(`\nN = ${n}: ${w.policies.length} policies; reference decisions ${JSON.stringify(mixes[n])}`);
  for (const r of await measureEngines(ENGINES, w, expected, BUDGET)) {
    decisions.push(r);
    console.log(
      r.mismatch
        ? `  ${r.engine}: DISAGREES after ${r.verified} requests: ${r.mismatch}`
        : `  ${r.engine.padEnd(24)} ${Math.round(r.decisionsPerSecond!).toLocaleString("en-US").padStart(12)}/s  p50 ${r.latencyUs!.p50.toFixed(2)} µs  p99 ${r.latencyUs!.p99.toFixed(2)} µs  compile ${r.compileMs!.toFixed(1)} ms  (${r.verified} checked)`,
    );
  }
}

console.log("\nprobe: rarely named actions");
const probe = measureProbe(PADDINGS, requests, BUDGET);
console.log("lint");
const lint = measureLint(LINT.files, LINT.rounds);
console.log("middleware");
const middleware = await measureMiddleware(MIDDLEWARE.seconds, MIDDLEWARE.rounds).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));

const partial = {
  command: `npm run bench${quick ? " -- --quick" : ""}`,
  date: new Date().toISOString(),
  quick,
  machine: { ...machine, loadAverage: { ...machine.loadAverage, end: loadavg()[0]! } },
  clockOverheadNs: clockOverheadNs(),
  workload: { requests: requests.length, paddings: PADDINGS, decisionMix: mixes, parseMs },
  decisions,
  probe,
  lint,
  middleware,
};
const rs = ratios(decisions);
const results: Results = { ...partial, ratios: rs, targets: checkTargets(partial, rs) };

const report = markdown(results);
console.log(`\n${report}`);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(OUT, "RESULTS.md"), `# Benchmark results\n\n${report}\n![decisions per second against N](decisions-per-second.svg)\n`);
writeFileSync(join(OUT, "decisions-per-second.svg"), chart(results));
console.log(`wrote ${join(OUT, "results.json")}, RESULTS.md and decisions-per-second.svg`);
