/**
 * The routes the middleware benchmark loads, in one process of its own (so that the load generator does not share
 * its event loop), each answering the same small body:
 * - `/plain`: the route alone;
 * - `/authenticated`: the route behind the signature check alone (what any ESS-compatible endpoint must do);
 * - `/authorized`: the route behind the `ess-authz/fastify` plugin (signature, nonce, request context, decision).
 * One server for all three, so that requests to them can be interleaved and meet the same machine. Prints the URL
 * once listening; exits on SIGINT.
 */
import { pathToFileURL } from "node:url";
import Fastify, { type FastifyInstance } from "fastify";
import { authenticate } from "../src/middleware/authenticate.js";
import { essAuthz } from "../src/middleware/fastify.js";
import { MemoryNonceStore } from "../src/middleware/nonce.js";
import { credentials, store } from "./middleware-host.js";

export const ROUTE_PATHS = { plain: "/plain", authenticated: "/authenticated", authorized: "/authorized" } as const;

function route(app: FastifyInstance, path: string): void {
  app.get(path, async (request) => ({ RequestId: request.id, TotalCount: 1, ScalingGroups: { ScalingGroup: [{ ScalingGroupId: "asg-bp17np35ywjwh2cx0001" }] } }));
}

async function start(): Promise<string> {
  const app = Fastify({ logger: false });
  route(app, ROUTE_PATHS.plain);
  await app.register(async (scope) => {
    const nonces = new MemoryNonceStore();
    scope.addHook("preHandler", async (request) => {
      const url = request.raw.url ?? "/";
      const q = url.indexOf("?");
      await authenticate({ method: request.method, path: "/", rawQuery: q < 0 ? "" : url.slice(q + 1), headers: request.headers }, { credentials, nonces });
    });
    route(scope, ROUTE_PATHS.authenticated);
  });
  await app.register(async (scope) => {
    await scope.register(essAuthz, { credentials, groups: store.groups, resolver: store.resolver });
    route(scope, ROUTE_PATHS.authorized);
  });
  return app.listen({ host: "127.0.0.1", port: 0 });
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  // A clean exit on SIGINT, so that a profiler started with the process (`profile-route.ts`) writes its profile.
  process.once("SIGINT", () => process.exit(0));
  process.stdout.write(`${await start()}\n`);
}
