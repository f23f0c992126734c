/**
 * Set qualifiers `ForAnyValue:` / `ForAllValues:` (docs/semantics.md §3). Expected results come from the contract's words:
 * "ForAnyValue:Op holds when at least one request value satisfies Op (false when the key is absent);
 * ForAllValues:Op holds when every request value satisfies Op (true when the key is absent or has no value)",
 * "a request value that cannot be read as the operator's type makes that condition indeterminate: an
 * indeterminate condition never lets an Allow statement apply, and always lets a Deny statement apply", and the
 * fail-closed readings documented in src/conditions/evaluate.ts. Every decision is checked on the interpreter
 * and on the compiled path.
 */
import t from "tap";
import { compile } from "../src/evaluate/compile.js";
import { makeContext, type RequestContext } from "../src/evaluate/context.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { describeCondition, explainDecision } from "../src/evaluate/explain.js";
import { OPERATOR_NAMES, QUALIFIED_OPERATOR_NAMES } from "../src/conditions/operators.js";
import { fixPolicy, lintPolicy } from "../src/lint/lint.js";
import { parsePolicy } from "../src/policy/parse.js";
import { POLICY_SCHEMA_URL } from "../src/policy/schema.js";
import { lazySchemaValidator } from "../src/policy/schema-validator.js";
import { policyOf } from "./helpers/policies.js";

type Pairs = [string, string][];

/** The decision of one statement with `condition` on `ctx` (a Deny gets an `Allow *` beside it); the compiled path must agree. */
function decideOn(effect: "Allow" | "Deny", condition: Record<string, Record<string, unknown>>, ctx: RequestContext): string {
  const statements: unknown[] = [{ Effect: effect, Action: "ess:*", Resource: "*", Condition: condition }];
  if (effect === "Deny") statements.push({ Effect: "Allow", Action: "ess:*", Resource: "*" });
  const input = { identity: [{ policy: policyOf(statements) }] };
  const interpreted = evaluate(input, ctx).decision;
  const compiled = compile(input).evaluate(ctx).decision;
  if (compiled !== interpreted) throw new Error(`compiled ${compiled}, interpreted ${interpreted}: ${JSON.stringify(condition)}`);
  return interpreted;
}

const withTags = (tags: Pairs, keys: Pairs = []): RequestContext =>
  makeContext({ action: "ess:DeleteScalingGroup", resource: "*", keys, requestTags: tags });

type ConditionBlock = Record<string, Record<string, unknown>>;
const allows = (c: ConditionBlock, ctx: RequestContext): boolean => decideOn("Allow", c, ctx) === "Allow";
/** A Deny "fires" when it turns the `Allow *` beside it into an ExplicitDeny. */
const fires = (c: ConditionBlock, ctx: RequestContext): boolean => decideOn("Deny", c, ctx) === "ExplicitDeny";

t.test("every operator parses alone and behind both qualifiers; the qualifier is kept apart", async (t) => {
  t.equal(QUALIFIED_OPERATOR_NAMES.length, 63, "21 operators × (none, ForAnyValue:, ForAllValues:)");
  for (const op of OPERATOR_NAMES) {
    for (const qualifier of ["ForAnyValue", "ForAllValues"] as const) {
      const value = op.startsWith("Numeric") ? "1" : op.startsWith("Date") ? "2026-01-01T00:00:00Z" : op === "Bool" ? "true" : op.includes("Ip") ? "10.0.0.0/8" : "x";
      const r = parsePolicy(JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { [`${qualifier}:${op}`]: { k: value } } }] }));
      t.same(r.findings, [], `${qualifier}:${op} has no finding (neither the schema nor the parser)`);
      t.same([r.policy?.statements[0]?.conditions[0]?.operator, r.policy?.statements[0]?.conditions[0]?.qualifier], [op, qualifier]);
    }
  }
});

