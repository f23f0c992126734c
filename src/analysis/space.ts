import type { Condition, Effect, Policy, Statement } from "../policy/ast.js";
import type { EvaluationInput } from "../evaluate/decision.js";
import { compiledStatement, flowOf } from "../evaluate/evaluate.js";
import { holdsWhenAbsent, OPERATORS } from "../conditions/operators.js";
import { OPERATIONS } from "../ess/catalog.js";
import { compileGlob } from "../match/glob.js";
import type { EssOperation } from "../ess/types.js";
import { wireOf } from "../diff/universe.js";
import { and, not, or, TRUE, type Formula, type SearchSpace } from "./solve.js";
import { KNOWN_REGIONS } from "../lint/regions.js";
import { actionNameDomain, anyStringDomain, arnParts, essResourceClasses, matchVector, stringClasses, Undecided, type ArnParts, type StringPattern } from "./strings.js";
import { valueClasses, type Outcome, type ValueClass } from "./values.js";

/**
 * The dimensions of an access question and its encoding: action classes (each ESS action of the catalog, and
 * the classes of names outside it that the patterns tell apart), resource classes (ESS ARN shapes, and any
 * string for actions outside the catalog), and per condition key the classes of its values.
 */

/** `all`: `*`; `create`: `scalinggroup/*`; `group`: a group ARN; `any`: any string (actions outside the catalog). */
export type ResourceShape = "all" | "create" | "group" | "any";

export interface ActionClass {
  readonly witness: string;
  /** The catalog operations authorized as this action; empty for names outside the catalog. */
  readonly operations: readonly EssOperation[];
}

export interface ResourceClass {
  readonly witness: string;
  readonly shape: ResourceShape;
}

export interface KeyDimension {
  readonly keyLower: string;
  readonly conditions: readonly Condition[];
  readonly classes: readonly ValueClass[];
}

export interface Space extends SearchSpace {
  readonly actionClasses: readonly ActionClass[];
  readonly resourceClasses: readonly ResourceClass[];
  /**
   * The resource groups a target can be in: each one an attachment is scoped to, and (first) none of them, which
   * stands for no resource group and for every group no attachment names.
   */
  readonly resourceGroups: readonly (string | undefined)[];
  readonly keys: readonly KeyDimension[];
}

const STATEMENT_FIELDS = new Set(["index", "sid", "effect", "actionKind", "actions", "resources", "conditions", "pointer", "span"]);
const CONDITION_FIELDS = new Set(["operator", "qualifier", "key", "keyLower", "values", "pointer"]);

/** Refuses any construct this analysis was not written for (a new statement element, condition field or operator). */
function assertUnderstood(statement: Statement, policy: Policy): void {
  const where = `${policy.name} statement ${statement.index}`;
  for (const field of Object.keys(statement)) if (!STATEMENT_FIELDS.has(field)) throw new Undecided(`${where}: element "${field}" is not analysed`);
  for (const c of statement.conditions) {
    for (const field of Object.keys(c)) if (!CONDITION_FIELDS.has(field)) throw new Undecided(`${where}: condition ${c.operator} has "${field}", which is not analysed`);
    if (!Object.prototype.hasOwnProperty.call(OPERATORS, c.operator)) throw new Undecided(`${where}: operator ${c.operator} is not analysed`);
  }
}

/** Every policy an evaluation input names, at every stage. */
export function policiesOf(input: EvaluationInput): Policy[] {
  return [...(input.control?.levels.flat() ?? []), ...(input.session ? [input.session] : []), ...input.identity.map((a) => a.policy)];
}

/** How many spellings a lower-case name has that fold to it (ASCII letters: two each), capped. */
function caseVariants(lower: string): number {
  const letters = [...lower].filter((c) => c.toUpperCase() !== c).length;
  return letters >= 30 ? Number.MAX_SAFE_INTEGER : 2 ** letters;
}

export const REQUEST_TAG = "acs:requesttag/";
export const RESOURCE_TAG = "acs:resourcetag/";

