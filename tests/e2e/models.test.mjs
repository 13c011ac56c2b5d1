// The predicted-value view's choice of model and its uncertainty (Report v5): the candidates side by side
// (holdout error, BIC, why one was chosen) and the 90 % intervals ("between A and B") equal the CLI's JSON;
// picking a model on the page recomputes in the worker and shows what `ltv-lens analyze --model X --json`
// gives, the top customers and the likely-gone list (`--no-purchase-above 0.8`, with p_no_purchase and the
// interval columns) byte for byte the CLI's, and going back to the holdout's choice; a candidate that failed
// shows its note while the others stand; a file no model fits names each candidate's failure; the element's
// `no-models` hides the tab and leaves the other views the CLI's `--no-models` figures; while the models are
// fitted, the view says how far the fitting has come from the worker's "fitting" messages. Screenshots in
// English and Japanese, desktop and phone, in target/e2e/.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, test } from "node:test";
import { noteText } from "../../js/messages.js";
import {
  MODELS_NOT_SHOWN,
  OUT,
  OVERVIEW,
  ROOT,
  analyze,
  assertShowsReport,
  cliBytes,
  cliReport,
  foreignRequests,
  holdModelsSection,
  isUnder,
  leafPaths,
  openPage,
  openView,
  pageSession,
  sampleFile,
  settled,
  shownRawValues,
} from "./helpers.mjs";

const session = pageSession();
const REFUSED = path.join(ROOT, "tests/fixtures/segments_cohorts_lapse.csv");
const NAMES = { bgnbd: "BG/NBD", mbgnbd: "MBG/NBD", pareto_nbd: "Pareto/NBD" };
// A generated export on which every candidate and the spend model fit (its own seed: the test files run in
// parallel, and another one writes the seed-2 sample).
let fitted;

before(() => {
  fitted = sampleFile(1500, 3);
  const models = cliReport(fitted).models;
  assert.ok(models.candidates.every((c) => c.params != null) && models.totals.clv > 0, "the generated file fits every model");
});

/** Every value under report.models the view shows equals the Report's, and none it promises is missing. */
function assertShowsModels(shown, report, message) {
  assertShowsReport(shown, report, [], message);
  const missing = leafPaths(report, "models").filter((p) => !MODELS_NOT_SHOWN.some((prefix) => isUnder(p, prefix)) && !(p in shown));
  assert.deepEqual(missing, [], `${message}: values the view does not show`);
}

/** Waits until the predicted view shows `value` at the Report path `key`. */
function waitForValue(page, key, value) {
  return page.waitForSelector(`#panel-predicted [data-kpi="${key}"][data-value="${JSON.stringify(value).replace(/"/g, '\\"')}"]`);
}

/** Clicks `button` and returns {name, bytes} of the download it starts. */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** The candidate rows as shown: model, whether it is the one used, and the text of each cell. */
function candidateRows(page) {
  return page.$$eval("#candidates-table tbody tr", (rows) =>
    rows.map((row) => ({ model: row.dataset.model, chosen: row.dataset.chosen === "true", cells: [...row.children].map((cell) => cell.textContent) })),
  );
}

