import type { EvaluationInput, PrincipalType } from "../evaluate/decision.js";
import type { MaybePromise } from "../ess/types.js";

/** Who signed the request, and the policies that decide for them. */
export interface Principal {
  readonly type: Exclude<PrincipalType, "ServiceLinkedRole">;
  /** The account the principal belongs to; resources are looked up in this account. */
  readonly accountId: string;
  /** `alice`, or `role/session` for a role session; shown in `AccessDeniedDetail`. */
  readonly displayName: string;
  /** `acs:ram::{account}:user/alice`, `acs:ram::{account}:assumed-role/{role}/{session}`, `acs:ram::{account}:root`. */
  readonly arn: string;
  /** Identity, session and control policies (docs/semantics.md §4). */
  readonly policies: EvaluationInput;
}

/** An AccessKey pair and its owner. */
export interface Credential {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** STS credentials only: the token that must come with the key, and when the key stops working. */
  readonly securityToken?: string;
  readonly expiration?: Date;
  readonly principal: Principal;
}

/** Supplied by the host: finds the credential for an AccessKey id; undefined when unknown. */
export interface CredentialSource {
  findAccessKey(accessKeyId: string): MaybePromise<Credential | undefined>;
}
