/**
 * `application/x-www-form-urlencoded` text (query strings, form bodies) into name → value, as WHATWG
 * `URLSearchParams` reads it (https://url.spec.whatwg.org/#urlencoded-parsing), refusing a name given twice.
 * It runs on every request: plain and validly percent-encoded UTF-8 pieces, nearly all of them, are decoded by
 * `decodeURIComponent`, which gives the same text faster; anything else (a stray `%`, bytes that are not UTF-8)
 * is left to `URLSearchParams` itself.
 */

const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PERCENT = 0x25;
const PLUS = 0x2b;
const SURROGATES_FROM = 0xd800;
const SURROGATES_TO = 0xdfff;

/**
 * `text[start, end)` decoded; undefined when it is not validly percent-encoded UTF-8 (the whole text is then left
 * to URLSearchParams). `escaped` says whether it holds a `%` or `+` at all.
 */
function decodePiece(text: string, start: number, end: number, escaped: boolean): string | undefined {
  const piece = text.slice(start, end);
  if (!escaped) return piece;
  try {
    return decodeURIComponent(piece.replaceAll("+", " "));
  } catch {
    return undefined;
  }
}

/**
 * Adds the pairs of text to `into` in one pass over its characters (no piece or pair is built); false as soon as
 * one piece needs the full algorithm (an escape that is not UTF-8, any surrogate), after taking back what it added.
 */
function addPlainPairs(text: string, into: Map<string, string>, onRepeat: (name: string) => never): boolean {
  const sizeBefore = into.size;
  let start = 0;
  /** The first `=` of the current piece, -1 before it. */
  let eq = -1;
  let nameEscaped = false;
  let valueEscaped = false;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : AMPERSAND;
    if (code === AMPERSAND) {
      if (i > start) {
        const name = decodePiece(text, start, eq < 0 ? i : eq, nameEscaped);
        const value = eq < 0 ? "" : decodePiece(text, eq + 1, i, valueEscaped);
        if (name === undefined || value === undefined) {
          takeBack(into, sizeBefore);
          return false;
        }
        if (into.has(name)) onRepeat(name);
        into.set(name, value);
      }
      start = i + 1;
      eq = -1;
      nameEscaped = valueEscaped = false;
    } else if (code === EQUALS) {
      if (eq < 0) eq = i;
    } else if (code === PERCENT || code === PLUS) {
      if (eq < 0) nameEscaped = true;
      else valueEscaped = true;
    } else if (code >= SURROGATES_FROM && code <= SURROGATES_TO) {
      // Rare in a query: whether it is well-formed is left to the full algorithm.
      takeBack(into, sizeBefore);
      return false;
    }
  }
  return true;
}

/** Deletes the entries added after the first `size` (a Map keeps insertion order). */
function takeBack(map: Map<string, string>, size: number): void {
  let kept = 0;
  for (const name of [...map.keys()]) if (kept++ >= size) map.delete(name);
}

/**
 * Adds the pairs of `text` to `into`; calls `onRepeat` (which throws) for a name already there. URLSearchParams
 * reads text as UTF-8, where a lone surrogate becomes U+FFFD: made well-formed first to read the same. Its
 * constructor also drops a leading `?`, which the urlencoded parser itself does not: the `&` in front keeps it.
 */
export function parseFormInto(text: string, into: Map<string, string>, onRepeat: (name: string) => never): void {
  // One fallback per text, not per piece: a body of a million bad escapes costs what URLSearchParams costs.
  if (addPlainPairs(text, into, onRepeat)) return;
  for (const [name, value] of new URLSearchParams(`&${text.toWellFormed()}`)) {
    if (into.has(name)) onRepeat(name);
    into.set(name, value);
  }
}
