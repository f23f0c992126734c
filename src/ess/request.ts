import { appendTo, foldKey, resourceContext, sharedValues, type RequestContext } from "../evaluate/context.js";
import type { EvaluationInput } from "../evaluate/decision.js";
import { groupArnPrefix, residual, type ListResidual } from "../residual/residual.js";
import { getOperation } from "./catalog.js";
import { mapReady, whenReady } from "./maybe.js";
import {
  essId,
  invalidParameter,
  items,
  missingParameter,
  regionId,
  ruleAri,
  scalarList,
  single,
  tagList,
  toParams,
  type GatheredParams,
  type Item,
  type Params,
  type RuleAri,
  type Sent,
} from "./params.js";
import {
  API_VERSIONS,
  EssRequestError,
  type ApiVersion,
  type AuthTarget,
  type AuthorizationPlan,
  type ChildKind,
  type ChildResolver,
  type EssOperation,
  type EssRequest,
  type GroupInfo,
  type GroupSource,
  type MaybePromise,
  type WireParams,
} from "./types.js";

export interface PlanDeps {
  readonly groups: GroupSource;
  readonly resolver: ChildResolver;
  /**
   * The principal's policies, when known: a list call over a whole region then carries its residual
   * (`plan.list`), and a group source with `findAllowed` decides it without reading every group.
   */
  readonly policies?: EvaluationInput;
}

/** What every target of one request shares. */
interface Scope {
  readonly action: string;
  /** Empty for operations on all resources sent without a region. */
  readonly region: string;
  readonly account: string;
  readonly requestTags: readonly (readonly [string, string])[];
  /** Global keys and request tags, folded once for every target. */
  readonly values: ReadonlyMap<string, readonly string[]>;
  /** The global keys as sent, for residuals. */
  readonly keys: readonly (readonly [string, string])[];
}

/** A child id from the request; for rule ARIs, `id` is the rule id and `ari` the parsed ARI. */
interface ChildRef {
  readonly kind: ChildKind;
  readonly origin: string;
  readonly id: string;
  readonly ari?: RuleAri;
}

/** The groups and children a group operation's request names, each validated. */
interface Locators {
  readonly groups: readonly Item[];
  readonly children: readonly ChildRef[];
}

/** Only these may be bound to no group; they are then authorized on `*` (docs/semantics.md §5). */
export const UNBINDABLE: ReadonlySet<ChildKind> = new Set<ChildKind>(["ScheduledTask", "AlarmTask"]);

/**
 * Condition keys that only the request's tag parameters and the resolved group may supply (docs/semantics.md §5),
 * recognised as the context will name them: folded to lower case.
 */
const isReservedKey = (key: string): boolean => {
  const folded = foldKey(key);
  return folded.startsWith("acs:requesttag/") || folded.startsWith("acs:resourcetag/") || folded === "acs:tagkeys";
};

/** An account id as requests and ARNs carry it. */
export const ACCOUNT_ID = /^[0-9]{1,32}$/;

/**
 * Turns an ESS API request into the resources to authorize, each with its full request context (docs/semantics.md §5).
 * Throws `EssRequestError` when the request is not an authorization question (unknown action or version,
 * missing or malformed parameters); errors of `deps` propagate.
 */
export async function buildPlan(req: EssRequest, deps: PlanDeps): Promise<AuthorizationPlan> {
  return planFor(req, deps);
}

/**
 * `buildPlan`, answered at once when every answer of `deps` is (in-memory sources): the middleware's path, which
 * then needs no promise per lookup. Throws where `buildPlan` rejects.
 */