t.test("the shipped JSON Schema (for editors) accepts exactly the 63 operator names", async (t) => {
  const validate = lazySchemaValidator(POLICY_SCHEMA_URL)();
  const docWith = (op: string) => ({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { [op]: { k: "v" } } }] });
  for (const op of QUALIFIED_OPERATOR_NAMES) t.ok(validate(docWith(op)), op);
  for (const op of ["ForAllValue:StringEquals", "ForAnyValue:", "forallvalues:StringEquals", "ForAllValues:Null", "ForAnyValue:ForAllValues:Bool", "StringEqualsIfExists", "xForAnyValue:Bool"]) {
    t.notOk(validate(docWith(op)), `${op} is refused`);
  }
});

t.test("values are checked in the format of the operator under the qualifier", async (t) => {
  const r = parsePolicy(JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { "ForAnyValue:NumericLessThan": { k: "ten" } } }] }));
  t.same(r.findings.map((f) => [f.ruleId, f.message]), [["condition-value-format", '"ten" is not valid for ForAnyValue:NumericLessThan: expected a decimal number']]);
});

t.test("misspelt qualifiers and IfExists/Null/Arn/Binary under a qualifier stay Errors, with did-you-mean and a fix", async (t) => {
  const errorOf = (op: string) => {
    const text = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { [op]: { "acs:RequestTag/team": "game1" } } }] }, null, 2);
    const r = parsePolicy(text);
    t.notOk(r.policy, `${op} rejects the policy`);
    return { finding: r.findings.find((f) => f.ruleId === "condition-operator-unknown"), text };
  };
  for (const [op, suggestion] of [
    ["ForAllValue:StringEquals", "ForAllValues:StringEquals"],
    ["ForAnyValues:StringLike", "ForAnyValue:StringLike"],
    ["forallvalues:stringequals", "ForAllValues:StringEquals"],
    ["ForAllValues:StringEqual", "ForAllValues:StringEquals"],
    ["ForAnyValue:IpAdress", "ForAnyValue:IpAddress"],
  ] as const) {
    const { finding, text } = errorOf(op);
    t.match(finding?.message, `did you mean "${suggestion}"?`, op);
    // Renaming an operator changes what the condition tests: a widening fix, applied only when asked for.
    t.match(fixPolicy(text, { fixType: "widening" }).text, `"${suggestion}"`, `--fix --fix-type widening renames ${op}`);
  }
  for (const op of ["ForAllValues:StringEqualsIfExists", "ForAnyValue:Null", "ForAllValues:ArnLike", "ForAnyValue:BinaryEquals"]) {
    t.match(errorOf(op).finding?.message, /RAM does not support IfExists, Null, Arn or Binary operators/, op);
  }
});

// Alibaba Cloud's PowerUserAccess template, exactly as published in alibabacloud-automation/terraform-alicloud-ram-policy,
// modules/PowerUserAccess/main.tf (the policy_json heredoc).
const POWER_USER = `{
  "Version": "1",
  "Statement": [
    {
      "NotAction": [
        "ram:*",
        "ims:*",
        "resourcemanager:*",
        "resourcesharing:*",
        "bss:ModifyAccount",
        "bss:ModifyBillingAccount",
        "bss:ModifyPaymentRelationship",
        "bssapi:ModifyAccountRelation"
      ],
      "Resource": "*",
      "Effect": "Allow"
    },
    {
      "Action": [
        "ram:ListRoles",
        "ram:GetRole",
        "ram:PassRole",
        "ram:CreateServiceLinkedRole",
        "ram:DeleteServiceLinkedRole",
        "ram:GetServiceLinkedRoleDeletionStatus",
        "ram:CheckServiceLinkedRoleExistence",
        "ram:*ResourceGroup*",
        "resourcemanager:ListAccounts",
        "resourcemanager:GetAccount",
        "resourcemanager:GetResourceDirectory",
        "resourcemanager:GetFolder",
        "resourcemanager:ListFoldersForParent",
        "resourcemanager:ListAccountsForParent"
      ],
      "Resource": "*",
      "Effect": "Allow"
    },
    {
      "Effect": "Allow",
      "Action": [
        "ram:CreateRole",
        "ram:AttachPolicyToRole"
      ],
      "Resource": "acs:ram:*:*:role/*",
      "Condition": {
        "ForAllValues:StringEquals": {
          "ram:TrustedPrincipalTypes": "Service"
        }
      }
    },
    {
      "Effect": "Allow",
      "Action": "ram:AttachPolicyToRole",
      "Resource": "acs:ram:*:*:policy/*"
    }
  ]
}
`;

