import type { DecisionKind, EvaluationInput, StatementRef } from "../evaluate/decision.js";
import { compile } from "../evaluate/compile.js";
import { evaluate } from "../evaluate/evaluate.js";
import type { AuthorizationPlan, AuthTarget, EssDecision, ResourceDecision } from "./types.js";

/** Each principal's policies are compiled once; a reload brings new input objects, which compile afresh. */
type Decider = Pick<ReturnType<typeof compile>, "evaluate">;
const compiledSets = new WeakMap<EvaluationInput, Decider>();

function policySetFor(input: EvaluationInput): Decider {
  let set = compiledSets.get(input);
  if (!set) {
    try {
      set = compile(input);
    } catch {
      // The interpreter never throws: whatever failed to compile denies there with its reason.
      set = { evaluate: (ctx, options) => evaluate(input, ctx, options) };
    }
    compiledSets.set(input, set);
  }
  return set;
}

function decideTarget(target: AuthTarget, set: Decider, trace: boolean): ResourceDecision {
  const about = {
    arn: target.arn,
    ...(target.scalingGroupId === undefined ? {} : { scalingGroupId: target.scalingGroupId }),
    ...(target.origin === undefined ? {} : { origin: target.origin }),
    ...(target.groupNotFound ? { groupNotFound: true } : {}),
  };
  // A child that resolves to no group is never allowed (contract §5), so it is not evaluated at all.
  if (target.unresolved !== undefined) return { ...about, decision: "ImplicitDeny", determining: [], decidedBy: "error", error: target.unresolved };
  const d = set.evaluate(target.context, { trace });
  return {
    ...about,
    decision: d.decision,
    determining: d.determining,
    decidedBy: d.decidedBy,
    ...(d.trace ? { trace: d.trace } : {}),
    ...(d.error === undefined ? {} : { error: d.error }),
  };
}

/**
 * `all` (mutating calls): any ExplicitDeny denies, Allow needs every resource allowed. `filter` (list calls):
 * one allowed resource is enough, the others are left out of the result. No resource at all is ImplicitDeny.
 */
function aggregate(mode: AuthorizationPlan["mode"], decisions: readonly DecisionKind[]): DecisionKind {
  if (decisions.length === 0) return "ImplicitDeny";
  const any = (kind: DecisionKind): boolean => decisions.includes(kind);
  if (mode === "filter" && any("Allow")) return "Allow";
  if (any("ExplicitDeny")) return "ExplicitDeny";
  return decisions.every((d) => d === "Allow") ? "Allow" : "ImplicitDeny";
}

const refKey = (r: StatementRef): string => JSON.stringify([r.stage, r.policy, r.statement]);

/** Decides every target of a plan and combines them. Never throws: evaluation fails closed per target. */
export function authorizePlan(plan: AuthorizationPlan, input: EvaluationInput, options: { trace?: boolean } = {}): EssDecision {
  const set = policySetFor(input);
  const resources = plan.targets.map((t) => decideTarget(t, set, options.trace ?? false));
  const decision = aggregate(plan.mode, resources.map((r) => r.decision));
  // The statements behind the answer: those of the resources whose own decision is the answer.
  const determining = new Map<string, StatementRef>();
  for (const r of resources) {
    if (r.decision !== decision) continue;
    for (const ref of r.determining) if (!determining.has(refKey(ref))) determining.set(refKey(ref), ref);
  }
  return {
    decision,
    action: plan.action,
    operation: plan.operation,
    mode: plan.mode,
    resources,
    determining: [...determining.values()],
  };
}
