import { Undecided } from "./strings.js";

/**
 * A propositional encoding of access questions over the classes of each dimension, and a search for a
 * satisfying request. The action and the resource are one class each; a condition key holds a set of value
 * classes (one bit per class: several values when tags differ only in case), empty when the key is absent.
 * The search assigns the action, then the resource, then key bits, simplifying the formula after each choice
 * and dropping a branch as soon as it is false: it never walks the product of the classes blindly.
 */
export type Formula =
  | { readonly t: "const"; readonly value: boolean }
  | { readonly t: "and" | "or"; readonly xs: readonly Formula[] }
  | { readonly t: "not"; readonly x: Formula }
  | { readonly t: "action" | "resource"; readonly classes: ReadonlySet<number> }
  /** Present: every chosen class is `ok`; absent: `absent`. (A condition in an Allow statement.) */
  | { readonly t: "all"; readonly key: number; readonly ok: readonly boolean[]; readonly absent: boolean }
  /** Present: some chosen class is `hit`; absent: `absent`. (A condition in a Deny statement.) */
  | { readonly t: "some"; readonly key: number; readonly hit: readonly boolean[]; readonly absent: boolean };

export const TRUE: Formula = { t: "const", value: true };
export const FALSE: Formula = { t: "const", value: false };

export const and = (...xs: Formula[]): Formula => ({ t: "and", xs });
export const or = (...xs: Formula[]): Formula => ({ t: "or", xs });
export const not = (x: Formula): Formula => ({ t: "not", x });

export interface Assignment {
  action?: number;
  resource?: number;
  /** Per key, per class: chosen (true), left out (false), or not decided yet (undefined). */
  readonly bits: (boolean | undefined)[][];
}

/** Work done, counted in formula nodes visited: the bound that makes a hard question "undecided", not slow. */
export class Budget {
  steps = 0;
  constructor(readonly limit: number) {}
  tick(): void {
    if (++this.steps > this.limit) throw new Undecided(`the search took more than ${this.limit} steps`);
  }
}

function keyAtom(bits: readonly (boolean | undefined)[], good: readonly boolean[], absent: boolean, all: boolean): boolean | undefined {
  // `all` fails on a chosen class that is not good; `some` holds on a chosen class that is.
  let chosen = false;
  let openGood = false;
  let openBad = false;
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i];
    if (b === true) {
      chosen = true;
      if (good[i] !== all) return !all;
    } else if (b === undefined) {
      if (good[i]) openGood = true;
      else openBad = true;
    }
  }
  if (chosen) return all ? (openBad ? undefined : true) : openGood ? undefined : false;
  // Nothing chosen yet: the key may stay absent, or take a good or a bad class.
  if ((openGood && !absent) || (openBad && absent)) return undefined;
  return absent;
}

/** The formula with everything the assignment decides replaced by constants. */
export function simplify(f: Formula, a: Assignment, budget: Budget): Formula {
  budget.tick();
  switch (f.t) {
    case "const":
      return f;
    case "action":
    case "resource": {
      const chosen = f.t === "action" ? a.action : a.resource;
      return chosen === undefined ? f : f.classes.has(chosen) ? TRUE : FALSE;
    }
    case "all":
    case "some": {
      const value = keyAtom(a.bits[f.key]!, f.t === "all" ? f.ok : f.hit, f.absent, f.t === "all");
      return value === undefined ? f : value ? TRUE : FALSE;
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
  readonly actions: number;
  /** The resource classes a request of this action can be authorized against. */
  resourcesFor(action: number): readonly number[];
  /** Per key: how many classes it has, and how many values a request of this action and resource can carry for it. */
  readonly keyClasses: readonly number[];
  maxValues(key: number, action: number, resource: number): number;
}

/** A satisfying assignment (keys complete), or undefined when there is none. Throws Undecided past the budget. */
export function solve(formula: Formula, space: SearchSpace, budget: Budget): Assignment | undefined {
  const base: Assignment = { bits: space.keyClasses.map((n) => new Array<boolean | undefined>(n).fill(undefined)) };
  for (let action = 0; action < space.actions; action++) {
    const withAction = { ...base, action };
    const fa = simplify(formula, withAction, budget);
    if (fa.t === "const" && !fa.value) continue;
    for (const resource of space.resourcesFor(action)) {
      const asg: Assignment = { action, resource, bits: base.bits.map((b) => [...b]) };
      const limits = space.keyClasses.map((_, k) => space.maxValues(k, action, resource));
      limits.forEach((m, k) => {
        if (m === 0) asg.bits[k]!.fill(false);
      });
      const fr = simplify(fa, asg, budget);
      if (fr.t === "const" && !fr.value) continue;
      const found = searchBits(fr, asg, limits, 0, 0, budget);
      if (found) return found;
    }
  }
  return undefined;
}

function searchBits(f: Formula, a: Assignment, limits: readonly number[], key: number, cls: number, budget: Budget): Assignment | undefined {
  if (f.t === "const") {
    if (!f.value) return undefined;
    // True whatever the open bits are: leave them out (fewer values are always a request one can send).
    return { ...a, bits: a.bits.map((b) => b.map((x) => x ?? false)) };
  }
  let k = key;
  let c = cls;
  while (k < a.bits.length && (c >= a.bits[k]!.length || a.bits[k]![c] !== undefined)) {
    if (c >= a.bits[k]!.length) {
      k++;
      c = 0;
    } else c++;
  }
  if (k >= a.bits.length) throw new Undecided("internal: a formula is open with every bit assigned");
  const used = a.bits[k]!.filter((b) => b === true).length;
  for (const choice of [false, true]) {
    if (choice && used >= limits[k]!) continue;
    const bits = a.bits.map((b, i) => (i === k ? b.map((x, j) => (j === c ? choice : x)) : b));
    const next: Assignment = { ...a, bits };
    const s = simplify(f, next, budget);
    const found = searchBits(s, next, limits, k, c + 1, budget);
    if (found) return found;
  }
  return undefined;
}
