/**
 * Compiled policy sets: the same decisions as `evaluate`, for many requests over the same policies.
 *
 * `compile` walks RAM's flow once and, for every step of it, indexes the statements by their Action patterns
 * (exact names, `prefix*` patterns, other wildcards and NotAction). A request looks up the statements its
 * action can match, once per distinct action; those are filed by resource (literal ARNs by ARN, the others by
 * the text their matches start with), so only the ones that can match the request's resource are tested.
 * The indexes only narrow the search: every remaining statement is decided by the matchers `evaluate` uses
 * (`compiledStatement`), in the flow `evaluate` uses (`decideFlow`). A trace is the interpreter's, built only
 * when asked.
 */
import type { Effect, Policy } from "../policy/ast.js";
import type { CompiledCondition } from "../conditions/evaluate.js";
import { hasPrefix, hasWildcard, lowerCase } from "../match/glob.js";
import type { CompiledTarget } from "../match/statement.js";
import { ConditionIndex, type Anchorable, type CandidateSink } from "./condition-index.js";
import { appendTo, type RequestContext } from "./context.js";
import type { Decision, DecisionKind, EvaluationInput, Stage, StatementRef } from "./decision.js";
import { appliesToResource, compiledStatement, decideFlow, evaluate, failedDecision, flowOf, ref, type EvaluateOptions, type Flow } from "./evaluate.js";

interface IndexedStatement extends Anchorable {
  /** Position in its step: determining statements are listed in policy and statement order. */
  readonly order: number;
  readonly effect: Effect;
  readonly ref: StatementRef;
  /** The step's decision when this statement is the only one that applies, built once. */
  readonly alone: Decision;
  readonly target: CompiledTarget;
  readonly conditions: readonly CompiledCondition[];
  /** What a resource must be for the statement to have a chance; the matcher decides. Chosen per step. */
  resourceFilter: ResourceFilter;
}

/**
 * A necessary condition on the lower-cased resource, whatever the effect's case rule: equal to one of the
 * literal patterns (lower-cased), or starting with a prefix all patterns share. Prefixes are kept only in
 * ASCII, whose lower case does not depend on the letters around it.
 */
type ResourceFilter =
  | { readonly literals: readonly string[] }
  | { readonly prefix: string }
  | { readonly token: string }
  | { readonly tokenPrefix: string };

/**
 * Statements of one effect whose Action element matches one action, filed by their resource filter, and within
 * each resource group by the request values their conditions need.
 */
interface Candidates {
  readonly literal: ReadonlyMap<string, ConditionIndex<IndexedStatement>>;
  readonly prefixed: readonly (readonly [prefix: string, statements: ConditionIndex<IndexedStatement>])[];
  /** By a whole token of the resource, and by the start of one (with the lengths to cut tokens at). */
  readonly byToken: ReadonlyMap<string, ConditionIndex<IndexedStatement>>;
  readonly byTokenStart: ReadonlyMap<string, ConditionIndex<IndexedStatement>>;
  readonly tokenStartLengths: readonly number[];
}

interface ActionCandidates {
  readonly denies: Candidates;
  readonly allows: Candidates;
}

const NO_CANDIDATES: Candidates = { literal: new Map(), prefixed: [], byToken: new Map(), byTokenStart: new Map(), tokenStartLengths: [] };

/**
 * Candidate lists are kept per distinct action string. Requests choose the action, so the memo is bounded:
 * when full it starts over (a miss costs one index lookup, not a scan of every statement).
 */
const MAX_REMEMBERED_ACTIONS = 4096;

/** Decisions built at compile time are shared by every request, so they are frozen. */
const frozenDecision = (decision: DecisionKind, determining: readonly StatementRef[], stage: Stage): Decision =>
  Object.freeze({ decision, determining: Object.freeze(determining), decidedBy: stage });

const WILDCARD = /[*?]/;
const NON_ASCII = /[^\x00-\x7f]/;

/** Where an Action pattern is filed: its exact name, its literal prefix before a trailing `*`, or neither. */
function actionKey(patternLower: string): { exact: string } | { prefix: string } | undefined {
  const star = patternLower.indexOf("*");
  if (star < 0) return patternLower.includes("?") ? undefined : { exact: patternLower };
  if (star === patternLower.length - 1 && !patternLower.includes("?")) return { prefix: patternLower.slice(0, -1) };
  return undefined;
}

