import { isPending } from "../ess/maybe.js";
import type { MaybePromise } from "../ess/types.js";

/** How long one call to a host dependency (credential directory, group source, resolver, nonce store) may take. */
export const DEFAULT_DEPENDENCY_TIMEOUT_MS = 2000;

/** A host dependency did not answer in time: answered `ServiceUnavailable`, never decided on. */
export class DependencyTimeoutError extends Error {
  constructor(
    readonly dependency: string,
    readonly timeoutMs: number,
  ) {
    super(`${dependency} did not answer within ${timeoutMs} ms`);
    this.name = "DependencyTimeoutError";
  }
}

/**
 * The dependency's answer, or a `DependencyTimeoutError` once `timeoutMs` has passed. Synchronous answers pass
 * through untouched; any thenable (a host may use another promise library) is raced. A late answer is ignored and
 * a late rejection is already handled by the race.
 */
export function withDeadline<T>(answer: MaybePromise<T>, dependency: string, timeoutMs: number): MaybePromise<T> {
  if (!isPending(answer)) return answer;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DependencyTimeoutError(dependency, timeoutMs)), timeoutMs);
  });
  return Promise.race([Promise.resolve(answer), expiry]).finally(() => clearTimeout(timer));
}
