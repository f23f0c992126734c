/**
 * What the middleware benchmark's server and its in-process probe share: the principal (the scenario policies
 * and 100 padding statements), the group store, and freshly signed v1 requests.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { storeFromJson } from "../src/ess/store.js";
import type { Credential } from "../src/middleware/principal.js";
import { signV1 } from "../src/middleware/signature.js";
import { ACCESS_KEY, ACCOUNT, benchRequests, workload } from "./workload.js";

const PADDING = 100;

export const credential: Credential = {
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

export const credentials = { findAccessKey: (id: string): Credential | undefined => (id === credential.accessKeyId ? credential : undefined) };

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/requests/r1-describe-group1.json"), "utf8")) as { store: unknown };
export const store = storeFromJson(fixture.store);

const PARAMS = { Action: "DescribeScalingGroups", RegionId: "cn-hangzhou", "ScalingGroupId.1": "asg-bp17np35ywjwh2cx0001" };

/** A signed query string (v1, unique nonce, current time), as `@alicloud/pop-core` would send it. */
export function signedQuery(): string {
  const params: Record<string, string> = {
    Format: "JSON",
    Version: "2014-08-28",
    AccessKeyId: ACCESS_KEY[0],
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: randomUUID(),
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    ...PARAMS,
  };
  const Signature = signV1("GET", Object.entries(params), ACCESS_KEY[1]);
  return new URLSearchParams({ ...params, Signature }).toString();
}
