/**
 * Id covers of a residual: sets of group ids, each a union of ranges of the id or of the reversed id (so an id
 * suffix is a range too), that hold every group the residual selects (`allowed`) or every group it rejects
 * (`rejected`). A database finds a range in an index on the column, so a count can visit the groups of the
 * smallest cover instead of the region (or subtract a small rejected one from the region's count). Covers only
 * narrow: the caller still applies the exact filter to each group of a cover.
 *
 * Each node gets an over-approximation (its groups lie in every one of several sets) and an under-approximation
 * (a set of ids it surely selects); negations are pushed down to the ARN atoms, whose negation is covered by the
 * complement of their under-approximation. A pattern `<literal>*` or `*<literal>` is exactly a range; other patterns only lie within the
 * ranges of their literal start and end. A `*` before the id in an ARN pattern may run into the id: what is left
 * must then match text such as `:scalinggroup/` inside the id, so it lies among the ids holding `:` or `/`, the
 * "odd ids" (found in a partial index; ordinary ids hold neither).
 *
 * Ranges compare by code point, as SQLite's BINARY and PostgreSQL's `COLLATE "C"` compare UTF-8 text. The
 * reversed id is the id's code points in reverse order. Case-insensitive (Deny) patterns are covered by the case
 * variants of their literal text, which holds only when every id is ASCII: without `asciiIds` they cover nothing.
 */
import type { ArnAtom, Residual } from "./residual.js";
import { idGlobs } from "./sql.js";

export type IdColumn = "id" | "reversed";

/** The ids from `from` (inclusive; "" is no lower bound) up to `to` (exclusive; undefined is no upper bound). */
export interface IdRange {
  readonly column: IdColumn;
  readonly from: string;
  readonly to: string | undefined;
}

/** The ids holding `:` or `/`. */
export interface OddIds {
  readonly column: "odd";
}

/** A union of ranges and perhaps the odd ids. */
export type IdSet = readonly (IdRange | OddIds)[];

export interface IdCovers {
  /** Sets each holding every group the residual selects (several: the caller may pick the smallest). */
  readonly allowed: readonly IdSet[];
  /** Sets each holding every group the residual rejects. */
  readonly rejected: readonly IdSet[];
}

/** Characters an id needs to match what remains of an ARN pattern whose `*` ran past the id's start. */
export const ODD_ID_CHARS = [":", "/"] as const;

/** Alternatives kept per cover: each is a query to size. */
const MAX_SETS = 3;
/** Letters of a case-insensitive literal whose case variants become ranges (2^n ranges). */
const MAX_CASED_LETTERS = 4;

export const reversedId = (id: string): string => Array.from(id).reverse().join("");

/** The least string above every string starting with `prefix` (undefined: none, no upper bound). */
function after(prefix: string): string | undefined {
  const points = Array.from(prefix).map((c) => c.codePointAt(0)!);
  while (points.length > 0 && points[points.length - 1] === 0x10ffff) points.pop();
  if (points.length === 0) return undefined;
  const last = points.pop()! + 1;
  points.push(last === 0xd800 ? 0xe000 : last);
  return String.fromCodePoint(...points);
}

const startingWith = (column: IdColumn, prefix: string): IdRange => ({ column, from: prefix, to: after(prefix) });
/** `a` < `b` as upper bounds (undefined: none). */
const lowerBound = (a: string | undefined, b: string | undefined): boolean => a !== undefined && (b === undefined || a < b);
const isRange = (part: IdRange | OddIds): part is IdRange => part.column !== "odd";

/** The set's ranges of one column, sorted and merged. */
function ranges(set: IdSet, column: IdColumn): IdRange[] {
  const sorted = set.filter((p): p is IdRange => p.column === column).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const out: IdRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && !lowerBound(last.to, r.from)) out[out.length - 1] = { column, from: last.from, to: lowerBound(last.to, r.to) ? r.to : last.to };
    else out.push(r);
  }
  return out;
}

const normal = (set: IdSet): IdSet => [...ranges(set, "id"), ...ranges(set, "reversed"), ...(set.some((p) => p.column === "odd") ? [{ column: "odd" } as const] : [])];
const isEverything = (set: IdSet): boolean => set.some((p) => isRange(p) && p.from === "" && p.to === undefined);
const columnsOf = (set: IdSet): Set<string> => new Set(set.map((p) => p.column));

