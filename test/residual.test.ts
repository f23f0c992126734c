/**
 * Residual policies for list calls: `matches` against `evaluate` group by group, and the SQL pages and counts of
 * `pageGroups` on real SQLite and real PostgreSQL (the `postgres` dialect of `toSql`) against the list of groups
 * `evaluate` allows, over random policy sets and stores.
 */
import t from "tap";
import fc from "fast-check";
import { makeContext, resourceTagKey } from "../src/evaluate/context.js";
import type { EvaluationInput, PolicyAttachment } from "../src/evaluate/decision.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import type { Policy } from "../src/policy/ast.js";
import { parsePolicy } from "../src/policy/parse.js";
import { residual, type Knowns, type ListResidual, type ResidualRow } from "../src/residual/residual.js";
import { idCovers, type IdSet } from "../src/residual/ids.js";
import { remainders, toSql, type SqlSchema } from "../src/residual/sql.js";
import { allowedSignatures, pageGroups, pageTagRows, RESIDUAL_SCHEMA, residualFilter, type TaskTable } from "../src/service/list.js";
import { Store } from "../src/service/store.js";
import { policyOf } from "./helpers/policies.js";
import { DIALECTS, groupRow, type Dialect } from "./helpers/service.js";
import { testPostgres } from "./helpers/servers.js";

const ACCOUNT = "1609982529920904";
const REGION = "cn-hangzhou";
const KNOWNS: Knowns = { region: REGION, account: ACCOUNT };
const ACTION = "ess:DescribeScalingGroups";
const arn = (region: string, id: string): string => `acs:ess:${region}:${ACCOUNT}:scalinggroup/${id}`;

/** The engine's answer for one group: the oracle every residual is checked against. */
function allowedByEngine(input: EvaluationInput, knowns: Knowns, row: ResidualRow): boolean {
  const ctx = makeContext({
    action: ACTION,
    resource: arn(knowns.region, row.scalingGroupId),
    resourceTags: row.tags,
    ...(knowns.keys ? { keys: knowns.keys } : {}),
    ...(knowns.requestTags ? { requestTags: knowns.requestTags } : {}),
    ...(row.resourceGroupId === undefined ? {} : { resourceGroupId: row.resourceGroupId }),
  });
  return evaluate(input, ctx).decision === "Allow";
}

const identity = (...policies: Policy[]): EvaluationInput => ({ identity: policies.map((policy) => ({ policy })) });

t.test("constant residuals collapse", async (t) => {
  const admin = policyOf([{ Effect: "Allow", Action: "*", Resource: "*" }]);
  t.equal(residual([admin], ACTION, KNOWNS).tree.kind, "true", "an administrator sees every group");
  t.equal(residual([], ACTION, KNOWNS).tree.kind, "false", "no policy, no group");
  const otherRegion = policyOf([{ Effect: "Allow", Action: "ess:*", Resource: arn("cn-beijing", "*") }]);
  t.equal(residual([otherRegion], ACTION, KNOWNS).tree.kind, "false", "a pattern for another region cannot match");
  const regionWide = policyOf([{ Effect: "Allow", Action: "ess:Describe*", Resource: `acs:ess:${REGION}:*:scalinggroup/*` }]);
  t.equal(residual([regionWide], ACTION, KNOWNS).tree.kind, "true", "a pattern covering every group of the region is no filter");
  const denied = policyOf([
    { Effect: "Allow", Action: "*", Resource: "*" },
    { Effect: "Deny", Action: "ess:describescalinggroups", Resource: "*" },
  ]);
  t.equal(residual([denied], ACTION, KNOWNS).tree.kind, "false", "an unconditional Deny wins");
  const sourceIp = policyOf([{ Effect: "Allow", Action: "*", Resource: "*", Condition: { IpAddress: { "acs:SourceIp": "10.0.0.0/8" } } }]);
  t.equal(residual([sourceIp], ACTION, { ...KNOWNS, keys: { "acs:SourceIp": "10.1.2.3" } }).tree.kind, "true", "known keys are decided now");
  t.equal(residual([sourceIp], ACTION, { ...KNOWNS, keys: { "acs:SourceIp": "192.168.0.1" } }).tree.kind, "false");
  t.equal(residual([sourceIp], ACTION, KNOWNS).tree.kind, "false", "a missing key fails a positive operator");
  t.equal(residual({ principalType: "Root", identity: [] }, ACTION, KNOWNS).tree.kind, "true", "the account owner");
});

