import type { Command } from "commander";
import { STDIN_NAME } from "../lint/files.js";
import { explainDecision } from "../evaluate/explain.js";
import type { EssDecision } from "../ess/types.js";
import { decideRequest, visibleGroups } from "./decide.js";
import { EXIT, InputError, readText, type Io } from "./io.js";
import { kindOption, loadPolicyPaths } from "./policy-files.js";
import type { PolicyKind } from "../policy/ast.js";
import { parseContextFile, parseRequestFile } from "./request-file.js";
import { witnessContext } from "../analysis/analyze.js";
import { evaluate } from "../evaluate/evaluate.js";
import type { Decision, StatementRef } from "../evaluate/decision.js";
import { inputFor } from "../ess/decide.js";

export interface EvalOptions {
  policy: string[];
  request?: string;
  context?: string;
  json?: boolean;
  explain?: boolean;
  kind?: PolicyKind;
}

const refJson = ({ policy, statement, sid }: StatementRef) => ({ policy, statement, ...(sid !== undefined ? { sid } : {}) });
const refsText = (refs: readonly StatementRef[]): string => refs.map((s) => `${s.policy}#${s.statement}${s.sid !== undefined ? ` "${s.sid}"` : ""}`).join(", ");

function jsonReport(d: EssDecision): object {
  return {
    decision: d.decision,
    action: d.action,
    operation: d.operation,
    resources: d.resources.map((r) => ({
      arn: r.arn,
      ...(r.scalingGroupId ? { scalingGroupId: r.scalingGroupId } : {}),
      decision: r.decision,
      determining: r.determining.map(refJson),
      ...(r.error ? { error: r.error } : {}),
    })),
    determining: d.determining.map(refJson),
    ...(d.mode === "filter" ? { visible: visibleGroups(d) } : {}),
  };
}

function textReport(d: EssDecision, explain: boolean): string {
  const lines = [`${d.decision}  ${d.action}${d.action !== `ess:${d.operation}` ? ` (${d.operation})` : ""}`];
  for (const r of d.resources) {
    const by = refsText(r.determining);
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
  if ((options.request === undefined) === (options.context === undefined)) throw new InputError("eval: give one of --request (an ESS request file) or --context (a context file of `check --witness`)");
  const { policies } = await loadPolicyPaths(io, options.policy, options.kind, (m) => io.stderr(`ess-authz eval: note: ${m}\n`));
  if (options.context !== undefined) return evalContext(io, policies, options.context, options);
  const request = options.request === "-" ? parseRequestFile(readStdin(io), STDIN_NAME) : parseRequestFile(readText(io, options.request!), options.request!);
  const d = await decideRequest(policies, request, options.explain === true);
  io.stdout(options.json ? JSON.stringify(jsonReport(d), null, 2) + "\n" : textReport(d, options.explain === true));
  return d.decision === "Allow" ? EXIT.ok : EXIT.denied;
}

/** Decides a context file with the evaluator: an action no ESS request names, as `check --witness` writes it. */
function evalContext(io: Io, policies: Parameters<typeof inputFor>[0], file: string, options: EvalOptions): number {
  const c = file === "-" ? parseContextFile(readStdin(io), STDIN_NAME) : parseContextFile(readText(io, file), file);
  const d: Decision = evaluate(inputFor(policies, undefined), witnessContext(c), { trace: options.explain === true });
  if (options.json) {
    io.stdout(JSON.stringify({ decision: d.decision, action: c.action, resource: c.resource, determining: d.determining.map(refJson), ...(d.error ? { error: d.error } : {}) }, null, 2) + "\n");
  } else {
    const by = refsText(d.determining);
    io.stdout(`${d.decision}  ${c.action} on ${c.resource}${by ? `  by ${by}` : ""}${d.error ? `  (${d.error})` : ""}\n`);
    if (options.explain) io.stdout(explainDecision(d).split("\n").map((l) => `  ${l}`).join("\n") + "\n");
  }
  return d.decision === "Allow" ? EXIT.ok : EXIT.denied;
}

export function registerEval(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("eval")
    .description("decide an ESS request against policies: Allow, ExplicitDeny or ImplicitDeny (exit 0 / 1 / 2 invalid)")
    .option("--policy <file>", "a policy file (JSON, YAML, .tf, ROS template) or a folder of them (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--request <file>", "the request file (account, params, context, store); - reads standard input")
    .option("--context <file>", "instead of --request: a context file of `check --witness` (an action outside the ESS catalog), decided by the evaluator")
    .option("--json", "print one JSON object")
    .option("--explain", "print a trace a person can read, and for a denial the closest Allow and what it lacked")
    .addOption(kindOption())
    .action(async (opts: EvalOptions) => setExit(await runEval(io, opts)));
}
