import { Option, type Command } from "commander";
import { findAccessGranted, findNewAccess, type AnalysisResult } from "../analysis/analyze.js";
import { renderCheckJson, renderCheckSarif, renderCheckText, type CheckName, type CheckReport } from "../analysis/format.js";
import { canonicalAction } from "../ess/catalog.js";
import type { Tag } from "../diff/universe.js";
import { loadVersion, type LoadedVersion } from "./diff.js";
import { kindOption, type HostSpan } from "./policy-files.js";
import type { PolicyKind } from "../policy/ast.js";
import { EXIT, InputError, type Io } from "./io.js";
import { writeWitnesses } from "./witnesses.js";

/**
 * `ess-authz check no-new-access OLD NEW` and `ess-authz check access-not-granted`: access questions decided
 * exactly over every request (exit 0), answered with witness requests (exit 1), or undecided / invalid (exit 2).
 */

type Format = "text" | "json" | "sarif";

const RENDERERS = { text: renderCheckText, json: renderCheckJson, sarif: renderCheckSarif } as const;

const EXIT_OF: Record<AnalysisResult["status"], number> = { holds: EXIT.ok, violated: EXIT.denied, undecided: EXIT.invalid };

function report(io: Io, check: CheckName, subject: string, result: AnalysisResult, allowing: LoadedVersion, options: { format: Format; witness?: string }): number {
  const witnessPaths = result.status === "violated" && options.witness !== undefined ? writeWitnesses(io, options.witness, result.witnesses) : undefined;
  const checkReport: CheckReport = {
    check,
    subject,
    result,
    policies: allowing.policies,
    labels: allowing.labels,
    ...(allowing.toHost ? { toHost: allowing.toHost } : {}),
    ...(witnessPaths ? { witnessPaths } : {}),
  };
  io.stdout(RENDERERS[options.format](checkReport));
  return EXIT_OF[result.status];
}

export interface NoNewAccessOptions {
  format: Format;
  witness?: string;
  kind?: PolicyKind;
}

export async function runNoNewAccess(io: Io, oldSource: string, newSource: string, options: NoNewAccessOptions): Promise<number> {
  const [before, after] = [await loadVersion(io, oldSource, options.kind), await loadVersion(io, newSource, options.kind)];
  const result = await findNewAccess(before.policies, after.policies);
  return report(io, "no-new-access", `${newSource} against ${oldSource}`, result, after, options);
}

export interface AccessNotGrantedOptions {
  format: Format;
  witness?: string;
  policy: string[];
  action: string[];
  resource?: string;
  resourceTag?: string[];
  kind?: PolicyKind;
}

function parseTag(text: string): Tag {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new InputError(`--resource-tag ${text}: expected KEY=VALUE`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

export async function runAccessNotGranted(io: Io, options: AccessNotGrantedOptions): Promise<number> {
  const sources: LoadedVersion[] = [];
  for (const p of options.policy) sources.push(await loadVersion(io, p, options.kind));
  const version: LoadedVersion = {
    label: options.policy.join(", "),
    policies: sources.flatMap((s) => s.policies),
    labels: sources.flatMap((s) => s.labels),
    toHost: sources.flatMap((s) => s.toHost ?? s.policies.map((): HostSpan => (span) => span)),
  };
  for (const action of options.action) if (canonicalAction(action) === undefined) throw new InputError(`--action ${action}: not an ESS action of the catalog`);
  const resourceTags = (options.resourceTag ?? []).map(parseTag);
  const result = await findAccessGranted(version.policies, { actions: options.action, ...(options.resource === undefined ? {} : { resource: options.resource }), resourceTags });
  const on = [options.resource ?? "any resource", ...resourceTags.map(([k, v]) => `tagged ${k}=${v}`)].join(" ");
  return report(io, "access-not-granted", `${options.action.join(", ")} on ${on} under ${version.label}`, result, version, options);
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerCheck(program: Command, io: Io, setExit: (code: number) => void): void {
  const check = program.command("check").description("access questions decided exactly over every request: exit 0 proven, 1 with witness requests, 2 invalid input or undecided");
  const format = (): Option => new Option("--format <format>", "output format").choices(["text", "json", "sarif"]).default("text");
  check
    .command("no-new-access")
    .description("exit 1 (with witnesses) when NEW allows any request OLD does not")
    .argument("<old>", "policy file (JSON, YAML, .tf, ROS template), folder of them, or git:<ref>:<path>")
    .argument("<new>", "policy file (JSON, YAML, .tf, ROS template), folder of them, or git:<ref>:<path>")
    .addOption(format())
    .option("--witness <dir>", "write each witness request file to this folder")
    .addOption(kindOption())
    .action(async (oldSource: string, newSource: string, opts: NoNewAccessOptions) => setExit(await runNoNewAccess(io, oldSource, newSource, opts)));
  check
    .command("access-not-granted")
    .description("exit 1 (with a witness) when some request context makes the policies allow one of the actions on a matching resource")
    .requiredOption("--policy <file>", "policy file, folder or git:<ref>:<path> (repeatable)", collect)
    .requiredOption("--action <action>", "ESS action, e.g. ess:DeleteScalingGroup (repeatable)", collect)
    .option("--resource <arn-glob>", "only resources this glob matches (exact case; * crosses : and /)")
    .option("--resource-tag <key=value>", "only scaling groups carrying this tag (repeatable)", collect)
    .option("--witness <dir>", "write the witness request file to this folder")
    .addOption(format())
    .addOption(kindOption())
    .action(async (opts: AccessNotGrantedOptions) => setExit(await runAccessNotGranted(io, opts)));
}
