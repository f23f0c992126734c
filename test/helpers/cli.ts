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
