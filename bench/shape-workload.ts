/**
 * The policy-shape workloads (`npm run bench:shapes`): the scenario policies padded with N statements of one
 * shape, and requests naming groups of a multi-tenant account where each group carries one of 500 team tags.
 * Deterministic: everything comes from seeded generators.
 */
import { ACCOUNT, parseSources, pick, random, scenarioSources, STATEMENTS_PER_POLICY, type BenchRequest, type Rng, type Workload } from "./workload.js";
import { OPERATIONS } from "../src/ess/catalog.js";

export const ALL_SHAPES = ["conditions", "arn-globs", "denies", "notaction", "ip-date"] as const;
export type Shape = (typeof ALL_SHAPES)[number];

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

export function shapeWorkload(shape: Shape, n: number, requests: readonly BenchRequest[]): Workload {
  const rng = random(20261206);
  const statements = Array.from({ length: n }, () => shapeStatement(shape, rng));
  const padding = [];
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_POLICY) {
    padding.push({ name: `${shape}-${padding.length}`, text: JSON.stringify({ Version: "1", Statement: statements.slice(i, i + STATEMENTS_PER_POLICY) }) });
  }
  const sources = [...scenarioSources(), ...padding];
  return { padding: n, sources, policies: parseSources(sources), requests };
}

export function shapeRequests(count: number): BenchRequest[] {
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

