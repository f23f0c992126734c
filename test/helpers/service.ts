/**
 * Test support for the service and middleware suites: a service on 127.0.0.1 with a temporary database,
 * the official `@alicloud/pop-core` client, and raw v1/v3 signers for requests the client cannot make.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { randomUUID } from "node:crypto";
import RPCClient from "@alicloud/pop-core";
import pino from "pino";
import { sha256Hex, signV1, signV3 } from "../../src/middleware/signature.js";
import { startService, type RunningService } from "../../src/service/server.js";
import type { ScalingGroupRow } from "../../src/service/store.js";
import { testPostgres } from "./servers.js";

export const ACCOUNT = "1609982529920904";
export const REPO = resolve(import.meta.dirname, "../..");
export const POLICIES = join(REPO, "policies");
export const EXAMPLE_CONFIG = join(REPO, "examples/service/config.json");
export const EXAMPLE_SEED = join(REPO, "examples/service/seed.json");

export const GROUP1 = "asg-bp17np35ywjwh2cx0001";
export const GROUP2 = "asg-bp1c5pl2qc6ozgb10002";
export const GROUP3 = "asg-bp1hm4k7zr9tq2w30003";
export const RULE_OF_GROUP1 = "asr-bp1dvirgwkoowxk70001";
export const UNBOUND_TASK = "9c1f0e52-3b7a-4d8e-a6c4-2f5e8d1b7a30";

/** The example config's users, as [AccessKeyId, AccessKeySecret]. */
export const KEYS = {
  admin: ["AKIDADMIN0001", "s3cr3t-admin"],
  t1: ["AKIDT1CREATE01", "s3cr3t-t1"],
  t2: ["AKIDT2READER01", "s3cr3t-t2"],
  alice: ["AKIDALICE0001", "s3cr3t-alice"],
  r1: ["AKIDR1OPER0001", "s3cr3t-r1"],
  r2: ["AKIDR2CREATE01", "s3cr3t-r2"],
} as const satisfies Record<string, readonly [string, string]>;

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** A directory removed when the test ends. */
export function tempDir(t: Teardown): string {
  const dir = mkdtempSync(join(tmpdir(), "ess-authz-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface TestService {
  readonly service: RunningService;
  readonly url: string;
  readonly dir: string;
  readonly dbFile: string;
  /** Every log line the service wrote. */
  readonly logs: LogLine[];
}

/** Writes `config` (an object) as JSON in the directory, returning its path. */
export function writeConfig(dir: string, config: unknown, name = "config.json"): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Starts the service on a free port of 127.0.0.1; stopped (and its files removed) when the test ends. */
export async function serve(
  t: Teardown,
  options: { configFile?: string; seed?: boolean; dir?: string; dbFile?: string; watchIntervalMs?: number; dependencyTimeoutMs?: number; nonceStore?: string } = {},
): Promise<TestService> {
  const dir = options.dir ?? tempDir(t);
  const logs: LogLine[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const dbFile = options.dbFile ?? join(dir, "ess.db");
  const service = await startService({
    configFile: options.configFile ?? EXAMPLE_CONFIG,
    dbFile,
    port: 0,
    host: "127.0.0.1",
    logger,
    watchIntervalMs: options.watchIntervalMs ?? 0,
    dependencyTimeoutMs: options.dependencyTimeoutMs,
    ...(options.nonceStore ? { nonceStore: options.nonceStore } : {}),
    ...(options.seed === false ? {} : { seedFile: EXAMPLE_SEED }),
  });
  t.teardown(() => service.close());
  return { service, url: service.url, dir, dbFile, logs };
}

/** The service's two databases: tests that hold for both run once per dialect. */
export const DIALECTS = ["sqlite", "postgres"] as const;
export type Dialect = (typeof DIALECTS)[number];

/**
 * A database of the dialect for one test: a file in `dir`, or a URL to a fresh PostgreSQL schema of this test
 * only (test/helpers/servers.ts); undefined when PostgreSQL is unreachable (the test is then skipped, or fails
 * under CI).
 */
export async function testDatabase(t: Parameters<typeof testPostgres>[0], dialect: Dialect, dir: string): Promise<string | undefined> {
  if (dialect === "sqlite") return join(dir, "ess.db");
  return (await testPostgres(t))?.url;
}

/** `serve` on a database of the dialect (see `testDatabase`); undefined when PostgreSQL is unreachable. */
export async function serveOn(t: Parameters<typeof testPostgres>[0], dialect: Dialect, options: Parameters<typeof serve>[1] = {}): Promise<TestService | undefined> {
  const dir = options.dir ?? tempDir(t);
  const dbFile = await testDatabase(t, dialect, dir);
  return dbFile === undefined ? undefined : serve(t, { ...options, dir, dbFile });
}

export type ApiVersion = "2014-08-28" | "2022-02-22";

/** The official client (signature v1), as the given user. */
export function client(url: string, key: readonly [string, string], version: ApiVersion = "2014-08-28", securityToken?: string): RPCClient {
  return new RPCClient({
    endpoint: url,
    apiVersion: version,
    accessKeyId: key[0],
    accessKeySecret: key[1],
    ...(securityToken ? { securityToken } : {}),
  });
}

/** The error the client raised for an ESS error answer. */
export interface ClientError {
  readonly code: string;
  readonly data: {
    readonly RequestId: string;
    readonly Code: string;
    readonly Message: string;
    readonly AccessDeniedDetail?: Record<string, string>;
  };
}

/** Runs a client call expected to fail; returns the error (or fails the test with the unexpected success). */
export async function failure(call: Promise<unknown>): Promise<ClientError> {
  try {
    const result = await call;
    throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  } catch (e) {
    if ((e as { code?: unknown }).code === undefined) throw e;
    return e as ClientError;
  }
}

/** Polls `check` every 50 ms until it holds (true) or `ms` milliseconds have passed (false). */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

export const timestamp = (at = Date.now()): string => new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");

export interface RawResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

async function read(response: Response): Promise<RawResponse> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // XML or empty: the test reads `text`.
  }
  return { status: response.status, body, text };
}

export interface V1Request {
  readonly key: readonly [string, string];
  readonly params: Record<string, string>;
  readonly method?: "GET" | "POST";
  /** Changes applied after signing, to test tampering. */
  readonly tamper?: (signed: Record<string, string>) => Record<string, string>;
  readonly timestamp?: string;
  readonly nonce?: string;
  readonly version?: ApiVersion;
  readonly secretForSigning?: string;
  /** Aborts the request (and the reading of its body), e.g. `AbortSignal.timeout(ms)`. */
  readonly signal?: AbortSignal;
}

/** Signs and sends a v1 (HMAC-SHA1) request with exactly the given parameters. */
export async function sendV1(url: string, r: V1Request): Promise<RawResponse> {
  const method = r.method ?? "GET";
  const params: Record<string, string> = {
    Format: "JSON",
    Version: r.version ?? "2014-08-28",
    AccessKeyId: r.key[0],
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: r.nonce ?? randomUUID(),
    Timestamp: r.timestamp ?? timestamp(),
    ...r.params,
  };
  const signature = signV1(method, Object.entries(params), r.secretForSigning ?? r.key[1]);
  const sent = (r.tamper ?? ((p) => p))({ ...params, Signature: signature });
  const form = new URLSearchParams(sent).toString();
  const response =
    method === "GET"
      ? await fetch(`${url}/?${form}`, { signal: r.signal })
      : await fetch(`${url}/`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form, signal: r.signal });
  return read(response);
}

