import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";

/**
 * A getter for the validator of one shipped JSON Schema (`schema/`), compiled on first use and kept: compiling
 * costs more than most validations, and a command that never validates never pays for it. Reads through
 * `node:fs`, which the playground bundle shims.
 */
export function lazySchemaValidator(schemaUrl: URL): () => ValidateFunction {
  let validator: ValidateFunction | undefined;
  return () => (validator ??= new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(schemaUrl, "utf8")) as object));
}
