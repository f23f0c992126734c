/**
 * `ess-authz/nonce-redis`: signature nonces shared by every replica through Redis. One `SET key 1 NX PX ttl` per
 * request: atomic on the server, so of two replicas given the same signed request only one accepts it.
 * The package `redis` (node-redis) is an optional dependency, loaded only by `connectRedisNonceStore`.
 */
import { loadWithPeers } from "../optional-peer.js";
import { storeCall, type NonceStore } from "./nonce.js";

/** The one command the store sends, as node-redis's client (`createClient()` of the package `redis`) offers it. */
export interface RedisSetClient {
  set(key: string, value: string, options: { condition: "NX"; expiration: { type: "PX"; value: number } }): Promise<unknown>;
}

export interface RedisNonceStoreOptions {
  /** Put before every key, so the nonces of several services can share one Redis. Default `ess-authz:nonce:`. */
  readonly prefix?: string;
}

export const DEFAULT_REDIS_NONCE_PREFIX = "ess-authz:nonce:";

/** Expiry is Redis's own clock (`PX`): the `now` the middleware passes is not used. */
export class RedisNonceStore implements NonceStore {
  private readonly prefix: string;

  constructor(
    private readonly client: RedisSetClient,
    options: RedisNonceStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? DEFAULT_REDIS_NONCE_PREFIX;
  }

  async remember(key: string, ttlMs: number): Promise<boolean> {
    const reply = await storeCall("Redis", () => this.client.set(this.prefix + key, "1", { condition: "NX", expiration: { type: "PX", value: ttlMs } }));
    // "OK" when set, null when the key was there; anything else is not a yes.
    return reply === "OK";
  }
}

export interface ConnectedNonceStore {
  readonly store: NonceStore;
  close(): Promise<void>;
}

/** How many times a lost connection is retried before the first connection is given up. */
const CONNECT_ATTEMPTS = 5;

/**
 * Connects to `redis://HOST:PORT[/db]` (or `rediss://`) with the package `redis`. Commands fail at once while
 * the connection is down (no offline queue), so requests get `ServiceUnavailable` instead of waiting; the client
 * keeps reconnecting. Connection errors go to `onError`.
 */
export async function connectRedisNonceStore(url: string, options: RedisNonceStoreOptions & { onError?: (error: Error) => void } = {}): Promise<ConnectedNonceStore> {
  const { createClient } = await loadWithPeers("this nonce store", ["redis"], () => import("redis"));
  let connected = false;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      reconnectStrategy: (retries: number, cause: Error) => (!connected && retries >= CONNECT_ATTEMPTS ? cause : Math.min(100 * 2 ** retries, 2000)),
    },
  });
  client.on("error", (e: Error) => options.onError?.(e));
  await client.connect();
  connected = true;
  return { store: new RedisNonceStore(client, options), close: async () => void (await client.close()) };
}
