/**
 * Load and fault test of replicas (issue #16; not part of CI, a short version is test/replicas-load.test.ts):
 *
 *   npm run load -- [--replicas 3] [--connections 64] [--seconds 60] [--kill-at 20] [--push-at 40]
 *                   [--db postgres://postgres@127.0.0.1:5432/test | --db FILE.db] [--nonce-store URL]
 *                   [--config-via push|file] [--timeout-ms 60000] [--stale-after-ms 1000]
 *
 * Every flag can also be given as an environment variable: ESS_AUTHZ_LOAD_REPLICAS, …_KILL_AT, …_DB and so on.
 * `--kill-at none` runs without the kill. A `postgres://` database gets a fresh schema for the run (dropped at
 * the end) unless its URL already names one (`options=-c search_path=…`); `--db FILE` shares one new SQLite
 * file (`--db sqlite`: in a temporary folder). `--config-via file` has the replicas watch one `--config` file
 * instead of pushing versions. `--stale-after-ms`: decisions sent that long after a push was acknowledged must use
 * the new version (the issue's bound is 1 s). What is checked is described in replica-harness.ts. Prints a summary table;
 * exits 1 when a check fails, 2 on a usage error.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatSummary, runReplicaLoad, type ReplicaLoadOptions } from "./replica-harness.js";

const DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/test";

function setting(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.env[`ESS_AUTHZ_LOAD_${name.toUpperCase().replaceAll("-", "_")}`];
}

function usage(message: string): never {
  console.error(`load: ${message}`);
  process.exit(2);
}

function count(name: string, fallback: number, min: number): number {
  const text = setting(name);
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(n) || n < min) usage(`--${name} ${text}: expected a number ≥ ${min}`);
  return n;
}

const seconds = count("seconds", 60, 1);
const killText = setting("kill-at");
const killAt = killText === "none" ? undefined : count("kill-at", Math.min(20, seconds / 3), 0);
const configVia = setting("config-via") ?? "push";
if (configVia !== "push" && configVia !== "file") usage(`--config-via ${configVia}: expected push or file`);
const nonceStore = setting("nonce-store");

let db = setting("db") ?? DEFAULT_DB;
let dropSchema: (() => Promise<void>) | undefined;
if (/^postgres(ql)?:\/\//.test(db) && !/search_path/.test(decodeURIComponent(db))) {
  const pg = (await import("pg")).default;
  const schema = `ess_authz_load_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: db });
  await admin.connect().catch((e: unknown) => usage(`cannot connect to ${db}: ${e instanceof Error ? e.message : String(e)}`));
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const base = db;
  dropSchema = async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP SCHEMA ${schema} CASCADE`);
    await c.end();
  };
  db = `${db}${db.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
} else if (!/^postgres(ql)?:\/\//.test(db)) {
  if (existsSync(db)) usage(`--db ${db}: the file exists; the run needs a fresh database`);
  if (db === "sqlite") db = join(mkdtempSync(join(tmpdir(), "ess-authz-load-")), "ess.db");
}

const options: ReplicaLoadOptions = {
  replicas: count("replicas", 3, 1),
  connections: count("connections", 64, 1),
  seconds,
  ...(killAt !== undefined ? { killAt } : {}),
  pushAt: count("push-at", Math.min(40, (seconds * 2) / 3), 0),
  db,
  ...(nonceStore ? { nonceStore } : {}),
  configVia,
  requestTimeoutMs: count("timeout-ms", 60_000, 1),
  staleAfterMs: count("stale-after-ms", 1000, 0),
  log: (line) => console.log(`load: ${line}`),
};

try {
  const result = await runReplicaLoad(options);
  console.log(formatSummary(result));
  process.exitCode = result.checks.every((c) => c.pass) ? 0 : 1;
} finally {
  await dropSchema?.();
}
