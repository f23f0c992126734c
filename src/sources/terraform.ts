import { createRequire } from "node:module";
import { basename } from "node:path";
import type { Node as SyntaxNode, Parser } from "web-tree-sitter";
import type { PolicyKind } from "../policy/ast.js";
import type { Finding, Span } from "../policy/findings.js";
import { escapePointerToken, parseJsonSource, type JsonSource, type SourceNode } from "../policy/json-source.js";
import { LineIndex, offsetMapping, pointerMapping, type PolicyDocument, type Unrendered } from "./document.js";

/**
 * Policy documents in Terraform files of the alicloud provider:
 * - `resource "alicloud_ram_policy"`: `policy_document` (and its older name `document`);
 * - `resource "alicloud_ram_role"`: `document` and `assume_role_policy_document`, the role's trust policy;
 * - `data "alicloud_ram_policy_document"`: its `statement` blocks rendered to the JSON the provider produces
 *   (https://registry.terraform.io/providers/aliyun/alicloud/latest/docs/data-sources/ram_policy_document).
 * A document is read from a heredoc holding JSON, a quoted JSON string or `jsonencode({...})`; anything else (a
 * variable, `file()`) is only known to Terraform and reported as not checked; a data source's `.document` is
 * checked where the data source is written.
 *
 * The HCL parser is tree-sitter's HCL grammar (Terraform dialect) on web-tree-sitter, both optional peer
 * dependencies (about 8 MB with their WebAssembly), loaded on the first `.tf` file.
 */
export const HCL_PACKAGES = ["web-tree-sitter", "@tree-sitter-grammars/tree-sitter-hcl"] as const;

export class MissingHclParser extends Error {
  constructor(cause: unknown) {
    super(`reading Terraform files needs the optional packages ${HCL_PACKAGES.join(" and ")}: npm install ${HCL_PACKAGES.join(" ")}`, { cause });
  }
}

let parser: Promise<Parser> | undefined;

async function loadParser(): Promise<Parser> {
  try {
    const { Parser, Language } = await import("web-tree-sitter");
    const wasm = createRequire(import.meta.url).resolve("@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm");
    await Parser.init();
    const instance = new Parser();
    instance.setLanguage(await Language.load(wasm));
    return instance;
  } catch (e) {
    throw new MissingHclParser(e);
  }
}

/** Only files that mention a RAM resource need the parser: the others hold no policy. */
export const mentionsRamPolicy = (text: string): boolean => /alicloud_ram_(policy|role|policy_document)\b/.test(text);

export interface TerraformResult {
  readonly documents: PolicyDocument[];
  /** Syntax errors, and documents written in a way that cannot be read (a whole attribute not rendered). */
  readonly findings: Finding[];
}

const ATTRIBUTES: Record<string, { attributes: readonly string[]; kind: PolicyKind }> = {
  alicloud_ram_policy: { attributes: ["policy_document", "document"], kind: "identity" },
  alicloud_ram_role: { attributes: ["document", "assume_role_policy_document"], kind: "trust" },
};

const named = (node: SyntaxNode): SyntaxNode[] => node.namedChildren.filter((n): n is SyntaxNode => n !== null);
const unquote = (node: SyntaxNode): string => node.text.replace(/^"|"$/g, "");

/**
 * HCL string escapes (https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences),
 * with the offset in the .tf of every decoded character (and of the end), so that positions in a JSON document
 * written as a quoted string map back exactly.
 */
function decodeHcl(raw: string, start = 0): { text: string; offsets: number[] } {
  let text = "";
  const offsets: number[] = [];
  const emit = (chars: string, at: number): void => {
    text += chars;
    for (let k = 0; k < chars.length; k++) offsets.push(at);
  };
  for (let i = 0; i < raw.length; ) {
    const escape = /^\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])|^(\$\$\{|%%\{)/.exec(raw.slice(i, i + 10));
    if (!escape) {
      emit(raw[i]!, start + i);
      i++;
      continue;
    }
    const [whole, e, doubled] = escape;
    if (doubled) emit(doubled.slice(1), start + i);
    else if (e!.length > 1) emit(String.fromCodePoint(parseInt(e!.slice(1), 16)), start + i);
    else emit(({ n: "\n", r: "\r", t: "\t" } as Record<string, string>)[e!] ?? e!, start + i);
    i += whole.length;
  }
  offsets.push(start + raw.length);
  return { text, offsets };
}

/** The text of a string literal or a template without interpolations. */
const literalText = (node: SyntaxNode): string => decodeHcl(named(node).filter((n) => n.type === "template_literal").map((n) => n.text).join("")).text;

