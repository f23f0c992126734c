// Which fixes --fix may apply on its own: never one that lets a request through that was denied before.
import t from "tap";
import type { Finding } from "../src/policy/findings.js";
import { fixWidens } from "../src/lint/fix-safety.js";
import { fixPolicy, lintPolicy } from "../src/lint/lint.js";

const at = (ruleId: string, path: string): Finding => ({ ruleId, path, severity: "Error", message: "", line: 1, column: 1, endLine: 1, endColumn: 1, fix: [] });
const policy = (...statements: object[]) => ({ Version: "1", Statement: statements });

t.test("same-meaning fixes never widen: actions and condition keys match regardless of case, repeats and empty blocks add nothing", async (t) => {
  for (const rule of ["action-case", "condition-key-case", "condition-tag-key-case", "value-duplicate", "statement-duplicate", "element-empty"]) {
    t.equal(fixWidens(at(rule, "/Statement/0/Action"), policy({ Effect: "Allow" })), false, rule);
  }
});

t.test("reviving a dead entry widens in an Allow's Action or Resource and a Deny's NotAction, narrows elsewhere", async (t) => {
  const cases: [effect: string, element: string, widens: boolean][] = [
    ["Allow", "Action", true],
    ["Allow", "Resource", true],
    ["Allow", "NotAction", false],
    ["Deny", "Action", false],
    ["Deny", "Resource", false],
    ["Deny", "NotAction", true],
  ];
  for (const [effect, element, widens] of cases) {
    for (const rule of ["action-unknown", "action-malformed", "resource-case", "resource-region-unknown", "resource-type-unknown"]) {
      t.equal(fixWidens(at(rule, `/Statement/1/${element}/0`), policy({}, { Effect: effect })), widens, `${rule} in ${effect} ${element}`);
    }
  }
  t.equal(fixWidens(at("action-unknown", "/Statement/Action"), { Statement: { Effect: "Deny" } }), false, "a single statement object");
});

t.test("anything not known to be narrowing counts as widening: fail closed", async (t) => {
  t.equal(fixWidens(at("condition-key-unknown", "/Statement/0/Condition/StringEquals/acs:sourceip"), policy({ Effect: "Deny" })), true, "condition fixes");
  t.equal(fixWidens(at("condition-operator-unknown", "/Statement/0/Condition/StringEqual"), policy({ Effect: "Deny" })), true);
  t.equal(fixWidens(at("some-new-rule", "/Statement/0/Action"), policy({ Effect: "Deny" })), true, "an unclassified rule");
  t.equal(fixWidens(at("action-unknown", "/Statement/0/Action"), policy({ Effect: "deny" })), true, "an invalid Effect");
  t.equal(fixWidens(at("action-unknown", "/Statement/0/Action"), policy({ Effect: "constructor" })), true, "an Effect that is an Object.prototype name");
  t.equal(fixWidens(at("action-unknown", "/Statement/7/Action"), policy({ Effect: "Deny" })), true, "a statement that is not there");
  t.equal(fixWidens(at("action-unknown", "/Statement/0/Condition"), policy({ Effect: "Deny" })), true, "an element that holds no entry");
  t.equal(fixWidens(at("action-unknown", "/Statement/0/Action"), { Statement: { Effect: "Deny" } }), true, "an index into a Statement that is no array");
  t.equal(fixWidens(at("action-unknown", "/Statement/0/Action"), "not a policy"), true, "a document that is no object");
});

t.test("lintPolicy marks widening fixes; fixPolicy applies them only with fixType widening", async (t) => {
  const text = JSON.stringify(policy({ Effect: "Allow", Action: "ess:Describle*", Resource: "*" }, { Effect: "Deny", Action: "ess:DeleteScalingGrup", Resource: "*" }));
  const marks = lintPolicy(text).filter((f) => f.fix).map((f) => [f.path, f.fixWidens === true]);
  t.same(marks, [["/Statement/0/Action", true], ["/Statement/1/Action", false]]);
  const safe = JSON.parse(fixPolicy(text).text) as { Statement: { Action: string }[] };
  t.same(safe.Statement.map((s) => s.Action), ["ess:Describle*", "ess:DeleteScalingGroup"]);
  const all = JSON.parse(fixPolicy(text, { fixType: "widening" }).text) as { Statement: { Action: string }[] };
  t.same(all.Statement.map((s) => s.Action), ["ess:Describe*", "ess:DeleteScalingGroup"]);
});
