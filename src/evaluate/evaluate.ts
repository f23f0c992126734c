import type { Effect, Policy, Statement } from "../policy/ast.js";
import { compiledCondition, type CompiledCondition } from "../conditions/evaluate.js";
import { HashedMemo } from "../bounded-memo.js";
import { hashText, hashTexts, sameTexts } from "../match/list-key.js";
import { compileTarget, type CompiledTarget } from "../match/statement.js";
import { appendTo, type RequestContext } from "./context.js";
import type {
  AttachmentScope,
  Decision,
  EvaluationInput,
  Stage,
  StatementRef,
  StatementTrace,
} from "./decision.js";

export interface CompiledStatement {
  readonly target: CompiledTarget;
  readonly conditions: readonly CompiledCondition[];
}

/** Statements are immutable, so their compiled matchers are cached beside them. */
const compiledStatements = new WeakMap<Statement, CompiledStatement>();

// A matcher reads the effect only for its case rule, and reports the patterns as written.
function targetHash({ actionKind, effect, actions, resources }: Statement): number {
  const hash = hashTexts(hashText(effect === "Deny" ? 1 : 0, actionKind), actions);
  return resources === undefined ? hash : hashTexts(hash, resources);
}

/** Whether two statements compile to one target: everything `targetHash` reads is equal. */
const sameTarget = (a: Statement, b: Statement): boolean =>
  a.actionKind === b.actionKind &&
  (a.effect === "Deny") === (b.effect === "Deny") &&
  sameTexts(a.actions, b.actions) &&
  (a.resources === undefined ? b.resources === undefined : b.resources !== undefined && sameTexts(a.resources, b.resources));

/**
 * Action and resource matchers shared by statements that name the same actions and resources with the same
 * effect: policies repeat a handful of Action and Resource elements across many statements. Which ones occur is
 * the policies' choice, so the memory is bounded: when full it starts over.
 */
const sharedTargets = new HashedMemo(4096, targetHash, sameTarget, compileTarget);

const targetOf = (statement: Statement): CompiledTarget => sharedTargets.get(statement);

/**
 * The action, resource and condition matchers of a statement, from the shared memos: for a caller that keeps them
 * itself (`compile` holds them in its indexes), sparing the per-statement cache, whose entries the collector
 * must trace.
 */
export const statementMatchers = (statement: Statement): CompiledStatement => ({ target: targetOf(statement), conditions: statement.conditions.map(compiledCondition) });

/** The action, resource and condition matchers of a statement, compiled once. */
export function compiledStatement(statement: Statement): CompiledStatement {
  let c = compiledStatements.get(statement);
  if (!c) compiledStatements.set(statement, (c = statementMatchers(statement)));
  return c;
}

interface Request {
  readonly ctx: RequestContext;
  readonly actionLower: string;
  readonly resourceLower: string;
}

/** Whether a statement whose action matches applies: its resource matches and every condition holds. */
export function appliesToResource(c: CompiledStatement, effect: Effect, ctx: RequestContext, resourceLower: string): boolean {
  if (!c.target.matchResource(ctx.resource, resourceLower)) return false;
  for (const cond of c.conditions) if (!cond.holds(ctx.values, effect)) return false;
  return true;
}

function applies(statement: Statement, req: Request): boolean {
  const c = compiledStatement(statement);
  return c.target.matchAction(req.actionLower) && appliesToResource(c, statement.effect, req.ctx, req.resourceLower);
}

function traceStatement(policy: Policy, statement: Statement, req: Request, stage: Stage, scope: AttachmentScope): StatementTrace {
  const c = compiledStatement(statement);
  const action = c.target.explainAction(req.actionLower);
  const resource = c.target.explainResource(req.ctx.resource, req.resourceLower);
  const conditions = c.conditions.map((cond) => cond.trace(req.ctx.values, statement.effect));
  return {
    ...ref(policy, statement, stage),
    scope,
    applies: action.matched && resource.matched && conditions.every((t) => t.satisfied),
    action,
    resource,
    conditions,
  };
}

export function ref(policy: Policy, statement: Statement, stage: Stage): StatementRef {
  // Two literals, not a spread of an optional part: compiling builds one per statement.
  const { index, effect, sid } = statement;
  return sid === undefined ? { policy: policy.name, statement: index, effect, stage } : { policy: policy.name, statement: index, effect, stage, sid };
}

/** RAM's "minimum unit" evaluation of one set of policies: any matching Deny, else any matching Allow. */
function basic(
  policies: readonly Policy[],
  req: Request,
  stage: Stage,
  scope: AttachmentScope,
  trace: StatementTrace[] | undefined,
): Decision {
  const denies: StatementRef[] = [];
  const allows: StatementRef[] = [];
  for (const policy of policies) {
    for (const statement of policy.statements) {
      const hit = trace ? pushTrace(trace, traceStatement(policy, statement, req, stage, scope)) : applies(statement, req);
      if (hit) (statement.effect === "Deny" ? denies : allows).push(ref(policy, statement, stage));
    }
  }
  if (denies.length > 0) return { decision: "ExplicitDeny", determining: denies, decidedBy: stage };
  if (allows.length > 0) return { decision: "Allow", determining: allows, decidedBy: stage };
  return { decision: "ImplicitDeny", determining: [], decidedBy: stage };
}

function pushTrace(trace: StatementTrace[], t: StatementTrace): boolean {
  trace.push(t);
  return t.applies;
}

