/**
 * The middleware's hand-tuned steps against the plain definitions they replace: form parsing against WHATWG
 * URLSearchParams, the one-pass v1 string-to-sign against `percentEncode(canonicalQuery(...))`, shared request
 * values against per-resource contexts, nonce pruning, and the host's parameter object.
 */
import fc from "fast-check";
import Fastify from "fastify";
import pino from "pino";
import t, { type Test } from "tap";
import { makeContext, resourceContext, sharedValues } from "../src/evaluate/context.js";
import { buildPlan, checkedContext } from "../src/ess/request.js";
import { storeFromJson } from "../src/ess/store.js";
import { createAuthorizer } from "../src/middleware/authorizer.js";
import { essAuthz } from "../src/middleware/fastify.js";
import { parseFormInto } from "../src/middleware/form.js";
import { runJobs } from "./helpers/work-lane.js";
import { badEscapes } from "./reference/big-inputs.js";
import { MemoryNonceStore, NonceCapacityError } from "../src/middleware/nonce.js";
import { canonicalQuery, HmacKeys, percentEncode, sha256Hex, signV1, signV3, stringToSignV1 } from "../src/middleware/signature.js";
import { authenticate } from "../src/middleware/authenticate.js";
import { createHmac } from "node:crypto";
import { policyOf } from "./helpers/policies.js";
import { ACCOUNT, GROUP1, timestamp } from "./helpers/service.js";

class Repeated extends Error {}
const repeated = (name: string): never => {
  throw new Repeated(name);
};

/** Text built from the characters form parsing treats specially, plus non-ASCII and lone surrogates. */
const formText = fc
  .array(fc.oneof(fc.constantFrom("&", "=", "+", "%", "%2", "%20", "%41", "%3a", "%2B", "%2b", "%00", "%7F", "%80", "%zz", "%C3%A9", "%c3%a9", "%E2%82", "%FF", "%ED%A0%80", "é", "😀", "\ud800", "\udc00", "a", "B", "1", "."), fc.string({ maxLength: 3 })), { maxLength: 24 })
  .map((parts) => parts.join(""));

t.test("form parsing reads what URLSearchParams reads", async (t) => {
  fc.assert(
    fc.property(formText, (text) => {
      // The constructor drops one leading `?` of its argument; the urlencoded parser itself does not.
      const expected = [...new URLSearchParams(`&${text}`)];
      const names = new Set(expected.map(([name]) => name));
      const parsed = new Map<string, string>();
      try {
        parseFormInto(text, parsed, repeated);
      } catch (e) {
        if (!(e instanceof Repeated)) throw e;
        return names.size < expected.length; // refused: some name really is given twice
      }
      return names.size === expected.length && JSON.stringify([...parsed]) === JSON.stringify(expected);
    }),
    { numRuns: 5000, seed: 20261130 },
  );
  const into = new Map<string, string>();
  t.throws(() => parseFormInto("a=1&b=2&a=3", into, repeated), { message: "a" }, "a name given twice is refused");
  t.throws(() => parseFormInto("a%3D=1", new Map([["a=", "x"]]), repeated), { message: "a=" }, "names compare decoded");
});

t.test("names stored in a caller's spelling read exactly as without it", async (t) => {
  const spellings = new Map(["a", "B", "a b", "é", "1"].map((name) => [name, name]));
  fc.assert(
    fc.property(formText, (text) => {
      const plain = new Map<string, string>();
      const spelled = new Map<string, string>();
      const refused = (into: Map<string, string>, extra?: ReadonlyMap<string, string>): boolean => {
        try {
          parseFormInto(text, into, repeated, extra);
          return false;
        } catch (e) {
          if (!(e instanceof Repeated)) throw e;
          return true;
        }
      };
      return refused(plain) === refused(spelled, spellings) && JSON.stringify([...plain]) === JSON.stringify([...spelled]);
    }),
    { numRuns: 3000, seed: 20261206 },
  );
  const into = new Map<string, string>();
  parseFormInto("A=1&b=2&B=3", into, repeated, spellings);
  t.same([...into], [["A", "1"], ["b", "2"], ["B", "3"]], "a spelling matches its exact name only, never another case");
});

