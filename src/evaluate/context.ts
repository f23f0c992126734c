import { BoundedMemo } from "../bounded-memo.js";

/**
 * The request context the core decides on: one action, one resource, and the condition-key values.
 * Built by `ess/` from an ESS API request; the core knows nothing of HTTP, files or SQL.
 */
export interface RequestContext {
  /** `<service>:<ApiName>`, e.g. `ess:DeleteScalingGroup`. */
  readonly action: string;
  /** A resource ARN, or the literal `*` for operations on all resources. */
  readonly resource: string;
  /** The resource group of the target resource, for resource-group-scope attachments. */
  readonly resourceGroupId?: string;
  /**
   * Condition-key values keyed by the lower-cased key name (`acs:sourceip`, `acs:requesttag/team`).
   * A key with several values (tags whose keys differ only in case) is "ambiguous": an Allow condition
   * must hold for every value, a Deny condition fires if it holds for any (docs/semantics.md §3); under
   * `ForAnyValue:` / `ForAllValues:` the values are the set the qualifier ranges over.
   */
  readonly values: ReadonlyMap<string, readonly string[]>;
}

export interface ContextInput {
  action: string;
  resource: string;
  resourceGroupId?: string;
  /** Global keys by name (any case), e.g. `{"acs:SourceIp": "192.168.0.1"}`. */
  keys?: Iterable<readonly [string, string]> | Readonly<Record<string, string>>;
  /** Tags in the request's tag parameters, as [key, value] pairs (keys may repeat in other case). */
  requestTags?: Iterable<readonly [string, string]>;
  /** Current tags of the target resource; omit when the request has no resource. */
  resourceTags?: Iterable<readonly [string, string]>;
}

function pairs(
  source: Iterable<readonly [string, string]> | Readonly<Record<string, string>> | undefined,
): Iterable<readonly [string, string]> {
  if (source === undefined) return [];
  if (Symbol.iterator in source) return source as Iterable<readonly [string, string]>;
  return Object.entries(source);
}

type Values = Map<string, string[]>;

/** Folded names remembered per family: the same few keys and tag keys come with every request. */
const FOLDED_NAMES_LIMIT = 4096;

function folder(family: string): (name: string) => string {
  // Requests choose tag keys, so the memory is bounded.
  const folded = new BoundedMemo<string, string>(FOLDED_NAMES_LIMIT);
  const fold = (name: string): string => `${family}${name}`.toLowerCase();
  return (name) => folded.get(name, fold);
}

/** The context's name of a global key (`acs:SourceIp` → `acs:sourceip`): keys are case-insensitive. */
export const foldKey = folder("");
const requestTagKey = folder("acs:RequestTag/");
/** The context's name of a resource tag (`Team` → `acs:resourcetag/team`), as a tag store indexes it for residual SQL. */
export const resourceTagKey = folder("acs:ResourceTag/");

/** Adds `value` to the list under `key`, starting the list if there is none (values under one folded key accumulate). */
export function appendTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

/** A copy of the lists of `entries` (a Map, or its entries), whose lists grow apart from the original's. */
export function copyLists<K, V>(entries: Iterable<readonly [K, readonly V[]]>): Map<K, V[]> {
  const copy = new Map<K, V[]>();
  for (const [key, list] of entries) copy.set(key, list.slice());
  return copy;
}

/**
 * The values every resource of one request shares: global keys and request tags, folded once per request
 * rather than once per resource.
 */
export function sharedValues(
  keys: ContextInput["keys"],
  requestTags: ContextInput["requestTags"],
): ReadonlyMap<string, readonly string[]> {
  const values: Values = new Map();
  for (const [k, v] of pairs(keys)) appendTo(values, foldKey(k), v);
  for (const [k, v] of requestTags ?? []) appendTo(values, requestTagKey(k), v);
  return values;
}

/** A context over `sharedValues` and one resource's tags; the shared map is copied only when tags are added. */
export function resourceContext(
  shared: ReadonlyMap<string, readonly string[]>,
  input: Pick<ContextInput, "action" | "resource" | "resourceGroupId" | "resourceTags">,
): RequestContext {
  let values = shared;
  for (const [k, v] of input.resourceTags ?? []) {
    if (values === shared) values = new Map(shared);
    const key = resourceTagKey(k);
    const list = values.get(key);
    // Shared lists are never mutated: another resource of the request reads them too.
    (values as Map<string, readonly string[]>).set(key, list ? [...list, v] : [v]);
  }
  const { action, resource, resourceGroupId } = input;
  return resourceGroupId === undefined ? { action, resource, values } : { action, resource, values, resourceGroupId };
}

/** Builds a RequestContext; keys are folded to lower case, tag keys prefixed with their condition-key family. */
export function makeContext(input: ContextInput): RequestContext {
  return resourceContext(sharedValues(input.keys, input.requestTags), input);
}
