/**
 * Statements filed by the request values their conditions need, so that a request only visits the statements
 * it can satisfy — boolean-expression indexing (Whang et al., VLDB 2009) with one "anchor" per statement,
 * as OPA's rule indexer files rules by one equality each.
 *
 * A statement's anchor is one of its conditions that can only hold when the request carries a value of the
 * key it names (a positive operator, unqualified or `ForAnyValue:`: a missing key makes it false, docs/semantics.md §3):
 * - `StringEquals` / `StringEqualsIgnoreCase`: filed under each policy value (lower-cased for IgnoreCase);
 * - `StringLike` whose every value starts with literal text: filed under those literal prefixes;
 * - `Bool`: filed under the value it wants; a request value that is not a boolean visits both, because an
 *   indeterminate value lets a Deny apply;
 * - `IpAddress`: filed under each block's network; a request address is masked to every prefix length the key's
 *   blocks use, and a value that is not an address visits them all (indeterminate, as above);
 * - any other positive operator: filed under its key, visited whenever the key has a value.
 * These are necessary conditions only: every visited statement is still decided by its own matchers, so
 * negated operators, case-variant tags, indeterminate values and everything else keep their exact semantics.
 * A statement with no such condition is not filed here (compile.ts files it by its resource).
 *
 * Some entries are also sufficient: an equal value (exact or lower-cased), a boolean, an address in the block, a
 * value starting with the literal text of a `StringLike` value that is that text and `*`. When the key has one
 * request value and it reaches the statement through such an entry, the anchor holds (one value that satisfies a
 * positive operator satisfies it unqualified in either effect, and under `ForAnyValue:`), and the index marks it
 * `proven` so the statement's other conditions are all that is left to decide. A statement's anchor is the
 * condition that tells it apart from the others, so it is the one least likely to be in the CPU's caches.
 */
import type { IPv4 } from "ipaddr.js";
import type { Condition } from "../policy/ast.js";
import { OPERATORS } from "../conditions/operators.js";
import { parseTyped, requestValueParser, type TypedValue } from "../conditions/values.js";
import { BoundedMemo } from "../bounded-memo.js";
import { appendTo, copyLists } from "./context.js";

/**
 * A statement as the index files it; `visited` is the last sink round that was handed it, `proven` the last round
 * in which a request value was found to satisfy its anchor (the condition at `anchorAt` of its conditions).
 */
export interface Anchorable {
  readonly conditions: readonly { readonly condition: Condition }[];
  visited: number;
  proven: number;
  anchorAt: number;
}

/**
 * Where candidates go. A sink starts a new `round` for each request, so that a statement found through several
 * request values, or filed in several places, is handed over once.
 */
export interface CandidateSink<S> {
  readonly round: number;
  visit(statement: S): void;
}

export type Anchor =
  | { readonly kind: "equals" | "equalsIgnoreCase"; readonly key: string; readonly values: readonly string[] }
  /** `proving[i]`: whether the condition has the value `prefixes[i]*`, so that any value starting with that prefix satisfies it. */
  | { readonly kind: "prefix"; readonly key: string; readonly prefixes: readonly string[]; readonly proving: readonly boolean[] }
  | { readonly kind: "bool"; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: "ip"; readonly key: string; readonly blocks: readonly IpBlock[] }
  | { readonly kind: "present"; readonly key: string };

/** Text before the first wildcard of a `StringLike` value: every matching request value starts with it. */
const literalPrefix = (pattern: string): string => {
  const wildcard = pattern.search(/[*?]/);
  return wildcard < 0 ? pattern : pattern.slice(0, wildcard);
};

const parseBool = requestValueParser("bool");
const parseRequestIp = requestValueParser("ip");

/** An address family and prefix length (`ipv4/16`), and a network of that width. */
interface IpBlock {
  readonly width: string;
  readonly bits: number;
  readonly network: NetworkKey;
}

/** A network as the index keys it: IPv4 as the address number, IPv6 as its bytes' text (host bits cleared). */
type NetworkKey = number | string;

type Address = Extract<TypedValue, { family: "ip" }>["address"];

const widthOf = (address: Address, bits: number): string => `${address.kind()}/${bits}`;