/** Ranges of one column in both. */
function rangeIntersection(a: readonly IdRange[], b: readonly IdRange[]): IdRange[] {
  return a.flatMap((r) => b.map((s) => ({ column: r.column, from: r.from > s.from ? r.from : s.from, to: lowerBound(r.to, s.to) ? r.to : s.to }))).filter((r) => r.to === undefined || r.from < r.to);
}

/** The ids outside the set's ranges of one column: the gaps between them. */
function gaps(set: IdSet, column: IdColumn): IdRange[] {
  const out: IdRange[] = [];
  let from: string | undefined = "";
  for (const r of ranges(set, column)) {
    if (from !== undefined && from < r.from) out.push({ column, from, to: r.from });
    from = r.to;
  }
  if (from !== undefined) out.push({ column, from, to: undefined });
  return out;
}

/**
 * `over`: the node's groups lie in every set (none: any group may). `under`: ranges of groups the node surely
 * selects (empty: none known).
 */
interface Cover {
  readonly over: readonly IdSet[];
  readonly under: IdSet;
}

const EVERYTHING: Cover = { over: [], under: [{ column: "id", from: "", to: undefined }] };
const NOTHING: Cover = { over: [[]], under: [] };
const UNKNOWN: Cover = { over: [], under: [] };

/** Sets normalized, "everything" dropped, sets of one same column intersected, at most MAX_SETS kept (any subset of an intersection of supersets is one). */
function overOf(sets: readonly IdSet[]): IdSet[] {
  const kept = sets.map(normal).filter((s) => !isEverything(s));
  const byColumn = new Map<string, IdSet>();
  const mixed: IdSet[] = [];
  for (const s of kept) {
    const columns = [...columnsOf(s)];
    const column = columns[0] as IdColumn | "odd" | undefined;
    if (columns.length !== 1 || column === "odd") mixed.push(s);
    else byColumn.set(column!, byColumn.has(column!) ? rangeIntersection(byColumn.get(column!) as IdRange[], s as IdRange[]) : s);
  }
  const all = [...byColumn.values(), ...mixed];
  // An empty set (nothing) makes the intersection empty.
  if (all.some((s) => s.length === 0)) return [[]];
  return [...new Map(all.map((s) => [JSON.stringify(s), s])).values()].slice(0, MAX_SETS);
}

function and(a: Cover, b: Cover): Cover {
  const [x, y] = [a.under, b.under];
  const single = (s: IdSet) => (columnsOf(s).size === 1 && s.every(isRange) ? (s[0] as IdRange).column : undefined);
  // A subset of both: ranges of one column intersect; otherwise the everything of one side leaves the other.
  const under = isEverything(x) ? y : isEverything(y) ? x : single(x) !== undefined && single(x) === single(y) ? rangeIntersection(x as IdRange[], y as IdRange[]) : [];
  return { over: overOf([...a.over, ...b.over]), under: normal(under) };
}

function or(a: Cover, b: Cover): Cover {
  // (A1 ∩ A2) ∪ (B1 ∩ B2) lies in A1 ∪ B1 and in A2 ∪ B2.
  const over = a.over.length === 0 || b.over.length === 0 ? [] : overOf(a.over.flatMap((x) => b.over.map((y) => [...x, ...y])));
  return { over, under: normal([...a.under, ...b.under]) };
}

function not(c: Cover): Cover {
  // Outside a surely selected set: outside each of its columns' ranges. Surely outside: outside a one-column over-set.
  const over = (["id", "reversed"] as const).filter((column) => c.under.some((p) => p.column === column)).map((column) => gaps(c.under, column));
  const oneColumn = c.over.filter((s) => columnsOf(s).size <= 1 && s.every(isRange));
  const under = c.over.length === 0 ? [] : oneColumn.flatMap((s) => (s.length === 0 ? EVERYTHING.under : gaps(s, (s[0] as IdRange).column)));
  return { over: overOf(over), under: normal(under) };
}

/** Every text whose lower case is `folded` (ASCII ids: a lower-case ASCII letter or its upper case). */
function caseVariants(folded: string): string[] {
  let variants = [""];
  for (const c of folded) variants = variants.flatMap((v) => (/[a-z]/.test(c) ? [v + c, v + c.toUpperCase()] : [v + c]));
  return variants;
}

/**
 * The ids starting with `literal` on `column` (ids whose lower case does, when `folded`): exactly, when the literal
 * is short enough for its case variants; otherwise a wider set, the variants of its start.
 */
