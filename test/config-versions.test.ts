/**
 * Configuration versions in the database (`config push|show|history`, `serve --db` without `--config`), over
 * SQLite and the real PostgreSQL (a schema per run): what a push stores and refuses, racing pushes, and
 * replicas switching to a pushed version — whole, or not at all.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import t from "tap";
import { watchStoredConfig } from "../src/service/config-source.js";
import { ConfigVersions, bundleConfigFile } from "../src/service/config-versions.js";
import { startService, type RunningService } from "../src/service/server.js";
import { typescriptLoaderArgs } from "./helpers/child-env.js";
import { serveProcess } from "./helpers/serve-process.js";
import { cliIn } from "./helpers/cli.js";
import { ACCOUNT, REPO, sendV1, tempDir, type LogLine } from "./helpers/service.js";
import { testPostgres, type TestPostgres } from "./helpers/servers.js";

/** What a backend needs of a test: a teardown, and a skip when its server is unreachable (root or subtest alike). */
type Test = Pick<typeof t, "teardown" | "skip" | "comment">;

/** Not the bundled example's secret for this key: a service serving the example could not verify her signature. */
const ALICE = ["AKIDALICE0001", "s3cr3t-alice-pushed"] as const;
const HZ = { RegionId: "cn-hangzhou" };

const allow = (...actions: string[]) => ({ Version: "1", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] });

/**
 * Writes a folder `name` holding a config whose user alice has one policy, `policy.json`; returns the config's
 * path. `extra` adds to the config document (another user, say); `files` adds files beside it.
 */
function writeVersion(dir: string, name: string, policy: unknown, extra: Record<string, unknown> = {}, files: Record<string, unknown> = {}): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "policy.json"), JSON.stringify(policy, null, 2));
  for (const [file, content] of Object.entries(files)) writeFileSync(join(folder, file), JSON.stringify(content, null, 2));
  const config = { account: ACCOUNT, users: [{ name: "alice", accessKeyId: ALICE[0], accessKeySecret: ALICE[1], policies: ["policy.json"] }], ...extra };
  const file = join(folder, "config.json");
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return file;
}

/** A database target per backend: a fresh SQLite file, or this run's PostgreSQL schema (undefined: skipped). */
const BACKENDS: Record<string, (t: Test) => Promise<{ target: string; pg?: TestPostgres } | undefined>> = {
  sqlite: async (t) => ({ target: join(tempDir(t), "ess.db") }),
  postgres: async (t) => {
    const pg = await testPostgres(t);
    return pg && { target: pg.url, pg };
  },
};

const history = async (target: string): Promise<{ version: number; fingerprint: string; pushedBy: string; principals: number; policies: number }[]> => {
  const r = await cliIn(["config", "history", "--db", target, "--format", "json"]);
  return r.code === 0 ? JSON.parse(r.out) : [];
};

/** Checks `holds` up to `attempts` times, 50 ms apart; whether it came to hold. */
async function within(attempts: number, holds: () => Promise<boolean> | boolean): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await holds()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

