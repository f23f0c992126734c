/**
 * `ess-authz/express` on a small app of its own (no reference service): authentication failures, denials with
 * their diagnostic, v1 and v3 signatures, STS tokens, and that a failing host dependency never allows.
 */
import { createCipheriv, hkdfSync, randomBytes } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import express from "express";
import t from "tap";
import type { ChildResolver } from "../src/ess/types.js";
import { decodeDiagnostic, formatDiagnostic } from "../src/middleware/diagnostic.js";
import { essAuthz, type EssAuthzExpressOptions } from "../src/middleware/express.js";
import type { Credential, Principal } from "../src/middleware/principal.js";
import { runDecodeDiagnostic } from "../src/cli/decode-diagnostic.js";
import { aliceKey, store, t3 } from "./helpers/host.js";
import { ACCOUNT, client, failure, GROUP1, GROUP2, KEYS, RULE_OF_GROUP1, sendV1, sendV3, timestamp } from "./helpers/service.js";

const ROLE: readonly [string, string] = ["STS.ROLEKEY01", "s3cr3t-role"];
const TOKEN = "CAIS-token-for-the-role-session";

const roleSession: Principal = {
  type: "AssumedRoleUser",
  accountId: ACCOUNT,
  displayName: "ops:s1",
  arn: `acs:ram::${ACCOUNT}:assumed-role/ops/s1`,
  policies: { principalType: "AssumedRoleUser", identity: [{ policy: t3 }] },
};

const credentials = new Map<string, Credential>([
  [KEYS.alice[0], aliceKey],
  [ROLE[0], { accessKeyId: ROLE[0], accessKeySecret: ROLE[1], securityToken: TOKEN, expiration: new Date(Date.now() + 3600_000), principal: roleSession }],
]);

