import type { Effect } from "../policy/ast.js";
import { isObject, pointerOf, type JsonSource } from "../policy/json-source.js";
import { OPERATORS, parseOperator, type OperatorSpec, type SetQualifier } from "../conditions/operators.js";

/**
 * A lenient view of a policy document for the lint rules. `parsePolicy` builds statements only for documents
 * without Errors; the linter must still check the other statements of a document that has one (an `ess>` typo
 * in one statement must not hide the tag-key case of another), and it needs the pointer of every element.
 */
export interface Located<T> {
  readonly value: T;
  readonly pointer: string;
}

export interface LintCondition {
  /** As written, set qualifier included. */
  readonly operator: string;
  /** Undefined for an operator RAM does not have (the parser reports it). */
  readonly spec?: OperatorSpec;
  readonly qualifier?: SetQualifier;
  readonly key: string;
  readonly keyLower: string;
  /** Pointer of the key member (`…/Condition/StringEquals/acs:ResourceTag~1team`). */
  readonly pointer: string;
  /** The string, number and boolean values, as text. */
  readonly values: readonly Located<string>[];
}

export interface LintStatement {
  readonly index: number;
  readonly pointer: string;
  /** Undefined when Effect is missing or invalid (the parser reports it). */
  readonly effect?: Effect;
  readonly actionKind: "Action" | "NotAction";
  /** Pointer of the Action/NotAction element. */
  readonly actionPointer: string;
  readonly actions: readonly Located<string>[];
  /** Undefined when the statement has no Resource element. */
  readonly resources?: readonly Located<string>[];
  readonly resourcePointer: string;
  readonly conditions: readonly LintCondition[];
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface LintDocument {
  readonly source: JsonSource;
  readonly statements: readonly LintStatement[];
}


const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The string elements of a string-or-array element, with their pointers. */
function strings(value: unknown, pointer: string): Located<string>[] {
  if (typeof value === "string") return [{ value, pointer }];
  if (!Array.isArray(value)) return [];
  return value.flatMap((v, i) => (typeof v === "string" ? [{ value: v, pointer: `${pointer}/${i}` }] : []));
}

function conditions(block: unknown, pointer: string): LintCondition[] {
  if (!isObject(block)) return [];
  const out: LintCondition[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    if (!isObject(keys)) continue;
    const opPointer = pointer + pointerOf(operator);
    const named = parseOperator(operator);
    for (const [key, raw] of Object.entries(keys)) {
      const keyPointer = opPointer + pointerOf(key);
      const list = Array.isArray(raw) ? raw.map((v, i) => ({ v, p: `${keyPointer}/${i}` })) : [{ v: raw, p: keyPointer }];
      const values = list.flatMap(({ v, p }) =>
        typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? [{ value: String(v), pointer: p }] : [],
      );
      const known = named ? { spec: OPERATORS[named.operator], ...(named.qualifier ? { qualifier: named.qualifier } : {}) } : {};
      out.push({ operator, ...known, key, keyLower: key.toLowerCase(), pointer: keyPointer, values });
    }
  }
  return out;
}

function statement(raw: Record<string, unknown>, index: number, pointer: string): LintStatement {
  const actionKind = own(raw, "NotAction") && !own(raw, "Action") ? "NotAction" : "Action";
  const effect = raw.Effect === "Allow" || raw.Effect === "Deny" ? raw.Effect : undefined;
  const resourcePointer = `${pointer}/Resource`;
  return {
    index,
    pointer,
    ...(effect ? { effect } : {}),
    actionKind,
    actionPointer: `${pointer}/${actionKind}`,
    actions: strings(raw[actionKind], `${pointer}/${actionKind}`),
    ...(own(raw, "Resource") ? { resources: strings(raw.Resource, resourcePointer) } : {}),
    resourcePointer,
    conditions: conditions(raw.Condition, `${pointer}/Condition`),
    raw,
  };
}

export function lintDocument(source: JsonSource): LintDocument {
  const doc = source.value;
  const list = isObject(doc) ? doc.Statement : undefined;
  const statements: LintStatement[] = [];
  if (isObject(list)) statements.push(statement(list, 0, "/Statement"));
  else if (Array.isArray(list)) list.forEach((raw, i) => isObject(raw) && statements.push(statement(raw, i, `/Statement/${i}`)));
  return { source, statements };
}
