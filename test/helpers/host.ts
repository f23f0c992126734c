/**
 * The host fixture of the middleware suites (a host app of the plugin, no reference service): a trimmed t3
 * policy, alice as a RAM user holding it, and an in-memory store of two groups — group 1 tagged for t3's Allow
 * (with one scaling rule), group 2 for its explicit Deny.
 */
import { storeFromJson } from "../../src/ess/store.js";
import type { Credential, Principal } from "../../src/middleware/principal.js";
import { policyOf } from "./policies.js";
import { ACCOUNT, GROUP1, GROUP2, KEYS, RULE_OF_GROUP1 } from "./service.js";

export const t3 = policyOf(
  [
    { Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/environment": "test", "acs:ResourceTag/Team": "game1" } } },
    { Effect: "Deny", Action: "ess:*", Resource: "*", Condition: { StringEquals: { "acs:ResourceTag/environment": "dev", "acs:ResourceTag/team": "game2" } } },
    { Effect: "Allow", Action: "ess:DescribeRegions", Resource: "*" },
  ],
  "t3",
);

export const alice: Principal = {
  type: "RamUser",
  accountId: ACCOUNT,
  displayName: "alice",
  arn: `acs:ram::${ACCOUNT}:user/alice`,
  policies: { identity: [{ policy: t3 }] },
};

/** Alice's AccessKey (`KEYS.alice`) as the host's credential directory returns it. */
export const aliceKey: Credential = { accessKeyId: KEYS.alice[0], accessKeySecret: KEYS.alice[1], principal: alice };

export const store = storeFromJson({
  scalingGroups: [
    { ScalingGroupId: GROUP1, RegionId: "cn-hangzhou", Tags: { environment: "test", team: "game1" }, ScalingRuleIds: [RULE_OF_GROUP1] },
    { ScalingGroupId: GROUP2, RegionId: "cn-hangzhou", Tags: { environment: "dev", team: "game2" } },
  ],
});
