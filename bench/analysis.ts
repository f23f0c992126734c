/**
 * The exact new-access check on a typical pull request: two versions of a ~6 KB identity policy (the RAM size
 * limit is 6,144 characters) that differ by a few edits. Prints wall-clock times: the first call of a fresh
 * process (what a CI job pays, class construction included; with its CPU time, which a loaded machine inflates
 * less) and the median of later calls; then, when the CLI is built (`npm run build`), whole `ess-authz check
 * no-new-access` processes on the same files, module loading included.
 *
 *   node --import ./bench/loader.mjs bench/analysis.ts
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { findNewAccess, type AnalysisResult } from "../src/analysis/analyze.js";
import type { Policy } from "../src/policy/ast.js";
import { parsePolicy } from "../src/policy/parse.js";

const ACCOUNT = "1609982529920904";
const REGIONS = ["cn-hangzhou", "cn-shanghai", "cn-beijing", "ap-southeast-1", "eu-central-1"];
const TEAMS = ["game1", "game2", "web", "data"];

/** A team's policy: per-region group ARNs, tag-scoped operations, an office IP range, a deny for production. */
function teamStatements(edit: (statements: object[]) => void): object[] {
  const statements: object[] = [];
  REGIONS.forEach((region, r) => {
    statements.push({
      Sid: `Operate${r}`,
      Effect: "Allow",
      Action: ["ess:Describe*", "ess:ModifyScalingGroup", "ess:EnableScalingGroup", "ess:DisableScalingGroup", "ess:ExecuteScalingRule"],
      Resource: TEAMS.map((_, g) => `acs:ess:${region}:${ACCOUNT}:scalinggroup/asg-bp1${r}${g}np35ywjwh2cx000${g}`),
    });
    statements.push({
      Sid: `Create${r}`,
      Effect: "Allow",
      Action: ["ess:CreateScalingGroup", "ess:TagResources"],
      Resource: `acs:ess:${region}:${ACCOUNT}:scalinggroup/*`,
      Condition: { StringEquals: { "acs:RequestTag/team": TEAMS }, IpAddress: { "acs:SourceIp": ["192.168.0.0/16", "10.10.0.0/16"] } },
    });
  });
  TEAMS.forEach((team, i) => {
    statements.push({
      Sid: `Team${i}`,
      Effect: "Allow",
      Action: ["ess:Delete*", "ess:Attach*", "ess:Detach*"],
      Resource: "*",
      Condition: { StringEquals: { "acs:ResourceTag/team": [team] }, Bool: { "acs:SecureTransport": ["true"] } },
    });
  });
  statements.push(
    { Sid: "NoProd", Effect: "Deny", Action: ["ess:Delete*", "ess:Modify*"], Resource: "*", Condition: { StringEqualsIgnoreCase: { "acs:ResourceTag/env": ["prod", "production"] } } },
    { Sid: "Office", Effect: "Deny", Action: "ess:*", Resource: "*", Condition: { NotIpAddress: { "acs:SourceIp": ["192.168.0.0/16", "10.10.0.0/16", "203.0.113.0/24"] } } },
    { Sid: "Window", Effect: "Deny", Action: "ess:*", Resource: "*", Condition: { DateGreaterThan: { "acs:CurrentTime": ["2027-06-30T23:59:59+08:00"] } } },
  );
  edit(statements);
  return statements;
}

function policy(name: string, statements: object[]): Policy {
  const text = JSON.stringify({ Version: "1", Statement: statements }, null, 1);
  const { policy, findings } = parsePolicy(text, { name });
  if (!policy) throw new Error(`${name}: ${findings.map((f) => f.message).join("; ")}`);
  return policy;
}

const before = policy("old", teamStatements(() => {}));
const PULL_REQUESTS: [string, Policy][] = [
  ["one group in every region (the issue's widening)", policy("new", teamStatements((s) => ((s[0] as { Resource: string[] }).Resource[0] = `acs:ess:*:${ACCOUNT}:scalinggroup/asg-bp100np35ywjwh2cx0000`)))],
  ["a wider office range", policy("new", teamStatements((s) => ((s[1] as { Condition: { IpAddress: Record<string, string[]> } }).Condition.IpAddress["acs:SourceIp"] = ["192.168.0.0/15", "10.10.0.0/16"])))],
  ["a reordered, equivalent policy", policy("new", teamStatements((s) => s.reverse()))],
];

const size = JSON.stringify(before.document).length;
console.log(`policy: ${before.statements.length} statements, ${size} characters without whitespace`);
for (const [what, after] of PULL_REQUESTS) {
  const times: number[] = [];
  let result: AnalysisResult | undefined;
  let firstCpu = 0;
  for (let i = 0; i < 11; i++) {
    const [start, cpu] = [performance.now(), process.cpuUsage()];
    result = await findNewAccess([before], [after]);
    times.push(performance.now() - start);
    if (i === 0) firstCpu = process.cpuUsage(cpu).user / 1000;
  }
  const [first, ...rest] = times;
  rest.sort((a, b) => a - b);
  console.log(`${what}: ${result!.status}, ${result!.steps} steps; first call ${first!.toFixed(0)} ms (${firstCpu.toFixed(0)} ms CPU), median of 10 more ${rest[5]!.toFixed(0)} ms`);
}

const BIN = new URL("../dist/cli/bin.js", import.meta.url).pathname;
if (existsSync(BIN)) {
  const dir = mkdtempSync(join(tmpdir(), "ess-authz-bench-"));
  const file = (name: string, p: Policy): string => (writeFileSync(join(dir, name), JSON.stringify(p.document, null, 1)), join(dir, name));
  const [oldFile, newFile] = [file("old.json", before), file("new.json", PULL_REQUESTS[0]![1])];
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    try {
      execFileSync(process.execPath, [BIN, "check", "no-new-access", oldFile, newFile], { stdio: "ignore" });
    } catch {
      // exit 1: the widening is found, as expected
    }
    runs.push(performance.now() - start);
  }
  runs.sort((a, b) => a - b);
  console.log(`cold process, ess-authz check no-new-access (${PULL_REQUESTS[0]![0]}): fastest ${runs[0]!.toFixed(0)} ms, median of 5 ${runs[2]!.toFixed(0)} ms`);
} else console.log("cold process: skipped (npm run build first)");
