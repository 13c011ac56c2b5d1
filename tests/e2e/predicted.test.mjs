// The predicted-value view shows exactly what the CLI computes (every value under report.models against
// `ltv-lens analyze --json`, also after a new horizon, margin, discount rate or holdout split, which the
// worker recomputes without reading the file again); the top customers by CLV are the CLI's
// `ltv-lens customers --top-clv` rows and the top-100 download is its bytes; inputs are checked on the page;
// a file the models cannot be fitted on shows the core's notes and no chart; nothing leaves the origin.
// Saves screenshots of the view in English, Japanese and at phone width in target/e2e/.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, test } from "node:test";
import {
  MODELS_NOT_SHOWN,
  OUT,
  ROOT,
  WWW,
  analyze,
  assertShowsReport,
  cliBytes,
  cliReport,
  foreignRequests,
  isUnder,
  leafPaths,
  openPage,
  openView,
  pageSession,
  sampleFile,
  shownRawValues,
  shownValues,
  valueAt,
} from "./helpers.mjs";
import { SCHEMA_VERSION } from "../../js/names.js";
import { noteText } from "../../js/messages.js";

const session = pageSession();
const SAMPLE = path.join(WWW, "sample/sample-orders.csv");
const REFUSED = path.join(ROOT, "tests/fixtures/segments_cohorts_lapse.csv");
// A generated export on which both models fit (the spend model too), so that CLV and the top list exist.
let fitted;

before(() => {
  fitted = sampleFile(1500, 2);
  const models = cliReport(fitted).models;
  assert.ok(models.bgnbd && models.gamma_gamma && models.totals.clv > 0, "the generated file fits both models");
});

/** Every path under report.models the view must show. */
function modelPaths(report) {
  return leafPaths(report, "models").filter((p) => !MODELS_NOT_SHOWN.some((prefix) => isUnder(p, prefix)));
}

function assertShowsModels(shown, report, message) {
  assertShowsReport(shown, report, [], message);
  const missing = modelPaths(report).filter((p) => !(p in shown));
  assert.deepEqual(missing, [], `${message}: values the view does not show`);
}


/** Waits until the page shows `value` at the Report path `key`. */
function waitForValue(page, key, value) {
  return page.waitForSelector(`#panel-predicted [data-kpi="${key}"][data-value="${JSON.stringify(value).replace(/"/g, '\\"')}"]`);
}

async function topRowsShown(page) {
  await page.waitForSelector('#top-clv[data-state="ready"]');
  return page.$$eval("#top-clv tbody tr", (rows) =>
    rows.map((row) => Object.fromEntries([...row.querySelectorAll("[data-field]")].map((cell) => [cell.dataset.field, JSON.parse(cell.dataset.value)]))),
  );
}

/** A CSV parser for the CLI's customer lists (quotes, doubled quotes; a UTF-8 BOM first). */
function parseCsv(bytes) {
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]])));
}

/** The shown top rows agree with the CLI's list: same customers in the same order, numbers to its decimals. */
function assertTopRows(shown, csvRows) {
  assert.equal(shown.length, csvRows.length);
  const decimals = { p_alive: 4, expected_purchases: 4, expected_value: 2, clv: 2 };
  shown.forEach((row, i) => {
    const expected = csvRows[i];
    assert.equal(row.customer_key, expected.customer_key, `row ${i + 1}`);
    assert.equal(row.name ?? "", expected.name, `row ${i + 1} name`);
    assert.equal(row.email ?? "", expected.email, `row ${i + 1} email`);
    assert.equal(row.segment, expected.segment, `row ${i + 1} segment`);
    for (const [field, digits] of Object.entries(decimals)) {
      assert.ok(Math.abs(row[field] - Number(expected[field])) <= 0.5 * 10 ** -digits + 1e-9, `row ${i + 1} ${field}: ${row[field]} vs ${expected[field]}`);
    }
    // The CLV's 90 % range is the list's clv_low and clv_high (2 decimals).
    const [low, high] = row.clv_range;
    assert.ok(Math.abs(low - Number(expected.clv_low)) <= 0.005 + 1e-9 && Math.abs(high - Number(expected.clv_high)) <= 0.005 + 1e-9, `row ${i + 1} range`);
    assert.ok(low <= high, `row ${i + 1}: ${low}–${high}`);
  });
}

