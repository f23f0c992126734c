import { closest, distance } from "fastest-levenshtein";
import type { Condition, Effect, Policy, PolicyKind, Statement } from "./ast.js";
import { hasErrors, type Finding, type Severity } from "./findings.js";
import { isObject, parseJsonSource, pointerOf, spanAt, type JsonSource } from "./json-source.js";
import { schemaFindings } from "./schema.js";
import { OPERATORS, QUALIFIED_OPERATOR_NAMES, parseOperator } from "../conditions/operators.js";
import { parseTyped } from "../conditions/values.js";

/**
 * Character limits per policy kind, counted on the document with insignificant whitespace removed
 * (docs/semantics.md §1; https://www.alibabacloud.com/help/en/ram/product-overview/limits).
 */
export const SIZE_LIMITS: Readonly<Record<PolicyKind, number>> = {
  identity: 6144,
  session: 2048,
  control: 4096,
  trust: 6144,
};

export interface ParseOptions {
  /** Name used in decisions and findings; defaults to "policy". */
  name?: string;
  kind?: PolicyKind;
  /** File name recorded on findings. */
  file?: string;
}

export interface ParseResult {
  /** The policy, when the document has no Error. */
  readonly policy?: Policy;
  readonly findings: readonly Finding[];
  /** The parsed source with node positions, when the text was valid JSON. */
  readonly source?: JsonSource;
}

/** `<service>:<name>` with `*`/`?` wildcards, or `*` alone. */
const ACTION_SHAPE = /^(?:\*|[A-Za-z0-9*?_-]+:[A-Za-z0-9*?_-]+)$/;

export function isWellFormedAction(action: string): boolean {
  return ACTION_SHAPE.test(action);
}

/** Why an action string is not `<service>:<ApiName>`, and its repair when the mistake is a mistyped separator. */
function diagnoseMalformedAction(action: string): { reason: string; repaired?: string } {
  if (action.trim() === "") return { reason: "empty action" };
  // `ess>Create*`, `ess.Describe*`: one stray character where the colon belongs.
  const separator = /^([A-Za-z0-9-]+)[^A-Za-z0-9:*?_-]([A-Za-z0-9*?_-]+)$/.exec(action);
  if (separator) return { reason: `"${action.slice(separator[1]!.length, separator[1]!.length + 1)}" instead of ":"`, repaired: `${separator[1]}:${separator[2]}` };
  const colon = action.indexOf(":");
  if (colon < 0) return { reason: "missing the service prefix, e.g. ess:" };
  if (colon === 0) return { reason: "empty service prefix" };
  if (colon === action.length - 1) return { reason: "empty action name after the service prefix" };
  if (action.indexOf(":", colon + 1) >= 0) return { reason: 'more than one ":"' };
  const bad = /[^A-Za-z0-9:*?_-]/.exec(action);
  return { reason: `invalid character "${bad ? bad[0] : action}"` };
}

