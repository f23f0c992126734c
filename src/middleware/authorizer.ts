/**
 * The framework-free heart of the middleware: edge (signature, client address) → context (`ess/`) → core
 * (`evaluate`) → decision → ESS answer. The Fastify plugin and the Express middleware are thin adapters.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { EvaluationInput, StatementTrace } from "../evaluate/decision.js";
import { authorizePlan } from "../ess/authorize.js";
import { isPending } from "../ess/maybe.js";
import { checkedContext, planFor } from "../ess/request.js";
import {
  EssRequestError,
  type AuthorizationPlan,
  type ChildResolver,
  type EssDecision,
  type GroupSource,
} from "../ess/types.js";
import { verifyRequest, type SignedHttpRequest } from "./authenticate.js";
import { compileTrust, type ClientOrigin, type ConnectionFacts, type TrustOptions } from "./client-address.js";
import { DEFAULT_DEPENDENCY_TIMEOUT_MS, DependencyTimeoutError, withDeadline } from "./deadline.js";
import { buildDiagnostic, encodeDiagnostic } from "./diagnostic.js";
import { errorBody, EssHttpError, type AccessDeniedDetail, type EssErrorBody } from "./errors.js";
import { warnHost, type AuthzLogger } from "./logger.js";
import { MemoryNonceStore, NonceStoreUnavailableError, type NonceStore } from "./nonce.js";
import type { Credential, CredentialSource, Principal } from "./principal.js";
import { responseFormat, type ResponseFormat } from "./wire.js";

export interface AuthorizerOptions extends TrustOptions {
  /** AccessKey → secret and principal. */
  readonly credentials: CredentialSource;
  /** Current scaling groups and their tags (`acs:ResourceTag/*`). */
  readonly groups: GroupSource;
  /** Child id (rule, configuration, alarm, ...) → owning scaling group. */
  readonly resolver: ChildResolver;
  /**
   * Defaults to an in-process store, forgotten on restart; give a persistent one to refuse replays after a
   * restart, and a shared one when several instances serve the same keys.
   */
  readonly nonces?: NonceStore;
  /**
   * How long each call to `credentials`, `groups`, `resolver` or `nonces` may take before the request is answered
   * `ServiceUnavailable`; 2 s by default. A dependency that never answers must not hold the request (or a host's
   * lock) forever.
   */
  readonly dependencyTimeoutMs?: number;
  readonly timestampWindowMs?: number;
  readonly now?: () => number;
  /** `HostId` of error bodies. */
  readonly hostId?: string;
  /** Region of this endpoint, for operations whose request carries no `RegionId`. */
  readonly endpointRegion?: string;
  /**
   * Seals `EncodedDiagnosticMessage` (AES-256-GCM) so only holders of this secret can read it. Without it a random
   * key is made for this authorizer and a warning given: denials stay sealed, but nobody can read them.
   */
  readonly diagnosticKey?: string;
  /**
   * Receives one line per decision and per rejected request (a pino logger fits). Without it decisions are not
   * logged, and warnings about unsafe defaults go to `process.emitWarning`.
   */
  readonly logger?: AuthzLogger;
}

/** What the host sees on an authorized request. */
export interface AuthorizedRequest {
  readonly requestId: string;
  readonly principal: Principal;
  readonly accessKeyId: string;
  /** Every API parameter, decoded (`Action`, `Version`, `RegionId`, `Tags.1.Key`, ...). */
  readonly params: Readonly<Record<string, string>>;
  readonly format: ResponseFormat;
  readonly plan: AuthorizationPlan;
  /** Allow overall; in `filter` mode `resources` says which groups the caller may see. */
  readonly decision: EssDecision;
}

export interface RejectedRequest {
  readonly requestId: string;
  readonly status: number;
  readonly format: ResponseFormat;
  readonly body: EssErrorBody;
}

export type AuthorizationResult = { readonly ok: true; readonly request: AuthorizedRequest } | { readonly ok: false; readonly rejected: RejectedRequest };

export interface HttpRequestFacts extends SignedHttpRequest, ConnectionFacts {}

export const DEFAULT_HOST_ID = "ess.aliyuncs.com";

