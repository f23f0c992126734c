/**
 * Scaling group ids the service stores are ASCII, as ESS's are: list calls fold ARN case in SQL, whose
 * lower() folds ASCII only, so a non-ASCII id could escape a Deny that ignores case (the engine folds `İ`, `Ä`…).
 * Such an id is refused where it would enter: the store, and a seed file (with the seed's own error).
 */
import t from "tap";
import { seed, SeedError } from "../src/service/seed.js";
import { Store } from "../src/service/store.js";
import { ACCOUNT, groupRow } from "./helpers/service.js";

const REGION = "cn-hangzhou";
const group = (id: string) => groupRow({ id, regionId: REGION, name: "g", creationTime: "2030-01-01T00:00:00Z" });

t.test("the store refuses a group id that is not ASCII text, and keeps ESS's own", async (t) => {
  const store = await Store.open(":memory:");
  t.teardown(() => store.close());
  for (const id of ["asg-Äbc", "asg-İ1", "asg-\u0000", ""]) {
    await t.rejects(store.groups.insert(group(id)), /is not ASCII text/, JSON.stringify(id));
  }
  await store.groups.insert(group("asg-bp18p2yfxow2dloq****"));
  t.same((await store.groups.where({ regionId: REGION })).map((g) => g.id), ["asg-bp18p2yfxow2dloq****"], "only the ASCII one, masked as Alibaba's docs mask ids");
});

t.test("a seed file with a non-ASCII group id is refused whole, with a SeedError that names the id", async (t) => {
  const store = await Store.open(":memory:");
  t.teardown(() => store.close());
  const doc = { scalingGroups: [{ ScalingGroupId: "asg-ok1", RegionId: REGION }, { ScalingGroupId: "asg-Ä", RegionId: REGION }] };
  const error = await seed(store, doc, ACCOUNT).then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof SeedError, "a SeedError (serve: exit 2 with the message)");
  t.match((error as Error).message, /scalingGroups: scaling group id "asg-Ä" is not ASCII text/);
  t.same(await store.groups.where({ regionId: REGION }), [], "nothing seeded: one transaction");
});
