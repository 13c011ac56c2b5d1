// <ltv-lens> embedded in a vendor's page (www/embed.html, with loud global styles of its own), served with
// exactly the smallest Content-Security-Policy the package README tells hosts to send: both elements on the
// page analyse their own file with the CLI's numbers, in their own language and with their own attributes,
// without a CSP violation, and the host's own elements keep the computed styles they have without the
// elements.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { ROOT, cliReport, pageSession, sampleFile } from "./helpers.mjs";

const session = pageSession();

// The host's policy: nothing by default, then only what the package README says a host must allow.
const NEEDED = "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'";
const HOST_POLICY = `default-src 'none'; ${NEEDED}`;

// The host's elements, and what of them the embedded elements must leave alone.
const HOST_ELEMENTS = ["html", "body", ".vendor-nav a", ".vendor-title", ".vendor-text", ".vendor-button", ".vendor-panel h2"];
const PROPERTIES = ["font-family", "font-size", "line-height", "color", "background-color", "letter-spacing", "text-align", "text-transform", "margin-top", "border-top-style", "border-top-width"];

/**
 * Opens embed.html with the host policy on its response; `bare` leaves the element script out, for the
 * host's styles as they are without it. Console errors (CSP violations among them) go to `problems`.
 */
async function openEmbed({ bare = false } = {}) {
  const context = await session.browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  const problems = [];
  await context.route("**/embed.html", async (route) => {
    const response = await route.fetch();
    let body = await response.text();
    if (bare) body = body.replace('<script type="module" src="pkg/element.js"></script>', "");
    await route.fulfill({ response, body, headers: { ...response.headers(), "content-security-policy": HOST_POLICY } });
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`${session.server.origin}/embed.html`);
  return { context, page, problems };
}

function hostStyles(page) {
  return page.evaluate(
    ([selectors, properties]) =>
      Object.fromEntries(
        selectors.map((selector) => {
          const style = getComputedStyle(document.querySelector(selector));
          return [selector, Object.fromEntries(properties.map((name) => [name, style.getPropertyValue(name)]))];
        }),
      ),
    [HOST_ELEMENTS, PROPERTIES],
  );
}

/** {path: raw value} of every data-kpi inside the element `id`. */
function shownIn(page, id) {
  return page.$$eval(`#${id} [data-kpi]`, (nodes) => Object.fromEntries(nodes.map((node) => [node.dataset.kpi, JSON.parse(node.dataset.value)])));
}

test("the package README states the host policy this test sends", async () => {
  const readme = await readFile(path.join(ROOT, "js/README.md"), "utf8");
  assert.ok(readme.includes(NEEDED), "js/README.md names the directives a host needs");
});

test("two elements in a vendor page with the smallest host policy: each its own file, language and options; the host's styles untouched", async () => {
  const bare = await openEmbed({ bare: true });
  const before = await hostStyles(bare.page);
  await bare.context.close();

  const { context, page, problems } = await openEmbed();
  await page.waitForSelector('#lens-a[data-state="idle"]');
  await page.waitForSelector('#lens-b[data-state="idle"]');
  assert.deepEqual(await hostStyles(page), before, "the host's own elements look as they do without the elements");

  // The element's own look is its own, not the host's (the host's loud button style does not reach in).
  const choose = page.locator("#lens-a #choose-file");
  assert.notEqual(await choose.evaluate((node) => getComputedStyle(node).backgroundColor), "rgb(255, 105, 180)");
  assert.equal(await page.locator('#lens-a [role="tab"]').first().textContent(), "概要");
  assert.equal(await page.locator('#lens-b [role="tab"]').first().textContent(), "Overview");

  // Store A (f2-window="90") analyses one file; store B is untouched; then B analyses another.
  const fileA = sampleFile(300, 21);
  const fileB = sampleFile(200, 22);
  await page.locator("#lens-a #file-input").setInputFiles(fileA);
  await page.waitForSelector('#lens-a[data-state="ready"]');
  assert.equal(await page.locator("#lens-b").getAttribute("data-state"), "idle");
  const reportA = cliReport(fileA, "--f2-window", "90");
  const shownA = await shownIn(page, "lens-a");
  assert.equal(shownA["kpis.customers"], reportA.kpis.customers);
  assert.equal(shownA["kpis.revenue"], reportA.kpis.revenue);
  assert.deepEqual(
    [shownA["kpis.f2.window_days"], shownA["kpis.f2.rate"], shownA["kpis.f2.eligible"]],
    [90, reportA.kpis.f2.rate, reportA.kpis.f2.eligible],
  );
  assert.match(await page.locator('#lens-a [data-kpi="kpis.revenue"]').textContent(), /JPY/, "currency-display=code");

  await page.locator("#lens-b #file-input").setInputFiles(fileB);
  await page.waitForSelector('#lens-b[data-state="ready"]');
  const reportB = cliReport(fileB);
  const shownB = await shownIn(page, "lens-b");
  assert.deepEqual([shownB["kpis.customers"], shownB["kpis.orders"], shownB["kpis.f2.window_days"]], [reportB.kpis.customers, reportB.kpis.orders, 365]);
  assert.match(await page.locator('#lens-b [data-kpi="kpis.revenue"]').textContent(), /^¥/);
  assert.deepEqual(await shownIn(page, "lens-a"), shownA, "store A still shows its own file");

  // The element's property and event API.
  const customers = await page.evaluate(() => document.getElementById("lens-b").report.kpis.customers);
  assert.equal(customers, reportB.kpis.customers);

  assert.deepEqual(await hostStyles(page), before, "the host's own elements still look as they did");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the element tells the host what happens: progress, the Report and errors as events", async () => {
  const { context, page, problems } = await openEmbed();
  await page.waitForSelector('#lens-b[data-state="idle"]');
  const file = sampleFile(200, 23);
  const events = page.evaluate(
    () =>
      new Promise((resolve) => {
        const seen = [];
        const lens = document.getElementById("lens-b");
        document.addEventListener("ltv-lens:progress", (event) => seen.push(["progress", event.target.id, event.detail]));
        document.addEventListener("ltv-lens:report", (event) => {
          seen.push(["report", event.target.id, event.detail.kpis.orders]);
          lens.analyze(new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])]));
        });
        document.addEventListener("ltv-lens:error", (event) => {
          seen.push(["error", event.target.id, event.detail]);
          resolve(seen);
        });
      }),
  );
  await page.locator("#lens-b #file-input").setInputFiles(file);
  const seen = await events;
  const report = cliReport(file);
  const progress = seen.filter(([name]) => name === "progress");
  assert.ok(progress.length >= 1);
  assert.ok(progress.every(([, id, detail]) => id === "lens-b" && detail.read > 0 && detail.read <= detail.total));
  assert.deepEqual(seen.find(([name]) => name === "report"), ["report", "lens-b", report.kpis.orders]);
  const [, id, error] = seen.at(-1);
  assert.equal(id, "lens-b");
  assert.equal(error.code, "not_text");
  assert.equal(typeof error.message, "string");
  assert.ok(error.message.length > 10);
  assert.equal(await page.locator("#lens-b").getAttribute("data-state"), "error");
  assert.deepEqual(problems, []);
  await context.close();
});
