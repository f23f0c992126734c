/**
 * Differential testing against the contract: the engine (`evaluate`, its traced walk, and the compiled
 * `PolicySet` of `src/evaluate/compile.ts`) against the reference interpreter of
 * `test/reference/`, written from semantics.md §2–§4 alone. Decisions, deciding stage and determining statements
 * must agree; the trace must name exactly the statements the reference applies.
 *
 * CI runs ≥ 20,000 request decisions (plus value-level cases); `npm run fuzz` runs ≥ 1,000,000.
 * Seeds are fixed for reproducible CI; set DIFF_SEED to explore. Any mismatch ever found becomes a named test
 * in `test/regressions.test.ts`.
 */
import t from "tap";
import fc from "fast-check";
import { caseArb, qualifierOf, valueCaseArb, type GenCase } from "./reference/generators.js";
import { runCase, runValueCase, type Mismatch } from "./reference/differential.js";
import { refEvaluate } from "./reference/interpreter.js";
import { cmpDec, parseAddr, parseBlock, inBlock, parseDec, parseInstant, cmpInstant, refGlob } from "./reference/values.js";
import { policyOf } from "./helpers/policies.js";

const SEED = Number(process.env.DIFF_SEED ?? 20261130);
const CASES = Number(process.env.DIFF_CASES ?? 2300);
const VALUE_CASES = Number(process.env.DIFF_VALUE_CASES ?? 3000);

const show = (m: Mismatch): string => `${m.kind}: ${m.detail}\n${JSON.stringify(m.case, null, 1)}`;

// ---------------------------------------------------------------- the reference itself, against the contract

t.test("reference: glob (docs/semantics.md §2)", async (t) => {
  t.ok(refGlob("*", ""), "* matches the empty string");
  t.ok(refGlob("acs:ess:*", "acs:ess:cn-hangzhou:1:scalinggroup/asg-1"), "* spans : and /");
  t.ok(refGlob("a?c", "a😀c"), "? is one character, an astral one too");
  t.notOk(refGlob("a?c", "ac"), "? is exactly one character");
  t.notOk(refGlob("\ud83d*", "😀"), "a lone surrogate is a character of its own, not half of a pair");
  t.notOk(refGlob("a.c", "abc"), "everything else is literal");
  t.ok(refGlob("*a*a*a*a*a*b", "a".repeat(200) + "b"));
  t.notOk(refGlob("*a*a*a*a*a*b", "a".repeat(200)));
});

t.test("reference: value formats (docs/semantics.md §3)", async (t) => {
  const dec = (a: string, b: string): number => cmpDec(parseDec(a)!, parseDec(b)!);
  t.equal(dec("1.0", "1"), 0);
  t.equal(dec("-0", "0"), 0);
  t.equal(dec("9007199254740993", "9007199254740992"), 1, "decimal, not binary floating point");
  t.equal(dec("-1.5", "-1.25"), -1);
  t.equal(parseDec("1e3"), undefined, "no exponent");
  t.equal(parseDec("0x10"), undefined, "no hex");
  const inst = (a: string, b: string): number => cmpInstant(parseInstant(a)!, parseInstant(b)!);
  t.equal(inst("2019-08-12T17:00:00+08:00", "2019-08-12T09:00:00Z"), 0, "instants, offsets applied");
  t.equal(inst("0099-12-31T23:59:59Z", "1999-12-31T23:59:59Z"), -1, "year 99 is year 99");
  t.ok(parseInstant("2000-02-29T00:00:00Z") && parseInstant("0000-02-29T00:00:00Z"), "leap years");
  t.equal(parseInstant("1900-02-29T00:00:00Z"), undefined);
  t.equal(parseInstant("2026-11-30T10:00:00"), undefined, "an offset is required");
  t.ok(inBlock(parseAddr("::ffff:10.1.2.3")!, parseBlock("10.0.0.0/8")!), "IPv4-mapped IPv6 compares as IPv4");
  t.ok(inBlock(parseAddr("10.1.2.3")!, parseBlock("::ffff:10.0.0.0/104")!), "a mapped block is an IPv4 block");
  t.notOk(inBlock(parseAddr("::1.2.3.4")!, parseBlock("1.2.3.0/24")!), "::1.2.3.4 is IPv4-compatible (::102:304), not mapped");
  t.notOk(inBlock(parseAddr("10.1.2.3")!, parseBlock("::/0")!), "IPv4 is never in an IPv6 block");
  t.equal(parseAddr("010.0.0.1"), undefined, "no octal-looking parts");
  t.equal(parseBlock("10.0.0.0/33"), undefined);
});

