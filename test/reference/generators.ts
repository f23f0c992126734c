/**
 * fast-check generators for the differential tests: policy documents (all 21 operators, wildcards in actions,
 * resources and values, NotAction, several statements and policies, Deny/Allow mixes, case variants of keys and
 * tags, unicode, keys such as `__proto__`/`constructor`/`toString`), principals (control levels, session policy,
 * resource-group attachments, owner, service-linked role) and requests (actions, ARNs, tags, child-free ids,
 * missing and malformed context values).
 *
 * Small vocabularies on purpose: random text almost never matches, so actions, ARNs, keys and values are drawn
 * from pools (plus mutations) that collide often, and every branch of the semantics is exercised.
 */
import fc from "fast-check";
import type { AttachmentScope, PrincipalType } from "../../src/evaluate/decision.js";
import type { RefRequest } from "./interpreter.js";

// ---------------------------------------------------------------- vocabularies

export const OPERATORS = [
  "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
  "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
  "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
  "Bool", "IpAddress", "NotIpAddress",
] as const;

/** Set qualifiers (docs/semantics.md §3): none most of the time, so that unqualified conditions stay as well covered. */
const QUALIFIER = fc.oneof({ arbitrary: fc.constant(""), weight: 4 }, { arbitrary: fc.constantFrom("ForAnyValue:", "ForAllValues:"), weight: 2 });

/** An operator as a policy writes it: one of the 21, sometimes behind a set qualifier. */
export const qualifiedOperator: fc.Arbitrary<string> = fc.tuple(QUALIFIER, fc.constantFrom(...OPERATORS)).map(([q, op]) => q + op);

/** The set qualifier of a written operator, or "unqualified". */
export const qualifierOf = (written: string): string => (/^(ForAnyValue|ForAllValues):/.exec(written)?.[1] ?? "unqualified");

/** Not RAM operators: a policy using one must be rejected (docs/semantics.md §3). */
export const BAD_OPERATORS = [
  "ForAnyValues:StringEquals", "forallvalues:StringEquals", "ForAllValues:Null", "ForAnyValue:StringEqualsIfExists", "ForAllValues:",
  "ForAllValues:ForAnyValue:StringEquals", "StringEqualsIfExists", "Null", "ArnLike", "BinaryEquals", "stringequals", "StringEqual", "__proto__", "constructor",
];

type Family = "string" | "numeric" | "date" | "bool" | "ip";

const familyOf = (written: string): Family => {
  const op = written.slice(written.indexOf(":") + 1);
  return op.startsWith("String") ? "string" : op.startsWith("Numeric") ? "numeric" : op.startsWith("Date") ? "date" : op === "Bool" ? "bool" : "ip";
};

export const REQUEST_ACTIONS = [
  "ess:DeleteScalingGroup", "ess:DescribeScalingGroups", "ess:CreateScalingGroup", "ess:DescribeRegions",
  "ess:ListTagResources", "ess:TagResources", "ess:UntagResources", "ess:ModifyScalingGroup", "ess:DeleteScalingRule",
  "ecs:DescribeInstances", "ram:UpdateUser", "ess:Describe", "ess:",
];
/** Drawn more often on both sides, so that Action elements match requests often. */
const COMMON_ACTIONS = ["ess:DeleteScalingGroup", "ess:DescribeScalingGroups"];
/** Request actions that no catalog has: unicode and case tricks (matching is case-insensitive, docs/semantics.md §2). */
const ODD_ACTIONS = ["ESS:deletescalinggroup", "ess:DescribeScalingGroupſ", "ess:\u212Aill", "ess:kill", "ess:İnfo", "ess:😀", "ess:\ud800", "*", "", "ess:*", "__proto__", "constructor"];

const REGIONS = ["cn-hangzhou", "cn-beijing", ""];
const ACCOUNTS = ["1609982529920904", "111"];
const GROUP_IDS = ["asg-001", "asg-002", "asg-ABC", "asg-abc", "asg-😀", "asg-\ud800", "asg-ß", "ASG-SS", "asg-İ", "*", ""];

