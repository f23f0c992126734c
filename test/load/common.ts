/**
 * Shared by the load and fault scripts of test/load/ (not part of CI): the reference service as a child process
 * on 127.0.0.1 (`ess-authz serve`), signed v1 requests, and latency statistics. Loopback only.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { signV1 } from "../../src/middleware/signature.js";

export const REPO = resolve(import.meta.dirname, "../..");
export const CONFIG = join(REPO, "examples/service/config.json");
export const SEED = join(REPO, "examples/service/seed.json");
export const ADMIN: readonly [string, string] = ["AKIDADMIN0001", "s3cr3t-admin"];
export const ALICE: readonly [string, string] = ["AKIDALICE0001", "s3cr3t-alice"];
export const GROUP1 = "asg-bp17np35ywjwh2cx0001";
export const GROUP2 = "asg-bp1c5pl2qc6ozgb10002";

export interface Service {
  readonly url: string;
  readonly child: ChildProcess;
  /** Every JSON log line, in the order the service wrote them. */
  readonly logs: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
}

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), "ess-authz-load-")), "ess.db");
}

/** Starts `ess-authz serve` on a free loopback port with the example principals and seed. */
export function startService(dbFile: string, config = CONFIG): Promise<Service> {
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO, "src/cli/bin.ts"), "serve", "--config", config, "--seed", SEED, "--db", dbFile, "--port", "0", "--host", "127.0.0.1", "--watch-interval", "0"], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  return new Promise((resolveUrl, reject) => {
    let buffer = "";
    child.stdout!.on("data", (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const m = /^ess-authz serving on (\S+)/.exec(line);
        if (m) resolveUrl({ url: m[1]!, child, logs, exited });
        else if (line.startsWith("{")) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    void exited.then((code) => reject(new Error(`service exited with ${code} before listening`)));
  });
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly ms: number;
}

/** One signed v1 request (a fresh nonce and timestamp each time). */
export async function call(url: string, key: readonly [string, string], params: Record<string, string>, method: "GET" | "POST" = "GET"): Promise<Answer> {
  const all: Record<string, string> = {
    Format: "JSON", Version: "2014-08-28", AccessKeyId: key[0], SignatureMethod: "HMAC-SHA1", SignatureVersion: "1.0",
    SignatureNonce: randomUUID(), Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"), ...params,
  };
  const form = new URLSearchParams({ ...all, Signature: signV1(method, Object.entries(all), key[1]) }).toString();
  const started = performance.now();
  const response =
    method === "GET"
      ? await fetch(`${url}/?${form}`)
      : await fetch(`${url}/`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: response.status, body, ms };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function argOf(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
