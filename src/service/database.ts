/**
 * The service's database, SQLite or PostgreSQL, behind one Kysely instance. Any number of `serve` processes
 * on one PostgreSQL database are replicas of one service; SQLite is the embedded default (one file, which
 * processes on one machine may share). kysely, better-sqlite3 and pg are optional peer dependencies, loaded
 * here only, and only the driver the target needs.
 *
 * Targets:
 * - a file path: SQLite (created with its directory when absent, WAL); `:memory:` for a throw-away database.
 * - `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` (or `postgresql://`): a pool of connections. The schema is
 *   chosen as libpq does, with the connection parameter `options`:
 *   `postgres://u@h/db?options=-c%20search_path%3DNAME` keeps every table of the service in schema NAME
 *   (which must exist). Without it, the server's default search path (usually `public`).
 *
 * Transactions (`db.transaction().execute(…)`) write-lock from their start in SQLite (`BEGIN IMMEDIATE`):
 * a transaction that reads and then writes can neither deadlock with, nor be refused after reading by, a writer
 * of another process (a deferred `BEGIN` would fail with SQLITE_BUSY at its first write). PostgreSQL
 * transactions are READ COMMITTED; writers lock the rows they depend on explicitly (`SELECT … FOR UPDATE`).
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { DatabaseConnection, Kysely, SqliteDatabase, SqliteStatement } from "kysely";
import { loadWithPeers } from "../optional-peer.js";
import { BoundedMemo } from "../bounded-memo.js";

export type SqlDialect = "sqlite" | "postgres";

export interface OpenedDatabase<DB> {
  readonly db: Kysely<DB>;
  readonly dialect: SqlDialect;
  /** The target with any password masked, for logs and errors. */
  readonly description: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Errors of idle PostgreSQL connections (a restarted server, say); the next query reports its own. */
  readonly onError?: (error: Error) => void;
  /** PostgreSQL connections per process; default 10. */
  readonly poolSize?: number;
}

export const isPostgresTarget = (target: string): boolean => /^postgres(?:ql)?:\/\//i.test(target);

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`; paths unchanged. */
export function describeTarget(target: string): string {
  if (!isPostgresTarget(target)) return target;
  try {
    const url = new URL(target);
    if (url.password) url.password = "***";
    return url.href;
  } catch {
    return "(a postgres:// URL that does not parse)";
  }
}

export class DatabaseTargetError extends Error {
  constructor(target: string, why: string) {
    super(`--db ${describeTarget(target)}: ${why} (expected a file path, :memory:, or postgres://USER@HOST:PORT/DB)`);
    this.name = "DatabaseTargetError";
  }
}

/** PostgreSQL SQLSTATEs of a server that is shutting down, starting or out of connections (class 57P, 53300). */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);
/** Socket errors of a server that is unreachable or went away. */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"]);

/**
 * Whether a query failed because the database could not serve it for now (the pool waited out its connection
 * timeout, the server is down or full, SQLite stayed locked past its busy timeout), rather than because of the
 * query: the service answers those with 503 `ServiceUnavailable` (docs/semantics.md §6), which a client retries.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Not only `Error`s: what reaches the service from the SQLite driver through Kysely is not always one.
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (UNAVAILABLE_STATES.has(code) || UNREACHABLE_CODES.has(code) || code === "SQLITE_BUSY")) return true;
  // pg's pool and client raise these as plain Errors, without a code; a client whose connection already failed
  // (the server ended it before the query was sent) refuses every query as "not queryable".
  return typeof message === "string" && /^(timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)/.test(message);
}

/** better-sqlite3 compiles anew on every `prepare`, and Kysely prepares every query: keep one statement per SQL text. */
function cachingStatements(db: SqliteDatabase): SqliteDatabase {
  // Request-dependent SQL (residual filters of list calls) must not grow the cache without bound.
  const cache = new BoundedMemo<string, SqliteStatement>(2000);
  const prepare = (sql: string): SqliteStatement => db.prepare(sql);
  return {
    close: () => db.close(),
    prepare: (sql) => cache.get(sql, prepare),
  };
}

/**
 * Opens the target's database; nothing is created in it (the store migrates). An unreachable PostgreSQL server
 * or a wrong URL is reported here, so a service does not start without the database it was told to use.
 */
export async function openDatabase<DB>(target: string, options: OpenDatabaseOptions = {}): Promise<OpenedDatabase<DB>> {
  return isPostgresTarget(target) ? openPostgres<DB>(target, options) : openSqlite<DB>(target);
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir never returns where a level can't be created though
 * its parent exists (`/proc/1/x`), and a service must say so instead of hanging at start.
 */
function createDirectories(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) createDirectories(parent);
  try {
    mkdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot create the directory ${dir} (${(e as NodeJS.ErrnoException).code})`);
  }
}

async function openSqlite<DB>(file: string): Promise<OpenedDatabase<DB>> {
  if (file === "") throw new DatabaseTargetError(file, "empty path");
  const { kysely, Sqlite } = await loadWithPeers("the service's SQLite database", ["kysely", "better-sqlite3"], async () => ({
    kysely: await import("kysely"),
    Sqlite: (await import("better-sqlite3")).default,
  }));
  let sqlite: InstanceType<typeof Sqlite>;
  try {
    if (file !== ":memory:") createDirectories(dirname(file));
    sqlite = new Sqlite(file);
    sqlite.pragma("journal_mode = WAL");
  } catch (e) {
    throw new DatabaseTargetError(file, e instanceof Error ? e.message : String(e));
  }
  sqlite.pragma("foreign_keys = ON");
  // Writers of other processes sharing the file wait for each other rather than fail at once.
  sqlite.pragma("busy_timeout = 5000");

  const config = { database: cachingStatements(sqlite as unknown as SqliteDatabase) };
  class ImmediateDriver extends kysely.SqliteDriver {
    override async beginTransaction(connection: DatabaseConnection): Promise<void> {
      await connection.executeQuery(kysely.CompiledQuery.raw("begin immediate"));
    }
  }
  class ImmediateDialect extends kysely.SqliteDialect {
    override createDriver(): InstanceType<typeof kysely.SqliteDriver> {
      return new ImmediateDriver(config);
    }
  }
  const db = new kysely.Kysely<DB>({ dialect: new ImmediateDialect(config) });
  return { db, dialect: "sqlite", description: file, close: () => db.destroy() };
}

async function openPostgres<DB>(target: string, options: OpenDatabaseOptions): Promise<OpenedDatabase<DB>> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new DatabaseTargetError(target, "not a URL");
  }
  if (url.hostname === "") throw new DatabaseTargetError(target, "no host");
  if (!/^\/[^/]+$/.test(url.pathname)) throw new DatabaseTargetError(target, "no database name");
  const { kysely, pg } = await loadWithPeers("the service's PostgreSQL database", ["kysely", "pg"], async () => ({
    kysely: await import("kysely"),
    pg: (await import("pg")).default,
  }));
  // Counts and epoch milliseconds come back as BIGINT; both are far below 2^53, so numbers, not strings.
  const INT8 = 20;
  const types = { getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };
  const pool = new pg.Pool({ connectionString: target, max: options.poolSize ?? 10, connectionTimeoutMillis: 5000, types });
  pool.on("error", (e: Error) => options.onError?.(e));
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end();
    throw new Error(`${describeTarget(target)}: cannot connect: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const db = new kysely.Kysely<DB>({ dialect: new kysely.PostgresDialect({ pool }) });
  return { db, dialect: "postgres", description: describeTarget(target), close: () => db.destroy() };
}
