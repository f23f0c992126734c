import type { ApiVersion, RegionList } from "../../ess/types.js";
import { EssHttpError } from "../../middleware/errors.js";
import type { Input } from "../input.js";
import type { Store, Table } from "../store.js";
import { carrying, pageGroups, type ChildTable, type SqlClause } from "../list.js";

/** Instance counts ESS accepts for group sizes and capacities. */
export const CAPACITY = { min: 0, max: 2000 };
/** Cool-down periods, in seconds. */
export const COOLDOWN = { min: 0, max: 86400 };

/** Which items a list call may return: those of the groups the caller was allowed, per the decision. */
export interface Visibility {
  /** A group id, or `undefined` for a task bound to no group (visible when `*` was allowed). */
  sees(groupId: string | undefined): Promise<boolean>;
}

/** The items that pass `keep`, in order. */
export async function filterAsync<T>(items: readonly T[], keep: (item: T) => boolean | Promise<boolean>): Promise<T[]> {
  const kept: T[] = [];
  for (const item of items) if (await keep(item)) kept.push(item);
  return kept;
}

export interface OperationContext {
  /** The store, in the request's transaction for a mutating call (see src/service/server.ts). */
  readonly store: Store;
  readonly input: Input;
  readonly version: ApiVersion;
  /** The request's region (from `RegionId`, or the endpoint's). */
  readonly regionId: string;
  /** The resource owner's account, for ARIs. */
  readonly account: string;
  readonly visibility: Visibility;
  /** Set when the call lists the whole region: its groups can then be filtered and paged in SQL. */
  readonly list?: RegionList;
  /** Regions this service answers DescribeRegions with. */
  readonly regions: readonly string[];
}

/** Returns the response fields of the operation (the service adds `RequestId`). */
export type Handler = (ctx: OperationContext) => Promise<Record<string, unknown>>;

/** A referenced object that does not exist (or no longer does) in the request's region. */
export function notFound(kind: string, id: string): EssHttpError {
  return new EssHttpError(`Invalid${kind}Id.NotFound`, `The specified ${kind} ${id} does not exist.`, 404);
}

/** A child row of the request's region, or the `Invalid<Kind>Id.NotFound` error. */
export async function inRegion<R extends { regionId: string }>(ctx: OperationContext, kind: string, id: string, found: R | undefined | Promise<R | undefined>): Promise<R> {
  const row = await found;
  if (!row || row.regionId !== ctx.regionId) throw notFound(kind, id);
  return row;
}

/** The rows of the ids that exist, in the order of `ids`. */
export async function rowsOf<R extends { readonly id: string }>(table: Table<R>, ids: readonly string[]): Promise<R[]> {
  const rows: R[] = [];
  for (const id of ids) {
    const row = await table.get(id);
    if (row) rows.push(row);
  }
  return rows;
}

/** The order of `Table.where`: oldest first, ties by id. */
export const byAge = (a: { creationTime: string; id: string }, b: { creationTime: string; id: string }): number =>
  a.creationTime < b.creationTime ? -1 : a.creationTime > b.creationTime ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * The rows of `scope` (a region, a group…), oldest first; when the call names ids, only those, read by id rather
 * than found among every row of the scope (so a call naming a few ids reads a few rows, whatever the store holds).
 */
export async function rowsIn<R extends { readonly id: string; readonly creationTime: string }>(table: Table<R>, scope: Partial<R>, ids: ReadonlySet<string>): Promise<R[]> {
  if (ids.size === 0) return table.where(scope);
  const fields = Object.entries(scope) as [keyof R, unknown][];
  return (await rowsOf(table, [...ids])).filter((row) => fields.every(([field, value]) => row[field] === value)).sort(byAge);
}

/** Whether a row of `table` in `scope` other than `exceptId` already has `name`. */
export async function nameTaken<R extends { readonly id: string; readonly name: string }>(
  table: Table<R>,
  scope: Partial<R>,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  return (await table.where({ ...scope, name })).some((r) => r.id !== exceptId);
}

export function duplicateName(kind: string, name: string): EssHttpError {
  return new EssHttpError(`Invalid${kind}Name.Duplicate`, `The specified ${kind} name ${name} already exists.`, 400);
}

/** The request cannot be carried out in the object's current state. */
export function incorrectState(code: string, message: string): EssHttpError {
  return new EssHttpError(code, message, 400);
}

/** ESS names are 2–64 characters: letters, digits, `_`, `-`, `.`, starting with a letter or digit. */
const NAME = /^[A-Za-z0-9\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_.-]{1,63}$/;

export function checkName(parameter: string, name: string | undefined): string | undefined {
  if (name !== undefined && !NAME.test(name)) throw EssHttpError.invalid(parameter, "Use 2 to 64 letters, digits, _, - or ., starting with a letter or digit.");
  return name;
}

/** Keys of `patch` whose value is not `undefined`, so an absent parameter leaves a field unchanged. */
export function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `column IN (…)` over the values, or nothing when there are none. */
export const inList = (column: string, values: ReadonlySet<string>): SqlClause[] =>
  values.size === 0 ? [] : [{ sql: `${column} IN (${[...values].map(() => "?").join(", ")})`, params: [...values] }];

/** `column = value`, or nothing when the parameter is absent; booleans as the store keeps them (0/1). */
export const equal = (column: string, value: string | boolean | undefined): SqlClause[] =>
  value === undefined ? [] : [{ sql: `${column} = ?`, params: [typeof value === "boolean" ? (value ? 1 : 0) : value] }];

/**
 * One page of a whole-region list, filtered, counted and paged in SQL (src/service/list.ts): groups, or with
 * `children` the children of the allowed groups, and with `unbound` the tasks bound to no group too (see
 * `GroupQuery.unbound`). `where` adds the operation's own filters (aliases `g`, `c`).
 */
export async function pagedInSql(ctx: OperationContext, list: RegionList, where: readonly SqlClause[], children?: ChildTable, unbound = false): Promise<{
  ids: readonly string[];
  fields: { TotalCount: number; PageNumber: number; PageSize: number };
}> {
  const { pageNumber, pageSize } = ctx.input.page();
  const page = await pageGroups(ctx.store, list.residual, {
    regionId: ctx.regionId,
    offset: (pageNumber - 1) * pageSize,
    limit: pageSize,
    where: [...where, ...carrying(list.requestTags)],
    ...(children ? { children, unbound } : {}),
  });
  return { ids: page.ids, fields: { TotalCount: page.total, PageNumber: pageNumber, PageSize: pageSize } };
}
