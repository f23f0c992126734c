/**
 * Child process of the tests that bound work (test/robustness.test.ts, test/middleware-fast-paths.test.ts): runs
 * one job by name and reports the steps it took (executed code blocks, test/helpers/steps.ts) and what it found.
 * A child, so that a hang is a timeout and an out-of-memory an exit code, and because counting steps resets V8's
 * coverage counters, which would lose the test process's own coverage.
 */
import { countSteps, startCounting } from "../helpers/steps.js";
import { badEscapes, BIG_INPUTS } from "./big-inputs.js";

// The sources are imported once counting has started, so that their code has block counters.
await startCounting();
const { parsePolicy } = await import("../../src/policy/parse.js");
const { fixPolicy, lintPolicy } = await import("../../src/lint/lint.js");
const { globMatch } = await import("../../src/match/glob.js");
const { parseFormInto } = await import("../../src/middleware/form.js");

export type WorkJob =
  | { readonly mode: "parse" | "lint" | "fix"; readonly input: string }
  | { readonly mode: "glob"; readonly pattern: string; readonly input: string; readonly repeat: number }
  | { readonly mode: "form"; readonly pieces: number };

export interface WorkResult {
  steps?: number;
  /** Characters of the input the job worked on. */
  length?: number;
  ruleIds?: string[];
  matched?: boolean;
  error?: string;
  timedOut?: boolean;
  exit?: string;
}

async function run(job: WorkJob, ready: () => void): Promise<WorkResult> {
  if (job.mode === "glob") {
    const input = job.input.repeat(job.repeat);
    ready();
    const { value, steps } = await countSteps(() => globMatch(job.pattern, input));
    return { steps, length: input.length, matched: value };
  }
  if (job.mode === "form") {
    const body = badEscapes(job.pieces);
    ready();
    const { steps } = await countSteps(() =>
      parseFormInto(body, new Map(), (name) => {
        throw new Error(`repeated ${name}`);
      }),
    );
    return { steps, length: body.length };
  }
  const text = BIG_INPUTS[job.input]!();
  ready();
  const { value, steps } = await countSteps(() => {
    if (job.mode === "parse") return parsePolicy(text).findings;
    if (job.mode === "lint") return lintPolicy(text);
    return fixPolicy(text, { fixType: "widening" }).findings; // every fix, widening ones too: the bound is on the fixer's work
  });
  return { steps, length: text.length, ruleIds: [...new Set(value.map((f) => f.ruleId))].sort() };
}

process.on("message", (job: WorkJob) => {
  run(job, () => process.send!({ ready: true })).then(
    (result) => process.send!(result),
    (e: unknown) => process.send!({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
  );
});