t.test("Alibaba's power-user template parses, lints without Error and decides by the set semantics", async (t) => {
  const parsed = parsePolicy(POWER_USER, { name: "PowerUserAccess" });
  t.ok(parsed.policy, "the template loads");
  t.same(lintPolicy(POWER_USER).filter((f) => f.severity === "Error"), [], "no Error finding");
  const input = { identity: [{ policy: parsed.policy! }] };
  const createRole = (types?: string[]) =>
    makeContext({ action: "ram:CreateRole", resource: "acs:ram::1609982529920904:role/ecs-role", keys: (types ?? []).map((v): [string, string] => ["ram:TrustedPrincipalTypes", v]) });
  const both = (ctx: RequestContext) => {
    const d = evaluate(input, ctx).decision;
    t.equal(compile(input).evaluate(ctx).decision, d);
    return d;
  };
  t.equal(both(createRole(["Service"])), "Allow", "a role trusted by a service only");
  t.equal(both(createRole(["Service", "Account"])), "ImplicitDeny", "a role trusting an account too: not every value is Service");
  t.equal(both(createRole(["Account"])), "ImplicitDeny");
  t.equal(both(createRole()), "Allow", "no trusted principal types: ForAllValues: holds on the empty set");
});

t.test("ForAnyValue: at least one request value satisfies the operator; false when the key is absent", async (t) => {
  const c = { "ForAnyValue:StringEquals": { "acs:RequestTag/team": ["game1", "game2"] } };
  t.ok(allows(c, withTags([["team", "game1"]])));
  t.ok(allows(c, withTags([["team", "dev"], ["team", "game2"]])), "one of several values is enough, in an Allow too");
  t.notOk(allows(c, withTags([["team", "dev"], ["team", "ops"]])));
  t.notOk(allows(c, withTags([])), "absent key: false");
  t.ok(fires(c, withTags([["team", "dev"], ["team", "game1"]])));
  t.notOk(fires(c, withTags([])), "absent key: a Deny does not fire");
});

t.test("ForAllValues: every request value satisfies the operator; true when the key is absent or has no value", async (t) => {
  const c = { "ForAllValues:StringEquals": { "acs:RequestTag/team": ["game1", "game2"] } };
  t.ok(allows(c, withTags([["team", "game1"], ["team", "game2"]])));
  t.notOk(allows(c, withTags([["team", "game1"], ["team", "dev"]])), "one value outside the set");
  t.ok(allows(c, withTags([])), "absent key: true (vacuously)");
  t.ok(fires(c, withTags([])), "absent key: a Deny fires");
  t.notOk(fires(c, withTags([["team", "game1"], ["team", "dev"]])), "a Deny needs every value too");
  const noValue: RequestContext = { action: "ess:DeleteScalingGroup", resource: "*", values: new Map([["acs:requesttag/team", []]]) };
  t.ok(allows(c, noValue), "a key with no value: ForAllValues: holds");
  t.notOk(allows({ "ForAnyValue:StringEquals": c["ForAllValues:StringEquals"] }, noValue), "a key with no value: ForAnyValue: does not");
});

t.test("without a qualifier a multi-valued key keeps the ambiguous-tags reading", async (t) => {
  const c = { StringEquals: { "acs:RequestTag/team": "game1" } };
  const mixed = withTags([["team", "game1"], ["team", "dev"]]);
  t.notOk(allows(c, mixed), "an Allow needs every value");
  t.ok(fires(c, mixed), "a Deny fires on any value");
});

