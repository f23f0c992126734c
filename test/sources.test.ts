/**
 * The source readers on their own: the edge cases of Terraform templates and YAML that the CLI tests do not
 * reach. Positions are counted by hand from the texts below.
 */
import t from "tap";
import { lintPolicy } from "../src/lint/lint.js";
import { hostFindings } from "../src/sources/document.js";
import { documentsOf } from "../src/sources/discover.js";
import { cli } from "./helpers/cli.js";

const lint = async (file: string, text: string): Promise<string[]> => {
  const found = await documentsOf({ file, text, explicit: true });
  if (!found) return [];
  return [
    ...found.findings,
    ...found.documents.flatMap((d) => hostFindings(d, lintPolicy(d.text, { file, kind: d.kind }))),
  ].map((f) => `${f.line}:${f.column} ${f.ruleId}`);
};

t.test("a heredoc interpolation outside a JSON string is a value of its own, not a syntax error", async (t) => {
  const tf = [
    'resource "alicloud_ram_policy" "p" {',
    "  policy_document = <<-EOT",
    "    {",
    '      "Version": "1",',
    '      "Statement": [{"Effect": "Allow", "Action": ${jsonencode(var.actions)}, "Resource": "*"}]',
    "    }",
    "  EOT",
    "}",
  ].join("\n");
  // `      "Statement": [{"Effect": "Allow", "Action": ` is 50 characters: the interpolation starts at column 51.
  t.same(await lint("p.tf", tf), ["5:51 unrendered-value"]);
  const found = await documentsOf({ file: "p.tf", text: tf, explicit: true });
  t.equal(JSON.parse(found!.documents[0]!.text).Statement[0].Effect, "Allow", "the rest of the document is read");
});

t.test("jsonencode: quoted keys, escapes, numbers, booleans and null; computed keys and templates are not rendered", async (t) => {
  const tf = [
    'resource "alicloud_ram_policy" "p" {',
    "  policy_document = jsonencode({",
    '    "Version" = "1"',
    "    Statement = [{",
    '      Effect    = "Allow"',
    '      Action    = "ess:Describe\\u002A"',
    '      Resource  = "*"',
    "      Condition = { NumericLessThan = { \"acs:MFAAge\" = 3600 }, Bool = { \"acs:MFAPresent\" = true } }",
    "      (var.key) = null",
    "    }]",
    "  })",
    "}",
  ].join("\n");
  const found = await documentsOf({ file: "p.tf", text: tf, explicit: true });
  const doc = found!.documents[0]!;
  t.same(JSON.parse(doc.text), {
    Version: "1",
    Statement: [
      {
        Effect: "Allow",
        Action: "ess:Describe*",
        Resource: "*",
        Condition: { NumericLessThan: { "acs:MFAAge": 3600 }, Bool: { "acs:MFAPresent": true } },
      },
    ],
  });
  // `      (var.key) = null`: the computed key, at column 7 of line 9.
  t.same(doc.unrendered.map((u) => [u.expression, u.span.line, u.span.column]), [["(var.key)", 9, 7]]);
});

t.test("a missing closing brace is an hcl-syntax Error; an attribute that names a data source is not a document", async (t) => {
  t.same(await lint("bad.tf", 'resource "alicloud_ram_policy" "p" {\n  policy_document = "x"\n'), ["1:1 hcl-syntax"]);
  const ref = 'resource "alicloud_ram_policy" "p" {\n  policy_document = data.alicloud_ram_policy_document.d.document\n}\n';
  t.equal(await documentsOf({ file: "ref.tf", text: ref, explicit: true }), undefined, "a named file with nothing to check");
});

