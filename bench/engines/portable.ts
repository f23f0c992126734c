/**
 * The workload's policies in a form every peer translation starts from, with RAM's meaning made explicit:
 * wildcard actions expanded over the actions a request can name, tag keys folded to lower case.
 * Anything outside the workload's vocabulary is refused, so a translation never guesses.
 */
import { compileGlob } from "../../src/match/glob.js";
import type { Policy } from "../../src/policy/ast.js";
import { ACTION_UNIVERSE, type BenchRequest } from "../workload.js";

export type TagFamily = "RequestTag" | "ResourceTag";

export interface TagCondition {
  readonly operator: "StringEquals" | "StringNotEquals" | "StringLike" | "StringNotLike";
  readonly family: TagFamily;
  /** Lower case: RAM matches condition-key names regardless of case (docs/semantics.md §2). */
  readonly tag: string;
  readonly values: readonly string[];
}

export interface PortableStatement {
  /** `policy#statement`, as verdicts name determining statements. */
  readonly key: string;
  readonly policy: string;
  readonly effect: "Allow" | "Deny";
  readonly actionKind: "Action" | "NotAction";
  /** The patterns as written. */
  readonly patterns: readonly string[];
  /** Every action of the universe the statement applies to (NotAction already inverted). */
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: readonly TagCondition[];
}

const TAG_KEY = /^acs:(RequestTag|ResourceTag)\/(.+)$/i;
const OPERATORS = new Set(["StringEquals", "StringNotEquals", "StringLike", "StringNotLike"]);

export const statementKey = (policy: string, statement: number): string => `${policy}#${statement}`;

export function portable(policies: readonly Policy[]): PortableStatement[] {
  return policies.flatMap((policy) =>
    policy.statements.map((s): PortableStatement => {
      const globs = s.actions.map((a) => compileGlob(a.toLowerCase()));
      const listed = (action: string): boolean => globs.some((g) => g.test(action.toLowerCase()));
      const conditions = s.conditions.map((c): TagCondition => {
        const m = TAG_KEY.exec(c.key);
        if (!m || !OPERATORS.has(c.operator)) throw new Error(`${policy.name}: ${c.operator} ${c.key} is outside the benchmark's vocabulary`);
        return { operator: c.operator as TagCondition["operator"], family: m[1]!.toLowerCase() === "requesttag" ? "RequestTag" : "ResourceTag", tag: m[2]!.toLowerCase(), values: c.values };
      });
      for (const r of s.resources ?? []) if (r.includes("?")) throw new Error(`${policy.name}: '?' in ${r} is outside the benchmark's vocabulary`);
      return {
        key: statementKey(policy.name, s.index),
        policy: policy.name,
        effect: s.effect,
        actionKind: s.actionKind,
        patterns: s.actions,
        actions: ACTION_UNIVERSE.filter((a) => listed(a) !== (s.actionKind === "NotAction")),
        resources: s.resources ?? ["*"],
        conditions,
      };
    }),
  );
}

/** Request and resource tags with lower-case keys, for engines that look tags up by exact key. */
export function tagRecord(tags: BenchRequest["requestTags"]): Record<string, string> {
  return Object.fromEntries(tags.map(([k, v]) => [k.toLowerCase(), v]));
}

/** A RAM glob (only `*` in the workload) as an anchored regular expression source. */
export function globRegex(pattern: string): string {
  return `^${pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`;
}
