/**
 * Fail closed, in the service (issue #6): injected faults in the host's dependencies — the child resolver, the
 * group (tag) source, the credential directory, SQLite, the configuration — give a deny or a 5xx ESS error
 * (`InternalError` / `ServiceUnavailable`, no stack trace, no internals), never an Allow.
 *
 * Host dependencies are injected through the plugin's interfaces (a Fastify host of the `ess-authz/fastify`
 * plugin, as any host would write it); SQLite and configuration faults through the reference service.
 */
import t, { type Test } from "tap";
import Fastify from "fastify";
import { randomUUID } from "node:crypto";
import { chmodSync, mkdirSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { ChildResolution, ChildResolver, GroupInfo, GroupSource } from "../src/ess/types.js";
import { essAuthz, type EssAuthzFastifyOptions } from "../src/middleware/fastify.js";
import { alice, aliceKey, store } from "./helpers/host.js";
import { ACCOUNT, GROUP1, GROUP2, KEYS, POLICIES, RULE_OF_GROUP1, client, sendV1, serve, tempDir, timestamp, writeConfig, type LogLine } from "./helpers/service.js";

const HZ = { RegionId: "cn-hangzhou" };
/** Requests that the healthy host allows: each goes through another dependency. */
const ALLOWED = {
  "DeleteScalingGroup (group source)": { Action: "DeleteScalingGroup", ...HZ, ScalingGroupId: GROUP1 },
  "DeleteScalingRule (resolver, then group source)": { Action: "DeleteScalingRule", ...HZ, ScalingRuleId: RULE_OF_GROUP1 },
  "DescribeScalingGroups without ids (listGroups)": { Action: "DescribeScalingGroups", ...HZ },
} as const;
/** Denied by an explicit Deny on group 2's tags: a fault must not lose that Deny. */
const DENIED = { Action: "DeleteScalingGroup", ...HZ, ScalingGroupId: GROUP2 };

interface Answer {
  status: number;
  text: string;
  body: Record<string, unknown>;
  /** No answer within the deadline. */
  hung?: boolean;
}

/** A Fastify host of the plugin with the given dependencies; its handler answers 200 with what was allowed. */
async function host(t: Test, deps: Partial<EssAuthzFastifyOptions>): Promise<string> {
  const app = Fastify({ forceCloseConnections: true });
  await app.register(async (scope) => {
    await scope.register(essAuthz, { credentials: { findAccessKey: (id) => (id === KEYS.alice[0] ? aliceKey : undefined) }, groups: store.groups, resolver: store.resolver, ...deps });
    scope.route({
      method: ["GET", "POST"],
      url: "/",
      handler: async (request) => ({ RequestId: request.essAuthz!.requestId, Allowed: request.essAuthz!.decision.resources.filter((r) => r.decision === "Allow").map((r) => r.arn) }),
    });
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());
  return url;
}

/** A signed v1 GET with a deadline. */
async function call(url: string, params: Record<string, string>, key: readonly [string, string] = KEYS.alice, deadlineMs = 3000, secret = key[1]): Promise<Answer> {
  try {
    return await sendV1(url, { key, params, secretForSigning: secret, signal: AbortSignal.timeout(deadlineMs) });
  } catch {
    return { status: 0, text: "", body: {}, hung: true };
  }
}

/** Never an Allow; a 5xx is an ESS InternalError/ServiceUnavailable that says nothing about the fault. */
function failsClosed(t: Test, what: string, a: Answer, leaks: readonly string[] = []): void {
  t.notOk(a.hung, `${what}: answered`);
  t.not(a.status, 200, `${what}: not allowed (${a.status} ${String(a.body["Code"] ?? "")})`);
  if (a.status >= 500) {
    t.ok(["InternalError", "ServiceUnavailable"].includes(String(a.body["Code"])), `${what}: ${String(a.body["Code"])}`);
    t.same(Object.keys(a.body).sort(), ["Code", "HostId", "Message", "RequestId"], `${what}: an ESS error body and nothing else`);
  }
  t.notMatch(a.text, /\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|node:internal|\/work\/|TypeError|ReferenceError|SqliteError/, `${what}: no stack trace or internals`);
  for (const leak of leaks) t.notOk(a.text.includes(leak), `${what}: does not reveal "${leak}"`);
}

t.test("healthy host: the baseline the faults are measured against", async (t) => {
  const url = await host(t, {});
  for (const [name, params] of Object.entries(ALLOWED)) t.equal((await call(url, params)).status, 200, name);
  t.equal((await call(url, DENIED)).status, 403, "group 2 is denied explicitly");
});

const SECRET = "db-password-hunter2 at /srv/secret/path";
const boom = (): never => {
  throw new Error(SECRET);
};

t.test("resolver throws, rejects or answers nonsense", async (t) => {
  const faults: Record<string, ChildResolver> = {
    throws: { resolve: boom },
    rejects: { resolve: () => Promise.reject(new Error(SECRET)) },
    "throws a non-Error": { resolve: () => { throw SECRET; } }, // eslint-disable-line no-throw-literal
    "returns undefined": { resolve: () => undefined as never },
    "returns null": { resolve: () => null as never },
    "returns a string": { resolve: () => "group" as never },
    "returns group without id": { resolve: () => ({ kind: "group" }) as never },
    "returns group with a numeric id": { resolve: () => ({ kind: "group", scalingGroupId: 42 }) as never },
    "returns an unknown group": { resolve: () => ({ kind: "group", scalingGroupId: "asg-unknown" }) },
    "returns unbound for a rule": { resolve: () => ({ kind: "unbound" }) },
    "returns an unknown kind": { resolve: () => ({ kind: "allow" }) as never },
    "returns the other group": { resolve: () => ({ kind: "group", scalingGroupId: GROUP2 }) },
  };
  for (const [name, resolver] of Object.entries(faults)) {
    const url = await host(t, { resolver });
    failsClosed(t, `resolver ${name}`, await call(url, ALLOWED["DeleteScalingRule (resolver, then group source)"]), [SECRET, "hunter2"]);
  }
});

const source = (over: Partial<GroupSource>): GroupSource => ({
  getGroup: (id, region) => store.groups.getGroup(id, region),
  listGroups: (region) => store.groups.listGroups(region),
  ...over,
});

t.test("group (tag) source throws, rejects or answers nonsense", async (t) => {
  const group2 = (tags: unknown): GroupInfo => ({ scalingGroupId: GROUP2, regionId: "cn-hangzhou", tags: tags as never });
  const faults: Record<string, GroupSource> = {
    "getGroup throws": source({ getGroup: boom }),
    "getGroup rejects": source({ getGroup: () => Promise.reject(new Error(SECRET)) }),
    "listGroups throws": source({ listGroups: boom }),
    "listGroups rejects": source({ listGroups: () => Promise.reject(new Error(SECRET)) }),
    "listGroups returns null": source({ listGroups: () => null as never }),
    "listGroups returns an object": source({ listGroups: () => ({ length: 1 }) as never }),
    "group without tags": source({ getGroup: () => ({ scalingGroupId: GROUP1, regionId: "cn-hangzhou" }) as never, listGroups: () => [{ scalingGroupId: GROUP1, regionId: "cn-hangzhou" } as never] }),
    "tags as an object": source({ getGroup: () => group2({ environment: "test", team: "game1" }), listGroups: () => [group2({ environment: "test", team: "game1" })] }),
    "tags with non-string values": source({ getGroup: () => group2([["environment", 1], ["team", null]]), listGroups: () => [group2([["environment", 1]])] }),
    "tags as a string": source({ getGroup: () => group2("environment=test"), listGroups: () => [group2("environment=test")] }),
  };
  for (const [name, groups] of Object.entries(faults)) {
    const url = await host(t, { groups });
    for (const [what, params] of Object.entries(ALLOWED)) {
      const a = await call(url, params);
      // A fault on a path the request does not take may leave it allowed; a fault it meets may not.
      const meets = (name.startsWith("listGroups") && what.includes("listGroups")) || (name.startsWith("getGroup") && !what.includes("listGroups"));
      if (meets) failsClosed(t, `${name}, ${what}`, a, [SECRET, "hunter2"]);
      else t.notOk(a.hung, `${name}, ${what}: answered`);
    }
  }
  // Group 2 carries the explicit Deny: whatever the source says about its tags, a request on it is never allowed
  // on tags it does not have.
  for (const [name, groups] of Object.entries(faults)) {
    const url = await host(t, { groups });
    failsClosed(t, `${name}, ${DENIED.Action} ${GROUP2}`, await call(url, DENIED), [SECRET]);
  }
});

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
const after = <T>(ms: number, value: T): Promise<T> => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
/** Short enough to keep the suite fast; the default is 2 s. */
const DEADLINE_MS = 200;

t.test("a dependency that never answers gives ServiceUnavailable within its deadline, not a hung request", async (t) => {
  const hanging: Record<string, Partial<EssAuthzFastifyOptions>> = {
    resolver: { resolver: { resolve: never } },
    "group source": { groups: source({ getGroup: never, listGroups: never }) },
    "credential directory": { credentials: { findAccessKey: never } },
    "nonce store": { nonces: { remember: never } },
  };
  const answers = await Promise.all(
    Object.entries(hanging).map(async ([name, deps]) => {
      const url = await host(t, { ...deps, dependencyTimeoutMs: DEADLINE_MS });
      return [name, await call(url, ALLOWED["DeleteScalingRule (resolver, then group source)"], KEYS.alice, 2000)] as const;
    }),
  );
  for (const [name, a] of answers) {
    failsClosed(t, `${name} hangs`, a);
    t.equal(a.status, 503, `${name} hangs: 503`);
    t.equal(a.body["Code"], "ServiceUnavailable", `${name} hangs: ServiceUnavailable`);
  }
});

t.test("a slow dependency within its deadline still decides", async (t) => {
  const url = await host(t, {
    resolver: { resolve: (kind, id, region) => after(50, store.resolver.resolve(kind, id, region) as ChildResolution) },
    dependencyTimeoutMs: 1000,
  });
  t.equal((await call(url, ALLOWED["DeleteScalingRule (resolver, then group source)"])).status, 200);
});

t.test("the reference service: a dependency past its deadline answers 503 and holds nothing", async (t) => {
  const { url, service } = await serve(t, { dependencyTimeoutMs: DEADLINE_MS });
  // A hung read must hold no transaction or lock that would block the next request.
  service.store.getGroup = () => never<GroupInfo>() as never;
  const hung = sendV1(url, { key: KEYS.admin, params: ALLOWED["DeleteScalingGroup (group source)"] });
  const next = sendV1(url, { key: KEYS.admin, params: { Action: "DescribeRegions", ...HZ } });
  const timedOut = await hung;
  t.equal(timedOut.status, 503);
  t.equal(timedOut.body["Code"], "ServiceUnavailable");
  t.equal((await next).status, 200, "the request queued behind it is served");
  t.equal((await sendV1(url, { key: KEYS.admin, params: { Action: "DescribeRegions", ...HZ } })).status, 200, "and so is a later one");
  t.ok(await service.store.groups.get(GROUP1), "the group was not deleted");
});

t.test("credential directory faults and a missing principal", async (t) => {
  const credentials = (find: (id: string) => unknown): EssAuthzFastifyOptions["credentials"] => ({ findAccessKey: find as never });
  const broken: Record<string, [EssAuthzFastifyOptions["credentials"], string?]> = {
    "directory throws": [credentials(boom)],
    "directory rejects": [credentials(() => Promise.reject(new Error(SECRET)))],
    "principal missing": [credentials(() => ({ accessKeyId: KEYS.alice[0], accessKeySecret: KEYS.alice[1] }))],
    "principal without policies": [credentials(() => ({ ...aliceKey, principal: { ...alice, policies: undefined } }))],
    "principal with identity null": [credentials(() => ({ ...aliceKey, principal: { ...alice, policies: { identity: null } } }))],
    "principal with an unparsed policy": [credentials(() => ({ ...aliceKey, principal: { ...alice, policies: { identity: [{ policy: { Version: "1", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }] } } }))],
    "principal without an account": [credentials(() => ({ ...aliceKey, principal: { ...alice, accountId: undefined } }))],
    "credential is a string": [credentials(() => "AKIDALICE0001")],
    // A secret the host lost must not turn into a secret everybody knows.
    "secret undefined, request signed with 'undefined'": [credentials(() => ({ ...aliceKey, accessKeySecret: undefined })), "undefined"],
    "secret null, request signed with 'null'": [credentials(() => ({ ...aliceKey, accessKeySecret: null })), "null"],
    "secret empty, request signed with ''": [credentials(() => ({ ...aliceKey, accessKeySecret: "" })), ""],
  };
  for (const [name, [directory, secret]] of Object.entries(broken)) {
    const url = await host(t, { credentials: directory });
    failsClosed(t, name, await call(url, ALLOWED["DeleteScalingGroup (group source)"], KEYS.alice, 3000, secret ?? KEYS.alice[1]), [SECRET, "hunter2"]);
  }
});

// ---------------------------------------------------------------- the reference service: SQLite and configuration

t.test("SQLite unavailable: every request fails closed, the service stays up", async (t) => {
  const { url, service, logs } = await serve(t);
  const admin = client(url, KEYS.admin);
  await admin.request("DescribeScalingGroups", HZ);
  await service.store.close();
  const secretOf = (k: readonly [string, string]) => k[1];
  for (const [name, params] of Object.entries({ ...ALLOWED, TagResources: { Action: "TagResources", ...HZ, ResourceType: "scalinggroup", "ResourceId.1": GROUP1, "Tag.1.Key": "k", "Tag.1.Value": "v" } })) {
    failsClosed(t, `database closed: ${name}`, await sendV1(url, { key: KEYS.admin, params }), [secretOf(KEYS.admin)]);
  }
  // Every request records its nonce in the database, so even DescribeRegions fails closed; answering it shows the service is up.
  failsClosed(t, "database closed: DescribeRegions", await sendV1(url, { key: KEYS.admin, params: { Action: "DescribeRegions", ...HZ } }), [secretOf(KEYS.admin)]);
  // The nonce write is the first to reach the closed database: the store is unavailable (503), and logged so.
  const errors = logs.filter((l: LogLine) => l.msg === "nonce store unavailable");
  t.ok(errors.length > 0, "the failure is logged");
  t.notOk(JSON.stringify(logs).includes(KEYS.admin[1]), "without secrets");
});

t.test("SQLite busy: a locked database gives a 5xx and writes nothing", async (t) => {
  const { url, service, dbFile } = await serve(t);
  await service.store.execute("PRAGMA busy_timeout = 200"); // the service waits 5 s by default; the fault is the same
  const lock = new Database(dbFile);
  t.teardown(() => lock.close());
  lock.pragma("busy_timeout = 0");
  lock.exec("BEGIN EXCLUSIVE");
  const tag = { Action: "TagResources", ...HZ, ResourceType: "scalinggroup", "ResourceId.1": GROUP1, "Tag.1.Key": "locked", "Tag.1.Value": "yes" };
  failsClosed(t, "TagResources while another connection holds the write lock", await sendV1(url, { key: KEYS.admin, params: tag }));
  failsClosed(t, "CreateScalingGroup while locked", await sendV1(url, { key: KEYS.admin, params: { Action: "CreateScalingGroup", ...HZ, MinSize: "0", MaxSize: "1" } }));
  lock.exec("ROLLBACK");
  t.notOk((await service.store.tags(GROUP1)).some((r) => r.key === "locked"), "the failed write left nothing behind");
  t.equal((await sendV1(url, { key: KEYS.admin, params: tag })).status, 200, "once the lock is gone the same write succeeds");
  t.ok((await service.store.tags(GROUP1)).some((r) => r.key === "locked"));
});

t.test("configuration reload fails: the service keeps deciding with the configuration it had", async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, "p"));
  copyFileSync(join(POLICIES, "t2-describe-group1-by-tag.json"), join(dir, "p", "narrow.json"));
  copyFileSync(join(POLICIES, "admin.json"), join(dir, "p", "wide.json"));
  const config = (policy: string) => ({ account: ACCOUNT, users: [{ name: "alice", accessKeyId: KEYS.alice[0], accessKeySecret: KEYS.alice[1], policies: [policy] }] });
  const configFile = writeConfig(dir, config("p/narrow.json"));
  const { url, service, logs } = await serve(t, { configFile, dir });
  const deleteGroup1 = () => sendV1(url, { key: KEYS.alice, params: ALLOWED["DeleteScalingGroup (group source)"] });
  t.equal((await deleteGroup1()).status, 403, "the narrow policy denies");

  const attempts: Record<string, () => void> = {
    "config is not JSON": () => writeFileSync(configFile, '{"account": "1609982529920904", "users": [}'),
    "config is empty": () => writeFileSync(configFile, ""),
    "config is deleted": () => rmSync(configFile),
    "config is a directory": () => {
      rmSync(configFile, { force: true });
      mkdirSync(configFile);
    },
    "policy file has an Error": () => {
      rmSync(configFile, { recursive: true, force: true });
      writeFileSync(join(dir, "p", "bad.json"), JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEqualsIfExists: { "acs:SourceIp": "1" } } }] }));
      writeConfig(dir, config("p/bad.json"));
    },
    "policy file is missing": () => writeConfig(dir, config("p/missing.json")),
    "policy path escapes upwards": () => writeConfig(dir, config("../../../../../../etc/passwd")),
    "prototype pollution in the config": () =>
      writeFileSync(configFile, `{"account":"${ACCOUNT}","__proto__":{"polluted":"yes"},"users":[{"name":"alice","accessKeyId":"${KEYS.alice[0]}","accessKeySecret":"${KEYS.alice[1]}","policies":["p/wide.json"],"constructor":{"prototype":{"polluted":"yes"}}}]}`),
  };
  for (const [name, attempt] of Object.entries(attempts)) {
    attempt();
    t.equal(await service.reload(), false, `${name}: rejected, not thrown`);
    t.equal((await deleteGroup1()).status, 403, `${name}: the previous configuration stays in force`);
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, "no prototype pollution");
  const rejected = logs.filter((l) => l.msg.startsWith("configuration reload rejected"));
  t.equal(rejected.length, Object.keys(attempts).length, "each rejection is logged");
  t.notMatch(JSON.stringify(rejected), new RegExp(`${KEYS.alice[1]}|\\bat \\w+ \\(`), "without secrets or stack traces");

  writeConfig(dir, config("p/wide.json"));
  t.equal(await service.reload(), true, "a good configuration loads");
  t.equal((await deleteGroup1()).status, 200);
});

