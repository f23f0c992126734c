import type { Finding } from "../policy/findings.js";
import { isObject } from "../policy/json-source.js";

/**
 * Which fixes `--fix` may apply on its own: those that can never widen access. Every rule with a fix is
 * classified here, by what the fix does to the set of requests a statement matches:
 *
 * - same meaning: the rewritten text matches exactly what the old one did (actions and condition keys match
 *   regardless of case, a repeated value or statement and an empty Condition add nothing);
 * - revives a dead entry: the old entry matched nothing (a misspelt action, region or resource type, a
 *   mistyped separator, an Allow resource in the wrong case), the corrected one matches. In an Allow's
 *   Action or Resource that grants more; in a Deny's Action or Resource (and an Allow's NotAction) it only
 *   denies or excludes more, so it narrows;
 * - anything else changes conditions, whose effect on access depends on the operator and the request: widening.
 *
 * A rule not listed (a new one) counts as widening until it is classified: fail closed.
 */
const SAME_MEANING: ReadonlySet<string> = new Set([
  "action-case",
  "condition-key-case",
  "condition-tag-key-case",
  "value-duplicate",
  "statement-duplicate",
  "element-empty",
]);

const REVIVES_DEAD_ENTRY: ReadonlySet<string> = new Set([
  "action-malformed",
  "action-unknown",
  "resource-case",
  "resource-region-unknown",
  "resource-type-unknown",
]);

/** The statement and element an Action, NotAction or Resource entry belongs to. */
const ENTRY = /^(\/Statement(?:\/\d+)?)\/(Action|NotAction|Resource)(?:\/\d+)?$/;

/** Elements where a live entry can only narrow access, by effect. */
const NARROWING: ReadonlyMap<unknown, ReadonlySet<string>> = new Map([
  ["Deny", new Set(["Action", "Resource"])],
  ["Allow", new Set(["NotAction"])],
]);

/** True when applying the finding's fix to `document` could let some request through that was denied before. */
export function fixWidens(finding: Finding, document: unknown): boolean {
  if (SAME_MEANING.has(finding.ruleId)) return false;
  if (!REVIVES_DEAD_ENTRY.has(finding.ruleId)) return true;
  const entry = ENTRY.exec(finding.path);
  if (!entry) return true;
  const list = isObject(document) ? document.Statement : undefined;
  const index = entry[1]!.split("/")[2];
  const statement: unknown = index === undefined ? list : Array.isArray(list) ? list[Number(index)] : undefined;
  const effect = isObject(statement) ? statement.Effect : undefined;
  return NARROWING.get(effect)?.has(entry[2]!) !== true;
}