t.test("a body full of bad escapes is parsed in linear work, not a fallback per piece", async (t) => {
  // 1 MB of unique pieces whose escapes decodeURIComponent refuses (a per-piece fallback took about 90× longer).
  const body = badEscapes(100_000);
  const parsed = new Map<string, string>();
  parseFormInto(body, parsed, repeated);
  t.same([...parsed].slice(0, 3), [["x0%", "%"], ["x1%", "%"], ["x2%", "%"]]);
  t.equal(parsed.size, 100_000);
  // Steps counted in a child process: twice the pieces, at most about twice the work.
  const results = await runJobs([["half", { mode: "form", pieces: 50_000 }], ["full", { mode: "form", pieces: 100_000 }]], 60_000);
  const half = results.get("half")!.steps!;
  const full = results.get("full")!.steps!;
  t.ok(full <= 2.2 * half + 100, `${half} then ${full} steps`);
});

t.test("the one-pass v1 string-to-sign is METHOD&%2F&percentEncode(canonicalQuery)", async (t) => {
  const name = fc.oneof(fc.constantFrom("Action", "RegionId", "Tag.1.Key", "Signature", "a b", "a*", "A~", "é", "Z"), fc.string({ maxLength: 6 }));
  fc.assert(
    fc.property(fc.uniqueArray(fc.tuple(name, fc.string({ maxLength: 8 })), { selector: ([k]) => k, maxLength: 10 }), (pairs) => {
      const unsigned = pairs.filter(([k]) => k !== "Signature");
      const expected = `GET&%2F&${percentEncode(canonicalQuery(unsigned))}`;
      return stringToSignV1("get", pairs) === expected && stringToSignV1("GET", new Map(pairs)) === expected;
    }),
    { numRuns: 3000, seed: 20261130 },
  );
  const repeated = [["a", "1"], ["a", "2"]] as const;
  t.equal(stringToSignV1("GET", repeated), `GET&%2F&${percentEncode(canonicalQuery(repeated))}`, "a client's pair list is signed as given, repeats included");
  t.equal(signV1("GET", [["b", "2"], ["a", "1"]], "s"), signV1("GET", new Map([["a", "1"], ["b", "2"], ["Signature", "ignored"]]), "s"), "Signature is never signed");
});

t.test("form parsing that falls back takes back only its own pairs", async (t) => {
  // A body read after the query: the query's parameters stay, the body's are read again by URLSearchParams.
  const body = "a=1&b=%zz&c=%C3%A9";
  const into = new Map([["Action", "X"]]);
  parseFormInto(body, into, repeated);
  t.same([...into], [["Action", "X"], ...new URLSearchParams(`&${body}`)]);
  t.throws(() => parseFormInto("a=1&b=%zz&Action=2", new Map([["Action", "X"]]), repeated), { message: "Action" }, "a repeat after the fallback is still refused");
});

t.test("the v1 string-to-sign follows each request's own names, whatever the one before sent", async (t) => {
  const expected = (pairs: [string, string][]): string => `GET&%2F&${percentEncode(canonicalQuery(pairs.filter(([k]) => k !== "Signature")))}`;
  const requests: [string, string][][] = [
    [["b", "1"], ["a", "2"], ["Signature", "s"]],
    [["b", "3"], ["a", "4 5"], ["Signature", "t"]], // same names, same order, other values
    [["a", "6"], ["b", "7"], ["Signature", "u"]], // same names, other order
    [["b", "8"], ["c", "9"], ["Signature", "v"]], // same size, another name
    [["b", "8"], ["a b", "9"], ["Signature", "w"]], // a name that needs encoding
    [["b", "1"], ["a", "2"]], // no Signature
    [["b", "1"], ["a", "2"], ["Signature", "s"]],
  ];
  for (const pairs of requests) t.equal(stringToSignV1("GET", new Map(pairs)), expected(pairs), JSON.stringify(pairs));
});

