/**
 * Compiled policy sets: the same decisions as `evaluate`, for many requests over the same policies.
 *
 * `compile` walks RAM's flow once and, for every step of it, groups the statements by their Action element and
 * indexes the groups by their patterns (exact names, `prefix*` patterns, other wildcards and NotAction). A
 * request looks up the statements its action can match, once per distinct action; each of those is filed once,
 * by its resource (literal ARNs by ARN, wildcard ones by a literal prefix or token) or by the request values one
 * of its conditions needs (`condition-index.ts`), whichever fewer statements share — so a request visits few
 * statements besides the ones that apply. The indexes only narrow the search: every visited statement is
 * decided by the matchers `evaluate` uses (`compiledStatement`), in the flow `evaluate` uses (`decideFlow`),
 * Denies first; the one condition the index can prove for a request (its anchor, met through an entry that
 * implies it) is not read again. A trace is the interpreter's, built only when asked.
 */
import type { Effect, Policy, Statement } from "../policy/ast.js";
import type { CompiledCondition } from "../conditions/evaluate.js";
import { hasPrefix, hasWildcard } from "../match/glob.js";
import { BoundedMemo } from "../bounded-memo.js";
import { listKey, mixHash } from "../match/list-key.js";
import type { CompiledTarget, ResourcePatterns } from "../match/statement.js";
import { AnchorChooser, ConditionIndex, visitOnce, type Anchor, type Anchorable, type CandidateSink } from "./condition-index.js";
import { appendTo, copyLists, type RequestContext } from "./context.js";
import type { Decision, DecisionKind, EvaluationInput, Stage, StatementRef } from "./decision.js";
import { decideFlow, evaluate, failedDecision, flowOf, ref, statementMatchers, type EvaluateOptions, type Flow } from "./evaluate.js";

interface IndexedStatement extends Anchorable {
  /** Position in its step: determining statements are listed in policy and statement order. */
  readonly order: number;
  readonly effect: Effect;
  readonly policy: Policy;
  readonly statement: Statement;
  /**
   * How decisions name it, and the step's decision when it is the only one that applies: each built once, on first
   * use (`refOf`, `aloneOf`), as most statements of a large set never apply to a request.
   */
  ref: StatementRef | undefined;
  alone: Decision | undefined;
  readonly resources: ResourcePatterns;
  readonly conditions: readonly CompiledCondition[];
  /** Where the per-action indexes file it, chosen once for the step. */
  filing: Filing;
}

/** A statement is filed once: by its resource, or by a condition's anchor. */
type Filing = { readonly resource: ResourceFilter } | { readonly condition: Anchor };

/** Every resource starts with the empty prefix. */
const ANYWHERE: Filing = { resource: { prefix: "" } };

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
 * The statements whose Action element matches one action (both effects), each filed once: by its resource filter
 * or by one of its conditions, whichever fewer of them share. A request visits the statements its resource or its
 * condition values reach; each visited statement is then decided by its own matchers.
 */
interface Candidates {
  readonly literal: ReadonlyMap<string, IndexedStatement[]>;
  readonly prefixed: readonly (readonly [prefix: string, statements: IndexedStatement[]])[];
  /** By a whole token of the resource, and by the start of one (with the lengths to cut tokens at). */
  readonly byToken: ReadonlyMap<string, IndexedStatement[]>;
  readonly byTokenStart: ReadonlyMap<string, IndexedStatement[]>;
  readonly tokenStartLengths: readonly number[];
  readonly byCondition: ConditionIndex<IndexedStatement>;
}

const NO_CANDIDATES: Candidates = {
  literal: new Map(),
  prefixed: [],
  byToken: new Map(),
  byTokenStart: new Map(),
  tokenStartLengths: [],
  byCondition: new ConditionIndex([], []),
};

/**
 * Candidate lists are kept per distinct action string. Requests choose the action, so the memo is bounded:
 * when full it starts over (a miss costs one index lookup, not a scan of every statement).
 */
