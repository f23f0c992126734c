/**
 * The reference service's state in SQLite (better-sqlite3, WAL). It is also the `GroupSource` and
 * `ChildResolver` the middleware authorizes with: what is authorized is exactly what is stored. Its `nonces`
 * are the middleware's nonce store.
 */
import { randomInt, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { AllowedGroupProbe, ChildKind, ChildResolution, ChildResolver, GroupInfo, GroupSource } from "../ess/types.js";
import type { NonceStore } from "../middleware/nonce.js";
import { resourceTagKey } from "../evaluate/context.js";
import type { ListResidual } from "../residual/residual.js";
import { carrying, pageGroups } from "./list.js";

/** Each entry upgrades the schema by one version (`PRAGMA user_version`); never edit a released entry. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE scaling_groups (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    name TEXT NOT NULL,
    resource_group_id TEXT,
    lifecycle_state TEXT NOT NULL,
    min_size INTEGER NOT NULL,
    max_size INTEGER NOT NULL,
    desired_capacity INTEGER,
    default_cooldown INTEGER NOT NULL,
    active_scaling_configuration_id TEXT,
    removal_policies TEXT NOT NULL,
    vswitch_ids TEXT NOT NULL,
    multi_az_policy TEXT NOT NULL,
    health_check_type TEXT NOT NULL,
    group_deletion_protection INTEGER NOT NULL,
    creation_time TEXT NOT NULL,
    UNIQUE (region_id, name)
  ) STRICT;
  CREATE TABLE scaling_group_tags (
    group_id TEXT NOT NULL REFERENCES scaling_groups (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    propagate INTEGER NOT NULL,
    PRIMARY KEY (group_id, key)
  ) STRICT;
  CREATE TABLE scaling_configurations (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES scaling_groups (id) ON DELETE CASCADE,
    region_id TEXT NOT NULL,
    name TEXT NOT NULL,
    image_id TEXT,
    instance_types TEXT NOT NULL,
    security_group_ids TEXT NOT NULL,
    instance_tags TEXT,
    creation_time TEXT NOT NULL,
    UNIQUE (group_id, name)
  ) STRICT;
  CREATE TABLE scaling_rules (
    id TEXT PRIMARY KEY,
    ari TEXT NOT NULL UNIQUE,
    group_id TEXT NOT NULL REFERENCES scaling_groups (id) ON DELETE CASCADE,
    region_id TEXT NOT NULL,
    name TEXT NOT NULL,
    rule_type TEXT NOT NULL,
    adjustment_type TEXT,
    adjustment_value INTEGER,
    cooldown INTEGER,
    metric_name TEXT,
    target_value REAL,
    creation_time TEXT NOT NULL,
    UNIQUE (group_id, name)
  ) STRICT;
  CREATE TABLE scheduled_tasks (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    name TEXT NOT NULL,
    group_id TEXT REFERENCES scaling_groups (id) ON DELETE CASCADE,
    scheduled_action TEXT,
    description TEXT,
    launch_time TEXT NOT NULL,
    launch_expiration_time INTEGER,
    recurrence_type TEXT,
    recurrence_value TEXT,
    recurrence_end_time TEXT,
    task_enabled INTEGER NOT NULL,
    min_value INTEGER,
    max_value INTEGER,
    desired_capacity INTEGER,
    creation_time TEXT NOT NULL,
    UNIQUE (region_id, name)
  ) STRICT;
  CREATE TABLE alarms (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    name TEXT NOT NULL,
    group_id TEXT REFERENCES scaling_groups (id) ON DELETE CASCADE,
    description TEXT,
    metric_type TEXT NOT NULL,
    metric_name TEXT NOT NULL,
    period INTEGER NOT NULL,
    statistics TEXT NOT NULL,
    comparison_operator TEXT NOT NULL,
    threshold REAL NOT NULL,
    evaluation_count INTEGER NOT NULL,
    alarm_actions TEXT NOT NULL,
    enable INTEGER NOT NULL,
    state TEXT NOT NULL,
    creation_time TEXT NOT NULL
  ) STRICT;
  CREATE TABLE lifecycle_hooks (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES scaling_groups (id) ON DELETE CASCADE,
    region_id TEXT NOT NULL,
    name TEXT NOT NULL,
    lifecycle_transition TEXT NOT NULL,
    default_result TEXT NOT NULL,
    heartbeat_timeout INTEGER NOT NULL,
    notification_arn TEXT,
    notification_metadata TEXT,
    creation_time TEXT NOT NULL,
    UNIQUE (group_id, name)
  ) STRICT;
  CREATE TABLE scaling_activities (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES scaling_groups (id) ON DELETE CASCADE,
    region_id TEXT NOT NULL,
    description TEXT NOT NULL,
    status_code TEXT NOT NULL,
    start_time TEXT NOT NULL
  ) STRICT;
  CREATE INDEX scaling_groups_region ON scaling_groups (region_id);
  CREATE INDEX scaling_configurations_group ON scaling_configurations (group_id);
  CREATE INDEX scaling_rules_group ON scaling_rules (group_id);
  CREATE INDEX scheduled_tasks_group ON scheduled_tasks (group_id);
  CREATE INDEX alarms_group ON alarms (group_id);
  CREATE INDEX lifecycle_hooks_group ON lifecycle_hooks (group_id);
  CREATE INDEX scaling_activities_group ON scaling_activities (group_id);
  `,
  // Signature nonces outlive a restart: otherwise a captured request replays after one (SECURITY.md G7).
  `
  CREATE TABLE signature_nonces (
    key TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX signature_nonces_expiry ON signature_nonces (expires_at);
  `,
  // List calls filter and page in SQL (src/residual/sql.ts): tag keys folded as the engine folds them, values
  // lower-cased for StringEqualsIgnoreCase, both computed in JavaScript (backfilled on open, see foldTags).
  `
  ALTER TABLE scaling_group_tags ADD COLUMN context_key TEXT NOT NULL DEFAULT '';
  ALTER TABLE scaling_group_tags ADD COLUMN value_lower TEXT NOT NULL DEFAULT '';
  CREATE INDEX scaling_group_tags_context ON scaling_group_tags (group_id, context_key, value);
  CREATE INDEX scaling_groups_region_order ON scaling_groups (region_id, creation_time, id);
  `,
  // List calls visit only the groups a tag condition names (src/service/list.ts seeks them by key and value, or
  // by key and lower-cased value), and read a region's group count from a counter the triggers keep.
  `
  CREATE INDEX scaling_group_tags_value ON scaling_group_tags (context_key, value, group_id);
  CREATE INDEX scaling_group_tags_value_lower ON scaling_group_tags (context_key, value_lower, group_id);
  CREATE TABLE scaling_group_region_counts (
    region_id TEXT PRIMARY KEY,
    group_count INTEGER NOT NULL
  ) STRICT;
  INSERT INTO scaling_group_region_counts (region_id, group_count) SELECT region_id, COUNT(*) FROM scaling_groups GROUP BY region_id;
  CREATE TRIGGER scaling_groups_counted_insert AFTER INSERT ON scaling_groups BEGIN
    INSERT INTO scaling_group_region_counts (region_id, group_count) VALUES (NEW.region_id, 1)
      ON CONFLICT (region_id) DO UPDATE SET group_count = group_count + 1;
  END;
  CREATE TRIGGER scaling_groups_counted_delete AFTER DELETE ON scaling_groups BEGIN
    UPDATE scaling_group_region_counts SET group_count = group_count - 1 WHERE region_id = OLD.region_id;
  END;
  CREATE TRIGGER scaling_groups_counted_move AFTER UPDATE OF region_id ON scaling_groups WHEN NEW.region_id IS NOT OLD.region_id BEGIN
    UPDATE scaling_group_region_counts SET group_count = group_count - 1 WHERE region_id = OLD.region_id;
    INSERT INTO scaling_group_region_counts (region_id, group_count) VALUES (NEW.region_id, 1)
      ON CONFLICT (region_id) DO UPDATE SET group_count = group_count + 1;
  END;
  `,
];


export interface ScalingGroupRow {
  readonly id: string;
  readonly regionId: string;
  readonly name: string;
  readonly resourceGroupId?: string;
  readonly lifecycleState: "Active" | "Inactive";
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity?: number;
  readonly defaultCooldown: number;
  readonly activeScalingConfigurationId?: string;
  readonly removalPolicies: readonly string[];
  readonly vswitchIds: readonly string[];
  readonly multiAzPolicy: string;
  readonly healthCheckType: string;
  readonly groupDeletionProtection: boolean;
  readonly creationTime: string;
}

export interface TagRow {
  readonly key: string;
  readonly value: string;
  readonly propagate: boolean;
}

export interface ScalingConfigurationRow {
  readonly id: string;
  readonly groupId: string;
  readonly regionId: string;
  readonly name: string;
  readonly imageId?: string;
  readonly instanceTypes: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** ECS instance tags, a JSON object (the `Tags` parameter); not scaling-group tags. */
  readonly instanceTags?: Readonly<Record<string, string>>;
  readonly creationTime: string;
}

