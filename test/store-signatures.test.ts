/**
 * Tag signatures (migration 6 of src/service/store.ts): whatever sequence of writes the store takes, every group
 * points at the signature of exactly its tags and resource group, and the per-(region, signature) counters equal a
 * count from scratch; a database upgraded from version 5 is signed from the rows already there; and a tag-based
 * principal's TotalCount no longer reads the region's groups (counted in rows PostgreSQL reads).
 */
import t from "tap";
import fc from "fast-check";
import { loadPolicy } from "../src/policy/parse.js";
import { residual } from "../src/residual/residual.js";
import { allowedSignatures, pageGroups, pageTagRows, SIGNATURE_LIMIT } from "../src/service/list.js";
import { Store } from "../src/service/store.js";
import { DIALECTS, groupRow, tempDir, testDatabase, UNDO_SCHEMA_6, UNDO_SCHEMA_7, UNDO_SCHEMA_8 } from "./helpers/service.js";

const REGIONS = ["cn-hangzhou", "cn-beijing"];
const IDS = ["asg-1", "asg-2", "asg-3", "asg-4", "asg-5"];
const KEYS = ["team", "Team", "TEAM", "env"];
const VALUES = ["game", "Game", "dev", ""];
const RGS = [undefined, "rg-a", "rg-b"];

const tags = fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), fc.boolean()), { maxLength: 3, selector: ([k]) => k });

/** Every way the service and an operator change what a signature is made of, by the store's methods or in SQL. */
const write = fc.oneof(
  fc.record({ op: fc.constant("insert" as const), id: fc.constantFrom(...IDS), region: fc.constantFrom(...REGIONS), rg: fc.constantFrom(...RGS), tags }),
  fc.record({ op: fc.constant("putTags" as const), id: fc.constantFrom(...IDS), tags }),
  fc.record({ op: fc.constant("removeTags" as const), id: fc.constantFrom(...IDS), keys: fc.oneof(fc.constant("all" as const), fc.uniqueArray(fc.constantFrom(...KEYS))) }),
  fc.record({ op: fc.constant("setResourceGroup" as const), id: fc.constantFrom(...IDS), rg: fc.constantFrom(...RGS) }),
  fc.record({ op: fc.constant("move" as const), id: fc.constantFrom(...IDS), region: fc.constantFrom(...REGIONS) }),
  fc.record({ op: fc.constant("rename" as const), id: fc.constantFrom(...IDS), name: fc.constantFrom("x", "y") }),
  fc.record({ op: fc.constant("setValue" as const), id: fc.constantFrom(...IDS), key: fc.constantFrom(...KEYS), value: fc.constantFrom(...VALUES) }),
  fc.record({ op: fc.constant("rekey" as const), id: fc.constantFrom(...IDS), key: fc.constantFrom(...KEYS), to: fc.constantFrom(...KEYS) }),
  fc.record({ op: fc.constant("delete" as const), id: fc.constantFrom(...IDS) }),
);

type Write = typeof write extends fc.Arbitrary<infer T> ? T : never;

async function apply(store: Store, w: Write): Promise<void> {
  const exists = (await store.groups.get(w.id)) !== undefined;
  if (w.op === "insert") {
    if (exists) return;
    await store.transaction(async (tx) => {
      await tx.groups.insert(groupRow({ id: w.id, regionId: w.region, name: w.id, creationTime: "2030-01-01T00:00:00Z", ...(w.rg ? { resourceGroupId: w.rg } : {}) }));
      await tx.putTags(w.id, w.tags.map(([key, value, propagate]) => ({ key, value, propagate })));
    });
    return;
  }
  if (!exists) return;
  switch (w.op) {
    case "putTags":
      return store.putTags(w.id, w.tags.map(([key, value, propagate]) => ({ key, value, propagate })));
    case "removeTags":
      return store.removeTags(w.id, w.keys);
    case "setResourceGroup":
      return store.groups.update(w.id, { resourceGroupId: w.rg });
    case "move":
      await store.execute("UPDATE scaling_groups SET region_id = ? WHERE id = ?", [w.region, w.id]);
      return;
    case "rename":
      return store.groups.update(w.id, { name: `${w.id}-${w.name}` });
    case "setValue":
      await store.execute("UPDATE scaling_group_tags SET value = ?, value_lower = ? WHERE group_id = ? AND key = ?", [w.value, w.value.toLowerCase(), w.id, w.key]);
      return;
    case "rekey": {
      const taken = (await store.tags(w.id)).some((tag) => tag.key === w.to);
      if (!taken) await store.execute("UPDATE scaling_group_tags SET key = ? WHERE group_id = ? AND key = ?", [w.to, w.id, w.key]);
      return;
    }
    case "delete":
      await store.groups.remove(w.id);
      return;
  }
}

