// The playground in real headless Chromium: every scenario example shows the decision its suite expects, a
// policy edited into an invalid one gets a lint marker, and the marker's fix repairs it; export, import and the
// parameter buttons round-trip a request. Screenshots go to test/artifacts/. Skipped where Chromium is not
// installed (.ci/run installs it).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { chromium, type Browser, type Page } from "playwright-core";
import { servePlayground, type PlaygroundServer } from "../src/cli/playground.js";
import { parseRequestFile } from "../src/cli/request-file.js";
import { buildPlayground, loadExamples } from "../scripts/build-playground.mjs";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = new URL("./artifacts/", import.meta.url).pathname;
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

interface ExampleCase {
  id: string;
  name: string;
  expect: string;
}

if (!existsSync(CHROMIUM)) {
  t.skip(`${CHROMIUM} is not installed (apt-get install chromium); the playground browser test needs it`, () => {});
} else {
  const work = mkdtempSync(join(tmpdir(), "ess-playground-"));
  let server: PlaygroundServer;
  let browser: Browser;
  let page: Page;
  /** Requests the page made outside its own origin: the playground must make none. */
  const foreign: string[] = [];
  const pageErrors: string[] = [];

  t.before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dir = await buildPlayground(join(work, "site"));
    server = await servePlayground(dir, 0);
    // launch() gives the browser a fresh temporary profile of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 20_000 });
    page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    page.setDefaultTimeout(5_000);
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith(server.url)) return route.continue();
      foreign.push(route.request().url());
      return route.abort();
    });
    await page.goto(server.url);
  });

  t.teardown(async () => {
    await browser?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const decisionShown = (expected: string) =>
    page.waitForFunction((want) => document.getElementById("decision")?.dataset.decision === want, expected).then(
      () => expected,
      async () => (await page.locator("#decision").getAttribute("data-decision")) ?? "(none)",
    );

  t.test("every scenario example shows the decision its suite expects", async (t) => {
    const examples = loadExamples() as ExampleCase[];
    t.ok(examples.length >= 20, "the suites give the examples");
    for (const example of examples) {
      await page.click(`button[data-example="${example.id}"]`);
      t.equal(await decisionShown(example.expect), example.expect, `${example.id} ${example.name}`);
    }
    await page.click(`button[data-example="r1-4"]`);
    await decisionShown("ExplicitDeny");
    t.ok(await page.locator(".line-determining").count(), "the determining Deny statement is highlighted in the editor");
    t.match(await page.locator("#explanation").innerText(), /Closest Allow/, "a denial names the closest Allow");
    await page.screenshot({ path: join(ARTIFACTS, "playground-explicit-deny.png"), fullPage: true });
  });

  t.test("the URL carries the case, so a shared link shows the same decision", async (t) => {
    await page.click(`button[data-example="t3-2"]`);
    await decisionShown("ExplicitDeny");
    const shared = await browser.newPage();
    await shared.goto(page.url());
    await shared.waitForFunction(() => document.getElementById("decision")?.dataset.decision === "ExplicitDeny", undefined, { timeout: 5_000 });
    t.pass("the shared link decides ExplicitDeny");
    await shared.close();
  });

  t.test("an invalid edit gets a lint marker whose fix repairs the policy", async (t) => {
    await page.click(`button[data-example="t2-1"]`);
    const editor = page.locator(".policy textarea").first();
    const original = await editor.inputValue();
    await editor.fill(original.replace("ess:Describe*", "ess:Describle*"));
    const marker = page.locator(".finding", { hasText: "ess:Describle*" });
    await marker.waitFor();
    t.match(await marker.innerText(), /Error/, "the marker shows the Error severity");
    t.ok(await page.locator(".line-Error").count(), "the offending line is highlighted");
    await page.screenshot({ path: join(ARTIFACTS, "playground-lint-marker.png"), fullPage: true });
    await marker.locator("button.fix").click();
    await marker.waitFor({ state: "detached" });
    t.match(await editor.inputValue(), /"ess:Describe\*"/, "the fix restored ess:Describe*");

    await editor.fill("{ not json");
    await page.locator(".finding .sev-Error").first().waitFor();
    t.equal(await decisionShown("invalid"), "invalid", "an unparsable policy is not decided");
  });

  t.test("a ForAllValues: condition over an absent key: the trace says it held only vacuously, the linter warns", async (t) => {
    await page.click(`button[data-example="t2-1"]`);
    await decisionShown("Allow");
    const editor = page.locator(".policy textarea").first();
    // The example's request carries no acs:RequestTag/owner: ForAllValues: holds on the empty set (docs/semantics.md §3).
    const vacuous = { Version: "1", Statement: [{ Effect: "Allow", Action: "ess:Describe*", Resource: "*", Condition: { "ForAllValues:StringEquals": { "acs:RequestTag/owner": "alice" } } }] };
    await editor.fill(JSON.stringify(vacuous, null, 2));
    await page.locator(".finding", { hasText: "ForAllValues:StringEquals" }).waitFor();
    t.equal(await decisionShown("Allow"), "Allow", "the vacuous Allow applies");
    const note = page.locator("#explanation .vacuous").first();
    await note.waitFor();
    t.match(await note.innerText(), /holds only because the request has no acs:RequestTag\/owner/);
    t.match(await page.locator(".finding", { hasText: "ForAllValues:StringEquals" }).innerText(), /SecurityWarning/);
    // With the key required by ForAnyValue:, the request without it is denied and the trace says why.
    const required = { ...vacuous, Statement: [{ ...vacuous.Statement[0], Condition: { ...vacuous.Statement[0]!.Condition, "ForAnyValue:StringEquals": { "acs:RequestTag/owner": "alice" } } }] };
    await editor.fill(JSON.stringify(required, null, 2));
    t.equal(await decisionShown("ImplicitDeny"), "ImplicitDeny");
    t.match(await page.locator("#explanation").innerText(), /ForAnyValue: is false on an absent key/);
    await page.screenshot({ path: join(ARTIFACTS, "playground-set-qualifier.png"), fullPage: true });
  });

  t.test("export writes a request file eval accepts; import brings it back; parameter buttons add names", async (t) => {
    await page.click(`button[data-example="t3-2"]`);
    await decisionShown("ExplicitDeny");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-request")]);
    t.equal(download.suggestedFilename(), "request.json");
    const exported = join(work, "request.json");
    await download.saveAs(exported);
    const text = readFileSync(exported, "utf8");
    const file = parseRequestFile(text, exported);
    const { params: given } = file.request;
    const params = given instanceof Map ? given : new Map(Object.entries(given));
    t.equal(params.get("Action"), await page.locator("#operation").inputValue(), "the form's operation is the file's Action");
    t.equal(params.get("RegionId"), await page.locator("#region").inputValue());

    await page.locator("#region").fill("cn-beijing");
    await page.waitForFunction(() => document.getElementById("decision")?.dataset.decision !== "ExplicitDeny");
    t.pass(`another region decides otherwise (${await page.locator("#decision").getAttribute("data-decision")})`);
    await page.setInputFiles("#import-request", exported);
    t.equal(await decisionShown("ExplicitDeny"), "ExplicitDeny", "the imported file restores the request and its decision");
    t.equal(await page.locator("#region").inputValue(), params.get("RegionId"));

    await page.locator("#operation").fill("DeleteScalingGroup");
    await page.locator("#params").fill("");
    const button = page.locator("#param-hint button", { hasText: /^ScalingGroupId$/ });
    await button.click();
    t.equal(await page.locator("#params").inputValue(), "ScalingGroupId=", "the operation's group parameter is added, ready for a value");
  });

  t.test("the page made no request beyond its own origin and threw nothing", async (t) => {
    t.same(foreign, []);
    t.same(pageErrors, []);
  });
}

t.test("the playground command refuses a bad port and a missing build", async (t) => {
  const { runCli } = await import("../src/cli/main.js");
  const stderr: string[] = [];
  const io = { cwd: process.cwd(), stdout: () => {}, stderr: (s: string) => void stderr.push(s) };
  t.equal(await runCli(["playground", "--port", "http"], io), 2);
  t.match(stderr.join(""), /--port must be a port number/);
  t.equal(await runCli(["playground", "--port", "0", "--dir", join(tmpdir(), "no-such-playground")], io), 2);
  t.match(stderr.join(""), /no playground build .* run npm run build:playground/);
});

t.test("the server serves the build's files and nothing outside it", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ess-playground-files-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>p</title>");
  const server = await servePlayground(dir, 0);
  t.teardown(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  t.ok(server.url.startsWith("http://127.0.0.1:"), "listens on 127.0.0.1 only");
  const index = await fetch(server.url);
  t.equal(index.status, 200);
  t.match(index.headers.get("content-type"), /text\/html/);
  t.equal((await fetch(`${server.url}missing.js`)).status, 404);
  t.equal((await fetch(server.url, { method: "POST" })).status, 405, "GET and HEAD only");
  // Raw request targets: fetch would normalise `..` and malformed escapes away before sending them.
  t.equal(await rawStatus(server.url, "/%E0%A4%A"), 400, "a malformed escape is a client error");
  t.equal(await rawStatus(server.url, "/../../etc/passwd"), 403, "no path out of the build");
  t.equal(await rawStatus(server.url, "/%2e%2e/%2e%2e/etc/passwd"), 403, "nor an escaped one");
  t.equal(await rawStatus(server.url, "/..%2f..%2fetc%2fpasswd"), 403, "nor one with escaped slashes");
  t.equal((await fetch(server.url)).status, 200, "the server is still up after them");
});

/** Status of a GET whose request target is sent exactly as given. */
function rawStatus(base: string, target: string): Promise<number> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path: target }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on("error", reject)
      .end();
  });
}
