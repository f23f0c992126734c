/**
 * Casbin (node-casbin, `enforceSync`): one policy row per (statement, Resource pattern) with the action and
 * resource globs as anchored regular expressions and the tag conditions as an `eval` rule over `r.ctx`; the
 * deny-override effect gives RAM's "any Deny wins". Casbin answers allowed or not, so it is checked on
 * Allow versus Deny.
 */
import { newEnforcer, newModelFromString, type Enforcer } from "casbin";
import type { Workload } from "../workload.js";
import { installedVersion, type Engine, type PreparedEngine } from "./engine.js";
import { globRegex, portable, tagRecord, type PortableStatement, type TagCondition } from "./portable.js";

const MODEL = `
[request_definition]
r = act, obj, ctx

[policy_definition]
p = act, obj, cond, eft

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = regexMatch(r.act, p.act) && regexMatch(r.obj, p.obj) && eval(p.cond)
`;

const quote = (s: string): string => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/**
 * Casbin splices an `eval` rule into the matcher with `String.replace`, where `$'` in the rule would be a
 * replacement pattern: the regular expressions in rules end with a `$`-free end anchor.
 */
const ruleRegex = (glob: string): string => `${globRegex(glob).slice(0, -1)}(?![\\s\\S])`;

function conditionExpr(c: TagCondition): string {
  const value = `r.ctx.${c.family === "RequestTag" ? "rt" : "xt"}.${c.tag}`;
  const like = c.operator === "StringLike" || c.operator === "StringNotLike";
  const test = (v: string): string => (like ? `regexMatch(${value}, ${quote(ruleRegex(v))})` : `${value} == ${quote(v)}`);
  const any = `(${value} != undefined && (${c.values.map(test).join(" || ")}))`;
  return c.operator === "StringEquals" || c.operator === "StringLike" ? any : `!${any}`;
}

function rows(s: PortableStatement): string[][] {
  if (s.actions.length === 0) return [];
  const actions = `^(?:${s.actions.map((a) => globRegex(a).slice(1, -1)).join("|")})$`;
  const cond = s.conditions.length === 0 ? "true" : s.conditions.map(conditionExpr).join(" && ");
  return s.resources.map((r) => [actions, globRegex(r), cond, s.effect.toLowerCase()]);
}

const version = installedVersion("casbin");

export const casbin: Engine = {
  name: "casbin",
  package: `casbin ${version}`,
  async prepare(w: Workload): Promise<PreparedEngine> {
    const enforcer: Enforcer = await newEnforcer(newModelFromString(MODEL));
    await enforcer.addPolicies(portable(w.policies).flatMap(rows));
    const requests = w.requests.map((r) => [r.action, r.resource, { rt: tagRecord(r.requestTags), xt: tagRecord(r.resourceTags) }] as const);
    return {
      decide: (i) => enforcer.enforceSync(...requests[i]!),
      verdict: (answer) => ({ decision: answer ? "Allow" : "Deny" }),
    };
  },
};
