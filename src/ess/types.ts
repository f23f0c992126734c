import type { RequestContext } from "../evaluate/context.js";
import type { Decision, DecisionKind, StatementRef, StatementTrace } from "../evaluate/decision.js";
import type { ListResidual } from "../residual/residual.js";

export type MaybePromise<T> = T | Promise<T>;

export type ApiVersion = "2014-08-28" | "2022-02-22";

/** Objects that have no ARN of their own and are authorized against their owning scaling group (docs/semantics.md §5). */
export type ChildKind =
  | "ScalingConfiguration"
  | "ScalingRule"
  | "AlarmTask"
  | "LifecycleHook"
  | "ScheduledTask"
  | "ScalingActivity"
  | "Instance"
  | "DiagnoseReport";

export type ChildResolution =
  | { readonly kind: "group"; readonly scalingGroupId: string }
  /** Scheduled and alarm tasks may be bound to no group: they are authorized on `*`. */
  | { readonly kind: "unbound" }
  | { readonly kind: "notFound" };

/** Supplied by the host: maps a child id to its owning group. Must never guess; unknown → notFound. */
export interface ChildResolver {
  resolve(kind: ChildKind, id: string, regionId: string): MaybePromise<ChildResolution>;
}

export interface GroupInfo {
  readonly scalingGroupId: string;
  readonly regionId: string;
  /** Current tags as [key, value] pairs. */
  readonly tags: readonly (readonly [string, string])[];
  readonly resourceGroupId?: string;
}

/** Supplied by the host: the current state of scaling groups (their tags are `acs:ResourceTag/*`). */
export interface GroupSource {
  getGroup(scalingGroupId: string, regionId: string): MaybePromise<GroupInfo | undefined>;
  /** Every group of a region, for list calls without ids. */
  listGroups(regionId: string): MaybePromise<readonly GroupInfo[]>;
  /**
   * Optional: decides a list call in the store instead of reading every group. The oldest group of the region
   * that carries every tag of `carrying` (exact key and value) and that `allowed.matches`, and whether any group
   * carries those tags at all. Without an allowed group, the call is decided group by group as without it.
   */
  findAllowed?(regionId: string, allowed: ListResidual, carrying: readonly (readonly [string, string])[]): MaybePromise<AllowedGroupProbe>;
}

export interface AllowedGroupProbe {
  /** Some group of the region carries the tags. */
  readonly candidates: boolean;
  readonly group?: GroupInfo;
}

/** A list call over a whole region: the groups it may return are those of the region that carry `requestTags` and `residual` matches. */
export interface RegionList {
  readonly residual: ListResidual;
  /** Tag filters of the request: listed groups carry each (exact key and value). */
  readonly requestTags: readonly (readonly [string, string])[];
}

/** An ESS API request as it arrives: wire parameters of either API version, plus the global keys. */
export interface EssRequest {
  /** The resource owner's account id. */
  readonly account: string;
  /** API parameters exactly as sent on the wire (`Action`, `Version`, `RegionId`, `Tag.1.Key`, ...). */
  readonly params: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
  /** Global condition keys (`acs:SourceIp`, `acs:SecureTransport`, `acs:CurrentTime`, ...). */
  readonly context?: Readonly<Record<string, string>>;
  /**
   * Region of the endpoint that received the request (`ess.{region}.aliyuncs.com`). Used when the request has
   * no `RegionId`: several 2022-02-22 operations have no such parameter, yet their ARN needs a region.
   */
  readonly endpointRegion?: string;
}

/** A request that is not an authorization question: answered with an ESS error (docs/semantics.md §6). */
export class EssRequestError extends Error {
  constructor(
    readonly code: "UnsupportedOperation" | "NoSuchVersion" | "MissingParameter" | "InvalidParameter" | "InvalidScalingGroupId.NotFound",
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
    this.name = "EssRequestError";
  }
}

/** One resource to authorize, with its complete request context. */
export interface AuthTarget {
  /** The resource ARN (or `*`). */
  readonly arn: string;
  readonly scalingGroupId?: string;
  readonly context: RequestContext;
  /** Set when a child id could not be resolved: this target is ImplicitDeny without evaluation. */
  readonly unresolved?: string;
  /** The request parameter that named this resource (`ResourceIds.2`, `ScalingRuleAri`); absent when none did. */
  readonly origin?: string;
  /**
   * The named scaling group is not in the group source. The target is still evaluated on its ARN, without
   * resource tags (RAM authorizes before ESS looks the group up); after an Allow the service answers
   * `InvalidScalingGroupId.NotFound` (404).
   */
  readonly groupNotFound?: boolean;
}

