import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Witness } from "../analysis/analyze.js";
import { witnessJson } from "../analysis/format.js";
import { requestFileJson } from "../diff/format.js";
import { InputError, type Io } from "./io.js";

const fileStem = (w: Witness): string => (w.operation ?? w.action).replace(/[^A-Za-z0-9_.-]+/g, "_");

/**
 * Writes each witness to `dir/NN-<operation>.json` (a request file `eval` reads), or `NN-<action>.context.json`
 * for an action outside the catalog (no ESS request can carry it; `eval --context` decides it); returns the paths in witness order.
 */
export function writeWitnesses(io: Io, dir: string, witnesses: readonly Witness[], prefix = ""): string[] {
  try {
    mkdirSync(resolve(io.cwd, dir), { recursive: true });
    return witnesses.map((w, i) => {
      const name = `${prefix}${String(i + 1).padStart(2, "0")}-${fileStem(w)}${w.request ? "" : ".context"}.json`;
      const path = join(dir, name);
      writeFileSync(resolve(io.cwd, path), JSON.stringify(w.request ? requestFileJson(w.request) : witnessJson(w), null, 2) + "\n");
      return path;
    });
  } catch (e) {
    throw new InputError(`${dir}: cannot write the witnesses (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

