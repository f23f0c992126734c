/**
 * Runs one generated case through the engine (`evaluate`, its trace, and the compiled `PolicySet`)
 * and through the reference interpreter, and lists every disagreement. Shared by `test/differential.test.ts`
 * (CI) and `test/fuzz.ts` (`npm run fuzz`).
 */
import { parsePolicy } from "../../src/policy/parse.js";
import type { Policy, PolicyKind } from "../../src/policy/ast.js";
import { makeContext } from "../../src/evaluate/context.js";
import { compile } from "../../src/evaluate/compile.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Decision, EvaluationInput, StatementRef } from "../../src/evaluate/decision.js";
import { refEvaluate, isRefOperator, validPolicyValue, type RefDecision, type RefRequest } from "./interpreter.js";
import { chars } from "./values.js";
import type { GenCase, ValueCase } from "./generators.js";

const LIMITS: Record<PolicyKind, number> = { identity: 6144, session: 2048, control: 4096, trust: 6144 };

/** Whether the reference expects the parser to accept a generated document: true, false, or unknown (near the size limit). */
export function expectLoad(doc: Record<string, unknown>, kind: PolicyKind): boolean | undefined {
  const text = JSON.stringify(doc);
  const size = chars(text).length;
  if (size > LIMITS[kind] * 0.9) return undefined;
  for (const s of doc.Statement as Record<string, unknown>[]) {
    const block = s.Condition as Record<string, Record<string, unknown>> | undefined;
    if (block === undefined) continue;
    for (const op of Object.keys(block)) {
      if (!isRefOperator(op)) return false;
      for (const key of Object.keys(block[op]!)) {
        const raw = block[op]![key];
        const list = Array.isArray(raw) ? raw : [raw];
        for (const v of list) if (!validPolicyValue(op, String(v))) return false;
      }
    }
  }
  return true;
}

export interface Mismatch {
  readonly kind: "load" | "evaluate" | "trace" | "compiled";
  readonly detail: string;
  readonly case: unknown;
}

const refKey = (r: StatementRef): string => `${r.stage}|${r.policy}|${r.statement}|${r.effect}|${r.sid ?? ""}`;
const sortedRefs = (rs: readonly StatementRef[]): string => JSON.stringify(rs.map(refKey).sort());

function sameDecision(engine: Decision, ref: RefDecision): string | undefined {
  if (engine.error !== undefined) return `engine error: ${engine.error}`;
  if (engine.decision !== ref.decision) return `decision: engine ${engine.decision}, reference ${ref.decision}`;
  if (engine.decidedBy !== ref.decidedBy) return `decidedBy: engine ${engine.decidedBy}, reference ${ref.decidedBy}`;
  const a = sortedRefs(engine.determining);
  const b = sortedRefs(ref.determining);
  if (a !== b) return `determining: engine ${a}, reference ${b}`;
  return undefined;
}

export interface Loaded {
  readonly input: EvaluationInput;
  readonly mismatches: Mismatch[];
  readonly policies: number;
}

function load(doc: Record<string, unknown>, name: string, kind: PolicyKind, mismatches: Mismatch[]): Policy | undefined {
  const r = parsePolicy(JSON.stringify(doc), { name, kind });
  const expected = expectLoad(doc, kind);
  if (expected !== undefined && expected !== (r.policy !== undefined)) {
    mismatches.push({
      kind: "load",
      detail: `${kind} policy: reference expects ${expected ? "load" : "rejection"}, parser ${r.policy ? "loaded it" : `rejected it: ${r.findings.filter((f) => f.severity === "Error").map((f) => f.message).join("; ")}`}`,
      case: doc,
    });
  }
  return r.policy;
}

/** Parses a case's documents into an EvaluationInput (unloadable documents are left out, for both sides). */
export function loadCase(c: GenCase): Loaded {
  const mismatches: Mismatch[] = [];
  let policies = 0;
  const identity = c.identity.flatMap((a, i) => {
    const policy = load(a.doc, `i${i}`, "identity", mismatches);
    if (!policy) return [];
    policies++;
    return [a.scope === undefined ? { policy } : { policy, scope: a.scope }];
  });
  const session = c.session && load(c.session, "s", "session", mismatches);
  if (session) policies++;
  const control = c.control && {
    levels: c.control.levels.map((level, l) =>
      level.flatMap((doc, j) => {
        const p = load(doc, `c${l}_${j}`, "control", mismatches);
        if (p) policies++;
        return p ? [p] : [];
      }),
    ),
    ...(c.control.effectScope === undefined ? {} : { effectScope: c.control.effectScope }),
  };
  const input: EvaluationInput = {
    identity,
    ...(c.principalType === undefined ? {} : { principalType: c.principalType }),
    ...(session ? { session } : {}),
    ...(control ? { control } : {}),
  };
  return { input, mismatches, policies };
}

