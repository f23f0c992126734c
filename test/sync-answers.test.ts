/**
 * Host answers carried on without a promise when they are not promises (`src/ess/maybe.ts`): plans and
 * authentications are the same whether the host's sources answer at once or later, and a failure among several
 * lookups leaves no rejection unhandled.
 */
import { createHmac, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { toRequestFile, type RequestFileValue } from "../src/ess/decide.js";
import { mapReady, whenReady } from "../src/ess/maybe.js";
import { buildPlan, planFor } from "../src/ess/request.js";
import { storeFromJson } from "../src/ess/store.js";
import type { ChildResolver, GroupSource } from "../src/ess/types.js";
import { authenticate, verifyRequest } from "../src/middleware/authenticate.js";
import { MemoryNonceStore } from "../src/middleware/nonce.js";
import type { Credential } from "../src/middleware/principal.js";
import { signV1 } from "../src/middleware/signature.js";
import { ACCOUNT, timestamp } from "./helpers/service.js";

const later = <T>(value: T): Promise<T> => new Promise((resolve) => setImmediate(() => resolve(value)));

/** The same sources, answering through promises settled on a later turn. */
function deferred(groups: GroupSource, resolver: ChildResolver): { groups: GroupSource; resolver: ChildResolver } {
  return {
    groups: {
      getGroup: async (id, region) => later(await groups.getGroup(id, region)),
      listGroups: async (region) => later(await groups.listGroups(region)),
    },
    resolver: { resolve: async (kind, id, region) => later(await resolver.resolve(kind, id, region)) },
  };
}

const FIXTURES = join(import.meta.dirname, "../fixtures/requests");

t.test("every fixture request plans the same with sources that answer at once and later", async (t) => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));
  t.ok(files.length >= 20, `${files.length} fixture requests`);
  for (const file of files) {
    const { request, store } = toRequestFile(JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as RequestFileValue);
    const sources = storeFromJson(store);
    const atOnce = planFor(request, sources);
    t.notOk(atOnce instanceof Promise, `${file}: in-memory sources plan without a promise`);
    t.same(await buildPlan(request, deferred(sources.groups, sources.resolver)), atOnce, `${file}: the same plan`);
  }
});

t.test("a plan whose request is refused throws at once, and rejects from buildPlan", async (t) => {
  const sources = storeFromJson({});
  const request = { account: ACCOUNT, params: { Action: "DeleteScalingGroup", Version: "2014-08-28", RegionId: "cn-hangzhou" } };
  t.throws(() => planFor(request, sources), { code: "MissingParameter" });
  await t.rejects(buildPlan(request, sources), { code: "MissingParameter" });
});

t.test("one lookup failing at once leaves the pending ones handled", async (t) => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown): void => void unhandled.push(reason);
  process.on("unhandledRejection", record);
  t.teardown(() => process.off("unhandledRejection", record));
  const pendingFailure = (): Promise<never> => new Promise((_, reject) => setImmediate(() => reject(new Error("late"))));
  t.throws(
    () =>
      mapReady([1, 2, 3], (n) => {
        if (n === 2) throw new Error("at once");
        return pendingFailure();
      }),
    { message: "at once" },
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.same(unhandled, [], "the first lookup's later rejection is not left unhandled");
});

t.test("answers already there stay synchronous; pending ones keep their order", async (t) => {
  t.same(mapReady([1, 2], (n) => n * 2), [2, 4]);
  t.equal(whenReady(3, (n) => n + 1), 4);
  const mixed = mapReady([1, 2, 3], (n) => (n === 2 ? later(n * 10) : n * 10));
  t.ok(mixed instanceof Promise);
  t.same(await mixed, [10, 20, 30]);
  t.equal(await whenReady(later(3), (n) => n + 1), 4);
});

t.test("authentication is the same with a directory and nonce store that answer at once or later", async (t) => {
  const credential: Credential = {
    accessKeyId: "AKID",
    accessKeySecret: "secret",
    principal: { type: "RamUser", accountId: ACCOUNT, displayName: "p", arn: `acs:ram::${ACCOUNT}:user/p`, policies: { identity: [] } },
  };
  const find = (id: string): Credential | undefined => (id === "AKID" ? credential : undefined);
  const signed = (): { method: string; path: string; rawQuery: string; headers: Record<string, string> } => {
    const params: [string, string][] = [
      ["Action", "DescribeScalingGroups"],
      ["Version", "2014-08-28"],
      ["AccessKeyId", "AKID"],
      ["SignatureMethod", "HMAC-SHA1"],
      ["SignatureVersion", "1.0"],
      ["SignatureNonce", randomUUID()],
      ["Timestamp", timestamp()],
    ];
    return { method: "GET", path: "/", rawQuery: new URLSearchParams([...params, ["Signature", signV1("GET", params, "secret")]]).toString(), headers: {} };
  };
  const atOnceNonces = new MemoryNonceStore();
  const laterNonces = new MemoryNonceStore();
  const atOnce = { credentials: { findAccessKey: find }, nonces: atOnceNonces };
  const deferredSources = { credentials: { findAccessKey: (id: string) => later(find(id)) }, nonces: { remember: (key: string, ttl: number, now: number) => later(laterNonces.remember(key, ttl, now)) } };
  const request = signed();
  const direct = verifyRequest(request, atOnce);
  t.notOk(direct instanceof Promise, "in-memory sources authenticate without a promise");
  const viaPromises = await authenticate(request, deferredSources);
  t.same(viaPromises, direct, "the same result");
  t.throws(() => verifyRequest(request, atOnce), { code: "SignatureNonceUsed" }, "a replay throws at once");
  await t.rejects(authenticate(request, deferredSources), { code: "SignatureNonceUsed" }, "and is refused through promises");
  const forged = { ...signed(), rawQuery: signed().rawQuery.replace(/Signature=[^&]+/, `Signature=${encodeURIComponent(createHmac("sha1", "other&").update("x").digest("base64"))}`) };
  await t.rejects(authenticate(forged, deferredSources), { code: "SignatureDoesNotMatch" });
});