t.test("configuration unreadable at start: the service does not start", async (t) => {
  const dir = tempDir(t);
  const configFile = writeConfig(dir, { account: ACCOUNT, users: [{ name: "alice", accessKeyId: KEYS.alice[0], accessKeySecret: KEYS.alice[1], policies: ["missing.json"] }] });
  await t.rejects(serve(t, { configFile, dir }), "a configuration with a missing policy is refused");
  writeFileSync(configFile, "{");
  await t.rejects(serve(t, { configFile, dir }), "an unparsable configuration is refused");
  if (process.getuid?.() !== 0) {
    const ok = writeConfig(dir, { account: ACCOUNT, users: [] }, "ok.json");
    chmodSync(ok, 0o000);
    await t.rejects(serve(t, { configFile: ok, dir }), "an unreadable configuration is refused");
  }
});

// ---------------------------------------------------------------- hostile requests against the reference service

t.test("hostile requests: replay, oversized bodies and headers, prototype keys in parameters", async (t) => {
  const { url, service } = await serve(t);
  const describe = { Action: "DescribeScalingGroups", ...HZ };

  // the very same signed bytes, twice
  const sameBytes = { key: KEYS.admin, params: describe, nonce: randomUUID(), timestamp: timestamp() };
  t.equal((await sendV1(url, sameBytes)).status, 200, "first use");
  const replay = await sendV1(url, sameBytes);
  t.equal(replay.status, 400, "replayed bytes are refused");
  t.equal(replay.body["Code"], "SignatureNonceUsed");

  // a body over the 1 MiB limit is refused before anything reads it as parameters
  const big = await fetch(`${url}/`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `Action=DescribeRegions&x=${"a".repeat(1024 * 1024 + 10)}` });
  t.equal(big.status, 413, "RequestTooLarge");
  t.notMatch(await big.text(), /\bat \w|\.ts:\d+/);

  // headers beyond Node's limit never reach the authorizer
  const header = await fetch(`${url}/?Action=DescribeRegions`, { headers: { "x-acs-padding": "a".repeat(64 * 1024) } }).catch(() => undefined);
  t.ok(header === undefined || header.status === 431 || header.status === 400, `oversized headers refused (${header?.status ?? "connection closed"})`);

  // parameters named like prototype properties are just unknown parameters, signed like the others
  for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "__proto__.polluted"]) {
    const r = await sendV1(url, { key: KEYS.admin, params: { ...describe, [name]: "x" } });
    t.ok(r.status === 200 || (r.status >= 400 && r.status < 500), `${name}=x: ${r.status} ${String(r.body["Code"] ?? "")}`);
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, "no prototype pollution");
  t.equal(({} as Record<string, unknown>).x, undefined);

  // after all of this the service still answers correctly
  const after = await client(url, KEYS.admin).request<{ TotalCount: number }>("DescribeScalingGroups", HZ);
  t.ok(after.TotalCount >= 3);
  t.same(await service.store.query("SELECT 1 AS open"), [{ open: 1 }], "the database is still open");
});