export interface ScalingRuleRow {
  readonly id: string;
  readonly ari: string;
  readonly groupId: string;
  readonly regionId: string;
  readonly name: string;
  readonly ruleType: string;
  readonly adjustmentType?: string;
  readonly adjustmentValue?: number;
  readonly cooldown?: number;
  readonly metricName?: string;
  readonly targetValue?: number;
  readonly creationTime: string;
}

export interface ScheduledTaskRow {
  readonly id: string;
  readonly regionId: string;
  readonly name: string;
  /** Absent: the task is bound to no group. */
  readonly groupId?: string;
  /** The scaling-rule ARI the task executes, when it runs a rule. */
  readonly scheduledAction?: string;
  readonly description?: string;
  readonly launchTime: string;
  readonly launchExpirationTime?: number;
  readonly recurrenceType?: string;
  readonly recurrenceValue?: string;
  readonly recurrenceEndTime?: string;
  readonly taskEnabled: boolean;
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly desiredCapacity?: number;
  readonly creationTime: string;
}

export interface AlarmRow {
  readonly id: string;
  readonly regionId: string;
  readonly name: string;
  /** Absent: the alarm task is bound to no group. */
  readonly groupId?: string;
  readonly description?: string;
  readonly metricType: string;
  readonly metricName: string;
  readonly period: number;
  readonly statistics: string;
  readonly comparisonOperator: string;
  readonly threshold: number;
  readonly evaluationCount: number;
  readonly alarmActions: readonly string[];
  readonly enable: boolean;
  readonly state: string;
  readonly creationTime: string;
}

