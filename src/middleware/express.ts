/**
 * `ess-authz/express`: an Express middleware that authenticates and authorizes ESS RPC requests.
 * Mount it before any body parser (it reads the signed raw body itself), or keep the raw bytes in `req.rawBody`
 * (e.g. `express.urlencoded({ verify: (req, _res, buf) => { req.rawBody = buf } })`).
 *
 *   app.all("/", essAuthz({ credentials, groups, resolver }), (req, res) => handle(req.essAuthz!));
 */
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { TLSSocket } from "node:tls";
import { createAuthorizer, newRequestId, type AuthorizedRequest, type AuthorizerOptions, type RejectedRequest } from "./authorizer.js";
import { encodeBody, isBodyless, readBodyLimited } from "./wire.js";

declare global {
  namespace Express {
    interface Request {
      /** Set by ess-authz once the request is authenticated and allowed. */
      essAuthz?: AuthorizedRequest;
      /** Raw body bytes, when an earlier body parser kept them. */
      rawBody?: Buffer;
    }
  }
}

export interface EssAuthzExpressOptions extends AuthorizerOptions {
  /** Largest body read for signature checks, in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
}

/** The raw body: kept by an earlier parser, or read here. A body already consumed without a copy cannot be verified. */
async function rawBody(req: Request, limit: number): Promise<Buffer | undefined> {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  if (isBodyless(req)) return undefined;
  if (req.readableEnded) {
    if (req.body !== undefined && Object.keys(req.body as object).length > 0) {
      throw new Error("ess-authz: the body was parsed before the middleware ran and its raw bytes were not kept");
    }
    return undefined;
  }
  return readBodyLimited(req, limit);
}

export function sendRejection(res: Response, rejected: RejectedRequest): void {
  const { contentType, payload } = encodeBody(rejected.body, rejected.format, "Error");
  res.status(rejected.status).set("content-type", contentType).send(payload);
}

export function essAuthz(options: EssAuthzExpressOptions): RequestHandler {
  const authorizer = createAuthorizer(options);
  const limit = options.bodyLimit ?? 1024 * 1024;

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const requestId = newRequestId();
    const url = req.originalUrl;
    const q = url.indexOf("?");
    let body: Buffer | undefined;
    try {
      body = await rawBody(req, limit);
    } catch (e) {
      sendRejection(res, authorizer.errorAnswer(e, requestId, "JSON"));
      return;
    }
    const result = await authorizer.authorize(
      {
        method: req.method,
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? "" : url.slice(q + 1),
        headers: req.headers,
        body,
        remoteAddress: req.socket.remoteAddress,
        encrypted: req.socket instanceof TLSSocket,
      },
      requestId,
    );
    if (!result.ok) {
      sendRejection(res, result.rejected);
      return;
    }
    req.essAuthz = result.request;
    req.body = result.request.params;
    next();
  };
}

export default essAuthz;
export * from "./public.js";
