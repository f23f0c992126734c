import type { Condition, Effect } from "../policy/ast.js";
import type { ConditionTrace, MismatchReason, RequestValueOutcome } from "../evaluate/decision.js";
import { OPERATORS, holdsWhenAbsent, operatorText, type Comparison, type OperatorSpec } from "./operators.js";
import { compileTextTest, compileValueTest, parseTyped, requestValueParser, type TextTest, type ValueTest } from "./values.js";
import { BoundedMemo, HashedMemo } from "../bounded-memo.js";
import { hashText, hashTexts, sameTexts } from "../match/list-key.js";

/**
 * One condition (`[Qualifier:]Operator: {Key: values}`) compiled for repeated evaluation (docs/semantics.md §3).
 *
 * Each request value of the key is tested on its own: values OR, negated operators NOR. The values of the key
 * then decide together:
 * - key absent (or no value): `ForAllValues:` holds, `ForAnyValue:` does not, an unqualified operator holds only
 *   when negated;
 * - `ForAnyValue:` holds when some value satisfies the operator, `ForAllValues:` when every value does, whatever
 *   the statement's effect;
 * - unqualified, several values (tags whose keys differ only in case, a tag key repeated in the tag parameters):
 *   an Allow needs every value, a Deny fires on any.
 *
 * Where the contract is silent we decide, failing closed:
 * - a request value that cannot be read as the operator's type makes the whole condition indeterminate, qualified
 *   or not, whatever the other values say: it never lets an Allow apply and always lets a Deny apply (so a
 *   `ForAnyValue:` Allow with one matching and one unreadable value does not apply);
 * - a negated operator under a qualifier ranges over the per-value NOR: `ForAllValues:StringNotEquals` holds when
 *   no request value equals any policy value, `ForAnyValue:StringNotEquals` when at least one equals none;
 * - the values of all case variants of a tag key (and of a key given twice) form the one set a qualifier ranges
 *   over: key names are case-insensitive, so they are values of one key.
 *
 * In ESS requests only tag keys carry several values: `acs:RequestTag/<key>` when the tag parameters repeat a key
 * or give it in several cases, `acs:ResourceTag/<key>` when the group has tags whose keys differ only in case.
 * The global keys have one value each (a host that passes one twice, or in two cases, makes it multi-valued).
 */
export interface CompiledCondition {
  readonly condition: Condition;
  /** Whether the condition holds in a statement of the given effect. */
  holds(values: ReadonlyMap<string, readonly string[]>, effect: Effect): boolean;
  trace(values: ReadonlyMap<string, readonly string[]>, effect: Effect): ConditionTrace;
}

type ValueOutcome = (raw: string, matchedValues?: boolean[]) => RequestValueOutcome;

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
    return any !== negated ? "satisfies" : "fails";
  };
}

const asText = (raw: string): string => raw;

/**
 * Compiled matchers are shared: identical conditions share theirs (`compiledCondition`), conditions listing the
 * same string value share its test (`textTest`). Policies repeat a handful of conditions across many statements,
 * and parsing their values (addresses, dates, globs) is most of compiling them. Which conditions occur is the
 * policies' choice, so each memo is bounded: when full it starts over.
 */
const MAX_SHARED = 4096;

/**
 * Per-value string tests shared by the conditions that list the value (`team-7*` in many StringLike lists of
 * different teams), by comparison.
 */
const sharedTextTests = new Map<Comparison, BoundedMemo<string, TextTest>>();

const textTestOf = (value: string, comparison: Comparison): TextTest => compileTextTest(comparison, value);

function textTest(comparison: Comparison, value: string): TextTest {
  let byValue = sharedTextTests.get(comparison);
  if (byValue === undefined) sharedTextTests.set(comparison, (byValue = new BoundedMemo(MAX_SHARED)));
  return byValue.get(value, textTestOf, comparison);
}

