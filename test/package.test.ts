// The package as a stranger gets it: `npm pack`, installed into an empty project from the local npm cache only
// (no network), then its size, the absence of install scripts and native builds, the CLI, an ESM import and a
// strict TypeScript compile of a consumer of the three entry points. Without the needed packages in the cache
// it skips with the reason, except under CI where it fails.
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import t from "tap";
import { SERVER_PACKAGES } from "../src/cli/serve.js";
import { tempDir } from "./helpers/service.js";

const REPO = new URL("..", import.meta.url).pathname;
const BUDGET_BYTES = 10 * 1024 * 1024;
const { version } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };

const run = (cmd: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> =>
  spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" }, maxBuffer: 64 << 20 });

/** Bytes of every file under `dir` (symbolic links not followed), and the files matching `pick`. */
function walk(dir: string, pick: (path: string) => boolean, found: string[] = []): { bytes: number; found: string[] } {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += walk(path, pick, found).bytes;
    else {
      bytes += lstatSync(path).size;
      if (pick(path)) found.push(path);
    }
  }
  return { bytes, found };
}

// Packing and installing take minutes on a loaded 2-core machine: a hang guard, not a performance bound.
t.setTimeout(600_000);
const work = tempDir(t);
// The build is what the CLI tests run too (npx tsc -p tsconfig.json, node scripts/build-playground.mjs).
if (!existsSync(join(REPO, "dist/cli/main.js")) || !existsSync(join(REPO, "dist/playground/index.html"))) {
  throw new Error("no build in dist/: run npx tsc -p tsconfig.json && node scripts/build-playground.mjs first");
}
const pack = run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], REPO);
if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
const [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as [{ filename: string; files: { path: string }[] }];
const shipped = new Set(packed.files.map((f) => f.path));

t.test("the tarball ships what its documents link to, and no source maps", async (t) => {
  t.ok(shipped.has("dist/cli/main.js") && shipped.has("dist/index.d.ts"), "the build");
  t.ok(shipped.has("dist/playground/index.html"), "the playground build");
  const exampleConfig = readFileSync(join(REPO, "examples/service/config.json"), "utf8");
  const examplePolicies = [...exampleConfig.matchAll(/"([^"]+\.json)"/g)].map(([, path]) => posix.join("examples/service", path!));
  t.ok(examplePolicies.length > 0, "the example names policy files");
  t.same(
    ["examples/service/config.json", "examples/service/seed.json", ...examplePolicies].filter((f) => !shipped.has(f)),
    [],
    "what serve runs without --config, and the policies its example names",
  );
  t.same([...shipped].filter((f) => f.endsWith(".map")), [], "no maps pointing at sources that are not shipped");
  const broken: string[] = [];
  for (const doc of [...shipped].filter((f) => f.endsWith(".md"))) {
    const text = readFileSync(join(REPO, doc), "utf8");
    for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue;
      const path = posix.normalize(posix.join(posix.dirname(doc), decodeURIComponent(target!)));
      if (!shipped.has(path) && ![...shipped].some((f) => f.startsWith(`${path}/`))) broken.push(`${doc} → ${target}`);
    }
  }
  t.same(broken, [], "every relative link of a shipped document points into the tarball");
  t.ok(shipped.has("docs/lint-rules.md"), "the rule documentation linked from every finding");
});

// An empty project that installs the tarball from the npm cache only.
const project = join(work, "consumer");
mkdirSync(project);
writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }));
const install = run("npm", ["install", "--offline", "--engine-strict", "--no-audit", "--no-fund", join(work, packed.filename)], project);
const uncached = install.status !== 0 && /ENOTCACHED|only-if-cached/.test(install.stderr);

