/**
 * `EncodedDiagnosticMessage` of an access-denied answer: the deciding statements and why the others did not
 * apply, packed so that only an operator can read it. RAM does the same with an opaque message the caller hands
 * to an administrator; `ess-authz decode-diagnostic` unpacks it.
 *
 * Form: `EDM1S.<base64url(iv ‖ tag ‖ AES-256-GCM(deflate(json)))>`, the key derived from the operator's secret
 * with HKDF-SHA256 (salt `ess-authz`, info `encoded-diagnostic-message`). It is always sealed: the policy details
 * inside are not the denied caller's to read.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { DecisionKind, MismatchReason, StatementRef, StatementTrace } from "../evaluate/decision.js";
import type { EssDecision } from "../ess/types.js";

export interface ConditionSummary {
  readonly operator: string;
  readonly key: string;
  readonly satisfied: boolean;
  readonly reason?: MismatchReason;
  /** The request's own values for the key (never the policy's), `null` when absent. */
  readonly requestValues: readonly string[] | null;
}

export interface StatementSummary extends StatementRef {
  readonly applies: boolean;
  /** `account`, or the resource group id of a resource-group-scope attachment. */
  readonly scope: string;
  readonly resource: { readonly matched: boolean; readonly reason?: MismatchReason };
  readonly conditions: readonly ConditionSummary[];
  readonly reason?: MismatchReason;
}

export interface ResourceDiagnostic {
  readonly arn: string;
  readonly decision: DecisionKind;
  readonly determining: readonly StatementRef[];
  /** Statements whose Action matched, with what kept each from applying. */
  readonly statements: readonly StatementSummary[];
  readonly error?: string;
}

export interface Diagnostic {
  readonly version: 1;
  readonly requestId: string;
  readonly time: string;
  readonly principal: string;
  readonly action: string;
  readonly decision: DecisionKind;
  readonly policySetHash: string;
  readonly resources: readonly ResourceDiagnostic[];
  /** Resources or statements left out to keep the message small. */
  readonly truncated?: boolean;
}

const SEALED = "EDM1S.";
const MAX_RESOURCES = 20;
const MAX_STATEMENTS = 50;

function summarize(t: StatementTrace): StatementSummary {
  return {
    policy: t.policy,
    statement: t.statement,
    ...(t.sid !== undefined ? { sid: t.sid } : {}),
    effect: t.effect,
    stage: t.stage,
    scope: t.scope === "account" ? "account" : t.scope.resourceGroupId,
    applies: t.applies,
    resource: { matched: t.resource.matched, ...(t.resource.reason ? { reason: t.resource.reason } : {}) },
    conditions: t.conditions.map((c) => ({
      operator: c.operator,
      key: c.key,
      satisfied: c.satisfied,
      ...(c.reason ? { reason: c.reason } : {}),
      requestValues: c.requestValues,
    })),
    ...(t.reason ? { reason: t.reason } : {}),
  };
}

/** Builds the diagnostic of a denial from a decision made with `{ trace: true }`; only denied resources are kept. */
export function buildDiagnostic(
  traced: EssDecision,
  facts: { requestId: string; time: string; principal: string; policySetHash: string },
): Diagnostic {
  const denied = traced.resources.filter((r) => r.decision !== "Allow");
  let truncated = denied.length > MAX_RESOURCES;
  const resources = denied.slice(0, MAX_RESOURCES).map((r): ResourceDiagnostic => {
    const relevant = (r.trace ?? []).filter((t) => t.action.matched || t.reason === "ScopeNotApplicable");
    if (relevant.length > MAX_STATEMENTS) truncated = true;
    return {
      arn: r.arn,
      decision: r.decision,
      determining: r.determining,
      statements: relevant.slice(0, MAX_STATEMENTS).map(summarize),
      ...(r.error ? { error: r.error } : {}),
    };
  });
  return {
    version: 1,
    ...facts,
    action: traced.action,
    decision: traced.decision,
    resources,
    ...(truncated ? { truncated } : {}),
  };
}