/** ESS-style request ids: upper-case UUIDs. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

const policySetHashes = new WeakMap<EvaluationInput, string>();

/** Identifies the exact policies a decision was made with, for the decision log (never their text). */
export function policySetHash(input: EvaluationInput): string {
  let hash = policySetHashes.get(input);
  if (!hash) {
    const canonical = JSON.stringify({
      identity: input.identity.map((a) => ({ name: a.policy.name, scope: a.scope ?? "account", document: a.policy.document })),
      session: input.session ? { name: input.session.name, document: input.session.document } : null,
      control: input.control
        ? { effectScope: input.control.effectScope ?? "RAM", levels: input.control.levels.map((l) => l.map((p) => ({ name: p.name, document: p.document }))) }
        : null,
    });
    hash = `sha256:${createHash("sha256").update(canonical).digest("hex")}`;
    policySetHashes.set(input, hash);
  }
  return hash;
}

/** RAM's `PolicyType` of an access-denied answer: where in the flow the request was stopped. */
function policyType(traced: EssDecision): string {
  const denied = traced.resources.find((r) => r.decision !== "Allow");
  const stops: readonly Pick<StatementTrace, "stage" | "scope">[] =
    denied?.determining.length
      ? (denied.trace ?? []).filter((t) => denied.determining.some((d) => d.policy === t.policy && d.statement === t.statement && d.stage === t.stage))
      : (denied?.trace ?? []).filter((t) => t.reason !== "ScopeNotApplicable").slice(-1);
  const stop = stops[0];
  if (!stop) return "AccountLevelIdentityBasedPolicy";
  if (stop.stage === "control") return "ControlPolicy";
  if (stop.stage === "session") return "SessionPolicy";
  return stop.scope === "account" ? "AccountLevelIdentityBasedPolicy" : "ResourceGroupLevelIdentityBasedPolicy";
}

/** `acs:CurrentTime` has whole seconds, so it is formatted once a second rather than per request. */
let currentTime = { second: Number.NaN, text: "" };
function currentTimeText(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== currentTime.second) currentTime = { second, text: new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, "Z") };
  return currentTime.text;
}

/** Global condition keys of docs/semantics.md §5; `acs:MFAPresent` is false: AccessKey calls carry no MFA. */
function conditionKeys(credential: Credential, now: number, origin: ClientOrigin): Record<string, string> {
  const keys: Record<string, string> = {
    "acs:CurrentTime": currentTimeText(now),
    "acs:SecureTransport": origin.secureTransport ? "true" : "false",
    "acs:AccessId": credential.accessKeyId,
    "acs:PrincipalARN": credential.principal.arn,
    "acs:MFAPresent": "false",
  };
  if (origin.sourceIp !== undefined) keys["acs:SourceIp"] = origin.sourceIp;
  if (origin.sourceVpc !== undefined) keys["acs:SourceVpc"] = origin.sourceVpc;
  return keys;
}

/** The keys of the last request, kept while the next ones come from the same caller and place in the same second. */
interface KeptKeys {
  readonly accessKeyId: string;
  readonly principalArn: string;
  readonly second: number;
  readonly origin: ClientOrigin;
  readonly context: Readonly<Record<string, string>>;
}

const sameOrigin = (a: ClientOrigin, b: ClientOrigin): boolean =>
  a.sourceIp === b.sourceIp && a.secureTransport === b.secureTransport && a.sourceVpc === b.sourceVpc;

/**
 * The parameters as a plain object for the host. Assignment is several times faster than `Object.fromEntries`;
 * `__proto__` alone needs defining, as assigning it would set the prototype instead of a parameter.
 */
function paramRecord(params: ReadonlyMap<string, string>): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name === "__proto__") Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
    else record[name] = value;
  }
  return record;
}

/**
 * Query and form parameters as sent, before any verification: only for choosing the error format and for
 * logging which AccessKey a rejected request claimed (never anything secret). Parsed again only on those
 * error paths, never for a request that is authenticated.
 */
function peek(facts: HttpRequestFacts): URLSearchParams {
  const params = new URLSearchParams(facts.rawQuery);
  const contentType = facts.headers["content-type"];
  if (facts.body && typeof contentType === "string" && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(facts.body.toString("utf8"))) params.append(k, v);
  }
  return params;
}

function claimedAccessKeyId(facts: HttpRequestFacts, sent: URLSearchParams): string | undefined {
  const authorization = facts.headers["authorization"];
  if (typeof authorization === "string") return /Credential=([^,\s]+)/.exec(authorization)?.[1];
  return sent.get("AccessKeyId") ?? undefined;
}

/**
 * The ESS answer for any error: `EssHttpError`s and the context layer's `EssRequestError`s keep their code; a full
 * or failing nonce store or a dependency past its deadline is `ServiceUnavailable`; anything else is logged (message only)
 * and answered `InternalError`.
 */
