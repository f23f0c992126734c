/**
 * The environment for a child process that runs our TypeScript through tsx. tsx's transform, freshly made (as on
 * a clean CI machine), maps back to the sources in a way tap's coverage merge misreads: every source the child
 * loads was counted as a line or two, dragging the suite's coverage down by several points, run to run. Such
 * children are left out of coverage (no NODE_V8_COVERAGE); what they run is covered in-process by other tests.
 */
export function childEnv(overrides: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...overrides };
  delete env["NODE_V8_COVERAGE"];
  return env;
}
