// Accessibility, checked with axe-core (npm, injected into the page as its source through page.evaluate: the
// page's Content-Security-Policy forbids inline scripts, which evaluate is not subject to): no violation on
// the intake screen, on every view after analysing the sample, and on the Columns screen, in English and in
// Japanese (label-content-name-mismatch, WCAG 2.5.3, included). Each violation is reported with its rule and the elements it found, so a failure says what to fix.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { ROOT, WWW, analyze, openPage, openView, pageSession, subscriptionFile } from "./helpers.mjs";
import { VIEWS } from "../../js/views/index.js";

const session = pageSession();
const SAMPLE = path.join(WWW, "sample/sample-orders.csv");
// Every view of the registry (js/views/index.js), so that a new view is checked too.
const VIEW_IDS = VIEWS.map((view) => view.id);
const AXE = await readFile(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

/** Runs axe on the page (the whole document, open shadow roots included): ["rule: target …", …]. */
async function violations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      resultTypes: ["violations"],
      // WCAG 2.5.3 (label in name): axe marks the rule experimental and leaves it out unless asked.
      rules: { "label-content-name-mismatch": { enabled: true } },
    });
    return result.violations.map((v) => ({ id: v.id, targets: v.nodes.slice(0, 5).map((node) => node.target.join(" ")), help: v.help }));
  });
  return found.map(({ id, targets, help }) => `${id} (${help}): ${targets.join(" | ")}`);
}

test("no axe violation on the intake screen, every view and the Columns screen, in English and Japanese", async () => {
  const all = []; // every screen's violations, so that one run lists everything to fix
  const check = async (page, where) => all.push(...(await violations(page)).map((v) => `${where}: ${v}`));
  for (const [lang, locale] of [["en", "en-US"], ["ja", "ja-JP"]]) {
    const { context, page, problems } = await openPage(session.browser, session.server, { locale });
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    await check(page, `intake (${lang})`);
    assert.equal(await analyze(page, SAMPLE), "ready");
    for (const id of VIEW_IDS) {
      // The sample has no subscriptions (that tab is hidden): the subscription file below shows that view.
      if (await page.locator(`#tab-${id}`).isHidden()) continue;
      await openView(page, id);
      // With every disclosure open, so that definitions and numbers tables are checked too.
      for (const summary of await page.locator(`#panel-${id} details:not([open]) > summary`).all()) {
        if (await summary.isVisible()) await summary.click();
      }
      await check(page, `${id} (${lang})`);
    }
    assert.equal(await analyze(page, subscriptionFile()), "ready");
    await openView(page, "subscriptions");
    for (const summary of await page.locator("#panel-subscriptions details:not([open]) > summary").all()) {
      if (await summary.isVisible()) await summary.click();
    }
    await check(page, `subscriptions (${lang})`);
    await openView(page, "overview");
    await page.locator("#change-columns").click();
    await page.locator("#columns-dialog").waitFor();
    await check(page, `Columns screen (${lang})`);
    assert.deepEqual(problems, []);
    await context.close();
  }
  assert.deepEqual(all, []);
});
