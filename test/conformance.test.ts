/**
 * The applicable RAM conformance examples of test/fixtures/ram-conformance-examples.md (each with its Alibaba Cloud
 * source), numbered as there. Resource-based (OSS bucket, trust) examples 41–46 are out of scope: ess-authz
 * evaluates identity, session and control policies. #48 follows docs/semantics.md §3 (a missing acs:SourceVpc is
 * absent, not ""), which wins over the example's documented reading.
 */
import t from "tap";
import { makeContext, type ContextInput } from "../src/evaluate/context.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import type { EvaluationInput } from "../src/evaluate/decision.js";
import type { PolicyKind } from "../src/policy/ast.js";
import { policyOf, ruleIds } from "./helpers/policies.js";

const user = (...statementLists: unknown[][]): EvaluationInput => ({
  identity: statementLists.map((s, i) => ({ policy: policyOf(s, `p${i}`) })),
});
const run = (input: EvaluationInput, action: string, resource = "*", rest: Omit<ContextInput, "action" | "resource"> = {}) =>
  evaluate(input, makeContext({ action, resource, ...rest })).decision;
const A = (Action: unknown, Resource: unknown = "*", Condition?: unknown) => ({ Effect: "Allow", Action, Resource, ...(Condition ? { Condition } : {}) });
const D = (Action: unknown, Resource: unknown = "*", Condition?: unknown) => ({ Effect: "Deny", Action, Resource, ...(Condition ? { Condition } : {}) });

t.test("#1–#10 actions", async (t) => {
  t.equal(run({ identity: [] }, "ecs:DescribeInstances"), "ImplicitDeny", "#1");
  t.equal(run(user([A("ecs:*")]), "ecs:DescribeInstances"), "Allow", "#2");
  t.equal(run(user([A("ecs:*"), D("ecs:DeleteInstance")]), "ecs:DeleteInstance"), "ExplicitDeny", "#3");
  t.equal(run(user([A("ecs:*")], [D("ecs:DeleteInstance")]), "ecs:DeleteInstance"), "ExplicitDeny", "#4 group policy");
  t.equal(run(user([A("ecs:Describe*")]), "ecs:DescribeInstances"), "Allow", "#5");
  t.equal(run(user([A("ecs:Describe*")]), "ecs:CreateInstance"), "ImplicitDeny", "#5");
  t.equal(run(user([A("ecs:Describe?nstances")]), "ecs:DescribeInstances"), "Allow", "#6");
  t.equal(run(user([A("ecs:Describe?nstances")]), "ecs:DescribeXXnstances"), "ImplicitDeny", "#6");
  t.equal(run(user([A("ecs:describeinstances")]), "ecs:DescribeInstances"), "Allow", "#7");
  t.equal(run(user([A("*:ListTagResources")]), "ecs:ListTagResources"), "Allow", "#8");
  t.equal(run(user([A("*:ListTagResources")]), "ecs:ListTagKeys"), "ImplicitDeny", "#8");
  const notRam = user([{ Effect: "Allow", NotAction: "ram:*", Resource: "*" }]);
  t.equal(run(notRam, "ecs:DescribeInstances"), "Allow", "#9");
  t.equal(run(notRam, "ram:CreateUser"), "ImplicitDeny", "#9");
  const p10 = user([A("*"), { Effect: "Deny", NotAction: ["ecs:*"], Resource: "*" }]);
  t.equal(run(p10, "oss:GetObject"), "ExplicitDeny", "#10");
  t.equal(run(p10, "ecs:StartInstance"), "Allow", "#10");
});

