import type { Policy } from "../policy/ast.js";
import type { DecisionKind, EvaluationInput, StatementRef } from "../evaluate/decision.js";
import { evaluate } from "../evaluate/evaluate.js";
import { compileGlob } from "../match/glob.js";
import { makeContext, type RequestContext } from "../evaluate/context.js";
import { authorizePlan } from "../ess/authorize.js";
import { inputFor, type RequestFile } from "../ess/decide.js";
import { buildPlan } from "../ess/request.js";
import { storeFromJson } from "../ess/store.js";
import { canonicalAction } from "../ess/catalog.js";
import { requestCell, wireOf, type Shape, type Tag } from "../diff/universe.js";
import { outcomeOf } from "./values.js";
import { Budget, and, not, solve, type Formula, type Solution } from "./solve.js";
import { allowFormula, appliesFormula, buildSpace, REQUEST_TAG, RESOURCE_TAG, supportsShape, type Space } from "./space.js";
import { arnParts, Undecided } from "./strings.js";

/**
 * Access questions decided exactly over every request: "does NEW allow anything OLD does not?" and "can these
 * policies allow one of these actions on this resource?". The answer is `holds`, `violated` with witness
 * requests (each replayed through the evaluator before it is returned), or `undecided` with what could not be.
 */

export interface Witness {
  readonly action: string;
  readonly resource: string;
  readonly requestTags: readonly Tag[];
  /** The target group's tags; empty when the resource is not a scaling group. */
  readonly resourceTags: readonly Tag[];
  /** The resource group the target is in, when an attachment scoped to it decides. */
  readonly resourceGroupId?: string;
  /** Global condition keys, by name (case variants when a key carries several values). */
  readonly context: Readonly<Record<string, string>>;
  /** The request file `ess-authz eval` decides the same way; absent for actions outside the ESS catalog. */
  readonly request?: RequestFile;
  /** The operation the request file calls. */
  readonly operation?: string;
  /** The statements that allow it (in the version that allows it). */
  readonly allowedBy: readonly StatementRef[];
  /** The decision of the version that does not allow it (no-new-access only). */
  readonly before?: DecisionKind;
}

export type AnalysisResult =
  | { readonly status: "holds"; readonly steps: number }
  | { readonly status: "violated"; readonly witnesses: readonly Witness[]; readonly steps: number }
  | { readonly status: "undecided"; readonly reason: string; readonly steps: number };

export interface AnalysisOptions {
  /** Formula nodes the search may visit before it answers "undecided" (default 5,000,000). */
  readonly maxSteps?: number;
}

const DEFAULT_REGION = "cn-hangzhou";
const DEFAULT_ACCOUNT = "1609982529920904";

/** The i-th spelling of a lower-case name: bit j of i upper-cases its j-th letter. */
function spelling(lower: string, i: number): string {
  let bit = 0;
  return [...lower]
    .map((c) => {
      if (c.toUpperCase() === c) return c;
      return (i >> bit++) & 1 ? c.toUpperCase() : c;
    })
    .join("");
}

/** Policies placed by kind, as `ess-authz eval` places them (a control policy restricts, it does not grant). */
const asInput = (x: EvaluationInput | readonly Policy[]): EvaluationInput => ("identity" in x ? x : inputFor(x, undefined));

interface Values {
  readonly requestTags: Tag[];
  readonly resourceTags: Tag[];
  readonly context: Record<string, string>;
}

function valuesOf(space: Space, a: Solution, fixed: ReadonlyMap<string, readonly string[]>): Values {
  const out: Values = { requestTags: [], resourceTags: [], context: {} };
  space.keys.forEach((dim, k) => {
    const chosen = fixed.get(dim.keyLower) ?? a.chosen[k]!.map((i) => dim.classes[i]!.witness);
    chosen.forEach((value, i) => {
      if (dim.keyLower.startsWith(REQUEST_TAG)) out.requestTags.push([spelling(dim.keyLower.slice(REQUEST_TAG.length), i), value]);
      else if (dim.keyLower.startsWith(RESOURCE_TAG)) out.resourceTags.push([spelling(dim.keyLower.slice(RESOURCE_TAG.length), i), value]);
      else out.context[spelling(dim.keyLower, i)] = value;
    });
  });
  return out;
}

