/**
 * `application/x-www-form-urlencoded` text (query strings, form bodies) into name → value, as WHATWG
 * `URLSearchParams` reads it (https://url.spec.whatwg.org/#urlencoded-parsing), refusing a name given twice.
 * It runs on every request: plain and validly percent-encoded UTF-8 pieces, nearly all of them, are decoded by
 * `decodeURIComponent`, which gives the same text faster; anything else (a stray `%`, bytes that are not UTF-8)
 * is left to `URLSearchParams` itself.
 */

/** Undefined when the piece is not validly percent-encoded UTF-8: the whole text is then left to URLSearchParams. */
function decodePiece(piece: string): string | undefined {
  if (!piece.includes("%") && !piece.includes("+")) return piece;
  try {
    return decodeURIComponent(piece.replaceAll("+", " "));
  } catch {
    return undefined;
  }
}

/** The pairs of well-formed text, or undefined as soon as one piece needs the full algorithm. */
function plainPairs(text: string): [string, string][] | undefined {
  const pairs: [string, string][] = [];
  // Walked with indexOf rather than split("&"): no array of pieces per request.
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("&", start);
    if (end < 0) end = text.length;
    if (end > start) {
      const piece = text.slice(start, end);
      const eq = piece.indexOf("=");
      const name = decodePiece(eq < 0 ? piece : piece.slice(0, eq));
      const value = eq < 0 ? "" : decodePiece(piece.slice(eq + 1));
      if (name === undefined || value === undefined) return undefined;
      pairs.push([name, value]);
    }
    start = end + 1;
  }
  return pairs;
}

/**
 * Adds the pairs of `text` to `into`; calls `onRepeat` (which throws) for a name already there. URLSearchParams
 * reads text as UTF-8, where a lone surrogate becomes U+FFFD: made well-formed first to read the same. Its
 * constructor also drops a leading `?`, which the urlencoded parser itself does not: the `&` in front keeps it.
 */
export function parseFormInto(text: string, into: Map<string, string>, onRepeat: (name: string) => never): void {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  // One fallback per text, not per piece: a body of a million bad escapes costs what URLSearchParams costs.
  for (const [name, value] of plainPairs(wellFormed) ?? new URLSearchParams(`&${wellFormed}`)) {
    if (into.has(name)) onRepeat(name);
    into.set(name, value);
  }
}
