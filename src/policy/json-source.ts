import { parse as parseMomoa } from "@humanwhocodes/momoa";
import { WHOLE_DOCUMENT, type Finding, type Span } from "./findings.js";

/**
 * JSON text → plain value + the source span of every node, keyed by JSON Pointer.
 * Strict RFC 8259 (momoa's `json` mode); duplicate object keys, invisible to JSON.parse, are reported.
 */
export interface SourceNode {
  /** Span of the value. */
  readonly span: Span;
  /** Span of the member name, for values that are object members. */
  readonly keySpan?: Span;
}

export interface JsonSource {
  readonly text: string;
  readonly value: unknown;
  readonly nodes: ReadonlyMap<string, SourceNode>;
}

export type JsonParseResult =
  | { readonly ok: true; readonly source: JsonSource; readonly findings: Finding[] }
  | { readonly ok: false; readonly findings: Finding[] };

/** Deeper than this is no policy; checked before parsing so that adversarial nesting cannot exhaust the stack. */
export const MAX_DEPTH = 64;
/** Far beyond every RAM size limit; larger texts are refused without being parsed. */
export const MAX_TEXT_LENGTH = 1_000_000;

export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointerOf(...tokens: (string | number)[]): string {
  return tokens.map((t) => "/" + escapePointerToken(t)).join("");
}

interface MomoaLoc {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

const spanOf = (loc: MomoaLoc): Span => ({
  line: loc.start.line,
  column: loc.start.column,
  endLine: loc.end.line,
  endColumn: loc.end.column,
});

function finding(ruleId: string, message: string, path: string, span: Span): Finding {
  return { ruleId, severity: "Error", message, path, ...span };
}

/** Line/column (1-based) of a UTF-16 offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Linear scan for the maximum nesting depth, skipping strings; returns the offset where MAX_DEPTH is exceeded. */
function tooDeepAt(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

type MomoaNode = {
  type: string;
  loc: MomoaLoc;
  value?: unknown;
  members?: { name: { value: string; loc: MomoaLoc }; value: MomoaNode }[];
  elements?: { value: MomoaNode }[];
};

/** A JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Defines an own enumerable property, so `__proto__` is an ordinary key as with JSON.parse. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function parseJsonSource(text: string): JsonParseResult {
  if (text.length > MAX_TEXT_LENGTH) {
    return {
      ok: false,
      findings: [
        finding("json-too-large", `document is ${text.length} characters; no policy can exceed ${MAX_TEXT_LENGTH}`, "", { ...WHOLE_DOCUMENT }),
      ],
    };
  }
  // A UTF-8 byte-order mark is not JSON, but editors add it: skip it without shifting columns by more than one.
  const body = text.charCodeAt(0) === 0xfeff ? " " + text.slice(1) : text;
  const deepAt = tooDeepAt(body);
  if (deepAt >= 0) {
    const pos = positionAt(body, deepAt);
    return {
      ok: false,
      findings: [
        finding("json-too-deep", `JSON nesting deeper than ${MAX_DEPTH} levels`, "", {
          ...pos,
          endLine: pos.line,
          endColumn: pos.column + 1,
        }),
      ],
    };
  }
  let root: MomoaNode;
  try {
    root = (parseMomoa(body, { mode: "json" }) as unknown as { body: MomoaNode }).body;
  } catch (e) {
    const err = e as { message?: string; line?: number; column?: number };
    const line = typeof err.line === "number" ? err.line : 1;
    const column = typeof err.column === "number" ? err.column : 1;
    const message = String(err.message ?? e).replace(/\s*\(\d+:\d+\)\s*$/, "");
    return {
      ok: false,
      findings: [finding("json-syntax", `invalid JSON: ${message}`, "", { line, column, endLine: line, endColumn: column + 1 })],
    };
  }
  const nodes = new Map<string, SourceNode>();
  const findings: Finding[] = [];
  const build = (node: MomoaNode, pointer: string, keySpan?: Span): unknown => {
    nodes.set(pointer, keySpan ? { span: spanOf(node.loc), keySpan } : { span: spanOf(node.loc) });
    switch (node.type) {
      case "Object": {
        const out: Record<string, unknown> = {};
        const seen = new Set<string>();
        for (const member of node.members ?? []) {
          const key = member.name.value;
          const childPointer = pointer + "/" + escapePointerToken(key);
          const nameSpan = spanOf(member.name.loc);
          if (seen.has(key)) {
            findings.push(
              finding("json-duplicate-key", `duplicate key "${key}": JSON.parse would silently keep only the last one`, childPointer, nameSpan),
            );
          }
          seen.add(key);
          setOwn(out, key, build(member.value, childPointer, nameSpan));
        }
        return out;
      }
      case "Array":
        return (node.elements ?? []).map((el, i) => build(el.value, `${pointer}/${i}`));
      case "Null":
        return null;
      default:
        return node.value;
    }
  };
  const value = build(root, "");
  return { ok: true, source: { text, value, nodes }, findings };
}

/** The span of the node at `pointer`, or of its nearest ancestor that has one. */
export function spanAt(source: JsonSource, pointer: string, preferKey = false): Span {
  let p = pointer;
  for (;;) {
    const node = source.nodes.get(p);
    if (node) return preferKey && node.keySpan ? node.keySpan : node.span;
    if (p === "") return { ...WHOLE_DOCUMENT };
    p = p.slice(0, p.lastIndexOf("/"));
  }
}
