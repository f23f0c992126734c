import { Undecided } from "./strings.js";

/**
 * A propositional encoding of access questions over the classes of each dimension, and a search for a
 * satisfying request. The action, the resource and the target's resource group are one class each; a condition
 * key holds a set of value classes (several values when tags differ only in case or repeat), empty when the key
 * is absent. The search assigns the action, then the resource and its resource group, then key atoms, simplifying the formula after each choice
 * and dropping a branch as soon as it is false: it never walks the product of the classes blindly.
 */
export type Formula =
  | { readonly t: "const"; readonly value: boolean }
  | { readonly t: "and" | "or"; readonly xs: readonly Formula[] }
  | { readonly t: "not"; readonly x: Formula }
  | { readonly t: "action" | "resource" | "group"; readonly classes: ReadonlySet<number> }
  /** Present: every chosen class is `ok`; absent: `absent`. (A condition in an Allow statement.) */
  | { readonly t: "all"; readonly key: number; readonly ok: readonly boolean[]; readonly absent: boolean }
  /** Present: some chosen class is `hit`; absent: `absent`. (A condition in a Deny statement.) */
  | { readonly t: "some"; readonly key: number; readonly hit: readonly boolean[]; readonly absent: boolean };

export const TRUE: Formula = { t: "const", value: true };
export const FALSE: Formula = { t: "const", value: false };

export const and = (...xs: Formula[]): Formula => ({ t: "and", xs });
export const or = (...xs: Formula[]): Formula => ({ t: "or", xs });
export const not = (x: Formula): Formula => ({ t: "not", x });

type KeyAtom = Extract<Formula, { t: "all" | "some" }>;

/** Atoms with the same key, kind and classes are one atom, whichever statement or version they come from. */
const signatures = new WeakMap<KeyAtom, string>();

function signature(atom: KeyAtom): string {
  let id = signatures.get(atom);
  if (id === undefined) {
    const classes = atom.t === "all" ? atom.ok : atom.hit;
    id = `${atom.t}|${atom.key}|${atom.absent}|${classes.map(Number).join("")}`;
    signatures.set(atom, id);
  }
  return id;
}

export interface Assignment {
  action?: number;
  resource?: number;
  group?: number;
  /** Truth values chosen for key atoms, by signature, with the atom. */
  readonly atoms: ReadonlyMap<string, { readonly atom: KeyAtom; readonly value: boolean }>;
}

/** Per key, the value classes a request carries (empty: the key is absent). */
export interface Solution {
  readonly action: number;
  readonly resource: number;
  /** The resource group class of the target. */
  readonly group: number;
  readonly chosen: readonly (readonly number[])[];
}

/** Work done, counted in formula nodes visited: the bound that makes a hard question "undecided", not slow. */
export class Budget {
  steps = 0;
  constructor(readonly limit: number) {}
  tick(): void {
    if (++this.steps > this.limit) throw new Undecided(`the search took more than ${this.limit} steps`);
  }
}

/** The formula with everything the assignment decides replaced by constants. */
export function simplify(f: Formula, a: Assignment, budget: Budget): Formula {
  budget.tick();
  switch (f.t) {
    case "const":
      return f;
    case "action":
    case "resource":
    case "group": {
      const chosen = a[f.t];
      return chosen === undefined ? f : f.classes.has(chosen) ? TRUE : FALSE;
    }
    case "all":
    case "some": {
      const set = a.atoms.get(signature(f));
      return set === undefined ? f : set.value ? TRUE : FALSE;
    }
    case "not": {
      const x = simplify(f.x, a, budget);
      return x.t === "const" ? (x.value ? FALSE : TRUE) : { t: "not", x };
    }
    case "and":
    case "or": {
      const stop = f.t === "or";
      const xs: Formula[] = [];
      for (const x of f.xs) {
        const s = simplify(x, a, budget);
        if (s.t === "const") {
          if (s.value === stop) return s;
          continue;
        }
        xs.push(s);
      }
      if (xs.length === 0) return stop ? FALSE : TRUE;
      return xs.length === 1 ? xs[0]! : { t: f.t, xs };
    }
  }
}

export interface SearchSpace {
  /** The action classes to try: one of each group that no statement or question tells apart. */
  readonly actions: readonly number[];
  /** The resource classes a request of this action can be authorized against. */
  resourcesFor(action: number): readonly number[];
  /** The resource group classes a target of this action and resource can be in. */
  groupsFor(action: number, resource: number): readonly number[];
  /** Per key: how many classes it has, and how many values a request of this action and resource can carry for it. */
  readonly keyClasses: readonly number[];
  maxValues(key: number, action: number, resource: number): number;
}

/**
 * The value classes one key can carry so that every atom on it takes its assigned value: absent, or a set of
 * classes inside what the true `all` and false `some` atoms allow that meets what each false `all` and true
 * `some` atom needs, with no more values than the request can carry. Undefined when there is none.
 */
