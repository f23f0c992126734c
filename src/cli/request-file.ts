import { parseJsonSource, spanAt } from "../policy/json-source.js";
import { lazySchemaValidator } from "../policy/schema-validator.js";
import { toRequestFile, type RequestFile, type RequestFileValue } from "../ess/decide.js";
import { InputError } from "./io.js";

export type { RequestFile } from "../ess/decide.js";

const requestValidator = lazySchemaValidator(new URL("../../schema/request.schema.json", import.meta.url));

/** Parses and validates a request file; every problem names the file, line:column and what is wrong. */
export function parseRequestFile(text: string, file: string): RequestFile {
  const parsed = parseJsonSource(text);
  if (!parsed.ok) {
    const f = parsed.findings[0]!;
    throw new InputError(`${file}:${f.line}:${f.column} ${f.message}`);
  }
  const dup = parsed.findings[0];
  if (dup) throw new InputError(`${file}:${dup.line}:${dup.column} ${dup.message}`);
  const validator = requestValidator();
  if (!validator(parsed.source.value)) {
    const lines = (validator.errors ?? []).map((e) => {
      const { line, column } = spanAt(parsed.source, e.instancePath);
      const where = e.instancePath === "" ? "request" : e.instancePath;
      return `${file}:${line}:${column} ${where} ${e.message ?? "is invalid"}`;
    });
    throw new InputError([...new Set(lines)].join("\n"));
  }
  return toRequestFile(parsed.source.value as RequestFileValue);
}

/**
 * A request below the ESS API, as `check --witness` writes it for an action outside the ESS catalog
 * (`NN-<action>.context.json`): the action, the resource, the tags and the global condition keys. `eval --context`
 * decides it with the evaluator, since no ESS request can name such an action. Its resource may be empty: the
 * analysis names the empty string as the witness of "any resource" (it matches `*`).
 */
export interface ContextFile {
  readonly action: string;
  readonly resource: string;
  readonly resourceGroupId?: string;
  readonly requestTags: readonly (readonly [string, string])[];
  readonly resourceTags: readonly (readonly [string, string])[];
  /** Global condition keys, by name. */
  readonly context: Readonly<Record<string, string>>;
}

/** Parses a context file; every problem names the file, line:column and what is wrong. Unknown fields are ignored (a witness file also says who allowed it). */
export function parseContextFile(text: string, file: string): ContextFile {
  const parsed = parseJsonSource(text);
  const first = parsed.findings[0];
  if (!parsed.ok || first) throw new InputError(`${file}:${first?.line ?? 1}:${first?.column ?? 1} ${first?.message ?? "not JSON"}`);
  const source = parsed.source;
  const fail = (path: string, what: string): never => {
    const { line, column } = spanAt(source, path);
    throw new InputError(`${file}:${line}:${column} ${path || "the file"} ${what}`);
  };
  const doc = source.value;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return fail("", "must be an object");
  const fields = doc as Record<string, unknown>;
  const textField = (name: string, { optional = false, empty = false } = {}): string | undefined => {
    const v = fields[name];
    if (v === undefined && optional) return undefined;
    if (typeof v !== "string" || (v === "" && !empty)) return fail(`/${name}`, empty ? "must be a string" : "must be a non-empty string");
    return v;
  };
  const pairs = (name: string): [string, string][] => {
    const v = fields[name] ?? [];
    if (!Array.isArray(v)) return fail(`/${name}`, "must be an array of [key, value] pairs");
    return v.map((p, i) =>
      Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && typeof p[1] === "string" ? [p[0], p[1]] : fail(`/${name}/${i}`, "must be a [key, value] pair of strings"),
    );
  };
  const context = fields.context ?? {};
  if (typeof context !== "object" || context === null || Array.isArray(context)) return fail("/context", "must be an object of condition keys");
  for (const [k, v] of Object.entries(context)) if (typeof v !== "string") fail(`/context/${k}`, "must be a string");
  const resourceGroupId = textField("resourceGroupId", { optional: true });
  return {
    action: textField("action")!,
    resource: textField("resource", { empty: true })!,
    ...(resourceGroupId === undefined ? {} : { resourceGroupId }),
    requestTags: pairs("requestTags"),
    resourceTags: pairs("resourceTags"),
    context: context as Record<string, string>,
  };
}
