// Shape checks for policies/ and fixtures/: every file parses, every reference resolves, every scenarios.md
// bullet has a case. Nothing here evaluates a policy; expectations are data (see fixtures/README.md).
import t from "tap";
import type { Test } from "tap";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import jsonpatch from "fast-json-patch";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SUITES_DIR = join(ROOT, "fixtures", "suites");
const REQUESTS_DIR = join(ROOT, "fixtures", "requests");
const POLICIES_DIR = join(ROOT, "policies");
const ORIGINALS_DIR = join(POLICIES_DIR, "guide-originals");

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObj = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
const rel = (p: string) => relative(ROOT, p);

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, "utf8")) as Json;
}

/** Canonical form: 2-space JSON.stringify plus a newline. Also catches duplicate keys (JSON.parse would drop one). */
function isCanonical(path: string): boolean {
  const text = readFileSync(path, "utf8");
  return JSON.stringify(JSON.parse(text), null, 2) + "\n" === text;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => join(dir, f));
}

function statementsOf(policy: Json): Json[] {
  return isObj(policy) && Array.isArray(policy.Statement) ? policy.Statement : [];
}

/** RFC 6901 pointer → [parent, last key]; undefined when it does not resolve. */
function resolvePointer(doc: Json, pointer: string): { parent: Json; key: string } | undefined {
  const parts = pointer.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let cur: Json = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i]!;
    if (Array.isArray(cur)) cur = cur[Number(k)] as Json;
    else if (isObj(cur)) cur = cur[k] as Json;
    else return undefined;
    if (cur === undefined) return undefined;
  }
  const key = parts[parts.length - 1]!;
  if (Array.isArray(cur) ? Number(key) < cur.length : isObj(cur) && key in cur) return { parent: cur, key };
  return undefined;
}

// --------------------------------------------------------------------------------------------- the bullets
/** Every scenarios.md bullet case, by request file name, with the suite that must hold it. */
const REQUIRED: Record<string, string[]> = {
  t1: ["t1-create-with-both-tags", "t1-create-extra-tags", "t1-create-no-tags", "t1-create-one-tag", "t1-create-env-dev"],
  t2: ["t2-describe-by-tags", "t2-describe-no-tags"],
  t3: ["t3-delete-group1", "t3-delete-group2", "t3-delete-untagged", "t3-describe-regions", "t3-create-group",
    "t3-describe-groups-no-ids"],
  r1: ["r1-describe-group1", "r1-modify-group1", "r1-delete-group1", "r1-describe-group2", "r1-modify-group2",
    "r1-delete-group2", "r1-delete-rule-of-group1"],
  r2: ["r2-create-hangzhou", "r2-create-beijing", "r2-create-shanghai", "r2-describe-regions"],
};
const SCENARIO_POLICIES = ["t1-create-tagged-only", "t2-describe-group1-by-tag", "t3-operate-group1-by-tag",
  "r1-group1-by-arn", "r2-create-in-hangzhou", "admin"];
const ORIGINALS = ["t1-create-tagged-only", "t2-describe-group1-by-tag", "t3-operate-group1-by-tag", "r1-group1-by-arn"];

// --------------------------------------------------------------------------------------------- policies
t.test("policies: fixed forms and guide originals", async (t) => {
  for (const name of SCENARIO_POLICIES) {
    const p = join(POLICIES_DIR, `${name}.json`);
    t.ok(existsSync(p), `${rel(p)} exists`);
  }
  for (const name of ORIGINALS) {
    const p = join(ORIGINALS_DIR, `${name}.original.json`);
    t.ok(existsSync(p), `${rel(p)} exists`);
  }
  for (const p of [...jsonFiles(POLICIES_DIR), ...jsonFiles(ORIGINALS_DIR)]) {
    const doc = readJson(p);
    t.ok(isCanonical(p), `${rel(p)} is pretty-printed with 2-space indent, no duplicate keys`);
    t.ok(isObj(doc) && doc.Version === "1", `${rel(p)} has Version "1"`);
    t.ok(statementsOf(doc).length > 0, `${rel(p)} has a non-empty Statement array`);
  }
});

