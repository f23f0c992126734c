/**
 * The benchmark workload, the same for every engine: the scenario policies (scenarios.md T1–T3, R1–R2) padded
 * with N generated statements, and a deterministic mix of ESS requests. Everything comes from one seeded
 * generator, so a run is reproducible and the padding for N = 100 starts with the padding for N = 10.
 *
 * The workload stays inside what every peer can express with RAM's meaning: canonical-case actions and
 * ARNs, lower-case tag keys in requests, String* tag conditions only, identity policies at account scope.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { OPERATIONS } from "../src/ess/catalog.js";
import type { EssOperation } from "../src/ess/types.js";
import { makeContext, type RequestContext } from "../src/evaluate/context.js";
import type { Policy } from "../src/policy/ast.js";
import { loadPolicy } from "../src/policy/parse.js";

export const ACCOUNT = "1609982529920904";
/** The AccessKey of the benchmark's principal, for the middleware benchmark's signed requests. */
export const ACCESS_KEY = ["AKIDBENCH0001", "bench-secret"] as const;
const REPO = join(import.meta.dirname, "..");
const SCENARIO_POLICIES = ["t1-create-tagged-only", "t2-describe-group1-by-tag", "t3-operate-group1-by-tag", "r1-group1-by-arn", "r2-create-in-hangzhou"];

/** mulberry32: a small, fast, seedable PRNG; the benchmark needs reproducibility, not quality. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const pickSome = <T>(rng: Rng, items: readonly T[], max: number): T[] => [...new Set(Array.from({ length: 1 + Math.floor(rng() * max) }, () => pick(rng, items)))];
const chance = (rng: Rng, p: number): boolean => rng() < p;

function weighted<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  let r = rng();
  for (let i = 0; i < items.length; i++) {
    r -= weights[i]!;
    if (r < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

const REGIONS = ["cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-qingdao", "ap-southeast-1"] as const;
/** Hangzhou is where the scenario groups live, so it gets the largest share of requests. */
const REGION_WEIGHTS = [0.45, 0.15, 0.12, 0.1, 0.1, 0.08];

const TAG_VALUES: Readonly<Record<string, readonly string[]>> = {
  environment: ["test", "dev", "prod"],
  team: ["game1", "game2", "web", "data"],
  owner: ["alice", "bob", "carol"],
};

interface Group {
  readonly id: string;
  readonly region: string;
  readonly tags: readonly (readonly [string, string])[];
}

const groupArn = (region: string, id: string): string => `acs:ess:${region}:${ACCOUNT}:scalinggroup/${id}`;

/** The three scenario groups (scenarios.md) and four generated groups per region. */
function groups(): Group[] {
  const rng = random(7);
  const out: Group[] = [
    { id: "asg-bp17np35ywjwh2cx0001", region: "cn-hangzhou", tags: [["environment", "test"], ["team", "game1"]] },
    { id: "asg-bp1c5pl2qc6ozgb10002", region: "cn-hangzhou", tags: [["environment", "dev"], ["team", "game2"]] },
    { id: "asg-bp1hm4k7zr9tq2w30003", region: "cn-hangzhou", tags: [] },
  ];
  REGIONS.forEach((region, r) => {
    for (let k = 0; k < 4; k++) {
      const tags = Object.entries(TAG_VALUES)
        .filter(() => chance(rng, 0.7))
        .map(([key, values]) => [key, pick(rng, values)] as const);
      out.push({ id: `asg-bench${r}${k}${Math.floor(rng() * 1e9).toString(36).padStart(6, "0")}`, region, tags });
    }
  });
  return out;
}

const GROUPS: readonly Group[] = groups();

// ---- padding: realistic statements of an account that uses ESS beside other services ----

