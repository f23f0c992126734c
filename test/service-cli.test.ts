/**
 * `ess-authz serve` as a real process: starts in an empty directory with no set-up (the bundled example),
 * prints its URL, reloads on SIGHUP, stops on SIGTERM, and refuses a configuration whose policy has Errors.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { serveProcess } from "./helpers/serve-process.js";
import { ACCOUNT, client, eventually, failure, KEYS, POLICIES, REPO, tempDir, writeConfig } from "./helpers/service.js";

t.test("starts with no set-up, prints its URL, stops on SIGTERM", async (t) => {
  const cwd = tempDir(t);
  const served = serveProcess(t, cwd, ["--port", "0"]);
  const url = await served.url;
  const groups = await client(url, KEYS.admin).request<{ TotalCount: number }>("DescribeScalingGroups", { RegionId: "cn-hangzhou" });
  t.equal(groups.TotalCount, 3, "the example principals and the scenario groups");
  t.ok(existsSync(join(cwd, "data", "ess-authz.db")), "the default database under ./data/");
  served.child.kill("SIGTERM");
  t.equal(await served.exit, 0);
});

t.test("SIGHUP reloads the configuration", async (t) => {
  const dir = tempDir(t);
  const user = (policy: string) => ({
    account: ACCOUNT,
    users: [{ name: "alice", accessKeyId: KEYS.alice[0], accessKeySecret: KEYS.alice[1], policies: [join(POLICIES, policy)] }],
  });
  const configFile = writeConfig(dir, user("t1-create-tagged-only.json"));
  const served = serveProcess(t, dir, ["--config", configFile, "--db", ":memory:", "--watch-interval", "0"]);
  const alice = client(await served.url, KEYS.alice);
  t.equal((await failure(alice.request("DescribeRegions", {}))).code, "Forbidden.Unauthorized");
  writeConfig(dir, user("admin.json"));
  served.child.kill("SIGHUP");
  const allowed = () => alice.request("DescribeRegions", {}).then(() => true, () => false);
  t.ok(await eventually(allowed), "the new policy applies after SIGHUP");
  served.child.kill("SIGTERM");
  t.equal(await served.exit, 0);
  t.same(readdirSync(dir).filter((f) => f.includes("memory")), [], "--db :memory: is a throw-away store, not a file");
});

t.test("a policy with Errors stops the start, with the lint findings", async (t) => {
  const dir = tempDir(t);
  const bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:Describle*", Resource: "*" }] }));
  const configFile = writeConfig(dir, { account: ACCOUNT, users: [{ name: "u", accessKeyId: "AKIDU0001", accessKeySecret: "s", policies: ["bad.json"] }] });
  const served = serveProcess(t, dir, ["--config", configFile, "--db", join(dir, "ess.db")]);
  t.equal(await served.exit, 2);
  t.match(served.stderr(), /bad\.json:1:\d+ Error action-unknown "ess:Describle\*"/);
  t.notMatch(served.stderr(), /\n\s+at /, "no stack trace");
});

t.test("a --db file that can't be created is a usage error that names it, at once (Node's recursive mkdir would spin)", { skip: existsSync("/proc/1") ? false : "needs Linux's /proc" }, async (t) => {
  // /proc/1 exists but takes no new entries: mkdir of /proc/1/x is ENOENT however often it is retried.
  const cases = [
    ["/proc/1/x/ess.db", /--db \/proc\/1\/x\/ess\.db: cannot create the directory \/proc\/1\/x \(ENOENT\)/],
    ["/proc/self/ess.db", /--db \/proc\/self\/ess\.db: unable to open database file/],
  ] as const;
  for (const [db, message] of cases) {
    const served = serveProcess(t, tempDir(t), ["--port", "0", "--db", db]);
    t.equal(await served.exit, 2, db);
    t.match(served.stderr(), message);
    t.notMatch(served.stderr(), /internal error/);
  }
});
