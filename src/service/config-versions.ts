/**
 * Versions of the service's configuration kept in its database (`ess-authz config push`, `serve --db` without
 * `--config`). A version is self-contained: the config file and every policy file it names, as texts, so a
 * replica on another machine serves exactly what was validated at push, and nothing it reads can change under it.
 *
 * Versions are numbered 1, 2, … in push order. A push holds the table's write lock from its first read
 * (PostgreSQL `LOCK TABLE … EXCLUSIVE`, SQLite `BEGIN IMMEDIATE`), so two pushes racing get distinct, consecutive
 * numbers. On PostgreSQL the push transaction also sends `NOTIFY ess_authz_config` (delivered at commit) so
 * replicas switch at once; every replica also polls the newest number, the only signal SQLite has.
 */
import { hostname, userInfo } from "node:os";
import { basename, dirname, extname, isAbsolute, relative, resolve } from "node:path";
import { sql } from "kysely";
import { parse as parseYaml } from "yaml";
import { loadWithPeers } from "../optional-peer.js";
import { ConfigError, fileReader, loadConfig, type ConfigReader, type LoadedConfig } from "./config.js";
import { DatabaseTargetError, openDatabase, type OpenedDatabase, type SqlDialect } from "./database.js";

/** What a push stores: enough to load the configuration again anywhere, without the files. */
export interface ConfigBundle {
  /** The config file's folder when pushed: policy paths resolve against it, exactly as they did on disk. */
  readonly directory: string;
  /** The config file's name in `directory` (its extension says JSON or YAML). */
  readonly config: string;
  /** Every file the configuration read, config first, by its path relative to `directory`. */
  readonly files: Readonly<Record<string, string>>;
}

export interface ConfigVersionInfo {
  readonly version: number;
  readonly pushedAt: Date;
  readonly pushedBy: string;
  /** `LoadedConfig.fingerprint` of the version: equal fingerprints, equal files. */
  readonly fingerprint: string;
  readonly account: string;
  /** Principals that can sign requests (users with AccessKeys, role sessions, the owner). */
  readonly principals: number;
  /** Policy files. */
  readonly policies: number;
}

export interface StoredConfig extends ConfigVersionInfo {
  readonly bundle: ConfigBundle;
}

interface ConfigVersionRow {
  version: number;
  pushed_at: number;
  pushed_by: string;
  fingerprint: string;
  account: string;
  principals: number;
  policies: number;
  bundle: string;
}

interface Tables {
  config_versions: ConfigVersionRow;
}

/** The NOTIFY channel; the payload is `SCHEMA VERSION`, since channels are shared by every schema of a database. */
const CHANNEL = "ess_authz_config";

/** A user and host to record as the pusher when none is given. */
export function defaultPusher(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env["USER"] ?? "unknown";
  }
  return `${user}@${hostname()}`;
}

/** Answers from a bundle's texts; a file it does not hold is missing, as on disk. */
function bundleReader(bundle: ConfigBundle): ConfigReader {
  return {
    read(file) {
      const key = relative(bundle.directory, file);
      if (!Object.hasOwn(bundle.files, key)) throw Object.assign(new Error(`${file} is not in the stored version`), { code: "ENOENT" });
      return bundle.files[key]!;
    },
  };
}

/** Loads a bundle the way `serve` loads a stored version (the same `loadConfig`); throws `ConfigError`. */
export function loadBundle(bundle: ConfigBundle): LoadedConfig {
  return loadConfig(resolve(bundle.directory, bundle.config), bundleReader(bundle));
}

/**
 * Reads a config file and its policies for a push and validates them as a replica will load them: the texts
 * read become the bundle, which is then loaded through `loadBundle`. Throws `ConfigError` (`file:line:col`).
 */
export function bundleConfigFile(file: string): { bundle: ConfigBundle; loaded: LoadedConfig } {
  const texts = new Map<string, string>();
  const recording: ConfigReader = {
    ...fileReader,
    read(path) {
      const text = fileReader.read(path);
      texts.set(path, text);
      return text;
    },
  };
  const fromFiles = loadConfig(file, recording);
  const directory = dirname(fromFiles.file);
  const bundle: ConfigBundle = {
    directory,
    config: basename(fromFiles.file),
    files: Object.fromEntries(fromFiles.files.map((f) => [relative(directory, f), texts.get(f)!])),
  };
  const loaded = loadBundle(bundle);
  // The same texts through the same loader: anything else would be a bug, and must not be stored.
  if (loaded.fingerprint !== fromFiles.fingerprint) throw new Error(`${file}: the bundled configuration does not load as the files did`);
  return { bundle, loaded: { ...loaded, notes: fromFiles.notes } };
}

