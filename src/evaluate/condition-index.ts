/**
 * Statements filed by the request values their conditions need, so that a request only visits the statements
 * it can satisfy — boolean-expression indexing (Whang et al., VLDB 2009) with one "anchor" per statement,
 * as OPA's rule indexer files rules by one equality each.
 *
 * A statement's anchor is one of its conditions that can only hold when the request carries a value of the
 * key it names (a positive operator without a set qualifier: a missing key makes it false, contract §3):
 * - `StringEquals` / `StringEqualsIgnoreCase`: filed under each policy value (lower-cased for IgnoreCase);
 * - `StringLike` whose every value starts with literal text: filed under those literal prefixes;
 * - `Bool`: filed under the value it wants; a request value that is not a boolean visits both, because an
 *   indeterminate value lets a Deny apply;
 * - any other positive operator: filed under its key, visited whenever the key has a value.
 * These are necessary conditions only: every visited statement is still decided by its own matchers, so
 * negated operators, case-variant tags, indeterminate values and everything else keep their exact semantics.
 * Statements with no such condition are visited on every request.
 */
import type { Condition } from "../policy/ast.js";
import { OPERATORS } from "../conditions/operators.js";
import { valueParser } from "../conditions/values.js";
import { appendTo } from "./context.js";

/** A statement as the index files it; `visited` tells repeated finds apart within one request. */
export interface Anchorable {
  readonly conditions: readonly { readonly condition: Condition }[];
  visited: number;
}

export interface CandidateSink<S> {
  visit(statement: S): void;
}

type Anchor =
  | { readonly kind: "equals" | "equalsIgnoreCase"; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: "prefix"; readonly key: string; readonly prefixes: readonly string[] }
  | { readonly kind: "bool"; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: "present"; readonly key: string };

/** Text before the first wildcard of a `StringLike` value: every matching request value starts with it. */
const literalPrefix = (pattern: string): string => {
  const wildcard = pattern.search(/[*?]/);
  return wildcard < 0 ? pattern : pattern.slice(0, wildcard);
};

const parseBool = valueParser("bool", "request");

function anchorOf(condition: Condition): Anchor | undefined {
  const spec = OPERATORS[condition.operator];
  if (spec.negated) return undefined;
  const key = condition.keyLower;
  if (spec.family === "string" && (spec.comparison === "equals" || spec.comparison === "equalsIgnoreCase")) {
    const values = spec.comparison === "equalsIgnoreCase" ? condition.values.map((v) => v.toLowerCase()) : condition.values;
    return { kind: spec.comparison, key, values: [...new Set(values)] };
  }
  if (spec.family === "string") {
    const prefixes = condition.values.map(literalPrefix);
    return prefixes.includes("") ? { kind: "present", key } : { kind: "prefix", key, prefixes: [...new Set(prefixes)] };
  }
  if (spec.family === "bool") {
    const values = condition.values.map((v) => parseBool(v)).map((p) => (p.ok && p.value.family === "bool" ? String(p.value.bool) : undefined));
    // parsePolicy rejects other Bool values; without them the key is all the index can use.
    return values.includes(undefined) ? { kind: "present", key } : { kind: "bool", key, values: [...new Set(values as string[])] };
  }
  return { kind: "present", key };
}

/** The most selective anchor of a statement: exact values first, then prefixes, booleans, and presence. */
const RANK = { equals: 0, equalsIgnoreCase: 0, prefix: 1, bool: 2, present: 3 } as const;

function bestAnchor(conditions: readonly { readonly condition: Condition }[]): Anchor | undefined {
  let best: Anchor | undefined;
  for (const { condition } of conditions) {
    const anchor = anchorOf(condition);
    if (anchor === undefined) continue;
    if (best === undefined || RANK[anchor.kind] < RANK[best.kind] || (RANK[anchor.kind] === RANK[best.kind] && width(anchor) < width(best))) best = anchor;
  }
  return best;
}

const width = (anchor: Anchor): number => ("values" in anchor ? anchor.values.length : "prefixes" in anchor ? anchor.prefixes.length : 0);

