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
   * must hold for every value, a Deny condition fires if it holds for any (contract §3).
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

/** Builds a RequestContext; keys are folded to lower case, tag keys prefixed with their condition-key family. */
export function makeContext(input: ContextInput): RequestContext {
  const values = new Map<string, string[]>();
  const add = (key: string, value: string): void => {
    const k = key.toLowerCase();
    const list = values.get(k);
    if (list) list.push(value);
    else values.set(k, [value]);
  };
  for (const [k, v] of pairs(input.keys)) add(k, v);
  for (const [k, v] of input.requestTags ?? []) add(`acs:RequestTag/${k}`, v);
  for (const [k, v] of input.resourceTags ?? []) add(`acs:ResourceTag/${k}`, v);
  const ctx: RequestContext = { action: input.action, resource: input.resource, values };
  return input.resourceGroupId === undefined ? ctx : { ...ctx, resourceGroupId: input.resourceGroupId };
}
