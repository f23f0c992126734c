import type { PolicyText, RequestFileValue } from "./engine.js";

/** One case of fixtures/suites (scenarios.md), inlined by scripts/build-playground.mjs. */
export interface Example {
  readonly id: string;
  readonly suite: string;
  readonly name: string;
  readonly policies: readonly PolicyText[];
  readonly request: RequestFileValue;
  readonly expect: string;
}

declare const __PLAYGROUND_EXAMPLES__: readonly Example[];

export const EXAMPLES: readonly Example[] = __PLAYGROUND_EXAMPLES__;
