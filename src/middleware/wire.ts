/** Response encoding of RPC APIs: JSON by default, XML when the request says `Format=XML`. */
import type { IncomingHttpHeaders } from "node:http";
import { EssHttpError } from "./errors.js";

export type ResponseFormat = "JSON" | "XML";

/** From the request's `Format` parameter. */
export function responseFormat(format: string | null | undefined): ResponseFormat {
  return format?.toUpperCase() === "XML" ? "XML" : "JSON";
}

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/**
 * Characters XML 1.0 does not allow in a document at all, not even as character references (§2.2): C0 controls
 * other than tab, LF and CR, lone surrogates, U+FFFE and U+FFFF.
 */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes markup and replaces each character XML cannot carry with U+FFFD, as a decoder does with bytes it cannot
 * read: the answer stays well-formed and the value stays recognisable. JSON answers carry such values exactly.
 */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!).replace(NOT_XML_CHAR, "\uFFFD");
}

/** Arrays become repeated elements named after their key, as Alibaba's XML responses do. */
function toXml(name: string, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map((item) => toXml(name, item)).join("");
  if (typeof value === "object") {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v))
      .join("");
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export interface EncodedBody {
  readonly contentType: string;
  readonly payload: string;
}

/** `root` names the XML document element: `<Action>Response` for results, `Error` for errors. */
export function encodeBody(body: object, format: ResponseFormat, root: string): EncodedBody {
  if (format === "XML") {
    return { contentType: "text/xml; charset=utf-8", payload: `<?xml version="1.0" encoding="UTF-8"?>${toXml(root, body)}` };
  }
  return { contentType: "application/json; charset=utf-8", payload: JSON.stringify(body) };
}

/**
 * Without either header an HTTP/1.x request has no body (RFC 9112 §6.3): nothing to read, keep or replay. HTTP/2
 * bodies need no content-length, so they are always read.
 */
export function isBodyless(request: { readonly httpVersionMajor: number; readonly headers: IncomingHttpHeaders }): boolean {
  return request.httpVersionMajor === 1 && request.headers["content-length"] === undefined && request.headers["transfer-encoding"] === undefined;
}

/** Reads a request body whole, as bytes; more than `limit` bytes is `RequestTooLarge`. */
export async function readBodyLimited(stream: AsyncIterable<unknown>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw new EssHttpError("RequestTooLarge");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