t.test("tag residuals follow the contract on case-variant tags and missing keys", async (t) => {
  const byTeam = policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/Team": "game" } } }]);
  const r = residual([byTeam], ACTION, KNOWNS);
  t.ok(r.matches({ scalingGroupId: "asg-1", tags: [["team", "game"]] }), "tag keys match in any case");
  t.notOk(r.matches({ scalingGroupId: "asg-1", tags: [["team", "game"], ["TEAM", "dev"]] }), "an Allow must hold for every case variant");
  t.notOk(r.matches({ scalingGroupId: "asg-1", tags: [] }), "a missing tag fails StringEquals");
  const denyDev = policyOf([
    { Effect: "Allow", Action: "ess:*", Resource: "*" },
    { Effect: "Deny", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/Team": "dev" } } },
  ]);
  const d = residual([denyDev], ACTION, KNOWNS);
  t.notOk(d.matches({ scalingGroupId: "asg-1", tags: [["team", "game"], ["Team", "dev"]] }), "a Deny fires on any case variant");
  t.ok(d.matches({ scalingGroupId: "asg-1", tags: [] }));
  t.throws(() => residual([byTeam], ACTION, { ...KNOWNS, keys: { "acs:ResourceTag/Team": "game" } }), /tag key/, "rows bring the resource tags");
  t.throws(() => residual([byTeam], ACTION, { ...KNOWNS, keys: [["ACS:RequestTag/x", "1"]] }), /tag key/);
});

const sourceIpFree = policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*" }], "rg");

t.test("SQL rendering: bound parameters, exactness, dialects", async (t) => {
  const p = policyOf([
    { Effect: "Allow", Action: "ess:*", Resource: arn(REGION, "asg-[a]?*"), Condition: { StringLike: { "acs:ResourceTag/env": "pro*" } } },
    { Effect: "Deny", Action: "ess:*", Resource: arn(REGION, "ASG-X*") },
  ]);
  const r = residual([p], ACTION, KNOWNS);
  const sqlite = toSql(r, { dialect: "sqlite", schema: RESIDUAL_SCHEMA, asciiIds: true });
  t.ok(sqlite.exact);
  t.notMatch(sqlite.sql, /pro|asg|ASG|env/, "no value is spliced into the SQL text");
  t.ok(sqlite.params.includes("asg-[[]a]?*"), "ids are compared with what remains of the pattern past the ARN prefix; GLOB escapes [");
  t.ok(sqlite.params.includes("asg-x*"), "Deny patterns are compared lower-cased");
  t.match(sqlite.sql, /lower\(g\.id\) GLOB \?/, "… with the lower-cased id");
  const unsure = toSql(r, { dialect: "sqlite", schema: RESIDUAL_SCHEMA });
  t.notOk(unsure.exact, "any-case ARN matching needs ASCII ids to be exact in SQL");
  const pg = toSql(r, { dialect: "postgres", schema: RESIDUAL_SCHEMA, asciiIds: true });
  t.match(pg.sql, /\$1/);
  t.ok(pg.params.includes("asg-[a]_%"), "LIKE maps ? and *");
  const numeric = policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { NumericLessThan: { "acs:ResourceTag/size": "3" } } }]);
  t.notOk(toSql(residual([numeric], ACTION, KNOWNS), { dialect: "sqlite", schema: RESIDUAL_SCHEMA }).exact, "numeric tag conditions are re-checked");
  const nul = policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/a": "x\u0000" } } }]);
  t.notOk(toSql(residual([nul], ACTION, KNOWNS), { dialect: "sqlite", schema: RESIDUAL_SCHEMA }).exact, "NUL is not compared in SQL");
  const qualified: Policy = {
    ...numeric,
    statements: policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/a": "x" } } }]).statements.map((st) => ({
      ...st,
      conditions: st.conditions.map((c) => ({ ...c, qualifier: "ForAnyValue" })),
    })),
  };
  t.notOk(toSql(residual([qualified], ACTION, KNOWNS), { dialect: "sqlite", schema: RESIDUAL_SCHEMA }).exact, "a condition shape SQL rendering does not know is re-checked");
  const inRg = residual({ identity: [{ policy: numeric }, { policy: sourceIpFree, scope: { resourceGroupId: "rg-A" } }] }, ACTION, KNOWNS);
  t.match(inRg.toSql({ dialect: "postgres", schema: RESIDUAL_SCHEMA }).sql, /g\.resource_group_id IS NOT DISTINCT FROM \$\d/, "null-safe resource-group test");
  const none = toSql(residual([], ACTION, KNOWNS), { dialect: "sqlite", schema: RESIDUAL_SCHEMA });
  t.same([none.none, none.sql], [true, "1 = 0"]);
});

t.test("ARN patterns reduce to globs on the id past the region's ARN prefix", async (t) => {
  const prefix = `acs:ess:${REGION}:${ACCOUNT}:scalinggroup/`;
  t.strictSame(remainders(arn(REGION, "asg-*"), prefix), ["asg-*"]);
  t.strictSame(remainders(arn(REGION, "asg-1"), prefix), ["asg-1"], "an exact ARN leaves an exact id");
  t.strictSame(remainders("*", prefix), ["*"]);
  t.strictSame(remainders(arn("cn-beijing", "*"), prefix), [], "another region's pattern leaves nothing");
  t.strictSame(remainders(`acs:ess:${REGION}:${ACCOUNT}:scalinggroup`, prefix), [], "a pattern shorter than the prefix leaves nothing");
  t.strictSame(
    remainders("acs:ess:*:*:scalinggroup/asg-b*", prefix).sort(),
    ["*:*:scalinggroup/asg-b*", "*:scalinggroup/asg-b*", "asg-b*"],
    "either `*` before the id may also run into it (an id holding :scalinggroup/asg-b)",
  );
  t.strictSame(remainders("a?b/*", "a\u{1F600}b/"), ["*"], "`?` reads one code point");
});