/** String values are tested as they are, sparing the parse result objects on the hot path. */
function stringOutcome(condition: Condition, spec: OperatorSpec): ValueOutcome {
  return outcomeOf(asText, condition.values.map((v) => textTest(spec.comparison, v)), spec.negated);
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

/**
 * The one rule that turns the outcomes of a key's request values into the condition's verdict: an indeterminate
 * value decides for the effect (fail closed); otherwise `ForAllValues:`, and an unqualified operator in an Allow,
 * need every value to satisfy the operator, `ForAnyValue:`, and an unqualified operator in a Deny, one.
 */
function verdict(qualifier: Condition["qualifier"], effect: Effect, indeterminate: boolean, some: boolean, every: boolean): boolean {
  if (indeterminate) return effect === "Deny";
  const needsEvery = qualifier === undefined ? effect === "Allow" : qualifier === "ForAllValues";
  return needsEvery ? every : some;
}

function outcomeFor(condition: Condition, spec: OperatorSpec): ValueOutcome {
  return spec.family === "string" ? stringOutcome(condition, spec) : typedOutcome(condition, spec);
}

/**
 * A class rather than an object of closures: its methods are shared, so each of the thousands of conditions a large
 * policy set compiles holds only its own fields, and calls to `holds` find one method.
 */
class ConditionMatcher implements CompiledCondition {
  private readonly outcome: ValueOutcome;
  private readonly whenAbsent: boolean;
  // Read once: parsed conditions come in many object shapes, and reading their fields per request is a slow lookup.
  private readonly keyLower: string;
  private readonly qualifier: Condition["qualifier"];

  constructor(readonly condition: Condition) {
    const spec = OPERATORS[condition.operator];
    this.outcome = outcomeFor(condition, spec);
    this.whenAbsent = holdsWhenAbsent(spec, condition.qualifier);
    this.keyLower = condition.keyLower;
    this.qualifier = condition.qualifier;
  }

  holds(values: ReadonlyMap<string, readonly string[]>, effect: Effect): boolean {
    const requestValues = values.get(this.keyLower);
    if (requestValues === undefined || requestValues.length === 0) return this.whenAbsent;
    // The hot path allocates nothing: one pass, and an indeterminate value decides at once.
    let some = false;
    let every = true;
    for (let i = 0; i < requestValues.length; i++) {
      const o = this.outcome(requestValues[i]!);
      if (o === "indeterminate") return verdict(this.qualifier, effect, true, some, every);
      if (o === "satisfies") some = true;
      else every = false;
    }
    return verdict(this.qualifier, effect, false, some, every);
  }

  trace(values: ReadonlyMap<string, readonly string[]>, effect: Effect): ConditionTrace {
    const { condition, whenAbsent, outcome } = this;
    const requestValues = values.get(condition.keyLower);
    const base = { operator: operatorText(condition), ...(condition.qualifier ? { qualifier: condition.qualifier } : {}), key: condition.key };
    if (requestValues === undefined || requestValues.length === 0) {
      return {
        ...base,
        satisfied: whenAbsent,
        requestValues: null,
        values: condition.values.map((value) => ({ value, matched: false })),
        ...(whenAbsent ? {} : { reason: "ConditionKeyMissing" as MismatchReason }),
      };
    }
    const matched = condition.values.map(() => false);
    const outcomes = requestValues.map((v) => outcome(v, matched));
    const indeterminate = outcomes.includes("indeterminate");
    const satisfied = verdict(condition.qualifier, effect, indeterminate, outcomes.includes("satisfies"), outcomes.every((o) => o === "satisfies"));
    let reason: MismatchReason | undefined;
    if (indeterminate) reason = "ConditionValueIndeterminate";
    else if (!satisfied) {
      const ambiguous = condition.qualifier === undefined && requestValues.length > 1 && outcomes.includes("satisfies");
      reason = ambiguous ? "ConditionAmbiguousTagCase" : "ConditionValueMismatch";
    }
    return {
      ...base,
      satisfied,
      requestValues: [...requestValues],
      requestOutcomes: outcomes,
      values: condition.values.map((value, i) => ({ value, matched: matched[i]! })),
      ...(reason ? { reason } : {}),
    };
  }
}

export const compileCondition = (condition: Condition): CompiledCondition => new ConditionMatcher(condition);

const conditionHash = ({ operator, qualifier, key, values }: Condition): number => hashTexts(hashText(hashText(hashText(0, qualifier ?? ""), operator), key), values);

/** Whether `a` compiles as `b` does: everything the memo's hash reads is equal. */
const compilesAlike = (a: Condition, b: Condition): boolean =>
  a.operator === b.operator && a.qualifier === b.qualifier && a.key === b.key && sameTexts(a.values, b.values);

/** Matchers of the conditions compiled so far, by operator, qualifier, key as written and values. */
const sharedConditions = new HashedMemo(MAX_SHARED, conditionHash, compilesAlike, compileCondition);

/**
 * `compileCondition`, sharing the matcher of an identical condition compiled before: it reads nothing of it but
 * what the memo compares. Statements repeating a condition then share one object, so a decision visiting many
 * of them reads one that stays in the CPU's caches; its `condition` is the first of them (whose pointer names
 * another statement), which nothing reading a compiled condition looks at.
 */
export const compiledCondition = (condition: Condition): CompiledCondition => sharedConditions.get(condition);
