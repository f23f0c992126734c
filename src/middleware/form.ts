/**
 * `application/x-www-form-urlencoded` text (query strings, form bodies) into name → value, as WHATWG
 * `URLSearchParams` reads it (https://url.spec.whatwg.org/#urlencoded-parsing), refusing a name given twice.
 * It runs on every request: plain and validly percent-encoded UTF-8 pieces, nearly all of them, are decoded by
 * `decodeURIComponent`, which gives the same text faster; anything else (a stray `%`, bytes that are not UTF-8)
 * is left to `URLSearchParams` itself.
 */

function decodePiece(piece: string): string {
  if (!piece.includes("%") && !piece.includes("+")) return piece;
  try {
    return decodeURIComponent(piece.replaceAll("+", " "));
  } catch {
    return [...new URLSearchParams(`=${piece}`)][0]![1];
  }
}

/**
 * Adds the pairs of `text` to `into`; calls `onRepeat` (which throws) for a name already there. URLSearchParams
 * reads text as UTF-8, where a lone surrogate becomes U+FFFD: made well-formed first to read the same.
 */
export function parseFormInto(text: string, into: Map<string, string>, onRepeat: (name: string) => never): void {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  // Walked with indexOf rather than split("&"): no array of pieces per request.
  for (let start = 0; start < wellFormed.length; ) {
    let end = wellFormed.indexOf("&", start);
    if (end < 0) end = wellFormed.length;
    if (end > start) {
      const piece = wellFormed.slice(start, end);
      const eq = piece.indexOf("=");
      const name = decodePiece(eq < 0 ? piece : piece.slice(0, eq));
      if (into.has(name)) onRepeat(name);
      into.set(name, eq < 0 ? "" : decodePiece(piece.slice(eq + 1)));
    }
    start = end + 1;
  }
}