const CONTROL_CHARS_ETC = ["\u0000", "\n", "\"", "\\", "/", "~", "~1"];

const STRING_POOL = [
  "test", "Test", "TEST", "game1", "dev", "", "*", "te*", "t?st", "*a*a*b", "aaab", "😀", "\ud800", "\udc00", "\ud800\udc00",
  "ß", "SS", "ss", "__proto__", "constructor", "toString", "İ", "i̇", "σ", "ς", "Σ", "${acs:CurrentTime}", ...CONTROL_CHARS_ETC,
];
const STRING_ALPHABET = ["a", "b", "t", "T", "e", "s", "*", "?", "😀", "\ud800", "\udc00", "ß", "S", "İ", "i", "Σ", "σ", "ς"];

const NUMERIC_VALID = [
  "0", "-0", "+0", "1", "1.0", "01", "+1", ".5", "0.5", "1.", "-1.5", "10", "100", "-100", "9007199254740993", "9007199254740992",
  "0.1", "0.10000000000000001", "123456789012345678901234567890", "123456789012345678901234567891", `1${"0".repeat(400)}`,
];
const NUMERIC_BAD = ["1e3", "NaN", "Infinity", "-Infinity", "0x10", " 1", "1 ", "", "abc", "1,5", "--1", "+-1", ".", "+", "١"];

const DATE_VALID = [
  "2026-11-30T10:00:00Z", "2026-11-30T18:00:00+08:00", "2026-11-30T10:00:00.000Z", "2026-11-30T10:00:00.5Z",
  "2026-11-30T09:59:59.999999999Z", "2026-11-30T10:00:00-00:00", "2026-11-30T04:30:00-05:30", "2024-02-29T00:00:00Z",
  "2000-02-29T00:00:00Z", "0000-02-29T00:00:00Z", "0004-02-29T00:00:00Z", "0050-01-01T00:00:00Z", "1950-01-01T00:00:00Z",
  "0099-12-31T23:59:59Z", "1999-12-31T23:59:59Z", "9999-12-31T23:59:59+00:00", "0000-01-01T00:00:00+00:01",
  "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2019-08-12T17:00:00+08:00", "2019-08-12T09:00:00Z",
];
const DATE_BAD = [
  "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-11-30", "2026-11-30T10:00:00", "2026-11-30T10:00Z", "2026-11-30t10:00:00z",
  "2026-13-01T00:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T10:00:60Z", "2026-11-30T10:00:00+24:00", "2026-11-30T10:00:00+0800",
  "2026-11-30T10:00:00.Z", "2026-11-30T10:00:00.1234567890Z", "1764496800", "", "+2026-11-30T10:00:00Z", "2026-11-31T00:00:00Z",
];

const BOOL_VALID = ["true", "false"];
const BOOL_BAD = ["True", "FALSE", "1", "0", "", " true", "yes"];

const IP_ADDRESSES = [
  "10.0.0.1", "10.1.2.3", "192.168.1.1", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::1", "2001:DB8::1",
  "::ffff:10.0.0.1", "::ffff:a00:1", "::FFFF:192.168.1.1", "0:0:0:0:0:ffff:10.0.0.1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::",
  "::2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "::102:304", "::ffff:102:304", "fe80::1", "::0:1.2.3.4", "0::ffff:1.2.3.4",
  "1::2:3:4:5:6:7", "1:0:0:0:0:0:0:1",
];
const IP_BLOCKS = [
  "10.0.0.0/8", "192.168.0.0/16", "0.0.0.0/0", "10.0.0.1/32", "10.0.0.1/8", "10.0.0.0/24", "::/0", "::1/128", "2001:db8::/32",
  "::ffff:10.0.0.0/104", "::ffff:0:0/96", "::ffff:10.0.0.1/128", "::ffff:1.2.3.4/120", "::/96", "::/64", "10.0.0.1/08",
];
const IP_BAD = [
  "10.0.0.1/33", "010.0.0.1", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1:2:3:4:5:6:7:8::", "1::2::3", ":::", "fe80::1%eth0", "10.0.0.1/",
  "2001:db8::/129", "[::1]", "::ffff:0:0/95", "", "10.0.0.1 ", "1.2.3.-1", "0x0a.0.0.1", "::ffff:1.2.3", "::ffff:0x0a.0.0.1",
  "::ffff:010.0.0.1", "::ffff:1.2.3.4%eth0", "1::2:3:4:5:6:7:8", "::ffff:1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "12345::1",
  "::ffff:4294967295", "::ffff:1.2.3.4/95", "10.0.0.1/-1", "10.0.0.1/+8", "10.0.0.1/ 8", "10.0.0.0/8/8",
];

