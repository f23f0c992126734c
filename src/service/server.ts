/**
 * The reference ESS-compatible service: Fastify, RPC style (`GET`/`POST /`), both API versions, hosting the
 * `ess-authz/fastify` plugin exactly as any host would, over the store (SQLite, or PostgreSQL shared by any
 * number of replicas).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import pino, { type Logger } from "pino";
import { toParams } from "../ess/params.js";
import { carriesEvery } from "../ess/request.js";
import { answerError, DEFAULT_HOST_ID, newRequestId, type AuthorizedRequest } from "../middleware/authorizer.js";
import { EssHttpError } from "../middleware/errors.js";
import { essAuthz, sendRejection } from "../middleware/fastify.js";
import { encodeBody, responseFormat } from "../middleware/wire.js";
import { DEFAULT_DB_FILE, DIAGNOSTIC_KEY_SECRET, stateDiagnosticKey } from "./state.js";
import { watchConfigFile, watchStoredConfig, type ConfigSource } from "./config-source.js";
import { Input } from "./input.js";
import { HANDLERS, type OperationContext, type Visibility } from "./operations/index.js";
import { seedFromFile } from "./seed.js";
import { Store } from "./store.js";
import { openNonceStore } from "./nonce-store.js";
import { isDatabaseUnavailable, isPostgresTarget } from "./database.js";
import type { AllowedGroupProbe, ChildKind, ChildResolution, ChildResolver, GroupInfo, GroupSource } from "../ess/types.js";
import type { ListResidual } from "../residual/residual.js";

export const DEFAULT_REGIONS = ["cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-qingdao", "cn-shenzhen", "cn-zhangjiakou", "cn-hongkong", "ap-southeast-1"];

export interface ServiceOptions {
  /** The principals file (see `config.ts`); without it, the newest configuration version stored in the database (`config-versions.ts`). */
  readonly configFile?: string;
  /**
   * SQLite file, created with its directory when absent; `:memory:` for a throw-away store; or a
   * `postgres://` URL (src/service/database.ts), whose database every replica of the service shares.
   */
  readonly dbFile?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** A resource document (request-file `store` form) inserted at start where ids are missing. */
  readonly seedFile?: string;
  /** Decision log and service events; JSON lines on stdout by default. */
  readonly logger?: Logger;
  /** How often config and policy files (default 1000 ms) or stored versions (default 250 ms) are checked for changes; 0 turns checking off. */
  readonly watchIntervalMs?: number;
  /** Deadline of each call to a dependency of the authorizer (`AuthorizerOptions.dependencyTimeoutMs`). */
  readonly dependencyTimeoutMs?: number;
  /** `redis://…` or `postgres://…`: signature nonces shared by replicas; default: the service's database. */
  readonly nonceStore?: string;
  /** Connections this replica keeps to a PostgreSQL database (`OpenDatabaseOptions.poolSize`; default 10). */
  readonly dbPoolSize?: number;
}

