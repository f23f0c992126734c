import type { Command } from "commander";
import { decodeDiagnostic, DiagnosticDecodeError, formatDiagnostic } from "../middleware/diagnostic.js";
import { loadConfig, ConfigError } from "../service/config.js";
import { EXIT, InputError, type Io } from "./io.js";

export interface DecodeDiagnosticOptions {
  key?: string;
  config?: string;
  json?: boolean;
}

/** The sealing key: `--key`, else the service config's `service.diagnosticKey`, else `ESS_AUTHZ_DIAGNOSTIC_KEY`. */
function sealingKey(options: DecodeDiagnosticOptions): string | undefined {
  if (options.key !== undefined) return options.key;
  if (options.config !== undefined) {
    try {
      return loadConfig(options.config).service.diagnosticKey;
    } catch (e) {
      if (e instanceof ConfigError) throw new InputError(e.message);
      throw e;
    }
  }
  return process.env["ESS_AUTHZ_DIAGNOSTIC_KEY"];
}

/** `ess-authz decode-diagnostic MSG`: the deciding statements and reasons inside an `EncodedDiagnosticMessage`. */
export function runDecodeDiagnostic(io: Io, message: string, options: DecodeDiagnosticOptions): number {
  const text = message === "-" ? (io.readStdin?.() ?? "") : message;
  try {
    const diagnostic = decodeDiagnostic(text, sealingKey(options));
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
    .option("--json", "print the decoded message as JSON")
    .action((message: string, opts: DecodeDiagnosticOptions) => setExit(runDecodeDiagnostic(io, message, opts)));
}
