/**
 * `serve --nonce-store URL`: signature nonces in Redis or PostgreSQL, shared by every replica, instead of the
 * service's own database.
 */
import type { Logger } from "pino";
import type { ConnectedNonceStore } from "../middleware/nonce-redis.js";

export class NonceStoreUrlError extends Error {
  constructor(text: string, why: string) {
    super(`--nonce-store ${text}: ${why} (expected redis://HOST:PORT[/DB] or postgres://USER@HOST:PORT/DB)`);
    this.name = "NonceStoreUrlError";
  }
}

const KINDS = { "redis:": "redis", "rediss:": "redis", "postgres:": "postgres", "postgresql:": "postgres" } as const;

/** Which store a URL names; refuses what either client would misread or silently default. */
export function nonceStoreKind(text: string): "redis" | "postgres" {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new NonceStoreUrlError(text, "not a URL");
  }
  const kind = KINDS[url.protocol as keyof typeof KINDS];
  if (!kind) throw new NonceStoreUrlError(text, `unsupported scheme ${url.protocol}`);
  if (url.hostname === "") throw new NonceStoreUrlError(text, "no host");
  if (kind === "redis" && !/^(?:\/\d{0,5})?$/.test(url.pathname)) throw new NonceStoreUrlError(text, "the path must be a database number");
  if (kind === "postgres" && !/^\/[^/]+$/.test(url.pathname)) throw new NonceStoreUrlError(text, "no database name");
  return kind;
}

/** The store could not be reached at start: the service does not start without the store it was told to use. */
export class NonceStoreConnectError extends Error {
  constructor(text: string, cause: unknown) {
    const url = new URL(text);
    if (url.password) url.password = "***";
    super(`--nonce-store ${url.href}: cannot connect: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "NonceStoreConnectError";
  }
}

/**
 * Connects the store the URL names; the client packages are loaded only here. A Redis URL may carry
 * `?prefix=` for the keys (default `ess-authz:nonce:`).
 */
export async function openNonceStore(text: string, log: Logger): Promise<ConnectedNonceStore> {
  const onError = (e: Error): void => log.error({ err: { type: e.name, message: e.message } }, "nonce store connection error");
  try {
    if (nonceStoreKind(text) === "redis") {
      const url = new URL(text);
      const prefix = url.searchParams.get("prefix") ?? undefined;
      url.searchParams.delete("prefix");
      const { connectRedisNonceStore } = await import("../middleware/nonce-redis.js");
      return await connectRedisNonceStore(url.href, { onError, ...(prefix !== undefined ? { prefix } : {}) });
    }
    const { connectPostgresNonceStore } = await import("../middleware/nonce-postgres.js");
    return await connectPostgresNonceStore(text, { onError });
  } catch (e) {
    if (e instanceof NonceStoreUrlError) throw e;
    throw new NonceStoreConnectError(text, e);
  }
}
