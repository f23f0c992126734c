/**
 * Decisions per second, latency, compile time and memory of every engine on the same workload, for each
 * padding size N. Every engine's answers are checked against the interpreter's before it is timed, and only
 * on the requests that were checked: a fast wrong engine is not a result.
 */
import type { Engine, PreparedEngine, Verdict } from "./engines/engine.js";
import { oursInterpreter } from "./engines/ours.js";
import { portable, type PortableStatement } from "./engines/portable.js";
import { latency, memory, MB, throughput, type Latency } from "./measure.js";
import { contextOf, workload, type BenchRequest, type Workload } from "./workload.js";
import { compile } from "../src/evaluate/compile.js";
import { appendTo } from "../src/evaluate/context.js";
import { globMatch } from "../src/match/glob.js";

export interface Budget {
  /** Longest time spent checking one engine's answers; slow engines are timed on the requests checked by then. */
  readonly verifyMs: number;
  readonly throughputMs: number;
  readonly latencyMs: number;
}

export interface EngineResult {
  readonly engine: string;
  readonly package: string;
  readonly padding: number;
  /** Requests whose answers were checked, and then timed (before the first disagreement, if any). */
  readonly verified: number;
  /** The first disagreement with the reference: the engine was not timed. */
  readonly mismatch?: string;
  readonly compileMs?: number;
  readonly decisionsPerSecond?: number;
  readonly latencyUs?: Latency;
  readonly retainedMB?: number;
  readonly rssMB?: number;
}

/** Verdicts agree when the engine says as much as it can: a bare `Deny` matches either kind of deny. */
function agrees(actual: Verdict, expected: Verdict): boolean {
  if (actual.decision === "Deny") return expected.decision !== "Allow";
  if (actual.decision !== expected.decision) return false;
  return actual.determining === undefined || actual.determining.join() === expected.determining!.join();
}

function describe(r: BenchRequest): string {
  const tags = (t: BenchRequest["requestTags"]): string => t.map(([k, v]) => `${k}=${v}`).join(",");
  return `${r.action} on ${r.resource} (request tags: ${tags(r.requestTags) || "none"}; resource tags: ${tags(r.resourceTags) || "none"})`;
}

/** Checks answers in request order until all are checked or the budget is spent (at least a few, always). */
function verify(prepared: PreparedEngine, expected: readonly Verdict[], requests: readonly BenchRequest[], budgetMs: number): { verified: number; mismatch?: string } {
  const MIN_CHECKED = 16;
  const end = performance.now() + budgetMs;
  let i = 0;
  for (; i < expected.length; i++) {
    const v = prepared.verdict(prepared.decide(i));
    if (!agrees(v, expected[i]!)) {
      return { verified: i, mismatch: `${describe(requests[i]!)}: expected ${JSON.stringify(expected[i])}, got ${JSON.stringify(v)}` };
    }
    if (i >= MIN_CHECKED && performance.now() > end) return { verified: i + 1 };
  }
  return { verified: i };
}

/** Rounds of the throughput measurement, interleaved across engines; each engine's best round counts. */
const ROUNDS = 5;

interface Ready {
  readonly result: EngineResult;
  readonly decide: (i: number) => unknown;
  readonly indices: readonly number[];
}

/** Prepares (timed as compile), measures retained memory, and checks the answers. */
async function prepareAndVerify(engine: Engine, w: Workload, expected: readonly Verdict[], budget: Budget): Promise<Ready | EngineResult> {
  const base = { engine: engine.name, package: engine.package, padding: w.padding };
  const before = memory();
  const t0 = performance.now();
  const prepared = await engine.prepare(w);
  const compileMs = performance.now() - t0;
  const after = memory();
  const { verified, mismatch } = verify(prepared, expected, w.requests, budget.verifyMs);
  if (mismatch) return { ...base, verified, mismatch };
  return {
    result: { ...base, verified, compileMs, retainedMB: (after.retained - before.retained) / MB, rssMB: (after.rss - before.rss) / MB },
    decide: prepared.decide,
    indices: Array.from({ length: verified }, (_, i) => i),
  };
}

/**
 * Every engine on one workload. Throughput rounds are interleaved across the engines, so that load coming and
 * going on the machine hits them alike; the best round of each counts (other work only ever slows one down).
 */
export async function measureEngines(engines: readonly Engine[], w: Workload, expected: readonly Verdict[], budget: Budget): Promise<EngineResult[]> {
  const outcomes: (Ready | EngineResult)[] = [];
  for (const engine of engines) outcomes.push(await prepareAndVerify(engine, w, expected, budget));
  const ready = outcomes.filter((o): o is Ready => "decide" in o);
  const best = new Map<Ready, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of ready) best.set(r, Math.max(best.get(r) ?? 0, throughput(r.decide, r.indices, budget.throughputMs / ROUNDS)));
  }
  return outcomes.map((o) =>
    "decide" in o ? { ...o.result, decisionsPerSecond: best.get(o)!, latencyUs: latency(o.decide, o.indices, budget.latencyMs) } : o,
  );
}