export function answerError(
  error: unknown,
  at: { requestId: string; format: ResponseFormat; hostId?: string; logger?: AuthzLogger | undefined },
): RejectedRequest {
  let essError: EssHttpError;
  if (error instanceof EssHttpError) essError = error;
  else if (error instanceof EssRequestError) essError = new EssHttpError(error.code, error.message, error.httpStatus);
  else if (error instanceof NonceStoreUnavailableError) {
    at.logger?.error({ requestId: at.requestId, err: { type: error.name, message: error.message } }, "nonce store unavailable");
    essError = new EssHttpError("ServiceUnavailable");
  } else if (error instanceof DependencyTimeoutError) {
    at.logger?.error({ requestId: at.requestId, dependency: error.dependency, timeoutMs: error.timeoutMs }, "dependency timed out");
    essError = new EssHttpError("ServiceUnavailable");
  } else {
    at.logger?.error(
      { requestId: at.requestId, err: error instanceof Error ? { type: error.name, message: error.message } : String(error) },
      "request failed",
    );
    essError = new EssHttpError("InternalError");
  }
  return { requestId: at.requestId, status: essError.status, format: at.format, body: errorBody(essError, at.requestId, at.hostId ?? DEFAULT_HOST_ID) };
}

export interface Authorizer {
  /** Authenticates and authorizes one request; never throws (failures are ESS error answers). */
  authorize(facts: HttpRequestFacts, requestId?: string): Promise<AuthorizationResult>;
  /** The answer for an error raised by the host after authorization (its own `EssHttpError`s, or anything else as `InternalError`). */
  errorAnswer(error: unknown, requestId: string, format: ResponseFormat): RejectedRequest;
}

/** The host's dependencies, each call bounded by the deadline; methods are looked up at call time, as the host left them. */
function withDeadlines(options: AuthorizerOptions, nonces: NonceStore): Pick<Required<AuthorizerOptions>, "credentials" | "groups" | "resolver" | "nonces"> {
  const ms = options.dependencyTimeoutMs ?? DEFAULT_DEPENDENCY_TIMEOUT_MS;
  return {
    credentials: { findAccessKey: (id) => withDeadline(options.credentials.findAccessKey(id), "credential directory", ms) },
    groups: {
      getGroup: (id, region) => withDeadline(options.groups.getGroup(id, region), "group source", ms),
      listGroups: (region) => withDeadline(options.groups.listGroups(region), "group source", ms),
      // Optional: present exactly when the host's source has it, so whole-region list calls are decided in its store.
      get findAllowed(): GroupSource["findAllowed"] {
        const find = options.groups.findAllowed;
        return find && ((region, allowed, tags) => withDeadline(find.call(options.groups, region, allowed, tags), "group source", ms));
      },
    },
    resolver: { resolve: (kind, id, region) => withDeadline(options.resolver.resolve(kind, id, region), "child resolver", ms) },
    nonces: { remember: (key, ttlMs, now) => withDeadline(nonces.remember(key, ttlMs, now), "nonce store", ms) },
  };
}

