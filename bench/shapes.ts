/**
 * `npm run bench:shapes` (`-- --quick` for a short run): decision cost by policy shape. Each shape pads the
 * scenario policies with N statements of one kind that an index on action and resource cannot tell apart:
 *
 * - conditions: `ess:*` / `ess:Describe*` / `ess:Create*` on `*` or broad ARN globs, differing only in their
 *   tag conditions (StringEquals / StringLike on request and resource tags, multi-value lists, one tag a
 *   request can meet and one it cannot);
 * - arn-globs: one broad ARN glob per statement (`…:scalinggroup/asg-<team>-*`);
 * - denies: mostly Deny statements guarding tagged groups;
 * - notaction: NotAction guard rails with tag conditions;
 * - ip-date: IpAddress / NotIpAddress / Date conditions on every statement (our engines only: the peers'
 *   translations cover String* tag conditions).
 *
 * The requests name groups of a multi-tenant account: each group carries one of 500 team tags. Every
 * engine's answers are checked against the interpreter before it is timed (bench/decisions.ts).
 */
import { loadavg, cpus } from "node:os";
import { decisionMix, measureEngines, referenceVerdicts, type Budget } from "./decisions.js";
import { casl } from "./engines/casl.js";
import type { Engine } from "./engines/engine.js";
import { oursCompiled, oursInterpreter } from "./engines/ours.js";
import { ACCOUNT, parseSources, pick, random, scenarioSources, STATEMENTS_PER_POLICY, type BenchRequest, type Rng, type Workload } from "./workload.js";
import { OPERATIONS } from "../src/ess/catalog.js";

const quick = process.argv.includes("--quick");
const PADDINGS = [10, 1000];
const BUDGET: Budget = quick ? { verifyMs: 500, throughputMs: 300, latencyMs: 300 } : { verifyMs: 2000, throughputMs: 1500, latencyMs: 1000 };
const ALL_SHAPES = ["conditions", "arn-globs", "denies", "notaction", "ip-date"] as const;
// `SHAPES=conditions,denies` measures some of them.
const SHAPES = ALL_SHAPES.filter((s) => !process.env.SHAPES || process.env.SHAPES.split(",").includes(s));
type Shape = (typeof ALL_SHAPES)[number];

const TEAMS = Array.from({ length: 500 }, (_, i) => `team-${i}`);
const ENVIRONMENTS = ["test", "dev", "prod"];
const REGIONS = ["cn-hangzhou", "cn-shanghai", "cn-beijing"];
const teams = (rng: Rng): string[] => [...new Set([pick(rng, TEAMS), pick(rng, TEAMS), pick(rng, TEAMS)].slice(0, 1 + Math.floor(rng() * 3)))];
const groupArn = (region: string, team: string, n: number): string => `acs:ess:${region}:${ACCOUNT}:scalinggroup/asg-${team}-${n}`;

type Json = Record<string, unknown>;

function shapeStatement(shape: Shape, rng: Rng): Json {
  const broad = pick(rng, ["*", `acs:ess:*:${ACCOUNT}:scalinggroup/*`, `acs:ess:${pick(rng, REGIONS)}:${ACCOUNT}:*`]);
  const action = pick(rng, ["ess:*", "ess:Describe*", "ess:Create*"]);
  switch (shape) {
    case "conditions":
      return {
        Effect: rng() < 0.1 ? "Deny" : "Allow",
        Action: action,
        Resource: broad,
        Condition:
          rng() < 0.5
            ? { StringEquals: { "acs:ResourceTag/team": teams(rng), "acs:ResourceTag/environment": [pick(rng, ENVIRONMENTS), "never-set"] } }
            : { StringLike: { [`acs:${action === "ess:Create*" ? "RequestTag" : "ResourceTag"}/team`]: teams(rng).map((t) => `${t}*`) }, StringEquals: { "acs:ResourceTag/environment": pick(rng, ENVIRONMENTS) } },
      };
    case "arn-globs":
      return { Effect: rng() < 0.15 ? "Deny" : "Allow", Action: action, Resource: `acs:ess:*:${ACCOUNT}:scalinggroup/asg-${pick(rng, TEAMS)}-*` };
    case "denies":
      return {
        Effect: rng() < 0.8 ? "Deny" : "Allow",
        Action: pick(rng, ["ess:Delete*", "ess:Modify*", "ess:*"]),
        Resource: broad,
        Condition: { StringEquals: { "acs:ResourceTag/team": teams(rng), "acs:ResourceTag/environment": "prod" } },
      };
    case "notaction":
      return {
        Effect: rng() < 0.6 ? "Deny" : "Allow",
        NotAction: [pick(rng, ["ess:Describe*", "ess:List*"]), "ecs:Describe*"],
        Resource: broad,
        Condition: { StringEquals: { "acs:ResourceTag/team": teams(rng) } },
      };
    case "ip-date":
      return {
        Effect: rng() < 0.2 ? "Deny" : "Allow",
        Action: action,
        Resource: broad,
        Condition:
          rng() < 0.5
            ? { [rng() < 0.8 ? "IpAddress" : "NotIpAddress"]: { "acs:SourceIp": [`10.${Math.floor(rng() * 256)}.0.0/16`] }, StringEquals: { "acs:ResourceTag/team": teams(rng) } }
            : { DateLessThan: { "acs:CurrentTime": `2027-0${1 + Math.floor(rng() * 9)}-01T00:00:00Z` }, IpAddress: { "acs:SourceIp": [`192.168.${Math.floor(rng() * 256)}.0/24`] } },
      };
  }
}

