/**
 * Runs the benchmark's TypeScript through esbuild without `keepNames`. tsx always sets it, which wraps every
 * function expression in `__name(...)` (an `Object.defineProperty` per closure created): a cost the compiled
 * JavaScript users run never pays, and the benchmark would measure it as the engines' own.
 */
import { register } from "node:module";

register("./typescript-hooks.mjs", import.meta.url);
