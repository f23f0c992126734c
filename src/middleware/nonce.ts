import type { MaybePromise } from "../ess/types.js";

/**
 * Remembers signature nonces so a signed request cannot be replayed. Hosts with several instances supply a
 * shared implementation (e.g. Redis `SET key NX PX ttl`).
 */
export interface NonceStore {
  /** Records the nonce; false when it was already recorded and has not expired. */
  remember(key: string, ttlMs: number, now: number): MaybePromise<boolean>;
}

/**
 * In-process nonce memory. Every entry lives for the same TTL, so insertion order is expiry order and pruning
 * only looks at the oldest entries. When full of live nonces it refuses new ones: replay protection that
 * silently forgot would be no protection at all.
 */
export class MemoryNonceStore implements NonceStore {
  /**
   * Expiry in whole seconds after `epoch`, rounded up: a small integer is stored in the entry itself, where a
   * millisecond time would be a heap number of its own for every nonce.
   */
  private readonly expiries = new Map<string, number>();
  private epoch: number | undefined;
  /** Expiry of the oldest entry: nothing to prune before then. */
  private oldest = Number.POSITIVE_INFINITY;

  constructor(private readonly capacity = 1_000_000) {}

  get size(): number {
    return this.expiries.size;
  }

  remember(key: string, ttlMs: number, now: number): boolean {
    this.epoch ??= now;
    // Whole seconds since the epoch: an entry is live while `expiry > second`.
    const second = Math.floor((now - this.epoch) / 1000);
    if (this.oldest <= second) this.prune(second);
    const seen = this.expiries.get(key);
    if (seen !== undefined && seen > second) return false;
    if (this.expiries.size >= this.capacity) throw new NonceCapacityError();
    // An expired entry is moved to the end: insertion order stays expiry order.
    if (seen !== undefined) this.expiries.delete(key);
    const expiry = Math.ceil((now + ttlMs - this.epoch) / 1000);
    this.expiries.set(key, expiry);
    if (this.expiries.size === 1) this.oldest = expiry;
    return true;
  }

  private prune(second: number): void {
    for (const [k, expiry] of this.expiries) {
      if (expiry > second) {
        this.oldest = expiry;
        return;
      }
      this.expiries.delete(k);
    }
    this.oldest = Number.POSITIVE_INFINITY;
  }
}

/**
 * The nonce store cannot say whether a nonce is fresh (full, unreachable, failing): the request is answered
 * `ServiceUnavailable`, never accepted on a nonce that may be a replay.
 */
export class NonceStoreUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NonceStoreUnavailableError";
  }
}

export class NonceCapacityError extends NonceStoreUnavailableError {
  constructor() {
    super("nonce store is full");
    this.name = "NonceCapacityError";
  }
}

/** Runs one call to a shared store's client; any failure of it is the store being unavailable. */
export async function storeCall<T>(store: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw new NonceStoreUnavailableError(`${store} nonce store failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

