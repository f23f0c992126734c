/**
 * `application/x-www-form-urlencoded` text (query strings, form bodies) into name → value, as WHATWG
 * `URLSearchParams` reads it (https://url.spec.whatwg.org/#urlencoded-parsing), refusing a name given twice.
 * It runs on every request: plain and validly percent-encoded UTF-8 pieces, nearly all of them, are decoded by
 * `decodeURIComponent`, which gives the same text faster; anything else (a stray `%`, bytes that are not UTF-8)
 * is left to `URLSearchParams` itself.
 */

/**
 * A piece the scan found a `%` or `+` in, decoded; undefined when it is not validly percent-encoded UTF-8 (the whole
 * text is then left to URLSearchParams).
 */
function decodePiece(piece: string): string | undefined {
  try {
    return decodeURIComponent(piece.replaceAll("+", " "));
  } catch {
    return undefined;
  }
}

const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PERCENT = 0x25;
const PLUS = 0x2b;

/**
 * Adds the pairs of well-formed text to `into` in one scan of its characters, which finds the pieces and whether
 * each needs decoding at once (a search per `&`, `=`, `%` and `+` of each piece cost several times as much); false
 * as soon as one piece needs the full algorithm, after taking back what it added.
 */
function addPlainPairs(text: string, into: Map<string, string>, onRepeat: (name: string) => never): boolean {
  const sizeBefore = into.size;
  let start = 0;
  let eq = -1;
  let nameEscaped = false;
  let valueEscaped = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? AMPERSAND : text.charCodeAt(i);
    if (c === AMPERSAND) {
      if (i > start) {
        const nameEnd = eq < 0 ? i : eq;
        const rawName = text.slice(start, nameEnd);
        const name = nameEscaped ? decodePiece(rawName) : rawName;
        const rawValue = eq < 0 ? "" : text.slice(eq + 1, i);
        const value = valueEscaped ? decodePiece(rawValue) : rawValue;
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
    } else if (c === EQUALS) {
      if (eq < 0) eq = i;
    } else if (c === PERCENT || c === PLUS) {
      if (eq < 0) nameEscaped = true;
      else valueEscaped = true;
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
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  // One fallback per text, not per piece: a body of a million bad escapes costs what URLSearchParams costs.
  if (addPlainPairs(wellFormed, into, onRepeat)) return;
  for (const [name, value] of new URLSearchParams(`&${wellFormed}`)) {
    if (into.has(name)) onRepeat(name);
    into.set(name, value);
  }
}
