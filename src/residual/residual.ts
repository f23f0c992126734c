/**
 * Partial evaluation of a principal's policies for a list call (OPA's compile API, Oso's data filtering, CASL's
 * `accessibleBy`): what the request fixes (action, region, account, request tags, global keys) is decided now,
 * and what each scaling group brings (its id and so its ARN, its tags, its resource group) is left as a small
 * boolean tree. `matches(row)` decides that tree with the engine's own matchers, so a row matches exactly when
 * `evaluate` allows the group; `toSql` (./sql.ts) renders the tree for a database.
 */
import type { Effect, Policy, Statement } from "../policy/ast.js";
import type { CompiledCondition } from "../conditions/evaluate.js";
import type { CompiledTarget } from "../match/statement.js";
import { compiledStatement, flowOf } from "../evaluate/evaluate.js";
import { foldKey, resourceContext, sharedValues, type ContextInput, type RequestContext } from "../evaluate/context.js";
import type { EvaluationInput } from "../evaluate/decision.js";
import { toSql, type SqlFilter, type SqlOptions } from "./sql.js";

/** What one list request fixes; everything else about a resource is unknown until a row is read. */
export interface Knowns {
  readonly region: string;
  readonly account: string;
  /** Global condition keys by name (any case); tag keys come only from `requestTags` and the rows. */
  readonly keys?: ContextInput["keys"];
  readonly requestTags?: ContextInput["requestTags"];
}

/** One scaling group as the residual reads it. */
export interface ResidualRow {
  readonly scalingGroupId: string;
  readonly tags: readonly (readonly [string, string])[];
  readonly resourceGroupId?: string;
}

/** The group's ARN matches one of a statement's resource patterns (exact case in Allow, any case in Deny). */
export interface ArnAtom {
  readonly kind: "arn";
  readonly effect: Effect;
  /** The statement's patterns that can match an ARN of the request's region and account. */
  readonly patterns: readonly string[];
  readonly target: CompiledTarget;
}

/** A condition on `acs:ResourceTag/<key>`, held in a statement of `effect` (docs/semantics.md §3). */
export interface TagAtom {
  readonly kind: "tag";
  readonly effect: Effect;
  readonly condition: CompiledCondition;
}

/** The group lies in resource group `id` (resource-group-scope attachments). */
export interface ResourceGroupAtom {
  readonly kind: "resourceGroup";
  readonly id: string;
}

export type Atom = ArnAtom | TagAtom | ResourceGroupAtom;

export type Residual =
  | { readonly kind: "true" }
  | { readonly kind: "false" }
  | { readonly kind: "and"; readonly of: readonly Residual[] }
  | { readonly kind: "or"; readonly of: readonly Residual[] }
  | { readonly kind: "not"; readonly of: Residual }
  | Atom;

export const TRUE: Residual = { kind: "true" };
export const FALSE: Residual = { kind: "false" };

/** Conjunction with constants folded away: `false` absorbs, `true` vanishes. */
export function and(...parts: Residual[]): Residual {
  const of: Residual[] = [];
  for (const p of parts) {
    if (p.kind === "false") return FALSE;
    if (p.kind === "and") of.push(...p.of);
    else if (p.kind !== "true") of.push(p);
  }
  return of.length === 0 ? TRUE : of.length === 1 ? of[0]! : { kind: "and", of };
}

/** Disjunction with constants folded away: `true` absorbs, `false` vanishes. */
export function or(...parts: Residual[]): Residual {
  const of: Residual[] = [];
  for (const p of parts) {
    if (p.kind === "true") return TRUE;
    if (p.kind === "or") of.push(...p.of);
    else if (p.kind !== "false") of.push(p);
  }
  return of.length === 0 ? FALSE : of.length === 1 ? of[0]! : { kind: "or", of };
}

export function not(part: Residual): Residual {
  if (part.kind === "true") return FALSE;
  if (part.kind === "false") return TRUE;
  return { kind: "not", of: part };
}

/** Whether deciding the tree needs the group's id (an ARN pattern); otherwise its tags and resource group decide. */
export function readsGroupId(node: Residual): boolean {
  switch (node.kind) {
    case "and":
    case "or":
      return node.of.some(readsGroupId);
    case "not":
      return readsGroupId(node.of);
    default:
      return node.kind === "arn";
  }
}

/** The ARN of a scaling group up to its id (`acs:ess:<region>:<account>:scalinggroup/`). */
export const groupArnPrefix = (region: string, account: string): string => `acs:ess:${region}:${account}:scalinggroup/`;

/** Keys no request may supply: the rows bring the resource tags. */
const isResourceTagKey = (keyLower: string): boolean => keyLower.startsWith("acs:resourcetag/");

/** A list request's residual: `tree` over the unknowns, and `matches(row)` deciding one group with it. */
export interface ListResidual {
  readonly action: string;
  readonly knowns: Knowns;
  readonly tree: Residual;
  /** The ARN of every group up to its id. */
  readonly arnPrefix: string;
  /** Whether `evaluate` allows `action` on this group; exactly that, by the engine's matchers. */
  matches(row: ResidualRow): boolean;
  /** The residual as a SQL condition for the host's own database (./sql.ts). */
  toSql(options: SqlOptions): SqlFilter;
}

/**
 * Whether a resource pattern (alone in `target`) can match an ARN starting with `prefix`, and whether it matches
 * every such ARN. The literal text before the first wildcard must agree with the prefix; a pattern ending in `*`
 * that matches the bare prefix matches it followed by anything. Compared in the case the engine compares in.
 */
