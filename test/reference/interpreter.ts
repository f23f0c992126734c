/**
 * A reference interpreter for docs/semantics.md §2–§4 (`docs/semantics.md`), for differential testing.
 *
 * Written straight from docs/semantics.md: no indexes, no compilation, no caches, no code shared with `src/match`,
 * `src/conditions` or `src/evaluate/evaluate.ts`. It reads the engine's parsed AST (`Policy`) — parsing is tested
 * separately — and its own raw request (the same pairs given to `makeContext`), so `makeContext`'s key folding
 * is under test too. Only types are imported from `src/`.
 */
import type { Condition, Policy, Statement } from "../../src/policy/ast.js";
import type { DecisionKind, EvaluationInput, PolicyAttachment, Stage, StatementRef } from "../../src/evaluate/decision.js";
import {
  cmpDec,
  cmpInstant,
  inBlock,
  parseAddr,
  parseBlock,
  parseDec,
  parseInstant,
  refGlob,
} from "./values.js";

/** A request as given to `makeContext`: pairs, in order, keys in any case. */
export interface RefRequest {
  readonly action: string;
  readonly resource: string;
  readonly resourceGroupId?: string;
  readonly keys: readonly (readonly [string, string])[];
  readonly requestTags: readonly (readonly [string, string])[];
  readonly resourceTags?: readonly (readonly [string, string])[];
}

export interface RefDecision {
  readonly decision: DecisionKind;
  readonly determining: readonly StatementRef[];
  readonly decidedBy: Stage | "owner";
  /** Every statement that applied in a step that was evaluated, as `stage|policy|index`. */
  readonly applied: readonly string[];
}

// ---------------------------------------------------------------- operators (docs/semantics.md §3)

type Family = "string" | "numeric" | "date" | "bool" | "ip";
type Cmp = "eq" | "eqi" | "like" | "lt" | "le" | "gt" | "ge" | "in";

const OPS: Record<string, { family: Family; cmp: Cmp; negated: boolean }> = {
  StringEquals: { family: "string", cmp: "eq", negated: false },
  StringNotEquals: { family: "string", cmp: "eq", negated: true },
  StringEqualsIgnoreCase: { family: "string", cmp: "eqi", negated: false },
  StringNotEqualsIgnoreCase: { family: "string", cmp: "eqi", negated: true },
  StringLike: { family: "string", cmp: "like", negated: false },
  StringNotLike: { family: "string", cmp: "like", negated: true },
  NumericEquals: { family: "numeric", cmp: "eq", negated: false },
  NumericNotEquals: { family: "numeric", cmp: "eq", negated: true },
  NumericLessThan: { family: "numeric", cmp: "lt", negated: false },
  NumericLessThanEquals: { family: "numeric", cmp: "le", negated: false },
  NumericGreaterThan: { family: "numeric", cmp: "gt", negated: false },
  NumericGreaterThanEquals: { family: "numeric", cmp: "ge", negated: false },
  DateEquals: { family: "date", cmp: "eq", negated: false },
  DateNotEquals: { family: "date", cmp: "eq", negated: true },
  DateLessThan: { family: "date", cmp: "lt", negated: false },
  DateLessThanEquals: { family: "date", cmp: "le", negated: false },
  DateGreaterThan: { family: "date", cmp: "gt", negated: false },
  DateGreaterThanEquals: { family: "date", cmp: "ge", negated: false },
  Bool: { family: "bool", cmp: "eq", negated: false },
  IpAddress: { family: "ip", cmp: "in", negated: false },
  NotIpAddress: { family: "ip", cmp: "in", negated: true },
};

/**
 * The operator under an optional set qualifier: §3 lets `ForAnyValue:` or `ForAllValues:` (exact spelling, one of
 * them, once) prefix every one of the 21 operators.
 */
function unqualified(name: string): string {
  for (const prefix of ["ForAnyValue:", "ForAllValues:"]) if (name.startsWith(prefix)) return name.slice(prefix.length);
  return name;
}

export function isRefOperator(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(OPS, unqualified(name));
}

