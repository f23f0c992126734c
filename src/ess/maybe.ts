/**
 * Host answers that may or may not be promises (`MaybePromise`), carried on without a promise when they are not:
 * with in-memory sources a request then costs no microtask per lookup, and the middleware's `await`s only wait
 * for what is really pending.
 */
import type { MaybePromise } from "./types.js";

/** Any thenable counts as pending: a host may use another promise library. */
export const isPending = <T>(value: MaybePromise<T> | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === "function";

/** `next(value)`: at once when the value is already there, else once it is. */
export function whenReady<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isPending(value) ? Promise.resolve(value).then(next) : next(value);
}

/**
 * Every item mapped: an array at once when no answer is pending, else `Promise.all` of them. A mapping that throws
 * fails the whole; answers still pending are then awaited by nobody, so their rejections are marked handled.
 */
export function mapReady<T, U>(items: readonly T[], map: (item: T) => MaybePromise<U>): MaybePromise<U[]> {
  const answers: MaybePromise<U>[] = [];
  let pending = false;
  try {
    for (const item of items) {
      const answer = map(item);
      if (isPending(answer)) pending = true;
      answers.push(answer);
    }
  } catch (e) {
    for (const answer of answers) if (isPending(answer)) answer.then(undefined, () => {});
    throw e;
  }
  return pending ? Promise.all(answers) : (answers as U[]);
}