export function keyValues(atoms: readonly { readonly atom: KeyAtom; readonly value: boolean }[], classes: number, max: number): number[] | undefined {
  if (atoms.every(({ atom, value }) => atom.absent === value)) return [];
  if (max === 0) return undefined;
  let allowed = (1n << BigInt(classes)) - 1n;
  const needs: bigint[] = [];
  for (const { atom, value } of atoms) {
    const mask = maskOf(atom);
    // all=true and some=false confine every value; all=false and some=true need one value of a kind.
    if ((atom.t === "all") === value) allowed &= atom.t === "all" ? mask : ~mask;
    else needs.push(atom.t === "all" ? ~mask : mask);
  }
  const usable = needs.map((need) => need & allowed);
  if (usable.some((u) => u === 0n)) return undefined;
  if (needs.length === 0) return allowed === 0n ? undefined : [lowestBit(allowed)];
  return hittingSet(usable.map(bitsOf), max);
}

/** The classes an atom names (`ok` or `hit`), as bits: the search asks for them at every choice. */
const masks = new WeakMap<KeyAtom, bigint>();

function maskOf(atom: KeyAtom): bigint {
  let mask = masks.get(atom);
  if (mask === undefined) {
    mask = (atom.t === "all" ? atom.ok : atom.hit).reduce((m, bit, i) => (bit ? m | (1n << BigInt(i)) : m), 0n);
    masks.set(atom, mask);
  }
  return mask;
}

function bitsOf(mask: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; mask > 0n; i++, mask >>= 1n) if (mask & 1n) out.push(i);
  return out;
}

const lowestBit = (mask: bigint): number => bitsOf(mask & -mask)[0]!;

/** A smallest set meeting every list, if it has at most `max` members (lists are short: classes of one key). */
function hittingSet(lists: readonly (readonly number[])[], max: number): number[] | undefined {
  const greedy = [...new Set(lists.map((l) => l[0]!))];
  if (greedy.length <= max) return greedy;
  const search = (i: number, chosen: number[]): number[] | undefined => {
    if (i === lists.length) return chosen;
    if (lists[i]!.some((c) => chosen.includes(c))) return search(i + 1, chosen);
    if (chosen.length >= max) return undefined;
    for (const c of lists[i]!) {
      const found = search(i + 1, [...chosen, c]);
      if (found) return found;
    }
    return undefined;
  };
  return search(0, []);
}

function firstAtom(f: Formula): KeyAtom | undefined {
  switch (f.t) {
    case "all":
    case "some":
      return f;
    case "not":
      return firstAtom(f.x);
    case "and":
    case "or":
      for (const x of f.xs) {
        const found = firstAtom(x);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * A request satisfying the formula, or undefined when there is none. Action, resource and resource group
 * classes are chosen first; then truth values of the condition atoms left open, each choice checked against what its key's values
 * can do (so a contradiction such as "team is a" and "team is not a" dies as soon as both are chosen).
 * Throws Undecided past the budget.
 */
export function solve(formula: Formula, space: SearchSpace, budget: Budget): Solution | undefined {
  for (const action of space.actions) {
    const fa = simplify(formula, { action, atoms: new Map() }, budget);
    if (fa.t === "const" && !fa.value) continue;
    for (const resource of space.resourcesFor(action)) {
      const fr = simplify(fa, { action, resource, atoms: new Map() }, budget);
      if (fr.t === "const" && !fr.value) continue;
      const limits = space.keyClasses.map((_, k) => space.maxValues(k, action, resource));
      for (const group of space.groupsFor(action, resource)) {
        const fg = simplify(fr, { action, resource, group, atoms: new Map() }, budget);
        if (fg.t === "const" && !fg.value) continue;
        const chosen = searchAtoms(fg, { atoms: new Map(), byKey: space.keyClasses.map(() => []) }, space, limits, budget);
        if (chosen) return { action, resource, group, chosen };
      }
    }
  }
  return undefined;
}

type Chosen = { readonly atom: KeyAtom; readonly value: boolean };

/** The atoms chosen so far: by signature (for `simplify`) and by key (for what each key's values can do). */
interface Choices {
  readonly atoms: ReadonlyMap<string, Chosen>;
  readonly byKey: readonly (readonly Chosen[])[];
}

function searchAtoms(f: Formula, choices: Choices, space: SearchSpace, limits: readonly number[], budget: Budget): number[][] | undefined {
  const valuesOf = (byKey: Choices["byKey"], key: number) => keyValues(byKey[key]!, space.keyClasses[key]!, limits[key]!);
  if (f.t === "const") {
    if (!f.value) return undefined;
    // True whatever the open atoms are: each key takes values meeting the atoms chosen on it (absent if none).
    return space.keyClasses.map((_, k) => valuesOf(choices.byKey, k)!);
  }
  const atom = firstAtom(f);
  if (!atom) throw new Undecided("internal: an open formula without open atoms");
  for (const value of [true, false]) {
    const byKey = choices.byKey.map((list, k) => (k === atom.key ? [...list, { atom, value }] : list));
    if (valuesOf(byKey, atom.key) === undefined) continue;
    const atoms = new Map(choices.atoms).set(signature(atom), { atom, value });
    const found = searchAtoms(simplify(f, { atoms }, budget), { atoms, byKey }, space, limits, budget);
    if (found) return found;
  }
  return undefined;
}
