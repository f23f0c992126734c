import { EssRequestError } from "./types.js";

/**
 * Wire parameters of an ESS RPC request, by exact name. A Map, not an object: `__proto__` and `constructor`
 * are ordinary names and values here.
 */
export type Params = ReadonlyMap<string, string>;

/**
 * Where a repeat list is read from: all the parameters, or just those a plan has already gathered under the list's
 * name (one pass over a request serves every list it reads).
 */
export type Sent = Iterable<readonly [name: string, value: string]>;

/** A request's parameters, with those of its repeat lists gathered by list name (`Tag` → `Tag.1.Key`, ...). */
export interface GatheredParams {
  readonly all: Params;
  readonly lists: ReadonlyMap<string, Sent>;
}

/** A parameter value with the wire name it came from (`ResourceIds.2`), for errors and target origins. */
export interface Item {
  readonly origin: string;
  readonly value: string;
}

export function missingParameter(...names: readonly string[]): EssRequestError {
  const quoted = names.map((n) => `"${n}"`).join(" or ");
  return new EssRequestError(
    "MissingParameter",
    `The input parameter ${quoted} that is mandatory for processing this request is not supplied.`,
    400,
  );
}

export function invalidParameter(name: string, why: string): EssRequestError {
  return new EssRequestError("InvalidParameter", `The specified value of parameter "${name}" is not valid: ${why}.`, 400);
}

/** A Map is taken as it is (a middleware has just built it); an object is copied. Values must be strings either way. */
export function toParams(raw: Readonly<Record<string, string>> | ReadonlyMap<string, string>): Params {
  if (raw instanceof Map) {
    // `forEach` rather than `for…of`, which makes an entry array per parameter of every request.
    raw.forEach(mustBeString);
    return raw;
  }
  const entries = Object.entries(raw);
  for (const [name, value] of entries) mustBeString(value, name);
  return new Map(entries);
}

function mustBeString(value: unknown, name: string): void {
  if (typeof value !== "string") throw invalidParameter(name, "the value must be a string");
}

export function single(params: Params, name: string): Item | undefined {
  const value = params.get(name);
  return value === undefined ? undefined : { origin: name, value };
}

interface ListEntry {
  readonly name: string;
  readonly index: number;
  /** `Key` in `Tag.1.Key`; undefined in `ResourceId.1`. */
  readonly field: string | undefined;
  readonly value: string;
}

const LIST_INDEX = /^[1-9][0-9]*$/;

/** Entries of the repeat list `prefix.N` / `prefix.N.Field`, ordered by N (gaps allowed, as the SDKs send them). */
function listEntries(sent: Sent, prefix: string): ListEntry[] {
  const entries: ListEntry[] = [];
  const start = `${prefix}.`;
  for (const [name, value] of sent) {
    if (!name.startsWith(start)) continue;
    const rest = name.slice(prefix.length + 1);
    const dot = rest.indexOf(".");
    const indexText = dot < 0 ? rest : rest.slice(0, dot);
    const index = Number(indexText);
    if (!LIST_INDEX.test(indexText) || !Number.isSafeInteger(index)) {
      throw invalidParameter(name, "the list index N must be a positive integer");
    }
    entries.push({ name, index, field: dot < 0 ? undefined : rest.slice(dot + 1), value });
  }
  return entries.sort((a, b) => a.index - b.index);
}

/** The values of a parameter: a scalar repeat list `name.N` ordered by N, or a single `name` if present. */
export function items(params: GatheredParams, name: string, list: boolean): Item[] {
  if (list) return scalarList(params.lists.get(name) ?? [], name);
  const item = single(params.all, name);
  return item ? [item] : [];
}

/** Values of the scalar repeat list `prefix.N`, ordered by N. */
export function scalarList(sent: Sent, prefix: string): Item[] {
  return listEntries(sent, prefix).map((e) => {
    if (e.field !== undefined) throw invalidParameter(e.name, `${prefix}.N takes no sub-fields`);
    return { origin: e.name, value: e.value };
  });
}

const TAG_FIELDS: readonly string[] = ["Key", "Value", "Propagate"];

/**
 * Key/value pairs of the tag list `prefix.N.Key` / `prefix.N.Value`, ordered by N. A tag without `Value`
 * has the empty value (ESS allows empty tag values); `Propagate` is accepted but is not part of the tag.
 */
export function tagList(sent: Sent, prefix: string): [string, string][] {
  const byIndex = new Map<number, Map<string, string>>();
  for (const e of listEntries(sent, prefix)) {
    if (e.field === undefined || !TAG_FIELDS.includes(e.field)) {
      throw invalidParameter(e.name, `expected ${prefix}.N.Key, ${prefix}.N.Value or ${prefix}.N.Propagate`);
    }
    const fields = byIndex.get(e.index) ?? new Map<string, string>();
    fields.set(e.field, e.value);
    byIndex.set(e.index, fields);
  }
  return [...byIndex].map(([index, fields]): [string, string] => {
    const key = fields.get("Key");
    if (key === undefined) throw missingParameter(`${prefix}.${index}.Key`);
    if (key === "") throw invalidParameter(`${prefix}.${index}.Key`, "a tag key cannot be empty");
    return [key, fields.get("Value") ?? ""];
  });
}

/**
 * ESS ids (asg-…, asr-…, `asg-…_<uuid>` alarm tasks, GUID scheduled tasks, i-… instances) are plain tokens.
 * Anything else (`*`, `?`, `:`, `/`, spaces) could change the meaning of the ARN built from it, so it is refused.
 */
const ESS_ID = /^[A-Za-z0-9_.-]{1,256}$/;
export const isEssId = (value: string): boolean => ESS_ID.test(value);

export function essId(item: Item): string {
  if (!isEssId(item.value)) throw invalidParameter(item.origin, "not a valid ESS id");
  return item.value;
}

const REGION_ID = /^[a-z0-9-]{1,64}$/;
export const isRegionId = (value: string): boolean => REGION_ID.test(value);

export function regionId(item: Item): string {
  if (!isRegionId(item.value)) throw invalidParameter(item.origin, "not a valid region id");
  return item.value;
}

export interface RuleAri {
  readonly regionId: string;
  readonly account: string;
  readonly ruleId: string;
}

/**
 * A scaling-rule ARI `ari:acs:ess:{region}:{uid}:scalingrule/{asr-id}` (ExecuteScalingRule.ScalingRuleAri,
 * Create/ModifyScheduledTask.ScheduledAction): https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-executescalingrule
 */
const RULE_ARI = /^ari:acs:ess:([a-z0-9-]{1,64}):([0-9]{1,32}):scalingrule\/([A-Za-z0-9_.-]{1,256})$/;

export function ruleAri(item: Item): RuleAri {
  const m = RULE_ARI.exec(item.value);
  if (!m) throw invalidParameter(item.origin, "expected ari:acs:ess:{region}:{uid}:scalingrule/{rule id}");
  return { regionId: m[1]!, account: m[2]!, ruleId: m[3]! };
}