/** A weighted choice between well-formed values (mostly) and malformed ones. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>, goodWeight = 9): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: good, weight: goodWeight }, { arbitrary: bad, weight: 1 });

const stringValue = fc.oneof(
  { arbitrary: fc.constantFrom(...STRING_POOL), weight: 3 },
  { arbitrary: fc.string({ unit: fc.constantFrom(...STRING_ALPHABET), maxLength: 5 }), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 4 }), weight: 1 },
);

const randomDate = fc
  .record({
    y: fc.oneof(fc.integer({ min: 2025, max: 2027 }), fc.integer({ min: 0, max: 9999 })),
    mo: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.constantFrom(0, 30, 59),
    s: fc.constantFrom(0, 59),
    frac: fc.constantFrom("", ".5", ".000000001", ".999"),
    off: fc.constantFrom("Z", "+08:00", "-05:30", "+00:00", "-00:00", "+23:59"),
  })
  .map(({ y, mo, d, h, mi, s, frac, off }) => {
    const p = (n: number, w = 2): string => String(n).padStart(w, "0");
    return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}${frac}${off}`;
  });

const randomV4 = fc.tuple(fc.constantFrom(10, 192, 0, 255), fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 255), fc.integer({ min: 0, max: 3 }))
  .map((o) => o.join("."));
const randomV6 = fc.array(fc.constantFrom("0", "1", "db8", "2001", "ffff", "FFFF", "a00"), { minLength: 1, maxLength: 7 })
  .map((g) => (g.length === 7 ? g.join(":") + ":1" : `${g.join(":")}::1`));

const valuesOf: Record<Family, { good: fc.Arbitrary<string>; bad: fc.Arbitrary<string> }> = {
  string: { good: stringValue, bad: stringValue },
  numeric: {
    good: fc.oneof(fc.constantFrom(...NUMERIC_VALID), fc.integer({ min: -20, max: 20 }).map(String), fc.double({ noNaN: true, noDefaultInfinity: true, min: -100, max: 100 }).map((d) => d.toFixed(2))),
    bad: fc.constantFrom(...NUMERIC_BAD),
  },
  date: { good: fc.oneof(fc.constantFrom(...DATE_VALID), randomDate), bad: fc.constantFrom(...DATE_BAD) },
  bool: { good: fc.constantFrom(...BOOL_VALID), bad: fc.constantFrom(...BOOL_BAD) },
  ip: {
    good: fc.oneof(fc.constantFrom(...IP_ADDRESSES), randomV4, randomV6),
    bad: fc.constantFrom(...IP_BAD),
  },
};

/** Policy side: blocks allowed for IP. */
const policyValueOf = (family: Family, strict: boolean): fc.Arbitrary<string> => {
  const good = family === "ip" ? fc.oneof(valuesOf.ip.good, fc.constantFrom(...IP_BLOCKS)) : valuesOf[family].good;
  return strict ? good : mostly(good, valuesOf[family].bad, 30);
};

/** A request value: usually of the key's natural family, sometimes another family or malformed (indeterminate). */
const requestValueOf = (family: Family): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: valuesOf[family].good, weight: 6 },
    { arbitrary: valuesOf[family].bad, weight: 1 },
    { arbitrary: fc.constantFrom<Family>("string", "numeric", "date", "bool", "ip").chain((f) => valuesOf[f].good), weight: 1 },
    { arbitrary: family === "ip" ? fc.constantFrom(...IP_BLOCKS) : stringValue, weight: 1 },
  );

