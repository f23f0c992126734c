import { compile } from "../../src/evaluate/compile.js";
import type { RequestContext } from "../../src/evaluate/context.js";
import type { Decision, EvaluationInput } from "../../src/evaluate/decision.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { contextOf, type Workload } from "../workload.js";
import type { Engine, PreparedEngine, Verdict } from "./engine.js";
import { statementKey } from "./portable.js";

const verdict = (answer: unknown): Verdict => {
  const d = answer as Decision;
  return { decision: d.decision, determining: d.determining.map((r) => statementKey(r.policy, r.statement)).sort() };
};

const identityOf = (w: Workload): EvaluationInput => ({ identity: w.policies.map((policy) => ({ policy })) });
const contextsOf = (w: Workload): RequestContext[] => w.requests.map(contextOf);

/** `compile` once, then `PolicySet.evaluate` per request. */
export const oursCompiled: Engine = {
  name: "ess-authz (compiled)",
  package: "ess-authz compile()",
  prepare(w): PreparedEngine {
    const set = compile(identityOf(w));
    const contexts = contextsOf(w);
    return { decide: (i) => set.evaluate(contexts[i]!), verdict };
  },
};

/** `evaluate` per request: every statement walked, its matchers cached beside it. */
export const oursInterpreter: Engine = {
  name: "ess-authz (interpreter)",
  package: "ess-authz evaluate()",
  prepare(w): PreparedEngine {
    const input = identityOf(w);
    const contexts = contextsOf(w);
    return { decide: (i) => evaluate(input, contexts[i]!), verdict };
  },
};