/** The network of `address` with all but its first `bits` bits cleared. */
function networkKey(address: Address, bits: number): NetworkKey {
  if (address.kind() === "ipv4") {
    const [a, b, c, d] = (address as IPv4).octets as [number, number, number, number];
    const n = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
    // `<< 32` would shift by 0: a /0 block is every address.
    return bits === 0 ? 0 : (n & (~0 << (32 - bits))) >>> 0;
  }
  const bytes = address.toByteArray();
  for (let i = 0; i < bytes.length; i++) bytes[i]! &= (0xff << (8 - Math.max(0, Math.min(8, bits - i * 8)))) & 0xff;
  return bytes.join(".");
}

/** Lists this short are searched for repeats in place: most conditions have one to three values, and a Set is costly. */
const SHORT_LIST = 8;

/** The values without repeats; the list itself when it has none. */
function distinct(values: readonly string[]): readonly string[] {
  if (values.length > SHORT_LIST) return [...new Set(values)];
  for (let i = 1; i < values.length; i++) if (values.lastIndexOf(values[i]!, i - 1) >= 0) return [...new Set(values)];
  return values;
}

/** An `IpAddress` policy value as a block, or undefined when it does not parse. */
function blockOf(value: string): IpBlock | undefined {
  const parsed = parseTyped("ip", value, "policy");
  if (!parsed.ok || parsed.value.family !== "ip") return undefined;
  const { address, prefix } = parsed.value;
  return { width: widthOf(address, prefix), bits: prefix, network: networkKey(address, prefix) };
}

/** `blockOf`, remembering each value: a step's statements repeat a few address blocks. */
function blockReader(): (value: string) => IpBlock | undefined {
  const known = new Map<string, IpBlock | undefined>();
  return (value) => {
    if (known.has(value)) return known.get(value);
    const block = blockOf(value);
    known.set(value, block);
    return block;
  };
}

function anchorOf(condition: Condition, readBlock: (value: string) => IpBlock | undefined): Anchor | undefined {
  const spec = OPERATORS[condition.operator];
  // `ForAllValues:` holds on an absent key, and negated operators do too: neither needs a value.
  // `ForAnyValue:` needs a value that satisfies the operator, as an unqualified positive operator does.
  if (spec.negated || condition.qualifier === "ForAllValues") return undefined;
  const key = condition.keyLower;
  if (spec.family === "string" && (spec.comparison === "equals" || spec.comparison === "equalsIgnoreCase")) {
    const values = spec.comparison === "equalsIgnoreCase" ? condition.values.map((v) => v.toLowerCase()) : condition.values;
    return { kind: spec.comparison, key, values: distinct(values) };
  }
  if (spec.family === "string") {
    const prefixes = condition.values.map(literalPrefix);
    if (prefixes.includes("")) return { kind: "present", key };
    const distinctPrefixes = distinct(prefixes);
    return { kind: "prefix", key, prefixes: distinctPrefixes, proving: distinctPrefixes.map((p) => condition.values.includes(`${p}*`)) };
  }
  if (spec.family === "ip") {
    const blocks = condition.values.map(readBlock);
    return blocks.includes(undefined) ? { kind: "present", key } : { kind: "ip", key, blocks: blocks as IpBlock[] };
  }
  if (spec.family === "bool") {
    const values = condition.values.map((v) => parseBool(v)).map((p) => (p.ok && p.value.family === "bool" ? String(p.value.bool) : undefined));
    // parsePolicy rejects other Bool values; without them the key is all the index can use.
    return values.includes(undefined) ? { kind: "present", key } : { kind: "bool", key, values: distinct(values as string[]) };
  }
  return { kind: "present", key };
}

/**
 * How many anchors each entry holds. An entry is what a request reaches a statement through: a value under a
 * key and a way of reading it (`equals`, `prefix`, …), or a network under a key and a block width. Counted in
 * maps by key, reading and value, so that no string is built per entry. Key-presence anchors are not counted:
 * every request with the key reaches them.
 */
class EntryCounts {
  private readonly byKey = new Map<string, Map<string, Map<string | NetworkKey, number>>>();