// ---------------------------------------------------------------- case games

/** Flips the case of some characters (ASCII and beyond). */
const caseVariant = (s: string): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constant(s), weight: 3 },
    { arbitrary: fc.constant(s.toLowerCase()), weight: 1 },
    { arbitrary: fc.constant(s.toUpperCase()), weight: 1 },
    {
      arbitrary: fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((flips) =>
        [...s].map((c, i) => (flips[i] ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join(""),
      ),
      weight: 2,
    },
  );

const TAG_KEYS = ["team", "Team", "TEAM", "env", "environment", "__proto__", "constructor", "toString", "Σ", "σ", "ς", "k", "\u212A", "😀", "a/b", ""];
const GLOBAL_KEYS: [string, Family][] = [
  ["acs:SourceIp", "ip"], ["acs:CurrentTime", "date"], ["acs:SecureTransport", "bool"], ["acs:MFAPresent", "bool"],
  ["acs:AccessId", "string"], ["acs:PrincipalARN", "string"], ["acs:SourceVpc", "string"], ["acs:TagKeys", "string"],
  ["ess:Count", "numeric"], ["__proto__", "string"], ["constructor", "numeric"], ["toString", "date"], ["hasOwnProperty", "bool"],
];

const tagKey = fc.constantFrom(...TAG_KEYS).chain(caseVariant);

/** A condition key and the family its values naturally have. */
const conditionKey: fc.Arbitrary<[string, Family]> = fc.oneof(
  fc.constantFrom(...GLOBAL_KEYS).chain(([k, f]) => caseVariant(k).map((v): [string, Family] => [v, f])),
  fc.tuple(fc.constantFrom("acs:RequestTag/", "acs:ResourceTag/", "acs:requesttag/", "ACS:RESOURCETAG/"), tagKey).map(([p, k]): [string, Family] => [p + k, "string"]),
);

// ---------------------------------------------------------------- wildcards

/** Mutates a literal into a glob: `?` for one character, `*` for a run, case flips. */
const globFrom = (literal: string, caseFlips: boolean): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(fc.constantFrom("?", "*", "*end", "case", "insert*", "none"), fc.nat()), { maxLength: 3 })
    .chain((edits) => {
      let chars = [...literal];
      for (const [kind, n] of edits) {
        const i = chars.length === 0 ? 0 : n % chars.length;
        if (kind === "?" && chars.length > 0) chars[i] = "?";
        else if (kind === "*" && chars.length > 0) chars.splice(i, 1 + (n % 3), "*");
        else if (kind === "*end") chars = [...chars.slice(0, i), "*"];
        else if (kind === "insert*") chars.splice(i, 0, "*");
        else if (kind === "case" && caseFlips && chars.length > 0) chars[i] = chars[i] === chars[i]!.toLowerCase() ? chars[i]!.toUpperCase() : chars[i]!.toLowerCase();
      }
      // a code-unit split of a surrogate pair makes lone surrogates: wanted, they are part of the game
      return fc.constant(chars.join(""));
    });

const ACTION_SHAPE = /^(?:\*|[A-Za-z0-9*?_-]+:[A-Za-z0-9*?_-]+)$/;

const actionPattern: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom("*", "ess:*", "*:*", "*:ListTagResources", "ess:Describe*", "ess:*Scaling*", "ess:*a*a*a*b", "ess:Describle*", "ess:?escribe*", "ESS:DELETE*", "ecs:*"), weight: 2 },
  {
    arbitrary: fc.oneof(fc.constantFrom(...COMMON_ACTIONS), fc.constantFrom(...REQUEST_ACTIONS.filter((a) => ACTION_SHAPE.test(a))))
      .chain((a) => globFrom(a, true))
      .map((p) => (ACTION_SHAPE.test(p) ? p : "ess:*")),
    weight: 5,
  },
);