export function createAuthorizer(options: AuthorizerOptions): Authorizer {
  const { credentials, groups, resolver, nonces } = withDeadlines(options, options.nonces ?? new MemoryNonceStore());
  const now = options.now ?? Date.now;
  const hostId = options.hostId ?? DEFAULT_HOST_ID;
  const originOf = compileTrust(options);
  const log = options.logger;
  if (!options.nonces) {
    warnHost(
      log,
      "ESS_AUTHZ_IN_PROCESS_NONCES",
      "no nonce store given: nonces are remembered in this process only, so a signed request can be replayed after a " +
        "restart or on another instance while its timestamp is valid (pass `nonces`, e.g. one backed by Redis or SQLite)",
    );
  }
  const diagnosticKey = options.diagnosticKey ?? randomBytes(32).toString("base64url");
  if (options.diagnosticKey === undefined) {
    warnHost(
      log,
      "ESS_AUTHZ_EPHEMERAL_DIAGNOSTIC_KEY",
      "no diagnosticKey given: denial diagnostics are sealed with a random key of this process, which nobody can " +
        "read them with (pass `diagnosticKey` to be able to decode them)",
    );
  }

  const authentication = { credentials, nonces, timestampWindowMs: options.timestampWindowMs, now };

  // Checked and folded once for the requests that share them (`checkedContext`), rather than per request.
  let kept: KeptKeys | undefined;
  function contextOf(credential: Credential, at: number, origin: ClientOrigin): Readonly<Record<string, string>> {
    const second = Math.floor(at / 1000);
    if (kept?.second === second && kept.accessKeyId === credential.accessKeyId && kept.principalArn === credential.principal.arn && sameOrigin(kept.origin, origin)) {
      return kept.context;
    }
    const context = checkedContext(conditionKeys(credential, at, origin));
    kept = { accessKeyId: credential.accessKeyId, principalArn: credential.principal.arn, second, origin, context };
    return context;
  }

  const reject = (requestId: string, format: ResponseFormat, error: EssHttpError, detail?: AccessDeniedDetail): AuthorizationResult => ({
    ok: false,
    rejected: { requestId, status: error.status, format, body: errorBody(error, requestId, hostId, detail) },
  });

  const errorAnswer = (error: unknown, requestId: string, format: ResponseFormat): RejectedRequest =>
    answerError(error, { requestId, format, hostId, logger: log });

  function deny(requestId: string, format: ResponseFormat, principal: Principal, plan: AuthorizationPlan, decision: EssDecision, hash: string): AuthorizationResult {
    // Denials are rare: trace only now, to explain them.
    const traced = authorizePlan(plan, principal.policies, { trace: true });
    const diagnostic = buildDiagnostic(traced, { requestId, time: new Date(now()).toISOString(), principal: principal.arn, policySetHash: hash });
    const detail: AccessDeniedDetail = {
      AuthAction: decision.action,
      AuthPrincipalType: principal.type,
      AuthPrincipalOwnerId: principal.accountId,
      AuthPrincipalDisplayName: principal.displayName,
      NoPermissionType: decision.decision === "ExplicitDeny" ? "ExplicitDeny" : "ImplicitDeny",
      PolicyType: policyType(traced),
      EncodedDiagnosticMessage: encodeDiagnostic(diagnostic, diagnosticKey),
    };
    return reject(requestId, format, new EssHttpError("Forbidden.Unauthorized"), detail);
  }

  async function authorize(facts: HttpRequestFacts, requestId = newRequestId()): Promise<AuthorizationResult> {
    let authenticatedFormat: ResponseFormat | undefined;
    try {
      // Awaited only when pending: in-memory host sources answer at once, and a microtask per step adds up.
      let authenticated;
      try {
        authenticated = verifyRequest(facts, authentication);
        if (isPending(authenticated)) authenticated = await authenticated;
      } catch (e) {
        if (e instanceof EssHttpError) {
          const sent = peek(facts);
          log?.warn({ requestId, code: e.code, accessKeyId: claimedAccessKeyId(facts, sent) }, "request rejected");
          return reject(requestId, responseFormat(sent.get("Format")), e);
        }
        throw e;
      }
      const { credential, params } = authenticated;
      const principal = credential.principal;
      authenticatedFormat = responseFormat(params.get("Format"));
      const at = now();
      let plan = planFor(
        {
          account: principal.accountId,
          params,
          context: contextOf(credential, at, originOf(facts)),
          ...(options.endpointRegion ? { endpointRegion: options.endpointRegion } : {}),
        },
        { groups, resolver, policies: principal.policies },
      );
      if (isPending(plan)) plan = await plan;
      const decision = authorizePlan(plan, principal.policies, { trace: false });
      const hash = policySetHash(principal.policies);
      // The record is built only for a logger that will write it.
      if (log && log.isLevelEnabled?.("info") !== false) {
        log.info(
          {
            requestId,
            principal: principal.arn,
            accessKeyId: credential.accessKeyId,
            action: decision.action,
            operation: decision.operation,
            resources: decision.resources.map((r) => ({ arn: r.arn, decision: r.decision })),
            decision: decision.decision,
            determining: decision.determining,
            policySetHash: hash,
          },
          "authorization decision",
        );
      }
      if (decision.decision !== "Allow") return deny(requestId, authenticatedFormat, principal, plan, decision, hash);
      // Built now, a plain property: an object literal with a getter of its own is built through the runtime's slow
      // path, which cost more than building the parameters.
      const request = { requestId, principal, accessKeyId: credential.accessKeyId, params: paramRecord(params), format: authenticatedFormat, plan, decision };
      return { ok: true, request };
    } catch (e) {
      return { ok: false, rejected: errorAnswer(e, requestId, authenticatedFormat ?? responseFormat(peek(facts).get("Format"))) };
    }
  }

  return { authorize, errorAnswer };
}
