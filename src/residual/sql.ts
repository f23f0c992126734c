/**
 * Renders a residual as a parameterized SQL condition over a table of scaling groups and a table of their tags.
 * Values are always bound parameters; table and column names come from the caller's code, never from requests.
 *
 * What the tag table must hold besides the group id and the tag value, computed by the application with
 * JavaScript's case folding (SQL's `lower` folds ASCII only):
 *   - `context_key`: `resourceTagKey(key)` of src/evaluate/context.ts (`Team` → `acs:resourcetag/team`);
 *   - `value_lower`: `value.toLowerCase()`.
 * and an index on (group id, context_key, value); `candidates` (below) also wants indexes on (context_key, value,
 * group id) and (context_key, value_lower, group id). Ids, tag keys and values must be well-formed text without NUL
 * (SQLite's GLOB stops at NUL); case-insensitive ARN patterns are exact only when ids are ASCII (`asciiIds`).
 *
 * ARN patterns are compared with the group's id alone, read against what remains of each pattern once the ARN up
 * to the id (the same for every group) is matched, so no ARN is built per row and an id prefix can use the id's
 * index.
 *
 * An atom that cannot be rendered exactly (a numeric or date condition on a tag, a condition shape this file
 * does not know, such as a set qualifier) becomes TRUE where it is asserted and FALSE where it is negated, so the
 * SQL selects a superset; `exact` is then false and the caller re-checks every row with `matches`.
 */
import { OPERATORS } from "../conditions/operators.js";
import type { ArnAtom, Atom, ListResidual, Residual, TagAtom } from "./residual.js";

export type Dialect = "sqlite" | "postgres";

export interface SqlSchema {
  /** The group's id column, qualified (`g.id`). */
  readonly groupId: string;
  /** The group's resource group column, NULL when it has none. */
  readonly resourceGroupId: string;
  readonly tags: {
    readonly table: string;
    readonly groupId: string;
    readonly contextKey: string;
    readonly value: string;
    readonly valueLower: string;
  };
}

export interface SqlOptions {
  readonly dialect: Dialect;
  readonly schema: SqlSchema;
  /** Every group id is ASCII, so SQL's `lower` folds ARNs as JavaScript does. */
  readonly asciiIds?: boolean;
}

export interface SqlFilter {
  /** A boolean SQL expression; `1 = 1` / `1 = 0` when the residual is constant. */
  readonly sql: string;
  readonly params: readonly string[];
  /** Whether the rows it selects are exactly those `matches` accepts; otherwise a superset. */
  readonly exact: boolean;
  /** Nothing can match: the caller need not query. */
  readonly none: boolean;
  /**
   * When the filter is exact and every group it selects carries some tag a condition names: a `SELECT` of the ids
   * of a superset of those groups read from the tag table's (context_key, value…) indexes, so a count can visit
   * these groups instead of the region (`g.id IN (…) AND sql`). Its placeholders follow the filter's (PostgreSQL
   * numbers them on from the filter's last).
   */
  readonly candidates?: { readonly sql: string; readonly params: readonly string[] };
  /**
   * The same for the groups the filter rejects: when it is exact and every group it rejects carries some tag a
   * Deny (or another negated part) names, a superset of them, so that a count of most of a region can subtract
   * the few it rejects (`NOT (sql) AND g.id IN (…)`). Its placeholders follow the filter's.
   */
  readonly rejected?: { readonly sql: string; readonly params: readonly string[] };
}

/**
 * The globs an id must match for `prefix + id` to match `glob`: what remains of the glob in each state it can be
 * in after reading `prefix`, by code point. A state just past a `*` is dropped when the `*` itself remains (its
 * globs match a subset).
 */
export function remainders(glob: string, prefix: string): string[] {
  const p = Array.from(glob);
  const close = (states: Set<number>): Set<number> => {
    for (const i of [...states]) for (let j = i; p[j] === "*"; j++) states.add(j + 1);
    return states;
  };
  let states = close(new Set([0]));
  for (const c of prefix) {
    const next = new Set<number>();
    for (const i of states) {
      if (p[i] === "*") next.add(i);
      else if (p[i] === "?" || p[i] === c) next.add(i + 1);
    }
    states = close(next);
  }
  const kept = [...states].filter((i) => !(p[i - 1] === "*" && states.has(i - 1)));
  return [...new Set(kept.map((i) => p.slice(i).join("")))];
}

/**
 * The globs a group's id must match (one of) for its ARN to match the atom's patterns; lower-cased, and compared
 * with the lower-cased id, when the atom ignores case (a Deny).
 */
