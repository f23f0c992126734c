/**
 * The route the middleware benchmark loads, in a process of its own so that the load generator does not
 * share its event loop. `plain`: the route alone; `authorized`: the same route behind the `ess-authz/fastify`
 * plugin (signature, nonce, request context, decision). Prints the URL once listening.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { essAuthz } from "../src/middleware/fastify.js";
import type { Credential } from "../src/middleware/principal.js";
import { storeFromJson } from "../src/ess/store.js";
import { ACCESS_KEY, ACCOUNT, benchRequests, workload } from "./workload.js";
/** The principal's policies: the scenario policies and 100 padding statements. */
const PADDING = 100;

const credential: Credential = {
  accessKeyId: ACCESS_KEY[0],
  accessKeySecret: ACCESS_KEY[1],
  principal: {
    type: "RamUser",
    accountId: ACCOUNT,
    displayName: "bench",
    arn: `acs:ram::${ACCOUNT}:user/bench`,
    policies: { identity: workload(PADDING, benchRequests(0)).policies.map((policy) => ({ policy })) },
  },
};

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/requests/r1-describe-group1.json"), "utf8")) as { store: unknown };
const store = storeFromJson(fixture.store);

/** Both variants answer the same small body. */
function route(app: FastifyInstance): void {
  app.get("/", async (request) => ({ RequestId: request.id, TotalCount: 1, ScalingGroups: { ScalingGroup: [{ ScalingGroupId: "asg-bp17np35ywjwh2cx0001" }] } }));
}

const mode = process.argv[2];
const app = Fastify({ logger: false });
if (mode === "authorized") {
  await app.register(async (scope) => {
    await scope.register(essAuthz, { credentials: { findAccessKey: (id) => (id === credential.accessKeyId ? credential : undefined) }, groups: store.groups, resolver: store.resolver });
    route(scope);
  });
} else if (mode === "plain") route(app);
else throw new Error(`usage: middleware-server.ts plain|authorized`);

const url = await app.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(`${url}\n`);
