import type { RequestContext } from "../evaluate/context.js";
import type { DecisionKind, StatementRef, StatementTrace } from "../evaluate/decision.js";

export type MaybePromise<T> = T | Promise<T>;

export type ApiVersion = "2014-08-28" | "2022-02-22";

/** Objects that have no ARN of their own and are authorized against their owning scaling group (contract §5). */
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
}

/** An ESS API request as it arrives: wire parameters of either API version, plus the global keys. */
export interface EssRequest {
  /** The resource owner's account id. */
  readonly account: string;
  /** API parameters exactly as sent on the wire (`Action`, `Version`, `RegionId`, `Tag.1.Key`, ...). */
  readonly params: Readonly<Record<string, string>>;
  /** Global condition keys (`acs:SourceIp`, `acs:SecureTransport`, `acs:CurrentTime`, ...). */
  readonly context?: Readonly<Record<string, string>>;
}

/** A request that is not an authorization question: answered with an ESS error (contract §6). */
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
}

export interface AuthorizationPlan {
  readonly operation: string;
  readonly action: string;
  readonly apiVersion: ApiVersion;
  readonly regionId: string;
  /** `all`: every target must be allowed (mutating calls). `filter`: allowed targets are returned (Describe/List). */
  readonly mode: "all" | "filter";
  readonly targets: readonly AuthTarget[];
}

export interface ResourceDecision {
  readonly arn: string;
  readonly scalingGroupId?: string;
  readonly decision: DecisionKind;
  readonly determining: readonly StatementRef[];
  readonly trace?: readonly StatementTrace[];
  readonly error?: string;
}

export interface EssDecision {
  readonly decision: DecisionKind;
  readonly action: string;
  readonly operation: string;
  readonly mode: "all" | "filter";
  readonly resources: readonly ResourceDecision[];
  readonly determining: readonly StatementRef[];
}