const MAX_REMEMBERED_ACTIONS = 4096;

/** A group with fewer statements than the largest of its set over this ratio is filed onto a copy of the others' indexes. */
const SMALL_GROUP_RATIO = 8;

/** Decisions built at compile time are shared by every request, so they are frozen. */
const frozenDecision = (decision: DecisionKind, determining: readonly StatementRef[], stage: Stage): Decision =>
  Object.freeze({ decision, determining: Object.freeze(determining), decidedBy: stage });

const refOf = (s: IndexedStatement, stage: Stage): StatementRef => (s.ref ??= Object.freeze(ref(s.policy, s.statement, stage)));

/** What statements of one effect decide when they apply. */
const decisionOf = (effect: Effect): DecisionKind => (effect === "Deny" ? "ExplicitDeny" : "Allow");

const aloneOf = (s: IndexedStatement, stage: Stage): Decision => (s.alone ??= frozenDecision(decisionOf(s.effect), [refOf(s, stage)], stage));

const WILDCARD = /[*?]/;
const NON_ASCII = /[^\x00-\x7f]/;

/** A statement's action patterns as its group knows them: lower-cased, sorted, without repeats. */
const actionPatterns = (actions: readonly string[]): readonly string[] =>
  actions.length === 1 ? [actions[0]!.toLowerCase()] : [...new Set(actions.map((a) => a.toLowerCase()))].sort();

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
 * Filters by one token of a wildcard ARN pattern's resource id, for patterns whose literal head says little
 * (`acs:ess:*:…:scalinggroup/asg-team7-*`). Between two literal delimiters the pattern's text is a whole token
 * of every resource it matches; after a literal delimiter and before a wildcard, the start of one. Only tokens
 * after a `/` (the id, not the service, region, account or resource type every request names), and only for a
 * single ASCII pattern: its tokens lower-case letter by letter, whatever the effect's case rule.
 */
function tokenFilters(resources: readonly string[] | undefined): ResourceFilter[] {
  if (resources?.length !== 1 || NON_ASCII.test(resources[0]!) || !hasWildcard(resources[0]!)) return [];
  const pieces = resources[0]!.toLowerCase().split(/[*?]/);
  const filters: ResourceFilter[] = [];
  let inId = false;
  pieces.forEach((piece, p) => {
    const parts = piece.split(TOKEN_DELIMITER);
    let at = 0;
    parts.forEach((part, i) => {
      if (i > 0 && piece[at - 1] === "/") inId = true;
      at += part.length + 1;
      const startsAtDelimiter = i > 0 || p === 0;
      if (!inId || !startsAtDelimiter || part === "") return;
      const endsAtDelimiter = i < parts.length - 1 || p === pieces.length - 1;
      filters.push(endsAtDelimiter ? { token: part } : { tokenPrefix: part });
    });
  });
  return filters;
}

const filterKey = (f: ResourceFilter): string =>
  "literals" in f ? `l ${f.literals.join(" ")}` : "prefix" in f ? `p ${f.prefix}` : "token" in f ? `t ${f.token}` : `s ${f.tokenPrefix}`;

/** A statement's resource filter as filed, and how many statements share it. */
interface ResourceChoice {
  readonly filing: Filing;
  readonly filter: ResourceFilter;
  readonly shared: number;
}

/**
 * Each statement's resource filter: the one the fewest statements share (a literal ARN list always), so that
 * a resource visits few statements besides its own; with how many share it (all of them for the empty prefix,
 * which every resource reaches).
 */
