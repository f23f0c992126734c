/**
 * A text key for a list of strings, for memo maps: each string is prefixed by its length, so no content (NULs,
 * quotes, digits) can make two lists share a key. Cheaper than JSON.stringify, which scans for escapes.
 */
export function listKey(strings: readonly string[]): string {
  let key = "";
  for (const s of strings) key += `${s.length}:${s}`;
  return key;
}