function prefixFilter(resources: readonly string[] | undefined): ResourceFilter {
  // Trust policies have no Resource: the statement applies to any resource.
  if (resources === undefined) return { prefix: "" };
  if (!resources.some(hasWildcard)) return { literals: [...new Set(resources.map((r) => r.toLowerCase()))] };
  const heads = resources.map((r) => {
    const wildcard = r.search(WILDCARD);
    const head = wildcard < 0 ? r : r.slice(0, wildcard);
    const nonAscii = head.search(NON_ASCII);
    return (nonAscii < 0 ? head : head.slice(0, nonAscii)).toLowerCase();
  });
  let prefix = heads[0]!;
  for (const head of heads) while (!head.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return { prefix };
}

/** ARN fields and path parts: a resource's tokens are the runs between these. */
const TOKEN_DELIMITER = /[:/]/;

/**
 * Filters by one token of a wildcard ARN pattern, for patterns whose literal head says little
 * (`acs:ess:*:…:scalinggroup/asg-team7-*`). Between two literal delimiters the pattern's text is a whole token
 * of every resource it matches; after a literal delimiter and before a wildcard, the start of one. Only for a
 * single ASCII pattern: its tokens lower-case letter by letter, whatever the effect's case rule.
 */
function tokenFilters(resources: readonly string[] | undefined): ResourceFilter[] {
  if (resources?.length !== 1 || NON_ASCII.test(resources[0]!) || !hasWildcard(resources[0]!)) return [];
  const pieces = resources[0]!.toLowerCase().split(/[*?]/);
  const filters: ResourceFilter[] = [];
  pieces.forEach((piece, p) => {
    const parts = piece.split(TOKEN_DELIMITER);
    parts.forEach((part, i) => {
      const startsAtDelimiter = i > 0 || p === 0;
      if (!startsAtDelimiter || part === "") return;
      const endsAtDelimiter = i < parts.length - 1 || p === pieces.length - 1;
      filters.push(endsAtDelimiter ? { token: part } : { tokenPrefix: part });
    });
  });
  return filters;
}

const filterKey = (f: ResourceFilter): string =>
  "literals" in f ? `l ${f.literals.join(" ")}` : "prefix" in f ? `p ${f.prefix}` : "token" in f ? `t ${f.token}` : `s ${f.tokenPrefix}`;

/**
 * Each statement's resource filter: the one the fewest statements of the step share (a literal ARN list
 * always), so that a resource visits few statements besides its own.
 */
function chooseResourceFilters(statements: readonly { statement: IndexedStatement; resources: readonly string[] | undefined }[]): void {
  const options = statements.map(({ resources }) => [prefixFilter(resources), ...tokenFilters(resources)]);
  const shared = new Map<string, number>();
  for (const filters of options) for (const f of filters) shared.set(filterKey(f), (shared.get(filterKey(f)) ?? 0) + 1);
  statements.forEach(({ statement }, i) => {
    let best = options[i]![0]!;
    for (const f of options[i]!) if (shared.get(filterKey(f))! < shared.get(filterKey(best))!) best = f;
    statement.resourceFilter = best;
  });
}

function candidatesOf(statements: readonly IndexedStatement[]): Candidates {
  if (statements.length === 0) return NO_CANDIDATES;
  const literal = new Map<string, IndexedStatement[]>();
  const prefixed = new Map<string, IndexedStatement[]>();
  const byToken = new Map<string, IndexedStatement[]>();
  const byTokenStart = new Map<string, IndexedStatement[]>();
  for (const s of statements) {
    const filter = s.resourceFilter;
    if ("literals" in filter) for (const r of filter.literals) appendTo(literal, r, s);
    else if ("prefix" in filter) appendTo(prefixed, filter.prefix, s);
    else if ("token" in filter) appendTo(byToken, filter.token, s);
    else appendTo(byTokenStart, filter.tokenPrefix, s);
  }
  const indexed = (lists: Map<string, IndexedStatement[]>) => new Map([...lists].map(([k, list]) => [k, new ConditionIndex(list)]));
  return {
    literal: indexed(literal),
    prefixed: [...indexed(prefixed)],
    byToken: indexed(byToken),
    byTokenStart: indexed(byTokenStart),
    tokenStartLengths: [...new Set([...byTokenStart.keys()].map((t) => t.length))],
  };
}


/** A decision per set of hits seen, found by walking the hits in order. */
interface MemoNode {
  decision?: Decision;
  next?: Map<IndexedStatement, MemoNode>;
}

/** Decisions of several hits remembered per step; requests choose which sets occur, so the memo is bounded. */
const MAX_REMEMBERED_SETS = 4096;

/**
 * The statements of one step that apply to a request, kept in policy order by insertion (hits from several
 * candidate groups interleave; they are few, so this beats sorting). A step decides one request at a time
 * (evaluation is synchronous and never re-enters), so it reuses one collector and remembers the decision of
 * each set of hits: deciding a request usually allocates nothing.
 */
class Hits implements CandidateSink<IndexedStatement> {
  private readonly list: IndexedStatement[] = [];
  private count = 0;
  private readonly memo: MemoNode = {};
  private remembered = 0;
  private ctx: RequestContext | undefined;
  private resourceLower = "";
  round = 0;

  /** Starts a request: candidates handed to `visit` are kept when they apply to `ctx`. */
  reset(ctx: RequestContext, resourceLower: string): void {
    this.count = 0;
    this.round++;
    this.ctx = ctx;
    this.resourceLower = resourceLower;
  }

  visit(s: IndexedStatement): void {
    if (appliesToResource(s, s.effect, this.ctx!, this.resourceLower)) this.add(s);
  }

  private add(s: IndexedStatement): void {
    const list = this.list;
    let i = this.count++;
    for (; i > 0 && list[i - 1]!.order > s.order; i--) list[i] = list[i - 1]!;
    list[i] = s;
  }

  /** All hits have the candidates' effect; undefined when there are none. */
  decision(stage: Stage): Decision | undefined {
    if (this.count <= 1) return this.count === 0 ? undefined : this.list[0]!.alone;
    let node = this.memo;
    for (let i = 0; i < this.count; i++) {
      let next = node.next?.get(this.list[i]!);
      if (!next) {
        if (this.remembered >= MAX_REMEMBERED_SETS) return this.build(stage);
        this.remembered++;
        next = {};
        (node.next ??= new Map()).set(this.list[i]!, next);
      }
      node = next;
    }
    return (node.decision ??= this.build(stage));
  }

  private build(stage: Stage): Decision {
    const hits = this.list.slice(0, this.count);
    return frozenDecision(hits[0]!.alone.decision, hits.map((s) => s.ref), stage);
  }
}

/** The step's decision from the statements of `candidates` that apply to the request; undefined when none does. */
function applying(candidates: Candidates, ctx: RequestContext, resourceLower: string, stage: Stage, hits: Hits): Decision | undefined {
  hits.reset(ctx, resourceLower);
  candidates.literal.get(resourceLower)?.collect(ctx.values, hits);
  for (const [prefix, statements] of candidates.prefixed) if (hasPrefix(resourceLower, prefix)) statements.collect(ctx.values, hits);
  if (candidates.byToken.size + candidates.byTokenStart.size > 0) {
    for (const token of resourceLower.split(TOKEN_DELIMITER)) {
      candidates.byToken.get(token)?.collect(ctx.values, hits);
      for (const length of candidates.tokenStartLengths) if (length <= token.length) candidates.byTokenStart.get(token.slice(0, length))?.collect(ctx.values, hits);
    }
  }
  return hits.decision(stage);
}

/** One step of the flow (a control level, the session policy, an identity scope) with its indexes. */
class IndexedStep {
  private readonly exact = new Map<string, IndexedStatement[]>();
  private readonly prefixed = new Map<string, IndexedStatement[]>();
  /** Statements with other wildcard patterns (`*:ListTagResources`, `ess:Describe?*`) or NotAction. */
  private readonly general: IndexedStatement[] = [];
  private readonly byAction = new Map<string, ActionCandidates>();
  /** Candidates by the statements they hold; at most one entry per distinct set of matching statements. */
  private readonly bySameStatements = new Map<string, ActionCandidates>();
  private readonly stage: Stage;
  private readonly implicitDeny: Decision;
  private readonly hits = new Hits();

  constructor(policies: readonly Policy[], stage: Stage) {
    this.stage = stage;
    this.implicitDeny = frozenDecision("ImplicitDeny", [], stage);
    const filed: { statement: IndexedStatement; resources: readonly string[] | undefined }[] = [];
    let order = 0;
    for (const policy of policies) {
      for (const statement of policy.statements) {
        const { target, conditions } = compiledStatement(statement);
        const statementRef = Object.freeze(ref(policy, statement, stage));
        const s: IndexedStatement = {
          order: order++,
          effect: statement.effect,
          ref: statementRef,
          alone: frozenDecision(statement.effect === "Deny" ? "ExplicitDeny" : "Allow", [statementRef], stage),
          target,
          conditions,
          resourceFilter: { prefix: "" }, // chosen below, once every statement of the step is known
          visited: 0,
        };
        filed.push({ statement: s, resources: statement.resources });
        if (statement.actionKind === "NotAction") {
          this.general.push(s);
          continue;
        }
        for (const pattern of new Set(statement.actions.map((a) => a.toLowerCase()))) {
          const key = actionKey(pattern);
          if (key === undefined) this.general.push(s);
          else if ("exact" in key) appendTo(this.exact, key.exact, s);
          else appendTo(this.prefixed, key.prefix, s);
        }
      }
    }
    chooseResourceFilters(filed);
  }

  decide(ctx: RequestContext): Decision {
    const { denies, allows } = this.candidates(ctx.action);
    if (denies === NO_CANDIDATES && allows === NO_CANDIDATES) return this.implicitDeny;
    const resourceLower = lowerCase(ctx.resource);
    return applying(denies, ctx, resourceLower, this.stage, this.hits) ?? applying(allows, ctx, resourceLower, this.stage, this.hits) ?? this.implicitDeny;
  }

  private candidates(action: string): ActionCandidates {
    let c = this.byAction.get(action);
    if (c === undefined) {
      if (this.byAction.size >= MAX_REMEMBERED_ACTIONS) this.byAction.clear();
      c = this.lookUp(action.toLowerCase());
      this.byAction.set(action, c);
    }
    return c;
  }

  /** The index narrows the statements down; each statement's own action matcher has the last word. */
  private lookUp(actionLower: string): ActionCandidates {
    const found = new Set<IndexedStatement>(this.exact.get(actionLower));
    for (const [prefix, list] of this.prefixed) if (actionLower.startsWith(prefix)) for (const s of list) found.add(s);
    for (const s of this.general) found.add(s);
    const matching = [...found].filter((s) => s.target.matchAction(actionLower)).sort((a, b) => a.order - b.order);
    // Actions that match the same statements (every `Describe*` under `ess:Describe*`) share one set of indexes:
    // built once, and small enough to stay in the CPU's caches.
    const key = matching.map((s) => s.order).join(",");
    let shared = this.bySameStatements.get(key);
    if (shared === undefined) {
      if (this.bySameStatements.size >= MAX_REMEMBERED_ACTIONS) this.bySameStatements.clear();
      shared = { denies: candidatesOf(matching.filter((s) => s.effect === "Deny")), allows: candidatesOf(matching.filter((s) => s.effect === "Allow")) };
      this.bySameStatements.set(key, shared);
    }
    return shared;
  }
}

const indexedStep = (policies: readonly Policy[], stage: Stage): IndexedStep => new IndexedStep(policies, stage);

const runStep = (step: IndexedStep, ctx: RequestContext): Decision => step.decide(ctx);

/** A principal's policies compiled for repeated decisions. Policies are immutable: compile again to change them. */
export class PolicySet {
  readonly input: EvaluationInput;
  private readonly flow: Flow<IndexedStep>;

  constructor(input: EvaluationInput) {
    this.input = input;
    this.flow = flowOf(input, indexedStep);
  }

  /** Decides one request exactly as `evaluate(this.input, ctx, options)` does; never throws. */
  evaluate(ctx: RequestContext, options?: EvaluateOptions): Decision {
    // A trace reports every statement, indexed or not: that is the interpreter's walk.
    if (options?.trace) return evaluate(this.input, ctx, options);
    try {
      return decideFlow(this.flow, ctx, ctx.resourceGroupId, runStep);
    } catch (e) {
      return failedDecision(e);
    }
  }
}

/** Compiles a principal's policies; a plain list is a RAM user's identity policies at account scope. */
export function compile(input: EvaluationInput | readonly Policy[]): PolicySet {
  return new PolicySet(isPolicyList(input) ? { identity: input.map((policy) => ({ policy })) } : input);
}

const isPolicyList = (input: EvaluationInput | readonly Policy[]): input is readonly Policy[] => Array.isArray(input);
