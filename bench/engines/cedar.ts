/**
 * Cedar (`@cedar-policy/cedar-wasm`, stateful API): the policy set is parsed once (`preparsePolicySet`) and
 * each request names it. One Cedar policy per (statement, Resource pattern): `permit`/`forbid`, the expanded
 * actions in the scope, exact ARNs as the resource, globs as `context.arn like`, tag conditions on
 * `context.rt` (request tags) and `context.xt` (resource tags).
 */
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import type { Workload } from "../workload.js";
import { installedVersion, type Engine, type PreparedEngine, type Verdict } from "./engine.js";
// portable() refuses Resource patterns with `?`, so here a wildcard is a `*`.
import { hasWildcard } from "../../src/match/glob.js";
import { portable, tagRecord, type PortableStatement, type TagCondition } from "./portable.js";

/** A Cedar string literal. As a `like` pattern its `*` is the wildcard, as in RAM's globs (the workload has no `?`). */
const lit = (s: string): string => JSON.stringify(s);

function conditionExpr(c: TagCondition): string {
  const record = c.family === "RequestTag" ? "context.rt" : "context.xt";
  const value = `${record}[${lit(c.tag)}]`;
  const test = c.operator === "StringLike" || c.operator === "StringNotLike" ? (v: string) => `${value} like ${lit(v)}` : (v: string) => `${value} == ${lit(v)}`;
  const any = `(${c.values.map(test).join(" || ")})`;
  const present = `${record} has ${lit(c.tag)}`;
  return c.operator === "StringEquals" || c.operator === "StringLike" ? `(${present} && ${any})` : `(!(${present}) || !${any})`;
}

function cedarPolicies(s: PortableStatement): string[] {
  const effect = s.effect === "Allow" ? "permit" : "forbid";
  const actions = `[${s.actions.map((a) => `Action::${lit(a)}`).join(", ")}]`;
  return s.resources.map((r) => {
    const resource = r === "*" || hasWildcard(r) ? "resource" : `resource == Resource::${lit(r)}`;
    const clauses = [...(hasWildcard(r) && r !== "*" ? [`context.arn like ${lit(r)}`] : []), ...s.conditions.map(conditionExpr)];
    return `${effect} (principal, action in ${actions}, ${resource})${clauses.length ? ` when { ${clauses.join(" && ")} }` : ""};`;
  });
}

const version = installedVersion("@cedar-policy/cedar-wasm");
let setCounter = 0;

export const cedarWasm: Engine = {
  name: "cedar-wasm",
  package: `@cedar-policy/cedar-wasm ${version}`,
  prepare(w: Workload): PreparedEngine {
    const statementOf = new Map<string, string>();
    const staticPolicies: Record<string, string> = {};
    for (const s of portable(w.policies)) {
      cedarPolicies(s).forEach((text, k) => {
        const id = `${s.key}/${k}`;
        staticPolicies[id] = text;
        statementOf.set(id, s.key);
      });
    }
    const id = `bench-${setCounter++}`;
    const parsed = cedar.preparsePolicySet(id, { staticPolicies });
    if (parsed.type !== "success") throw new Error(`cedar: ${JSON.stringify(parsed.errors).slice(0, 500)}`);
    const calls: cedar.StatefulAuthorizationCall[] = w.requests.map((r) => ({
      principal: { type: "User", id: "bench" },
      action: { type: "Action", id: r.action },
      resource: { type: "Resource", id: r.resource },
      context: { arn: r.resource, rt: tagRecord(r.requestTags), xt: tagRecord(r.resourceTags) },
      preparsedPolicySetId: id,
      entities: [],
    }));
    return {
      decide: (i) => cedar.statefulIsAuthorized(calls[i]!),
      verdict(answer): Verdict {
        const a = answer as cedar.AuthorizationAnswer;
        if (a.type !== "success") throw new Error(`cedar: ${JSON.stringify(a.errors).slice(0, 500)}`);
        const { decision, diagnostics } = a.response;
        if (diagnostics.errors.length > 0) throw new Error(`cedar: ${JSON.stringify(diagnostics.errors).slice(0, 500)}`);
        const determining = [...new Set(diagnostics.reason.map((p) => statementOf.get(p)!))].sort();
        return { decision: decision === "allow" ? "Allow" : determining.length > 0 ? "ExplicitDeny" : "ImplicitDeny", determining };
      },
    };
  },
};
