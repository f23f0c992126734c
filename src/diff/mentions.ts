import ipaddr from "ipaddr.js";
import type { Condition, Policy, Statement } from "../policy/ast.js";
import { compiledCondition, type CompiledCondition } from "../conditions/evaluate.js";
import { OPERATORS, operatorText } from "../conditions/operators.js";
import { parseInstant } from "../conditions/values.js";
import { compileGlob, hasWildcard } from "../match/glob.js";
import { KNOWN_REGIONS } from "../lint/regions.js";
import { resourceShape } from "../lint/families/resources.js";
import { isEssId, isRegionId } from "../ess/params.js";
import { ACCOUNT_ID } from "../ess/request.js";

/**
 * What two policy versions name: the regions, accounts and scaling groups of their ESS ARNs, and the condition
 * keys with values on both sides of every comparison. The semantic diff builds its requests from these, so that
 * every edit between the versions shows in some request (an edit can only change a decision through a value
 * one of the versions mentions, or one just outside them).
 */

const DEFAULT_REGION = "cn-hangzhou";
const DEFAULT_ACCOUNT = "1609982529920904";
/** A scaling group no policy names: what a wildcard ARN or a tag condition grants to groups in general. */
const FRESH_GROUP_ID = "asg-not-in-any-policy";

export interface ArnMentions {
  /** The default first, then those where the versions differ (named by only some of them), then the others. */
  readonly regions: readonly string[];
  readonly accounts: readonly string[];
  /** The fresh group first, then the ids of `scalinggroup/<id>` ARNs. */
  readonly groupIds: readonly string[];
}

/** An ARN segment of wildcards only (or empty) names nothing in particular. */
const namesNothing = (segment: string): boolean => /^[*?]*$/.test(segment);

/** A concrete string the glob matches: every wildcard becomes `filler`. */
const instantiate = (pattern: string, filler: string): string => pattern.replace(/[*?]/g, filler);

const statementsOf = (versions: readonly (readonly Policy[])[]): Statement[] =>
  versions.flatMap((policies) => policies.flatMap((p) => p.statements));

/**
 * `first`, then the values only some versions mention, then the rest: when a limit cuts the list, what the edit
 * touched survives.
 */
function changedFirst(first: string, perVersion: readonly (readonly string[])[]): string[] {
  const all = [first, ...perVersion.flat()];
  const inEvery = (v: string): boolean => perVersion.every((list) => list.includes(v));
  return [...new Set([first, ...all.filter((v) => !inEvery(v)), ...all])];
}

/**
 * Region, account and group id of every `acs:ess:{region}:{account}:scalinggroup/{id}` pattern. A segment that is
 * only `*` names nothing (the defaults and the fresh group stand for it); a segment with wildcards stands for a
 * concrete value it matches (a known region for a region), so that widening or narrowing it shows.
 */
export function arnMentions(versions: readonly (readonly Policy[])[]): ArnMentions {
  const perVersion = versions.map((policies) => {
    const regions: string[] = [];
    const accounts: string[] = [];
    const groupIds: string[] = [];
    for (const statement of statementsOf([policies])) {
      for (const arn of statement.resources ?? []) {
        const shape = resourceShape(arn);
        if (shape.kind !== "ess") continue;
        const { region, account, type, id } = shape.arn;
        if (!namesNothing(region)) {
          const concrete = hasWildcard(region) ? knownRegionMatching(region, [DEFAULT_REGION, ...regions]) : region;
          if (isRegionId(concrete)) regions.push(concrete);
        }
        if (!namesNothing(account) && ACCOUNT_ID.test(instantiate(account, "0"))) accounts.push(instantiate(account, "0"));
        const namesOne = type?.toLowerCase() === "scalinggroup" && id !== undefined && !namesNothing(id);
        if (namesOne && isEssId(instantiate(id, "0"))) groupIds.push(instantiate(id, "0"));
      }
    }
    return { regions, accounts, groupIds };
  });
  return {
    regions: changedFirst(DEFAULT_REGION, perVersion.map((v) => v.regions)),
    accounts: changedFirst(DEFAULT_ACCOUNT, perVersion.map((v) => v.accounts)),
    groupIds: changedFirst(FRESH_GROUP_ID, perVersion.map((v) => v.groupIds)),
  };
}

function knownRegionMatching(pattern: string, taken: readonly string[]): string {
  const glob = compileGlob(pattern);
  return [...KNOWN_REGIONS].find((r) => glob.test(r) && !taken.includes(r)) ?? instantiate(pattern, "0");
}

// ---- Condition keys ----

