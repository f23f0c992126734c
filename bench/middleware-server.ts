/**
 * The route the middleware benchmark loads, in a process of its own so that the load generator does not
 * share its event loop. `plain`: the route alone; `authenticated`: the route behind the signature check alone
 * (what any ESS-compatible endpoint must do); `authorized`: the route behind the `ess-authz/fastify` plugin
 * (signature, nonce, request context, decision). Prints the URL once listening.
 */
import Fastify, { type FastifyInstance } from "fastify";
import { authenticate } from "../src/middleware/authenticate.js";
import { essAuthz } from "../src/middleware/fastify.js";
import { MemoryNonceStore } from "../src/middleware/nonce.js";
import { credentials, store } from "./middleware-host.js";

/** Every variant answers the same small body. */
function route(app: FastifyInstance): void {
  app.get("/", async (request) => ({ RequestId: request.id, TotalCount: 1, ScalingGroups: { ScalingGroup: [{ ScalingGroupId: "asg-bp17np35ywjwh2cx0001" }] } }));
}

const mode = process.argv[2];
const app = Fastify({ logger: false });
if (mode === "authorized") {
  await app.register(async (scope) => {
    await scope.register(essAuthz, { credentials, groups: store.groups, resolver: store.resolver });
    route(scope);
  });
} else if (mode === "authenticated") {
  const nonces = new MemoryNonceStore();
  app.addHook("preHandler", async (request) => {
    const url = request.raw.url ?? "/";
    const q = url.indexOf("?");
    await authenticate({ method: request.method, path: "/", rawQuery: q < 0 ? "" : url.slice(q + 1), headers: request.headers }, { credentials, nonces });
  });
  route(app);
} else if (mode === "plain") route(app);
else throw new Error(`usage: middleware-server.ts plain|authenticated|authorized`);

const url = await app.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(`${url}\n`);
