import ipaddr from "ipaddr.js";
import type { Condition } from "../policy/ast.js";
import { compiledCondition, type CompiledCondition } from "../conditions/evaluate.js";
import { OPERATORS, type Family } from "../conditions/operators.js";
import { parseInstant, parseTyped } from "../conditions/values.js";
import { anyStringDomain, stringClasses, Undecided, type StringPattern } from "./strings.js";

/**
 * The classes of one condition key's request values: every value a request can carry behaves like one of the
 * witnesses towards every condition on the key. Strings: the classes of the patterns' automata. Numbers and
 * dates: the policy values and the open intervals around them. IP addresses: the pieces the CIDR blocks cut the
 * address space into. Bool: true and false. Each typed key also has one value that does not parse (indeterminate).
 */

/** A condition's outcome for one request value (docs/semantics.md §3): holds, does not, or cannot be read. */
export type Outcome = "true" | "false" | "indeterminate";

const compiledConditions = new WeakMap<Condition, CompiledCondition>();

export function outcomeOf(condition: Condition, value: string): Outcome {
  let compiled = compiledConditions.get(condition);
  if (!compiled) compiledConditions.set(condition, (compiled = compiledCondition(condition)));
  const values = new Map([[condition.keyLower, [value]]]);
  if (compiled.holds(values, "Allow")) return "true";
  return compiled.holds(values, "Deny") ? "indeterminate" : "false";
}

const UNPARSEABLE = "not-a-value";
const ANY_STRING = anyStringDomain();

function stringWitnesses(conditions: readonly Condition[]): string[] {
  const patterns: StringPattern[] = conditions.flatMap((c) => {
    const { comparison } = OPERATORS[c.operator];
    return c.values.map((text) => ({ text, glob: comparison === "like", fold: comparison === "equalsIgnoreCase" }));
  });
  return stringClasses(patterns, ANY_STRING).map((c) => c.witness);
}

/** A decimal as an integer scaled by 10^scale. */
function scaled(text: string, scale: number): bigint {
  const negative = text.startsWith("-");
  const unsigned = text.replace(/^[+-]/, "");
  const [int = "", frac = ""] = unsigned.split(".");
  const digits = BigInt((int || "0") + frac.padEnd(scale, "0").slice(0, scale));
  return negative ? -digits : digits;
}

