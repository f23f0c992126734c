/**
 * Every mismatch the differential tests (test/differential.test.ts, `npm run fuzz`) ever found between the engine
 * and the reference interpreter, as a named test. Expected results come from the contract (semantics.md), not from
 * either implementation. Each is checked through `evaluate` and the compiled `PolicySet`.
 */
import t from "tap";
import { parsePolicy } from "../src/policy/parse.js";
import { makeContext, type ContextInput } from "../src/evaluate/context.js";
import { compile } from "../src/evaluate/compile.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import type { DecisionKind, EvaluationInput } from "../src/evaluate/decision.js";
import { globMatch } from "../src/match/glob.js";
import { policyOf } from "./helpers/policies.js";

/** The decision of every engine path; they must agree. */
function decide(input: EvaluationInput, ctx: ContextInput): DecisionKind {
  const c = makeContext(ctx);
  const plain = evaluate(input, c);
  const traced = evaluate(input, c, { trace: true });
  const compiled = compile(input).evaluate(c);
  if (plain.decision !== traced.decision || plain.decision !== compiled.decision) {
    throw new Error(`engine paths disagree: ${plain.decision} / ${traced.decision} / ${compiled.decision}`);
  }
  return plain.decision;
}

const allowIf = (condition: Record<string, unknown>) => ({ identity: [{ policy: policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: condition }]) }] });
const on = (keys: Record<string, string>, resourceTags?: [string, string][]): ContextInput => ({
  action: "ess:DeleteScalingGroup",
  resource: "acs:ess:cn-hangzhou:1609982529920904:scalinggroup/asg-1",
  keys,
  ...(resourceTags ? { resourceTags } : {}),
});
const loads = (condition: Record<string, unknown>): boolean =>
  parsePolicy(JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: condition }] })).policy !== undefined;

t.test("regression owner-session-order: a session policy binds the account owner too (§4: step 2 before step 3)", async (t) => {
  // Found by the differential fuzzer: the engine allowed the owner before looking at the session policy.
  const session = policyOf([{ Effect: "Deny", Action: "ess:Delete*", Resource: "*" }], "session", "session");
  const onlyDescribe = policyOf([{ Effect: "Allow", Action: "ess:Describe*", Resource: "*" }], "session", "session");
  t.equal(decide({ principalType: "Root", identity: [], session }, on({})), "ExplicitDeny", "its Deny is final");
  t.equal(decide({ principalType: "Root", identity: [], session: onlyDescribe }, on({})), "ImplicitDeny", "it must Allow");
  t.equal(decide({ principalType: "Root", identity: [], session: onlyDescribe }, { ...on({}), action: "ess:DescribeScalingGroups" }), "Allow", "then the owner is allowed without policies");
  t.equal(decide({ principalType: "Root", identity: [] }, on({})), "Allow", "no session policy: the owner is allowed");
});

t.test("regression date-years-0-99: ISO 8601 years 0000–0099 are those years, not 1900–1999 (§3)", async (t) => {
  // Date.UTC maps years 0–99 to 1900–1999: "0099-12-31" compared as 1999-12-31, and 0000-02-29 (a leap day) was refused.
  const before99 = allowIf({ DateLessThan: { "acs:CurrentTime": "0099-12-31T23:59:59Z" } });
  t.equal(decide(before99, on({ "acs:CurrentTime": "1999-01-01T00:00:00Z" })), "ImplicitDeny", "1999 is not before year 99");
  t.equal(decide(before99, on({ "acs:CurrentTime": "0050-06-01T00:00:00Z" })), "Allow", "year 50 is");
  t.equal(decide(allowIf({ DateEquals: { "acs:CurrentTime": "0050-01-01T00:00:00Z" } }), on({ "acs:CurrentTime": "1950-01-01T00:00:00Z" })), "ImplicitDeny");
  t.ok(loads({ DateEquals: { "acs:CurrentTime": "0000-02-29T00:00:00Z" } }), "0000-02-29 exists (proleptic Gregorian: year 0 is a leap year)");
  t.notOk(loads({ DateEquals: { "acs:CurrentTime": "1900-02-29T00:00:00Z" } }), "1900-02-29 does not");
  t.equal(decide(allowIf({ DateGreaterThanEquals: { "acs:CurrentTime": "0000-02-29T00:00:00Z" } }), on({ "acs:CurrentTime": "0000-03-01T00:00:00+00:00" })), "Allow");
});

