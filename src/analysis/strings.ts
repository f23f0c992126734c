/**
 * String equivalence classes for the analysis: given the patterns that can test a string (globs of Action,
 * Resource and StringLike, literals of StringEquals, each with or without case folding), every string falls in
 * one class per combination of patterns it matches. The classes are found by a breadth-first walk over the
 * product of the patterns' automata and a domain automaton (which strings can occur at all: any string, ESS
 * ARNs, strings outside a catalog); the first string to reach each combination is that class's witness.
 * Characters no pattern names behave alike, so one fresh character stands for all of them.
 */

import { compileGlob } from "../match/glob.js";
import { BoundedMemo } from "../bounded-memo.js";

/** Raised when the analysis meets something it cannot decide exactly: the caller answers "undecided". */
export class Undecided extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Undecided";
  }
}

export interface StringPattern {
  readonly text: string;
  /** `*` and `?` are wildcards (Action, Resource, StringLike); otherwise the text is literal (StringEquals). */
  readonly glob: boolean;
  /** Compare lower-cased (Deny resources, actions, StringEqualsIgnoreCase). */
  readonly fold: boolean;
}

/** A set of characters a domain state accepts, all leading to `next`; `any` is every character not otherwise listed. */
export interface DomainEdge<S> {
  readonly chars: string | "any";
  readonly next: S;
}

export interface Domain<S> {
  readonly start: S;
  key(state: S): string;
  edges(state: S): readonly DomainEdge<S>[];
  /** The shape of the strings that end here (`group`, `create`…), or undefined when none may end here. */
  accepts(state: S): string | undefined;
}

export interface StringClass {
  /** What each pattern says about the class, in the order given. */
  readonly matches: readonly boolean[];
  readonly shape: string;
  readonly witness: string;
}

const PREFERRED_FRESH = "xqzjkvwyubcdefghilmnoprsta0123456789";

/** Characters whose lower case depends on their neighbours (final sigma) or that `İ` folds into. */
const CONTEXT_FOLDING = /[\u03a3\u03c2\u03c3\u0307]/;

function assertFoldable(ch: string): void {
  if (CONTEXT_FOLDING.test(ch)) throw new Undecided(`the character ${JSON.stringify(ch)} folds differently depending on its neighbours`);
  const lower = ch.toLowerCase();
  if (lower.length !== 1 || ch.toUpperCase().length !== 1 || ch.toUpperCase().toLowerCase() !== lower) {
    throw new Undecided(`the character ${JSON.stringify(ch)} changes length or identity when its case is folded`);
  }
}

let lowerPreimages: Map<string, string[]> | undefined;

/** The characters of the Basic Multilingual Plane whose lower case is `lower` (a table built on first use). */
function foldingTo(lower: string): readonly string[] {
  if (!lowerPreimages) {
    lowerPreimages = new Map();
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCharCode(code);
      const folded = ch.toLowerCase();
      if (folded !== ch) lowerPreimages.set(folded, [...(lowerPreimages.get(folded) ?? []), ch]);
    }
  }
  return lowerPreimages.get(lower) ?? [];
}

/** One pattern as an automaton over positions: the ascending positions reached so far, closed over `*`. */
class PatternAutomaton {
  private readonly units: string[];
  /** star[i]: position i is a `*` (glob patterns only); one more entry, false, for the end. */
  private readonly star: boolean[];
  private readonly any: boolean[];
  constructor(readonly pattern: StringPattern) {
    if (/[\uD800-\uDFFF]/.test(pattern.text)) throw new Undecided(`pattern ${JSON.stringify(pattern.text)} holds characters outside the Basic Multilingual Plane`);
    this.units = [...(pattern.fold ? pattern.text.toLowerCase() : pattern.text)];
    if (pattern.fold) for (const ch of this.units) assertFoldable(ch);
    this.star = [...this.units.map((u) => pattern.glob && u === "*"), false];
    this.any = this.units.map((u) => pattern.glob && u === "?");
  }

  /** Appends `i` and the positions after the `*` run it starts, keeping `out` ascending and unique. */
  private push(out: number[], i: number): void {
    for (let p = i; ; p++) {
      if (out.length === 0 || out[out.length - 1]! < p) out.push(p);
      if (!this.star[p]) return;
    }
  }

