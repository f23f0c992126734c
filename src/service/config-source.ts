/**
 * Where `serve` gets its configuration and how it notices a new one: a file (`--config`, polled for changes), or
 * the versions stored in the database (`config push`; `config-versions.ts`). Either way a new configuration is
 * loaded whole before it replaces the current one in a single assignment (`PrincipalDirectory.replace`), so a
 * request is decided under the old or the new one, never a mix; one that fails to load is logged and the
 * current one kept (fail closed).
 */
import type { Logger } from "pino";
import { loadWithPeers } from "../optional-peer.js";
import { ConfigError, fingerprint, loadConfig, PrincipalDirectory, type LoadedConfig } from "./config.js";

export interface ConfigSource {
  /** The configuration served now. */
  readonly directory: PrincipalDirectory;
  /** Names the source in the start log line. */
  readonly origin: Readonly<Record<string, unknown>>;
  /** Loads the newest configuration now (SIGHUP); false when it was refused (and logged), the current one kept. */
  reload(): Promise<boolean>;
  close(): Promise<void>;
}

/** The database holds no configuration version (`serve --db` without `--config`). */
export class NoStoredConfigError extends Error {
  constructor(description: string) {
    super(`${description} holds no configuration: push one with \`ess-authz config push --db ${description} CONFIG.json\`, or start with --config FILE`);
    this.name = "NoStoredConfigError";
  }
}

const problemsOf = (e: unknown): readonly string[] => (e instanceof ConfigError ? e.problems : [e instanceof Error ? e.message : String(e)]);

/**
 * Replaces the served configuration with `next`, unless it changes what cannot change while running; returns
 * the problems that refused it. `initial` is the configuration the service started with.
 */
function adopt(directory: PrincipalDirectory, initial: LoadedConfig, next: LoadedConfig, log: Logger, origin: Record<string, unknown>): readonly string[] {
  if (next.account !== directory.config.account) return ["the account id cannot change while running"];
  if (JSON.stringify(next.service) !== JSON.stringify(initial.service)) log.warn(origin, "changes to the service section take effect after a restart");
  for (const note of next.notes) log.warn({ ...origin, finding: note }, "configuration warning");
  directory.replace(next);
  log.info({ ...origin, principals: next.credentials.size }, "configuration reloaded");
  return [];
}

const logNotes = (loaded: LoadedConfig, log: Logger): void => {
  for (const note of loaded.notes) log.warn({ finding: note }, "configuration warning");
};

/**
 * The principals file and its policies, polled every `intervalMs` (0: only `reload()`). Polls contents rather
 * than watching inodes: editors replace files, and a change made while a watcher starts would be missed. After
 * a rejection the files of the rejected version are polled too, and that version is reported once, not at
 * every poll. Throws `ConfigError` when the file does not load at start.
 */
export function watchConfigFile(file: string, log: Logger, intervalMs: number): ConfigSource {
  const initial = loadConfig(file);
  logNotes(initial, log);
  const directory = new PrincipalDirectory(initial);
  let watched = initial.files;
  let seen = initial.fingerprint;

  function reload(): boolean {
    let problems: readonly string[];
    let files: readonly string[] = [];
    try {
      const next = loadConfig(file);
      problems = adopt(directory, initial, next, log, {});
      if (problems.length === 0) {
        watched = next.files;
        seen = next.fingerprint;
        return true;
      }
    } catch (e) {
      problems = problemsOf(e);
      if (e instanceof ConfigError) files = e.files;
    }
    watched = [...new Set([...directory.config.files, ...files])];
    seen = fingerprint(watched);
    log.error({ problems }, "configuration reload rejected; keeping the current configuration");
    return false;
  }

  const poll =
    intervalMs > 0
      ? setInterval(() => {
          if (fingerprint(watched) !== seen) reload();
        }, intervalMs).unref()
      : undefined;
  return {
    directory,
    origin: { config: initial.file },
    reload: async () => reload(),
    close: async () => clearInterval(poll),
  };
}

