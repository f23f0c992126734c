import t from "tap";
import { parsePolicy, minifiedLength } from "../src/policy/parse.js";
import { ruleIds } from "./helpers/policies.js";

const doc = (statement: unknown): string => JSON.stringify({ Version: "1", Statement: [statement] });
const allow = { Effect: "Allow", Action: "ess:*", Resource: "*" };

t.test("a valid policy becomes an AST", async (t) => {
  const r = parsePolicy(doc({ ...allow, Sid: "s1", Condition: { StringEquals: { "acs:ResourceTag/Team": ["a", "b"] } } }), { name: "n" });
  t.same(r.findings, []);
  const s = r.policy!.statements[0]!;
  t.equal(s.sid, "s1");
  t.equal(s.effect, "Allow");
  t.same(s.actions, ["ess:*"]);
  t.same(s.resources, ["*"]);
  t.equal(s.conditions[0]!.keyLower, "acs:resourcetag/team");
  t.same(s.conditions[0]!.values, ["a", "b"]);
});

t.test("strict JSON: comments and trailing commas are errors with positions", async (t) => {
  const r = parsePolicy('{"Version": "1",\n "Statement": [],\n}');
  t.equal(r.policy, undefined);
  t.equal(r.findings[0]!.ruleId, "json-syntax");
  t.equal(r.findings[0]!.line, 3);
  t.equal(r.findings[0]!.column, 1);
  t.same(ruleIds('{"Version": "1", /* c */ "Statement": []}'), ["json-syntax"]);
});

t.test("duplicate keys are errors at the second key", async (t) => {
  const r = parsePolicy('{\n  "Version": "1",\n  "Statement": [{"Effect": "Allow", "Effect": "Deny", "Action": "ess:*", "Resource": "*"}]\n}');
  const f = r.findings.find((f) => f.ruleId === "json-duplicate-key")!;
  t.equal(f.path, "/Statement/0/Effect");
  t.equal(f.line, 3);
  t.equal(f.column, 37);
  t.equal(r.policy, undefined);
});

t.test("Version must be exactly \"1\"", async (t) => {
  t.same(ruleIds('{"Version": "2012-10-17", "Statement": []}'), ["version-invalid", "statement-empty"]);
  t.same(ruleIds('{"Version": 1, "Statement": []}'), ["version-invalid", "statement-empty"]);
  t.ok(ruleIds('{"Statement": []}').includes("element-missing"));
});

t.test("Statement: required, array; a lone object is a warning; empty is a suggestion", async (t) => {
  t.ok(ruleIds('{"Version": "1"}').includes("element-missing"));
  const lone = parsePolicy(JSON.stringify({ Version: "1", Statement: allow }));
  t.ok(lone.policy, "a single statement object is accepted");
  t.same(lone.findings.map((f) => [f.ruleId, f.severity]), [["statement-not-array", "Warning"]]);
  const empty = parsePolicy('{"Version": "1", "Statement": []}');
  t.ok(empty.policy);
  t.same(empty.findings.map((f) => [f.ruleId, f.severity]), [["statement-empty", "Suggestion"]]);
  t.ok(ruleIds('{"Version": "1", "Statement": "x"}').includes("type-invalid"));
});

t.test("Effect is exactly Allow or Deny", async (t) => {
  t.same(ruleIds(doc({ ...allow, Effect: "allow" })), ["effect-invalid"]);
  t.ok(ruleIds(doc({ Action: "ess:*", Resource: "*" })).includes("element-missing"));
});

t.test("exactly one of Action / NotAction, string or non-empty array of strings", async (t) => {
  t.same(ruleIds(doc({ ...allow, NotAction: "ecs:*" })), ["action-exclusive"]);
  t.same(ruleIds(doc({ Effect: "Allow", Resource: "*" })), ["element-missing"]);
  t.same(ruleIds(doc({ ...allow, Action: [] })), ["type-invalid"]);
  t.same(ruleIds(doc({ ...allow, Action: [1] })), ["type-invalid"]);
  t.same(ruleIds(doc({ Effect: "Allow", NotAction: "ram:*", Resource: "*" })), []);
});