export interface LifecycleHookRow {
  readonly id: string;
  readonly groupId: string;
  readonly regionId: string;
  readonly name: string;
  readonly lifecycleTransition: string;
  readonly defaultResult: string;
  readonly heartbeatTimeout: number;
  readonly notificationArn?: string;
  readonly notificationMetadata?: string;
  readonly creationTime: string;
}

export interface ScalingActivityRow {
  readonly id: string;
  readonly groupId: string;
  readonly regionId: string;
  readonly description: string;
  readonly statusCode: string;
  readonly startTime: string;
}

type Row = { readonly id: string };
type SqlValue = string | number | null;

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** better-sqlite3 does not cache: `prepare` compiles anew on every call. This keeps one statement per SQL text. */
function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
}

/**
 * Maps one table's rows to objects: camelCase fields ↔ snake_case columns, booleans ↔ 0/1, arrays and objects
 * ↔ JSON text, `undefined` ↔ NULL. Column names come from this file only, never from requests.
 */
export class Table<R extends Row> {
  private readonly columns: readonly string[];
  private readonly insertRow: Database.Statement;
  private readonly getRow: Database.Statement;
  private readonly removeRow: Database.Statement;
  /** `where` and `update` statements, whose SQL depends on the fields given. */
  private readonly statement: (sql: string) => Database.Statement;

  constructor(
    db: Database.Database,
    private readonly name: string,
    private readonly fields: readonly (keyof R & string)[],
    private readonly booleans: readonly (keyof R & string)[] = [],
    private readonly json: readonly (keyof R & string)[] = [],
  ) {
    this.columns = fields.map(snake);
    this.insertRow = db.prepare(`INSERT INTO ${name} (${this.columns.join(", ")}) VALUES (${this.columns.map(() => "?").join(", ")})`);
    this.getRow = db.prepare(`SELECT * FROM ${name} WHERE id = ?`);
    this.removeRow = db.prepare(`DELETE FROM ${name} WHERE id = ?`);
    this.statement = statementCache(db);
  }

