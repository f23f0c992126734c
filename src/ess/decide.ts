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

/** A request file's JSON value, as written (schema/request.schema.json). */
export interface RequestFileValue {
  account: string;
  params: Record<string, string>;
  context?: Record<string, string>;
  principal?: PrincipalType;
  store?: unknown;
}

/** The request a request file's value asks; an absent store is the empty one. */
export const toRequestFile = (value: RequestFileValue): RequestFile => ({
  request: { account: value.account, params: value.params, ...(value.context ? { context: value.context } : {}) },
  ...(value.principal ? { principalType: value.principal } : {}),
  store: value.store ?? {},
});

/**
 * Each policy where RAM evaluates it: identity policies attached at account scope, the session policy, control
 * policies as one level. Trust policies decide only `sts:AssumeRole`, which is never an ESS request: they take no
 * part. Two session policies cannot be one request's (AssumeRole takes one): a programming error.
 */
function placeByKind(policies: readonly Policy[], principalType: PrincipalType | undefined): EvaluationInput {
  const of = (kind: Policy["kind"]) => policies.filter((p) => p.kind === kind);
  const [session, control] = [of("session"), of("control")];
  if (session.length > 1) throw new Error(`a request has at most one session policy, got ${session.length}`);
  return {
    identity: of("identity").map((policy) => ({ policy })),
    ...(session[0] ? { session: session[0] } : {}),
    ...(control.length > 0 ? { control: { levels: [control] } } : {}),
    ...(principalType ? { principalType } : {}),
  };
}

/**
 * One evaluation input per policy array and principal type, so that authorizePlan's compile cache (keyed by
 * input) hits when the same policies decide many requests, as in `test` and `diff`.
 */
const inputs = new WeakMap<readonly Policy[], Map<PrincipalType | undefined, EvaluationInput>>();

export function inputFor(policies: readonly Policy[], principalType: PrincipalType | undefined): EvaluationInput {
  let byType = inputs.get(policies);
  if (!byType) inputs.set(policies, (byType = new Map()));
  let input = byType.get(principalType);
  if (!input) {
    input = placeByKind(policies, principalType);
    byType.set(principalType, input);
  }
  return input;
}

/**
 * Decides a request against identity policies attached at account scope — the question `eval`, `test`, `diff`
 * and the playground ask. Throws StoreError for a bad store and EssRequestError for a request ESS would refuse.
 */
export async function decideRequestFile(policies: readonly Policy[], file: RequestFile, trace: boolean): Promise<EssDecision> {
  const input = inputFor(policies, file.principalType);
  const plan = await buildPlan(file.request, storeFromJson(file.store));
  return authorizePlan(plan, input, { trace });
}

/** The ids a list call returns: the allowed targets that name a group. */
export const visibleGroups = (d: EssDecision): string[] =>
  d.mode === "filter" ? d.resources.flatMap((r) => (r.decision === "Allow" && r.scalingGroupId ? [r.scalingGroupId] : [])) : [];
