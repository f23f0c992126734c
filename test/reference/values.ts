/**
 * Reference value parsing and comparison for the differential tests (docs/semantics.md §3, "Formats"), written from
 * docs/semantics.md alone and deliberately unlike `src/conditions/values.ts`: no regex-built globs, no `Number`, no
 * `Date`, no ipaddr.js. Slow and obvious on purpose.
 *
 * Readings of docs/semantics.md where it is terse (documented in SECURITY.md):
 * - numbers: an optional sign, decimal digits with an optional fraction (`1`, `-1.5`, `.5`, `1.`), compared
 *   EXACTLY as decimals (no binary floating point): `9007199254740993` ≠ `9007199254740992`.
 * - dates: ISO 8601 extended date-time with seconds, an optional 1–9 digit fraction and `Z` or `±hh:mm`,
 *   compared as instants; the proleptic Gregorian calendar for every year 0000–9999.
 * - Bool: exactly `true` / `false`.
 * - IP: dotted-quad IPv4 (no leading zeros), IPv6 (no zone), and on the policy side CIDR blocks. IPv4-mapped IPv6
 *   (`::ffff:a.b.c.d`) is folded to IPv4 (a mapped block needs a prefix ≥ 96); after folding an IPv4 address is
 *   only ever in an IPv4 block and an IPv6 address only in an IPv6 block. Request values are addresses only.
 */

// ---------------------------------------------------------------- characters

/** Code points (a lone surrogate is one "character" of its own). */
export function chars(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(s[i]! + s[i + 1]!);
        i++;
        continue;
      }
    }
    out.push(s[i]!);
  }
  return out;
}

/**
 * docs/semantics.md §2 glob: `*` any sequence (incl. empty), `?` exactly one character, all else literal.
 * Bottom-up dynamic programming over (pattern position, input position): `m[i][j]` = pattern[i..] matches input[j..].
 */
export function refGlob(pattern: string, input: string): boolean {
  const p = chars(pattern);
  const s = chars(input);
  // next[j] holds row i+1, cur[j] row i.
  let next: boolean[] = new Array(s.length + 1).fill(false);
  next[s.length] = true; // empty pattern matches only the empty rest
  for (let i = p.length - 1; i >= 0; i--) {
    const cur: boolean[] = new Array(s.length + 1).fill(false);
    for (let j = s.length; j >= 0; j--) {
      if (p[i] === "*") cur[j] = next[j]! || (j < s.length && cur[j + 1]!);
      else if (j < s.length && (p[i] === "?" || p[i] === s[j])) cur[j] = next[j + 1]!;
      else cur[j] = false;
    }
    next = cur;
  }
  return next[0]!;
}

// ---------------------------------------------------------------- decimals

interface Dec {
  readonly neg: boolean;
  /** Integer digits without leading zeros ("" for zero). */
  readonly int: string;
  /** Fraction digits without trailing zeros. */
  readonly frac: string;
}

function isDigit(c: string): boolean {
  return c.length === 1 && c >= "0" && c <= "9";
}

export function parseDec(raw: string): Dec | undefined {
  let i = 0;
  let neg = false;
  if (raw[0] === "+" || raw[0] === "-") {
    neg = raw[0] === "-";
    i = 1;
  }
  let int = "";
  while (i < raw.length && isDigit(raw[i]!)) int += raw[i++];
  let frac = "";
  let dot = false;
  if (raw[i] === ".") {
    dot = true;
    i++;
    while (i < raw.length && isDigit(raw[i]!)) frac += raw[i++];
  }
  if (i !== raw.length) return undefined;
  if (int === "" && frac === "") return undefined; // "", "+", ".", "-."
  void dot;
  let a = 0;
  while (a < int.length && int[a] === "0") a++;
  int = int.slice(a);
  let b = frac.length;
  while (b > 0 && frac[b - 1] === "0") b--;
  frac = frac.slice(0, b);
  if (int === "" && frac === "") neg = false; // -0 = 0
  return { neg, int, frac };
}

/** -1, 0, 1 for magnitudes. */
function cmpMagnitude(a: Dec, b: Dec): number {
  if (a.int.length !== b.int.length) return a.int.length < b.int.length ? -1 : 1;
  if (a.int !== b.int) return a.int < b.int ? -1 : 1;
  const n = Math.max(a.frac.length, b.frac.length);
  const fa = a.frac.padEnd(n, "0");
  const fb = b.frac.padEnd(n, "0");
  if (fa === fb) return 0;
  return fa < fb ? -1 : 1;
}

export function cmpDec(a: Dec, b: Dec): number {
  if (a.neg !== b.neg) return a.neg ? -1 : 1;
  const m = cmpMagnitude(a, b);
  return a.neg ? -m : m;
}

// ---------------------------------------------------------------- instants

