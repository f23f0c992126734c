import t from "tap";
import { makeContext } from "../src/evaluate/context.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { compileCondition } from "../src/conditions/evaluate.js";
import { OPERATOR_NAMES, type OperatorName, type SetQualifier } from "../src/conditions/operators.js";
import { policyOf } from "./helpers/policies.js";

/** Decision of a single statement with `condition` for a request with `keys` (and tags). */
function decide(
  effect: "Allow" | "Deny",
  condition: Record<string, Record<string, unknown>>,
  keys: Record<string, string> = {},
  tags: { request?: [string, string][]; resource?: [string, string][] } = {},
): string {
  const statements: unknown[] = [{ Effect: effect, Action: "ess:*", Resource: "*", Condition: condition }];
  if (effect === "Deny") statements.push({ Effect: "Allow", Action: "ess:*", Resource: "*" });
  const ctx = makeContext({
    action: "ess:DescribeRegions",
    resource: "*",
    keys,
    ...(tags.request ? { requestTags: tags.request } : {}),
    ...(tags.resource ? { resourceTags: tags.resource } : {}),
  });
  return evaluate({ identity: [{ policy: policyOf(statements) }] }, ctx).decision;
}
const allows = (c: Record<string, Record<string, unknown>>, keys?: Record<string, string>) => decide("Allow", c, keys) === "Allow";

t.test("all 21 operators exist, no more", async (t) => {
  t.equal(OPERATOR_NAMES.length, 21);
});

t.test("string operators", async (t) => {
  t.ok(allows({ StringEquals: { k: "Dev" } }, { k: "Dev" }));
  t.notOk(allows({ StringEquals: { k: "Dev" } }, { k: "dev" }), "StringEquals is case-sensitive");
  t.notOk(allows({ StringEquals: { k: "d*" } }, { k: "dev" }), "no wildcards in StringEquals");
  t.ok(allows({ StringEquals: { k: "d*" } }, { k: "d*" }));
  t.ok(allows({ StringEqualsIgnoreCase: { k: "Dev" } }, { k: "dEV" }));
  t.ok(allows({ StringNotEquals: { k: "a" } }, { k: "b" }));
  t.notOk(allows({ StringNotEquals: { k: "a" } }, { k: "a" }));
  t.notOk(allows({ StringNotEqualsIgnoreCase: { k: "A" } }, { k: "a" }));
  t.ok(allows({ StringLike: { k: "hangzhou/2015/*" } }, { k: "hangzhou/2015/" }));
  t.notOk(allows({ StringLike: { k: "hangzhou/2015/*" } }, { k: "hangzhou/2016/" }));
  t.notOk(allows({ StringLike: { k: "a?" } }, { k: "A1" }), "StringLike is case-sensitive");
  t.ok(allows({ StringNotLike: { k: "vpc-*" } }, { k: "x" }));
  t.notOk(allows({ StringNotLike: { k: "vpc-*" } }, { k: "vpc-1" }));
});

t.test("numeric operators compare decimals", async (t) => {
  t.ok(allows({ NumericEquals: { k: "10" } }, { k: "10.0" }));
  t.ok(allows({ NumericNotEquals: { k: "10" } }, { k: "9" }));
  t.ok(allows({ NumericLessThan: { k: "10" } }, { k: "9" }));
  t.notOk(allows({ NumericLessThan: { k: "10" } }, { k: "10" }));
  t.ok(allows({ NumericLessThanEquals: { k: "10" } }, { k: "10" }));
  t.ok(allows({ NumericGreaterThan: { k: "-1" } }, { k: "0" }));
  t.notOk(allows({ NumericGreaterThan: { k: "1" } }, { k: "1" }));
  t.ok(allows({ NumericGreaterThanEquals: { k: "1.5" } }, { k: "1.5" }));
});

t.test("date operators compare instants across offsets", async (t) => {
  const before = "2019-08-12T17:00:00+08:00";
  t.ok(allows({ DateLessThan: { "acs:CurrentTime": before } }, { "acs:CurrentTime": "2019-08-12T08:59:59Z" }));
  t.notOk(allows({ DateLessThan: { "acs:CurrentTime": before } }, { "acs:CurrentTime": "2019-08-12T09:00:00Z" }));
  t.ok(allows({ DateLessThanEquals: { "acs:CurrentTime": before } }, { "acs:CurrentTime": "2019-08-12T09:00:00Z" }));
  t.ok(allows({ DateEquals: { "acs:CurrentTime": before } }, { "acs:CurrentTime": "2019-08-12T09:00:00.000Z" }));
  t.ok(allows({ DateNotEquals: { "acs:CurrentTime": before } }, { "acs:CurrentTime": "2019-08-12T09:00:00.001Z" }));
  t.ok(allows({ DateGreaterThan: { "acs:CurrentTime": before } }, { "acs:CurrentTime": "2019-08-12T09:00:00.000000001Z" }));
  t.ok(allows({ DateGreaterThanEquals: { "acs:CurrentTime": "2026-01-01T00:00:00-05:00" } }, { "acs:CurrentTime": "2026-01-01T05:00:00Z" }));
});

