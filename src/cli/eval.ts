import type { Command } from "commander";
import { explainDecision } from "../evaluate/explain.js";
import type { EssDecision } from "../ess/types.js";
import { decideRequest, visibleGroups } from "./decide.js";
import { EXIT, readText, type Io } from "./io.js";
import { checkSessionCount, kindOption, loadPolicyFiles } from "./policy-files.js";
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

/** `ess-authz eval`: exit 0 Allow, 1 denied, 2 invalid input. */
export async function runEval(io: Io, options: EvalOptions): Promise<number> {
  checkSessionCount(options.kind, options.policy.length);
  const policies = loadPolicyFiles(io, options.policy, options.kind);
  const trust = policies.filter((p) => p.kind === "trust").map((p) => p.name);
  if (trust.length > 0) io.stderr(`ess-authz eval: note: ${trust.join(", ")}: trust ${trust.length === 1 ? "policy" : "policies"} (--kind or a Principal with sts:AssumeRole), deciding sts:AssumeRole only: not part of this decision\n`);
  if (!policies.some((p) => p.kind === "identity")) {
    io.stderr(`ess-authz eval: note: no identity policy among the inputs, so nothing can allow the request (${[...new Set(policies.map((p) => p.kind))].join(", ")} policies only restrict identity policies or decide sts:AssumeRole)\n`);
  }
  const request = parseRequestFile(readText(io, options.request), options.request);
  const d = await decideRequest(policies, request, options.explain === true);
  io.stdout(options.json ? JSON.stringify(jsonReport(d), null, 2) + "\n" : textReport(d, options.explain === true));
  return d.decision === "Allow" ? EXIT.ok : EXIT.denied;
}

export function registerEval(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("eval")
    .description("decide an ESS request against policies: Allow, ExplicitDeny or ImplicitDeny (exit 0 / 1 / 2 invalid)")
    .requiredOption("--policy <file>", "a policy file (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .requiredOption("--request <file>", "the request file (account, params, context, store)")
    .option("--json", "print one JSON object")
    .option("--explain", "print a trace a person can read, and for a denial the closest Allow and what it lacked")
    .addOption(kindOption())
    .action(async (opts: EvalOptions) => setExit(await runEval(io, opts)));
}