// ---- random policy sets × random stores ----

// An id holding `:scalinggroup/` lets a `*` before the id in a pattern reach into the id.
// Ids sharing starts and ends in case variants, so that id covers (prefix and suffix ranges) are put to the test.
const ID_POOL = ["asg-a1", "asg-a2", "asg-b1", "asg-B2", "asg-ab", "asg-[x]", "asg-c_1", "asg-%d", "x:scalinggroup/asg-b1", "ASG-A1", "asg-b17", "asg-a", "asg-A17b", "asg-\u007f1"];
const TAG_KEYS = ["team", "Team", "TEAM", "env"];
const TAG_VALUES = ["game", "Game", "dev", "g*", "", "5"];
const RG_IDS = ["rg-A", "rg-B"];

const resourcePattern = fc.constantFrom(
  "*", arn(REGION, "*"), arn(REGION, "asg-a*"), arn(REGION, "ASG-A*"), arn(REGION, "asg-?1"), arn(REGION, "asg-[x]"), arn(REGION, "asg-c_1"),
  arn(REGION, "asg-%*"), arn("cn-beijing", "*"), "acs:ess:*:*:scalinggroup/asg-b*", `acs:ess:${REGION}:${ACCOUNT}:*`, "acs:ess:*", arn(REGION, "asg-a1"),
  "acs:ess:cn-hang?hou:*:*/asg-?1", "*scalinggroup/*b1",
);
/** Patterns with an id start, an id end, both or neither, for the id covers. */
const idPattern = fc.constantFrom(
  arn(REGION, "asg-*1"), arn(REGION, "*B2"), arn(REGION, "ASG-*7"), arn(REGION, "asg-a*?"), arn(REGION, "*a*"), arn(REGION, "asg-B2"), arn(REGION, "asg-b1*"),
  arn(REGION, "a*"), arn(REGION, "*17*"), arn(REGION, "*7b"),
);
const tagCondition = fc.record({
  op: fc.constantFrom("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"),
  key: fc.constantFrom(...TAG_KEYS).map((k) => `acs:ResourceTag/${k}`),
  values: fc.array(fc.constantFrom("game", "GAME", "g*", "dev", "*", "5"), { minLength: 1, maxLength: 2 }),
});
/** Not expressible in SQL: the superset is re-checked row by row. */
const numericTagCondition = fc.record({
  op: fc.constant("NumericLessThan"),
  key: fc.constantFrom(...TAG_KEYS).map((k) => `acs:ResourceTag/${k}`),
  values: fc.constantFrom(["5"], ["6", "1"]),
});
const knownCondition = fc.record({ op: fc.constant("StringEquals"), key: fc.constant("acs:RequestTag/team"), values: fc.constant(["game"]) });
const statement = fc
  .record({
    Effect: fc.constantFrom("Allow", "Allow", "Allow", "Deny"),
    Action: fc.constantFrom("ess:*", "ess:DescribeScalingGroups", "ess:Delete*", "*"),
    Resource: fc.array(fc.oneof({ weight: 4, arbitrary: resourcePattern }, { weight: 1, arbitrary: idPattern }), { minLength: 1, maxLength: 2 }),
    conditions: fc.array(fc.oneof({ weight: 4, arbitrary: tagCondition }, { weight: 1, arbitrary: numericTagCondition }, { weight: 1, arbitrary: knownCondition }), { maxLength: 2 }),
  })
  .map(({ conditions, ...rest }) => {
    const Condition: Record<string, Record<string, readonly string[]>> = {};
    for (const c of conditions) (Condition[c.op] ??= {})[c.key] = c.values;
    return { ...rest, ...(conditions.length > 0 ? { Condition } : {}) };
  });
const policy = (kind: "identity" | "session" | "control") =>
  fc
    .array(statement, { minLength: 1, maxLength: 3 })
    .map((statements) => parsePolicy(JSON.stringify({ Version: "1", Statement: statements }), { name: kind, kind }).policy)
    .filter((p): p is Policy => p !== undefined);
const evaluationInput: fc.Arbitrary<EvaluationInput> = fc
  .record({
    principalType: fc.constantFrom(undefined, "RamUser", "RamUser", "RamUser", "Root"),
    identity: fc.array(fc.tuple(policy("identity"), fc.constantFrom<PolicyAttachment["scope"]>(undefined, undefined, { resourceGroupId: "rg-A" })), { minLength: 1, maxLength: 3 }),
    // Mostly absent: a random session or control policy rarely allows, and then no group is listed at all.
    session: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: policy("session") }),
    control: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.array(policy("control"), { minLength: 1, maxLength: 2 }) }),
  })
  .map((r): EvaluationInput => ({
    identity: r.identity.map(([p, scope]) => (scope ? { policy: p, scope } : { policy: p })),
    ...(r.principalType ? { principalType: r.principalType } : {}),
    ...(r.session ? { session: r.session } : {}),
    ...(r.control ? { control: { levels: r.control.map((p) => [p]), effectScope: "All" as const } } : {}),
  }));