const OTHER_SERVICES: Readonly<Record<string, { actions: readonly string[]; resource: (region: string) => string }>> = {
  ecs: {
    actions: ["DescribeInstances", "RunInstances", "StartInstance", "StopInstance", "DeleteInstance", "CreateSecurityGroup", "AuthorizeSecurityGroup", "DescribeImages", "CreateSnapshot", "DescribeDisks"],
    resource: (region) => `acs:ecs:${region}:${ACCOUNT}:instance/*`,
  },
  oss: { actions: ["GetObject", "PutObject", "DeleteObject", "ListObjects", "GetBucketAcl", "PutBucketAcl"], resource: () => `acs:oss:*:${ACCOUNT}:app-logs/*` },
  vpc: { actions: ["CreateVpc", "DescribeVpcs", "CreateVSwitch", "DescribeVSwitches", "DeleteVpc"], resource: (region) => `acs:vpc:${region}:${ACCOUNT}:vpc/*` },
  slb: {
    actions: ["CreateLoadBalancer", "DescribeLoadBalancers", "AddBackendServers", "RemoveBackendServers"],
    resource: (region) => `acs:slb:${region}:${ACCOUNT}:loadbalancer/*`,
  },
  rds: { actions: ["DescribeDBInstances", "CreateDBInstance", "ModifyDBInstanceSpec"], resource: (region) => `acs:rds:${region}:${ACCOUNT}:dbinstance/*` },
  ram: { actions: ["CreateUser", "AttachPolicyToUser", "ListUsers", "GetUser"], resource: () => `acs:ram:*:${ACCOUNT}:user/*` },
  kms: { actions: ["Encrypt", "Decrypt", "GenerateDataKey"], resource: (region) => `acs:kms:${region}:${ACCOUNT}:key/*` },
};
const ESS_PREFIXES = ["ess:Describe*", "ess:Modify*", "ess:Create*", "ess:Delete*", "ess:Enable*", "ess:Disable*", "ess:List*"];

/** Every action a request or an expanded wildcard can name: ESS's catalog and the other services above. */
export const ACTION_UNIVERSE: readonly string[] = [
  ...new Set([...OPERATIONS.map((op) => op.ramAction), ...Object.entries(OTHER_SERVICES).flatMap(([s, v]) => v.actions.map((a) => `${s}:${a}`))]),
];

type Json = Record<string, unknown>;

type TagFamily = "RequestTag" | "ResourceTag";

function tagCondition(rng: Rng, family: TagFamily): Json {
  const operator = pick(rng, ["StringEquals", "StringEquals", "StringNotEquals", "StringLike"]);
  const keys = pickSome(rng, Object.keys(TAG_VALUES), 2);
  const values = (key: string): string[] =>
    operator === "StringLike" ? [`${pick(rng, TAG_VALUES[key]!).slice(0, 3)}*`] : pickSome(rng, TAG_VALUES[key]!, 2);
  return { [operator]: Object.fromEntries(keys.map((k) => [`acs:${family}/${k}`, values(k)])) };
}

/** A Deny's condition names what it protects: resources with one environment and one team. */
const guardCondition = (rng: Rng, family: TagFamily): Json => ({
  StringEquals: { [`acs:${family}/environment`]: pick(rng, TAG_VALUES.environment!), [`acs:${family}/team`]: pick(rng, TAG_VALUES.team!) },
});

/** An ESS statement: Allows on any scope, sometimes tag-conditioned; Denies protect one group, or tagged groups. */
function essStatement(rng: Rng, action: string | string[], denyShare: number, conditionShare: number, family: TagFamily): Json {
  if (chance(rng, denyShare)) {
    const g = pick(rng, GROUPS);
    return chance(rng, 0.5)
      ? { Effect: "Deny", Action: action, Resource: groupArn(g.region, g.id) }
      : { Effect: "Deny", Action: action, Resource: essResource(rng), Condition: guardCondition(rng, family) };
  }
  return { Effect: "Allow", Action: action, Resource: essResource(rng), ...(chance(rng, conditionShare) ? { Condition: tagCondition(rng, family) } : {}) };
}

