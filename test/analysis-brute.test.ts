import t, { type Test } from "tap";
import type { EvaluationInput } from "../src/evaluate/decision.js";
import { compile } from "../src/evaluate/compile.js";
import { makeContext, type RequestContext } from "../src/evaluate/context.js";
import { globMatch } from "../src/match/glob.js";
import { OPERATIONS } from "../src/ess/catalog.js";
import type { RequestFile } from "../src/ess/decide.js";
import { authorizePlan } from "../src/ess/authorize.js";
import { buildPlan } from "../src/ess/request.js";
import { storeFromJson } from "../src/ess/store.js";
import { findNewAccess, type AnalysisResult } from "../src/analysis/analyze.js";
import { policyOf } from "./helpers/policies.js";

/**
 * Brute force on a small domain: random policy pairs over a few actions, regions, accounts, group ids, tags,
 * IP addresses and Bool values; every request of the domain (each value a policy names, and values none of them
 * names) is decided with the compiled evaluator, and "does NEW allow a request OLD does not?" must get the
 * analysis' answer. The domain is complete for these patterns by construction: each value below stands for
 * every value the patterns cannot tell from it, and sets of values stand for case-variant tags or keys. A
 * request needs at most one value per condition that must fail or hold somewhere (the others only confine):
 * without set qualifiers only OLD's two statements ask for one, so two values are enough; with them NEW's
 * statements can too, so the qualifier domain has sets of up to four values. A third domain attaches policies
 * at resource-group scope and puts the target in each of those groups, in another one, or in none (sets of up
 * to three values: NEW's account-scope Allow not applying can need one). A fourth compares one key as several
 * types at once.
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
type Conditions = Record<string, [string, string[]][]>;
const CONDITIONS: Conditions = {
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

/** Set qualifiers (docs/semantics.md §3) over tag sets and a multi-valued global key, mixed with unqualified operators. */
const TAG_QUALIFIED: [string, string[]][] = [
  ["ForAnyValue:StringEquals", ["a"]],
  ["ForAllValues:StringEquals", ["a", "b"]],
  ["ForAllValues:StringNotEquals", ["a"]],
  ["ForAnyValue:StringNotLike", ["b*"]],
  ["ForAnyValue:StringEqualsIgnoreCase", ["A"]],
  ["ForAllValues:StringLike", ["b*"]],
  ["StringEquals", ["a"]],
];
const QUALIFIED: Conditions = {
  "acs:RequestTag/env": TAG_QUALIFIED,
  "acs:ResourceTag/env": TAG_QUALIFIED,
  "acs:SourceIp": [
    ["ForAnyValue:IpAddress", ["10.0.0.0/8"]],
    ["ForAllValues:IpAddress", ["10.0.0.0/8"]],
    ["ForAllValues:NotIpAddress", ["10.0.0.0/8"]],
    ["ForAnyValue:NotIpAddress", ["10.0.0.0/8"]],
    ["IpAddress", ["10.0.0.0/8"]],
  ],
};
const QUALIFIED_VALUES: Record<string, string[]> = {
  "acs:RequestTag/env": ["a", "A", "b", "bx", "c"],
  "acs:ResourceTag/env": ["a", "A", "b", "bx", "c"],
  "acs:SourceIp": ["10.0.0.1", "8.8.8.8", "garbage"],
};

/**
 * One key compared as several types at once (docs/semantics.md §3: a text the operator's type cannot read makes
 * the condition indeterminate). Values: each string value, and per numeric, Bool, IP and date class one text no
 * string value matches (and the case variants of "true" apart from it), and one no type reads.
 */
const MIXED: Conditions = {
  "ess:x": [
    ["StringEquals", ["5", "true"]],
    ["StringNotEqualsIgnoreCase", ["TRUE", "10.0.0.1", "5.0"]],
    ["NumericLessThan", ["5"]],
    ["NumericEquals", ["5"]],
    ["Bool", ["true"]],
    ["IpAddress", ["10.0.0.0/8"]],
    ["DateLessThan", ["2026-01-01T00:00:00Z"]],
    ["StringEquals", ["2025-01-01T00:00:00Z"]],
  ],
};
const MIXED_VALUES = {
  "ess:x": ["5", "4", "5.0", "5.00", "6", "true", "True", "false", "10.0.0.1", "10.0.0.2", "8.8.8.8", "2025-01-01T00:00:00Z", "2025-06-01T00:00:00Z", "2026-06-01T00:00:00Z", "garbage"],
};

