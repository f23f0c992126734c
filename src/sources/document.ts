import type { PolicyKind } from "../policy/ast.js";
import type { Finding, Span } from "../policy/findings.js";
import { parseJsonSource, type JsonSource, type SourceNode } from "../policy/json-source.js";

/**
 * One policy document found in an input: a policy file itself, or a document embedded in a Terraform or ROS
 * file. Its JSON `text` is what the parser and the linter read; `toHost` moves their spans back to where the
 * document is written, so findings point at the file the user edits.
 */
export interface PolicyDocument {
  /** The name a person recognises: `ess-ops` for ess-ops.json, `main.tf:alicloud_ram_policy.ess_ops` when embedded. */
  readonly name: string;
  /** The file the document is written in, as the user named it. */
  readonly file: string;
  /** That file's text, for source lines under findings. */
  readonly hostText: string;
  readonly kind: PolicyKind;
  /** The document as JSON. */
  readonly text: string;
  /** Whether `text` is the whole file (so `--fix` may rewrite it). */
  readonly standalone: boolean;
  /** Values only known once Terraform or ROS renders the template: not checked. */
  readonly unrendered: readonly Unrendered[];
  /** A span of `text` (with the JSON Pointer of its node) → the span in `hostText`. */
  toHost(span: Span, path: string): Span;
}

export interface Unrendered {
  /** JSON Pointer of the value in the document. */
  readonly path: string;
  /** The expression as written, e.g. `${var.account_id}` or `var.extra_actions`. */
  readonly expression: string;
  /** Where the expression is written. */
  readonly span: Span;
}

/** The rule id of the note that says a value was not checked. */
export const UNRENDERED_RULE = "unrendered-value";

const lineStarts = (text: string): number[] => {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
};

/** Offset ↔ 1-based line/column of one text, by binary search over its line starts. */
export class LineIndex {
  private readonly starts: number[];
  constructor(readonly text: string) {
    this.starts = lineStarts(text);
  }
  position(offset: number): { line: number; column: number } {
    let [lo, hi] = [0, this.starts.length - 1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
  offset(line: number, column: number): number {
    return (this.starts[Math.min(line, this.starts.length) - 1] ?? 0) + column - 1;
  }
  span(start: number, end: number): Span {
    const s = this.position(start);
    const e = this.position(end);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }
}

/** For a document that is `text` copied from `host` at `start` (same length, characters maybe masked): exact spans. */
export function offsetMapping(text: string, host: LineIndex, start: number): (span: Span) => Span {
  const own = new LineIndex(text);
  return (span) => host.span(start + own.offset(span.line, span.column), start + own.offset(span.endLine, span.endColumn));
}

/**
 * For a document generated from another syntax (YAML, HCL, a ROS template): each node's span in the host, by
 * JSON Pointer. A finding moves to its node's host span (the member name's, when the finding marks the name).
 */
export function pointerMapping(text: string, hostNodes: ReadonlyMap<string, SourceNode>): (span: Span, path: string) => Span {
  const parsed = parseJsonSource(text);
  const own: JsonSource | undefined = parsed.ok ? parsed.source : undefined;
  return (span, path) => {
    for (let p = path; ; p = p.slice(0, p.lastIndexOf("/"))) {
      const host = hostNodes.get(p);
      if (host) {
        const key = own?.nodes.get(p)?.keySpan;
        const onKey = key !== undefined && key.line === span.line && key.column === span.column;
        return onKey && host.keySpan ? host.keySpan : host.span;
      }
      if (p === "") return { line: 1, column: 1, endLine: 1, endColumn: 1 };
    }
  };
}

const under = (path: string, parent: string): boolean => path === parent || path.startsWith(parent + "/");

/**
 * Whether a finding at `path` may depend on the unrendered value at `value`: it is on that value or inside it,
 * or on the statement (or element) that holds it ("this Allow never matches" reasons over all its resources).
 * Document-level findings stand.
 */
const dependsOn = (path: string, value: string): boolean => under(path, value) || (under(value, path) && /^\/Statement\/\d+/.test(path));

/**
 * A document's findings in its host file: those on unrendered values are dropped (what they would say depends
 * on the value Terraform or ROS fills in) and replaced by one note per value saying it was not checked.
 */
export function hostFindings(doc: PolicyDocument, findings: readonly Finding[]): Finding[] {
  const kept = findings
    .filter((f) => !doc.unrendered.some((u) => dependsOn(f.path, u.path)))
    .map((f) => {
      const { fix: _fix, fixDescription: _description, ...rest } = f;
      // A fix is a patch of the JSON document; only a standalone file can take it.
      return { ...(doc.standalone ? f : rest), ...doc.toHost(f, f.path), file: doc.file };
    });
  const notes: Finding[] = doc.unrendered.map((u) => ({
    ruleId: UNRENDERED_RULE,
    severity: "Suggestion",
    message: `not checked: ${u.expression} is only known when the template is rendered (${doc.name}${u.path ? ` at ${u.path}` : ""})`,
    path: u.path,
    file: doc.file,
    ...u.span,
  }));
  return [...kept, ...notes].sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
}