t.test("malformed actions are errors", async (t) => {
  t.same(ruleIds(doc({ ...allow, Action: "ess>Create*" })), ["action-malformed"]);
  t.same(ruleIds(doc({ ...allow, Action: "DescribeScalingGroups" })), ["action-malformed"]);
  t.same(ruleIds(doc({ ...allow, Action: "ess:" })), ["action-malformed"]);
  t.same(ruleIds(doc({ ...allow, Action: "" })), ["action-malformed"]);
  t.same(ruleIds(doc({ ...allow, Action: ["*", "*:ListTagResources", "ess:Describe?cal*"] })), []);
});

t.test("Resource is required in identity, session and control policies, optional in trust policies", async (t) => {
  const noResource = doc({ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: ["acs:ram::111:root"] } });
  t.same(ruleIds(noResource, "trust"), []);
  t.same(ruleIds(doc({ Effect: "Allow", Action: "ess:*" }), "identity"), ["element-missing"]);
  t.same(ruleIds(doc({ Effect: "Allow", Action: "ess:*" }), "session"), ["element-missing"]);
  t.same(ruleIds(doc({ Effect: "Allow", Action: "ess:*" }), "control"), ["element-missing"]);
});

t.test("NotResource, NotPrincipal, Principal in identity policies and unknown keys are errors", async (t) => {
  t.same(ruleIds(doc({ Effect: "Allow", Action: "ess:*", NotResource: "x" })), ["not-resource-unsupported"]);
  t.same(ruleIds(doc({ ...allow, NotPrincipal: "x" })), ["not-principal-unsupported"]);
  t.same(ruleIds(doc({ ...allow, Principal: "*" })), ["principal-not-allowed"]);
  t.same(ruleIds(doc({ ...allow, Foo: 1 })), ["element-unknown"]);
  t.same(ruleIds(JSON.stringify({ Version: "1", Statement: [], Id: "x" })), ["element-unknown", "statement-empty"]);
});

t.test("Sid is a string; duplicates are warnings", async (t) => {
  const r = parsePolicy(JSON.stringify({ Version: "1", Statement: [{ ...allow, Sid: "a" }, { ...allow, Sid: "a" }] }));
  t.ok(r.policy);
  t.same(r.findings.map((f) => [f.ruleId, f.severity, f.path]), [["sid-duplicate", "Warning", "/Statement/1/Sid"]]);
  t.same(ruleIds(doc({ ...allow, Sid: 5 })), ["type-invalid"]);
});

t.test("size limits per kind, whitespace not counted", async (t) => {
  const sized = (n: number): string => {
    const base = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:*", Resource: "" }] });
    const padded = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:*", Resource: "x".repeat(n - base.length) }] });
    return padded;
  };
  t.equal(minifiedLength(sized(6144)), 6144);
  t.same(ruleIds(sized(6144)), []);
  t.same(ruleIds(sized(6145)), ["policy-too-large"]);
  t.same(ruleIds(sized(2048), "session"), []);
  t.same(ruleIds(sized(2049), "session"), ["policy-too-large"]);
  t.same(ruleIds(sized(4097), "control"), ["policy-too-large"]);
  const spaced = sized(6144).replace(/,/g, ",\n      ");
  t.same(ruleIds(spaced), [], "insignificant whitespace is not counted");
});

t.test("condition operators: the 21 documented ones only, each optionally behind a set qualifier", async (t) => {
  for (const op of ["ForAnyValue:StringEqualsIfExists", "ForAllValues:Null", "ForAnyValue:ArnLike", "ForAnyValues:StringEquals", "forallvalues:StringEquals", "ForAllValues:", "ForAllValues:ForAnyValue:StringEquals", "StringEqualsIfExists", "Null", "ArnLike", "BinaryEquals", "stringequals"]) {
    t.same(ruleIds(doc({ ...allow, Condition: { [op]: { "acs:SourceIp": "1.1.1.1" } } })), ["condition-operator-unknown"], op);
  }
  const r = parsePolicy(doc({ ...allow, Condition: { StringEqual: { k: "v" } } }));
  t.match(r.findings[0]!.message, /did you mean "StringEquals"/);
});