  start(): number[] {
    const out: number[] = [];
    this.push(out, 0);
    return out;
  }

  step(state: readonly number[], ch: string): number[] {
    // Folding reads the input lower-cased, and `İ` lower-cases to two units: step over each.
    if (this.pattern.fold) {
      let out = state as number[];
      for (const c of ch.toLowerCase()) out = this.stepUnit(out, c);
      return out;
    }
    return this.stepUnit(state, ch);
  }

  private stepUnit(state: readonly number[], c: string): number[] {
    const out: number[] = [];
    for (const i of state) {
      if (i >= this.units.length) continue;
      if (this.star[i]) this.push(out, i);
      else if (this.any[i] || this.units[i] === c) this.push(out, i + 1);
    }
    return out;
  }

  accepts(state: readonly number[]): boolean {
    return state[state.length - 1] === this.units.length;
  }

  /**
   * The characters this pattern tells apart in a state: those that match one of the units it is at; when it
   * folds, every character that lower-cases to one of them (`K`, and the Kelvin sign for `k`) and `İ`, whose
   * lower case is two units.
   */
  relevant(state: readonly number[]): string[] {
    return this.spellingsOf(state.flatMap((i) => (i < this.units.length && !this.star[i] && !this.any[i] ? [this.units[i]!] : [])));
  }

  private spellingsOf(units: readonly string[]): string[] {
    return this.pattern.fold ? [...units.flatMap((u) => [u, ...foldingTo(u)]), "\u0130"] : [...units];
  }
}

/** A matcher telling which of the patterns match a text, as a string of 0s and 1s (the evaluator's matchers, built once). */
export function matchVector(patterns: readonly StringPattern[]): (text: string) => string {
  const tests = patterns.map((p): ((text: string) => boolean) => {
    const text = p.fold ? p.text.toLowerCase() : p.text;
    const test = p.glob ? compileGlob(text).test : (input: string) => input === text;
    return p.fold ? (input) => test(input.toLowerCase()) : test;
  });
  return (text) => tests.map((test) => (test(text) ? "1" : "0")).join("");
}

/** A pattern automaton with its states numbered and its transitions remembered: the walk repeats them a lot. */
class InternedAutomaton {
  private readonly states: number[][] = [];
  private readonly ids = new Map<string, number>();
  private readonly transitions = new Map<string, number>();
  readonly start: number;
  constructor(readonly automaton: PatternAutomaton) {
    this.start = this.intern(automaton.start());
  }

  private intern(state: number[]): number {
    const key = state.join();
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.states.length;
      this.states.push(state);
      this.ids.set(key, id);
    }
    return id;
  }

  step(id: number, ch: string): number {
    const key = `${id}|${ch}`;
    let next = this.transitions.get(key);
    if (next === undefined) {
      next = this.intern(this.automaton.step(this.states[id]!, ch));
      this.transitions.set(key, next);
    }
    return next;
  }

  accepts(id: number): boolean {
    return this.automaton.accepts(this.states[id]!);
  }

  relevant(id: number): readonly string[] {
    return this.automaton.relevant(this.states[id]!);
  }
}

/** Classes found per domain, by pattern list: a policy set is analysed against many others with the same patterns. */
const remembered = new WeakMap<object, BoundedMemo<string, StringClass[]>>();
const REMEMBERED_PER_DOMAIN = 256;

/**
 * The classes of the strings of `domain` under `patterns`, one witness each; throws Undecided when more than
 * `maxStates` product states are reachable.
 */
export function stringClasses<S>(patterns: readonly StringPattern[], domain: Domain<S>, maxStates = 20_000): StringClass[] {
  // The same pattern twice (in both versions, or in several statements) tells no more strings apart.
  patterns = [...new Map(patterns.map((p) => [JSON.stringify(p), p])).values()];
  let byPatterns = remembered.get(domain);
  if (!byPatterns) remembered.set(domain, (byPatterns = new BoundedMemo(REMEMBERED_PER_DOMAIN)));
  return byPatterns.get(JSON.stringify([patterns, maxStates]), () => walkProduct(patterns, domain, maxStates));
}