t.test("Bool and IP operators", async (t) => {
  t.ok(allows({ Bool: { "acs:SecureTransport": "true" } }, { "acs:SecureTransport": "true" }));
  t.notOk(allows({ Bool: { "acs:SecureTransport": "true" } }, { "acs:SecureTransport": "false" }));
  t.ok(allows({ IpAddress: { "acs:SourceIp": "192.168.0.0/16" } }, { "acs:SourceIp": "192.168.10.1" }));
  t.notOk(allows({ IpAddress: { "acs:SourceIp": "192.168.0.0/16" } }, { "acs:SourceIp": "10.0.0.1" }));
  t.ok(allows({ IpAddress: { "acs:SourceIp": "192.168.0.1" } }, { "acs:SourceIp": "192.168.0.1" }));
  t.ok(allows({ IpAddress: { "acs:SourceIp": "192.168.0.0/16" } }, { "acs:SourceIp": "::ffff:192.168.3.4" }), "IPv4-mapped IPv6 compares as IPv4");
  t.ok(allows({ IpAddress: { "acs:SourceIp": "2001:db8::/32" } }, { "acs:SourceIp": "2001:db8::1" }));
  t.notOk(allows({ IpAddress: { "acs:SourceIp": "0.0.0.0/0" } }, { "acs:SourceIp": "2001:db8::1" }), "IPv4 ranges do not contain IPv6");
  t.ok(allows({ NotIpAddress: { "acs:SourceIp": "10.0.0.0/8" } }, { "acs:SourceIp": "192.168.1.1" }));
});

t.test("values OR, keys AND, operators AND; negated operators NOR", async (t) => {
  t.ok(allows({ StringEquals: { k: ["a", "b"] } }, { k: "b" }));
  t.notOk(allows({ StringEquals: { k: "a", j: "b" } }, { k: "a" }));
  t.ok(allows({ StringEquals: { k: "a", j: "b" } }, { k: "a", j: "b" }));
  t.notOk(allows({ StringEquals: { k: "a" }, StringLike: { j: "x*" } }, { k: "a", j: "y" }));
  t.notOk(allows({ StringNotEquals: { k: ["private", "default"] } }, { k: "default" }), "NOR: one matching value makes it false");
  t.ok(allows({ StringNotEquals: { k: ["private", "default"] } }, { k: "public-read" }));
});

t.test("missing keys: positive operators false, negated true", async (t) => {
  for (const op of OPERATOR_NAMES) {
    const value = op.startsWith("Numeric") ? "1" : op.startsWith("Date") ? "2026-01-01T00:00:00Z" : op === "Bool" ? "true" : op.includes("Ip") ? "10.0.0.0/8" : "x";
    const negated = op.includes("Not");
    t.equal(allows({ [op]: { "acs:Absent": value } }, {}), negated, `${op} on a missing key`);
    t.equal(decide("Deny", { [op]: { "acs:Absent": value } }, {}) === "ExplicitDeny", negated, `Deny ${op} on a missing key`);
  }
});

t.test("indeterminate request values never allow and always let a Deny fire", async (t) => {
  const cases: [string, string, string][] = [
    ["NumericLessThan", "10", "ten"], ["NumericNotEquals", "10", "1e1"], ["DateLessThan", "2030-01-01T00:00:00Z", "tomorrow"],
    ["DateNotEquals", "2030-01-01T00:00:00Z", "2030-01-01"], ["Bool", "true", "TRUE"], ["IpAddress", "10.0.0.0/8", "10.1.2"],
    ["NotIpAddress", "10.0.0.0/8", "not-an-ip"], ["IpAddress", "10.0.0.0/8", "10.0.0.0/8"],
  ];
  for (const [op, policyValue, requestValue] of cases) {
    t.equal(decide("Allow", { [op]: { k: policyValue } }, { k: requestValue }), "ImplicitDeny", `Allow ${op} with ${requestValue}`);
    t.equal(decide("Deny", { [op]: { k: policyValue } }, { k: requestValue }), "ExplicitDeny", `Deny ${op} with ${requestValue}`);
  }
});