t.test("condition value formats are checked at load", async (t) => {
  const bad: [string, string][] = [
    ["NumericEquals", "1e3"], ["NumericEquals", "0x10"], ["NumericLessThan", "ten"],
    ["DateLessThan", "2019-08-12"], ["DateLessThan", "2019-13-12T00:00:00Z"], ["DateEquals", "1565600000"],
    ["Bool", "yes"], ["Bool", "True"], ["IpAddress", "300.1.1.1"], ["IpAddress", "10.0.0.0/33"], ["NotIpAddress", "10.1"],
  ];
  for (const [op, v] of bad) t.same(ruleIds(doc({ ...allow, Condition: { [op]: { k: v } } })), ["condition-value-format"], `${op} ${v}`);
  const good: [string, string][] = [
    ["NumericEquals", "-1.5"], ["DateLessThan", "2019-08-12T17:00:00+08:00"], ["DateEquals", "2019-08-12T17:00:00.123Z"],
    ["Bool", "false"], ["IpAddress", "2001:db8::/32"], ["IpAddress", "::ffff:192.168.0.0/112"], ["IpAddress", "192.168.0.1"],
  ];
  for (const [op, v] of good) t.same(ruleIds(doc({ ...allow, Condition: { [op]: { k: v } } })), [], `${op} ${v}`);
});

t.test("unquoted numbers and booleans are accepted with a warning; other types are errors", async (t) => {
  const r = parsePolicy(doc({ ...allow, Condition: { Bool: { "acs:SecureTransport": true }, NumericEquals: { n: 5 } } }));
  t.ok(r.policy);
  t.same(r.findings.map((f) => [f.ruleId, f.severity]), [["condition-value-unquoted", "Warning"], ["condition-value-unquoted", "Warning"]]);
  t.same(r.policy!.statements[0]!.conditions.map((c) => c.values), [["true"], ["5"]]);
  t.same(ruleIds(doc({ ...allow, Condition: { StringEquals: { k: null } } })), ["condition-value-type"]);
  t.same(ruleIds(doc({ ...allow, Condition: { StringEquals: { k: [] } } })), ["condition-values-empty"]);
});

t.test("${...} is literal text, reported as a warning", async (t) => {
  const r = parsePolicy(doc({ ...allow, Resource: "acs:ess:*:*:scalinggroup/${aws:username}" }));
  t.ok(r.policy);
  t.same(r.findings.map((f) => f.ruleId), ["policy-variable"]);
});

t.test("__proto__ and constructor are ordinary keys", async (t) => {
  const text = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ess:*","Resource":"*","Condition":{"StringEquals":{"__proto__":"x","constructor":"y"}}}]}';
  const r = parsePolicy(text);
  t.ok(r.policy);
  t.same(r.policy!.statements[0]!.conditions.map((c) => c.key), ["__proto__", "constructor"]);
  t.same(ruleIds('{"Version":"1","Statement":[],"__proto__":{}}'), ["element-unknown", "statement-empty"]);
  t.equal(({} as Record<string, unknown>).polluted, undefined);
});

t.test("deep nesting and huge documents are findings, not crashes", async (t) => {
  t.same(ruleIds("[".repeat(100_000) + "]".repeat(100_000)), ["json-too-deep"]);
  t.same(ruleIds(" ".repeat(1_000_001)), ["json-too-large"]);
});

t.test("findings carry JSON Pointer and 1-based line:column of the node", async (t) => {
  const text = '{\n  "Version": "1",\n  "Statement": [\n    {"Effect": "Allow", "Action": "ess>Create*", "Resource": "*"}\n  ]\n}';
  const f = parsePolicy(text, { file: "p.json" }).findings[0]!;
  t.same([f.path, f.line, f.column, f.endLine, f.endColumn, f.file], ["/Statement/0/Action", 4, 35, 4, 48, "p.json"]);
});