export function supportsShape(op: EssOperation, shape: ResourceShape): boolean {
  if (shape === "all") return op.resource === "all" || op.unboundTasks;
  return op.resource === shape;
}

export interface Extras {
  readonly actionPatterns?: readonly string[];
  readonly resourcePatterns?: readonly string[];
  /** Values a key must be able to take as they are (the resource tags a check names). */
  readonly requiredValues?: ReadonlyMap<string, readonly string[]>;
}

const CATALOG = [...new Map(OPERATIONS.map((op) => [op.ramAction.toLowerCase(), op.ramAction])).entries()];
/** Action names outside the catalog (compared lower-cased, as action matching does). */
const OUTSIDE_CATALOG = actionNameDomain(CATALOG.map(([lower]) => lower));
const ANY_STRING = anyStringDomain();

export function buildSpace(inputs: readonly EvaluationInput[], extras: Extras = {}): Space {
  const statements: Statement[] = [];
  for (const input of inputs) {
    for (const policy of policiesOf(input)) {
      for (const s of policy.statements) {
        assertUnderstood(s, policy);
        statements.push(s);
      }
    }
  }
  const actionPatterns: StringPattern[] = [...statements.flatMap((s) => s.actions), ...(extras.actionPatterns ?? [])].map((text) => ({ text: text.toLowerCase(), glob: true, fold: false }));
  const actionVector = matchVector(actionPatterns);
  const actionClasses: ActionClass[] = [
    ...CATALOG.map(([lower, action]) => ({ witness: action, operations: OPERATIONS.filter((op) => op.ramAction.toLowerCase() === lower) })),
    ...stringClasses(actionPatterns, OUTSIDE_CATALOG).map((c) => ({ witness: readableAction(actionVector, c.witness), operations: [] })),
  ];
  const resourcePatterns: StringPattern[] = [
    ...statements.flatMap((s) => (s.resources ?? []).map((text) => ({ text, glob: true, fold: s.effect === "Deny" }))),
    ...(extras.resourcePatterns ?? []).map((text) => ({ text, glob: true, fold: false })),
  ];
  const resourceVector = matchVector(resourcePatterns);
  const resourceClasses: ResourceClass[] = [
    ...essResourceClasses(resourcePatterns).map((c) => ({ witness: readableArn(resourceVector, c.witness), shape: c.shape as ResourceShape })),
    ...stringClasses(resourcePatterns, ANY_STRING).map((c) => ({ witness: c.witness, shape: "any" as const })),
  ];
  const byKey = new Map<string, Condition[]>();
  for (const s of statements) for (const c of s.conditions) byKey.set(c.keyLower, [...(byKey.get(c.keyLower) ?? []), c]);
  for (const key of extras.requiredValues?.keys() ?? []) if (!byKey.has(key)) byKey.set(key, []);
  const keys: KeyDimension[] = [...byKey].map(([keyLower, conditions]) => {
    if (keyLower === REQUEST_TAG || keyLower === RESOURCE_TAG) throw new Undecided(`condition key ${keyLower} names no tag key`);
    return { keyLower, conditions, classes: valueClasses(conditions, extras.requiredValues?.get(keyLower) ?? []) };
  });

  const resourceGroups = [undefined, ...new Set(inputs.flatMap((input) => input.identity.flatMap((a) => (a.scope && a.scope !== "account" ? [a.scope.resourceGroupId] : []))))];
  // Only a scaling group is in a resource group (docs/semantics.md §4, §5); outside the catalog, any resource may be.
  const noGroup = [0];
  const everyGroup = resourceGroups.map((_, i) => i);
  const groupsFor = (_action: number, resource: number): readonly number[] => {
    const shape = resourceClasses[resource]!.shape;
    return shape === "group" || shape === "any" ? everyGroup : noGroup;
  };
  const resourcesByShape = new Map<ResourceShape, number[]>();
  resourceClasses.forEach((r, i) => resourcesByShape.set(r.shape, [...(resourcesByShape.get(r.shape) ?? []), i]));
  const resourcesFor = (action: number): number[] => {
    const ops = actionClasses[action]!.operations;
    if (ops.length === 0) return resourcesByShape.get("any") ?? [];
    return (["all", "create", "group"] as const).flatMap((shape) => (ops.some((op) => supportsShape(op, shape)) ? (resourcesByShape.get(shape) ?? []) : []));
  };
  const maxValues = (key: number, action: number, resource: number): number => {
    const ops = actionClasses[action]!.operations;
    const shape = resourceClasses[resource]!.shape;
    const keyLower = keys[key]!.keyLower;
    if (ops.length === 0) return Number.MAX_SAFE_INTEGER;
    if (keyLower.startsWith(REQUEST_TAG)) {
      return ops.some((op) => supportsShape(op, shape) && wireOf(op).wire.tags !== undefined) ? Number.MAX_SAFE_INTEGER : 0;
    }
    if (keyLower.startsWith(RESOURCE_TAG)) return shape === "group" ? caseVariants(keyLower.slice(RESOURCE_TAG.length)) : 0;
    // acs:TagKeys is not available for ESS (docs/semantics.md §5): no request carries it.
    if (keyLower === "acs:tagkeys") return 0;
    return caseVariants(keyLower);
  };
  return {
    actionClasses,
    resourceClasses,
    resourceGroups,
    keys,
    actions: distinctActions(actionClasses, statements, extras.actionPatterns ?? []),
    resourcesFor,
    groupsFor,
    keyClasses: keys.map((k) => k.classes.length),
    maxValues,
  };
}

