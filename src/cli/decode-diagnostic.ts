import { resolve } from "node:path";
import type { Command } from "commander";
import { decodeDiagnostic, DiagnosticDecodeError, formatDiagnostic } from "../middleware/diagnostic.js";
import { loadConfig, ConfigError } from "../service/config.js";
import { describeTarget, isPostgresTarget, openDatabase } from "../service/database.js";
import { DIAGNOSTIC_KEY_SECRET, readDiagnosticKey } from "../service/state.js";
import { EXIT, InputError, type Io } from "./io.js";

export interface DecodeDiagnosticOptions {
  key?: string;
  config?: string;
  state?: string;
  json?: boolean;
}

/** The key the replicas of a PostgreSQL service share in its database; reading it creates nothing. */
async function sharedDiagnosticKey(target: string): Promise<string> {
  const opened = await openDatabase<{ service_secrets: { name: string; value: string } }>(target, { poolSize: 1 });
  try {
    const row = await opened.db.selectFrom("service_secrets").select("value").where("name", "=", DIAGNOSTIC_KEY_SECRET).executeTakeFirst();
    if (!row) throw new Error("the service has not created one yet (it does at its first start)");
    return row.value;
  } finally {
    await opened.close();
  }
}

/**
 * The sealing key: `--key`, else the service config's `service.diagnosticKey`, else the key of the service's
 * database (`--state`: beside an SQLite file, inside a PostgreSQL database), else `ESS_AUTHZ_DIAGNOSTIC_KEY`.
 */
async function sealingKey(io: Io, options: DecodeDiagnosticOptions): Promise<string> {
  if (options.key !== undefined) return options.key;
  if (options.config !== undefined) {
    try {
      const key = loadConfig(resolve(io.cwd, options.config)).service.diagnosticKey;
      if (key !== undefined) return key;
    } catch (e) {
      if (e instanceof ConfigError) throw new InputError(e.message);
      throw e;
    }
    if (options.state === undefined) throw new InputError(`${options.config} has no service.diagnosticKey: the key is kept beside the database, give --state <db file>`);
  }
  if (options.state !== undefined) {
    const { state } = options;
    try {
      return isPostgresTarget(state) ? await sharedDiagnosticKey(state) : readDiagnosticKey(resolve(io.cwd, state));
    } catch (e) {
      throw new InputError(`no diagnostic key for the database ${describeTarget(state)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const fromEnv = process.env["ESS_AUTHZ_DIAGNOSTIC_KEY"];
  if (fromEnv === undefined) throw new InputError("the message is sealed: give --key, --config, --state <db file> or ESS_AUTHZ_DIAGNOSTIC_KEY");
  return fromEnv;
}

/** `ess-authz decode-diagnostic MSG`: the deciding statements and reasons inside an `EncodedDiagnosticMessage`. */
export async function runDecodeDiagnostic(io: Io, message: string, options: DecodeDiagnosticOptions): Promise<number> {
  const text = message === "-" ? (io.readStdin?.() ?? "") : message;
  try {
    const diagnostic = decodeDiagnostic(text, await sealingKey(io, options));
    io.stdout(options.json ? JSON.stringify(diagnostic, null, 2) + "\n" : formatDiagnostic(diagnostic));
    return EXIT.ok;
  } catch (e) {
    if (e instanceof DiagnosticDecodeError) throw new InputError(e.message);
    throw e;
  }
}

export function registerDecodeDiagnostic(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("decode-diagnostic")
    .description("decode the EncodedDiagnosticMessage of an access-denied answer into the deciding statements and reasons")
    .argument("<message>", "the EncodedDiagnosticMessage, or - to read it from stdin")
    .option("--key <secret>", "the service's diagnostic key, for sealed messages")
    .option("--config <file>", "read the diagnostic key from this service config")
    .option("--state <db file>", "read the key of the service's database (the serve --db file or postgres:// URL)")
    .option("--json", "print the decoded message as JSON")
    .action(async (message: string, opts: DecodeDiagnosticOptions) => setExit(await runDecodeDiagnostic(io, message, opts)));
}
