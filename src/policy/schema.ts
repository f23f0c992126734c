import type { ErrorObject } from "ajv";
import type { Finding } from "./findings.js";
import { lazySchemaValidator } from "./schema-validator.js";
import { escapePointerToken, spanAt, type JsonSource } from "./json-source.js";

/** The JSON Schema of the RAM grammar, shipped in `schema/` so that editors can use it too. */
export const POLICY_SCHEMA_URL = new URL("../../schema/ram-policy.schema.json", import.meta.url);

const policyValidator = lazySchemaValidator(POLICY_SCHEMA_URL);

const lastToken = (pointer: string): string => pointer.slice(pointer.lastIndexOf("/") + 1);

/** One message per schema failure, phrased for a person; `undefined` drops errors that semantic checks own. */
function describe(error: ErrorObject): { ruleId: string; message: string; path: string; onKey?: boolean } | undefined {
  const path = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { ruleId: "element-missing", message: `missing required element "${String(params.missingProperty)}"`, path };
    case "additionalProperties": {
      const name = String(params.additionalProperty);
      return {
        ruleId: "element-unknown",
        message: `unknown element "${name}"${path === "" ? " in the policy document" : " in a statement"}`,
        path: `${path}/${escapePointerToken(name)}`,
        onKey: true,
      };
    }
    case "const":
      return { ruleId: "version-invalid", message: `Version must be "1" (RAM's only policy version)`, path };
    case "enum":
      if (lastToken(path) === "Effect") return { ruleId: "effect-invalid", message: `Effect must be exactly "Allow" or "Deny" (case-sensitive)`, path };
      return undefined;
    case "type":
    case "oneOf":
    case "minItems": {
      if (error.schemaPath.includes("actionList")) {
        return { ruleId: "type-invalid", message: `${lastToken(path)} must be a string or a non-empty array of strings`, path };
      }
      if (error.schemaPath.includes("stringOrStrings")) return { ruleId: "type-invalid", message: `Resource must be a string or an array of strings`, path };
      if (error.schemaPath.includes("conditionScalar") || error.schemaPath.includes("conditionBlock/additionalProperties/additionalProperties")) {
        return { ruleId: "condition-value-type", message: `condition values must be strings (or an array of strings)`, path };
      }
      if (error.keyword !== "type") return undefined;
      const expected = Array.isArray(params.type) ? params.type.join(" or ") : String(params.type);
      const where = path === "" ? "the policy document" : lastToken(path) || "value";
      return { ruleId: "type-invalid", message: `${where} must be ${expected === "object" ? "an object" : `of type ${expected}`}`, path };
    }
    default:
      // propertyNames/if: operator names and the lone-statement form are checked with better messages elsewhere.
      return undefined;
  }
}

/** Validates the plain document against the schema; findings carry JSON Pointers and exact spans. */
export function schemaFindings(source: JsonSource): Finding[] {
  const validate = policyValidator();
  if (validate(source.value)) return [];
  const described = (validate.errors ?? []).flatMap((e) => describe(e) ?? []);
  // One finding per node; a failure at a child explains its parent's oneOf/type failure. Both tests are indexed
  // (path → first finding there; rule + every ancestor path of a finding), so a document with thousands of
  // failures costs thousands of steps, not millions.
  const firstAt = new Map<string, number>();
  const explainedBelow = new Set<string>();
  described.forEach((o, i) => {
    if (!firstAt.has(o.path)) firstAt.set(o.path, i);
    for (let slash = o.path.indexOf("/"); slash >= 0; slash = o.path.indexOf("/", slash + 1)) {
      explainedBelow.add(`${o.ruleId}\0${o.path.slice(0, slash)}`);
    }
  });
  const kept = described.filter((d, i) => firstAt.get(d.path) === i && !explainedBelow.has(`${d.ruleId}\0${d.path}`));
  const findings: Finding[] = kept.map((d) => ({
    ruleId: d.ruleId,
    severity: "Error",
    message: d.message,
    path: d.path,
    ...spanAt(source, d.path, d.onKey === true),
  }));
  return findings;
}