export interface RunningService {
  readonly url: string;
  readonly store: Store;
  readonly app: FastifyInstance;
  /** Reloads the configuration; on any problem keeps the current one, logs why and resolves to false. */
  reload(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Authorization and commit are atomic, across every replica on the database (issue #16). The middleware decides
 * first, reading groups and child bindings through `RecordingSource`, which notes every read of the request
 * (an AsyncLocalStorage entered for each request). A mutating call (plan mode `all`) then runs its handler in
 * one transaction that first locks what the decision read: the groups' rows, then the children's rows
 * (PostgreSQL `SELECT … FOR UPDATE`, in id order; SQLite's `BEGIN IMMEDIATE` holds the database's write lock),
 * and reads it all again. Every tag or binding change takes the same locks first, as it is a mutating call
 * decided on the same group. If anything differs from what the decision read, nothing is written and the call
 * is answered `OperationConflict` (409, retriable: docs/semantics.md §6): a commit never happens against rows
 * other than those decided on. Reads (mode `filter`) run without a transaction.
 */
interface DecisionRead {
  /** What the decision saw, as JSON. */
  readonly seen: string;
  /** The same read, against a transaction. */
  again(source: Store): Promise<unknown>;
  /** Groups whose rows the read depends on. */
  readonly groupIds: readonly string[];
  /** The child whose binding it read. */
  readonly child?: { readonly kind: ChildKind; readonly id: string };
}

/** A database that can't serve for now answers 503 `ServiceUnavailable` (retried by clients), not `InternalError`. */
function unavailableAsService(error: unknown, log: Logger): unknown {
  if (!isDatabaseUnavailable(error)) return error;
  log.error({ err: { code: (error as { code?: unknown }).code, message: (error as { message?: unknown }).message } }, "database unavailable");
  return new EssHttpError("ServiceUnavailable");
}

class RecordingSource implements GroupSource, ChildResolver {
  readonly reads = new AsyncLocalStorage<DecisionRead[]>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  private async record<T>(read: (source: Store) => Promise<T>, groupIds: (result: T) => readonly string[], child?: DecisionRead["child"]): Promise<T> {
    const result = await read(this.store).catch((e: unknown) => {
      throw unavailableAsService(e, this.log);
    });
    this.reads.getStore()?.push({ seen: JSON.stringify(result) ?? "undefined", again: read, groupIds: groupIds(result), ...(child ? { child } : {}) });
    return result;
  }

  getGroup(id: string, regionId: string): Promise<GroupInfo | undefined> {
    return this.record((s) => s.getGroup(id, regionId), () => [id]);
  }

  listGroups(regionId: string): Promise<GroupInfo[]> {
    return this.record((s) => s.listGroups(regionId), (groups) => groups.map((g) => g.scalingGroupId));
  }

  findAllowed(regionId: string, allowed: ListResidual, tags: readonly (readonly [string, string])[]): Promise<AllowedGroupProbe> {
    return this.record((s) => s.findAllowed(regionId, allowed, tags), (probe) => (probe.group ? [probe.group.scalingGroupId] : []));
  }

  resolve(kind: ChildKind, id: string, regionId: string): Promise<ChildResolution> {
    return this.record((s) => s.resolve(kind, id, regionId), (r) => (r.kind === "group" ? [r.scalingGroupId] : []), { kind, id });
  }
}

export const CONFLICT_MESSAGE = "A concurrent request changed the resources this request was authorized on; nothing was changed. Retry the request.";

/** Runs `mutate` in one transaction on exactly the rows `reads` saw (see above), or refuses. */
async function commitAsDecided<T>(store: Store, reads: readonly DecisionRead[], decidedGroups: readonly string[], mutate: (tx: Store) => Promise<T>): Promise<T> {
  const groupIds = [...new Set(reads.flatMap((r) => r.groupIds))].sort();
  // Fail closed: a decision on a group whose read was not recorded cannot be checked.
  const unchecked = decidedGroups.filter((id) => !groupIds.includes(id));
  if (unchecked.length > 0) throw new Error(`the decision's reads of ${unchecked.join(", ")} were not recorded`);
  return store.transaction(async (tx) => {
    await tx.lockGroups(groupIds);
    const children = reads.flatMap((r) => (r.child ? [r.child] : [])).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const child of children) await tx.lockChild(child.kind, child.id);
    for (const read of reads) {
      if ((JSON.stringify(await read.again(tx)) ?? "undefined") !== read.seen) throw new EssHttpError("OperationConflict", CONFLICT_MESSAGE, 409);
    }
    return mutate(tx);
  });
}

/**
 * PostgreSQL errors after which the transaction was rolled back and the call may be retried: deadlock,
 * serialization failure, and a unique violation (two replicas creating the same name at once: the retry answers
 * the operation's own `…Name.Duplicate`). SQLite writers are serialised, so they never meet these.
 */
const RETRIABLE_SQLSTATES = new Set(["40P01", "40001", "23505"]);

function visibility(authz: AuthorizedRequest, store: Store): Visibility {
  const allowed = authz.decision.resources.filter((r) => r.decision === "Allow");
  const unbound = allowed.some((r) => r.arn === "*");
  const list = authz.plan.list;
  if (list) {
    // A region-wide list was decided on one group: every other group is decided by the residual, once.
    const seen = new Map<string, boolean>();
    return {
      async sees(groupId) {
        if (groupId === undefined) return unbound;
        let sees = seen.get(groupId);
        if (sees === undefined) {
          const group = await store.getGroup(groupId, authz.plan.regionId);
          sees = group !== undefined && carriesEvery(group, list.requestTags) && list.residual.matches(group);
          seen.set(groupId, sees);
        }
        return sees;
      },
    };
  }
  const groups = new Set(allowed.flatMap((r) => (r.scalingGroupId ? [r.scalingGroupId] : [])));
  return { sees: async (groupId) => (groupId === undefined ? unbound : groups.has(groupId)) };
}

function formatOf(request: FastifyRequest): ReturnType<typeof responseFormat> {
  const url = request.raw.url ?? "";
  const q = url.indexOf("?");
  return responseFormat(new URLSearchParams(q < 0 ? "" : url.slice(q + 1)).get("Format"));
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const log = options.logger ?? pino({ name: "ess-authz", redact: ["*.accessKeySecret", "*.securityToken", "*.Signature"] });
  const dbFile = options.dbFile ?? DEFAULT_DB_FILE;
  const postgres = isPostgresTarget(dbFile);
  const dbPath = dbFile === ":memory:" || postgres ? dbFile : resolve(dbFile);
  const configSource: ConfigSource =
    options.configFile !== undefined
      ? watchConfigFile(resolve(options.configFile), log, options.watchIntervalMs ?? 1000)
      : await watchStoredConfig(dbPath, log, options.watchIntervalMs ?? 250);
  const { directory } = configSource;
  const initial = directory.config;
  const settings = initial.service;
  const hostId = settings.hostId ?? DEFAULT_HOST_ID;
  const regions = settings.regions ?? DEFAULT_REGIONS;

  const onDatabaseError = (e: Error): void => log.error({ err: { type: e.name, message: e.message } }, "database connection error");
  let store: Store;
  try {
    store = await Store.open(dbPath, { onError: onDatabaseError, ...(options.dbPoolSize !== undefined ? { poolSize: options.dbPoolSize } : {}) });
  } catch (e) {
    await configSource.close();
    throw e;
  }
  let shared: Awaited<ReturnType<typeof openNonceStore>> | undefined;
  const closeStores = async (): Promise<void> => {
    await configSource.close();
    await shared?.close();
    await store.close();
  };
  let diagnosticKey: string;
  try {
    // Replicas share the database's key; an SQLite store created the db's folder, so the key file can be written beside it.
    diagnosticKey =
      settings.diagnosticKey ?? (postgres ? await store.sharedSecret(DIAGNOSTIC_KEY_SECRET, () => randomBytes(32).toString("base64url")) : stateDiagnosticKey(dbPath));
    if (options.seedFile) await seedFromFile(store, resolve(options.seedFile), initial.account);
    if (options.nonceStore) shared = await openNonceStore(options.nonceStore, log);
  } catch (e) {
    await closeStores();
    throw e;
  }

  const app = Fastify({ logger: false, genReqId: () => newRequestId() });
  const fail = (reply: FastifyReply, request: FastifyRequest, error: unknown): FastifyReply =>
    sendRejection(reply, answerError(error, { requestId: String(request.id), format: formatOf(request), hostId, logger: log }));

  // Fastify's own errors (unsupported media type, malformed body) answer as ESS errors too, without internals.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode;
    const known = error instanceof EssHttpError || status === undefined || status >= 500 ? error : new EssHttpError("InvalidParameter", error.message, status);
    return fail(reply, request, known);
  });
  app.setNotFoundHandler((request, reply) => fail(reply, request, new EssHttpError("UnsupportedOperation", "Only the RPC endpoint / is served.", 404)));