function patternReach(pattern: string, prefix: string, target: CompiledTarget, caseInsensitive: boolean): "none" | "some" | "all" {
  const text = caseInsensitive ? pattern.toLowerCase() : pattern;
  const firstWildcard = text.search(/[*?]/);
  const literal = firstWildcard < 0 ? text : text.slice(0, firstWildcard);
  const common = Math.min(literal.length, prefix.length);
  if (literal.slice(0, common) !== prefix.slice(0, common)) return "none";
  return text.endsWith("*") && target.matchResource(prefix, prefix.toLowerCase()) ? "all" : "some";
}

function arnTerm(statement: Statement, prefix: string): Residual {
  if (!statement.resources) return TRUE; // trust policies: the resource is the role itself
  const caseInsensitive = statement.effect === "Deny";
  const patterns: string[] = [];
  for (const pattern of statement.resources) {
    const one = compiledStatement({ ...statement, resources: [pattern], conditions: [] }).target;
    const reach = patternReach(pattern, prefix, one, caseInsensitive);
    if (reach === "all") return TRUE;
    if (reach === "some") patterns.push(pattern);
  }
  if (patterns.length === 0) return FALSE;
  return { kind: "arn", effect: statement.effect, patterns, target: compiledStatement(statement).target };
}

/** One statement whose action matches, reduced: known conditions decided, the rest left as atoms. */
function statementTerm(statement: Statement, shared: ReadonlyMap<string, readonly string[]>, prefix: string): Residual {
  const compiled = compiledStatement(statement);
  const terms: Residual[] = [arnTerm(statement, prefix)];
  for (const condition of compiled.conditions) {
    if (isResourceTagKey(condition.condition.keyLower)) terms.push({ kind: "tag", effect: statement.effect, condition });
    else if (!condition.holds(shared, statement.effect)) return FALSE;
  }
  return and(...terms);
}

/** A step of RAM's flow reduced to when it allows and when it denies explicitly. */
interface ReducedStep {
  readonly allows: Residual;
  readonly denies: Residual;
}

function reduceStep(policies: readonly Policy[], actionLower: string, shared: ReadonlyMap<string, readonly string[]>, prefix: string): ReducedStep {
  const allows: Residual[] = [];
  const denies: Residual[] = [];
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (!compiledStatement(statement).target.matchAction(actionLower)) continue;
      (statement.effect === "Deny" ? denies : allows).push(statementTerm(statement, shared, prefix));
    }
  }
  return { allows: or(...allows), denies: or(...denies) };
}

/** "The step answers Allow": some Allow applies and no Deny does. */
const stepAllows = (step: ReducedStep): Residual => and(step.allows, not(step.denies));

/**
 * The flow of `decideFlow` (evaluate.ts) over reduced steps: every control level and the session policy must
 * allow; then the owner is allowed; else account scope decides, and only its ImplicitDeny lets the group's
 * resource-group attachments decide.
 */
function flowResidual(input: EvaluationInput, actionLower: string, shared: ReadonlyMap<string, readonly string[]>, prefix: string): Residual {
  const flow = flowOf(input, (policies) => reduceStep(policies, actionLower, shared, prefix));
  const gates = [...flow.control, ...(flow.session ? [flow.session] : [])].map(stepAllows);
  if (flow.owner) return and(...gates);
  const account = flow.account;
  const byResourceGroup = [...flow.resourceGroups].map(([id, step]) => and({ kind: "resourceGroup", id }, stepAllows(step)));
  const implicitDeny = and(not(account.allows), not(account.denies));
  return and(...gates, or(stepAllows(account), and(implicitDeny, or(...byResourceGroup))));
}

function holds(node: Residual, ctx: RequestContext): boolean {
  switch (node.kind) {
    case "true":
      return true;
    case "false":
      return false;
    case "and":
      return node.of.every((n) => holds(n, ctx));
    case "or":
      return node.of.some((n) => holds(n, ctx));
    case "not":
      return !holds(node.of, ctx);
    case "arn":
      return node.target.matchResource(ctx.resource, ctx.resource.toLowerCase());
    case "tag":
      return node.condition.holds(ctx.values, node.effect);
    case "resourceGroup":
      return ctx.resourceGroupId === node.id;
  }
}

const asInput = (policies: EvaluationInput | readonly Policy[]): EvaluationInput =>
  Array.isArray(policies) ? { identity: (policies as readonly Policy[]).map((policy) => ({ policy })) } : (policies as EvaluationInput);

/**
 * Reduces a principal's policies for `action` on the scaling groups of one region and account. Throws a
 * TypeError when a known global key names a tag key (tags come from the request's parameters and the rows).
 */
export function residual(policies: EvaluationInput | readonly Policy[], action: string, knowns: Knowns): ListResidual {
  const keys = knowns.keys === undefined ? [] : Symbol.iterator in knowns.keys ? [...(knowns.keys as Iterable<readonly [string, string]>)] : Object.entries(knowns.keys);
  for (const [key] of keys) {
    const folded = foldKey(key);
    if (isResourceTagKey(folded) || folded.startsWith("acs:requesttag/")) throw new TypeError(`residual: ${key} is a tag key; tags come from requestTags and the rows`);
  }
  const shared = sharedValues(keys, knowns.requestTags);
  const arnPrefix = groupArnPrefix(knowns.region, knowns.account);
  const tree = flowResidual(asInput(policies), action.toLowerCase(), shared, arnPrefix);
  const list: ListResidual = {
    action,
    knowns,
    tree,
    arnPrefix,
    toSql: (options) => toSql(list, options),
    matches(row) {
      const resource = arnPrefix + row.scalingGroupId;
      const ctx = resourceContext(shared, {
        action,
        resource,
        resourceTags: row.tags,
        ...(row.resourceGroupId === undefined ? {} : { resourceGroupId: row.resourceGroupId }),
      });
      return holds(tree, ctx);
    },
  };
  return list;
}
