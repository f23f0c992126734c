/// <reference lib="dom" />
/**
 * The playground page: plain DOM over the engine. Every edit re-lints and re-decides; the state lives in the
 * URL hash so that a case can be shared.
 */
import type { Finding } from "../policy/findings.js";
import type { ConditionTrace, StatementRef, StatementTrace } from "../evaluate/decision.js";
import { closestAllow, describeCondition, holdsVacuously, shortfalls } from "../evaluate/explain.js";
import { OPERATIONS, getOperation } from "../ess/catalog.js";
import { visibleGroups } from "../ess/decide.js";
import type { ApiVersion } from "../ess/types.js";
import { applyFix, decide, lint, statementSpan, type PolicyText, type RequestFileValue } from "./engine.js";
import { EXAMPLES } from "./examples.js";

interface State {
  policies: PolicyText[];
  request: RequestFileValue;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

// ---- state ⇄ URL (UTF-8 safe base64 of the JSON) ----

const encodeState = (s: State): string => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(s))));
const decodeState = (hash: string): State | undefined => {
  try {
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(hash), (c) => c.charCodeAt(0)))) as State;
  } catch {
    return undefined;
  }
};

const linesOf = (record: Record<string, string> | undefined): string =>
  Object.entries(record ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");

function recordOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

// ---- policy editors ----

interface Editor {
  name: HTMLInputElement;
  text: HTMLTextAreaElement;
  backdrop: HTMLPreElement;
  findings: HTMLUListElement;
  lastFindings: Finding[];
}

const editors: Editor[] = [];

function addEditor(policy: PolicyText): void {
  const name = el("input", { value: policy.name, className: "policy-name", spellcheck: false });
  const text = el("textarea", { value: policy.text, spellcheck: false, wrap: "off" });
  const backdrop = el("pre");
  const findings = el("ul", { className: "findings" });
  const remove = el("button", { type: "button", textContent: "remove" });
  const panel = el("div", { className: "policy" }, el("div", { className: "policy-head" }, name, remove), el("div", { className: "editor" }, backdrop, text), findings);
  const editor: Editor = { name, text, backdrop, findings, lastFindings: [] };
  editors.push(editor);
  text.addEventListener("input", update);
  name.addEventListener("input", update);
  text.addEventListener("scroll", () => {
    backdrop.scrollTop = text.scrollTop;
    backdrop.scrollLeft = text.scrollLeft;
  });
  remove.addEventListener("click", () => {
    editors.splice(editors.indexOf(editor), 1);
    panel.remove();
    void update();
  });
  $("policy-list").append(panel);
}

/** Paints line classes behind the textarea: lint severities, and the determining statement in green. */
function paintLines(editor: Editor, determining: readonly { line: number; endLine: number }[]): void {
  const lines = editor.text.value.split("\n");
  const classes = lines.map(() => new Set<string>());
  for (const f of editor.lastFindings) for (let l = f.line; l <= Math.max(f.line, f.endLine); l++) classes[l - 1]?.add(`line-${f.severity}`);
  for (const span of determining) for (let l = span.line; l <= span.endLine; l++) classes[l - 1]?.add("line-determining");
  editor.backdrop.replaceChildren(...lines.map((line, i) => el("div", { className: [...classes[i]!].join(" ") }, line || " ")));
}

function renderFindings(editor: Editor): void {
  editor.findings.replaceChildren(
    ...editor.lastFindings.map((f) => {
      const item = el("li", { className: "finding" }, el("span", { className: `sev sev-${f.severity}`, textContent: f.severity }), ` ${f.line}:${f.column} ${f.message} `, el("code", { textContent: f.ruleId }));
      if (f.fix) {
        const fix = el("button", { type: "button", className: "fix", textContent: f.fixDescription ? `fix: ${f.fixDescription}` : "fix" });
        fix.addEventListener("click", () => {
          editor.text.value = applyFix(editor.text.value, f);
          void update();
        });
        item.append(" ", fix);
      }
      return item;
    }),
  );
}

// ---- request builder ----

const requestInputs = () => ({
  operation: $<HTMLInputElement>("operation"),
  version: $<HTMLSelectElement>("version"),
  region: $<HTMLInputElement>("region"),
  account: $<HTMLInputElement>("account"),
  params: $<HTMLTextAreaElement>("params"),
  context: $<HTMLTextAreaElement>("context"),
  store: $<HTMLTextAreaElement>("store"),
});

/** Kept from an imported or shared request file: the form has no field for it, but the decision depends on it. */
let principal: RequestFileValue["principal"];

function readRequest(): RequestFileValue {
  const f = requestInputs();
  const params: Record<string, string> = { Action: f.operation.value.trim(), Version: f.version.value };
  if (f.region.value.trim()) params.RegionId = f.region.value.trim();
  Object.assign(params, recordOf(f.params.value));
  let store: unknown = {};
  try {
    store = f.store.value.trim() ? JSON.parse(f.store.value) : {};
  } catch (e) {
    store = { invalid: `store is not JSON: ${(e as Error).message}` };
  }
  return { account: f.account.value.trim(), params, context: recordOf(f.context.value), store, ...(principal ? { principal } : {}) };
}

function writeRequest(r: RequestFileValue): void {
  const f = requestInputs();
  const { Action = "", Version = "2014-08-28", RegionId = "", ...rest } = r.params;
  principal = r.principal;
  f.operation.value = Action;
  f.version.value = Version;
  f.region.value = RegionId;
  f.account.value = r.account;
  f.params.value = linesOf(rest);
  f.context.value = linesOf(r.context);
  f.store.value = JSON.stringify(r.store ?? {}, null, 2);
}

/** The wire parameters the chosen operation takes for authorization, as buttons that add them. */
function renderParamHint(): void {
  const f = requestInputs();
  const wire = getOperation(f.operation.value.trim())?.wire[f.version.value as ApiVersion];
  const hint = $("param-hint");
  if (!wire) {
    hint.textContent = f.operation.value ? "unknown operation, or not in this API version" : "";
    return;
  }
  const names = [wire.groupId, wire.groupIds && `${wire.groupIds}.1`, ...wire.children.map((c) => (c.list ? `${c.param}.1` : c.param)), wire.tags && `${wire.tags}.1.Key`, wire.tags && `${wire.tags}.1.Value`, wire.tagKeys && `${wire.tagKeys}.1`];
  const buttons = names.filter((n): n is string => Boolean(n)).map((n) => {
    const b = el("button", { type: "button", textContent: n });
    b.addEventListener("click", () => {
      f.params.value = `${f.params.value.replace(/\n*$/, "")}${f.params.value.trim() ? "\n" : ""}${n}=`;
      void update();
    });
    return b;
  });
  hint.replaceChildren(buttons.length ? "takes: " : "takes no resource parameters", ...buttons);
}

// ---- result ----

function conditionItem(c: ConditionTrace): HTMLLIElement {
  const got = c.requestValues === null ? "absent" : c.requestValues.map((v) => JSON.stringify(v)).join(", ");
  const values = c.values.map((v) => el("span", { className: v.matched ? "ok" : "no", textContent: `${v.matched ? "✓" : "✗"} ${JSON.stringify(v.value)} ` }));
  // Qualified conditions range over a set of values, and a vacuous ForAllValues: grants without the key: say how.
  const detail = c.qualifier !== undefined || !c.satisfied ? el("div", { className: holdsVacuously(c) ? "vacuous" : "detail", textContent: describeCondition(c) }) : "";
  return el("li", {}, el("span", { className: c.satisfied ? "ok" : "no", textContent: c.satisfied ? "met " : "unmet " }), `${c.operator} ${c.key} — request: ${got} — values: `, ...values, c.reason ? ` (${c.reason})` : "", detail);
}

function statementItem(t: StatementTrace): HTMLLIElement {
  const label = `${t.applies ? (t.effect === "Deny" ? "DENY" : "ALLOW") : "–"} ${t.policy} statement ${t.statement}${t.sid ? ` (${t.sid})` : ""} [${t.effect}]`;
  const parts = el("ul", {}, el("li", { className: t.action.matched ? "ok" : "no", textContent: `action ${t.action.matched ? "matches" : "does not match"}${t.action.pattern ? ` ${t.action.pattern}` : ""}${t.action.reason ? ` (${t.action.reason})` : ""}` }), el("li", { className: t.resource.matched ? "ok" : "no", textContent: `resource ${t.resource.matched ? "matches" : "does not match"}${t.resource.pattern ? ` ${t.resource.pattern}` : ""}${t.resource.reason ? ` (${t.resource.reason})` : ""}` }), ...t.conditions.map(conditionItem));
  return el("li", { className: t.applies ? "applies" : "" }, label, parts);
}

function highlightDetermining(refs: readonly StatementRef[]): void {
  for (const editor of editors) {
    const spans = refs.filter((r) => r.policy === editor.name.value.trim()).flatMap((r) => statementSpan(editor.text.value, r.statement) ?? []);
    paintLines(editor, spans);
  }
}

let generation = 0;

async function update(): Promise<void> {
  const current = ++generation;
  const policies = editors.map((e) => ({ name: e.name.value.trim() || "policy", text: e.text.value }));
  const linted = policies.map(lint);
  editors.forEach((e, i) => {
    e.lastFindings = linted[i]!.findings;
    renderFindings(e);
  });
  renderParamHint();
  const request = readRequest();
  history.replaceState(null, "", `#${encodeState({ policies, request })}`);
  const outcome = await decide(linted, request);
  if (current !== generation) return;
  const decisionBox = $("decision");
  const explanation = $("explanation");
  if (outcome.kind === "invalid") {
    decisionBox.className = "invalid";
    decisionBox.dataset.decision = "invalid";
    decisionBox.textContent = "Not decided";
    explanation.replaceChildren(el("ul", {}, ...outcome.problems.map((p) => el("li", { textContent: p }))));
    highlightDetermining([]);
    return;
  }
  const d = outcome.decision;
  decisionBox.className = d.decision;
  decisionBox.dataset.decision = d.decision;
  decisionBox.textContent = `${d.decision} — ${d.action}`;
  const visible = visibleGroups(d);
  explanation.replaceChildren(
    ...(d.mode === "filter" ? [el("p", { className: "visible", textContent: `list call — visible groups: ${visible.join(", ") || "(none)"}` })] : []),
    ...d.resources.map((r) => {
      const by = r.determining.map((s) => `${s.policy}#${s.statement}`).join(", ");
      const block = el("div", { className: "resource" }, el("h3", { textContent: `${r.decision} ${r.arn}${by ? ` by ${by}` : ""}${r.error ? ` (${r.error})` : ""}` }), el("ul", { className: "trace" }, ...(r.trace ?? []).map(statementItem)));
      const closest = r.decision === "Allow" ? undefined : closestAllow(r.trace ?? []);
      if (closest) block.append(el("div", { className: "closest" }, `Closest Allow: ${closest.policy} statement ${closest.statement} — it lacked:`, el("ul", {}, ...shortfalls(closest).map((s) => el("li", { textContent: s })))));
      else if (r.decision !== "Allow") block.append(el("div", { className: "closest", textContent: "No Allow statement comes close: nothing allows this action." }));
      return block;
    }),
  );
  highlightDetermining(d.determining);
}

function load(state: State): void {
  editors.splice(0);
  $("policy-list").replaceChildren();
  state.policies.forEach(addEditor);
  writeRequest(state.request);
  void update();
}

function renderExamples(): void {
  const list = $("example-list");
  let suite = "";
  for (const example of EXAMPLES) {
    if (example.suite !== suite) list.append(el("div", { className: "suite", textContent: (suite = example.suite) }));
    const button = el("button", { type: "button", textContent: example.name, title: `expected ${example.expect}` });
    button.dataset.example = example.id;
    button.addEventListener("click", () => load({ policies: [...example.policies], request: structuredClone(example.request) }));
    list.append(button);
  }
}

function wireRequestForm(): void {
  $("operations").replaceChildren(...OPERATIONS.map((op) => el("option", { value: op.name, label: `${op.ramAction} (${op.accessLevel})` })));
  for (const input of Object.values(requestInputs())) input.addEventListener("input", () => void update());
  $("add-policy").addEventListener("click", () => {
    addEditor({ name: `policy-${editors.length + 1}`, text: '{\n  "Version": "1",\n  "Statement": []\n}\n' });
    void update();
  });
  $("export-request").addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([JSON.stringify(readRequest(), null, 2) + "\n"], { type: "application/json" }));
    el("a", { href: url, download: "request.json" }).click();
    URL.revokeObjectURL(url);
  });
  $<HTMLInputElement>("import-request").addEventListener("change", async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    writeRequest(JSON.parse(await file.text()) as RequestFileValue);
    void update();
  });
}

renderExamples();
wireRequestForm();
const shared = decodeState(location.hash.slice(1));
const first = EXAMPLES[0];
if (shared) load(shared);
else if (first) load({ policies: [...first.policies], request: structuredClone(first.request) });
