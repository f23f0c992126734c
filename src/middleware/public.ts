/** What a host of either adapter needs besides the adapter itself. */
export { createAuthorizer, answerError, newRequestId, policySetHash, DEFAULT_HOST_ID } from "./authorizer.js";
export type { Authorizer, AuthorizerOptions, AuthorizedRequest, AuthorizationResult, HttpRequestFacts, RejectedRequest } from "./authorizer.js";
export type { Credential, CredentialSource, Principal } from "./principal.js";
export { MemoryNonceStore, type NonceStore } from "./nonce.js";
export { EssHttpError, ESS_ERRORS, type AccessDeniedDetail, type EssErrorBody } from "./errors.js";
export { decodeDiagnostic, encodeDiagnostic, formatDiagnostic, type Diagnostic } from "./diagnostic.js";
export type { ChildKind, ChildResolution, ChildResolver, GroupInfo, GroupSource, EssDecision, AuthorizationPlan } from "../ess/types.js";
