// The Report arrives in parts: the worker sends the head (schema_version, as_of, currency, input), then each
// section as it is computed, in the registry's order with the models last; put together they are the CLI's
// Report. A view whose sections have not arrived says they are being computed; the predicted view says how
// far the models' fitting has come, from the worker's "fitting" messages.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { SECTIONS } from "../../js/names.js";
import { OUT, WWW, cliReport, holdModelsSection, openPage, pageSession, settled } from "./helpers.mjs";

const session = pageSession();
const SAMPLE = path.join(WWW, "sample/sample-orders.csv");

test("the worker sends the head, then every section in registry order with the models last, which together are the CLI's Report", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server);
  const { parts, report } = await page.evaluate(async () => {
    const { analyze } = await import("./pkg/index.js");
    const file = await (await fetch("sample/sample-orders.csv")).blob();
    const parts = [];
    const analysis = await analyze(file, {}, {
      onPart: (soFar, name) => parts.push({ name, keys: Object.keys(soFar) }),
    });
    analysis.close();
    return { parts, report: analysis.report };
  });
  const head = ["schema_version", "as_of", "currency", "input"];
  const order = [...SECTIONS.map((section) => section.name).filter((name) => name !== "models"), "models"];
  assert.deepEqual(
    parts.map((part) => part.name),
    [null, ...order],
  );
  // Each part adds its own key to what came before.
  parts.forEach((part, i) => assert.deepEqual(part.keys, [...head, ...order.slice(0, i)]));
  assert.deepEqual(report, cliReport(SAMPLE));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a view opened before its sections arrive says they are being computed, then shows them", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server);
  // Hold the models back: the page's worker delivers its "section" message for them (and what follows it)
  // only when released.
  await holdModelsSection(context);
  await page.reload();
  await page.waitForSelector('ltv-lens[data-state="idle"]');
  await page.setInputFiles("#file-input", SAMPLE);
  await page.waitForSelector("#panel-overview [data-kpi='kpis.customers']");
  await page.click("#tab-predicted");
  await page.waitForSelector("#panel-predicted .card.pending");
  assert.match(await page.locator("#panel-predicted").innerText(), /Fitting the prediction models/);
  assert.equal(await page.evaluate(() => document.querySelector("ltv-lens").dataset.state), "busy");
  await page.screenshot({ path: path.join(OUT, "parts-models-pending.png") });
  await page.evaluate(() => window.releaseModels());
  assert.equal(await settled(page), "ready");
  await page.waitForSelector("#panel-predicted [data-kpi='models.totals.clv']");
  assert.equal(await page.locator("#panel-predicted .card.pending").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

// The page does not wait for the charts (the service worker's download of every file for offline use, in the
// background after the first load, is not counted).
test("the charts library is not part of the first load: it is fetched when a file is analysed", async () => {
  const { context, page, pageRequests, problems } = await openPage(session.browser, session.server);
  const charts = `${session.server.origin}/pkg/vendor/echarts.js`;
  assert.ok(!pageRequests.includes(charts), "fetched with the page");
  await page.setInputFiles("#file-input", SAMPLE);
  assert.equal(await settled(page), "ready");
  assert.ok(pageRequests.includes(charts), "not fetched for the results");
  assert.deepEqual(problems, []);
  await context.close();
});