const requestAction: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...COMMON_ACTIONS).chain(caseVariant), weight: 5 },
  { arbitrary: fc.constantFrom(...REQUEST_ACTIONS).chain(caseVariant), weight: 4 },
  { arbitrary: fc.constantFrom(...ODD_ACTIONS), weight: 1 },
);

/** Mostly the first element of a pool (so that requests and patterns meet), sometimes any. */
const usually = <T>(pool: readonly T[], weight = 3): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: fc.constant(pool[0]!), weight }, { arbitrary: fc.constantFrom(...pool), weight: 2 });

const arn = fc
  .tuple(usually(REGIONS), usually(ACCOUNTS), usually(["scalinggroup", "scalingGroup"]), usually(GROUP_IDS, 2))
  .map(([r, a, t, id]) => `acs:ess:${r}:${a}:${t}/${id}`);

const requestResource: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: arn, weight: 6 },
  { arbitrary: fc.constantFrom("*", "", "acs:ess:cn-hangzhou:1609982529920904:scalinggroup/*", "ACS:ESS:CN-HANGZHOU:1609982529920904:SCALINGGROUP/ASG-001"), weight: 1 },
);

const resourcePattern: fc.Arbitrary<string> = fc
  .oneof(
    { arbitrary: fc.constantFrom("*", "acs:ess:*:*:scalinggroup/*", "acs:ess:cn-hangzhou:1609982529920904:*", "acs:ess:*:*:*", "*asg-001", "acs:ess:*a*a*a*b", "**", "?*"), weight: 2 },
    { arbitrary: arn.chain((a) => globFrom(a, true)), weight: 5 },
  )
  .map((p) => (p === "" ? "*" : p)); // an empty Resource is an Error (§1); not what this test is about

// ---------------------------------------------------------------- documents

export interface GenCondition {
  readonly operator: string;
  /** Key → value(s); a single value may be given as a bare string, a number or a boolean (unquoted). */
  readonly entries: readonly (readonly [string, unknown])[];
}

/** Builds a plain object with own properties only (so `__proto__` is an ordinary key, as in JSON). */
function object(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const conditionValues = (operator: string, keyFamily: Family, strict: boolean): fc.Arbitrary<unknown> => {
  const family = familyOf(operator);
  void keyFamily;
  const one = policyValueOf(family, strict);
  return fc.oneof(
    { arbitrary: one, weight: 4 },
    { arbitrary: fc.array(one, { minLength: 1, maxLength: 3 }), weight: 4 },
    // unquoted numbers and booleans are accepted with a Warning (§1)
    { arbitrary: family === "numeric" ? fc.integer({ min: -5, max: 20 }) : family === "bool" ? fc.boolean() : one, weight: 1 },
  );
};

const condition = (strict: boolean): fc.Arbitrary<GenCondition> =>
  fc
    .tuple(
      strict ? qualifiedOperator : fc.oneof({ arbitrary: qualifiedOperator, weight: 60 }, { arbitrary: fc.constantFrom(...BAD_OPERATORS), weight: 1 }),
      fc.uniqueArray(conditionKey, { minLength: 1, maxLength: 2, selector: ([k]) => k }),
    )
    .chain(([operator, keys]) =>
      fc.tuple(...keys.map(([k, f]) => conditionValues(operator, f, strict).map((v): [string, unknown] => [k, v]))).map((entries) => ({ operator, entries })),
    );

export const statementArb = (strict: boolean): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record({
      effect: fc.constantFrom("Allow", "Deny"),
      notAction: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
      actions: fc.oneof(actionPattern, fc.array(actionPattern, { minLength: 1, maxLength: 3 })),
      resources: fc.oneof(resourcePattern, fc.array(resourcePattern, { minLength: 1, maxLength: 3 })),
      conditions: fc.oneof(
        { arbitrary: fc.constant<GenCondition[]>([]), weight: 3 },
        { arbitrary: fc.uniqueArray(condition(strict), { minLength: 1, maxLength: 3, selector: (c) => c.operator }), weight: 4 },
      ),
      sid: fc.option(fc.constantFrom("s", "__proto__", "constructor", "toString", "😀", ""), { nil: undefined }),
    })
    .map(({ effect, notAction, actions, resources, conditions, sid }) => {
      const entries: [string, unknown][] = [];
      if (sid !== undefined) entries.push(["Sid", sid]);
      entries.push(["Effect", effect], [notAction ? "NotAction" : "Action", actions], ["Resource", resources]);
      if (conditions.length > 0) entries.push(["Condition", object(conditions.map((c) => [c.operator, object(c.entries)]))]);
      return object(entries);
    });

/** `Allow * on *`, as FullAliyunAccess: control levels and session policies that let requests through. */
const BROAD_ALLOW = (): Record<string, unknown> => object([["Effect", "Allow"], ["Action", "*"], ["Resource", "*"]]);

/** A document; `broad` is the chance (0–1 in tenths) that it starts with an `Allow * on *` statement. */
export const documentArb = (strict = false, broadTenths = 0): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .tuple(fc.array(statementArb(strict), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 9 }))
    .map(([statements, roll]) => object([["Version", "1"], ["Statement", roll < broadTenths ? [BROAD_ALLOW(), ...statements] : statements]]));

