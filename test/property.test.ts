/** Property: evaluate never throws and always answers one of the three decisions, on random policies and requests. */
import t from "tap";
import fc from "fast-check";
import { parsePolicy } from "../src/policy/parse.js";
import { makeContext } from "../src/evaluate/context.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { OPERATOR_NAMES } from "../src/conditions/operators.js";

const tricky = fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "acs:SourceIp", "acs:CurrentTime", "acs:RequestTag/team", "acs:ResourceTag/Team", "acs:SecureTransport");
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("*", "?", "ess:*", "10.0.0.0/8", "::1", "true", "2026-11-30T10:00:00Z", "-1.5", "😀", "\ud800"));
const values = fc.oneof(text, fc.array(fc.oneof(text, fc.integer(), fc.boolean()), { maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(null));
const operator = fc.oneof(fc.constantFrom(...OPERATOR_NAMES), fc.constantFrom("ForAnyValue:StringEquals", "ForAllValues:StringNotLike", "ForAnyValues:StringEquals", "Null", "stringequals"));
const condition = fc.dictionary(operator, fc.dictionary(fc.oneof(tricky, fc.string({ maxLength: 6 })), values, { maxKeys: 2 }), { maxKeys: 3 });
const statement = fc.record(
  {
    Effect: fc.constantFrom("Allow", "Deny", "allow"),
    Action: fc.oneof(text, fc.array(fc.oneof(text, fc.constantFrom("ess:Describe*", "*:ListTagResources", "ESS:deletescalinggroup")), { maxLength: 3 })),
    Resource: fc.oneof(text, fc.array(fc.oneof(text, fc.constant("acs:ess:*:*:scalinggroup/*")), { maxLength: 3 })),
    Condition: condition,
    Sid: text,
  },
  { requiredKeys: ["Effect"] },
);
const document = fc.record({ Version: fc.constantFrom("1", "2"), Statement: fc.array(statement, { maxLength: 4 }) });
const request = fc.record({
  action: fc.oneof(text, fc.constantFrom("ess:DeleteScalingGroup", "ess:DescribeRegions")),
  resource: fc.oneof(text, fc.constant("acs:ess:cn-hangzhou:1609982529920904:scalinggroup/asg-1")),
  keys: fc.array(fc.tuple(fc.oneof(tricky, fc.string({ maxLength: 6 })), text), { maxLength: 4 }),
  requestTags: fc.array(fc.tuple(fc.constantFrom("team", "Team", "__proto__"), text), { maxLength: 3 }),
  resourceTags: fc.array(fc.tuple(fc.constantFrom("team", "TEAM", "constructor"), text), { maxLength: 3 }),
});

t.test("evaluate never throws on random policies and requests", async (t) => {
  let loaded = 0;
  fc.assert(
    fc.property(fc.array(document, { minLength: 1, maxLength: 3 }), request, (docs, req) => {
      const policies = docs.flatMap((d, i) => parsePolicy(JSON.stringify(d), { name: `p${i}` }).policy ?? []);
      loaded += policies.length;
      const d = evaluate({ identity: policies.map((policy) => ({ policy })) }, makeContext(req), { trace: true });
      return ["Allow", "ExplicitDeny", "ImplicitDeny"].includes(d.decision) && d.trace!.length === policies.reduce((n, p) => n + p.statements.length, 0);
    }),
    { numRuns: 3000, seed: 20261130 },
  );
  t.ok(loaded > 100, `random documents that loaded: ${loaded}`);
  t.equal(({} as Record<string, unknown>).team, undefined, "no prototype pollution");
});

t.test("an Allow on a policy with no Allow statement is impossible", async (t) => {
  fc.assert(
    fc.property(fc.array(statement.map((s) => ({ ...s, Effect: "Deny" })), { maxLength: 4 }), request, (statements, req) => {
      const p = parsePolicy(JSON.stringify({ Version: "1", Statement: statements })).policy;
      return !p || evaluate({ identity: [{ policy: p }] }, makeContext(req)).decision !== "Allow";
    }),
    { numRuns: 2000, seed: 7 },
  );
  
});
