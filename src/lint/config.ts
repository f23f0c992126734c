import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from "node:path";
import { closest, distance } from "fastest-levenshtein";
import micromatch from "micromatch";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import type { PolicyKind } from "../policy/ast.js";
import { WHOLE_DOCUMENT, type Span } from "../policy/findings.js";
import { escapePointerToken, parseJsonSource, pointerOf, spanAt } from "../policy/json-source.js";
import type { ValidateFunction } from "ajv";
import { lazySchemaValidator } from "../policy/schema-validator.js";
import { FATAL_RULES, type RuleSetting } from "./rule-settings.js";
import { CONFIG_RULES, RULES } from "./rules.js";

/**
 * The lint configuration: rule severities, files to ignore, per-glob overrides and suppressions. Found as
 * eslint's eslintrc files are: in the working directory, then each parent, the first folder holding one of
 * these names wins (in this order); no cascading. Globs and file names in it are relative to its folder.
 */
export const CONFIG_FILE_NAMES = [".ess-authzrc.json", ".ess-authzrc.yaml", ".ess-authzrc.yml", "ess-authz.config.json", "package.json"] as const;

/** The key of package.json that holds the configuration. */
const PACKAGE_KEY = "ess-authz";

export interface Suppression {
  readonly file: string;
  readonly path: string;
  readonly rule: string;
  readonly reason: string;
}

export interface LintConfigFile {
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly ignorePatterns?: readonly string[];
  readonly overrides?: readonly { readonly files: readonly string[]; readonly kind?: PolicyKind; readonly rules?: Readonly<Record<string, RuleSetting>> }[];
  readonly suppressions?: readonly Suppression[];
}

export interface LoadedConfig {
  /** The file as messages name it: relative to the working directory. */
  readonly file: string;
  readonly text: string;
  /** The folder globs and file names are relative to. */
  readonly dir: string;
  readonly config: LintConfigFile;
  /** Where the value at a JSON Pointer into the configuration is written (its key with `onKey`). */
  readonly spanOf: (pointer: string, onKey?: boolean) => Span;
}

/** A configuration that cannot be used; the message has one `file:line:column …` line per problem. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const toPosix = (p: string): string => p.split(sep).join(posix.sep);

/** A path as messages show it: relative to `cwd`, as the linted files are. */
export function shownPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel === "" || isAbsolute(rel) ? absolute : toPosix(rel);
}

export interface Located {
  readonly value: unknown;
  readonly spanOf: (pointer: string, onKey?: boolean) => Span;
}

/** Strict JSON with positions (the value under `key` when given); syntax errors and duplicate keys are ConfigErrors. */
export function readJson(shown: string, text: string, key?: string): Located {
  const parsed = parseJsonSource(text);
  if (!parsed.ok || parsed.findings.length > 0) {
    throw new ConfigError(parsed.findings.map((f) => `${shown}:${f.line}:${f.column} ${f.message}`).join("\n"));
  }
  const { source } = parsed;
  const prefix = key === undefined ? "" : pointerOf(key);
  const value = key === undefined ? source.value : (source.value as Record<string, unknown> | null)?.[key];
  return { value, spanOf: (pointer, onKey) => spanAt(source, prefix + pointer, onKey) };
}

const unescapeToken = (token: string): string => token.replace(/~1/g, "/").replace(/~0/g, "~");