for (const [backend, open] of Object.entries(BACKENDS)) {
  t.test(`${backend}: push, show and history; a refused push stores nothing`, async (t) => {
    const db = await open(t);
    if (!db) return;
    const dir = tempDir(t);
    const first = writeVersion(dir, "a", allow("ess:DescribeScalingGroups"));
    const second = writeVersion(dir, "b", allow("ess:DescribeRegions"));

    const pushed = await cliIn(["config", "push", "--db", db.target, first, "--by", "tester"]);
    t.equal(pushed.code, 0, pushed.err);
    t.match(pushed.out, /^pushed version 1 /);
    const again = await cliIn(["config", "push", "--db", db.target, first]);
    t.equal(again.code, 0, again.err);
    t.match(again.out, /^unchanged: version 1 /, "the same files again store nothing");
    t.equal((await cliIn(["config", "push", "--db", db.target, second, "--format", "json"])).out.includes('"version": 2'), true, "different files are the next version");

    const versions = await history(db.target);
    t.same(
      versions.map((v) => [v.version, v.pushedBy, v.principals, v.policies]),
      [
        [1, "tester", 1, 1],
        [2, versions[1]?.pushedBy, 1, 1],
      ],
    );
    t.not(versions[0]?.fingerprint, versions[1]?.fingerprint);
    t.match((await cliIn(["config", "history", "--db", db.target])).out, /^version\s+pushed at\s+pushed by[^\n]*\n1\s+\S+Z\s+tester\s/);

    const newest = await cliIn(["config", "show", "--db", db.target]);
    t.equal(newest.code, 0, newest.err);
    const shown = JSON.parse(newest.out);
    t.equal(shown.version, 2);
    t.same(shown.policyFiles["policy.json"], allow("ess:DescribeRegions"), "the policy as pushed");
    t.equal(shown.document.users[0].accessKeySecret, "(redacted)");
    t.notOk(newest.out.includes(ALICE[1]), "secrets are not shown by default");
    const revealed = await cliIn(["config", "show", "--db", db.target, "--version", "1", "--reveal-secrets"]);
    t.equal(JSON.parse(revealed.out).document.users[0].accessKeySecret, ALICE[1]);
    t.same(JSON.parse(revealed.out).policyFiles["policy.json"], allow("ess:DescribeScalingGroups"));
    t.equal((await cliIn(["config", "show", "--db", db.target, "--version", "9"])).code, 2, "a version that does not exist");

    const broken = writeVersion(dir, "broken", { Version: "1", Statement: [{ Effect: "Allow", Action: "ess>Create*", Resource: "*" }] });
    const refused = await cliIn(["config", "push", "--db", db.target, broken]);
    t.equal(refused.code, 2, "a policy with an Error refuses the push");
    t.match(refused.err, /refused, nothing was pushed/);
    t.match(refused.err, /broken\/policy\.json:\d+:\d+ Error action-malformed/, "the finding with its position");
    const missing = writeVersion(dir, "missing", allow("ess:DescribeRegions"), { groups: [{ name: "g", policies: ["absent.json"] }] });
    t.equal((await cliIn(["config", "push", "--db", db.target, missing])).code, 2, "a policy file that cannot be read refuses the push");
    t.same(await history(db.target), versions, "nothing changed");
  });

  t.test(`${backend}: pushes racing get distinct versions`, async (t) => {
    const db = await open(t);
    if (!db) return;
    const dir = tempDir(t);
    const files = ["ess:DescribeRegions", "ess:DescribeScalingGroups", "ess:CreateScalingGroup"].map((action, i) => writeVersion(dir, `v${i}`, allow(action)));
    // Separate processes, as CI jobs would be; each opens the table afresh, so creating it races too.
    const codes = await Promise.all(
      files.map(
        (file) =>
          new Promise<number | null>((done) => {
            const child = spawn(process.execPath, [...typescriptLoaderArgs(), join(REPO, "src/cli/bin.ts"), "config", "push", "--db", db.target, file], { stdio: "ignore" });
            child.once("exit", done);
          }),
      ),
    );
    t.same(codes, [0, 0, 0]);
    const versions = await history(db.target);
    t.same(
      versions.map((v) => v.version),
      [1, 2, 3],
    );
    t.equal(new Set(versions.map((v) => v.fingerprint)).size, 3, "each push is its own version");
  });
}

