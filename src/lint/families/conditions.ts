import { closest, distance } from "fastest-levenshtein";
import type ipaddr from "ipaddr.js";
import { holdsWhenAbsent } from "../../conditions/operators.js";
import { parseTyped, type TypedValue } from "../../conditions/values.js";
import type { Severity } from "../../policy/findings.js";
import type { LintContext } from "../context.js";
import type { LintCondition, LintStatement } from "../document.js";
import { ESS_ACTIONS, listActions } from "../ess-actions.js";
import { renameKey } from "../fixes.js";
import {
  GLOBAL_KEYS,
  REQUEST_TAG_PREFIX,
  RESOURCE_TAG_PREFIX,
  TAG_KEYS,
  canonicalKey,
  classifyKey,
  presence,
  type KeyClass,
} from "../condition-keys.js";

/** Condition rules (docs/semantics.md §3, §5). Operators the parser rejects are skipped here. */
const KNOWN_KEYS = [...GLOBAL_KEYS.map((k) => k.name), TAG_KEYS];

/** Another key of the same operator block equal to `newKey` up to case: renaming into it would merge two conditions. */
const collides = (statement: LintStatement, condition: LintCondition, newKey: string): boolean =>
  statement.conditions.some((c) => c !== condition && c.operator === condition.operator && c.keyLower === newKey.toLowerCase());

function renameFix(statement: LintStatement, condition: LintCondition, newKey: string) {
  return collides(statement, condition, newKey) ? {} : { fix: renameKey(condition.pointer, newKey), fixDescription: `rename to "${newKey}"` };
}

/** The supported key a mistyped one most likely means (`acs:SourceIP` is a case matter, not this). */
function suggestKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  if (!lower.includes(":") && canonicalKey(`acs:${key}`)) return canonicalKey(`acs:${key}`);
  const slash = key.indexOf("/");
  if (slash > 0) {
    // `acs:ResourceTags/team`, `acs:RequestTags/env`: a mistyped tag prefix keeps the user's tag key.
    const prefixes = [REQUEST_TAG_PREFIX, RESOURCE_TAG_PREFIX];
    const head = key.slice(0, slash + 1).toLowerCase();
    const best = closest(head, prefixes.map((p) => p.toLowerCase()));
    return distance(head, best) <= 2 ? prefixes.find((p) => p.toLowerCase() === best)! + key.slice(slash + 1) : undefined;
  }
  const best = closest(lower, KNOWN_KEYS.map((k) => k.toLowerCase()));
  return distance(lower, best) <= Math.max(2, Math.floor(lower.length / 5)) ? KNOWN_KEYS.find((k) => k.toLowerCase() === best) : undefined;
}

/** A condition key is `<service>:<name>`; outside ESS that is all the linter can check. */
const WELL_FORMED_KEY = /^[A-Za-z0-9-]+:\S+$/;

/**
 * What a key no request of the statement carries does to it: a positive operator (and `ForAnyValue:`) is false,
 * a negated one (and `ForAllValues:`) true (docs/semantics.md §3). Keys of another service (`ess:` keys included: ESS defines none) and keys without a service
 * are certainly absent; an unknown `acs:` key may be a global key the contract does not list, so it stays a Warning.
 */
function absentKeyEffect(statement: LintStatement, condition: LintCondition, certainlyAbsent: boolean): { severity?: Severity; consequence: string } {
  const generic = { consequence: "positive operators never match and negated ones always do" };
  if (!certainlyAbsent || !statement.effect) return generic;
  const holds = holdsWhenAbsent(condition.spec!, condition.qualifier);
  if (statement.effect === "Allow") {
    return holds
      ? { severity: "SecurityWarning", consequence: `${condition.operator} holds for every request, so this Allow is not restricted by it` }
      : { severity: "Error", consequence: `${condition.operator} is false for every request, so this Allow never applies` };
  }
  return holds
    ? { consequence: `${condition.operator} holds for every request, so this Deny fires whatever the value` }
    : { severity: "SecurityWarning", consequence: `${condition.operator} is false for every request, so this Deny never fires and protects nothing` };
}

