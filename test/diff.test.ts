import t, { type Test } from "tap";
import { readFileSync } from "node:fs";
import fjp from "fast-json-patch";
import type { Policy } from "../src/policy/ast.js";
import { parsePolicy } from "../src/policy/parse.js";
import { getOperation } from "../src/ess/catalog.js";
import { loadPolicyTexts } from "../src/cli/policy-files.js";
import { buildUniverse, familyOf, structuralPatch, type Cell, type Change, type UniverseOptions } from "../src/diff/index.js";
import { semanticDelta } from "../src/diff/delta.js";
import { jsonPatch } from "../src/diff/patch.js";

/**
 * Pairs whose true delta is known by construction: each test states, as a predicate over the cells of the
 * universe, which decisions must change and how; the reported delta must be exactly that.
 */
const FIXTURES = "test/fixtures/diff";
const ACCOUNT = "1609982529920904";
const loadAll = (paths: readonly string[]): Policy[] => loadPolicyTexts(paths.map((label) => ({ label, text: readFileSync(label, "utf8") })));
const load = (path: string): Policy[] => loadAll([path]);
const cellKey = (c: Cell): string => JSON.stringify(c.request);
const hasTag = (tags: Cell["resourceTags"], key: string, value: string): boolean => (tags ?? []).some(([k, v]) => k === key && v === value);
const ramAction = (c: Cell): string => getOperation(c.operation)!.ramAction;

async function expectDelta(
  t: Test,
  oldPath: string,
  newPath: string,
  expected: (cell: Cell) => Change | undefined,
  options: UniverseOptions = {},
) {
  const [before, after] = [load(oldPath), load(newPath)];
  const universe = buildUniverse([before, after], options);
  const delta = await semanticDelta(before, after, universe);
  const reported = new Map(delta.groups.flatMap((g) => g.cells.map((c) => [cellKey(c.cell), c.change] as const)));
  const wanted = new Map(universe.cells.flatMap((c) => (expected(c) ? [[cellKey(c), expected(c)!] as const] : [])));
  t.ok(wanted.size > 0, "the universe holds cells the edit changes");
  const wrong = [...new Set([...reported.keys(), ...wanted.keys()])].filter((k) => reported.get(k) !== wanted.get(k));
  t.same(wrong.slice(0, 3).map((k) => ({ request: JSON.parse(k), reported: reported.get(k), expected: wanted.get(k) })), [], "reported delta = known delta");
  t.equal(delta.counts.allowed + delta.counts.denied + delta.counts.denyKind, wanted.size);
  for (const g of delta.groups) {
    t.ok(g.cells.every((c) => c.change === g.change && familyOf(c.cell.operation) === g.family), `group ${g.change} ${g.family} ${g.region} is homogeneous`);
  }
  return { universe, delta };
}

t.test("adding a tag condition denies the groups that have the first tag but not the second", async (t) => {
  await expectDelta(t, `${FIXTURES}/tag-condition.old.json`, `${FIXTURES}/tag-condition.new.json`, (c) =>
    c.target === "group" && hasTag(c.resourceTags, "environment", "test") && !hasTag(c.resourceTags, "team", "game1") ? "denied" : undefined,
  );
});

t.test("a store snapshot adds its groups, with their real tags and regions", async (t) => {
  const snapshot = JSON.parse(readFileSync(`${FIXTURES}/store-snapshot.json`, "utf8"));
  const { universe, delta } = await expectDelta(
    t,
    `${FIXTURES}/tag-condition.old.json`,
    `${FIXTURES}/tag-condition.new.json`,
    (c) => (c.target === "group" && hasTag(c.resourceTags, "environment", "test") && !hasTag(c.resourceTags, "team", "game1") ? "denied" : undefined),
    { snapshot },
  );
  t.ok(universe.scalingGroups.includes("asg-uf6snapshot0000000001"));
  const shanghai = delta.groups.flatMap((g) => g.cells).filter((c) => c.cell.scalingGroupId === "asg-uf6snapshot0000000001");
  t.ok(shanghai.length > 0 && shanghai.every((c) => c.cell.region === "cn-shanghai" && c.change === "denied"), "the snapshot group tagged team=game2 lost access");
  t.notOk(delta.groups.some((g) => g.cells.some((c) => c.cell.scalingGroupId === "asg-bp1snapshot0000000002")), "the one tagged team=game1 kept it");
});

t.test("dropping a Deny: its group is no longer explicitly denied, and what `*` allows becomes allowed", async (t) => {
  const s2 = new Set(((JSON.parse(readFileSync("policies/r1-group1-by-arn.json", "utf8")).Statement[2].Action) as string[]));
  await expectDelta(t, "policies/r1-group1-by-arn.json", `${FIXTURES}/r1-without-deny.json`, (c) => {
    const group2 = c.target === "group" && c.region === "cn-hangzhou" && c.account === ACCOUNT && c.scalingGroupId === "asg-bp1c5pl2qc6ozgb10002";
    if (!group2) return undefined;
    return s2.has(ramAction(c)) ? "allowed" : "denyKind";
  });
});

t.test("widening an ARN to scalinggroup/* allows every other group of that region and account, and creating one", async (t) => {
  await expectDelta(t, `${FIXTURES}/widen-arn.old.json`, `${FIXTURES}/widen-arn.new.json`, (c) => {
    if (c.region !== "cn-hangzhou" || c.account !== ACCOUNT) return undefined;
    if (c.target === "create" || (c.target === "group" && c.scalingGroupId !== "asg-bp17np35ywjwh2cx0001")) return "allowed";
    return undefined;
  });
});

