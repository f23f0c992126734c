import { basename } from "node:path";
import type { PolicyKind } from "../policy/ast.js";
import { escapePointerToken, isObject, type SourceNode } from "../policy/json-source.js";
import { pointerMapping, type PolicyDocument, type Unrendered } from "./document.js";
import type { SourceTree } from "./yaml.js";

/**
 * Policy documents in a ROS (Resource Orchestration Service) template, JSON or YAML. Property names as Alibaba
 * documents them:
 * - ALIYUN::RAM::ManagedPolicy: `PolicyDocument`, and `PolicyDocumentUnchecked` which replaces it when set
 *   (https://www.alibabacloud.com/help/en/ros/developer-reference/aliyun-ram-managedpolicy)
 * - ALIYUN::RAM::Role: `AssumeRolePolicyDocument` (the trust policy) and `Policies[].PolicyDocument`
 *   (https://www.alibabacloud.com/help/en/ros/developer-reference/aliyun-ram-role)
 */
export const isRosTemplate = (value: unknown): value is Record<string, unknown> => isObject(value) && "ROSTemplateFormatVersion" in value;

interface Embedded {
  readonly pointer: string;
  readonly label: string;
  readonly kind: PolicyKind;
}

function embeddedDocuments(resources: Record<string, unknown>): Embedded[] {
  const found: Embedded[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (!isObject(resource) || !isObject(resource.Properties)) continue;
    const props = resource.Properties;
    const base = `/Resources/${escapePointerToken(id)}/Properties`;
    const add = (key: string, label: string, kind: PolicyKind): void => {
      if (key in props) found.push({ pointer: `${base}/${key}`, label, kind });
    };
    if (resource.Type === "ALIYUN::RAM::ManagedPolicy") {
      add("PolicyDocument", id, "identity");
      add("PolicyDocumentUnchecked", `${id}.PolicyDocumentUnchecked`, "identity");
    } else if (resource.Type === "ALIYUN::RAM::Role") {
      add("AssumeRolePolicyDocument", `${id}.AssumeRolePolicyDocument`, "trust");
      if (Array.isArray(props.Policies)) {
        props.Policies.forEach((p, i) => {
          if (isObject(p) && "PolicyDocument" in p) {
            const name = typeof p.PolicyName === "string" ? p.PolicyName : String(i);
            found.push({ pointer: `${base}/Policies/${i}/PolicyDocument`, label: `${id}.Policies.${name}`, kind: "identity" });
          }
        });
      }
    }
  }
  return found;
}

const valueAt = (root: unknown, pointer: string): unknown =>
  pointer
    .split("/")
    .slice(1)
    .reduce<unknown>((v, token) => (v as Record<string, unknown>)[token.replace(/~1/g, "/").replace(/~0/g, "~")], root);

/** `{"Ref": …}` and `{"Fn::Sub": …}`-style values are computed by ROS when the stack is created. */
const isIntrinsic = (v: unknown): boolean => isObject(v) && Object.keys(v).length === 1 && /^(Ref|Fn::.+)$/.test(Object.keys(v)[0]!);

/** The document with intrinsic functions replaced by placeholder strings, and where each of them was. */
function render(value: unknown, path: string, unrendered: Omit<Unrendered, "span">[]): unknown {
  if (isIntrinsic(value)) {
    unrendered.push({ path, expression: JSON.stringify(value) });
    return `<${Object.keys(value as object)[0]}>`;
  }
  if (Array.isArray(value)) return value.map((v, i) => render(v, `${path}/${i}`, unrendered));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: render(v, `${path}/${escapePointerToken(k)}`, unrendered), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

export function rosDocuments(file: string, hostText: string, tree: SourceTree): PolicyDocument[] {
  const template = tree.value as Record<string, unknown>;
  if (!isObject(template.Resources)) return [];
  return embeddedDocuments(template.Resources).map(({ pointer, label, kind }) => {
    const found: Omit<Unrendered, "span">[] = [];
    const value = render(valueAt(template, pointer), "", found);
    const nodes = new Map<string, SourceNode>();
    for (const [p, node] of tree.nodes) if (p === pointer || p.startsWith(pointer + "/")) nodes.set(p.slice(pointer.length), node);
    const spanOf = (path: string): SourceNode["span"] => nodes.get(path)?.span ?? nodes.get("")!.span;
    const tagged = tree.tagged.filter((u) => u.path === pointer || u.path.startsWith(pointer + "/")).map((u) => ({ ...u, path: u.path.slice(pointer.length) }));
    const text = JSON.stringify(value, null, 2);
    return {
      name: `${basename(file)}:${label}`,
      file,
      hostText,
      kind,
      text,
      standalone: false,
      unrendered: [...found.map((u) => ({ ...u, span: spanOf(u.path) })), ...tagged],
      toHost: pointerMapping(text, nodes),
    };
  });
}
