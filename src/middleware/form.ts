/**
 * `application/x-www-form-urlencoded` text (query strings, form bodies) into name → value, as WHATWG
 * `URLSearchParams` reads it (https://url.spec.whatwg.org/#urlencoded-parsing), refusing a name given twice.
 * It runs on every request: plain and validly percent-encoded UTF-8 pieces, nearly all of them, are decoded by
 * `decodeURIComponent`, which gives the same text faster; anything else (a stray `%`, bytes that are not UTF-8)
 * is left to `URLSearchParams` itself.
 */

/** The value of a hexadecimal digit's code, or -1 (NaN, past the end of the text, is not one). */
const hexValue = (code: number): number =>
  code >= 48 && code <= 57 ? code - 48 : code >= 65 && code <= 70 ? code - 55 : code >= 97 && code <= 102 ? code - 87 : -1;

/**
 * Undefined when the piece is not validly percent-encoded UTF-8: the whole text is then left to URLSearchParams.
 * Escapes of ASCII characters (a timestamp's `:`, a signature's `/`, `+` and `=`), nearly all there are, are
 * decoded here: `decodeURIComponent` is a call into the runtime that costs several times as much. A piece with an
 * escape of a byte past ASCII is left to it, which decodes UTF-8 sequences.
 */
function decodePiece(piece: string): string | undefined {
  let decoded = "";
  let plainFrom = 0;
  for (let i = 0; i < piece.length; i++) {
    const code = piece.charCodeAt(i);
    if (code === 0x2b) {
      decoded += `${piece.slice(plainFrom, i)} `;
      plainFrom = i + 1;
    } else if (code === 0x25) {
      const high = hexValue(piece.charCodeAt(i + 1));
      const low = hexValue(piece.charCodeAt(i + 2));
      if (high < 0 || low < 0) return undefined;
      const byte = high * 16 + low;
      if (byte >= 0x80) return decodeUtf8(piece);
      decoded += piece.slice(plainFrom, i) + String.fromCharCode(byte);
      plainFrom = i + 3;
      i += 2;
    }
  }
  return plainFrom === 0 ? piece : decoded + piece.slice(plainFrom);
}

function decodeUtf8(piece: string): string | undefined {
  try {
    return decodeURIComponent(piece.replaceAll("+", " "));
  } catch {
    return undefined;
  }
}

/**
 * Adds the pairs of well-formed text to `into`, straight from the text (no piece or pair is built); false as soon
 * as one piece needs the full algorithm, after taking back what it added. Only pairs with a `%` or `+` are looked
 * at for decoding: most are plain, and searching each of their pieces for both cost more than the rest of the parse.
 */
function addPlainPairs(text: string, into: Map<string, string>, onRepeat: (name: string) => never, spellings: ReadonlyMap<string, string> | undefined): boolean {
  const sizeBefore = into.size;
  // The next `=`, `%` and `+` at or after `start` (the text's length when there is none), each searched again only
  // once passed: linear however many pieces lack one.
  const next = (char: string, from: number): number => {
    const at = text.indexOf(char, from);
    return at < 0 ? text.length : at;
  };
  let eq = -1;
  let percent = -1;
  let plus = -1;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("&", start);
    if (end < 0) end = text.length;
    if (end > start) {
      if (eq < start) eq = next("=", start);
      if (percent < start) percent = next("%", start);
      if (plus < start) plus = next("+", start);
      const nameEnd = eq > end ? end : eq;
      let name: string | undefined = text.slice(start, nameEnd);
      let value: string | undefined = nameEnd === end ? "" : text.slice(nameEnd + 1, end);
      if (percent < end || plus < end) {
        name = decodePiece(name);
        value = decodePiece(value);
        if (name === undefined || value === undefined) {
          takeBack(into, sizeBefore);
          return false;
        }
      }
      name = spellings?.get(name) ?? name;
      if (into.has(name)) onRepeat(name);
      into.set(name, value);
    }
    start = end + 1;
  }
  return true;
}

/** Deletes the entries added after the first `size` (a Map keeps insertion order). */
function takeBack(map: Map<string, string>, size: number): void {
  let kept = 0;
  for (const name of [...map.keys()]) if (kept++ >= size) map.delete(name);
}

/**
 * Adds the pairs of `text` to `into`; calls `onRepeat` (which throws) for a name already there. A name found in
 * `spellings` is stored as its value there, the same text: a caller's own string, which later lookups with that
 * string then find by identity instead of comparing characters. URLSearchParams
 * reads text as UTF-8, where a lone surrogate becomes U+FFFD: made well-formed first to read the same. Its
 * constructor also drops a leading `?`, which the urlencoded parser itself does not: the `&` in front keeps it.
 */
export function parseFormInto(text: string, into: Map<string, string>, onRepeat: (name: string) => never, spellings?: ReadonlyMap<string, string>): void {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  // One fallback per text, not per piece: a body of a million bad escapes costs what URLSearchParams costs.
  if (addPlainPairs(wellFormed, into, onRepeat, spellings)) return;
  for (const [name, value] of new URLSearchParams(`&${wellFormed}`)) {
    if (into.has(name)) onRepeat(name);
    into.set(name, value);
  }
}