t.test("changing the region of an ARN moves access from one region to the other", async (t) => {
  const { universe } = await expectDelta(t, `${FIXTURES}/region.old.json`, `${FIXTURES}/region.new.json`, (c) => {
    if (c.account !== ACCOUNT || (c.target !== "group" && c.target !== "create")) return undefined;
    return c.region === "cn-hangzhou" ? "denied" : c.region === "cn-shanghai" ? "allowed" : undefined;
  });
  t.same(universe.regions, ["cn-hangzhou", "cn-shanghai"]);
});

t.test("NotAction edits: a Deny that stops excluding List* allows it; an Allow that excludes Modify* denies it", async (t) => {
  await expectDelta(t, `${FIXTURES}/deny-notaction.old.json`, `${FIXTURES}/deny-notaction.new.json`, (c) =>
    ramAction(c).startsWith("ess:List") ? "allowed" : undefined,
  );
  await expectDelta(t, `${FIXTURES}/allow-notaction.old.json`, `${FIXTURES}/allow-notaction.new.json`, (c) =>
    ramAction(c).startsWith("ess:Modify") ? "denied" : undefined,
  );
});

t.test("narrowing a SourceIp range denies the addresses between the two ranges", async (t) => {
  await expectDelta(t, `${FIXTURES}/source-ip.old.json`, `${FIXTURES}/source-ip.new.json`, (c) => {
    const ip = c.context["acs:SourceIp"];
    return ip !== undefined && ip.startsWith("10.") && !ip.startsWith("10.0.") ? "denied" : undefined;
  });
});

t.test("the universe covers every catalog operation, each cell a request eval accepts", async (t) => {
  const universe = buildUniverse([load("policies/t3-operate-group1-by-tag.json"), load("policies/r2-create-in-hangzhou.json")]);
  t.equal(new Set(universe.cells.map((c) => c.operation)).size, 103);
  t.equal(universe.operations, 103);
  t.same(universe.capped, []);
  // semanticDelta decides every cell through decideRequest, which throws on a request ESS would refuse.
  const delta = await semanticDelta([], [], universe);
  t.equal(delta.universe.cells, universe.cells.length);
  t.same(delta.groups, []);
});

t.test("a large pair stays bounded, reports what it cut, and still finds both edits", async (t) => {
  const policy = (name: string, hangzhou: string, ranges: string[]): Policy[] => {
    const regions = ["cn-beijing", "cn-shanghai", "cn-shenzhen", "ap-southeast-1", hangzhou];
    const byArn = regions.flatMap((r) => ["asg-g1", "asg-g2", "asg-g3", "asg-g4"].map((g) => ({ Effect: "Allow", Action: "ess:Describe*", Resource: `acs:ess:${r}:${ACCOUNT}:scalinggroup/${g}` })));
    const tagged = { Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/env": ["test", "prod"] }, IpAddress: { "acs:SourceIp": ranges } } };
    return [parsePolicy(JSON.stringify({ Version: "1", Statement: [...byArn, tagged] }), { name }).policy!];
  };
  const [before, after] = [policy("old", "cn-hangzhou", ["10.0.0.0/8", "192.168.0.0/16"]), policy("new", "cn-wuhan-lr", ["10.0.0.0/8"])];
  const universe = buildUniverse([before, after]);
  t.ok(universe.cells.length <= 40_000, `${universe.cells.length} cells`);
  t.match(universe.capped.join("; "), /regions: 4 of 6/);
  t.ok(universe.regions.includes("cn-wuhan-lr"), "a region only one version names survives the cap");
  const changed = (await semanticDelta(before, after, universe)).groups.flatMap((g) => g.cells);
  t.ok(changed.some((c) => c.change === "allowed" && c.cell.region === "cn-wuhan-lr"), "the moved ARNs");
  t.ok(changed.some((c) => c.change === "denied" && c.cell.context["acs:SourceIp"]?.startsWith("192.168.")), "the removed range");
});

t.test("identical versions: no change and no patch", async (t) => {
  const p = load("policies/t3-operate-group1-by-tag.json");
  const delta = await semanticDelta(p, p, buildUniverse([p, p]));
  t.same(delta.counts, { allowed: 0, denied: 0, denyKind: 0 });
  t.same(structuralPatch(p, p), []);
});

t.test("the structural patch turns the old documents into the new ones and keeps unchanged statements in place", async (t) => {
  const pairs = ["tag-condition", "widen-arn", "region", "deny-notaction", "allow-notaction", "source-ip"].map((n) => [`${FIXTURES}/${n}.old.json`, `${FIXTURES}/${n}.new.json`]);
  pairs.push(["policies/r1-group1-by-arn.json", `${FIXTURES}/r1-without-deny.json`]);
  for (const [from, to] of pairs) {
    const [a, b] = [load(from!)[0]!, load(to!)[0]!];
    const patch = structuralPatch([a], [b]);
    t.same(fjp.applyPatch(fjp.deepClone(a.document), fjp.deepClone(patch), true, false).newDocument, b.document, `${from} → ${to}`);
  }
  t.same(structuralPatch(load("policies/r1-group1-by-arn.json"), load(`${FIXTURES}/r1-without-deny.json`)), [{ op: "remove", path: "/Statement/1" }]);
  t.same(jsonPatch({ Action: ["ess:A", "ess:B", "ess:C"] }, { Action: ["ess:A", "ess:C"] }), [{ op: "remove", path: "/Action/1" }]);
  const several = structuralPatch(loadAll([`${FIXTURES}/region.old.json`, `${FIXTURES}/widen-arn.old.json`]), load(`${FIXTURES}/widen-arn.old.json`));
  t.same(several, [{ op: "remove", path: "/region.old" }], "several policies: patched by policy name");
});