/** A tag set with its resource group, in one text whatever the order of its tags. */
const setText = (rg: string | null, pairs: readonly (readonly [string, string])[]): string => JSON.stringify([rg, [...pairs].map(([k, v]) => [k, v]).sort()]);

/**
 * Each group's signature decoded against its rows, and the stored counters against a count from scratch (by
 * region and tag set, so two signatures of one set would add up rather than hide a miscount).
 */
async function signaturesProblem(store: Store): Promise<string | undefined> {
  const groups = await store.query<{ id: string; region_id: string; resource_group_id: string | null; signature: string | null }>(
    "SELECT g.id, g.region_id, g.resource_group_id, s.signature FROM scaling_groups g LEFT JOIN scaling_group_tag_signatures s ON s.id = g.tag_signature",
  );
  const recounted = new Map<string, number>();
  for (const g of groups) {
    const actual = setText(g.resource_group_id, (await store.tags(g.id)).map((tag) => [tag.key, tag.value] as const));
    if (g.signature === null) return `${g.id} has no signature`;
    const [rg, pairs] = JSON.parse(g.signature) as [string | null, [string, string][]];
    if (setText(rg, pairs) !== actual) return `${g.id} is signed ${g.signature} but holds ${actual}`;
    const key = `${g.region_id} ${actual}`;
    recounted.set(key, (recounted.get(key) ?? 0) + 1);
  }
  const counters = await store.query<{ region_id: string; group_count: number; signature: string }>(
    "SELECT c.region_id, c.group_count, s.signature FROM scaling_group_signature_counts c JOIN scaling_group_tag_signatures s ON s.id = c.signature_id",
  );
  const stored = new Map<string, number>();
  for (const c of counters) {
    if (Number(c.group_count) <= 0) return `a counter of ${c.group_count} for ${c.region_id} ${c.signature}`;
    const [rg, pairs] = JSON.parse(c.signature) as [string | null, [string, string][]];
    const key = `${c.region_id} ${setText(rg, pairs)}`;
    stored.set(key, (stored.get(key) ?? 0) + Number(c.group_count));
  }
  const sorted = (m: Map<string, number>) => JSON.stringify([...m].sort());
  return sorted(stored) === sorted(recounted) ? undefined : `counters ${sorted(stored)}, recounted ${sorted(recounted)}`;
}

for (const dialect of DIALECTS) t.test(`signatures and their counters stay exact through random sequences of every write path (${dialect})`, async (t) => {
  const target = await testDatabase(t, dialect, tempDir(t));
  if (target === undefined) return;
  const store = await Store.open(target);
  t.teardown(() => store.close());
  let writes = 0;
  const runs = dialect === "sqlite" ? 300 : 60;
  await fc.assert(
    fc.asyncProperty(fc.array(write, { minLength: 5, maxLength: 30 }), async (sequence) => {
      await store.execute("DELETE FROM scaling_groups");
      for (const w of sequence) await apply(store, w);
      writes += sequence.length;
      const problem = await signaturesProblem(store);
      if (problem) throw new Error(problem);
    }),
    { numRuns: runs, seed: 20261206 },
  );
  const [{ groups }] = (await store.query<{ groups: number }>("SELECT COUNT(*) AS groups FROM scaling_groups")) as [{ groups: number }];
  t.ok(writes >= runs * 5, `${writes} writes checked`);
  t.ok(Number(groups) > 0, "the last sequence left groups to check");
});

