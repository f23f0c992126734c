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
  private readonly expiries = new Map<string, number>();
  /** Expiry of the oldest entry: nothing to prune before then. */
  private oldest = Number.POSITIVE_INFINITY;

  constructor(private readonly capacity = 1_000_000) {}

  remember(key: string, ttlMs: number, now: number): boolean {
    if (this.oldest <= now) this.prune(now);
    const seen = this.expiries.get(key);
    if (seen !== undefined && seen > now) return false;
    if (this.expiries.size >= this.capacity) throw new NonceCapacityError();
    this.expiries.delete(key);
    this.expiries.set(key, now + ttlMs);
    if (this.expiries.size === 1) this.oldest = now + ttlMs;
    return true;
  }

  private prune(now: number): void {
    for (const [k, expiry] of this.expiries) {
      if (expiry > now) {
        this.oldest = expiry;
        return;
      }
      this.expiries.delete(k);
    }
    this.oldest = Number.POSITIVE_INFINITY;
  }
}

export class NonceCapacityError extends Error {
  constructor() {
    super("nonce store is full");
    this.name = "NonceCapacityError";
  }
}
