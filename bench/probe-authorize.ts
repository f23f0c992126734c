/**
 * One `authorize()` call in this process with in-memory host sources (the middleware benchmark's principal, store
 * and freshly signed v1 requests), without HTTP. Run:
 *   node --import ./bench/loader.mjs bench/probe-authorize.ts            p50 back to back and after a 1 ms idle, and
 *     the mean CPU time of a call (less sensitive to other processes than wall time, though not immune)
 *   node --import ./bench/loader.mjs bench/probe-authorize.ts --calls N  just N warm calls, for instruction counts:
 *     valgrind --tool=callgrind --callgrind-out-file=/dev/null node --import ./bench/loader.mjs bench/probe-authorize.ts --calls 2000
 *   (run it with two values of N up to 10,000: the difference divided by the difference of N is the cost of one call;
 *   the same pool of requests is signed whatever N is, so signing them cancels out)
 */
import { probeAuthorize, warmAuthorizer } from "./middleware.js";

const at = process.argv.indexOf("--calls");
if (at >= 0) {
  const calls = Number(process.argv[at + 1]);
  if (!(calls >= 0 && calls <= 10_000)) throw new Error("--calls takes a number from 0 to 10,000");
  // Long enough a warm-up that V8 has finished optimizing: under valgrind a shorter one leaves compilation in the
  // difference between two values of N. The pool's size does not depend on N, so signing it cancels out.
  const warmUp = 10_000;
  const once = await warmAuthorizer(warmUp + 10_000);
  for (let i = 0; i < warmUp; i++) await once();
  for (let i = 0; i < calls; i++) await once();
} else {
  const { backToBack, afterIdle } = await probeAuthorize();
  const calls = 20_000;
  const once = await warmAuthorizer(calls);
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await once();
  const cpu = process.cpuUsage(before);
  const cpuUs = (cpu.user + cpu.system) / calls;
  console.log(`authorize() p50: ${backToBack.toFixed(1)} µs back to back, ${afterIdle.toFixed(1)} µs after a 1 ms idle; mean CPU ${cpuUs.toFixed(1)} µs a call`);
}
