/**
 * CASL (`@casl/ability`, MongoAbility): one rule per (statement, Resource pattern) with the expanded actions,
 * the ARN (exact or `$regex`) and the tag conditions as a Mongo query over `{arn, rt, xt}`. Deny statements
 * are `inverted` rules placed after every Allow: CASL lets the last matching rule win, which gives RAM's
 * "any Deny wins". CASL answers allowed or not, so it is checked on Allow versus Deny.
 */
import { createMongoAbility, subject, type RawRuleOf, type MongoAbility, type MongoQuery } from "@casl/ability";
import type { Workload } from "../workload.js";
import { installedVersion, type Engine, type PreparedEngine } from "./engine.js";
// portable() refuses Resource patterns with `?`, so here a wildcard is a `*`.
import { hasWildcard } from "../../src/match/glob.js";
import { globRegex, portable, tagRecord, type PortableStatement, type TagCondition } from "./portable.js";

type Ability = MongoAbility<[string, "Resource" | ReturnType<typeof subject>]>;

/** The Mongo operators of one tag condition on its field. CASL's matcher has no `$not`, so no StringNotLike. */
function tagOperators(c: TagCondition): Record<string, unknown> {
  switch (c.operator) {
    case "StringEquals":
      return { $in: [...c.values] };
    case "StringNotEquals":
      return { $nin: [...c.values] }; // like RAM, true when the tag is absent
    case "StringLike":
      return { $regex: new RegExp(c.values.map((v) => `(?:${globRegex(v)})`).join("|")) };
    case "StringNotLike":
      throw new Error("casl: StringNotLike is outside what the benchmark translates");
  }
}

/** One Mongo query: CASL's matcher has no `$and`, so operators on the same field share one object. */
function query(resource: string, conditions: readonly TagCondition[]): MongoQuery | undefined {
  const fields: Record<string, Record<string, unknown> | string> = {};
  if (resource !== "*") fields.arn = hasWildcard(resource) ? { $regex: new RegExp(globRegex(resource)) } : resource;
  for (const c of conditions) {
    const field = `${c.family === "RequestTag" ? "rt" : "xt"}.${c.tag}`;
    fields[field] = { ...(fields[field] as Record<string, unknown> | undefined), ...tagOperators(c) };
  }
  return Object.keys(fields).length === 0 ? undefined : (fields as MongoQuery);
}

function rules(s: PortableStatement): RawRuleOf<Ability>[] {
  if (s.actions.length === 0) return [];
  return s.resources.map((r) => {
    const conditions = query(r, s.conditions);
    return { action: [...s.actions], subject: "Resource", ...(conditions ? { conditions } : {}), ...(s.effect === "Deny" ? { inverted: true } : {}) };
  });
}

const version = installedVersion("@casl/ability");

export const casl: Engine = {
  name: "casl",
  package: `@casl/ability ${version}`,
  prepare(w: Workload): PreparedEngine {
    const statements = portable(w.policies);
    const ordered = [...statements.filter((s) => s.effect === "Allow"), ...statements.filter((s) => s.effect === "Deny")];
    const ability: Ability = createMongoAbility(ordered.flatMap(rules));
    const subjects = w.requests.map((r) => subject("Resource", { arn: r.resource, rt: tagRecord(r.requestTags), xt: tagRecord(r.resourceTags) }));
    const actions = w.requests.map((r) => r.action);
    return {
      decide: (i) => ability.can(actions[i]!, subjects[i]!),
      verdict: (answer) => ({ decision: answer ? "Allow" : "Deny" }),
    };
  },
};
