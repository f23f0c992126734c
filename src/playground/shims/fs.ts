/**
 * Stands in for `node:fs` in the browser bundle: the only file the engine reads is the policy JSON schema
 * (src/policy/schema.ts), which the build inlines as `__RAM_POLICY_SCHEMA__`.
 */
declare const __RAM_POLICY_SCHEMA__: string;

export function readFileSync(file: string | URL): string {
  if (String(file).endsWith("/schema/ram-policy.schema.json")) return __RAM_POLICY_SCHEMA__;
  throw new Error(`the playground has no file system: cannot read ${String(file)}`);
}