/** The single node an `expression` wraps, when it is one literal, collection or template (not `var.x`). */
function inner(expression: SyntaxNode): SyntaxNode | undefined {
  const children = named(expression);
  return children.length === 1 && ["literal_value", "collection_value", "template_expr"].includes(children[0]!.type) ? children[0] : undefined;
}

const hasTemplateParts = (node: SyntaxNode): boolean => node.descendantsOfType(["template_interpolation", "template_directive"]).length > 0;

/**
 * An HCL expression as the JSON value `jsonencode` gives it. Positions come from the syntax tree: every object
 * element's key node and value node carry their offsets in the .tf file, recorded under the JSON Pointer the
 * value gets in the document, so a finding on `/Statement/0/Action/1` points at that tuple element in the .tf.
 * Expressions only Terraform can evaluate (`var.x`, `"${…}"`, function calls) become placeholder strings and
 * are recorded as not rendered.
 */
class HclValues {
  readonly nodes = new Map<string, SourceNode>();
  readonly unrendered: Unrendered[] = [];
  constructor(private readonly index: LineIndex) {}

  span(node: SyntaxNode): Span {
    return this.index.span(node.startIndex, node.endIndex);
  }

  value(expression: SyntaxNode, pointer: string, keySpan?: Span): unknown {
    const span = this.span(expression);
    this.nodes.set(pointer, keySpan ? { span, keySpan } : { span });
    const node = expression.type === "expression" ? inner(expression) : expression;
    if (!node || (node.type === "template_expr" && hasTemplateParts(node))) {
      this.unrendered.push({ path: pointer, expression: expression.text, span });
      return `\${${expression.text.replace(/^\$\{|\}$/g, "")}}`;
    }
    const child = named(node)[0]!;
    switch (child.type) {
      case "string_lit":
      case "quoted_template":
      case "heredoc_template":
        return literalText(child);
      case "numeric_lit":
        return Number(child.text);
      case "bool_lit":
        return child.text === "true";
      case "null_lit":
        return null;
      case "tuple":
        return named(child).filter((n) => n.type === "expression").map((e, i) => this.value(e, `${pointer}/${i}`));
      default:
        return this.object(child, pointer);
    }
  }

