/**
 * ESS error responses (docs/semantics.md §6; codes and messages from `ess-api-catalog.md` §6, which cites
 * AlibabaCloudDocs/ess "Error codes/Client errors.md" and "Server errors.md").
 */

export const ESS_ERRORS = {
  "Forbidden.Unauthorized": { status: 403, message: "A required authorization for the specified action is not supplied." },
  "InvalidAccessKeyId.NotFound": { status: 400, message: "The AccessKey ID provided does not exist in our records." },
  SignatureDoesNotMatch: { status: 403, message: "The signature we calculated does not match the one you provided." },
  "InvalidTimeStamp.Expired": { status: 400, message: "The specified timestamp is outside the allowed window of 15 minutes." },
  SignatureNonceUsed: { status: 400, message: "The specified signature nonce was used already." },
  "InvalidSecurityToken.MismatchWithAccessKey": { status: 400, message: "The security token does not match the AccessKey." },
  "InvalidSecurityToken.Expired": { status: 400, message: "The security token has expired." },
  MissingParameter: { status: 400, message: "A mandatory input parameter is not supplied." },
  InvalidParameter: { status: 400, message: "The specified value of a parameter is not valid." },
  UnsupportedOperation: { status: 400, message: "The specified action is not supported." },
  NoSuchVersion: { status: 400, message: "The specified version does not exist." },
  "InvalidScalingGroupId.NotFound": { status: 404, message: "The specified scaling group does not exist." },
  RequestTooLarge: { status: 413, message: "The request body is too large." },
  NotImplemented: { status: 501, message: "The specified action is valid but not implemented by this service." },
  InternalError: { status: 500, message: "The request processing has failed due to some unknown error, exception or failure." },
  ServiceUnavailable: { status: 503, message: "The request has failed due to a temporary failure of the server." },
} as const satisfies Record<string, { status: number; message: string }>;

/** An error that is answered with an ESS error body; anything else thrown becomes `InternalError`. */
export class EssHttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: string,
    message?: string,
    status?: number,
  ) {
    const known = (ESS_ERRORS as Record<string, { status: number; message: string }>)[code];
    super(message ?? known?.message ?? code);
    this.name = "EssHttpError";
    this.status = status ?? known?.status ?? 400;
  }

  static missing(parameter: string): EssHttpError {
    return new EssHttpError(
      "MissingParameter",
      `The input parameter "${parameter}" that is mandatory for processing this request is not supplied.`,
    );
  }

  static invalid(parameter: string, why?: string): EssHttpError {
    return new EssHttpError(
      "InvalidParameter",
      `The specified value of parameter "${parameter}" is not valid.${why ? ` ${why}` : ""}`,
    );
  }
}

export interface AccessDeniedDetail {
  readonly AuthAction: string;
  readonly AuthPrincipalType: string;
  readonly AuthPrincipalOwnerId: string;
  readonly AuthPrincipalDisplayName: string;
  readonly NoPermissionType: "ImplicitDeny" | "ExplicitDeny";
  readonly PolicyType: string;
  readonly EncodedDiagnosticMessage: string;
}

export interface EssErrorBody {
  readonly RequestId: string;
  readonly HostId: string;
  readonly Code: string;
  readonly Message: string;
  readonly AccessDeniedDetail?: AccessDeniedDetail;
}

export function errorBody(error: EssHttpError, requestId: string, hostId: string, detail?: AccessDeniedDetail): EssErrorBody {
  return {
    RequestId: requestId,
    HostId: hostId,
    Code: error.code,
    Message: error.message,
    ...(detail ? { AccessDeniedDetail: detail } : {}),
  };
}
