import type { PolicyKind } from "../policy/ast.js";
import type { StatementRef } from "../evaluate/decision.js";
import type { RequestFile } from "../ess/decide.js";
import { CHANGES, type Change, type ChangeGroup, type Outcome } from "./delta.js";
import type { PolicyDiff } from "./index.js";

/** Renders a PolicyDiff as text (terminal), markdown (a pull-request comment) or JSON. Pure: no files. */

export interface RenderOptions {
  /** Where each group's example request was written (same order as `delta.groups`), to print instead of the JSON. */
  readonly examplePaths?: readonly string[];
  /** The `--policy` arguments of `ess-authz eval` that reproduce the new decisions, when NEW is on disk. */
  readonly newPolicyFiles?: readonly string[];
  /** The `--kind` the policies were loaded with, which the `eval` command must repeat. */
  readonly kind?: PolicyKind;
}

const HEADINGS: Readonly<Record<Change, string>> = {
  allowed: "became allowed",
  denied: "became denied",
  denyKind: "changed between explicit and implicit deny",
};

/** The request file `ess-authz eval --request` reads (schema/request.schema.json). */
export function requestFileJson(file: RequestFile): object {
  const { account, params, context } = file.request;
  return { account, params, ...(context ? { context } : {}), store: file.store };
}

const refText = (refs: readonly StatementRef[]): string => refs.map((r) => `${r.policy}#${r.statement}${r.sid !== undefined ? ` "${r.sid}"` : ""}`).join(", ");
const outcomeText = (o: Outcome): string => (o.determining.length > 0 ? `${o.decision} (${refText(o.determining)})` : o.decision);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const distinct = <T>(values: readonly T[]): T[] => [...new Set(values)];

function listed(values: readonly string[], max: number): string {
  return values.length <= max ? values.join(", ") : `${values.slice(0, max).join(", ")}, … (${values.length - max} more)`;
}

interface GroupFacts {
  readonly operations: string[];
  readonly resources: string[];
  /** `ImplicitDeny → Allow` and how many cells moved so. */
  readonly transitions: Record<string, number>;
}

function factsOf(group: ChangeGroup): GroupFacts {
  const transitions: Record<string, number> = {};
  for (const c of group.cells) {
    const t = `${c.old.decision} → ${c.new.decision}`;
    transitions[t] = (transitions[t] ?? 0) + 1;
  }
  return { operations: distinct(group.cells.map((c) => c.cell.operation)), resources: distinct(group.cells.map((c) => c.resource)), transitions };
}

/** `*` as a region means the requests are authorized on the resource `*`, which names no region. */
const regionText = (region: string): string => (region === "*" ? "resource *" : region);

const transitionsText = (t: Record<string, number>): string => Object.entries(t).map(([k, n]) => `${k} ×${n}`).join(", ");

function universeText(diff: PolicyDiff): string {
  const u = diff.delta.universe;
  const text =
    `${u.cells} cells compared: ${u.operations} operations × ${plural(u.regions.length, "region")} (${u.regions.join(", ")})` +
    ` × ${plural(u.accounts.length, "account")} × ${plural(u.scalingGroups.length, "scaling group")} × ${plural(u.conditionSets, "condition set")}`;
  return u.capped.length > 0 ? `${text}; capped: ${u.capped.join("; ")}` : text;
}

function summaryText(diff: PolicyDiff): string {
  const c = diff.delta.counts;
  return `${c.allowed} became allowed, ${c.denied} became denied, ${c.denyKind} changed between explicit and implicit deny`;
}

const versionText = (v: PolicyDiff["old"]): string => `${v.label} (${v.policies.map((p) => p.name).join(", ")})`;

function reproduceHint(options: RenderOptions): string | undefined {
  if (!options.newPolicyFiles) return undefined;
  return `ess-authz eval ${options.newPolicyFiles.map((f) => `--policy ${f}`).join(" ")}${options.kind ? ` --kind ${options.kind}` : ""} --request <example>.json`;
}