t.test("HMAC keys are made per secret: a rotated secret signs with its own key, and the cache stays bounded", async (t) => {
  const message = "GET&%2F&a%3D1";
  const v1 = (secret: string): string => createHmac("sha1", `${secret}&`).update(`GET&%2F&${percentEncode("a=1")}`).digest("base64");
  t.equal(signV1("GET", [["a", "1"]], "old"), v1("old"));
  t.equal(signV1("GET", [["a", "1"]], "new"), v1("new"), "a changed secret is not served the old key");
  t.equal(signV1("GET", [["a", "1"]], "old"), v1("old"));
  const v3 = { method: "POST", path: "/", query: [], headers: { host: "h" }, signedHeaders: ["host"], payloadHash: "x" } as const;
  t.not(signV3(v3, "old"), signV3(v3, "new"));

  const keys = new HmacKeys((secret) => `${secret}&`, 3);
  for (const secret of ["a", "b", "c", "d", "e"]) {
    t.equal(createHmac("sha1", keys.of(secret)).update(message).digest("hex"), createHmac("sha1", `${secret}&`).update(message).digest("hex"), `the key of ${secret}`);
    t.ok(keys.size <= 3, `${keys.size} keys kept`);
  }
  t.equal(createHmac("sha1", keys.of("a")).update(message).digest("hex"), createHmac("sha1", "a&").update(message).digest("hex"), "a key dropped when full is made again");
});

t.test("a timestamp read before is still checked against the clock, and an empty one is refused", async (t) => {
  const secret = "s";
  const principal = { type: "RamUser" as const, accountId: ACCOUNT, displayName: "p", arn: `acs:ram::${ACCOUNT}:user/p`, policies: { identity: [] } };
  const credentials = { findAccessKey: (id: string) => (id === "AKID" ? { accessKeyId: id, accessKeySecret: secret, principal } : undefined) };
  const v3 = (date: string, nonce: string) => {
    const headers: Record<string, string> = {
      host: "ess.aliyuncs.com",
      "x-acs-action": "DescribeScalingGroups",
      "x-acs-version": "2014-08-28",
      "x-acs-date": date,
      "x-acs-signature-nonce": nonce,
      "x-acs-content-sha256": sha256Hex(""),
    };
    const signedHeaders = Object.keys(headers);
    const signature = signV3({ method: "GET", path: "/", query: [["RegionId", "cn-hangzhou"]], headers, signedHeaders, payloadHash: sha256Hex("") }, secret);
    headers["authorization"] = `ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=${signedHeaders.join(";")},Signature=${signature}`;
    return { method: "GET", path: "/", rawQuery: "RegionId=cn-hangzhou", headers };
  };
  await t.rejects(authenticate(v3("", "n-0"), { credentials, nonces: new MemoryNonceStore() }), { code: "InvalidParameter" }, "an empty x-acs-date");
  const date = "2026-01-01T00:00:00Z";
  const at = Date.parse(date);
  const nonces = new MemoryNonceStore();
  const accepted = await authenticate(v3(date, "n-1"), { credentials, nonces, now: () => at + 1000 });
  t.equal(accepted.credential.accessKeyId, "AKID");
  await t.rejects(authenticate(v3(date, "n-2"), { credentials, nonces, now: () => at + 16 * 60_000 }), { code: "InvalidTimeStamp.Expired" }, "the same text, later");
  await t.rejects(authenticate(v3("2026-01-01 00:00:00", "n-3"), { credentials, nonces, now: () => at }), { code: "InvalidParameter" }, "another shape");
});