t.test("#11–#15 resources", async (t) => {
  const p11 = user([A("oss:GetObject", "acs:oss:*:*:app-base-oss/user1/*")]);
  t.equal(run(p11, "oss:GetObject", "acs:oss:cn-hangzhou:111:app-base-oss/user1/test.txt"), "Allow", "#11");
  t.equal(run(p11, "oss:GetObject", "acs:oss:cn-hangzhou:111:app-base-oss/test.txt"), "ImplicitDeny", "#11");
  t.equal(run(user([A("oss:GetObject", "acs:oss:*:*:mybucket/*")]), "oss:GetObject", "acs:oss:cn-hangzhou:111:mybucket/a/b/c.jpg"), "Allow", "#12");
  t.equal(run(user([A("oss:ListObjects", "acs:oss:*:*:mybucket/*")]), "oss:ListObjects", "acs:oss:cn-hangzhou:111:mybucket"), "ImplicitDeny", "#13");
  const p14 = user([A("ecs:*", ["acs:*:*cn-beijing*:*:*"])]);
  t.equal(run(p14, "ecs:StartInstance", "acs:ecs:cn-beijing:111:instance/i-1"), "Allow", "#14");
  t.equal(run(p14, "ecs:StartInstance", "acs:ecs:cn-hangzhou:111:instance/i-1"), "ImplicitDeny", "#14");
  const p15 = user([A("*"), D("ram:UpdateUser", "*", { StringNotLike: { "acs:PrincipalARN": "acs:ram:*:*:role/myservicerole" } })]);
  t.equal(run(p15, "ram:UpdateUser", "*", { keys: { "acs:PrincipalARN": "acs:ram::111:role/myservicerole" } }), "Allow", "#15");
  t.equal(run(p15, "ram:UpdateUser", "*", { keys: { "acs:PrincipalARN": "acs:ram::111:user/u1" } }), "ExplicitDeny", "#15");
});

t.test("#16–#23 global keys and combination", async (t) => {
  const ip = (v: string) => ({ keys: { "acs:SourceIp": v } });
  const p16 = user([A("ecs:*", "*", { IpAddress: { "acs:SourceIp": "192.168.0.0/16" } })]);
  t.equal(run(p16, "ecs:StartInstance", "*", ip("192.168.10.1")), "Allow", "#16");
  t.equal(run(p16, "ecs:StartInstance", "*", ip("10.0.0.1")), "ImplicitDeny", "#16");
  const p17 = user([A("*"), D("*", "*", { NotIpAddress: { "acs:SourceIp": ["192.168.0.0/16"] } })]);
  t.equal(run(p17, "ecs:StartInstance", "*", ip("10.1.1.1")), "ExplicitDeny", "#17");
  t.equal(run(p17, "ecs:StartInstance", "*", ip("192.168.1.1")), "Allow", "#17");
  const p18 = user([A("*", "*", { IpAddress: { "acs:SourceIp": ["192.168.0.0/16", "198.51.100.0/24"] } })]);
  t.equal(run(p18, "ecs:StartInstance", "*", ip("198.51.100.7")), "Allow", "#18");
  const p19 = user([A("ecs:*", "*", { DateLessThan: { "acs:CurrentTime": "2019-08-12T17:00:00+08:00" } })]);
  t.equal(run(p19, "ecs:StartInstance", "*", { keys: { "acs:CurrentTime": "2019-08-12T08:59:59Z" } }), "Allow", "#19");
  t.equal(run(p19, "ecs:StartInstance", "*", { keys: { "acs:CurrentTime": "2019-08-12T09:00:00Z" } }), "ImplicitDeny", "#19");
  const p20 = user([A("ecs:*", "*", { Bool: { "acs:SecureTransport": "true" } })]);
  t.equal(run(p20, "ecs:StartInstance", "*", { keys: { "acs:SecureTransport": "true" } }), "Allow", "#20");
  t.equal(run(p20, "ecs:StartInstance", "*", { keys: { "acs:SecureTransport": "false" } }), "ImplicitDeny", "#20");
  const p21 = user([A("ecs:*", "*", { Bool: { "acs:MFAPresent": "true" } })]);
  t.equal(run(p21, "ecs:StartInstance", "*", { keys: { "acs:MFAPresent": "false" } }), "ImplicitDeny", "#21");
  const p22 = user([A(["oss:GetBucketAcl", "oss:ListObjects"], "acs:oss:*:111:mybucket", {
    StringEquals: { "acs:UserAgent": "java-sdk", "oss:Prefix": "foo" }, IpAddress: { "acs:SourceIp": "192.168.0.1" },
  })]);
  const k22 = (prefix: string) => ({ keys: { "acs:UserAgent": "java-sdk", "oss:Prefix": prefix, "acs:SourceIp": "192.168.0.1" } });
  t.equal(run(p22, "oss:ListObjects", "acs:oss:cn-hangzhou:111:mybucket", k22("foo")), "Allow", "#22");
  t.equal(run(p22, "oss:ListObjects", "acs:oss:cn-hangzhou:111:mybucket", k22("bar")), "ImplicitDeny", "#22");
  const p23 = user([A("*", "*", { IpAddress: { "acs:SourceIp": "192.168.0.0/16" }, Bool: { "acs:SecureTransport": "true" } })]);
  t.equal(run(p23, "ecs:StartInstance", "*", { keys: { "acs:SourceIp": "192.168.1.1", "acs:SecureTransport": "false" } }), "ImplicitDeny", "#23");
});

