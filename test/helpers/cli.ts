import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/main.js";
import type { Io } from "../../src/cli/io.js";

/** Runs the CLI in-process from the repository root and captures its output. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { cwd: process.cwd(), stdout: (s) => void (out += s), stderr: (s) => void (err += s) };
  const code = await runCli(argv, io);
  return { code, out, err };
}

/** The built bin (`npx tsc -p tsconfig.json` first), as npm links it. */
export const BUILT_BIN = fileURLToPath(new URL("../../dist/cli/bin.js", import.meta.url));

/**
 * Runs the built CLI as a real process, as a CI job does: exit code, standard streams, the bin entry itself.
 * `bin` runs another copy of it (a package copied elsewhere).
 */
export function cliProcess(
  args: readonly string[],
  options: { cwd?: string; stdin?: string; bin?: string } = {},
): Promise<{ code: number; out: string; err: string }> {
  const bin = options.bin ?? BUILT_BIN;
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (npx tsc -p tsconfig.json)`);
  return new Promise((done, fail) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { cwd: options.cwd ?? process.cwd(), env: { ...process.env, NODE_OPTIONS: "" }, encoding: "utf8", maxBuffer: 1 << 26 },
      (error, out, err) => {
        const code = error ? error.code : 0;
        if (typeof code === "number") done({ code, out, err });
        else fail(error ?? new Error("no exit code"));
      },
    );
    child.stdin!.end(options.stdin ?? "");
  });
}