export interface V3Request {
  readonly key: readonly [string, string];
  readonly action: string;
  readonly version?: ApiVersion;
  readonly query?: Record<string, string>;
  /** Form body parameters (POST). */
  readonly form?: Record<string, string>;
  readonly securityToken?: string;
  readonly date?: string;
  readonly nonce?: string;
  /** Changes to the headers after signing, to test tampering. */
  readonly tamperHeaders?: (headers: Record<string, string>) => Record<string, string>;
  readonly tamperBody?: (body: string) => string;
}

/** Signs (ACS3-HMAC-SHA256) and sends a v3 request the way current Alibaba SDKs do. */
export async function sendV3(url: string, r: V3Request): Promise<RawResponse> {
  const query = Object.entries(r.query ?? {});
  const body = r.form ? new URLSearchParams(r.form).toString() : "";
  const host = new URL(url).host;
  const headers: Record<string, string> = {
    host,
    "x-acs-action": r.action,
    "x-acs-version": r.version ?? "2022-02-22",
    "x-acs-date": r.date ?? timestamp(),
    "x-acs-signature-nonce": r.nonce ?? randomUUID(),
    "x-acs-content-sha256": sha256Hex(body),
    ...(r.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    ...(r.securityToken ? { "x-acs-security-token": r.securityToken } : {}),
  };
  const signedHeaders = Object.keys(headers).sort();
  const method = r.form ? "POST" : "GET";
  const signature = signV3({ method, path: "/", query, headers, signedHeaders, payloadHash: headers["x-acs-content-sha256"]! }, r.key[1]);
  const sent = (r.tamperHeaders ?? ((h) => h))({
    ...headers,
    authorization: `ACS3-HMAC-SHA256 Credential=${r.key[0]},SignedHeaders=${signedHeaders.join(";")},Signature=${signature}`,
  });
  const qs = new URLSearchParams(Object.fromEntries(query)).toString();
  const { host: _host, ...fetchHeaders } = sent;
  const response = await fetch(`${url}/${qs ? `?${qs}` : ""}`, {
    method,
    headers: fetchHeaders,
    ...(r.form ? { body: (r.tamperBody ?? ((b) => b))(body) } : {}),
  });
  return read(response);
}

/** A scaling group row for a test store: an active group of size 0–1 with the service's defaults, and what the test sets. */
export const groupRow = (fields: Pick<ScalingGroupRow, "id" | "regionId" | "name" | "creationTime"> & Partial<ScalingGroupRow>): ScalingGroupRow => ({
  lifecycleState: "Active",
  minSize: 0,
  maxSize: 1,
  defaultCooldown: 300,
  removalPolicies: [],
  vswitchIds: [],
  multiAzPolicy: "PRIORITY",
  healthCheckType: "ECS",
  groupDeletionProtection: false,
  ...fields,
});

/** Undoes schema version 6 (tag signatures, their counters and triggers), to build an older database. */
export const UNDO_SCHEMA_6: Readonly<Record<Dialect, string>> = {
  sqlite: `
    DROP TRIGGER scaling_groups_signature_counted_change;
    DROP TRIGGER scaling_groups_signature_counted_delete;
    DROP TRIGGER scaling_groups_signed_insert;
    DROP TRIGGER scaling_groups_signed_move;
    DROP TRIGGER scaling_group_tags_signed_insert;
    DROP TRIGGER scaling_group_tags_signed_delete;
    DROP TRIGGER scaling_group_tags_signed_update;
    DROP TABLE scaling_group_signature_counts;
    DROP TABLE scaling_group_tag_signatures;
    ALTER TABLE scaling_groups DROP COLUMN tag_signature;
  `,
  postgres: `
    DROP TRIGGER scaling_groups_signature_counted_change ON scaling_groups;
    DROP TRIGGER scaling_groups_signature_counted_delete ON scaling_groups;
    DROP TRIGGER scaling_groups_signed_insert ON scaling_groups;
    DROP TRIGGER scaling_groups_signed_move ON scaling_groups;
    DROP TRIGGER scaling_group_tags_signed ON scaling_group_tags;
    DROP TRIGGER scaling_group_tags_signed_update ON scaling_group_tags;
    DROP FUNCTION scaling_groups_count_signature();
    DROP FUNCTION scaling_groups_signed();
    DROP FUNCTION scaling_groups_sign(TEXT);
    DROP TABLE scaling_group_signature_counts;
    DROP TABLE scaling_group_tag_signatures;
    ALTER TABLE scaling_groups DROP COLUMN tag_signature;
  `,
};

const UNDO_ID_COLUMN = `
  DROP INDEX scaling_groups_region_id;
  DROP INDEX scaling_groups_region_id_reversed;
  DROP INDEX scaling_groups_odd_ids;
  ALTER TABLE scaling_groups DROP COLUMN id_reversed;
`;

/** Undoes schema version 7 (the reversed id, the id indexes and the triggers keeping the reversed id), to build an older database. */
export const UNDO_SCHEMA_7: Readonly<Record<Dialect, string>> = {
  sqlite: `
    DROP TRIGGER scaling_groups_id_reversed_written;
    DROP TRIGGER scaling_groups_id_fixed;
    ${UNDO_ID_COLUMN}`,
  postgres: `
    DROP TRIGGER scaling_groups_id_reversed ON scaling_groups;
    DROP FUNCTION scaling_groups_reverse_id();
    ${UNDO_ID_COLUMN}`,
};

/** Undoes schema version 8 (the children's region-order indexes), to build an older database. */
const UNDO_CHILD_ORDER = ["scaling_configurations", "scaling_rules", "lifecycle_hooks", "scheduled_tasks", "alarms"].map((table) => `DROP INDEX ${table}_region_order;`).join("\n");
export const UNDO_SCHEMA_8: Readonly<Record<Dialect, string>> = { sqlite: UNDO_CHILD_ORDER, postgres: UNDO_CHILD_ORDER };

/** Undoes schema version 5 (tag seek indexes, the region group counter and its triggers), to build an older database. */
export const UNDO_SCHEMA_5: Readonly<Record<Dialect, string>> = {
  sqlite: `
    DROP TRIGGER scaling_groups_counted_insert;
    DROP TRIGGER scaling_groups_counted_delete;
    DROP TRIGGER scaling_groups_counted_move;
    DROP TABLE scaling_group_region_counts;
    DROP INDEX scaling_group_tags_value;
    DROP INDEX scaling_group_tags_value_lower;
  `,
  postgres: `
    DROP TRIGGER scaling_groups_counted_insert ON scaling_groups;
    DROP TRIGGER scaling_groups_counted_delete ON scaling_groups;
    DROP TRIGGER scaling_groups_counted_move ON scaling_groups;
    DROP FUNCTION scaling_groups_count_region();
    DROP INDEX scaling_groups_id_pattern;
    DROP TABLE scaling_group_region_counts;
    DROP INDEX scaling_group_tags_value;
    DROP INDEX scaling_group_tags_value_lower;
  `,
};
