/**
 * Shared nonce stores (issue #16): Redis and PostgreSQL, against the real servers. A nonce accepted by one
 * replica is refused by every other; of many simultaneous first uses exactly one is accepted; a nonce is
 * accepted again only once expired; a store that cannot answer makes the request fail (503), never pass.
 */
import { randomUUID } from "node:crypto";
import Fastify from "fastify";
import pg from "pg";
import { createClient } from "redis";
import t, { type Test } from "tap";
import { essAuthz } from "../src/middleware/fastify.js";
import type { NonceStore } from "../src/middleware/nonce.js";
import { loadWithPeers } from "../src/optional-peer.js";
import { PostgresNonceStore } from "../src/middleware/nonce-postgres.js";
import { RedisNonceStore } from "../src/middleware/nonce-redis.js";
import { aliceKey, store } from "./helpers/host.js";
import { closedPort, testPostgres, testRedis } from "./helpers/servers.js";
import { GROUP1, KEYS, sendV1 } from "./helpers/service.js";

const TTL_MS = 30 * 60 * 1000;

/** Two replicas' stores over separate connections to one server, or undefined when the server is unreachable. */
type Replicas = (t: Test) => Promise<readonly [NonceStore, NonceStore] | undefined>;

const STORES: Record<string, Replicas> = {
  Redis: async (t) => {
    const redis = await testRedis(t);
    if (!redis) return undefined;
    const other = await redis.connect();
    return [new RedisNonceStore(redis.client, { prefix: redis.prefix }), new RedisNonceStore(other, { prefix: redis.prefix })];
  },
  PostgreSQL: async (t) => {
    const postgres = await testPostgres(t);
    if (!postgres) return undefined;
    return [new PostgresNonceStore(postgres.pool, { schema: postgres.schema }), new PostgresNonceStore(postgres.connect(), { schema: postgres.schema })];
  },
};

for (const [name, replicas] of Object.entries(STORES)) {
  t.test(`${name}: a nonce one replica accepted is refused by the other`, async (t) => {
    const stores = await replicas(t);
    if (!stores) return;
    const [a, b] = stores;
    const now = Date.now();
    t.equal(await a.remember("AKID\nnonce-1", TTL_MS, now), true, "first use on replica A");
    t.equal(await b.remember("AKID\nnonce-1", TTL_MS, now), false, "replay on replica B");
    t.equal(await a.remember("AKID\nnonce-1", TTL_MS, now), false, "replay on replica A");
    t.equal(await b.remember("AKID\nnonce-2", TTL_MS, now), true, "another nonce on replica B");
    t.equal(await a.remember("OTHERKEY\nnonce-1", TTL_MS, now), true, "the same nonce of another AccessKey");
  });

  t.test(`${name}: of 64 simultaneous first uses of one nonce exactly one is accepted`, async (t) => {
    const stores = await replicas(t);
    if (!stores) return;
    const now = Date.now();
    for (const round of [1, 2, 3]) {
      const key = `AKID\nrace-${round}`;
      const answers = await Promise.all(Array.from({ length: 64 }, (_, i) => stores[i % 2]!.remember(key, TTL_MS, now)));
      t.equal(answers.filter(Boolean).length, 1, `round ${round}: one acceptance across both replicas`);
    }
  });
}

t.test("PostgreSQL: expiry follows the middleware's clock; expired rows are deleted", async (t) => {
  const postgres = await testPostgres(t);
  if (!postgres) return;
  const store = new PostgresNonceStore(postgres.pool, { schema: postgres.schema, pruneIntervalMs: 10_000 });
  const other = new PostgresNonceStore(postgres.connect(), { schema: postgres.schema, pruneIntervalMs: 10_000 });
  t.equal(await store.remember("k\nold", 1000, 0), true);
  t.equal(await other.remember("k\nold", 1000, 999), false, "live one millisecond before its expiry");
  t.equal(await other.remember("k\nold", 1000, 1000), true, "taken over once expired, by the other replica");
  t.equal(await store.remember("k\nold", 1000, 1500), false, "and live again for its new TTL");
  t.equal(await store.remember("k\nshort", 10, 2000), true);
  const rows = async (): Promise<number> => (await postgres.pool.query(`SELECT count(*)::int AS n FROM ${postgres.schema}.ess_authz_signature_nonces`)).rows[0].n;
  t.equal(await rows(), 2);
  t.equal(await store.remember("k\nlater", 1000, 9_999), true, "before the prune interval: nothing deleted");
  t.equal(await rows(), 3);
  t.equal(await store.remember("k\nlatest", 1000, 10_000), true, "at the prune interval");
  t.equal(await rows(), 2, "the two expired rows are gone, the live ones kept");
});

