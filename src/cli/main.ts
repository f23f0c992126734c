import { Command, CommanderError } from "commander";
import { registerCheck } from "./check.js";
import { registerConfig } from "./config.js";
import { registerDecodeDiagnostic } from "./decode-diagnostic.js";
import { registerDiff } from "./diff.js";
import { registerEval } from "./eval.js";
import { registerLint } from "./lint.js";
import { MissingPeerError } from "../optional-peer.js";
import { InputError, processIo, type Io } from "./io.js";
import { registerPlayground } from "./playground.js";
import { registerServe } from "./serve.js";
import { registerTest } from "./suites.js";
import { VERSION } from "./version.js";

/** Builds the CLI over an Io, so that tests run commands in-process. Resolves to the exit code. */
export async function runCli(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command("ess-authz")
    .description("Parse, evaluate, explain and lint Alibaba Cloud RAM policies for the Auto Scaling (ESS) API")
    .version(VERSION)
    // The program's --version only before a command, so that `config show --version N` is the command's own.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  registerEval(program, io, setExit);
  registerLint(program, io, setExit);
  registerTest(program, io, setExit);
  registerDiff(program, io, setExit);
  registerCheck(program, io, setExit);
  registerPlayground(program, io, setExit);
  registerServe(program, io, setExit);
  registerConfig(program, io, setExit);
  registerDecodeDiagnostic(program, io, setExit);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof InputError || e instanceof MissingPeerError) {
      io.stderr(`ess-authz: ${e.message}\n`);
      return 2;
    }
    io.stderr(`ess-authz: internal error, nothing was decided: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

