// Linting, evaluating, testing and diffing, and importing the library and both adapters, load none of the
// server's or the frameworks' packages: they run with fastify, express, better-sqlite3 and pino made
// unresolvable. `serve`, which needs them, says which package to install.
import { spawnSync } from "node:child_process";
import t from "tap";
import { SERVER_PACKAGES } from "../src/cli/serve.js";
import { loadWithPeers, MissingPeerError } from "../src/optional-peer.js";
import { typescriptLoaderArgs } from "./helpers/child-env.js";

const REPO = new URL("..", import.meta.url).pathname;
const HIDDEN = ["fastify", "express", ...SERVER_PACKAGES];
const HOOK = new URL("./helpers/hide-packages.mjs", import.meta.url).pathname;

/** Runs node on `args` in the repository, with the heavy packages unresolvable. */
function withoutPeers(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [...typescriptLoaderArgs(), "--import", HOOK, ...args], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, ESS_AUTHZ_HIDDEN_PACKAGES: HIDDEN.join(",") },
  });
}

t.test("the hook does hide the packages", async (t) => {
  const r = withoutPeers(["--input-type=module", "-e", 'await import("fastify")']);
  t.not(r.status, 0);
  t.match(r.stderr, /Cannot find package 'fastify'/);
});

t.test("the library and both adapters import without them", async (t) => {
  const script = [
    'const lib = await import("./src/index.ts");',
    'const fastify = await import("./src/middleware/fastify.ts");',
    'const express = await import("./src/middleware/express.ts");',
    "console.log(typeof lib.lintPolicy, typeof fastify.essAuthz, typeof express.essAuthz);",
  ].join("\n");
  const r = withoutPeers(["--input-type=module", "-e", script]);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout.trim(), "function function function");
});

const CLI = "src/cli/bin.ts";

t.test("lint, eval, test and diff run without them", async (t) => {
  const lint = withoutPeers([CLI, "lint", "policies/admin.json", "policies/t3-operate-group1-by-tag.json"]);
  t.equal(lint.status, 0, lint.stderr);
  const suites = withoutPeers([CLI, "test", "fixtures/suites"]);
  t.equal(suites.status, 0, suites.stderr);
  t.match(suites.stdout, /\d+ passed, 0 failed/);
  const evaluated = withoutPeers([CLI, "eval", "--policy", "policies/admin.json", "--request", "fixtures/requests/r1-describe-group1.json"]);
  t.equal(evaluated.status, 0, evaluated.stderr);
  t.match(evaluated.stdout, /Allow/);
  const diff = withoutPeers([CLI, "diff", "policies/admin.json", "policies/t3-operate-group1-by-tag.json"]);
  t.equal(diff.status, 0, diff.stderr);
});

t.test("serve names the package to install", async (t) => {
  const r = withoutPeers([CLI, "serve", "--db", ":memory:"]);
  t.equal(r.status, 2);
  t.match(r.stderr, /ess-authz serve needs the package fastify, which is not installed: run npm install fastify better-sqlite3 kysely pino/);
});

t.test("loadWithPeers passes other failures through unchanged", async (t) => {
  const notFound = Object.assign(new Error("Cannot find package 'left-pad' imported from x"), { code: "ERR_MODULE_NOT_FOUND" });
  await t.rejects(loadWithPeers("f", ["pino"], () => Promise.reject(notFound)), notFound, "a package that is not one of the feature's");
  const other = new Error("boom");
  await t.rejects(loadWithPeers("f", ["pino"], () => Promise.reject(other)), other);
  const subpath = Object.assign(new Error("Cannot find module 'pino/file' imported from x"), { code: "ERR_MODULE_NOT_FOUND" });
  await t.rejects(loadWithPeers("f", ["pino"], () => Promise.reject(subpath)), MissingPeerError, "a subpath of a feature's package");
  t.equal(await loadWithPeers("f", ["pino"], async () => 42), 42);
});