t.test("a replay read at the window's edge is refused however late it reaches the nonce memory", async (t) => {
  const secret = "s";
  const principal = { type: "RamUser" as const, accountId: ACCOUNT, displayName: "p", arn: `acs:ram::${ACCOUNT}:user/p`, policies: { identity: [] } };
  const credential = { accessKeyId: "AKID", accessKeySecret: secret, principal };
  // The credential directory answers when the test lets it: a slow dependency.
  let release = (): void => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let slow = false;
  const credentials = { findAccessKey: (id: string) => (id !== "AKID" ? undefined : slow ? gate.then(() => credential) : credential) };
  const window = 15 * 60_000;
  const at = Date.parse("2026-01-01T00:00:00Z");
  const signed = (nonce: string, timestamp: string) => {
    const params: [string, string][] = [
      ["Action", "DescribeScalingGroups"], ["Version", "2014-08-28"], ["RegionId", "cn-hangzhou"], ["AccessKeyId", "AKID"],
      ["SignatureMethod", "HMAC-SHA1"], ["SignatureVersion", "1.0"], ["SignatureNonce", nonce], ["Timestamp", timestamp],
    ];
    return { method: "GET", path: "/", rawQuery: new URLSearchParams([...params, ["Signature", signV1("GET", params, secret)]]).toString(), headers: {} };
  };
  const ttls: number[] = [];
  const memory = new MemoryNonceStore();
  const nonces = { remember: (key: string, ttlMs: number, now: number) => (ttls.push(ttlMs), memory.remember(key, ttlMs, now)) };

  const original = signed("n-1", "2026-01-01T00:00:00Z");
  await authenticate(original, { credentials, nonces, now: () => at });
  t.same(ttls, [2 * window], "every nonce is remembered for two windows from its first use");
  // The replay reads the clock at the last moment its timestamp is accepted, then waits on the directory ...
  slow = true;
  const replay = authenticate(original, { credentials, nonces, now: () => at + window });
  // ... while another caller's request, a little later, makes the memory prune what has expired.
  slow = false;
  await authenticate(signed("n-2", "2026-01-01T00:15:01Z"), { credentials, nonces, now: () => at + window + 1_500 });
  release();
  await t.rejects(replay, { code: "SignatureNonceUsed" }, "the nonce outlived the replay's wait");
});

t.test("one request's resources share its values without seeing each other's tags", async (t) => {
  const shared = sharedValues({ "acs:SourceIp": "10.0.0.1" }, [["team", "a"], ["Team", "b"]]);
  const first = resourceContext(shared, { action: "ess:X", resource: "arn1", resourceTags: [["env", "prod"], ["ENV", "test"]] });
  const second = resourceContext(shared, { action: "ess:X", resource: "arn2", resourceTags: [["env", "dev"]] });
  const bare = resourceContext(shared, { action: "ess:X", resource: "*" });
  t.same(first.values.get("acs:resourcetag/env"), ["prod", "test"]);
  t.same(second.values.get("acs:resourcetag/env"), ["dev"], "another resource's tags are not mixed in");
  t.equal(bare.values.get("acs:resourcetag/env"), undefined);
  t.same(shared.get("acs:requesttag/team"), ["a", "b"], "case variants of a request tag stay together");
  t.equal(shared.get("acs:resourcetag/env"), undefined, "resource tags never reach the shared values");
  t.same(
    [...first.values],
    [...makeContext({ action: "ess:X", resource: "arn1", keys: { "acs:SourceIp": "10.0.0.1" }, requestTags: [["team", "a"], ["Team", "b"]], resourceTags: [["env", "prod"], ["ENV", "test"]] }).values],
    "the same values as a context built on its own",
  );
});

/** One call to a nonce memory and what it must answer: true (fresh), false (seen) or "full" (refused). */
type NonceStep = readonly [key: string, ttlMs: number, now: number, expected: boolean | "full", why?: string];

function playNonces(t: Test, nonces: MemoryNonceStore, steps: readonly NonceStep[]): void {
  for (const [key, ttlMs, now, expected, why = `${key} at ${now}`] of steps) {
    if (expected === "full") t.throws(() => nonces.remember(key, ttlMs, now), NonceCapacityError, why);
    else t.equal(nonces.remember(key, ttlMs, now), expected, why);
  }
}

t.test("nonce memory prunes from the oldest entry once it has expired", async (t) => {
  // Expiries are kept in whole seconds, rounded up: every TTL here is 10 s.
  const nonces = new MemoryNonceStore(3);
  playNonces(t, nonces, [
    ["a", 10_000, 0, true],
    ["b", 10_000, 5_000, true],
    ["c", 10_000, 6_000, true],
    ["c", 10_000, 9_900, false, "still live"],
    ["d", 10_000, 10_000, true, "a expired at 10 s: its room is reused"],
    ["b", 10_000, 14_900, false, "b lives until 15 s"],
    ["a", 10_000, 15_000, true, "a came back after expiring"],
    ["e", 10_000, 15_500, "full", "c, d and a are live: full"],
    ["e", 10_000, 40_000, true, "everything expired: the store empties and starts again"],
    ["e", 10_000, 40_100, false],
  ]);
  t.equal(nonces.size, 1);
});