const group = fc.record({
  region: fc.constantFrom(REGION, REGION, "cn-beijing"),
  tags: fc.uniqueArray(fc.tuple(fc.constantFrom(...TAG_KEYS), fc.constantFrom(...TAG_VALUES)), { maxLength: 3, selector: ([k]) => k }),
  resourceGroupId: fc.constantFrom(undefined, ...RG_IDS),
});
const store = fc.uniqueArray(fc.tuple(fc.constantFrom(...ID_POOL), group), { minLength: 3, maxLength: ID_POOL.length, selector: ([id]) => id });
const requestTags = fc.constantFrom<readonly (readonly [string, string])[]>([], [["team", "game"]], [["Team", "dev"]]);

type Groups = readonly (readonly [string, { region: string; tags: [string, string][]; resourceGroupId: string | undefined }])[];

/** An empty store of the dialect, closed when the test ends; undefined when PostgreSQL is unreachable (skipped). */
async function emptyStore(t: Parameters<typeof testPostgres>[0], dialect: Dialect): Promise<Store | undefined> {
  const target = dialect === "sqlite" ? ":memory:" : (await testPostgres(t))?.url;
  if (target === undefined) return undefined;
  const db = await Store.open(target);
  t.teardown(() => db.close());
  return db;
}

/** Whether the id lies in the range, compared by code point (the reversed id: its code points backwards), or is odd. */
function inRange(id: string, range: IdSet[number]): boolean {
  if (range.column === "odd") return id.includes(":") || id.includes("/");
  const key = range.column === "id" ? id : Array.from(id).reverse().join("");
  const points = (s: string) => Array.from(s).map((c) => c.codePointAt(0)!);
  const compare = (a: string, b: string) => {
    const [x, y] = [points(a), points(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  };
  return compare(key, range.from) >= 0 && (range.to === undefined || compare(key, range.to) < 0);
}

/** Two groups share each timestamp, so the id breaks ties in the order. */
const creationTime = (i: number): string => `2026-01-01T00:00:${String(Math.floor(i / 2)).padStart(6, "0")}Z`;

async function seed(db: Store, groups: Groups): Promise<void> {
  for (const [i, [id, g]] of groups.entries()) {
    await db.groups.insert(
      groupRow({
        id,
        regionId: g.region,
        name: id,
        creationTime: creationTime(i),
        ...(g.resourceGroupId ? { resourceGroupId: g.resourceGroupId } : {}),
      }),
    );
    await db.putTags(id, g.tags.map(([key, value]) => ({ key, value, propagate: false })));
  }
}

/**
 * The region's groups the engine allows, oldest first and ties by id (the order pageGroups promises), checking on
 * the way that `matches` agrees with `evaluate` on every group.
 */
function allowedInOrder(input: EvaluationInput, knowns: Knowns, groups: Groups, r: ListResidual): string[] {
  const expected: string[] = [];
  const ordered = groups.map(([id, g], i) => ({ id, g, i })).sort((a, b) => Math.floor(a.i / 2) - Math.floor(b.i / 2) || (a.id < b.id ? -1 : 1));
  for (const { id, g } of ordered) {
    if (g.region !== REGION) continue;
    const row: ResidualRow = { scalingGroupId: id, tags: g.tags, ...(g.resourceGroupId ? { resourceGroupId: g.resourceGroupId } : {}) };
    const engine = allowedByEngine(input, knowns, row);
    if (r.matches(row) !== engine) throw new Error(`matches ≠ evaluate for ${id} ${JSON.stringify(row)}`);
    if (engine) expected.push(id);
  }
  return expected;
}

t.test("id covers hold every group the engine allows (allowed) or refuses (rejected), for random ARN patterns and ids", async (t) => {
  const alphabet = ["a", "A", "b", "B", "1", "7", "-"];
  // Ids may hold the ARN's own text, which a `*` before the id can run into.
  const idText = fc.array(fc.constantFrom(...alphabet, ":scalinggroup/", "/"), { minLength: 1, maxLength: 6 }).map((cs) => cs.join(""));
  const glob = fc.array(fc.constantFrom(...alphabet, "*", "*", "?"), { minLength: 1, maxLength: 5 }).map((cs) => cs.join(""));
  const pattern = fc.tuple(glob, fc.constantFrom(arn(REGION, ""), `acs:ess:${REGION}:*:scalinggroup/`, "acs:ess:*/", "*")).map(([g, before]) => before + g);
  const arnStatement = fc.record({
    Effect: fc.constantFrom("Allow", "Allow", "Deny"),
    Action: fc.constant("ess:*"),
    Resource: fc.array(pattern, { minLength: 1, maxLength: 2 }),
    tagged: fc.boolean(),
  }).map(({ tagged, ...st }) => (tagged ? { ...st, Condition: { StringLike: { "acs:ResourceTag/team": "g*" } } } : st));
  let narrowed = 0;
  let exactRejected = 0;
  fc.assert(
    fc.property(fc.array(arnStatement, { minLength: 1, maxLength: 3 }), fc.uniqueArray(idText, { minLength: 1, maxLength: 30 }), (statements, ids) => {
      const input = identity(policyOf(statements));
      const r = residual(input, ACTION, KNOWNS);
      const covers = idCovers(r.tree, r.arnPrefix, true);
      // Half the groups carry the tag the conditions name.
      const rows = ids.map((id, i): ResidualRow => ({ scalingGroupId: id, tags: i % 2 === 0 ? [["team", "game"]] : [] }));
      const allowed = new Set(rows.filter((row) => allowedByEngine(input, KNOWNS, row)).map((row) => row.scalingGroupId));
      for (const [sets, holds] of [[covers.allowed, (id: string) => allowed.has(id)], [covers.rejected, (id: string) => !allowed.has(id)]] as const) {
        for (const set of sets) {
          const missing = ids.find((id) => holds(id) && !set.some((range) => inRange(id, range)));
          if (missing !== undefined) throw new Error(`${missing} is not in the cover ${JSON.stringify(set)}`);
          if (ids.some((id) => !set.some((range) => inRange(id, range)))) narrowed++;
        }
      }
      if (covers.rejected.length > 0) exactRejected++;
    }),
    { numRuns: 4000, seed: 20261206 },
  );
  t.ok(narrowed > 1000, `${narrowed} covers left some group out`);
  t.ok(exactRejected > 200, `${exactRejected} residuals had a cover of the groups they reject`);
});

t.test("id covers of the bench's ARN principals: the ids of an id suffix, and the few ids a whole-prefix Allow less a Deny rejects", async (t) => {
  const suffix = residual(identity(policyOf([{ Effect: "Allow", Action: "ess:Describe*", Resource: arn(REGION, "asg-*7") }])), ACTION, KNOWNS);
  t.strictSame(idCovers(suffix.tree, suffix.arnPrefix, true).allowed, [
    [{ column: "id", from: "asg-", to: "asg." }],
    [{ column: "reversed", from: "7", to: "8" }],
  ], "ids starting with asg-, or ids ending in 7");
  const mixed = residual(identity(policyOf([
    { Effect: "Allow", Action: "ess:*", Resource: `acs:ess:${REGION}:*:scalinggroup/asg-00*` },
    { Effect: "Allow", Action: "ess:Describe*", Resource: "*", Condition: { StringLike: { "acs:ResourceTag/Team": "game*" } } },
    { Effect: "Deny", Action: "ess:*", Resource: `acs:ess:${REGION}:*:scalinggroup/asg-001*` },
  ])), ACTION, KNOWNS);
  // The account's `*` may run into the id (an id holding `:scalinggroup/asg-00`): those ids hold `:`, they are odd.
  t.strictSame(idCovers(mixed.tree, mixed.arnPrefix, true).rejected, [
    [
      { column: "id", from: "", to: "asg-00" },
      { column: "id", from: "asg-001", to: "asg-002" },
      { column: "id", from: "asg-01", to: undefined },
      { column: "odd" },
    ],
], "the ids not starting with asg-00 (the Allow on ARNs), and those starting with asg-001 in any case (the Deny: ASG-001… lie below asg-00)");
});

for (const dialect of DIALECTS) t.test(`random policy sets × random stores: matches, SQL pages and counts (scanning, seeking, subtracting, by tag signature, within id covers) equal the per-group decision (${dialect})`, async (t) => {
  let compared = 0;
  let signed = 0;
  let allowed = 0;
  let inexact = 0;
  let sought = 0;
  let subtracted = 0;
  let covered = 0;
  const db = await emptyStore(t, dialect);
  if (!db) return;
  // Fewer on PostgreSQL, where every query is a round trip to another process.
  const runs = Number(process.env.RESIDUAL_RUNS ?? (dialect === "sqlite" ? 1500 : 300));
  const ids = async (part: { readonly sql: string; readonly params: readonly string[] }) => new Set((await db.query<{ group_id: string }>(part.sql, part.params)).map((row) => row.group_id));
  await fc.assert(
    fc.asyncProperty(evaluationInput, store, requestTags, fc.nat(4), fc.integer({ min: 1, max: 4 }), async (input, groups, tags, offset, limit) => {
      // One transaction per store: one commit (one WAL flush) rather than one per row.
      await db.transaction(async (tx) => {
        await tx.execute("DELETE FROM scaling_groups");
        await seed(tx, groups);
      });
      const knowns: Knowns = { ...KNOWNS, requestTags: tags };
      const r = residual(input, ACTION, knowns);
      const expected = allowedInOrder(input, knowns, groups, r);
      compared += groups.filter(([, g]) => g.region === REGION).length;
      allowed += expected.length;
      const filter = residualFilter(db, r);
      if (!filter.exact) inexact++;
      if (filter.rejected) {
        subtracted++;
        const rejected = await ids(filter.rejected);
        const missing = groups.find(([id, g]) => g.region === REGION && !expected.includes(id) && !rejected.has(id));
        if (missing !== undefined) throw new Error(`${missing[0]} is rejected but not among the rejected candidates ${filter.rejected.sql}`);
      }
      if (filter.candidates) {
        sought++;
        const candidates = await ids(filter.candidates);
        const missing = expected.find((id) => !candidates.has(id));
        if (missing !== undefined) throw new Error(`${missing} is allowed but not among the candidates ${filter.candidates.sql}`);
      }
      const want = { ids: expected.slice(offset, offset + limit), total: expected.length };
      const expectedTags = expected.flatMap((id) => groups.find(([g]) => g === id)![1].tags.map(([key, value]) => `${id}:${key}=${value}`));
      const signatures = await allowedSignatures(db, r, REGION);
      if (signatures) {
        signed++;
        if (signatures.groups !== expected.length || signatures.tagRows !== expectedTags.length) {
          throw new Error(`signatures allow ${signatures.groups} groups, ${signatures.tagRows} tag rows; the engine ${expected.length}, ${expectedTags.length}`);
        }
      }
      const tagPage = await pageTagRows(db, r, { regionId: REGION, offset, limit });
      if (tagPage && JSON.stringify([tagPage.rows.map((row) => `${row.groupId}:${row.key}=${row.value}`), tagPage.total]) !== JSON.stringify([expectedTags.slice(offset, offset + limit), expectedTags.length])) {
        throw new Error(`pageTagRows gave ${JSON.stringify(tagPage)}, the engine ${JSON.stringify(expectedTags)}`);
      }
      const covers = idCovers(r.tree, r.arnPrefix, true);
      const missed = (sets: readonly IdSet[], wanted: (id: string) => boolean) =>
        sets.flatMap((set) => groups.filter(([id, g]) => g.region === REGION && wanted(id) && !set.some((range) => inRange(id, range))).map(([id]) => `${id} ∉ ${JSON.stringify(set)}`));
      const uncovered = [...missed(covers.allowed, (id) => expected.includes(id)), ...missed(covers.rejected, (id) => !expected.includes(id))];
      if (uncovered.length > 0) throw new Error(`id covers miss groups: ${uncovered.join("; ")}`);
      if (covers.allowed.length + covers.rejected.length > 0) covered++;
      for (const plan of [undefined, "scan", "seek", "subtract", "signature", "ids"] as const) {
        const page = await pageGroups(db, r, { regionId: REGION, offset, limit, ...(plan ? { plan } : {}) });
        if (JSON.stringify(page) !== JSON.stringify(want)) throw new Error(`pageGroups (${plan ?? "chosen"}) gave ${JSON.stringify(page)}, the engine ${JSON.stringify(want)}`);
        const uncounted = await pageGroups(db, r, { regionId: REGION, offset, limit, count: false, ...(plan ? { plan } : {}) });
        if (JSON.stringify(uncounted.ids) !== JSON.stringify(want.ids)) throw new Error(`pageGroups (${plan ?? "chosen"}, no count) gave ${JSON.stringify(uncounted.ids)}, the engine ${JSON.stringify(want.ids)}`);
      }
    }),
    { numRuns: runs, seed: 20261206 },
  );
  t.ok(compared > runs * 2, `${compared} group decisions compared`);
  t.ok(allowed > compared / 10, `${allowed} allowed: the generator reaches both answers`);
  t.ok(inexact > runs / 30, `${inexact} policy sets re-checked row by row`);
  t.ok(sought > runs / 30, `${sought} policy sets counted by seeking tag candidates as well as by scanning`);
  t.ok(subtracted > runs / 50, `${subtracted} policy sets counted as the region less the groups sought as rejected`);
  t.ok(signed > runs / 10, `${signed} policy sets counted by deciding the region's tag signatures`);
  t.ok(covered > runs / 10, `${covered} policy sets with id covers, each checked to hold the groups it claims and counted within it`);
});

for (const dialect of DIALECTS) t.test(`re-checking reads the superset in batches and keeps order and count (${dialect})`, async (t) => {
  const db = await emptyStore(t, dialect);
  if (!db) return;
  const groups = Array.from({ length: 1203 }, (_, i) => [`asg-${String(i).padStart(5, "0")}`, { region: REGION, tags: [["size", String(i % 7)]] as [string, string][], resourceGroupId: undefined }] as const);
  await db.transaction((tx) => seed(tx, groups));
  const small = policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { NumericLessThan: { "acs:ResourceTag/size": "2" } } }]);
  const r = residual(identity(small), ACTION, KNOWNS);
  const expected = groups.filter(([, g]) => Number(g.tags[0]![1]) < 2).map(([id]) => id);
  t.strictSame(await pageGroups(db, r, { regionId: REGION, offset: 300, limit: 5, plan: "scan" }), { ids: expected.slice(300, 305), total: expected.length });
  t.strictSame(await pageGroups(db, r, { regionId: REGION, offset: 300, limit: 5 }), { ids: expected.slice(300, 305), total: expected.length }, "counted by tag signature");
  t.strictSame((await pageGroups(db, r, { regionId: REGION, offset: 300, limit: 5, count: false })).ids, expected.slice(300, 305), "a page without its count stops early");
  t.equal((await db.findAllowed(REGION, r, [])).group?.scalingGroupId, expected[0], "the oldest allowed group");
  for (const [i, [id]] of groups.slice(0, 20).entries()) {
    await db.rules.insert({ id: `asr-${i}`, ari: `ari-${i}`, groupId: id, regionId: REGION, name: `r${i}`, ruleType: "SimpleScalingRule", creationTime: `2027-01-01T00:00:${String(40 - i)}Z` });
  }
  const ruleIds = groups.slice(0, 20).flatMap(([id], i) => (expected.includes(id) ? [`asr-${i}`] : [])).reverse();
  t.strictSame(await pageGroups(db, r, { regionId: REGION, offset: 1, limit: 3, children: "scaling_rules" }), { ids: ruleIds.slice(1, 4), total: ruleIds.length }, "children of allowed groups, re-checked, in their own order");
  t.strictSame(await db.findAllowed(REGION, r, [["size", "9"]]), { candidates: false }, "no group carries the tag");
  t.strictSame(await db.findAllowed(REGION, residual([], ACTION, KNOWNS), [["size", "1"]]), { candidates: true }, "groups carry it, none is allowed");
  t.equal(await pageTagRows(db, r, { regionId: REGION, offset: 0, limit: 5 }), undefined, "tag rows are paged in SQL only when the filter is exact");
  t.strictSame(await pageTagRows(db, residual([], ACTION, KNOWNS), { regionId: REGION, offset: 0, limit: 5 }), { rows: [], total: 0 }, "nothing allowed, no query");
});

