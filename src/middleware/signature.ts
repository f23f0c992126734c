/**
 * AccessKey request signatures of Alibaba Cloud's RPC APIs, both schemes ESS accepts.
 *
 * v1 (HMAC-SHA1, "signature method V2 for RPC"): AlibabaCloudDocs/ess intl.en-US/API-Reference/Signatures.md,
 *   https://help.aliyun.com/en/sdk/product-overview/rpc-mechanism
 * v3 (ACS3-HMAC-SHA256): https://alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
 *
 * Pure functions: the verifier (`authenticate.ts`) and test clients share them.
 */
import { createHash, createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { BoundedMemo } from "../bounded-memo.js";

const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;
/** What `encodeURIComponent` leaves alone but RFC 3986 reserves. */
const SUB_DELIMS_KEPT = /[!'()*]/;

/** RFC 3986: everything but `A–Z a–z 0–9 - _ . ~` is percent-encoded (space → `%20`, `*` → `%2A`). */
export function percentEncode(value: string): string {
  // Signed requests are mostly plain names and values: tests are cheaper than encoding and replacing.
  if (UNRESERVED_ONLY.test(value)) return value;
  const encoded = encodeURIComponent(value);
  if (!SUB_DELIMS_KEPT.test(encoded)) return encoded;
  return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type ParamPairs = readonly (readonly [string, string])[];

type EncodedPair = readonly [name: string, value: string];

const byEncodedName = (a: EncodedPair, b: EncodedPair): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function encodedSorted(params: ParamPairs): EncodedPair[] {
  return params.map(([k, v]): EncodedPair => [percentEncode(k), percentEncode(v)]).sort(byEncodedName);
}

/** `k=v` pairs, names and values percent-encoded, sorted by encoded name, joined with `&`. */
export function canonicalQuery(params: ParamPairs): string {
  return encodedSorted(params)
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/** Percent-encodes text that is already percent-encoded: only its `%` needs it, the rest is unreserved. */
const encodeAgain = (encoded: string): string => (encoded.includes("%") ? encoded.replaceAll("%", "%25") : encoded);

/** `%25XX` for each ASCII character but the unreserved ones, which stay as they are (undefined). */
const ASCII_TWICE: readonly (string | undefined)[] = Array.from({ length: 128 }, (_, c) =>
  UNRESERVED_ONLY.test(String.fromCharCode(c)) ? undefined : `%25${c.toString(16).toUpperCase().padStart(2, "0")}`,
);

/**
 * A value as the v1 string-to-sign carries it: percent-encoded twice. Plain values, most of them, stay as they
 * are; ASCII ones (a timestamp's `:`) are encoded from a table; anything else the long way.
 */
function encodedTwice(value: string): string {
  if (UNRESERVED_ONLY.test(value)) return value;
  let encoded = "";
  let plainFrom = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128) return encodeAgain(percentEncode(value));
    const escape = ASCII_TWICE[code];
    if (escape !== undefined) {
      encoded += value.slice(plainFrom, i) + escape;
      plainFrom = i + 1;
    }
  }
  return encoded + value.slice(plainFrom);
}

/** The last parameter names read, as sent and in canonical order: a client sends the same names in the same order. */
let lastNames: { readonly sent: readonly string[]; readonly sorted: readonly string[] } = { sent: [], sorted: [] };

/**
 * Parameter names but `Signature` in canonical order; undefined when some name needs encoding, which can change
 * the order.
 */
function plainNamesSorted(params: ReadonlyMap<string, string>): readonly string[] | undefined {
  const { sent, sorted } = lastNames;
  if (params.size === sent.length) {
    let i = 0;
    for (const name of params.keys()) {
      if (name !== sent[i]) break;
      i++;
    }
    if (i === sent.length) return sorted;
  }
  const names: string[] = [];
  for (const name of params.keys()) {
    if (name === "Signature") continue;
    if (!UNRESERVED_ONLY.test(name)) return undefined;
    names.push(name);
  }
  lastNames = { sent: [...params.keys()], sorted: names.sort() };
  return names;
}

const isPairList = (params: ParamPairs | ReadonlyMap<string, string>): params is ParamPairs => Array.isArray(params);

/**
 * v1 step 4: `METHOD&%2F&percentEncode(canonicalQuery)` over every parameter but `Signature`. Built in one
 * pass: encoding the canonical query again only turns `%` into `%25`, `=` into `%3D` and `&` into `%26`.
 */
export function stringToSignV1(method: string, params: ParamPairs | ReadonlyMap<string, string>): string {
  let text = `${method.toUpperCase()}&%2F&`;
  // A verifier's parameters (names unique) with plain names: sorted without encoding the names.
  const names = isPairList(params) ? undefined : plainNamesSorted(params);
  if (names) {
    for (let i = 0; i < names.length; i++) text += `${i === 0 ? "" : "%26"}${names[i]!}%3D${encodedTwice((params as ReadonlyMap<string, string>).get(names[i]!)!)}`;
    return text;
  }
  const pairs = encodedSorted((isPairList(params) ? params : [...params]).filter(([name]) => name !== "Signature"));
  for (let i = 0; i < pairs.length; i++) {
    const [k, v] = pairs[i]!;
    text += `${i === 0 ? "" : "%26"}${encodeAgain(k)}%3D${encodeAgain(v)}`;
  }
  return text;
}

/**
 * HMAC keys by AccessKey secret: HMAC from a key object skips converting the text on every call. Keyed by the
 * secret itself, so a rotated secret never meets its predecessor's key; bounded, as the AccessKeys a process
 * verifies are the host's to choose: when full it starts over.
 */
export class HmacKeys {
  private readonly keys: BoundedMemo<string, KeyObject>;
  private readonly keyOf: (secret: string) => KeyObject;

  /** `keyText` gives the text a secret's key is made of. */
  constructor(
    keyText: (secret: string) => string,
    readonly limit = 1024,
  ) {
    this.keys = new BoundedMemo(limit);
    this.keyOf = (secret) => createSecretKey(Buffer.from(keyText(secret), "utf8"));
  }

  get size(): number {
    return this.keys.size;
  }

  of(secret: string): KeyObject {
    return this.keys.get(secret, this.keyOf);
  }
}

const v1Keys = new HmacKeys((secret) => `${secret}&`);
const v3Keys = new HmacKeys((secret) => secret);

/** v1 step 5: Base64(HMAC-SHA1(secret + "&", StringToSign)). */
export function signV1(method: string, params: ParamPairs | ReadonlyMap<string, string>, accessKeySecret: string): string {
  return createHmac("sha1", v1Keys.of(accessKeySecret)).update(stringToSignV1(method, params)).digest("base64");
}

export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";

export interface V3SignedParts {
  readonly method: string;
  /** The request path, `/` for RPC-style APIs. */
  readonly path: string;
  /** Query parameters, decoded. */
  readonly query: ParamPairs;
  /** Header values by lower-case name; only the signed ones are read. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Lower-case names of the signed headers, in any order. */
  readonly signedHeaders: readonly string[];
  /** Hex SHA-256 of the body (the value of `x-acs-content-sha256`). */
  readonly payloadHash: string;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Canonical URI: each path segment percent-encoded, slashes kept. */
function canonicalUri(path: string): string {
  return path
    .split("/")
    .map((segment) => percentEncode(decodeURIComponent(segment)))
    .join("/");
}

/** CanonicalRequest = METHOD \n URI \n query \n headers (each `name:value\n`) \n signed-header names \n payload hash. */
export function canonicalRequestV3(parts: V3SignedParts): string {
  const names = [...parts.signedHeaders].map((n) => n.toLowerCase()).sort();
  const headerLines = names.map((n) => `${n}:${(parts.headers[n] ?? "").trim()}\n`).join("");
  return [
    parts.method.toUpperCase(),
    canonicalUri(parts.path),
    canonicalQuery(parts.query),
    headerLines,
    names.join(";"),
    parts.payloadHash,
  ].join("\n");
}

/** Hex HMAC-SHA256(secret, "ACS3-HMAC-SHA256\n" + hex SHA-256(CanonicalRequest)). */
export function signV3(parts: V3SignedParts, accessKeySecret: string): string {
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequestV3(parts))}`;
  return createHmac("sha256", v3Keys.of(accessKeySecret)).update(stringToSign).digest("hex");
}

export interface Acs3Authorization {
  readonly accessKeyId: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Parses `ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=<a;b>,Signature=<hex>`; undefined when malformed. */
export function parseAcs3Authorization(header: string): Acs3Authorization | undefined {
  const prefix = `${ACS3_ALGORITHM} `;
  if (!header.startsWith(prefix)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(prefix.length).split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return undefined;
    const name = part.slice(0, eq).trim();
    if (fields.has(name)) return undefined;
    fields.set(name, part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKeyId || !signedHeaders || !signature || fields.size !== 3) return undefined;
  return { accessKeyId, signedHeaders: signedHeaders.split(";").map((h) => h.trim().toLowerCase()), signature };
}

/**
 * Compares two strings in time independent of where they differ (their lengths are not secret): every code unit
 * is compared, with no early exit. A loop rather than two Buffers and `timingSafeEqual`, which cost several
 * times as much for a signature's few dozen characters.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