/**
 * One action class of each group that every statement's Action / NotAction and every pattern of the question
 * match alike, and whose operations reach the same resource shapes with the same tag parameters: the members of
 * a group answer every question alike, so the search tries one (of ~100 catalog actions, typically a dozen).
 */
function distinctActions(actionClasses: readonly ActionClass[], statements: readonly Statement[], questionPatterns: readonly string[]): number[] {
  const targets = statements.map((s) => compiledStatement(s).target);
  const globs = questionPatterns.map((p) => compileGlob(p.toLowerCase()));
  const seen = new Set<string>();
  return actionClasses.flatMap((a, i) => {
    const lower = a.witness.toLowerCase();
    const reach = (["all", "create", "group"] as const).map((shape) => {
      const ops = a.operations.filter((op) => supportsShape(op, shape));
      return ops.length === 0 ? "-" : ops.some((op) => wireOf(op).wire.tags !== undefined) ? "t" : "r";
    });
    const profile = `${a.operations.length === 0 ? "outside" : reach.join("")}|${targets.map((t) => Number(t.matchAction(lower))).join("")}|${globs.map((g) => Number(g.test(lower))).join("")}`;
    if (seen.has(profile)) return [];
    seen.add(profile);
    return [i];
  });
}

const READABLE = { region: ["cn-hangzhou", ...[...KNOWN_REGIONS].sort()], account: ["1609982529920904", "1234567812345678"], groupId: ["asg-example0001"] } as const;

/**
 * The witness ARN with a real region, a plausible account and group id wherever one keeps it in its class (the
 * same patterns match it): `acs:ess:cn-shanghai:…` reads better than the shortest string, `acs:ess:a:0:…`.
 */
function readableArn(vectorOf: (text: string) => string, arn: string): string {
  if (arn === "*") return arn;
  const want = vectorOf(arn);
  let parts = arnParts(arn);
  const build = (p: ArnParts): string => `acs:ess:${p.region}:${p.account}:scalinggroup/${p.groupId ?? "*"}`;
  for (const field of ["region", "account", "groupId"] as const) {
    if (field === "groupId" && parts.groupId === undefined) continue;
    const better = READABLE[field].map((value) => ({ ...parts, [field]: value })).find((p) => vectorOf(build(p)) === want);
    if (better) parts = better;
  }
  return build(parts);
}

/** Names outside the catalog that read as actions, used as witnesses wherever one stays in its class. */
const READABLE_ACTIONS = ["ess:FutureOperation", "ecs:RunInstances", "ess:DeleteFutureScalingGroup", "ess:DescribeFutureItems"];

