// The views behind the tabs (cohorts & LTV, segments, lapse, predicted value, customer lists) show exactly what the CLI
// computes for the same file, in English and Japanese; the tabs work from the keyboard; new F bands are
// recomputed in the worker and equal `ltv-lens analyze --f-bands`; customer lists download as the bytes of
// `ltv-lens customers` (UTF-8 with BOM and Shift_JIS); no request leaves the page's origin. Saves a
// screenshot of every view in both languages in target/e2e/.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import {
  MODELS_NOT_SHOWN,
  OUT,
  OVERVIEW,
  WWW,
  analyze,
  assertShowsReport,
  cliBytes,
  cliReport,
  foreignRequests,
  leafPaths,
  openPage,
  openView,
  pageSession,
  shownRawValues,
  subscriptionFile,
} from "./helpers.mjs";
import { SCHEMA_VERSION } from "../../js/names.js";

const session = pageSession();
const SAMPLE = path.join(WWW, "sample/sample-orders.csv");

// What each view promises to show (Report paths; every value under them must be on the page).
const SHOWS = {
  overview: OVERVIEW,
  cohorts: ["cohorts", "historical_ltv"],
  drivers: ["drivers", "timing"],
  segments: ["rfm"],
  lapse: ["lapse"],
  predicted: [], // everything under models: predicted.test.mjs
  lists: [],
};
const VIEW_IDS = Object.keys(SHOWS);

// Report values no view marks with data-kpi, and why.
const NOT_SHOWN = [
  "schema_version", // for programs reading the Report, not for people
  "as_of", // worded into the results heading ("as of …") and the F2 cut-off sentence, not a figure of its own
  "currency", // formats every amount and is named in the revenue caption
  "input.columns", // listed as "Columns used" (the header names as text)
  "input.orders_after_as_of", // always 0 on the page, which has no analysis-date input
  "f2_by_window", // the F2 window switch shows one entry at a time as kpis.f2 (dashboard.test.mjs checks each)
  "days_to_second_histogram", // drawn as a chart; its numbers are in the chart's table, one click away
  "monthly", // drawn as a chart; its numbers are in the chart's table, one click away
  ...MODELS_NOT_SHOWN,
  "subscriptions", // null for this file (no subscription column): the tab is hidden; shown for a subscription file below
];

// Subscription values the Subscriptions view does not mark with data-kpi, and why.
const SUBSCRIPTIONS_NOT_SHOWN = [
  "subscriptions.unit", // names the units figure ("Subscriptions" or "Subscribers")
  "subscriptions.notes", // worded from their code and args in the page's language
  "subscriptions.sbg_note", // null with a projection; worded from its code when there is none
];

/** The CLI's customer list (`ltv-lens customers FILE …`) as bytes. */
function cliCustomers(file, ...options) {
  return cliBytes("customers", file, ...options);
}


/** Clicks `button` and returns {name, bytes} of the download it starts. */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  const bytes = await readFile(await file.path());
  return { name: file.suggestedFilename(), bytes };
}