export function contextOf(req: RefRequest): ReturnType<typeof makeContext> {
  return makeContext({
    action: req.action,
    resource: req.resource,
    keys: req.keys,
    requestTags: req.requestTags,
    ...(req.resourceGroupId === undefined ? {} : { resourceGroupId: req.resourceGroupId }),
    ...(req.resourceTags === undefined ? {} : { resourceTags: req.resourceTags }),
  });
}

export interface CaseResult {
  /** Requests decided (one "case" each). */
  readonly requests: number;
  readonly mismatches: readonly Mismatch[];
  /** Decisions seen, for coverage statistics. */
  readonly decisions: readonly string[];
}

/** Every engine path against the reference, for every request of the case. */
export function runCase(c: GenCase): CaseResult {
  const { input, mismatches } = loadCase(c);
  const compiled = compile(input);
  const decisions: string[] = [];
  for (const req of c.requests) {
    const ctx = contextOf(req);
    const ref = refEvaluate(input, req);
    decisions.push(`${ref.decision}/${ref.decidedBy}`);
    const what = (): unknown => ({ input: describeInput(c), request: req, reference: ref });
    const plain = evaluate(input, ctx);
    const d1 = sameDecision(plain, ref);
    if (d1) mismatches.push({ kind: "evaluate", detail: d1, case: what() });
    const traced = evaluate(input, ctx, { trace: true });
    const d2 = sameDecision(traced, ref);
    if (d2) mismatches.push({ kind: "trace", detail: `with trace: ${d2}`, case: what() });
    else {
      const applied = JSON.stringify((traced.trace ?? []).filter((t) => t.applies).map((t) => `${t.stage}|${t.policy}|${t.statement}`).sort());
      const expected = JSON.stringify([...ref.applied].sort());
      if (applied !== expected) mismatches.push({ kind: "trace", detail: `applying statements: trace ${applied}, reference ${expected}`, case: what() });
    }
    const d3 = sameDecision(compiled.evaluate(ctx), ref);
    if (d3) mismatches.push({ kind: "compiled", detail: `compiled: ${d3}`, case: what() });
  }
  return { requests: c.requests.length, mismatches, decisions };
}

/** The case with documents as JSON text, for a reproducible report. */
export function describeInput(c: GenCase): unknown {
  return {
    principalType: c.principalType,
    identity: c.identity.map((a) => ({ doc: JSON.stringify(a.doc), scope: a.scope })),
    session: c.session && JSON.stringify(c.session),
    control: c.control && { effectScope: c.control.effectScope, levels: c.control.levels.map((l) => l.map((d) => JSON.stringify(d))) },
  };
}

/** A single-condition policy against many requests: value parsing and comparison, edge by edge. */
export function runValueCase(v: ValueCase): CaseResult {
  const doc = {
    Version: "1",
    Statement: [{ Effect: v.effect, Action: "ess:*", Resource: "*", Condition: { [v.operator]: { [`acs:ResourceTag/${v.key}`]: v.policyValues } } }],
  };
  const mismatches: Mismatch[] = [];
  const policy = load(doc as unknown as Record<string, unknown>, "v", "identity", mismatches);
  const decisions: string[] = [];
  if (!policy) return { requests: 0, mismatches, decisions };
  // A Deny statement needs an Allow to be visible: `Allow *` beside it turns "does not apply" into Allow.
  const allowAll = parsePolicy(JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }), { name: "all" }).policy!;
  const input: EvaluationInput = { identity: v.effect === "Deny" ? [{ policy }, { policy: allowAll }] : [{ policy }] };
  for (const tags of v.requests) {
    const req: RefRequest = { action: "ess:DeleteScalingGroup", resource: "*", keys: [], requestTags: [], resourceTags: tags };
    const ref = refEvaluate(input, req);
    decisions.push(ref.decision);
    const d = sameDecision(evaluate(input, contextOf(req)), ref);
    if (d) mismatches.push({ kind: "evaluate", detail: d, case: { doc: JSON.stringify(doc), resourceTags: tags, reference: ref } });
  }
  return { requests: v.requests.length, mismatches, decisions };
}
