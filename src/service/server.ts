/**
 * The reference ESS-compatible service: Fastify, RPC style (`GET`/`POST /`), both API versions, hosting the
 * `ess-authz/fastify` plugin exactly as any host would, over the SQLite store.
 */
import { resolve } from "node:path";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import pino, { type Logger } from "pino";
import { toParams } from "../ess/params.js";
import { carriesEvery } from "../ess/request.js";
import { answerError, DEFAULT_HOST_ID, newRequestId, type AuthorizedRequest } from "../middleware/authorizer.js";
import { EssHttpError } from "../middleware/errors.js";
import { essAuthz, sendRejection } from "../middleware/fastify.js";
import { encodeBody, responseFormat } from "../middleware/wire.js";
import { DEFAULT_DB_FILE, stateDiagnosticKey } from "./state.js";
import { watchConfigFile, watchStoredConfig, type ConfigSource } from "./config-source.js";
import { Input } from "./input.js";
import { HANDLERS, type OperationContext, type Visibility } from "./operations/index.js";
import { seedFromFile } from "./seed.js";
import { SqliteStore } from "./store.js";
import { openNonceStore } from "./nonce-store.js";

export const DEFAULT_REGIONS = ["cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-qingdao", "cn-shenzhen", "cn-zhangjiakou", "cn-hongkong", "ap-southeast-1"];

export interface ServiceOptions {
  /** The principals file (see `config.ts`); without it, the newest configuration version stored in the database (`config-versions.ts`). */
  readonly configFile?: string;
  /** SQLite file, created with its directory when absent; `:memory:` for a throw-away store. */
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
}

export interface RunningService {
  readonly url: string;
  readonly store: SqliteStore;
  readonly app: FastifyInstance;
  /** Reloads the configuration; on any problem keeps the current one, logs why and resolves to false. */
  reload(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * One request at a time from authorization to commit, so no decision is made on tags or bindings another
 * request is changing (a TagResources between a Delete's authorization and its execution, say).
 */
class Turnstile {
  private tail: Promise<void> = Promise.resolve();

  async enter(): Promise<() => void> {
    let open!: () => void;
    const turn = new Promise<void>((r) => (open = r));
    const before = this.tail;
    this.tail = before.then(() => turn);
    await before;
    let left = false;
    return () => {
      if (!left) {
        left = true;
        open();
      }
    };
  }
}

function visibility(authz: AuthorizedRequest, store: SqliteStore): Visibility {
  const allowed = authz.decision.resources.filter((r) => r.decision === "Allow");
  const unbound = allowed.some((r) => r.arn === "*");
  const list = authz.plan.list;
  if (list) {
    // A region-wide list was decided on one group: every other group is decided by the residual, once.
    const seen = new Map<string, boolean>();
    return {
      sees(groupId) {
        if (groupId === undefined) return unbound;
        let sees = seen.get(groupId);
        if (sees === undefined) {
          const group = store.getGroup(groupId, authz.plan.regionId);
          sees = group !== undefined && carriesEvery(group, list.requestTags) && list.residual.matches(group);
          seen.set(groupId, sees);
        }
        return sees;
      },
    };
  }
  const groups = new Set(allowed.flatMap((r) => (r.scalingGroupId ? [r.scalingGroupId] : [])));
  return { sees: (groupId) => (groupId === undefined ? unbound : groups.has(groupId)) };
}

function formatOf(request: FastifyRequest): ReturnType<typeof responseFormat> {
  const url = request.raw.url ?? "";
  const q = url.indexOf("?");
  return responseFormat(new URLSearchParams(q < 0 ? "" : url.slice(q + 1)).get("Format"));
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const log = options.logger ?? pino({ name: "ess-authz", redact: ["*.accessKeySecret", "*.securityToken", "*.Signature"] });
  const dbFile = options.dbFile ?? DEFAULT_DB_FILE;
  const dbPath = dbFile === ":memory:" ? dbFile : resolve(dbFile);
  const configSource: ConfigSource =
    options.configFile !== undefined
      ? watchConfigFile(resolve(options.configFile), log, options.watchIntervalMs ?? 1000)
      : await watchStoredConfig(dbPath, log, options.watchIntervalMs ?? 250);
  const { directory } = configSource;
  const initial = directory.config;
  const settings = initial.service;
  const hostId = settings.hostId ?? DEFAULT_HOST_ID;
  const regions = settings.regions ?? DEFAULT_REGIONS;

  let store: SqliteStore;
  try {
    store = new SqliteStore(dbPath);
  } catch (e) {
    await configSource.close();
    throw e;
  }
  let shared: Awaited<ReturnType<typeof openNonceStore>> | undefined;
  const closeStores = async (): Promise<void> => {
    await configSource.close();
    await shared?.close();
    store.close();
  };
  let diagnosticKey: string;
  try {
    // The store created the db's folder, so the key file can be written beside it.
    diagnosticKey = settings.diagnosticKey ?? stateDiagnosticKey(dbPath);
    if (options.seedFile) seedFromFile(store, resolve(options.seedFile), initial.account);
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

  const turnstile = new Turnstile();
  const exits = new WeakMap<FastifyRequest, () => void>();
  const leave = async (request: FastifyRequest): Promise<void> => exits.get(request)?.();

  await app.register(async (scope) => {
    scope.addHook("preValidation", async (request, reply) => {
      const exit = await turnstile.enter();
      exits.set(request, exit);
      reply.raw.once("close", exit);
    });
    scope.addHook("onSend", async (request) => leave(request));
    scope.addHook("onResponse", async (request) => leave(request));

    await scope.register(essAuthz, {
      credentials: directory,
      groups: store,
      resolver: store,
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
        const ctx: OperationContext = {
          store,
          input: new Input(toParams(authz.params), plan.apiVersion),
          version: plan.apiVersion,
          regionId: plan.regionId,
          account: directory.config.account,
          visibility: visibility(authz, store),
          ...(plan.list ? { list: plan.list } : {}),
          regions,
        };
        const result = handler(ctx);
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