function essResource(rng: Rng): string {
  const roll = rng();
  if (roll < 0.5) {
    const g = pick(rng, GROUPS);
    return groupArn(g.region, g.id);
  }
  if (roll < 0.7) return `acs:ess:${pick(rng, REGIONS)}:${ACCOUNT}:*`;
  if (roll < 0.85) return "*";
  return `acs:ess:*:${ACCOUNT}:scalinggroup/*`;
}

/**
 * ESS operations by how often policies name them: the group lifecycle and the common reads first, the rest
 * in a fixed shuffled order. Exact actions are drawn with Zipf weights (1/rank), so the tail is rarely named.
 */
const COMMON_OPERATIONS = [
  "DescribeScalingGroups", "CreateScalingGroup", "ModifyScalingGroup", "DeleteScalingGroup", "EnableScalingGroup", "DisableScalingGroup",
  "DescribeScalingInstances", "DescribeScalingActivities", "DescribeScalingRules", "ExecuteScalingRule", "DescribeScalingConfigurations",
  "CreateScalingConfiguration", "ModifyScalingConfiguration", "CreateScalingRule", "DescribeRegions",
];
function popularityOrder(): EssOperation[] {
  const rng = random(11);
  const rest = OPERATIONS.filter((op) => !COMMON_OPERATIONS.includes(op.name))
    .map((op) => [rng(), op] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, op]) => op);
  return [...COMMON_OPERATIONS.map((name) => OPERATIONS.find((op) => op.name === name)!), ...rest];
}
const BY_POPULARITY = popularityOrder();
const HARMONIC = BY_POPULARITY.reduce((sum, _, rank) => sum + 1 / (rank + 1), 0);
const ZIPF_WEIGHTS = BY_POPULARITY.map((_, rank) => 1 / (rank + 1) / HARMONIC);
const popularOperation = (rng: Rng): EssOperation => weighted(rng, BY_POPULARITY, ZIPF_WEIGHTS);

/**
 * One padding statement, as in an account where ESS is one service among several: about one statement in
 * eight is about ESS; account-wide wildcards (`ess:*`, `*:…`, NotAction guard rails) are rare.
 */
function paddingStatement(rng: Rng): Json {
  const roll = rng();
  const effect = (denyShare: number): string => (chance(rng, denyShare) ? "Deny" : "Allow");
  if (roll < 0.09) {
    // Exact ESS actions on one group, a region or everything.
    const actions = [...new Set(Array.from({ length: 1 + Math.floor(rng() * 3) }, () => popularOperation(rng).ramAction))];
    return essStatement(rng, actions, 0.15, 0.3, "ResourceTag");
  }
  if (roll < 0.115) {
    // ESS prefix wildcards, e.g. read-only access to one region's groups.
    const prefix = pick(rng, ESS_PREFIXES);
    return essStatement(rng, prefix, 0.2, 0.5, prefix === "ess:Create*" ? "RequestTag" : "ResourceTag");
  }
  if (roll < 0.116) return essStatement(rng, "ess:*", 0.3, 1, "ResourceTag");
  if (roll < 0.1165) return { Effect: "Allow", Action: "*:ListTagResources", Resource: "*" };
  if (roll < 0.117) {
    // A guard rail: nothing but reads on production resources, except for their owner.
    return {
      Effect: "Deny",
      NotAction: ["ecs:Describe*", "ess:Describe*", "oss:Get*"],
      Resource: "*",
      Condition: { StringEquals: { "acs:ResourceTag/environment": "prod" }, StringNotEquals: { "acs:ResourceTag/owner": "alice" } },
    };
  }
  const [service, spec] = pick(rng, Object.entries(OTHER_SERVICES));
  const region = pick(rng, REGIONS);
  if (roll < 0.87) {
    return {
      Effect: effect(0.1),
      Action: pickSome(rng, spec.actions, 4).map((a) => `${service}:${a}`),
      Resource: spec.resource(region),
      ...(chance(rng, 0.2) ? { Condition: tagCondition(rng, "ResourceTag") } : {}),
    };
  }
  const action = pick(rng, [`${service}:*`, `${service}:Describe*`, `${service}:Get*`, `${service}:List*`]);
  return { Effect: effect(0.1), Action: action, Resource: spec.resource(region) };
}