export function planFor(req: EssRequest, deps: PlanDeps): MaybePromise<AuthorizationPlan> {
  if (!ACCOUNT_ID.test(req.account)) throw new TypeError(`EssRequest.account must be a numeric account id, got ${JSON.stringify(req.account)}`);
  const all = toParams(req.params);
  const op = operation(all);
  const { apiVersion, wire } = version(all, op);
  const params = gatherNames(all, op, apiVersion, wire);
  checkResourceType(all, wire);
  // UntagResources' TagKey(s).N name keys only: validated, but they carry no acs:RequestTag values.
  if (wire.tagKeys !== undefined) scalarList(listOf(params, wire.tagKeys), wire.tagKeys);
  // Create, tag and tag-filter parameters alike (docs/semantics.md §5); `Tags` JSON strings are not in `wire.tags`.
  const requestTags = wire.tags === undefined ? [] : tagList(listOf(params, wire.tags), wire.tags);
  const known = req.context === undefined ? undefined : checkedContexts.get(req.context);
  const keys = known?.keys ?? globalKeys(req.context);
  const scope: Scope = {
    action: op.ramAction,
    region: planRegion(all, req, op),
    account: req.account,
    requestTags,
    values: known && requestTags.length === 0 ? known.values : sharedValues(keys, requestTags),
    keys,
  };
  // Read once for both the region-list question and the targets (groups first: their errors come first).
  const named = op.resource === "group" ? { groups: groupRefs(params, wire), children: childRefs(params, wire) } : undefined;
  const list = regionList(op, named, scope, deps);
  return whenReady(targets(op, wire, named, scope, deps, list?.residual), (planned): AuthorizationPlan => {
    const plan = { operation: op.name, action: op.ramAction, apiVersion, regionId: scope.region, mode: op.mode, targets: planned };
    return list ? { ...plan, list } : plan;
  });
}

function operation(params: Params): EssOperation {
  const action = params.get("Action");
  if (action === undefined) throw missingParameter("Action");
  const op = getOperation(action);
  if (!op) throw unsupported(`${JSON.stringify(action)} is not an ESS operation`);
  return op;
}

function unsupported(why: string): EssRequestError {
  return new EssRequestError("UnsupportedOperation", `The specified action is not supported: ${why}.`, 400);
}

const isApiVersion = (v: string | undefined): v is ApiVersion => (API_VERSIONS as readonly (string | undefined)[]).includes(v);

/**
 * An operation the catalog does not list for the requested version is refused as UnsupportedOperation: whether
 * ESS accepts the 2022-only operations under 2014-08-28 is unknown (catalog §10), so we do not guess.
 */
function version(params: Params, op: EssOperation): { apiVersion: ApiVersion; wire: WireParams } {
  const apiVersion = params.get("Version");
  if (!isApiVersion(apiVersion)) throw new EssRequestError("NoSuchVersion", "The specified version does not exist.", 400);
  const wire = op.wire[apiVersion];
  if (!wire) throw unsupported(`${op.name} is not available in API version ${apiVersion}`);
  return { apiVersion, wire };
}

interface WireName {
  readonly base: string;
  readonly list: boolean;
}

function wireNames(wire: WireParams): WireName[] {
  const names: WireName[] = [{ base: "RegionId", list: false }];
  if (wire.groupId !== undefined) names.push({ base: wire.groupId, list: false });
  if (wire.groupIds !== undefined) names.push({ base: wire.groupIds, list: true });
  for (const c of wire.children) names.push({ base: c.param, list: c.list });
  if (wire.tags !== undefined) names.push({ base: wire.tags, list: true });
  if (wire.tagKeys !== undefined) names.push({ base: wire.tagKeys, list: true });
  if (wire.resourceType) names.push({ base: "ResourceType", list: false });
  return names;
}

/** Name bases (`Tags` of `Tags.1.Key`), apart by whether they are used as list items or alone. */
interface NameSets {
  readonly list: ReadonlySet<string>;
  readonly scalar: ReadonlySet<string>;
}

function nameSets(names: readonly WireName[], spell: (base: string) => string): NameSets {
  return {
    list: new Set(names.filter((n) => n.list).map((n) => spell(n.base))),
    scalar: new Set(names.filter((n) => !n.list).map((n) => spell(n.base))),
  };
}

interface NameRules {
  /** Exact names of this operation in the requested version. */
  readonly own: NameSets;
  /** Lower-cased names of this operation in any version. */
  readonly knownLower: NameSets;
  /** Scalar names that need no case folding to be let through: the operation's own and the signature's. */
  readonly plainScalars: ReadonlySet<string>;
}

/** Parameters of the RPC protocol itself, present on every request. */
const PROTOCOL_NAMES = ["Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Signature", "SecurityToken"];

/** The catalog is static, so each operation's name rules are worked out once per version. */
const nameRulesCache = new WeakMap<EssOperation, Map<ApiVersion, NameRules>>();

