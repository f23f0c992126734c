import type { Policy, Statement } from "../policy/ast.js";
import { compileCondition, type CompiledCondition } from "../conditions/evaluate.js";
import { compileTarget, type CompiledTarget } from "../match/statement.js";
import type { RequestContext } from "./context.js";
import type {
  AttachmentScope,
  Decision,
  DecisionKind,
  EvaluationInput,
  Stage,
  StatementRef,
  StatementTrace,
} from "./decision.js";

interface CompiledStatement {
  readonly target: CompiledTarget;
  readonly conditions: readonly CompiledCondition[];
}

/** Statements are immutable, so their compiled matchers are cached beside them. */
const compiledStatements = new WeakMap<Statement, CompiledStatement>();

function compiled(statement: Statement): CompiledStatement {
  let c = compiledStatements.get(statement);
  if (!c) {
    c = { target: compileTarget(statement), conditions: statement.conditions.map(compileCondition) };
    compiledStatements.set(statement, c);
  }
  return c;
}

interface Request {
  readonly ctx: RequestContext;
  readonly actionLower: string;
  readonly resourceLower: string;
}

function applies(statement: Statement, req: Request): boolean {
  const c = compiled(statement);
  if (!c.target.matchAction(req.actionLower)) return false;
  if (!c.target.matchResource(req.ctx.resource, req.resourceLower)) return false;
  for (const cond of c.conditions) if (!cond.holds(req.ctx.values, statement.effect)) return false;
  return true;
}

function traceStatement(policy: Policy, statement: Statement, req: Request, stage: Stage, scope: AttachmentScope): StatementTrace {
  const c = compiled(statement);
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

function ref(policy: Policy, statement: Statement, stage: Stage): StatementRef {
  return {
    policy: policy.name,
    statement: statement.index,
    effect: statement.effect,
    stage,
    ...(statement.sid !== undefined ? { sid: statement.sid } : {}),
  };
}

interface Basic {
  readonly decision: DecisionKind;
  readonly determining: StatementRef[];
}

/** RAM's "minimum unit" evaluation of one set of policies: any matching Deny, else any matching Allow. */
function basic(
  policies: readonly Policy[],
  req: Request,
  stage: Stage,
  scope: AttachmentScope,
  trace: StatementTrace[] | undefined,
): Basic {
  const denies: StatementRef[] = [];
  const allows: StatementRef[] = [];
  for (const policy of policies) {
    for (const statement of policy.statements) {
      const hit = trace ? pushTrace(trace, traceStatement(policy, statement, req, stage, scope)) : applies(statement, req);
      if (hit) (statement.effect === "Deny" ? denies : allows).push(ref(policy, statement, stage));
    }
  }
  if (denies.length > 0) return { decision: "ExplicitDeny", determining: denies };
  if (allows.length > 0) return { decision: "Allow", determining: allows };
  return { decision: "ImplicitDeny", determining: [] };
}

function pushTrace(trace: StatementTrace[], t: StatementTrace): boolean {
  trace.push(t);
  return t.applies;
}

function skipped(trace: StatementTrace[] | undefined, policies: readonly Policy[], stage: Stage, scope: AttachmentScope): void {
  if (!trace) return;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      trace.push({
        ...ref(policy, statement, stage),
        scope,
        applies: false,
        action: { matched: false },
        resource: { matched: false },
        conditions: [],
        reason: "ScopeNotApplicable",
      });
    }
  }
}

function decide(input: EvaluationInput, ctx: RequestContext, trace: StatementTrace[] | undefined): Decision {
  const req: Request = { ctx, actionLower: ctx.action.toLowerCase(), resourceLower: ctx.resource.toLowerCase() };
  const principal = input.principalType ?? "RamUser";
  const done = (b: Basic, decidedBy: Stage): Decision => ({ decision: b.decision, determining: b.determining, decidedBy });

  // 1. Control policies: level by level from the member account up to the root folder.
  const control = input.control;
  const controlApplies = control && principal !== "ServiceLinkedRole" && (principal !== "Root" || control.effectScope === "All");
  if (control && controlApplies) {
    for (const level of control.levels) {
      const b = basic(level, req, "control", "account", trace);
      if (b.decision !== "Allow") return done(b, "control");
    }
  }
  if (principal === "Root") return { decision: "Allow", determining: [], decidedBy: "owner" };

  // 2. Session policy: must allow, else its deny is final.
  if (input.session) {
    const b = basic([input.session], req, "session", "account", trace);
    if (b.decision !== "Allow") return done(b, "session");
  }

  // 3. Identity policies: account scope first; resource-group scope only on ImplicitDeny.
  const accountPolicies = input.identity.filter((a) => (a.scope ?? "account") === "account").map((a) => a.policy);
  const account = basic(accountPolicies, req, "identity", "account", trace);
  if (account.decision !== "ImplicitDeny") {
    for (const a of input.identity) if (a.scope && a.scope !== "account") skipped(trace, [a.policy], "identity", a.scope);
    return done(account, "identity");
  }
  const groupScoped = new Map<string, Policy[]>();
  for (const a of input.identity) {
    if (!a.scope || a.scope === "account") continue;
    if (ctx.resourceGroupId !== undefined && a.scope.resourceGroupId === ctx.resourceGroupId) {
      const list = groupScoped.get(a.scope.resourceGroupId) ?? [];
      list.push(a.policy);
      groupScoped.set(a.scope.resourceGroupId, list);
    } else skipped(trace, [a.policy], "identity", a.scope);
  }
  const rgId = ctx.resourceGroupId;
  if (rgId === undefined || !groupScoped.has(rgId)) return done(account, "identity");
  return done(basic(groupScoped.get(rgId)!, req, "identity", { resourceGroupId: rgId }, trace), "identity");
}

export interface EvaluateOptions {
  /** Record every statement's action, resource and condition outcome. */
  trace?: boolean;
}

/**
 * Decides one request (contract §4). Never throws: any failure is an ImplicitDeny that says why.
 */
export function evaluate(input: EvaluationInput, ctx: RequestContext, options: EvaluateOptions = {}): Decision {
  const trace: StatementTrace[] | undefined = options.trace ? [] : undefined;
  try {
    const d = decide(input, ctx, trace);
    return trace ? { ...d, trace } : d;
  } catch (e) {
    return {
      decision: "ImplicitDeny",
      determining: [],
      decidedBy: "error",
      error: `evaluation failed, request denied: ${e instanceof Error ? e.message : String(e)}`,
      ...(trace ? { trace } : {}),
    };
  }
}