// ---------------------------------------------------------------- principals and requests

export interface GenCase {
  readonly principalType?: PrincipalType;
  readonly identity: readonly { readonly doc: Record<string, unknown>; readonly scope?: AttachmentScope }[];
  readonly session?: Record<string, unknown>;
  readonly control?: { readonly levels: readonly (readonly Record<string, unknown>[])[]; readonly effectScope?: "RAM" | "All" };
  readonly requests: readonly RefRequest[];
}

const RESOURCE_GROUPS = ["rg-1", "rg-2"];

const scope: fc.Arbitrary<AttachmentScope | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 3 },
  { arbitrary: fc.constant("account" as const), weight: 1 },
  { arbitrary: fc.constantFrom(...RESOURCE_GROUPS).map((resourceGroupId) => ({ resourceGroupId })), weight: 2 },
);

const pairs = (key: fc.Arbitrary<[string, Family]>, max: number): fc.Arbitrary<[string, string][]> =>
  fc.array(key.chain(([k, f]) => requestValueOf(f).map((v): [string, string] => [k, v])), { maxLength: max });

export const requestArb: fc.Arbitrary<RefRequest> = fc
  .record({
    action: requestAction,
    resource: requestResource,
    resourceGroupId: fc.option(fc.constantFrom(...RESOURCE_GROUPS, "RG-1"), { nil: undefined }),
    keys: pairs(fc.constantFrom(...GLOBAL_KEYS).chain(([k, f]) => caseVariant(k).map((v): [string, Family] => [v, f])), 5),
    requestTags: pairs(tagKey.map((k): [string, Family] => [k, "string"]), 3),
    resourceTags: fc.option(pairs(tagKey.map((k): [string, Family] => [k, "string"]), 3), { nil: undefined }),
  })
  .map((r) => {
    const out: RefRequest = { action: r.action, resource: r.resource, keys: r.keys, requestTags: r.requestTags };
    return {
      ...out,
      ...(r.resourceGroupId === undefined ? {} : { resourceGroupId: r.resourceGroupId }),
      ...(r.resourceTags === undefined ? {} : { resourceTags: r.resourceTags }),
    };
  });