function nameRules(op: EssOperation, apiVersion: ApiVersion, wire: WireParams): NameRules {
  let byVersion = nameRulesCache.get(op);
  if (!byVersion) nameRulesCache.set(op, (byVersion = new Map()));
  let rules = byVersion.get(apiVersion);
  if (!rules) {
    const known = API_VERSIONS.flatMap((v) => {
      const other = op.wire[v];
      return other ? wireNames(other) : [];
    });
    const own = nameSets(wireNames(wire), (base) => base);
    const knownLower = nameSets(known, (base) => base.toLowerCase());
    const plainScalars = new Set([...own.scalar, ...PROTOCOL_NAMES.filter((name) => !knownLower.scalar.has(name.toLowerCase()))]);
    rules = { own, knownLower, plainScalars };
    byVersion.set(apiVersion, rules);
  }
  return rules;
}

/**
 * Gathers the items of the operation's own repeat lists by list name, in the one pass that refuses
 * authorization-relevant parameters spelled another way: in other case (`regionid`, `LifecycleHookId` for
 * RecordLifecycleActionHeartbeat's `lifecycleHookId`) or in the other version's form (`Tags.1.Key` in a
 * 2014-08-28 request). If ESS honoured such a name while we ignored it, a Deny on its tag or resource would not
 * fire; refusing it fails closed. (No catalog name has a dot of its own: `Tag.1.Key` is in list `Tag`.)
 */
function gatherNames(all: Params, op: EssOperation, apiVersion: ApiVersion, wire: WireParams): GatheredParams {
  const { own, knownLower, plainScalars } = nameRules(op, apiVersion, wire);
  const lists = new Map<string, [string, string][]>();
  // Over the names, reading a value only for list items: `for…of` over the entries makes an array per parameter.
  for (const name of all.keys()) {
    const dot = name.indexOf(".");
    if (dot < 0) {
      if (plainScalars.has(name) || !knownLower.scalar.has(name.toLowerCase())) continue;
    } else {
      const base = name.slice(0, dot);
      if (own.list.has(base)) {
        appendTo(lists, base, [name, all.get(name)!]);
        continue;
      }
      if (!knownLower.list.has(base.toLowerCase())) continue;
    }
    throw invalidParameter(name, `not a parameter of ${op.name} in version ${apiVersion} (names are case-sensitive and differ between versions)`);
  }
  return { all, lists };
}

function checkResourceType(params: Params, wire: WireParams): void {
  const type = wire.resourceType ? single(params, "ResourceType") : undefined;
  if (type && type.value.toLowerCase() !== "scalinggroup") {
    throw invalidParameter(type.origin, "ESS resources of this operation are scaling groups (scalinggroup)");
  }
}

/**
 * `RegionId`, else the endpoint's region. Every ARN needs one, even where the 2022-02-22 API has no RegionId
 * parameter; operations on `*` need one only where the API requires it.
 */
function planRegion(params: Params, req: EssRequest, op: EssOperation): string {
  const item = single(params, "RegionId") ?? (req.endpointRegion === undefined ? undefined : { origin: "endpointRegion", value: req.endpointRegion });
  if (item) return regionId(item);
  if (op.resource !== "all" || op.regionRequired) throw missingParameter("RegionId");
  return "";
}

/** Contexts made by `checkedContext`, with their keys checked and folded (`sharedValues` without request tags). */
const checkedContexts = new WeakMap<object, { readonly keys: readonly (readonly [string, string])[]; readonly values: ReadonlyMap<string, readonly string[]> }>();

/**
 * A frozen copy of `context` whose keys are checked and folded now, once for every plan that uses it: the
 * middleware's keys of one caller, place and second. A context that would be refused is left to each plan to refuse.
 */
export function checkedContext(context: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const copy = Object.freeze({ ...context });
  try {
    const keys = globalKeys(copy);
    checkedContexts.set(copy, { keys, values: sharedValues(keys, []) });
  } catch {
    // refused by the plan, in its turn
  }
  return copy;
}

function globalKeys(context: EssRequest["context"]): [string, string][] {
  const keys: [string, string][] = [];
  for (const [key, value] of Object.entries(context ?? {})) {
    if (typeof value !== "string") throw invalidParameter(key, "a condition-key value must be a string");
    if (isReservedKey(key)) throw invalidParameter(key, "tag condition keys come from the request's tag parameters and the scaling group only");
    keys.push([key, value]);
  }
  return keys;
}

