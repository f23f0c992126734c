/**
 * Renders a residual as a parameterized SQL condition over a table of scaling groups and a table of their tags.
 * Values are always bound parameters; table and column names come from the caller's code, never from requests.
 *
 * What the tag table must hold besides the group id and the tag value, computed by the application with
 * JavaScript's case folding (SQL's `lower` folds ASCII only):
 *   - `context_key`: `resourceTagKey(key)` of src/evaluate/context.ts (`Team` → `acs:resourcetag/team`);
 *   - `value_lower`: `value.toLowerCase()`.
 * and an index on (group id, context_key, value). Ids, tag keys and values must be well-formed text without NUL
 * (SQLite's GLOB stops at NUL); case-insensitive ARN patterns are exact only when ids are ASCII (`asciiIds`).
 *
 * An atom that cannot be rendered exactly (a numeric or date condition on a tag, a condition shape this file
 * does not know, such as a set qualifier) becomes TRUE where it is asserted and FALSE where it is negated, so the
 * SQL selects a superset; `exact` is then false and the caller re-checks every row with `matches`.
 */
import { OPERATORS } from "../conditions/operators.js";
import type { Atom, ListResidual, Residual, TagAtom } from "./residual.js";

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
  ) {}

  bind(value: string): string {
    this.params.push(value);
    return this.options.dialect === "postgres" ? `$${this.params.length}` : "?";
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
        // The prefix is bound once per pattern: SQLite's `?` placeholders are positional.
        const column = (): string => {
          const arn = `(${this.bind(this.arnPrefix)} || ${schema.groupId})`;
          return caseInsensitive ? `lower${arn}` : arn;
        };
        return `(${atom.patterns.map((p) => this.pattern(column(), caseInsensitive ? p.toLowerCase() : p)).join(" OR ")})`;
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
    const matchesSome = (): string =>
      `(${condition.values
        .map((v) => {
          if (spec.comparison === "like") return this.pattern(t.value, v);
          if (spec.comparison === "equalsIgnoreCase") return `${t.valueLower} = ${this.bind(v.toLowerCase())}`;
          return `${t.value} = ${this.bind(v)}`;
        })
        .join(" OR ")})`;
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
}

/** The residual as a SQL condition selecting the groups `matches` accepts (or a superset, when not `exact`). */
export function toSql(residual: ListResidual, options: SqlOptions): SqlFilter {
  const renderer = new Renderer(options, residual.arnPrefix);
  const sql = renderer.render(residual.tree, true);
  return { sql, params: renderer.params, exact: renderer.exact, none: residual.tree.kind === "false" };
}
