/**
 * Counts the work a function does as executed code blocks of the project's sources (V8's precise block coverage),
 * a number that does not depend on the machine's speed or load, unlike a time. Counting must start before the
 * sources are loaded (V8 gives block counters only to functions compiled after it starts), and resetting V8's
 * counters loses the process's own coverage: so this runs only in child processes (test/reference/work-child.ts).
 */
import { Session } from "node:inspector/promises";

const SOURCES = /\/src\/[^?]*\.[jt]s(\?|$)/;

interface ScriptCoverage {
  url: string;
  functions: { ranges: { count: number }[] }[];
}

const session = new Session();

/** Call before importing the code to count. */
export async function startCounting(): Promise<void> {
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });
}

export async function countSteps<T>(f: () => T): Promise<{ value: T; steps: number }> {
  await session.post("Profiler.takePreciseCoverage");
  const value = f();
  const { result } = (await session.post("Profiler.takePreciseCoverage")) as { result: ScriptCoverage[] };
  let steps = 0;
  for (const script of result) {
    if (!SOURCES.test(script.url)) continue;
    for (const fn of script.functions) for (const range of fn.ranges) steps += range.count;
  }
  return { value, steps };
}