function context(scope: Scope, resource: string, group?: GroupInfo): RequestContext {
  // acs:ResourceTag exists only when the request has a resource (docs/semantics.md §5).
  return resourceContext(scope.values, { action: scope.action, resource, resourceTags: group?.tags, resourceGroupId: group?.resourceGroupId });
}

const groupArn = (scope: Scope, id: string): string => groupArnPrefix(scope.region, scope.account) + id;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// Targets are built by assignment rather than conditional spreads: this runs for every target of every request.
function everything(scope: Scope, origin?: string): AuthTarget {
  const target: Mutable<AuthTarget> = { arn: "*", context: context(scope, "*") };
  if (origin !== undefined) target.origin = origin;
  return target;
}

/** `scalinggroup/*`: the resource of CreateScalingGroup, and the probe of a list call that finds no group. */
function anyGroup(scope: Scope): AuthTarget {
  const arn = groupArn(scope, "*");
  return { arn, context: context(scope, arn) };
}

/**
 * A group the source does not know is still evaluated on its ARN, without resource tags: RAM authorizes before
 * ESS looks the group up. `groupNotFound` lets the host answer InvalidScalingGroupId.NotFound after an Allow.
 */
function groupTarget(scope: Scope, id: string, group: GroupInfo | undefined, origin?: string): AuthTarget {
  const arn = groupArn(scope, id);
  const target: Mutable<AuthTarget> = { arn, scalingGroupId: id, context: context(scope, arn, group) };
  if (origin !== undefined) target.origin = origin;
  if (!group) target.groupNotFound = true;
  return target;
}

/** Never evaluated: the resource is unknown, so the ARN is empty and the target is ImplicitDeny. */
function unresolved(scope: Scope, ref: ChildRef, why: string): AuthTarget {
  return {
    arn: "",
    context: context(scope, ""),
    origin: ref.origin,
    unresolved: `${ref.kind} ${ref.id} (${ref.origin}): ${why}`,
  };
}

/** Whether the call lists the groups of the whole region: it names no group and no child. */
const listsRegion = (op: EssOperation, named: Locators): boolean =>
  op.withoutLocator === "regionGroups" && named.groups.length === 0 && named.children.length === 0;

function regionList(op: EssOperation, named: Locators | undefined, scope: Scope, deps: PlanDeps): AuthorizationPlan["list"] {
  if (!deps.policies || !named || !listsRegion(op, named)) return undefined;
  const knowns = { region: scope.region, account: scope.account, keys: scope.keys, requestTags: scope.requestTags };
  return { residual: residual(deps.policies, scope.action, knowns), requestTags: scope.requestTags };
}

/** `named` is set for group operations. */
function targets(op: EssOperation, wire: WireParams, named: Locators | undefined, scope: Scope, deps: PlanDeps, allowed?: ListResidual): MaybePromise<AuthTarget[]> {
  switch (op.resource) {
    case "all":
      return [everything(scope)];
    case "create":
      return [anyGroup(scope)];
    case "group":
      return groupTargets(op, wire, named!, scope, deps, allowed);
  }
}

function groupTargets(op: EssOperation, wire: WireParams, named: Locators, scope: Scope, deps: PlanDeps, allowed?: ListResidual): MaybePromise<AuthTarget[]> {
  const { groups, children } = named;
  if (groups.length === 0 && children.length === 0) {
    switch (op.withoutLocator) {
      case "unbound":
        return [everything(scope)];
      case "regionGroups":
        return regionTargets(op, scope, deps, allowed);
      default:
        throw missingParameter(...locatorNames(wire));
    }
  }
  // A list call is scoped by the groups it names, its child ids only filter inside them. Any other call needs
  // every resource it names allowed, e.g. ModifyScheduledTask both the task's current group and the new one.
  const located: readonly (Item | ChildRef)[] = op.mode === "filter" && groups.length > 0 ? groups : [...groups, ...children];
  // Every lookup is started before any is waited for.
  return mapReady(located, (ref) =>
    "kind" in ref
      ? childTarget(ref, scope, deps)
      : whenReady(deps.groups.getGroup(ref.value, scope.region), (group) => groupTarget(scope, ref.value, group, ref.origin)),
  );
}

