/** Module hooks for `loader.mjs`: `.js` specifiers that name `.ts` sources, and TypeScript → JavaScript. */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    // TypeScript sources import each other as `./x.js` (NodeNext resolution); the file on disk is `./x.ts`.
    if (specifier.endsWith(".js") && context.parentURL?.endsWith(".ts")) return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith(".ts")) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const { code } = await transform(await readFile(file, "utf8"), { loader: "ts", format: "esm", target: "node20", sourcemap: "inline", sourcefile: file });
  return { format: "module", source: code, shortCircuit: true };
}
