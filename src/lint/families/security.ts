import { compileGlob } from "../../match/glob.js";
import type { LintContext } from "../context.js";
import type { LintStatement } from "../document.js";
import { ESS_ACTIONS, listActions } from "../ess-actions.js";
import { contradiction, excludedByAbsence, falseWhenAbsent, keyAbsences } from "./conditions.js";
import { documentResourceIssues } from "./resources.js";

/**
 * Statements that grant more than they seem, and statements that can never match. "Never matches" is judged
 * only for statements whose actions are all `ess:` patterns: for other services the linter cannot know.
 */
const isAllStars = (s: string): boolean => /^\*+$/.test(s);

function checkBroadAllow(ctx: LintContext, statement: LintStatement): void {
  if (statement.effect !== "Allow") return;
  if (statement.actionKind === "NotAction") {
    ctx.report("allow-not-action", "Allow with NotAction grants every action of every service except those listed, including services added later", statement.actionPointer, { onKey: true });
    return;
  }
  const everything = ctx.essActions(statement).size === ESS_ACTIONS.size;
  const anywhere = (statement.resources ?? []).some((r) => isAllStars(r.value));
  if (!everything || !anywhere || statement.conditions.length > 0) return;
  const broad = statement.actions.find((a) => a.value === "*" || a.value.toLowerCase() === "ess:*");
  ctx.report(
    "allow-all-unconditioned",
    `this Allow grants ${broad ? `"${broad.value}"` : "every ESS action"} on "*" without conditions: full control of every scaling group`,
    broad?.pointer ?? statement.actionPointer,
  );
}

/** Why a statement can never match, and the element (key) to point at. */
interface Never {
  readonly pointer: string;
  readonly reason: string;
}

function neverMatches(ctx: LintContext, statement: LintStatement): Never | undefined {
  const actions = ctx.essActions(statement);
  if (!ctx.onlyEss(statement) || actions.size === 0) return undefined;
  const excluded = excludedByAbsence(keyAbsences(ctx, statement));
  if (excluded.first && excluded.actions.size === actions.size) {
    return {
      pointer: excluded.first.condition.pointer,
      reason: `"${excluded.first.condition.key}" is never present for its actions (${listActions(actions, 8)}), and a positive or ForAnyValue: condition on a missing key is false`,
    };
  }
  const conflict = contradiction(statement);
  if (conflict) return { pointer: conflict.pointer, reason: `no request can satisfy ${conflict.operator} on "${conflict.key}" together with the statement's other conditions on that key` };
  const resources = statement.resources;
  if (!resources || resources.length === 0) return undefined;
  // Judged as the resource rules judged them: the statement is onlyEss here.
  const issues = documentResourceIssues(ctx);
  const live = resources.filter((r) => !issues.get(r)!.some((i) => i.dead));
  if (live.length === 0) return { pointer: statement.resourcePointer, reason: "none of its resources can name a scaling group" };
  // Operations on all resources are authorized on the literal `*`, which only a resource matching "*" covers (docs/semantics.md §5).
  const coversStar = live.some((r) => compileGlob(statement.effect === "Deny" ? r.value.toLowerCase() : r.value).test("*"));
  if (!coversStar && [...actions].every((a) => ESS_ACTIONS.get(a)!.onlyOnStar)) {
    return { pointer: statement.resourcePointer, reason: `its actions (${listActions(actions, 8)}) are authorized on "*" only, which none of its resources matches` };
  }
  return undefined;
}

/** A Deny whose positive conditions name keys that some of its actions never carry: the guardrail has holes. */
function checkDenyAbsence(ctx: LintContext, statement: LintStatement): void {
  const positive = keyAbsences(ctx, statement).filter((a) => falseWhenAbsent(a.condition));
  if (positive.length === 0) return;
  const never = new Set(positive.flatMap((a) => a.never));
  const unbound = new Set(positive.flatMap((a) => a.unbound).filter((a) => !never.has(a)));
  const keys = [...new Set(positive.map((a) => `"${a.condition.key}"`))].join(" or ");
  const parts = [
    ...(never.size > 0 ? [`for ${listActions(never)} (their requests never carry ${keys})`] : []),
    ...(unbound.size > 0 ? [`for ${listActions(unbound)} when the task is not bound to a scaling group`] : []),
  ];
  ctx.report(
    "deny-condition-key-absent",
    `this Deny never fires ${parts.join(", nor ")}: a positive or ForAnyValue: condition on a missing key is false`,
    positive[0]!.condition.pointer,
    { onKey: true },
  );
}

export function checkSecurity(ctx: LintContext): void {
  for (const statement of ctx.statements) {
    if (!statement.effect) continue;
    checkBroadAllow(ctx, statement);
    const never = neverMatches(ctx, statement);
    if (never) {
      const rule = statement.effect === "Allow" ? "allow-never-matches" : "deny-never-matches";
      const consequence = statement.effect === "Allow" ? "it grants nothing" : "the guardrail protects nothing";
      ctx.report(rule, `this ${statement.effect} statement can never match: ${never.reason}; ${consequence}`, never.pointer, { onKey: true });
    } else if (statement.effect === "Deny") checkDenyAbsence(ctx, statement);
  }
}