export interface AuthorizationPlan {
  readonly operation: string;
  readonly action: string;
  readonly apiVersion: ApiVersion;
  readonly regionId: string;
  /** `all`: every target must be allowed (mutating calls). `filter`: allowed targets are returned (Describe/List). */
  readonly mode: "all" | "filter";
  readonly targets: readonly AuthTarget[];
  /** Set for a list call over a whole region when the plan was built with the principal's policies. */
  readonly list?: RegionList;
}

export interface ResourceDecision {
  readonly arn: string;
  readonly scalingGroupId?: string;
  readonly decision: DecisionKind;
  readonly determining: readonly StatementRef[];
  /** The stage that decided; `error` also for a child id that resolved to no group. */
  readonly decidedBy: Decision["decidedBy"];
  readonly trace?: readonly StatementTrace[];
  readonly error?: string;
  /** Copied from the target: see `AuthTarget.origin` and `AuthTarget.groupNotFound`. */
  readonly origin?: string;
  readonly groupNotFound?: boolean;
}

export interface EssDecision {
  readonly decision: DecisionKind;
  readonly action: string;
  readonly operation: string;
  readonly mode: "all" | "filter";
  readonly resources: readonly ResourceDecision[];
  readonly determining: readonly StatementRef[];
}

// ---- Operation catalog (generated rows: `catalog.data.ts`, from `scripts/gen-catalog.mjs`) ----

export const API_VERSIONS: readonly ApiVersion[] = ["2014-08-28", "2022-02-22"];

export type AccessLevel = "create" | "get" | "update" | "delete";

/**
 * What an operation is authorized against (docs/semantics.md §5): `group` the scaling-group ARN, `create`
 * `scalinggroup/*` (CreateScalingGroup), `all` the literal `*`.
 */
export type ResourceKind = "group" | "create" | "all";

/** A wire parameter that names a child object; the resolver maps it to its owning scaling group. */
export interface ChildParam {
  /** Wire name, without `.N` for lists (`ScalingRuleIds`, `lifecycleHookId`). */
  readonly param: string;
  readonly kind: ChildKind;
  /** A repeat list (`Name.N`). */
  readonly list: boolean;
  /** The value is a scaling-rule ARI `ari:acs:ess:{region}:{uid}:scalingrule/{asr-id}`, not a bare id. */
  readonly ari: boolean;
}

/** The parameters of one API version that matter for authorization. */
export interface WireParams {
  /** Single scaling-group id: `ScalingGroupId`, or `ResourceId` (ChangeResourceGroup). */
  readonly groupId?: string;
  /** Repeat list of scaling-group ids, without `.N`: `ScalingGroupIds`, `ResourceId`, ... */
  readonly groupIds?: string;
  readonly children: readonly ChildParam[];
  /** Repeat list of key/value tags, without `.N`: `Tag` (2014) or `Tags` (2022), fields `Key`/`Value`/`Propagate`. */
  readonly tags?: string;
  /** Repeat list of tag keys only (UntagResources): `TagKey` / `TagKeys`. Carries no `acs:RequestTag` values. */
  readonly tagKeys?: string;
  /** The operation takes `ResourceType`; its only valid value is `scalinggroup`. */
  readonly resourceType?: boolean;
}

/** What a request that names no scaling group and no child means. */
export type WithoutLocator =
  /** `MissingParameter`. */
  | "missingParameter"
  /** Every scaling group of the region is a target (list and aggregate reads). */
  | "regionGroups"
  /** A scheduled or alarm task not bound to a group: authorized on `*`. */
  | "unbound";

/** One row of the operation catalog. */
export interface EssOperation {
  /** The API name (`Action` on the wire). */
  readonly name: string;
  /** The RAM action it is authorized as (`ess:DescribeRegions` for VerifyUser/VerifyAuthentication). */
  readonly ramAction: string;
  readonly accessLevel: AccessLevel;
  readonly versions: Readonly<Record<ApiVersion, boolean>>;
  readonly resource: ResourceKind;
  /** `filter`: a Describe/List call returning per-group items, answered with the allowed ones only. */
  readonly mode: "all" | "filter";
  /** Group operations only. */
  readonly withoutLocator?: WithoutLocator;
  /** Touches scheduled or alarm tasks, which may be bound to no group (then authorized on `*`). */
  readonly unboundTasks: boolean;
  /** `RegionId` is required by the API (2022-02-22 metadata); group and create operations need it regardless. */
  readonly regionRequired: boolean;
  /** Wire parameters per available version. */
  readonly wire: Partial<Readonly<Record<ApiVersion, WireParams>>>;
  /** Whether a request can carry `acs:RequestTag/*` (has key/value tag parameters). */
  readonly carriesRequestTag: boolean;
  /** Whether a request can carry `acs:ResourceTag/*` (is authorized against a scaling group). */
  readonly carriesResourceTag: boolean;
  /** Provenance: `documented: <urls>` or `inferred: <basis>` (from the catalog). */
  readonly source: string;
  /** Decisions taken where the catalog is ambiguous, and why. */
  readonly note?: string;
}