t.test("guide originals: expected findings resolve and fixes lead to the fixed form", async (t) => {
  const readme = readFileSync(join(ORIGINALS_DIR, "README.md"), "utf8");
  const expected = readJson(new URL("./fixtures/guide-originals.expected-findings.json", import.meta.url).pathname);
  t.ok(isObj(expected) && Array.isArray(expected.findings), "expected-findings.json has findings[]");
  const findings = (isObj(expected) && Array.isArray(expected.findings) ? expected.findings : []) as Record<string, Json>[];
  const files = new Set(findings.map((f) => f.file as string));
  for (const name of ORIGINALS) {
    t.ok(files.has(`${name}.original.json`), `${name}.original.json has expected findings`);
    t.match(readme, `${name}.original.json`, `README.md documents ${name}.original.json`);
  }
  for (const f of findings) {
    const file = join(ORIGINALS_DIR, f.file as string);
    t.ok(existsSync(file), `${f.file} exists`);
    if (!existsSync(file)) continue;
    const doc = readJson(file);
    const at = resolvePointer(doc, f.path as string);
    t.ok(at, `${f.file} ${f.path} resolves`);
    if (at) {
      const { parent, key } = at;
      const actual = f.at === "key" ? key : Array.isArray(parent) ? parent[Number(key)] : (parent as Record<string, Json>)[key];
      t.equal(actual, f.text, `${f.file} ${f.path} holds ${JSON.stringify(f.text)}`);
    }
    t.match(readme, "`" + (f.path as string) + "`", `README.md lists ${f.file} ${f.path}`);
    t.ok(f.severity === null || ["Error", "SecurityWarning", "Warning", "Suggestion"].includes(f.severity as string),
      `${f.file} ${f.path} severity is valid`);
  }
  // T1–T3: applying the fixes of the typos (not of the mistakes the fixed form keeps) gives the fixed policy.
  for (const name of ["t1-create-tagged-only", "t2-describe-group1-by-tag", "t3-operate-group1-by-tag"]) {
    const original = readJson(join(ORIGINALS_DIR, `${name}.original.json`));
    const patch = findings
      .filter((f) => f.file === `${name}.original.json` && f.inFixedForm === false)
      .flatMap((f) => (Array.isArray(f.fix) ? f.fix : [])) as unknown as jsonpatch.Operation[];
    const fixed = jsonpatch.applyPatch(structuredClone(original), patch, true, false).newDocument;
    t.same(fixed, readJson(join(POLICIES_DIR, `${name}.json`)), `${name}: original + fixes = fixed form`);
  }
});

// --------------------------------------------------------------------------------------------- requests
function checkRequest(t: Test, path: string): Record<string, Json> | undefined {
  t.ok(existsSync(path), `${rel(path)} exists`);
  if (!existsSync(path)) return undefined;
  let req: Json;
  try {
    req = readJson(path);
  } catch (e) {
    t.fail(`${rel(path)} is valid JSON: ${(e as Error).message}`);
    return undefined;
  }
  t.ok(isCanonical(path), `${rel(path)} is pretty-printed`);
  if (!isObj(req)) {
    t.fail(`${rel(path)} is an object`);
    return undefined;
  }
  t.match(req.account, /^\d{16}$/, `${rel(path)} has account`);
  const params = req.params;
  t.ok(isObj(params), `${rel(path)} has params`);
  if (!isObj(params)) return req;
  t.match(params.Action, /^[A-Z][A-Za-z]+$/, `${rel(path)} has params.Action`);
  t.ok(params.Version === "2014-08-28" || params.Version === "2022-02-22", `${rel(path)} has params.Version`);
  t.match(params.RegionId, /^[a-z]{2}-[a-z0-9-]+$/, `${rel(path)} has params.RegionId`);
  for (const [k, v] of Object.entries(params)) {
    t.equal(typeof v, "string", `${rel(path)} params.${k} is a wire string`);
  }
  // Wire forms per version (ESS catalog §5).
  const keys = Object.keys(params);
  const wrong = params.Version === "2014-08-28"
    ? keys.filter((k) => /^(Tags|ScalingGroupIds|ResourceIds|TagKeys|InstanceIds|RemovalPolicies)\./.test(k))
    : keys.filter((k) => /^(Tag|ScalingGroupId|ResourceId|TagKey|InstanceId|RemovalPolicy)\.\d/.test(k));
  t.same(wrong, [], `${rel(path)} uses the ${params.Version} list-parameter names`);
  if (isObj(req.context)) {
    for (const [k, v] of Object.entries(req.context)) t.equal(typeof v, "string", `${rel(path)} context ${k} is a string`);
  }
  const store = req.store;
  t.ok(isObj(store) && Array.isArray(store.scalingGroups), `${rel(path)} has store.scalingGroups`);
  if (isObj(store) && Array.isArray(store.scalingGroups)) {
    for (const g of store.scalingGroups) {
      t.ok(isObj(g) && typeof g.ScalingGroupId === "string" && /^asg-[a-z0-9]{20}$/.test(g.ScalingGroupId)
        && typeof g.RegionId === "string" && isObj(g.Tags), `${rel(path)} store group ${isObj(g) ? g.ScalingGroupId : "?"} is well-formed`);
    }
  }
  return req;
}

t.test("every request file is well-formed", async (t) => {
  for (const p of jsonFiles(REQUESTS_DIR)) checkRequest(t, p);
});

