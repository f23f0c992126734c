/**
 * One policy shape compiled from freshly parsed policies, with its per-action indexes built, for profilers:
 *   node --cpu-prof --import ./bench/loader.mjs bench/profile-compile.ts conditions 10000
 *   valgrind --tool=callgrind node --import ./bench/loader.mjs bench/profile-compile.ts conditions 10000
 * The same work as `bench/shapes.ts --compile-only` measures for one shape; prints its wall time, which under
 * load or a profiler is only indicative, and the CPU time of both (every thread: the collector's helpers too),
 * which load sways less.
 */
import { compile } from "../src/evaluate/compile.js";
import { ALL_SHAPES, shapeRequests, shapeWorkload, type Shape } from "./shape-workload.js";
import { contextOf } from "./workload.js";

const [shape = "conditions", n = "10000"] = process.argv.slice(2);
if (!(ALL_SHAPES as readonly string[]).includes(shape)) throw new Error(`unknown shape ${shape}: one of ${ALL_SHAPES.join(", ")}`);
const w = shapeWorkload(shape as Shape, Number(n), shapeRequests(2048));
const firstPerAction = [...new Map(w.requests.map((r) => [r.action, contextOf(r)])).values()];
// As bench/shapes.ts does before measuring: the parse garbage is collected first.
(globalThis as { gc?: () => void }).gc?.();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const set = compile({ identity: w.policies.map((policy) => ({ policy })) });
const t1 = performance.now();
for (const ctx of firstPerAction) set.evaluate(ctx);
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
console.log(`${shape}, N = ${n}: compile() ${(t1 - t0).toFixed(1)} ms, per-action indexes ${(t2 - t1).toFixed(1)} ms (${firstPerAction.length} actions); both ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms of CPU (all threads)`);
