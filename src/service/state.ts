/**
 * Where the service keeps its state, and its diagnostic sealing key beside the database:
 * `<db file>.diagnostic-key`, created at first start, readable by its owner only (0600). Needs no SQLite, so that
 * `decode-diagnostic --state` and `serve --help` work without the server's packages.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

export const DEFAULT_DB_FILE = "data/ess-authz.db";

/** The name under which a PostgreSQL service's replicas share their diagnostic key (table `service_secrets`). */
export const DIAGNOSTIC_KEY_SECRET = "diagnostic-key";

export const diagnosticKeyFile = (dbFile: string): string => `${dbFile}.diagnostic-key`;

/** Reads the key kept beside `dbFile`, or creates it; a throw-away store (`:memory:`) gets a key of this process only. */
export function stateDiagnosticKey(dbFile: string): string {
  if (dbFile === ":memory:") return randomBytes(32).toString("base64url");
  const file = diagnosticKeyFile(dbFile);
  try {
    writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return readDiagnosticKey(dbFile);
}

export function readDiagnosticKey(dbFile: string): string {
  const key = readFileSync(diagnosticKeyFile(dbFile), "utf8").trim();
  if (key.length < 16) throw new Error(`${diagnosticKeyFile(dbFile)}: the diagnostic key is shorter than 16 characters`);
  return key;
}
