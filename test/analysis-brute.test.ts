import t from "tap";
import type { Policy } from "../src/policy/ast.js";
import { compile } from "../src/evaluate/compile.js";
import { makeContext, type RequestContext } from "../src/evaluate/context.js";
import { globMatch } from "../src/match/glob.js";
import { OPERATIONS } from "../src/ess/catalog.js";
import { decideRequestFile } from "../src/ess/decide.js";
import { findNewAccess, type AnalysisResult } from "../src/analysis/analyze.js";
import { policyOf } from "./helpers/policies.js";

/**
 * Brute force on a small domain: random policy pairs over a few actions, regions, accounts, group ids, tags,
 * IP addresses and Bool values; every request of the domain (each value a policy names, and values none of them
 * names) is decided with the compiled evaluator, and "does NEW allow a request OLD does not?" must get the
 * analysis' answer. The domain is complete for these patterns by construction: each value below stands for
 * every value the patterns cannot tell from it, and sets of two values stand for case-variant tags or keys
 * (with at most two statements of one condition each, two values are all a question can need).
 */

const ACTION_PATTERNS = ["ess:DeleteScalingGroup", "ess:Delete*", "ess:*", "*", "ess:CreateScalingGroup", "ess:*ScalingGroup?", "ess:TagResources", "ESS:DESCRIBEREGIONS"];
const RESOURCE_PATTERNS = [
  "*",
  "acs:ess:*",
  "acs:ess:*:111:scalinggroup/asg-1",
  "acs:ess:cn-hangzhou:*:scalinggroup/*",
  "acs:ess:cn-hangzhou:111:scalinggroup/ASG-1",
  "acs:ess:cn-*:111:scalinggroup/asg-?",
  "acs:ess:cn-hangzhou:111:scalinggroup/*",
  "acs:ess:*:*:scalinggroup/asg-1",
];
const CONDITIONS: Record<string, [string, string[]][]> = {
  "acs:ResourceTag/team": [
    ["StringEquals", ["a"]],
    ["StringEquals", ["a", "b"]],
    ["StringNotEquals", ["b"]],
    ["StringEqualsIgnoreCase", ["A"]],
    ["StringLike", ["*"]],
    ["StringNotLike", ["b*"]],
  ],
  "acs:RequestTag/Team": [
    ["StringEquals", ["a"]],
    ["StringNotEquals", ["a"]],
    ["StringLike", ["b*"]],
  ],
  "acs:SourceIp": [
    ["IpAddress", ["10.0.0.0/8"]],
    ["NotIpAddress", ["10.1.0.0/16", "192.168.0.1"]],
    ["IpAddress", ["::/0"]],
  ],
  "acs:SecureTransport": [
    ["Bool", ["true"]],
    ["Bool", ["false"]],
  ],
};
const VALUES: Record<string, string[]> = {
  "acs:ResourceTag/team": ["a", "b", "A", "c"],
  "acs:RequestTag/Team": ["a", "b", "A", "c"],
  "acs:SourceIp": ["10.0.0.1", "10.1.2.3", "8.8.8.8", "192.168.0.1", "garbage", "::1"],
  "acs:SecureTransport": ["true", "false", "garbage"],
};

type Shape = "all" | "create" | "group" | "any";
interface DomainAction {
  readonly action: string;
  readonly shapes: ReadonlySet<Shape>;
  readonly requestTags: boolean;
}

/** One catalog action per (patterns matched, resource shapes, request tags), and names outside the catalog. */
const DOMAIN_ACTIONS = domainActions();

function domainActions(): DomainAction[] {
  const bySignature = new Map<string, DomainAction>();
  for (const op of OPERATIONS) {
    const shapes = new Set<Shape>([op.resource, ...(op.unboundTasks ? ["all" as const] : [])]);
    const signature = JSON.stringify([ACTION_PATTERNS.map((p) => globMatch(p.toLowerCase(), op.ramAction.toLowerCase())), [...shapes].sort(), op.carriesRequestTag]);
    if (!bySignature.has(signature)) bySignature.set(signature, { action: op.ramAction, shapes, requestTags: op.carriesRequestTag });
  }
  const outside = ["ess:deletefuture", "ess:futurescalinggroups", "ess:deletefuturescalinggroupx", "ess:future", "ecs:runinstances"];
  return [...bySignature.values(), ...outside.map((action) => ({ action, shapes: new Set<Shape>(["any"]), requestTags: true }))];
}

const GROUP_ARNS = ["cn-hangzhou", "cn-beijing", "eu-central-1"].flatMap((r) =>
  ["111", "222"].flatMap((a) => ["asg-1", "ASG-1", "asg-2", "asg-10"].map((id) => `acs:ess:${r}:${a}:scalinggroup/${id}`)),
);
const CREATE_ARNS = ["cn-hangzhou", "cn-beijing", "eu-central-1"].flatMap((r) => ["111", "222"].map((a) => `acs:ess:${r}:${a}:scalinggroup/*`));
const RESOURCES: Record<Shape, string[]> = {
  group: GROUP_ARNS,
  create: CREATE_ARNS,
  all: ["*"],
  any: [...GROUP_ARNS, ...CREATE_ARNS, "*", "acs:ecs:cn-hangzhou:111:instance/i-1", "acs:ess:x", "acs:ess:cn-hangzhou:111:scalinggroup/asg-1/x"],
};