function shapeWorkload(shape: Shape, n: number, requests: readonly BenchRequest[]): Workload {
  const rng = random(20261206);
  const statements = Array.from({ length: n }, () => shapeStatement(shape, rng));
  const padding = [];
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_POLICY) {
    padding.push({ name: `${shape}-${padding.length}`, text: JSON.stringify({ Version: "1", Statement: statements.slice(i, i + STATEMENTS_PER_POLICY) }) });
  }
  const sources = [...scenarioSources(), ...padding];
  return { padding: n, sources, policies: parseSources(sources), requests };
}

function shapeRequests(count: number): BenchRequest[] {
  const rng = random(42);
  const operations = OPERATIONS.filter((op) => op.resource !== "all");
  return Array.from({ length: count }, () => {
    const op = pick(rng, operations);
    const region = pick(rng, REGIONS);
    const team = pick(rng, TEAMS);
    const keys: [string, string][] = [
      ["acs:SourceIp", `${rng() < 0.5 ? 10 : 192}.${rng() < 0.5 ? 168 : Math.floor(rng() * 256)}.${Math.floor(rng() * 256)}.7`],
      ["acs:CurrentTime", `2027-0${1 + Math.floor(rng() * 9)}-15T00:00:00Z`],
    ];
    if (op.resource === "create") {
      return { action: op.ramAction, resource: `acs:ess:${region}:${ACCOUNT}:scalinggroup/*`, requestTags: [["team", team]], resourceTags: [], keys };
    }
    return { action: op.ramAction, resource: groupArn(region, team, Math.floor(rng() * 4)), requestTags: [], resourceTags: [["team", team], ["environment", pick(rng, ENVIRONMENTS)]], keys };
  });
}

const requests = shapeRequests(2048);
console.log(`${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node ${process.versions.node}; load average ${loadavg()[0]!.toFixed(2)}`);
const rows: string[] = [];
for (const shape of SHAPES) {
  const engines: Engine[] = shape === "ip-date" ? [oursCompiled, oursInterpreter] : [oursCompiled, oursInterpreter, casl];
  const perN: Record<number, Record<string, { dps: number; p50: number; p99: number }>> = {};
  for (const n of PADDINGS) {
    const w = shapeWorkload(shape, n, requests);
    const expected = referenceVerdicts({ ...w, policies: parseSources(w.sources) });
    console.log(`\n${shape}, N = ${n}: reference decisions ${JSON.stringify(decisionMix(expected))}`);
    perN[n] = {};
    for (const r of await measureEngines(engines, w, expected, BUDGET)) {
      if (r.mismatch) throw new Error(`${r.engine} disagrees on ${shape} N=${n}: ${r.mismatch}`);
      perN[n]![r.engine] = { dps: r.decisionsPerSecond!, p50: r.latencyUs!.p50, p99: r.latencyUs!.p99 };
      console.log(`  ${r.engine.padEnd(24)} ${Math.round(r.decisionsPerSecond!).toLocaleString("en-US").padStart(12)}/s  p50 ${r.latencyUs!.p50.toFixed(2)} µs  p99 ${r.latencyUs!.p99.toFixed(2)} µs  compile ${r.compileMs!.toFixed(1)} ms`);
    }
  }
  const ours = (n: number) => perN[n]![oursCompiled.name]!;
  const caslAt = perN[1000]![casl.name];
  rows.push(
    `| ${shape} | ${Math.round(ours(10).dps).toLocaleString("en-US")} / ${ours(10).p50.toFixed(2)} µs / ${ours(10).p99.toFixed(2)} µs | ${Math.round(ours(1000).dps).toLocaleString("en-US")} / ${ours(1000).p50.toFixed(2)} µs / ${ours(1000).p99.toFixed(2)} µs | ${(ours(1000).dps / ours(10).dps).toFixed(2)} | ${caslAt ? `${(ours(1000).dps / caslAt.dps).toFixed(1)}×` : "—"} | ${(ours(1000).dps / perN[1000]![oursInterpreter.name]!.dps).toFixed(0)}× |`,
  );
}
console.log(`\n\`npm run bench:shapes${quick ? " -- --quick" : ""}\`, ${new Date().toISOString()}, load average ${loadavg()[0]!.toFixed(2)}\n`);
console.log("| shape | N = 10: decisions/s / p50 / p99 | N = 1,000: decisions/s / p50 / p99 | N=1,000 ÷ N=10 | ÷ CASL at 1,000 | ÷ interpreter at 1,000 |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const row of rows) console.log(row);
