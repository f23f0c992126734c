import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { InputError, type Io } from "./io.js";

/** The static build of scripts/build-playground.mjs; the same path from src/cli (tsx) and dist/cli. */
export const PLAYGROUND_DIR = fileURLToPath(new URL("../../dist/playground/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
};

export interface PlaygroundServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the static playground on 127.0.0.1 only: files of `dir`, GET/HEAD, nothing else. */
export async function servePlayground(dir: string, port: number): Promise<PlaygroundServer> {
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const file = normalize(join(dir, path === "/" ? "index.html" : decodeURIComponent(path)));
    const type = TYPES[extname(file)];
    if ((req.method !== "GET" && req.method !== "HEAD") || !file.startsWith(normalize(dir)) || !type) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": type, "cache-control": "no-cache" }).end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404).end();
    }
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