/** Length of the document with whitespace outside strings removed, in code points. */
export function minifiedLength(text: string): number {
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff) continue;
    if (inString) {
      count++;
      if (c === 92) {
        i++;
        count++;
      } else if (c === 34) inString = false;
    } else if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
    else {
      count++;
      if (c === 34) inString = true;
    }
  }
  return count;
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const own = (o: Record<string, unknown>, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The operator, qualified or not, a misspelt name most likely means (`ForAllValue:StringEquals`, `stringequals`). */
export function suggestOperator(name: string): string | undefined {
  const best = closest(name, QUALIFIED_OPERATOR_NAMES as string[]);
  return distance(name.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

class Checker {
  readonly findings: Finding[] = [];
  constructor(
    private readonly source: JsonSource,
    private readonly kind: PolicyKind,
  ) {}

  report(severity: Severity, ruleId: string, message: string, path: string, onKey = false, fix?: Pick<Finding, "fix" | "fixDescription">): void {
    this.findings.push({ ruleId, severity, message, path, ...spanAt(this.source, path, onKey), ...fix });
  }

  statement(raw: Record<string, unknown>, index: number, pointer: string): Statement | undefined {
    const before = this.findings.length;
    const hasAction = own(raw, "Action");
    const hasNotAction = own(raw, "NotAction");
    if (hasAction && hasNotAction) {
      this.report("Error", "action-exclusive", "a statement has either Action or NotAction, not both", `${pointer}/NotAction`, true);
    } else if (!hasAction && !hasNotAction) {
      this.report("Error", "element-missing", `missing required element "Action" (or "NotAction")`, pointer);
    }
    const actionKind = hasNotAction && !hasAction ? "NotAction" : "Action";
    const actions = asArray(raw[actionKind]).filter((a): a is string => typeof a === "string");
    actions.forEach((action, i) => {
      if (!ACTION_SHAPE.test(action)) {
        const path = Array.isArray(raw[actionKind]) ? `${pointer}/${actionKind}/${i}` : `${pointer}/${actionKind}`;
        const { reason, repaired } = diagnoseMalformedAction(action);
        const hint = repaired ? `; did you mean "${repaired}"?` : "";
        const fix = repaired ? { fix: [{ op: "replace" as const, path, value: repaired }], fixDescription: `replace with "${repaired}"` } : undefined;
        this.report("Error", "action-malformed", `malformed action "${action}" (${reason}): expected <service>:<ApiName>, e.g. ess:DescribeScalingGroups${hint}`, path, false, fix);
      }
    });
    if (own(raw, "NotResource")) this.report("Error", "not-resource-unsupported", "NotResource is not part of RAM's policy grammar", `${pointer}/NotResource`, true);
    if (own(raw, "NotPrincipal")) this.report("Error", "not-principal-unsupported", "NotPrincipal is not part of RAM's policy grammar", `${pointer}/NotPrincipal`, true);
    if (own(raw, "Principal") && this.kind !== "trust") {
      this.report("Error", "principal-not-allowed", `Principal is only allowed in resource-based (trust) policies, not in ${this.kind} policies`, `${pointer}/Principal`, true);
    }
    if (!own(raw, "Principal") && this.kind === "trust") {
      this.report("Error", "element-missing", `missing required element "Principal" (required in trust policies: it names who may assume the role)`, pointer);
    }
    if (!own(raw, "Resource") && this.kind !== "trust" && !own(raw, "NotResource")) {
      this.report("Error", "element-missing", `missing required element "Resource" (required in ${this.kind} policies)`, pointer);
    }
    const resources = own(raw, "Resource") ? asArray(raw.Resource).filter((r): r is string => typeof r === "string") : undefined;
    resources?.forEach((r, i) => {
      if (r === "") this.report("Error", "resource-empty", "empty resource string", Array.isArray(raw.Resource) ? `${pointer}/Resource/${i}` : `${pointer}/Resource`);
    });
    const conditions = isObject(raw.Condition) ? this.conditions(raw.Condition, `${pointer}/Condition`) : [];
    if (hasErrors(this.findings.slice(before))) return undefined;
    const stmt: Statement = {
      index,
      effect: raw.Effect as Effect,
      actionKind,
      actions,
      conditions,
      pointer,
      span: spanAt(this.source, pointer),
      ...(typeof raw.Sid === "string" ? { sid: raw.Sid } : {}),
      ...(resources ? { resources } : {}),
    };
    return stmt;
  }

  conditions(block: Record<string, unknown>, pointer: string): Condition[] {
    const out: Condition[] = [];
    for (const [operator, keys] of Object.entries(block)) {
      const opPointer = pointer + pointerOf(operator);
      const named = parseOperator(operator);
      if (!named) {
        const suggestion = suggestOperator(operator);
        const why = /IfExists$|(^|:)Null$|(^|:)Arn|(^|:)Binary/.test(operator)
          ? " (RAM does not support IfExists, Null, Arn or Binary operators)"
          : "";
        // Renaming is safe only when it cannot merge into an operator the block already has.
        const fix = suggestion && !own(block, suggestion)
          ? { fix: [{ op: "move" as const, from: opPointer, path: pointer + pointerOf(suggestion) }], fixDescription: `rename to "${suggestion}"` }
          : undefined;
        this.report("Error", "condition-operator-unknown", `unknown condition operator "${operator}"${why}${suggestion ? `; did you mean "${suggestion}"?` : ""}`, opPointer, true, fix);
        continue;
      }
      if (!isObject(keys)) continue; // the schema reports the type
      if (Object.keys(keys).length === 0) this.report("Suggestion", "condition-operator-empty", `"${operator}" lists no condition keys`, opPointer, true);
      const family = OPERATORS[named.operator].family;
      for (const [key, rawValues] of Object.entries(keys)) {
        const keyPointer = opPointer + pointerOf(key);
        const list = asArray(rawValues);
        if (Array.isArray(rawValues) && list.length === 0) {
          this.report("Error", "condition-values-empty", `condition key "${key}" has no values: the condition has no meaning`, keyPointer);
          continue;
        }
        const values: string[] = [];
        list.forEach((v, i) => {
          const valuePointer = Array.isArray(rawValues) ? `${keyPointer}/${i}` : keyPointer;
          if (typeof v === "number" || typeof v === "boolean") {
            this.report("Warning", "condition-value-unquoted", `condition value ${JSON.stringify(v)} should be a JSON string ("${String(v)}")`, valuePointer);
          } else if (typeof v !== "string") return; // the schema reports the type
          const text = String(v);
          const parsed = parseTyped(family, text, "policy");
          if (!parsed.ok) this.report("Error", "condition-value-format", `"${text}" is not valid for ${operator}: expected ${parsed.expected}`, valuePointer);
          values.push(text);
        });
        if (key.trim() === "") this.report("Error", "condition-key-empty", "empty condition key", keyPointer, true);
        out.push({ ...named, key, keyLower: key.toLowerCase(), values, pointer: keyPointer });
      }
    }
    return out;
  }
}

/** Walks every string of the document, for checks that apply anywhere (policy variables). */
function forEachString(value: unknown, pointer: string, visit: (s: string, pointer: string) => void): void {
  if (typeof value === "string") visit(value, pointer);
  else if (Array.isArray(value)) value.forEach((v, i) => forEachString(v, `${pointer}/${i}`, visit));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) forEachString(v, pointer + pointerOf(k), visit);
}

/**
 * Parses and validates a policy document: strict JSON with positions, the JSON Schema of the grammar, then the
 * semantic rules of docs/semantics.md §1 and §3. A document with any Error yields no policy.
 */
export function parsePolicy(text: string, options: ParseOptions = {}): ParseResult {
  const kind = options.kind ?? "identity";
  const name = options.name ?? "policy";
  const withFile = (fs: Finding[]): Finding[] => (options.file === undefined ? fs : fs.map((f) => ({ ...f, file: options.file! })));
  const parsed = parseJsonSource(text);
  if (!parsed.ok) return { findings: withFile(parsed.findings) };
  const source = parsed.source;
  const checker = new Checker(source, kind);
  checker.findings.push(...parsed.findings, ...schemaFindings(source));
  const doc = source.value;
  const statements: Statement[] = [];
  if (isObject(doc)) {
    const size = minifiedLength(text);
    if (size > SIZE_LIMITS[kind]) {
      checker.report("Error", "policy-too-large", `policy is ${size} characters without whitespace; a ${kind} policy may have at most ${SIZE_LIMITS[kind]}`, "");
    }
    const rawStatements = doc.Statement;
    if (isObject(rawStatements)) {
      checker.report("Warning", "statement-not-array", "Statement should be an array of statements", "/Statement", true);
      const s = checker.statement(rawStatements, 0, "/Statement");
      if (s) statements.push(s);
    } else if (Array.isArray(rawStatements)) {
      if (rawStatements.length === 0) checker.report("Suggestion", "statement-empty", "Statement is empty: the policy allows and denies nothing", "/Statement");
      const sids = new Map<string, number>();
      rawStatements.forEach((raw, i) => {
        if (!isObject(raw)) return; // the schema reports the type
        if (typeof raw.Sid === "string") {
          if (sids.has(raw.Sid)) checker.report("Warning", "sid-duplicate", `Sid "${raw.Sid}" is also used by statement ${sids.get(raw.Sid)}`, `/Statement/${i}/Sid`);
          else sids.set(raw.Sid, i);
        }
        const s = checker.statement(raw, i, `/Statement/${i}`);
        if (s) statements.push(s);
      });
    }
    forEachString(doc, "", (s, p) => {
      if (/\$\{[^}]*\}/.test(s)) checker.report("Warning", "policy-variable", `RAM has no policy variables: "${s}" is matched literally`, p);
    });
  }
  const findings = withFile(checker.findings);
  if (hasErrors(findings)) return { findings, source };
  const policy: Policy = { name, kind, statements, document: doc };
  return { policy, findings, source };
}

/** Parses a policy given as a JSON value (re-serialized, so positions refer to the canonical text). */
export function policyFromValue(value: unknown, options: ParseOptions = {}): ParseResult {
  return parsePolicy(JSON.stringify(value, null, 2) ?? "null", options);
}

export class PolicyError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(findings.filter((f) => f.severity === "Error").map((f) => `${f.file ?? "policy"}:${f.line}:${f.column} ${f.message}`).join("\n"));
    this.name = "PolicyError";
  }
}

/** Like parsePolicy, but throws a PolicyError listing the Errors instead of returning them. */
export function loadPolicy(text: string, options: ParseOptions = {}): Policy {
  const r = parsePolicy(text, options);
  if (!r.policy) throw new PolicyError(r.findings);
  return r.policy;
}
