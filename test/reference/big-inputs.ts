/**
 * Large and adversarial policy texts for test/robustness.test.ts, built by name so that a child process can build
 * them itself (a 10 MB text is not worth sending over IPC). Sizes are what the issue asks for.
 */
const doc = (statements: unknown[]): string => JSON.stringify({ Version: "1", Statement: statements });

const arn = (id: string): string => `acs:ess:cn-hangzhou:1234567890123456:scalinggroup/${id}`;
/** A literal group id per number, 20 characters like real ones. */
const groupId = (i: number): string => `asg-${i.toString(36).padStart(16, "0")}`;

/** Documents that make the rules comparing statements, ids or spellings pairwise do the most work per pair. */
export const PAIRWISE: Record<string, () => string> = {
  "2,000 comparable statements (statement-covered)": () =>
    doc(Array.from({ length: 2_000 }, (_, i) => ({ Effect: i % 2 ? "Allow" : "Deny", Action: ["ess:*", `ecs:x${i}`], Resource: [arn(groupId(i)), arn(groupId(i + 1))] }))),
  "2,000 statements differing in conditions only": () =>
    doc(Array.from({ length: 2_000 }, (_, i) => ({ Effect: "Allow", Action: "ess:DescribeScalingGroups", Resource: "*", Condition: { StringEquals: { "acs:RequestTag/team": `t${i}` } } }))),
  "6,000 literal group ids (resource-id-near-duplicate)": () => doc([{ Effect: "Allow", Action: "ess:*", Resource: Array.from({ length: 6_000 }, (_, i) => arn(groupId(i))) }]),
  "3,000 spellings of one tag key (condition-tag-key-case)": () =>
    doc(
      Array.from({ length: 3_000 }, (_, i) => {
        const tagKey = [...i.toString(2).padStart(12, "0")].map((bit) => (bit === "1" ? "T" : "t")).join("");
        return { Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { [`acs:RequestTag/${tagKey}`]: "x" } } };
      }),
    ),
};

/** 4,000 statements with a number for Action: about 12,000 schema errors to fold into findings. */
export const SCHEMA_FAILURES = "4,000 statements with a number for Action";

export const BIG_INPUTS: Record<string, () => string> = {
  ...PAIRWISE,
  [SCHEMA_FAILURES]: () => doc(Array.from({ length: 4000 }, () => ({ Effect: "Allow", Action: 1, Resource: "*" }))),
  /** 10 MB: refused before parsing. */
  "10MB document": () => doc([{ Effect: "Allow", Action: "ess:*", Resource: "x".repeat(10 * 1024 * 1024) }]),
  /** Just under the 1,000,000-character parse limit, one huge string. */
  "999,000-character string": () => doc([{ Effect: "Allow", Action: "ess:*", Resource: "acs:" + "a*".repeat(499_400) }]),
  /** 100,000 levels of nesting, arrays, objects and mixed, closed and unclosed. */
  "100,000 nested arrays": () => "[".repeat(100_000) + "]".repeat(100_000),
  "100,000 nested objects": () => '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000),
  "100,000 unclosed brackets": () => "[{".repeat(50_000),
  "100,000 levels inside Condition": () =>
    `{"Version":"1","Statement":[{"Effect":"Allow","Action":"ess:*","Resource":"*","Condition":{"StringEquals":{"k":${"[".repeat(100_000)}"v"${"]".repeat(100_000)}}}}]}`,
  /** Huge arrays, every element worth a finding. */
  "60,000 malformed actions": () => doc([{ Effect: "Allow", Action: Array.from({ length: 60_000 }, (_, i) => `ess>C${i}`), Resource: "*" }]),
  "60,000 wildcard actions": () => doc([{ Effect: "Allow", Action: Array.from({ length: 60_000 }, (_, i) => `ess:Describe${i}*`), Resource: "*" }]),
  "50,000 StringLike values": () =>
    doc([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringLike: { "acs:RequestTag/team": Array.from({ length: 50_000 }, (_, i) => `*a*${i}*b`) } } }]),
  "3,000 condition keys": () =>
    doc([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`acs:RequestTag/t${i}`, "x"])) } }]),
  "30,000 resources": () => doc([{ Effect: "Allow", Action: "ess:*", Resource: Array.from({ length: 30_000 }, (_, i) => `acs:ess:*:*:scalinggroup/asg-${i}*`) }]),
  /** Many statements (a document far over RAM's size limit, but under the parse limit). */
  "8,000 statements": () =>
    doc(Array.from({ length: 8_000 }, (_, i) => ({ Effect: i % 2 ? "Allow" : "Deny", Action: `ess:Describe${i}*`, Resource: `acs:ess:*:*:scalinggroup/asg-${i}*` }))),
  /** The most statements a legal (≤ 6,144 characters) identity policy holds, each with a safe fix. */
  "115 fixable statements (legal size)": () => doc(Array.from({ length: 115 }, (_, i) => ({ Effect: "Allow", Action: `ess>D${i}`, Resource: "*" }))),
};

/** `x0%=%&x1%=%&…`: form pieces whose escapes decodeURIComponent refuses. */
export const badEscapes = (pieces: number): string => Array.from({ length: pieces }, (_, i) => `x${i}%=%`).join("&");