test("every view shows the CLI's report, in English and in Japanese, and the tabs work from the keyboard", async () => {
  const { context, page, requests, problems } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, SAMPLE), "ready");
  const report = cliReport(SAMPLE);
  assert.equal(report.schema_version, SCHEMA_VERSION);

  // Views with nothing to show for this file (no subscriptions) have no tab.
  const tabs = await page.$$eval('[role="tablist"] [role="tab"]:not([hidden])', (nodes) => nodes.map((node) => node.id));
  assert.deepEqual(tabs, VIEW_IDS.map((id) => `tab-${id}`));
  for (const lang of ["en", "ja"]) {
    if (lang === "ja") await page.click("#lang-toggle");
    for (const id of VIEW_IDS) {
      await openView(page, id);
      assert.equal(await page.getAttribute(`#tab-${id}`, "aria-selected"), "true");
      assert.equal(await page.locator('[role="tabpanel"]:not([hidden])').count(), 1);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${id} (${lang}) is ${overflow}px wider than the screen`);
      await page.screenshot({ path: path.join(OUT, `view-${id}-${lang}.png`), fullPage: true });
    }
    // Every view has been rendered in this language: each value shown is the CLI's, and each view shows
    // everything it promises.
    const shown = await shownRawValues(page);
    assertShowsReport(shown, report, Object.values(SHOWS).flat(), lang);
    // Every value of the Report is on the page or listed in NOT_SHOWN: a new section or field fails here
    // until a view shows it or the list says why it does not.
    const unaccounted = Object.keys(report)
      .flatMap((key) => leafPaths(report, key))
      .filter((p) => !(p in shown) && !NOT_SHOWN.some((prefix) => p === prefix || p.startsWith(`${prefix}.`)));
    assert.deepEqual(unaccounted, [], `${lang}: Report values neither shown nor listed in NOT_SHOWN`);
  }

  // Japanese names and the follow-up timing come from the strings and the report.
  await openView(page, "segments");
  const segments = await page.locator("#panel-segments").innerText();
  for (const name of ["優良顧客", "新規顧客", "離反しかけの優良顧客", "休眠予備軍"]) assert.ok(segments.includes(name), name);
  const median = await page.evaluate(
    (days) => new Intl.NumberFormat("ja-JP", { style: "unit", unit: "day", unitDisplay: "long", maximumFractionDigits: 1 }).format(days),
    report.kpis.days_to_second.median,
  );
  assert.ok((await page.locator('[data-segment="new"] .segment-action').innerText()).includes(median));

  // WAI-ARIA tabs: arrows move and select (wrapping), Home and End jump; the selected tab is the tab stop.
  await page.click("#lang-toggle");
  await page.focus("#tab-overview");
  await page.click("#tab-overview");
  const focusedTab = () => page.evaluate(() => document.querySelector("ltv-lens").shadowRoot.activeElement?.id);
  await page.keyboard.press("ArrowRight");
  assert.equal(await focusedTab(), "tab-cohorts");
  assert.equal(await page.getAttribute("#tab-cohorts", "aria-selected"), "true");
  assert.ok(await page.locator("#panel-cohorts").isVisible());
  await page.keyboard.press("End");
  assert.equal(await focusedTab(), "tab-lists");
  await page.keyboard.press("ArrowRight");
  assert.equal(await focusedTab(), "tab-overview");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await focusedTab(), "tab-lists");
  await page.keyboard.press("Home");
  assert.equal(await focusedTab(), "tab-overview");
  assert.deepEqual(await page.$$eval('[role="tab"]:not([hidden])', (nodes) => nodes.map((node) => node.tabIndex)), [0, ...VIEW_IDS.slice(1).map(() => -1)]);

  // The shop's margin and acquisition cost give gross-profit LTV and LTV ÷ CAC, figured on the page.
  await openView(page, "cohorts");
  await page.fill("#input-margin", "40");
  await page.fill("#input-cac", "2000");
  const ltv12 = report.historical_ltv.find((entry) => entry.months === 12).avg_revenue_per_customer;
  const shownRatio = await page.locator('[data-derived="ltv_cac_12"]').innerText();
  assert.ok(shownRatio.includes((Math.round(((ltv12 * 0.4) / 2000) * 10) / 10).toFixed(1)), shownRatio);
  await page.screenshot({ path: path.join(OUT, "view-cohorts-margin-en.png"), fullPage: true });

  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("new F bands recompute the grid and the segments from the same analysis, as the CLI does", async () => {
  const { context, page, requests, problems } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, SAMPLE), "ready");
  const before = cliReport(SAMPLE);
  await openView(page, "segments");
  assertShowsReport(await shownRawValues(page), before, ["rfm"]);

  // Invalid bands are refused on the page, with a reason, and nothing changes.
  for (const [bands, reason] of [
    ["2,3,4,5,6", /start at 1/],
    ["1,3,3,5,8", /above the one before/],
    ["1,2,2.5,5,8", /whole number/],
  ]) {
    for (const [i, value] of bands.split(",").entries()) await page.fill(`#f-band-${i + 1}`, value);
    await page.click("#f-bands-apply");
    assert.match(await page.locator("#f-bands-error").innerText(), reason);
  }
  assertShowsReport(await shownRawValues(page), before, ["rfm"]);

  const bands = "1,2,4,7,12";
  for (const [i, value] of bands.split(",").entries()) await page.fill(`#f-band-${i + 1}`, value);
  await page.click("#f-bands-apply");
  await page.waitForSelector('[data-kpi="rfm.f_band_starts.4"][data-value="12"]');
  const after = cliReport(SAMPLE, "--f-bands", bands);
  assert.notDeepEqual(after.rfm.rf_grid, before.rfm.rf_grid);
  assert.notDeepEqual(after.rfm.segments, before.rfm.segments);
  assertShowsReport(await shownRawValues(page), after, ["rfm"], "after new F bands");
  assert.equal(await page.locator("#f-bands-error").innerText(), "");
  assert.equal(await page.evaluate(() => document.querySelector("ltv-lens").shadowRoot.activeElement?.id), "f-bands-apply");
  await page.screenshot({ path: path.join(OUT, "view-segments-bands-en.png"), fullPage: true });

  // The other views show the recomputed report too, and a list follows the new bands.
  await openView(page, "overview");
  assertShowsReport(await shownRawValues(page), after, OVERVIEW);
  await openView(page, "segments");
  const list = await download(page, '[data-segment="champions"] .btn-download');
  assert.equal(list.name, "ltv-lens-customers-champions.csv");
  assert.ok(list.bytes.equals(cliCustomers(SAMPLE, "--segment", "champions", "--f-bands", bands)));

  // Back to the defaults.
  await page.click("#f-bands-reset");
  await page.waitForSelector('[data-kpi="rfm.f_band_starts.4"][data-value="6"]');
  assertShowsReport(await shownRawValues(page), before, ["rfm"], "after reset");

  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("customer lists download as the CLI's bytes, in UTF-8 with BOM and in Shift_JIS, with Japanese or English headers", async () => {
  // Japanese names (and one that a spreadsheet would run as a formula) so that the encodings differ.
  const file = path.join(OUT, "japanese-names.csv");
  await writeFile(
    file,
    [
      "注文番号,会員ID,氏名,メールアドレス,注文日,合計金額",
      "1001,M1,山田 太郎,taro@example.jp,2024/01/05,5400",
      "1002,M2,佐藤 花子,hanako@example.jp,2024/01/20,3200",
      "1003,M1,山田 太郎,taro@example.jp,2024/03/02,2100",
      "1004,M3,=HYPERLINK(\"x\"),eve@example.jp,2024/02/11,800",
      "1005,M4,髙橋 ①,takahashi@example.jp,2024/04/01,12000",
      "1006,M2,佐藤 花子,hanako@example.jp,2024/05/18,4100",
      "1007,M5,\"鈴木, 一郎\",ichiro@example.jp,2024/06/30,2600",
      "",
    ].join("\n"),
  );
  const { context, page, requests, problems } = await openPage(session.browser, session.server, { locale: "ja-JP" });
  assert.equal(await analyze(page, file), "ready");

  // Everyone, from the lists view, in UTF-8 with BOM (the default) and then in Shift_JIS; the Japanese page's
  // lists have Japanese headers and labels (`--lang ja`) until English is chosen.
  await openView(page, "lists");
  const utf8 = await download(page, '#panel-lists [data-filter="everyone"]');
  assert.equal(utf8.name, "ltv-lens-customers-everyone.csv");
  assert.deepEqual([...utf8.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(utf8.bytes.equals(cliCustomers(file, "--lang", "ja")), "UTF-8 list");
  assert.ok(utf8.bytes.toString("utf8").includes("山田 太郎"));

  await page.selectOption("#panel-lists [data-encoding-select]", "shift_jis");
  const sjis = await download(page, '#panel-lists [data-filter="everyone"]');
  const expected = cliCustomers(file, "--encoding", "shift_jis", "--lang", "ja");
  assert.ok(sjis.bytes.equals(expected), "Shift_JIS list");
  assert.ok(!sjis.bytes.equals(utf8.bytes.subarray(3)), "Shift_JIS differs from UTF-8");
  await page.screenshot({ path: path.join(OUT, "view-lists-ja.png"), fullPage: true });

  // The choice holds on every view: a lapse list and a cohort list in Shift_JIS.
  await openView(page, "lapse");
  assert.equal(await page.inputValue("#panel-lapse [data-encoding-select]"), "shift_jis");
  const dormant = await download(page, '#panel-lapse [data-filter="dormant"]');
  assert.equal(dormant.name, "ltv-lens-customers-dormant.csv");
  assert.ok(dormant.bytes.equals(cliCustomers(file, "--lapse", "dormant", "--encoding", "shift_jis", "--lang", "ja")));
  await openView(page, "cohorts");
  await page.selectOption("#cohort-select", "2024-01");
  const cohort = await download(page, '#panel-cohorts [data-filter="cohort-2024-01"]');
  assert.equal(cohort.name, "ltv-lens-customers-cohort-2024-01.csv");
  assert.ok(cohort.bytes.equals(cliCustomers(file, "--cohort", "2024-01", "--encoding", "shift_jis", "--lang", "ja")));

  // And back to UTF-8 with English headers for a segment list on the segments view.
  await openView(page, "segments");
  await page.selectOption("#panel-segments [data-encoding-select]", "utf-8");
  await page.selectOption("#panel-segments [data-list-lang-select]", "en");
  const report = cliReport(file);
  const segment = report.rfm.segments.find((s) => s.customers > 0).key;
  const segmentList = await download(page, `[data-segment="${segment}"] .btn-download`);
  assert.equal(segmentList.name, `ltv-lens-customers-${segment}.csv`);
  assert.ok(segmentList.bytes.equals(cliCustomers(file, "--segment", segment)));

  // The file's text is text on the page, too.
  assertShowsReport(await shownRawValues(page), report, ["rfm"]);
  assert.equal(foreignRequests(requests, session.server.origin).length, 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("every view fits a phone-width screen", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server, { viewport: { width: 390, height: 844 } });
  assert.equal(await analyze(page, SAMPLE), "ready");
  for (const id of VIEW_IDS) {
    await openView(page, id);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${id} is ${overflow}px wider than the screen`);
    await page.screenshot({ path: path.join(OUT, `view-${id}-phone.png`), fullPage: true });
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("the Subscriptions view shows the CLI's subscriptions section, in English and Japanese, and downloads its lists", async () => {
  // A generated subscription export (`ltv-lens sample --subscriptions`), drawn from the sBG model.
  const file = subscriptionFile();
  const { context, page, requests, problems } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, file), "ready");
  const report = cliReport(file);
  assert.ok(report.subscriptions?.sbg, "the sample has a projection");
  assert.ok(await page.locator("#tab-subscriptions").isVisible());
  for (const lang of ["en", "ja"]) {
    if (lang === "ja") await page.click("#lang-toggle");
    await openView(page, "subscriptions");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `subscriptions (${lang}) is ${overflow}px wider than the screen`);
    await page.screenshot({ path: path.join(OUT, `view-subscriptions-${lang}.png`), fullPage: true });
    const shown = await shownRawValues(page);
    assertShowsReport(shown, report, [], lang);
    const missing = leafPaths(report, "subscriptions").filter(
      (p) => !(p in shown) && !SUBSCRIPTIONS_NOT_SHOWN.some((prefix) => p === prefix || p.startsWith(`${prefix}.`)),
    );
    assert.deepEqual(missing, [], `${lang}: subscription values the view does not show`);
    // The note on subscriptions that began before the file, in the page's language.
    const note = await page.locator('#panel-subscriptions [data-note="started_before_file"]').innerText();
    assert.ok(note.includes(report.subscriptions.notes[0].args.count), note);
    if (lang === "ja") assert.ok(note.includes("ファイルより前"), note);
  }
  // The at-risk list is the CLI's `--subscription at_risk` list, byte for byte.
  const list = await download(page, '#panel-subscriptions [data-filter="subscription-at-risk"]');
  assert.ok(list.bytes.equals(cliCustomers(file, "--subscription", "at_risk", "--lang", "ja")), "at-risk list");
  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});
