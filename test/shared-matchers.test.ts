/**
 * Compiled matchers are shared by statements and conditions that compile alike (bounded memos keyed by what the
 * matchers read). Both paths, interpreted and compiled, use the shared matchers, so comparing them cannot catch a
 * key that merges two that differ: each case here primes the memo with a near twin, then checks the decision the
 * contract gives (docs/semantics.md) for the other.
 */
import t from "tap";
import { compile } from "../src/evaluate/compile.js";
import { makeContext } from "../src/evaluate/context.js";
import { compiledStatement, evaluate } from "../src/evaluate/evaluate.js";
import { HashedMemo } from "../src/bounded-memo.js";
import { listKey } from "../src/match/list-key.js";
import { policyOf } from "./helpers/policies.js";

const ARN = "acs:ess:cn-hangzhou:123456789012:scalinggroup/";

/** The interpreter's and the compiled set's decisions, which must agree, for one request. */
function decide(statements: unknown[], request: Parameters<typeof makeContext>[0]): string {
  const policy = policyOf(statements);
  const ctx = makeContext(request);
  const interpreted = evaluate({ identity: [{ policy }] }, ctx).decision;
  const compiled = compile([policy]).evaluate(ctx).decision;
  if (interpreted !== compiled) throw new Error(`interpreter ${interpreted}, compiled ${compiled}`);
  return interpreted;
}

t.test("list keys: no two lists share one, whatever the strings hold", async (t) => {
  const lists = [[], [""], ["", ""], ["ab", "c"], ["a", "bc"], ["abc"], ["1:a"], ["a", "1:a"], ["a\u0000b"], ["a", "b"], ["2:ab"]];
  t.equal(new Set(lists.map(listKey)).size, lists.length);
});

t.test("targets: an Allow compiled after its Deny twin keeps the exact case of its resources", async (t) => {
  const resource = `${ARN}ASG-Team`;
  const request = { action: "ess:DeleteScalingGroup", resource: `${ARN}asg-team` };
  // A Deny matches resources regardless of case (§2): the lower-case resource is denied.
  t.equal(decide([{ Effect: "Deny", Action: "ess:DeleteScalingGroup", Resource: resource }], request), "ExplicitDeny");
  // An Allow matches them with exact case: the same element does not allow the lower-case resource.
  t.equal(decide([{ Effect: "Allow", Action: "ess:DeleteScalingGroup", Resource: resource }], request), "ImplicitDeny");
});

t.test("targets: Action and NotAction with the same patterns are not merged", async (t) => {
  const request = { action: "ess:DeleteScalingGroup", resource: `${ARN}asg-1` };
  t.equal(decide([{ Effect: "Allow", Action: "ess:DeleteScalingGroup", Resource: "*" }], request), "Allow");
  t.equal(decide([{ Effect: "Allow", NotAction: "ess:DeleteScalingGroup", Resource: "*" }], request), "ImplicitDeny");
});

t.test("conditions: twins that differ only in qualifier, key case or key keep their own semantics", async (t) => {
  const statement = (operator: string, key: string) => ({ Effect: "Allow", Action: "ess:DescribeScalingGroups", Resource: "*", Condition: { [operator]: { [key]: ["team-a"] } } });
  const untagged = { action: "ess:DescribeScalingGroups", resource: `${ARN}asg-1` };
  // §3: ForAllValues: holds on a missing key; the unqualified operator does not.
  t.equal(decide([statement("ForAllValues:StringEquals", "acs:ResourceTag/team")], untagged), "Allow");
  t.equal(decide([statement("StringEquals", "acs:ResourceTag/team")], untagged), "ImplicitDeny");
  const tagged = { ...untagged, resourceTags: [["team", "team-a"]] as [string, string][] };
  t.equal(decide([statement("StringEquals", "acs:ResourceTag/team")], tagged), "Allow");
  t.equal(decide([statement("StringEquals", "acs:ResourceTag/owner")], tagged), "ImplicitDeny", "another key");
  // Key names match regardless of case (§2), but a trace reports each condition's key as written.
  const policy = policyOf([statement("StringEquals", "acs:ResourceTag/Team")]);
  const trace = compile([policy]).evaluate(makeContext(tagged), { trace: true }).trace!;
  t.equal(trace[0]!.conditions[0]!.key, "acs:ResourceTag/Team");
});

t.test("conditions: twins share one compiled condition and one target", async (t) => {
  const statement = { Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/env": "prod" } } };
  const [first, second] = policyOf([statement, statement]).statements;
  const [a, b] = [compiledStatement(first!).conditions[0]!, compiledStatement(second!).conditions[0]!];
  t.equal(b, a, "one compiled condition for both");
  t.same(b.condition, { ...second!.conditions[0]!, pointer: first!.conditions[0]!.pointer }, "which reads as the second statement's own, but for its pointer");
  t.equal(compiledStatement(second!).target, compiledStatement(first!).target, "one target for both");
});

t.test("hashed memos: inputs whose hashes collide share nothing unless alike, and a crowded hash stops sharing", async (t) => {
  let built = 0;
  // Every input hashes alike: only the full comparison tells them apart.
  const memo = new HashedMemo(16, () => 7, (a: string, b: string) => a === b, (input: string) => ({ input, n: built++ }));
  const a = memo.get("a");
  t.equal(memo.get("b").input, "b", "a colliding input gets its own value");
  t.equal(memo.get("a"), a, "an alike input shares the first one's");
  for (let i = 0; i < 20; i++) memo.get(`x${i}`);
  const before = built;
  memo.get("x19");
  t.equal(built, before + 1, "past the inputs one hash keeps, values are built unshared");
  t.equal(memo.get("a"), a, "the ones kept are still shared");
});