function decimalText(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

function numericWitnesses(values: readonly string[]): string[] {
  // One more fractional digit than any policy value has leaves room for a value between any two of them.
  const scale = Math.max(0, ...values.map((v) => (v.split(".")[1] ?? "").length)) + 1;
  const points = [...new Set(values.map((v) => scaled(v, scale)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (points.length === 0) return [];
  const out = [points[0]! - 10n ** BigInt(scale), points.at(-1)! + 10n ** BigInt(scale)];
  points.forEach((p, i) => {
    out.push(p);
    const next = points[i + 1];
    if (next !== undefined) out.push((p + next) / 2n);
  });
  return out.map((v) => decimalText(v, scale));
}

const NANOS = 1_000_000_000n;

function instantText(instant: bigint): string {
  const seconds = instant >= 0n ? instant / NANOS : -((-instant + NANOS - 1n) / NANOS);
  const nanos = instant - seconds * NANOS;
  const iso = new Date(Number(seconds) * 1000).toISOString();
  const text = `${iso.slice(0, 19)}.${nanos.toString().padStart(9, "0")}Z`;
  if (parseInstant(text) !== instant) throw new Undecided(`no date in the ISO 8601 range next to ${iso} stands for its interval`);
  return text;
}

function dateWitnesses(values: readonly string[]): string[] {
  const points = [...new Set(values.map((v) => parseInstant(v)!))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out = [points[0]! - 1n, points.at(-1)! + 1n];
  points.forEach((p, i) => {
    out.push(p);
    const next = points[i + 1];
    if (next !== undefined && p + 1n < next) out.push(p + 1n);
  });
  return out.map(instantText);
}

interface Block {
  readonly v6: boolean;
  readonly start: bigint;
  readonly end: bigint;
}

const toBig = (bytes: readonly number[]): bigint => bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);

function blockOf(raw: string): Block {
  const parsed = parseTyped("ip", raw, "policy");
  if (!parsed.ok || parsed.value.family !== "ip") throw new Undecided(`IP value ${JSON.stringify(raw)} does not parse`);
  const { address, prefix } = parsed.value;
  const v6 = address.kind() === "ipv6";
  const bits = v6 ? 128n : 32n;
  const size = 1n << (bits - BigInt(prefix));
  const start = (toBig(address.toByteArray()) / size) * size;
  return { v6, start, end: start + size - 1n };
}

/** IPv4-mapped IPv6 addresses compare as IPv4 (docs/semantics.md §3): no IPv6 witness may fall in ::ffff:0:0/96. */
const MAPPED = { start: 0xffffn << 32n, end: (0xffffn << 32n) + 0xffffffffn };

function ipText(value: bigint, v6: boolean): string {
  const bytes: number[] = [];
  for (let i = v6 ? 15 : 3; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

function ipWitnesses(values: readonly string[]): string[] {
  const blocks = values.map(blockOf);
  const out: string[] = [];
  for (const v6 of [false, true]) {
    const top = 1n << (v6 ? 128n : 32n);
    const cuts = new Set<bigint>([0n]);
    for (const b of blocks.filter((x) => x.v6 === v6)) [b.start, b.end + 1n].forEach((c) => cuts.add(c));
    if (v6) [MAPPED.start, MAPPED.end + 1n].forEach((c) => cuts.add(c));
    for (const cut of cuts) {
      if (cut >= top || (v6 && cut >= MAPPED.start && cut <= MAPPED.end)) continue;
      out.push(ipText(cut, v6));
    }
  }
  return out;
}

export interface ValueClass {
  readonly witness: string;
  /** The outcome of each condition (in the order given) for the witness, and so for every value of its class. */
  readonly outcomes: readonly Outcome[];
}

/** One value of each interval (or CIDR piece, or Bool value) a typed family's policy values cut its values into. */
function typedWitnesses(family: Exclude<Family, "string">, policyValues: readonly string[]): string[] {
  switch (family) {
    case "numeric":
      return numericWitnesses(policyValues);
    case "date":
      return dateWitnesses(policyValues);
    case "bool":
      return ["true", "false"];
    case "ip":
      return ipWitnesses(policyValues);
  }
}

/** The classes of a key tested by these conditions; throws Undecided when they mix families in a way not decided. */
export function valueClasses(conditions: readonly Condition[], required: readonly string[] = []): ValueClass[] {
  const families = new Set(conditions.map((c) => OPERATORS[c.operator].family));
  const family = [...families][0] ?? "string";
  const witnesses =
    families.size > 1
      ? mixedWitnesses(conditions, families)
      : family === "string"
        ? stringWitnesses(conditions)
        : [UNPARSEABLE, ...typedWitnesses(family, conditions.flatMap((c) => c.values))];
  const classes = new Map<string, ValueClass>();
  for (const witness of [...required, ...witnesses]) {
    const outcomes = conditions.map((c) => outcomeOf(c, witness));
    const id = outcomes.join(",");
    if (!classes.has(id)) classes.set(id, { witness, outcomes });
  }
  return [...classes.values()];
}

/** Spellings tried per typed witness, and of a case-insensitive literal, before the analysis gives up. */
const MAX_SPELLINGS = 4096;

/**
 * Other texts of the value a typed witness stands for (trailing zeros, offsets, IPv4-mapped forms), each kept
 * only when every condition of its family says of it what it says of the witness: the same class.
 */
function respellings(family: Exclude<Family, "string">, witness: string, count: number): string[] {
  switch (family) {
    case "numeric": {
      const dotted = witness.includes(".") ? witness : `${witness}.`;
      return [witness, ...Array.from({ length: count }, (_, i) => dotted + "0".repeat(i))];
    }
    case "date": {
      const instant = parseInstant(witness)!;
      const offsets = Array.from({ length: Math.min(count, 23 * 60) }, (_, minutes) => minutes + 1);
      // Next to year 9999 a later local time has no text: those offsets are left out.
      return [witness, ...offsets.flatMap((minutes) => (instant + BigInt(minutes) * 60n * NANOS < LAST_INSTANT ? [offsetText(instant, minutes)] : []))];
    }
    case "bool":
      return [witness];
    case "ip": {
      const v6 = witness.includes(":");
      const full = v6 ? ipaddr.parse(witness).toNormalizedString() : `0:0:0:0:0:ffff:${witness}`;
      const groups = full.split(":");
      // Runs of zero groups written out or compressed, in lower and upper case.
      const forms = groups.flatMap((_, start) => groups.map((__, end) => (end < start || groups.slice(start, end + 1).some((g) => !/^0+$/.test(g)) ? full : [...groups.slice(0, start), "", ...groups.slice(end + 1)].join(":").replace(/^:(?!:)/, "::").replace(/(?<!:):$/, "::"))));
      return [...new Set([witness, full, ...forms, ...forms.map((f) => f.toUpperCase())])];
    }
  }
}

const LAST_INSTANT = parseInstant("9999-12-31T23:59:59.999999999Z")!;

/** The instant as a local time `minutes` east of UTC. */
function offsetText(instant: bigint, minutes: number): string {
  const local = instantText(instant + BigInt(minutes) * 60n * NANOS);
  return `${local.slice(0, -1)}+${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** Every text whose lower case is the ASCII `lower` (the Kelvin sign is the one non-ASCII letter that folds into it). */
function caseSpellings(lower: string, key: string): string[] {
  let out = [""];
  for (const ch of lower) {
    const options = [...new Set([ch, ch.toUpperCase(), ...(ch === "k" ? ["\u212a"] : [])])];
    out = out.flatMap((prefix) => options.map((o) => prefix + o));
    if (out.length > MAX_SPELLINGS) throw new Undecided(`key ${key}: the case-insensitive value ${JSON.stringify(lower)} has more than ${MAX_SPELLINGS} spellings`);
  }
  return out;
}

/**
 * Witnesses for a key compared as several families at once (docs/semantics.md §3: a value that does not parse
 * as an operator's type makes that condition indeterminate). The typed families read disjoint texts (decimals,
 * ISO date-times, "true"/"false", addresses), so a value is read by at most one of them. With string operators
 * too, which must then compare literally: every text a string value matches (its spellings, when compared
 * without case) is a witness of its own, and every other text behaves as one that matches no string value, so
 * each typed class (and the texts no family reads) needs one spelling outside the string values.
 */
function mixedWitnesses(conditions: readonly Condition[], families: ReadonlySet<Family>): string[] {
  const key = conditions[0]!.key;
  const strings = conditions.filter((c) => OPERATORS[c.operator].family === "string");
  const like = strings.find((c) => OPERATORS[c.operator].comparison === "like");
  if (like) throw new Undecided(`key ${key} is compared with ${like.operator} patterns and as ${[...families].filter((f) => f !== "string").join(" and ")} at once`);
  const exact = new Set<string>();
  const folded = new Set<string>();
  for (const c of strings) {
    for (const v of c.values) {
      if (OPERATORS[c.operator].comparison === "equals") exact.add(v);
      else if (/^[\x00-\x7f]*$/.test(v)) folded.add(v.toLowerCase());
      else throw new Undecided(`key ${key} is compared without case to the non-ASCII ${JSON.stringify(v)} and as another type at once`);
    }
  }
  const matchesNoString = (text: string): boolean => !exact.has(text) && !folded.has(text.toLowerCase());
  const out = [...exact, ...[...folded].flatMap((v) => caseSpellings(v, key))];
  const count = exact.size + folded.size + 1;
  for (const family of families) {
    if (family === "string") continue;
    const own = conditions.filter((c) => OPERATORS[c.operator].family === family);
    const sameClass = (a: string, b: string): boolean => own.every((c) => outcomeOf(c, a) === outcomeOf(c, b));
    for (const witness of typedWitnesses(family, own.flatMap((c) => c.values))) {
      const spelling = respellings(family, witness, count).find((text) => matchesNoString(text) && sameClass(text, witness));
      if (spelling !== undefined) out.push(spelling);
      // Bool has one text per value: when the string values name it, its class is theirs alone.
      else if (family !== "bool") throw new Undecided(`key ${key}: every text tried for ${witness} is one of the string values`);
    }
  }
  const unreadable = [UNPARSEABLE, ...Array.from({ length: count }, (_, i) => `${UNPARSEABLE}-${i}`)].find(matchesNoString)!;
  return [...out, unreadable];
}
