import type { Command } from "commander";
import { STDIN_NAME } from "../lint/files.js";
import { explainDecision } from "../evaluate/explain.js";
import type { EssDecision } from "../ess/types.js";
import { decideRequest, visibleGroups } from "./decide.js";
import { EXIT, InputError, readText, type Io } from "./io.js";
import { kindOption, loadPolicyPaths } from "./policy-files.js";
import type { PolicyKind } from "../policy/ast.js";
import { parseRequestFile } from "./request-file.js";

export interface EvalOptions {
  policy: string[];
  request: string;
  json?: boolean;
  explain?: boolean;
  kind?: PolicyKind;
}

function jsonReport(d: EssDecision): object {
  return {
    decision: d.decision,
    action: d.action,
    operation: d.operation,
    resources: d.resources.map((r) => ({
      arn: r.arn,
      ...(r.scalingGroupId ? { scalingGroupId: r.scalingGroupId } : {}),
      decision: r.decision,
      determining: r.determining.map(({ policy, statement, sid }) => ({ policy, statement, ...(sid !== undefined ? { sid } : {}) })),
      ...(r.error ? { error: r.error } : {}),
    })),
    determining: d.determining.map(({ policy, statement, sid }) => ({ policy, statement, ...(sid !== undefined ? { sid } : {}) })),
    ...(d.mode === "filter" ? { visible: visibleGroups(d) } : {}),
  };
}

function textReport(d: EssDecision, explain: boolean): string {
  const lines = [`${d.decision}  ${d.action}${d.action !== `ess:${d.operation}` ? ` (${d.operation})` : ""}`];
  for (const r of d.resources) {
    const by = r.determining.map((s) => `${s.policy}#${s.statement}${s.sid !== undefined ? ` "${s.sid}"` : ""}`).join(", ");
    lines.push(`  ${r.decision.padEnd(12)} ${r.arn}${by ? `  by ${by}` : ""}${r.error ? `  (${r.error})` : ""}`);
    if (explain && r.trace) lines.push(...explainDecision(r).split("\n").map((l) => `    ${l}`));
  }
  if (d.mode === "filter") lines.push(`  visible groups: ${visibleGroups(d).join(", ") || "(none)"}`);
  return lines.join("\n") + "\n";
}

function readStdin(io: Io): string {
  if (!io.readStdin) throw new InputError("--request -: no standard input to read");
  return io.readStdin();
}

/** `ess-authz eval`: exit 0 Allow, 1 denied, 2 invalid input. */
export async function runEval(io: Io, options: EvalOptions): Promise<number> {
  // With no policy every request is an ImplicitDeny: a decision nobody asked for, so a usage error instead.
  if (options.policy.length === 0) throw new InputError("eval: no --policy given; a decision needs at least one policy (see ess-authz eval --help)");
  const { policies } = await loadPolicyPaths(io, options.policy, options.kind, (m) => io.stderr(`ess-authz eval: note: ${m}\n`));
  const request = options.request === "-" ? parseRequestFile(readStdin(io), STDIN_NAME) : parseRequestFile(readText(io, options.request), options.request);
  const d = await decideRequest(policies, request, options.explain === true);
  io.stdout(options.json ? JSON.stringify(jsonReport(d), null, 2) + "\n" : textReport(d, options.explain === true));
  return d.decision === "Allow" ? EXIT.ok : EXIT.denied;
}

export function registerEval(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("eval")
    .description("decide an ESS request against policies: Allow, ExplicitDeny or ImplicitDeny (exit 0 / 1 / 2 invalid)")
    .option("--policy <file>", "a policy file (JSON, YAML, .tf, ROS template) or a folder of them (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .requiredOption("--request <file>", "the request file (account, params, context, store); - reads standard input")
    .option("--json", "print one JSON object")
    .option("--explain", "print a trace a person can read, and for a denial the closest Allow and what it lacked")
    .addOption(kindOption())
    .action(async (opts: EvalOptions) => setExit(await runEval(io, opts)));
}