t.test("#24–#31 tags and string operators", async (t) => {
  const inst = "acs:ecs:cn-hangzhou:111:instance/i-1";
  const p24 = user([A("ecs:*", "*", { StringEquals: { "acs:ResourceTag/team": ["dev"] } })]);
  t.equal(run(p24, "ecs:StartInstance", inst, { resourceTags: [["team", "dev"]] }), "Allow", "#24");
  t.equal(run(p24, "ecs:StartInstance", inst, { resourceTags: [["team", "Dev"]] }), "ImplicitDeny", "#24");
  const p25 = user([A("ecs:*", "*", { StringEqualsIgnoreCase: { "acs:ResourceTag/team": ["dev"] } })]);
  t.equal(run(p25, "ecs:StartInstance", inst, { resourceTags: [["team", "Dev"]] }), "Allow", "#25");
  const p26 = user([A("oss:ListObjects", "acs:oss:*:*:myphotos", { StringLike: { "oss:Prefix": "hangzhou/2015/*" } })]);
  t.equal(run(p26, "oss:ListObjects", "acs:oss:cn-hangzhou:111:myphotos", { keys: { "oss:Prefix": "hangzhou/2015/" } }), "Allow", "#26");
  t.equal(run(p26, "oss:ListObjects", "acs:oss:cn-hangzhou:111:myphotos", { keys: { "oss:Prefix": "hangzhou/2016/" } }), "ImplicitDeny", "#26");
  const p27 = user([A("*"), D("oss:PutObject", "*", { StringNotEquals: { "oss:x-oss-object-acl": ["private", "default"] } })]);
  t.equal(run(p27, "oss:PutObject", "*", { keys: { "oss:x-oss-object-acl": "default" } }), "Allow", "#27");
  t.equal(run(p27, "oss:PutObject", "*", { keys: { "oss:x-oss-object-acl": "public-read" } }), "ExplicitDeny", "#27");
  const p28 = user([A("eci:Create*", "*", { StringEquals: { "acs:RequestTag/env": "test" } })]);
  t.equal(run(p28, "eci:CreateContainerGroup", "*", { requestTags: [["env", "test"], ["team", "a"]] }), "Allow", "#28");
  t.equal(run(p28, "eci:CreateContainerGroup", "*"), "ImplicitDeny", "#28");
  t.equal(run(p28, "eci:CreateContainerGroup", "*", { requestTags: [["env", "prod"]] }), "ImplicitDeny", "#28");
  const p29 = user([A("eci:*", "*", { StringEquals: { "acs:ResourceTag/env": "test" } })]);
  t.equal(run(p29, "eci:DeleteContainerGroup", "acs:eci:cn-hangzhou:111:containergroup/eci-1", { resourceTags: [["env", "test"]] }), "Allow", "#29");
  t.equal(run(p29, "eci:DeleteContainerGroup", "acs:eci:cn-hangzhou:111:containergroup/eci-1"), "ImplicitDeny", "#29");
  const p30 = user([A("eci:Describe*", "*", { StringEquals: { "acs:RequestTag/env": "test" } })]);
  t.equal(run(p30, "eci:DescribeContainerGroups"), "ImplicitDeny", "#30");
  const p31 = user([A("ecs:*", "*", { StringEquals: { "acs:ResourceTag/team": "dev" } })]);
  t.equal(run(p31, "ecs:RunInstances"), "ImplicitDeny", "#31");
});

t.test("#32–#40 control, session and scope (see evaluate.test.ts for #33–#35 and #38–#40 in detail)", async (t) => {
  const cp = (s: unknown[], name: string) => policyOf(s, name, "control");
  const admin = user([A("*")]);
  const deny32 = cp([D(["ram:UpdateUser"])], "deny");
  const full = cp([A("*")], "FullAliyunAccess");
  t.equal(run({ ...admin, control: { levels: [[deny32, full]] } }, "ram:UpdateUser"), "ExplicitDeny", "#32");
  t.equal(run({ ...admin, principalType: "Root", control: { levels: [[deny32, full]] } }, "ram:UpdateUser"), "Allow", "#33");
  t.equal(run({ ...admin, control: { levels: [[deny32]] } }, "ecs:DescribeInstances"), "ImplicitDeny", "#34");
  t.equal(run({ ...admin, principalType: "ServiceLinkedRole", control: { levels: [[deny32, full]] } }, "ram:UpdateUser"), "Allow", "#35");
  const role = { principalType: "AssumedRoleUser" as const, identity: [{ policy: policyOf([A("oss:*")], "role") }] };
  const session = policyOf([A("oss:GetObject")], "session", "session");
  t.equal(run({ ...role, session }, "oss:PutObject"), "ImplicitDeny", "#36");
  t.equal(run({ ...role, session }, "oss:GetObject"), "Allow", "#36");
  t.equal(run({ ...role, identity: [{ policy: policyOf([A("oss:PutObject")], "r") }], session }, "oss:GetObject"), "ImplicitDeny", "#37");
});

