// Fix mechanics (patches as minimal text edits, verified), the text formatter's edges, and path expansion.
import t from "tap";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyPatchToText, combinePatches, editForPatch, serializeLike } from "../src/lint/fixes.js";
import { caretLines, formatText, summaryLine } from "../src/lint/format/text.js";
import { collectInputs } from "../src/lint/files.js";
import { fixPolicy, lintPolicy } from "../src/lint/lint.js";
import { parseJsonSource, type JsonSource } from "../src/policy/json-source.js";
import type { Finding } from "../src/policy/findings.js";

function sourceOf(text: string): JsonSource {
  const r = parseJsonSource(text);
  if (!r.ok) throw new Error("not JSON");
  return r.source;
}

t.test("removals take one separating comma with the member", async (t) => {
  const text = '{\n  "a": [1, 2, 3],\n  "b": {"x": 1, "y": 2},\n  "c": [4]\n}\n';
  const s = sourceOf(text);
  t.equal(applyPatchToText(s, [{ op: "remove", path: "/a/0" }]), '{\n  "a": [2, 3],\n  "b": {"x": 1, "y": 2},\n  "c": [4]\n}\n', "first element");
  t.equal(applyPatchToText(s, [{ op: "remove", path: "/a/2" }]), '{\n  "a": [1, 2],\n  "b": {"x": 1, "y": 2},\n  "c": [4]\n}\n', "last element");
  t.equal(applyPatchToText(s, [{ op: "remove", path: "/c/0" }]), '{\n  "a": [1, 2, 3],\n  "b": {"x": 1, "y": 2},\n  "c": []\n}\n', "only element");
  t.equal(applyPatchToText(s, [{ op: "remove", path: "/b/y" }]), '{\n  "a": [1, 2, 3],\n  "b": {"x": 1},\n  "c": [4]\n}\n', "last member");
  t.equal(applyPatchToText(s, [{ op: "remove", path: "/b" }]), '{\n  "a": [1, 2, 3],\n  "c": [4]\n}\n', "a member and its line");
  t.equal(applyPatchToText(s, [{ op: "move", from: "/b/x", path: "/b/z" }]), '{\n  "a": [1, 2, 3],\n  "b": {"z": 1, "y": 2},\n  "c": [4]\n}\n', "rename in place");
  t.equal(applyPatchToText(s, [{ op: "replace", path: "/c/0", value: "v" }]), '{\n  "a": [1, 2, 3],\n  "b": {"x": 1, "y": 2},\n  "c": ["v"]\n}\n');
  t.throws(() => applyPatchToText(s, [{ op: "remove", path: "/nope" }]), "a patch that does not apply throws");
});

