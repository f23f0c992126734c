import { readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, posix, relative, resolve, sep } from "node:path";
import micromatch from "micromatch";

/** A document to lint, named as the user will see it. */
export interface LintInput {
  readonly file: string;
  readonly text: string;
  /** The command-line path it came from. */
  readonly from: string;
  /** Named on the command line (or `-`), not found in a folder. */
  readonly explicit: boolean;
}

export interface Unreadable {
  readonly path: string;
  readonly reason: string;
}

export interface InputSource {
  readonly cwd: string;
  readStdin?(): string;
}

/** The name findings carry for `-`. */
export const STDIN_NAME = "<stdin>";

/** Folders contribute every `*.json` below them (or the given pattern); hidden entries, node_modules and dist are skipped. */
const POLICY_FILES = "**/*.json";

const SKIPPED_FOLDERS = new Set(["node_modules", "dist"]);

/** Files below `dir`; a sub-folder that cannot be listed is reported and skipped. */
function walk(dir: string, onError: (dir: string, e: unknown) => void): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    onError(dir, e);
    return [];
  }
  // Symbolic links to files are followed (a broken one is reported when read); links to folders are not, so no cycle.
  return entries
    .filter((e) => !e.name.startsWith(".") && !(e.isDirectory() && SKIPPED_FOLDERS.has(e.name)))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), onError) : e.isFile() || e.isSymbolicLink() ? [join(dir, e.name)] : []));
}

const toPosix = (p: string): string => p.split(sep).join(posix.sep);

const reasonOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));

/**
 * Expands the command-line paths: files as given, folders to their `*.json` files (sorted), `-` to standard
 * input. A path that cannot be read is reported, never fatal to the others.
 */
export function collectInputs(
  paths: readonly string[],
  io: InputSource,
  pattern: string = POLICY_FILES,
): { inputs: LintInput[]; unreadable: Unreadable[] } {
  const inputs: LintInput[] = [];
  const unreadable: Unreadable[] = [];
  const seen = new Set<string>();
  const add = (file: string, absolute: string, from: string, explicit: boolean): void => {
    try {
      const real = realpathSync(absolute);
      if (seen.has(real) || !statSync(real).isFile()) return;
      inputs.push({ file, text: readFileSync(absolute, "utf8"), from, explicit });
      seen.add(real);
    } catch (e) {
      unreadable.push({ path: file, reason: reasonOf(e) });
    }
  };
  for (const path of paths) {
    if (path === "-") {
      if (!io.readStdin) unreadable.push({ path, reason: "no standard input" });
      else if (!seen.has(STDIN_NAME)) {
        seen.add(STDIN_NAME);
        inputs.push({ file: STDIN_NAME, text: io.readStdin(), from: path, explicit: true });
      }
      continue;
    }
    const absolute = resolve(io.cwd, path);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch (e) {
      unreadable.push({ path, reason: reasonOf(e) });
      continue;
    }
    if (!isDirectory) {
      add(toPosix(path), absolute, path, true);
      continue;
    }
    const display = (dir: string): string => posix.join(toPosix(path), toPosix(relative(absolute, dir)));
    const files = walk(absolute, (dir, e) => unreadable.push({ path: display(dir), reason: reasonOf(e) }));
    const matched = files.map((f) => toPosix(relative(absolute, f))).filter((rel) => micromatch.isMatch(rel, pattern)).sort();
    for (const rel of matched) add(posix.join(toPosix(path), rel), join(absolute, rel), path, false);
  }
  return { inputs, unreadable };
}
