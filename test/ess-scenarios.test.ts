// The scenario suites of fixtures/ (hand-derived from the contract, see fixtures/README.md) run through the ESS
// request builder, the in-memory store and authorizePlan: request file → plan → decision.
import t from "tap";
import { readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { authorizePlan } from "../src/ess/authorize.js";
import { buildPlan } from "../src/ess/request.js";
import { storeFromJson } from "../src/ess/store.js";
import type { EssRequest } from "../src/ess/types.js";
import { loadPolicy } from "../src/policy/parse.js";

const SUITES = resolve(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "suites");

interface Case {
  name: string;
  request: string;
  expect: { decision: string; determining?: { policy: string; statement: number }[]; visible?: string[] };
}
interface Suite {
  name: string;
  policies: string[];
  cases: Case[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

for (const file of readdirSync(SUITES).filter((f) => f.endsWith(".suite.json")).sort()) {
  const suite = readJson<Suite>(join(SUITES, file));
  const identity = suite.policies.map((p) => {
    const path = resolve(SUITES, p);
    return { policy: loadPolicy(readFileSync(path, "utf8"), { name: basename(path, ".json") }) };
  });
  t.test(suite.name, async (t) => {
    for (const c of suite.cases) {
      const file = readJson<EssRequest & { store?: unknown }>(resolve(SUITES, c.request));
      const plan = await buildPlan(
        { account: file.account, params: file.params, ...(file.context ? { context: file.context } : {}) },
        storeFromJson(file.store),
      );
      const d = authorizePlan(plan, { identity });
      t.equal(d.decision, c.expect.decision, `${c.name}: decision`);
      const determining = d.determining.map((r) => ({ policy: r.policy, statement: r.statement }));
      t.same(determining, c.expect.determining ?? [], `${c.name}: determining`);
      if (c.expect.visible) {
        const visible = d.resources.filter((r) => r.decision === "Allow").map((r) => r.scalingGroupId);
        t.same(visible, c.expect.visible, `${c.name}: visible groups`);
      }
    }
  });
}