interface Domain {
  readonly conditions: Conditions;
  readonly values: Record<string, string[]>;
  /** The largest set of values one key carries. */
  readonly maxSet: number;
  /** Resource groups a target can be in (undefined: none). */
  readonly resourceGroups: readonly (string | undefined)[];
  /** Whether a statement's condition may test its key with two operators (which must both hold). */
  readonly twoOperators?: boolean;
}

const PLAIN: Domain = { conditions: CONDITIONS, values: VALUES, maxSet: 2, resourceGroups: [undefined] };
const SETS: Domain = { conditions: QUALIFIED, values: QUALIFIED_VALUES, maxSet: 4, resourceGroups: [undefined] };
// NEW's account-scope Allow must not apply for its resource-group one to decide: one more value can be needed.
const SCOPED: Domain = { ...PLAIN, maxSet: 3, resourceGroups: [undefined, "rg-1", "rg-2", "rg-3"] };
const TYPES: Domain = { conditions: MIXED, values: MIXED_VALUES, maxSet: 2, resourceGroups: [undefined], twoOperators: true };

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

/** Absent, and every set of up to `max` values. */
function valueSets(values: readonly string[], max: number): string[][] {
  const out: string[][] = [[]];
  const grow = (from: number, set: string[]): void => {
    if (set.length === max) return;
    for (let i = from; i < values.length; i++) {
      out.push([...set, values[i]!]);
      grow(i + 1, [...set, values[i]!]);
    }
  };
  grow(0, []);
  return out;
}

/** The i-th spelling of a name: bit j of i upper-cases its j-th letter (distinct keys that fold to one). */
const spelling = (name: string, i: number): string => [...name].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join("");

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function randomStatements(rand: () => number, domain: Domain, keys: readonly string[], count: number): object[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  return Array.from({ length: count }, () => {
    const key = pick(keys);
    const [operator, values] = pick(domain.conditions[key]!);
    const condition: Record<string, Record<string, string[]>> = { [operator]: { [key]: values } };
    if (domain.twoOperators && rand() < 0.5) {
      const [second, secondValues] = pick(domain.conditions[key]!);
      condition[second] ??= { [key]: secondValues };
    }
    return {
      Effect: rand() < 0.7 ? "Allow" : "Deny",
      Action: pick(ACTION_PATTERNS),
      Resource: pick(RESOURCE_PATTERNS),
      ...(rand() < 0.7 ? { Condition: condition } : {}),
    };
  });
}

/** One or two statements in one policy, attached at account scope or (when the domain has groups) to a resource group. */
function randomVersion(rand: () => number, domain: Domain, keys: readonly string[], name: string): EvaluationInput {
  const count = 1 + Math.floor(rand() * 2);
  if (domain.resourceGroups.length === 1) return { identity: [{ policy: policyOf(randomStatements(rand, domain, keys, count), name) }] };
  // Each statement in its own policy, so that one version can hold both scopes.
  const scopes = ["account", "rg-1", "rg-2"];
  return {
    identity: Array.from({ length: count }, (_, i) => {
      const scope = scopes[Math.floor(rand() * scopes.length)]!;
      const policy = policyOf(randomStatements(rand, domain, keys, 1), `${name}${i}`);
      return scope === "account" ? { policy } : { policy, scope: { resourceGroupId: scope } };
    }),
  };
}

/** Every request of the domain carrying values for these keys (and no others), built once per key set. */
const requestsByKeys = new Map<string, RequestContext[]>();

function requestsFor(domain: Domain, keys: readonly string[]): RequestContext[] {
  const id = JSON.stringify([keys, domain.maxSet, domain.resourceGroups, domain.values]);
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
          const sets = carries(key) ? valueSets(domain.values[key]!, domain.maxSet) : [[]];
          combos = combos.flatMap((c) => sets.map((set) => [...c, [key, set] as [string, string[]]]));
        }
        // Only a scaling group is in a resource group; outside the catalog any resource may be.
        const groups = shape === "group" || shape === "any" ? domain.resourceGroups : [undefined];
        for (const combo of combos) {
          // Further values go under the key in other case: tags (or keys) whose names differ only in case.
          const spelled = (prefix: string, tag: boolean): [string, string][] =>
            combo
              .filter(([k]) => (tag ? k.startsWith(prefix) : !k.includes("Tag/")))
              .flatMap(([k, vs]) => vs.map((v, i): [string, string] => [spelling(k.slice(prefix.length), i), v]));
          for (const resourceGroupId of groups) {
            const values = { keys: spelled("", false), requestTags: spelled("acs:RequestTag/", true), resourceTags: spelled("acs:ResourceTag/", true) };
            requests.push(makeContext({ action, resource, ...(resourceGroupId === undefined ? {} : { resourceGroupId }), ...values }));
          }
        }
      }
    }
  }
  requestsByKeys.set(id, requests);
  return requests;
}