t.test("negated operators under a qualifier range over the per-value NOR", async (t) => {
  const all = { "ForAllValues:StringNotEquals": { "acs:RequestTag/env": ["prod", "staging"] } };
  t.ok(allows(all, withTags([["env", "dev"], ["env", "test"]])), "no value is prod or staging");
  t.notOk(allows(all, withTags([["env", "dev"], ["env", "prod"]])));
  t.ok(allows(all, withTags([])), "absent: true, as every ForAllValues:");
  const any = { "ForAnyValue:StringNotEquals": { "acs:RequestTag/env": "prod" } };
  t.ok(allows(any, withTags([["env", "prod"], ["env", "dev"]])), "dev is not prod");
  t.notOk(allows(any, withTags([["env", "prod"]])));
  t.notOk(allows(any, withTags([])), "absent: false, although the operator is negated");
  t.notOk(fires(any, withTags([])));
  t.ok(fires({ "ForAllValues:NotIpAddress": { "acs:SourceIp": "10.0.0.0/8" } }, withTags([], [["acs:SourceIp", "192.168.0.1"]])));
});

t.test("an unreadable value makes a qualified condition indeterminate: an Allow never applies, a Deny always does", async (t) => {
  const cases: [string, string, Pairs][] = [
    ["ForAnyValue:NumericLessThan", "10", [["k", "5"], ["k", "ten"]]],
    ["ForAllValues:NumericLessThan", "10", [["k", "5"], ["k", "ten"]]],
    ["ForAnyValue:IpAddress", "10.0.0.0/8", [["acs:SourceIp", "10.1.2.3"], ["acs:sourceip", "not-an-ip"]]],
    ["ForAllValues:DateLessThan", "2030-01-01T00:00:00Z", [["k", "2026-01-01T00:00:00Z"], ["K", "tomorrow"]]],
    ["ForAllValues:Bool", "true", [["k", "TRUE"]]],
  ];
  for (const [op, policyValue, keys] of cases) {
    const c = { [op]: { [keys[0]![0]]: policyValue } };
    t.notOk(allows(c, withTags([], keys)), `Allow ${op} with ${JSON.stringify(keys)}`);
    t.ok(fires(c, withTags([], keys)), `Deny ${op} with ${JSON.stringify(keys)}`);
  }
  t.ok(allows({ "ForAllValues:NumericLessThan": { k: "10" } }, withTags([], [["k", "5"], ["k", "9.5"]])), "readable values decide as usual");
});

t.test("case-variant tag keys: the values of all variants form the set", async (t) => {
  const resource = (tags: Pairs): RequestContext => makeContext({ action: "ess:DeleteScalingGroup", resource: "*", resourceTags: tags });
  const variants: Pairs = [["team", "game1"], ["TEAM", "game2"]];
  t.notOk(allows({ "ForAllValues:StringEquals": { "acs:ResourceTag/Team": "game1" } }, resource(variants)), "game2 under TEAM is a value of Team too");
  t.ok(allows({ "ForAllValues:StringEquals": { "acs:ResourceTag/Team": ["game1", "game2"] } }, resource(variants)));
  t.ok(allows({ "ForAnyValue:StringEquals": { "acs:ResourceTag/Team": "game2" } }, resource(variants)));
});

