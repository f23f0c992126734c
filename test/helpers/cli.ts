import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/main.js";
import type { Io } from "../../src/cli/io.js";

/** Runs the CLI in-process (from the repository root unless `cwd` is given) and captures its output. */
export async function cliIn(argv: readonly string[], options: { cwd?: string; stdin?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = {
    cwd: options.cwd ?? process.cwd(),
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    ...(options.stdin === undefined ? {} : { readStdin: () => options.stdin! }),
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

export const cli = (...argv: string[]): Promise<{ code: number; out: string; err: string }> => cliIn(argv);

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

/** A fresh folder holding the given files (path → text). */
export function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ess-authz-ci-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** The guide's originals of T2 (a dead `ess:Describle*` Allow: one Error) and R1 (1 security warning, 3 warnings). */
export const T2_ORIGINAL = readFileSync(join(REPO, "policies", "guide-originals", "t2-describe-group1-by-tag.original.json"), "utf8");
export const R1_ORIGINAL = readFileSync(join(REPO, "policies", "guide-originals", "r1-group1-by-arn.original.json"), "utf8");
