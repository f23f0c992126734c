/**
 * The reference service's state in SQLite or PostgreSQL (src/service/database.ts), one implementation over
 * both through Kysely. It is also the `GroupSource` and `ChildResolver` the middleware authorizes with: what is
 * authorized is exactly what is stored. Its `nonces` are the middleware's nonce store.
 *
 * Both dialects store the same columns the same way: booleans as 0/1 integers, lists and objects as JSON
 * text, timestamps as ISO text; so rows map to objects alike and the list-call SQL differs only where
 * src/residual/sql.ts says (its `dialect`).
 */
import { randomInt, randomUUID } from "node:crypto";
import { CompiledQuery, type Kysely } from "kysely";
import type { AllowedGroupProbe, ChildKind, ChildResolution, ChildResolver, GroupInfo, GroupSource } from "../ess/types.js";
import { storeCall, type NonceStore } from "../middleware/nonce.js";
import { resourceTagKey } from "../evaluate/context.js";
import type { ListResidual } from "../residual/residual.js";
import { reversedId } from "../residual/ids.js";

/**
 * Group ids the service stores are ASCII, as ESS's are (and neither empty nor holding NUL, which SQLite's GLOB stops at): list calls filter in SQL with `asciiIds`
 * (src/service/list.ts), where `lower()` folds ASCII only, so a Deny that ignores case could miss a non-ASCII id
 * that the engine would fold, and list a group it denies.
 */
export function storableGroupId(id: string): string {
  if (!/^[\x01-\x7f]+$/.test(id)) throw new Error(`scaling group id ${JSON.stringify(id)} is not ASCII text (ESS ids are; empty and NUL are refused too)`);
  return id;
}
import { DatabaseTargetError, openDatabase, type OpenDatabaseOptions, type SqlDialect } from "./database.js";
import { carrying, pageGroups } from "./list.js";

/**
 * A group's tag signature in SQLite (`g` its row): `[resource group, [[key, value]…]]` with tags by key (binary),
 * which are unique per group.
 */
const sqliteSignature = (g: string): string =>
  `json_array(${g}.resource_group_id, json((SELECT json_group_array(json_array(t.key, t.value) ORDER BY t.key) FROM scaling_group_tags t WHERE t.group_id = ${g}.id)))`;

/**
 * Points the group `id` at its signature's row, created when new (a trigger's statements; none when the group is
 * gone). The UPDATE names its table rather than an alias: SQLite re-reads triggers when a column of the table is
 * dropped or renamed, and fails on an aliased UPDATE target there.
 */
const sqliteSign = (id: string): string => `
      INSERT INTO scaling_group_tag_signatures (signature) SELECT ${sqliteSignature("g")} FROM scaling_groups g WHERE g.id = ${id} ON CONFLICT (signature) DO NOTHING;
      UPDATE scaling_groups SET tag_signature = (SELECT s.id FROM scaling_group_tag_signatures s WHERE s.signature = ${sqliteSignature("scaling_groups")}) WHERE id = ${id};`;

/** A trigger's statements taking the old row out of its (region, signature) count, dropped at zero. */
const sqliteUncount = `
      UPDATE scaling_group_signature_counts SET group_count = group_count - 1 WHERE region_id = OLD.region_id AND signature_id = OLD.tag_signature;
      DELETE FROM scaling_group_signature_counts WHERE region_id = OLD.region_id AND signature_id = OLD.tag_signature AND group_count = 0;`;

/**
 * Each entry upgrades the schema by one version; never edit a released entry. Versions are counted by
 * `PRAGMA user_version` in SQLite and in the table `ess_authz_schema_version` in PostgreSQL. An entry is SQL for
 * both dialects, written for SQLite and translated by `forDialect`, or one text per dialect.
 */