t.test("the trace says how each value fared; explainDecision names failing values and vacuous holds", async (t) => {
  const policy = policyOf([{ Sid: "tags", Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { "ForAllValues:StringEquals": { "acs:RequestTag/team": ["game1", "game2"] } } }]);
  const mixed = evaluate({ identity: [{ policy }] }, withTags([["team", "game1"], ["Team", "dev"]]), { trace: true });
  const c = mixed.trace![0]!.conditions[0]!;
  t.same(
    [c.operator, c.qualifier, c.satisfied, c.requestValues, c.requestOutcomes, c.reason],
    ["ForAllValues:StringEquals", "ForAllValues", false, ["game1", "dev"], ["satisfies", "fails"], "ConditionValueMismatch"],
  );
  t.match(explainDecision(mixed), 'ForAllValues:StringEquals acs:RequestTag/team: every request value must satisfy "game1" or "game2", but "game1" satisfies it; "dev" does not');

  const absent = evaluate({ identity: [{ policy }] }, withTags([]), { trace: true });
  t.equal(absent.decision, "Allow");
  t.same(absent.trace![0]!.conditions[0]!.requestValues, null);
  t.match(explainDecision(absent), /ALLOW .*applies; ForAllValues:StringEquals acs:RequestTag\/team: holds only because the request has no acs:RequestTag\/team/);

  const anyPolicy = policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { "ForAnyValue:NumericLessThan": { k: "10" } } }]);
  const unreadable = evaluate({ identity: [{ policy: anyPolicy }] }, withTags([], [["k", "12"], ["k", "x"]]), { trace: true });
  t.same(unreadable.trace![0]!.conditions[0]!.requestOutcomes, ["fails", "indeterminate"]);
  t.match(explainDecision(unreadable), 'request value "x" cannot be read as the operator\'s type');
  const none = evaluate({ identity: [{ policy: anyPolicy }] }, withTags([]), { trace: true });
  t.match(explainDecision(none), "the request has no k (wanted \"10\"; ForAnyValue: is false on an absent key)");
  const missed = evaluate({ identity: [{ policy: anyPolicy }] }, withTags([], [["k", "12"], ["k", "15"]]), { trace: true });
  t.match(explainDecision(missed), 'no request value ("12", "15") satisfies "10"');
  const held = evaluate({ identity: [{ policy: anyPolicy }] }, withTags([], [["k", "12"], ["k", "5"]]), { trace: true });
  t.equal(held.decision, "Allow");
  t.same(held.trace![0]!.conditions[0]!.requestOutcomes, ["fails", "satisfies"]);
  t.equal(describeCondition(held.trace![0]!.conditions[0]!), 'ForAnyValue:NumericLessThan k: holds ("5" satisfies it; "12" does not)', "the playground's line for a qualified condition that held");
  const plain = evaluate({ identity: [{ policy: policyOf([{ Effect: "Allow", Action: "ess:*", Resource: "*", Condition: { StringEquals: { k: "v" } } }]) }] }, withTags([], [["k", "v"]]), { trace: true });
  t.equal(describeCondition(plain.trace![0]!.conditions[0]!), "StringEquals k: holds (\"v\" satisfies it)");
});

// ---- lint: condition-forallvalues-key-absent and the other rules under qualifiers ----

const lintIds = (statements: unknown[]): string[] => lintPolicy(JSON.stringify({ Version: "1", Statement: statements })).map((f) => `${f.severity} ${f.ruleId}`);
const VACUOUS = "SecurityWarning condition-forallvalues-key-absent";

