import type { Policy } from "../policy/ast.js";
import type { EvaluationInput } from "../evaluate/decision.js";
import { authorizePlan } from "../ess/authorize.js";
import { buildPlan } from "../ess/request.js";
import { storeFromJson } from "../ess/store.js";
import { EssRequestError, type EssDecision } from "../ess/types.js";
import { InputError } from "./io.js";
import type { RequestFile } from "./request-file.js";

/** Decides one request file against identity policies attached at account scope to a RAM user. */
export async function decideRequest(policies: readonly Policy[], file: RequestFile, trace: boolean): Promise<EssDecision> {
  let deps;
  try {
    deps = storeFromJson(file.store);
  } catch (e) {
    throw new InputError(`store: ${(e as Error).message}`);
  }
  const input: EvaluationInput = {
    identity: policies.map((policy) => ({ policy })),
    ...(file.principalType ? { principalType: file.principalType } : {}),
  };
  try {
    const plan = await buildPlan(file.request, deps);
    return authorizePlan(plan, input, { trace });
  } catch (e) {
    if (e instanceof EssRequestError) throw new InputError(`${e.code}: ${e.message}`);
    throw e;
  }
}

/** The ids a list call returns: the allowed targets that name a group. */
export const visibleGroups = (d: EssDecision): string[] =>
  d.mode === "filter" ? d.resources.flatMap((r) => (r.decision === "Allow" && r.scalingGroupId ? [r.scalingGroupId] : [])) : [];
