/** The benchmark's outputs: the markdown report, the chart and the target checks. */
import type { EngineResult, Probe } from "./decisions.js";
import type { LintResult } from "./lint.js";
import type { MiddlewareResult, RouteMode } from "./middleware.js";

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  readonly memoryGB: number;
  /** 1-minute load average when the run started and ended: other work on the machine skews every number. */
  readonly loadAverage: { readonly start: number; readonly end?: number };
}

export interface Results {
  readonly command: string;
  readonly date: string;
  readonly quick: boolean;
  readonly machine: Machine;
  readonly clockOverheadNs: number;
  readonly workload: {
    readonly requests: number;
    readonly paddings: readonly number[];
    readonly decisionMix: Readonly<Record<number, Readonly<Record<string, number>>>>;
    /** Parsing the JSON documents into policies (before `compile`), ms. */
    readonly parseMs: Readonly<Record<number, number>>;
  };
  readonly decisions: readonly EngineResult[];
  /** Compiled throughput over each peer's, per N. */
  readonly ratios: Readonly<Record<number, Readonly<Record<string, number>>>>;
  readonly probe?: Probe;
  readonly lint?: LintResult;
  readonly middleware?: MiddlewareResult | { readonly error: string };
  readonly targets: readonly Target[];
}

export interface Target {
  readonly name: string;
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean | undefined;
  /** What the profiles showed, for a target that was missed. */
  readonly profile?: string;
}

/** What CPU profiles of the missed targets showed (`node --cpu-prof` on the same code paths). */
const PROFILES = {
  decision:
    "Per decision the compiled path does one Map lookup for the action's candidates and one for the ARN, then tests the " +
    "remaining candidates' resources and conditions, and lists every determining statement (so every candidate is tested; " +
    "CASL stops at the first matching rule and names none). Profiles led to: request-value parsers chosen once per " +
    "condition, decisions prebuilt per statement and remembered per set of applying statements (a decision whose set was " +
    "seen before allocates nothing), no copy of lower-case ARNs, and an allocation-free prefix test. What the p99 adds " +
    "beyond that is the machine: cache misses across the 2,048 requests, interrupts, other load (see the load average).",
  probe:
    "The probed actions are named by more statements at the largest N than at the smallest: the padding's account-wide " +
    "statements (`ess:*`, prefix wildcards, NotAction guard rails) name every action. The indexes leave only the applicable " +
    "statements to evaluate (the count above), and the cost per decision follows that count, not N.",
  lint:
    "Lint profile: parsing with source positions (momoa) about a quarter, the redundancy and condition rule families about a " +
    "quarter, `operationsMatching` recompiling a glob over the 103 operations for every action pattern of every document about " +
    "an eighth; the first rounds also pay for JIT warm-up (best round reported).",
};

/** Why the middleware target is missed, with this run's figures. */
function middlewareProfile(mw: MiddlewareResult): string {
  const plain = mw.routes.find((route) => route.mode === "plain")!.latencyUs.p50;
  return (
    `The plain loopback route answers in ${micros(plain)} µs at p50, so ${percent(TARGETS.middlewareLatency).replace("+", "")} leaves ${micros(plain * TARGETS.middlewareLatency)} µs for everything ` +
    `the plugin does, and the signature check alone, which any ESS-compatible endpoint must make, adds ${micros(mw.addedUs.signature)} µs by itself ` +
    "(the table's middle row; the three routes are loaded in turn on one connection, so the machine's drift meets them alike). " +
    "A lone connection leaves the CPU idle between its requests, so the route pays what one `authorize()` costs after a pause " +
    "(the probe's second figure), not back to back. Where the server's CPU goes per request on each route " +
    "(`node --import ./bench/loader.mjs bench/profile-route.ts authorized`, and `plain` to compare): the kernel's loopback " +
    "write and Node's HTTP code are most of both routes; on top of the plain route the plugin spends about 3 µs in the " +
    "HMAC (creating the HMAC object, with OpenSSL's per-call set-up, is most of it), 2 µs building the plan, 1 µs each " +
    "deciding, in Fastify's hooks and in the authorizer's glue, and under 1 µs each parsing the parameters, in the nonce " +
    "memory and in the rest of authentication; and the loopback write itself takes about 7 µs longer after the plugin's " +
    "code has run, its data no longer in the CPU's caches. " +
    "The target would need the whole authenticated decision in about the cost of one HMAC."
  );
}

export const REFERENCE_ENGINE = "ess-authz (compiled)";

