/**
 * Replicas under load and faults (issue #16), shared by `test/load/replicas.ts` (the full run) and
 * `test/replicas-load.test.ts` (a short run in the suite).
 *
 * N `ess-authz serve` processes on one database; C connections of the official `@alicloud/pop-core` client send
 * mixed reads and writes for D seconds, each request to the next replica in turn. One replica is killed with
 * SIGKILL at K seconds and restarted on its port; at P seconds a configuration change revokes a principal's
 * access; some accepted requests are sent again, byte for byte, to another replica. Then the replicas stop, the
 * database is read directly, and the checks are made (see `checks` below):
 *
 * - every acknowledged write (an answer 200) is in the database: groups created and not deleted exist, deleted
 *   ones do not, tags and scaling rules hold the last acknowledged value. A write with no answer (in flight on
 *   the killed replica) may or may not have happened: either outcome passes, and its group or key is not
 *   written again (a late execution could otherwise reorder it);
 * - no replayed request is accepted (docs/semantics.md §6: `SignatureNonceUsed`);
 * - no decision under a configuration older than 1 s after a push was acknowledged. A request is attributed to
 *   the new version when it was *sent* 1 s or more after the push returned: its decision was made later still.
 *   Requests answered before the push began must show the old version (the change is observable at all);
 * - no 5xx from the replicas except the 503 `ServiceUnavailable` the contract names for a failing dependency
 *   (§6), and no request left unanswered by a replica that was up (only the killed one may drop connections,
 *   from its kill until its restart listens);
 * - no unexpected answer: every call of the mix has one expected outcome, and reads of a connection's own
 *   groups must show its acknowledged writes, whichever replica answers (a stale read is unexpected).
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import RPCClient from "@alicloud/pop-core";
import { random } from "../../bench/workload.js";
import { servingReplica, type Served } from "../helpers/serve-process.js";
import { REPO } from "../helpers/service.js";
import { percentile } from "./common.js";

export interface ReplicaLoadOptions {
  readonly replicas: number;
  readonly connections: number;
  readonly seconds: number;
  /** Seconds from the start at which one replica gets SIGKILL (then is restarted); undefined: no kill. */
  readonly killAt?: number;
  /** Seconds from the start at which the configuration change is pushed. */
  readonly pushAt: number;
  /** `--db` of every replica: a `postgres://` URL (schema in `options=-c search_path=…`) or a SQLite file. */
  readonly db: string;
  /** `--nonce-store` of every replica; default: the database. */
  readonly nonceStore?: string;
  /**
   * How configuration reaches the replicas. `push`: `ess-authz config push --db` stores each version, and the
   * replicas serve the newest stored one. `file`: every replica watches one `--config` file, replaced atomically.
   */
  readonly configVia: "push" | "file";
  /**
   * How a decision under the old configuration is told apart. A number (`npm run load`: 1000, the issue's bound):
   * every decision sent that many ms after the push was acknowledged must use the new version. Undefined (the
   * suite, on a loaded CI machine where no wall-clock bound holds): by order, per replica — once a replica has
   * answered with the new version, every later request to it must get the new version too, and every replica
   * that stayed up must switch before the run ends.
   */
  readonly staleAfterMs?: number;
  /** Client read/connect timeout (pop-core's default, 3 s, is shorter than a loaded machine's p99). */
  readonly requestTimeoutMs?: number;
  /** Progress lines (replica start, kill, push …). */
  readonly log?: (line: string) => void;
}

export interface Check {
  readonly name: string;
  /** The count the check is about (failures, or what it needed at least one of). */
  readonly count: number;
  readonly pass: boolean;
  readonly detail: string;
}

export interface ReplicaLoadResult {
  readonly options: ReplicaLoadOptions;
  readonly elapsedSeconds: number;
  /** Requests that got an HTTP answer. */
  readonly answered: number;
  /** Requests that got none (connection refused or reset, timeout). */
  readonly lost: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** `status Code` (or `lost: reason`) → count. */
  readonly outcomes: ReadonlyMap<string, number>;
  readonly acknowledgedWrites: number;
  readonly replays: { readonly sent: number; readonly refused: number; readonly accepted: number };
  readonly kill?: { readonly replica: number; readonly atSeconds: number; readonly downSeconds: number };
  readonly push: { readonly atSeconds: number; readonly tookMs: number };
  readonly checks: readonly Check[];
  /** The first few problems of each failed check. */
  readonly problems: readonly string[];
}

const REGION = "cn-hangzhou";
const ACCOUNT = "1609982529920904";
const ADMIN = { name: "admin", accessKeyId: "AKIDADMIN0001", accessKeySecret: "s3cr3t-admin" } as const;
/** The principal whose access the pushed configuration revokes. */
const FLIP = { name: "flip", accessKeyId: "AKIDFLIP00001", accessKeySecret: "s3cr3t-flip" } as const;
const TAG_KEYS = ["k0", "k1", "k2", "k3"];
const MAX_OWNED_GROUPS = 5;
const MAX_RULES_PER_GROUP = 3;

