/**
 * `npm run bench:shapes` (`-- --quick` for a short run): decision cost by policy shape. Each shape pads the
 * scenario policies with N statements of one kind that an index on action and resource cannot tell apart:
 *
 * - conditions: `ess:*` / `ess:Describe*` / `ess:Create*` on `*` or broad ARN globs, differing only in their
 *   tag conditions (StringEquals / StringLike on request and resource tags, multi-value lists, one tag a
 *   request can meet and one it cannot);
 * - arn-globs: one broad ARN glob per statement (`…:scalinggroup/asg-<team>-*`);
 * - denies: mostly Deny statements guarding tagged groups;
 * - notaction: NotAction guard rails with tag conditions;
 * - ip-date: IpAddress / NotIpAddress / Date conditions on every statement (our engines only: the peers'
 *   translations cover String* tag conditions).
 *
 * The requests name groups of a multi-tenant account: each group carries one of 500 team tags (bench/shape-workload.ts).
 * Every engine's answers are checked against the interpreter before it is timed (bench/decisions.ts).
 */
import { loadavg, cpus } from "node:os";
import { decisionMix, measureEngines, referenceVerdicts, type Budget } from "./decisions.js";
import { casl } from "./engines/casl.js";
import type { Engine } from "./engines/engine.js";
import { oursCompiled, oursInterpreter } from "./engines/ours.js";
import { canCollect, memory, MB } from "./measure.js";
import { ALL_SHAPES, shapeRequests, shapeWorkload } from "./shape-workload.js";
import { contextOf, parseSources } from "./workload.js";
import { compile } from "../src/evaluate/compile.js";

const quick = process.argv.includes("--quick");
// `-- --compile-only` skips the decision timings.
const compileOnly = process.argv.includes("--compile-only");
const PADDINGS = [10, 1000];
const BUDGET: Budget = quick ? { verifyMs: 500, throughputMs: 300, latencyMs: 300 } : { verifyMs: 2000, throughputMs: 1500, latencyMs: 1000 };
/** Statements of the compile-cost run: compile time and retained memory of one set this large. */
const COMPILE_N = 10_000;
// `SHAPES=conditions,denies` measures some of them.
const SHAPES = ALL_SHAPES.filter((s) => !process.env.SHAPES || process.env.SHAPES.split(",").includes(s));

const requests = shapeRequests(2048);
console.log(`${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node ${process.versions.node}; load average ${loadavg()[0]!.toFixed(2)}`);
const rows: string[] = [];
for (const shape of compileOnly ? [] : SHAPES) {
  const engines: Engine[] = shape === "ip-date" ? [oursCompiled, oursInterpreter] : [oursCompiled, oursInterpreter, casl];
  const perN: Record<number, Record<string, { dps: number; p50: number; p99: number }>> = {};
  for (const n of PADDINGS) {
    const w = shapeWorkload(shape, n, requests);
    const expected = referenceVerdicts({ ...w, policies: parseSources(w.sources) });
    console.log(`\n${shape}, N = ${n}: reference decisions ${JSON.stringify(decisionMix(expected))}`);
    perN[n] = {};
    for (const r of await measureEngines(engines, w, expected, BUDGET)) {
      if (r.mismatch) throw new Error(`${r.engine} disagrees on ${shape} N=${n}: ${r.mismatch}`);
      perN[n]![r.engine] = { dps: r.decisionsPerSecond!, p50: r.latencyUs!.p50, p99: r.latencyUs!.p99 };
      console.log(`  ${r.engine.padEnd(24)} ${Math.round(r.decisionsPerSecond!).toLocaleString("en-US").padStart(12)}/s  p50 ${r.latencyUs!.p50.toFixed(2)} µs  p99 ${r.latencyUs!.p99.toFixed(2)} µs  compile ${r.compileMs!.toFixed(1)} ms`);
    }
  }
  const ours = (n: number) => perN[n]![oursCompiled.name]!;
  const caslAt = perN[1000]![casl.name];
  rows.push(
    `| ${shape} | ${Math.round(ours(10).dps).toLocaleString("en-US")} / ${ours(10).p50.toFixed(2)} µs / ${ours(10).p99.toFixed(2)} µs | ${Math.round(ours(1000).dps).toLocaleString("en-US")} / ${ours(1000).p50.toFixed(2)} µs / ${ours(1000).p99.toFixed(2)} µs | ${(ours(1000).dps / ours(10).dps).toFixed(2)} | ${caslAt ? `${(ours(1000).dps / caslAt.dps).toFixed(1)}×` : "—"} | ${(ours(1000).dps / perN[1000]![oursInterpreter.name]!.dps).toFixed(0)}× |`,
  );
}
if (!compileOnly) printTable();

function printTable(): void {
  console.log(`\n\`npm run bench:shapes${quick ? " -- --quick" : ""}\`, ${new Date().toISOString()}, load average ${loadavg()[0]!.toFixed(2)}\n`);
  console.log("| shape | N = 10: decisions/s / p50 / p99 | N = 1,000: decisions/s / p50 / p99 | N=1,000 ÷ N=10 | ÷ CASL at 1,000 | ÷ interpreter at 1,000 |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const row of rows) console.log(row);
}

/**
 * Compile cost of a COMPILE_N-statement set of one shape, from freshly parsed policies (matchers are cached per
 * parsed statement, so a second compile of the same objects would look cheaper): `compile()` itself, then
 * the per-action indexes, which a set builds on the first request for each action (here: one request per
 * distinct action of the workload); and the heap the set retains once both are built.
 */
function compileCost(shape: (typeof ALL_SHAPES)[number]): string {
  const w = shapeWorkload(shape, COMPILE_N, requests);
  const firstPerAction = [...new Map(w.requests.map((r) => [r.action, contextOf(r)])).values()];
  const before = memory();
  const t0 = performance.now();
  const set = compile({ identity: w.policies.map((policy) => ({ policy })) });
  const t1 = performance.now();
  for (const ctx of firstPerAction) set.evaluate(ctx);
  const t2 = performance.now();
  const retained = (memory().retained - before.retained) / MB;
  // Keeps the set alive until its memory was measured.
  if (set.input.identity.length === 0) throw new Error("empty set");
  return `| ${shape} | ${(t1 - t0).toFixed(1)} ms | ${(t2 - t1).toFixed(1)} ms (${firstPerAction.length} actions) | ${canCollect ? `${retained.toFixed(1)} MB` : "— (run with --expose-gc)"} |`;
}

console.log(`\nCompile cost at N = ${COMPILE_N.toLocaleString("en-US")} (scenario policies included; retained heap excludes the parsed policies):\n`);
console.log("| shape | compile() | per-action indexes, built on first use | retained by the compiled set |");
console.log("|---|---:|---:|---:|");
for (const shape of SHAPES) console.log(compileCost(shape));
