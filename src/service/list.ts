/**
 * Pages the scaling groups a residual allows (or their configurations, rules, lifecycle hooks or tasks) in SQL: the filter, `ORDER BY creation_time, id`, `LIMIT/OFFSET`
 * and `COUNT(*)` all run in the database (SQLite or PostgreSQL). Each query visits either the region's groups in page order, or only the
 * groups carrying a tag the residual needs (its `candidates`, sought in the tag indexes), whichever looks
 * shorter; a count of a whole region is read from the counter the store keeps, and a count of most of it is that
 * counter less the few groups a Deny on a tag rejects; when the residual reads tags and resource groups only, a
 * count is the sum of the counters of the region's tag signatures it allows (decided with `matches`, once per
 * signature), and reads no group. When ARN patterns bound the ids allowed or rejected (an id prefix or suffix,
 * src/residual/ids.ts), a count visits only the ids within those bounds, sought in the id indexes. When the
 * residual is not exact in SQL, the SQL selects a superset and every row is re-checked with `matches`, reading the
 * superset in batches in the same order, so the page and the count stay those of the exact filter.
 */
import { readsGroupId, TRUE, type ListResidual } from "../residual/residual.js";
import { estimatedShare, idCovers, ODD_ID_CHARS, type IdBounds, type IdSet } from "../residual/ids.js";
import { toSql, type SqlFilter, type SqlSchema } from "../residual/sql.js";
import type { Store } from "./store.js";

/** Where the residual SQL finds groups (alias `g`) and their tags. */
export const RESIDUAL_SCHEMA: SqlSchema = {
  groupId: "g.id",
  resourceGroupId: "g.resource_group_id",
  tags: { table: "scaling_group_tags", groupId: "group_id", contextKey: "context_key", value: "value", valueLower: "value_lower" },
};

