import type { ConditionTrace, Decision, RequestValueOutcome, StatementTrace } from "./decision.js";

/**
 * Human-readable explanations of a traced decision: what decided it, and for a denial, the Allow statement
 * that came closest and exactly what it lacked.
 */
const statementName = (t: Pick<StatementTrace, "policy" | "statement" | "sid">): string =>
  `${t.policy} statement ${t.statement}${t.sid !== undefined ? ` (Sid "${t.sid}")` : ""}`;

const quoted = (values: readonly string[]): string => values.map((v) => JSON.stringify(v)).join(", ");

/** The request values with the given outcome, quoted. */
const valuesThat = (c: ConditionTrace, outcome: RequestValueOutcome): string =>
  quoted((c.requestValues ?? []).filter((_, i) => c.requestOutcomes?.[i] === outcome));

/** Which request values satisfied the operator and which did not, for conditions over several values. */
function perValue(c: ConditionTrace): string {
  const parts = (["satisfies", "fails", "indeterminate"] as const).flatMap((o) => {
    const vs = valuesThat(c, o);
    return vs === "" ? [] : [`${vs} ${o === "indeterminate" ? "cannot be read as the operator's type" : o === "satisfies" ? "satisfies it" : "does not"}`];
  });
  return parts.join("; ");
}

/** A `ForAllValues:` condition that holds only because the request has no value for its key. */
export const holdsVacuously = (c: ConditionTrace): boolean => c.satisfied && c.qualifier === "ForAllValues" && c.requestValues === null;

/** One condition of a trace in words: why it failed, or for a qualified or vacuous one, how it held. */
export function describeCondition(c: ConditionTrace): string {
  const wanted = c.values.map((v) => JSON.stringify(v.value)).join(" or ");
  const got = c.requestValues === null ? "absent" : quoted(c.requestValues);
  const head = `${c.operator} ${c.key}`;
  if (holdsVacuously(c)) return `${head}: holds only because the request has no ${c.key} (ForAllValues: is true on an empty set)`;
  if (c.satisfied) return c.requestValues ? `${head}: holds (${perValue(c)})` : `${head}: holds`;
  switch (c.reason) {
    case "ConditionKeyMissing":
      return `${head}: the request has no ${c.key} (wanted ${wanted}${c.qualifier === "ForAnyValue" ? "; ForAnyValue: is false on an absent key" : ""})`;
    case "ConditionValueIndeterminate":
      return `${head}: request value ${valuesThat(c, "indeterminate")} cannot be read as the operator's type`;
    case "ConditionAmbiguousTagCase":
      return `${head}: the request carries case-variant tags (${got}); an Allow needs all of them to match ${wanted}`;
    default:
      if (c.qualifier === "ForAllValues") return `${head}: every request value must satisfy ${wanted}, but ${perValue(c)}`;
      if (c.qualifier === "ForAnyValue") return `${head}: no request value (${got}) satisfies ${wanted}`;
      return `${head}: request value ${got} does not satisfy ${wanted}`;
  }
}

/** What a statement lacked to apply, one line per missing part. */
export function shortfalls(t: StatementTrace): string[] {
  const out: string[] = [];
  if (t.reason === "ScopeNotApplicable") return ["attached at another resource group's scope"];
  if (!t.action.matched) {
    out.push(
      t.action.reason === "ActionExcludedByNotAction"
        ? `the action is excluded by NotAction "${t.action.pattern}"`
        : "the action matches none of its Action patterns",
    );
  }
  if (!t.resource.matched) {
    out.push(
      t.resource.reason === "ResourceCaseMismatch"
        ? `the resource matches "${t.resource.pattern}" only ignoring case (an Allow needs exact case)`
        : "the resource matches none of its Resource patterns",
    );
  }
  for (const c of t.conditions) if (!c.satisfied) out.push(describeCondition(c));
  return out;
}

/** Score of how close a non-applying Allow statement came: action, then resource, then conditions. */
function closeness(t: StatementTrace): number {
  if (t.reason === "ScopeNotApplicable") return -1;
  const met = t.conditions.filter((c) => c.satisfied).length;
  return (t.action.matched ? 1000 : 0) + (t.resource.matched ? 100 : 0) + (t.conditions.length === 0 ? 0 : (10 * met) / t.conditions.length);
}

export function closestAllow(trace: readonly StatementTrace[]): StatementTrace | undefined {
  let best: StatementTrace | undefined;
  for (const t of trace) {
    if (t.effect !== "Allow" || t.applies) continue;
    if (!best || closeness(t) > closeness(best)) best = t;
  }
  return best;
}

/** A multi-line, person-readable account of a traced decision. */
export function explainDecision(decision: Decision): string {
  const lines: string[] = [];
  const trace = decision.trace ?? [];
  lines.push(`Decision: ${decision.decision}${decision.decidedBy === "error" ? "" : ` (decided at the ${decision.decidedBy} stage)`}`);
  if (decision.error) lines.push(`  error: ${decision.error}`);
  for (const d of decision.determining) lines.push(`  because of ${d.effect} in ${statementName(d)}`);
  if (decision.decidedBy === "owner") lines.push("  the account owner is allowed without policies");
  lines.push("Statements:");
  for (const t of trace) {
    const mark = t.applies ? (t.effect === "Deny" ? "DENY " : "ALLOW") : "  -  ";
    const vacuous = t.conditions.filter(holdsVacuously).map(describeCondition);
    const why = t.applies ? ["applies", ...vacuous].join("; ") : shortfalls(t).join("; ");
    lines.push(`  ${mark} [${t.stage}] ${statementName(t)} (${t.effect}): ${why}`);
  }
  if (decision.decision !== "Allow") {
    const closest = closestAllow(trace);
    if (closest) {
      lines.push(`Closest Allow: ${statementName(closest)} — it lacked:`);
      for (const s of shortfalls(closest)) lines.push(`  - ${s}`);
    } else lines.push("No Allow statement comes close: nothing allows this action.");
  }
  return lines.join("\n");
}