function chooseResourceFilters(statements: readonly IndexedStatement[]): ResourceChoice[] {
  // Statements repeat Resource elements: each distinct one is read once, and its choice made once. Statements
  // with one matcher have the same resources (compileTarget shares one only then), so the matcher stands for them.
  const known = new Map<ResourcePatterns, { filter: ResourceFilter; key: string }[]>();
  const options = statements.map((s) => {
    let filters = known.get(s.resources);
    if (filters === undefined) {
      const resources = s.statement.resources;
      known.set(s.resources, (filters = [prefixFilter(resources), ...tokenFilters(resources)].map((filter) => ({ filter, key: filterKey(filter) }))));
    }
    return filters;
  });
  const shared = new Map<string, number>();
  for (let i = 0; i < options.length; i++) for (const { key } of options[i]!) shared.set(key, (shared.get(key) ?? 0) + 1);
  const cost = ({ filter, key }: { filter: ResourceFilter; key: string }): number => ("prefix" in filter && filter.prefix === "" ? statements.length : shared.get(key)!);
  const choices = new Map<readonly { filter: ResourceFilter; key: string }[], ResourceChoice>();
  return options.map((filters) => {
    let choice = choices.get(filters);
    if (choice !== undefined) return choice;
    let best = filters[0]!;
    let bestCost = cost(best);
    for (const f of filters) {
      const c = cost(f);
      if (c < bestCost) [best, bestCost] = [f, c];
    }
    choices.set(filters, (choice = { filing: { resource: best.filter }, filter: best.filter, shared: bestCost }));
    return choice;
  });
}

/**
 * Each statement's filing: by its resource filter or by its most selective condition, whichever fewer
 * statements of the step share. Chosen once for the step, so that the indexes of each action only sort the
 * statements into place. `anchorChooser` was given each statement's conditions, in this order.
 */
function chooseFilings(statements: readonly IndexedStatement[], anchorChooser: AnchorChooser): void {
  const filters = chooseResourceFilters(statements);
  const anchors = anchorChooser.choose();
  // Statements sharing an anchor share its filing.
  const byAnchor = new Map<Anchor, Filing>();
  statements.forEach((s, i) => {
    const { filing, filter, shared } = filters[i]!;
    const anchor = anchors[i];
    // A prefix that stops before the resource id (`acs:ess:cn-hangzhou:<account>:`) is reached by most requests,
    // however few statements share it: a condition's values narrow more.
    const reach = "prefix" in filter && !filter.prefix.includes("/") ? statements.length : shared;
    if (anchor !== undefined && anchor.shared < reach) {
      let byCondition = byAnchor.get(anchor.anchor);
      if (byCondition === undefined) byAnchor.set(anchor.anchor, (byCondition = { condition: anchor.anchor }));
      s.filing = byCondition;
      s.anchorAt = anchor.position;
    } else s.filing = filing;
  });
}

/** Files the statements of `groups` as chosen for their step, beside the statements `base` holds. */
function candidatesOf(groups: readonly ActionGroup[], base?: Candidates): Candidates {
  if (groups.length === 0) return base ?? NO_CANDIDATES;
  const literal = base ? copyLists(base.literal) : new Map<string, IndexedStatement[]>();
  const prefixed = base ? copyLists(base.prefixed) : new Map<string, IndexedStatement[]>();
  const byToken = base ? copyLists(base.byToken) : new Map<string, IndexedStatement[]>();
  const byTokenStart = base ? copyLists(base.byTokenStart) : new Map<string, IndexedStatement[]>();
  const anchored: IndexedStatement[] = [];
  const anchors: Anchor[] = [];
  for (let g = 0; g < groups.length; g++) {
    const statements = groups[g]!.statements;
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      const filing = s.filing;
      if ("condition" in filing) {
        anchored.push(s);
        anchors.push(filing.condition);
        continue;
      }
      const filter = filing.resource;
      if ("literals" in filter) for (const r of filter.literals) appendTo(literal, r, s);
      else if ("prefix" in filter) appendTo(prefixed, filter.prefix, s);
      else if ("token" in filter) appendTo(byToken, filter.token, s);
      else appendTo(byTokenStart, filter.tokenPrefix, s);
    }
  }
  return {
    literal,
    prefixed: [...prefixed],
    byToken,
    byTokenStart,
    tokenStartLengths: [...new Set([...byTokenStart.keys()].map((t) => t.length))],
    byCondition: new ConditionIndex(anchored, anchors, base?.byCondition),
  };
}