t.test("#47, #48, #48a: missing keys (docs/semantics.md §3 wins over the example #48)", async (t) => {
  const p47 = user([A("oss:*", "*", { IpAddress: { "acs:SourceIp": "192.168.0.0/16" }, StringNotLike: { "acs:SourceVpc": ["vpc-*"] } })]);
  t.equal(run(p47, "oss:GetObject", "*", { keys: { "acs:SourceIp": "192.168.3.4" } }), "Allow", "#47 internet request");
  t.equal(run(p47, "oss:GetObject", "*", { keys: { "acs:SourceIp": "192.168.3.4", "acs:SourceVpc": "vpc-9" } }), "ImplicitDeny", "#47 VPC request");
  const p48 = user([A("oss:*", "acs:oss:*:*:mybucket*"), D("oss:*", "acs:oss:*:*:*", { NotIpAddress: { "acs:SourceIp": "192.168.0.0/16" }, StringLike: { "acs:SourceVpc": ["*"] } })]);
  t.equal(run(p48, "oss:GetObject", "acs:oss:cn-hangzhou:111:mybucket/x", { keys: { "acs:SourceIp": "10.0.0.1" } }), "Allow", "#48: absent SourceVpc never satisfies StringLike");
  const p48a = user([A("svc:Op", "*", { NumericLessThan: { "svc:Count": "10" } })]);
  t.equal(run(p48a, "svc:Op", "*", { keys: { "svc:Count": "9" } }), "Allow", "#48a");
  t.equal(run(p48a, "svc:Op", "*", { keys: { "svc:Count": "10" } }), "ImplicitDeny", "#48a");
  t.equal(run(p48a, "svc:Op"), "ImplicitDeny", "#48a absent");
});

t.test("#49–#57 validation", async (t) => {
  const doc = (s: unknown) => JSON.stringify({ Version: "1", Statement: [s] });
  const ok = { Effect: "Allow", Action: "ess:*", Resource: "*" };
  t.same(ruleIds(doc({ ...ok, Effect: "allow" })), ["effect-invalid"], "#49");
  t.same(ruleIds(JSON.stringify({ Version: "2012-10-17", Statement: [ok] })), ["version-invalid"], "#50");
  t.same(ruleIds(doc({ ...ok, NotAction: "x:y" })), ["action-exclusive"], "#51");
  t.same(ruleIds(doc({ Effect: "Allow", Action: "ess:*", NotResource: "x" })), ["not-resource-unsupported"], "#52 (docs/semantics.md §1: Error)");
  const big = JSON.stringify({ Version: "1", Statement: [{ ...ok, Resource: "" }] });
  t.same(ruleIds(JSON.stringify({ Version: "1", Statement: [{ ...ok, Resource: "x".repeat(6145 - big.length) }] })), ["policy-too-large"], "#53");
  for (const op of ["ForAnyValue:StringEqualsIfExists", "StringEqualsIfExists", "Null", "ForAllValues:Null"]) {
    t.same(ruleIds(doc({ ...ok, Condition: { [op]: { k: "v" } } })), ["condition-operator-unknown"], `#54 ${op}`);
  }
  t.same(ruleIds(doc({ ...ok, Condition: { "ForAllValues:StringEquals": { k: "v" } } })), [], "#54: set qualifiers are RAM syntax");
  const r55 = ruleIds(doc({ ...ok, Condition: { Bool: { "acs:SecureTransport": true } } }));
  t.same(r55, ["condition-value-unquoted"], "#55 warning only");
  const kind: PolicyKind = "trust";
  t.same(ruleIds(doc({ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: ["ecs.aliyuncs.com"] } }), kind), [], "#56");
  t.same(ruleIds(doc({ Effect: "Allow", Action: "ecs:*" })), ["element-missing"], "#57");
});
