import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import serveStatic from "serve-static";
import { InputError, type Io } from "./io.js";

/** The static build of scripts/build-playground.mjs; the same path from src/cli (tsx) and dist/cli. */
export const PLAYGROUND_DIR = fileURLToPath(new URL("../../dist/playground/", import.meta.url));

export interface PlaygroundServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the static playground on 127.0.0.1 only: the files of `dir`, GET/HEAD, nothing else. serve-static (the
 * `send` package) decodes and confines paths: a malformed escape is 400, a path out of `dir` 403, a missing file 404.
 */
export async function servePlayground(dir: string, port: number): Promise<PlaygroundServer> {
  const files = serveStatic(dir, { index: ["index.html"], dotfiles: "deny", fallthrough: false, redirect: false, setHeaders: (res) => res.setHeader("cache-control", "no-cache") });
  const server: Server = createServer((req, res) => {
    files(req, res, (error?: { status?: number; statusCode?: number }) => {
      res.writeHead(error?.status ?? error?.statusCode ?? 404).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return { url: `http://127.0.0.1:${actualPort}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function registerPlayground(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("playground")
    .description("serve the playground on 127.0.0.1: write policies, build an ESS request, see the decision and why")
    .option("--port <n>", "port to listen on", "8787")
    .option("--dir <folder>", "the static build to serve", PLAYGROUND_DIR)
    .action(async (opts: { port: string; dir: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port must be a port number, got ${opts.port}`);
      try {
        await readFile(join(opts.dir, "index.html"));
      } catch {
        throw new InputError(`no playground build in ${opts.dir}: run npm run build:playground`);
      }
      const server = await servePlayground(opts.dir, port);
      io.stdout(`playground: ${server.url}  (Ctrl-C to stop)\n`);
      setExit(0);
    });
}