function order(c: number, cmp: Cmp): boolean {
  switch (cmp) {
    case "eq":
      return c === 0;
    case "lt":
      return c < 0;
    case "le":
      return c <= 0;
    case "gt":
      return c > 0;
    case "ge":
      return c >= 0;
    default:
      return false;
  }
}

/** Is `raw` a valid policy value for the operator (docs/semantics.md §3: else the policy is an Error at load)? */
export function validPolicyValue(operator: string, raw: string): boolean {
  const op = OPS[unqualified(operator)];
  if (!op) return false;
  switch (op.family) {
    case "string":
      return true;
    case "numeric":
      return parseDec(raw) !== undefined;
    case "date":
      return parseInstant(raw) !== undefined;
    case "bool":
      return raw === "true" || raw === "false";
    case "ip":
      return parseBlock(raw) !== undefined;
  }
}

/**
 * Does the (non-negated) comparison hold between request value `r` and policy value `v`?
 * `undefined`: the request value cannot be read as the operator's type (indeterminate).
 */
function compare(family: Family, cmp: Cmp, r: string, v: string): boolean | undefined {
  switch (family) {
    case "string":
      if (cmp === "eq") return r === v;
      if (cmp === "eqi") return r.toLowerCase() === v.toLowerCase();
      return refGlob(v, r);
    case "numeric": {
      const a = parseDec(r);
      if (!a) return undefined;
      const b = parseDec(v);
      return b ? order(cmpDec(a, b), cmp) : false;
    }
    case "date": {
      const a = parseInstant(r);
      if (!a) return undefined;
      const b = parseInstant(v);
      return b ? order(cmpInstant(a, b), cmp) : false;
    }
    case "bool": {
      if (r !== "true" && r !== "false") return undefined;
      return r === v;
    }
    case "ip": {
      const a = parseAddr(r);
      if (!a) return undefined;
      const b = parseBlock(v);
      return b ? inBlock(a, b) : false;
    }
  }
}

type Outcome = "true" | "false" | "indeterminate";

/** The request's values for a condition key: every pair whose full key equals it ignoring case (§2). */
export function requestValues(req: RefRequest, key: string): string[] {
  const want = key.toLowerCase();
  const out: string[] = [];
  for (const [k, v] of req.keys) if (k.toLowerCase() === want) out.push(v);
  for (const [k, v] of req.requestTags) if (`acs:RequestTag/${k}`.toLowerCase() === want) out.push(v);
  for (const [k, v] of req.resourceTags ?? []) if (`acs:ResourceTag/${k}`.toLowerCase() === want) out.push(v);
  return out;
}

export function conditionHolds(c: Condition, effect: "Allow" | "Deny", req: RefRequest): boolean {
  const op = OPS[c.operator];
  if (!op) return effect === "Deny"; // unreachable: the parser rejects unknown operators
  const values = requestValues(req, c.key);
  const outcomes: Outcome[] = values.map((r) => {
    let indeterminate = false;
    let any = false;
    for (const v of c.values) {
      const m = compare(op.family, op.cmp, r, v);
      if (m === undefined) indeterminate = true;
      else if (m) any = true;
    }
    if (indeterminate) return "indeterminate";
    // values OR; negated operators NOR
    return any !== op.negated ? "true" : "false";
  });
  // An indeterminate value never lets an Allow apply and always lets a Deny apply; under a qualifier too
  // (our fail-closed reading: the contract says a value that cannot be read makes "that condition" indeterminate).
  const indeterminate = outcomes.some((o) => o === "indeterminate");
  if (c.qualifier === "ForAnyValue") {
    // "holds when at least one request value satisfies Op (false when the key is absent)"
    if (values.length === 0) return false;
    return indeterminate ? effect === "Deny" : outcomes.some((o) => o === "true");
  }
  if (c.qualifier === "ForAllValues") {
    // "holds when every request value satisfies Op (true when the key is absent or has no value)"
    if (values.length === 0) return true;
    return indeterminate ? effect === "Deny" : outcomes.every((o) => o === "true");
  }
  // Missing key: positive operators false, negated true.
  if (values.length === 0) return op.negated;
  // One value, or case-variant tags: an Allow needs every one to hold; a Deny fires on any that holds.
  return effect === "Allow" ? outcomes.every((o) => o === "true") : outcomes.some((o) => o !== "false");
}

