/**
 * `ess-authz serve --nonce-store URL` (issue #16): replicas of the service share signature nonces through Redis
 * or PostgreSQL, so a signed request accepted by one replica is refused as a replay by every other.
 */
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pino from "pino";
import t from "tap";
import { NonceStoreConnectError, nonceStoreKind, NonceStoreUrlError, openNonceStore } from "../src/service/nonce-store.js";
import { serveProcess, servingReplica } from "./helpers/serve-process.js";
import { closedPort, testPostgres, testRedis, REDIS_URL } from "./helpers/servers.js";
import { client, KEYS, sendV1, serve, tempDir } from "./helpers/service.js";

const DESCRIBE = { Action: "DescribeScalingGroups", RegionId: "cn-hangzhou" };

t.test("the URL names the store; anything else is a usage error that says what is wrong", async (t) => {
  const kinds: Record<string, string> = {
    "redis://127.0.0.1:6379": "redis",
    "redis://127.0.0.1:6379/2": "redis",
    "rediss://cache.example:6380/0?prefix=svc:": "redis",
    "postgres://postgres@127.0.0.1:5432/test": "postgres",
    "postgresql://u:p@db.example/ess": "postgres",
  };
  for (const [url, kind] of Object.entries(kinds)) t.equal(nonceStoreKind(url), kind, url);
  const refused: Record<string, RegExp> = {
    "127.0.0.1:6379": /not a URL/,
    "localhost:6379": /unsupported scheme localhost:/,
    "mysql://h/db": /unsupported scheme mysql:/,
    "redis://": /no host/,
    "redis://h:6379/cache": /database number/,
    "postgres://u@h:5432": /no database name/,
    "postgres://u@h:5432/a/b": /no database name/,
  };
  for (const [url, message] of Object.entries(refused)) {
    t.throws(() => nonceStoreKind(url), NonceStoreUrlError, url);
    t.throws(() => nonceStoreKind(url), { message }, url);
  }
  t.throws(() => nonceStoreKind("ftp://x"), { message: /expected redis:\/\/HOST:PORT\[\/DB\] or postgres:\/\// }, "the usage is in the message");
});

t.test("a store that cannot be reached stops the start, naming it (password hidden)", async (t) => {
  const port = await closedPort();
  const log = pino({ enabled: false });
  for (const url of [`redis://:hunter2@127.0.0.1:${port}`, `postgres://postgres:hunter2@127.0.0.1:${port}/test`]) {
    const error = await openNonceStore(url, log).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.type(error, NonceStoreConnectError, url);
    t.match((error as Error).message, new RegExp(`127\\.0\\.0\\.1:${port}.*cannot connect`), url);
    t.notMatch((error as Error).message, /hunter2/, `${url}: no password in the message`);
  }
  await t.rejects(openNonceStore("ftp://x", log), NonceStoreUrlError, "a bad URL stays a usage error");
});

t.test("a Redis URL's prefix is the keys' prefix; closing closes the connection", async (t) => {
  const redis = await testRedis(t);
  if (!redis) return;
  const opened = await openNonceStore(`${REDIS_URL}/0?prefix=${encodeURIComponent(redis.prefix)}`, pino({ enabled: false }));
  t.equal(await opened.store.remember("AKID\nn", 60_000, 0), true);
  t.equal(await opened.store.remember("AKID\nn", 60_000, 0), false);
  t.equal(await redis.client.exists(`${redis.prefix}AKID\nn`), 1, "stored under the prefix");
  await opened.close();
  await t.rejects(Promise.resolve(opened.store.remember("AKID\nother", 60_000, 0)), { name: "NonceStoreUnavailableError" }, "a closed store refuses, it does not accept");
});

t.test("the service keeps its nonces in PostgreSQL when told to, not in its own database", async (t) => {
  const postgres = await testPostgres(t);
  if (!postgres) return;
  const { url, dbFile } = await serve(t, { nonceStore: postgres.url });
  const nonce = randomUUID();
  t.equal((await sendV1(url, { key: KEYS.admin, params: DESCRIBE, nonce })).status, 200, "first use");
  const replay = await sendV1(url, { key: KEYS.admin, params: DESCRIBE, nonce });
  t.equal(replay.status, 400);
  t.equal(replay.body["Code"], "SignatureNonceUsed", "the replay");
  const shared = await postgres.pool.query(`SELECT key FROM ${postgres.schema}.ess_authz_signature_nonces`);
  t.same(shared.rows, [{ key: `${KEYS.admin[0]}\n${nonce}` }], "the nonce is in PostgreSQL");
  const local = new Database(dbFile, { readonly: true });
  t.teardown(() => local.close());
  t.equal((local.prepare("SELECT count(*) AS n FROM signature_nonces").get() as { n: number }).n, 0, "and not in SQLite");
});

t.test("two serve processes sharing Redis: a request replayed to the other replica is refused", async (t) => {
  const redis = await testRedis(t);
  if (!redis) return;
  const nonceStore = `${REDIS_URL}/0?prefix=${encodeURIComponent(redis.prefix)}`;
  const args = ["--port", "0", "--watch-interval", "0", "--nonce-store", nonceStore];
  const [a, urlA] = await servingReplica(t, tempDir(t), args);
  const [b, urlB] = await servingReplica(t, tempDir(t), args);

  for (const url of [urlA, urlB]) {
    const groups = await client(url, KEYS.admin).request<{ TotalCount: number }>("DescribeScalingGroups", { RegionId: "cn-hangzhou" });
    t.equal(groups.TotalCount, 3, `the official client through ${url === urlA ? "A" : "B"}`);
  }
  const nonce = randomUUID();
  t.equal((await sendV1(urlA, { key: KEYS.admin, params: DESCRIBE, nonce })).status, 200, "accepted by A");
  const replay = await sendV1(urlB, { key: KEYS.admin, params: DESCRIBE, nonce });
  t.equal(replay.status, 400);
  t.equal(replay.body["Code"], "SignatureNonceUsed", "replayed to B: refused");
  t.equal(await redis.client.exists(`${redis.prefix}${KEYS.admin[0]}\n${nonce}`), 1, "the nonce is under the given prefix");

  for (const served of [a, b]) {
    served.child.kill("SIGTERM");
    t.equal(await served.exit, 0, "stops cleanly, closing its Redis connection");
  }
});

t.test("serve --nonce-store with a bad URL is a usage error (exit 2)", async (t) => {
  const served = serveProcess(t, tempDir(t), ["--port", "0", "--nonce-store", "redis://127.0.0.1:6379/cache"]);
  t.equal(await served.exit, 2);
  t.match(served.stderr(), /--nonce-store redis:\/\/127\.0\.0\.1:6379\/cache: the path must be a database number/);
});
