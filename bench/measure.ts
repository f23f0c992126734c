/**
 * Timing and memory primitives. Throughput is timed over whole batches (no clock read per call); latency
 * reads the clock around every call, so its percentiles include one clock read (`clockOverheadNs` says how
 * much that is on this machine).
 */
import { performance } from "node:perf_hooks";

const now = (): number => performance.now();
const gc = (globalThis as { gc?: () => void }).gc;

/** Defeats dead-code elimination: every answer is folded into this. */
let sink = 0;
const consume = (answer: unknown): void => {
  if (answer === sink) sink++;
};

/** Decisions per second: `decide` over `indices` round-robin for about `ms` milliseconds. */
export function throughput(decide: (i: number) => unknown, indices: readonly number[], ms: number): number {
  let batch = 1;
  let done = 0;
  let k = 0;
  const start = now();
  for (;;) {
    const batchStart = now();
    for (let b = 0; b < batch; b++) {
      consume(decide(indices[k]!));
      if (++k === indices.length) k = 0;
    }
    done += batch;
    const t = now();
    if (t - start >= ms) return (done / (t - start)) * 1000;
    // Grow batches until one takes about a millisecond, so clock reads cost nothing measurable.
    if (t - batchStart < 1) batch *= 2;
  }
}

export interface Latency {
  readonly samples: number;
  /** Microseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly mean: number;
}

/** The `q` quantile (0 ≤ q < 1) of ascending `sorted`: the value at index ⌊q·n⌋, the last one at most. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** One buffer for every run, so that memory snapshots do not see a previous run's samples. */
const samples = new Float64Array(2_000_000);

/**
 * Times each call separately for about `ms` milliseconds. Garbage the engines timed before left behind is
 * collected first, so that no engine's percentiles pay for another's.
 */
export function latency(decide: (i: number) => unknown, indices: readonly number[], ms: number): Latency {
  gc?.();
  let n = 0;
  let k = 0;
  const end = now() + ms;
  while (n < samples.length) {
    const t0 = now();
    consume(decide(indices[k]!));
    const t1 = now();
    samples[n++] = t1 - t0;
    if (++k === indices.length) k = 0;
    if (t1 >= end) break;
  }
  const sorted = samples.subarray(0, n).sort();
  const at = (q: number): number => percentile(sorted, q) * 1000;
  let total = 0;
  for (let i = 0; i < n; i++) total += sorted[i]!;
  return { samples: n, p50: at(0.5), p99: at(0.99), p999: at(0.999), mean: (total / n) * 1000 };
}

/** The median cost of two back-to-back clock reads, in nanoseconds. */
export function clockOverheadNs(): number {
  const reads = new Float64Array(100_000);
  for (let i = 0; i < reads.length; i++) {
    const t0 = now();
    reads[i] = now() - t0;
  }
  return percentile(reads.sort(), 0.5) * 1e6;
}

/** Whether the process runs with `--expose-gc`, so that retained memory can be measured. */
export const canCollect = gc !== undefined;

export interface MemorySnapshot {
  /** JS heap plus memory outside it (Wasm, buffers), after a full collection when possible. */
  readonly retained: number;
  readonly rss: number;
}

export function memory(): MemorySnapshot {
  // Twice: weakly held entries (the interpreter's matcher cache) are released by the second collection.
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { retained: m.heapUsed + m.external, rss: m.rss };
}

export const MB = 1024 * 1024;
