/**
 * Values built once per key, where callers choose the keys (policy text, request values, action names): at most
 * `limit` are kept, and when full the memo starts over, so no caller can grow it without bound and a miss costs one
 * build. `build` should be a function made once, not a closure per call: lookups sit on hot paths (what it needs
 * besides the key comes as `context`).
 */
export class BoundedMemo<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K, build: (key: K) => V): V;
  get<C>(key: K, build: (key: K, context: C) => V, context: C): V;
  get<C>(key: K, build: (key: K, context: C) => V, context?: C): V {
    let value = this.entries.get(key);
    if (value === undefined) {
      if (this.entries.size >= this.limit) this.entries.clear();
      this.entries.set(key, (value = build(key, context as C)));
    }
    return value;
  }
}