t.test("condition key names are case-insensitive, including the tag key", async (t) => {
  t.ok(allows({ IpAddress: { "ACS:SOURCEIP": "10.0.0.0/8" } }, { "acs:SourceIp": "10.1.1.1" }));
  t.equal(decide("Allow", { StringEquals: { "acs:ResourceTag/Team": "game1" } }, {}, { resource: [["team", "game1"]] }), "Allow");
  t.equal(decide("Allow", { StringEquals: { "acs:RequestTag/team": "game1" } }, {}, { resource: [["team", "game1"]] }), "ImplicitDeny", "RequestTag is not ResourceTag");
});

t.test("case-variant tags: an Allow needs every variant, a Deny fires on any", async (t) => {
  const variants: [string, string][] = [["team", "game1"], ["Team", "game2"]];
  t.equal(decide("Allow", { StringEquals: { "acs:RequestTag/team": "game1" } }, {}, { request: variants }), "ImplicitDeny");
  t.equal(decide("Allow", { StringEquals: { "acs:RequestTag/team": ["game1", "game2"] } }, {}, { request: variants }), "Allow");
  t.equal(decide("Deny", { StringEquals: { "acs:RequestTag/team": "game2" } }, {}, { request: variants }), "ExplicitDeny");
  t.equal(decide("Allow", { StringNotEquals: { "acs:RequestTag/team": "game2" } }, {}, { request: variants }), "ImplicitDeny");
  t.equal(decide("Deny", { StringNotEquals: { "acs:RequestTag/team": "game2" } }, {}, { request: variants }), "ExplicitDeny");
});

t.test("__proto__, constructor and toString are ordinary condition keys and values", async (t) => {
  t.notOk(allows({ StringEquals: { constructor: "x" } }, {}));
  t.notOk(allows({ StringEquals: { toString: "x" } }, {}));
  const ctx = makeContext({ action: "ess:DescribeRegions", resource: "*", keys: [["__proto__", "x"]] });
  const p = policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: JSON.parse('{"__proto__": "x"}') } }]);
  t.equal(evaluate({ identity: [{ policy: p }] }, ctx).decision, "Allow");
  const none = makeContext({ action: "ess:DescribeRegions", resource: "*" });
  t.equal(evaluate({ identity: [{ policy: p }] }, none).decision, "ImplicitDeny");
});

t.test("conditions with the same operator and values share their tests, never their key, qualifier or effect", async (t) => {
  // Compiled conditions share the parsed per-value tests of any condition with the same operator and values.
  const condition = (operator: OperatorName, key: string, values: string[], qualifier?: SetQualifier) =>
    compileCondition({ operator, key, keyLower: key.toLowerCase(), values, pointer: "", ...(qualifier ? { qualifier } : {}) });
  const on = (entries: Record<string, string[]>) => new Map(Object.entries(entries));
  const inK1 = condition("IpAddress", "k1", ["10.0.0.0/8"]);
  const inK2 = condition("IpAddress", "K2", ["10.0.0.0/8"]);
  const allInK2 = condition("IpAddress", "k2", ["10.0.0.0/8"], "ForAllValues");
  const request = on({ k1: ["10.1.2.3"] });
  t.equal(inK1.holds(request, "Allow"), true, "k1 in 10/8");
  t.equal(inK2.holds(request, "Allow"), false, "k2 absent: a positive operator does not hold");
  t.equal(allInK2.holds(request, "Allow"), true, "k2 absent: ForAllValues holds vacuously");
  t.equal(inK1.holds(on({ k1: ["not-an-address"] }), "Allow"), false, "indeterminate: no Allow");
  t.equal(inK1.holds(on({ k1: ["not-an-address"] }), "Deny"), true, "indeterminate: a Deny fires");
  t.equal(inK2.trace(on({ k2: ["10.9.9.9"] }), "Allow").key, "K2", "a trace names the key as its own policy wrote it");
  // Same values, other operators: the tests differ.
  const value = on({ k: ["ab"] });
  t.equal(condition("StringLike", "k", ["a*"]).holds(value, "Allow"), true);
  t.equal(condition("StringNotLike", "k", ["a*"]).holds(value, "Allow"), false);
  t.equal(condition("StringEquals", "k", ["AB"]).holds(value, "Allow"), false, "StringEquals is case-sensitive");
  t.equal(condition("StringEqualsIgnoreCase", "k", ["AB"]).holds(value, "Allow"), true);
  t.equal(condition("StringEquals", "k", ["ab"]).holds(value, "Allow"), true, "values differing in case are other values");
  t.equal(condition("StringEquals", "k", ["a", "b"]).holds(value, "Allow"), false, "a list is not its joined text");
  t.equal(condition("StringEquals", "k", ["a,b"]).holds(on({ k: ["a,b"] }), "Allow"), true);
  t.equal(condition("StringEquals", "k", ["a", "b"]).holds(on({ k: ["a,b"] }), "Allow"), false);
});
