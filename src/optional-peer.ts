/**
 * Features whose packages are heavy (the reference server's Fastify, SQLite driver and logger) load them on first
 * use, so that a plain install stays small. These packages are optional peer dependencies: when one is missing,
 * the error says which packages to install.
 */
export class MissingPeerError extends Error {
  constructor(
    readonly feature: string,
    readonly missing: string,
    readonly packages: readonly string[],
  ) {
    super(`${feature} needs the package ${missing}, which is not installed: run npm install ${packages.join(" ")}`);
    this.name = "MissingPeerError";
  }
}

/** Runs `load` (a dynamic `import()`); a failure to find one of `packages` becomes a `MissingPeerError`. */
export async function loadWithPeers<T>(feature: string, packages: readonly string[], load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const name = err.code === "ERR_MODULE_NOT_FOUND" ? /Cannot find (?:package|module) '([^']+)'/.exec(err.message)?.[1] : undefined;
    const missing = packages.find((p) => name === p || name?.startsWith(`${p}/`));
    if (missing) throw new MissingPeerError(feature, missing, packages);
    throw e;
  }
}
