/**
 * Large and adversarial policy texts for test/robustness.test.ts, built by name so that a child process can build
 * them itself (a 10 MB text is not worth sending over IPC). Sizes are what the issue asks for.
 */
const doc = (statements: unknown[]): string => JSON.stringify({ Version: "1", Statement: statements });

export const BIG_INPUTS: Record<string, () => string> = {
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
