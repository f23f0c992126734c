/**
 * `ess-authz config push|show|history`: the service's configuration as versions in its database, served by
 * `serve --db` without `--config` (see `service/config-versions.ts`).
 */
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { loadWithPeers, MissingPeerError } from "../optional-peer.js";
import { ConfigError } from "../service/config.js";
import type { ConfigVersions, ConfigVersionInfo } from "../service/config-versions.js";
import { DatabaseTargetError, describeTarget, isPostgresTarget } from "../service/database.js";
import { EXIT, InputError, type Io } from "./io.js";

type Format = "text" | "json";

interface DbOptions {
  db: string;
}

export interface PushOptions extends DbOptions {
  by?: string;
  format: Format;
}

export interface ShowOptions extends DbOptions {
  version?: string;
  revealSecrets?: boolean;
}

export interface HistoryOptions extends DbOptions {
  format: Format;
}

const loadVersions = (): Promise<typeof import("../service/config-versions.js")> =>
  loadWithPeers("ess-authz config", ["kysely"], () => import("../service/config-versions.js"));

/** Runs `use` on the versions of `--db`; an unreachable or malformed target is an input error (exit 2). */
async function withVersions<T>(io: Io, options: DbOptions, use: (versions: ConfigVersions) => Promise<T>): Promise<T> {
  const { ConfigVersions } = await loadVersions();
  const target = isPostgresTarget(options.db) || options.db === ":memory:" ? options.db : resolve(io.cwd, options.db);
  let versions: ConfigVersions;
  try {
    versions = await ConfigVersions.open(target);
  } catch (e) {
    if (e instanceof MissingPeerError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    // Errors of openDatabase name the target already (password masked).
    throw new InputError(e instanceof DatabaseTargetError || message.includes(describeTarget(target)) ? message : `--db ${describeTarget(target)}: ${message}`);
  }
  try {
    return await use(versions);
  } finally {
    await versions.close();
  }
}

/**
 * Validates the config file and its policies exactly as `serve` loads a stored version, then stores them as the
 * next version. Refused (exit 2, nothing stored) on any Error; an unchanged configuration stores nothing (exit 0).
 */
export async function runConfigPush(io: Io, file: string, options: PushOptions): Promise<number> {
  const { bundleConfigFile, defaultPusher } = await loadVersions();
  let pushed: ReturnType<typeof bundleConfigFile>;
  try {
    pushed = bundleConfigFile(resolve(io.cwd, file));
  } catch (e) {
    if (e instanceof ConfigError) throw new InputError(`${file}: refused, nothing was pushed\n${e.problems.join("\n")}`);
    throw e;
  }
  const { bundle, loaded } = pushed;
  for (const note of loaded.notes) io.stderr(`warning: ${note}\n`);
  const result = await withVersions(io, options, (versions) => versions.push(bundle, loaded, options.by ?? defaultPusher()));
  if (result.previousAccount !== undefined) {
    io.stderr(`warning: the account changes from ${result.previousAccount} to ${loaded.account}: running services keep their configuration until restarted\n`);
  }
  if (options.format === "json") {
    io.stdout(JSON.stringify({ version: result.version, created: result.created, fingerprint: loaded.fingerprint }, null, 2) + "\n");
  } else if (result.created) {
    io.stdout(`pushed version ${result.version} (${loaded.fingerprint.slice(0, 12)}, ${loaded.files.length - 1} polic${loaded.files.length === 2 ? "y" : "ies"})\n`);
  } else {
    io.stdout(`unchanged: version ${result.version} has the same files (${loaded.fingerprint.slice(0, 12)}); nothing was pushed\n`);
  }
  return EXIT.ok;
}

function versionNumber(text: string): number {
  if (!/^[1-9]\d{0,9}$/.test(text)) throw new InputError(`--version ${text}: expected a version number (1, 2, …)`);
  return Number(text);
}

/** Prints a stored version as JSON; secrets are redacted unless `--reveal-secrets`. */
export async function runConfigShow(io: Io, options: ShowOptions): Promise<number> {
  const { bundleDocuments, redactSecrets } = await loadVersions();
  const wanted = options.version === undefined ? undefined : versionNumber(options.version);
  const stored = await withVersions(io, options, (versions) => versions.get(wanted));
  if (!stored) {
    throw new InputError(wanted === undefined ? `${options.db} holds no configuration version` : `${options.db} has no configuration version ${wanted}`);
  }
  const { bundle, ...info } = stored;
  const { document, policies } = bundleDocuments(bundle);
  const shown = { ...info, directory: bundle.directory, config: bundle.config, document: options.revealSecrets ? document : redactSecrets(document), policyFiles: policies };
  io.stdout(JSON.stringify(shown, null, 2) + "\n");
  return EXIT.ok;
}

function historyTable(versions: readonly ConfigVersionInfo[]): string {
  const rows = [
    ["version", "pushed at", "pushed by", "fingerprint", "account", "principals", "policies"],
    ...versions.map((v) => [String(v.version), v.pushedAt.toISOString(), v.pushedBy, v.fingerprint.slice(0, 12), v.account, String(v.principals), String(v.policies)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n") + "\n";
}

/** Lists the stored versions, oldest first. None stored is exit 2: there is no history to show. */
export async function runConfigHistory(io: Io, options: HistoryOptions): Promise<number> {
  const versions = await withVersions(io, options, (v) => v.history());
  if (versions.length === 0) throw new InputError(`${options.db} holds no configuration version`);
  io.stdout(options.format === "json" ? JSON.stringify(versions, null, 2) + "\n" : historyTable(versions));
  return EXIT.ok;
}

export function registerConfig(program: Command, io: Io, setExit: (code: number) => void): void {
  const config = program
    .command("config")
    .description("the service's configuration as versions in its database, served by `serve --db` without --config");
  const db = (): Option => new Option("--db <target>", "the service's database: SQLite file or postgres://USER@HOST:PORT/DB").makeOptionMandatory();
  const format = (): Option => new Option("--format <format>", "output format").choices(["text", "json"]).default("text");
  config
    .command("push")
    .description(
      "validate a principals file and every policy it names as serve loads them, and store them as the next version " +
        "(exit 2 and nothing stored on any Error; an unchanged configuration stores nothing); running services switch to it",
    )
    .argument("<config>", "the principals file (JSON or YAML); its policy files are stored with it")
    .addOption(db())
    .option("--by <name>", "who pushes, recorded in the history (default: user@host)")
    .addOption(format())
    .action(async (file: string, opts: PushOptions) => setExit(await runConfigPush(io, file, opts)));
  config
    .command("show")
    .description("print a stored version as JSON: metadata, the config document (secrets redacted) and its policy files")
    .addOption(db())
    .option("--version <n>", "the version to show (default: the newest)")
    .option("--reveal-secrets", "print AccessKey secrets, security tokens and the diagnostic key as stored")
    .action(async (opts: ShowOptions) => setExit(await runConfigShow(io, opts)));
  config
    .command("history")
    .description("list the stored versions, oldest first: number, push time, pusher, fingerprint, counts of principals and policies")
    .addOption(db())
    .addOption(format())
    .action(async (opts: HistoryOptions) => setExit(await runConfigHistory(io, opts)));
}
