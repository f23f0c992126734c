import { isObject, pointerOf } from "../../policy/json-source.js";
import type { LintContext } from "../context.js";

/**
 * Trust policies (the policy of a RAM role that says who may assume it). RAM documents three principal types,
 * each with its own value shape (https://www.alibabacloud.com/help/en/ram/user-guide/edit-the-trust-policy-of-a-ram-role):
 * `RAM` (an account, RAM user or RAM role), `Service` (a cloud service) and `Federated` (an identity provider).
 */
const PRINCIPAL_SHAPES: Readonly<Record<string, { readonly shape: RegExp; readonly example: string }>> = {
  RAM: { shape: /^acs:ram::[^:\s]+:(root|(user|role)\/\S+)$/, example: "acs:ram::<account>:root, …:user/<name> or …:role/<name>" },
  Service: { shape: /^[a-z0-9-]+(\.[a-z0-9-]+)+$/, example: "<service>.aliyuncs.com" },
  Federated: { shape: /^acs:ram::[^:\s]+:(saml|oidc)-provider\/\S+$/, example: "acs:ram::<account>:saml-provider/<name> or …:oidc-provider/<name>" },
};

const TYPES = Object.keys(PRINCIPAL_SHAPES);

export const ASSUME_ROLE = "sts:assumerole";

export function checkTrust(ctx: LintContext): void {
  if (ctx.kind !== "trust") return;
  for (const statement of ctx.statements) {
    // Other resource-based policies (OSS bucket policies…) have principals of their own shapes: only a role's are known.
    if (!statement.actions.some((a) => a.value.toLowerCase() === ASSUME_ROLE)) continue;
    const principal = statement.raw.Principal;
    const pointer = `${statement.pointer}/Principal`;
    if (principal === undefined) continue; // the parser reports the missing element
    if (!isObject(principal)) {
      ctx.report("principal-invalid", `Principal of a trust policy is an object keyed by ${TYPES.join(", ")}; this one names no principal RAM documents`, pointer);
      continue;
    }
    for (const [type, value] of Object.entries(principal)) {
      const typePointer = pointer + pointerOf(type);
      const spec = PRINCIPAL_SHAPES[type];
      if (!spec) {
        const near = TYPES.find((t) => t.toLowerCase() === type.toLowerCase());
        ctx.report("principal-invalid", `principal type "${type}" is not one of ${TYPES.join(", ")}${near ? `; did you mean "${near}"? (RAM documents the types in that spelling)` : ""}`, typePointer, { onKey: true });
        continue;
      }
      const values = Array.isArray(value) ? value.map((v, i) => ({ v, p: `${typePointer}/${i}` })) : [{ v: value, p: typePointer }];
      for (const { v, p } of values) {
        if (typeof v === "string" && spec.shape.test(v)) continue;
        ctx.report("principal-invalid", `${JSON.stringify(v)} is not a ${type} principal: expected ${spec.example}`, p);
      }
    }
  }
}