// ---- tasks bound to a group or to none ----

/** Ids that PostgreSQL's default collation and code point order sort differently (`t-b` ≶ `ta`), and a shared timestamp. */
const TASK_IDS = ["t-b", "ta", "tb", "T1", "t_1", "t1", "t-a", "u0", "t%", "t.0"];
const task = fc.record({
  /** The index of its group in the store (modulo its size), or none. */
  group: fc.option(fc.nat(), { nil: undefined, freq: 3 }),
  region: fc.constantFrom(REGION, REGION, REGION, "cn-beijing"),
  second: fc.nat(2),
  enabled: fc.boolean(),
});
const tasks = fc.uniqueArray(fc.tuple(fc.constantFrom(...TASK_IDS), task), { maxLength: TASK_IDS.length, selector: ([id]) => id });

/** The row a task needs in each table; a task bound to a group is in that group's region. */
function insertTask(db: Store, table: TaskTable, id: string, fields: { groupId?: string; regionId: string; creationTime: string; enabled: boolean }): Promise<void> {
  const common = { id, name: id, regionId: fields.regionId, creationTime: fields.creationTime, ...(fields.groupId === undefined ? {} : { groupId: fields.groupId }) };
  return table === "scheduled_tasks"
    ? db.scheduledTasks.insert({ ...common, launchTime: "2030-01-01T00:00Z", taskEnabled: fields.enabled })
    : db.alarms.insert({
        ...common, metricType: "system", metricName: "CpuUtilization", period: 300, statistics: "Average", comparisonOperator: ">=", threshold: 80, evaluationCount: 3,
        alarmActions: [], enable: fields.enabled, state: "OK",
      });
}