/** Principals that can sign requests: distinct ARNs among the AccessKeys. */
const principalCount = (loaded: LoadedConfig): number => new Set([...loaded.credentials.values()].map((c) => c.principal.arn)).size;

function parseBundle(text: string, version: number): ConfigBundle {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const b = value as Partial<ConfigBundle> | undefined;
  const valid =
    typeof b === "object" &&
    b !== null &&
    typeof b.directory === "string" &&
    isAbsolute(b.directory) &&
    typeof b.config === "string" &&
    typeof b.files === "object" &&
    b.files !== null &&
    Object.values(b.files).every((t) => typeof t === "string") &&
    Object.hasOwn(b.files, b.config);
  if (!valid) throw new ConfigError([`configuration version ${version}: the stored bundle is malformed`]);
  return b as ConfigBundle;
}

/** Loads a stored version; its files must still hash to the fingerprint recorded at push. Throws `ConfigError`. */
export function loadStoredConfig(stored: StoredConfig): LoadedConfig {
  const loaded = loadBundle(stored.bundle);
  if (loaded.fingerprint !== stored.fingerprint) {
    throw new ConfigError([`configuration version ${stored.version}: its files do not match the fingerprint recorded when it was pushed`]);
  }
  return loaded;
}

const SECRET_KEYS = new Set(["accessKeySecret", "securityToken", "diagnosticKey"]);