t.test("nonce memory with TTLs of different lengths never forgets a live nonce", async (t) => {
  const nonces = new MemoryNonceStore(3);
  playNonces(t, nonces, [
    ["long", 60_000, 0, true],
    ["short", 5_000, 1_000, true],
    ["middle", 20_000, 2_000, true],
    ["middle", 20_000, 21_000, false, "live behind the expired short one"],
    ["new", 5_000, 30_000, "full", "short expired, but behind the live head: not pruned yet, so full"],
    ["long", 60_000, 59_000, false, "the head is still live"],
    ["new", 5_000, 61_000, true, "the head expired: everything expired behind it goes too"],
    ["new", 5_000, 62_000, false],
  ]);
  t.equal(nonces.size, 1);
});

t.test("nonce memory rounds a TTL up to whole seconds, never down", async (t) => {
  playNonces(t, new MemoryNonceStore(), [
    ["a", 1, 0, true, "a nonce for 1 ms"],
    ["a", 1, 1, false, "still refused after its 1 ms: kept to the end of the second it expires in"],
    ["a", 1, 999, false],
    ["a", 1, 1_000, true, "forgotten once that second is over"],
    ["b", 2_500, 1_500, true],
    ["b", 2_500, 3_999, false, "2.5 s from 1.5 s: kept until 4 s"],
    ["b", 2_500, 4_000, true],
  ]);
});

/** One RAM user allowed DescribeScalingGroups, AccessKey AKID / secret "s", and one group in cn-hangzhou. */
function describeHost() {
  const policy = policyOf([{ Effect: "Allow", Action: "ess:DescribeScalingGroups", Resource: "*" }], "describe");
  const principal = { type: "RamUser" as const, accountId: ACCOUNT, displayName: "p", arn: `acs:ram::${ACCOUNT}:user/p`, policies: { identity: [{ policy }] } };
  const store = storeFromJson({ scalingGroups: [{ ScalingGroupId: GROUP1, RegionId: "cn-hangzhou" }] });
  return {
    credentials: { findAccessKey: (id: string) => (id === "AKID" ? { accessKeyId: id, accessKeySecret: "s", principal } : undefined) },
    groups: store.groups,
    resolver: store.resolver,
  };
}

/** A signed DescribeScalingGroups call's parameters, without the signature, plus `extra`. */
const describeParams = (nonce: string, extra: [string, string]): [string, string][] => [
  extra,
  ["Action", "DescribeScalingGroups"],
  ["Version", "2014-08-28"],
  ["RegionId", "cn-hangzhou"],
  ["AccessKeyId", "AKID"],
  ["SignatureMethod", "HMAC-SHA1"],
  ["SignatureVersion", "1.0"],
  ["SignatureNonce", nonce],
  ["Timestamp", timestamp()],
];

t.test("the host's parameter object keeps every name as an own property, __proto__ included", async (t) => {
  const authorizer = createAuthorizer(describeHost());
  const params = describeParams("n-1", ["__proto__", "x"]);
  const rawQuery = new URLSearchParams([...params, ["Signature", signV1("GET", params, "s")]]).toString();
  const result = await authorizer.authorize({ method: "GET", path: "/", rawQuery, headers: {}, remoteAddress: "127.0.0.1", encrypted: false });
  t.ok(result.ok, result.ok ? "authorized" : JSON.stringify(result.rejected.body));
  if (!result.ok) return;
  t.equal(Object.getPrototypeOf(result.request.params), Object.prototype, "the prototype is untouched");
  t.ok(Object.hasOwn(result.request.params, "__proto__"));
  t.equal(Object.getOwnPropertyDescriptor(result.request.params, "__proto__")?.value, "x");
  t.equal(result.request.params["RegionId"], "cn-hangzhou");
});

