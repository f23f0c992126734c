/**
 * The 21 condition operators RAM documents, and nothing else (contract §3).
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