t.test("patches without a minimal edit are applied and the document re-serialized in its own indentation", async (t) => {
  const tabs = '{\n\t"a": [1]\n}\n';
  const s = sourceOf(tabs);
  t.equal(editForPatch(s, [{ op: "add", path: "/b", value: 2 }]), undefined);
  t.equal(applyPatchToText(s, [{ op: "add", path: "/b", value: 2 }]), '{\n\t"a": [\n\t\t1\n\t],\n\t"b": 2\n}\n');
  t.equal(editForPatch(s, [{ op: "move", from: "/a", path: "/x/a" }]), undefined, "a move to another object is no rename");
  t.equal(editForPatch(s, [{ op: "replace", path: "/a/0", value: 1 }, { op: "replace", path: "/a/0", value: 2 }]), undefined, "one operation at a time");
  t.equal(serializeLike({ a: 1 }, "{}"), '{\n  "a": 1\n}', "two spaces when the original has no indentation, no newline when it had none");
  const bom = "\uFEFF" + '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ess:describeregions", "Resource": "*"}]}';
  t.equal(fixPolicy(bom).text, JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:DescribeRegions", Resource: "*" }] }, null, 2), "text JSON.parse refuses is re-serialized");
});

t.test("patches that touch separate parts of a document are applied together, from the end backwards", async (t) => {
  const text = '{\n  "a": [1, 2, 3, 4],\n  "b": {"x": 1, "y": 2}\n}\n';
  const s = sourceOf(text);
  const removeThird = [{ op: "remove" as const, path: "/a/2" }];
  const removeLast = [{ op: "remove" as const, path: "/a/3" }];
  const renameX = [{ op: "move" as const, from: "/b/x", path: "/b/z" }];
  const combined = combinePatches(s, [[{ op: "remove", path: "/a/0" }], removeThird, renameX])!;
  t.equal(combined.text, '{\n  "a": [2, 4],\n  "b": {"z": 1, "y": 2}\n}\n', "minimal edits, formatting kept");
  t.same(combined.taken, [0, 1, 2]);
  t.same(combined.patch, [...renameX, ...removeThird, { op: "remove", path: "/a/0" }], "later elements first: no index shifts");
  t.same(combinePatches(s, [removeThird, removeLast, renameX])!.taken, [0, 2], "the edits of the last two elements overlap (the comma): the second waits");
  t.same(combinePatches(s, [[{ op: "remove", path: "/b" }], renameX, removeThird])!.taken, [0, 2], "a patch inside one already taken waits");
  t.same(combinePatches(s, [renameX, [{ op: "move", from: "/b/y", path: "/b/z" }], removeThird])!.taken, [0, 2], "two renames to one name: the second waits");
  t.equal(combinePatches(s, [removeThird, [{ op: "remove", path: "/nope" }]]), undefined, "fewer than two combine");
});

t.test("fixPolicy applies the fixes of one pass together and re-lints, until none is left", async (t) => {
  const statement = (i: number, actions: string[]) => ({ Effect: "Allow", Action: actions, Resource: `acs:ess:cn-hangzhou:1234567890123456:scalinggroup/asg-${i}` });
  const repeated = ["ess:DescribeScalingGroups", "ess:DescribeScalingGroups", "ess:describeScalingGroups"];
  const text = JSON.stringify({ Version: "1", Statement: Array.from({ length: 40 }, (_, i) => statement(i, repeated)) }, null, 2);
  const r = fixPolicy(text);
  t.same(r.findings.filter((f) => f.fix), [], "no fixable finding left");
  t.same(lintPolicy(r.text), r.findings, "the findings are those of the fixed text");
  // per statement, pass 1: the repetition removed and the third value's case fixed; pass 2: the third value now repeats
  t.same([...new Set(r.fixed.map((f) => f.ruleId))].sort(), ["action-case", "value-duplicate"]);
  t.equal(r.fixed.length, 120, "three fixes per statement");
  t.same(JSON.parse(r.text), { Version: "1", Statement: Array.from({ length: 40 }, (_, i) => statement(i, ["ess:DescribeScalingGroups"])) });
  t.ok(r.text.startsWith('{\n  "Version": "1",\n  "Statement": [\n    {\n      "Effect": "Allow"'), "formatting kept");
});

const finding = (over: Partial<Finding>): Finding => ({ ruleId: "r", severity: "Warning", message: "m", path: "", line: 1, column: 1, endLine: 1, endColumn: 2, ...over });

t.test("carets: long lines are windowed, multi-line spans run to the end of the line, tabs become spaces", async (t) => {
  const long = `{"Action": "${"x".repeat(200)}", "Resource": "*"}`;
  const [line, caret] = caretLines(long, finding({ column: 100, endColumn: 110 }))!;
  t.ok(line.startsWith("…") && line.endsWith("…"), "both ends cut");
  t.equal(line.length, 92);
  t.equal(caret, " ".repeat(41) + "^".repeat(10));
  t.same(caretLines('{\n\t"a": {\n  }\n}', finding({ line: 2, column: 2, endLine: 3, endColumn: 4 })), [' "a": {', " " + "^".repeat(6)]);
  t.equal(caretLines("{}", finding({ line: 9 })), undefined, "a line that is not there");
  t.same(caretLines("{}", finding({ column: 3, endColumn: 3 })), ["{}", "  ^"], "an empty span still shows a caret");
});

t.test("summary and text without source", async (t) => {
  t.equal(summaryLine([]), "no findings in 0 files");
  t.equal(summaryLine([{ file: "a", findings: [finding({ fix: [{ op: "remove", path: "/a" }] }), finding({ severity: "Suggestion" })] }], [{ path: "b", reason: "ENOENT" }]),
    "2 findings (1 warning, 1 suggestion) in 1 file; 1 fixable with --fix; 1 path could not be read");
  t.equal(formatText([{ file: "a.json", findings: [finding({ fix: [{ op: "remove", path: "/a" }] })] }]), 'a.json:1:1 Warning r m\n  fix: [{"op":"remove","path":"/a"}]\n\n1 finding (1 warning) in 1 file; 1 fixable with --fix\n');
});

t.test("paths: symbolic links to files are followed once, broken ones reported, links to folders not followed", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ess-authz-paths-"));
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, "sub", "p.json"), "{}");
  symlinkSync(join(dir, "sub", "p.json"), join(dir, "link.json"));
  symlinkSync(join(dir, "missing.json"), join(dir, "broken.json"));
  symlinkSync(join(dir, "sub"), join(dir, "loop"));
  const { inputs, unreadable } = collectInputs([".", "sub/p.json"], { cwd: dir });
  t.same(inputs.map((i) => i.file), ["link.json"], "the target is read once, under the first name");
  t.same(unreadable, [{ path: "broken.json", reason: "ENOENT" }]);
  t.same(collectInputs(["-", "-"], { cwd: dir, readStdin: () => "{}" }).inputs.length, 1, "stdin is read once");
});

t.test("lintPolicy: file names on every finding, policy kinds", async (t) => {
  t.ok(lintPolicy("{", { file: "x.json" }).every((f) => f.file === "x.json"));
  const trust = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: ["acs:ram::1609982529920904:root"] } }] });
  t.same(lintPolicy(trust, { kind: "trust" }).map((f) => f.ruleId), []);
  t.same(lintPolicy(trust).map((f) => f.ruleId), [], "recognised as a trust policy by its content");
  t.ok(lintPolicy(trust, { kind: "identity" }).some((f) => f.ruleId === "principal-not-allowed"), "an explicit kind wins");
});
