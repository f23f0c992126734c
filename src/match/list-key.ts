/** `hash` extended by one number, kept within 30 bits: a small integer, which a Map keys without boxing. */
export const mixHash = (hash: number, n: number): number => (Math.imul(hash, 31) + n) & 0x3fffffff;

/**
 * `hash` extended by `text` and its length (`mixHash`). For memos that compare their entries in full: no string is
 * built to look one up.
 */
export function hashText(hash: number, text: string): number {
  let h = mixHash(hash, text.length);
  for (let i = 0; i < text.length; i++) h = mixHash(h, text.charCodeAt(i));
  return h;
}

/** `hash` extended by the list's length and each of its strings (`hashText`). */
export function hashTexts(hash: number, texts: readonly string[]): number {
  let h = mixHash(hash, texts.length);
  for (let i = 0; i < texts.length; i++) h = hashText(h, texts[i]!);
  return h;
}

/** Whether two lists hold the same strings in the same order. */
export function sameTexts(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A text key for a list of strings, for memo maps: each string is prefixed by its length, so no content (NULs,
 * quotes, digits) can make two lists share a key. Cheaper than JSON.stringify, which scans for escapes.
 */
export function listKey(strings: readonly string[]): string {
  let key = "";
  // Indexed: compiling calls this once per statement, mostly unoptimized, where for-of allocates per element.
  for (let i = 0; i < strings.length; i++) key += `${strings[i]!.length}:${strings[i]!}`;
  return key;
}
