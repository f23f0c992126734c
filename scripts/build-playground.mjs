#!/usr/bin/env node
// Builds the playground (src/playground) into a static folder: index.html + playground.js, one esbuild bundle
// of the real engine with the scenario suites inlined as one-click examples. No network at run time.
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SHIMS = { "node:fs": "src/playground/shims/fs.ts", "node:util": "src/playground/shims/util.ts" };

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

/** Every case of fixtures/suites, with its policies and request file resolved to their content. */
export function loadExamples(suitesDir = join(ROOT, "fixtures/suites")) {
  return readdirSync(suitesDir)
    .filter((f) => f.endsWith(".suite.json"))
    .sort()
    .flatMap((file) => {
      const suite = readJson(join(suitesDir, file));
      const policies = suite.policies.map((p) =>
        typeof p === "string"
          ? { name: basename(p).replace(/\.json$/i, ""), text: readFileSync(join(suitesDir, p), "utf8") }
          : { name: p.name, text: JSON.stringify(p.document, null, 2) },
      );
      return suite.cases.map((c, i) => ({
        id: `${basename(file, ".suite.json")}-${i + 1}`,
        suite: suite.name,
        name: c.name,
        policies,
        request: typeof c.request === "string" ? readJson(join(suitesDir, c.request)) : c.request,
        expect: c.expect.decision,
      }));
    });
}

export async function buildPlayground(outDir = join(ROOT, "dist/playground")) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(ROOT, "src/playground/ui.ts")],
    outfile: join(outDir, "playground.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: true,
    logLevel: "warning",
    define: {
      __RAM_POLICY_SCHEMA__: JSON.stringify(readFileSync(join(ROOT, "schema/ram-policy.schema.json"), "utf8")),
      __PLAYGROUND_EXAMPLES__: JSON.stringify(loadExamples()),
    },
    plugins: [
      {
        name: "node-shims",
        setup(b) {
          b.onResolve({ filter: /^node:(fs|util)$/ }, (args) => ({ path: join(ROOT, SHIMS[args.path]) }));
        },
      },
    ],
  });
  for (const file of ["index.html", "playground.css"]) copyFileSync(join(ROOT, "src/playground", file), join(outDir, file));
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildPlayground(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`playground built in ${out}`);
}
