import t from "tap";
import { cli } from "./helpers/cli.js";

t.test("eval refuses a policy with a catalog-level lint Error (a dead ess:Describle* statement)", async (t) => {
  const r = await cli("eval", "--policy", "policies/guide-originals/t2-describe-group1-by-tag.original.json", "--request", "fixtures/requests/t2-describe-by-tags.json");
  t.equal(r.code, 2);
  t.match(r.err, /t2-describe-group1-by-tag\.original\.json:\d+:\d+ Error action-unknown/);
  t.equal(r.out, "");
});

t.test("lint is wired into the CLI: the guide's originals fail, the fixed policies have no Error", async (t) => {
  const originals = await cli("lint", "policies/guide-originals");
  t.equal(originals.code, 1);
  t.match(originals.out, /Error action-malformed/);
  const fixed = await cli("lint", "policies/t1-create-tagged-only.json", "policies/r2-create-in-hangzhou.json");
  t.equal(fixed.code, 0, "no finding at or above the default --fail-on error");
});