/** The first `n` statements of the padding sequence (the sequence does not depend on `n`). */
function paddingStatements(n: number): Json[] {
  const rng = random(20261130);
  return Array.from({ length: n }, () => paddingStatement(rng));
}

/** Statements per padding policy, well inside RAM's 6,144-character limit for identity policies. */
export const STATEMENTS_PER_POLICY = 8;

// ---- requests ----

export interface BenchRequest {
  readonly action: string;
  /** A scaling-group ARN, `scalinggroup/*` for creation, or `*` for operations on all resources. */
  readonly resource: string;
  readonly requestTags: readonly (readonly [string, string])[];
  /** Tags of the target group; empty when the request has no group. */
  readonly resourceTags: readonly (readonly [string, string])[];
  /** Global condition keys, e.g. `acs:SourceIp` (only the policy-shape benchmark sets them). */
  readonly keys?: readonly (readonly [string, string])[];
}

function benchRequest(rng: Rng): BenchRequest {
  const operation = pick(rng, OPERATIONS);
  const region = weighted(rng, REGIONS, REGION_WEIGHTS);
  const requestTags =
    operation.carriesRequestTag && chance(rng, 0.8)
      ? Object.entries(TAG_VALUES)
          .filter(([key]) => key !== "owner" && chance(rng, 0.75))
          .map(([key, values]) => [key, pick(rng, values)] as const)
      : [];
  const base = { action: operation.ramAction, requestTags };
  if (operation.resource === "all") return { ...base, resource: "*", resourceTags: [] };
  if (operation.resource === "create") return { ...base, resource: `acs:ess:${region}:${ACCOUNT}:scalinggroup/*`, resourceTags: [] };
  const group = pick(rng, GROUPS.filter((g) => g.region === region));
  return { ...base, resource: groupArn(region, group.id), resourceTags: group.tags };
}

export const REQUEST_COUNT = 2048;

export function benchRequests(count = REQUEST_COUNT): BenchRequest[] {
  const rng = random(42);
  return Array.from({ length: count }, () => benchRequest(rng));
}

export const contextOf = (r: BenchRequest): RequestContext =>
  makeContext({ action: r.action, resource: r.resource, requestTags: r.requestTags, resourceTags: r.resourceTags, ...(r.keys ? { keys: r.keys } : {}) });

// ---- the workload ----

interface PolicySource {
  readonly name: string;
  /** The RAM policy document as JSON text. */
  readonly text: string;
}

export interface Workload {
  readonly padding: number;
  /** The scenario policies followed by the padding policies, as attached to the principal. */
  readonly sources: readonly PolicySource[];
  /** The same policies, parsed. */
  readonly policies: readonly Policy[];
  readonly requests: readonly BenchRequest[];
}

export function scenarioSources(): PolicySource[] {
  return SCENARIO_POLICIES.map((name) => ({ name, text: readFileSync(join(REPO, "policies", `${name}.json`), "utf8") }));
}

export function paddingSources(n: number): PolicySource[] {
  const statements = paddingStatements(n);
  const out: PolicySource[] = [];
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_POLICY) {
    const chunk = statements.slice(i, i + STATEMENTS_PER_POLICY);
    out.push({ name: `padding-${out.length}`, text: JSON.stringify({ Version: "1", Statement: chunk }) });
  }
  return out;
}

export const parseSources = (sources: readonly PolicySource[]): Policy[] => sources.map((s) => loadPolicy(s.text, { name: s.name }));

export function workload(padding: number, requests: readonly BenchRequest[]): Workload {
  const sources = [...scenarioSources(), ...paddingSources(padding)];
  return { padding, sources, policies: parseSources(sources), requests };
}