  /** Counts `uses` anchors like `anchor`. */
  add(anchor: Anchor, uses: number): void {
    if (anchor.kind === "ip") {
      for (const { width, network } of anchor.blocks) {
        const counts = this.countsOf(anchor.key, width);
        counts.set(network, (counts.get(network) ?? 0) + uses);
      }
    } else if (anchor.kind !== "present") {
      const counts = this.countsOf(anchor.key, anchor.kind);
      const values = valuesOf(anchor);
      for (let i = 0; i < values.length; i++) counts.set(values[i]!, (counts.get(values[i]!) ?? 0) + uses);
    }
  }

  /** The anchors its entries hold, summed (each anchor counts once per entry it shares); once all are added. */
  held(anchor: Anchor): number {
    let sum = 0;
    if (anchor.kind === "ip") for (const { width, network } of anchor.blocks) sum += this.countsOf(anchor.key, width).get(network)!;
    else if (anchor.kind !== "present") {
      const counts = this.countsOf(anchor.key, anchor.kind);
      const values = valuesOf(anchor);
      for (let i = 0; i < values.length; i++) sum += counts.get(values[i]!)!;
    }
    return sum;
  }

  /** The counts of one key read one way (an anchor kind, or an IP block width). */
  private countsOf(key: string, reading: string): Map<string | NetworkKey, number> {
    let readings = this.byKey.get(key);
    if (readings === undefined) this.byKey.set(key, (readings = new Map()));
    let counts = readings.get(reading);
    if (counts === undefined) readings.set(reading, (counts = new Map()));
    return counts;
  }
}

const valuesOf = (anchor: Extract<Anchor, { values: unknown } | { prefixes: unknown }>): readonly string[] => ("prefixes" in anchor ? anchor.prefixes : anchor.values);

/** A statement's most selective anchor, its condition's position, and how many statements its entries hold (see `AnchorChooser`). */
export interface ChosenAnchor {
  readonly anchor: Anchor;
  readonly position: number;
  readonly shared: number;
}

/** An anchor with how many of the statements hold it, and what its entries hold once all are counted. */
interface AnchorUse {
  readonly anchor: Anchor;
  uses: number;
  shared: number;
}

type Conditions = readonly { readonly condition: Condition }[];

/**
 * Each statement's most selective anchor: the one whose entries the fewest statements share, so that a request
 * meeting it visits the fewest others (the statements an entry holds stand in for how often requests reach it;
 * a key-presence entry is reached by every request with the key, so it counts as all statements).
 * Statements are added one by one (`add`), so that each condition is read while compiling it has just brought it
 * into the CPU's caches; `choose` then answers for all of them.
 */
export class AnchorChooser {
  private readonly readBlock = blockReader();
  /**
   * Statements share compiled conditions (`compiledCondition`), so each shared one is read and counted once, with
   * how many statements hold it. A condition no request value narrows maps to null.
   */
  private readonly uses = new Map<object, AnchorUse | null>();
  /** The conditions of each statement added, in order. */
  private readonly statements: Conditions[] = [];

  add(conditions: Conditions): void {
    this.statements.push(conditions);
    // Indexed loops: this runs once per statement, mostly unoptimized, where for-of allocates a result per element.
    for (let i = 0; i < conditions.length; i++) {
      const c = conditions[i]!;
      let use = this.uses.get(c);
      if (use === undefined) {
        const anchor = anchorOf(c.condition, this.readBlock);
        this.uses.set(c, (use = anchor === undefined ? null : { anchor, uses: 0, shared: 0 }));
      }
      if (use !== null) use.uses++;
    }
  }

  /** The anchor of each of the statements added, in order: undefined for a statement no request value narrows. */
  choose(): (ChosenAnchor | undefined)[] {
    const counts = new EntryCounts();
    this.uses.forEach((use) => {
      if (use !== null) counts.add(use.anchor, use.uses);
    });
    this.uses.forEach((use) => {
      if (use !== null) use.shared = use.anchor.kind === "present" ? this.statements.length : counts.held(use.anchor);
    });
    return this.statements.map((conditions) => {
      let best: AnchorUse | undefined;
      let position = -1;
      for (let i = 0; i < conditions.length; i++) {
        const use = this.uses.get(conditions[i]!)!;
        if (use !== null && (best === undefined || use.shared < best.shared)) {
          best = use;
          position = i;
        }
      }
      return best === undefined ? undefined : { anchor: best.anchor, position, shared: best.shared };
    });
  }
}