function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "ess-authz", "encoded-diagnostic-message", 32));
}

export function encodeDiagnostic(diagnostic: Diagnostic, secret: string): string {
  const packed = deflateRawSync(Buffer.from(JSON.stringify(diagnostic), "utf8"));
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(secret), iv);
  const sealed = Buffer.concat([cipher.update(packed), cipher.final()]);
  return SEALED + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
}

export class DiagnosticDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DiagnosticDecodeError";
  }
}

export function decodeDiagnostic(message: string, secret?: string): Diagnostic {
  const text = message.trim();
  let packed: Buffer;
  if (text.startsWith(SEALED)) {
    if (secret === undefined) throw new DiagnosticDecodeError("the message is sealed: give the service's diagnostic key");
    const raw = Buffer.from(text.slice(SEALED.length), "base64url");
    if (raw.length < 29) throw new DiagnosticDecodeError("the message is truncated");
    try {
      const decipher = createDecipheriv("aes-256-gcm", deriveKey(secret), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      packed = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    } catch {
      throw new DiagnosticDecodeError("the message does not open with this key, or was altered");
    }
  } else {
    throw new DiagnosticDecodeError(`not an encoded diagnostic message (expected ${SEALED}…)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(inflateRawSync(packed).toString("utf8"));
  } catch {
    throw new DiagnosticDecodeError("the message is corrupt");
  }
  if (typeof value !== "object" || value === null || (value as { version?: unknown }).version !== 1) {
    throw new DiagnosticDecodeError("unknown diagnostic message version");
  }
  return value as Diagnostic;
}

const REASONS: Readonly<Record<MismatchReason, string>> = {
  ActionNotMatched: "action not matched",
  ActionExcludedByNotAction: "action excluded by NotAction",
  ResourceNotMatched: "resource not matched",
  ResourceCaseMismatch: "resource differs only in case (an Allow needs exact case)",
  ConditionKeyMissing: "condition key absent from the request",
  ConditionValueMismatch: "value not matched",
  ConditionValueIndeterminate: "request value cannot be read as the operator's type",
  ConditionAmbiguousTagCase: "tags whose keys differ only in case disagree",
  ScopeNotApplicable: "attached at another scope, not evaluated",
};

function refText(r: StatementRef): string {
  return `${r.policy} statement ${r.statement}${r.sid ? ` (${r.sid})` : ""} ${r.effect} [${r.stage}]`;
}

/** A human-readable account of a diagnostic: what decided, and why the other statements did not apply. */
export function formatDiagnostic(d: Diagnostic): string {
  const lines = [
    `request ${d.requestId} at ${d.time}`,
    `principal ${d.principal}`,
    `action ${d.action}: ${d.decision}`,
    `policy set ${d.policySetHash}`,
  ];
  for (const r of d.resources) {
    lines.push("", `resource ${r.arn}: ${r.decision}`);
    if (r.error) lines.push(`  error: ${r.error}`);
    if (r.determining.length > 0) lines.push(...r.determining.map((s) => `  decided by ${refText(s)}`));
    else lines.push("  no statement allowed it");
    for (const s of r.statements) {
      lines.push(`  ${refText(s)}${s.scope !== "account" ? ` scope ${s.scope}` : ""}: ${s.applies ? "applies" : "does not apply"}`);
      if (s.reason) lines.push(`    ${REASONS[s.reason]}`);
      if (!s.resource.matched) lines.push(`    ${REASONS[s.resource.reason ?? "ResourceNotMatched"]}`);
      for (const c of s.conditions) {
        const got = c.requestValues === null ? "absent" : JSON.stringify(c.requestValues);
        const why = c.satisfied ? "holds" : REASONS[c.reason ?? "ConditionValueMismatch"];
        lines.push(`    ${c.operator} ${c.key} (request: ${got}): ${why}`);
      }
    }
  }
  if (d.truncated) lines.push("", "(truncated)");
  return lines.join("\n") + "\n";
}
