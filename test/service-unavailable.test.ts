/**
 * A database that can't serve a call for now answers 503 `ServiceUnavailable` (docs/semantics.md §6), which
 * clients retry — not 500 `InternalError`, and never a change. The classifier is checked on real errors of both
 * drivers, and end to end on a service whose SQLite file another process holds locked.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import t from "tap";
import { isDatabaseUnavailable } from "../src/service/database.js";
import { testPostgres } from "./helpers/servers.js";
import { client, failure, KEYS, serve } from "./helpers/service.js";

async function rejection(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

t.test("SQLite: a write lock held past the busy timeout is unavailability; a bad query is not", async (t) => {
  const dir = t.testdir();
  const file = join(dir, "locked.db");
  const holder = new Database(file);
  holder.exec("CREATE TABLE t (x INTEGER)");
  const other = new Database(file, { timeout: 0 });
  t.teardown(() => {
    other.close();
    holder.close();
  });
  holder.exec("BEGIN IMMEDIATE");
  const busy = await rejection(async () => other.exec("INSERT INTO t VALUES (1)"));
  t.equal((busy as { code?: string }).code, "SQLITE_BUSY");
  t.ok(isDatabaseUnavailable(busy));
  holder.exec("ROLLBACK");
  t.notOk(isDatabaseUnavailable(await rejection(async () => other.exec("INSERT INTO missing VALUES (1)"))), "no such table");
  t.notOk(isDatabaseUnavailable(new Error("anything else")));
  t.notOk(isDatabaseUnavailable("SQLITE_BUSY"), "a string is not an error");
});

t.test("PostgreSQL: refused, terminated and timed-out connections are unavailability; query errors are not", async (t) => {
  const server = await testPostgres(t);
  if (!server) return;
  // Nothing listens on port 1 of loopback: the connection is refused.
  const refused = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:1/test", connectionTimeoutMillis: 2000 });
  t.ok(isDatabaseUnavailable(await rejection(() => refused.connect())), "connection refused");

  const name = `ess-authz-unavailable-${randomUUID()}`;
  const victim = new pg.Client({ connectionString: server.url, application_name: name });
  victim.on("error", () => undefined);
  await victim.connect();
  await server.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [name]);
  t.ok(isDatabaseUnavailable(await rejection(() => victim.query("SELECT 1"))), "backend terminated by the server");
  // Whether the client hears of the termination before its query is a race: if it has, pg refuses the query as
  // "not queryable", as it refuses every query of a client whose connection is gone, such as a closed one.
  const closed = new pg.Client({ connectionString: server.url });
  await closed.connect();
  await closed.end();
  t.ok(isDatabaseUnavailable(await rejection(() => closed.query("SELECT 1"))), "a client already closed");

  const small = new pg.Pool({ connectionString: server.url, max: 1, connectionTimeoutMillis: 200 });
  t.teardown(() => small.end());
  const held = await small.connect();
  t.ok(isDatabaseUnavailable(await rejection(() => small.query("SELECT 1"))), "pool waited out its connection timeout");
  held.release();

  t.notOk(isDatabaseUnavailable(await rejection(() => small.query("SELECT * FROM no_such_table"))), "undefined table (42P01)");
  await small.query("CREATE TABLE unique_rows (x INT PRIMARY KEY)");
  await small.query("INSERT INTO unique_rows VALUES (1)");
  t.notOk(isDatabaseUnavailable(await rejection(() => small.query("INSERT INTO unique_rows VALUES (1)"))), "unique violation (23505)");
});

t.test("the service answers 503 ServiceUnavailable while its SQLite file stays locked, changes nothing, and serves again after", async (t) => {
  const { url, dbFile } = await serve(t);
  const admin = client(url, KEYS.admin);
  const create = () =>
    admin.request<{ ScalingGroupId: string }>("CreateScalingGroup", { RegionId: "cn-hangzhou", ScalingGroupName: "while-locked", MinSize: 0, MaxSize: 1 }, { method: "POST", timeout: 30_000 });
  const holder = new Database(dbFile);
  t.teardown(() => holder.close());
  holder.exec("BEGIN IMMEDIATE");
  const error = await failure(create());
  t.equal(error.data.Code, "ServiceUnavailable");
  holder.exec("ROLLBACK");

  const listed = () =>
    admin.request<{ TotalCount: number }>("DescribeScalingGroups", { RegionId: "cn-hangzhou", ScalingGroupName: "while-locked" }, { method: "POST" });
  t.equal((await listed()).TotalCount, 0, "the refused call created nothing");
  t.match((await create()).ScalingGroupId, /^asg-/, "the retry succeeds once the lock is gone");
  t.equal((await listed()).TotalCount, 1);
});
