/**
 * Typed reading of an operation's wire parameters, for both API versions. Repeat lists and tags are read with
 * the same helpers the authorization layer uses, so what is stored is what was authorized.
 */
import { scalarList, tagList, type Params } from "../ess/params.js";
import type { ApiVersion } from "../ess/types.js";
import { EssHttpError } from "../middleware/errors.js";
import type { TagRow } from "./store.js";

/** ESS tag limits: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-tagresources */
export const MAX_TAGS_PER_GROUP = 20;
const TAG_TEXT_MAX = 128;
const RESERVED_TAG_PREFIX = /^(?:aliyun|acs:)/i;
const URL_IN_TAG = /https?:\/\//i;

export class Input {
  constructor(
    readonly params: Params,
    readonly version: ApiVersion,
  ) {}

  /** The wire name in this request's API version: 2014-08-28 singular, 2022-02-22 plural list names. */
  name(name2014: string, name2022: string): string {
    return this.version === "2014-08-28" ? name2014 : name2022;
  }

  string(name: string): string | undefined {
    const v = this.params.get(name);
    return v === "" ? undefined : v;
  }

  required(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw EssHttpError.missing(name);
    return v;
  }

  int(name: string, range: { min: number; max: number }): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!/^-?\d{1,15}$/.test(text)) throw EssHttpError.invalid(name, "An integer is expected.");
    const value = Number(text);
    if (value < range.min || value > range.max) throw EssHttpError.invalid(name, `It must be between ${range.min} and ${range.max}.`);
    return value;
  }

  requiredInt(name: string, range: { min: number; max: number }): number {
    const v = this.int(name, range);
    if (v === undefined) throw EssHttpError.missing(name);
    return v;
  }

  number(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^-?\d+(\.\d+)?$/.test(text) || !Number.isFinite(value)) throw EssHttpError.invalid(name, "A number is expected.");
    return value;
  }

  bool(name: string): boolean | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (text !== "true" && text !== "false") throw EssHttpError.invalid(name, "Expected true or false.");
    return text === "true";
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!(values as readonly string[]).includes(text)) throw EssHttpError.invalid(name, `Expected one of ${values.join(", ")}.`);
    return text as T;
  }

  /** The date-time parameter as given, checked to be an ISO 8601 UTC time. */
  time(name: string): string | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/.test(text) || Number.isNaN(Date.parse(text))) {
      throw EssHttpError.invalid(name, "Use the UTC form YYYY-MM-DDThh:mmZ.");
    }
    return text;
  }

  /** Values of a repeat list (`ScalingGroupId.N` / `ScalingGroupIds.N`). */
  list(name2014: string, name2022: string): string[] {
    return scalarList(this.params, this.name(name2014, name2022)).map((i) => i.value);
  }

  /** The key/value tags of `Tag.N.*` / `Tags.N.*`, validated against ESS's tag rules. */
  tags(): TagRow[] {
    const prefix = this.name("Tag", "Tags");
    const pairs = tagList(this.params, prefix);
    const propagate = new Map<string, boolean>();
    const propagateName = new RegExp(`^${prefix}\\.(\\d+)\\.Propagate$`);
    for (const [name, value] of this.params) {
      const m = propagateName.exec(name);
      if (!m) continue;
      if (value !== "true" && value !== "false") throw EssHttpError.invalid(name, "Expected true or false.");
      const key = this.params.get(`${prefix}.${m[1]}.Key`);
      if (key !== undefined) propagate.set(key, value === "true");
    }
    const seen = new Set<string>();
    return pairs.map(([key, value]) => {
      checkTagKey(key, `${prefix}.N.Key`);
      if (value.length > TAG_TEXT_MAX) throw EssHttpError.invalid(`${prefix}.N.Value`, `A tag value has at most ${TAG_TEXT_MAX} characters.`);
      if (seen.has(key)) throw EssHttpError.invalid(`${prefix}.N.Key`, `Tag key ${key} is given more than once.`);
      seen.add(key);
      return { key, value, propagate: propagate.get(key) ?? false };
    });
  }

  /** `PageNumber` (from 1) and `PageSize` (1–50, default 10), as the Describe operations take them. */
  page(): { pageNumber: number; pageSize: number } {
    return { pageNumber: this.int("PageNumber", { min: 1, max: 1_000_000 }) ?? 1, pageSize: this.int("PageSize", { min: 1, max: 50 }) ?? 10 };
  }
}

export function checkTagKey(key: string, parameter: string): void {
  if (key.length > TAG_TEXT_MAX) throw EssHttpError.invalid(parameter, `A tag key has at most ${TAG_TEXT_MAX} characters.`);
  if (RESERVED_TAG_PREFIX.test(key)) throw EssHttpError.invalid(parameter, "A tag key cannot start with aliyun or acs:.");
  if (URL_IN_TAG.test(key)) throw EssHttpError.invalid(parameter, "A tag key cannot contain http:// or https://.");
}

/** A list in a response: `{Inner: [...]}` in 2014-08-28, a bare array in 2022-02-22. */
export function listValue<T>(version: ApiVersion, inner: string, items: readonly T[]): unknown {
  return version === "2014-08-28" ? { [inner]: items } : items;
}

/** One page of `items`, with the paging fields of ESS list responses. */
export function paged<T>(input: Input, items: readonly T[]): { page: readonly T[]; fields: { TotalCount: number; PageNumber: number; PageSize: number } } {
  const { pageNumber, pageSize } = input.page();
  const start = (pageNumber - 1) * pageSize;
  return { page: items.slice(start, start + pageSize), fields: { TotalCount: items.length, PageNumber: pageNumber, PageSize: pageSize } };
}