t.test("an Allow relying on ForAllValues: over a key a request may lack is a SecurityWarning", async (t) => {
  const allow = (condition: unknown, action: unknown = "ess:CreateScalingGroup") => ({ Effect: "Allow", Action: action, Resource: "*", Condition: condition });
  t.ok(lintIds([allow({ "ForAllValues:StringEquals": { "acs:RequestTag/team": "game1" } })]).includes(VACUOUS), "a request tag may be missing");
  t.ok(lintIds([allow({ "ForAllValues:StringLike": { "acs:ResourceTag/team": "game*" } }, "ess:DeleteScalingGroup")]).includes(VACUOUS), "a group tag may be missing");
  t.ok(lintIds([allow({ "ForAllValues:StringEquals": { "acs:SourceVpc": "vpc-1" } })]).includes(VACUOUS), "acs:SourceVpc exists only behind a trusted gateway");
  t.ok(lintIds([allow({ "ForAllValues:StringEquals": { "acs:TagKeys": "team" } })]).includes(VACUOUS), "acs:TagKeys is never present for ESS");
  t.ok(lintIds([allow({ "ForAllValues:StringNotEquals": { "acs:RequestTag/env": "prod" } }, ["ess:CreateScalingGroup", "ess:DeleteScalingGroup"])]).includes(VACUOUS));
  const message = lintPolicy(JSON.stringify({ Version: "1", Statement: [allow({ "ForAllValues:StringEquals": { "acs:RequestTag/team": "game1" } }, ["ess:CreateScalingGroup", "ess:DeleteScalingGroup"])] }))
    .find((f) => f.ruleId === "condition-forallvalues-key-absent")?.message;
  t.match(message, /ess:DeleteScalingGroup never carry it; add ForAnyValue:StringEquals with the same values to require the key/);

  t.notOk(lintIds([allow({ "ForAllValues:IpAddress": { "acs:SourceIp": "10.0.0.0/8" } })]).includes(VACUOUS), "acs:SourceIp is on every request");
  t.same(lintIds([allow({ "ForAllValues:StringEquals": { "": "x" } })]), ["Error condition-key-empty"], "an empty key is the parser's Error alone");
  t.notOk(lintIds([{ ...allow({ "ForAllValues:StringEquals": { "acs:RequestTag/team": "game1" } }), Effect: "Deny" }]).includes(VACUOUS), "a vacuous Deny denies more, not less");
  t.same(lintIds([allow({ "ForAllValues:StringEquals": { "acs:RequestTag/team": "game1" }, "ForAnyValue:StringEquals": { "acs:RequestTag/team": "game1" } })]), [], "ForAnyValue: requires the key");
  t.notOk(lintIds([allow({ "ForAllValues:StringEquals": { "acs:RequestTag/team": "game1" }, StringLike: { "acs:RequestTag/team": "*" } })]).includes(VACUOUS), "a positive operator requires the key");
  t.notOk(lintIds([allow({ "ForAllValues:StringEquals": { "ram:TrustedPrincipalTypes": "Service" } }, "ram:CreateRole")]).includes(VACUOUS), "another service's key: the linter does not know when it is present");
  t.ok(lintIds([allow({ "ForAllValues:StringEquals": { "ram:TrustedPrincipalTypes": "Service" } })]).includes(VACUOUS), "on an ESS statement another service's key is never present");
});

t.test("absence rules read the qualifier: ForAnyValue: is false on a missing key, ForAllValues: true", async (t) => {
  const allow = (condition: unknown, action: unknown) => ({ Effect: "Allow", Action: action, Resource: "*", Condition: condition });
  // DeleteScalingGroup has no tag parameters: its requests never carry acs:RequestTag/*.
  t.ok(lintIds([allow({ "ForAnyValue:StringNotEquals": { "acs:RequestTag/env": "prod" } }, "ess:DeleteScalingGroup")]).includes("Error allow-never-matches"), "ForAnyValue: on a key never present grants nothing");
  t.notOk(lintIds([allow({ "ForAllValues:StringNotEquals": { "acs:RequestTag/env": "prod" } }, ["ess:CreateScalingGroup", "ess:DeleteScalingGroup"])]).includes("SecurityWarning condition-negated-key-absent"), "one finding for a vacuous ForAllValues:, not two");
  t.ok(lintIds([allow({ StringNotEquals: { "acs:RequestTag/env": "prod" } }, ["ess:CreateScalingGroup", "ess:DeleteScalingGroup"])]).includes("SecurityWarning condition-negated-key-absent"), "unqualified negated operators keep their rule");
  t.ok(lintIds([{ Effect: "Deny", Action: "ess:DeleteScalingGroup", Resource: "*", Condition: { "ForAnyValue:StringEquals": { "acs:RequestTag/env": "prod" } } }, { Effect: "Allow", Action: "ess:*", Resource: "*" }]).includes("SecurityWarning deny-never-matches"));
  t.notOk(
    lintIds([allow({ "ForAllValues:StringEquals": { "acs:ResourceTag/env": "prod" }, "ForAllValues:StringNotEquals": { "acs:ResourceTag/env": "prod" } }, "ess:DeleteScalingGroup")]).includes("Error allow-never-matches"),
    "not a contradiction: a group without the tag satisfies both",
  );
  t.match(
    lintPolicy(JSON.stringify({ Version: "1", Statement: [allow({ "ForAllValues:StringEquals": { "acs:TagKeys": "team" } }, "ess:CreateScalingGroup")] })).find((f) => f.ruleId === "condition-tag-keys-unsupported")?.message,
    /this ForAllValues: condition always holds/,
  );
});