const ROUTE_NAMES: Readonly<Record<RouteMode, string>> = {
  plain: "without authorization",
  authenticated: "signature check only",
  authorized: "with ess-authz/fastify",
};

export function ratios(decisions: readonly EngineResult[]): Record<number, Record<string, number>> {
  const out: Record<number, Record<string, number>> = {};
  for (const ours of decisions.filter((r) => r.engine === REFERENCE_ENGINE && r.decisionsPerSecond)) {
    const row: Record<string, number> = {};
    for (const peer of decisions.filter((r) => r.padding === ours.padding && r.engine !== REFERENCE_ENGINE && r.decisionsPerSecond)) {
      row[peer.engine] = ours.decisionsPerSecond! / peer.decisionsPerSecond!;
    }
    out[ours.padding] = row;
  }
  return out;
}

const fixed = (n: number, digits: number): string => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const count = (n: number): string => Math.round(n).toLocaleString("en-US");
const micros = (us: number): string => (us < 10 ? fixed(us, 2) : us < 1000 ? fixed(us, 1) : count(us));
const times = (r: number): string => `${r < 10 ? fixed(r, 1) : count(r)}×`;
const percent = (r: number): string => `${r >= 0 ? "+" : ""}${fixed(r * 100, 1)} %`;

interface Thresholds {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly overCedar: number;
  readonly overIamSimulate: number;
  readonly probeGrowth: number;
  readonly compileMs: number;
  readonly lintPerSecond: number;
  readonly middlewareLatency: number;
}

/** The issue's targets (#5), on this machine, as measured in the same run. */
export const TARGETS: Thresholds = {
  p50Us: 0.5,
  p99Us: 2,
  overCedar: 25,
  overIamSimulate: 40,
  probeGrowth: 3,
  compileMs: 200,
  lintPerSecond: 2000,
  middlewareLatency: 0.1,
};

export function checkTargets(r: Omit<Results, "targets" | "ratios">, rs: Results["ratios"]): Target[] {
  const smallest = Math.min(...r.workload.paddings);
  const largest = Math.max(...r.workload.paddings);
  const ours = (n: number): EngineResult | undefined => r.decisions.find((d) => d.engine === REFERENCE_ENGINE && d.padding === n);
  const at10 = ours(smallest)?.latencyUs;
  const compiled = ours(largest);
  const out: Target[] = [];
  const add = (name: string, goal: string, value: number | undefined, show: (v: number) => string, met: (v: number) => boolean, profile?: string): void => {
    const ok = value === undefined ? undefined : met(value);
    out.push({ name, goal, measured: value === undefined ? "not measured" : show(value), met: ok, ...(ok === false && profile ? { profile } : {}) });
  };
  add(`p50 per decision, N = ${smallest}`, `≤ ${TARGETS.p50Us} µs`, at10?.p50, (v) => `${micros(v)} µs`, (v) => v <= TARGETS.p50Us, PROFILES.decision);
  add(`p99 per decision, N = ${smallest}`, `≤ ${TARGETS.p99Us} µs`, at10?.p99, (v) => `${micros(v)} µs`, (v) => v <= TARGETS.p99Us, PROFILES.decision);
  add(`throughput over cedar-wasm, N = ${smallest}`, `≥ ${TARGETS.overCedar}×`, rs[smallest]?.["cedar-wasm"], times, (v) => v >= TARGETS.overCedar);
  add(`throughput over iam-simulate, N = ${smallest}`, `≥ ${TARGETS.overIamSimulate}×`, rs[smallest]?.["iam-simulate"], times, (v) => v >= TARGETS.overIamSimulate);
  const probe = r.probe;
  const growth = probe && probe.nsPerDecision[largest] !== undefined ? probe.nsPerDecision[largest]! / probe.nsPerDecision[smallest]! : undefined;
  add(`cost of a rarely named action, N = ${largest} over N = ${smallest}`, `≤ ${TARGETS.probeGrowth}×`, largest >= 10_000 ? growth : undefined, (v) => `${fixed(v, 2)}×`, (v) => v <= TARGETS.probeGrowth, PROFILES.probe);
  add(`compile ${count(largest)} padding statements`, `< ${TARGETS.compileMs} ms`, largest >= 10_000 ? compiled?.compileMs : undefined, (v) => `${fixed(v, 1)} ms`, (v) => v < TARGETS.compileMs);
  add("lint throughput", `≥ ${count(TARGETS.lintPerSecond)} files/s`, r.lint?.filesPerSecond, (v) => `${count(v)} files/s`, (v) => v >= TARGETS.lintPerSecond, PROFILES.lint);
  const mw = r.middleware && "addedLatency" in r.middleware ? r.middleware : undefined;
  add("middleware: added latency (p50, loopback)", `≤ ${percent(TARGETS.middlewareLatency)}`, mw?.addedLatency.p50, percent, (v) => v <= TARGETS.middlewareLatency, mw && middlewareProfile(mw));
  return out;
}

