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