/** The reference answers: the interpreter's, which the differential tests hold the compiled path to. */
export function referenceVerdicts(w: Workload): Verdict[] {
  const prepared = oursInterpreter.prepare(w) as PreparedEngine;
  return w.requests.map((_, i) => prepared.verdict(prepared.decide(i)));
}

export function decisionMix(verdicts: readonly Verdict[]): Record<string, number> {
  const mix: Record<string, number> = { Allow: 0, ExplicitDeny: 0, ImplicitDeny: 0 };
  for (const v of verdicts) mix[v.decision] = (mix[v.decision] ?? 0) + 1;
  return mix;
}

// ---- the "few statements" probe: per-request cost at large N for actions few statements name ----

export interface Probe {
  readonly actions: readonly string[];
  readonly requests: number;
  /** The most statements whose Action element matches a probed action, at the largest N. */
  readonly statementsAtLargest: number;
  /**
   * Per probed request, on average: statements whose action and resource both match, the ones an exact
   * evaluator cannot skip (their conditions decide). The cost per decision follows this, not N.
   */
  readonly applicable: Readonly<Record<number, number>>;
  readonly nsPerDecision: Readonly<Record<number, number>>;
  readonly p50Us: Readonly<Record<number, number>>;
}

/** Average over `requests` of the statements whose action and some resource pattern match (conditions aside). */
function meanApplicable(statements: readonly PortableStatement[], requests: readonly BenchRequest[]): number {
  const byAction = new Map<string, PortableStatement[]>();
  for (const s of statements) {
    for (const a of s.actions) appendTo(byAction, a, s);
  }
  const applicable = (r: BenchRequest): number => (byAction.get(r.action) ?? []).filter((s) => s.resources.some((p) => globMatch(p, r.resource))).length;
  return requests.reduce((sum, r) => sum + applicable(r), 0) / requests.length;
}

/** The probe takes the requested actions named by no more statements than the one at this quantile. */
const PROBE_QUANTILE = 0.25;

/** Picks the requested actions the fewest statements name at the largest N, and the requests that use them. */
function probeRequests(largest: readonly PortableStatement[], requests: readonly BenchRequest[]): { actions: string[]; indices: number[]; statements: number } {
  const named = new Map<string, number>();
  for (const s of largest) for (const a of s.actions) named.set(a, (named.get(a) ?? 0) + 1);
  const requested = [...new Set(requests.map((r) => r.action))];
  const counts = requested.map((a) => named.get(a) ?? 0).sort((a, b) => a - b);
  const limit = counts[Math.floor(counts.length * PROBE_QUANTILE)]!;
  const actions = requested.filter((a) => (named.get(a) ?? 0) <= limit).sort();
  const indices = requests.flatMap((r, i) => (actions.includes(r.action) ? [i] : []));
  return { actions, indices, statements: limit };
}

/**
 * The probe (chosen at the largest N) and the mean number of statements that apply to its requests at every N,
 * translating each workload once; the translations are dropped before anything is timed.
 */
function probeSelection(
  paddings: readonly number[],
  workloads: readonly Workload[],
  requests: readonly BenchRequest[],
): ReturnType<typeof probeRequests> & { applicable: Record<number, number> } {
  const translated = workloads.map((w) => portable(w.policies));
  const probe = probeRequests(translated[paddings.indexOf(Math.max(...paddings))]!, requests);
  const probed = probe.indices.map((i) => requests[i]!);
  const applicable: Record<number, number> = {};
  translated.forEach((statements, k) => (applicable[paddings[k]!] = meanApplicable(statements, probed)));
  return { ...probe, applicable };
}

/** Times the compiled engine on the probe requests at every N (fresh policies, so nothing is shared). */
export function measureProbe(paddings: readonly number[], requests: readonly BenchRequest[], budget: Budget): Probe {
  const workloads = paddings.map((n) => workload(n, requests));
  const { actions, indices, statements, applicable } = probeSelection(paddings, workloads, requests);
  const contexts = requests.map(contextOf);
  const nsPerDecision: Record<number, number> = {};
  const p50Us: Record<number, number> = {};
  const sets = workloads.map((w) => compile(w.policies));
  const deciders = sets.map((set) => (i: number): unknown => set.evaluate(contexts[i]!));
  // Interleaved rounds, best of each, as for the engines.
  for (let round = 0; round < ROUNDS; round++) {
    deciders.forEach((decide, k) => {
      const ns = 1e9 / throughput(decide, indices, budget.throughputMs / ROUNDS);
      nsPerDecision[paddings[k]!] = Math.min(nsPerDecision[paddings[k]!] ?? Infinity, ns);
    });
  }
  deciders.forEach((decide, k) => (p50Us[paddings[k]!] = latency(decide, indices, budget.latencyMs).p50));
  return { actions, requests: indices.length, statementsAtLargest: statements, applicable, nsPerDecision, p50Us };
}