// ---- configuration versions ----

/**
 * Version 1 lets `flip` describe everything; version 2 attaches no policy to it (an implicit deny). The policy
 * files sit beside the configs, named relatively, as a pushed bundle keeps them.
 */
function writeConfigs(dir: string): { v1: string; v2: string } {
  copyFileSync(join(REPO, "policies/admin.json"), join(dir, "admin.json"));
  writeFileSync(join(dir, "flip-describe.json"), JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:Describe*", Resource: "*" }] }));
  const config = (flipPolicies: string[]): string =>
    JSON.stringify({
      account: ACCOUNT,
      users: [
        { ...ADMIN, policies: ["admin.json"] },
        { ...FLIP, policies: flipPolicies },
      ],
    });
  writeFileSync(join(dir, "v1.json"), config(["flip-describe.json"]));
  writeFileSync(join(dir, "v2.json"), config([]));
  return { v1: join(dir, "v1.json"), v2: join(dir, "v2.json") };
}

/** Pushes a configuration version and returns once it is stored (push) or in place (file). */
type Pusher = (file: string) => Promise<void>;

async function configPusher(options: ReplicaLoadOptions, dir: string): Promise<{ push: Pusher; serveArgs: string[] }> {
  if (options.configVia === "file") {
    const live = join(dir, "config.json");
    return {
      // rename: a replica polling the file never reads half of it
      push: async (file) => {
        const next = `${live}.${randomUUID()}`;
        copyFileSync(file, next);
        renameSync(next, live);
      },
      serveArgs: ["--config", live, "--watch-interval", "100"],
    };
  }
  const { cliIn } = await import("../helpers/cli.js");
  return {
    push: async (file) => {
      const pushed = await cliIn(["config", "push", "--db", options.db, file], { cwd: dir });
      if (pushed.code !== 0) throw new Error(`config push ${file} exited ${pushed.code}: ${pushed.err}`);
    },
    serveArgs: [],
  };
}

// ---- replicas ----

class Replica {
  served?: Served;
  url = "";
  /** When the replica was killed, and when its restart listened (ms since the epoch). */
  killedAt?: number;
  readyAt?: number;
  /** The first error lines of its log. */
  readonly errors: string[] = [];
  private readonly cleanups: (() => unknown)[] = [];

  constructor(
    readonly index: number,
    private readonly cwd: string,
    private readonly args: readonly string[],
  ) {}

  async start(port = "0"): Promise<void> {
    [this.served, this.url] = await servingReplica({ teardown: (fn) => void this.cleanups.push(fn) }, this.cwd, [...this.args, "--port", port]);
    // The service's own account of a failure (pino level ≥ 50), for the report; the rest of its log is dropped.
    let partial = "";
    this.served!.child.stdout!.on("data", (d: Buffer) => {
      const lines = (partial + d.toString()).split("\n");
      partial = lines.pop()!;
      for (const line of lines) if (/^\{"level":[56]\d,/.test(line) && this.errors.length < 5) this.errors.push(line.slice(0, 500));
    });
  }

  async killAndRestart(): Promise<void> {
    const port = new URL(this.url).port;
    this.killedAt = Date.now();
    this.served!.child.kill("SIGKILL");
    await this.served!.exit;
    await this.start(port);
    this.readyAt = Date.now();
  }

  /** No answer from this replica was to be expected for a request sent at `sentAt`. */
  wasDown(sentAt: number, now: number): boolean {
    return this.killedAt !== undefined && now >= this.killedAt && sentAt <= (this.readyAt ?? now);
  }

  async stop(): Promise<void> {
    // `served` is unset when a start failed; its cleanup still kills the child.
    const { child, exit } = this.served ?? {};
    if (child && exit && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exit;
      clearTimeout(timer);
    }
    for (const fn of this.cleanups.splice(0)) await fn();
  }
}

// ---- what was acknowledged ----

type Existence = "yes" | "no" | "maybe";

interface RuleRecord {
  readonly id: string;
  exists: Existence;
  /** Adjustment values the database may hold: one once acknowledged, more after an unanswered modify. */
  adjustment: Set<number>;
  /** No longer written: an unanswered write on it might still be reordered with a later one. */
  frozen: boolean;
}

interface GroupRecord {
  readonly id: string;
  exists: Existence;
  /** key → values the database may hold (null: no tag). */
  readonly tags: Map<string, Set<string | null>>;
  readonly frozenKeys: Set<string>;
  readonly rules: Map<string, RuleRecord>;
}

const usableRules = (g: GroupRecord): RuleRecord[] => [...g.rules.values()].filter((r) => r.exists === "yes" && !r.frozen);

// ---- the client side ----

type Client = RPCClient;
/** pop-core's verbose mode ([body, entry], entry.url holding the signed URL) is missing from its types. */
const VerboseClient = RPCClient as unknown as new (config: RPCClient.Config, verbose: boolean) => Client;

interface Entry {
  readonly url: string;
  readonly response?: { readonly statusCode: number };
}

type Outcome =
  | { readonly answered: true; readonly status: number; readonly code: string; readonly body: Record<string, unknown>; readonly url: string }
  | { readonly answered: false; readonly reason: string };

interface Sent {
  readonly replica: Replica;
  readonly sentAt: number;
  readonly outcome: Outcome;
}

interface FlipDecision {
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly replica: number;
  readonly allowed: boolean;
}

class Run {
  readonly latencies: number[] = [];
  readonly outcomes = new Map<string, number>();
  readonly groups: GroupRecord[] = [];
  readonly flips: FlipDecision[] = [];
  readonly captured: { url: string; from: number; at: number }[] = [];
  readonly problems = { unexpected: [] as string[], fiveHundreds: [] as string[], survivorsSilent: [] as string[], stale: [] as string[], replayed: [] as string[] };
  replays = { sent: 0, refused: 0, accepted: 0 };
  acknowledgedWrites = 0;
  pushStartedAt = Infinity;
  pushAckAt = Infinity;
  stopAt = 0;

  constructor(
    readonly options: ReplicaLoadOptions,
    readonly replicas: Replica[],
  ) {}

  count(key: string): void {
    this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
  }

  async send(client: (r: Replica) => Client, replica: Replica, action: string, params: Record<string, unknown>): Promise<Sent> {
    const sentAt = Date.now();
    const started = performance.now();
    let outcome: Outcome;
    try {
      const [body, entry] = (await client(replica).request(action, params, { timeout: this.options.requestTimeoutMs ?? 60_000 })) as unknown as [Record<string, unknown>, Entry];
      outcome = { answered: true, status: entry.response?.statusCode ?? 0, code: "", body, url: entry.url };
    } catch (e) {
      const error = e as { data?: Record<string, unknown>; code?: string; entry?: Entry; url?: string; name?: string; message?: string };
      outcome = error.data
        ? { answered: true, status: error.entry?.response?.statusCode ?? 0, code: String(error.data["Code"]), body: error.data, url: error.url ?? "" }
        : { answered: false, reason: error.code ?? error.name ?? String(e) };
    }
    const now = Date.now();
    if (outcome.answered) {
      this.latencies.push(performance.now() - started);
      this.count(`${outcome.status} ${outcome.code || "OK"}`);
      if (outcome.status >= 500 && !(outcome.status === 503 && outcome.code === "ServiceUnavailable")) {
        this.problems.fiveHundreds.push(`${action} on replica ${replica.index}: ${outcome.status} ${JSON.stringify(outcome.body).slice(0, 300)}`);
      }
    } else {
      this.count(`lost: ${outcome.reason}`);
      if (!replica.wasDown(sentAt, now)) this.problems.survivorsSilent.push(`${action} on replica ${replica.index} (up): no answer, ${outcome.reason}`);
    }
    return { replica, sentAt, outcome };
  }

  /** Whether the call succeeded (200); any other 4xx answer is recorded as unexpected (5xx and silence, by `send`). */
  expectOk(what: string, sent: Sent): boolean {
    const { outcome } = sent;
    if (!outcome.answered) return false;
    if (outcome.status === 200 && !outcome.code) return true;
    if (outcome.status >= 500) return false; // reported by `send`
    this.problems.unexpected.push(`${what} on replica ${sent.replica.index}: ${outcome.status} ${outcome.code} ${String(outcome.body["Message"] ?? "")}`);
    return false;
  }

  capture(sent: Sent, rng: () => number): void {
    if (sent.outcome.answered && sent.outcome.status === 200 && rng() < 0.03) this.captured.push({ url: sent.outcome.url, from: sent.replica.index, at: Date.now() });
  }
}

class Connection {
  private readonly rng: () => number;
  private readonly owned: GroupRecord[] = [];
  private readonly clients = new Map<string, Client>();
  private turn: number;
  private serial = 0;

  constructor(
    private readonly run: Run,
    private readonly index: number,
    private readonly shared: string,
  ) {
    this.rng = random(index + 1); // each connection draws the same choices on every run
    this.turn = index;
  }

  private client(user: typeof ADMIN | typeof FLIP): (r: Replica) => Client {
    return (replica) => {
      const key = `${user.name} ${replica.url}`;
      let client = this.clients.get(key);
      if (!client) {
        client = new VerboseClient({ endpoint: replica.url, apiVersion: "2014-08-28", accessKeyId: user.accessKeyId, accessKeySecret: user.accessKeySecret }, true);
        this.clients.set(key, client);
      }
      return client;
    };
  }

  private next(): Replica {
    const replicas = this.run.replicas;
    return replicas[this.turn++ % replicas.length]!;
  }

  private admin(action: string, params: Record<string, unknown>): Promise<Sent> {
    return this.run.send(this.client(ADMIN), this.next(), action, { RegionId: REGION, ...params });
  }

  private pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[Math.floor(this.rng() * items.length)];
  }

  async loop(): Promise<void> {
    while (Date.now() < this.run.stopAt) {
      const groups = this.owned;
      const r = this.rng();
      if (groups.length < 2 || (r < 0.08 && groups.length < MAX_OWNED_GROUPS)) await this.createGroup();
      else if (r < 0.1) await this.deleteGroup(groups[0]!);
      else if (r < 0.2) await this.flipDescribe();
      else if (r < 0.4) await this.describeOwn(groups);
      else if (r < 0.48) await this.describeRules(this.pick(groups)!);
      else if (r < 0.51) await this.done(await this.admin("DescribeRegions", {}), "DescribeRegions");
      else if (r < 0.53) await this.done(await this.admin("DescribeScalingGroups", { PageSize: 10 }), "DescribeScalingGroups (a page)");
      else if (r < 0.7) await this.tag(this.pick(groups)!);
      else if (r < 0.76) await this.untag(this.pick(groups)!);
      else if (r < 0.84) await this.createRule(this.pick(groups)!);
      else if (r < 0.95) await this.modifyRule(this.pick(groups)!);
      else await this.deleteRule(this.pick(groups)!);
    }
  }

  /** Only the revoked principal's call, one at a time round the replicas: every replica is sampled around the push. */
  async probe(): Promise<void> {
    while (Date.now() < this.run.stopAt) await this.flipDescribe();
  }

  private async done(sent: Sent, what: string): Promise<boolean> {
    const ok = this.run.expectOk(what, sent);
    this.run.capture(sent, this.rng);
    if (!sent.outcome.answered) await new Promise((r) => setTimeout(r, 25)); // a refused connection answers at once
    return ok;
  }

  private acknowledged(sent: Sent, what: string): Promise<boolean> {
    return this.done(sent, what).then((ok) => {
      if (ok) this.run.acknowledgedWrites++;
      return ok;
    });
  }

  private async createGroup(): Promise<void> {
    const sent = await this.admin("CreateScalingGroup", { ScalingGroupName: `load-${this.index}-${this.serial++}`, MinSize: 0, MaxSize: 4 });
    if (!(await this.acknowledged(sent, "CreateScalingGroup")) || !sent.outcome.answered) return; // unanswered: an orphan at worst
    const group: GroupRecord = { id: String(sent.outcome.body["ScalingGroupId"]), exists: "yes", tags: new Map(), frozenKeys: new Set(), rules: new Map() };
    this.owned.push(group);
    this.run.groups.push(group);
  }

  private async deleteGroup(group: GroupRecord): Promise<void> {
    const sent = await this.admin("DeleteScalingGroup", { ScalingGroupId: group.id });
    const ok = await this.acknowledged(sent, "DeleteScalingGroup");
    this.owned.splice(this.owned.indexOf(group), 1);
    group.exists = ok ? "no" : "maybe";
    for (const rule of group.rules.values()) rule.exists = ok ? "no" : "maybe";
  }

  private async flipDescribe(): Promise<void> {
    const sent = await this.run.send(this.client(FLIP), this.next(), "DescribeScalingGroups", { RegionId: REGION, ScalingGroupId: [this.shared] });
    const { outcome } = sent;
    if (!outcome.answered) return new Promise((r) => setTimeout(r, 25));
    const allowed = outcome.status === 200 && !outcome.code;
    const denied = outcome.status === 403 && outcome.code === "Forbidden.Unauthorized";
    if (!allowed && !denied) this.run.problems.unexpected.push(`flip DescribeScalingGroups on replica ${sent.replica.index}: ${outcome.status} ${outcome.code}`);
    else this.run.flips.push({ sentAt: sent.sentAt, answeredAt: Date.now(), replica: sent.replica.index, allowed });
    this.run.capture(sent, this.rng);
  }

  /** Reads its own groups: whichever replica answers must show every acknowledged create and delete. */
  private async describeOwn(groups: GroupRecord[]): Promise<void> {
    const asked = groups.slice(0, 5);
    const sent = await this.admin("DescribeScalingGroups", { ScalingGroupId: asked.map((g) => g.id) });
    if (!(await this.done(sent, "DescribeScalingGroups (own ids)")) || !sent.outcome.answered) return;
    const listed = (sent.outcome.body["ScalingGroups"] as { ScalingGroup: { ScalingGroupId: string }[] }).ScalingGroup.map((g) => g.ScalingGroupId);
    for (const g of asked) {
      if (g.exists === "yes" && !listed.includes(g.id)) this.run.problems.unexpected.push(`stale read on replica ${sent.replica.index}: acknowledged group ${g.id} not listed`);
    }
  }

  private async describeRules(group: GroupRecord): Promise<void> {
    const sent = await this.admin("DescribeScalingRules", { ScalingGroupId: group.id });
    if (!(await this.done(sent, "DescribeScalingRules")) || !sent.outcome.answered) return;
    const listed = (sent.outcome.body["ScalingRules"] as { ScalingRule: { ScalingRuleId: string }[] }).ScalingRule.map((r) => r.ScalingRuleId);
    for (const rule of group.rules.values()) {
      const shown = listed.includes(rule.id);
      if ((rule.exists === "yes" && !shown) || (rule.exists === "no" && shown)) {
        this.run.problems.unexpected.push(`stale read on replica ${sent.replica.index}: rule ${rule.id} (acknowledged ${rule.exists === "yes" ? "created" : "deleted"}) ${shown ? "" : "not "}listed`);
      }
    }
  }

  private async tag(group: GroupRecord): Promise<void> {
    const key = this.pick(TAG_KEYS.filter((k) => !group.frozenKeys.has(k)));
    if (key === undefined) return;
    const value = `v${this.index}-${this.serial++}`;
    const sent = await this.admin("TagResources", { ResourceType: "scalinggroup", ResourceId: [group.id], Tag: [{ Key: key, Value: value }] });
    this.settleTag(group, key, value, await this.acknowledged(sent, "TagResources"));
  }

  private async untag(group: GroupRecord): Promise<void> {
    const key = this.pick(TAG_KEYS.filter((k) => !group.frozenKeys.has(k)));
    if (key === undefined) return;
    const sent = await this.admin("UntagResources", { ResourceType: "scalinggroup", ResourceId: [group.id], TagKey: [key] });
    this.settleTag(group, key, null, await this.acknowledged(sent, "UntagResources"));
  }

  private settleTag(group: GroupRecord, key: string, value: string | null, acknowledged: boolean): void {
    if (acknowledged) group.tags.set(key, new Set([value]));
    else {
      group.tags.set(key, new Set([...(group.tags.get(key) ?? [null]), value]));
      group.frozenKeys.add(key);
    }
  }

  private async createRule(group: GroupRecord): Promise<void> {
    if (usableRules(group).length >= MAX_RULES_PER_GROUP) return this.deleteRule(group);
    const adjustment = Math.floor(this.rng() * 20) - 10;
    const sent = await this.admin("CreateScalingRule", { ScalingGroupId: group.id, ScalingRuleName: `rule-${this.serial++}`, AdjustmentType: "QuantityChangeInCapacity", AdjustmentValue: adjustment });
    if (!(await this.acknowledged(sent, "CreateScalingRule")) || !sent.outcome.answered) return;
    const id = String(sent.outcome.body["ScalingRuleId"]);
    group.rules.set(id, { id, exists: "yes", adjustment: new Set([adjustment]), frozen: false });
  }

  private async modifyRule(group: GroupRecord): Promise<void> {
    const rule = this.pick(usableRules(group));
    if (!rule) return this.createRule(group);
    const adjustment = Math.floor(this.rng() * 20) - 10;
    const sent = await this.admin("ModifyScalingRule", { ScalingRuleId: rule.id, AdjustmentValue: adjustment });
    if (await this.acknowledged(sent, "ModifyScalingRule")) rule.adjustment = new Set([adjustment]);
    else {
      rule.adjustment.add(adjustment);
      rule.frozen = true;
    }
  }

  private async deleteRule(group: GroupRecord): Promise<void> {
    const rule = this.pick(usableRules(group));
    if (!rule) return;
    const sent = await this.admin("DeleteScalingRule", { ScalingRuleId: rule.id });
    rule.exists = (await this.acknowledged(sent, "DeleteScalingRule")) ? "no" : "maybe";
  }
}

// ---- replays ----

/** Sends a captured request, unchanged, to another replica. Only a refusal as a used nonce is expected. */
async function replay(run: Run, capture: { url: string; from: number }, to: Replica): Promise<void> {
  const original = new URL(capture.url);
  const sentAt = Date.now();
  let status: number;
  let code: string;
  try {
    const response = await fetch(`${to.url}/${original.search}`, { signal: AbortSignal.timeout(run.options.requestTimeoutMs ?? 60_000) });
    status = response.status;
    code = String(((await response.json()) as Record<string, unknown>)["Code"] ?? "");
  } catch (e) {
    if (!to.wasDown(sentAt, Date.now())) run.problems.survivorsSilent.push(`replay to replica ${to.index} (up): no answer, ${String(e)}`);
    return;
  }
  run.replays.sent++;
  run.count(`replay ${status} ${code || "OK"}`);
  if (status === 400 && code === "SignatureNonceUsed") run.replays.refused++;
  else if (status >= 200 && status < 300) {
    run.replays.accepted++;
    run.problems.replayed.push(`${original.searchParams.get("Action")} accepted by replica ${capture.from}, replayed to replica ${to.index}: accepted again`);
  } else run.problems.unexpected.push(`replay to replica ${to.index}: ${status} ${code}`);
}

/** Replays each captured request 0.5 s or more after it was accepted, to another replica, until the run ends. */
async function replayer(run: Run): Promise<void> {
  const n = run.replicas.length;
  let next = 0;
  let k = 0;
  while (Date.now() < run.stopAt || next < run.captured.length) {
    const ready = run.captured.slice(next).filter((c) => Date.now() - c.at >= 500 || Date.now() >= run.stopAt);
    next += ready.length;
    for (const c of ready) await replay(run, c, run.replicas[n === 1 ? 0 : (c.from + 1 + (k++ % (n - 1))) % n]!);
    if (ready.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
}

// ---- reading the database back ----

interface Stored {
  readonly groups: Set<string>;
  /** `group key` → value */
  readonly tags: Map<string, string>;
  /** rule id → adjustment value */
  readonly rules: Map<string, number | null>;
}

async function readStored(db: string): Promise<Stored> {
  const queries = ["SELECT id FROM scaling_groups", "SELECT group_id, key, value FROM scaling_group_tags", "SELECT id, adjustment_value FROM scaling_rules"] as const;
  let rows: Record<string, unknown>[][];
  if (/^postgres(ql)?:\/\//.test(db)) {
    const pg = (await import("pg")).default;
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      rows = [];
      for (const q of queries) rows.push((await client.query(q)).rows as Record<string, unknown>[]);
    } finally {
      await client.end();
    }
  } else {
    const Database = (await import("better-sqlite3")).default;
    const sqlite = new Database(db, { readonly: true });
    try {
      rows = queries.map((q) => sqlite.prepare(q).all() as Record<string, unknown>[]);
    } finally {
      sqlite.close();
    }
  }
  const [groups, tags, rules] = rows as [Record<string, unknown>[], Record<string, unknown>[], Record<string, unknown>[]];
  return {
    groups: new Set(groups.map((r) => String(r["id"]))),
    tags: new Map(tags.map((r) => [`${String(r["group_id"])} ${String(r["key"])}`, String(r["value"])])),
    rules: new Map(rules.map((r) => [String(r["id"]), r["adjustment_value"] === null ? null : Number(r["adjustment_value"])])),
  };
}

/** Every acknowledged write that the database does not hold. */
function lostWrites(groups: readonly GroupRecord[], stored: Stored): string[] {
  const lost: string[] = [];
  const agrees = (exists: Existence, present: boolean): boolean => exists === "maybe" || (exists === "yes") === present;
  for (const g of groups) {
    const present = stored.groups.has(g.id);
    if (!agrees(g.exists, present)) lost.push(`group ${g.id}: acknowledged ${g.exists === "yes" ? "created, missing" : "deleted, present"}`);
    if (!present) continue;
    for (const [key, values] of g.tags) {
      const value = stored.tags.get(`${g.id} ${key}`) ?? null;
      if (!values.has(value)) lost.push(`group ${g.id} tag ${key}: holds ${value ?? "nothing"}, acknowledged ${[...values].map((v) => v ?? "nothing").join(" or ")}`);
    }
    for (const rule of g.rules.values()) {
      const stays = g.exists === "yes" ? rule.exists : rule.exists === "no" ? "no" : "maybe";
      if (!agrees(stays, stored.rules.has(rule.id))) lost.push(`rule ${rule.id}: acknowledged ${stays === "yes" ? "created, missing" : "deleted, present"}`);
      const value = stored.rules.get(rule.id);
      if (value !== undefined && !rule.adjustment.has(value!)) lost.push(`rule ${rule.id}: AdjustmentValue ${value}, acknowledged ${[...rule.adjustment].join(" or ")}`);
    }
  }
  return lost;
}

// ---- the run ----

export async function runReplicaLoad(options: ReplicaLoadOptions): Promise<ReplicaLoadResult> {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), "ess-authz-replicas-"));
  const replicas: Replica[] = [];
  try {
    const configs = writeConfigs(dir);
    const { push, serveArgs } = await configPusher(options, dir);
    await push(configs.v1);
    const args = ["--db", options.db, "--host", "127.0.0.1", ...serveArgs, ...(options.nonceStore ? ["--nonce-store", options.nonceStore] : [])];
    // One after another: N children compiling the sources at once can starve a loaded machine.
    for (let i = 0; i < options.replicas; i++) {
      const replica = new Replica(i, dir, args);
      replicas.push(replica);
      await replica.start();
      log(`replica ${i} serving on ${replica.url}`);
    }

    const run = new Run(options, replicas);
    run.stopAt = Infinity;
    // The group the revoked principal describes: created through the service like every other.
    const seeder = new VerboseClient({ endpoint: replicas[0]!.url, apiVersion: "2014-08-28", accessKeyId: ADMIN.accessKeyId, accessKeySecret: ADMIN.accessKeySecret }, true);
    const [created] = (await seeder.request("CreateScalingGroup", { RegionId: REGION, ScalingGroupName: "flip-target", MinSize: 0, MaxSize: 1 }, { timeout: 60_000 })) as unknown as [{ ScalingGroupId: string }];

    const started = Date.now();
    run.stopAt = started + options.seconds * 1000;
    const victim = replicas[1 % replicas.length]!;
    const timers: Promise<void>[] = [];
    const at = (seconds: number, action: () => Promise<void>): void => {
      timers.push(new Promise<void>((r) => setTimeout(r, seconds * 1000)).then(action));
    };
    if (options.killAt !== undefined) {
      at(options.killAt, async () => {
        log(`SIGKILL replica ${victim.index} at ${((Date.now() - started) / 1000).toFixed(1)} s`);
        await victim.killAndRestart();
        log(`replica ${victim.index} restarted, serving again after ${((victim.readyAt! - victim.killedAt!) / 1000).toFixed(1)} s`);
      });
    }
    at(options.pushAt, async () => {
      run.pushStartedAt = Date.now();
      await push(configs.v2);
      run.pushAckAt = Date.now();
      log(`configuration v2 pushed at ${((run.pushStartedAt - started) / 1000).toFixed(1)} s, acknowledged after ${run.pushAckAt - run.pushStartedAt} ms`);
    });

    const connections = Array.from({ length: options.connections }, (_, i) => new Connection(run, i, created.ScalingGroupId));
    const prober = new Connection(run, options.connections, created.ScalingGroupId);
    await Promise.all([...connections.map((c) => c.loop()), prober.probe(), replayer(run), ...timers]);
    // Requests the killed replica accepted are replayed to a survivor once more, now that it is gone and back.
    const survivor = replicas.find((r) => r !== victim) ?? victim;
    for (const c of run.captured.filter((c) => c.from === victim.index && victim.killedAt !== undefined && c.at < victim.killedAt)) await replay(run, c, survivor);
    const elapsedSeconds = (Date.now() - started) / 1000;

    for (const r of replicas) await r.stop();
    const lost = lostWrites(run.groups, await readStored(options.db));
    return summarize(run, { elapsedSeconds, lost, victim, started });
  } finally {
    for (const r of replicas) await r.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarize(run: Run, end: { elapsedSeconds: number; lost: string[]; victim: Replica; started: number }): ReplicaLoadResult {
  const { options } = run;
  const { staleAfterMs } = options;
  // The pushed version revokes the prober's access: a denial answered after the push is that version.
  const switchedAt = (replica: number): number =>
    Math.min(...run.flips.filter((f) => f.replica === replica && !f.allowed && f.answeredAt >= run.pushStartedAt).map((f) => f.answeredAt));
  const after = run.flips.filter((f) => f.sentAt >= (staleAfterMs === undefined ? switchedAt(f.replica) : run.pushAckAt + staleAfterMs));
  // The new version must be seen on every replica; the killed one may have been down all that time.
  const unsampled = run.replicas.filter((r) => r !== end.victim && !after.some((f) => f.replica === r.index)).map((r) => r.index);
  const stale = after.filter((f) => f.allowed);
  const before = run.flips.filter((f) => f.answeredAt < run.pushStartedAt);
  const beforeDenied = before.filter((f) => !f.allowed);
  for (const f of stale.slice(0, 5)) {
    run.problems.stale.push(`flip allowed by replica ${f.replica}, sent ${f.sentAt - run.pushAckAt} ms after the push was acknowledged${staleAfterMs === undefined ? ", after that replica had denied one" : ""}`);
  }
  for (const f of beforeDenied.slice(0, 5)) run.problems.stale.push(`flip denied by replica ${f.replica} before the push`);
  const { problems } = run;
  const lostCount = [...run.outcomes].filter(([k]) => k.startsWith("lost: ")).reduce((n, [, c]) => n + c, 0);
  const checks: Check[] = [
    {
      name: "acknowledged writes lost",
      count: end.lost.length,
      pass: end.lost.length === 0 && run.acknowledgedWrites > 0,
      detail: `${run.acknowledgedWrites} acknowledged, read back from the database`,
    },
    {
      name: "replayed requests accepted",
      count: run.replays.accepted,
      pass: run.replays.accepted === 0 && run.replays.refused > 0,
      detail: `${run.replays.sent} replays to another replica, ${run.replays.refused} refused as SignatureNonceUsed`,
    },
    {
      name: "decisions under a stale config",
      count: stale.length + beforeDenied.length,
      pass: stale.length === 0 && after.length > 0 && unsampled.length === 0 && beforeDenied.length === 0 && before.length > 0,
      detail:
        `${after.length} decisions sent ${staleAfterMs === undefined ? "after their replica switched" : `≥ ${staleAfterMs} ms after the push`} (all must deny; replicas ${run.replicas.map((r) => `${r.index}: ${after.filter((f) => f.replica === r.index).length}`).join(", ")}), ` +
        `${before.length} answered before it (all must allow)${unsampled.length > 0 ? `; none after it from replica ${unsampled.join(", ")}` : ""}`,
    },
    {
      name: "5xx (except 503 ServiceUnavailable) or silence from replicas that were up",
      count: problems.fiveHundreds.length + problems.survivorsSilent.length,
      pass: problems.fiveHundreds.length + problems.survivorsSilent.length === 0,
      detail: `${lostCount} requests unanswered in all; only the killed replica, while down, may leave one so`,
    },
    { name: "unexpected answers (stale reads included)", count: problems.unexpected.length, pass: problems.unexpected.length === 0, detail: "every call of the mix has one expected outcome" },
  ];
  if (options.killAt !== undefined) {
    const restarted = end.victim.readyAt !== undefined;
    checks.push({ name: "replica killed and restarted", count: restarted ? 1 : 0, pass: restarted, detail: restarted ? `replica ${end.victim.index}` : "the kill or the restart did not happen within the run" });
  }
  const latencies = run.latencies.sort((a, b) => a - b);
  return {
    options,
    elapsedSeconds: end.elapsedSeconds,
    answered: latencies.length,
    lost: lostCount,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    outcomes: run.outcomes,
    acknowledgedWrites: run.acknowledgedWrites,
    replays: run.replays,
    ...(end.victim.killedAt !== undefined && end.victim.readyAt !== undefined
      ? { kill: { replica: end.victim.index, atSeconds: (end.victim.killedAt - end.started) / 1000, downSeconds: (end.victim.readyAt - end.victim.killedAt) / 1000 } }
      : {}),
    push: { atSeconds: (run.pushStartedAt - end.started) / 1000, tookMs: run.pushAckAt - run.pushStartedAt },
    checks,
    problems: [
      ...[end.lost, problems.replayed, problems.stale, problems.fiveHundreds, problems.survivorsSilent, problems.unexpected].flatMap((p) => p.slice(0, 10)),
      ...run.replicas.flatMap((r) => r.errors.map((line) => `replica ${r.index} logged: ${line}`)),
    ],
  };
}

/** The summary table the load script prints. */
export function formatSummary(r: ReplicaLoadResult): string {
  const o = r.options;
  const lines = [
    `replicas: ${o.replicas} × serve --db ${o.db.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")}${o.nonceStore ? ` --nonce-store ${o.nonceStore}` : ""} (config via ${o.configVia})`,
    `load: ${o.connections} connections × ${o.seconds} s (@alicloud/pop-core), kill at ${o.killAt ?? "never"} s, push at ${o.pushAt} s`,
    "",
    `| requests answered | unanswered | throughput | p50 | p99 | acknowledged writes |`,
    `|---|---|---|---|---|---|`,
    `| ${r.answered} | ${r.lost} | ${(r.answered / r.elapsedSeconds).toFixed(0)}/s | ${r.p50Ms.toFixed(1)} ms | ${r.p99Ms.toFixed(1)} ms | ${r.acknowledgedWrites} |`,
    "",
    r.kill ? `kill: replica ${r.kill.replica} at ${r.kill.atSeconds.toFixed(1)} s, serving again ${r.kill.downSeconds.toFixed(1)} s later` : "kill: none",
    `push: at ${r.push.atSeconds.toFixed(1)} s, acknowledged in ${r.push.tookMs} ms`,
    "",
    "| outcome | count |",
    "|---|---|",
    ...[...r.outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `| ${k} | ${n} |`),
    "",
    "| check | count | result | |",
    "|---|---|---|---|",
    ...r.checks.map((c) => `| ${c.name} | ${c.count} | ${c.pass ? "pass" : "FAIL"} | ${c.detail} |`),
  ];
  if (r.problems.length > 0) lines.push("", "problems (the first 10 of each kind):", ...r.problems.map((p) => `  ${p}`));
  return lines.join("\n");
}