  object(object: SyntaxNode, pointer: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const element of named(object).filter((n) => n.type === "object_elem")) {
      const keyNode = element.childForFieldName("key")!;
      const valueNode = element.childForFieldName("val")!;
      const key = this.key(keyNode);
      if (key === undefined) {
        this.unrendered.push({ path: pointer, expression: keyNode.text, span: this.span(keyNode) });
        continue;
      }
      Object.defineProperty(out, key, {
        value: this.value(valueNode, `${pointer}/${escapePointerToken(key)}`, this.span(keyNode)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  /** `Effect = …` and `"Effect" = …` name the key; `(var.k) = …` is computed. */
  private key(expression: SyntaxNode): string | undefined {
    const children = named(expression);
    if (children.length === 1 && children[0]!.type === "variable_expr") return children[0]!.text;
    const literal = inner(expression);
    const str = literal && named(literal)[0];
    return str?.type === "string_lit" ? literalText(str) : undefined;
  }
}

/** Masks `text[from, to)` so that it parses as JSON whatever it holds: same length, no quote or backslash. */
const mask = (text: string, from: number, to: number, asString: boolean): string => {
  const body = text.slice(from, to).replace(/["\\\n\r]/g, "_");
  return text.slice(0, from) + (asString ? body : `"${body.slice(1, -1)}"`) + text.slice(to);
};

/** Offsets of the JSON string literals' insides in `text`, skipping the given ranges. */
function insideStringAt(text: string, offsets: readonly { from: number; to: number }[]): boolean[] {
  const result: boolean[] = [];
  let inString = false;
  let next = 0;
  for (let i = 0; i < text.length && next < offsets.length; i++) {
    if (i === offsets[next]!.from) {
      result.push(inString);
      i = offsets[next++]!.to - 1;
      continue;
    }
    const c = text.charCodeAt(i);
    if (inString && c === 92) i++;
    else if (c === 34) inString = !inString;
  }
  return result;
}

/** The JSON Pointer of the innermost node of `source` around `offset`. */
function pointerAt(source: JsonSource, index: LineIndex, offset: number): string {
  let best = "";
  let bestLength = Infinity;
  for (const [pointer, { span }] of source.nodes) {
    const [start, end] = [index.offset(span.line, span.column), index.offset(span.endLine, span.endColumn)];
    if (start <= offset && offset < end && end - start <= bestLength) [best, bestLength] = [pointer, end - start];
  }
  return best;
}

/**
 * A heredoc holding JSON. Its body is the document, character for character, so positions map by offset.
 * `${…}` interpolations inside a JSON string stay in that string (masked, same length); outside one
 * (`"Action": ${jsonencode(var.actions)}`) they become a string of the same length. Either way their values
 * are recorded as not rendered.
 */
function heredocDocument(heredoc: SyntaxNode, host: LineIndex): { text: string; start: number; unrendered: Unrendered[] } {
  const markers = named(heredoc).filter((n) => n.type === "heredoc_identifier");
  const start = host.text.indexOf("\n", markers[0]!.endIndex) + 1;
  const end = markers.length > 1 ? markers[markers.length - 1]!.startIndex : heredoc.endIndex;
  const parts = named(heredoc)
    .filter((n) => n.type === "template_interpolation" || n.type === "template_directive")
    .map((n) => ({ from: n.startIndex - start, to: n.endIndex - start, node: n }));
  let text = host.text.slice(start, end);
  const inString = insideStringAt(text, parts);
  parts.forEach((p, i) => (text = mask(text, p.from, p.to, inString[i]!)));
  const parsed = parseJsonSource(text);
  const own = new LineIndex(text);
  const unrendered = parts.map((p) => ({
    path: parsed.ok ? pointerAt(parsed.source, own, p.from) : "",
    expression: p.node.text,
    span: host.span(p.node.startIndex, p.node.endIndex),
  }));
  return { text, start, unrendered };
}

export async function terraformDocuments(file: string, hostText: string): Promise<TerraformResult> {
  parser ??= loadParser();
  const tree = (await parser).parse(hostText);
  const host = new LineIndex(hostText);
  const root = tree!.rootNode;
  const documents: PolicyDocument[] = [];
  const findings: Finding[] = [];
  if (root.hasError) {
    const bad = root.descendantsOfType("ERROR")[0] ?? findMissing(root) ?? root;
    findings.push({ ruleId: "hcl-syntax", severity: "Error", message: `invalid Terraform (HCL) syntax near "${bad.text.slice(0, 40)}"`, path: "", file, ...host.span(bad.startIndex, bad.endIndex) });
    return { documents, findings };
  }
  const body = named(root).find((n) => n.type === "body");
  for (const block of body ? named(body).filter((n) => n.type === "block") : []) {
    const [head, ...labels] = named(block).filter((n) => n.type === "identifier" || n.type === "string_lit");
    const [type, name] = labels.map(unquote);
    if (!head || type === undefined || name === undefined) continue;
    const blockBody = named(block).find((n) => n.type === "body");
    if (!blockBody) continue;
    if (head.text === "data" && type === "alicloud_ram_policy_document") {
      documents.push(dataSourceDocument(file, host, `data.${type}.${name}`, blockBody));
      continue;
    }
    const spec = head.text === "resource" ? ATTRIBUTES[type] : undefined;
    if (!spec) continue;
    for (const attribute of named(blockBody).filter((n) => n.type === "attribute")) {
      const attr = named(attribute)[0]!.text;
      if (!spec.attributes.includes(attr)) continue;
      const doc = attributeDocument(file, host, `${type}.${name}`, spec.kind, named(attribute)[1]!);
      if (doc && "ruleId" in doc) findings.push(doc);
      else if (doc) documents.push(doc);
    }
  }
  return { documents, findings };
}

function findMissing(node: SyntaxNode): SyntaxNode | undefined {
  if (node.isMissing) return node;
  for (const child of named(node)) {
    const found = findMissing(child);
    if (found) return found;
  }
  return undefined;
}

const JSONENCODE = (expression: SyntaxNode): SyntaxNode | undefined => {
  const call = named(expression)[0];
  if (named(expression).length !== 1 || call?.type !== "function_call" || named(call)[0]!.text !== "jsonencode") return undefined;
  const args = named(call).find((n) => n.type === "function_arguments");
  const arg = args && named(args).filter((n) => n.type === "expression");
  return arg?.length === 1 ? arg[0] : undefined;
};

/** The attribute's document; a note when its value is only known to Terraform; nothing when it names a data source's. */
function attributeDocument(file: string, host: LineIndex, label: string, kind: PolicyKind, expression: SyntaxNode): PolicyDocument | Finding | undefined {
  const name = `${basename(file)}:${label}`;
  const heredoc = inner(expression) && named(inner(expression)!)[0];
  if (heredoc?.type === "heredoc_template") {
    const { text, start, unrendered } = heredocDocument(heredoc, host);
    const toHost = offsetMapping(text, host, start);
    return { name, file, hostText: host.text, kind, text, standalone: false, unrendered, toHost };
  }
  if (heredoc?.type === "string_lit") {
    // JSON in a quoted string: decoded, each character remembering where it is written.
    const parts = named(heredoc).filter((n) => n.type === "template_literal");
    const raw = parts.map((n) => n.text).join("");
    const { text, offsets } = decodeHcl(raw, parts[0]?.startIndex ?? heredoc.startIndex);
    const own = new LineIndex(text);
    const at = (line: number, column: number): number => offsets[Math.min(own.offset(line, column), offsets.length - 1)]!;
    const toHost = (span: Span): Span => host.span(at(span.line, span.column), at(span.endLine, span.endColumn));
    return { name, file, hostText: host.text, kind, text, standalone: false, unrendered: [], toHost };
  }
  const encoded = JSONENCODE(expression);
  if (encoded) {
    const values = new HclValues(host);
    const text = JSON.stringify(values.value(encoded, ""), null, 2);
    return { name, file, hostText: host.text, kind, text, standalone: false, unrendered: values.unrendered, toHost: pointerMapping(text, values.nodes) };
  }
  // A data source's rendered document is checked where the data source is written.
  if (/^data\.alicloud_ram_policy_document\.[\w-]+\.document$/.test(expression.text)) return undefined;
  return {
    ruleId: "unrendered-value",
    severity: "Suggestion",
    message: `not checked: ${expression.text} is only known when the template is rendered (${name})`,
    path: "",
    file,
    ...host.span(expression.startIndex, expression.endIndex),
  };
}

/** `statement { effect, action, resource, principal { entity, identifiers }, condition { operator, variable, values } }`. */
function dataSourceDocument(file: string, host: LineIndex, label: string, body: SyntaxNode): PolicyDocument {
  const values = new HclValues(host);
  const attributes = (b: SyntaxNode): Map<string, SyntaxNode> =>
    new Map(named(b).filter((n) => n.type === "attribute").map((a) => [named(a)[0]!.text, a] as const));
  const blocks = (b: SyntaxNode, type: string): SyntaxNode[] =>
    named(b).filter((n) => n.type === "block" && named(n)[0]!.text === type).map((n) => named(n).find((c) => c.type === "body")).filter((n): n is SyntaxNode => n !== undefined);
  const put = (target: Record<string, unknown>, key: string, attribute: SyntaxNode | undefined, pointer: string): void => {
    if (attribute) target[key] = values.value(named(attribute)[1]!, pointer, values.span(named(attribute)[0]!));
  };
  const top = attributes(body);
  const document: Record<string, unknown> = { Version: "1" };
  values.nodes.set("", { span: values.span(body) });
  put(document, "Version", top.get("version"), "/Version");
  document.Statement = blocks(body, "statement").map((statement, i) => {
    const base = `/Statement/${i}`;
    values.nodes.set(base, { span: values.span(statement) });
    const a = attributes(statement);
    const out: Record<string, unknown> = { Effect: "Allow" };
    put(out, "Effect", a.get("effect"), `${base}/Effect`);
    put(out, "Action", a.get("action"), `${base}/Action`);
    put(out, "Resource", a.get("resource"), `${base}/Resource`);
    for (const principal of blocks(statement, "principal")) {
      const p = attributes(principal);
      const entity = p.get("entity") && values.value(named(p.get("entity")!)[1]!, `${base}/Principal`);
      if (typeof entity === "string") put(((out.Principal ??= {}) as Record<string, unknown>), entity, p.get("identifiers"), `${base}/Principal/${escapePointerToken(entity)}`);
    }
    for (const condition of blocks(statement, "condition")) {
      const c = attributes(condition);
      const operator = c.get("operator") && values.value(named(c.get("operator")!)[1]!, `${base}/Condition`);
      const variable = c.get("variable") && values.value(named(c.get("variable")!)[1]!, `${base}/Condition`);
      if (typeof operator !== "string" || typeof variable !== "string") continue;
      const byOperator = ((out.Condition ??= {}) as Record<string, Record<string, unknown>>);
      put((byOperator[operator] ??= {}), variable, c.get("values"), `${base}/Condition/${escapePointerToken(operator)}/${escapePointerToken(variable)}`);
      values.nodes.set(`${base}/Condition/${escapePointerToken(operator)}`, { span: values.span(condition) });
    }
    return out;
  });
  values.nodes.set("/Statement", { span: values.span(body) });
  const text = JSON.stringify(document, null, 2);
  // Only a trust policy may name a Principal: a data source that does is meant for a role's document.
  const kind = (document.Statement as Record<string, unknown>[]).some((st) => "Principal" in st) ? "trust" : "identity";
  return { name: `${basename(file)}:${label}`, file, hostText: host.text, kind, text, standalone: false, unrendered: values.unrendered, toHost: pointerMapping(text, values.nodes) };
}