function skipped(trace: StatementTrace[], policy: Policy, scope: AttachmentScope): void {
  for (const statement of policy.statements) {
    trace.push({
      ...ref(policy, statement, "identity"),
      scope,
      applies: false,
      action: { matched: false },
      resource: { matched: false },
      conditions: [],
      reason: "ScopeNotApplicable",
    });
  }
}

/**
 * RAM's flow (docs/semantics.md §4) for one principal: which sets of policies are evaluated, in which order. Each step
 * holds its policies in whatever form the evaluating path needs (plain for the interpreter, indexed for
 * `compile`), so both paths share this flow.
 */
export interface Flow<Step> {
  /** Control-policy levels that apply to this principal, member account first; empty when none apply. */
  readonly control: readonly Step[];
  /** The account owner, allowed without identity policies once the control policies allow. */
  readonly owner: boolean;
  readonly session?: Step;
  /** Account-scope identity attachments. */
  readonly account: Step;
  /** Resource-group-scope identity attachments, by resource group id. */
  readonly resourceGroups: ReadonlyMap<string, Step>;
}

export function flowOf<Step>(
  input: EvaluationInput,
  makeStep: (policies: readonly Policy[], stage: Stage, scope: AttachmentScope) => Step,
): Flow<Step> {
  const principal = input.principalType ?? "RamUser";
  const control = input.control;
  const controlApplies = control !== undefined && principal !== "ServiceLinkedRole" && (principal !== "Root" || control.effectScope === "All");
  const account: Policy[] = [];
  const grouped = new Map<string, Policy[]>();
  for (const a of input.identity) {
    if (!a.scope || a.scope === "account") account.push(a.policy);
    else appendTo(grouped, a.scope.resourceGroupId, a.policy);
  }
  const resourceGroups = new Map<string, Step>();
  for (const [resourceGroupId, policies] of grouped) resourceGroups.set(resourceGroupId, makeStep(policies, "identity", { resourceGroupId }));
  return {
    control: controlApplies ? control.levels.map((level) => makeStep(level, "control", "account")) : [],
    owner: principal === "Root",
    ...(input.session ? { session: makeStep([input.session], "session", "account") } : {}),
    account: makeStep(account, "identity", "account"),
    resourceGroups,
  };
}

/**
 * Runs the flow: control levels (a level that does not allow decides), the session policy (must
 * allow), the owner (allowed without policies), then identity at account scope and, only on ImplicitDeny, the target's resource group.
 * `run` decides one step, `decidedBy` its stage, so the step that decides answers for the whole flow.
 * `skipResourceGroups` hears which resource-group steps were not evaluated (all but `evaluated`), for traces.
 */
export function decideFlow<Step, Req>(
  flow: Flow<Step>,
  req: Req,
  resourceGroupId: string | undefined,
  run: (step: Step, req: Req) => Decision,
  skipResourceGroups?: (evaluated: string | undefined) => void,
): Decision {
  for (const level of flow.control) {
    const d = run(level, req);
    if (d.decision !== "Allow") return d;
  }
  // Step 2 before step 3 (docs/semantics.md §4): a session policy's deny is final, even for the owner.
  if (flow.session !== undefined) {
    const d = run(flow.session, req);
    if (d.decision !== "Allow") return d;
  }
  if (flow.owner) return { decision: "Allow", determining: [], decidedBy: "owner" };
  const account = run(flow.account, req);
  const group = account.decision === "ImplicitDeny" && resourceGroupId !== undefined ? flow.resourceGroups.get(resourceGroupId) : undefined;
  skipResourceGroups?.(group === undefined ? undefined : resourceGroupId);
  return group === undefined ? account : run(group, req);
}

/** Any failure is an ImplicitDeny that says why (fail closed). */
export function failedDecision(e: unknown, trace?: readonly StatementTrace[]): Decision {
  return {
    decision: "ImplicitDeny",
    determining: [],
    decidedBy: "error",
    error: `evaluation failed, request denied: ${e instanceof Error ? e.message : String(e)}`,
    ...(trace ? { trace } : {}),
  };
}

export interface EvaluateOptions {
  /** Record every statement's action, resource and condition outcome. */
  trace?: boolean;
}

interface PlainStep {
  readonly policies: readonly Policy[];
  readonly stage: Stage;
  readonly scope: AttachmentScope;
}

const plainStep = (policies: readonly Policy[], stage: Stage, scope: AttachmentScope): PlainStep => ({ policies, stage, scope });

/**
 * Decides one request (docs/semantics.md §4) by walking every statement. Never throws: any failure is an ImplicitDeny
 * that says why. For many decisions over the same policies, `compile` them once instead.
 */
export function evaluate(input: EvaluationInput, ctx: RequestContext, options: EvaluateOptions = {}): Decision {
  const trace: StatementTrace[] | undefined = options.trace ? [] : undefined;
  try {
    const req: Request = { ctx, actionLower: ctx.action.toLowerCase(), resourceLower: ctx.resource.toLowerCase() };
    const skipResourceGroups = trace
      ? (evaluated: string | undefined): void => {
          for (const a of input.identity) {
            if (a.scope && a.scope !== "account" && a.scope.resourceGroupId !== evaluated) skipped(trace, a.policy, a.scope);
          }
        }
      : undefined;
    const d = decideFlow(
      flowOf(input, plainStep),
      req,
      ctx.resourceGroupId,
      (step, r) => basic(step.policies, r, step.stage, step.scope, trace),
      skipResourceGroups,
    );
    return trace ? { ...d, trace } : d;
  } catch (e) {
    return failedDecision(e, trace);
  }
}