function readYaml(shown: string, text: string): Located {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors
        .map((e) => {
          const { line, col } = lineCounter.linePos(e.pos[0]);
          return `${shown}:${line}:${col} ${e.message}`;
        })
        .join("\n"),
    );
  }
  const spanOfRange = (range: readonly [number, number, number]): Span => {
    const start = lineCounter.linePos(range[0]);
    const end = lineCounter.linePos(range[1]);
    return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
  };
  // The deepest node the pointer reaches; for a map member with `onKey`, its key.
  const spanOf = (pointer: string, onKey = false): Span => {
    let node: unknown = doc.contents;
    let found = node as YamlNode | null;
    const tokens = pointer === "" ? [] : pointer.slice(1).split("/").map(unescapeToken);
    for (const [i, token] of tokens.entries()) {
      if (isSeq(node)) node = node.items[Number(token)];
      else if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === token);
        if (onKey && pair && i === tokens.length - 1 && isScalar(pair.key)) return pair.key.range ? spanOfRange(pair.key.range) : WHOLE_DOCUMENT;
        node = pair?.value;
      } else break;
      if (!node) break;
      found = node as YamlNode;
    }
    return found?.range ? spanOfRange(found.range) : { ...WHOLE_DOCUMENT };
  };
  return { value: doc.toJS() as unknown, spanOf };
}

const configValidator = lazySchemaValidator(new URL("../../schema/ess-authz-config.schema.json", import.meta.url));

/** Every rule id a configuration may name. */
const RULE_IDS = [...RULES, ...CONFIG_RULES].map((r) => r.id);
const KNOWN_RULES: ReadonlySet<string> = new Set(RULE_IDS);

function didYouMean(id: string): string {
  const best = closest(id, RULE_IDS);
  return distance(id, best) <= Math.max(2, Math.floor(id.length / 4)) ? `; did you mean "${best}"?` : "";
}

export interface Problem {
  readonly pointer: string;
  readonly message: string;
  readonly onKey?: boolean;
}

/** What a shipped JSON Schema finds wrong with a value, pointed at the offending member. */
export function schemaProblems(validate: ValidateFunction, value: unknown): Problem[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e): Problem => {
    if (e.keyword === "additionalProperties") {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      return { pointer: `${e.instancePath}/${escapePointerToken(key)}`, message: `unknown property "${key}"`, onKey: true };
    }
    if (e.keyword === "enum") {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ");
      return { pointer: e.instancePath, message: `must be one of ${allowed}` };
    }
    return { pointer: e.instancePath, message: e.message ?? "is invalid" };
  });
}

/** Every problem as `file:line:column pointer message`, thrown as one ConfigError; nothing when there is none. */
export function throwProblems(shown: string, located: Located, problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  const lines = problems.map(({ pointer, message, onKey }) => {
    const { line, column } = located.spanOf(pointer, onKey);
    return `${shown}:${line}:${column} ${pointer === "" ? "(document)" : pointer} ${message}`;
  });
  throw new ConfigError([...new Set(lines)].join("\n"));
}

function problemsOf(value: unknown): Problem[] {
  const schema = schemaProblems(configValidator(), value);
  if (schema.length > 0) return schema;
  const config = value as LintConfigFile;
  const problems: Problem[] = [];
  const checkRule = (pointer: string, id: string, onKey: boolean): void => {
    if (!KNOWN_RULES.has(id)) problems.push({ pointer, message: `unknown rule "${id}"${didYouMean(id)}`, onKey });
    else if (FATAL_RULES.has(id)) problems.push({ pointer, message: `"${id}" reports a document that cannot be read: it cannot be configured or suppressed`, onKey });
  };
  const checkRules = (base: string, rules: LintConfigFile["rules"]): void => {
    for (const id of Object.keys(rules ?? {})) checkRule(`${base}/rules/${escapePointerToken(id)}`, id, true);
  };
  checkRules("", config.rules);
  config.overrides?.forEach((o, i) => checkRules(`/overrides/${i}`, o.rules));
  config.suppressions?.forEach((s, i) => checkRule(`/suppressions/${i}/rule`, s.rule, false));
  return problems;
}

