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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// Built by assignment rather than conditional spreads: this runs for every target of every request.
function decideTarget(target: AuthTarget, set: Decider, trace: boolean): ResourceDecision {
  const decided = { arn: target.arn } as Mutable<ResourceDecision>;
  if (target.scalingGroupId !== undefined) decided.scalingGroupId = target.scalingGroupId;
  if (target.origin !== undefined) decided.origin = target.origin;
  if (target.groupNotFound) decided.groupNotFound = true;
  // A child that resolves to no group is never allowed (docs/semantics.md §5), so it is not evaluated at all.
  if (target.unresolved !== undefined) {
    decided.decision = "ImplicitDeny";
    decided.determining = [];
    decided.decidedBy = "error";
    decided.error = target.unresolved;
    return decided;
  }
  const d = set.evaluate(target.context, { trace });
  decided.decision = d.decision;
  decided.determining = d.determining;
  decided.decidedBy = d.decidedBy;
  if (d.trace) decided.trace = d.trace;
  if (d.error !== undefined) decided.error = d.error;
  return decided;
}

/**
 * `all` (mutating calls): any ExplicitDeny denies, Allow needs every resource allowed. `filter` (list calls):
 * one allowed resource is enough, the others are left out of the result. No resource at all is ImplicitDeny.
 */
function aggregate(mode: AuthorizationPlan["mode"], resources: readonly ResourceDecision[]): DecisionKind {
  if (resources.length === 0) return "ImplicitDeny";
  let allowed = 0;
  let explicitDeny = false;
  for (const r of resources) {
    if (r.decision === "Allow") allowed++;
    else if (r.decision === "ExplicitDeny") explicitDeny = true;
  }
  if (mode === "filter" && allowed > 0) return "Allow";
  if (explicitDeny) return "ExplicitDeny";
  return allowed === resources.length ? "Allow" : "ImplicitDeny";
}

// Stage and statement index hold no newline, so with the policy name last the key is unambiguous.
const refKey = (r: StatementRef): string => `${r.stage}\n${r.statement}\n${r.policy}`;

const sameRef = (a: StatementRef, b: StatementRef): boolean => a.statement === b.statement && a.stage === b.stage && a.policy === b.policy;

/** Up to this many statements, repeats are looked for pair by pair rather than through keys. */
const PAIRWISE_LIMIT = 16;

function hasRepeats(refs: readonly StatementRef[]): boolean {
  for (let i = 1; i < refs.length; i++) for (let j = 0; j < i; j++) if (sameRef(refs[i]!, refs[j]!)) return true;
  return false;
}

/** The statements behind the answer: those of the resources whose own decision is the answer, each once. */
function determiningOf(resources: readonly ResourceDecision[], decision: DecisionKind): readonly StatementRef[] {
  // One resource's list is kept when it has no repeats (a policy attached twice lists its statements twice).
  if (resources.length === 1 && resources[0]!.determining.length <= PAIRWISE_LIMIT) {
    const only = resources[0]!;
    if (only.decision !== decision) return [];
    if (!hasRepeats(only.determining)) return only.determining;
  }
  const determining = new Map<string, StatementRef>();
  for (const r of resources) {
    if (r.decision !== decision) continue;
    for (const ref of r.determining) {
      const key = refKey(ref);
      if (!determining.has(key)) determining.set(key, ref);
    }
  }
  return [...determining.values()];
}

/** Decides every target of a plan and combines them. Never throws: evaluation fails closed per target. */
export function authorizePlan(plan: AuthorizationPlan, input: EvaluationInput, options: { trace?: boolean } = {}): EssDecision {
  const set = policySetFor(input);
  const trace = options.trace ?? false;
  const resources: ResourceDecision[] = [];
  for (const target of plan.targets) resources.push(decideTarget(target, set, trace));
  const decision = aggregate(plan.mode, resources);
  return {
    decision,
    action: plan.action,
    operation: plan.operation,
    mode: plan.mode,
    resources,
    determining: determiningOf(resources, decision),
  };
}
