import { isDeepStrictEqual } from "node:util";
import fjp, { type Operation } from "fast-json-patch";
import { escapePointerToken, positionAt, type JsonSource } from "../policy/json-source.js";
import type { Span } from "../policy/findings.js";

/**
 * Fixes are RFC 6902 patches (the docs/semantics.md §7 form). Three shapes cover every fix the rules make: replace a
 * value, rename an object key (`move` within one object), remove an array element or object member.
 * A patch is applied with fast-json-patch; the file is then rewritten with a minimal text edit when one
 * reproduces the patched value exactly, so the rest of the file keeps its formatting.
 */
export const replaceValue = (path: string, value: unknown): Operation[] => [{ op: "replace", path, value }];

export function renameKey(path: string, newKey: string): Operation[] {
  return [{ op: "move", from: path, path: `${parentOf(path)}/${escapePointerToken(newKey)}` }];
}

export const removeAt = (path: string): Operation[] => [{ op: "remove", path }];

const parentOf = (pointer: string): string => pointer.slice(0, pointer.lastIndexOf("/"));

const lastToken = (pointer: string): string => pointer.slice(pointer.lastIndexOf("/") + 1).replace(/~1/g, "/").replace(/~0/g, "~");

/** A replacement of the text between two UTF-16 offsets. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function offsets(text: string): { start: (s: Span) => number; end: (s: Span) => number } {
  const starts = lineStarts(text);
  const at = (line: number, column: number): number => (starts[line - 1] ?? text.length) + column - 1;
  return { start: (s) => at(s.line, s.column), end: (s) => at(s.endLine, s.endColumn) };
}

/** The text edit that performs a one-operation patch, or undefined for shapes it does not cover. */
export function editForPatch(source: JsonSource, patch: readonly Operation[]): TextEdit | undefined {
  if (patch.length !== 1) return undefined;
  const op = patch[0]!;
  const { start, end } = offsets(source.text);
  const node = (pointer: string) => source.nodes.get(pointer);
  if (op.op === "replace") {
    const target = node(op.path);
    return target && { start: start(target.span), end: end(target.span), text: JSON.stringify(op.value) };
  }
  if (op.op === "move") {
    const from = node(op.from);
    if (!from?.keySpan || parentOf(op.from) !== parentOf(op.path)) return undefined;
    return { start: start(from.keySpan), end: end(from.keySpan), text: JSON.stringify(lastToken(op.path)) };
  }
  if (op.op === "remove") {
    const parent = parentOf(op.path);
    const container = fjp.getValueByPointer(source.value, parent) as unknown;
    const siblings = Array.isArray(container)
      ? container.map((_, i) => `${parent}/${i}`)
      : Object.keys(container as object).map((k) => `${parent}/${escapePointerToken(k)}`);
    const i = siblings.indexOf(op.path);
    if (i < 0) return undefined;
    const member = (k: number) => {
      const n = node(siblings[k]!)!;
      return { from: start(n.keySpan ?? n.span), to: end(n.span) };
    };
    // Take the separating comma with the member: the one after it, or for the last member the one before.
    if (i < siblings.length - 1) return { start: member(i).from, end: member(i + 1).from, text: "" };
    if (i > 0) return { start: member(i - 1).to, end: member(i).to, text: "" };
    return { start: member(i).from, end: member(i).to, text: "" };
  }
  return undefined;
}

export function applyEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

/** The region an edit replaces, as a 1-based end-exclusive span. */
export function editSpan(text: string, edit: TextEdit): Span {
  const s = positionAt(text, edit.start);
  const e = positionAt(text, edit.end);
  return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}

/** Serializes with the indentation the document already uses (2 spaces if it has none), keeping a final newline. */
export function serializeLike(value: unknown, original: string): string {
  const indent = /^[ \t]*[{[][^\n]*\n([ \t]+)\S/m.exec(original)?.[1] ?? "  ";
  return JSON.stringify(value, null, indent) + (original.endsWith("\n") ? "\n" : "");
}

/** The document with the patch applied; throws when it does not apply (fast-json-patch validates every operation). */
const patchedValue = (source: JsonSource, patch: readonly Operation[]): unknown =>
  fjp.applyPatch(fjp.deepClone(source.value), fjp.deepClone(patch) as Operation[], true, false).newDocument;

/** The minimal text edit for a patch, only when it yields exactly the patched value. */
export function verifiedEdit(source: JsonSource, patch: readonly Operation[], patched = patchedValue(source, patch)): TextEdit | undefined {
  const edit = editForPatch(source, patch);
  if (!edit) return undefined;
  try {
    return isDeepStrictEqual(JSON.parse(applyEdit(source.text, edit)), patched) ? edit : undefined;
  } catch {
    return undefined; // the edit broke the syntax
  }
}

/** Applies a patch and returns the new text: the minimal edit when it is exact, else a re-serialization. */
export function applyPatchToText(source: JsonSource, patch: readonly Operation[]): string {
  const patched = patchedValue(source, patch);
  const edit = verifiedEdit(source, patch, patched);
  return edit ? applyEdit(source.text, edit) : serializeLike(patched, source.text);
}

/** The pointers an operation reads or writes. */
const pointersOf = (op: Operation): string[] => ("from" in op ? [op.path, op.from] : [op.path]);

/** One pointer is the other or inside it. */
const nested = (a: string, b: string): boolean => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/** A set of patches applied together: the text, the combined patch (in the order applied) and which patches it took. */
export interface CombinedFix {
  readonly text: string;
  readonly patch: readonly Operation[];
  readonly taken: readonly number[];
}

/**
 * Applies together, in one rewrite of the text, every patch that has an exact minimal edit and whose pointers
 * and text region overlap none of the patches taken before it. The edits are applied from the end of the text
 * backwards, and the patch lists them in that order, so that removing an array element never shifts the index
 * another operation names. The result is checked against the combined patch; undefined when fewer than two
 * patches combine or the check fails.
 */
export function combinePatches(source: JsonSource, patches: readonly (readonly Operation[])[]): CombinedFix | undefined {
  const taken: { index: number; patch: readonly Operation[]; edit: TextEdit }[] = [];
  patches.forEach((patch, index) => {
    const pointers = patch.flatMap(pointersOf);
    if (taken.some((t) => t.patch.flatMap(pointersOf).some((p) => pointers.some((q) => nested(p, q))))) return;
    let edit: TextEdit | undefined;
    try {
      edit = verifiedEdit(source, patch);
    } catch {
      return; // the patch does not apply to this document
    }
    if (edit && taken.every((t) => edit.end <= t.edit.start || t.edit.end <= edit.start)) taken.push({ index, patch, edit });
  });
  if (taken.length < 2) return undefined;
  taken.sort((a, b) => b.edit.start - a.edit.start);
  const patch = taken.flatMap((t) => t.patch);
  const text = taken.reduce((current, t) => applyEdit(current, t.edit), source.text);
  try {
    if (!isDeepStrictEqual(JSON.parse(text), patchedValue(source, patch))) return undefined;
  } catch {
    return undefined; // the edits together broke the syntax, or the combined patch does not apply
  }
  return { text, patch, taken: taken.map((t) => t.index).sort((a, b) => a - b) };
}