const listOf = (params: GatheredParams, name: string): Sent => params.lists.get(name) ?? [];

function groupRefs(params: GatheredParams, wire: WireParams): Item[] {
  const named = [
    ...(wire.groupId === undefined ? [] : items(params, wire.groupId, false)),
    ...(wire.groupIds === undefined ? [] : items(params, wire.groupIds, true)),
  ];
  for (const item of named) essId(item);
  return named;
}

function childRefs(params: GatheredParams, wire: WireParams): ChildRef[] {
  return wire.children.flatMap((c) =>
    items(params, c.param, c.list).map((item): ChildRef => {
      if (!c.ari) return { kind: c.kind, origin: item.origin, id: essId(item) };
      const ari = ruleAri(item);
      return { kind: c.kind, origin: item.origin, id: ari.ruleId, ari };
    }),
  );
}

function locatorNames(wire: WireParams): string[] {
  return [
    ...(wire.groupId === undefined ? [] : [wire.groupId]),
    ...(wire.groupIds === undefined ? [] : [`${wire.groupIds}.N`]),
    ...wire.children.map((c) => (c.list ? `${c.param}.N` : c.param)),
  ];
}

function childTarget(ref: ChildRef, scope: Scope, deps: PlanDeps): MaybePromise<AuthTarget> {
  if (ref.ari && (ref.ari.regionId !== scope.region || ref.ari.account !== scope.account)) {
    return unresolved(scope, ref, `the ARI names region ${ref.ari.regionId} and account ${ref.ari.account}, not ${scope.region} and ${scope.account}`);
  }
  return whenReady(deps.resolver.resolve(ref.kind, ref.id, scope.region), (resolution) => {
    switch (resolution.kind) {
      case "group":
        return whenReady(deps.groups.getGroup(resolution.scalingGroupId, scope.region), (group) =>
          group
            ? groupTarget(scope, resolution.scalingGroupId, group, ref.origin)
            : unresolved(scope, ref, `resolved to scaling group ${resolution.scalingGroupId}, which is unknown`),
        );
      case "unbound":
        return UNBINDABLE.has(ref.kind) ? everything(scope, ref.origin) : unresolved(scope, ref, "reported unbound, but only scheduled and alarm tasks can be");
      case "notFound":
        return unresolved(scope, ref, `not found in region ${scope.region}`);
      default:
        // A host written in JavaScript may return anything: fail closed.
        return unresolved(scope, ref, "the resolver gave no usable answer");
    }
  });
}

/** Whether the group carries every tag filter of a list call (exact key and value), as ESS filters. */
export const carriesEvery = (group: GroupInfo, filters: readonly (readonly [string, string])[]): boolean =>
  filters.every(([key, value]) => group.tags.some(([k, v]) => k === key && v === value));

/**
 * A list call that names no resource is evaluated per group of the region (docs/semantics.md §5), narrowed by its tag
 * filters (exact key and value) since ESS returns only groups carrying them. Name and resource-group filters
 * are left to ESS: extra targets only add items the host filters out anyway. When no group remains, one probe
 * on `scalinggroup/*` without resource tags decides whether the caller may make the call at all.
 */
function regionTargets(op: EssOperation, scope: Scope, deps: PlanDeps, allowed?: ListResidual): MaybePromise<AuthTarget[]> {
  // Tasks bound to no group can be listed too; they are authorized on `*`.
  const unbound = op.unboundTasks ? [everything(scope)] : [];
  // One allowed group decides a list call: the store finds it, the engine decides it. Without one (a denial,
  // which needs every group's decision to explain itself), the call is decided group by group.
  const probe = allowed && deps.groups.findAllowed ? deps.groups.findAllowed(scope.region, allowed, scope.requestTags) : undefined;
  return whenReady(probe, (found) => {
    if (found?.group) return [groupTarget(scope, found.group.scalingGroupId, found.group), ...unbound];
    const listed = found?.candidates === false ? [] : deps.groups.listGroups(scope.region);
    return whenReady(listed, (groups) => {
      const result = groups.filter((g) => carriesEvery(g, scope.requestTags)).map((g) => groupTarget(scope, g.scalingGroupId, g));
      if (result.length === 0) result.push(anyGroup(scope));
      return [...result, ...unbound];
    });
  });
}