  const source = new RecordingSource(store, log);
  const readsOf = new WeakMap<FastifyRequest, DecisionRead[]>();

  await app.register(async (scope) => {
    // Every later hook and the handler run inside this request's log of reads. (Entered after the body is
    // parsed: stream events would run outside it.)
    scope.addHook("preValidation", (request, _reply, done) => {
      const reads: DecisionRead[] = [];
      readsOf.set(request, reads);
      source.reads.run(reads, done);
    });

    await scope.register(essAuthz, {
      credentials: directory,
      groups: source,
      resolver: source,
      nonces: shared?.store ?? store.nonces,
      hostId,
      logger: log,
      ...(settings.trustedProxies ? { trustedProxies: settings.trustedProxies } : {}),
      ...(settings.sourceVpcHeader ? { sourceVpcHeader: settings.sourceVpcHeader } : {}),
      diagnosticKey,
      ...(settings.endpointRegion ? { endpointRegion: settings.endpointRegion } : {}),
      dependencyTimeoutMs: options.dependencyTimeoutMs,
    });

    scope.route({
      method: ["GET", "POST"],
      url: "/",
      handler: async (request, reply) => {
        const authz = request.essAuthz;
        if (!authz) throw new EssHttpError("InternalError");
        const { plan, decision } = authz;
        // RAM decides before ESS looks the group up (docs/semantics.md §5): an allowed call on an unknown group is a 404.
        if (decision.mode === "all" && decision.resources.some((r) => r.groupNotFound)) throw new EssHttpError("InvalidScalingGroupId.NotFound");
        const handler = HANDLERS.get(plan.operation);
        if (!handler) throw new EssHttpError("NotImplemented", `${plan.operation} is a valid ESS operation but is not implemented by this service.`);
        const ctx = (on: Store): OperationContext => ({
          store: on,
          input: new Input(toParams(authz.params), plan.apiVersion),
          version: plan.apiVersion,
          regionId: plan.regionId,
          account: directory.config.account,
          visibility: visibility(authz, on),
          ...(plan.list ? { list: plan.list } : {}),
          regions,
        });
        const decidedGroups = decision.resources.flatMap((r) => (r.scalingGroupId && !r.groupNotFound ? [r.scalingGroupId] : []));
        let result: Record<string, unknown>;
        try {
          const mutate = async (tx: Store): Promise<Record<string, unknown>> => {
            // Logged under the locks: for any one group (for SQLite, for the whole database) these lines are in
            // the order the calls take effect, which test/load/race.ts replays.
            log.info({ requestId: authz.requestId }, "executing");
            return handler(ctx(tx));
          };
          result = plan.mode === "all" ? await commitAsDecided(store, readsOf.get(request) ?? [], decidedGroups, mutate) : await handler(ctx(store));
        } catch (e) {
          if (RETRIABLE_SQLSTATES.has(String((e as { code?: unknown }).code))) throw new EssHttpError("OperationConflict", CONFLICT_MESSAGE, 409);
          throw unavailableAsService(e, log);
        }
        const { contentType, payload } = encodeBody({ RequestId: authz.requestId, ...result }, authz.format, `${plan.operation}Response`);
        return reply.header("content-type", contentType).send(payload);
      },
    });
  });

  const address = await app.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 0 }).catch(async (e: unknown) => {
    await closeStores();
    throw e;
  });
  log.info({ url: address, ...configSource.origin, account: initial.account }, "listening");

  return {
    url: address,
    store,
    app,
    reload: () => configSource.reload(),
    close: async () => {
      await app.close();
      await closeStores();
    },
  };
}