function literalSet(column: IdColumn, literal: string, folded: boolean): { set: IdRange[]; exact: boolean } {
  if (!folded) return { set: [startingWith(column, literal)], exact: true };
  let letters = 0;
  let kept = "";
  for (const c of literal) {
    if (/[a-z]/.test(c) && ++letters > MAX_CASED_LETTERS) break;
    kept += c;
  }
  return { set: caseVariants(kept).map((v) => startingWith(column, v)), exact: kept === literal };
}

/** The ids matching one id glob. */
function globCover(glob: string, folded: boolean): Cover {
  const start = /^[^*?]*/.exec(glob)![0];
  const end = start === glob ? "" : /[^*?]*$/.exec(glob)![0];
  const over: IdSet[] = [];
  if (ODD_ID_CHARS.some((c) => glob.includes(c))) over.push([{ column: "odd" }]);
  const whole: IdRange[][] = [];
  for (const [column, literal] of [["id", start], ["reversed", reversedId(end)]] as const) {
    if (literal === "") continue;
    const { set, exact } = literalSet(column, literal, folded);
    over.push(set);
    if (exact) whole.push(set);
  }
  // Exactly a range when the glob is its literal start or end and `*`s.
  const rest = glob.slice(start.length, glob.length - end.length);
  const exact = start !== glob && /^\*+$/.test(rest) && (start === "" || end === "") && whole.length === over.filter((s) => s.every(isRange)).length;
  return { over: overOf(over), under: exact ? (whole[0] ?? EVERYTHING.under) : [] };
}

function atomCover(atom: ArnAtom, arnPrefix: string, asciiIds: boolean): Cover {
  const folded = atom.effect === "Deny";
  if (folded && !asciiIds) return UNKNOWN;
  return idGlobs(atom, arnPrefix).reduce<Cover>((c, glob) => or(c, globCover(glob, folded)), NOTHING);
}

/** The cover of `node` (`positive`) or of its negation, negations pushed down to the atoms (De Morgan). */
function cover(node: Residual, positive: boolean, arnPrefix: string, asciiIds: boolean): Cover {
  switch (node.kind) {
    case "true":
    case "false":
      return (node.kind === "true") === positive ? EVERYTHING : NOTHING;
    case "not":
      return cover(node.of, !positive, arnPrefix, asciiIds);
    case "and":
    case "or": {
      const parts = node.of.map((n) => cover(n, positive, arnPrefix, asciiIds));
      return (node.kind === "and") === positive ? parts.reduce(and) : parts.reduce(or);
    }
    case "arn": {
      const selected = atomCover(node, arnPrefix, asciiIds);
      return positive ? selected : not(selected);
    }
    default:
      // Tags and resource groups say nothing of ids.
      return UNKNOWN;
  }
}

/** The residual's id covers; `asciiIds` as for `toSql`. */
export function idCovers(tree: Residual, arnPrefix: string, asciiIds: boolean): IdCovers {
  return { allowed: cover(tree, true, arnPrefix, asciiIds).over, rejected: cover(tree, false, arnPrefix, asciiIds).over };
}

/** The least and greatest id (or reversed id) of the groups a cover is read among. */
export type IdBounds = Readonly<Record<IdColumn, readonly [string, string]>>;

/** Code points after the bounds' common prefix that an estimate reads. */
const ESTIMATE_DIGITS = 3;

/**
 * The share of the groups a set likely holds, the ids taken as spread evenly by code point between the bounds
 * (the odd ids as none: they are few). An estimate to choose a cover by, never to count with.
 */
export function estimatedShare(set: IdSet, bounds: IdBounds): number {
  let share = 0;
  for (const column of ["id", "reversed"] as const) {
    const [lo, hi] = bounds[column];
    let common = 0;
    while (common < lo.length && lo[common] === hi[common]) common++;
    const position = (s: string): number => {
      const clipped = s < lo ? lo : s > hi ? hi : s;
      let v = 0;
      for (let i = 0; i < ESTIMATE_DIGITS; i++) v += (clipped.codePointAt(common + i) ?? 0) / 0x110000 ** (i + 1);
      return v;
    };
    const width = position(hi) - position(lo);
    for (const r of ranges(set, column)) {
      const [from, to] = [position(r.from), r.to === undefined ? position(hi) : position(r.to)];
      share += width > 0 ? (to - from) / width : r.from <= hi && (r.to === undefined || lo < r.to) ? 1 : 0;
    }
  }
  return Math.min(1, share);
}
