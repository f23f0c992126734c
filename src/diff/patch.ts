import type { Operation } from "fast-json-patch";
import type { Policy } from "../policy/ast.js";
import { isObject, pointerOf } from "../policy/json-source.js";

/**
 * The structural change between two policy versions as an RFC 6902 patch. One policy on each side: a patch of
 * the document itself; otherwise a patch of `{ <policy name>: document }`, so that added and removed policies
 * show as `add /<name>` and `remove /<name>`.
 */
export function structuralPatch(oldPolicies: readonly Policy[], newPolicies: readonly Policy[]): Operation[] {
  if (oldPolicies.length === 1 && newPolicies.length === 1) return jsonPatch(oldPolicies[0]!.document, newPolicies[0]!.document);
  const byName = (policies: readonly Policy[]): Record<string, unknown> => Object.fromEntries(policies.map((p) => [p.name, p.document]));
  return jsonPatch(byName(oldPolicies), byName(newPolicies));
}

type Json = unknown;

const pointerTo = (path: string, key: string | number): string => path + pointerOf(key);

/** JSON text with object keys sorted: equal for documents that differ only in key order. */
function canonical(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

/** A patch that turns `from` into `to`; applied in order, each operation's path refers to the document as it is then. */
export function jsonPatch(from: Json, to: Json, path = ""): Operation[] {
  if (canonical(from) === canonical(to)) return [];
  if (Array.isArray(from) && Array.isArray(to)) return arrayPatch(from, to, path);
  if (isObject(from) && isObject(to)) {
    return [
      ...Object.keys(from).filter((k) => !Object.hasOwn(to, k)).map((k): Operation => ({ op: "remove", path: pointerTo(path, k) })),
      ...Object.keys(to).flatMap((k): Operation[] => (Object.hasOwn(from, k) ? jsonPatch(from[k], to[k], pointerTo(path, k)) : [{ op: "add", path: pointerTo(path, k), value: to[k] }])),
    ];
  }
  return [{ op: "replace", path, value: to }];
}

/**
 * Elements both arrays keep (their longest common subsequence) stay put, so that removing a statement reads as
 * `remove /Statement/1` rather than as every later statement rewritten. Between kept elements, old and new
 * elements are paired in order and patched in place; the rest are removed or added. Stretches are handled from
 * the end, so the indexes of the earlier, still untouched ones stay valid.
 */
function arrayPatch(from: readonly Json[], to: readonly Json[], path: string): Operation[] {
  const a = from.map(canonical);
  const b = to.map(canonical);
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const stretches: { at: number; removed: Json[]; added: Json[] }[] = [];
  let [i, j] = [0, 0];
  let open: { at: number; removed: Json[]; added: Json[] } | undefined;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      open = undefined;
      i++;
      j++;
      continue;
    }
    if (!open) stretches.push((open = { at: i, removed: [], added: [] }));
    if (j >= b.length || (i < a.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) open.removed.push(from[i++]);
    else open.added.push(to[j++]);
  }
  return stretches.reverse().flatMap(({ at, removed, added }) => {
    const paired = Math.min(removed.length, added.length);
    const ops: Operation[] = [];
    for (let k = 0; k < paired; k++) ops.push(...jsonPatch(removed[k], added[k], pointerTo(path, at + k)));
    for (let k = removed.length - 1; k >= paired; k--) ops.push({ op: "remove", path: pointerTo(path, at + k) });
    for (let k = paired; k < added.length; k++) ops.push({ op: "add", path: pointerTo(path, at + k), value: added[k] });
    return ops;
  });
}