/** The decision of one set of hits, with the hits (in order) that tell it apart from others of its hash. */
interface RememberedSet {
  readonly hits: readonly IndexedStatement[];
  readonly decision: Decision;
}

/** Decisions of several hits remembered per step; requests choose which sets occur, so the memo is bounded. */
const MAX_REMEMBERED_SETS = 4096;

/**
 * The statements of one step that apply to a request. Candidates are gathered first, Denies apart from Allows,
 * and decided afterwards: when a Deny applies, no Allow needs deciding. Hits are kept in policy order by
 * insertion (they are few, so this beats sorting). A step decides one request at a time (evaluation is
 * synchronous and never re-enters), so it reuses its lists and remembers the decision of each set of hits:
 * deciding a request usually allocates nothing.
 */
class Hits implements CandidateSink<IndexedStatement> {
  private readonly denies: IndexedStatement[] = [];
  private readonly allows: IndexedStatement[] = [];
  private denyCount = 0;
  private allowCount = 0;
  private readonly list: IndexedStatement[] = [];
  private count = 0;
  /** Sets of hits by a hash of their positions: one lookup of a small integer, then the hits compared. */
  private readonly memo = new Map<number, RememberedSet[]>();
  private remembered = 0;
  round = 0;

  /** Starts a request's candidates. */
  reset(): void {
    this.denyCount = 0;
    this.allowCount = 0;
    this.round++;
  }

  visit(s: IndexedStatement): void {
    if (s.effect === "Deny") this.denies[this.denyCount++] = s;
    else this.allows[this.allowCount++] = s;
  }

  /** The step's decision: the applying Denies if any, else the applying Allows; undefined when none applies. */
  decision(ctx: RequestContext, resourceLower: string, stage: Stage): Decision | undefined {
    return this.applying(this.denies, this.denyCount, ctx, resourceLower, stage) ?? this.applying(this.allows, this.allowCount, ctx, resourceLower, stage);
  }

  private applying(candidates: readonly IndexedStatement[], n: number, ctx: RequestContext, resourceLower: string, stage: Stage): Decision | undefined {
    this.count = 0;
    for (let i = 0; i < n; i++) {
      const s = candidates[i]!;
      if (s.resources.matches(ctx.resource, resourceLower) && this.conditionsHold(s, ctx.values)) this.add(s);
    }
    return this.memoized(stage);
  }

  /** `appliesToResource`'s conditions, less the anchor when the index proved it this round. */
  private conditionsHold(s: IndexedStatement, values: RequestContext["values"]): boolean {
    const conditions = s.conditions;
    const proven = s.proven === this.round ? s.anchorAt : -1;
    for (let i = 0; i < conditions.length; i++) if (i !== proven && !conditions[i]!.holds(values, s.effect)) return false;
    return true;
  }

  private add(s: IndexedStatement): void {
    const list = this.list;
    let i = this.count++;
    for (; i > 0 && list[i - 1]!.order > s.order; i--) list[i] = list[i - 1]!;
    list[i] = s;
  }

  /** All hits have one effect; undefined when there are none. */
  private memoized(stage: Stage): Decision | undefined {
    const { list, count } = this;
    if (count <= 1) return count === 0 ? undefined : aloneOf(list[0]!, stage);
    let hash = 0;
    for (let i = 0; i < count; i++) hash = mixHash(hash, list[i]!.order);
    const sets = this.memo.get(hash);
    if (sets !== undefined) {
      for (const set of sets) if (this.sameHits(set.hits)) return set.decision;
    }
    const decision = this.build(stage);
    if (this.remembered < MAX_REMEMBERED_SETS) {
      this.remembered++;
      const set = { hits: list.slice(0, count), decision };
      if (sets === undefined) this.memo.set(hash, [set]);
      else sets.push(set);
    }
    return decision;
  }