/** A host app: the middleware, then a handler that echoes what it decided. */
async function app(options: Partial<EssAuthzExpressOptions> = {}): Promise<string> {
  const server = express()
    .all(
      "/",
      essAuthz({ credentials: { findAccessKey: (id) => credentials.get(id) }, groups: store.groups, resolver: store.resolver, ...options }),
      (req, res) => {
        const authz = req.essAuthz!;
        res.json({
          RequestId: authz.requestId,
          Action: authz.plan.operation,
          Principal: authz.principal.arn,
          Allowed: authz.decision.resources.filter((r) => r.decision === "Allow").map((r) => r.scalingGroupId ?? r.arn),
        });
      },
    )
    .listen(0, "127.0.0.1");
  await once(server, "listening");
  t.teardown(() => new Promise<void>((done) => server.close(() => done())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const describeGroup1 = { Action: "DescribeScalingGroups", RegionId: "cn-hangzhou", "ScalingGroupId.1": GROUP1 };

t.test("the official client is authenticated and authorized (GET and POST)", async (t) => {
  const url = await app();
  const c = client(url, KEYS.alice);
  const listed = await c.request<{ Allowed: string[]; Principal: string }>("DescribeScalingGroups", { RegionId: "cn-hangzhou" });
  t.same(listed.Allowed, [GROUP1], "list filtering: only the group alice may see");
  t.equal(listed.Principal, `acs:ram::${ACCOUNT}:user/alice`);
  const deleted = await c.request<{ Action: string }>("DeleteScalingRule", { RegionId: "cn-hangzhou", ScalingRuleId: RULE_OF_GROUP1 }, { method: "POST" });
  t.equal(deleted.Action, "DeleteScalingRule", "child id resolved to its allowed group");
});

t.test("authentication failures answer the ESS codes of docs/semantics.md §6", async (t) => {
  const url = await app();
  const cases: [string, Parameters<typeof sendV1>[1], number, string][] = [
    ["wrong secret", { key: KEYS.alice, params: describeGroup1, secretForSigning: "not-the-secret" }, 403, "SignatureDoesNotMatch"],
    ["unknown AccessKey", { key: ["AKIDNOBODY0001", "whatever"], params: describeGroup1 }, 400, "InvalidAccessKeyId.NotFound"],
    ["timestamp 16 minutes old", { key: KEYS.alice, params: describeGroup1, timestamp: timestamp(Date.now() - 16 * 60_000) }, 400, "InvalidTimeStamp.Expired"],
    ["timestamp 16 minutes ahead", { key: KEYS.alice, params: describeGroup1, timestamp: timestamp(Date.now() + 16 * 60_000) }, 400, "InvalidTimeStamp.Expired"],
    [
      "parameter changed after signing",
      { key: KEYS.alice, params: describeGroup1, tamper: (p) => ({ ...p, "ScalingGroupId.1": GROUP2 }) },
      403,
      "SignatureDoesNotMatch",
    ],
    ["parameter added after signing", { key: KEYS.alice, params: describeGroup1, tamper: (p) => ({ ...p, "ScalingGroupId.2": GROUP2 }) }, 403, "SignatureDoesNotMatch"],
    ["no signature", { key: KEYS.alice, params: describeGroup1, tamper: ({ Signature: _s, ...p }) => p }, 400, "MissingParameter"],
    ["no nonce", { key: KEYS.alice, params: describeGroup1, tamper: ({ SignatureNonce: _n, ...p }) => p }, 400, "MissingParameter"],
    ["malformed timestamp", { key: KEYS.alice, params: describeGroup1, timestamp: "yesterday" }, 400, "InvalidParameter"],
    ["a token for a key without one", { key: KEYS.alice, params: { ...describeGroup1, SecurityToken: "x" } }, 400, "InvalidSecurityToken.MismatchWithAccessKey"],
  ];
  for (const [name, request, status, code] of cases) {
    const r = await sendV1(url, request);
    t.equal(r.status, status, `${name}: HTTP ${status}`);
    t.equal(r.body["Code"], code, `${name}: ${code}`);
    t.match(r.body["RequestId"], /^[0-9A-F-]{36}$/, `${name}: RequestId`);
    t.notMatch(r.text, /s3cr3t|at .*\.ts:\d+/, `${name}: no secret, no stack`);
  }
});

t.test("a nonce works once", async (t) => {
  const url = await app();
  const nonce = "0f8d5c8e-2a9e-4c1b-9a57-3a1d2c4b5e6f";
  const first = await sendV1(url, { key: KEYS.alice, params: describeGroup1, nonce });
  t.equal(first.status, 200);
  const replay = await sendV1(url, { key: KEYS.alice, params: describeGroup1, nonce });
  t.equal(replay.status, 400);
  t.equal(replay.body["Code"], "SignatureNonceUsed");
  const forged = await sendV1(url, { key: KEYS.alice, params: describeGroup1, nonce: "burn-me", secretForSigning: "wrong" });
  t.equal(forged.body["Code"], "SignatureDoesNotMatch");
  const owner = await sendV1(url, { key: KEYS.alice, params: describeGroup1, nonce: "burn-me" });
  t.equal(owner.status, 200, "a forged request does not burn the owner's nonce");
});

t.test("form bodies are signed like query parameters; duplicates are refused", async (t) => {
  const url = await app();
  const posted = await sendV1(url, { key: KEYS.alice, params: describeGroup1, method: "POST" });
  t.equal(posted.status, 200);
  const doubled = await fetch(`${url}/?ScalingGroupId.1=${GROUP2}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "ScalingGroupId.1=" + GROUP1,
  });
  t.equal(doubled.status, 400);
  t.equal(((await doubled.json()) as { Code: string }).Code, "InvalidParameter");
});

const DIAGNOSTIC_KEY = "a-diagnostic-key-of-some-length";

t.test("a denial is 403 Forbidden.Unauthorized with AccessDeniedDetail and a decodable diagnostic", async (t) => {
  const url = await app({ diagnosticKey: DIAGNOSTIC_KEY });
  const error = await failure(client(url, KEYS.alice).request("DeleteScalingGroup", { RegionId: "cn-hangzhou", ScalingGroupId: GROUP2 }));
  t.equal(error.code, "Forbidden.Unauthorized");
  t.equal(error.data.Message, "A required authorization for the specified action is not supplied.");
  const detail = error.data.AccessDeniedDetail!;
  t.match(detail, {
    AuthAction: "ess:DeleteScalingGroup",
    AuthPrincipalType: "RamUser",
    AuthPrincipalOwnerId: ACCOUNT,
    AuthPrincipalDisplayName: "alice",
    NoPermissionType: "ExplicitDeny",
    PolicyType: "AccountLevelIdentityBasedPolicy",
  });
  const diagnostic = decodeDiagnostic(detail["EncodedDiagnosticMessage"]!, DIAGNOSTIC_KEY);
  t.equal(diagnostic.requestId, error.data.RequestId);
  t.equal(diagnostic.resources[0]!.decision, "ExplicitDeny");
  t.match(diagnostic.resources[0]!.determining, [{ policy: "t3", statement: 1, effect: "Deny" }]);
  t.match(formatDiagnostic(diagnostic), /decided by t3 statement 1 Deny/);

  let out = "";
  const code = await runDecodeDiagnostic({ cwd: process.cwd(), stdout: (s) => (out += s), stderr: () => {} }, detail["EncodedDiagnosticMessage"]!, { key: DIAGNOSTIC_KEY });
  t.equal(code, 0);
  t.match(out, /StringEquals acs:ResourceTag\/team \(request: \["game2"\]\): holds/, "the CLI names the deciding condition");

  const implicit = await failure(client(url, KEYS.alice).request("CreateScalingGroup", { RegionId: "cn-hangzhou", MinSize: 0, MaxSize: 1 }));
  t.equal(implicit.data.AccessDeniedDetail!["NoPermissionType"], "ImplicitDeny");
});

t.test("without a diagnostic key or nonce store, denials are sealed with a key of the process, and the host is warned", async (t) => {
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => void warnings.push(w);
  process.on("warning", onWarning);
  t.teardown(() => void process.off("warning", onWarning));
  const url = await app();
  await new Promise((r) => setImmediate(r));
  // No logger was given: the warnings go to the process, which prints them on stderr by default.
  t.match(
    [...warnings].sort((a, b) => a.message.localeCompare(b.message)),
    [
      { code: "ESS_AUTHZ_EPHEMERAL_DIAGNOSTIC_KEY", message: /no diagnosticKey given/ },
      { code: "ESS_AUTHZ_IN_PROCESS_NONCES", message: /no nonce store given/ },
    ],
  );
  const error = await failure(client(url, KEYS.alice).request("DeleteScalingGroup", { RegionId: "cn-hangzhou", ScalingGroupId: GROUP2 }));
  const message = error.data.AccessDeniedDetail!["EncodedDiagnosticMessage"]!;
  t.match(message, /^EDM1S\./, "sealed, not readable by the denied caller");
  t.throws(() => decodeDiagnostic(message), /sealed/);
  t.throws(() => decodeDiagnostic(message, DIAGNOSTIC_KEY), /does not open/);
});

t.test("sealed diagnostics open only with the key", async (t) => {
  const key = DIAGNOSTIC_KEY;
  const url = await app({ diagnosticKey: key });
  const error = await failure(client(url, KEYS.alice).request("DeleteScalingGroup", { RegionId: "cn-hangzhou", ScalingGroupId: GROUP2 }));
  const message = error.data.AccessDeniedDetail!["EncodedDiagnosticMessage"]!;
  t.match(message, /^EDM1S\./);
  t.throws(() => decodeDiagnostic(message), /sealed/);
  t.throws(() => decodeDiagnostic(message, "another-key-of-some-length"), /does not open/);
  t.equal(decodeDiagnostic(message, key).decision, "ExplicitDeny");

  let out = "";
  const io = { cwd: process.cwd(), stdout: (s: string) => (out += s), stderr: () => {}, readStdin: () => message };
  t.equal(await runDecodeDiagnostic(io, "-", { key, json: true }), 0, "read from stdin, printed as JSON");
  t.match(JSON.parse(out), { version: 1, decision: "ExplicitDeny", action: "ess:DeleteScalingGroup" });
  await t.rejects(runDecodeDiagnostic(io, message, {}), /sealed: give --key, --config, --state/, "no key given");
  await t.rejects(runDecodeDiagnostic(io, "EDM1.eJzLSM3JyQcABiwCFQ", { key }), /not an encoded diagnostic message/, "the unsealed form is not accepted");
  // Sealed with the right key but not a deflated document: the documented derivation (HKDF-SHA256, salt
  // `ess-authz`, info `encoded-diagnostic-message`) over bytes that are not deflate.
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(hkdfSync("sha256", key, "ess-authz", "encoded-diagnostic-message", 32)), iv);
  const sealed = Buffer.concat([cipher.update(Buffer.from("not deflate")), cipher.final()]);
  const corrupt = "EDM1S." + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
  await t.rejects(runDecodeDiagnostic(io, corrupt, { key }), /corrupt/);
});

t.test("signature v3 (ACS3-HMAC-SHA256)", async (t) => {
  const url = await app();
  const ok = await sendV3(url, { key: KEYS.alice, action: "DescribeScalingGroups", query: { RegionId: "cn-hangzhou", "ScalingGroupIds.1": GROUP1 } });
  t.equal(ok.status, 200, ok.text);
  t.same(ok.body["Allowed"], [GROUP1]);

  const posted = await sendV3(url, { key: KEYS.alice, action: "DeleteScalingGroup", form: { RegionId: "cn-hangzhou", ScalingGroupId: GROUP1 } });
  t.equal(posted.status, 200, posted.text);

  const body = await sendV3(url, {
    key: KEYS.alice,
    action: "DeleteScalingGroup",
    form: { RegionId: "cn-hangzhou", ScalingGroupId: GROUP1 },
    tamperBody: (b) => b.replace(GROUP1, GROUP2),
  });
  t.equal(body.body["Code"], "InvalidParameter", "a body that does not match x-acs-content-sha256");

  const action = await sendV3(url, {
    key: KEYS.alice,
    action: "DescribeScalingGroups",
    query: { RegionId: "cn-hangzhou" },
    tamperHeaders: (h) => ({ ...h, "x-acs-action": "DeleteScalingGroup" }),
  });
  t.equal(action.body["Code"], "SignatureDoesNotMatch", "the action header is signed");

  const unsigned = await sendV3(url, {
    key: KEYS.alice,
    action: "DescribeScalingGroups",
    query: { RegionId: "cn-hangzhou" },
    tamperHeaders: (h) => ({ ...h, authorization: h["authorization"]!.replace("x-acs-action;", "") }),
  });
  t.equal(unsigned.body["Code"], "InvalidParameter", "x-acs-action must be among the signed headers");

  const stale = await sendV3(url, { key: KEYS.alice, action: "DescribeRegions", date: timestamp(Date.now() - 20 * 60_000) });
  t.equal(stale.body["Code"], "InvalidTimeStamp.Expired");

  const nonce = "v3-nonce-used-once";
  t.equal((await sendV3(url, { key: KEYS.alice, action: "DescribeRegions", nonce })).status, 200);
  t.equal((await sendV3(url, { key: KEYS.alice, action: "DescribeRegions", nonce })).body["Code"], "SignatureNonceUsed");
});

t.test("STS credentials need their security token", async (t) => {
  const url = await app();
  const withToken = await client(url, ROLE, "2014-08-28", TOKEN).request<{ Principal: string }>("DescribeRegions", {});
  t.equal(withToken.Principal, `acs:ram::${ACCOUNT}:assumed-role/ops/s1`);
  const without = await failure(client(url, ROLE).request("DescribeRegions", {}));
  t.equal(without.code, "InvalidSecurityToken.MismatchWithAccessKey");
  const wrong = await failure(client(url, ROLE, "2014-08-28", "CAIS-another").request("DescribeRegions", {}));
  t.equal(wrong.code, "InvalidSecurityToken.MismatchWithAccessKey");
  const v3 = await sendV3(url, { key: ROLE, action: "DescribeRegions", securityToken: TOKEN });
  t.equal(v3.status, 200, v3.text);

  credentials.set("STS.EXPIRED01", { ...credentials.get(ROLE[0])!, accessKeyId: "STS.EXPIRED01", expiration: new Date(Date.now() - 1000) });
  t.teardown(() => void credentials.delete("STS.EXPIRED01"));
  const expired = await failure(client(url, ["STS.EXPIRED01", ROLE[1]], "2014-08-28", TOKEN).request("DescribeRegions", {}));
  t.equal(expired.code, "InvalidSecurityToken.Expired");
});

t.test("the host's dependencies fail closed", async (t) => {
  const broken: ChildResolver = {
    resolve: () => {
      throw new Error("database is down at /srv/secret/path");
    },
  };
  const url = await app({ resolver: broken });
  const r = await sendV1(url, { key: KEYS.alice, params: { Action: "DeleteScalingRule", RegionId: "cn-hangzhou", ScalingRuleId: RULE_OF_GROUP1 } });
  t.equal(r.status, 500);
  t.equal(r.body["Code"], "InternalError");
  t.notMatch(r.text, /database is down|\/srv/, "no internals in the body");

  const lookupFails = await app({
    credentials: {
      findAccessKey: () => Promise.reject(new Error("directory unavailable")),
    },
  });
  const r2 = await sendV1(lookupFails, { key: KEYS.alice, params: describeGroup1 });
  t.equal(r2.status, 500);

  const strange = await app({ resolver: { resolve: () => ({ kind: "group", scalingGroupId: "asg-does-not-exist" }) } });
  const r3 = await sendV1(strange, { key: KEYS.alice, params: { Action: "DeleteScalingRule", RegionId: "cn-hangzhou", ScalingRuleId: "asr-x" } });
  t.equal(r3.status, 403, "a child resolved to an unknown group is denied");
});

t.test("Format=XML answers errors in XML", async (t) => {
  const url = await app();
  const r = await sendV1(url, { key: KEYS.alice, params: { ...describeGroup1, Format: "XML" }, secretForSigning: "nope" });
  t.equal(r.status, 403);
  t.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?><Error><RequestId>[0-9A-F-]{36}<\/RequestId><HostId>ess.aliyuncs.com<\/HostId><Code>SignatureDoesNotMatch<\/Code>/);
});

t.test("unknown actions and versions are not authorization questions", async (t) => {
  const url = await app();
  const unknown = await sendV1(url, { key: KEYS.alice, params: { Action: "LaunchRockets", RegionId: "cn-hangzhou" } });
  t.equal(unknown.body["Code"], "UnsupportedOperation");
  const version = await sendV1(url, { key: KEYS.alice, params: { Action: "DescribeRegions" }, version: "2016-07-22" as never });
  t.equal(version.body["Code"], "NoSuchVersion");
});
