import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Workload } from "../workload.js";

/** An answer in a common form, to check every engine against the reference before anything is timed. */
export interface Verdict {
  /** Engines that cannot tell an explicit from an implicit deny answer `Deny`. */
  readonly decision: "Allow" | "ExplicitDeny" | "ImplicitDeny" | "Deny";
  /** `policy#statement` of the statements that decided, where the engine reports them (sorted). */
  readonly determining?: readonly string[];
}

export interface PreparedEngine {
  /** One decision for request `i`, in the engine's own form. This is what is timed. */
  decide(i: number): unknown;
  verdict(answer: unknown): Verdict;
}

export interface Engine {
  readonly name: string;
  /** The package and version measured. */
  readonly package: string;
  /** Translates and compiles the workload; timed as the engine's compile time. */
  prepare(workload: Workload): PreparedEngine | Promise<PreparedEngine>;
}

/** The installed version of a peer (some packages do not export their package.json). */
export function installedVersion(pkg: string): string {
  const file = join(import.meta.dirname, "../../node_modules", pkg, "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}