/** Absent, every value, every pair of values. */
function valueSets(values: readonly string[]): string[][] {
  return [[], ...values.map((v) => [v]), ...values.flatMap((v, i) => values.slice(i + 1).map((w) => [v, w]))];
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPolicy(rand: () => number, keys: readonly string[], name: string): Policy {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const statements = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => {
    const key = pick(keys);
    const [operator, values] = pick(CONDITIONS[key]!);
    return {
      Effect: rand() < 0.7 ? "Allow" : "Deny",
      Action: pick(ACTION_PATTERNS),
      Resource: pick(RESOURCE_PATTERNS),
      ...(rand() < 0.7 ? { Condition: { [operator]: { [key]: values } } } : {}),
    };
  });
  return policyOf(statements, name);
}

/** Every request of the domain carrying values for these keys (and no others), built once per key set. */
const requestsByKeys = new Map<string, RequestContext[]>();

function requestsFor(keys: readonly string[]): RequestContext[] {
  const id = keys.join("\n");
  let requests = requestsByKeys.get(id);
  if (requests) return requests;
  requests = [];
  for (const { action, shapes, requestTags } of DOMAIN_ACTIONS) {
    for (const shape of shapes) {
      for (const resource of RESOURCES[shape]) {
        const carries = (key: string): boolean =>
          key.startsWith("acs:RequestTag/") ? requestTags : key.startsWith("acs:ResourceTag/") ? shape === "group" || shape === "any" : true;
        let combos: [string, string[]][][] = [[]];
        for (const key of keys) {
          const sets = carries(key) ? valueSets(VALUES[key]!) : [[]];
          combos = combos.flatMap((c) => sets.map((set) => [...c, [key, set] as [string, string[]]]));
        }
        for (const combo of combos) {
          // A second value goes under the key in upper case: tags (or keys) whose names differ only in case.
          const spelled = (prefix: string, tag: boolean): [string, string][] =>
            combo
              .filter(([k]) => (tag ? k.startsWith(prefix) : !k.includes("Tag/")))
              .flatMap(([k, vs]) => vs.map((v, i): [string, string] => [i === 0 ? k.slice(prefix.length) : k.slice(prefix.length).toUpperCase(), v]));
          requests.push(makeContext({ action, resource, keys: spelled("", false), requestTags: spelled("acs:RequestTag/", true), resourceTags: spelled("acs:ResourceTag/", true) }));
        }
      }
    }
  }
  requestsByKeys.set(id, requests);
  return requests;
}

/** True as soon as NEW allows a request of the domain OLD does not. */
function bruteForce(before: Policy, after: Policy, keys: readonly string[], counter: { requests: number }): boolean {
  const [was, now] = [compile([before]), compile([after])];
  const used = keys.filter((k) => [before, after].some((p) => p.statements.some((s) => s.conditions.some((c) => c.key === k))));
  for (const ctx of requestsFor([...new Set(used)].sort())) {
    counter.requests++;
    if (now.evaluate(ctx).decision === "Allow" && was.evaluate(ctx).decision !== "Allow") return true;
  }
  return false;
}

const PAIRS = 1000;

t.test("the analysis answers as the enumeration of every request of a small domain", async (t) => {
  const rand = mulberry32(18);
  const allKeys = Object.keys(CONDITIONS);
  const counter = { requests: 0 };
  const tally = { pairs: 0, violated: 0, holds: 0, steps: 0 };
  const mismatches: unknown[] = [];
  for (let i = 0; i < PAIRS; i++) {
    // Most pairs test one condition key; the last ones two, for how keys combine.
    const keys = Array.from({ length: i < PAIRS - 150 ? 1 : 2 }, () => allKeys[Math.floor(rand() * allKeys.length)]!);
    const before = randomPolicy(rand, keys, "old");
    const after = randomPolicy(rand, keys, "new");
    const expected = bruteForce(before, after, keys, counter);
    const result: AnalysisResult = await findNewAccess([before], [after]);
    tally.pairs++;
    tally.steps += result.steps;
    if (result.status !== "undecided") tally[result.status]++;
    if ((result.status === "violated") !== expected || result.status === "undecided") {
      mismatches.push({ old: before.document, new: after.document, expected, result });
      if (mismatches.length >= 3) break;
      continue;
    }
    if (result.status === "violated") {
      for (const w of result.witnesses) {
        // Replayed as `ess-authz eval` decides request files, independently of the analysis' own check.
        if (!w.request) continue;
        const [b, a] = [await decideRequestFile([before], w.request, false), await decideRequestFile([after], w.request, false)];
        if (a.decision !== "Allow" || b.decision === "Allow") mismatches.push({ witness: w, before: b.decision, after: a.decision });
      }
    }
  }
  t.same(mismatches, [], "no pair where the analysis and the enumeration disagree");
  t.equal(tally.pairs, PAIRS, "every pair decided");
  t.ok(tally.violated > PAIRS / 5 && tally.holds > PAIRS / 5, `both answers occur (${tally.violated} new access, ${tally.holds} none)`);
  t.comment(`${counter.requests} requests enumerated; ${tally.steps} analysis steps`);
});
