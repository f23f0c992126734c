import type { Span } from "./findings.js";
import type { OperatorName, SetQualifier } from "../conditions/operators.js";

/** Which grammar a document follows and which size limit applies (docs/semantics.md §1). */
export type PolicyKind = "identity" | "session" | "control" | "trust";

export type Effect = "Allow" | "Deny";

/** A parsed, validated policy. Only `parsePolicy` makes these; a document with Errors never becomes one. */
export interface Policy {
  readonly name: string;
  readonly kind: PolicyKind;
  readonly statements: readonly Statement[];
  /** The plain JSON value of the document (duplicate keys resolved last-wins, as JSON.parse would). */
  readonly document: unknown;
}

export interface Statement {
  /** Index in the Statement array (0 for a lone statement object). */
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  /** `Action` matches the listed patterns; `NotAction` matches every action except them. */
  readonly actionKind: "Action" | "NotAction";
  readonly actions: readonly string[];
  /** Absent only in trust policies, where `Resource` is optional. */
  readonly resources?: readonly string[];
  readonly conditions: readonly Condition[];
  readonly pointer: string;
  readonly span: Span;
}

/** One `Operator: { Key: values }` pair; a Condition block is the AND of these. */
export interface Condition {
  /** One of the 21 operators, without its set qualifier. */
  readonly operator: OperatorName;
  /** `ForAnyValue` / `ForAllValues` when the operator is written with one (docs/semantics.md §3). */
  readonly qualifier?: SetQualifier;
  /** The key as written, e.g. `acs:ResourceTag/Team`. */
  readonly key: string;
  /** Lower-cased key: condition-key names match case-insensitively (docs/semantics.md §2). */
  readonly keyLower: string;
  /** The policy values as strings (unquoted numbers/booleans converted to their JSON text). */
  readonly values: readonly string[];
  readonly pointer: string;
}