/** A further condition on the groups (alias `g`), with its bound values. */
export interface SqlClause {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

/** Groups carrying every tag (exact key and value), as list calls filter by tag. */
export const carrying = (tags: readonly (readonly [string, string])[]): SqlClause[] =>
  tags.map(([key, value]) => ({
    sql: "EXISTS (SELECT 1 FROM scaling_group_tags t WHERE t.group_id = g.id AND t.key = ? AND t.value = ?)",
    params: [key, value],
  }));

/** Tables of objects that belong to one group each, listed by their own order. */
export type ChildTable = "scaling_configurations" | "scaling_rules" | "lifecycle_hooks" | TaskTable;

/** Tables of tasks, bound to one group or to none (docs/semantics.md §5). */
export type TaskTable = "scheduled_tasks" | "alarms";

export interface GroupQuery {
  readonly regionId: string;
  /** List the children (alias `c`) of the allowed groups instead of the groups. */
  readonly children?: ChildTable;
  /**
   * With `children` of a TaskTable: list the tasks bound to no group too (the call was allowed on `*`). The
   * residual decides only the bound ones; `where` applies to every row (a clause on `g` leaves the unbound out).
   */
  readonly unbound?: boolean;
  readonly offset: number;
  readonly limit: number;
  readonly where?: readonly SqlClause[];
  /** Count every allowed group (default); when false, `total` counts only up to the end of the page. */
  readonly count?: boolean;
  /**
   * Visit the region's groups in order (`scan`), the tag filter's candidates (`seek`), count the region less
   * the groups it rejects (`subtract`, when it can), count the groups of the tag signatures it allows
   * (`signature`, when it can), or count and page within the smallest id cover (`ids`, when an ARN pattern bounds
   * the ids; see countByIdCover); chosen by size when unset.
   */
  readonly plan?: "scan" | "seek" | "subtract" | "signature" | "ids";
}

export interface GroupPage {
  /** Ids of the page (groups, or children with `children`), oldest first. */
  readonly ids: readonly string[];
  /** Allowed groups that pass `where` (see `count`). */
  readonly total: number;
}

/**
 * The residual's filter in the store's dialect, with `?` placeholders as every other clause here has. The
 * PostgreSQL form numbers its parameters (`$1`…, each once; its candidates and rejected sets number on from the
 * filter's last); they are put back in the order they appear.
 */
export function residualFilter(store: Store, allowed: ListResidual): SqlFilter {
  const filter = toSql(allowed, { dialect: store.dialect, schema: RESIDUAL_SCHEMA, asciiIds: true });
  if (store.dialect === "sqlite") return filter;
  const unnumbered = (part: { readonly sql: string; readonly params: readonly string[] }, before: number) => {
    const params: string[] = [];
    const sql = part.sql.replace(/\$(\d+)/g, (_, n: string) => {
      params.push(part.params[Number(n) - 1 - before]!);
      return "?";
    });
    return { sql, params };
  };
  const before = filter.params.length;
  return {
    ...filter,
    ...unnumbered(filter, 0),
    ...(filter.candidates ? { candidates: unnumbered(filter.candidates, before) } : {}),
    ...(filter.rejected ? { rejected: unnumbered(filter.rejected, before) } : {}),
  };
}

/**
 * Ids in the order SQLite and the engine give them, by code point: PostgreSQL would otherwise order by the
 * database's collation (`en_US` puts `a-b` after `ab`).
 */
const byCodePoint = (store: Store): string => (store.dialect === "postgres" ? ' COLLATE "C"' : "");

/** Rows read per query while re-checking an inexact filter. */
const RECHECK_BATCH = 500;

/** How many groups of the ordered scan cost what one sought candidate costs (measured by bench/list.ts, roughly). */
const SEEK_COST = 4;

/** The candidates' rows, or undefined when there are more than `limit` (then seeking is not worth it). */
async function seekSize(store: Store, candidates: NonNullable<SqlFilter["candidates"]>, limit: number): Promise<number | undefined> {
  const rows = Number.isFinite(limit)
    ? await count(store, `FROM (${candidates.sql} LIMIT ?) AS candidates`, [...candidates.params, Math.floor(limit) + 1])
    : await count(store, `FROM (${candidates.sql}) AS candidates`, candidates.params);
  return rows > limit ? undefined : rows;
}

interface OrderedId {
  readonly id: string;
  readonly creation_time: string;
  readonly group_id: string | null;
  readonly resource_group_id: string | null;
}

/**
 * A signature costs a JSON parse and a `matches`, about what a few groups of a scan cost; a region with many (a
 * unique Name tag per group gives one each) gains little from them and would bind a long `IN` list, so past this
 * many the other plans are used. One row more than this is read to tell: a region of unique tag sets pays this
 * many rows, not its size.
 */
export const SIGNATURE_LIMIT = 500;

/** The groups of a region the residual allows, decided one tag signature at a time. */
export interface SignedGroups {
  /** The allowed groups (alias `g`): their signature is among the allowed ones. */
  readonly clause: SqlClause;
  readonly groups: number;
  /** The allowed groups' tag rows. */
  readonly tagRows: number;
}

/**
 * Decides each tag signature of the region (src/service/store.ts, migration 6) with the residual's own `matches`
 * and sums the counters of those it allows: exact, whether or not the residual's SQL is. Undefined when the
 * residual reads the group's id, or the region has more than SIGNATURE_LIMIT signatures.
 */
export async function allowedSignatures(store: Store, allowed: ListResidual, regionId: string): Promise<SignedGroups | undefined> {
  if (readsGroupId(allowed.tree)) return undefined;
  const signatures = await store.query<{ signature_id: number; group_count: number; signature: string }>(
    "SELECT c.signature_id, c.group_count, s.signature FROM scaling_group_signature_counts c JOIN scaling_group_tag_signatures s ON s.id = c.signature_id WHERE c.region_id = ? LIMIT ?",
    [regionId, SIGNATURE_LIMIT + 1],
  );
  if (signatures.length > SIGNATURE_LIMIT) return undefined;
  const ids: number[] = [];
  let groups = 0;
  let tagRows = 0;
  for (const s of signatures) {
    const [resourceGroupId, tags] = JSON.parse(s.signature) as [string | null, [string, string][]];
    // The id is read by no atom of this tree.
    if (!allowed.matches({ scalingGroupId: "", tags, ...(resourceGroupId === null ? {} : { resourceGroupId }) })) continue;
    ids.push(Number(s.signature_id));
    groups += Number(s.group_count);
    tagRows += Number(s.group_count) * tags.length;
  }
  const clause = ids.length === 0 ? { sql: "1 = 0", params: [] } : { sql: `g.tag_signature IN (${ids.map(() => "?").join(", ")})`, params: ids };
  return { clause, groups, tagRows };
}

/**
 * The `signature` plan. A region's groups: the count read from the signature counters rather than from its groups,
 * and the page as any other plan finds it without a count (the allowed signatures' clause first, cheap to reject a
 * row with). Children, or groups under further filters: counted and paged in SQL with the allowed signatures'
 * clause standing for the residual, so no row reads its group's tags. Undefined when it does not apply: a page
 * without its count, a residual true everywhere (the region counter answers), or another plan asked for.
 */
async function pageBySignature(store: Store, allowed: ListResidual, query: GroupQuery): Promise<GroupPage | undefined> {
  if (query.count === false || allowed.tree.kind === "true") return undefined;
  if (query.plan !== undefined && query.plan !== "signature") return undefined;
  const signed = await allowedSignatures(store, allowed, query.regionId);
  if (!signed) return undefined;
  if (query.children || (query.where ?? []).length > 0) {
    // A task bound to no group has no signature: it is listed when the call lists those.
    const among = query.unbound ? { sql: `(c.group_id IS NULL OR ${signed.clause.sql})`, params: signed.clause.params } : signed.clause;
    return pageGroups(store, { ...allowed, tree: TRUE, matches: () => true }, { ...query, where: [...(query.where ?? []), among], plan: "scan" });
  }
  if (signed.groups <= query.offset) return { ids: [], total: signed.groups };
  const { ids } = await pageGroups(store, allowed, { regionId: query.regionId, offset: query.offset, limit: query.limit, where: [signed.clause], count: false });
  return { ids, total: signed.groups };
}

export async function pageGroups(store: Store, allowed: ListResidual, query: GroupQuery): Promise<GroupPage> {
  if (allowed.tree.kind === "false" && !query.unbound) return { ids: [], total: 0 };
  // Before the filter is rendered: the signature plan pages through pageGroups again, which renders its own.
  const signed = await pageBySignature(store, allowed, query);
  if (signed) return signed;
  const filter = residualFilter(store, allowed);
  const listed = query.children ? "c" : "g";
  // Unbound tasks are kept by a LEFT JOIN; every condition on their (absent) group is for the bound ones only.
  const ofBound = (sql: string): string => (query.unbound ? `(c.group_id IS NULL OR (g.id IS NOT NULL AND ${sql}))` : sql);
  const clauses = [{ sql: `${listed}.region_id = ?`, params: [query.regionId] }, ...(query.where ?? []), { sql: ofBound(filter.sql), params: filter.params }];
  const tables = query.children ? `${query.children} c ${query.unbound ? "LEFT JOIN" : "JOIN"} scaling_groups g ON g.id = c.group_id` : "scaling_groups g";
  const from = `FROM ${tables} WHERE ${clauses.map((c) => c.sql).join(" AND ")}`;
  const order = `${listed}.creation_time, ${listed}.id${byCodePoint(store)}`;
  const params = clauses.flatMap((c) => c.params);
  if (filter.exact) {
    const [counter] = await store.query<{ group_count: number }>("SELECT group_count FROM scaling_group_region_counts WHERE region_id = ?", [query.regionId]);
    const regionGroups = Number(counter?.group_count ?? 0);
    const { candidates } = filter;
    const wholeRegion = allowed.tree.kind === "true" && !query.children && (query.where ?? []).length === 0;
    const counting = query.count !== false && !wholeRegion;
    // Seeking costs a few times more per group than the ordered scan (a lookup by id, then the filter), so a
    // count seeks when the candidates are under a share of the region, and a page when they are fewer than the
    // groups the scan would read to fill it: (offset + limit) × region / allowed, at least the square root of
    // (offset + limit) × region as allowed ≤ candidates. Candidates are counted only up to the larger bound.
    const forced = query.plan === "seek";
    const pageBound = Math.sqrt(((query.offset + query.limit) * regionGroups) / SEEK_COST);
    const bound = forced ? Infinity : Math.max(pageBound, counting ? regionGroups / SEEK_COST : 0);
    const sought = candidates && query.plan !== "scan" ? await seekSize(store, candidates, bound) : undefined;
    const scanning = { from, params };
    // Unbound tasks beside the sought groups: an OR on the task's own group column, which the database can seek
    // on both sides (SQLite's multi-index OR over the task table's group index); one on `g` would scan every task.
    const amongCandidates = (ids: string): string => (query.unbound ? `(c.group_id IS NULL OR c.group_id IN (${ids}))` : `g.id IN (${ids})`);
    const seeking = sought === undefined ? scanning : { from: `${from} AND ${amongCandidates(candidates!.sql)}`, params: [...params, ...candidates!.params] };
    const countRejected = async (): Promise<number | undefined> => {
      // The counter counts the region's groups, so it can stand for "all" only when nothing else filters them.
      const { rejected } = filter;
      if (!rejected || query.children || (query.where ?? []).length > 0 || query.plan === "scan" || forced) return undefined;
      if (query.plan !== "subtract" && (await seekSize(store, rejected, regionGroups / SEEK_COST)) === undefined) return undefined;
      return regionGroups - (await count(store, `FROM scaling_groups g WHERE g.region_id = ? AND NOT (${filter.sql}) AND g.id IN (${rejected.sql})`, [query.regionId, ...filter.params, ...rejected.params]));
    };
    const seekCount = sought !== undefined && query.plan !== "subtract" && (forced || sought <= regionGroups / SEEK_COST);
    const byIds = counting && !seekCount && (query.plan === undefined || query.plan === "ids") ? await countByIdCover(store, allowed, filter, query, { from, params }, regionGroups) : undefined;
    const total = !counting
      ? wholeRegion && query.count !== false ? regionGroups : undefined
      : seekCount ? await count(store, seeking.from, seeking.params) : (byIds?.total ?? (await countRejected()) ?? (await count(store, from, params)));
    if (total !== undefined && total <= query.offset) return { ids: [], total };
    const allowedGuess = Math.max(total ?? sought ?? 1, 1);
    const pageBy =
      forced || (sought !== undefined && ((query.offset + query.limit) * regionGroups) / allowedGuess > sought * SEEK_COST)
        ? seeking
        : byIds?.within && (query.plan === "ids" || ((query.offset + query.limit) * regionGroups) / allowedGuess > byIds.within.size * SEEK_COST)
          ? { from: `${from} AND ${byIds.within.sql}`, params: [...params, ...byIds.within.params] }
          : scanning;
    const ids = (await store.query<{ id: string }>(`SELECT ${listed}.id ${pageBy.from} ORDER BY ${order} LIMIT ? OFFSET ?`, [...pageBy.params, query.limit, query.offset])).map((r) => r.id);
    return { ids, total: total ?? query.offset + ids.length };
  }
  const batch = `SELECT ${listed}.id, ${listed}.creation_time, g.id AS group_id, g.resource_group_id ${from} AND (${order}) > (?, ?) ORDER BY ${order} LIMIT ?`;
  const ids: string[] = [];
  let total = 0;
  let after: [string, string] = ["", ""];
  for (;;) {
    const rows = await store.query<OrderedId>(batch, [...params, ...after, RECHECK_BATCH]);
    for (const row of rows) {
      // A row without a group is an unbound task, which the SQL kept only when `unbound` lists them.
      if (row.group_id !== null) {
        const tags = (await store.tags(row.group_id)).map((t) => [t.key, t.value] as const);
        if (!allowed.matches({ scalingGroupId: row.group_id, tags, ...(row.resource_group_id === null ? {} : { resourceGroupId: row.resource_group_id }) })) continue;
      }
      if (total >= query.offset && ids.length < query.limit) ids.push(row.id);
      total++;
      if (query.count === false && ids.length === query.limit) return { ids, total };
    }
    if (rows.length < RECHECK_BATCH) return { ids, total };
    const last = rows[rows.length - 1]!;
    after = [last.creation_time, last.id];
  }
}

type CoverPart = { readonly sql: string; readonly params: readonly string[] };

/**
 * An id cover as conditions on the groups (alias `alias`), `?` placeholders: one per column it bounds, each
 * excluding the ids of those before it, so that their counts add up and each seeks its own index (SQLite seeks an
 * OR of ranges of one index, not an OR reaching for two). The odd ids are named as the partial index
 * `scaling_groups_odd_ids` names them, word for word, so that both databases see it applies.
 */
function coverParts(store: Store, set: IdSet, alias: string): CoverPart[] {
  const conditions: CoverPart[] = [];
  for (const column of ["id", "reversed"] as const) {
    const name = `${alias}.${column === "id" ? "id" : "id_reversed"}${byCodePoint(store)}`;
    const ranges = set.flatMap((r) => {
      if (r.column !== column) return [];
      const bounds = [...(r.from === "" ? [] : [[`${name} >= ?`, r.from]]), ...(r.to === undefined ? [] : [[`${name} < ?`, r.to]])];
      return [{ sql: `(${bounds.map(([sql]) => sql).join(" AND ")})`, params: bounds.map(([, value]) => value!) }];
    });
    if (ranges.length > 0) conditions.push({ sql: `(${ranges.map((r) => r.sql).join(" OR ")})`, params: ranges.flatMap((r) => r.params) });
  }
  if (set.some((r) => r.column === "odd")) conditions.push({ sql: `(${ODD_ID_CHARS.map((c) => `${alias}.id LIKE '%${c}%'`).join(" OR ")})`, params: [] });
  return conditions.map((c, i) => ({
    sql: [c.sql, ...conditions.slice(0, i).map((before) => `NOT ${before.sql}`)].join(" AND "),
    params: [...c.params, ...conditions.slice(0, i).flatMap((before) => before.params)],
  }));
}

/**
 * The `ids` plan (src/residual/ids.ts): when ARN patterns bound the ids a residual allows or rejects, the count
 * visits the smallest of those sets of ids, sought in the (region, id), (region, reversed id) and odd-id indexes:
 * the allowed groups within an allowed cover, or the region's counter less the rejected groups within a rejected
 * cover (only when nothing but the residual filters the region, as the counter counts it all). The cover chosen is
 * the one likely smallest, its size estimated from the region's least and greatest ids (reading it to size it would
 * cost what counting in it costs), when likely under half the region (a scan reads the region in its ordered index
 * anyway). `within` is the allowed cover the count used, for the page to seek when it is sparse. Undefined when no
 * cover is small enough.
 */
async function countByIdCover(
  store: Store,
  allowed: ListResidual,
  filter: SqlFilter,
  query: GroupQuery,
  filtered: { readonly from: string; readonly params: readonly unknown[] },
  regionGroups: number,
): Promise<{ total: number; within?: SqlClause & { size: number } } | undefined> {
  // Tasks bound to no group lie in no range of group ids.
  if (query.unbound) return undefined;
  const covers = idCovers(allowed.tree, allowed.arnPrefix, true);
  const plain = !query.children && (query.where ?? []).length === 0;
  const sets = [...covers.allowed.map((set) => ({ set, rejected: false })), ...(plain ? covers.rejected.map((set) => ({ set, rejected: true })) : [])];
  if (sets.length === 0) return undefined;
  const bounds = await idBounds(store, query.regionId);
  if (!bounds) return { total: 0 };
  let best: { parts: CoverPart[]; set: IdSet; rejected: boolean; size: number } | undefined;
  for (const { set, rejected } of sets) {
    const size = estimatedShare(set, bounds) * regionGroups;
    if (best ? size < best.size : query.plan === "ids" || size <= regionGroups / 2) best = { parts: coverParts(store, set, "g"), set, rejected, size };
  }
  if (!best) return undefined;
  const countWithin = async (from: string, params: readonly unknown[]) => {
    let n = 0;
    for (const part of best!.parts) n += await count(store, `${from} AND ${part.sql}`, [...params, ...part.params]);
    return n;
  };
  if (best.rejected) {
    return { total: regionGroups - (await countWithin(`FROM scaling_groups g WHERE g.region_id = ? AND NOT (${filter.sql})`, [query.regionId, ...filter.params])) };
  }
  const seeks = coverParts(store, best.set, "w").map((part) => ({ sql: `SELECT w.id FROM scaling_groups w WHERE w.region_id = ? AND ${part.sql}`, params: [query.regionId, ...part.params] }));
  const within = { sql: seeks.length === 0 ? "1 = 0" : `g.id IN (${seeks.map((s) => s.sql).join(" UNION ALL ")})`, params: seeks.flatMap((s) => s.params), size: best.size };
  return { total: await countWithin(filtered.from, filtered.params), within };
}

/** The least and greatest id and reversed id of the region's groups (undefined: it has none), read at the ends of their indexes. */
async function idBounds(store: Store, regionId: string): Promise<IdBounds | undefined> {
  const end = (column: string, fn: "MIN" | "MAX") => `(SELECT ${fn}(${column}${byCodePoint(store)}) FROM scaling_groups WHERE region_id = ?)`;
  const [row] = await store.query<Record<"id_lo" | "id_hi" | "reversed_lo" | "reversed_hi", string | null>>(
    `SELECT ${end("id", "MIN")} AS id_lo, ${end("id", "MAX")} AS id_hi, ${end("id_reversed", "MIN")} AS reversed_lo, ${end("id_reversed", "MAX")} AS reversed_hi`,
    [regionId, regionId, regionId, regionId],
  );
  if (!row || row.id_lo === null || row.id_hi === null || row.reversed_lo === null || row.reversed_hi === null) return undefined;
  return { id: [row.id_lo, row.id_hi], reversed: [row.reversed_lo, row.reversed_hi] };
}

async function count(store: Store, from: string, params: readonly unknown[]): Promise<number> {
  const [row] = await store.query<{ n: number }>(`SELECT COUNT(*) AS n ${from}`, params);
  return Number(row!.n);
}

export interface TagRowPage {
  readonly rows: readonly { readonly groupId: string; readonly key: string; readonly value: string; readonly propagate: boolean }[];
  /** Tag rows of every allowed group that passes `where`. */
  readonly total: number;
}

/**
 * The tags of the allowed groups (ListTagResources), in group order then in the order each group's tags were
 * written, paged and counted in SQL. Undefined when the residual is not exact in SQL: the caller then decides
 * group by group.
 */
export async function pageTagRows(store: Store, allowed: ListResidual, query: Omit<GroupQuery, "children" | "count">): Promise<TagRowPage | undefined> {
  const filter = residualFilter(store, allowed);
  if (!filter.exact) return undefined;
  if (filter.none) return { rows: [], total: 0 };
  const clauses = [{ sql: "g.region_id = ?", params: [query.regionId] }, ...(query.where ?? []), filter];
  const from = `FROM scaling_group_tags tag JOIN scaling_groups g ON g.id = tag.group_id WHERE ${clauses.map((c) => c.sql).join(" AND ")}`;
  const params = clauses.flatMap((c) => c.params);
  const rows = await store.query<{ group_id: string; key: string; value: string; propagate: number }>(
    `SELECT tag.group_id, tag.key, tag.value, tag.propagate ${from} ORDER BY g.creation_time, g.id${byCodePoint(store)}, tag.rowid LIMIT ? OFFSET ?`,
    [...params, query.limit, query.offset],
  );
  const signed = (query.where ?? []).length === 0 ? await allowedSignatures(store, allowed, query.regionId) : undefined;
  const total = signed ? signed.tagRows : await count(store, from, params);
  return { rows: rows.map((r) => ({ groupId: r.group_id, key: r.key, value: r.value, propagate: r.propagate === 1 })), total };
}