function readableAction(vectorOf: (text: string) => string, action: string): string {
  const want = vectorOf(action);
  return READABLE_ACTIONS.find((a) => vectorOf(a.toLowerCase()) === want) ?? action;
}

const indexesWhere = <T>(items: readonly T[], test: (item: T) => boolean): Set<number> => new Set(items.flatMap((x, i) => (test(x) ? [i] : [])));

/** Whether a statement applies, over the classes of the space. */
export function appliesFormula(space: Space, statement: Statement): Formula {
  const target = compiledStatement(statement).target;
  const parts: Formula[] = [
    { t: "action", classes: indexesWhere(space.actionClasses, (a) => target.matchAction(a.witness.toLowerCase())) },
    { t: "resource", classes: indexesWhere(space.resourceClasses, (r) => target.matchResource(r.witness, r.witness.toLowerCase())) },
  ];
  for (const c of statement.conditions) {
    const key = space.keys.findIndex((k) => k.keyLower === c.keyLower);
    const dim = space.keys[key]!;
    const j = dim.conditions.indexOf(c);
    parts.push(conditionFormula(c, statement.effect, key, dim.classes.map((v) => v.outcomes[j]!)));
  }
  return and(...parts);
}

/**
 * Whether one condition holds, from the outcomes of its key's value classes (docs/semantics.md §3): an
 * indeterminate value decides for the effect; otherwise an unqualified Allow and `ForAllValues:` need every
 * value to satisfy the operator, an unqualified Deny and `ForAnyValue:` one; an absent key is as `holdsWhenAbsent`.
 */
function conditionFormula(c: Condition, effect: Effect, key: number, outcomes: readonly Outcome[]): Formula {
  const where = (...wanted: Outcome[]): boolean[] => outcomes.map((o) => wanted.includes(o));
  const absent = holdsWhenAbsent(OPERATORS[c.operator], c.qualifier);
  const needsEvery = c.qualifier === undefined ? effect === "Allow" : c.qualifier === "ForAllValues";
  if (effect === "Allow") {
    // Every value satisfies; or, for one that must, no value is indeterminate.
    if (needsEvery) return { t: "all", key, ok: where("true"), absent };
    return and({ t: "some", key, hit: where("true"), absent }, { t: "all", key, ok: where("true", "false"), absent });
  }
  // In a Deny an indeterminate value makes the condition hold, whatever the others are.
  if (needsEvery) return or({ t: "some", key, hit: where("indeterminate"), absent }, { t: "all", key, ok: where("true"), absent });
  return { t: "some", key, hit: where("true", "indeterminate"), absent };
}

interface StepFormula {
  readonly allow: Formula;
  readonly deny: Formula;
}

/** Whether the whole flow (control levels, session, owner, identity) allows: docs/semantics.md §4, through `flowOf`. */
export function allowFormula(space: Space, input: EvaluationInput): Formula {
  const flow = flowOf(input, (policies): StepFormula => {
    const statements = policies.flatMap((p) => p.statements);
    return {
      allow: or(...statements.filter((s) => s.effect === "Allow").map((s) => appliesFormula(space, s))),
      deny: or(...statements.filter((s) => s.effect === "Deny").map((s) => appliesFormula(space, s))),
    };
  });
  const allows = (step: StepFormula): Formula => and(step.allow, not(step.deny));
  // Step 3: the target's resource-group attachments decide only when those at account scope say ImplicitDeny.
  const inGroup = [...flow.resourceGroups].map(([id, step]): Formula => and({ t: "group", classes: new Set([space.resourceGroups.indexOf(id)]) }, allows(step)));
  const identity = inGroup.length === 0 ? allows(flow.account) : or(allows(flow.account), and(not(flow.account.allow), not(flow.account.deny), or(...inGroup)));
  return and(...flow.control.map(allows), flow.session ? allows(flow.session) : TRUE, flow.owner ? TRUE : identity);
}