export const caseArb = (strict = false, maxRequests = 16): fc.Arbitrary<GenCase> =>
  fc
    .record({
      principalType: fc.option(fc.constantFrom<PrincipalType>("RamUser", "AssumedRoleUser", "Root", "ServiceLinkedRole"), { nil: undefined, freq: 3 }),
      identity: fc.array(fc.record({ doc: documentArb(strict), scope }), { maxLength: 3 }),
      session: fc.option(documentArb(strict, 6), { nil: undefined, freq: 2 }),
      control: fc.option(
        fc.record({
          levels: fc.array(fc.array(documentArb(strict, 7), { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
          effectScope: fc.option(fc.constantFrom<"RAM" | "All">("RAM", "All"), { nil: undefined }),
        }),
        { nil: undefined, freq: 2 },
      ),
      requests: fc.array(requestArb, { minLength: Math.min(4, maxRequests), maxLength: maxRequests }),
    })
    .map((c) => {
      const out: GenCase = {
        identity: c.identity.map((a) => (a.scope === undefined ? { doc: a.doc } : { doc: a.doc, scope: a.scope })),
        requests: c.requests,
      };
      return {
        ...out,
        ...(c.principalType === undefined ? {} : { principalType: c.principalType }),
        ...(c.session === undefined ? {} : { session: c.session }),
        ...(c.control === undefined ? {} : { control: c.control.effectScope === undefined ? { levels: c.control.levels } : c.control }),
      };
    });

// ---------------------------------------------------------------- value-level cases

/** One character edited: deleted, replaced or inserted from an alphabet that keeps the value near its format. */
const mutated = (pool: readonly string[], alphabet: string): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...pool), fc.array(fc.tuple(fc.constantFrom("del", "set", "ins"), fc.nat(), fc.constantFrom(...alphabet)), { minLength: 1, maxLength: 2 }))
    .map(([v, edits]) => {
      let s = v;
      for (const [op, n, c] of edits) {
        const i = s.length === 0 ? 0 : n % (s.length + (op === "ins" ? 1 : 0));
        if (op === "del") s = s.slice(0, i) + s.slice(i + 1);
        else if (op === "set") s = s.slice(0, i) + c + s.slice(i + 1);
        else s = s.slice(0, i) + c + s.slice(i);
      }
      return s;
    });

const fuzzOf: Record<Family, fc.Arbitrary<string>> = {
  string: stringValue,
  numeric: fc.oneof(mutated(NUMERIC_VALID.slice(0, 20), "0123456789+-.e "), fc.string({ unit: fc.constantFrom(..."0123456789+-.eE "), maxLength: 8 })),
  date: mutated(DATE_VALID, "0123456789-+:TZ.tz "),
  bool: mutated(BOOL_VALID, "trueTRUEfals "),
  ip: fc.oneof(
    mutated([...IP_ADDRESSES, ...IP_BLOCKS], "0123456789abcdefABCDEF:./%x"),
    fc.string({ unit: fc.constantFrom(..."0123456789abcdef:./"), maxLength: 20 }),
  ),
};

export interface ValueCase {
  readonly operator: string;
  readonly effect: "Allow" | "Deny";
  readonly key: string;
  readonly policyValues: readonly string[];
  /** Each entry is one request: the values of the key (several = case-variant tags, a set for a qualifier; none = key missing). */
  readonly requests: readonly (readonly (readonly [string, string])[])[];
}

/** A single condition against many requests: the value parsers and comparators, edge by edge. */
export const valueCaseArb: fc.Arbitrary<ValueCase> = qualifiedOperator.chain((operator) => {
  const family = familyOf(operator);
  const policySide = fc.oneof({ arbitrary: policyValueOf(family, true), weight: 3 }, { arbitrary: fuzzOf[family], weight: 1 });
  const requestSide = fc.oneof(
    { arbitrary: valuesOf[family].good, weight: 3 },
    { arbitrary: fuzzOf[family], weight: 2 },
    { arbitrary: valuesOf[family].bad, weight: 1 },
    { arbitrary: family === "ip" ? fc.constantFrom(...IP_BLOCKS) : stringValue, weight: 1 },
  );
  return fc.record({
    operator: fc.constant(operator),
    effect: fc.constantFrom<"Allow" | "Deny">("Allow", "Deny"),
    key: fc.constantFrom("team", "Team"),
    policyValues: fc.array(policySide, { minLength: 1, maxLength: 3 }),
    requests: fc.array(fc.array(fc.tuple(fc.constantFrom("team", "TEAM", "Team", "other"), requestSide), { maxLength: 3 }), { minLength: 4, maxLength: 10 }),
  });
});
