import ipaddr from "ipaddr.js";
import { match } from "ts-pattern";
import type { Comparison, Family } from "./operators.js";
import { compileGlob } from "../match/glob.js";
import { BoundedMemo } from "../bounded-memo.js";

/**
 * Typed condition values, one parser and comparator per operator family (docs/semantics.md §3).
 * A policy value that does not parse is an Error at load; a request value that does not parse makes the
 * condition indeterminate (never allows, always lets a Deny fire).
 */
export type TypedValue =
  | { readonly family: "string"; readonly text: string }
  | { readonly family: "numeric"; readonly number: number; readonly decimal: Decimal }
  | { readonly family: "date"; readonly instant: bigint }
  | { readonly family: "bool"; readonly bool: boolean }
  | { readonly family: "ip"; readonly address: ipaddr.IPv4 | ipaddr.IPv6; readonly prefix: number };

/** Decimal numbers only: no exponent, hex, Infinity or NaN. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** ISO 8601 date-time with a `Z` or `±hh:mm` offset (https://www.alibabacloud.com/help/en/ram/policy-elements). */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * A decimal number exactly as written: sign, integer digits without leading zeros, fraction digits without
 * trailing zeros. Compared exactly (binary floating point would make 9007199254740993 equal 9007199254740992).
 */
export interface Decimal {
  readonly negative: boolean;
  readonly int: string;
  readonly frac: string;
}

function parseDecimal(raw: string): { number: number; decimal: Decimal } | undefined {
  if (!DECIMAL.test(raw)) return undefined;
  const unsigned = raw[0] === "+" || raw[0] === "-" ? raw.slice(1) : raw;
  const [int = "", frac = ""] = unsigned.split(".");
  const digits = { int: int.replace(/^0+/, ""), frac: frac.replace(/0+$/, "") };
  const zero = digits.int === "" && digits.frac === "";
  // `number` approximates the value for the linter; decisions use `decimal`.
  return { number: Number(raw), decimal: { negative: raw[0] === "-" && !zero, ...digits } };
}

/** Sign of a − b, exactly. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  if (a.negative !== b.negative) return a.negative ? -1 : 1;
  let magnitude = a.int.length - b.int.length;
  if (magnitude === 0 && a.int !== b.int) magnitude = a.int < b.int ? -1 : 1;
  if (magnitude === 0) {
    const width = Math.max(a.frac.length, b.frac.length);
    const fa = a.frac.padEnd(width, "0");
    const fb = b.frac.padEnd(width, "0");
    magnitude = fa === fb ? 0 : fa < fb ? -1 : 1;
  }
  return Math.sign(a.negative ? -magnitude : magnitude);
}

/** A UTC date for any year 0–9999 (setUTCFullYear, unlike Date.UTC, takes years 0–99 literally). */
function utcDate(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  d.setUTCHours(hour, minute, second, 0);
  return d;
}

/** Nanoseconds since the epoch, or undefined for anything that is not a valid instant. */
export function parseInstant(raw: string): bigint | undefined {
  const m = ISO_DATE_TIME.exec(raw);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number, number, number, number, number, number,
  ];
  // Not Date.UTC: it maps years 0–99 to 1900–1999 (so "0099-…" would compare as 1999).
  const daysInMonth = utcDate(year, month, 0).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== "Z") {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[8]!.startsWith("-") ? -1 : 1) * (oh * 60 + om);
  }
  const utcSeconds = utcDate(year, month - 1, day, hour, minute, second).getTime() / 1000 - offsetMinutes * 60;
  const nanos = BigInt((m[7] ?? "").padEnd(9, "0"));
  return BigInt(utcSeconds) * 1_000_000_000n + nanos;
}

/**
 * An IPv6 text whose trailing dotted quad (`::ffff:1.2.3.4`) is rewritten as two hex groups, or undefined when
 * that quad is not strict decimal. ipaddr.js reads `::1.2.3.4` (IPv4-compatible, `::102:304`) as IPv4-mapped, and
 * accepts octal and hex parts (`::ffff:0x0a.0.0.1`), so it never sees a dotted quad.
 */