/** The request of a satisfying assignment: a request file when the action is an ESS operation. */
function witnessOf(space: Space, a: Solution, fixed: ReadonlyMap<string, readonly string[]>): Omit<Witness, "allowedBy"> {
  const action = space.actionClasses[a.action]!;
  const resource = space.resourceClasses[a.resource]!;
  const values = valuesOf(space, a, fixed);
  const resourceGroupId = space.resourceGroups[a.group];
  const base = { action: action.witness, resource: resource.witness, ...(resourceGroupId === undefined ? {} : { resourceGroupId }), ...values };
  if (action.operations.length === 0) return base;
  const op = action.operations.find((o) => supportsShape(o, resource.shape) && (values.requestTags.length === 0 || wireOf(o).wire.tags !== undefined))!;
  let shape: Shape;
  if (resource.shape === "all") {
    shape = { target: op.resource === "all" ? "all" : "unbound", region: DEFAULT_REGION, account: DEFAULT_ACCOUNT };
  } else {
    const { region, account, groupId } = arnParts(resource.witness);
    shape =
      groupId === undefined
        ? { target: "create", region, account }
        : { target: "group", region, account, group: { id: groupId, region, account, tags: values.resourceTags, ...(resourceGroupId === undefined ? {} : { resourceGroupId }) } };
  }
  const cell = requestCell(op, shape, values);
  return { ...base, request: cell.request, operation: op.name };
}

type Decide = (input: EvaluationInput, w: Omit<Witness, "allowedBy">) => Promise<{ decision: DecisionKind; determining: readonly StatementRef[] }>;

/** Decides a witness as `eval` would (its request file), or with the evaluator for actions outside the catalog. */
const decideWitness: Decide = async (input, w) => {
  if (w.request) {
    const plan = await buildPlan(w.request.request, storeFromJson(w.request.store));
    return authorizePlan(plan, input);
  }
  return evaluate(input, witnessContext(w));
};

/** The request context of a witness below the ESS API (an action outside the catalog), as `eval --context` reads it too. */
export function witnessContext(w: Pick<Witness, "action" | "resource" | "resourceGroupId" | "requestTags" | "resourceTags" | "context">): RequestContext {
  return makeContext({
    action: w.action,
    resource: w.resource,
    ...(w.resourceGroupId === undefined ? {} : { resourceGroupId: w.resourceGroupId }),
    keys: Object.entries(w.context),
    requestTags: w.requestTags,
    ...(w.resourceTags.length > 0 ? { resourceTags: w.resourceTags } : {}),
  });
}

function run<T>(budget: Budget, body: () => Promise<T>): Promise<T | AnalysisResult> {
  return body().catch((e: unknown) => {
    if (e instanceof Undecided) return { status: "undecided", reason: e.message, steps: budget.steps } as const;
    throw e;
  });
}

const witnessKey = (w: Omit<Witness, "allowedBy">): string => JSON.stringify([w.action, w.resource, w.resourceGroupId, w.requestTags, w.resourceTags, w.context]);

/**
 * Is there a request NEW allows and OLD does not? One witness per NEW Allow statement that grants new access
 * (or one for the whole flow when no single statement is to blame, e.g. the account owner).
 */