/** Clicks `button` and returns {name, bytes} of the download it starts. */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** Fills the horizon, margin and discount inputs and applies them. */
async function predictWith(page, { horizon, margin, discount }) {
  await page.fill("#predict-horizon", horizon);
  await page.fill("#predict-margin", margin);
  await page.fill("#predict-discount", discount);
  await page.click("#predict-apply");
}

test("the sample: every model value is the CLI's, in English and Japanese, with the trust sentence and the notes", async () => {
  const { context, page, requests, problems } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, SAMPLE), "ready");
  const report = cliReport(SAMPLE);
  assert.equal(report.schema_version, SCHEMA_VERSION);
  assert.ok(report.models.bgnbd, "the sample fits BG/NBD");

  for (const lang of ["en", "ja"]) {
    if (lang === "ja") await page.click("#lang-toggle");
    await openView(page, "predicted");
    assertShowsModels(await shownRawValues(page), report, lang);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${lang}: ${overflow}px wider than the screen`);

    // The trust sentence: what the fit rests on, and the holdout error figured from the Report.
    const trust = await page.locator("#trust").innerText();
    const { holdout, bgnbd } = report.models;
    const locale = lang === "ja" ? "ja-JP" : "en-US";
    const count = (n) => new Intl.NumberFormat(locale).format(n);
    assert.ok(trust.includes(count(bgnbd.customers)) && trust.includes(count(bgnbd.repeat_customers)), trust);
    const error = (holdout.predicted_purchases - holdout.actual_purchases) / holdout.actual_purchases;
    const errorText = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(error));
    assert.equal(await page.locator('#trust [data-derived="holdout_error"]').innerText(), errorText);
    assert.ok(await page.locator("#trust [data-verdict]").isVisible());

    // The core's notes (English sentences) after a lead-in in the page's language, reworded in Japanese
    // (js/messages.js noteText); the Report's sentence stays in data-value.
    const notes = await page.$$eval("#model-notes li", (items) => items.map((item) => ({ text: item.textContent, value: JSON.parse(item.dataset.value) })));
    assert.deepEqual(notes.map((note) => note.value), report.models.notes);
    assert.deepEqual(notes.map((note) => note.text), report.models.notes.map((note) => noteText(note, lang).text));

    // Each chart has drawn, and its numbers are one click away.
    const charts = await page.$$eval("#panel-predicted .chart canvas", (canvases) => canvases.length);
    assert.ok(charts >= 4, `${lang}: ${charts} charts`);
    await page.evaluate(() => document.querySelector("ltv-lens").shadowRoot.querySelectorAll("#panel-predicted details.numbers").forEach((d) => (d.open = true)));
    await page.screenshot({ path: path.join(OUT, `view-predicted-sample-${lang}.png`), fullPage: true });
  }

  // Without a spend model there is no CLV: said so, and no top list to download.
  if (report.models.totals.clv == null) {
    assert.equal((await shownRawValues(page))["models.totals.clv"], null);
    assert.equal(await page.locator('#top-clv[data-state="none"]').count(), 1);
    assert.ok(await page.locator('#panel-predicted [data-filter="top-clv-100"]').isDisabled());
  }

  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("CLV, the top customers and their download equal the CLI's, before and after new inputs", async () => {
  const { context, page, requests, problems } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, fitted), "ready");
  await openView(page, "predicted");
  const report = cliReport(fitted);
  assertShowsModels(await shownRawValues(page), report, "defaults");
  assertTopRows(await topRowsShown(page), parseCsv(cliBytes("customers", fitted, "--top-clv", "20")));
  await page.screenshot({ path: path.join(OUT, "view-predicted-en.png"), fullPage: true });

  // The holdout chart's tooltip names the group and its customers (and renders under the page's policy).
  const chart = page.locator("#holdout .chart").first();
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6);
  const customers = report.models.holdout.by_frequency.map((row) => row.customers);
  await page.locator("#holdout .chart div", { hasText: "repeat purchases before the split ·" }).last().waitFor();
  const tip = await page.locator("#holdout .chart div", { hasText: "repeat purchases before the split ·" }).last().innerText();
  assert.ok(customers.some((n) => tip.includes(`${n.toLocaleString("en-US")} customers`)), tip);

  const top = await download(page, '#panel-predicted [data-filter="top-clv-100"]');
  assert.equal(top.name, "ltv-lens-customers-top-clv-100.csv");
  assert.ok(top.bytes.equals(cliBytes("customers", fitted, "--top-clv", "100")), "top-100 list");

  // Invalid inputs are refused on the page, with a reason, and nothing changes.
  for (const [inputs, field, reason] of [
    [{ horizon: "0", margin: "100", discount: "0" }, "horizon", /whole number of days/],
    [{ horizon: "90.5", margin: "100", discount: "0" }, "horizon", /whole number of days/],
    [{ horizon: "365", margin: "0", discount: "0" }, "margin", /above 0 and at most 100/],
    [{ horizon: "365", margin: "150", discount: "0" }, "margin", /above 0 and at most 100/],
    [{ horizon: "365", margin: "forty", discount: "0" }, "margin", /above 0 and at most 100/],
    [{ horizon: "365", margin: "40", discount: "-5" }, "discount", /0 or more/],
  ]) {
    await predictWith(page, inputs);
    assert.match(await page.locator("#predict-error").innerText(), reason, JSON.stringify(inputs));
    assert.equal(await page.getAttribute(`#predict-${field}`, "aria-invalid"), "true");
  }
  assertShowsModels(await shownRawValues(page), report, "after refused inputs");

  // A new horizon, margin and discount rate: recomputed in the worker, equal to the CLI with the same options.
  const options = ["--horizon-days", "180", "--margin", "0.4", "--discount-rate", "0.1"];
  const after = cliReport(fitted, ...options);
  assert.notEqual(after.models.totals.clv, report.models.totals.clv);
  await predictWith(page, { horizon: "180", margin: "40", discount: "10" });
  await waitForValue(page, "models.totals.horizon_days", 180);
  assertShowsModels(await shownRawValues(page), after, "horizon 180, margin 40 %, discount 10 %");
  assert.equal(await page.locator("#predict-error").innerText(), "");
  assert.equal(await page.inputValue("#predict-margin"), "40");
  assertTopRows(await topRowsShown(page), parseCsv(cliBytes("customers", fitted, "--top-clv", "20", ...options)));
  const topAfter = await download(page, '#panel-predicted [data-filter="top-clv-100"]');
  assert.ok(topAfter.bytes.equals(cliBytes("customers", fitted, "--top-clv", "100", ...options)), "top-100 list with the new inputs");

  // Another split date for the holdout check keeps the inputs above.
  const split = "2024-03-31";
  const withSplit = cliReport(fitted, ...options, "--holdout-split", split);
  await page.fill("#holdout-split", split);
  await page.click("#holdout-apply");
  await waitForValue(page, "models.holdout.split", split);
  assertShowsModels(await shownRawValues(page), withSplit, "holdout split");
  await page.fill("#holdout-split", after.as_of);
  await page.click("#holdout-apply");
  assert.match(await page.locator("#holdout-error").innerText(), /on or before/);
  await page.click("#holdout-reset");
  await waitForValue(page, "models.holdout.split", after.models.holdout.split);
  assertShowsModels(await shownRawValues(page), after, "holdout split back to the default");

  // New F bands on the segments view keep the prediction inputs, and the inputs keep the F bands.
  await page.click("#tab-segments");
  for (const [i, value] of [1, 2, 4, 7, 12].entries()) await page.fill(`#f-band-${i + 1}`, String(value));
  await page.click("#f-bands-apply");
  await page.waitForSelector('[data-kpi="rfm.f_band_starts.4"][data-value="12"]');
  const bands = cliReport(fitted, ...options, "--f-bands", "1,2,4,7,12");
  await openView(page, "predicted");
  assertShowsModels(await shownRawValues(page), bands, "after new F bands");
  assertShowsReport(await shownRawValues(page), bands, ["rfm"]);

  // The lists view offers the same top-100 list.
  await page.click("#tab-lists");
  await page.waitForSelector("#panel-lists:not([hidden])");
  const fromLists = await download(page, '#panel-lists [data-filter="top-clv-100"]');
  assert.ok(fromLists.bytes.equals(cliBytes("customers", fitted, "--top-clv", "100", ...options, "--f-bands", "1,2,4,7,12")));

  // Japanese: same values, the model details open, the top list in Japanese segment names.
  await page.click("#lang-toggle");
  await openView(page, "predicted");
  assertShowsModels(await shownRawValues(page), bands, "ja");
  await page.click("#model-details details.model-details > summary");
  assert.ok(await page.locator("#model-details table").first().isVisible());
  await topRowsShown(page);
  assert.ok((await page.locator("#top-clv").innerText()).includes("優良顧客"));
  await page.screenshot({ path: path.join(OUT, "view-predicted-ja.png"), fullPage: true });

  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a file the models cannot be fitted on shows the core's notes and no chart", async () => {
  const report = cliReport(REFUSED);
  assert.equal(report.models.bgnbd, null);
  assert.ok(report.models.notes.length > 0);
  const { context, page, requests, problems } = await openPage(session.browser, session.server, { locale: "ja-JP" });
  assert.equal(await analyze(page, REFUSED), "ready");
  for (const lang of ["ja", "en"]) {
    if (lang === "en") await page.click("#lang-toggle");
    await openView(page, "predicted");
    const notes = await page.$$eval("#model-notes li", (items) => items.map((item) => item.textContent));
    assert.deepEqual(notes, report.models.notes.map((note) => noteText(note, lang).text), lang);
    // In Japanese every note of this file is reworded (none is left in English).
    if (lang === "ja") assert.equal(await page.locator("#model-notes li[lang='en']").count(), 0, notes.join(" / "));
    assert.equal(await page.locator("#panel-predicted .chart, #panel-predicted canvas, #panel-predicted table").count(), 0, lang);
    assert.equal(await page.locator("#predict-apply, #top-clv, #holdout").count(), 0, lang);
    const shown = await shownValues(page);
    for (const [key, { value }] of Object.entries(shown)) if (key.startsWith("models.")) assert.deepEqual(value, valueAt(report, key), key);
    await page.screenshot({ path: path.join(OUT, `view-predicted-refused-${lang}.png`), fullPage: true });
  }
  assert.match(await page.locator("#model-notes > p").innerText(), /missing/);
  // The top-CLV list is there but empty on the lists view.
  await page.click("#tab-lists");
  assert.ok(await page.locator('#panel-lists [data-filter="top-clv-100"]').isDisabled());
  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the predicted-value view fits a phone-width screen", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server, { viewport: { width: 390, height: 844 } });
  assert.equal(await analyze(page, fitted), "ready");
  await openView(page, "predicted");
  await topRowsShown(page);
  await page.evaluate(() => document.querySelector("ltv-lens").shadowRoot.querySelectorAll("#panel-predicted details.numbers").forEach((d) => (d.open = true)));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${overflow}px wider than the screen`);
  // Each card stays inside the screen; wide tables scroll inside their own box.
  const wide = await page.$$eval("#panel-predicted > section", (cards) => cards.filter((c) => c.getBoundingClientRect().right > window.innerWidth).map((c) => c.id));
  assert.deepEqual(wide, []);
  await page.screenshot({ path: path.join(OUT, "view-predicted-phone.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});