export function idGlobs(atom: ArnAtom, arnPrefix: string): string[] {
  const fold = (text: string): string => (atom.effect === "Deny" ? text.toLowerCase() : text);
  return atom.patterns.flatMap((p) => remainders(fold(p), fold(arnPrefix)));
}

/** Tag conditions whose rows a count can seek: one, or a union when any of several may hold. */
type Seek = { readonly kind: "tag"; readonly atom: TagAtom; readonly rank: number } | { readonly kind: "union"; readonly of: readonly Seek[]; readonly rank: number };

/** How wide a tag condition's seek is likely to be: equalities before patterns, patterns with a literal start first. */
function seekRank(atom: TagAtom): number {
  const { condition } = atom.condition;
  if (OPERATORS[condition.operator]!.comparison !== "like") return 0;
  return condition.values.some((v) => /^[*?]/.test(v)) ? 2 : 1;
}

/**
 * A seek every group the residual selects (where it is asserted when `positive`) is in, or undefined when some
 * selected group need carry no named tag. A tag atom implies "some value under the key matches" exactly when its
 * operator's negation and the polarity differ (asserted non-negated: Allow's "every value matches" and Deny's "some
 * value matches"; negated: the complement of "no value matches" or "not every value matches").
 */
function seekOf(node: Residual, positive: boolean): Seek | undefined {
  switch (node.kind) {
    case "not":
      return seekOf(node.of, !positive);
    case "and":
    case "or": {
      const seeks = node.of.map((n) => seekOf(n, positive));
      if ((node.kind === "and") === positive) {
        // Every part holds: any part's seek will do; take the narrowest-looking.
        return seeks.reduce<Seek | undefined>((best, s) => (s && (!best || s.rank < best.rank) ? s : best), undefined);
      }
      if (seeks.some((s) => s === undefined)) return undefined;
      const of = seeks as Seek[];
      return { kind: "union", of, rank: Math.max(...of.map((s) => s.rank)) };
    }
    case "tag":
      return OPERATORS[node.condition.condition.operator]!.negated !== positive ? { kind: "tag", atom: node, rank: seekRank(node) } : undefined;
    default:
      return undefined;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text a database compares as JavaScript does: no NUL, no lone surrogate. */
const plainText = (s: string): boolean => !s.includes("\u0000") && !LONE_SURROGATE.test(s);

/** Condition fields this file renders; a condition with any other field (a qualifier…) is not understood. */
const KNOWN_CONDITION_FIELDS = new Set(["operator", "key", "keyLower", "values", "pointer"]);

class Renderer {
  readonly params: string[] = [];
  exact = true;

  constructor(
    private readonly options: SqlOptions,
    /** Every group's ARN up to its id. */
    private readonly arnPrefix: string,
    /** PostgreSQL placeholders already used by a statement this text joins. */
    private readonly boundBefore = 0,
  ) {}

  bind(value: string): string {
    this.params.push(value);
    return this.options.dialect === "postgres" ? `$${this.boundBefore + this.params.length}` : "?";
  }

  /** A RAM glob (`*` any text, `?` one code point, all else literal) as a GLOB or LIKE pattern. */
  pattern(column: string, glob: string): string {
    if (this.options.dialect === "sqlite") return `${column} GLOB ${this.bind(glob.replace(/\[/g, "[[]"))}`;
    const like = glob.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, "%").replace(/\?/g, "_");
    return `${column} LIKE ${this.bind(like)} ESCAPE '\\'`;
  }

  /** The condition as SQL when it is exact, `positive` saying whether it is asserted or negated. */
  render(node: Residual, positive: boolean): string {
    switch (node.kind) {
      case "true":
        return "1 = 1";
      case "false":
        return "1 = 0";
      case "and":
        return `(${node.of.map((n) => this.render(n, positive)).join(" AND ")})`;
      case "or":
        return `(${node.of.map((n) => this.render(n, positive)).join(" OR ")})`;
      case "not":
        return `NOT ${this.render(node.of, !positive)}`;
      default:
        return this.atom(node, positive);
    }
  }

  private inexact(positive: boolean): string {
    this.exact = false;
    return positive ? "1 = 1" : "1 = 0";
  }

  private atom(atom: Atom, positive: boolean): string {
    const { schema } = this.options;
    switch (atom.kind) {
      case "resourceGroup":
        // Null-safe: a group in no resource group must make the atom false, not unknown, under NOT.
        return `${schema.resourceGroupId} ${this.options.dialect === "sqlite" ? "IS" : "IS NOT DISTINCT FROM"} ${this.bind(atom.id)}`;
      case "arn": {
        const caseInsensitive = atom.effect === "Deny";
        if ((caseInsensitive && !this.options.asciiIds) || !atom.patterns.every(plainText)) return this.inexact(positive);
        const column = caseInsensitive ? `lower(${schema.groupId})` : schema.groupId;
        const ids = idGlobs(atom, this.arnPrefix);
        return ids.length === 0 ? "1 = 0" : `(${[...new Set(ids)].map((id) => this.pattern(column, id)).join(" OR ")})`;
      }
      case "tag":
        return this.tag(atom, positive);
    }
  }

  /**
   * With V the row's values under the condition's key (several when tag keys differ only in case) and M(v)
   * "some policy value matches v": Allow needs V non-empty and M (or, negated, not M) for every v; Deny fires
   * when some v has M (or, negated, not M), and a negated Deny also when V is empty (docs/semantics.md §3).
   */
  private tag(atom: TagAtom, positive: boolean): string {
    const { condition } = atom.condition;
    const spec = OPERATORS[condition.operator];
    const understood = spec !== undefined && spec.family === "string" && Object.keys(condition).every((k) => KNOWN_CONDITION_FIELDS.has(k));
    if (!understood || !condition.values.every(plainText)) return this.inexact(positive);
    const t = this.options.schema.tags;
    // Each part binds its values as it is written, so that positional `?` follow the text.
    const rows = (): string => `FROM ${t.table} WHERE ${t.groupId} = ${this.options.schema.groupId} AND ${t.contextKey} = ${this.bind(condition.keyLower)}`;
    const matchesSome = (): string => this.valueMatches(atom);
    // "Some v has M": one EXISTS. "V non-empty and M for every v": M holds for the least of V (none when V is empty).
    const some = (): string => {
      const from = rows();
      return `EXISTS (SELECT 1 ${from} AND ${matchesSome()})`;
    };
    const everyMatches = (): string => {
      const least = this.options.dialect === "sqlite" ? `MIN(${matchesSome()})` : `bool_and(${matchesSome()})`;
      const from = rows();
      return this.options.dialect === "sqlite" ? `COALESCE((SELECT ${least} ${from}), 0) = 1` : `COALESCE((SELECT ${least} ${from}), false)`;
    };
    if (atom.effect === "Allow") return spec.negated ? `NOT ${some()}` : everyMatches();
    return spec.negated ? `NOT ${everyMatches()}` : some();
  }

  /** "Some policy value matches the row's value" (M above), over the tag table's columns. */
  private valueMatches(atom: TagAtom): string {
    const { condition } = atom.condition;
    const { comparison } = OPERATORS[condition.operator]!;
    const t = this.options.schema.tags;
    return `(${condition.values
      .map((v) => {
        if (comparison === "like") return this.pattern(t.value, v);
        if (comparison === "equalsIgnoreCase") return `${t.valueLower} = ${this.bind(v.toLowerCase())}`;
        return `${t.value} = ${this.bind(v)}`;
      })
      .join(" OR ")})`;
  }

  /** The ids of the groups with a row some seeked condition matches (a group may come more than once). */
  seek(seek: Seek): string {
    if (seek.kind === "union") return seek.of.map((s) => this.seek(s)).join(" UNION ALL ");
    const t = this.options.schema.tags;
    return `SELECT ${t.groupId} FROM ${t.table} WHERE ${t.contextKey} = ${this.bind(seek.atom.condition.condition.keyLower)} AND ${this.valueMatches(seek.atom)}`;
  }
}

/** The residual as a SQL condition selecting the groups `matches` accepts (or a superset, when not `exact`). */
export function toSql(residual: ListResidual, options: SqlOptions): SqlFilter {
  const renderer = new Renderer(options, residual.arnPrefix);
  const sql = renderer.render(residual.tree, true);
  const filter = { sql, params: renderer.params, exact: renderer.exact, none: residual.tree.kind === "false" };
  if (!renderer.exact) return filter;
  const render = (seek: Seek | undefined): SqlFilter["candidates"] => {
    if (!seek) return undefined;
    const seeker = new Renderer(options, residual.arnPrefix, renderer.params.length);
    return { sql: seeker.seek(seek), params: seeker.params };
  };
  const candidates = render(seekOf(residual.tree, true));
  const rejected = render(seekOf(residual.tree, false));
  return { ...filter, ...(candidates ? { candidates } : {}), ...(rejected ? { rejected } : {}) };
}
