/** The README's library example runs as written (against this checkout) and prints what the README says. */
import t from "tap";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { typescriptLoaderArgs } from "./helpers/child-env.js";

const readme = readFileSync("README.md", "utf8");
const example = /## Library\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];

t.test("the library example of the README runs and allows", async (t) => {
  t.ok(example, "the README has a ts example under ## Library");
  // Inside the repository, so that the example resolves this checkout's dependencies.
  const dir = mkdtempSync(join(resolve("test"), ".readme-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "example.ts");
  writeFileSync(file, example!.replace('from "ess-authz"', `from ${JSON.stringify(resolve("src/index.js"))}`));
  const out = execFileSync(process.execPath, [...typescriptLoaderArgs(), file], { encoding: "utf8" });
  t.match(out, /^Allow\n/);
  t.match(out, /policy: 'team-game1',\s+statement: 0/);
  t.match(out, /Decision: Allow/);
});