t.test("the Fastify plugin's parsed body reads a form as the authorizer does, leading `?` included", async (t) => {
  const app = Fastify();
  await app.register(async (scope) => {
    await scope.register(essAuthz, describeHost());
    scope.post("/", async (request) => ({ body: request.body, params: request.essAuthz!.params }));
  });
  t.teardown(() => app.close());
  const params = new Map(describeParams("n-2", ["?Extra", "1"]));
  const encode = (pairs: Iterable<[string, string]>): string => [...pairs].map(([k, v]) => `${k === "?Extra" ? k : encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  const payload = `${encode(params)}&Signature=${encodeURIComponent(signV1("POST", params, "s"))}`;
  t.ok(payload.startsWith("?Extra=1&"), "the body starts with a raw `?`");
  const response = await app.inject({ method: "POST", url: "/", headers: { "content-type": "application/x-www-form-urlencoded" }, payload });
  t.equal(response.statusCode, 200, response.body);
  const { body, params: authorized } = response.json() as { body: Record<string, string>; params: Record<string, string> };
  t.equal(authorized["?Extra"], "1", "the authorizer keeps the `?` (WHATWG urlencoded parsing)");
  t.equal(body["?Extra"], "1", "and so does request.body");
  t.equal(body["Extra"], undefined);
});

t.test("an authorizer without a nonce store says, once, that replays are refused in this process only", async (t) => {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  const diagnosticKey = "a-diagnostic-key-of-some-length";
  createAuthorizer({ ...describeHost(), logger, diagnosticKey });
  createAuthorizer({ ...describeHost(), logger, diagnosticKey, nonces: new MemoryNonceStore() });
  t.equal(lines.length, 1, "only the authorizer left without a store warns");
  t.equal(lines[0]?.level, 40, "a warning");
  t.match(lines[0]?.msg, /no nonce store given.*replayed after a restart/);
});

/**
 * An authorizer whose every AccessKey (secret "s") is one RAM user with `policy`, at the instant `at`; `call` answers
 * "Allow" or the refusal's code for a signed DescribeScalingGroups from that AccessKey and connection.
 */
function oneUserHost(policy: ReturnType<typeof policyOf>, at: number) {
  const principal = { type: "RamUser" as const, accountId: ACCOUNT, displayName: "p", arn: `acs:ram::${ACCOUNT}:user/p`, policies: { identity: [{ policy }] } };
  const store = storeFromJson({ scalingGroups: [{ ScalingGroupId: GROUP1, RegionId: "cn-hangzhou" }] });
  const authorizer = createAuthorizer({
    credentials: { findAccessKey: (id: string) => ({ accessKeyId: id, accessKeySecret: "s", principal }) },
    groups: store.groups,
    resolver: store.resolver,
    nonces: new MemoryNonceStore(),
    diagnosticKey: "a-diagnostic-key-of-some-length",
    now: () => at,
  });
  let n = 0;
  return async (accessKeyId: string, remoteAddress: string, encrypted = false): Promise<string> => {
    const params = describeParams(`n-${n++}`, ["Format", "JSON"]).map(([k, v]): [string, string] => [k, k === "AccessKeyId" ? accessKeyId : k === "Timestamp" ? timestamp(at) : v]);
    const rawQuery = new URLSearchParams([...params, ["Signature", signV1("GET", params, "s")]]).toString();
    const result = await authorizer.authorize({ method: "GET", path: "/", rawQuery, headers: {}, remoteAddress, encrypted });
    return result.ok ? "Allow" : result.rejected.body.Code;
  };
}

t.test("global keys kept for one second stay each caller's and each address's own", async (t) => {
  const policy = policyOf(
    [{ Effect: "Allow", Action: "ess:DescribeScalingGroups", Resource: "*", Condition: { StringEquals: { "acs:AccessId": "AK1" }, IpAddress: { "acs:SourceIp": "10.0.0.0/8" } } }],
    "ak1-from-10",
  );
  // Every request in the same second.
  const call = oneUserHost(policy, Date.parse("2026-12-06T04:00:00Z"));
  t.equal(await call("AK1", "10.1.1.1"), "Allow");
  t.equal(await call("AK2", "10.1.1.1"), "Forbidden.Unauthorized", "another AccessKey, same place and second");
  t.equal(await call("AK1", "10.1.1.1"), "Allow");
  t.equal(await call("AK1", "192.168.1.1"), "Forbidden.Unauthorized", "the same AccessKey from another address");
  t.equal(await call("AK1", "10.2.2.2"), "Allow");
});

t.test("a checked context plans as the context itself does, and a refused one is still refused", async (t) => {
  const store = storeFromJson({ scalingGroups: [{ ScalingGroupId: GROUP1, RegionId: "cn-hangzhou", Tags: { team: "a" } }] });
  const keys = { "acs:SourceIp": "10.0.0.1", "acs:CurrentTime": "2026-12-06T04:00:00Z" };
  const params = { Action: "CreateScalingGroup", Version: "2014-08-28", RegionId: "cn-hangzhou", "Tag.1.Key": "team", "Tag.1.Value": "b" };
  const describe = { Action: "DescribeScalingGroups", Version: "2014-08-28", RegionId: "cn-hangzhou", "ScalingGroupId.1": GROUP1 };
  for (const request of [params, describe]) {
    const plain = await buildPlan({ account: ACCOUNT, params: request, context: keys }, store);
    t.same(await buildPlan({ account: ACCOUNT, params: request, context: checkedContext(keys) }, store), plain, request.Action);
  }
  const reserved = checkedContext({ "acs:RequestTag/team": "a" });
  await t.rejects(buildPlan({ account: ACCOUNT, params: describe, context: reserved }, store), { code: "InvalidParameter" });
  t.ok(Object.isFrozen(checkedContext(keys)), "frozen: what was checked cannot change");
});

t.test("each authorized request's parameter object holds that request's parameters only", async (t) => {
  const authorizer = createAuthorizer({ ...describeHost(), nonces: new MemoryNonceStore(), diagnosticKey: "a-diagnostic-key-of-some-length" });
  const authorize = async (nonce: string, extra: [string, string]) => {
    const params = describeParams(nonce, extra);
    const rawQuery = new URLSearchParams([...params, ["Signature", signV1("GET", params, "s")]]).toString();
    const result = await authorizer.authorize({ method: "GET", path: "/", rawQuery, headers: {}, remoteAddress: "127.0.0.1", encrypted: false });
    if (!result.ok) throw new Error(JSON.stringify(result.rejected.body));
    return result.request;
  };
  const first = await authorize("n-lazy-1", ["Format", "XML"]);
  const second = await authorize("n-lazy-2", ["PageSize", "10"]);
  // Read only after both were authorized: neither object may see the other request's names.
  t.equal(second.params["PageSize"], "10");
  t.equal(second.params["Format"], undefined);
  t.equal(first.params["Format"], "XML");
  t.equal(first.params["PageSize"], undefined);
  t.equal(first.params["SignatureNonce"], "n-lazy-1");
  t.equal(second.params["SignatureNonce"], "n-lazy-2");
  t.equal(first.params, first.params, "one object however often it is read");
  t.same(Object.keys(second.params).sort(), [...describeParams("n-lazy-2", ["PageSize", "10"]).map(([k]) => k), "Signature"].sort());
  // A plain object to the host: `params` is an own, enumerable property.
  const third = await authorize("n-lazy-3", ["PageSize", "20"]);
  t.ok(Object.keys(third).includes("params"), "listed");
  t.equal({ ...third }.params["PageSize"], "20", "a spread copies it");
  t.equal((JSON.parse(JSON.stringify(third)) as { params: Record<string, string> }).params["SignatureNonce"], "n-lazy-3", "and JSON writes it");
  t.equal(third.params, { ...third }.params, "the same object, built once");
});

t.test("the origin kept for a peer follows each request's own connection: TLS or not, this peer or another", async (t) => {
  const policy = policyOf([{ Effect: "Allow", Action: "ess:DescribeScalingGroups", Resource: "*", Condition: { Bool: { "acs:SecureTransport": "true" }, IpAddress: { "acs:SourceIp": "10.0.0.0/8" } } }], "tls-from-10");
  const host = oneUserHost(policy, Date.parse("2026-12-06T04:00:00Z"));
  const call = (remoteAddress: string, encrypted: boolean): Promise<string> => host("AK1", remoteAddress, encrypted);
  t.equal(await call("10.1.1.1", true), "Allow");
  t.equal(await call("10.1.1.1", false), "Forbidden.Unauthorized", "the same peer without TLS");
  t.equal(await call("10.1.1.1", true), "Allow");
  t.equal(await call("::ffff:10.1.1.1", true), "Allow", "IPv4-mapped IPv6 reads as IPv4");
  t.equal(await call("192.168.1.1", true), "Forbidden.Unauthorized", "another peer over TLS");
  t.equal(await call("not an address", true), "Forbidden.Unauthorized", "an unreadable peer fails closed");
});
