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

/** Values sharing one hash kept at most: more are built unshared, so that colliding inputs cost no long search. */
const MAX_SHARING_A_HASH = 8;

/**
 * Values shared by the inputs that build them alike, found by a hash of the input and compared in full (`alike`):
 * a lookup builds no key string, where one per statement or condition was most of the garbage of compiling.
 */
export class HashedMemo<I, V> {
  private readonly byHash: BoundedMemo<number, { readonly input: I; readonly value: V }[]>;

  constructor(
    limit: number,
    private readonly hash: (input: I) => number,
    private readonly alike: (a: I, b: I) => boolean,
    private readonly build: (input: I) => V,
  ) {
    this.byHash = new BoundedMemo(limit);
  }

  get(input: I): V {
    const entries = this.byHash.get(this.hash(input), newEntries);
    for (let i = 0; i < entries.length; i++) if (this.alike(entries[i]!.input, input)) return entries[i]!.value;
    const value = this.build(input);
    if (entries.length < MAX_SHARING_A_HASH) entries.push({ input, value });
    return value;
  }
}

const newEntries = <T>(): T[] => [];