// --------------------------------------------------------------------------------------------- suites
t.test("suites", async (t) => {
  const suiteFiles = jsonFiles(SUITES_DIR);
  t.same(suiteFiles.map((p) => basename(p)).sort(), Object.keys(REQUIRED).map((s) => `${s}.suite.json`).sort(),
    "one suite per scenario");
  const referencedRequests = new Set<string>();

  for (const suitePath of suiteFiles) {
    const id = basename(suitePath, ".suite.json");
    await t.test(rel(suitePath), async (t) => {
      const suite = readJson(suitePath);
      t.ok(isCanonical(suitePath), "pretty-printed");
      if (!isObj(suite)) return t.fail("suite is an object");
      t.type(suite.name, "string", "has a name");
      t.ok(Array.isArray(suite.policies) && suite.policies.length > 0, "has policies");
      t.ok(Array.isArray(suite.cases) && suite.cases.length > 0, "has cases");

      const policies = new Map<string, Json>();
      for (const ref of (Array.isArray(suite.policies) ? suite.policies : []) as string[]) {
        const p = resolve(dirname(suitePath), ref);
        t.ok(existsSync(p), `policy ${ref} exists`);
        if (!existsSync(p)) continue;
        policies.set(basename(p, ".json"), readJson(p));
      }

      const names = new Set<string>();
      const requestNames = new Set<string>();
      for (const c of (Array.isArray(suite.cases) ? suite.cases : []) as Record<string, Json>[]) {
        const label = String(c.name);
        t.type(c.name, "string", "case has a name");
        t.notOk(names.has(label), `case name is unique: ${label}`);
        names.add(label);
        t.type(c.source, "string", `${label}: has a source`);
        const reqPath = resolve(dirname(suitePath), String(c.request));
        requestNames.add(basename(reqPath, ".json"));
        referencedRequests.add(reqPath);
        const req = checkRequest(t, reqPath);

        const expect = c.expect;
        if (!isObj(expect)) {
          t.fail(`${label}: has expect`);
          continue;
        }
        t.ok(["Allow", "ExplicitDeny", "ImplicitDeny"].includes(expect.decision as string), `${label}: decision is valid`);
        t.same(Object.keys(expect).filter((k) => !["decision", "determining", "visible"].includes(k)), [],
          `${label}: expect has only decision/determining/visible`);

        if (expect.decision === "ImplicitDeny") {
          t.equal(expect.determining, undefined, `${label}: no determining for ImplicitDeny`);
        } else {
          t.ok(Array.isArray(expect.determining) && expect.determining.length > 0, `${label}: has determining`);
          for (const d of (Array.isArray(expect.determining) ? expect.determining : []) as Record<string, Json>[]) {
            const policy = policies.get(String(d.policy));
            t.ok(policy, `${label}: determining policy ${d.policy} is one of the suite's policies`);
            const stmt = statementsOf(policy ?? null)[Number(d.statement)];
            t.ok(Number.isInteger(d.statement) && isObj(stmt), `${label}: statement ${d.statement} exists`);
            const effect = expect.decision === "Allow" ? "Allow" : "Deny";
            t.equal(isObj(stmt) ? stmt.Effect : undefined, effect, `${label}: determining statement is an ${effect}`);
          }
        }

        if (expect.visible !== undefined) {
          t.equal(expect.decision, "Allow", `${label}: visible only on an Allow`);
          const params = req && isObj(req.params) ? req.params : {};
          t.equal(params.Action, "DescribeScalingGroups", `${label}: visible only on a list call`);
          const store = req && isObj(req.store) && Array.isArray(req.store.scalingGroups) ? req.store.scalingGroups : [];
          const ids = store.map((g) => (isObj(g) ? g.ScalingGroupId : undefined));
          t.ok(Array.isArray(expect.visible), `${label}: visible is an array`);
          for (const v of (Array.isArray(expect.visible) ? expect.visible : [])) {
            t.ok(ids.includes(v), `${label}: visible ${String(v)} is in the store`);
          }
        }
      }

      for (const required of REQUIRED[id] ?? []) {
        t.ok(requestNames.has(required), `scenarios.md bullet case ${required} is present`);
      }
    });
  }

  // No orphan request files: every request belongs to a case.
  for (const p of jsonFiles(REQUESTS_DIR)) {
    t.ok(referencedRequests.has(p), `${rel(p)} is used by a suite`);
  }
});

t.test("both API versions are covered", async (t) => {
  const versions = new Set(jsonFiles(REQUESTS_DIR).map((p) => {
    const r = readJson(p);
    return isObj(r) && isObj(r.params) ? r.params.Version : undefined;
  }));
  t.ok(versions.has("2014-08-28"), "some requests use 2014-08-28");
  t.ok(versions.has("2022-02-22"), "some requests use 2022-02-22");
});