function digitsAt(s: string, at: number, n: number): number | undefined {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s[at + k];
    if (c === undefined || !isDigit(c)) return undefined;
    v = v * 10 + (c.charCodeAt(0) - 48);
  }
  return v;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysIn(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Days from 0000-01-01 to y-m-d, by counting (slow and obvious). */
function dayNumber(y: number, m: number, d: number): number {
  // whole 400-year cycles have 146097 days; count the rest year by year
  let days = Math.floor(y / 400) * 146097;
  for (let yy = y - (y % 400); yy < y; yy++) days += isLeap(yy) ? 366 : 365;
  for (let mm = 1; mm < m; mm++) days += daysIn(y, mm);
  return days + d - 1;
}

export interface Instant {
  /** Seconds since 0000-01-01T00:00:00Z. */
  readonly seconds: number;
  /** Nanoseconds. */
  readonly nanos: number;
}

export function parseInstant(raw: string): Instant | undefined {
  // YYYY-MM-DDTHH:MM:SS
  if (raw.length < 20) return undefined;
  const y = digitsAt(raw, 0, 4);
  const mo = digitsAt(raw, 5, 2);
  const d = digitsAt(raw, 8, 2);
  const h = digitsAt(raw, 11, 2);
  const mi = digitsAt(raw, 14, 2);
  const se = digitsAt(raw, 17, 2);
  if (raw[4] !== "-" || raw[7] !== "-" || raw[10] !== "T" || raw[13] !== ":" || raw[16] !== ":") return undefined;
  if (y === undefined || mo === undefined || d === undefined || h === undefined || mi === undefined || se === undefined) return undefined;
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || se > 59) return undefined;
  let i = 19;
  let nanoDigits = "";
  if (raw[i] === ".") {
    i++;
    while (i < raw.length && isDigit(raw[i]!)) nanoDigits += raw[i++];
    if (nanoDigits.length < 1 || nanoDigits.length > 9) return undefined;
  }
  let offset = 0;
  if (raw[i] === "Z" && i + 1 === raw.length) {
    offset = 0;
  } else if ((raw[i] === "+" || raw[i] === "-") && i + 6 === raw.length && raw[i + 3] === ":") {
    const oh = digitsAt(raw, i + 1, 2);
    const om = digitsAt(raw, i + 4, 2);
    if (oh === undefined || om === undefined || oh > 23 || om > 59) return undefined;
    offset = (raw[i] === "-" ? -1 : 1) * (oh * 3600 + om * 60);
  } else return undefined;
  const seconds = dayNumber(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
  return { seconds, nanos: Number(nanoDigits.padEnd(9, "0") || "0") };
}

export function cmpInstant(a: Instant, b: Instant): number {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  if (a.nanos !== b.nanos) return a.nanos < b.nanos ? -1 : 1;
  return 0;
}

// ---------------------------------------------------------------- IP addresses

export interface Addr {
  readonly v: 4 | 6;
  readonly bits: bigint;
}

export interface Block {
  readonly v: 4 | 6;
  readonly bits: bigint;
  readonly prefix: number;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let bits = 0n;
  for (const p of parts) {
    if (p.length < 1 || p.length > 3) return undefined;
    for (const c of p) if (!isDigit(c)) return undefined;
    if (p.length > 1 && p[0] === "0") return undefined; // 010 could mean octal: refuse
    const n = Number(p);
    if (n > 255) return undefined;
    bits = (bits << 8n) | BigInt(n);
  }
  return bits;
}

function parseHexGroup(g: string): number | undefined {
  if (g.length < 1 || g.length > 4) return undefined;
  let v = 0;
  for (const c of g.toLowerCase()) {
    const k = "0123456789abcdef".indexOf(c);
    if (k < 0) return undefined;
    v = v * 16 + k;
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  if (!s.includes(":")) return undefined;
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string, isLast: boolean): number[] | undefined => {
    if (part === "") return [];
    const raw = part.split(":");
    const out: number[] = [];
    for (let k = 0; k < raw.length; k++) {
      const g = raw[k]!;
      if (isLast && k === raw.length - 1 && g.includes(".")) {
        const v4 = parseV4(g);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        continue;
      }
      const v = parseHexGroup(g);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  };
  let groups: number[];
  if (halves.length === 1) {
    const g = groupsOf(halves[0]!, true);
    if (!g || g.length !== 8) return undefined;
    groups = g;
  } else {
    const head = groupsOf(halves[0]!, false);
    const tail = groupsOf(halves[1]!, true);
    if (!head || !tail) return undefined;
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined; // "::" stands for at least one group of zeros
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  }
  let bits = 0n;
  for (const g of groups) bits = (bits << 16n) | BigInt(g);
  return bits;
}

const MAPPED_PREFIX = 0xffffn << 32n; // ::ffff:0:0/96

function isMapped(bits: bigint): boolean {
  return bits >> 32n === 0xffffn;
}

export function parseAddr(raw: string): Addr | undefined {
  const v4 = parseV4(raw);
  if (v4 !== undefined) return { v: 4, bits: v4 };
  const v6 = parseV6(raw);
  if (v6 === undefined) return undefined;
  if (isMapped(v6)) return { v: 4, bits: v6 - MAPPED_PREFIX };
  return { v: 6, bits: v6 };
}

export function parseBlock(raw: string): Block | undefined {
  const slash = raw.indexOf("/");
  if (slash < 0) {
    const a = parseAddr(raw);
    return a && { v: a.v, bits: a.bits, prefix: a.v === 4 ? 32 : 128 };
  }
  const prefixText = raw.slice(slash + 1);
  if (prefixText.length < 1 || prefixText.length > 3) return undefined;
  for (const c of prefixText) if (!isDigit(c)) return undefined;
  let prefix = Number(prefixText);
  const addrText = raw.slice(0, slash);
  const v4 = parseV4(addrText);
  if (v4 !== undefined) return prefix <= 32 ? { v: 4, bits: v4, prefix } : undefined;
  const v6 = parseV6(addrText);
  if (v6 === undefined || prefix > 128) return undefined;
  if (isMapped(v6)) {
    if (prefix < 96) return undefined;
    prefix -= 96;
    return { v: 4, bits: v6 - MAPPED_PREFIX, prefix };
  }
  return { v: 6, bits: v6, prefix };
}

export function inBlock(a: Addr, b: Block): boolean {
  if (a.v !== b.v) return false;
  const width = BigInt(a.v === 4 ? 32 : 128);
  const shift = width - BigInt(b.prefix);
  return a.bits >> shift === b.bits >> shift;
}