test("the candidates side by side, why one was chosen and the intervals are the CLI's, in English and Japanese", async () => {
  const { context, page, requests, problems } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, fitted), "ready");
  const report = cliReport(fitted);
  const { candidates, chosen, chosen_by: chosenBy, totals } = report.models;
  for (const lang of ["en", "ja"]) {
    if (lang === "ja") await page.click("#lang-toggle");
    await openView(page, "predicted");
    assertShowsModels(await shownRawValues(page), report, lang);
    // One row per candidate in the Report's order, the chosen one marked, its error and BIC as numbers.
    const rows = await candidateRows(page);
    assert.deepEqual(
      rows.map((row) => [row.model, row.chosen]),
      candidates.map((c) => [c.model, c.model === chosen]),
    );
    const locale = lang === "ja" ? "ja-JP" : "en-US";
    rows.forEach((row, i) => {
      assert.ok(row.cells[0].startsWith(NAMES[row.model]), row.cells[0]);
      const bic = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(candidates[i].bic);
      assert.equal(row.cells[2], bic, `${lang} ${row.model} BIC`);
    });
    // Why: the model used and the reason (the holdout's lowest error on this file).
    assert.equal(chosenBy, "holdout");
    const why = await page.locator("#chosen-why").innerText();
    assert.ok(why.includes(NAMES[chosen]), why);
    assert.match(why, lang === "en" ? /lowest holdout error/ : /検証での誤差が最も小さい/);
    // The chosen model has the lowest holdout error of the candidates (what "why" says is true).
    const lowest = Math.min(...candidates.map((c) => c.holdout.error));
    assert.equal(candidates.find((c) => c.model === chosen).holdout.error, lowest);
    // The 90 % intervals in words: "between A and B", each end the Report's value.
    const clv = await page.locator('#intervals li[data-interval="clv"]').innerText();
    assert.match(clv, lang === "en" ? /between .+ and .+/ : /.+ から .+ の間/);
    for (const end of ["low", "high"]) {
      const shown = await page.locator(`#intervals [data-kpi="models.totals.intervals.clv.${end}"]`).innerText();
      assert.ok(shown !== "" && clv.includes(shown), `${lang} ${end}: ${clv}`);
    }
    assert.ok(totals.intervals.clv.low < totals.clv && totals.clv < totals.intervals.clv.high);
    await page.locator("#candidates").screenshot({ path: path.join(OUT, `models-candidates-${lang}.png`) });
    await page.screenshot({ path: path.join(OUT, `models-predicted-${lang}.png`), fullPage: true });
  }
  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("picking a model recomputes: the figures, the top customers and the likely-gone list are the CLI's --model ones", async () => {
  const { context, page, requests, problems } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, fitted), "ready");
  await openView(page, "predicted");
  const report = cliReport(fitted);
  // The likely-gone list with the holdout's choice: `ltv-lens customers --no-purchase-above 0.8`.
  const gone = await download(page, '#panel-predicted [data-filter="no-purchase-above-80"]');
  assert.equal(gone.name, "ltv-lens-customers-no-purchase-above-80.csv");
  assert.ok(gone.bytes.equals(cliBytes("customers", fitted, "--no-purchase-above", "0.8")), "likely-gone list");
  const header = gone.bytes.toString("utf8").replace(/^\uFEFF/, "").split(/\r?\n/)[0];
  assert.match(header, /,p_no_purchase,p_alive_low,p_alive_high,p_no_purchase_low,p_no_purchase_high,expected_purchases_low,expected_purchases_high,clv_low,clv_high$/);

  // Every model other than the holdout's choice, picked in turn: not BG/NBD among them.
  const others = Object.keys(NAMES).filter((model) => model !== report.models.chosen);
  assert.ok(others.some((model) => model !== "bgnbd"));
  for (const model of others) {
    const picked = cliReport(fitted, "--model", model);
    assert.equal(picked.models.chosen, model);
    assert.equal(picked.models.chosen_by, "user");
    await page.selectOption("#model-pick", model);
    await waitForValue(page, "models.chosen", model);
    assertShowsModels(await shownRawValues(page), picked, model);
    assert.equal(await page.inputValue("#model-pick"), model);
    assert.match(await page.locator("#chosen-why").innerText(), new RegExp(`${NAMES[model].replace("/", "\\/")}, the model you picked`));
    assert.equal(await page.locator('#candidates-table tr[data-chosen="true"]').getAttribute("data-model"), model);
    const top = await download(page, '#panel-predicted [data-filter="top-clv-100"]');
    assert.ok(top.bytes.equals(cliBytes("customers", fitted, "--top-clv", "100", "--model", model)), `${model}: top-100 list`);
    const likelyGone = await download(page, '#panel-predicted [data-filter="no-purchase-above-80"]');
    assert.ok(likelyGone.bytes.equals(cliBytes("customers", fitted, "--no-purchase-above", "0.8", "--model", model)), `${model}: likely-gone list`);
    // The picked model is kept by other recomputations (a new horizon).
    if (model === others[0]) {
      await page.fill("#predict-horizon", "180");
      await page.click("#predict-apply");
      await waitForValue(page, "models.totals.horizon_days", 180);
      assertShowsModels(await shownRawValues(page), cliReport(fitted, "--model", model, "--horizon-days", "180"), `${model}, 180 days`);
      await page.fill("#predict-horizon", "365");
      await page.click("#predict-apply");
      await waitForValue(page, "models.totals.horizon_days", 365);
    }
  }
  await page.click("#lang-toggle");
  await openView(page, "predicted");
  assert.match(await page.locator("#chosen-why").innerText(), /指定されたモデル/);
  await page.locator("#candidates").screenshot({ path: path.join(OUT, "models-picked-ja.png") });
  await page.click("#lang-toggle");
  await openView(page, "predicted");

  // Back to the holdout's choice.
  await page.selectOption("#model-pick", "");
  await waitForValue(page, "models.chosen_by", "holdout");
  assertShowsModels(await shownRawValues(page), report, "the holdout's choice again");
  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a candidate that failed shows its note; the others stand and the predictions are shown", async () => {
  // The note of a real failure (the file no model fits), put in place of a candidate the holdout did not
  // choose, in the worker's models section as the page receives it.
  const report = cliReport(fitted);
  const failedIndex = report.models.candidates.findIndex((c) => c.model !== report.models.chosen && c.model !== "bgnbd");
  const failedModel = report.models.candidates[failedIndex].model;
  const note = cliReport(REFUSED).models.candidates.find((c) => c.model === failedModel).note;
  assert.ok(note?.code, "the refused file gives a note for the candidate");
  const failed = { ...report.models.candidates[failedIndex], params: null, se: null, log_likelihood: null, bic: null, holdout: null, convergence: null, note };
  const { context, page, requests, problems } = await openPage(session.browser, session.server, { locale: "ja-JP" });
  await context.addInitScript(
    ({ index, candidate }) => {
      window.Worker = class extends Worker {
        set onmessage(handler) {
          super.onmessage =
            handler &&
            ((event) => {
              const data = event.data;
              if (data?.type !== "section" || data.name !== "models" || data.value == null) return handler(event);
              const candidates = data.value.candidates.map((c, i) => (i === index ? candidate : c));
              return handler(new MessageEvent("message", { data: { ...data, value: { ...data.value, candidates } } }));
            });
        }
        get onmessage() {
          return super.onmessage;
        }
      };
    },
    { index: failedIndex, candidate: failed },
  );
  await page.reload();
  await page.waitForSelector('ltv-lens[data-state="idle"]');
  assert.equal(await analyze(page, fitted), "ready");
  const altered = { ...report, models: { ...report.models, candidates: report.models.candidates.map((c, i) => (i === failedIndex ? failed : c)) } };
  for (const lang of ["ja", "en"]) {
    if (lang === "en") await page.click("#lang-toggle");
    await openView(page, "predicted");
    const shown = await shownRawValues(page);
    assertShowsReport(shown, altered, [], lang);
    // The failed candidate's note in place of its BIC, in the page's language; the others keep their figures.
    const rows = await candidateRows(page);
    assert.equal(rows[failedIndex].cells[2], noteText(note, lang).text, lang);
    assert.deepEqual(shown[`models.candidates.${failedIndex}.note`], note);
    rows.forEach((row, i) => {
      if (i !== failedIndex) assert.ok(`models.candidates.${i}.bic` in shown, `${lang}: ${row.model} keeps its BIC`);
    });
    // It cannot be picked as if it had been fitted, and the predictions stand.
    const option = await page.locator(`#model-pick option[value="${failedModel}"]`).innerText();
    assert.match(option, lang === "en" ? /could not be fitted/ : /当てはめられませんでした/);
    assert.deepEqual(shown["models.totals.clv"], report.models.totals.clv);
    await page.locator("#candidates").screenshot({ path: path.join(OUT, `models-one-failed-${lang}.png`) });
  }
  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a file no model fits: each candidate's failure is in the Report, the notes are worded in Japanese, nothing is predicted", async () => {
  const report = cliReport(REFUSED);
  assert.equal(report.models.chosen, null);
  assert.ok(report.models.candidates.every((c) => c.params == null && c.note != null));
  const { context, page, problems } = await openPage(session.browser, session.server, { locale: "ja-JP" });
  assert.equal(await analyze(page, REFUSED), "ready");
  await openView(page, "predicted");
  const notes = await page.$$eval("#model-notes li", (items) => items.map((item) => item.textContent));
  assert.deepEqual(notes, report.models.notes.map((note) => noteText(note, "ja").text));
  // Each candidate's note has a Japanese wording.
  for (const candidate of report.models.candidates) assert.equal(noteText(candidate.note, "ja").lang, "ja", candidate.note.code);
  assert.equal(await page.locator("#candidates, #model-pick, #intervals, #gone-list").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("no-models: the Predicted value tab is hidden and the other views are the CLI's --no-models Report", async () => {
  const { context, page, requests, problems } = await openPage(session.browser, session.server);
  await page.evaluate(() => document.querySelector("ltv-lens").setAttribute("no-models", ""));
  assert.equal(await analyze(page, fitted), "ready");
  const report = cliReport(fitted, "--no-models");
  assert.equal(report.models, null);
  assert.equal(await page.evaluate(() => document.querySelector("ltv-lens").report.models), null);
  assert.ok(await page.locator("#tab-predicted").isHidden());
  assertShowsReport(await shownRawValues(page), report, OVERVIEW, "overview");
  await openView(page, "segments");
  assertShowsReport(await shownRawValues(page), report, ["rfm"], "segments");
  // The lists: no CLV to rank by in the Report, so no top list; the others carry the predictions as the CLI's do.
  await openView(page, "lists");
  assert.ok(await page.locator('#panel-lists [data-filter="top-clv-100"]').isDisabled());
  const everyone = await download(page, '#panel-lists [data-filter="everyone"]');
  assert.ok(everyone.bytes.equals(cliBytes("customers", fitted)), "everyone");
  await page.screenshot({ path: path.join(OUT, "models-none.png"), fullPage: true });
  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("while the models are fitted the view says how far the fitting has come; the other views are ready", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server, { viewport: { width: 390, height: 844 } });
  // Hold the models section back (the "fitting" messages before it pass), recording the fitting's steps.
  await holdModelsSection(context);
  await page.reload();
  await page.waitForSelector('ltv-lens[data-state="idle"]');
  await page.setInputFiles("#file-input", fitted);
  await page.waitForSelector("#panel-overview [data-kpi='kpis.customers']");
  await page.click("#lang-toggle");
  await page.click("#tab-predicted");
  // Every step, from 0 to the total: three candidates fitted and refitted on the calibration period, the
  // spend model, the predictions (3 × 2 + 2 = 8 with a holdout period).
  await page.waitForSelector('#panel-predicted #fitting[data-done="8"][data-total="8"]');
  const steps = await page.evaluate(() => window.fittingSteps);
  assert.deepEqual(steps, Array.from({ length: 9 }, (_, i) => [i, 8]));
  assert.match(await page.locator("#fitting").innerText(), /100% 完了/);
  assert.equal(await page.locator("#fitting progress").getAttribute("value"), "100");
  // The views computed before the models are filled.
  await page.click("#tab-drivers");
  await page.waitForSelector("#panel-drivers [data-kpi]");
  await page.click("#tab-predicted");
  await page.screenshot({ path: path.join(OUT, "models-fitting-phone-ja.png") });
  await page.evaluate(() => window.releaseModels());
  assert.equal(await settled(page), "ready");
  await page.waitForSelector("#panel-predicted #candidates");
  assert.equal(await page.locator("#fitting").count(), 0);
  // The candidates card fits a phone-width screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${overflow}px wider than the screen`);
  await page.locator("#candidates").screenshot({ path: path.join(OUT, "models-candidates-phone-ja.png") });
  await page.click("#lang-toggle");
  await page.locator("#candidates").screenshot({ path: path.join(OUT, "models-candidates-phone-en.png") });
  assert.deepEqual(problems, []);
  await context.close();
});
