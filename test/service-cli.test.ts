/**
 * `ess-authz serve` as a real process: starts in an empty directory with no set-up (the bundled example),
 * prints its URL, reloads on SIGHUP, stops on SIGTERM, and refuses a configuration whose policy has Errors.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { typescriptLoaderArgs } from "./helpers/child-env.js";
import { ACCOUNT, client, eventually, failure, KEYS, POLICIES, REPO, tempDir, writeConfig } from "./helpers/service.js";

/**
 * Runs the serve command in a child process the way the CLI does (commander, InputError → exit 2). Modules are
 * imported by absolute URL: the process runs in an empty temporary directory.
 */
const RUNNER = `
import { Command } from ${JSON.stringify(import.meta.resolve("commander"))};
import { registerServe } from ${JSON.stringify(join(REPO, "src/cli/serve.ts"))};
import { InputError, processIo } from ${JSON.stringify(join(REPO, "src/cli/io.ts"))};
const program = new Command("ess-authz");
registerServe(program, processIo, (code) => { process.exitCode = code; });
try {
  await program.parseAsync(process.argv.slice(1), { from: "user" });
} catch (e) {
  if (!(e instanceof InputError)) throw e;
  process.stderr.write("ess-authz: " + e.message + "\\n");
  process.exitCode = 2;
}
`;

interface Served {
  readonly child: ChildProcess;
  readonly url: Promise<string>;
  readonly exit: Promise<number | null>;
  stderr(): string;
}

function serveProcess(t: { teardown(fn: () => unknown): void }, cwd: string, args: string[]): Served {
  const child = spawn(process.execPath, [...typescriptLoaderArgs(), "--input-type=module", "-e", RUNNER, "serve", ...args], {
    cwd,
    env: { ...process.env, NODE_OPTIONS: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const url = new Promise<string>((found, fail) => {
    const timer = setTimeout(() => fail(new Error(`no URL within 30 s; stderr: ${err}`)), 30_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        found(m[1]!);
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      fail(new Error(`exited before serving; stderr: ${err}`));
    });
  });
  url.catch(() => undefined);
  return { child, url, exit, stderr: () => err };
}

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
