/**
 * A child process (test/reference/work-child.ts, 1 GB heap) that runs work jobs one after the other and reports
 * their step counts. A hang is a timeout: the child is killed and the next job gets a fresh one.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { WorkJob, WorkResult } from "../reference/work-child.js";
import { typescriptLoaderArgs } from "./child-env.js";

const CHILD = fileURLToPath(new URL("../reference/work-child.ts", import.meta.url));

export class WorkLane {
  private child?: ChildProcess;
  private stderr = "";

  private start(): ChildProcess {
    const child = fork(CHILD, [], { execArgv: [...typescriptLoaderArgs(), "--max-old-space-size=1024"], stdio: ["ignore", "ignore", "pipe", "ipc"] });
    this.stderr = "";
    child.stderr?.on("data", (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
    return child;
  }

  /** `timeoutMs` only tells a hang from work: it starts once the child has built the job's input. */
  run(job: WorkJob, timeoutMs: number): Promise<WorkResult> {
    const child = (this.child ??= this.start());
    return new Promise((resolve) => {
      const done = (r: WorkResult, keep: boolean): void => {
        clearTimeout(timer);
        child.removeAllListeners("message");
        child.removeAllListeners("exit");
        if (!keep) {
          child.kill("SIGKILL");
          this.child = undefined;
        }
        resolve(r);
      };
      let timer = setTimeout(() => done({ timedOut: true }, false), timeoutMs + 60_000);
      child.on("message", (m: WorkResult & { ready?: boolean }) => {
        if (m.ready) {
          clearTimeout(timer);
          timer = setTimeout(() => done({ timedOut: true }, false), timeoutMs);
          return;
        }
        done(m, true);
      });
      child.on("exit", (code, signal) => done({ exit: `exit ${code} ${signal ?? ""} ${this.stderr}` }, false));
      child.send(job);
    });
  }

  close(): void {
    this.child?.kill("SIGKILL");
  }
}

/** Runs the jobs on two lanes (two cores), each result under its job's key. */
export async function runJobs(jobs: readonly (readonly [string, WorkJob])[], timeoutMs: number): Promise<Map<string, WorkResult>> {
  const results = new Map<string, WorkResult>();
  const queue = [...jobs];
  await Promise.all(
    [new WorkLane(), new WorkLane()].map(async (lane) => {
      for (let next = queue.shift(); next; next = queue.shift()) results.set(next[0], await lane.run(next[1], timeoutMs));
      lane.close();
    }),
  );
  return results;
}