t.test("PostgreSQL: the table is created once, even by replicas starting together", async (t) => {
  const postgres = await testPostgres(t);
  if (!postgres) return;
  const stores = Array.from({ length: 4 }, () => new PostgresNonceStore(postgres.connect(), { schema: postgres.schema, table: "nonces" }));
  const answers = await Promise.all(stores.map((s, i) => s.remember(`k\n${i}`, TTL_MS, 0)));
  t.same(answers, [true, true, true, true]);
  const tables = await postgres.pool.query("SELECT tablename FROM pg_tables WHERE schemaname = $1", [postgres.schema]);
  t.same(tables.rows, [{ tablename: "nonces" }]);
});

t.test("Redis: keys carry the prefix and Redis expires them (PX)", async (t) => {
  const redis = await testRedis(t);
  if (!redis) return;
  const store = new RedisNonceStore(redis.client, { prefix: redis.prefix });
  t.equal(await store.remember("AKID\nn", TTL_MS), true);
  const ttl = await redis.client.pTTL(`${redis.prefix}AKID\nn`);
  t.ok(ttl > 0 && ttl <= TTL_MS, `a TTL of at most ${TTL_MS} ms is set (${ttl})`);

  t.equal(await store.remember("AKID\nshort", 50), true);
  t.equal(await store.remember("AKID\nshort", 50), false, "live");
  let polls = 0;
  while (!(await store.remember("AKID\nshort", 50))) {
    polls += 1;
    if (polls > 500) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  t.ok(polls <= 500, `accepted again once Redis expired it (after ${polls} polls)`);
});

/** A Fastify host of the plugin with the given nonce store; it answers 200 to what it allows. */
async function hostWith(t: Test, nonces: NonceStore): Promise<string> {
  const app = Fastify({ forceCloseConnections: true });
  await app.register(async (scope) => {
    await scope.register(essAuthz, {
      credentials: { findAccessKey: (id) => (id === KEYS.alice[0] ? aliceKey : undefined) },
      groups: store.groups,
      resolver: store.resolver,
      nonces,
      dependencyTimeoutMs: 3000,
    });
    scope.route({ method: ["GET", "POST"], url: "/", handler: async (request) => ({ RequestId: request.essAuthz!.requestId }) });
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());
  return url;
}

const ALLOWED = { Action: "DeleteScalingGroup", RegionId: "cn-hangzhou", ScalingGroupId: GROUP1 };

t.test("a store whose server is gone fails the request with ServiceUnavailable, never accepts it", async (t) => {
  const port = await closedPort();
  const redisClient = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
  redisClient.on("error", () => undefined);
  await t.rejects(redisClient.connect(), "nothing listens there");
  const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/test`, connectionTimeoutMillis: 2000 });
  t.teardown(() => pool.end());
  const dead: Record<string, NonceStore> = { Redis: new RedisNonceStore(redisClient), PostgreSQL: new PostgresNonceStore(pool) };
  for (const [name, nonces] of Object.entries(dead)) {
    const url = await hostWith(t, nonces);
    const answer = await sendV1(url, { key: KEYS.alice, params: ALLOWED });
    t.equal(answer.status, 503, `${name}: 503`);
    t.equal(answer.body["Code"], "ServiceUnavailable", name);
  }
});

t.test("the same host allows the request when its store answers (the baseline of the test above)", async (t) => {
  const redis = await testRedis(t);
  if (!redis) return;
  const url = await hostWith(t, new RedisNonceStore(redis.client, { prefix: redis.prefix }));
  const nonce = randomUUID();
  t.equal((await sendV1(url, { key: KEYS.alice, params: ALLOWED, nonce })).status, 200);
  const replay = await sendV1(url, { key: KEYS.alice, params: ALLOWED, nonce });
  t.equal(replay.body["Code"], "SignatureNonceUsed");
});

t.test("a missing optional package is named, with the command that installs it", async (t) => {
  const missing = Object.assign(new Error("Cannot find package 'redis'"), { code: "ERR_MODULE_NOT_FOUND" });
  await t.rejects(loadWithPeers("this nonce store", ["redis"], () => Promise.reject(missing)), { message: /this nonce store needs the package redis, which is not installed: run npm install redis/ });
  const other = new Error("syntax error in the package");
  await t.rejects(loadWithPeers("this nonce store", ["redis"], () => Promise.reject(other)), other, "other load errors pass through");
});
