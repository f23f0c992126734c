import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import { WHOLE_DOCUMENT, type Finding } from "../policy/findings.js";
import { escapePointerToken, MAX_DEPTH, type SourceNode } from "../policy/json-source.js";
import { LineIndex, type Unrendered } from "./document.js";

/** A YAML or JSON text as a plain value with the span of every node, keyed by JSON Pointer. */
export interface SourceTree {
  readonly value: unknown;
  readonly nodes: ReadonlyMap<string, SourceNode>;
  /** Values written with a local tag (`!Ref x`, `!Sub …`): only known once the template is rendered. */
  readonly tagged: readonly Unrendered[];
}

/** Far more nodes than any template holds; aliases re-read their anchor, so a few lines could otherwise expand without bound. */
const MAX_NODES = 100_000;

export type YamlParseResult = { ok: true; tree: SourceTree } | { ok: false; finding: Finding };

/**
 * Parses YAML with the `yaml` package and keeps each node's source range (`range[0]`..`range[1]`), so findings on
 * a policy written in YAML point at its lines. Aliases are read as the anchored node, at the anchor's position.
 */
export function parseYaml(text: string): YamlParseResult {
  const doc: Document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const index = new LineIndex(text);
  const error = doc.errors[0];
  if (error) {
    const at = index.span(error.pos[0], Math.max(error.pos[1], error.pos[0] + 1));
    return { ok: false, finding: { ruleId: "yaml-syntax", severity: "Error", message: `invalid YAML: ${error.message.split("\n")[0]}`, path: "", ...at } };
  }
  const nodes = new Map<string, SourceNode>();
  const tagged: Unrendered[] = [];
  const spanOf = (node: Node | null | undefined): SourceNode["span"] => (node?.range ? index.span(node.range[0], node.range[1]) : { ...WHOLE_DOCUMENT });
  let budget = MAX_NODES;
  const build = (node: unknown, pointer: string, depth: number, keySpan?: SourceNode["span"]): unknown => {
    if (--budget < 0) throw new YamlLimit(`YAML expands to more than ${MAX_NODES} values (aliases)`, spanOf(node as Node));
    const resolved = isAlias(node) ? node.resolve(doc) : node;
    const yamlNode = resolved as Node | null | undefined;
    const span = spanOf(yamlNode);
    nodes.set(pointer, keySpan ? { span, keySpan } : { span });
    if (depth > MAX_DEPTH) throw new YamlLimit(`YAML nesting deeper than ${MAX_DEPTH} levels`, span);
    const tag = yamlNode?.tag;
    if (tag?.startsWith("!") && !tag.startsWith("!!") && yamlNode!.range) {
      // The node's range starts after its tag: the note points at the tag, where the reader sees the function.
      const [start, end] = [text.lastIndexOf(tag, yamlNode!.range[0]), yamlNode!.range[1]];
      tagged.push({ path: pointer, expression: text.slice(start, end).trim(), span: index.span(start, end) });
    }
    if (isMap(resolved)) {
      const out: Record<string, unknown> = {};
      for (const pair of resolved.items) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        const value = build(pair.value, `${pointer}/${escapePointerToken(key)}`, depth + 1, spanOf(pair.key as Node));
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    if (isSeq(resolved)) return resolved.items.map((item, i) => build(item, `${pointer}/${i}`, depth + 1));
    return isScalar(resolved) ? resolved.value : null;
  };
  try {
    return { ok: true, tree: { value: build(doc.contents, "", 0), nodes, tagged } };
  } catch (e) {
    if (!(e instanceof YamlLimit)) throw e;
    return { ok: false, finding: { ruleId: "yaml-syntax", severity: "Error", message: e.message, path: "", ...e.span } };
  }
}

/** A document beyond the limits: reported as an Error of the file, never parsed further. */
class YamlLimit extends Error {
  constructor(
    message: string,
    readonly span: SourceNode["span"],
  ) {
    super(message);
  }
}