const keysOf = (input: EvaluationInput): string[] => input.identity.flatMap((a) => a.policy.statements.flatMap((s) => s.conditions.map((c) => c.key)));

/** True as soon as NEW allows a request of the domain OLD does not. */
function bruteForce(domain: Domain, before: EvaluationInput, after: EvaluationInput, counter: { requests: number }): boolean {
  const [was, now] = [compile(before), compile(after)];
  const used = [...new Set([...keysOf(before), ...keysOf(after)])].sort();
  for (const ctx of requestsFor(domain, used)) {
    counter.requests++;
    if (now.evaluate(ctx).decision === "Allow" && was.evaluate(ctx).decision !== "Allow") return true;
  }
  return false;
}

/** Decides a witness's request file as `ess-authz eval` does, but with the attachments' scopes. */
async function decideFile(input: EvaluationInput, file: RequestFile): Promise<string> {
  return authorizePlan(await buildPlan(file.request, storeFromJson(file.store)), input).decision;
}

async function agreeOnRandomPairs(t: Test, domain: Domain, seed: number, pairs: number, twoKeyPairs: number): Promise<void> {
  const rand = mulberry32(seed);
  const allKeys = Object.keys(domain.conditions);
  const counter = { requests: 0 };
  const tally = { pairs: 0, violated: 0, holds: 0, steps: 0 };
  const mismatches: unknown[] = [];
  for (let i = 0; i < pairs; i++) {
    // Most pairs test one condition key; the last ones two, for how keys combine.
    const keys = Array.from({ length: i < pairs - twoKeyPairs ? 1 : 2 }, () => allKeys[Math.floor(rand() * allKeys.length)]!);
    const before = randomVersion(rand, domain, keys, "old");
    const after = randomVersion(rand, domain, keys, "new");
    const expected = bruteForce(domain, before, after, counter);
    const result: AnalysisResult = await findNewAccess(before, after);
    tally.pairs++;
    tally.steps += result.steps;
    if (result.status !== "undecided") tally[result.status]++;
    if ((result.status === "violated") !== expected || result.status === "undecided") {
      const documents = (input: EvaluationInput) => input.identity.map((a) => ({ scope: a.scope ?? "account", document: a.policy.document }));
      mismatches.push({ old: documents(before), new: documents(after), expected, result });
      if (mismatches.length >= 3) break;
      continue;
    }
    if (result.status === "violated") {
      for (const w of result.witnesses) {
        // Replayed through the ESS request path, independently of the analysis' own check.
        if (!w.request) continue;
        const [b, a] = [await decideFile(before, w.request), await decideFile(after, w.request)];
        if (a !== "Allow" || b === "Allow") mismatches.push({ witness: w, before: b, after: a });
      }
    }
  }
  t.same(mismatches, [], "no pair where the analysis and the enumeration disagree");
  t.equal(tally.pairs, pairs, "every pair decided");
  t.ok(tally.violated > pairs / 5 && tally.holds > pairs / 5, `both answers occur (${tally.violated} new access, ${tally.holds} none)`);
  t.comment(`${counter.requests} requests enumerated; ${tally.steps} analysis steps`);
}

t.test("the analysis answers as the enumeration of every request of a small domain", (t) => agreeOnRandomPairs(t, PLAIN, 18, 1000, 150));

t.test("set qualifiers over tag sets and multi-valued keys: as the enumeration of every set of up to four values", (t) => agreeOnRandomPairs(t, SETS, 1818, 400, 40));

t.test("resource-group-scope attachments: as the enumeration of targets in each group, another one and none", (t) => agreeOnRandomPairs(t, SCOPED, 181818, 300, 30));

t.test("one key compared as several types: as the enumeration of every text class", (t) => agreeOnRandomPairs(t, TYPES, 18181818, 250, 0));