  private toSql(field: keyof R & string, value: unknown): SqlValue {
    if (value === undefined || value === null) return null;
    if (this.booleans.includes(field)) return value ? 1 : 0;
    if (this.json.includes(field)) return JSON.stringify(value);
    return value as SqlValue;
  }

  private fromSql(record: Record<string, SqlValue>): R {
    const row: Record<string, unknown> = {};
    this.fields.forEach((field, i) => {
      const value = record[this.columns[i]!];
      if (value === null || value === undefined) return;
      if (this.booleans.includes(field)) row[field] = value === 1;
      else if (this.json.includes(field)) row[field] = JSON.parse(value as string);
      else row[field] = value;
    });
    return row as R;
  }

  insert(row: R): void {
    const values = this.fields.map((f) => this.toSql(f, row[f]));
    this.insertRow.run(values);
  }

  get(id: string): R | undefined {
    const record = this.getRow.get(id) as Record<string, SqlValue> | undefined;
    return record && this.fromSql(record);
  }

  /** Rows whose fields equal the given values (`undefined` matches NULL), oldest first. */
  where(filter: Partial<R>): R[] {
    const entries = Object.entries(filter) as [keyof R & string, unknown][];
    const clauses = entries.map(([f, v]) => (v === undefined ? `${snake(f)} IS NULL` : `${snake(f)} = ?`));
    const values = entries.filter(([, v]) => v !== undefined).map(([f, v]) => this.toSql(f, v));
    const sql = `SELECT * FROM ${this.name}${clauses.length ? ` WHERE ${clauses.join(" AND ")}` : ""} ORDER BY creation_time, id`;
    return (this.statement(sql).all(values) as Record<string, SqlValue>[]).map((r) => this.fromSql(r));
  }

  /** Sets the given fields; a field given as `undefined` is cleared. */
  update(id: string, patch: Partial<Omit<R, "id">>): void {
    const entries = Object.entries(patch) as [keyof R & string, unknown][];
    if (entries.length === 0) return;
    const sets = entries.map(([f]) => `${snake(f)} = ?`).join(", ");
    this.statement(`UPDATE ${this.name} SET ${sets} WHERE id = ?`).run([...entries.map(([f, v]) => this.toSql(f, v)), id]);
  }

