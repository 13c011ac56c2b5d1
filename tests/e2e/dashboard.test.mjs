// The dashboard shows exactly what the CLI computes for the same file: every KPI (data-value against
// `ltv-lens analyze --json`), the F2 window switch (against `--f2-window 90`), Intl-formatted text in
// English and Japanese, and no request to any origin but the page's own. Saves screenshots in target/e2e/.
import assert from "node:assert/strict";
import path from "node:path";
import { before, test } from "node:test";
import {
  OUT,
  analyze,
  cliReport,
  OVERVIEW,
  assertShowsReport,
  foreignRequests,
  openPage,
  pageSession,
  sampleFile,
  shownRawValues,
  shownValues,
} from "./helpers.mjs";

const session = pageSession();
let file;

before(async () => {
  file = sampleFile(400, 11);
});

/** The Intl formatting the page is expected to use, computed in the browser (same ICU data as the page). */
function intlText(page, locale, value, options) {
  return page.evaluate(([l, v, o]) => new Intl.NumberFormat(l, o).format(v), [locale, value, options]);
}

test("every KPI shown equals the CLI's report for the same file, for the default and a 90-day F2 window", async () => {
  const { context, page, requests, problems } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, file), "ready");

  const report = cliReport(file);
  assertShowsReport(await shownRawValues(page), report, OVERVIEW);

  // The 90-day window comes from report.f2_by_window (no re-analysis) and must equal the CLI's
  // --f2-window 90; nothing else on the page changes.
  await page.check('input[name="f2-window"][value="90"]');
  const report90 = cliReport(file, "--f2-window", "90");
  assert.equal(report90.kpis.f2.window_days, 90);
  assertShowsReport(await shownRawValues(page), { ...report, kpis: { ...report.kpis, f2: report90.kpis.f2 } }, OVERVIEW);

  const text = Object.fromEntries(Object.entries(await shownValues(page)).map(([name, { text: t }]) => [name, t]));
  assert.equal(text["kpis.customers"], await intlText(page, "en-US", report.kpis.customers, { maximumFractionDigits: 0 }));
  assert.equal(text["kpis.revenue"], await intlText(page, "en-US", report.kpis.revenue, { style: "currency", currency: report.currency }));
  assert.equal(text["kpis.aov"], await intlText(page, "en-US", report.kpis.aov, { style: "currency", currency: report.currency }));
  assert.equal(
    text["kpis.f2.rate"],
    await intlText(page, "en-US", report90.kpis.f2.rate, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  );
  assert.match(text["kpis.revenue"], /^¥[\d,]+$/);
  assert.match(text["kpis.repeat_rate"], /^\d+\.\d%$/);
  assert.match(text["kpis.days_to_second.median"], /^[\d.]+ days?$/);

  // The window selector and the definitions work from the keyboard.
  await page.focus('input[name="f2-window"][value="90"]');
  await page.keyboard.press("ArrowRight");
  assert.equal((await shownRawValues(page))["kpis.f2.window_days"], 180);
  await page.keyboard.press("ArrowLeft");
  assert.equal((await shownRawValues(page))["kpis.f2.window_days"], 90);
  const repeatDefinition = page.locator("article", { has: page.getByRole("heading", { name: "Repeat rate" }) }).locator("details.def");
  await repeatDefinition.locator("summary").focus();
  await page.keyboard.press("Enter");
  assert.match(await repeatDefinition.locator("p").innerText(), /2 or more purchase occasions/);
  await page.keyboard.press("Escape");
  assert.equal(await repeatDefinition.getAttribute("open"), null);

  await page.screenshot({ path: path.join(OUT, "dashboard-en.png"), fullPage: true });

  // A chart tooltip renders under the page's Content-Security-Policy (a violation would be a console error).
  const chart = page.locator("#chart-monthly");
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.3);
  await page.locator("#chart-monthly div", { hasText: "Returning" }).last().waitFor();

  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the page follows a Japanese browser and switches language with its button", async () => {
  const { context, page, requests, problems } = await openPage(session.browser, session.server, { locale: "ja-JP" });
  assert.equal(await page.getAttribute("html", "lang"), "ja");
  assert.equal(await analyze(page, file), "ready");

  const report = cliReport(file);
  assertShowsReport(await shownRawValues(page), report, OVERVIEW);
  const shown = await shownValues(page);
  assert.equal(shown["kpis.revenue"].text, await intlText(page, "ja-JP", report.kpis.revenue, { style: "currency", currency: report.currency }));
  assert.equal(shown["kpis.customers"].text, await intlText(page, "ja-JP", report.kpis.customers, { maximumFractionDigits: 0 }));
  for (const term of ["F2転換率", "リピート率", "顧客数", "注文数", "売上", "平均注文額(AOV)", "2回目購入までの日数"]) {
    assert.ok(await page.getByRole("heading", { name: term, exact: true }).isVisible(), term);
  }

  // Every KPI's definition is one click away, in the same language.
  const definition = page.locator("article", { has: page.getByRole("heading", { name: "F2転換率" }) }).locator("details.def");
  await definition.locator("summary").click();
  assert.match(await definition.locator("p").innerText(), /対象/);
  await definition.locator("summary").click();
  await page.screenshot({ path: path.join(OUT, "dashboard-ja.png"), fullPage: true });

  await page.click("#lang-toggle");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.ok(await page.getByRole("heading", { name: "F2 conversion", exact: true }).isVisible());
  assert.equal(
    (await shownValues(page))["kpis.revenue"].text,
    await intlText(page, "en-US", report.kpis.revenue, { style: "currency", currency: report.currency }),
  );

  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the dashboard fits a phone-width screen", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server, { viewport: { width: 390, height: 844 } });
  assert.equal(await analyze(page, file), "ready");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: path.join(OUT, "dashboard-phone.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});