/** Literal prefixes of one key (those a `p*` value proves apart), with the lengths to cut a request value at. */
interface PrefixTable<S> {
  readonly byPrefix: Map<string, S[]>;
  readonly provenByPrefix: Map<string, S[]>;
  lengths: number[];
}

/** Networks of one width: a request address is masked to the width, then looked up. */
interface IpWidth<S> {
  readonly kind: string;
  readonly bits: number;
  readonly byNetwork: Map<NetworkKey, S[]>;
}

/** The statements one request value reaches through a key's entries: `proven` through entries that prove the anchor. */
interface Reach<S> {
  readonly proven: readonly S[];
  readonly other: readonly S[];
}

/** Request values remembered per key; requests choose them, so the memory is bounded: when full it starts over. */
const REMEMBERED_VALUES = 4096;

/**
 * The statements anchored on one key, by how their anchor reads the key's values. A class, with every field
 * set at construction, so that all tables share one shape and the lookups stay monomorphic however the
 * statements were filed.
 */
class KeyTable<S> {
  present: S[] | undefined = undefined;
  exact: Map<string, S[]> | undefined = undefined;
  lower: Map<string, S[]> | undefined = undefined;
  prefixes: PrefixTable<S> | undefined = undefined;
  bools: Map<string, S[]> | undefined = undefined;
  ips: Map<string, IpWidth<S>> | undefined = undefined;
  /**
   * What each request value seen reaches. Requests repeat a few values per key (teams, environments), and one
   * lookup here replaces one per entry kind and prefix length, each in a table too large to stay in the caches.
   */
  private readonly reached = new BoundedMemo<string, Reach<S>>(REMEMBERED_VALUES);

  /** A table holding what this one holds, to file more statements in; what request values reached is not copied. */
  copy(): KeyTable<S> {
    const table = new KeyTable<S>();
    table.present = this.present?.slice();
    table.exact = this.exact && copyLists(this.exact);
    table.lower = this.lower && copyLists(this.lower);
    table.bools = this.bools && copyLists(this.bools);
    if (this.prefixes) table.prefixes = { byPrefix: copyLists(this.prefixes.byPrefix), provenByPrefix: copyLists(this.prefixes.provenByPrefix), lengths: [] };
    if (this.ips) {
      const ips = (table.ips = new Map());
      this.ips.forEach(({ kind, bits, byNetwork }, width) => ips.set(width, { kind, bits, byNetwork: copyLists(byNetwork) }));
    }
    return table;
  }

  reach(value: string): Reach<S> {
    return this.reached.get(value, this.lookUp);
  }

  private readonly lookUp = (v: string): Reach<S> => {
    const proven = new Set<S>();
    const other = new Set<S>();
    const add = (list: readonly S[] | undefined, to: Set<S>): void => list?.forEach((s) => to.add(s));
    const { exact, lower, prefixes, bools, ips } = this;
    add(exact?.get(v), proven);
    add(lower?.get(v.toLowerCase()), proven);
    if (prefixes) {
      for (const length of prefixes.lengths) {
        if (length > v.length) continue;
        const head = v.slice(0, length);
        add(prefixes.byPrefix.get(head), other);
        add(prefixes.provenByPrefix.get(head), proven);
      }
    }
    if (bools) {
      const parsed = parseBool(v);
      if (parsed.ok && parsed.value.family === "bool") add(bools.get(String(parsed.value.bool)), proven);
      else for (const list of bools.values()) add(list, other);
    }
    if (ips) {
      const parsed = parseRequestIp(v);
      if (!parsed.ok || parsed.value.family !== "ip") for (const networks of ips.values()) for (const list of networks.byNetwork.values()) add(list, other);
      else {
        const address = parsed.value.address;
        const kind = address.kind();
        // An address of the other kind never falls in a block of this width.
        for (const networks of ips.values()) if (networks.kind === kind) add(networks.byNetwork.get(networkKey(address, networks.bits)), proven);
      }
    }
    // A statement reached both ways is proven: one entry that proves its anchor is enough.
    for (const s of proven) other.delete(s);
    return { proven: [...proven], other: [...other] };
  };
}

