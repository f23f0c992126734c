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

/**
 * `ess-authz lint --version` answers as `ess-authz --version` does (as eslint's does), except where a command has a
 * `--version` of its own (`config show --version N`); a command with subcommands keeps its options to itself so
 * that the subcommand's own `--version` reaches it.
 */
function giveVersion(command: Command): void {
  if (command.options.some((option) => option.long === "--version")) return;
  command.version(VERSION);
  if (command.commands.length === 0) return;
  command.enablePositionalOptions();
  for (const sub of command.commands) giveVersion(sub);
}

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
  for (const command of program.commands) giveVersion(command);
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