t.test("postgres: pushes racing in one process, over separate connections", async (t) => {
  const pg = await testPostgres(t);
  if (!pg) return;
  const dir = tempDir(t);
  const handles = await Promise.all([ConfigVersions.open(pg.url), ConfigVersions.open(pg.url)]);
  t.teardown(() => Promise.all(handles.map((h) => h.close())));
  const bundles = Array.from({ length: 8 }, (_, i) => bundleConfigFile(writeVersion(dir, `v${i}`, allow("ess:DescribeRegions"), { service: { hostId: `host-${i}` } })));
  const results = await Promise.all(bundles.map(({ bundle, loaded }, i) => handles[i % 2]!.push(bundle, loaded, "test")));
  t.same(results.map((r) => r.version).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
  t.ok(results.every((r) => r.created));
});

/** A service on the database `target`, serving the configuration stored there, with its log. */
async function replica(t: Test, target: string): Promise<{ service: RunningService; logs: LogLine[] }> {
  const logs: LogLine[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const service = await startService({ dbFile: target, port: 0, logger, watchIntervalMs: 50 });
  t.teardown(() => service.close());
  return { service, logs };
}

const allowed = async (url: string, action: string): Promise<number> => (await sendV1(url, { key: ALICE, params: { Action: action, ...HZ } })).status;

/** Stores version `next` as a copy of version `of` whose policy texts were edited in the database, not pushed. */
async function tamper(db: { target: string; pg?: TestPostgres }, of: number, next: number): Promise<void> {
  const copy = (table: string) =>
    `insert into ${table} select ${next}, pushed_at, pushed_by, fingerprint, account, principals, policies, replace(bundle, 'ess:DescribeRegions', 'ess:*') from ${table} where version = ${of}`;
  if (db.pg) {
    await db.pg.pool.query(copy(`${db.pg.schema}.config_versions`));
    return;
  }
  const sqlite = new Database(db.target);
  sqlite.prepare(copy("config_versions")).run();
  sqlite.close();
}

for (const [backend, open] of Object.entries(BACKENDS)) t.test(`${backend}: two replicas switch to a pushed version, and never to one they cannot load`, async (t) => {
  const db = await open(t);
  if (!db) return;
  const dir = tempDir(t);
  const { target } = db;
  const describeOnly = writeVersion(dir, "a", allow("ess:DescribeScalingGroups"));
  t.equal((await cliIn(["config", "push", "--db", target, describeOnly])).code, 0);
  const replicas = [await replica(t, target), await replica(t, target)];
  const urls = replicas.map((r) => r.service.url);
  const statuses = (action: string): Promise<number[]> => Promise.all(urls.map((url) => allowed(url, action)));
  t.same(await statuses("DescribeScalingGroups"), [200, 200], "version 1 allows describing groups");
  t.same(await statuses("DescribeRegions"), [403, 403], "and nothing else");

  t.equal((await cliIn(["config", "push", "--db", target, writeVersion(dir, "b", allow("ess:DescribeRegions"))])).code, 0);
  t.ok(await within(200, async () => (await statuses("DescribeRegions")).every((s) => s === 200)), "version 2 is served by both: what was denied is allowed");
  t.same(await statuses("DescribeScalingGroups"), [403, 403], "and what was allowed is denied");

  // Valid on its own, so the push takes it; but a running replica cannot change its account. The same version
  // also widens alice: served half, she would gain ess:*.
  const otherAccount = writeVersion(dir, "c", allow("ess:*"), { account: "1111111111111111" });
  t.equal((await cliIn(["config", "push", "--db", target, otherAccount])).code, 0);
  for (const { logs } of replicas) {
    t.ok(await within(200, () => logs.some((l) => l.msg.startsWith("configuration version rejected") && l["configVersion"] === 3)), "the version is refused and logged");
  }
  t.same(await statuses("DescribeScalingGroups"), [403, 403], "version 2 stays in force, wholly");
  t.same(await statuses("DescribeRegions"), [200, 200]);

  // A stored version whose files no longer match its fingerprint (edited in the database) is refused too.
  await tamper(db, 2, 4);
  for (const { logs } of replicas) {
    t.ok(await within(200, () => logs.some((l) => l.msg.startsWith("configuration version rejected") && l["configVersion"] === 4)), "a tampered version is refused");
  }
  t.same(await statuses("DescribeScalingGroups"), [403, 403], "and nothing of it is served");

  t.equal((await cliIn(["config", "push", "--db", target, describeOnly])).code, 0, "the first files again: a new version");
  t.ok(await within(200, async () => (await statuses("DescribeScalingGroups")).every((s) => s === 200)), "a good version after refused ones is served");
  t.same(await statuses("DescribeRegions"), [403, 403]);
  t.equal(await replicas[0]!.service.reload(), true, "an explicit reload finds nothing newer and keeps it");
});

t.test("serve --db without --config: the stored version, or no start when there is none", async (t) => {
  const dir = tempDir(t);
  const target = join(dir, "empty.db");
  const r = await cliIn(["serve", "--db", target]);
  t.equal(r.code, 2);
  t.match(r.err, /holds no configuration: push one with `ess-authz config push --db/);
});

t.test("postgres: replicas hear a push by NOTIFY, not only by polling", async (t) => {
  const pg = await testPostgres(t);
  if (!pg) return;
  const dir = tempDir(t);
  t.equal((await cliIn(["config", "push", "--db", pg.url, writeVersion(dir, "a", allow("ess:DescribeScalingGroups"))])).code, 0);
  const log = pino({ enabled: false });
  // An hour between polls: within the attempts below, only the notification can bring the new version.
  const sources = await Promise.all([watchStoredConfig(pg.url, log, 3_600_000), watchStoredConfig(pg.url, log, 3_600_000)]);
  t.teardown(() => Promise.all(sources.map((s) => s.close())));
  const second = writeVersion(dir, "b", allow("ess:DescribeRegions"));
  const pushed = await cliIn(["config", "push", "--db", pg.url, second, "--format", "json"]);
  const { fingerprint } = JSON.parse(pushed.out) as { fingerprint: string };
  t.ok(await within(200, () => sources.every((s) => s.directory.config.fingerprint === fingerprint)), "both switched");
});

t.test("postgres: two serve processes started with --db and no --config switch together", async (t) => {
  const pg = await testPostgres(t);
  if (!pg) return;
  const dir = tempDir(t);
  t.equal((await cliIn(["config", "push", "--db", pg.url, writeVersion(dir, "a", allow("ess:DescribeScalingGroups"))])).code, 0);
  const served = [serveProcess(t, dir, ["--db", pg.url]), serveProcess(t, dir, ["--db", pg.url])];
  const urls = await Promise.all(served.map((s) => s.url));
  const statuses = (action: string): Promise<number[]> => Promise.all(urls.map((url) => allowed(url, action)));
  t.same(await statuses("DescribeScalingGroups"), [200, 200], "the pushed version is served, not the bundled example");
  t.same(await statuses("DescribeRegions"), [403, 403]);
  t.equal((await cliIn(["config", "push", "--db", pg.url, writeVersion(dir, "b", allow("ess:DescribeRegions"))])).code, 0);
  t.ok(await within(200, async () => (await statuses("DescribeRegions")).every((s) => s === 200)), "both serve the new version");
  t.same(await statuses("DescribeScalingGroups"), [403, 403]);
  for (const s of served) s.child.kill("SIGTERM");
  t.same(await Promise.all(served.map((s) => s.exit)), [0, 0]);
});
