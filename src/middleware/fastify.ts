/**
 * `ess-authz/fastify`: authorizes every route of the context it is registered in. Register it, with your RPC
 * route, inside one `fastify.register(...)` scope; read `request.essAuthz` in the handler.
 *
 *   app.register(async (scope) => {
 *     await scope.register(essAuthz, { credentials, groups, resolver });
 *     scope.all("/", (request) => handle(request.essAuthz!));
 *   });
 */
import { PassThrough } from "node:stream";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { createAuthorizer, type AuthorizedRequest, type AuthorizerOptions, type RejectedRequest } from "./authorizer.js";
import { encodeBody, isBodyless, readBodyLimited } from "./wire.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the ess-authz plugin once the request is authenticated and allowed. */
    essAuthz: AuthorizedRequest | null;
  }
}

export interface EssAuthzFastifyOptions extends AuthorizerOptions {
  /** Largest body read for signature checks, in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
}

const FORM = "application/x-www-form-urlencoded";
const rawBodies = new WeakMap<FastifyRequest, Buffer>();

/** Sends an ESS error answer in the request's format. */
export function sendRejection(reply: FastifyReply, rejected: RejectedRequest): FastifyReply {
  const { contentType, payload } = encodeBody(rejected.body, rejected.format, "Error");
  return reply.code(rejected.status).header("content-type", contentType).send(payload);
}

const plugin: FastifyPluginAsync<EssAuthzFastifyOptions> = async (fastify, options) => {
  const authorizer = createAuthorizer(options);
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;

  fastify.decorateRequest("essAuthz", null);
  // Parameters are read from the signed raw body; the parsed body only has to exist for Fastify to route.
  if (!fastify.hasContentTypeParser(FORM)) {
    fastify.addContentTypeParser(FORM, { parseAs: "string", bodyLimit }, (_request, body, done) => {
      // `&` first: read as the authorizer reads it (the URLSearchParams constructor would drop a leading `?`).
      done(null, Object.fromEntries(new URLSearchParams(`&${body as string}`)));
    });
  }

  // The v3 signature covers the body's SHA-256, so the exact bytes are kept before any parser sees them. In
  // callback style, so that a bodyless request passes without a promise.
  fastify.addHook("preParsing", (request, _reply, payload, done) => {
    if (isBodyless(request.raw)) return done(null, payload);
    readBodyLimited(payload, bodyLimit).then((raw) => {
      rawBodies.set(request, raw);
      const replay = Object.assign(new PassThrough(), { receivedEncodedLength: raw.length });
      replay.end(raw);
      done(null, replay);
    }, done);
  });

  fastify.addHook("preHandler", async (request, reply) => {
    const url = request.raw.url ?? "/";
    const q = url.indexOf("?");
    const result = await authorizer.authorize(
      {
        method: request.method,
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? "" : url.slice(q + 1),
        headers: request.headers,
        body: rawBodies.get(request),
        remoteAddress: request.raw.socket.remoteAddress,
        encrypted: "encrypted" in request.raw.socket && request.raw.socket.encrypted === true,
      },
      String(request.id),
    );
    if (!result.ok) return sendRejection(reply, result.rejected);
    request.essAuthz = result.request;
  });
};

export const essAuthz = fp(plugin, { fastify: "5.x", name: "ess-authz" });
export default essAuthz;
export * from "./public.js";