/** One part of the product the walk steps through: it reads the text and says which of its patterns match. */
interface Component {
  readonly start: number;
  step(state: number, ch: string): number;
  /** Sets `matches[i]` for each pattern index `i` it owns. */
  accept(state: number, matches: boolean[]): void;
  /** The characters that lead from `state` elsewhere than any other character does. */
  relevant(state: number): readonly string[];
}

function automatonComponent(pattern: StringPattern, index: number): Component {
  const automaton = new InternedAutomaton(new PatternAutomaton(pattern));
  return {
    start: automaton.start,
    step: (state, ch) => automaton.step(state, ch),
    accept: (state, matches) => (matches[index] = automaton.accepts(state)),
    relevant: (state) => automaton.relevant(state),
  };
}

/**
 * Literal patterns (no wildcard, or StringEquals values) of one kind, all folded or none, as one trie: a text
 * matches the pattern whose node it ends on. Many literal ARNs then cost one step, not one per pattern.
 */
function literalComponent(patterns: readonly (readonly [StringPattern, number])[], fold: boolean): Component {
  for (const [pattern] of patterns) new PatternAutomaton(pattern); // the same checks as the pattern's own automaton
  const { children, ends } = trieOf(patterns.map(([p]) => (fold ? p.text.toLowerCase() : p.text)));
  const owners = new Map<number, number[]>();
  ends.forEach((node, i) => owners.set(node, [...(owners.get(node) ?? []), patterns[i]![1]]));
  const all = patterns.map(([, index]) => index);
  const child = (node: number, c: string): number => (node < 0 ? -1 : (children[node]!.get(c) ?? -1));
  return {
    start: 0,
    step(state, ch) {
      if (!fold) return child(state, ch);
      for (const c of ch.toLowerCase()) state = child(state, c);
      return state;
    },
    accept(state, matches) {
      for (const index of all) matches[index] = false;
      for (const index of owners.get(state) ?? []) matches[index] = true;
    },
    relevant(state) {
      if (state < 0) return [];
      const next = [...children[state]!.keys()];
      return fold ? [...next.flatMap((c) => [c, ...foldingTo(c)]), "\u0130"] : next;
    },
  };
}

const isLiteral = (p: StringPattern): boolean => !p.glob || !/[*?]/.test(p.text);

function walkProduct<S>(patterns: readonly StringPattern[], domain: Domain<S>, maxStates: number): StringClass[] {
  const indexed = patterns.map((p, i) => [p, i] as const);
  const automata: Component[] = [
    ...indexed.filter(([p]) => !isLiteral(p)).map(([p, i]) => automatonComponent(p, i)),
    ...[false, true].flatMap((fold) => {
      const literals = indexed.filter(([p]) => isLiteral(p) && p.fold === fold);
      return literals.length > 0 ? [literalComponent(literals, fold)] : [];
    }),
  ];
  interface Node {
    readonly domain: S;
    readonly states: readonly number[];
    readonly text: string;
  }
  const keyOf = (domainState: S, states: readonly number[]): string => `${domain.key(domainState)}|${states.join()}`;
  const start: Node = { domain: domain.start, states: automata.map((a) => a.start), text: "" };
  const seen = new Set([keyOf(start.domain, start.states)]);
  const classes = new Map<string, StringClass>();
  let queue: Node[] = [start];
  while (queue.length > 0) {
    const nextQueue: Node[] = [];
    for (const node of queue) {
      const shape = domain.accepts(node.domain);
      if (shape !== undefined) {
        const matches = new Array<boolean>(patterns.length);
        automata.forEach((a, i) => a.accept(node.states[i]!, matches));
        const id = `${shape}|${matches.map(Number).join("")}`;
        if (!classes.has(id)) classes.set(id, { matches, shape, witness: node.text });
      }
      const edges = domain.edges(node.domain);
      const other = edges.find((e) => e.chars === "any");
      // Characters no component tells apart here lead everywhere alike: one fresh one stands for them.
      const named = new Set(automata.flatMap((a, i) => a.relevant(node.states[i]!)));
      for (const ch of candidateChars(edges, named)) {
        const target = edges.find((e) => e.chars !== "any" && e.chars.includes(ch)) ?? other;
        if (!target) continue;
        const states = automata.map((a, i) => a.step(node.states[i]!, ch));
        const key = keyOf(target.next, states);
        if (seen.has(key)) continue;
        seen.add(key);
        if (seen.size > maxStates) throw new Undecided(`the patterns ${patterns.map((p) => JSON.stringify(p.text)).join(", ")} combine into more than ${maxStates} states`);
        nextQueue.push({ domain: target.next, states, text: node.text + ch });
      }
    }
    queue = nextQueue;
  }
  return [...classes.values()];
}

