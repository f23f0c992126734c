import fc from "fast-check";
import t from "tap";
import { compileGlob, globMatch } from "../src/match/glob.js";

// Contract §2: `*` any sequence incl. empty, `:` and `/`; `?` exactly one character; all else literal.
t.test("star spans colon and slash and matches empty", async (t) => {
  t.ok(globMatch("acs:oss:*:*:mybucket/*", "acs:oss:cn-hangzhou:111:mybucket/a/b/c.jpg"));
  t.ok(globMatch("acs:ram:*:*:role/myservicerole", "acs:ram::111:role/myservicerole"));
  t.ok(globMatch("hangzhou/2015/*", "hangzhou/2015/"));
  t.ok(globMatch("*:ListTagResources", "ess:ListTagResources"));
  t.notOk(globMatch("*:ListTagResources", "ess:ListTagKeys"));
  t.ok(globMatch("*", ""));
  t.ok(globMatch("a*b*c", "abc"));
  t.notOk(globMatch("a*a", "a"));
  t.notOk(globMatch("acs:oss:*:*:mybucket/*", "acs:oss:cn-hangzhou:111:mybucket"));
});

t.test("question mark is exactly one character (code point)", async (t) => {
  t.ok(globMatch("ecs:Describe?nstances", "ecs:DescribeInstances"));
  t.notOk(globMatch("ecs:Describe?nstances", "ecs:DescribeXXnstances"));
  t.notOk(globMatch("a?", "a"));
  t.ok(globMatch("a?c", "a😀c"), "a surrogate pair is one character");
  t.ok(globMatch("*?", "😀"));
  t.notOk(globMatch("??", "😀"));
});

t.test("dots, braces, brackets and extglob characters are literal", async (t) => {
  t.notOk(globMatch("a.c", "abc"));
  t.ok(globMatch("a.c", "a.c"));
  t.notOk(globMatch("{a,b}", "a"));
  t.ok(globMatch("{a,b}", "{a,b}"));
  t.notOk(globMatch("[ab]", "a"));
  t.ok(globMatch("[ab]", "[ab]"));
  t.notOk(globMatch("+(a)", "a"));
  t.ok(globMatch("!(a)*", "!(a)b"));
  t.ok(globMatch("a\\*", "a\\xyz"), "backslash is no escape");
  t.notOk(globMatch("**/b", "b"), "** is two stars, it needs the slash");
  t.ok(globMatch("**/b", "/b"));
});

t.test("matching is case-sensitive; callers fold case where the contract says so", async (t) => {
  t.notOk(globMatch("scalingGroup/*", "scalinggroup/asg-1"));
});

// A backtracking matcher needs ~10^40 steps here; test/robustness.test.ts counts the steps this one takes.
t.test("adversarial patterns do not match", async (t) => {
  const input = "a".repeat(100_000);
  t.notOk(compileGlob("*a*a*a*a*a*a*a*a*a*a*b").test(input));
  t.notOk(compileGlob("*?a?a?a?a?a?b").test(input.slice(0, 5000)));
});

