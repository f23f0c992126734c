/**
 * How a test starts a child Node process that runs our TypeScript: with the TypeScript loader the test itself runs
 * under (tap's), whose source maps the coverage merge reads correctly. tsx's freshly made transforms (as on a clean
 * CI machine) were misread as one or two lines per source, moving the suite's coverage by several points run to
 * run. tsx remains the fallback when a test is run outside tap.
 */
const TAP_TYPESCRIPT = /^--import=.*@tapjs\/typescript\//;

export function typescriptLoaderArgs(): string[] {
  const tap = process.execArgv.find((arg) => TAP_TYPESCRIPT.test(arg));
  return tap ? [tap, "--enable-source-maps"] : ["--import", import.meta.resolve("tsx")];
}