/** The characters worth trying on a domain state: those patterns name, plus one fresh character per edge. */
function candidateChars<S>(edges: readonly DomainEdge<S>[], named: ReadonlySet<string>): string[] {
  const listed = new Set(edges.flatMap((e) => (e.chars === "any" ? [] : [...e.chars])));
  const out: string[] = [];
  for (const edge of edges) {
    if (edge.chars === "any") {
      for (const ch of named) if (!listed.has(ch)) out.push(ch);
      const fresh = freshChar((ch) => !named.has(ch) && !listed.has(ch));
      out.push(fresh);
    } else {
      for (const ch of edge.chars) if (named.has(ch)) out.push(ch);
      const fresh = [...edge.chars].find((ch) => !named.has(ch));
      if (fresh !== undefined) out.push(fresh);
    }
  }
  return [...new Set(out)];
}

function freshChar(ok: (ch: string) => boolean): string {
  for (const ch of PREFERRED_FRESH) if (ok(ch)) return ch;
  for (let code = 0x100; ; code++) {
    const ch = String.fromCharCode(code);
    if (ok(ch) && ch.toLowerCase() === ch && ch.toUpperCase().toLowerCase() === ch) return ch;
  }
}

/** Every string. */
export function anyStringDomain(): Domain<number> {
  return { start: 0, key: () => "", edges: () => [{ chars: "any", next: 0 }], accepts: () => "any" };
}

/** Where an action name is: before or after its `:`, with or without characters there; `dead` after a second `:`. */
type ActionPhase = "service0" | "service" | "name0" | "name" | "dead";

const PHASE_AFTER_CHAR: Record<ActionPhase, ActionPhase> = { service0: "service", service: "service", name0: "name", name: "name", dead: "dead" };

/**
 * Action names `<service>:<name>` (both parts non-empty, one `:`) outside a finite set of names, which ride
 * along as a trie (node -1: the name has left it).
 */
export function actionNameDomain(excluded: readonly string[]): Domain<{ readonly node: number; readonly phase: ActionPhase }> {
  const { children, ends } = trieOf(excluded);
  const terminal = new Set(ends);
  type State = { readonly node: number; readonly phase: ActionPhase };
  const child = (node: number, ch: string): number => (node < 0 ? -1 : (children[node]!.get(ch) ?? -1));
  return {
    start: { node: 0, phase: "service0" },
    key: (s) => `${s.node},${s.phase}`,
    edges(s): DomainEdge<State>[] {
      if (s.phase === "dead") return [];
      const colon: State = { node: child(s.node, ":"), phase: s.phase === "service" ? "name0" : "dead" };
      const listed = s.node < 0 ? [] : [...children[s.node]!.entries()].filter(([ch]) => ch !== ":");
      return [
        { chars: ":", next: colon },
        ...listed.map(([ch, node]) => ({ chars: ch, next: { node, phase: PHASE_AFTER_CHAR[s.phase] } })),
        { chars: "any", next: { node: -1, phase: PHASE_AFTER_CHAR[s.phase] } },
      ];
    },
    accepts: (s) => (s.phase === "name" && !terminal.has(s.node) ? "any" : undefined),
  };
}

/** The words as a trie (node 0 the root), and the node each word ends on. */
function trieOf(words: readonly string[]): { children: Map<string, number>[]; ends: number[] } {
  const children: Map<string, number>[] = [new Map()];
  const ends = words.map((word) => {
    let node = 0;
    for (const ch of word) {
      let next = children[node]!.get(ch);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        children[node]!.set(ch, next);
      }
      node = next;
    }
    return node;
  });
  return { children, ends };
}

const REGION_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-";
const DIGITS = "0123456789";
const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";
const ARN_HEAD = "acs:ess:";
const GROUP_HEAD = ":scalinggroup/";

type ArnState =
  | { readonly at: "start" | "star" | "create" }
  | { readonly at: "head" | "groupHead"; readonly i: number }
  /** `n`: characters of the field so far (counted up to 1 only, when lengths are not bounded). */
  | { readonly at: "region" | "account" | "id"; readonly n: number };

