/**
 * Heap the in-process nonce memory keeps per nonce: 200,000 nonces as the middleware records them (AccessKey id,
 * newline, UUID), measured after full collections. Run:
 *   node --expose-gc --import ./bench/loader.mjs bench/nonce-memory.ts
 */
import { randomUUID } from "node:crypto";
import { MemoryNonceStore } from "../src/middleware/nonce.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const COUNT = 200_000;
const TTL_MS = 30 * 60_000;
const store = new MemoryNonceStore();
const nonces = Array.from({ length: COUNT }, () => randomUUID());
gc();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < COUNT; i++) store.remember(`AKIDBENCH0001\n${nonces[i]!}`, TTL_MS, 1_765_000_000_000 + i);
gc();
gc();
const after = process.memoryUsage().heapUsed;
console.log(`${((after - before) / COUNT).toFixed(0)} bytes per nonce (${store.size} nonces)`);