export async function findNewAccess(
  oldVersion: EvaluationInput | readonly Policy[],
  newVersion: EvaluationInput | readonly Policy[],
  options: AnalysisOptions = {},
): Promise<AnalysisResult> {
  const budget = new Budget(options.maxSteps ?? 5_000_000);
  const [before, after] = [asInput(oldVersion), asInput(newVersion)];
  return run(budget, async (): Promise<AnalysisResult> => {
    const space = buildSpace([before, after]);
    const target = and(allowFormula(space, after), not(allowFormula(space, before)));
    const first = solve(target, space, budget);
    if (!first) return { status: "holds", steps: budget.steps };
    const found = new Map<string, Omit<Witness, "allowedBy">>();
    for (const attachment of after.identity) {
      for (const s of attachment.policy.statements) {
        if (s.effect !== "Allow") continue;
        const a = solve(and(appliesFormula(space, s), target), space, budget);
        if (a) {
          const w = witnessOf(space, a, new Map());
          found.set(witnessKey(w), w);
        }
      }
    }
    if (found.size === 0) {
      const w = witnessOf(space, first, new Map());
      found.set(witnessKey(w), w);
    }
    const witnesses: Witness[] = [];
    for (const w of found.values()) {
      const [was, now] = [await decideWitness(before, w), await decideWitness(after, w)];
      if (now.decision !== "Allow" || was.decision === "Allow") {
        throw new Undecided(`internal: the witness ${w.action} on ${w.resource} is decided ${was.decision} → ${now.decision} when replayed`);
      }
      witnesses.push({ ...w, allowedBy: now.determining, before: was.decision });
    }
    return { status: "violated", witnesses, steps: budget.steps };
  }) as Promise<AnalysisResult>;
}

export interface AccessQuestion {
  /** RAM actions (`ess:DeleteScalingGroup`, any case); each must be an ESS action of the catalog. */
  readonly actions: readonly string[];
  /** A glob over the resource ARN (exact case, `*` crosses `:` and `/`); any resource when absent. */
  readonly resource?: string;
  /** Tags the target scaling group carries (it may carry others too). */
  readonly resourceTags?: readonly Tag[];
}

/** Can the policies allow one of the actions on a matching resource, under any request context whatsoever? */
export async function findAccessGranted(policies: EvaluationInput | readonly Policy[], question: AccessQuestion, options: AnalysisOptions = {}): Promise<AnalysisResult> {
  const budget = new Budget(options.maxSteps ?? 5_000_000);
  const input = asInput(policies);
  const actions = question.actions.map((a) => {
    const canonical = canonicalAction(a);
    if (canonical === undefined) throw new TypeError(`${a} is not an ESS action`);
    return canonical;
  });
  const tags = question.resourceTags ?? [];
  const fixed = new Map<string, string[]>();
  for (const [key, value] of tags) fixed.set(RESOURCE_TAG + key.toLowerCase(), [...(fixed.get(RESOURCE_TAG + key.toLowerCase()) ?? []), value]);
  return run(budget, async (): Promise<AnalysisResult> => {
    const space = buildSpace([input], { actionPatterns: actions, ...(question.resource ? { resourcePatterns: [question.resource] } : {}), requiredValues: fixed });
    const parts: Formula[] = [
      allowFormula(space, input),
      { t: "action", classes: new Set(actions.map((a) => space.actionClasses.findIndex((c) => c.witness === a))) },
    ];
    if (question.resource !== undefined || tags.length > 0) {
      const glob = question.resource;
      parts.push({
        t: "resource",
        classes: new Set(
          space.resourceClasses.flatMap((r, i) => {
            if (tags.length > 0 && r.shape !== "group") return [];
            return glob === undefined || compileGlob(glob).test(r.witness) ? [i] : [];
          }),
        ),
      });
    }
    for (const [keyLower, values] of fixed) {
      const k = space.keys.findIndex((d) => d.keyLower === keyLower);
      const dim = space.keys[k]!;
      // Exactly the classes of the named values: one tag per spelling, as the group would carry them.
      const wanted = dim.classes.map((c) => values.some((v) => c.outcomes.every((o, j) => o === outcomeOf(dim.conditions[j]!, v))));
      parts.push({ t: "all", key: k, ok: wanted, absent: false });
      wanted.forEach((w, i) => {
        if (w) parts.push({ t: "some", key: k, hit: dim.classes.map((_, j) => j === i), absent: false });
      });
    }
    const a = solve(and(...parts), space, budget);
    if (!a) return { status: "holds", steps: budget.steps };
    const w = witnessOf(space, a, fixed);
    const d = await decideWitness(input, w);
    if (d.decision !== "Allow") throw new Undecided(`internal: the witness ${w.action} on ${w.resource} is decided ${d.decision} when replayed`);
    return { status: "violated", witnesses: [{ ...w, allowedBy: d.determining }], steps: budget.steps };
  }) as Promise<AnalysisResult>;
}
