/**
 * `ess-authz/nonce-postgres`: signature nonces shared by every replica through a PostgreSQL table. One
 * `INSERT … ON CONFLICT` per request: the key's unique index makes it atomic, so of two replicas given the same
 * signed request only one accepts it. The package `pg` is an optional dependency, loaded only by
 * `connectPostgresNonceStore`.
 */
import { loadWithPeers } from "../optional-peer.js";
import { storeCall, type NonceStore } from "./nonce.js";
import type { ConnectedNonceStore } from "./nonce-redis.js";

/** What the store needs of a `pg` Pool (or Client). */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null }>;
}

export interface PostgresNonceStoreOptions {
  /** Default `ess_authz_signature_nonces`; created when missing. */
  readonly table?: string;
  /** The table's schema; default: the connection's search path. */
  readonly schema?: string;
  /** Expired rows are deleted by the first call after this long since the last deletion; default 60 000 ms. */
  readonly pruneIntervalMs?: number;
}

export const DEFAULT_POSTGRES_NONCE_TABLE = "ess_authz_signature_nonces";

const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** PostgreSQL's duplicate-object errors, which `CREATE … IF NOT EXISTS` can still raise when replicas race. */
const CREATED_CONCURRENTLY = new Set(["23505", "42P07", "42710"]);

/** Expiry is the middleware's clock (`now`), stored as epoch milliseconds. */
export class PostgresNonceStore implements NonceStore {
  private readonly table: string;
  private readonly index: string;
  private readonly pruneIntervalMs: number;
  private ready: Promise<void> | undefined;
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: PgQueryable,
    options: PostgresNonceStoreOptions = {},
  ) {
    const name = options.table ?? DEFAULT_POSTGRES_NONCE_TABLE;
    const table = quoteIdentifier(name);
    this.index = quoteIdentifier(`${name}_expiry`);
    this.table = options.schema !== undefined ? `${quoteIdentifier(options.schema)}.${table}` : table;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
  }

  async remember(key: string, ttlMs: number, now: number): Promise<boolean> {
    return storeCall("PostgreSQL", async () => {
      await this.ensureTable();
      if (now - this.lastPrune >= this.pruneIntervalMs) {
        this.lastPrune = now;
        await this.db.query(`DELETE FROM ${this.table} WHERE expires_at <= $1`, [now]);
      }
      // A new key inserts; an expired one is taken over; a live one is left alone and nothing is counted.
      const { rowCount } = await this.db.query(
        `INSERT INTO ${this.table} AS n (key, expires_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE n.expires_at <= $3`,
        [key, now + ttlMs, now],
      );
      return rowCount === 1;
    });
  }

  /** Creates the table when missing; once per store, retried on the next call after a failure. */
  ensureTable(): Promise<void> {
    this.ready ??= (async () => {
      const create = async (sql: string): Promise<void> => {
        try {
          await this.db.query(sql);
        } catch (e) {
          if (!CREATED_CONCURRENTLY.has(String((e as { code?: unknown }).code))) throw e;
        }
      };
      await create(`CREATE TABLE IF NOT EXISTS ${this.table} (key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)`);
      await create(`CREATE INDEX IF NOT EXISTS ${this.index} ON ${this.table} (expires_at)`);
    })().catch((e: unknown) => {
      this.ready = undefined;
      throw e;
    });
    return this.ready;
  }
}

/**
 * Opens a pool on `postgres://USER@HOST:PORT/DB` with the package `pg` and creates the table, so a wrong URL
 * or an unreachable server is reported at start. Errors of idle connections go to `onError`.
 */
export async function connectPostgresNonceStore(
  url: string,
  options: PostgresNonceStoreOptions & { onError?: (error: Error) => void } = {},
): Promise<ConnectedNonceStore> {
  const pg = await loadWithPeers("this nonce store", ["pg"], () => import("pg"));
  const pool = new pg.default.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000 });
  pool.on("error", (e: Error) => options.onError?.(e));
  const store = new PostgresNonceStore(pool, options);
  try {
    await store.ensureTable();
  } catch (e) {
    await pool.end();
    throw e;
  }
  return { store, close: () => pool.end() };
}
