/**
 * `npm run fuzz [-- --cases N] [--seed S] [--workers W] [--value-cases N]`
 *
 * The differential test of `test/differential.test.ts` at scale: at least N (default 1,000,000) request
 * decisions, each compared between the engine (evaluate, evaluate+trace, compile().evaluate) and the reference
 * interpreter, plus single-condition value-level decisions (operators alone and behind ForAnyValue:/ForAllValues:). Runs on every core; reports the count, the time, the
 * seed and every mismatch (the first ones in full, reproducible from the printed case). Exit 1 on any mismatch.
 */
import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import fc from "fast-check";
import { caseArb, qualifierOf, valueCaseArb } from "./reference/generators.js";
import { runCase, runValueCase, type Mismatch } from "./reference/differential.js";

interface Options {
  cases: number;
  valueCases: number;
  seed: number;
  workers: number;
}

function options(argv: readonly string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const cases = Number(get("cases") ?? 1_000_000);
  return {
    cases,
    valueCases: Number(get("value-cases") ?? Math.ceil(cases / 5)),
    seed: Number(get("seed") ?? (Date.now() % 2_147_483_647)),
    workers: Math.max(1, Number(get("workers") ?? availableParallelism())),
  };
}

interface Progress {
  type: "progress" | "done";
  worker: number;
  decisions: number;
  valueDecisions: number;
  mismatches: number;
  examples: { seed: number; mismatch: Mismatch }[];
  outcomes: Record<string, number>;
}

const BATCH = 200;

/** One worker: batches of cases, each batch with its own seed derived from the run's seed. */
async function work(worker: number, opts: Options): Promise<void> {
  const target = Math.ceil(opts.cases / opts.workers);
  const valueTarget = Math.ceil(opts.valueCases / opts.workers);
  const state: Progress = { type: "progress", worker, decisions: 0, valueDecisions: 0, mismatches: 0, examples: [], outcomes: {} };
  const record = (seed: number, ms: readonly Mismatch[]): void => {
    state.mismatches += ms.length;
    for (const m of ms) if (state.examples.length < 5) state.examples.push({ seed, mismatch: m });
  };
  let lastReport = Date.now();
  for (let batch = 0; state.decisions < target || state.valueDecisions < valueTarget; batch++) {
    const seed = (opts.seed + worker * 1_000_003 + batch * 7919) % 2_147_483_647;
    if (state.decisions < target) {
      fc.check(
        fc.property(caseArb(), (c) => {
          const r = runCase(c);
          state.decisions += r.requests;
          for (const d of r.decisions) state.outcomes[d] = (state.outcomes[d] ?? 0) + 1;
          record(seed, r.mismatches);
          return true;
        }),
        { numRuns: BATCH, seed },
      );
    }
    if (state.valueDecisions < valueTarget) {
      fc.check(
        fc.property(valueCaseArb, (v) => {
          const r = runValueCase(v);
          state.valueDecisions += r.requests;
          // Value-level outcomes per set qualifier, so a run shows that qualified conditions reached every decision.
          for (const d of r.decisions) state.outcomes[`${qualifierOf(v.operator)} ${d}`] = (state.outcomes[`${qualifierOf(v.operator)} ${d}`] ?? 0) + 1;
          record(seed, r.mismatches);
          return true;
        }),
        { numRuns: BATCH, seed: seed + 1 },
      );
    }
    if (Date.now() - lastReport > 5000) {
      process.send?.({ ...state });
      lastReport = Date.now();
    }
  }
  process.send?.({ ...state, type: "done" });
}

async function main(): Promise<void> {
  const workerIndex = process.env.FUZZ_WORKER;
  const opts: Options = workerIndex !== undefined ? (JSON.parse(process.env.FUZZ_OPTIONS!) as Options) : options(process.argv.slice(2));
  if (workerIndex !== undefined) return work(Number(workerIndex), opts);

  const started = Date.now();
  console.log(`fuzz: ≥ ${opts.cases} request decisions + ≥ ${opts.valueCases} value-level decisions, seed ${opts.seed}, ${opts.workers} workers`);
  const latest = new Map<number, Progress>();
  const total = (): Progress[] => [...latest.values()];
  const sum = (f: (p: Progress) => number): number => total().reduce((n, p) => n + f(p), 0);
  const ticker = setInterval(() => {
    const s = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`  ${s}s: ${sum((p) => p.decisions)} decisions, ${sum((p) => p.valueDecisions)} value-level, ${sum((p) => p.mismatches)} mismatches`);
  }, 30_000);
  await Promise.all(
    Array.from({ length: opts.workers }, (_, w) =>
      new Promise<void>((resolve, reject) => {
        const child = fork(process.argv[1]!, [], {
          env: { ...process.env, FUZZ_WORKER: String(w), FUZZ_OPTIONS: JSON.stringify(opts) },
          execArgv: process.execArgv,
        });
        child.on("message", (m: Progress) => latest.set(m.worker, m));
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker ${w} exited with ${code}`))));
      }),
    ),
  );
  clearInterval(ticker);
  const seconds = (Date.now() - started) / 1000;
  const decisions = sum((p) => p.decisions);
  const valueDecisions = sum((p) => p.valueDecisions);
  const mismatches = sum((p) => p.mismatches);
  const outcomes: Record<string, number> = {};
  for (const p of total()) for (const [k, n] of Object.entries(p.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + n;
  for (const p of total()) {
    for (const { seed, mismatch } of p.examples) console.log(`\nMISMATCH (worker ${p.worker}, batch seed ${seed}) ${mismatch.kind}: ${mismatch.detail}\n${JSON.stringify(mismatch.case)}`);
  }
  console.log(`outcomes: ${Object.entries(outcomes).sort().map(([k, n]) => `${k} ${n}`).join(", ")}`);
  console.log(`fuzz: ${decisions} request decisions + ${valueDecisions} value-level decisions = ${decisions + valueDecisions} cases, ${mismatches} mismatches, ${seconds.toFixed(0)} s, seed ${opts.seed}`);
  process.exitCode = mismatches === 0 && decisions >= opts.cases ? 0 : 1;
}

await main();
