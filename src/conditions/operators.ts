/**
 * The 21 condition operators RAM documents, and nothing else (docs/semantics.md §3); each may carry a set qualifier (below).
 * Source: https://www.alibabacloud.com/help/en/ram/conditional-operator
 */
export type Family = "string" | "numeric" | "date" | "bool" | "ip";

export type Comparison =
  | "equals"
  | "equalsIgnoreCase"
  | "like"
  | "lessThan"
  | "lessThanEquals"
  | "greaterThan"
  | "greaterThanEquals"
  | "inRange";

export interface OperatorSpec {
  readonly family: Family;
  readonly comparison: Comparison;
  /** Negated operators are NOR over their values; on a missing key they are true. */
  readonly negated: boolean;
}

const spec = (family: Family, comparison: Comparison, negated = false): OperatorSpec => ({
  family,
  comparison,
  negated,
});

export const OPERATORS = {
  StringEquals: spec("string", "equals"),
  StringNotEquals: spec("string", "equals", true),
  StringEqualsIgnoreCase: spec("string", "equalsIgnoreCase"),
  StringNotEqualsIgnoreCase: spec("string", "equalsIgnoreCase", true),
  StringLike: spec("string", "like"),
  StringNotLike: spec("string", "like", true),
  NumericEquals: spec("numeric", "equals"),
  NumericNotEquals: spec("numeric", "equals", true),
  NumericLessThan: spec("numeric", "lessThan"),
  NumericLessThanEquals: spec("numeric", "lessThanEquals"),
  NumericGreaterThan: spec("numeric", "greaterThan"),
  NumericGreaterThanEquals: spec("numeric", "greaterThanEquals"),
  DateEquals: spec("date", "equals"),
  DateNotEquals: spec("date", "equals", true),
  DateLessThan: spec("date", "lessThan"),
  DateLessThanEquals: spec("date", "lessThanEquals"),
  DateGreaterThan: spec("date", "greaterThan"),
  DateGreaterThanEquals: spec("date", "greaterThanEquals"),
  Bool: spec("bool", "equals"),
  IpAddress: spec("ip", "inRange"),
  NotIpAddress: spec("ip", "inRange", true),
} as const satisfies Record<string, OperatorSpec>;

export type OperatorName = keyof typeof OPERATORS;

export const OPERATOR_NAMES: readonly OperatorName[] = Object.keys(OPERATORS) as OperatorName[];

export function isOperatorName(name: string): name is OperatorName {
  return Object.prototype.hasOwnProperty.call(OPERATORS, name);
}

/**
 * Set qualifiers (docs/semantics.md §3): `ForAnyValue:Op` holds when at least one of the request's values of the key
 * satisfies Op (false when the key is absent); `ForAllValues:Op` when every value does (true when the key is
 * absent or has no value).
 */
export const SET_QUALIFIERS = ["ForAnyValue", "ForAllValues"] as const;

export type SetQualifier = (typeof SET_QUALIFIERS)[number];

/** An operator as a policy writes it: one of the 21, optionally behind a set qualifier. */
export type QualifiedOperatorName = OperatorName | `${SetQualifier}:${OperatorName}`;

/** Every operator name a policy may use: the 21 and their 42 qualified forms. */
export const QUALIFIED_OPERATOR_NAMES: readonly QualifiedOperatorName[] = [
  ...OPERATOR_NAMES,
  ...SET_QUALIFIERS.flatMap((q) => OPERATOR_NAMES.map((op): QualifiedOperatorName => `${q}:${op}`)),
];

export interface ParsedOperator {
  readonly operator: OperatorName;
  readonly qualifier?: SetQualifier;
}

/** Splits `ForAllValues:StringEquals` into qualifier and operator; undefined for anything RAM does not have. */
export function parseOperator(name: string): ParsedOperator | undefined {
  const colon = name.indexOf(":");
  if (colon < 0) return isOperatorName(name) ? { operator: name } : undefined;
  const qualifier = name.slice(0, colon);
  const operator = name.slice(colon + 1);
  return (SET_QUALIFIERS as readonly string[]).includes(qualifier) && isOperatorName(operator)
    ? { operator, qualifier: qualifier as SetQualifier }
    : undefined;
}

/** The operator as written in the policy. */
export const operatorText = (c: ParsedOperator): QualifiedOperatorName => (c.qualifier ? `${c.qualifier}:${c.operator}` : c.operator);

/**
 * Whether a condition holds when the request has no value for its key: `ForAllValues:` yes (vacuously),
 * `ForAnyValue:` no, an unqualified operator only when it is negated (docs/semantics.md §3).
 */
export function holdsWhenAbsent(spec: OperatorSpec, qualifier: SetQualifier | undefined): boolean {
  return qualifier === undefined ? spec.negated : qualifier === "ForAllValues";
}