for (const dialect of DIALECTS) t.test(`random policy sets × random tasks, bound and unbound: SQL pages and counts equal the per-group decision plus the decision on * (${dialect})`, async (t) => {
  const db = await emptyStore(t, dialect);
  if (!db) return;
  const runs = Number(process.env.RESIDUAL_RUNS ?? (dialect === "sqlite" ? 600 : 120));
  let unboundListed = 0;
  let boundListed = 0;
  let inexact = 0;
  let soughtBeside = 0;
  let signed = 0;
  await fc.assert(
    fc.asyncProperty(evaluationInput, store, tasks, fc.boolean(), fc.constantFrom(undefined, true, false), fc.nat(4), fc.integer({ min: 1, max: 4 }), async (input, groups, taskRows, unbound, enabled, offset, limit) => {
      const ownerOf = (row: (typeof taskRows)[number][1]) => (row.group === undefined ? undefined : groups[row.group % groups.length]);
      await db.transaction(async (tx) => {
        for (const table of ["scheduled_tasks", "alarms", "scaling_groups"]) await tx.execute(`DELETE FROM ${table}`);
        await seed(tx, groups);
        for (const [id, row] of taskRows) {
          const owner = ownerOf(row);
          const fields = { regionId: owner?.[1].region ?? row.region, creationTime: creationTime(row.second * 2), enabled: row.enabled, ...(owner ? { groupId: owner[0] } : {}) };
          for (const table of ["scheduled_tasks", "alarms"] as const) await insertTask(tx, table, id, fields);
        }
      });
      const r = residual(input, ACTION, KNOWNS);
      const filter = residualFilter(db, r);
      if (!filter.exact) inexact++;
      if (r.tree.kind !== "true" && (await allowedSignatures(db, r, REGION))) signed++;
      const allowedGroups = new Set(allowedInOrder(input, KNOWNS, groups, r));
      // What the handlers decided one by one before: a bound task by its group, an unbound one by the call on `*`.
      const expected = taskRows
        .filter(([, row]) => {
          const owner = ownerOf(row);
          const regionId = owner?.[1].region ?? row.region;
          return regionId === REGION && (enabled === undefined || row.enabled === enabled) && (owner ? allowedGroups.has(owner[0]) : unbound);
        })
        .sort(([a, x], [b, y]) => x.second - y.second || (a < b ? -1 : 1))
        .map(([id, row]) => {
          if (ownerOf(row)) boundListed++;
          else unboundListed++;
          return id;
        });
      if (filter.candidates && taskRows.some(([id, row]) => !ownerOf(row) && expected.includes(id))) soughtBeside++;
      const want = { ids: expected.slice(offset, offset + limit), total: expected.length };
      for (const [children, column] of [["scheduled_tasks", "c.task_enabled"], ["alarms", "c.enable"]] as const) {
        const where = enabled === undefined ? [] : [{ sql: `${column} = ?`, params: [enabled ? 1 : 0] }];
        for (const plan of [undefined, "scan", "seek", "signature"] as const) {
          const page = await pageGroups(db, r, { regionId: REGION, children, unbound, offset, limit, where, ...(plan ? { plan } : {}) });
          if (JSON.stringify(page) !== JSON.stringify(want)) throw new Error(`${children} (${plan ?? "chosen"}, unbound ${unbound}) gave ${JSON.stringify(page)}, the engine ${JSON.stringify(want)}`);
        }
      }
    }),
    { numRuns: runs, seed: 20261207 },
  );
  t.ok(boundListed > runs / 5, `${boundListed} bound tasks listed`);
  t.ok(unboundListed > runs / 5, `${unboundListed} unbound tasks listed`);
  t.ok(soughtBeside > 0, `${soughtBeside} lists sought tag candidates beside unbound tasks`);
  t.ok(signed > runs / 10, `${signed} policy sets listed tasks by the tag signatures they allow (children and a filter)`);
  t.ok(inexact > runs / 30, `${inexact} policy sets re-checked row by row`);
});

