import type { Operation } from "fast-json-patch";
import type { PolicyKind } from "../policy/ast.js";
import type { Finding, Severity } from "../policy/findings.js";
import { spanAt } from "../policy/json-source.js";
import { isWellFormedAction } from "../policy/parse.js";
import type { LintDocument, LintStatement } from "./document.js";
import { ESS_ACTION_NAMES, actionsMatching, isEssPattern } from "./ess-actions.js";
import { ruleMeta } from "./rules.js";

export interface ReportOptions {
  /** Put the span on the member name instead of the value. */
  readonly onKey?: boolean;
  /** Overrides the rule's default severity, where the rule documents it. */
  readonly severity?: Severity;
  readonly fix?: Operation[];
  readonly fixDescription?: string;
}

/** What every rule family gets: the document, shared analyses, and `report`. */
export class LintContext {
  readonly findings: Finding[] = [];
  private readonly actionCache = new WeakMap<LintStatement, ReadonlySet<string>>();
  // Hostile documents repeat one Action list thousands of times: expand each distinct pattern and list once.
  private readonly patternCache = new Map<string, readonly string[]>();
  private readonly actionListCache = new Map<string, ReadonlySet<string>>();

  constructor(
    readonly doc: LintDocument,
    readonly kind: PolicyKind = "identity",
  ) {}

  get statements(): readonly LintStatement[] {
    return this.doc.statements;
  }

  report(ruleId: string, message: string, pointer: string, options: ReportOptions = {}): void {
    const meta = ruleMeta(ruleId);
    this.findings.push({
      ruleId,
      severity: options.severity ?? meta.severity,
      message,
      path: pointer,
      ...spanAt(this.doc.source, pointer, options.onKey === true),
      ...(options.fix ? { fix: options.fix } : {}),
      ...(options.fixDescription ? { fixDescription: options.fixDescription } : {}),
    });
  }

  /** The ESS actions the statement applies to: its Action patterns expanded against the catalog, or their complement for NotAction. */
  essActions(statement: LintStatement): ReadonlySet<string> {
    let set = this.actionCache.get(statement);
    if (!set) {
      const listKey = JSON.stringify([statement.actionKind, statement.actions.map((a) => a.value)]);
      set = this.actionListCache.get(listKey);
      if (!set) {
        const matched = new Set(statement.actions.filter((a) => isWellFormedAction(a.value)).flatMap((a) => this.actionsMatching(a.value)));
        set = statement.actionKind === "Action" ? matched : new Set(ESS_ACTION_NAMES.filter((a) => !matched.has(a)));
        this.actionListCache.set(listKey, set);
      }
      this.actionCache.set(statement, set);
    }
    return set;
  }

  /** The canonical ESS actions an Action pattern matches (`actionsMatching`), computed once per distinct pattern. */
  actionsMatching(pattern: string): readonly string[] {
    let matched = this.patternCache.get(pattern);
    if (!matched) {
      matched = actionsMatching(pattern);
      this.patternCache.set(pattern, matched);
    }
    return matched;
  }

  /** The statement can apply to some ESS request (through a wildcard or NotAction too), or names `ess:` explicitly. */
  namesEss(statement: LintStatement): boolean {
    return this.essActions(statement).size > 0 || statement.actions.some((a) => isEssPattern(a.value));
  }

  /** Every Action pattern names ESS literally, so the catalog knows everything the statement can match. */
  onlyEss(statement: LintStatement): boolean {
    return statement.actionKind === "Action" && statement.actions.length > 0 && statement.actions.every((a) => isEssPattern(a.value));
  }
}