/** The longest region, account and group id an ESS request can carry (`isRegionId`, `ACCOUNT_ID`, `isEssId`). */
const ESS_LIMITS = { region: 64, account: 32, id: 256 } as const;

/**
 * What an ESS request can be authorized against (docs/semantics.md §5): `*`, `acs:ess:{region}:{account}:scalinggroup/*`
 * (create) and `acs:ess:{region}:{account}:scalinggroup/{id}`, with the characters ESS accepts in each field and,
 * when `bounded`, no more of them than ESS accepts (more product states: used only when a class's shortest
 * member is too long).
 */
function essArnDomain(bounded: boolean): Domain<ArnState> {
  const field = (at: "region" | "account" | "id", n: number, chars: string): DomainEdge<ArnState>[] =>
    !bounded || n < ESS_LIMITS[at] ? [{ chars, next: { at, n: bounded ? n + 1 : 1 } }] : [];
  return {
    start: { at: "start" },
    key: (s) => `${s.at}${"i" in s ? s.i : ""},${"n" in s ? s.n : ""}`,
    edges(s): DomainEdge<ArnState>[] {
      switch (s.at) {
        case "start":
          return [{ chars: "*", next: { at: "star" } }, { chars: "a", next: { at: "head", i: 1 } }];
        case "head":
          return [{ chars: ARN_HEAD[s.i]!, next: s.i + 1 === ARN_HEAD.length ? { at: "region", n: 0 } : { at: "head", i: s.i + 1 } }];
        case "region":
          return [...field("region", s.n, REGION_CHARS), ...(s.n > 0 ? [{ chars: ":", next: { at: "account", n: 0 } as const }] : [])];
        case "account":
          return [...field("account", s.n, DIGITS), ...(s.n > 0 ? [{ chars: ":", next: { at: "groupHead", i: 1 } as const }] : [])];
        case "groupHead":
          if (s.i === GROUP_HEAD.length) return [{ chars: "*", next: { at: "create" } }, ...field("id", 0, ID_CHARS)];
          return [{ chars: GROUP_HEAD[s.i]!, next: { at: "groupHead", i: s.i + 1 } }];
        case "id":
          return field("id", s.n, ID_CHARS);
        default:
          return [];
      }
    },
    accepts: (s) => (s.at === "star" ? "all" : s.at === "create" ? "create" : s.at === "id" ? "group" : undefined),
  };
}

const ESS_ARN_DOMAIN = essArnDomain(false);
const ESS_ARN_DOMAIN_BOUNDED = essArnDomain(true);

const withinLimits = (arn: string): boolean => {
  const { region, account, groupId } = splitArn(arn);
  return region.length <= ESS_LIMITS.region && account.length <= ESS_LIMITS.account && (groupId?.length ?? 0) <= ESS_LIMITS.id;
};

/**
 * The classes of ESS resources under the patterns. The shortest member of each class usually fits ESS's field
 * lengths; when one does not, the classes are walked again with the lengths bounded, so that a class only ESS
 * would refuse is left out and every other one gets a member ESS accepts.
 */
export function essResourceClasses(patterns: readonly StringPattern[]): StringClass[] {
  const classes = stringClasses(patterns, ESS_ARN_DOMAIN);
  return classes.every((c) => c.shape === "all" || withinLimits(c.witness)) ? classes : stringClasses(patterns, ESS_ARN_DOMAIN_BOUNDED);
}

export interface ArnParts {
  readonly region: string;
  readonly account: string;
  /** Undefined for `scalinggroup/*`. */
  readonly groupId?: string;
}

function splitArn(arn: string): ArnParts {
  const [region = "", account = "", rest = ""] = arn.slice(ARN_HEAD.length).split(":");
  const id = rest.slice("scalinggroup/".length);
  return { region, account, ...(id === "*" ? {} : { groupId: id }) };
}

/** Region, account and group id of an ESS ARN witness (one `essResourceClasses` gave: within ESS's lengths). */
export function arnParts(arn: string): ArnParts {
  if (!withinLimits(arn)) throw new Undecided(`internal: the resource ${arn} is longer than ESS accepts`);
  return splitArn(arn);
}
