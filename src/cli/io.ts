import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** The process edges a command touches, injectable so commands are testable in-process. */
export interface Io {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin?(): string;
}

export const processIo: Io = {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readFileSync(0, "utf8"),
};

/** Exit codes shared by the commands. */
export const EXIT = { ok: 0, denied: 1, invalid: 2 } as const;

/** Input the user must fix: printed as `file:line:col message`, exit 2, never a stack trace. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

export function readText(io: Io, path: string): string {
  try {
    return readFileSync(resolve(io.cwd, path), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot read file${code ? ` (${code})` : ""}`);
  }
}