/** One condition key set to one value in a request; `key` is spelled as a policy first wrote it. */
export interface Binding {
  readonly key: string;
  readonly value: string;
}

/** Values for some condition keys (by lower-cased name); a key not in the map is absent from the request. */
export type Assignment = ReadonlyMap<string, Binding>;

/** `acs:TagKeys` never matches for ESS and no request may carry it (docs/semantics.md §5); a tag needs a key. Never set. */
const UNSETTABLE_KEY = /^acs:(?:tagkeys|requesttag\/|resourcetag\/)$/;

/** Values tried per key, besides the one outside every policy value. */
const MAX_VALUES_PER_KEY = 16;

/** Documentation addresses (RFC 5737, RFC 3849): outside any range a policy means. */
const OUTSIDE_ADDRESSES = ["203.0.113.7", "198.51.100.7", "192.0.2.7", "2001:db8::7"];
const OUTSIDE_STRING = "other-value";

const compiledConditions = new WeakMap<Condition, CompiledCondition>();
function compiled(condition: Condition): CompiledCondition {
  let c = compiledConditions.get(condition);
  if (!c) compiledConditions.set(condition, (c = compiledCondition(condition)));
  return c;
}

const holds = (condition: Condition, value: string, effect: Statement["effect"]): boolean =>
  compiled(condition).holds(new Map([[condition.keyLower, [value]]]), effect);

/** Whether a request value equals, matches or falls in one of the condition's policy values. */
const matchesAValue = (condition: Condition, value: string): boolean => holds(condition, value, "Allow") !== OPERATORS[condition.operator].negated;

const isoSecond = (nanos: bigint): string => new Date(Number(nanos / 1_000_000n)).toISOString().replace(".000Z", "Z");
const swapCase = (s: string): string => (s.toUpperCase() !== s ? s.toUpperCase() : s.toLowerCase());

/** The policy value as a request would carry it, and its neighbours where the operator compares order or case. */
function valuesAround(condition: Condition, value: string): string[] {
  const { family, comparison } = OPERATORS[condition.operator];
  switch (family) {
    case "string":
      if (comparison === "like") return [instantiate(value, "x")];
      return comparison === "equalsIgnoreCase" ? [value, swapCase(value)] : [value];
    case "numeric": {
      const n = Number(value);
      return [value, String(n - 1), String(n + 1)];
    }
    case "date": {
      const instant = parseInstant(value)!;
      return [value, isoSecond(instant - 1_000_000_000n), isoSecond(instant + 1_000_000_000n)];
    }
    case "bool":
      return ["true", "false"];
    case "ip":
      return addressesAround(value);
  }
}

/** The first and last address of a range, and the addresses just outside it (a policy value is a valid address or CIDR). */
function addressesAround(value: string): string[] {
  const family = value.includes(":") ? ipaddr.IPv6 : ipaddr.IPv4;
  const cidr = value.includes("/") ? value : `${value}/${family === ipaddr.IPv6 ? 128 : 32}`;
  const first = family.networkAddressFromCIDR(cidr);
  const last = family.broadcastAddressFromCIDR(cidr);
  return [first.toString(), last.toString(), ...[step(first, -1), step(last, 1)].flatMap((a) => a ?? [])];
}

/** The next or previous address, or undefined past the end of the address space. */
function step(address: ipaddr.IPv4 | ipaddr.IPv6, delta: 1 | -1): string | undefined {
  const bytes = address.toByteArray();
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i]! += delta;
    if (bytes[i]! >= 0 && bytes[i]! <= 255) return ipaddr.fromByteArray(bytes).toString();
    bytes[i] = delta > 0 ? 0 : 255;
  }
  return undefined;
}

interface ConditionKey {
  /** As first written in a policy, e.g. `acs:ResourceTag/Team`. */
  readonly key: string;
  readonly lower: string;
  /** The policy values and their neighbours, then one value outside all of them. */
  readonly values: readonly string[];
}

function conditionKeys(statements: readonly Statement[]): Map<string, ConditionKey> {
  const byKey = new Map<string, { key: string; conditions: Condition[] }>();
  for (const s of statements) {
    for (const c of s.conditions) {
      if (UNSETTABLE_KEY.test(c.keyLower)) continue;
      const entry = byKey.get(c.keyLower) ?? { key: c.key, conditions: [] };
      entry.conditions.push(c);
      byKey.set(c.keyLower, entry);
    }
  }
  const keys = new Map<string, ConditionKey>();
  for (const [lower, { key, conditions }] of byKey) {
    const inside = [...new Set(conditions.flatMap((c) => c.values.flatMap((v) => valuesAround(c, v))))].slice(0, MAX_VALUES_PER_KEY);
    const families = new Set(conditions.map((c) => OPERATORS[c.operator].family));
    const outsideCandidates = families.has("ip") ? OUTSIDE_ADDRESSES : families.has("string") ? [OUTSIDE_STRING] : [];
    const outside = outsideCandidates.find((v) => !conditions.some((c) => matchesAValue(c, v)));
    keys.set(lower, { key, lower, values: outside === undefined || inside.includes(outside) ? inside : [...inside, outside] });
  }
  return keys;
}

