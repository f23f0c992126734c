/**
 * The middleware's building blocks: both signature schemes, nonce memory, client address behind proxies,
 * diagnostics, and the Fastify plugin in a host of its own.
 */
import Fastify from "fastify";
import t from "tap";
import { storeFromJson } from "../src/ess/store.js";
import { compileTrust } from "../src/middleware/client-address.js";
import { essAuthz } from "../src/middleware/fastify.js";
import { MemoryNonceStore, NonceCapacityError } from "../src/middleware/nonce.js";
import type { Principal } from "../src/middleware/principal.js";
import { canonicalQuery, canonicalRequestV3, constantTimeEqual, parseAcs3Authorization, percentEncode, signV1, signV3, sha256Hex } from "../src/middleware/signature.js";
import { policyOf } from "./helpers/policies.js";
import { ACCOUNT, client, failure, GROUP1, GROUP2 } from "./helpers/service.js";

t.test("v1: the documented example signature", async (t) => {
  // AlibabaCloudDocs/ess intl.en-US/API-Reference/Signatures.md (the doc spells the parameter "TimeStamp").
  const params: [string, string][] = [
    ["TimeStamp", "2014-08-15T11:10:07Z"],
    ["Format", "xml"],
    ["AccessKeyId", "testid"],
    ["Action", "DescribeScalingGroups"],
    ["SignatureMethod", "HMAC-SHA1"],
    ["RegionId", "cn-qingdao"],
    ["SignatureNonce", "1324fd0e-e2bb-4bb1-917c-bd6e437f1710"],
    ["SignatureVersion", "1.0"],
    ["Version", "2014-08-28"],
  ];
  t.equal(signV1("GET", params, "testsecret"), "SmhZuLUnXmqxSEZ/GqyiwGqmf+M=");
  t.not(signV1("POST", params, "testsecret"), "SmhZuLUnXmqxSEZ/GqyiwGqmf+M=", "the method is signed");
});

t.test("RFC 3986 percent-encoding and canonical order", async (t) => {
  t.equal(percentEncode("a b*c~!'()/é"), "a%20b%2Ac~%21%27%28%29%2F%C3%A9");
  t.equal(canonicalQuery([["b", "2"], ["a", "1"], ["Tag.1.Key", "x y"]]), "Tag.1.Key=x%20y&a=1&b=2");
});

t.test("v3: canonical request and signature", async (t) => {
  const parts = {
    method: "POST",
    path: "/",
    query: [["RegionId", "cn-hangzhou"], ["ScalingGroupIds.1", GROUP1]] as [string, string][],
    headers: { host: "ess.aliyuncs.com", "x-acs-action": "DescribeScalingGroups", "x-acs-date": "2026-01-01T00:00:00Z", "x-acs-content-sha256": sha256Hex("") },
    signedHeaders: ["x-acs-date", "host", "x-acs-action", "x-acs-content-sha256"],
    payloadHash: sha256Hex(""),
  };
  t.equal(
    canonicalRequestV3(parts),
    [
      "POST",
      "/",
      `RegionId=cn-hangzhou&ScalingGroupIds.1=${GROUP1}`,
      `host:ess.aliyuncs.com\nx-acs-action:DescribeScalingGroups\nx-acs-content-sha256:${sha256Hex("")}\nx-acs-date:2026-01-01T00:00:00Z\n`,
      "host;x-acs-action;x-acs-content-sha256;x-acs-date",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ].join("\n"),
  );
  t.match(signV3(parts, "secret"), /^[0-9a-f]{64}$/);
  t.not(signV3(parts, "secret"), signV3({ ...parts, headers: { ...parts.headers, "x-acs-action": "DeleteScalingGroup" } }, "secret"));

  t.same(parseAcs3Authorization("ACS3-HMAC-SHA256 Credential=AK1,SignedHeaders=host;x-acs-date,Signature=abc"), {
    accessKeyId: "AK1",
    signedHeaders: ["host", "x-acs-date"],
    signature: "abc",
  });
  for (const bad of [
    "ACS3-HMAC-SHA1 Credential=AK1,SignedHeaders=host,Signature=abc",
    "ACS3-HMAC-SHA256 Credential=AK1,SignedHeaders=host",
    "ACS3-HMAC-SHA256 Credential=AK1,Credential=AK2,SignedHeaders=host,Signature=abc",
    "ACS3-HMAC-SHA256 Credential=AK1,SignedHeaders=host,Signature=abc,Extra=1",
  ]) {
    t.equal(parseAcs3Authorization(bad), undefined, bad);
  }
  t.ok(constantTimeEqual("abc", "abc"));
  t.notOk(constantTimeEqual("abc", "abd"));
  t.notOk(constantTimeEqual("abc", "abcd"));
  t.notOk(constantTimeEqual("xa", "ya"), "a difference in the first character");
  t.notOk(constantTimeEqual("é", "e"), "the same bytes count only as the same characters");
  // Two different lone surrogates: both would become the same UTF-8 bytes (EF BF BD), yet they are not equal.
  t.notOk(constantTimeEqual("a\ud800", "a\ud801"));
});

