/**
 * The repository stands alone: no file may need a folder beside it, and the user-facing documents speak plain
 * words and link only to files that exist.
 */
import t from "tap";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
// Generated data that carries text from its sources is not ours to word.
const textFiles = tracked.filter((f) => /\.(md|ts|mjs|js|json|yaml|yml)$/.test(f) && !f.startsWith("catalog/") && existsSync(join(ROOT, f)));
const userDocs = tracked.filter(
  (f) => /(^|\/)(README|SECURITY|CHANGELOG)\.md$/.test(f) || /^docs\/[^/]+\.md$/.test(f),
);

t.test("nothing refers to a folder outside the repository", async (t) => {
  t.ok(textFiles.length > 100, "the tracked files were listed");
  for (const file of textFiles) {
    const text = readFileSync(join(ROOT, file), "utf8");
    t.notMatch(text, /\.\.\/shared\/|\/work\/(shared|main|wt)\b/, file);
  }
});

t.test("user-facing documents use plain words", async (t) => {
  for (const name of ["README.md", "SECURITY.md", "docs/semantics.md", "docs/glossary.md", "fixtures/README.md"]) {
    t.ok(userDocs.includes(name), `${name} is checked`);
  }
  for (const file of userDocs) {
    const text = readFileSync(join(ROOT, file), "utf8");
    t.notMatch(text, /\bcontract §|\(contract\)/i, `${file}: no "contract §"`);
    t.notMatch(text, /\bG1?\d\b(?![-\w])/, `${file}: no guarantee codes`);
    t.notMatch(text, /guide originals/i, `${file}: no "guide originals"`);
    t.notMatch(text, /\bcells?\b/, `${file}: no "cells"`);
  }
});

t.test("relative links in user-facing documents point at files that exist", async (t) => {
  for (const file of userDocs) {
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const [, target] of text.matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)(?:#[^)]*)?\)/g)) {
      t.ok(existsSync(resolve(ROOT, dirname(file), target!)), `${file} → ${target}`);
    }
  }
});