  private sameHits(hits: readonly IndexedStatement[]): boolean {
    if (hits.length !== this.count) return false;
    for (let i = 0; i < hits.length; i++) if (hits[i] !== this.list[i]) return false;
    return true;
  }

  private build(stage: Stage): Decision {
    const hits = this.list.slice(0, this.count);
    return frozenDecision(decisionOf(hits[0]!.effect), hits.map((s) => refOf(s, stage)), stage);
  }
}

/** Hands `hits` the statements of `candidates` that the request's resource or condition values reach. */
function collect(candidates: Candidates, ctx: RequestContext, resourceLower: string, hits: Hits): void {
  hits.reset();
  visitOnce(candidates.literal.get(resourceLower), hits);
  for (const [prefix, statements] of candidates.prefixed) if (hasPrefix(resourceLower, prefix)) visitOnce(statements, hits);
  if (candidates.byToken.size + candidates.byTokenStart.size > 0) visitTokens(candidates, resourceLower, hits);
  candidates.byCondition.collect(ctx.values, hits);
}

const COLON = 58;
const SLASH = 47;

/**
 * The statements filed by a token of the resource's id. Only tokens after the resource's first `/` are looked
 * up: a filed token follows a literal `/` of its pattern (`tokenFilters`), which a matching resource has before it.
 */
function visitTokens(candidates: Candidates, resourceLower: string, hits: Hits): void {
  let start = resourceLower.indexOf("/") + 1;
  if (start === 0) return;
  const { byToken, byTokenStart, tokenStartLengths } = candidates;
  const end = resourceLower.length;
  for (let at = start; at <= end; at++) {
    const c = at < end ? resourceLower.charCodeAt(at) : COLON;
    if (c !== COLON && c !== SLASH) continue;
    if (byToken.size > 0) visitOnce(byToken.get(resourceLower.slice(start, at)), hits);
    for (const length of tokenStartLengths) if (length <= at - start) visitOnce(byTokenStart.get(resourceLower.slice(start, start + length)), hits);
    start = at + 1;
  }
}

/**
 * The statements of a step that name the same actions (the same patterns, lower-cased, under Action or under
 * NotAction): one action test decides for all of them. Policies repeat a handful of Action elements across
 * many statements, so a new action is tested against these, not against every statement.
 */
interface ActionGroup {
  readonly id: number;
  readonly statements: IndexedStatement[];
  /** The first statement's matcher: every statement of the group matches the same actions. */
  readonly target: CompiledTarget;
}

/** One step of the flow (a control level, the session policy, an identity scope) with its indexes. */
class IndexedStep {
  private readonly exact = new Map<string, ActionGroup[]>();
  private readonly prefixed = new Map<string, ActionGroup[]>();
  /** Groups with other wildcard patterns (`*:ListTagResources`, `ess:Describe?*`) or NotAction. */
  private readonly general: ActionGroup[] = [];
  private readonly byAction = new BoundedMemo<string, Candidates>(MAX_REMEMBERED_ACTIONS);
  /** Candidates by the groups they hold; at most one entry per distinct set of matching groups. */
  private readonly bySameGroups = new BoundedMemo<string, Candidates>(MAX_REMEMBERED_ACTIONS);
  private readonly stage: Stage;
  private readonly implicitDeny: Decision;
  private readonly hits = new Hits();

