import type { ConditionTrace, Decision, StatementTrace } from "./decision.js";

/**
 * Human-readable explanations of a traced decision: what decided it, and for a denial, the Allow statement
 * that came closest and exactly what it lacked.
 */
const statementName = (t: Pick<StatementTrace, "policy" | "statement" | "sid">): string =>
  `${t.policy} statement ${t.statement}${t.sid !== undefined ? ` (Sid "${t.sid}")` : ""}`;

function describeCondition(c: ConditionTrace): string {
  const wanted = c.values.map((v) => JSON.stringify(v.value)).join(" or ");
  const got = c.requestValues === null ? "absent" : c.requestValues.map((v) => JSON.stringify(v)).join(", ");
  switch (c.reason) {
    case "ConditionKeyMissing":
      return `${c.operator} ${c.key}: the request has no ${c.key} (wanted ${wanted})`;
    case "ConditionValueIndeterminate":
      return `${c.operator} ${c.key}: request value ${got} cannot be read as the operator's type`;
    case "ConditionAmbiguousTagCase":
      return `${c.operator} ${c.key}: the request carries case-variant tags (${got}); an Allow needs all of them to match ${wanted}`;
    default:
      return `${c.operator} ${c.key}: request value ${got} does not satisfy ${wanted}`;
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
    const why = t.applies ? "applies" : shortfalls(t).join("; ");
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
