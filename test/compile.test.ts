/**
 * Differential test: a compiled PolicySet decides exactly as the interpreter (`evaluate`) does — decision,
 * determining statements, stage and error — on the scenario fixtures and on random policy sets and requests.
 */
import t from "tap";
import fc from "fast-check";
import { readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compile, type PolicySet } from "../src/evaluate/compile.js";
import { makeContext, type RequestContext } from "../src/evaluate/context.js";
import type { EvaluationInput, PolicyAttachment } from "../src/evaluate/decision.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { OPERATIONS } from "../src/ess/catalog.js";
import { buildPlan } from "../src/ess/request.js";
import { storeFromJson } from "../src/ess/store.js";
import type { EssRequest } from "../src/ess/types.js";
import type { Policy } from "../src/policy/ast.js";
import { loadPolicy, parsePolicy } from "../src/policy/parse.js";
import { policyOf } from "./helpers/policies.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

/** Compares both paths on one request, with and without a trace; returns a description of any difference. */
function mismatch(input: EvaluationInput, set: PolicySet, ctx: RequestContext): string | undefined {
  for (const trace of [false, true]) {
    const expected = JSON.stringify(evaluate(input, ctx, { trace }));
    const actual = JSON.stringify(set.evaluate(ctx, { trace }));
    if (expected !== actual) return `trace=${trace}\n  interpreter: ${expected}\n  compiled:    ${actual}`;
  }
  return undefined;
}