function checkKeyName(ctx: LintContext, statement: LintStatement, condition: LintCondition, c: KeyClass): void {
  const { key, pointer } = condition;
  if (c.kind === "unknown") {
    const service = key.includes(":") ? key.slice(0, key.indexOf(":")).toLowerCase() : "";
    // A statement that names no ESS action is another service's: its keys get a syntax check only.
    if (!ctx.namesEss(statement) && WELL_FORMED_KEY.test(key)) return;
    if (service !== "acs" && service !== "ess" && service !== "" && !ctx.onlyEss(statement)) return; // another service's key
    const suggestion = suggestKey(key);
    const why = service === "ess" ? "ESS defines no service-specific condition keys" : service === "" ? "keys are written <service>:<name>, so no request carries it" : service === "acs" ? "ESS requests do not carry it" : `ESS requests do not carry ${service} keys`;
    const { severity, consequence } = absentKeyEffect(statement, condition, service !== "acs");
    ctx.report(
      "condition-key-unknown",
      `unknown condition key "${key}": ${why}, so ${consequence}${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
      pointer,
      { onKey: true, ...(severity ? { severity } : {}), ...(suggestion ? renameFix(statement, condition, suggestion) : {}) },
    );
    return;
  }
  const canonical = canonicalKey(key)!;
  if (canonical !== key) {
    ctx.report("condition-key-case", `condition key "${key}" is not in canonical case: write "${canonical}" (key names match case-insensitively, so it still works)`, pointer, {
      onKey: true,
      ...renameFix(statement, condition, canonical),
    });
  }
  if (c.kind === "tagKeys" && ctx.namesEss(statement)) {
    ctx.report("condition-tag-keys-unsupported", `"${key}" is not available for ESS: it is never present, so ${holdsWhenAbsent(condition.spec!, condition.qualifier) ? `this ${condition.qualifier ? "ForAllValues:" : "negated"} condition always holds` : "this condition never holds"}`, pointer, { onKey: true });
  }
}

/** Operator family against key type: Error when the request value can never be read, Warning for text comparison of IPs and dates. */
function checkOperatorType(ctx: LintContext, condition: LintCondition, c: KeyClass): void {
  if (c.kind !== "global" || !condition.spec) return;
  const keyFamily = c.key.family;
  const opFamily = condition.spec.family;
  if (opFamily === keyFamily || (opFamily === "string" && keyFamily === "bool")) return;
  const textual = opFamily === "string";
  const expected = { ip: "IpAddress/NotIpAddress", date: "Date… operators", bool: "Bool", string: "String… operators", numeric: "Numeric… operators" }[keyFamily];
  ctx.report(
    "condition-operator-type",
    textual
      ? `${condition.operator} compares ${c.key.name} as text (a ${keyFamily === "ip" ? "CIDR block never equals an address" : "date written another way never equals the request's"}); use ${expected}`
      : `${condition.operator} cannot read ${c.key.name} (a ${keyFamily} value): the condition is indeterminate for every request, so an Allow never applies and a Deny always fires; use ${expected}`,
    condition.pointer,
    { onKey: true, ...(textual ? { severity: "Warning" as const } : {}) },
  );
}

interface TagSite {
  readonly statement: LintStatement;
  readonly condition: LintCondition;
  readonly prefixLength: number;
  readonly tagKey: string;
}

const MAX_SPELLINGS_NAMED = 5;

/** The spellings other than `except`, one of them: a few named, the rest counted (naming all would make the output quadratic). */
function listSpellings(spellings: readonly string[], except: string): string {
  const named: string[] = [];
  for (const s of spellings) {
    if (named.length === MAX_SPELLINGS_NAMED) break;
    if (s !== except) named.push(`"${s}"`);
  }
  const unnamed = spellings.length - 1 - named.length;
  return named.join(", ") + (unnamed > 0 ? ` and ${unnamed} more` : "");
}

/** One spelling per tag key: the most frequent, on a tie the lower-case one, else the first written. */
function checkTagKeyCase(ctx: LintContext): void {
  const groups = new Map<string, TagSite[]>();
  for (const statement of ctx.statements) {
    for (const condition of statement.conditions) {
      const c = classifyKey(condition.key);
      if (c.kind !== "requestTag" && c.kind !== "resourceTag") continue;
      const site = { statement, condition, prefixLength: c.prefix.length, tagKey: c.tagKey };
      const group = groups.get(c.tagKey.toLowerCase());
      if (group) group.push(site);
      else groups.set(c.tagKey.toLowerCase(), [site]);
    }
  }
  for (const sites of groups.values()) {
    const counts = new Map<string, number>();
    for (const s of sites) counts.set(s.tagKey, (counts.get(s.tagKey) ?? 0) + 1);
    if (counts.size < 2) continue;
    const rank = (k: string): [number, number] => [counts.get(k)!, k === k.toLowerCase() ? 1 : 0];
    const reference = [...counts.keys()].reduce((a, b) => {
      const [ra, rb] = [rank(a), rank(b)];
      return rb[0] > ra[0] || (rb[0] === ra[0] && rb[1] > ra[1]) ? b : a;
    });
    const others = [...counts.keys()].filter((k) => k !== reference);
    for (const s of sites) {
      if (s.tagKey === reference) continue;
      const newKey = s.condition.key.slice(0, s.prefixLength) + reference;
      const alsoWritten = others.length > 1 ? ` (and ${listSpellings(others, s.tagKey)})` : "";
      ctx.report(
        "condition-tag-key-case",
        `tag key "${s.tagKey}" is written "${reference}" elsewhere in this policy${alsoWritten}: both match the same tags (key names are case-insensitive), write one spelling`,
        s.condition.pointer,
        { onKey: true, ...renameFix(s.statement, s.condition, newKey) },
      );
    }
  }
}

/** For one condition of a statement: the statement's ESS actions whose requests never carry the key, and those that lack it when unbound. */
export interface KeyAbsence {
  readonly condition: LintCondition;
  readonly never: readonly string[];
  readonly unbound: readonly string[];
}

type Absent = Pick<KeyAbsence, "never" | "unbound">;

// Presence depends on the kind of key only, and statements with one Action list share one action set: hostile
// documents repeat both thousands of times, so each pair is worked out once.
const absentByActions = new WeakMap<ReadonlySet<string>, Map<KeyClass["kind"], Absent>>();

function absent(actions: ReadonlySet<string>, c: KeyClass): Absent {
  let byKind = absentByActions.get(actions);
  if (!byKind) absentByActions.set(actions, (byKind = new Map()));
  let found = byKind.get(c.kind);
  if (!found) {
    const list = [...actions];
    found = { never: list.filter((a) => presence(c, ESS_ACTIONS.get(a)!) === "never"), unbound: list.filter((a) => presence(c, ESS_ACTIONS.get(a)!) === "unbound") };
    byKind.set(c.kind, found);
  }
  return found;
}

export function keyAbsences(ctx: LintContext, statement: LintStatement): KeyAbsence[] {
  const actions = ctx.essActions(statement);
  return statement.conditions.flatMap((condition) => {
    if (!condition.spec) return [];
    const { never, unbound } = absent(actions, classifyKey(condition.key));
    return never.length + unbound.length > 0 ? [{ condition, never, unbound }] : [];
  });
}

const neverSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The set of a shared `never` list, built once. */
function neverSet(never: readonly string[]): ReadonlySet<string> {
  let set = neverSets.get(never);
  if (!set) neverSets.set(never, (set = new Set(never)));
  return set;
}

/** A condition that is false when its key is missing: a positive operator, or any under `ForAnyValue:` (docs/semantics.md §3). */
export const falseWhenAbsent = (c: LintCondition): boolean => !holdsWhenAbsent(c.spec!, c.qualifier);

/** Actions the conditions of a statement exclude because they are false on a missing key. */
export function excludedByAbsence(absences: readonly KeyAbsence[]): { actions: ReadonlySet<string>; first?: KeyAbsence } {
  const positive = absences.filter((a) => falseWhenAbsent(a.condition) && a.never.length > 0);
  const actions = positive.length === 1 ? neverSet(positive[0]!.never) : new Set(positive.flatMap((a) => a.never));
  return { actions, ...(positive[0] ? { first: positive[0] } : {}) };
}



/** Allow side of key absence: silently excluded operations, and negated conditions that hold trivially. */
function checkAllowAbsence(ctx: LintContext, statement: LintStatement): void {
  if (statement.effect !== "Allow") return;
  const total = ctx.essActions(statement).size;
  const absences = keyAbsences(ctx, statement);
  const excluded = excludedByAbsence(absences);
  if (excluded.first && excluded.actions.size < total) {
    const { condition } = excluded.first;
    ctx.report(
      "condition-key-absent",
      `"${condition.key}" is never present for ${excluded.actions.size} of the ${total} ESS actions this statement covers, so it never allows them: ${listActions(excluded.actions)}`,
      condition.pointer,
      { onKey: true },
    );
  }
  for (const absence of absences) {
    // Unqualified negated operators only: ForAllValues: has a rule of its own, ForAnyValue: is false on a missing key.
    if (absence.condition.qualifier !== undefined || !absence.condition.spec!.negated) continue;
    const granted = absence.never.filter((a) => !excluded.actions.has(a));
    if (granted.length === 0) continue;
    ctx.report(
      "condition-negated-key-absent",
      `${absence.condition.operator} on "${absence.condition.key}" holds whenever the key is missing, so this Allow grants ${listActions(granted)} whatever the tags (those requests never carry it)`,
      absence.condition.pointer,
      { onKey: true },
    );
  }
}

/**
 * Whether requests to the statement's actions may lack the key, as far as the linter knows ESS requests: a tag key
 * is missing whenever the request or the group does not carry that tag, `acs:TagKeys` always, `acs:SourceVpc`
 * unless a trusted gateway supplies it, and a key ESS does not know on a statement about ESS always. The other
 * global keys are on every request. Another service's key on a statement that is not only about ESS: unknown, so no.
 */
function mayBeAbsent(ctx: LintContext, statement: LintStatement, c: KeyClass, key: string): boolean {
  switch (c.kind) {
    case "global":
      return c.key.name === "acs:SourceVpc";
    case "unknown": {
      const service = key.includes(":") ? key.slice(0, key.indexOf(":")).toLowerCase() : "";
      return service === "acs" || service === "ess" || service === "" || ctx.onlyEss(statement);
    }
    default:
      return true;
  }
}

/**
 * An Allow whose `ForAllValues:` condition is the only one on its key holds vacuously when the key is missing
 * (docs/semantics.md §3): it grants to every request without the key. SecurityWarning, as IAM Access Analyzer reports
 * ForAllValues on keys that need not be multi-valued: the statement grants more than it reads.
 */
function checkVacuousForAllValues(ctx: LintContext, statement: LintStatement): void {
  if (statement.effect !== "Allow") return;
  for (const condition of statement.conditions) {
    if (condition.qualifier !== "ForAllValues" || condition.key.trim() === "") continue;
    // Another condition on the key that is false when it is missing already requires the key.
    if (statement.conditions.some((o) => o.spec && o.keyLower === condition.keyLower && falseWhenAbsent(o))) continue;
    if (!mayBeAbsent(ctx, statement, classifyKey(condition.key), condition.key)) continue;
    const never = keyAbsences(ctx, statement).find((a) => a.condition === condition)?.never ?? [];
    const always = never.length > 0 ? `; ${listActions(never)} never carry it` : "";
    ctx.report(
      "condition-forallvalues-key-absent",
      `${condition.operator} on "${condition.key}" holds whenever the request has no "${condition.key}" (an empty set satisfies ForAllValues:), so this Allow applies to every such request${always}; add ForAnyValue:${condition.operator.slice("ForAllValues:".length)} with the same values to require the key`,
      condition.pointer,
      { onKey: true },
    );
  }
}

export function checkConditions(ctx: LintContext): void {
  for (const statement of ctx.statements) {
    for (const condition of statement.conditions) {
      if (!condition.spec || condition.key.trim() === "") continue; // the parser reports both
      const c = classifyKey(condition.key);
      checkKeyName(ctx, statement, condition, c);
      checkOperatorType(ctx, condition, c);
    }
    checkAllowAbsence(ctx, statement);
    checkVacuousForAllValues(ctx, statement);
  }
  checkTagKeyCase(ctx);
}

// ---- contradictions: conditions no request can satisfy together ----

type Typed<F extends TypedValue["family"]> = Extract<TypedValue, { family: F }>;

function typedValues<F extends TypedValue["family"]>(condition: LintCondition, family: F): Typed<F>[] {
  return condition.values.flatMap((v) => {
    const parsed = parseTyped(family, v.value, "policy");
    return parsed.ok && parsed.value.family === family ? [parsed.value as Typed<F>] : [];
  });
}

const numberOf = (v: Typed<"numeric"> | Typed<"date">): number | bigint => (v.family === "numeric" ? v.number : v.instant);

/** The ordered-value conditions on one key (Numeric…, Date…) leave no value: empty range, or equals outside it. */
function orderedContradiction(conditions: readonly LintCondition[]): LintCondition | undefined {
  let lower: { value: number | bigint; strict: boolean } | undefined;
  let upper: { value: number | bigint; strict: boolean } | undefined;
  const equals: { condition: LintCondition; values: (number | bigint)[] }[] = [];
  for (const condition of conditions) {
    const spec = condition.spec!;
    if (spec.negated || (spec.family !== "numeric" && spec.family !== "date")) continue;
    const values = typedValues(condition, spec.family).map(numberOf);
    if (values.length === 0) continue;
    // Values OR: a lower bound is as loose as its smallest value, an upper bound as its largest.
    const loosestLow = values.reduce((a, b) => (b < a ? b : a));
    const loosestHigh = values.reduce((a, b) => (b > a ? b : a));
    const strict = spec.comparison === "greaterThan" || spec.comparison === "lessThan";
    if (spec.comparison.startsWith("greaterThan") && (!lower || loosestLow > lower.value || (loosestLow === lower.value && strict))) lower = { value: loosestLow, strict };
    if (spec.comparison.startsWith("lessThan") && (!upper || loosestHigh < upper.value || (loosestHigh === upper.value && strict))) upper = { value: loosestHigh, strict };
    if (spec.comparison === "equals") equals.push({ condition, values });
    const empty = lower && upper && (lower.value > upper.value || (lower.value === upper.value && (lower.strict || upper.strict)));
    if (empty) return condition;
  }
  const inRange = (v: number | bigint): boolean =>
    (!lower || v > lower.value || (v === lower.value && !lower.strict)) && (!upper || v < upper.value || (v === upper.value && !upper.strict));
  return equals.find((e) => !e.values.some(inRange))?.condition;
}

/** StringEquals values that StringNotEquals all excludes, or two positive string operators with no common value. */
function stringContradiction(conditions: readonly LintCondition[]): LintCondition | undefined {
  const sets = (negated: boolean, ignoreCase: boolean) =>
    conditions.filter((c) => c.spec!.family === "string" && c.spec!.negated === negated && c.spec!.comparison === (ignoreCase ? "equalsIgnoreCase" : "equals"));
  const lowerValues = (c: LintCondition) => c.values.map((v) => v.value.toLowerCase());
  for (const positive of [...sets(false, false), ...sets(false, true)]) {
    const ignoreCase = positive.spec!.comparison === "equalsIgnoreCase";
    const excludedBy = (n: LintCondition): boolean =>
      n.spec!.comparison === "equalsIgnoreCase"
        ? lowerValues(positive).every((v) => lowerValues(n).includes(v))
        : !ignoreCase && positive.values.every((v) => n.values.some((x) => x.value === v.value));
    const negatives = [...sets(true, false), ...sets(true, true)];
    if (negatives.some(excludedBy)) return positive;
  }
  const [exact, folded] = [sets(false, false)[0], sets(false, true)[0]];
  if (exact && folded && !lowerValues(exact).some((v) => lowerValues(folded).includes(v))) return folded;
  return undefined;
}

const within = (a: Typed<"ip">, b: Typed<"ip">): boolean =>
  a.address.kind() === b.address.kind() && a.prefix >= b.prefix && a.address.match([b.address, b.prefix] as [ipaddr.IPv4 | ipaddr.IPv6, number]);

/** Every IpAddress range lies inside a NotIpAddress range. */
function ipContradiction(conditions: readonly LintCondition[]): LintCondition | undefined {
  const ranges = (negated: boolean) => conditions.filter((c) => c.spec!.family === "ip" && c.spec!.negated === negated).map((c) => ({ c, v: typedValues(c, "ip") }));
  const excluded = ranges(true).flatMap((r) => r.v);
  return ranges(false).find((p) => p.v.length > 0 && p.v.every((a) => excluded.some((b) => within(a, b))))?.c;
}

/**
 * The condition that makes the statement's conditions unsatisfiable, if any. In a Deny, tag keys are left out:
 * with case-variant tags a Deny fires if any tag satisfies each condition (docs/semantics.md §3), so no pair of them
 * is a contradiction there.
 */
export function contradiction(statement: LintStatement): LintCondition | undefined {
  const byKey = new Map<string, LintCondition[]>();
  for (const c of statement.conditions) {
    // Qualified conditions range over sets (and ForAllValues: holds on none): leaving them out only drops
    // constraints, so whatever contradiction the others show is still real.
    if (!c.spec || c.qualifier) continue;
    const kind = classifyKey(c.key).kind;
    if (statement.effect === "Deny" && (kind === "requestTag" || kind === "resourceTag")) continue;
    const sameKey = byKey.get(c.keyLower);
    if (sameKey) sameKey.push(c);
    else byKey.set(c.keyLower, [c]);
  }
  for (const conditions of byKey.values()) {
    const ofFamily = (family: string) => conditions.filter((c) => c.spec!.family === family);
    const found = orderedContradiction(ofFamily("numeric")) ?? orderedContradiction(ofFamily("date")) ?? stringContradiction(conditions) ?? ipContradiction(conditions);
    if (found) return found;
  }
  return undefined;
}
