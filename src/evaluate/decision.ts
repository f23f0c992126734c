import type { Effect, Policy } from "../policy/ast.js";
import type { QualifiedOperatorName, SetQualifier } from "../conditions/operators.js";

export type DecisionKind = "Allow" | "ExplicitDeny" | "ImplicitDeny";

/** Where in RAM's flow a statement was evaluated (docs/semantics.md §4). */
export type Stage = "control" | "session" | "identity";

/** Account scope, or a resource group: an RG-scope attachment applies only to resources in that group. */
export type AttachmentScope = "account" | { readonly resourceGroupId: string };

export interface PolicyAttachment {
  readonly policy: Policy;
  readonly scope?: AttachmentScope;
}

export type PrincipalType = "RamUser" | "AssumedRoleUser" | "Root" | "ServiceLinkedRole";

export interface ControlPolicies {
  /** Levels from the member account up to the root folder; each level is the policies attached there. */
  readonly levels: readonly (readonly Policy[])[];
  /** `RAM` (default): not applied to the account owner; `All`: applied to the owner too. */
  readonly effectScope?: "RAM" | "All";
}

export interface EvaluationInput {
  readonly principalType?: PrincipalType;
  /** Identity policies of the principal and its groups (or of the role). */
  readonly identity: readonly PolicyAttachment[];
  /** The session policy of a role session, when one was given. */
  readonly session?: Policy;
  readonly control?: ControlPolicies;
}

export interface StatementRef {
  readonly policy: string;
  readonly statement: number;
  readonly sid?: string;
  readonly effect: Effect;
  readonly stage: Stage;
}

/** Machine-readable reasons for every mismatch in a trace. */
export type MismatchReason =
  | "ActionNotMatched"
  | "ActionExcludedByNotAction"
  | "ResourceNotMatched"
  | "ResourceCaseMismatch"
  | "ConditionKeyMissing"
  | "ConditionValueMismatch"
  | "ConditionValueIndeterminate"
  | "ConditionAmbiguousTagCase"
  | "ScopeNotApplicable";

export interface ValueTrace {
  readonly value: string;
  /** Whether some request value matched this policy value (for negated operators: was excluded by it). */
  readonly matched: boolean;
}

/** How one request value fares against a condition's operator on its own (negation included). */
export type RequestValueOutcome = "satisfies" | "fails" | "indeterminate";

export interface ConditionTrace {
  /** As written in the policy, qualifier included (`ForAllValues:StringEquals`). */
  readonly operator: QualifiedOperatorName;
  readonly qualifier?: SetQualifier;
  readonly key: string;
  readonly satisfied: boolean;
  /** The request's values for the key; `null` when the key is absent. */
  readonly requestValues: readonly string[] | null;
  /** Per request value, in order, whether it satisfies the operator; absent with the key. */
  readonly requestOutcomes?: readonly RequestValueOutcome[];
  readonly values: readonly ValueTrace[];
  readonly reason?: MismatchReason;
}

export interface StatementTrace extends StatementRef {
  readonly scope: AttachmentScope;
  readonly applies: boolean;
  readonly action: { readonly matched: boolean; readonly pattern?: string; readonly reason?: MismatchReason };
  readonly resource: { readonly matched: boolean; readonly pattern?: string; readonly reason?: MismatchReason };
  readonly conditions: readonly ConditionTrace[];
  /** Set when the statement was not considered at all (e.g. an RG-scope policy for another group). */
  readonly reason?: MismatchReason;
}

export interface Decision {
  readonly decision: DecisionKind;
  /** The statements that decided it: the matching Denies for ExplicitDeny, the matching Allows for Allow. */
  readonly determining: readonly StatementRef[];
  /** The stage that produced the final answer, or `owner` when the account owner was allowed without policies. */
  readonly decidedBy: Stage | "owner" | "error";
  /** Present when evaluation failed: the request is denied and this says why. */
  readonly error?: string;
  /** Every statement evaluated, when asked for with `{ trace: true }`. */
  readonly trace?: readonly StatementTrace[];
}