// ---------------------------------------------------------------- statements (docs/semantics.md §2)

export function actionMatches(s: Statement, action: string): boolean {
  const any = s.actions.some((p) => refGlob(p.toLowerCase(), action.toLowerCase()));
  return s.actionKind === "NotAction" ? !any : any;
}

export function resourceMatches(s: Statement, resource: string): boolean {
  if (s.resources === undefined) return true; // trust policies only
  if (s.effect === "Allow") return s.resources.some((p) => refGlob(p, resource));
  return s.resources.some((p) => refGlob(p.toLowerCase(), resource.toLowerCase()));
}

export function statementApplies(s: Statement, req: RefRequest): boolean {
  return actionMatches(s, req.action) && resourceMatches(s, req.resource) && s.conditions.every((c) => conditionHolds(c, s.effect, req));
}

// ---------------------------------------------------------------- decisions (docs/semantics.md §4)

interface Basic {
  decision: DecisionKind;
  determining: StatementRef[];
}

function refOf(p: Policy, s: Statement, stage: Stage): StatementRef {
  return { policy: p.name, statement: s.index, effect: s.effect, stage, ...(s.sid !== undefined ? { sid: s.sid } : {}) };
}

function basic(policies: readonly Policy[], req: RefRequest, stage: Stage, applied: string[]): Basic {
  const denies: StatementRef[] = [];
  const allows: StatementRef[] = [];
  for (const p of policies) {
    for (const s of p.statements) {
      if (!statementApplies(s, req)) continue;
      applied.push(`${stage}|${p.name}|${s.index}`);
      if (s.effect === "Deny") denies.push(refOf(p, s, stage));
      else allows.push(refOf(p, s, stage));
    }
  }
  if (denies.length > 0) return { decision: "ExplicitDeny", determining: denies };
  if (allows.length > 0) return { decision: "Allow", determining: allows };
  return { decision: "ImplicitDeny", determining: [] };
}

function isAccountScope(a: PolicyAttachment): boolean {
  return a.scope === undefined || a.scope === "account";
}

/** docs/semantics.md §4, in its order: control → session → identity (account scope, then the target's resource group). */
export function refEvaluate(input: EvaluationInput, req: RefRequest): RefDecision {
  const applied: string[] = [];
  const principal = input.principalType ?? "RamUser";
  const done = (b: Basic, by: Stage | "owner"): RefDecision => ({ decision: b.decision, determining: b.determining, decidedBy: by, applied });

  // 1. Control policies: never for service-linked roles; for the owner only with scope All.
  const control = input.control;
  if (control !== undefined && principal !== "ServiceLinkedRole" && (principal !== "Root" || control.effectScope === "All")) {
    for (const level of control.levels) {
      const b = basic(level, req, "control", applied);
      if (b.decision === "ExplicitDeny") return done(b, "control");
      if (b.decision === "ImplicitDeny") return done(b, "control");
    }
  }
  // 2. Session policy: must allow.
  if (input.session !== undefined) {
    const b = basic([input.session], req, "session", applied);
    if (b.decision !== "Allow") return done(b, "session");
  }
  // 3. The account owner is allowed without policies.
  if (principal === "Root") return done({ decision: "Allow", determining: [] }, "owner");
  const account = input.identity.filter(isAccountScope).map((a) => a.policy);
  const a = basic(account, req, "identity", applied);
  if (a.decision !== "ImplicitDeny" || req.resourceGroupId === undefined) return done(a, "identity");
  const rg = req.resourceGroupId;
  const grouped = input.identity
    .filter((x) => !isAccountScope(x) && typeof x.scope === "object" && x.scope.resourceGroupId === rg)
    .map((x) => x.policy);
  return done(basic(grouped, req, "identity", applied), "identity");
}