  remove(id: string): boolean {
    return this.removeRow.run(id).changes > 0;
  }
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `prefix` + 20 lower-case letters and digits, as ESS ids look (`asg-bp17np35ywjwh2cx0001`). */
export function newId(prefix: "asg-" | "asc-" | "asr-" | "ash-" | "asa-"): string {
  let id = prefix;
  for (let i = 0; i < 20; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** Scheduled tasks have unprefixed GUIDs; alarm tasks `<group id>_<uuid>` when bound (ess-api-catalog §2). */
export const newTaskId = (): string => randomUUID();

export const newAlarmTaskId = (groupId: string | undefined): string => (groupId ? `${groupId}_${randomUUID()}` : randomUUID());

/** ESS timestamps: UTC to the second, `YYYY-MM-DDThh:mmZ` in most responses; seconds kept here. */
export const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * Signature nonces in the service's database, so a replay is refused after a restart too. Expired nonces are
 * pruned on every call; the index on expiry keeps that a short range scan.
 */
export class SqliteNonceStore implements NonceStore {
  private readonly prune: Database.Statement;
  private readonly insert: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.prune = db.prepare("DELETE FROM signature_nonces WHERE expires_at <= ?");
    this.insert = db.prepare("INSERT INTO signature_nonces (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING");
  }

  remember(key: string, ttlMs: number, now: number): boolean {
    return this.db.transaction(() => {
      this.prune.run(now);
      // After pruning, a conflict can only be a live nonce.
      return this.insert.run(key, now + ttlMs).changes === 1;
    })();
  }
}

export class SqliteStore implements GroupSource, ChildResolver {
  readonly db: Database.Database;
  readonly groups: Table<ScalingGroupRow>;
  readonly configurations: Table<ScalingConfigurationRow>;
  readonly rules: Table<ScalingRuleRow>;
  readonly scheduledTasks: Table<ScheduledTaskRow>;
  readonly alarms: Table<AlarmRow>;
  readonly lifecycleHooks: Table<LifecycleHookRow>;
  readonly activities: Table<ScalingActivityRow>;
  readonly nonces: SqliteNonceStore;
  /** A prepared statement per SQL text, for queries whose text depends on the request (residual filters). */
  readonly statement: (sql: string) => Database.Statement;
  private readonly selectTags: Database.Statement;
  private readonly upsertTag: Database.Statement;
  private readonly deleteTags: Database.Statement;
  private readonly deleteTag: Database.Statement;

  /** Opens (creating it and its directory when absent) and migrates the database. `:memory:` works too. */
  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    this.migrate();
    this.groups = new Table(
      this.db,
      "scaling_groups",
      ["id", "regionId", "name", "resourceGroupId", "lifecycleState", "minSize", "maxSize", "desiredCapacity", "defaultCooldown",
        "activeScalingConfigurationId", "removalPolicies", "vswitchIds", "multiAzPolicy", "healthCheckType", "groupDeletionProtection", "creationTime"],
      ["groupDeletionProtection"],
      ["removalPolicies", "vswitchIds"],
    );
    this.configurations = new Table(
      this.db,
      "scaling_configurations",
      ["id", "groupId", "regionId", "name", "imageId", "instanceTypes", "securityGroupIds", "instanceTags", "creationTime"],
      [],
      ["instanceTypes", "securityGroupIds", "instanceTags"],
    );
    this.rules = new Table(this.db, "scaling_rules", [
      "id", "ari", "groupId", "regionId", "name", "ruleType", "adjustmentType", "adjustmentValue", "cooldown", "metricName", "targetValue", "creationTime",
    ]);
    this.scheduledTasks = new Table(
      this.db,
      "scheduled_tasks",
      ["id", "regionId", "name", "groupId", "scheduledAction", "description", "launchTime", "launchExpirationTime", "recurrenceType",
        "recurrenceValue", "recurrenceEndTime", "taskEnabled", "minValue", "maxValue", "desiredCapacity", "creationTime"],
      ["taskEnabled"],
    );
    this.alarms = new Table(
      this.db,
      "alarms",
      ["id", "regionId", "name", "groupId", "description", "metricType", "metricName", "period", "statistics", "comparisonOperator",
        "threshold", "evaluationCount", "alarmActions", "enable", "state", "creationTime"],
      ["enable"],
      ["alarmActions"],
    );
    this.lifecycleHooks = new Table(this.db, "lifecycle_hooks", [
      "id", "groupId", "regionId", "name", "lifecycleTransition", "defaultResult", "heartbeatTimeout", "notificationArn", "notificationMetadata", "creationTime",
    ]);
    this.activities = new Table(this.db, "scaling_activities", ["id", "groupId", "regionId", "description", "statusCode", "startTime"]);
    this.nonces = new SqliteNonceStore(this.db);
    this.statement = statementCache(this.db);
    this.selectTags = this.db.prepare("SELECT key, value, propagate FROM scaling_group_tags WHERE group_id = ? ORDER BY rowid");
    this.upsertTag = this.db.prepare(
      "INSERT INTO scaling_group_tags (group_id, key, value, propagate, context_key, value_lower) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (group_id, key) DO UPDATE SET value = excluded.value, propagate = excluded.propagate, value_lower = excluded.value_lower",
    );
    this.deleteTags = this.db.prepare("DELETE FROM scaling_group_tags WHERE group_id = ?");
    this.deleteTag = this.db.prepare("DELETE FROM scaling_group_tags WHERE group_id = ? AND key = ?");
  }

  private migrate(): void {
    const current = this.db.pragma("user_version", { simple: true }) as number;
    if (current > MIGRATIONS.length) throw new Error(`database schema version ${current} is newer than this service (${MIGRATIONS.length})`);
    MIGRATIONS.slice(current).forEach((sql, i) => {
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${current + i + 1}`);
      })();
    });
    this.foldTags();
  }

  /** Fills the folded columns of tags written before they existed (tag keys are never empty, so '' marks them). */
  private foldTags(): void {
    const stale = this.db.prepare("SELECT rowid, key, value FROM scaling_group_tags WHERE context_key = ''").all() as { rowid: number; key: string; value: string }[];
    const fold = this.db.prepare("UPDATE scaling_group_tags SET context_key = ?, value_lower = ? WHERE rowid = ?");
    this.transaction(() => stale.forEach((t) => fold.run(resourceTagKey(t.key), t.value.toLowerCase(), t.rowid)));
  }

  /** Runs `fn` in one transaction: all of its writes happen or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.db.close();
  }

  // ---- tags ----

  tags(groupId: string): TagRow[] {
    return (this.selectTags.all(groupId) as {
      key: string;
      value: string;
      propagate: number;
    }[]).map((t) => ({ key: t.key, value: t.value, propagate: t.propagate === 1 }));
  }

  /** Adds or overwrites tags by exact key (keys differing only in case are different tags, as in ESS). */
  putTags(groupId: string, tags: readonly TagRow[]): void {
    for (const t of tags) this.upsertTag.run(groupId, t.key, t.value, t.propagate ? 1 : 0, resourceTagKey(t.key), t.value.toLowerCase());
  }

  /** Removes the given keys, or every tag when `keys` is `all`. */
  removeTags(groupId: string, keys: readonly string[] | "all"): void {
    if (keys === "all") this.deleteTags.run(groupId);
    else for (const key of keys) this.deleteTag.run(groupId, key);
  }

  // ---- GroupSource / ChildResolver ----

  private info(row: ScalingGroupRow): GroupInfo {
    return {
      scalingGroupId: row.id,
      regionId: row.regionId,
      tags: this.tags(row.id).map((t) => [t.key, t.value] as const),
      ...(row.resourceGroupId ? { resourceGroupId: row.resourceGroupId } : {}),
    };
  }

  getGroup(scalingGroupId: string, regionId: string): GroupInfo | undefined {
    const row = this.groups.get(scalingGroupId);
    return row && row.regionId === regionId ? this.info(row) : undefined;
  }

  listGroups(regionId: string): GroupInfo[] {
    return this.groups.where({ regionId }).map((row) => this.info(row));
  }

  /** The oldest allowed group carrying the tags, found in SQL (see src/service/list.ts). */
  findAllowed(regionId: string, allowed: ListResidual, tags: readonly (readonly [string, string])[]): AllowedGroupProbe {
    const where = carrying(tags);
    const [first] = pageGroups(this, allowed, { regionId, offset: 0, limit: 1, where, count: false }).ids;
    if (first !== undefined) return { candidates: true, group: this.getGroup(first, regionId)! };
    const sql = `SELECT EXISTS (SELECT 1 FROM scaling_groups g WHERE ${["g.region_id = ?", ...where.map((c) => c.sql)].join(" AND ")})`;
    return { candidates: this.statement(sql).pluck().get(regionId, ...where.flatMap((c) => c.params)) === 1 };
  }

  /** Looks the child up by its exact id in the region; never infers a group from an id's shape. */
  resolve(kind: ChildKind, id: string, regionId: string): ChildResolution {
    const owner = ((): { regionId: string; groupId?: string } | undefined => {
      switch (kind) {
        case "ScalingConfiguration":
          return this.configurations.get(id);
        case "ScalingRule":
          return this.rules.get(id);
        case "AlarmTask":
          return this.alarms.get(id);
        case "LifecycleHook":
          return this.lifecycleHooks.get(id);
        case "ScheduledTask":
          return this.scheduledTasks.get(id);
        case "ScalingActivity":
          return this.activities.get(id);
        default:
          // Instances and diagnose reports are not kept by this service.
          return undefined;
      }
    })();
    if (!owner || owner.regionId !== regionId) return { kind: "notFound" };
    return owner.groupId === undefined ? { kind: "unbound" } : { kind: "group", scalingGroupId: owner.groupId };
  }
}