t.test("fixtures: every scenario request against every scenario policy set", async (t) => {
  const policies = readdirSync(join(ROOT, "policies"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => loadPolicy(readFileSync(join(ROOT, "policies", f), "utf8"), { name: basename(f, ".json") }));
  const requests = readdirSync(join(ROOT, "fixtures/requests")).filter((f) => f.endsWith(".json"));
  const inputs: EvaluationInput[] = [
    ...policies.map((policy) => ({ identity: [{ policy }] })),
    { identity: policies.map((policy) => ({ policy })) },
    { identity: policies.slice(1).map((policy) => ({ policy })), control: { levels: [[policies[0]!]] } },
  ];
  const sets = inputs.map((input) => [input, compile(input)] as const);
  let compared = 0;
  for (const file of requests) {
    const request = readJson<EssRequest & { store?: unknown }>(join(ROOT, "fixtures/requests", file));
    const plan = await buildPlan(
      { account: request.account, params: request.params, ...(request.context ? { context: request.context } : {}) },
      storeFromJson(request.store),
    );
    for (const target of plan.targets) {
      for (const [input, set] of sets) {
        const diff = mismatch(input, set, target.context);
        if (diff) t.fail(`${file} ${target.arn}: ${diff}`);
        compared++;
      }
    }
  }
  t.ok(compared > 200, `${compared} fixture decisions compared, zero mismatches`);
});

// ---- random policy sets and requests, biased towards what the index has to get right ----

const ESS_ACTIONS = OPERATIONS.map((op) => op.ramAction);
const ARN1 = "acs:ess:cn-hangzhou:1609982529920904:scalinggroup/asg-bp17np35ywjwh2cx0001";
const ARN2 = "acs:ess:cn-beijing:1609982529920904:scalinggroup/asg-bp1c5pl2qc6ozgb10002";

const flipCase = (s: string, mask: number): string =>
  [...s].map((c, i) => ((mask >> i % 16) & 1 ? c.toUpperCase() : c.toLowerCase())).join("");
const anyCase = (arb: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(arb, fc.nat(0xffff), fc.nat(3)).map(([s, mask, keep]) => (keep > 0 ? s : flipCase(s, mask)));

const essAction = fc.constantFrom(...ESS_ACTIONS);
const actionPattern = fc.oneof(
  { weight: 4, arbitrary: anyCase(essAction) },
  {
    weight: 3,
    arbitrary: anyCase(
      fc.constantFrom("*", "ess:*", "ess:Describe*", "ess:Create*", "ess:Delete*", "ess:", "ecs:*", "ess:DescribeScalingGroups*", "e*", ""),
    ),
  },
  {
    weight: 2,
    arbitrary: anyCase(
      fc.constantFrom("*:ListTagResources", "ess:*Scaling*", "ess:Describe?calingGroups", "e?s:*", "?ss:Delete*", "ess:*Group", "*Tag*", "ess:*:*", "ess:Describe**"),
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const resourcePattern = fc.oneof(
  anyCase(fc.constantFrom("*", ARN1, ARN2, "acs:ess:*:*:scalinggroup/*", "acs:ess:cn-hangzhou:1609982529920904:*", "acs:ess:*:*:scalinggroup/asg-bp1?*")),
  fc.constantFrom(ARN1.replace("scalinggroup", "scalingGroup"), "acs:ess:cn-beijing:*"),
);
const tagKey = fc.constantFrom("team", "Team", "environment", "ENVIRONMENT");
/** Operators alone or behind a set qualifier; tag keys in two cases give the qualifiers sets of values. */
const qualified = (...ops: string[]): fc.Arbitrary<string> => fc.tuple(fc.constantFrom("", "", "ForAnyValue:", "ForAllValues:"), fc.constantFrom(...ops)).map(([q, op]) => q + op);
const conditionEntry = fc.oneof(
  fc.record({
    op: qualified("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"),
    key: fc.oneof(tagKey.map((k) => `acs:RequestTag/${k}`), tagKey.map((k) => `acs:ResourceTag/${k}`)),
    values: fc.array(fc.constantFrom("game1", "GAME1", "game*", "test", "dev", "*"), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({ op: qualified("IpAddress", "NotIpAddress"), key: fc.constant("acs:SourceIp"), values: fc.array(fc.constantFrom("10.0.0.0/8", "192.168.1.1", "::1"), { minLength: 1, maxLength: 2 }) }),
  fc.record({ op: qualified("Bool"), key: fc.constant("acs:SecureTransport"), values: fc.constantFrom(["true"], ["false"]) }),
  fc.record({ op: fc.constantFrom("DateLessThan", "DateGreaterThan"), key: fc.constant("acs:CurrentTime"), values: fc.constant(["2026-06-01T00:00:00Z"]) }),
  fc.record({ op: fc.constantFrom("NumericLessThan", "NumericEquals"), key: fc.constant("acs:Count"), values: fc.constant(["3"]) }),
);
const statement = fc.record(
  {
    Sid: fc.constantFrom("a", "b"),
    Effect: fc.constantFrom("Allow", "Allow", "Deny"),
    actions: fc.array(actionPattern, { minLength: 1, maxLength: 3 }),
    not: fc.nat(6).map((n) => n === 0),
    Resource: fc.array(resourcePattern, { minLength: 1, maxLength: 2 }),
    conditions: fc.array(conditionEntry, { maxLength: 2 }),
  },
  { requiredKeys: ["Effect", "actions", "not", "Resource", "conditions"] },
).map(({ actions, not, conditions, ...rest }) => {
  const Condition: Record<string, Record<string, readonly string[]>> = {};
  for (const c of conditions) (Condition[c.op] ??= {})[c.key] = c.values;
  return { ...rest, [not ? "NotAction" : "Action"]: actions, ...(conditions.length > 0 ? { Condition } : {}) };
});

// Few distinct names, so that different policies share one and determining lists must keep them apart by order.
let policyCounter = 0;
const policy = (kind: "identity" | "session" | "control") =>
  fc.array(statement, { minLength: 0, maxLength: 5 }).map((statements): Policy[] => {
    const name = `${kind}-${policyCounter++ % 7}`;
    const loaded = parsePolicy(JSON.stringify({ Version: "1", Statement: statements }), { name, kind }).policy;
    return loaded ? [loaded] : [];
  });
const attachment = fc.tuple(policy("identity"), fc.constantFrom<PolicyAttachment["scope"]>(undefined, "account", { resourceGroupId: "rg-A" }, { resourceGroupId: "rg-B" })).map(
  ([ps, scope]) => ps.map((p): PolicyAttachment => (scope === undefined ? { policy: p } : { policy: p, scope })),
);
const evaluationInput: fc.Arbitrary<EvaluationInput> = fc
  .record({
    principalType: fc.constantFrom(undefined, "RamUser", "AssumedRoleUser", "Root", "ServiceLinkedRole"),
    identity: fc.array(attachment, { maxLength: 4 }),
    session: fc.option(policy("session"), { nil: undefined }),
    control: fc.option(fc.record({ levels: fc.array(policy("control"), { minLength: 1, maxLength: 2 }), effectScope: fc.constantFrom(undefined, "RAM", "All") }), { nil: undefined, freq: 3 }),
  })
  .map((r): EvaluationInput => ({
    identity: r.identity.flat(),
    ...(r.principalType ? { principalType: r.principalType } : {}),
    ...(r.session && r.session.length > 0 ? { session: r.session[0]! } : {}),
    ...(r.control ? { control: { levels: r.control.levels, ...(r.control.effectScope ? { effectScope: r.control.effectScope } : {}) } } : {}),
  }));

const requestContext: fc.Arbitrary<RequestContext> = fc
  .record({
    action: fc.oneof({ weight: 5, arbitrary: anyCase(essAction) }, { weight: 1, arbitrary: fc.constantFrom("ecs:ListTagResources", "ess:", "ess:describe", "*", "") }),
    resource: fc.oneof(anyCase(fc.constantFrom(ARN1, ARN2, "*", "acs:ess:cn-hangzhou:1609982529920904:scalinggroup/*"))),
    resourceGroupId: fc.constantFrom(undefined, "rg-A", "rg-B"),
    requestTags: fc.array(fc.tuple(tagKey, fc.constantFrom("game1", "Game1", "test", "dev")), { maxLength: 3 }),
    resourceTags: fc.array(fc.tuple(tagKey, fc.constantFrom("game1", "test", "dev")), { maxLength: 3 }),
    keys: fc.record(
      { "acs:SourceIp": fc.constantFrom("10.1.2.3", "192.168.1.1", "::1", "not-an-ip"), "acs:SecureTransport": fc.constantFrom("true", "false", "yes"), "acs:CurrentTime": fc.constantFrom("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"), "acs:Count": fc.constantFrom("2", "3", "x") },
      { requiredKeys: [] },
    ),
  })
  .map(({ resourceGroupId, ...rest }) => makeContext({ ...rest, ...(resourceGroupId === undefined ? {} : { resourceGroupId }) }));

t.test("random policy sets and requests: compiled and interpreted decisions are identical", async (t) => {
  const REQUESTS_PER_SET = 6;
  let compared = 0;
  let allowed = 0;
  fc.assert(
    fc.property(evaluationInput, fc.array(requestContext, { minLength: REQUESTS_PER_SET, maxLength: REQUESTS_PER_SET }), (input, requests) => {
      const set = compile(input);
      // Each set decides several requests, so remembered candidate lists are reused across requests.
      for (const ctx of [...requests, ...requests]) {
        const diff = mismatch(input, set, ctx);
        if (diff) throw new Error(`${ctx.action} on ${ctx.resource}: ${diff}`);
        compared++;
        if (set.evaluate(ctx).decision === "Allow") allowed++;
      }
    }),
    { numRuns: 1000, seed: 20261130 },
  );
  t.ok(compared >= 5000, `${compared} random decisions compared, zero mismatches`);
  t.ok(allowed > compared / 20, `${allowed} of them allowed: the generator reaches every decision`);
});

t.test("a plain policy list is a RAM user's account-scope identity policies", async (t) => {
  const p = policyOf([{ Effect: "Allow", Action: "ess:Describe*", Resource: "*" }], "reader");
  const ctx = makeContext({ action: "ess:DescribeScalingGroups", resource: "*" });
  t.same(compile([p]).evaluate(ctx), evaluate({ identity: [{ policy: p }] }, ctx));
  t.same(compile([p]).evaluate(ctx, { trace: true }).trace?.length, 1, "a trace on request");
});

t.test("resource filters hold beyond ASCII, where lower case depends on the neighbouring letters", async (t) => {
  // "ΑΣ*" lower-cases to "ας*" (final sigma) while "ΑΣΒ" lower-cases to "ασβ": only the exact-case Allow matches.
  const p = policyOf(
    [
      { Effect: "Allow", Action: "ess:*", Resource: "acs:ess:ΑΣ*" },
      { Effect: "Allow", Action: "ess:*", Resource: ["acs:ess:ΣΑ*", "acs:ess:Σ?"] },
      { Effect: "Deny", Action: "ess:Delete*", Resource: "acs:ess:σα*" },
    ],
    "greek",
  );
  const input = { identity: [{ policy: p }] };
  const set = compile(input);
  for (const resource of ["acs:ess:ΑΣΒ", "acs:ess:ασβ", "acs:ess:ΣΑΣ", "acs:ess:ΣΣ", "acs:ess:σας"]) {
    for (const action of ["ess:DescribeScalingGroups", "ess:DeleteScalingGroup"]) {
      const diff = mismatch(input, set, makeContext({ action, resource }));
      if (diff) t.fail(`${action} on ${resource}: ${diff}`);
    }
  }
  t.equal(set.evaluate(makeContext({ action: "ess:DescribeScalingGroups", resource: "acs:ess:ΑΣΒ" })).decision, "Allow");
});

t.test("more distinct actions than the set remembers: answers stay the same", async (t) => {
  const p = policyOf(
    [
      { Effect: "Allow", Action: ["ess:Describe*", "ess:DeleteScalingGroup"], Resource: "*" },
      { Effect: "Deny", NotAction: "ess:*", Resource: "*" },
    ],
    "mixed",
  );
  const input = { identity: [{ policy: p }] };
  const set = compile(input);
  let mismatches = 0;
  for (let i = 0; i < 10_000; i++) {
    const action = i % 3 === 0 ? `ess:Describe${i}` : i % 3 === 1 ? `ecs:Run${i}` : "ess:DeleteScalingGroup";
    const ctx = makeContext({ action, resource: "*" });
    if (mismatch(input, set, ctx)) mismatches++;
  }
  t.equal(mismatches, 0);
});

t.test("evaluation failures are ImplicitDeny from the compiled path too", async (t) => {
  const p = policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:RequestTag/team": "game1" } } }]);
  const boom = (): never => {
    throw new Error("boom");
  };
  // Read by key (the interpreter) or walked (the compiled path's condition index): either way it fails.
  const broken = { action: "ess:DeleteScalingGroup", resource: "*", values: { get: boom, [Symbol.iterator]: boom, forEach: boom } } as unknown as RequestContext;
  const d = compile([p]).evaluate(broken);
  t.equal(d.decision, "ImplicitDeny");
  t.equal(d.decidedBy, "error");
  t.same(d, evaluate({ identity: [{ policy: p }] }, broken));
});

t.test("decisions of several applying statements: sets of hits that the memo's hash cannot tell apart", async (t) => {
  // Statements 0 and 62 apply to one request, 1 and 31 to another: 31·0 + 62 = 31·1 + 31, the same hash.
  const statements = Array.from({ length: 63 }, (_, k) => ({ Effect: "Allow", Action: "ess:DescribeScalingGroups", Resource: "*", Condition: { StringEquals: { [`acs:RequestTag/k${k}`]: "1" } } }));
  const input: EvaluationInput = { identity: Array.from({ length: 7 }, (_, p) => ({ policy: policyOf(statements.slice(p * 10, p * 10 + 10), `collide-${p}`) })) };
  const set = compile(input);
  const request = (keys: number[]): RequestContext => makeContext({ action: "ess:DescribeScalingGroups", resource: "*", requestTags: keys.map((k) => [`k${k}`, "1"] as const) });
  for (const keys of [[0, 62], [1, 31], [0, 62], [1, 31]]) {
    const expected = keys.map((k) => `collide-${Math.floor(k / 10)} #${k % 10}`);
    t.same(set.evaluate(request(keys)).determining.map((r) => `${r.policy} #${r.statement}`), expected, `statements ${keys.join(" and ")}`);
  }
});

t.test("decisions of several applying statements: every set of hits, past the memo's bound", async (t) => {
  // 13 statements on one action, each applying when its own request tag is present: the 8,192 tag subsets give
  // as many sets of hits, twice the sets a step remembers, in an order that revisits remembered ones.
  const KEYS = 13;
  const statements = Array.from({ length: KEYS }, (_, k) => ({
    Effect: "Allow",
    Action: "ess:DescribeScalingGroups",
    Resource: "*",
    Condition: { StringEquals: { [`acs:RequestTag/k${k}`]: "1" } },
  }));
  const input: EvaluationInput = { identity: [{ policy: policyOf(statements, "many") }] };
  const set = compile(input);
  const contextOf = (subset: number): RequestContext =>
    makeContext({
      action: "ess:DescribeScalingGroups",
      resource: "*",
      requestTags: Array.from({ length: KEYS }, (_, k) => [`k${k}`, subset & (1 << k) ? "1" : "0"] as const),
    });
  let differences = 0;
  for (const round of [0, 1]) {
    for (let i = 0; i < 1 << KEYS; i++) {
      const subset = round === 0 ? i : (i * 2_654_435_761) % (1 << KEYS);
      if (mismatch(input, set, contextOf(subset)) !== undefined) differences++;
    }
  }
  t.equal(differences, 0, "the compiled path gives the interpreter's decision and determining statements for every subset");
  const all = set.evaluate(contextOf((1 << KEYS) - 1));
  t.same(all.determining.map((r) => r.statement), Array.from({ length: KEYS }, (_, k) => k), "all thirteen, in statement order");
});

// ---- the condition index: many statements on one action and resource that differ only in their conditions ----

const indexedKey = fc.constantFrom("acs:RequestTag/team", "acs:RequestTag/TEAM", "acs:ResourceTag/env", "acs:ResourceTag/Env", "acs:SecureTransport", "acs:SourceIp", "acs:CurrentTime");
const indexedCondition = fc.record({
  op: fc.constantFrom(
    "StringEquals", "StringEqualsIgnoreCase", "StringLike", "StringNotEquals", "StringNotLike", "StringNotEqualsIgnoreCase",
    "Bool", "IpAddress", "NotIpAddress", "DateGreaterThan", "NumericEquals",
  ),
  key: indexedKey,
  values: fc.array(fc.constantFrom("g1", "G1", "g2", "g*", "*1", "g?", "", "gg*", "g*1"), { minLength: 1, maxLength: 3 }),
}).map(({ op, key, values }) => {
  // Typed operators take values of their type; the key stays random, so a typed condition may meet string values.
  const typed: Record<string, string[]> = {
    Bool: values.length > 1 ? ["true", "false"] : ["true"],
    IpAddress: values.map((v, i) => ["10.0.0.0/8", "10.1.0.0/16", "10.1.1.1", "::ffff:10.1.1.0/120", "2001:db8::/32", "0.0.0.0/0"][(v.length + i) % 6]!),
    NotIpAddress: ["10.0.0.0/8"],
    DateGreaterThan: ["2026-06-01T00:00:00Z"],
    NumericEquals: ["1"],
  };
  return { op, key, values: typed[op] ?? values };
});
// Set qualifiers change what an absent key and several values mean: the index must respect both.
const qualifiedIndexedCondition = fc
  .tuple(indexedCondition, fc.constantFrom("", "", "ForAnyValue:", "ForAllValues:"))
  .map(([c, qualifier]) => ({ ...c, op: `${qualifier}${c.op}` }));
const conditionHeavyStatement = fc.record({
  Effect: fc.constantFrom("Allow", "Allow", "Deny"),
  Action: fc.constantFrom("ess:*", "ess:Describe*", "ess:DescribeScalingGroups"),
  Resource: fc.constantFrom(
    "*", "acs:ess:*:*:scalinggroup/*", ARN1, "acs:ess:*:1609982529920904:scalinggroup/asg-bp17*", "acs:ess:*:*:scalinggroup/ASG-BP17np35ywjwh2cx0001",
    "*:scalinggroup/*0001", "acs:ess:*:1609982529920904:scalingGroup/asg-*", "acs:ess:cn-?eijing:*", "acs:ess:*:1609982529920904:*/asg-bp1c5pl2qc6ozgb10002",
  ),
  conditions: fc.array(qualifiedIndexedCondition, { minLength: 0, maxLength: 3 }),
}).map(({ conditions, ...rest }) => {
  const Condition: Record<string, Record<string, readonly string[]>> = {};
  for (const c of conditions) (Condition[c.op] ??= {})[c.key] = c.values;
  return { ...rest, ...(conditions.length > 0 ? { Condition } : {}) };
});
const valueOfIndexedKey = fc.constantFrom("g1", "G1", "g2", "gg", "g", "g2x", "x", "", "true", "false", "TRUE", "10.1.1.1", "10.2.3.4", "::ffff:10.1.1.9", "2001:db8::1", "2027-01-01T00:00:00Z", "1");
const conditionHeavyRequest = fc
  .record({
    requestTags: fc.array(fc.tuple(fc.constantFrom("team", "Team", "TEAM"), valueOfIndexedKey), { maxLength: 3 }),
    resourceTags: fc.array(fc.tuple(fc.constantFrom("env", "ENV"), valueOfIndexedKey), { maxLength: 2 }),
    keys: fc.array(fc.tuple(fc.constantFrom("acs:SecureTransport", "acs:SourceIp", "acs:CurrentTime"), valueOfIndexedKey), { maxLength: 3 }),
    resource: fc.constantFrom(ARN1, ARN2, "*", ARN1.toUpperCase(), ARN1.replace("scalinggroup", "scalingGroup"), "acs:ess:cn-beijing:1609982529920904:scalinggroup/asg-bp17/x:0001"),
  })
  .map((r) => makeContext({ action: "ess:DescribeScalingGroups", ...r }));

t.test("condition index: statements that differ only in their conditions decide as the interpreter does", async (t) => {
  let compared = 0;
  let allowed = 0;
  let denied = 0;
  fc.assert(
    fc.property(fc.array(conditionHeavyStatement, { minLength: 1, maxLength: 24 }), fc.array(conditionHeavyRequest, { minLength: 8, maxLength: 8 }), (statements, requests) => {
      const input: EvaluationInput = { identity: [{ policy: policyOf(statements, "conditions") }] };
      const set = compile(input);
      for (const ctx of [...requests, ...requests]) {
        const diff = mismatch(input, set, ctx);
        if (diff) throw new Error(`${JSON.stringify(statements)}\n${JSON.stringify([...ctx.values])}: ${diff}`);
        compared++;
        const d = set.evaluate(ctx).decision;
        if (d === "Allow") allowed++;
        if (d === "ExplicitDeny") denied++;
      }
    }),
    { numRuns: 700, seed: 20261206 },
  );
  t.ok(compared >= 10_000, `${compared} decisions compared, zero mismatches`);
  t.ok(allowed > compared / 20 && denied > compared / 20, `${allowed} allowed, ${denied} explicitly denied: both effects are reached`);
});

/** A context whose condition reads are counted: each read is one condition of one statement evaluated. */
function countingContext(ctx: RequestContext): { ctx: RequestContext; reads: () => number } {
  let reads = 0;
  const values = new Map(ctx.values);
  const counted = Object.assign(Object.create(values) as Map<string, readonly string[]>, {
    get: (key: string) => {
      reads++;
      return values.get(key);
    },
    [Symbol.iterator]: () => values[Symbol.iterator](),
    forEach: (visit: (v: readonly string[], k: string, m: Map<string, readonly string[]>) => void) => values.forEach(visit),
  });
  return { ctx: { ...ctx, values: counted }, reads: () => reads };
}

t.test("condition index: a request visits only the statements its values can satisfy", async (t) => {
  // 1,000 statements on one action and resource, each for one team; a request names one team.
  const TEAMS = 1000;
  const statements = Array.from({ length: TEAMS }, (_, i) => ({
    Effect: "Allow",
    Action: "ess:*",
    Resource: "*",
    Condition: { StringEquals: { "acs:RequestTag/team": [`team-${i}`, `squad-${i}`] }, StringLike: { "acs:ResourceTag/env": `prod-${i}-*` } },
  }));
  // RAM caps a policy's size: ten statements a policy, a hundred policies attached.
  const input: EvaluationInput = { identity: Array.from({ length: TEAMS / 10 }, (_, p) => ({ policy: policyOf(statements.slice(p * 10, p * 10 + 10), `teams-${p}`) })) };
  const set = compile(input);
  const request = makeContext({ action: "ess:DescribeScalingGroups", resource: "*", requestTags: [["team", "team-7"], ["Team", "squad-7"]], resourceTags: [["env", "prod-7-a"]] });
  const compiled = countingContext(request);
  t.equal(set.evaluate(compiled.ctx).decision, "Allow");
  t.ok(compiled.reads() <= 4, `compiled path: ${compiled.reads()} condition reads (one statement's two conditions, read once or twice)`);
  const interpreted = countingContext(request);
  evaluate(input, interpreted.ctx);
  t.ok(interpreted.reads() >= TEAMS, `the interpreter reads ${interpreted.reads()}: without the index every statement is tried`);
  const stranger = countingContext(makeContext({ action: "ess:DescribeScalingGroups", resource: "*", requestTags: [["team", "nobody"]] }));
  t.equal(set.evaluate(stranger.ctx).decision, "ImplicitDeny");
  t.equal(stranger.reads(), 0, "a value no statement names visits none");
});

t.test("condition index: an anchor the index proves is not read again, and only a value it proves for", async (t) => {
  // Each statement's team condition tells it apart (its anchor); the environment condition is shared.
  const statements = Array.from({ length: 200 }, (_, i) => ({
    Effect: "Allow",
    Action: "ess:*",
    Resource: "*",
    Condition: { StringEquals: { "acs:ResourceTag/team": `team-${i}`, "acs:ResourceTag/env": "prod" }, StringLike: { "acs:ResourceTag/owner": `ops-${i}*` } },
  }));
  const input: EvaluationInput = { identity: Array.from({ length: 20 }, (_, p) => ({ policy: policyOf(statements.slice(p * 10, p * 10 + 10), `teams-${p}`) })) };
  const set = compile(input);
  const request = (tags: [string, string][]) => countingContext(makeContext({ action: "ess:DescribeScalingGroups", resource: "*", resourceTags: tags }));
  const one = request([["team", "team-7"], ["env", "prod"], ["owner", "ops-7-a"]]);
  t.equal(set.evaluate(one.ctx).decision, "Allow");
  t.equal(one.reads(), 2, "team-7's statement: the proven anchor is skipped, env and owner are read");
  // Two values of the team key (tags that differ only in case): an Allow needs both to satisfy it, so it is read.
  const two = request([["team", "team-7"], ["TEAM", "team-8"], ["env", "prod"], ["owner", "ops-7-a"]]);
  t.equal(set.evaluate(two.ctx).decision, "ImplicitDeny");
  t.equal(two.reads(), 2, "team-7's and team-8's statements each read their anchor, which fails");
  t.same(set.evaluate(two.ctx), evaluate(input, two.ctx), "as the interpreter decides");
  // Requests choose the values a key's index remembers: past its bound it starts over, and decides the same.
  let strangersAllowed = 0;
  for (let i = 0; i < 5000; i++) {
    if (set.evaluate(makeContext({ action: "ess:DescribeScalingGroups", resource: "*", resourceTags: [["team", `team-${i}x`], ["env", "prod"], ["owner", `ops-${i}`]] })).decision !== "ImplicitDeny") strangersAllowed++;
  }
  t.equal(strangersAllowed, 0, "5,000 values no statement names: none allowed");
  const again = request([["team", "team-7"], ["env", "prod"], ["owner", "ops-7-a"]]);
  t.equal(set.evaluate(again.ctx).decision, "Allow", "after 5,000 other values");
  t.equal(again.reads(), 2);
});

t.test("resource index: broad ARN globs are filed by a token of the id, not by the head they share", async (t) => {
  // 1,000 statements `acs:ess:*:<account>:scalinggroup/asg-team<i>-*`: the head `acs:ess:` says nothing.
  const TEAMS = 1000;
  const statements = Array.from({ length: TEAMS }, (_, i) => ({
    Effect: i % 7 === 0 ? "Deny" : "Allow",
    Action: "ess:*",
    Resource: `acs:ess:*:1609982529920904:scalinggroup/asg-team${i}-*`,
    Condition: { StringEquals: { "acs:ResourceTag/environment": "prod" } },
  }));
  const input: EvaluationInput = { identity: Array.from({ length: TEAMS / 10 }, (_, p) => ({ policy: policyOf(statements.slice(p * 10, p * 10 + 10), `globs-${p}`) })) };
  const set = compile(input);
  for (const [team, expected] of [[43, "Allow"], [49, "ExplicitDeny"], [5000, "ImplicitDeny"]] as const) {
    const request = makeContext({
      action: "ess:DeleteScalingGroup",
      resource: `acs:ess:cn-shanghai:1609982529920904:scalinggroup/asg-team${team}-3`,
      resourceTags: [["environment", "prod"]],
    });
    const counted = countingContext(request);
    t.equal(set.evaluate(counted.ctx).decision, expected, `team ${team}`);
    t.same(set.evaluate(request), evaluate(input, request), `team ${team}: as the interpreter decides`);
    // `asg-team4…` starts team4, team42 and team420–429 alike: each is tried, the matcher tells them apart.
    t.ok(counted.reads() <= 12, `team ${team}: ${counted.reads()} condition reads, not ${TEAMS}`);
  }
});

t.test("each statement is filed by its resource or by a condition, whichever fewer statements share", async (t) => {
  // 500 statements on one group each, all asking for the same environment: the resource tells them apart.
  // 500 statements on every group, each for one team: the team condition tells them apart.
  const ARN = (i: number): string => `acs:ess:cn-hangzhou:1609982529920904:scalinggroup/asg-${i}`;
  const byGroup = Array.from({ length: 500 }, (_, i) => ({ Effect: "Allow", Action: "ess:*", Resource: ARN(i), Condition: { StringEquals: { "acs:ResourceTag/environment": "prod" } } }));
  const byTeam = Array.from({ length: 500 }, (_, i) => ({
    Effect: i % 5 === 0 ? "Deny" : "Allow",
    Action: "ess:*",
    Resource: ["acs:ess:*:1609982529920904:scalinggroup/*", "*"][i % 2]!,
    Condition: { StringEquals: { "acs:ResourceTag/team": `team-${i}`, "acs:ResourceTag/environment": "prod" } },
  }));
  const statements = [...byGroup, ...byTeam];
  const input: EvaluationInput = { identity: Array.from({ length: statements.length / 10 }, (_, p) => ({ policy: policyOf(statements.slice(p * 10, p * 10 + 10), `mixed-${p}`) })) };
  const set = compile(input);
  for (const [group, team, expected] of [[3, 7, "Allow"], [3, 10, "ExplicitDeny"], [600, 7, "Allow"], [600, 9999, "ImplicitDeny"]] as const) {
    const request = makeContext({ action: "ess:DeleteScalingGroup", resource: ARN(group), resourceTags: [["environment", "prod"], ["team", `team-${team}`]] });
    const counted = countingContext(request);
    t.equal(set.evaluate(counted.ctx).decision, expected, `group ${group}, team ${team}`);
    t.same(set.evaluate(request), evaluate(input, request), `group ${group}, team ${team}: as the interpreter decides`);
    // At most its own group's statement and its own team's, two conditions each.
    t.ok(counted.reads() <= 4, `group ${group}, team ${team}: ${counted.reads()} condition reads, not ${statements.length}`);
  }
});

t.test("per-action indexes: a small group filed onto a copy of the large groups' indexes stays out of theirs", async (t) => {
  const ARN = (id: string): string => `acs:ess:cn-hangzhou:1609982529920904:scalinggroup/asg-${id}`;
  // One statement for each way of filing, so that every table the copy holds is one the small group grows.
  const filed = (i: number, action: string, value: string): Record<string, unknown> => {
    const statement = { Effect: "Allow", Action: action, Resource: "*" };
    switch (i % 7) {
      case 0: return { ...statement, Resource: ARN(value) };
      case 1: return { ...statement, Resource: `acs:ess:*:1609982529920904:scalinggroup/${value}-*` };
      case 2: return { ...statement, Condition: { StringEquals: { "acs:ResourceTag/team": value } } };
      case 3: return { ...statement, Condition: { StringLike: { "acs:ResourceTag/env": `${value}*` } } };
      case 4: return { ...statement, Condition: { IpAddress: { "acs:SourceIp": value.startsWith("x") ? "192.168.7.0/24" : `10.${i}.0.0/16` } } };
      case 5: return { ...statement, Condition: { StringEqualsIgnoreCase: { "acs:ResourceTag/owner": value } } };
      default: return { ...statement, Condition: { NumericLessThan: { [`acs:ResourceTag/${value}`]: "5" } } };
    }
  };
  // 70 statements under `ess:*`; 7 naming only DeleteScalingGroup, one of each filing: a tenth of the large group.
  // Seven of the large group are filed where the small group's are, but never apply: they share its lists.
  const never = (statement: Record<string, unknown>) => {
    const condition = (statement.Condition ?? {}) as Record<string, object>;
    return { ...statement, Condition: { ...condition, StringEquals: { ...condition.StringEquals, "acs:ResourceTag/never": "set" } } };
  };
  const large = Array.from({ length: 70 }, (_, i) => (i < 7 ? never(filed(i, "ess:*", `x${i}`)) : filed(i, "ess:*", `large${i}`)));
  const small = Array.from({ length: 7 }, (_, i) => filed(i, "ess:DeleteScalingGroup", `x${i}`));
  const statements = [...large, ...small];
  const input: EvaluationInput = { identity: Array.from({ length: Math.ceil(statements.length / 10) }, (_, p) => ({ policy: policyOf(statements.slice(p * 10, p * 10 + 10), `p${p}`) })) };
  const set = compile(input);
  for (let i = 0; i < 7; i++) {
    // Values that meet the small group's statement i alone.
    const resource = i === 0 ? ARN("x0") : `acs:ess:cn-hangzhou:1609982529920904:scalinggroup/x${i}-1`;
    const keys: Record<string, string> = i === 4 ? { "acs:SourceIp": "192.168.7.9" } : {};
    const resourceTags: [string, string][] = [["team", `x${i}`], ["env", `x${i}-prod`], ["owner", `X${i}`], [`x${i}`, "3"]];
    const request = (action: string) => makeContext({ action, resource, keys, resourceTags });
    // The small group's set first: it is built onto the large group's indexes, which the next action reads alone.
    for (const [action, expected] of [["ess:DeleteScalingGroup", "Allow"], ["ess:ModifyScalingGroup", "ImplicitDeny"]] as const) {
      const ctx = request(action);
      t.equal(set.evaluate(ctx).decision, expected, `filing ${i}, ${action}`);
      const diff = mismatch(input, set, ctx);
      if (diff) t.fail(`filing ${i}, ${action}: ${diff}`);
    }
  }
});