const assignmentId = (a: Assignment): string => JSON.stringify([...a].sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, b]) => [k, b.value]));

/**
 * The values that make a statement's conditions hold, one per key (the first candidate that satisfies every
 * condition of the statement on that key); a key no candidate satisfies is left absent.
 */
function satisfying(statement: Statement, keys: ReadonlyMap<string, ConditionKey>): Map<string, Binding> {
  const assignment = new Map<string, Binding>();
  for (const lower of new Set(statement.conditions.map((c) => c.keyLower))) {
    const key = keys.get(lower);
    if (!key) continue;
    const onKey = statement.conditions.filter((c) => c.keyLower === lower);
    const value = key.values.find((v) => onKey.every((c) => holds(c, v, statement.effect)));
    if (value !== undefined) assignment.set(lower, { key: key.key, value });
  }
  return assignment;
}

/** Both combinations together; none when they set a key to different values. */
function union(a: Assignment, b: Assignment): Assignment[] {
  for (const [k, binding] of b) if (a.has(k) && a.get(k)!.value !== binding.value) return [];
  return [new Map([...a, ...b])];
}

/** The statement's combination with one key changed to each of its values, or left out. */
function variations(statement: Statement, satisfied: Assignment, keys: ReadonlyMap<string, ConditionKey>): Assignment[] {
  return [...new Set(statement.conditions.map((c) => c.keyLower))].flatMap((lower) => {
    const key = keys.get(lower);
    if (!key) return [];
    const without = new Map([...satisfied].filter(([k]) => k !== lower));
    return [without, ...key.values.map((value) => new Map([...without, [lower, { key: key.key, value }]]))];
  });
}

/** What a statement means, wherever it is: equal for a statement both versions have. */
const statementMeaning = (s: Statement): string =>
  JSON.stringify([s.effect, s.actionKind, s.actions, s.resources, s.conditions.map((c) => [operatorText(c), c.keyLower, c.values])]);

export interface Assignments {
  /** Distinct, most telling first; the first is the empty one (no key set). */
  readonly assignments: readonly Assignment[];
  /** How many there were before `limit` cut the list. */
  readonly total: number;
}

/**
 * The condition-key values to try. A statement's own combination decides whether it applies; the same with one
 * key at each of its values (or missing) shows conditions added, removed or changed; two statements' combinations
 * together show where an Allow and a Deny meet. The statements only some versions have come first (the edit is
 * there), so that `limit` cuts the least telling ones.
 */
export function conditionAssignments(versions: readonly (readonly Policy[])[], limit: number): Assignments {
  const statements = statementsOf(versions);
  const keys = conditionKeys(statements);
  const meanings = versions.map((policies) => new Set(statementsOf([policies]).map(statementMeaning)));
  const combos = statements.map((statement) => ({
    statement,
    satisfied: satisfying(statement, keys),
    edited: !meanings.every((m) => m.has(statementMeaning(statement))),
  }));
  const edited = combos.filter((c) => c.edited);
  const kept = combos.filter((c) => !c.edited);
  const singles = [...keys.values()].flatMap((k) => k.values.map((value) => new Map([[k.lower, { key: k.key, value }]])));
  const ordered: Assignment[] = [
    new Map(),
    ...edited.map((c) => c.satisfied),
    ...edited.flatMap((c) => combos.filter((o) => o !== c).flatMap((o) => union(c.satisfied, o.satisfied))),
    ...edited.flatMap((c) => variations(c.statement, c.satisfied, keys)),
    ...singles,
    ...kept.map((c) => c.satisfied),
    ...kept.flatMap((c, i) => kept.slice(i + 1).flatMap((o) => union(c.satisfied, o.satisfied))),
    ...kept.flatMap((c) => variations(c.statement, c.satisfied, keys)),
  ];
  const distinct = new Map<string, Assignment>();
  for (const a of ordered) {
    const id = assignmentId(a);
    if (!distinct.has(id)) distinct.set(id, a);
  }
  return { assignments: [...distinct.values()].slice(0, limit), total: distinct.size };
}
