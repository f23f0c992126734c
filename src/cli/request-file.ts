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