/**
 * The newest configuration version stored in the database `target`. Checks for a newer one every `intervalMs`
 * (0: only `reload()`) and, on PostgreSQL, at once when a push's NOTIFY arrives; the poll remains the safety net
 * should the notification connection drop (it is opened again at the next poll). A version that fails to load
 * is reported once and not retried until a newer one is pushed. Throws `NoStoredConfigError` when nothing was
 * pushed, `ConfigError` when the newest version does not load: a replica never starts on an older version than
 * the newest, which may have revoked access.
 */
export async function watchStoredConfig(target: string, log: Logger, intervalMs: number): Promise<ConfigSource> {
  // Kysely only when the configuration is in the database: `serve --config` runs without it.
  const { ConfigVersions, loadStoredConfig } = await loadWithPeers("serve --db without --config", ["kysely"], () => import("./config-versions.js"));
  const versions = await ConfigVersions.open(target);
  let initial: LoadedConfig;
  let served: number;
  try {
    const stored = await versions.get();
    if (!stored) throw new NoStoredConfigError(versions.description);
    try {
      initial = loadStoredConfig(stored);
    } catch (e) {
      throw new ConfigError([`${versions.description}: configuration version ${stored.version} does not load`, ...problemsOf(e)]);
    }
    served = stored.version;
  } catch (e) {
    await versions.close();
    throw e;
  }
  logNotes(initial, log);
  const directory = new PrincipalDirectory(initial);
  let refused: number | undefined;
  let unreachable = false;

  /** Switches to the newest version if it is another; `force` retries a version refused before. */
  async function check(force: boolean): Promise<boolean> {
    let newest: number | undefined;
    try {
      newest = await versions.newest();
      unreachable = false;
    } catch (e) {
      if (!unreachable || force) log.error({ error: problemsOf(e) }, "cannot read the configuration versions; keeping the current configuration");
      unreachable = true;
      return false;
    }
    if (newest === undefined || newest === served) return true;
    if (newest === refused && !force) return false;
    const origin = { configVersion: newest };
    let problems: readonly string[];
    try {
      const stored = await versions.get(newest);
      // Deleted between the two reads: the next check finds what replaced it.
      if (!stored) return false;
      problems = adopt(directory, initial, loadStoredConfig(stored), log, origin);
    } catch (e) {
      problems = problemsOf(e);
    }
    if (problems.length === 0) {
      served = newest;
      return true;
    }
    refused = newest;
    log.error({ ...origin, servedVersion: served, problems }, "configuration version rejected; keeping the current configuration");
    return false;
  }

  // One check at a time: notifications and polls during a check run one more after it, never two side by side;
  // an explicit reload waits for the running check and then makes its own.
  let running: Promise<boolean> | undefined;
  let again = false;
  let closed = false;
  const serialized = async (force: boolean): Promise<boolean> => {
    if (closed) return false;
    while (running) {
      if (!force) {
        again = true;
        return running;
      }
      await running;
    }
    running = check(force).finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void serialized(false);
      }
    });
    return running;
  };

  let stopListening: (() => Promise<void>) | undefined;
  let listening: Promise<void> | undefined;
  // Each failure to listen is retried at the next poll; reported once until listening works again.
  let listenFailing = false;
  const listen = (): void => {
    if (versions.dialect !== "postgres" || stopListening || listening || closed) return;
    listening = versions
      .listen(
        () => void serialized(false),
        (error) => {
          log.warn({ error: error.message }, "configuration notifications lost; polling until they are back");
          const stop = stopListening;
          stopListening = undefined;
          void stop?.();
        },
      )
      .then(
        async (stop) => {
          listenFailing = false;
          if (closed) await stop();
          else stopListening = stop;
          // A push between the last check and LISTEN sent its notification to no one.
          void serialized(false);
        },
        (error: unknown) => {
          if (!listenFailing) log.warn({ error: problemsOf(error) }, "cannot listen for configuration pushes; polling");
          listenFailing = true;
        },
      )
      .finally(() => (listening = undefined));
  };

  const poll =
    intervalMs > 0
      ? setInterval(() => {
          listen();
          void serialized(false);
        }, intervalMs).unref()
      : undefined;
  if (intervalMs > 0) listen();
  return {
    directory,
    origin: { configDatabase: versions.description, configVersion: served },
    reload: () => serialized(true),
    close: async () => {
      closed = true;
      clearInterval(poll);
      await listening;
      await stopListening?.();
      await running;
      await versions.close();
    },
  };
}
