/**
 * Verifies an RPC request's AccessKey signature (v1 HMAC-SHA1 or v3 ACS3-HMAC-SHA256), its timestamp and nonce,
 * and returns its parameters and signer. Every failure is an `EssHttpError` with the code of docs/semantics.md §6.
 */
import { whenReady } from "../ess/maybe.js";
import type { MaybePromise } from "../ess/types.js";
import { EssHttpError } from "./errors.js";
import { parseFormInto } from "./form.js";
import type { NonceStore } from "./nonce.js";
import type { Credential, CredentialSource } from "./principal.js";
import {
  constantTimeEqual,
  parseAcs3Authorization,
  sha256Hex,
  signV1,
  signV3,
  ACS3_ALGORITHM,
} from "./signature.js";

/** The parts of an HTTP request a signature covers. */
export interface SignedHttpRequest {
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  /** The query string as received (after `?`, not decoded). */
  readonly rawQuery: string;
  /** Node-style headers: lower-case names. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body; needed for form parameters and the v3 payload hash. */
  readonly body?: Buffer;
}

export interface AuthenticationOptions {
  readonly credentials: CredentialSource;
  readonly nonces: NonceStore;
  /** Accepted clock skew either way; 15 minutes by default (docs/semantics.md §6). */
  readonly timestampWindowMs?: number;
  readonly now?: () => number;
}

export interface AuthenticatedRequest {
  readonly credential: Credential;
  /** Every API parameter, decoded, signature parameters included (`Action`, `Version`, `RegionId`, ...). */
  readonly params: ReadonlyMap<string, string>;
  readonly signatureVersion: "1.0" | typeof ACS3_ALGORITHM;
}

export const DEFAULT_TIMESTAMP_WINDOW_MS = 15 * 60 * 1000;

/** Headers a v3 signature must cover: without them a signed request could be re-aimed at another action. */
const V3_REQUIRED_SIGNED = ["host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"];

const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

/** `YYYY-MM-DDThh:mm:ssZ` (fractional seconds tolerated). */
const TIMESTAMP_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

function header(req: SignedHttpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : (v as string | undefined);
}

const givenTwice = (name: string): never => {
  throw EssHttpError.invalid(name, "The parameter is given more than once.");
};

interface Collected {
  /** Query parameters first, then form parameters: a Map keeps insertion order. */
  readonly params: Map<string, string>;
  /** How many of them came from the query (v3 signs the query, and hashes the body). */
  readonly fromQuery: number;
}

/**
 * The protocol's parameter names, which every request sends and the verifier and the plan read by these very
 * strings: parsed names are stored as them, so that those reads match by identity.
 */
const PROTOCOL_SPELLINGS: ReadonlyMap<string, string> = new Map(
  ["Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Signature", "SecurityToken", "RegionId"].map(
    (name) => [name, name],
  ),
);