for (const dialect of DIALECTS) t.test(`a database of version 5 is signed from the groups already there (${dialect})`, async (t) => {
  const target = await testDatabase(t, dialect, tempDir(t));
  if (target === undefined) return;
  const old = await Store.open(target);
  for (const [i, id] of IDS.entries()) {
    await old.groups.insert(groupRow({ id, regionId: REGIONS[i % 2]!, name: id, creationTime: "2030-01-01T00:00:00Z", ...(i % 3 === 0 ? { resourceGroupId: "rg-a" } : {}) }));
    await old.putTags(id, [{ key: KEYS[i % KEYS.length]!, value: "game", propagate: false }, ...(i < 2 ? [{ key: "env", value: "dev", propagate: false }] : [])]);
  }
  for (const statement of `${UNDO_SCHEMA_8[dialect]};${UNDO_SCHEMA_7[dialect]};${UNDO_SCHEMA_6[dialect]}`.split(";").filter((s) => s.trim() !== "")) await old.execute(statement);
  await old.execute(dialect === "sqlite" ? "PRAGMA user_version = 5" : "UPDATE ess_authz_schema_version SET version = 5");
  await old.close();
  const store = await Store.open(target);
  t.teardown(() => store.close());
  t.equal(await signaturesProblem(store), undefined, "every group signed and counted");
  const [{ n }] = (await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM scaling_group_signature_counts")) as [{ n: number }];
  t.equal(Number(n), IDS.length, "five groups of five different tag sets");
});

t.test("a tag-based principal's TotalCount reads none of the region's groups (rows PostgreSQL reads, counted)", async (t) => {
  const target = await testDatabase(t, "postgres", tempDir(t));
  if (target === undefined) return;
  const store = await Store.open(target);
  t.teardown(() => store.close());
  const region = "cn-hangzhou";
  const size = 3000;
  // Four tag sets over the region, as bench/list.ts has: one statement each, the triggers signing every row.
  await store.execute(
    `INSERT INTO scaling_groups (id, region_id, name, lifecycle_state, min_size, max_size, default_cooldown, removal_policies, vswitch_ids, multi_az_policy, health_check_type, group_deletion_protection, creation_time)
     SELECT 'asg-' || lpad(i::text, 8, '0'), ?, 'g' || i, 'Active', 0, 1, 300, '[]', '[]', 'PRIORITY', 'ECS', 0, to_char(TIMESTAMP '2030-01-01' + i * INTERVAL '1 second', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
     FROM generate_series(0, ? - 1) AS i`,
    [region, size],
  );
  const tagged = (key: string, value: string, every: number, from: number) =>
    store.execute(
      `INSERT INTO scaling_group_tags (group_id, key, value, propagate, context_key, value_lower)
       SELECT 'asg-' || lpad(i::text, 8, '0'), ?, ?, 0, 'acs:resourcetag/' || lower(?), lower(?) FROM generate_series(0, ? - 1) AS i WHERE i % ? = ?`,
      [key, value, key, value, size, every, from],
    );
  await tagged("team", "game1", 4, 0);
  await tagged("environment", "test", 4, 0);
  await tagged("Team", "game1", 4, 1);
  await tagged("environment", "test", 4, 1);
  await tagged("TEAM", "game2", 4, 1);
  await tagged("team", "game2", 4, 2);
  await tagged("owner", "ops", 4, 3);
  await store.execute("ANALYZE");
  const input = {
    identity: [{
      policy: loadPolicy(JSON.stringify({ Version: "1", Statement: [
        { Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/team": "game1", "acs:ResourceTag/environment": "test" } } },
        { Effect: "Deny", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/team": "game2" } } },
      ] }), { name: "tag-based" }),
    }],
  };
  const allowed = residual(input, "ess:DescribeScalingGroups", { region, account: "1609982529920904" });
  /**
   * Rows of the groups and tag tables, and entries of their indexes, the call reads: the growth of PostgreSQL's
   * counts of this backend within one transaction (they are flushed between transactions, not within one).
   */
  const rowsRead = <T>(call: (tx: Store) => Promise<T>) =>
    store.transaction(async (tx) => {
      const read = async () => {
        const [{ n }] = (await tx.query<{ n: string }>(
          `SELECT SUM(pg_stat_get_xact_tuples_returned(c.oid) + pg_stat_get_xact_tuples_fetched(c.oid)) AS n FROM pg_class c
           WHERE c.oid IN ('scaling_groups'::regclass, 'scaling_group_tags'::regclass) OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN ('scaling_groups'::regclass, 'scaling_group_tags'::regclass))`,
        )) as [{ n: string }];
        return Number(n);
      };
      const before = await read();
      const result = await call(tx);
      return { result, rows: (await read()) - before };
    });
  const limit = 10;
  const scanned = await rowsRead((tx) => pageGroups(tx, allowed, { regionId: region, offset: 0, limit, plan: "scan" }));
  const signed = await rowsRead((tx) => pageGroups(tx, allowed, { regionId: region, offset: 0, limit }));
  const uncounted = await rowsRead((tx) => pageGroups(tx, allowed, { regionId: region, offset: 0, limit, count: false }));
  t.equal(signed.result.total, size / 4, "groups of the first tag set only: the second has team=game2 in another case");
  t.strictSame(signed.result, scanned.result, "the same page and count as the scan");
  t.ok(scanned.rows >= size, `the scan's count reads every group: ${scanned.rows} rows`);
  t.ok(signed.rows <= uncounted.rows, `with its count by signature, the page reads ${signed.rows} rows; without a count, ${uncounted.rows}`);
  const tagRows = await rowsRead((tx) => pageTagRows(tx, allowed, { regionId: region, offset: 0, limit }));
  t.equal(tagRows.result?.total, (size / 4) * 2, "ListTagResources counts two tag rows per allowed group");
  t.ok(tagRows.rows < size / 10, `ListTagResources' count reads ${tagRows.rows} rows, the page's only`);
});

for (const dialect of DIALECTS) t.test(`a region of more tag sets than the signature limit is counted by the other plans, as exactly (${dialect})`, async (t) => {
  const target = await testDatabase(t, dialect, tempDir(t));
  if (target === undefined) return;
  const store = await Store.open(target);
  t.teardown(() => store.close());
  const region = "cn-hangzhou";
  const ids = Array.from({ length: SIGNATURE_LIMIT + 1 }, (_, i) => `asg-${String(i).padStart(5, "0")}`);
  // A Name tag of its own on every group: as many signatures as groups.
  await store.transaction(async (tx) => {
    for (const [i, id] of ids.entries()) {
      await tx.groups.insert(groupRow({ id, regionId: region, name: id, creationTime: "2030-01-01T00:00:00Z" }));
      await tx.putTags(id, [{ key: "Name", value: id, propagate: false }, ...(i % 3 === 0 ? [{ key: "team", value: "game1", propagate: false }] : [])]);
    }
  });
  const policy = loadPolicy(JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/team": "game1" } } }] }), { name: "team" });
  const allowed = residual([policy], "ess:DescribeScalingGroups", { region, account: "1609982529920904" });
  const expected = ids.filter((_, i) => i % 3 === 0);
  t.equal(await allowedSignatures(store, allowed, region), undefined, `${ids.length} signatures: not decided one by one`);
  t.strictSame(await pageGroups(store, allowed, { regionId: region, offset: 2, limit: 3 }), { ids: expected.slice(2, 5), total: expected.length }, "counted by another plan");
  await store.groups.remove(ids[1]!);
  t.equal((await allowedSignatures(store, allowed, region))?.groups, expected.length, `${SIGNATURE_LIMIT} signatures: decided one by one`);
});