t.test("regression glob-lone-surrogate: a lone surrogate in a pattern never matches half of a surrogate pair (§2)", async (t) => {
  // `*` and `?` work on characters; the UTF-16 matchers let "\uD83D*" match "😀" (U+1F600 = \uD83D\uDE00).
  t.notOk(globMatch("\ud83d*", "😀"));
  t.notOk(globMatch("a*\ude00", "a😀"));
  t.notOk(globMatch("*\ud83d*", "x😀y"));
  t.ok(globMatch("\ud83d*", "\ud83dx"), "a lone surrogate still matches itself");
  t.ok(globMatch("a?b", "a😀b"), "? is one character, a surrogate pair included");
  const like = allowIf({ StringLike: { "acs:ResourceTag/team": "\ud83d*" } });
  t.equal(decide(like, on({}, [["team", "😀"]])), "ImplicitDeny", "StringLike");
  t.equal(decide(like, on({}, [["team", "\ud83dabc"]])), "Allow");
  const resource = { identity: [{ policy: policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "acs:ess:*:*:scalinggroup/\ud83d*" }]) }] };
  t.equal(decide(resource, { action: "ess:DeleteScalingGroup", resource: "acs:ess:cn-hangzhou:1:scalinggroup/😀" }), "ImplicitDeny", "Resource");
});

t.test("regression numeric-exact-decimal: numbers compare as decimals, exactly (§3)", async (t) => {
  // Binary floating point made 9007199254740993 equal 9007199254740992 and refused numbers beyond 1.8e308.
  t.equal(decide(allowIf({ NumericEquals: { "ess:Count": "9007199254740993" } }), on({ "ess:Count": "9007199254740992" })), "ImplicitDeny");
  t.equal(decide(allowIf({ NumericLessThan: { "ess:Count": "0.10000000000000001" } }), on({ "ess:Count": "0.1" })), "Allow");
  t.equal(decide(allowIf({ NumericEquals: { "ess:Count": "1.50" } }), on({ "ess:Count": "+1.5" })), "Allow", "same value, other spelling");
  t.equal(decide(allowIf({ NumericEquals: { "ess:Count": "-0" } }), on({ "ess:Count": "0.0" })), "Allow", "-0 = 0");
  const huge = `1${"0".repeat(400)}`;
  t.ok(loads({ NumericGreaterThan: { "ess:Count": huge } }), "a 401-digit decimal is a decimal");
  t.equal(decide(allowIf({ NumericGreaterThan: { "ess:Count": huge } }), on({ "ess:Count": `${huge}1` })), "Allow");
  t.equal(decide(allowIf({ NumericGreaterThan: { "ess:Count": huge } }), on({ "ess:Count": huge })), "ImplicitDeny");
});

t.test("regression ipv4-compatible-ipv6: only ::ffff:a.b.c.d is IPv4-mapped; dotted parts are strict decimal (§3)", async (t) => {
  // ipaddr.js reads "::1.2.3.4" (IPv4-compatible, ::102:304) as "::ffff:1.2.3.4", and accepts octal/hex parts.
  const v4 = allowIf({ IpAddress: { "acs:SourceIp": "1.2.3.0/24" } });
  t.equal(decide(v4, on({ "acs:SourceIp": "::1.2.3.4" })), "ImplicitDeny", "::1.2.3.4 is an IPv6 address");
  t.equal(decide(v4, on({ "acs:SourceIp": "::ffff:1.2.3.4" })), "Allow", "::ffff:1.2.3.4 is 1.2.3.4");
  t.equal(decide(allowIf({ IpAddress: { "acs:SourceIp": "::/64" } }), on({ "acs:SourceIp": "::1.2.3.4" })), "Allow");
  const deny = { identity: [{ policy: policyOf([{ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", Action: "*", Resource: "*", Condition: { NotIpAddress: { "acs:SourceIp": "10.0.0.0/8" } } }]) }] };
  t.equal(decide(deny, on({ "acs:SourceIp": "::ffff:0x0a.0.0.1" })), "ExplicitDeny", "a hex part is not an address: indeterminate, the Deny fires");
  t.equal(decide(deny, on({ "acs:SourceIp": "::ffff:010.0.0.1" })), "ExplicitDeny", "nor an octal-looking one");
  t.notOk(loads({ IpAddress: { "acs:SourceIp": "::ffff:0x0a.0.0.0/104" } }), "in a policy: an Error");
  t.ok(loads({ IpAddress: { "acs:SourceIp": "::1.2.3.4/120" } }), "::1.2.3.4/120 is an IPv6 block");
  t.equal(decide(allowIf({ IpAddress: { "acs:SourceIp": "::1.2.3.0/120" } }), on({ "acs:SourceIp": "1.2.3.4" })), "ImplicitDeny", "which holds no IPv4 address");
});