function hexTail(raw: string): string | undefined {
  if (!raw.includes(".")) return raw;
  const colon = raw.lastIndexOf(":");
  const quad = raw.slice(colon + 1);
  if (!ipaddr.IPv4.isValidFourPartDecimal(quad)) return undefined;
  const [a, b, c, d] = quad.split(".").map(Number) as [number, number, number, number];
  return `${raw.slice(0, colon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** IPv4 in strict dotted-quad, IPv6, and IPv4-mapped IPv6 folded to IPv4. */
function parseAddress(raw: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(raw)) return ipaddr.IPv4.parse(raw);
  if (!raw.includes(":") || raw.includes("%")) return undefined;
  const text = hexTail(raw);
  if (text === undefined || !ipaddr.IPv6.isValid(text)) return undefined;
  const v6 = ipaddr.IPv6.parse(text);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

function parseIpRange(raw: string): { address: ipaddr.IPv4 | ipaddr.IPv6; prefix: number } | undefined {
  const slash = raw.indexOf("/");
  if (slash < 0) {
    const address = parseAddress(raw);
    return address && { address, prefix: address.kind() === "ipv4" ? 32 : 128 };
  }
  const prefixText = raw.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  let prefix = Number(prefixText);
  const addrText = raw.slice(0, slash);
  const address = parseAddress(addrText);
  if (!address) return undefined;
  const mapped = addrText.includes(":") && address.kind() === "ipv4";
  if (mapped) {
    if (prefix < 96 || prefix > 128) return undefined;
    prefix -= 96;
  }
  if (prefix > (address.kind() === "ipv4" ? 32 : 128)) return undefined;
  return { address, prefix };
}

export type ParseResult = { readonly ok: true; readonly value: TypedValue } | { readonly ok: false; readonly expected: string };

/** Parses a value for a family; `range` allows CIDR blocks (policy side of IpAddress). */
export type ValueParser = (raw: string) => ParseResult;

/**
 * The parser for a family's values, chosen once (ts-pattern's exhaustive dispatch) so that a compiled condition
 * parses each request value without re-dispatching on the hot path.
 */
export function valueParser(family: Family, side: "policy" | "request"): ValueParser {
  return match(family)
    .with("string", (): ValueParser => (raw) => ({ ok: true, value: { family: "string", text: raw } }))
    .with("numeric", (): ValueParser => (raw) => {
      const n = parseDecimal(raw);
      return n === undefined ? { ok: false, expected: "a decimal number" } : { ok: true, value: { family: "numeric", ...n } };
    })
    .with("date", (): ValueParser => (raw) => {
      const instant = parseInstant(raw);
      return instant === undefined
        ? { ok: false, expected: "an ISO 8601 date-time with Z or ±hh:mm, e.g. 2026-11-30T10:00:00Z" }
        : { ok: true, value: { family: "date", instant } };
    })
    .with("bool", (): ValueParser => (raw) =>
      raw === "true" || raw === "false"
        ? { ok: true, value: { family: "bool", bool: raw === "true" } }
        : { ok: false, expected: '"true" or "false"' },
    )
    .with("ip", (): ValueParser => (raw) => {
      const range = side === "policy" ? parseIpRange(raw) : ((a) => a && { address: a, prefix: a.kind() === "ipv4" ? 32 : 128 })(parseAddress(raw));
      return range
        ? { ok: true, value: { family: "ip", ...range } }
        : { ok: false, expected: side === "policy" ? "an IPv4/IPv6 address or CIDR block" : "an IPv4/IPv6 address" };
    })
    .exhaustive();
}

/** Request values remembered per family: the same few addresses and times come with every request. */
const REMEMBERED_REQUEST_VALUES = 4096;

/**
 * `valueParser(family, "request")` that remembers what it read: every condition on a key reads the same
 * request value, and parsing an address or a date costs more than the comparison. Results are never mutated.
 */
export const requestValueParser = ((): ((family: Family) => ValueParser) => {
  const parsers = new Map<Family, ValueParser>();
  return (family) => {
    let parser = parsers.get(family);
    if (parser === undefined) {
      const parse = valueParser(family, "request");
      // Requests choose the values, so the memory is bounded.
      const remembered = new BoundedMemo<string, ParseResult>(REMEMBERED_REQUEST_VALUES);
      parser = (raw) => remembered.get(raw, parse);
      parsers.set(family, parser);
    }
    return parser;
  };
})();

/** Parses one value of a family (load-time use; hot paths hold on to `valueParser`). */
export function parseTyped(family: Family, raw: string, side: "policy" | "request"): ParseResult {
  return valueParser(family, side)(raw);
}

type Order = (a: number | bigint, b: number | bigint) => boolean;

/** The ordering a comparison asks for, chosen once per policy value: a request value is then one call, no dispatch. */
function orderOf(comparison: Comparison): Order {
  return match(comparison)
    .returnType<Order>()
    .with("equals", () => (a, b) => a === b)
    .with("lessThan", () => (a, b) => a < b)
    .with("lessThanEquals", () => (a, b) => a <= b)
    .with("greaterThan", () => (a, b) => a > b)
    .with("greaterThanEquals", () => (a, b) => a >= b)
    .otherwise(() => () => false);
}

/** A compiled policy value: `test(requestValue)` says whether the (non-negated) comparison holds. */
export type ValueTest = (request: TypedValue) => boolean;

/** A compiled String* policy value, tested on the request's text as it is (string values need no parsing). */
export type TextTest = (requestText: string) => boolean;

export function compileTextTest(comparison: Comparison, policyText: string): TextTest {
  if (comparison === "like") {
    const glob = compileGlob(policyText);
    return (text) => glob.test(text);
  }
  if (comparison === "equalsIgnoreCase") {
    const lower = policyText.toLowerCase();
    return (text) => text.toLowerCase() === lower;
  }
  return (text) => text === policyText;
}

export function compileValueTest(comparison: Comparison, policy: TypedValue): ValueTest {
  switch (policy.family) {
    case "string": {
      const test = compileTextTest(comparison, policy.text);
      return (r) => r.family === "string" && test(r.text);
    }
    case "numeric": {
      const holds = orderOf(comparison);
      return (r) => r.family === "numeric" && holds(compareDecimal(r.decimal, policy.decimal), 0);
    }
    case "date": {
      const holds = orderOf(comparison);
      return (r) => r.family === "date" && holds(r.instant, policy.instant);
    }
    case "bool":
      return (r) => r.family === "bool" && r.bool === policy.bool;
    case "ip": {
      const range: [ipaddr.IPv4 | ipaddr.IPv6, number] = [policy.address, policy.prefix];
      const kind = policy.address.kind();
      return (r) => r.family === "ip" && r.address.kind() === kind && r.address.match(range);
    }
  }
}