export function markdown(r: Results): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`Command: \`${r.command}\` — ${r.date}${r.quick ? " (quick run: shorter timings, fewer N)" : ""}`, "");
  lines.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, ${m.platform}, Node ${m.node}; load average ${fixed(m.loadAverage.start, 2)} at the start` +
      `${m.loadAverage.end === undefined ? "" : `, ${fixed(m.loadAverage.end, 2)} at the end`} (anything above 0 is other work sharing the CPU).`,
    "",
  );
  lines.push(
    `Workload: the scenario policies T1–T3, R1–R2 plus N padding statements (8 per policy), ${count(r.workload.requests)} ESS requests. ` +
      `Every engine's answers are checked against the interpreter before it is timed, and it is timed only on the requests checked ` +
      `(slow engines are checked for a bounded time: see "checked"). Decisions/s: the best of 5 rounds, interleaved across the engines. ` +
      `Latency reads the clock around each call (${fixed(r.clockOverheadNs, 0)} ns per read pair, included). ` +
      `Retained MB: heap and external memory the compiled form keeps; RSS Δ: process growth while compiling.`,
    "",
  );
  lines.push("| N | engine | decisions/s | p50 µs | p99 µs | p99.9 µs | compile ms | retained MB | RSS Δ MB | checked | compiled ÷ this |");
  lines.push("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const d of r.decisions) {
    const ratio = d.engine === REFERENCE_ENGINE ? "—" : r.ratios[d.padding]?.[d.engine] === undefined ? "" : times(r.ratios[d.padding]![d.engine]!);
    if (d.mismatch) {
      lines.push(`| ${count(d.padding)} | ${d.engine} | wrong answer, not timed | | | | | | | ${d.verified} | |`);
      continue;
    }
    const l = d.latencyUs!;
    lines.push(
      `| ${count(d.padding)} | ${d.engine} | ${count(d.decisionsPerSecond!)} | ${micros(l.p50)} | ${micros(l.p99)} | ${micros(l.p999)} | ${fixed(d.compileMs!, 1)} | ${fixed(d.retainedMB!, 1)} | ${fixed(Math.max(0, d.rssMB!), 0)} | ${count(d.verified)} | ${ratio} |`,
    );
  }
  const mismatches = r.decisions.filter((d) => d.mismatch);
  if (mismatches.length > 0) {
    lines.push("", "Disagreements (these engines were not timed at that N):", "");
    for (const d of mismatches) lines.push(`- ${d.engine}, N = ${count(d.padding)}: ${d.mismatch}`);
  }
  lines.push("", `Decision mix: ${Object.entries(r.workload.decisionMix).map(([n, mix]) => `N = ${count(Number(n))}: ${Object.entries(mix).map(([k, v]) => `${k} ${v}`).join(", ")}`).join("; ")}.`);
  lines.push(`Parsing the policy documents (before \`compile\`): ${Object.entries(r.workload.parseMs).map(([n, ms]) => `N = ${count(Number(n))}: ${fixed(ms, 1)} ms`).join(", ")}.`);
  if (r.probe) {
    const p = r.probe;
    const at = (n: string): string =>
      `N = ${count(Number(n))}: ${fixed(p.nsPerDecision[Number(n)]!, 0)} ns/decision, p50 ${micros(p.p50Us[Number(n)]!)} µs, ${fixed(p.applicable[Number(n)]!, 1)} applicable statements`;
    lines.push(
      "",
      `Rarely named actions (the ${p.actions.length} requested actions named by ≤ ${p.statementsAtLargest} statements at the largest N; ${p.requests} requests; ` +
        `"applicable": statements whose action and resource both match, so that only their conditions decide): ${Object.keys(p.nsPerDecision).map(at).join("; ")}.`,
    );
  }
  if (r.lint) lines.push("", `Lint: ${count(r.lint.files)} generated policy files, ${count(r.lint.findings)} findings, best of ${r.lint.rounds.length} rounds: ${count(r.lint.filesPerSecond)} files/s (rounds: ${r.lint.rounds.map(count).join(", ")}).`);
  if (r.middleware) {
    lines.push("");
    if ("error" in r.middleware) lines.push(`Middleware: not measured (${r.middleware.error}).`);
    else {
      const mw = r.middleware;
      lines.push("| route on 127.0.0.1 | p50 µs (1 connection) | p99 µs | mean µs | requests/s (" + mw.routes[0]!.connections + " connections) |", "|---|---:|---:|---:|---:|");
      for (const route of mw.routes) {
        lines.push(`| ${ROUTE_NAMES[route.mode]} | ${micros(route.latencyUs.p50)} | ${micros(route.latencyUs.p99)} | ${micros(route.latencyUs.mean)} | ${count(route.requestsPerSecond)} |`);
      }
      lines.push(
        "",
        `Added latency: ${percent(mw.addedLatency.p50)} at p50 (${micros(mw.addedUs.plugin)} µs, of which the signature check alone ${micros(mw.addedUs.signature)} µs; ` +
          `${percent(mw.addedOverSignature)} against the route that checks signatures itself), ` +
          `${percent(mw.addedLatency.mean)} on the mean; throughput with authorization: ${fixed(mw.throughputRatio * 100, 1)} % of the plain route's. ` +
          `One \`authorize()\` call in process (p50): ${micros(mw.authorizeUs.backToBack)} µs back to back, ${micros(mw.authorizeUs.afterIdle)} µs after a 1 ms pause — ` +
          `a lone connection leaves the CPU idle between requests, so the route meets the second figure.`,
      );
    }
  }
  lines.push("", "| target | goal | measured | met |", "|---|---|---|---|");
  for (const t of r.targets) lines.push(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.met === undefined ? "n/a" : t.met ? "yes" : "**no**"} |`);
  const explained = [...new Set(r.targets.flatMap((t) => (t.profile ? [t.profile] : [])))];
  if (explained.length > 0) lines.push("", "Where targets are missed:", "", ...explained.map((p) => `- ${p}`));
  return `${lines.join("\n")}\n`;
}

const COLORS = ["#1b7837", "#7fbf7b", "#2166ac", "#b2182b", "#e08214", "#762a83", "#4d4d4d"];

/** Decisions per second against N, both axes logarithmic. Hand-written SVG: no charting dependency. */
export function chart(r: Results): string {
  const width = 760;
  const height = 440;
  const plot = { left: 80, right: 560, top: 40, bottom: 380 };
  const series = [...new Set(r.decisions.map((d) => d.engine))].map((engine) => ({
    engine,
    points: r.decisions.filter((d) => d.engine === engine && d.decisionsPerSecond).map((d) => [d.padding, d.decisionsPerSecond!] as const),
  }));
  const ys = series.flatMap((s) => s.points.map(([, y]) => y));
  const xs = r.workload.paddings;
  const [yLow, yHigh] = [Math.floor(Math.log10(Math.min(...ys))), Math.ceil(Math.log10(Math.max(...ys)))];
  const [xLow, xHigh] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
  const x = (n: number): number => plot.left + ((Math.log10(n) - xLow) / Math.max(1e-9, xHigh - xLow)) * (plot.right - plot.left);
  const y = (v: number): number => plot.bottom - ((Math.log10(v) - yLow) / Math.max(1e-9, yHigh - yLow)) * (plot.bottom - plot.top);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${plot.left}" y="22" font-size="15" font-weight="bold">Decisions per second against N (padding statements), log–log</text>`,
  ];
  for (let e = yLow; e <= yHigh; e++) {
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${y(10 ** e)}" y2="${y(10 ** e)}" stroke="#ddd"/>`);
    out.push(`<text x="${plot.left - 8}" y="${y(10 ** e) + 4}" text-anchor="end">${e >= 6 ? `${10 ** (e - 6)}M` : e >= 3 ? `${10 ** (e - 3)}k` : 10 ** e}</text>`);
  }
  for (const n of xs) {
    out.push(`<line x1="${x(n)}" x2="${x(n)}" y1="${plot.top}" y2="${plot.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${x(n)}" y="${plot.bottom + 18}" text-anchor="middle">${count(n)}</text>`);
  }
  out.push(`<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 40}" text-anchor="middle">N</text>`);
  out.push(`<text transform="translate(20 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">decisions/s</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    if (s.points.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${s.points.map(([n, v]) => `${x(n).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}"/>`);
    for (const [n, v] of s.points) out.push(`<circle cx="${x(n).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${color}"/>`);
    const ly = plot.top + 10 + i * 22;
    out.push(`<line x1="${plot.right + 20}" x2="${plot.right + 44}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${plot.right + 50}" y="${ly + 4}">${s.engine}</text>`);
  });
  out.push(`<text x="${plot.left}" y="${height - 8}" fill="#666">${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node} — ${r.date}</text>`);
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