if (uncached && !process.env["CI"]) {
  t.skip(`a dependency is not in the local npm cache, and this test installs offline: ${install.stderr.split("\n").find((l) => /ENOTCACHED|only-if-cached/.test(l))}`, () => {});
} else {
  t.equal(install.status, 0, `npm install --offline --engine-strict of the tarball succeeds on Node ${process.version}\n${install.stderr}`);
  const modules = join(project, "node_modules");
  const cli = join(modules, ".bin", "ess-authz");

  t.test("a plain install is light: under 10 MB, no native build, no framework, no install script", async (t) => {
    const { bytes, found } = walk(modules, (p) => p.endsWith(".node") || /[/\\]build[/\\]Release[/\\]/.test(p));
    t.ok(bytes <= BUDGET_BYTES, `node_modules holds ${(bytes / 1024 / 1024).toFixed(2)} MB (budget 10 MB)`);
    t.same(found, [], "no compiled addon, no node-gyp build output");
    for (const name of ["fastify", "express", ...SERVER_PACKAGES]) t.notOk(existsSync(join(modules, name)), `${name} is not installed`);
    const lock = JSON.parse(readFileSync(join(modules, ".package-lock.json"), "utf8")) as { packages: Record<string, { hasInstallScript?: boolean }> };
    t.same(Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript).map(([k]) => k), [], "no package with an install script");
  });

  t.test("the installed CLI runs: --version, lint, and serve says what to install", async (t) => {
    const v = run(cli, ["--version"], project);
    t.equal(v.stdout.trim(), version);
    writeFileSync(join(project, "good.json"), JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:DescribeScalingGroups", Resource: "*" }] }));
    writeFileSync(join(project, "bad.json"), JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess>Describe", Resource: "*" }] }));
    const good = run("npx", ["--offline", "ess-authz", "lint", "good.json"], project);
    t.equal(good.status, 0, good.stdout + good.stderr);
    const bad = run(cli, ["lint", "bad.json"], project);
    t.equal(bad.status, 1, "an Error finding fails the lint");
    t.match(bad.stdout, /action-malformed/);
    const serve = run(cli, ["serve"], project);
    t.equal(serve.status, 2);
    t.ok(serve.stderr.includes(`ess-authz serve needs the package fastify, which is not installed: run npm install ${SERVER_PACKAGES.join(" ")}`), serve.stderr);
  });

  t.test("an ESM consumer imports the three entry points without the frameworks installed", async (t) => {
    const script = [
      'import { parsePolicy, lintPolicy } from "ess-authz";',
      'import fastifyPlugin from "ess-authz/fastify";',
      'import { essAuthz } from "ess-authz/express";',
      'const { policy } = parsePolicy(JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ess:*", Resource: "*" }] }));',
      'console.log(JSON.stringify({ parsed: policy !== undefined, findings: lintPolicy("{").length > 0, plugin: typeof fastifyPlugin, middleware: typeof essAuthz }));',
    ].join("\n");
    writeFileSync(join(project, "consumer.mjs"), script);
    const r = run(process.execPath, ["consumer.mjs"], project);
    t.equal(r.status, 0, r.stderr);
    t.same(JSON.parse(r.stdout || "{}"), { parsed: true, findings: true, plugin: "function", middleware: "function" });
  });

  t.test("a strict TypeScript consumer (nodenext, skipLibCheck false) compiles against the three entry points", async (t) => {
    // The frameworks' own types come from this repository's node_modules, as a host that uses them has them.
    for (const name of ["fastify", "@types/express", "@types/node"]) {
      mkdirSync(dirname(join(modules, name)), { recursive: true });
      symlinkSync(join(REPO, "node_modules", name), join(modules, name), "dir");
    }
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, skipLibCheck: false, noEmit: true, types: ["node"] }, files: ["consumer.ts"] }),
    );
    writeFileSync(
      join(project, "consumer.ts"),
      [
        'import { lintPolicy, parsePolicy, toSarif, type Finding, type SarifLog } from "ess-authz";',
        'import fastifyPlugin, { type EssAuthzFastifyOptions } from "ess-authz/fastify";',
        'import { essAuthz, type EssAuthzExpressOptions } from "ess-authz/express";',
        'const findings: readonly Finding[] = lintPolicy("{}");',
        'const log: SarifLog = toSarif([], [], "1.0.0");',
        "const parsed = parsePolicy('{}').policy;",
        "export const used = [findings, log, parsed, fastifyPlugin, essAuthz];",
        "export type Options = [EssAuthzFastifyOptions, EssAuthzExpressOptions];",
      ].join("\n"),
    );
    const tsc = run(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], project);
    t.equal(tsc.status, 0, `tsc: ${tsc.stdout}${tsc.stderr}`);
  });

  t.test("with the server's packages beside it, serve with no --config runs the shipped example", async (t) => {
    for (const name of SERVER_PACKAGES) {
      if (!existsSync(join(modules, name))) symlinkSync(join(REPO, "node_modules", name), join(modules, name), "dir");
    }
    const server = spawn(cli, ["serve", "--watch-interval", "0"], { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
    t.teardown(() => void server.kill());
    let stderr = "";
    server.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      server.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const found = /serving on (http:\/\/\S+)/.exec(out);
        if (found) resolve(found[1]!);
      });
      server.once("exit", (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    // The notice goes to stderr, which may arrive after stdout's "serving on": wait for it a bounded number of turns.
    const notice = /no --config given, serving the example principals of .*node_modules\/ess-authz\/examples\/service\/config\.json/;
    for (let turn = 0; turn < 100 && !notice.test(stderr); turn++) await new Promise((r) => setTimeout(r, 20));
    t.match(stderr, notice);
    const answer = await fetch(`${url}?Action=DescribeRegions&Format=JSON`);
    t.equal(answer.status, 400, "an unsigned request is answered as ESS does");
    t.match(await answer.json(), { Code: /^Missing|^Invalid|^Incomplete/ });
    t.ok(existsSync(join(project, "data", "ess-authz.db.diagnostic-key")), "the diagnostic key was made beside the database");
  });
}