  constructor(policies: readonly Policy[], stage: Stage) {
    this.stage = stage;
    this.implicitDeny = frozenDecision("ImplicitDeny", [], stage);
    const groups = new Map<string, ActionGroup>();
    // Statements with one target name the same actions (compiledStatement shares a target only then): one group.
    const groupOfTarget = new Map<CompiledTarget, ActionGroup>();
    const statements: IndexedStatement[] = [];
    const anchorChooser = new AnchorChooser();
    let order = 0;
    // Indexed loops over statements: compiling runs most of its code once, unoptimized, where for-of allocates a
    // result per element.
    for (const policy of policies) {
      for (let i = 0; i < policy.statements.length; i++) {
        const statement = policy.statements[i]!;
        const { target, conditions } = statementMatchers(statement);
        const s: IndexedStatement = {
          order: order++,
          effect: statement.effect,
          policy,
          statement,
          ref: undefined,
          alone: undefined,
          resources: target.resources,
          conditions,
          filing: ANYWHERE, // chosen below, once every statement of the step is known
          anchorAt: -1,
          visited: 0,
          proven: 0,
        };
        statements.push(s);
        anchorChooser.add(conditions);
        const known = groupOfTarget.get(target);
        if (known !== undefined) {
          known.statements.push(s);
          continue;
        }
        const patterns = actionPatterns(statement.actions);
        const groupKey = `${statement.actionKind} ${listKey(patterns)}`;
        const sameActions = groups.get(groupKey);
        if (sameActions !== undefined) {
          sameActions.statements.push(s);
          groupOfTarget.set(target, sameActions);
          continue;
        }
        const group: ActionGroup = { id: groups.size, statements: [s], target };
        groups.set(groupKey, group);
        groupOfTarget.set(target, group);
        if (statement.actionKind === "NotAction") {
          this.general.push(group);
          continue;
        }
        for (const pattern of patterns) {
          const key = actionKey(pattern);
          if (key === undefined) this.general.push(group);
          else if ("exact" in key) appendTo(this.exact, key.exact, group);
          else appendTo(this.prefixed, key.prefix, group);
        }
      }
    }
    chooseFilings(statements, anchorChooser);
  }

  decide(ctx: RequestContext): Decision {
    const candidates = this.candidates(ctx.action);
    if (candidates === NO_CANDIDATES) return this.implicitDeny;
    const resourceLower = ctx.resource.toLowerCase();
    collect(candidates, ctx, resourceLower, this.hits);
    return this.hits.decision(ctx, resourceLower, this.stage) ?? this.implicitDeny;
  }

  private candidates(action: string): Candidates {
    return this.byAction.get(action, this.lookUp);
  }

  /** The index narrows the groups down; the group's action matcher has the last word. */
  private readonly lookUp = (action: string): Candidates => {
    const actionLower = action.toLowerCase();
    const found = new Set<ActionGroup>(this.exact.get(actionLower));
    for (const [prefix, list] of this.prefixed) if (actionLower.startsWith(prefix)) for (const g of list) found.add(g);
    for (const g of this.general) found.add(g);
    const matching = [...found].filter((g) => g.target.matchAction(actionLower)).sort((a, b) => a.id - b.id);
    return this.candidatesOfGroups(matching);
  };

  /**
   * Actions that match the same groups (every `Describe*` under `ess:Describe*`) share one set of indexes: built
   * once, and small enough to stay in the CPU's caches. Sets of groups that differ only by small groups (a few
   * statements naming one action beside thousands under `ess:*`) are common: the indexes of the large groups are
   * built once and copied for each, which costs a fraction of filing their statements again.
   */
  private candidatesOfGroups(groups: readonly ActionGroup[]): Candidates {
    return this.bySameGroups.get(groups.map((g) => g.id).join(","), () => {
      const largest = groups.reduce((most, g) => Math.max(most, g.statements.length), 0);
      const isSmall = (g: ActionGroup): boolean => g.statements.length * SMALL_GROUP_RATIO < largest;
      const small = groups.filter(isSmall);
      // The large groups have no small group among them (the largest is theirs): they are filed from scratch.
      return small.length === 0 ? candidatesOf(groups) : candidatesOf(small, this.candidatesOfGroups(groups.filter((g) => !isSmall(g))));
    });
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
