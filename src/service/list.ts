/**
 * Pages the scaling groups a residual allows in SQL: the filter, `ORDER BY creation_time, id`, `LIMIT/OFFSET`
 * and `COUNT(*)` all run in SQLite, so a page costs about the same over a thousand groups or a hundred thousand.
 * When the residual is not exact in SQL, the SQL selects a superset and every row is re-checked with `matches`,
 * reading the superset in batches in the same order, so the page and the count stay those of the exact filter.
 */
import type { ListResidual } from "../residual/residual.js";
import { toSql } from "../residual/sql.js";
import { RESIDUAL_SCHEMA, type SqliteStore } from "./store.js";

export interface GroupPage {
  /** Group ids of the page, oldest first. */
  readonly ids: readonly string[];
  /** Every group of the region the residual allows. */
  readonly total: number;
}

/** Rows read per query while re-checking an inexact filter. */
const RECHECK_BATCH = 500;

interface OrderedId {
  readonly id: string;
  readonly creation_time: string;
  readonly resource_group_id: string | null;
}

export function pageGroups(store: SqliteStore, allowed: ListResidual, page: { regionId: string; offset: number; limit: number }): GroupPage {
  const filter = toSql(allowed, { dialect: "sqlite", schema: RESIDUAL_SCHEMA, asciiIds: true });
  if (filter.none) return { ids: [], total: 0 };
  const from = `FROM scaling_groups g WHERE g.region_id = ? AND ${filter.sql}`;
  if (filter.exact) {
    const ids = store.db
      .prepare(`SELECT g.id ${from} ORDER BY g.creation_time, g.id LIMIT ? OFFSET ?`)
      .pluck()
      .all(page.regionId, ...filter.params, page.limit, page.offset) as string[];
    const total = store.db.prepare(`SELECT COUNT(*) ${from}`).pluck().get(page.regionId, ...filter.params) as number;
    return { ids, total };
  }
  const batch = store.db.prepare(
    `SELECT g.id, g.creation_time, g.resource_group_id ${from} AND (g.creation_time, g.id) > (?, ?) ORDER BY g.creation_time, g.id LIMIT ?`,
  );
  const ids: string[] = [];
  let total = 0;
  let after: [string, string] = ["", ""];
  for (;;) {
    const rows = batch.all(page.regionId, ...filter.params, ...after, RECHECK_BATCH) as OrderedId[];
    for (const row of rows) {
      const tags = store.tags(row.id).map((t) => [t.key, t.value] as const);
      const allowedRow = allowed.matches({ id: row.id, tags, ...(row.resource_group_id === null ? {} : { resourceGroupId: row.resource_group_id }) });
      if (!allowedRow) continue;
      if (total >= page.offset && ids.length < page.limit) ids.push(row.id);
      total++;
    }
    if (rows.length < RECHECK_BATCH) return { ids, total };
    const last = rows[rows.length - 1]!;
    after = [last.creation_time, last.id];
  }
}