t.test("reference: decision flow (docs/semantics.md §4, scenarios T3)", async (t) => {
  const t3 = policyOf([
    { Action: "ess:*", Effect: "Allow", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/environment": "test", "acs:ResourceTag/Team": "game1" } } },
    { Action: "ess:*", Effect: "Deny", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/environment": "dev", "acs:ResourceTag/team": "game2" } } },
    { Effect: "Allow", Action: ["ess:DescribeRegions"], Resource: "*" },
  ]);
  const arn = "acs:ess:cn-hangzhou:1609982529920904:scalinggroup/";
  const req = (action: string, resource: string, tags?: [string, string][]) => ({ action, resource, keys: [], requestTags: [], ...(tags ? { resourceTags: tags } : {}) });
  const d = (r: ReturnType<typeof req>, input = { identity: [{ policy: t3 }] }) => refEvaluate(input, r).decision;
  t.equal(d(req("ess:DeleteScalingGroup", arn + "asg-1", [["environment", "test"], ["team", "game1"]])), "Allow");
  t.equal(d(req("ess:DeleteScalingGroup", arn + "asg-2", [["environment", "dev"], ["team", "game2"]])), "ExplicitDeny");
  t.equal(d(req("ess:DeleteScalingGroup", arn + "asg-3", [])), "ImplicitDeny");
  t.equal(d(req("ess:DescribeRegions", "*")), "Allow");
  t.equal(d(req("ess:CreateScalingGroup", arn + "*")), "ImplicitDeny", "no resource tags, no Allow");
  t.equal(d(req("ess:DeleteScalingGroup", arn + "asg-1", [["environment", "test"], ["team", "game1"], ["TEAM", "game2"]])), "ImplicitDeny", "case-variant tags: an Allow needs all");
  const owner = refEvaluate({ principalType: "Root", identity: [] }, req("ess:DeleteScalingGroup", arn + "asg-1"));
  t.same([owner.decision, owner.decidedBy], ["Allow", "owner"]);
  const session = policyOf([{ Effect: "Deny", Action: "*", Resource: "*" }], "s", "session");
  t.equal(refEvaluate({ principalType: "Root", identity: [], session }, req("ess:DeleteScalingGroup", arn + "asg-1")).decision, "ExplicitDeny", "step 2 comes before step 3");
});

// ---------------------------------------------------------------- engine against reference

t.test(`differential: policies × requests (seed ${SEED})`, async (t) => {
  t.comment("comparing evaluate, evaluate+trace and compile().evaluate");
  let requests = 0;
  const decisions = new Map<string, number>();
  const started = Date.now();
  fc.assert(
    fc.property(caseArb(), (c) => {
      const r = runCase(c);
      requests += r.requests;
      for (const d of r.decisions) decisions.set(d, (decisions.get(d) ?? 0) + 1);
      if (r.mismatches.length > 0) throw new Error(show(r.mismatches[0]!));
    }),
    { numRuns: CASES, seed: SEED },
  );
  t.comment(`${requests} request decisions in ${Date.now() - started} ms: ${[...decisions].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  if (process.env.DIFF_CASES === undefined) t.ok(requests >= 20_000, `at least 20,000 decisions compared (${requests})`);
  // every outcome of the flow is exercised
  for (const k of ["Allow/identity", "Allow/owner", "ExplicitDeny/identity", "ImplicitDeny/identity", "ExplicitDeny/control", "ImplicitDeny/control", "ExplicitDeny/session", "ImplicitDeny/session"]) {
    t.ok((decisions.get(k) ?? 0) > 0, `some ${k}`);
  }
});

t.test(`differential: single conditions, value by value (seed ${SEED})`, async (t) => {
  let requests = 0;
  const decisions = new Map<string, number>();
  fc.assert(
    fc.property(valueCaseArb, (v) => {
      const r = runValueCase(v);
      requests += r.requests;
      for (const d of r.decisions) decisions.set(`${qualifierOf(v.operator)} ${d}`, (decisions.get(`${qualifierOf(v.operator)} ${d}`) ?? 0) + 1);
      if (r.mismatches.length > 0) throw new Error(show(r.mismatches[0]!));
    }),
    { numRuns: VALUE_CASES, seed: SEED + 1 },
  );
  t.comment(`${requests} value-level decisions: ${[...decisions].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  t.ok(requests > 0);
  // Set qualifiers are compared as often as it takes to reach every decision under each of them.
  for (const q of ["unqualified", "ForAnyValue", "ForAllValues"]) {
    for (const d of ["Allow", "ExplicitDeny", "ImplicitDeny"]) t.ok((decisions.get(`${q} ${d}`) ?? 0) > 0, `some ${d} under ${q}`);
  }
});

// Many statements on the same actions and resources that differ in their conditions: the compiled path files each
// statement by its resource or by one of its conditions, whichever fewer statements share, and a request visits
// only what its resource and condition values reach. The reference walks every statement. Keys and values come
// from small pools, so that requests meet the indexed conditions (equal, equal but for case, prefix-matched,
// unreadable as the operator's type) as often as they miss them.
const CONDITION_HEAVY_CASES = Number(process.env.DIFF_CONDITION_HEAVY_CASES ?? 300);
const TAG_VALUES = ["g1", "G1", "g2", "g10", "gg", "", "true", "10.1.1.1"];
const indexedCondition = fc
  .record({
    qualifier: fc.constantFrom("", "", "ForAnyValue:", "ForAllValues:"),
    op: fc.constantFrom("StringEquals", "StringEqualsIgnoreCase", "StringLike", "StringNotEquals", "StringNotLike", "Bool", "IpAddress", "NotIpAddress", "NumericEquals"),
    key: fc.constantFrom("acs:RequestTag/team", "acs:RequestTag/TEAM", "acs:ResourceTag/env", "acs:SourceIp", "acs:SecureTransport"),
    values: fc.array(fc.constantFrom("g1", "G1", "g2", "g*", "g1*", "*1", "g?", ""), { minLength: 1, maxLength: 3 }),
    pick: fc.nat(5),
  })
  .map(({ qualifier, op, key, values, pick }) => {
    // Typed operators take values of their type; the key stays random, so they may meet string values.
    const typed: Record<string, string[]> = {
      Bool: pick % 2 === 0 ? ["true"] : ["false"],
      IpAddress: [["10.0.0.0/8", "10.1.0.0/16", "10.1.1.1", "::ffff:10.1.1.0/120", "2001:db8::/32", "0.0.0.0/0"][pick]!],
      NotIpAddress: ["10.1.0.0/16"],
      NumericEquals: ["1"],
    };
    return [`${qualifier}${op}`, key, typed[op] ?? values] as const;
  });
const conditionHeavyStatement = fc
  .record({
    effect: fc.constantFrom("Allow", "Allow", "Deny"),
    action: fc.constantFrom("ess:*", "*", "ess:Describe*", "ess:DescribeScalingGroups"),
    resource: fc.constantFrom("*", "acs:ess:*:*:scalinggroup/*", "acs:ess:cn-hangzhou:1609982529920904:*", "acs:ess:*:*:scalinggroup/asg-0*", "acs:ess:cn-hangzhou:1609982529920904:scalinggroup/asg-001"),
    conditions: fc.array(indexedCondition, { maxLength: 3 }),
  })
  .map(({ effect, action, resource, conditions }) => {
    const Condition: Record<string, Record<string, string[]>> = {};
    for (const [op, key, values] of conditions) (Condition[op] ??= {})[key] = values;
    return { Effect: effect, Action: action, Resource: resource, ...(conditions.length > 0 ? { Condition } : {}) };
  });
const tagPairs = (keys: string[]) => fc.array(fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...TAG_VALUES)), { maxLength: 3 });
const conditionHeavyRequest = fc.record({
  action: fc.constantFrom("ess:DescribeScalingGroups", "ess:DeleteScalingGroup"),
  resource: fc.constantFrom("acs:ess:cn-hangzhou:1609982529920904:scalinggroup/asg-001", "acs:ess:cn-beijing:1609982529920904:scalinggroup/asg-002", "*"),
  keys: fc.array(fc.tuple(fc.constantFrom("acs:SourceIp", "acs:SecureTransport"), fc.constantFrom("10.1.1.1", "10.2.0.1", "::ffff:10.1.1.9", "2001:db8::1", "true", "false", "TRUE", "g1")), { maxLength: 2 }),
  requestTags: tagPairs(["team", "Team", "TEAM"]),
  resourceTags: tagPairs(["env", "ENV"]),
});
const conditionHeavyCase: fc.Arbitrary<GenCase> = fc
  .record({
    // Six statements a document keep each inside RAM's size limit for identity policies.
    docs: fc.array(fc.array(conditionHeavyStatement, { minLength: 4, maxLength: 6 }), { minLength: 2, maxLength: 5 }),
    requests: fc.array(conditionHeavyRequest, { minLength: 8, maxLength: 16 }),
  })
  .map(({ docs, requests }) => ({ identity: docs.map((Statement) => ({ doc: { Version: "1", Statement } })), requests }));

t.test(`differential: condition-heavy sets, the compiled path's indexes against the reference (seed ${SEED})`, async (t) => {
  let requests = 0;
  const decisions = new Map<string, number>();
  fc.assert(
    fc.property(conditionHeavyCase, (c) => {
      const r = runCase(c);
      requests += r.requests;
      for (const d of r.decisions) decisions.set(d, (decisions.get(d) ?? 0) + 1);
      if (r.mismatches.length > 0) throw new Error(show(r.mismatches[0]!));
    }),
    { numRuns: CONDITION_HEAVY_CASES, seed: SEED + 2 },
  );
  t.comment(`${requests} request decisions: ${[...decisions].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  for (const k of ["Allow/identity", "ExplicitDeny/identity", "ImplicitDeny/identity"]) t.ok((decisions.get(k) ?? 0) > requests / 20, `some ${k} (${decisions.get(k) ?? 0})`);
});
