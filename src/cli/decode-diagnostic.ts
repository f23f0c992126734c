import { resolve } from "node:path";
import type { Command } from "commander";
import { decodeDiagnostic, DiagnosticDecodeError, formatDiagnostic } from "../middleware/diagnostic.js";
import { loadConfig, ConfigError } from "../service/config.js";
import { readDiagnosticKey } from "../service/state.js";
import { EXIT, InputError, type Io } from "./io.js";

export interface DecodeDiagnosticOptions {
  key?: string;
  config?: string;
  state?: string;
  json?: boolean;
}

/**
 * The sealing key: `--key`, else the service config's `service.diagnosticKey`, else the key kept beside the
 * service's database (`--state`), else `ESS_AUTHZ_DIAGNOSTIC_KEY`.
 */
function sealingKey(io: Io, options: DecodeDiagnosticOptions): string {
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
    try {
      return readDiagnosticKey(resolve(io.cwd, options.state));
    } catch (e) {
      throw new InputError(`no diagnostic key for the database ${options.state}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const fromEnv = process.env["ESS_AUTHZ_DIAGNOSTIC_KEY"];
  if (fromEnv === undefined) throw new InputError("the message is sealed: give --key, --config, --state <db file> or ESS_AUTHZ_DIAGNOSTIC_KEY");
  return fromEnv;
}

/** `ess-authz decode-diagnostic MSG`: the deciding statements and reasons inside an `EncodedDiagnosticMessage`. */
export function runDecodeDiagnostic(io: Io, message: string, options: DecodeDiagnosticOptions): number {
  const text = message === "-" ? (io.readStdin?.() ?? "") : message;
  try {
    const diagnostic = decodeDiagnostic(text, sealingKey(io, options));
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
    .option("--state <db file>", "read the key the service keeps beside its database (the serve --db file)")
    .option("--json", "print the decoded message as JSON")
    .action((message: string, opts: DecodeDiagnosticOptions) => setExit(runDecodeDiagnostic(io, message, opts)));
}
