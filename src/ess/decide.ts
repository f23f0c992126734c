import type { Policy } from "../policy/ast.js";
import type { EvaluationInput, PrincipalType } from "../evaluate/decision.js";
import { authorizePlan } from "./authorize.js";
import { buildPlan } from "./request.js";
import { storeFromJson } from "./store.js";
import type { EssDecision, EssRequest } from "./types.js";

/** A request as `ess-authz eval` reads it: the API call, who makes it, and the resource store (schema/request.schema.json). */
export interface RequestFile {
  readonly request: EssRequest;
  readonly principalType?: PrincipalType;
  /** The resource store as written, for `storeFromJson`. */
  readonly store: unknown;
}

/**
 * Decides a request against identity policies attached at account scope — the question `eval`, `test`, `diff`
 * and the playground ask. Throws StoreError for a bad store and EssRequestError for a request ESS would refuse.
 */
export async function decideRequestFile(policies: readonly Policy[], file: RequestFile, trace: boolean): Promise<EssDecision> {
  const input: EvaluationInput = {
    identity: policies.map((policy) => ({ policy })),
    ...(file.principalType ? { principalType: file.principalType } : {}),
  };
  const plan = await buildPlan(file.request, storeFromJson(file.store));
  return authorizePlan(plan, input, { trace });
}

/** The ids a list call returns: the allowed targets that name a group. */
export const visibleGroups = (d: EssDecision): string[] =>
  d.mode === "filter" ? d.resources.flatMap((r) => (r.decision === "Allow" && r.scalingGroupId ? [r.scalingGroupId] : [])) : [];
