#!/usr/bin/env node
// Runs the tap suite, enforces the coverage floor, and ends with the plain line `N passed, N failed`.
// tap 21 has no numeric coverage threshold (only 100% or "allow incomplete"), so the floor is checked here
// from `tap report json-summary`.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

// Measured on fresh clones, as on a clean CI machine (2026-11-30, merged full suite, two runs): lines 98.7 %,
// branches 90.8 %. (Until child processes ran under tap's TypeScript loader, their tsx source maps were merged
// wrongly and the figure wandered between 83 % and 90 %.) The floor sits about two points under, so a real drop
// fails CI and noise does not.
const COVERAGE_FLOOR = { lines: 96, branches: 88 };
const tapBin = new URL("../node_modules/.bin/tap", import.meta.url).pathname;

const run = spawnSync(tapBin, ["--allow-incomplete-coverage", ...process.argv.slice(2)], { encoding: "utf8", stdio: ["inherit", "pipe", "inherit"], maxBuffer: 1 << 30 });
process.stdout.write(run.stdout ?? "");
const summary = /# \{ total: (\d+), pass: (\d+)(?:, fail: (\d+))?/.exec(run.stdout ?? "");
const passed = summary ? Number(summary[2]) : 0;
let failed = summary ? Number(summary[3] ?? 0) : 1;
let status = run.status ?? 1;

if (process.argv.length === 2) {
  spawnSync(tapBin, ["report", "json-summary"], { stdio: "ignore" });
  try {
    const total = JSON.parse(readFileSync(".tap/report/coverage-summary.json", "utf8")).total;
    const low = Object.entries(COVERAGE_FLOOR).filter(([k, floor]) => total[k].pct < floor);
    console.log(`coverage: lines ${total.lines.pct}%, branches ${total.branches.pct}% (floor: lines ${COVERAGE_FLOOR.lines}%, branches ${COVERAGE_FLOOR.branches}%)`);
    if (low.length > 0) {
      console.log(`coverage below the floor: ${low.map(([k]) => k).join(", ")}`);
      failed += 1;
      status = status || 1;
    }
  } catch (e) {
    console.log(`coverage summary unavailable: ${e.message}`);
    status = status || 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(status);
