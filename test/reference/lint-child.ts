/**
 * Child process of test/robustness.test.ts: builds one big input by name, runs the parser, the linter or the
 * fixer on it, and reports CPU time and the rule ids found. Run in a child so that a hang is a timeout and an
 * out-of-memory is an exit code, not a stuck or crashed test run.
 */
import { parsePolicy } from "../../src/policy/parse.js";
import { fixPolicy, lintPolicy } from "../../src/lint/lint.js";
import { BIG_INPUTS } from "./big-inputs.js";

process.on("message", (msg: { input: string; mode: "parse" | "lint" | "fix" }) => {
  const text = BIG_INPUTS[msg.input]!();
  process.send!({ ready: true });
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  let ruleIds: string[];
  try {
    if (msg.mode === "parse") ruleIds = parsePolicy(text).findings.map((f) => f.ruleId);
    else if (msg.mode === "lint") ruleIds = lintPolicy(text).map((f) => f.ruleId);
    // Every fix, widening ones included: the point is that applying all of them terminates.
    else ruleIds = fixPolicy(text, { fixType: "widening" }).findings.map((f) => f.ruleId);
  } catch (e) {
    process.send!({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    return;
  }
  const cpu = process.cpuUsage(cpu0);
  process.send!({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - wall0, ruleIds: [...new Set(ruleIds)].sort(), count: ruleIds.length });
});