for (const dialect of DIALECTS) t.test(`seeking a tag's groups keeps the unbound tasks, in order, in the page and the count (${dialect})`, async (t) => {
  const db = await emptyStore(t, dialect);
  if (!db) return;
  const groups = Array.from({ length: 40 }, (_, i) => [`asg-${String(i).padStart(3, "0")}`, { region: REGION, tags: [["team", i % 10 === 0 ? "game" : "dev"]] as [string, string][], resourceGroupId: undefined }] as const);
  await db.transaction(async (tx) => {
    await seed(tx, groups);
    // Tasks of every group, and every fifth one bound to none, all in one order of their own.
    for (let i = 0; i < 60; i++) {
      const groupId = i % 5 === 4 ? undefined : groups[i % groups.length]![0];
      await insertTask(tx, "scheduled_tasks", `task-${String(59 - i).padStart(3, "0")}`, { regionId: REGION, creationTime: creationTime(i), enabled: true, ...(groupId ? { groupId } : {}) });
    }
  });
  const game = policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/Team": "game" } } }]);
  const r = residual(identity(game), ACTION, KNOWNS);
  t.ok(residualFilter(db, r).candidates, "the filter has tag candidates to seek");
  const rows = await db.scheduledTasks.where({ regionId: REGION });
  const gameGroups = new Set<string>(groups.filter(([, g]) => g.tags[0]![1] === "game").map(([id]) => id));
  for (const unbound of [true, false]) {
    const expected = rows.filter((row) => (row.groupId === undefined ? unbound : gameGroups.has(row.groupId))).map((row) => row.id);
    t.ok(expected.length > 4, `${expected.length} tasks to list`);
    for (const plan of [undefined, "scan", "seek", "signature"] as const) {
      for (const [offset, limit] of [[0, 3], [2, 5], [10, 50]] as const) {
        t.strictSame(
          await pageGroups(db, r, { regionId: REGION, children: "scheduled_tasks", unbound, offset, limit, ...(plan ? { plan } : {}) }),
          { ids: expected.slice(offset, offset + limit), total: expected.length },
          `unbound ${unbound}, plan ${plan ?? "chosen"}, offset ${offset}`,
        );
      }
    }
  }
  const nothing = residual([], ACTION, KNOWNS);
  const unboundIds = rows.filter((row) => row.groupId === undefined).map((row) => row.id);
  t.strictSame(await pageGroups(db, nothing, { regionId: REGION, children: "scheduled_tasks", unbound: true, offset: 1, limit: 2 }), { ids: unboundIds.slice(1, 3), total: unboundIds.length }, "no group allowed, * allowed: the unbound tasks alone");
  t.strictSame(await pageGroups(db, nothing, { regionId: REGION, children: "scheduled_tasks", unbound: false, offset: 0, limit: 2 }), { ids: [], total: 0 }, "neither: nothing");
});