t.test("data source: principal and condition blocks render to Principal and Condition", async (t) => {
  const tf = [
    'data "alicloud_ram_policy_document" "trust" {',
    "  statement {",
    '    action = ["ess:DescribeScalingGroups"]',
    '    resource = ["*"]',
    "    principal {",
    '      entity      = "Service"',
    '      identifiers = ["ess.aliyuncs.com"]',
    "    }",
    "    condition {",
    '      operator = "StringEquals"',
    "      variable = var.key",
    '      values   = ["x"]',
    "    }",
    "  }",
    "}",
  ].join("\n");
  const found = await documentsOf({ file: "d.tf", text: tf, explicit: true });
  const doc = found!.documents[0]!;
  t.same(JSON.parse(doc.text), {
    Version: "1",
    Statement: [
      {
        Effect: "Allow",
        Action: ["ess:DescribeScalingGroups"],
        Resource: ["*"],
        Principal: { Service: ["ess.aliyuncs.com"] },
        // The statement keeps its condition (it is not unconditioned), under a placeholder key.
        Condition: { StringEquals: { "${var.key}": ["x"] } },
      },
    ],
  });
  t.equal(doc.kind, "trust", "a Principal makes it a trust policy");
  t.same(doc.unrendered.map((u) => [u.expression, u.path]), [["var.key", "/Statement/0/Condition"]], "a condition on a computed key is not rendered, and said so");
  t.same(
    hostFindings(doc, lintPolicy(doc.text, { file: "d.tf", kind: doc.kind })).map((f) => f.ruleId),
    ["unrendered-value"],
    "nothing is said about the statement that holds it",
  );
});

t.test("YAML: local tags are not rendered, aliases read as their anchor, too deep is an Error", async (t) => {
  const ros = [
    "ROSTemplateFormatVersion: '2015-09-01'",
    "Resources:",
    "  P:",
    "    Type: ALIYUN::RAM::ManagedPolicy",
    "    Properties:",
    "      PolicyDocument:",
    "        Version: '1'",
    "        Statement:",
    "          - Effect: Allow",
    "            Action: &describe ess:DescribeScalingGroups",
    "            Resource: !Sub 'acs:ess:*:${AWS::AccountId}:*'",
    "          - Effect: Allow",
    "            Action: *describe",
    "            Resource: '*'",
  ].join("\n");
  const found = await documentsOf({ file: "t.yaml", text: ros, explicit: true });
  const doc = found!.documents[0]!;
  t.equal(JSON.parse(doc.text).Statement[1].Action, "ess:DescribeScalingGroups");
  // `            Resource: !Sub …`: the tagged value at column 23 of line 11.
  t.same(doc.unrendered.map((u) => [u.path, u.expression, u.span.line, u.span.column]), [["/Statement/0/Resource", "!Sub 'acs:ess:*:${AWS::AccountId}:*'", 11, 23]]);
  t.same((await lint("deep.yaml", "Statement: " + "[".repeat(70) + "]".repeat(70) + "\n")).map((s) => s.split(" ")[1]), ["yaml-syntax"]);
});

t.test("a document in a quoted string: escapes decoded, positions on the .tf characters", async (t) => {
  const tf = [
    'resource "alicloud_ram_policy" "p" {',
    '  policy_document = "{\\"Version\\": \\"1\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"ess:Describle*\\", \\"Resource\\": \\"*\\"}]}"',
    "}",
  ].join("\n");
  // Line 2, piece by piece: `  policy_document = "{` 22, `\"Version\"` 11, `: ` 2, `\"1\"` 5, `, ` 2,
  // `\"Statement\"` 13, `: [{` 4, `\"Effect\"` 10, `: ` 2, `\"Allow\"` 9, `, ` 2, `\"Action\"` 10, `: ` 2 — 94
  // characters: the escaped quote that opens "ess:Describle*" is at column 95.
  t.same(await lint("q.tf", tf), ["2:95 action-unknown"]);
  const found = await documentsOf({ file: "q.tf", text: 'resource "alicloud_ram_policy" "p" {\n  policy_document = "$${x}"\n}\n', explicit: true });
  t.equal(found!.documents[0]!.text, "${x}", "$${ is a literal ${");
});

t.test("eval --request - where there is no standard input to read", async (t) => {
  const r = await cli("eval", "--policy", "policies/admin.json", "--request", "-");
  t.equal(r.code, 2);
  t.match(r.err, "--request -: no standard input to read");
});

t.test("YAML aliases that expand without bound are refused, in bounded work", async (t) => {
  // Ten levels of ten aliases each: 10^10 values if expanded.
  const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i <= 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
  lines.push("Statement: *a10");
  const found = await documentsOf({ file: "bomb.yaml", text: lines.join("\n"), explicit: true });
  t.same(found!.findings.map((f) => [f.ruleId, f.message]), [["yaml-syntax", "YAML expands to more than 100000 values (aliases)"]]);
});