/** Query and form parameters; a name given twice is ambiguous (which one was meant, which one signed?). */
function collectParams(req: SignedHttpRequest): Collected {
  const params = new Map<string, string>();
  parseFormInto(req.rawQuery, params, givenTwice, PROTOCOL_SPELLINGS);
  const fromQuery = params.size;
  const body = req.body;
  if (body && body.length > 0) {
    const contentType = (header(req, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (contentType !== FORM_CONTENT_TYPE) throw EssHttpError.invalid("Content-Type", `Only ${FORM_CONTENT_TYPE} bodies are accepted.`);
    parseFormInto(body.toString("utf8"), params, givenTwice, PROTOCOL_SPELLINGS);
  }
  return { params, fromQuery };
}

function required(params: Map<string, string>, name: string): string {
  const v = params.get(name);
  if (v === undefined || v === "") throw EssHttpError.missing(name);
  return v;
}

interface Claimed {
  readonly accessKeyId: string;
  readonly timestamp: { readonly name: string; readonly value: string };
  readonly nonce: string;
  readonly securityToken: string | undefined;
  readonly params: Map<string, string>;
  readonly signatureVersion: AuthenticatedRequest["signatureVersion"];
  /** Recomputes the signature with the given secret and compares it in constant time. */
  readonly verify: (secret: string) => boolean;
}

function claimV1(req: SignedHttpRequest, params: Map<string, string>): Claimed {
  const signature = required(params, "Signature");
  const method = required(params, "SignatureMethod");
  if (method !== "HMAC-SHA1") throw EssHttpError.invalid("SignatureMethod");
  const version = required(params, "SignatureVersion");
  if (version !== "1.0") throw EssHttpError.invalid("SignatureVersion");
  return {
    accessKeyId: required(params, "AccessKeyId"),
    timestamp: { name: "Timestamp", value: required(params, "Timestamp") },
    nonce: required(params, "SignatureNonce"),
    securityToken: params.get("SecurityToken"),
    params,
    signatureVersion: "1.0",
    verify: (secret) => constantTimeEqual(signV1(req.method, params, secret), signature),
  };
}

function claimV3(req: SignedHttpRequest, authorization: string, { params, fromQuery }: Collected): Claimed {
  const auth = parseAcs3Authorization(authorization);
  if (!auth) throw EssHttpError.invalid("Authorization");
  const mustSign = [...V3_REQUIRED_SIGNED];
  for (const name of Object.keys(req.headers)) if (name.startsWith("x-acs-")) mustSign.push(name);
  if (req.body && req.body.length > 0) mustSign.push("content-type");
  for (const name of mustSign) {
    if (header(req, name) === undefined) throw EssHttpError.missing(name);
    if (!auth.signedHeaders.includes(name)) throw EssHttpError.invalid("Authorization", `Header ${name} must be signed.`);
  }
  const payloadHash = header(req, "x-acs-content-sha256")!;
  if (payloadHash !== sha256Hex(req.body ?? Buffer.alloc(0))) throw EssHttpError.invalid("x-acs-content-sha256");

  // The signed query: the query's parameters, before the headers' Action and Version are added.
  const query = [...params].slice(0, fromQuery);
  for (const [name, headerName] of [["Action", "x-acs-action"], ["Version", "x-acs-version"]] as const) {
    const fromHeader = header(req, headerName)!;
    const fromQuery = params.get(name);
    if (fromQuery !== undefined && fromQuery !== fromHeader) throw EssHttpError.invalid(name, `It differs from ${headerName}.`);
    params.set(name, fromHeader);
  }
  return {
    accessKeyId: auth.accessKeyId,
    timestamp: { name: "x-acs-date", value: header(req, "x-acs-date")! },
    nonce: header(req, "x-acs-signature-nonce")!,
    securityToken: header(req, "x-acs-security-token"),
    params,
    signatureVersion: ACS3_ALGORITHM,
    verify: (secret) => {
      let expected: string;
      try {
        expected = signV3({ method: req.method, path: req.path, query, headers: pickHeaders(req), signedHeaders: auth.signedHeaders, payloadHash }, secret);
      } catch {
        return false; // a path that is not valid percent-encoding has no canonical form
      }
      return constantTimeEqual(expected, auth.signature.toLowerCase());
    },
  };
}

function pickHeaders(req: SignedHttpRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of Object.keys(req.headers)) out[name] = header(req, name);
  return out;
}

/** The last valid timestamp read and its time: the requests of one second carry the same text. */
let lastTimestamp: { readonly text: string; readonly at: number } | undefined;

function checkTimestamp(timestamp: Claimed["timestamp"], now: number, windowMs: number): void {
  if (timestamp.value !== lastTimestamp?.text) {
    if (!TIMESTAMP_SHAPE.test(timestamp.value)) throw EssHttpError.invalid(timestamp.name, "Use the UTC form YYYY-MM-DDThh:mm:ssZ.");
    const at = Date.parse(timestamp.value);
    if (Number.isNaN(at)) throw EssHttpError.invalid(timestamp.name);
    lastTimestamp = { text: timestamp.value, at };
  }
  if (Math.abs(now - lastTimestamp.at) > windowMs) throw new EssHttpError("InvalidTimeStamp.Expired");
}

function checkSecurityToken(credential: Credential, token: string | undefined, now: number): void {
  if (credential.securityToken === undefined) {
    if (token !== undefined) throw new EssHttpError("InvalidSecurityToken.MismatchWithAccessKey");
    return;
  }
  if (token === undefined || !constantTimeEqual(token, credential.securityToken)) {
    throw new EssHttpError("InvalidSecurityToken.MismatchWithAccessKey");
  }
  if (credential.expiration && credential.expiration.getTime() <= now) throw new EssHttpError("InvalidSecurityToken.Expired");
}

/**
 * Order: parameters → AccessKey → signature → timestamp → STS token → nonce. The nonce is recorded only for
 * authentic requests, so nobody can burn another caller's nonces.
 */
export async function authenticate(req: SignedHttpRequest, options: AuthenticationOptions): Promise<AuthenticatedRequest> {
  return verifyRequest(req, options);
}

/**
 * `authenticate`, answered at once when the credential source and the nonce store answer at once (in-memory
 * ones): no promise per request. Throws where `authenticate` rejects.
 */
export function verifyRequest(req: SignedHttpRequest, options: AuthenticationOptions): MaybePromise<AuthenticatedRequest> {
  const now = (options.now ?? Date.now)();
  const windowMs = options.timestampWindowMs ?? DEFAULT_TIMESTAMP_WINDOW_MS;
  const collected = collectParams(req);
  const authorization = header(req, "authorization");
  const claimed = authorization !== undefined ? claimV3(req, authorization, collected) : claimV1(req, collected.params);

  return whenReady(options.credentials.findAccessKey(claimed.accessKeyId), (credential) => {
    if (!credential) throw new EssHttpError("InvalidAccessKeyId.NotFound");
    // A host that lost the secret must not make it one everybody knows (`${undefined}&` signs as "undefined"):
    // a fault of the host, answered InternalError.
    if (typeof credential.accessKeySecret !== "string" || credential.accessKeySecret === "") {
      throw new Error(`the credential of AccessKey ${claimed.accessKeyId} has no usable secret`);
    }
    if (!claimed.verify(credential.accessKeySecret)) throw new EssHttpError("SignatureDoesNotMatch");
    checkTimestamp(claimed.timestamp, now, windowMs);
    checkSecurityToken(credential, claimed.securityToken, now);
    // A nonce must outlive every moment its timestamp is still acceptable, here and on every replica: two windows
    // from now. Not just until the timestamp leaves the window: a replay read at the window's edge may reach the
    // store later (slow dependencies, other replicas' clocks), and the same lifetime for every nonce keeps the
    // in-process memory's arrival order its expiry order.
    return whenReady(options.nonces.remember(`${claimed.accessKeyId}\n${claimed.nonce}`, 2 * windowMs, now), (fresh): AuthenticatedRequest => {
      if (!fresh) throw new EssHttpError("SignatureNonceUsed");
      return { credential, params: claimed.params, signatureVersion: claimed.signatureVersion };
    });
  });
}
