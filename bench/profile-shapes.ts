/**
 * One policy shape's compiled decisions in a plain loop, for profilers that count rather than time:
 *   node --import ./bench/loader.mjs bench/profile-shapes.ts conditions 1000 [decisions]
 *   valgrind --tool=callgrind node --import ./bench/loader.mjs bench/profile-shapes.ts conditions 1000 200000
 * Prints the condition reads per decision (each is one condition of one statement evaluated: the work the
 * indexes leave) and the time per decision, which under load is only indicative.
 */
import { compile } from "../src/evaluate/compile.js";
import type { RequestContext } from "../src/evaluate/context.js";
import { ALL_SHAPES, shapeRequests, shapeWorkload, type Shape } from "./shape-workload.js";
import { contextOf } from "./workload.js";

const [shape = "conditions", n = "1000", decisions = "1000000"] = process.argv.slice(2);
if (!(ALL_SHAPES as readonly string[]).includes(shape)) throw new Error(`unknown shape ${shape}: one of ${ALL_SHAPES.join(", ")}`);
const requests = shapeRequests(2048);
const w = shapeWorkload(shape as Shape, Number(n), requests);
const set = compile({ identity: w.policies.map((policy) => ({ policy })) });
const contexts = requests.map(contextOf);

/** The same context with its condition-value reads counted. */
function counted(ctx: RequestContext, onRead: () => void): RequestContext {
  const values = new Map(ctx.values);
  const reads = Object.assign(Object.create(values) as Map<string, readonly string[]>, {
    get: (key: string) => (onRead(), values.get(key)),
    forEach: (visit: (v: readonly string[], k: string, m: Map<string, readonly string[]>) => void) => values.forEach(visit),
  });
  return { ...ctx, values: reads };
}
let reads = 0;
for (const ctx of contexts) set.evaluate(counted(ctx, () => reads++));

const total = Number(decisions);
let allowed = 0;
const start = process.hrtime.bigint();
for (let i = 0; i < total; i++) if (set.evaluate(contexts[i % contexts.length]!).decision === "Allow") allowed++;
const ns = Number(process.hrtime.bigint() - start) / total;
console.log(`${shape}, N = ${n}: ${(reads / contexts.length).toFixed(1)} condition reads a decision; ${ns.toFixed(0)} ns a decision (${allowed} allowed)`);
