import { readFileSync } from "node:fs";
import { Ajv, type Options, type ValidateFunction } from "ajv";

/**
 * A getter for the validator of one JSON Schema, compiled on first use and kept: compiling costs more than most
 * validations, and a command that never validates never pays for it.
 */
export function lazyValidator<T = unknown>(schema: () => object, options: Options = {}): () => ValidateFunction<T> {
  let validator: ValidateFunction<T> | undefined;
  return () => (validator ??= new Ajv({ allErrors: true, strict: false, ...options }).compile<T>(schema()));
}

/** `lazyValidator` of a shipped schema file (`schema/`), read through `node:fs`, which the playground bundle shims. */
export const lazySchemaValidator = (schemaUrl: URL): (() => ValidateFunction) =>
  lazyValidator(() => JSON.parse(readFileSync(schemaUrl, "utf8")) as object);