/** The text of a configuration or baseline file, and its name as messages show it; unreadable is a ConfigError. */
export function readSettingsFile(file: string, cwd: string, what: string): { absolute: string; shown: string; text: string } {
  const absolute = resolve(cwd, file);
  const shown = shownPath(absolute, cwd);
  try {
    return { absolute, shown, text: readFileSync(absolute, "utf8") };
  } catch (e) {
    throw new ConfigError(`${shown}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** Reads and validates a configuration file; a problem throws a ConfigError naming every problem's position. */
export function loadConfig(file: string, cwd: string): LoadedConfig {
  const { absolute, shown, text } = readSettingsFile(file, cwd, "configuration");
  const isPackage = basename(absolute) === "package.json";
  const located = /\.ya?ml$/i.test(absolute) ? readYaml(shown, text) : readJson(shown, text, isPackage ? PACKAGE_KEY : undefined);
  if (isPackage && located.value === undefined) throw new ConfigError(`${shown}: has no "${PACKAGE_KEY}" key`);
  throwProblems(shown, located, problemsOf(located.value));
  return { file: shown, text, dir: dirname(absolute), config: located.value as LintConfigFile, spanOf: located.spanOf };
}

/** package.json counts only when it has the key; one that cannot be parsed is an error, not a silent skip. */
function holdsConfig(file: string, cwd: string): boolean {
  if (basename(file) !== "package.json") return true;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConfigError(`${shownPath(file, cwd)}: cannot read it to look for an "${PACKAGE_KEY}" key (${e instanceof Error ? e.message : String(e)})`);
  }
  return typeof value === "object" && value !== null && Object.hasOwn(value, PACKAGE_KEY);
}

/** The configuration file that applies in `cwd`, searching upward; undefined when there is none. */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = join(dir, name);
      if (existsSync(file) && holdsConfig(file, cwd)) return file;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The file's path relative to the configuration's folder (posix), or undefined when it lies outside it. */
export function configRelative(loaded: LoadedConfig, absolute: string): string | undefined {
  const rel = relative(loaded.dir, absolute);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? undefined : toPosix(rel);
}

/**
 * Glob matching as eslintrc's: a pattern without a slash matches a name in any folder (`*.json`,
 * `legacy`), one with a slash matches from the configuration's folder; a folder pattern covers what is below.
 * (micromatch's own `basename` option also applies to patterns with a slash, so it is not used.)
 */
function matchesGlobs(rel: string, patterns: readonly string[]): boolean {
  const segments = rel.split("/");
  const matches = (path: string, pattern: string): boolean => {
    const trimmed = pattern.replace(/\/+$/, "");
    if (!trimmed.includes("/")) return micromatch.isMatch(posix.basename(path), trimmed, { dot: true });
    return micromatch.isMatch(path, trimmed.replace(/^\//, ""), { dot: true });
  };
  return segments.some((_, i) => patterns.some((p) => matches(segments.slice(0, i + 1).join("/"), p)));
}

export function isIgnored(loaded: LoadedConfig, absolute: string): boolean {
  const rel = configRelative(loaded, absolute);
  return rel !== undefined && matchesGlobs(rel, loaded.config.ignorePatterns ?? []);
}

/** What the configuration sets for one file: its rule severities and, from an override, the policy kind. */
export interface FileSettings {
  readonly kind?: PolicyKind;
  readonly rules: ReadonlyMap<string, RuleSetting>;
}

/** The top-level rules, then every override whose globs match the file, in order (later ones win). */
export function settingsFor(loaded: LoadedConfig, absolute: string | undefined): FileSettings {
  const rules = new Map(Object.entries(loaded.config.rules ?? {}));
  let kind: PolicyKind | undefined;
  const rel = absolute === undefined ? undefined : configRelative(loaded, absolute);
  for (const override of rel === undefined ? [] : (loaded.config.overrides ?? [])) {
    if (!matchesGlobs(rel!, override.files)) continue;
    for (const [id, setting] of Object.entries(override.rules ?? {})) rules.set(id, setting);
    if (override.kind) kind = override.kind;
  }
  return { rules, ...(kind ? { kind } : {}) };
}

/** Whether a suppression's file (a path or glob relative to the configuration's folder) names the file. */
export function suppressionNames(loaded: LoadedConfig, suppression: Suppression, absolute: string): boolean {
  const rel = configRelative(loaded, absolute);
  return rel !== undefined && micromatch.isMatch(rel, suppression.file.replace(/^\.\//, ""), { dot: true });
}