/** Literal prefixes of one key, with the lengths to cut a request value at. */
interface PrefixTable<S> {
  readonly byPrefix: Map<string, S[]>;
  lengths: number[];
}

/** Advanced once per `collect`, so a statement found through two request values is visited once. */
let visitRound = 0;

export class ConditionIndex<S extends Anchorable> {
  private readonly everywhere: S[] = [];
  private readonly byValue = new Map<string, Map<string, S[]>>();
  private readonly byLowerValue = new Map<string, Map<string, S[]>>();
  private readonly byPrefix = new Map<string, PrefixTable<S>>();
  private readonly byBool = new Map<string, Map<string, S[]>>();
  private readonly byPresence = new Map<string, S[]>();

  constructor(statements: readonly S[]) {
    for (const s of statements) this.file(s, bestAnchor(s.conditions));
    for (const table of this.byPrefix.values()) table.lengths = [...new Set([...table.byPrefix.keys()].map((p) => p.length))];
  }

  /** Whether the index narrows anything (statements without anchors are simply all visited). */
  get anchored(): boolean {
    return this.byValue.size + this.byLowerValue.size + this.byPrefix.size + this.byBool.size + this.byPresence.size > 0;
  }

  private file(s: S, anchor: Anchor | undefined): void {
    if (anchor === undefined) return void this.everywhere.push(s);
    const perKey = <V>(map: Map<string, V>, make: () => V): V => {
      let entry = map.get(anchor.key);
      if (entry === undefined) map.set(anchor.key, (entry = make()));
      return entry;
    };
    switch (anchor.kind) {
      case "equals":
      case "equalsIgnoreCase": {
        const table = perKey(anchor.kind === "equals" ? this.byValue : this.byLowerValue, () => new Map<string, S[]>());
        for (const v of anchor.values) appendTo(table, v, s);
        return;
      }
      case "prefix": {
        const table = perKey(this.byPrefix, (): PrefixTable<S> => ({ byPrefix: new Map(), lengths: [] }));
        for (const p of anchor.prefixes) appendTo(table.byPrefix, p, s);
        return;
      }
      case "bool": {
        const table = perKey(this.byBool, () => new Map<string, S[]>());
        for (const v of anchor.values) appendTo(table, v, s);
        return;
      }
      case "present":
        return appendTo(this.byPresence, anchor.key, s);
    }
  }

  /** Hands `sink` every statement the request's values may satisfy, each once, in no particular order. */
  collect(values: ReadonlyMap<string, readonly string[]>, sink: CandidateSink<S>): void {
    const round = ++visitRound;
    for (const s of this.everywhere) sink.visit(s);
    if (!this.anchored) return;
    // The request has few keys; the index may have many: walk the request's.
    for (const [key, requestValues] of values) {
      if (requestValues.length === 0) continue;
      visitOnce(this.byPresence.get(key), round, sink);
      const exact = this.byValue.get(key);
      const lower = this.byLowerValue.get(key);
      const prefixes = this.byPrefix.get(key);
      const bools = this.byBool.get(key);
      if (!exact && !lower && !prefixes && !bools) continue;
      for (const v of requestValues) {
        if (exact) visitOnce(exact.get(v), round, sink);
        if (lower) visitOnce(lower.get(v.toLowerCase()), round, sink);
        if (prefixes) for (const length of prefixes.lengths) if (length <= v.length) visitOnce(prefixes.byPrefix.get(v.slice(0, length)), round, sink);
        if (bools) {
          const parsed = parseBool(v);
          if (parsed.ok && parsed.value.family === "bool") visitOnce(bools.get(String(parsed.value.bool)), round, sink);
          else for (const list of bools.values()) visitOnce(list, round, sink);
        }
      }
    }
  }
}

function visitOnce<S extends Anchorable>(list: readonly S[] | undefined, round: number, sink: CandidateSink<S>): void {
  if (list === undefined) return;
  for (const s of list) {
    if (s.visited === round) continue;
    s.visited = round;
    sink.visit(s);
  }
}