/** Statements filed by their anchors (chosen by `AnchorChooser`, or by a caller that weighs other indexes too). */
export class ConditionIndex<S extends Anchorable> {
  private readonly byKey = new Map<string, KeyTable<S>>();
  /** The sink of the `collect` under way (evaluation is synchronous and never re-enters). */
  private sink: CandidateSink<S> | undefined;

  /** Files each of `statements` by the anchor at its position in `anchors`, beside the statements `base` holds. */
  constructor(statements: readonly S[], anchors: readonly Anchor[], base?: ConditionIndex<S>) {
    base?.byKey.forEach((table, key) => this.byKey.set(key, table.copy()));
    for (let i = 0; i < statements.length; i++) this.file(statements[i]!, anchors[i]!);
    for (const { prefixes } of this.byKey.values()) {
      if (prefixes) prefixes.lengths = [...new Set([...prefixes.byPrefix.keys(), ...prefixes.provenByPrefix.keys()].map((p) => p.length))];
    }
  }

  get empty(): boolean {
    return this.byKey.size === 0;
  }

  private file(s: S, anchor: Anchor): void {
    let table = this.byKey.get(anchor.key);
    if (table === undefined) this.byKey.set(anchor.key, (table = new KeyTable()));
    switch (anchor.kind) {
      case "equals":
      case "equalsIgnoreCase": {
        const byValue = anchor.kind === "equals" ? (table.exact ??= new Map()) : (table.lower ??= new Map());
        for (let i = 0; i < anchor.values.length; i++) appendTo(byValue, anchor.values[i]!, s);
        return;
      }
      case "prefix": {
        const prefixes = (table.prefixes ??= { byPrefix: new Map(), provenByPrefix: new Map(), lengths: [] });
        for (let i = 0; i < anchor.prefixes.length; i++) appendTo(anchor.proving[i] ? prefixes.provenByPrefix : prefixes.byPrefix, anchor.prefixes[i]!, s);
        return;
      }
      case "bool": {
        const bools = (table.bools ??= new Map());
        for (const v of anchor.values) appendTo(bools, v, s);
        return;
      }
      case "ip": {
        const ips = (table.ips ??= new Map());
        for (const { width, bits, network } of anchor.blocks) {
          let networks = ips.get(width);
          if (networks === undefined) ips.set(width, (networks = { kind: width.slice(0, width.indexOf("/")), bits, byNetwork: new Map() }));
          appendTo(networks.byNetwork, network, s);
        }
        return;
      }
      case "present":
        (table.present ??= []).push(s);
        return;
    }
  }

  /** Hands `sink` every statement the request's values may satisfy, once a round, in no particular order. */
  collect(values: ReadonlyMap<string, readonly string[]>, sink: CandidateSink<S>): void {
    if (this.byKey.size === 0) return;
    // The request has few keys; the index may have many: walk the request's (forEach: no entry arrays).
    this.sink = sink;
    values.forEach(this.visitKey);
    this.sink = undefined;
  }

  private readonly visitKey = (requestValues: readonly string[], key: string): void => {
    if (requestValues.length === 0) return;
    const table = this.byKey.get(key);
    if (table === undefined) return;
    const sink = this.sink!;
    visitOnce(table.present, sink);
    const { exact, lower, prefixes, bools, ips } = table;
    if (!exact && !lower && !prefixes && !bools && !ips) return;
    // With several values an Allow needs every one to satisfy the anchor: a value's entry proves nothing then.
    const proves = requestValues.length === 1;
    for (let i = 0; i < requestValues.length; i++) {
      const reach = table.reach(requestValues[i]!);
      visitOnce(reach.proven, sink, proves);
      visitOnce(reach.other, sink);
    }
  };
}

/** Hands `sink` each statement of `list` not yet handed this round; `proves`: the value that reached them satisfies their anchor. */
export function visitOnce<S extends Anchorable>(list: readonly S[] | undefined, sink: CandidateSink<S>, proves = false): void {
  if (list === undefined) return;
  const round = sink.round;
  for (const s of list) {
    if (proves) s.proven = round;
    if (s.visited === round) continue;
    s.visited = round;
    sink.visit(s);
  }
}
