import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { loadWithPeers } from "../optional-peer.js";
import { ConfigError } from "../service/config.js";
import { NonceStoreConnectError, nonceStoreKind, NonceStoreUrlError } from "../service/nonce-store.js";
import { DatabaseTargetError, isPostgresTarget } from "../service/database.js";
import type { RunningService } from "../service/server.js";
import { DEFAULT_DB_FILE } from "../service/state.js";
import { EXIT, InputError, type Io } from "./io.js";

export interface ServeOptions {
  config?: string;
  db?: string;
  port?: string;
  host?: string;
  seed?: string;
  watchInterval?: string;
  nonceStore?: string;
  dbPool?: string;
}

/** The server's packages: optional peer dependencies, loaded by `serve` only (pg too, for a postgres:// database). */
export const SERVER_PACKAGES = ["fastify", "better-sqlite3", "kysely", "pino"] as const;

/** Without `--config`, the bundled example: the scenario principals of `examples/service/`, and their groups. */
export const EXAMPLE_CONFIG = fileURLToPath(new URL("../../examples/service/config.json", import.meta.url));
export const EXAMPLE_SEED = fileURLToPath(new URL("../../examples/service/seed.json", import.meta.url));

function wholeNumber(flag: string, text: string, max: number, min = 0): number {
  const n = Number(text);
  if (!/^\d{1,9}$/.test(text) || n < min || n > max) throw new InputError(`${flag} ${text}: expected a whole number from ${min} to ${max}`);
  return n;
}

/**
 * `ess-authz serve`: starts the service, prints its URL, reloads the configuration on SIGHUP (and on file
 * change or push), and stops on SIGINT/SIGTERM. Resolves with the exit code once stopped. The configuration:
 * `--config FILE`; else, with `--db`, the newest version pushed to that database (none: exit 2, since a database
 * meant for real use must not come up with the demo keys); else the bundled example.
 */
export async function runServe(io: Io, options: ServeOptions): Promise<number> {
  const stored = options.config === undefined && options.db !== undefined;
  const example = options.config === undefined && !stored;
  const configFile = example ? EXAMPLE_CONFIG : stored ? undefined : resolve(io.cwd, options.config!);
  const seedFile = options.seed !== undefined ? resolve(io.cwd, options.seed) : example && existsSync(EXAMPLE_SEED) ? EXAMPLE_SEED : undefined;
  const { startService, SeedError, NoStoredConfigError } = await loadWithPeers("ess-authz serve", SERVER_PACKAGES, async () => ({
    ...(await import("../service/server.js")),
    ...(await import("../service/seed.js")),
    ...(await import("../service/config-source.js")),
  }));
  let service: RunningService;
  try {
    if (options.nonceStore !== undefined) nonceStoreKind(options.nonceStore);
    service = await startService({
      ...(configFile !== undefined ? { configFile } : {}),
      dbFile: options.db === ":memory:" || (options.db !== undefined && isPostgresTarget(options.db)) ? options.db : resolve(io.cwd, options.db ?? DEFAULT_DB_FILE),
      port: wholeNumber("--port", options.port ?? "0", 65535),
      host: options.host ?? "127.0.0.1",
      ...(seedFile ? { seedFile } : {}),
      ...(options.watchInterval !== undefined ? { watchIntervalMs: wholeNumber("--watch-interval", options.watchInterval, 3_600_000) } : {}),
      ...(options.nonceStore !== undefined ? { nonceStore: options.nonceStore } : {}),
      ...(options.dbPool !== undefined ? { dbPoolSize: wholeNumber("--db-pool", options.dbPool, 1000, 1) } : {}),
    });
  } catch (e) {
    if (e instanceof ConfigError) throw new InputError(`${configFile ?? options.db}: the service does not start with this configuration\n${e.problems.join("\n")}`);
    if (e instanceof SeedError || e instanceof NoStoredConfigError || e instanceof NonceStoreUrlError || e instanceof NonceStoreConnectError || e instanceof DatabaseTargetError) {
      throw new InputError(e.message);
    }
    throw e;
  }
  if (example) io.stderr(`ess-authz: no --config given, serving the example principals of ${configFile} (demo keys: never use them for real)\n`);
  io.stdout(`ess-authz serving on ${service.url}\n`);

  const reload = (): void => void service.reload();
  return new Promise<number>((done) => {
    const stop = (): void => {
      process.off("SIGHUP", reload);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      service.close().then(
        () => done(EXIT.ok),
        () => done(EXIT.invalid),
      );
    };
    process.on("SIGHUP", reload);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

export function registerServe(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("serve")
    .description("run the reference ESS-compatible service with the authorization middleware (prints its URL when ready)")
    .option("--config <file>", "principals: account, users, groups, roles, policies (default: the newest version pushed to --db with `config push`, or the bundled example when --db is not given either)")
    .option(
      "--db <file|url>",
      `SQLite database file, created when absent (default: ${DEFAULT_DB_FILE}); or postgres://USER@HOST:PORT/DB, shared by every replica (schema: ?options=-c%20search_path%3DNAME)`,
    )
    .option("--port <n>", "port to listen on; 0 picks a free one", "0")
    .option("--host <h>", "address to listen on", "127.0.0.1")
    .option("--seed <file>", "resources to create at start where missing (request-file store form)")
    .option("--nonce-store <url>", "signature nonces shared by replicas: redis://HOST:PORT[/DB] or postgres://USER@HOST:PORT/DB (default: the database)")
    .option("--db-pool <n>", "connections this replica keeps to a postgres:// database (default 10); size it so that replicas × pool stays under the server's max_connections")
    .option("--watch-interval <ms>", "how often to check the config and policy files (default 1000) or the database's configuration versions (default 250) for changes; 0 turns it off")
    .action(async (opts: ServeOptions) => setExit(await runServe(io, opts)));
}