/** A copy of a config document with every secret replaced, for `config show`. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) ? "(redacted)" : redactSecrets(v)]));
}

/** A bundle's config document and policies as values (texts that do not parse stay texts). */
export function bundleDocuments(bundle: ConfigBundle): { document: unknown; policies: Record<string, unknown> } {
  const parse = (name: string, text: string): unknown => {
    try {
      return [".yaml", ".yml"].includes(extname(name).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
    } catch {
      return text;
    }
  };
  const policies = Object.entries(bundle.files).filter(([name]) => name !== bundle.config);
  return {
    document: parse(bundle.config, bundle.files[bundle.config]!),
    policies: Object.fromEntries(policies.map(([name, text]) => [name, parse(name, text)])),
  };
}

function info(row: Omit<ConfigVersionRow, "bundle">): ConfigVersionInfo {
  return {
    version: row.version,
    pushedAt: new Date(row.pushed_at),
    pushedBy: row.pushed_by,
    fingerprint: row.fingerprint,
    account: row.account,
    principals: row.principals,
    policies: row.policies,
  };
}

export interface PushResult {
  readonly version: number;
  /** False when the newest version already had this fingerprint: nothing was stored. */
  readonly created: boolean;
  /** The account of the version before, when it differs (running replicas refuse such a change until restarted). */
  readonly previousAccount?: string;
}

/** The versions table of one database. */
export class ConfigVersions {
  private constructor(
    private readonly opened: OpenedDatabase<Tables>,
    private readonly target: string,
  ) {}

  /** Opens the database (file path, `:memory:` or `postgres://…`) and creates the table when absent. */
  static async open(target: string): Promise<ConfigVersions> {
    const opened = await openDatabase<Tables>(target, { poolSize: 2 });
    const versions = new ConfigVersions(opened, target);
    try {
      await versions.createTable();
    } catch (e) {
      await opened.close();
      throw e;
    }
    return versions;
  }

  get dialect(): SqlDialect {
    return this.opened.dialect;
  }

  /** The target with any password masked. */
  get description(): string {
    return this.opened.description;
  }

  private async createTable(): Promise<void> {
    if (this.dialect === "postgres") {
      const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(this.opened.db);
      if (!rows[0]?.schema) throw new DatabaseTargetError(this.target, "its search path names no schema that exists (create it first: CREATE SCHEMA name)");
    }
    await this.opened.db.transaction().execute(async (tx) => {
      // Two first pushes at once would both try to create the table; PostgreSQL's IF NOT EXISTS does not make that safe.
      if (this.dialect === "postgres") await sql`select pg_advisory_xact_lock(hashtext(${CHANNEL}), hashtext(current_schema()))`.execute(tx);
      await tx.schema
        .createTable("config_versions")
        .ifNotExists()
        .addColumn("version", "integer", (c) => c.primaryKey())
        .addColumn("pushed_at", "bigint", (c) => c.notNull())
        .addColumn("pushed_by", "text", (c) => c.notNull())
        .addColumn("fingerprint", "text", (c) => c.notNull())
        .addColumn("account", "text", (c) => c.notNull())
        .addColumn("principals", "integer", (c) => c.notNull())
        .addColumn("policies", "integer", (c) => c.notNull())
        .addColumn("bundle", "text", (c) => c.notNull())
        .execute();
    });
  }

  /** Stores the bundle as the next version, unless the newest already has its fingerprint. */
  async push(bundle: ConfigBundle, loaded: LoadedConfig, pushedBy: string, at = new Date()): Promise<PushResult> {
    return this.opened.db.transaction().execute(async (tx) => {
      // Readers go on (EXCLUSIVE lets plain SELECTs through); a second push waits here until this one commits.
      if (this.dialect === "postgres") await sql`lock table config_versions in exclusive mode`.execute(tx);
      const newest = await tx.selectFrom("config_versions").select(["version", "fingerprint", "account"]).orderBy("version", "desc").limit(1).executeTakeFirst();
      if (newest?.fingerprint === loaded.fingerprint) return { version: newest.version, created: false };
      const version = (newest?.version ?? 0) + 1;
      await tx
        .insertInto("config_versions")
        .values({
          version,
          pushed_at: at.getTime(),
          pushed_by: pushedBy,
          fingerprint: loaded.fingerprint,
          account: loaded.account,
          principals: principalCount(loaded),
          policies: loaded.files.length - 1,
          bundle: JSON.stringify(bundle),
        })
        .execute();
      if (this.dialect === "postgres") await sql`select pg_notify(${CHANNEL}, current_schema() || ' ' || ${String(version)})`.execute(tx);
      return { version, created: true, ...(newest && newest.account !== loaded.account ? { previousAccount: newest.account } : {}) };
    });
  }

  /** The newest version's number; undefined when none was pushed. */
  async newest(): Promise<number | undefined> {
    const row = await this.opened.db.selectFrom("config_versions").select("version").orderBy("version", "desc").limit(1).executeTakeFirst();
    return row?.version;
  }

  /** A version (the newest without `version`); undefined when there is no such version. */
  async get(version?: number): Promise<StoredConfig | undefined> {
    let query = this.opened.db.selectFrom("config_versions").selectAll();
    query = version === undefined ? query.orderBy("version", "desc").limit(1) : query.where("version", "=", version);
    const row = await query.executeTakeFirst();
    return row && { ...info(row), bundle: parseBundle(row.bundle, row.version) };
  }

  /** Every version, oldest first. */
  async history(): Promise<ConfigVersionInfo[]> {
    const rows = await this.opened.db
      .selectFrom("config_versions")
      .select(["version", "pushed_at", "pushed_by", "fingerprint", "account", "principals", "policies"])
      .orderBy("version", "asc")
      .execute();
    return rows.map(info);
  }

  /**
   * PostgreSQL only: calls `onPush` when a version is pushed to this schema, over a connection of its own.
   * `onLost` is called once if that connection fails; listen again to resume. Resolves to a function that stops.
   */
  async listen(onPush: () => void, onLost: (error: Error) => void): Promise<() => Promise<void>> {
    const pg = await loadWithPeers("configuration notifications", ["pg"], async () => (await import("pg")).default);
    const client = new pg.Client({ connectionString: this.target, connectionTimeoutMillis: 5000 });
    let lost = false;
    const lose = (e: Error): void => {
      if (lost) return;
      lost = true;
      onLost(e);
    };
    client.on("error", lose);
    client.on("end", () => lose(new Error("the notification connection closed")));
    try {
      await client.connect();
      const { rows } = await client.query<{ schema: string | null }>("select current_schema() as schema");
      const schema = rows[0]?.schema ?? "";
      client.on("notification", (n) => {
        if (n.channel === CHANNEL && n.payload?.startsWith(`${schema} `)) onPush();
      });
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (e) {
      lost = true; // the caller hears of this failure from the rejection, not from onLost
      await client.end().catch(() => undefined);
      throw e;
    }
    return async () => {
      lost = true;
      await client.end().catch(() => undefined);
    };
  }

  close(): Promise<void> {
    return this.opened.close();
  }
}
