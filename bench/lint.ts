/**
 * Lint throughput: `lintFiles` (read from disk, parse, every rule) over generated policy files, a tenth of
 * them with a mistake from the best-practice guide (`ess:Describle*`) so that findings and fixes are built too.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintFiles } from "../src/lint/index.js";
import { paddingSources, STATEMENTS_PER_POLICY } from "./workload.js";

export interface LintResult {
  readonly files: number;
  readonly findings: number;
  /** Best of the rounds: the first round also pays for loading the rules. */
  readonly filesPerSecond: number;
  readonly rounds: readonly number[];
}

export function measureLint(files: number, rounds: number): LintResult {
  const dir = mkdtempSync(join(tmpdir(), "ess-authz-bench-lint-"));
  try {
    paddingSources(files * STATEMENTS_PER_POLICY).forEach((s, i) => {
      const text = i % 10 === 0 ? s.text.replace("ess:Describe*", "ess:Describle*") : s.text;
      writeFileSync(join(dir, `${s.name}.json`), JSON.stringify(JSON.parse(text), null, 2));
    });
    let findings = 0;
    const perSecond: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const { reports, unreadable } = lintFiles([dir]);
      const seconds = (performance.now() - t0) / 1000;
      if (reports.length !== files || unreadable.length > 0) throw new Error(`lint read ${reports.length} of ${files} files`);
      findings = reports.reduce((n, r) => n + r.findings.length, 0);
      perSecond.push(files / seconds);
    }
    return { files, findings, filesPerSecond: Math.max(...perSecond), rounds: perSecond };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
