/**
 * The real PostgreSQL (127.0.0.1:5432, trust authentication, database `test`) and Redis (127.0.0.1:6379) the
 * shared-store suites run against. Unreachable: the test fails when `CI` is set, else it is skipped with the
 * reason printed. Every test gets its own PostgreSQL schema and Redis key prefix, dropped when it ends, so runs
 * never see each other's rows or keys, nor those a previous run left.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import pg from "pg";
import type { Test } from "tap";
import { createClient } from "redis";

export const POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = "redis://127.0.0.1:6379";

type TestLike = Pick<Test, "teardown" | "skip" | "comment">;

const suffix = (): string => randomBytes(6).toString("hex");

function unreachable(t: TestLike, server: string, error: unknown): undefined {
  const reason = `${server} is unreachable (${error instanceof Error ? error.message : String(error)})`;
  if (process.env["CI"]) throw new Error(`${reason}: CI must run these tests against a real server`);
  t.comment(`skipped: ${reason}`);
  t.skip(reason, () => {});
  return undefined;
}

export interface TestPostgres {
  readonly pool: pg.Pool;
  /** A schema of this test only, dropped at its end. */
  readonly schema: string;
  /** A connection string whose search path is the schema, for a service given only a URL. */
  readonly url: string;
  /** Another pool, as a second replica would have; ended with the test. */
  connect(): pg.Pool;
}

/** A pool on the test database and a fresh schema; undefined (skipped) when the server is unreachable. */
export async function testPostgres(t: TestLike): Promise<TestPostgres | undefined> {
  const pools: pg.Pool[] = [];
  const connect = (): pg.Pool => {
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 8, connectionTimeoutMillis: 5000 });
    pool.on("error", () => undefined); // a dropped idle connection; the next query reports it
    pools.push(pool);
    return pool;
  };
  const pool = connect();
  const schema = `ess_authz_test_${suffix()}`;
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
  } catch (e) {
    await pool.end();
    return unreachable(t, `PostgreSQL at ${POSTGRES_URL}`, e);
  }
  t.teardown(async () => {
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    for (const p of pools) await p.end();
  });
  return { pool, schema, url: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`, connect };
}

const redisClient = () => createClient({ url: REDIS_URL, socket: { reconnectStrategy: false, connectTimeout: 5000 } });
export type TestRedisClient = ReturnType<typeof redisClient>;

export interface TestRedis {
  readonly client: TestRedisClient;
  /** A key prefix of this test only; its keys are deleted at its end. */
  readonly prefix: string;
  /** Another connection, as a second replica would have. */
  connect(): Promise<TestRedisClient>;
}

/** A connection and a fresh key prefix; undefined (skipped) when the server is unreachable. */
export async function testRedis(t: TestLike): Promise<TestRedis | undefined> {
  const clients: TestRedisClient[] = [];
  const connect = async (): Promise<TestRedisClient> => {
    const client = redisClient();
    client.on("error", () => undefined); // reported by the command that meets it
    await client.connect();
    clients.push(client);
    return client;
  };
  let client: TestRedisClient;
  try {
    client = await connect();
  } catch (e) {
    return unreachable(t, `Redis at ${REDIS_URL}`, e);
  }
  const prefix = `ess-authz-test:${suffix()}:`;
  t.teardown(async () => {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (keys.length > 0) await client.del(keys);
    for (const c of clients) if (c.isOpen) await c.close();
  });
  return { client, prefix, connect };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
