import type { Condition, Effect } from "../policy/ast.js";
import type { ConditionTrace, MismatchReason } from "../evaluate/decision.js";
import { OPERATORS, type OperatorSpec } from "./operators.js";
import { compileTextTest, compileValueTest, parseTyped, requestValueParser, type ValueTest } from "./values.js";

/**
 * One condition (`Operator: {Key: values}`) compiled for repeated evaluation.
 * Values OR (NOR for negated operators); a missing key makes positive operators false and negated ones true;
 * a request value of the wrong type is indeterminate; several request values for one key (case-variant tags)
 * must all satisfy an Allow, and any may fire a Deny (contract §3).
 */
export interface CompiledCondition {
  readonly condition: Condition;
  /** Whether the condition holds in a statement of the given effect. */
  holds(values: ReadonlyMap<string, readonly string[]>, effect: Effect): boolean;
  trace(values: ReadonlyMap<string, readonly string[]>, effect: Effect): ConditionTrace;
}

type Outcome = "true" | "false" | "indeterminate";

type ValueOutcome = (raw: string, matchedValues?: boolean[]) => Outcome;

/**
 * Per request value: does the operator (with negation) hold for it? `read` turns the raw value into what the
 * tests take, undefined when it does not parse; `matchedValues` collects the policy values that matched.
 */
function outcomeOf<V>(read: (raw: string) => V | undefined, tests: readonly ((value: V) => boolean)[], negated: boolean): ValueOutcome {
  return (raw, matchedValues) => {
    const value = read(raw);
    if (value === undefined) return "indeterminate";
    let any = false;
    for (let i = 0; i < tests.length; i++) {
      if (tests[i]!(value)) {
        any = true;
        if (!matchedValues) break;
        matchedValues[i] = true;
      }
    }
    return any !== negated ? "true" : "false";
  };
}

/** String values are tested as they are, sparing the parse result objects on the hot path. */
function stringOutcome(condition: Condition, spec: OperatorSpec): ValueOutcome {
  return outcomeOf((raw) => raw, condition.values.map((v) => compileTextTest(spec.comparison, v)), spec.negated);
}

function typedOutcome(condition: Condition, spec: OperatorSpec): ValueOutcome {
  const parseRequest = requestValueParser(spec.family);
  const tests: ValueTest[] = condition.values.map((v) => {
    const parsed = parseTyped(spec.family, v, "policy");
    // parsePolicy rejects unparseable policy values; a test that never matches keeps this total anyway.
    return parsed.ok ? compileValueTest(spec.comparison, parsed.value) : () => false;
  });
  return outcomeOf((raw) => {
    const parsed = parseRequest(raw);
    return parsed.ok ? parsed.value : undefined;
  }, tests, spec.negated);
}

export function compileCondition(condition: Condition): CompiledCondition {
  const spec = OPERATORS[condition.operator];
  const outcome = spec.family === "string" ? stringOutcome(condition, spec) : typedOutcome(condition, spec);

  const combine = (outcomes: Outcome[], effect: Effect): boolean =>
    effect === "Allow" ? outcomes.every((o) => o === "true") : outcomes.some((o) => o !== "false");

  return {
    condition,
    holds(values, effect) {
      const requestValues = values.get(condition.keyLower);
      if (requestValues === undefined || requestValues.length === 0) return spec.negated;
      if (requestValues.length === 1) {
        const o = outcome(requestValues[0]!);
        return effect === "Allow" ? o === "true" : o !== "false";
      }
      return combine(requestValues.map((v) => outcome(v)), effect);
    },
    trace(values, effect) {
      const requestValues = values.get(condition.keyLower);
      const base = { operator: condition.operator, key: condition.key };
      if (requestValues === undefined || requestValues.length === 0) {
        const satisfied = spec.negated;
        return {
          ...base,
          satisfied,
          requestValues: null,
          values: condition.values.map((value) => ({ value, matched: false })),
          ...(satisfied ? {} : { reason: "ConditionKeyMissing" as MismatchReason }),
        };
      }
      const matched = condition.values.map(() => false);
      const outcomes = requestValues.map((v) => outcome(v, matched));
      const satisfied = combine(outcomes, effect);
      let reason: MismatchReason | undefined;
      if (outcomes.includes("indeterminate")) reason = "ConditionValueIndeterminate";
      else if (!satisfied) reason = requestValues.length > 1 && outcomes.includes("true") ? "ConditionAmbiguousTagCase" : "ConditionValueMismatch";
      return {
        ...base,
        satisfied,
        requestValues: [...requestValues],
        values: condition.values.map((value, i) => ({ value, matched: matched[i]! })),
        ...(reason ? { reason } : {}),
      };
    },
  };
}
