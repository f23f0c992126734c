import ipaddr from "ipaddr.js";
import { match } from "ts-pattern";
import type { Comparison, Family } from "./operators.js";
import { compileGlob } from "../match/glob.js";

/**
 * Typed condition values, one parser and comparator per operator family (contract §3).
 * A policy value that does not parse is an Error at load; a request value that does not parse makes the
 * condition indeterminate (never allows, always lets a Deny fire).
 */
export type TypedValue =
  | { readonly family: "string"; readonly text: string }
  | { readonly family: "numeric"; readonly number: number }
  | { readonly family: "date"; readonly instant: bigint }
  | { readonly family: "bool"; readonly bool: boolean }
  | { readonly family: "ip"; readonly address: ipaddr.IPv4 | ipaddr.IPv6; readonly prefix: number };

/** Decimal numbers only: no exponent, hex, Infinity or NaN. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** ISO 8601 date-time with a `Z` or `±hh:mm` offset (https://www.alibabacloud.com/help/en/ram/policy-elements). */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-](\d{2}):(\d{2}))$/;

function parseDecimal(raw: string): number | undefined {
  if (!DECIMAL.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** Nanoseconds since the epoch, or undefined for anything that is not a valid instant. */
export function parseInstant(raw: string): bigint | undefined {
  const m = ISO_DATE_TIME.exec(raw);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number, number, number, number, number, number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== "Z") {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[8]!.startsWith("-") ? -1 : 1) * (oh * 60 + om);
  }
  const utcSeconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offsetMinutes * 60;
  const nanos = BigInt((m[7] ?? "").padEnd(9, "0"));
  return BigInt(utcSeconds) * 1_000_000_000n + nanos;
}

/** IPv4 in strict dotted-quad, IPv6, and IPv4-mapped IPv6 folded to IPv4. */
function parseAddress(raw: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(raw)) return ipaddr.IPv4.parse(raw);
  if (!raw.includes(":") || raw.includes("%") || !ipaddr.IPv6.isValid(raw)) return undefined;
  const v6 = ipaddr.IPv6.parse(raw);
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
  const mapped = addrText.includes(":") && ipaddr.IPv6.isValid(addrText) && ipaddr.IPv6.parse(addrText).isIPv4MappedAddress();
  const address = parseAddress(addrText);
  if (!address) return undefined;
  if (mapped) {
    if (prefix < 96 || prefix > 128) return undefined;
    prefix -= 96;
  }
  if (prefix > (address.kind() === "ipv4" ? 32 : 128)) return undefined;
  return { address, prefix };
}

export type ParseResult = { readonly ok: true; readonly value: TypedValue } | { readonly ok: false; readonly expected: string };

/** Parses a value for a family; `range` allows CIDR blocks (policy side of IpAddress). */
export function parseTyped(family: Family, raw: string, side: "policy" | "request"): ParseResult {
  return match(family)
    .with("string", (): ParseResult => ({ ok: true, value: { family: "string", text: raw } }))
    .with("numeric", (): ParseResult => {
      const n = parseDecimal(raw);
      return n === undefined ? { ok: false, expected: "a decimal number" } : { ok: true, value: { family: "numeric", number: n } };
    })
    .with("date", (): ParseResult => {
      const instant = parseInstant(raw);
      return instant === undefined
        ? { ok: false, expected: "an ISO 8601 date-time with Z or ±hh:mm, e.g. 2026-11-30T10:00:00Z" }
        : { ok: true, value: { family: "date", instant } };
    })
    .with("bool", (): ParseResult =>
      raw === "true" || raw === "false"
        ? { ok: true, value: { family: "bool", bool: raw === "true" } }
        : { ok: false, expected: '"true" or "false"' },
    )
    .with("ip", (): ParseResult => {
      const range = side === "policy" ? parseIpRange(raw) : ((a) => a && { address: a, prefix: a.kind() === "ipv4" ? 32 : 128 })(parseAddress(raw));
      return range
        ? { ok: true, value: { family: "ip", ...range } }
        : { ok: false, expected: side === "policy" ? "an IPv4/IPv6 address or CIDR block" : "an IPv4/IPv6 address" };
    })
    .exhaustive();
}

function compareOrder(a: number | bigint, b: number | bigint, comparison: Comparison): boolean {
  return match(comparison)
    .with("equals", () => a === b)
    .with("lessThan", () => a < b)
    .with("lessThanEquals", () => a <= b)
    .with("greaterThan", () => a > b)
    .with("greaterThanEquals", () => a >= b)
    .otherwise(() => false);
}

/** A compiled policy value: `test(requestValue)` says whether the (non-negated) comparison holds. */
export type ValueTest = (request: TypedValue) => boolean;

export function compileValueTest(comparison: Comparison, policy: TypedValue): ValueTest {
  switch (policy.family) {
    case "string": {
      const text = policy.text;
      if (comparison === "like") {
        const glob = compileGlob(text);
        return (r) => r.family === "string" && glob.test(r.text);
      }
      if (comparison === "equalsIgnoreCase") {
        const lower = text.toLowerCase();
        return (r) => r.family === "string" && r.text.toLowerCase() === lower;
      }
      return (r) => r.family === "string" && r.text === text;
    }
    case "numeric":
      return (r) => r.family === "numeric" && compareOrder(r.number, policy.number, comparison);
    case "date":
      return (r) => r.family === "date" && compareOrder(r.instant, policy.instant, comparison);
    case "bool":
      return (r) => r.family === "bool" && r.bool === policy.bool;
    case "ip": {
      const range: [ipaddr.IPv4 | ipaddr.IPv6, number] = [policy.address, policy.prefix];
      const kind = policy.address.kind();
      return (r) => r.family === "ip" && r.address.kind() === kind && r.address.match(range);
    }
  }
}
