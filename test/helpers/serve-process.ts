/**
 * `ess-authz serve` as a real child process, for the suites that test the command or several replicas.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { typescriptLoaderArgs } from "./child-env.js";
import { REPO } from "./service.js";

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

export interface Served {
  readonly child: ChildProcess;
  readonly url: Promise<string>;
  readonly exit: Promise<number | null>;
  stderr(): string;
}

export function serveProcess(t: { teardown(fn: () => unknown): void }, cwd: string, args: string[]): Served {
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
    // Generous: a loaded CI machine compiles the TypeScript sources in every child.
    const timer = setTimeout(() => fail(new Error(`no URL within 90 s; stderr: ${err}`)), 90_000);
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


/**
 * A replica started and serving: one after the other, since two children compiling the sources at once can
 * starve a loaded machine.
 */
export async function servingReplica(t: { teardown(fn: () => unknown): void }, cwd: string, args: string[]): Promise<[Served, string]> {
  const served = serveProcess(t, cwd, args);
  return [served, await served.url];
}
