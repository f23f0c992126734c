import type { Family } from "../conditions/operators.js";
import type { EssAction } from "./ess-actions.js";

/**
 * The condition keys an ESS request carries (docs/semantics.md §5; ram-policy-language.md §5,
 * https://www.alibabacloud.com/help/en/ram/policy-elements). ESS defines no service-specific keys
 * (https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-ram).
 */
export interface GlobalKey {
  readonly name: string;
  /** The type of the request value, which decides the operator family that can compare it. */
  readonly family: Family;
}

export const GLOBAL_KEYS: readonly GlobalKey[] = [
  { name: "acs:SourceIp", family: "ip" },
  { name: "acs:SecureTransport", family: "bool" },
  { name: "acs:CurrentTime", family: "date" },
  { name: "acs:MFAPresent", family: "bool" },
  { name: "acs:AccessId", family: "string" },
  { name: "acs:PrincipalARN", family: "string" },
  { name: "acs:SourceVpc", family: "string" },
];

export const REQUEST_TAG_PREFIX = "acs:RequestTag/";
export const RESOURCE_TAG_PREFIX = "acs:ResourceTag/";
/** Not available for ESS (docs/semantics.md §5): never present. */
export const TAG_KEYS = "acs:TagKeys";

export type KeyClass =
  | { readonly kind: "global"; readonly key: GlobalKey }
  | { readonly kind: "requestTag" | "resourceTag"; readonly prefix: string; readonly tagKey: string }
  | { readonly kind: "tagKeys" }
  | { readonly kind: "unknown" };

const globalsByLower = new Map(GLOBAL_KEYS.map((k) => [k.name.toLowerCase(), k]));

export function classifyKey(key: string): KeyClass {
  const lower = key.toLowerCase();
  const global = globalsByLower.get(lower);
  if (global) return { kind: "global", key: global };
  for (const [prefix, kind] of [[REQUEST_TAG_PREFIX, "requestTag"], [RESOURCE_TAG_PREFIX, "resourceTag"]] as const) {
    if (lower.startsWith(prefix.toLowerCase()) && key.length > prefix.length) return { kind, prefix, tagKey: key.slice(prefix.length) };
  }
  if (lower === TAG_KEYS.toLowerCase()) return { kind: "tagKeys" };
  return { kind: "unknown" };
}

/** The key in canonical case (the tag key part is the user's and keeps its case); undefined for unknown keys. */
export function canonicalKey(key: string): string | undefined {
  const c = classifyKey(key);
  switch (c.kind) {
    case "global":
      return c.key.name;
    case "requestTag":
    case "resourceTag":
      return c.prefix + c.tagKey;
    case "tagKeys":
      return TAG_KEYS;
    case "unknown":
      return undefined;
  }
}

/**
 * Whether requests for an action can carry the key: `never` (per the catalog), `unbound` (absent when the
 * scheduled or alarm task is bound to no group), or `maybe` (present in some or all requests).
 * Unknown keys are `maybe`: the linter reports them, but does not build other conclusions on a guess.
 */
export type Presence = "never" | "unbound" | "maybe";

export function presence(c: KeyClass, action: EssAction): Presence {
  switch (c.kind) {
    case "requestTag":
      return action.requestTag ? "maybe" : "never";
    case "resourceTag":
      return action.resourceTag === "never" ? "never" : action.resourceTag === "absentWhenUnbound" ? "unbound" : "maybe";
    case "tagKeys":
      return "never";
    default:
      return "maybe";
  }
}