t.test("nonce memory: once per window, bounded", async (t) => {
  const nonces = new MemoryNonceStore(2);
  t.ok(nonces.remember("a", 10_000, 0));
  t.notOk(nonces.remember("a", 10_000, 5_000), "replayed within its lifetime");
  t.ok(nonces.remember("b", 10_000, 6_000));
  t.throws(() => nonces.remember("c", 10_000, 7_000), NonceCapacityError, "full of live nonces: refuse rather than forget");
  t.ok(nonces.remember("c", 10_000, 10_001), "expired entries make room");
  t.ok(nonces.remember("a", 10_000, 16_001), "an expired nonce may come back (its timestamp no longer would)");
});

t.test("client address: forwarding headers count only from trusted proxies", async (t) => {
  const origin = compileTrust({ trustedProxies: ["10.0.0.0/8", "::1"], sourceVpcHeader: "X-Source-Vpc" });
  const headers = { "x-forwarded-for": "203.0.113.7, 10.1.2.3", "x-forwarded-proto": "https", "x-source-vpc": "vpc-123" };
  t.same(origin({ remoteAddress: "198.51.100.1", encrypted: false, headers }), { sourceIp: "198.51.100.1", secureTransport: false }, "untrusted peer: headers ignored");
  t.same(origin({ remoteAddress: "::ffff:10.0.0.5", encrypted: false, headers }), { sourceIp: "203.0.113.7", secureTransport: true, sourceVpc: "vpc-123" });
  t.same(origin({ remoteAddress: "::1", encrypted: true, headers: {} }).sourceIp, "::1");
  t.equal(origin({ remoteAddress: "10.0.0.5", encrypted: false, headers: { "x-forwarded-for": "evil, 10.1.1.1" } }).sourceIp, "evil", "an unreadable hop stays unreadable (indeterminate: fails closed)");
});

t.test("the Fastify plugin in a host of its own", async (t) => {
  const t3 = policyOf(
    [
      { Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/team": "game1" } } },
      { Effect: "Allow", Action: "ess:DescribeRegions", Resource: "*", Condition: { IpAddress: { "acs:SourceIp": "10.0.0.0/8" } } },
    ],
    "host-policy",
  );
  const alice: Principal = { type: "RamUser", accountId: ACCOUNT, displayName: "alice", arn: `acs:ram::${ACCOUNT}:user/alice`, policies: { identity: [{ policy: t3 }] } };
  const store = storeFromJson({
    scalingGroups: [
      { ScalingGroupId: GROUP1, RegionId: "cn-hangzhou", Tags: { team: "game1" } },
      { ScalingGroupId: GROUP2, RegionId: "cn-hangzhou", Tags: { team: "game2" } },
    ],
  });
  const app = Fastify();
  await app.register(async (scope) => {
    await scope.register(essAuthz, {
      credentials: { findAccessKey: (id) => (id === "AKIDALICE0001" ? { accessKeyId: id, accessKeySecret: "s3cr3t", principal: alice } : undefined) },
      groups: store.groups,
      resolver: store.resolver,
    });
    scope.all("/", async (request) => ({
      RequestId: request.essAuthz!.requestId,
      Visible: request.essAuthz!.decision.resources.filter((r) => r.decision === "Allow").map((r) => r.scalingGroupId),
    }));
  });
  app.get("/health", async () => ({ ok: true }));
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());

  t.same((await (await fetch(`${url}/health`)).json()) as object, { ok: true }, "routes outside the plugin's scope are not authorized");
  const c = client(url, ["AKIDALICE0001", "s3cr3t"]);
  const listed = await c.request<{ Visible: string[] }>("DescribeScalingGroups", { RegionId: "cn-hangzhou" });
  t.same(listed.Visible, [GROUP1]);
  const regions = await failure(c.request("DescribeRegions", {}));
  t.equal(regions.code, "Forbidden.Unauthorized", "acs:SourceIp is the peer (127.0.0.1), not in 10.0.0.0/8");
});