export function renderText(diff: PolicyDiff, options: RenderOptions = {}): string {
  const lines = [`old: ${versionText(diff.old)}`, `new: ${versionText(diff.new)}`, universeText(diff), summaryText(diff)];
  const hint = reproduceHint(options);
  if (hint && diff.delta.groups.length > 0) lines.push(`reproduce an example: ${hint}`);
  diff.delta.groups.forEach((g, i) => {
    if (i === 0 || diff.delta.groups[i - 1]!.change !== g.change) {
      const cells = diff.delta.counts[g.change];
      lines.push("", `${HEADINGS[g.change].toUpperCase()}: ${plural(cells, "cell")} in ${plural(diff.delta.groups.filter((x) => x.change === g.change).length, "group")}`);
    }
    const facts = factsOf(g);
    const example = g.cells[0]!;
    lines.push(
      `  ${g.family} · ${regionText(g.region)} · ${g.conditions}: ${plural(g.cells.length, "cell")}, ${transitionsText(facts.transitions)}`,
      `    operations: ${listed(facts.operations, 8)}`,
      `    resources:  ${listed(facts.resources, 3)}`,
      `    example:    ${example.cell.operation} ${example.resource}: ${outcomeText(example.old)} → ${outcomeText(example.new)}`,
      `                ${options.examplePaths?.[i] ?? JSON.stringify(requestFileJson(example.cell.request))}`,
    );
  });
  lines.push("", `STRUCTURAL CHANGE (RFC 6902): ${plural(diff.patch.length, "operation")}`, ...diff.patch.map((op) => `  ${JSON.stringify(op)}`));
  return lines.join("\n") + "\n";
}

/** Text for a markdown table cell, where `|` would end the cell. */
const tableCell = (text: string): string => text.replace(/\|/g, "\\|");
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

export function renderMarkdown(diff: PolicyDiff, options: RenderOptions = {}): string {
  const out = [
    "### ess-authz diff",
    "",
    `${code(diff.old.label)} → ${code(diff.new.label)}: **${diff.delta.counts.allowed} cells became allowed**, ${diff.delta.counts.denied} became denied, ` +
      `${diff.delta.counts.denyKind} changed between explicit and implicit deny.`,
    "",
    `<sub>${universeText(diff)}</sub>`,
  ];
  const hint = reproduceHint(options);
  for (const change of CHANGES) {
    const groups = diff.delta.groups.map((g, i) => ({ g, i })).filter(({ g }) => g.change === change);
    if (groups.length === 0) continue;
    out.push("", `#### ${HEADINGS[change][0]!.toUpperCase()}${HEADINGS[change].slice(1)}`, "", "| # | family | region | conditions | cells | change | operations | resources |", "|---:|---|---|---|---:|---|---|---|");
    groups.forEach(({ g }, n) => {
      const facts = factsOf(g);
      out.push(
        `| ${n + 1} | ${code(g.family)} | ${g.region === "*" ? "resource `*`" : g.region} | ${tableCell(g.conditions)} | ${g.cells.length} | ${tableCell(transitionsText(facts.transitions))} | ` +
          `${tableCell(listed(facts.operations, 6))} | ${tableCell(listed(facts.resources.map(code), 2))} |`,
      );
    });
    const escapedHint = hint?.replace(/</g, "&lt;").replace(/>/g, "&gt;");
    out.push("", `<details><summary>Example requests${escapedHint ? `: reproduce with <code>${escapedHint}</code>` : ""}</summary>`, "");
    groups.forEach(({ g, i }, n) => {
      const example = g.cells[0]!;
      out.push(`${n + 1}. ${code(example.cell.operation)} on ${code(example.resource)}: ${outcomeText(example.old)} → ${outcomeText(example.new)}`);
      out.push(options.examplePaths ? `   ${code(options.examplePaths[i]!)}` : ["", "```json", JSON.stringify(requestFileJson(example.cell.request)), "```", ""].map((l) => (l ? `   ${l}` : l)).join("\n"));
    });
    out.push("", "</details>");
  }
  out.push("", `#### Structural change (RFC 6902, ${plural(diff.patch.length, "operation")})`, "", "```json", JSON.stringify(diff.patch, null, 2), "```");
  return out.join("\n") + "\n";
}

export function renderJson(diff: PolicyDiff, options: RenderOptions = {}): string {
  const outcome = (o: Outcome): object => ({
    decision: o.decision,
    determining: o.determining.map(({ policy, statement, sid }) => ({ policy, statement, ...(sid !== undefined ? { sid } : {}) })),
  });
  const version = (v: PolicyDiff["old"]): object => ({ source: v.label, policies: v.policies.map((p) => p.name) });
  return (
    JSON.stringify(
      {
        old: version(diff.old),
        new: version(diff.new),
        universe: diff.delta.universe,
        summary: diff.delta.counts,
        groups: diff.delta.groups.map((g, i) => {
          const facts = factsOf(g);
          const example = g.cells[0]!;
          return {
            change: g.change,
            family: g.family,
            region: g.region,
            conditions: g.conditions,
            cells: g.cells.length,
            transitions: facts.transitions,
            operations: facts.operations,
            resources: facts.resources,
            example: {
              operation: example.cell.operation,
              resource: example.resource,
              old: outcome(example.old),
              new: outcome(example.new),
              request: requestFileJson(example.cell.request),
              ...(options.examplePaths ? { file: options.examplePaths[i] } : {}),
            },
          };
        }),
        patch: diff.patch,
      },
      null,
      2,
    ) + "\n"
  );
}