const MIGRATIONS: readonly (string | { readonly sqlite: string; readonly postgres: string })[] = [
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
  // Secrets every replica must share (the diagnostic key of a PostgreSQL service), created by the first to ask.
  // PostgreSQL tag rows get the `rowid` SQLite gives every row, so "the order tags were written" is one SQL text.
  {
    sqlite: "CREATE TABLE service_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;",
    postgres: `
    CREATE TABLE service_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    ALTER TABLE scaling_group_tags ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
    `,
  },
  // List calls visit only the groups a tag condition names (src/service/list.ts seeks them by key and value, or
  // by key and lower-cased value), and read a region's group count from a counter the triggers keep.
  // PostgreSQL: an id index by code point, so an ARN pattern's id prefix (LIKE 'asg-00%') seeks it whatever the
  // database's collation; one plpgsql trigger function; the counter row's update locks it until commit, so replicas
  // creating or deleting groups of one region at once each count (READ COMMITTED re-reads the locked row).
  {
    sqlite: `
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
    postgres: `
    CREATE INDEX scaling_group_tags_value ON scaling_group_tags (context_key, value, group_id);
    CREATE INDEX scaling_group_tags_value_lower ON scaling_group_tags (context_key, value_lower, group_id);
    CREATE INDEX scaling_groups_id_pattern ON scaling_groups (id text_pattern_ops);
    CREATE TABLE scaling_group_region_counts (
      region_id TEXT PRIMARY KEY,
      group_count BIGINT NOT NULL
    );
    INSERT INTO scaling_group_region_counts (region_id, group_count) SELECT region_id, COUNT(*) FROM scaling_groups GROUP BY region_id;
    CREATE FUNCTION scaling_groups_count_region() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        UPDATE scaling_group_region_counts SET group_count = group_count - 1 WHERE region_id = OLD.region_id;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO scaling_group_region_counts AS c (region_id, group_count) VALUES (NEW.region_id, 1)
          ON CONFLICT (region_id) DO UPDATE SET group_count = c.group_count + 1;
      END IF;
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER scaling_groups_counted_insert AFTER INSERT ON scaling_groups
      FOR EACH ROW EXECUTE FUNCTION scaling_groups_count_region();
    CREATE TRIGGER scaling_groups_counted_delete AFTER DELETE ON scaling_groups
      FOR EACH ROW EXECUTE FUNCTION scaling_groups_count_region();
    CREATE TRIGGER scaling_groups_counted_move AFTER UPDATE OF region_id ON scaling_groups
      FOR EACH ROW WHEN (NEW.region_id IS DISTINCT FROM OLD.region_id) EXECUTE FUNCTION scaling_groups_count_region();
    `,
  },
  // Tag signatures: groups with the same tags (exact keys and values) and resource group are decided alike by any
  // residual that does not read the group's id, so a list call decides each signature once and sums its groups
  // (src/service/list.ts). Each group points at the row of its canonical tag list (`[resource group, [[key,
  // value]…] by key]`, JSON), re-signed by triggers on every write to its tags or resource group; a counter per
  // (region, signature) is kept like the region's, dropped at zero. Two rows for one tag set (PostgreSQL replicas
  // signing it at once) only split its count in two; a row is always exactly one tag set. Signature rows are not
  // deleted (a group tagged key by key passes through several): list calls read only the counted ones.
  {
    sqlite: `
    ALTER TABLE scaling_groups ADD COLUMN tag_signature INTEGER;
    CREATE TABLE scaling_group_tag_signatures (
      id INTEGER PRIMARY KEY,
      signature TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE TABLE scaling_group_signature_counts (
      region_id TEXT NOT NULL,
      signature_id INTEGER NOT NULL,
      group_count INTEGER NOT NULL,
      PRIMARY KEY (region_id, signature_id)
    ) STRICT;
    CREATE TRIGGER scaling_groups_signature_counted_change AFTER UPDATE OF region_id, tag_signature ON scaling_groups
      WHEN NEW.region_id IS NOT OLD.region_id OR NEW.tag_signature IS NOT OLD.tag_signature BEGIN
      ${sqliteUncount}
      INSERT INTO scaling_group_signature_counts (region_id, signature_id, group_count) SELECT NEW.region_id, NEW.tag_signature, 1 WHERE NEW.tag_signature IS NOT NULL
        ON CONFLICT (region_id, signature_id) DO UPDATE SET group_count = group_count + 1;
    END;
    CREATE TRIGGER scaling_groups_signature_counted_delete AFTER DELETE ON scaling_groups BEGIN
      ${sqliteUncount}
    END;
    CREATE TRIGGER scaling_groups_signed_insert AFTER INSERT ON scaling_groups BEGIN
      ${sqliteSign("NEW.id")}
    END;
    CREATE TRIGGER scaling_groups_signed_move AFTER UPDATE OF resource_group_id ON scaling_groups WHEN NEW.resource_group_id IS NOT OLD.resource_group_id BEGIN
      ${sqliteSign("NEW.id")}
    END;
    CREATE TRIGGER scaling_group_tags_signed_insert AFTER INSERT ON scaling_group_tags BEGIN
      ${sqliteSign("NEW.group_id")}
    END;
    CREATE TRIGGER scaling_group_tags_signed_delete AFTER DELETE ON scaling_group_tags BEGIN
      ${sqliteSign("OLD.group_id")}
    END;
    CREATE TRIGGER scaling_group_tags_signed_update AFTER UPDATE OF group_id, key, value ON scaling_group_tags
      WHEN NEW.group_id IS NOT OLD.group_id OR NEW.key IS NOT OLD.key OR NEW.value IS NOT OLD.value BEGIN
      ${sqliteSign("OLD.group_id")}
      ${sqliteSign("NEW.group_id")}
    END;
    INSERT INTO scaling_group_tag_signatures (signature) SELECT DISTINCT ${sqliteSignature("g")} FROM scaling_groups g WHERE true ON CONFLICT (signature) DO NOTHING;
    UPDATE scaling_groups AS g SET tag_signature = (SELECT s.id FROM scaling_group_tag_signatures s WHERE s.signature = ${sqliteSignature("g")});
  `,
    // PostgreSQL: btree keys are limited to about 2.7 kB, and 20 tags of 128-character keys and values exceed it,
    // so signatures are found by a hash of their text, then compared whole, and not declared unique.
    postgres: `
    ALTER TABLE scaling_groups ADD COLUMN tag_signature BIGINT;
    CREATE TABLE scaling_group_tag_signatures (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      signature TEXT NOT NULL
    );
    CREATE INDEX scaling_group_tag_signatures_text ON scaling_group_tag_signatures (md5(signature));
    CREATE TABLE scaling_group_signature_counts (
      region_id TEXT NOT NULL,
      signature_id BIGINT NOT NULL,
      group_count BIGINT NOT NULL,
      PRIMARY KEY (region_id, signature_id)
    );
    CREATE FUNCTION scaling_groups_sign(signed_id TEXT) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      canonical TEXT;
      found_id BIGINT;
    BEGIN
      SELECT json_build_array(g.resource_group_id, (SELECT COALESCE(json_agg(json_build_array(t.key, t.value) ORDER BY t.key COLLATE "C"), '[]'::json)
        FROM scaling_group_tags t WHERE t.group_id = g.id))::text INTO canonical FROM scaling_groups g WHERE g.id = signed_id;
      IF canonical IS NULL THEN RETURN; END IF; -- the group is being deleted (its tags go by cascade)
      SELECT s.id INTO found_id FROM scaling_group_tag_signatures s WHERE md5(s.signature) = md5(canonical) AND s.signature = canonical LIMIT 1;
      IF found_id IS NULL THEN
        INSERT INTO scaling_group_tag_signatures (signature) VALUES (canonical) RETURNING id INTO found_id;
      END IF;
      UPDATE scaling_groups SET tag_signature = found_id WHERE id = signed_id AND tag_signature IS DISTINCT FROM found_id;
    END
    $$;
    CREATE FUNCTION scaling_groups_signed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_TABLE_NAME = 'scaling_groups' THEN
        PERFORM scaling_groups_sign(NEW.id);
        RETURN NULL;
      END IF;
      IF TG_OP <> 'INSERT' THEN PERFORM scaling_groups_sign(OLD.group_id); END IF;
      IF TG_OP <> 'DELETE' THEN PERFORM scaling_groups_sign(NEW.group_id); END IF;
      RETURN NULL;
    END
    $$;
    CREATE FUNCTION scaling_groups_count_signature() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND OLD.tag_signature IS NOT NULL THEN
        UPDATE scaling_group_signature_counts SET group_count = group_count - 1 WHERE region_id = OLD.region_id AND signature_id = OLD.tag_signature;
        DELETE FROM scaling_group_signature_counts WHERE region_id = OLD.region_id AND signature_id = OLD.tag_signature AND group_count = 0;
      END IF;
      IF TG_OP <> 'DELETE' AND NEW.tag_signature IS NOT NULL THEN
        INSERT INTO scaling_group_signature_counts AS c (region_id, signature_id, group_count) VALUES (NEW.region_id, NEW.tag_signature, 1)
          ON CONFLICT (region_id, signature_id) DO UPDATE SET group_count = c.group_count + 1;
      END IF;
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER scaling_groups_signature_counted_change AFTER UPDATE OF region_id, tag_signature ON scaling_groups FOR EACH ROW
      WHEN (NEW.region_id IS DISTINCT FROM OLD.region_id OR NEW.tag_signature IS DISTINCT FROM OLD.tag_signature) EXECUTE FUNCTION scaling_groups_count_signature();
    CREATE TRIGGER scaling_groups_signature_counted_delete AFTER DELETE ON scaling_groups FOR EACH ROW EXECUTE FUNCTION scaling_groups_count_signature();
    CREATE TRIGGER scaling_groups_signed_insert AFTER INSERT ON scaling_groups FOR EACH ROW EXECUTE FUNCTION scaling_groups_signed();
    CREATE TRIGGER scaling_groups_signed_move AFTER UPDATE OF resource_group_id ON scaling_groups FOR EACH ROW
      WHEN (NEW.resource_group_id IS DISTINCT FROM OLD.resource_group_id) EXECUTE FUNCTION scaling_groups_signed();
    CREATE TRIGGER scaling_group_tags_signed AFTER INSERT OR DELETE ON scaling_group_tags FOR EACH ROW EXECUTE FUNCTION scaling_groups_signed();
    CREATE TRIGGER scaling_group_tags_signed_update AFTER UPDATE OF group_id, key, value ON scaling_group_tags FOR EACH ROW
      WHEN (NEW.group_id IS DISTINCT FROM OLD.group_id OR NEW.key IS DISTINCT FROM OLD.key OR NEW.value IS DISTINCT FROM OLD.value) EXECUTE FUNCTION scaling_groups_signed();
    SELECT scaling_groups_sign(id) FROM scaling_groups;
    `,
  },
  // List calls count the groups of an ARN pattern's id prefix or id suffix from an index (src/residual/ids.ts):
  // the id and the id reversed (written by the application, backfilled on open, see reverseIds), both by code point,
  // and the few ids holding `:` or `/`, which a `*` running from the ARN into the id may need (src/service/list.ts
  // names them with the same text, so that both databases see the partial index applies). A write that would leave
  // the reversed id stale is refused (SQLite) or the id reversed by a trigger (PostgreSQL, whose reverse() reads code
  // points too): a stale one would hide a group from the covers.
  {
    sqlite: `
    ALTER TABLE scaling_groups ADD COLUMN id_reversed TEXT NOT NULL DEFAULT '';
    CREATE INDEX scaling_groups_region_id ON scaling_groups (region_id, id);
    CREATE INDEX scaling_groups_region_id_reversed ON scaling_groups (region_id, id_reversed, id);
    CREATE INDEX scaling_groups_odd_ids ON scaling_groups (region_id, id) WHERE (id LIKE '%:%' OR id LIKE '%/%');
    CREATE TRIGGER scaling_groups_id_reversed_written BEFORE INSERT ON scaling_groups WHEN NEW.id_reversed = '' BEGIN
      SELECT RAISE(ABORT, 'scaling_groups.id_reversed must be written with the id');
    END;
    CREATE TRIGGER scaling_groups_id_fixed BEFORE UPDATE OF id, id_reversed ON scaling_groups
      WHEN NEW.id IS NOT OLD.id OR (OLD.id_reversed <> '' AND NEW.id_reversed IS NOT OLD.id_reversed) BEGIN
      SELECT RAISE(ABORT, 'a scaling group id never changes');
    END;
    `,
    postgres: `
    ALTER TABLE scaling_groups ADD COLUMN id_reversed TEXT NOT NULL DEFAULT '';
    CREATE INDEX scaling_groups_region_id ON scaling_groups (region_id, id COLLATE "C");
    CREATE INDEX scaling_groups_region_id_reversed ON scaling_groups (region_id, id_reversed COLLATE "C", id);
    CREATE INDEX scaling_groups_odd_ids ON scaling_groups (region_id, id) WHERE (id LIKE '%:%' OR id LIKE '%/%');
    CREATE FUNCTION scaling_groups_reverse_id() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.id_reversed := reverse(NEW.id);
      RETURN NEW;
    END
    $$;
    CREATE TRIGGER scaling_groups_id_reversed BEFORE INSERT OR UPDATE OF id, id_reversed ON scaling_groups
      FOR EACH ROW EXECUTE FUNCTION scaling_groups_reverse_id();
    `,
  },
  // A region's children (configurations, rules, hooks, tasks) in the order list calls page them, as the groups have
  // had since version 2: a page walks the index and stops, where it sorted every child of the region.
  {
    sqlite: `
    CREATE INDEX scaling_configurations_region_order ON scaling_configurations (region_id, creation_time, id);
    CREATE INDEX scaling_rules_region_order ON scaling_rules (region_id, creation_time, id);
    CREATE INDEX lifecycle_hooks_region_order ON lifecycle_hooks (region_id, creation_time, id);
    CREATE INDEX scheduled_tasks_region_order ON scheduled_tasks (region_id, creation_time, id);
    CREATE INDEX alarms_region_order ON alarms (region_id, creation_time, id);
    `,
    postgres: `
    CREATE INDEX scaling_configurations_region_order ON scaling_configurations (region_id, creation_time, id COLLATE "C");
    CREATE INDEX scaling_rules_region_order ON scaling_rules (region_id, creation_time, id COLLATE "C");
    CREATE INDEX lifecycle_hooks_region_order ON lifecycle_hooks (region_id, creation_time, id COLLATE "C");
    CREATE INDEX scheduled_tasks_region_order ON scheduled_tasks (region_id, creation_time, id COLLATE "C");
    CREATE INDEX alarms_region_order ON alarms (region_id, creation_time, id COLLATE "C");
    `,
  },
];

/** A script's statements, one per query as SQLite runs them; a trigger's body (`BEGIN … END;`) stays whole. */
function sqliteStatements(script: string): string[] {
  const statements: string[] = [];
  let pending = "";
  for (const part of script.split(";")) {
    pending = pending === "" ? part : `${pending};${part}`;
    if (/^\s*CREATE\s+TRIGGER\b/i.test(pending) && !/\bEND\s*$/i.test(pending)) continue;
    if (pending.trim() !== "") statements.push(pending);
    pending = "";
  }
  return statements;
}

/** A migration's SQL in the dialect: PostgreSQL has no STRICT tables, and its INTEGER and REAL are 4 bytes. */
function forDialect(entry: (typeof MIGRATIONS)[number], dialect: SqlDialect): string {
  if (typeof entry !== "string") return entry[dialect];
  if (dialect === "sqlite") return entry;
  return entry.replace(/\)\s*STRICT;/g, ");").replace(/\bINTEGER\b/g, "BIGINT").replace(/\bREAL\b/g, "DOUBLE PRECISION");
}



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

/** `?` placeholders (the SQL of this service never has a `?` elsewhere) as PostgreSQL's `$1, $2, …`. */
const numbered = (text: string): string => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** What a table needs of the store: raw SQL with `?` placeholders, in the store's transaction if it has one. */
interface SqlRunner {
  query<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  execute(text: string, params?: readonly unknown[]): Promise<number>;
}

/**
 * Maps one table's rows to objects: camelCase fields ↔ snake_case columns, booleans ↔ 0/1, arrays and objects
 * ↔ JSON text, `undefined` ↔ NULL. Column names come from this file only, never from requests.
 */
export class Table<R extends Row> {
  private readonly columns: readonly string[];

  constructor(
    private readonly sql: SqlRunner,
    private readonly name: string,
    private readonly fields: readonly (keyof R & string)[],
    private readonly booleans: readonly (keyof R & string)[] = [],
    private readonly json: readonly (keyof R & string)[] = [],
    /** Columns the table derives from a row, written with it (never changed by `update`, which cannot set `id`). */
    private readonly derived: (row: R) => Record<string, SqlValue> = () => ({}),
  ) {
    this.columns = fields.map(snake);
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

  async insert(row: R): Promise<void> {
    const derived = Object.entries(this.derived(row));
    const columns = [...this.columns, ...derived.map(([column]) => column)];
    const values = [...this.fields.map((f) => this.toSql(f, row[f])), ...derived.map(([, value]) => value)];
    await this.sql.execute(`INSERT INTO ${this.name} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`, values);
  }

  async get(id: string): Promise<R | undefined> {
    const [record] = await this.sql.query<Record<string, SqlValue>>(`SELECT * FROM ${this.name} WHERE id = ?`, [id]);
    return record && this.fromSql(record);
  }

  /** Rows whose fields equal the given values (`undefined` matches NULL), oldest first. */
  async where(filter: Partial<R>): Promise<R[]> {
    const entries = Object.entries(filter) as [keyof R & string, unknown][];
    const clauses = entries.map(([f, v]) => (v === undefined ? `${snake(f)} IS NULL` : `${snake(f)} = ?`));
    const values = entries.filter(([, v]) => v !== undefined).map(([f, v]) => this.toSql(f, v));
    const sql = `SELECT * FROM ${this.name}${clauses.length ? ` WHERE ${clauses.join(" AND ")}` : ""} ORDER BY creation_time, id`;
    return (await this.sql.query<Record<string, SqlValue>>(sql, values)).map((r) => this.fromSql(r));
  }

  /** Sets the given fields; a field given as `undefined` is cleared. */
  async update(id: string, patch: Partial<Omit<R, "id">>): Promise<void> {
    const entries = Object.entries(patch) as [keyof R & string, unknown][];
    if (entries.length === 0) return;
    const sets = entries.map(([f]) => `${snake(f)} = ?`).join(", ");
    await this.sql.execute(`UPDATE ${this.name} SET ${sets} WHERE id = ?`, [...entries.map(([f, v]) => this.toSql(f, v)), id]);
  }

  async remove(id: string): Promise<boolean> {
    return (await this.sql.execute(`DELETE FROM ${this.name} WHERE id = ?`, [id])) > 0;
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
 * Signature nonces in the service's database, so a replay is refused after a restart, and by every replica
 * sharing the database. Expired nonces are pruned on every call (the index on expiry keeps that a short range
 * scan); the insert alone decides, atomically, whether the nonce is new or an expired one taken over.
 */
export class DatabaseNonceStore implements NonceStore {
  constructor(private readonly sql: SqlRunner) {}

  /** Any failure of the database is the store being unavailable: 503, as for the shared stores. */
  remember(key: string, ttlMs: number, now: number): Promise<boolean> {
    return storeCall("the service database's", async () => {
      await this.sql.execute("DELETE FROM signature_nonces WHERE expires_at <= ?", [now]);
      const inserted = await this.sql.execute(
        "INSERT INTO signature_nonces AS n (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE n.expires_at <= ?",
        [key, now + ttlMs, now],
      );
      return inserted === 1;
    });
  }
}

/** The table that holds each kind of child the resolver knows; instances and diagnose reports are not kept. */
const CHILD_TABLES: Partial<Record<ChildKind, string>> = {
  ScalingConfiguration: "scaling_configurations",
  ScalingRule: "scaling_rules",
  AlarmTask: "alarms",
  LifecycleHook: "lifecycle_hooks",
  ScheduledTask: "scheduled_tasks",
  ScalingActivity: "scaling_activities",
};

type AnyKysely = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tables are named in raw SQL

export class Store implements GroupSource, ChildResolver, SqlRunner {
  readonly groups: Table<ScalingGroupRow>;
  readonly configurations: Table<ScalingConfigurationRow>;
  readonly rules: Table<ScalingRuleRow>;
  readonly scheduledTasks: Table<ScheduledTaskRow>;
  readonly alarms: Table<AlarmRow>;
  readonly lifecycleHooks: Table<LifecycleHookRow>;
  readonly activities: Table<ScalingActivityRow>;
  readonly nonces: DatabaseNonceStore;

  /** Opens (creating it when absent) and migrates the database of `target` (see `openDatabase`). */
  static async open(target: string, options: OpenDatabaseOptions = {}): Promise<Store> {
    const opened = await openDatabase<unknown>(target, options);
    const store = new Store(opened.db as AnyKysely, opened.dialect, false, opened.close);
    try {
      if (store.dialect === "postgres") {
        const [{ schema }] = (await store.query<{ schema: string | null }>("SELECT current_schema() AS schema")) as [{ schema: string | null }];
        if (schema === null) throw new DatabaseTargetError(target, "its search path names no schema that exists (create it first: CREATE SCHEMA name)");
      }
      await store.migrate();
    } catch (e) {
      await opened.close();
      throw e;
    }
    return store;
  }

  private constructor(
    /** The database, or the transaction this store runs in. */
    readonly db: AnyKysely,
    readonly dialect: SqlDialect,
    /** Whether `db` is a transaction (see `transaction`). */
    readonly inTransaction: boolean,
    private readonly closeDatabase: () => Promise<void>,
  ) {
    this.groups = new Table(
      this,
      "scaling_groups",
      ["id", "regionId", "name", "resourceGroupId", "lifecycleState", "minSize", "maxSize", "desiredCapacity", "defaultCooldown",
        "activeScalingConfigurationId", "removalPolicies", "vswitchIds", "multiAzPolicy", "healthCheckType", "groupDeletionProtection", "creationTime"],
      ["groupDeletionProtection"],
      ["removalPolicies", "vswitchIds"],
      (group) => ({ id_reversed: reversedId(storableGroupId(group.id)) }),
    );
    this.configurations = new Table(
      this,
      "scaling_configurations",
      ["id", "groupId", "regionId", "name", "imageId", "instanceTypes", "securityGroupIds", "instanceTags", "creationTime"],
      [],
      ["instanceTypes", "securityGroupIds", "instanceTags"],
    );
    this.rules = new Table(this, "scaling_rules", [
      "id", "ari", "groupId", "regionId", "name", "ruleType", "adjustmentType", "adjustmentValue", "cooldown", "metricName", "targetValue", "creationTime",
    ]);
    this.scheduledTasks = new Table(
      this,
      "scheduled_tasks",
      ["id", "regionId", "name", "groupId", "scheduledAction", "description", "launchTime", "launchExpirationTime", "recurrenceType",
        "recurrenceValue", "recurrenceEndTime", "taskEnabled", "minValue", "maxValue", "desiredCapacity", "creationTime"],
      ["taskEnabled"],
    );
    this.alarms = new Table(
      this,
      "alarms",
      ["id", "regionId", "name", "groupId", "description", "metricType", "metricName", "period", "statistics", "comparisonOperator",
        "threshold", "evaluationCount", "alarmActions", "enable", "state", "creationTime"],
      ["enable"],
      ["alarmActions"],
    );
    this.lifecycleHooks = new Table(this, "lifecycle_hooks", [
      "id", "groupId", "regionId", "name", "lifecycleTransition", "defaultResult", "heartbeatTimeout", "notificationArn", "notificationMetadata", "creationTime",
    ]);
    this.activities = new Table(this, "scaling_activities", ["id", "groupId", "regionId", "description", "statusCode", "startTime"]);
    this.nonces = new DatabaseNonceStore(this);
  }

  // ---- SQL ----

  /** Rows of a query with `?` placeholders. */
  async query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.db.executeQuery<T>(CompiledQuery.raw(this.dialect === "postgres" ? numbered(text) : text, [...params]))).rows;
  }

  /** Runs a statement with `?` placeholders; the number of rows it changed. */
  async execute(text: string, params: readonly unknown[] = []): Promise<number> {
    const result = await this.db.executeQuery(CompiledQuery.raw(this.dialect === "postgres" ? numbered(text) : text, [...params]));
    return Number(result.numAffectedRows ?? 0n);
  }

  /**
   * Runs `fn` in one transaction (on a store bound to it): all of its writes happen or none. In SQLite the
   * transaction holds the database's write lock from its start; in PostgreSQL, rows are locked by `lock*`.
   * Within a transaction, `fn` runs in it.
   */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.db.transaction().execute((trx) => fn(new Store(trx as AnyKysely, this.dialect, true, this.closeDatabase)));
  }

  /**
   * Like `transaction`, one at a time across every process on the database: migrating and seeding, which
   * replicas starting together would otherwise both do. (SQLite's write lock already excludes the others.)
   */
  private exclusive<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return this.transaction(async (tx) => {
      if (tx.dialect === "postgres") await tx.query("SELECT pg_advisory_xact_lock(hashtext('ess-authz:' || current_schema()))");
      return fn(tx);
    });
  }

  /** Locks the groups' rows until the transaction ends (PostgreSQL; SQLite's transaction holds the write lock). */
  async lockGroups(ids: readonly string[]): Promise<void> {
    if (this.dialect !== "postgres" || ids.length === 0) return;
    // In id order: two transactions locking overlapping sets cannot wait for each other in a cycle.
    await this.query(`SELECT id FROM scaling_groups WHERE id IN (${ids.map(() => "?").join(", ")}) ORDER BY id FOR UPDATE`, [...ids]);
  }

  /** Locks a child's row (so its binding to a group holds) until the transaction ends; PostgreSQL only, as above. */
  async lockChild(kind: ChildKind, id: string): Promise<void> {
    const table = CHILD_TABLES[kind];
    if (this.dialect !== "postgres" || !table) return;
    await this.query(`SELECT id FROM ${table} WHERE id = ? FOR UPDATE`, [id]);
  }

  async close(): Promise<void> {
    await this.closeDatabase();
  }

  // ---- schema ----

  private async migrate(): Promise<void> {
    await this.exclusive(async (tx) => {
      if (tx.dialect === "sqlite") {
        const [{ user_version: current }] = (await tx.query<{ user_version: number }>("PRAGMA user_version")) as [{ user_version: number }];
        await tx.applyMigrations(current, (version) => tx.execute(`PRAGMA user_version = ${version}`));
      } else {
        await tx.execute("CREATE TABLE IF NOT EXISTS ess_authz_schema_version (version INTEGER NOT NULL)");
        const [row] = await tx.query<{ version: number }>("SELECT version FROM ess_authz_schema_version");
        if (!row) await tx.execute("INSERT INTO ess_authz_schema_version (version) VALUES (0)");
        await tx.applyMigrations(row?.version ?? 0, (version) => tx.execute("UPDATE ess_authz_schema_version SET version = ?", [version]));
      }
      await tx.foldTags();
      await tx.reverseIds();
    });
  }

  private async applyMigrations(current: number, setVersion: (version: number) => Promise<unknown>): Promise<void> {
    if (current > MIGRATIONS.length) throw new Error(`database schema version ${current} is newer than this service (${MIGRATIONS.length})`);
    for (const [i, entry] of MIGRATIONS.slice(current).entries()) {
      const script = forDialect(entry, this.dialect);
      // Kysely runs one statement per query in SQLite; PostgreSQL takes the script whole.
      const statements = this.dialect === "sqlite" ? sqliteStatements(script) : [script];
      for (const statement of statements) await this.db.executeQuery(CompiledQuery.raw(statement));
      await setVersion(current + i + 1);
    }
  }

  /** Fills the folded columns of tags written before they existed (tag keys are never empty, so '' marks them). */
  private async foldTags(): Promise<void> {
    const stale = await this.query<{ rowid: number; key: string; value: string }>("SELECT rowid, key, value FROM scaling_group_tags WHERE context_key = ''");
    for (const t of stale) await this.execute("UPDATE scaling_group_tags SET context_key = ?, value_lower = ? WHERE rowid = ?", [resourceTagKey(t.key), t.value.toLowerCase(), t.rowid]);
  }

  /** Fills the reversed id of groups written before it existed (ids are never empty, so '' marks them). */
  private async reverseIds(): Promise<void> {
    const stale = await this.query<{ id: string }>("SELECT id FROM scaling_groups WHERE id_reversed = ''");
    for (const g of stale) await this.execute("UPDATE scaling_groups SET id_reversed = ? WHERE id = ?", [reversedId(g.id), g.id]);
  }

  /**
   * A secret every replica shares: created by the first to ask, read by the others. (An SQLite service keeps its
   * diagnostic key in a file beside the database instead, where `decode-diagnostic --state` finds it.)
   */
  async sharedSecret(name: string, create: () => string): Promise<string> {
    await this.execute("INSERT INTO service_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", [name, create()]);
    const [row] = await this.query<{ value: string }>("SELECT value FROM service_secrets WHERE name = ?", [name]);
    return row!.value;
  }

  /** Seeding and other start-up writes: one replica at a time. */
  seeding<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return this.exclusive(fn);
  }

  // ---- tags ----

  async tags(groupId: string): Promise<TagRow[]> {
    const rows = await this.query<{ key: string; value: string; propagate: number }>("SELECT key, value, propagate FROM scaling_group_tags WHERE group_id = ? ORDER BY rowid", [groupId]);
    return rows.map((t) => ({ key: t.key, value: t.value, propagate: t.propagate === 1 }));
  }

  /** Adds or overwrites tags by exact key (keys differing only in case are different tags, as in ESS). */
  async putTags(groupId: string, tags: readonly TagRow[]): Promise<void> {
    for (const t of tags) {
      await this.execute(
        "INSERT INTO scaling_group_tags (group_id, key, value, propagate, context_key, value_lower) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (group_id, key) DO UPDATE SET value = excluded.value, propagate = excluded.propagate, value_lower = excluded.value_lower",
        [groupId, t.key, t.value, t.propagate ? 1 : 0, resourceTagKey(t.key), t.value.toLowerCase()],
      );
    }
  }

  /** Removes the given keys, or every tag when `keys` is `all`. */
  async removeTags(groupId: string, keys: readonly string[] | "all"): Promise<void> {
    if (keys === "all") await this.execute("DELETE FROM scaling_group_tags WHERE group_id = ?", [groupId]);
    else for (const key of keys) await this.execute("DELETE FROM scaling_group_tags WHERE group_id = ? AND key = ?", [groupId, key]);
  }

  // ---- GroupSource / ChildResolver ----

  private info(row: ScalingGroupRow, tags: readonly TagRow[]): GroupInfo {
    return {
      scalingGroupId: row.id,
      regionId: row.regionId,
      tags: tags.map((t) => [t.key, t.value] as const),
      ...(row.resourceGroupId ? { resourceGroupId: row.resourceGroupId } : {}),
    };
  }

  async getGroup(scalingGroupId: string, regionId: string): Promise<GroupInfo | undefined> {
    const row = await this.groups.get(scalingGroupId);
    return row && row.regionId === regionId ? this.info(row, await this.tags(row.id)) : undefined;
  }

  /** Every group of the region with its tags, in two queries. */
  async listGroups(regionId: string): Promise<GroupInfo[]> {
    const rows = await this.groups.where({ regionId });
    const tags = await this.query<{ group_id: string; key: string; value: string }>(
      "SELECT t.group_id, t.key, t.value FROM scaling_group_tags t JOIN scaling_groups g ON g.id = t.group_id WHERE g.region_id = ? ORDER BY t.rowid",
      [regionId],
    );
    const byGroup = new Map<string, TagRow[]>();
    for (const t of tags) {
      let list = byGroup.get(t.group_id);
      if (!list) byGroup.set(t.group_id, (list = []));
      list.push({ key: t.key, value: t.value, propagate: false });
    }
    return rows.map((row) => this.info(row, byGroup.get(row.id) ?? []));
  }

  /** The oldest allowed group carrying the tags, found in SQL (see src/service/list.ts). */
  async findAllowed(regionId: string, allowed: ListResidual, tags: readonly (readonly [string, string])[]): Promise<AllowedGroupProbe> {
    const where = carrying(tags);
    const [first] = (await pageGroups(this, allowed, { regionId, offset: 0, limit: 1, where, count: false })).ids;
    if (first !== undefined) return { candidates: true, group: (await this.getGroup(first, regionId))! };
    const [exists] = await this.query(`SELECT 1 AS found FROM scaling_groups g WHERE ${["g.region_id = ?", ...where.map((c) => c.sql)].join(" AND ")} LIMIT 1`, [
      regionId,
      ...where.flatMap((c) => c.params),
    ]);
    return { candidates: exists !== undefined };
  }

  /** Looks the child up by its exact id in the region; never infers a group from an id's shape. */
  async resolve(kind: ChildKind, id: string, regionId: string): Promise<ChildResolution> {
    const table = CHILD_TABLES[kind];
    const [owner] = table ? await this.query<{ region_id: string; group_id: string | null }>(`SELECT region_id, group_id FROM ${table} WHERE id = ?`, [id]) : [];
    if (!owner || owner.region_id !== regionId) return { kind: "notFound" };
    return owner.group_id === null ? { kind: "unbound" } : { kind: "group", scalingGroupId: owner.group_id };
  }
}
