// The page on a phone (390 × 844, the width of a current iPhone), in English and Japanese, after analysing
// the sample: on every view, every control a user needs (buttons, selects, inputs, tabs, the ⓘ and "Show the
// numbers" disclosures) lies within the screen's width once the panel is scrolled vertically to it — none
// sits beyond the right edge or inside a table that would have to be scrolled sideways to reach it — and no
// figure (a value with data-kpi, .kpi-value, .figure-value) breaks onto a second line. The Columns screen is
// checked the same way, and its role labels must not wrap to a few characters a line. Saves a screenshot
// of every view in both languages in target/e2e/ (mobile-<view>-<lang>.png).
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { OUT, WWW, analyze, openPage, openView, pageSession, subscriptionFile } from "./helpers.mjs";
import { VIEWS } from "../../js/views/index.js";

const session = pageSession();
const SAMPLE = path.join(WWW, "sample/sample-orders.csv");
const VIEWPORT = { width: 390, height: 844 };
// Every view of the registry (js/views/index.js), so that a new view is checked too.
const VIEW_IDS = VIEWS.map((view) => view.id);

/** The controls under `scope` that a user needs to reach (visible ones only). */
const CONTROLS = 'button, select, input:not([type="file"]), [role="tab"], summary, a[href]';

/**
 * The controls under the locator `scope` that lie (partly) outside the screen's width, or inside a
 * horizontal scroller beyond what it shows: [{what, left, right}] (empty when everything is reachable).
 */
async function offScreen(scope) {
  const width = VIEWPORT.width;
  const problems = [];
  const controls = scope.locator(CONTROLS);
  for (let i = 0, n = await controls.count(); i < n; i += 1) {
    const control = controls.nth(i);
    if (!(await control.isVisible())) continue;
    // The control's box, and the boxes of the scrolling ancestors that clip it (overflow-x not visible).
    const { what, left, right, clipLeft, clipRight } = await control.evaluate((node) => {
      const box = node.getBoundingClientRect();
      let clipLeft = -Infinity;
      let clipRight = Infinity;
      for (let parent = node.parentElement; parent; parent = parent.parentElement) {
        const overflow = getComputedStyle(parent).overflowX;
        if (overflow !== "visible" && parent.scrollWidth > parent.clientWidth) {
          const clip = parent.getBoundingClientRect();
          clipLeft = Math.max(clipLeft, clip.left);
          clipRight = Math.min(clipRight, clip.right);
        }
      }
      const label = node.getAttribute("aria-label") || node.textContent.trim().slice(0, 40) || node.id || node.tagName;
      return { what: `${node.tagName.toLowerCase()} "${label}"`, left: box.left, right: box.right, clipLeft, clipRight };
    });
    if (left < -0.5 || right > width + 0.5 || left < clipLeft - 0.5 || right > clipRight + 0.5) {
      problems.push({ what, left: Math.round(left), right: Math.round(right) });
    }
  }
  return problems;
}

/** The figures under `scope` that take more than one line, or run out of their box: [{what, text}]. */
async function wrappedFigures(scope) {
  const problems = [];
  // Report values that are numbers (text values such as the models' notes are sentences and may wrap).
  const figures = scope.locator(".kpi-value, .figure-value, [data-kpi]:not([data-value^='\"'])");
  for (let i = 0, n = await figures.count(); i < n; i += 1) {
    const figure = figures.nth(i);
    if (!(await figure.isVisible())) continue;
    const wrapped = await figure.evaluate((node) => {
      const style = getComputedStyle(node);
      // Inline text: one box per line. A block: its content height against one line.
      if (node.querySelector("[data-kpi], .kpi-value, .figure-value")) return false; // measured on its own
      if (style.display === "inline") return node.getClientRects().length > 1;
      // A block kept on one line must also fit its box (not run past the card's edge).
      if (node.scrollWidth > node.clientWidth + 1) return true;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      return lines.size > 1;
    });
    if (wrapped) problems.push({ what: await figure.evaluate((node) => node.dataset.kpi ?? node.className), text: (await figure.innerText()).trim() });
  }
  return problems;
}

test("every view works on a phone: all controls within the screen, no figure broken over two lines", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server, { viewport: VIEWPORT });
  assert.deepEqual(await offScreen(page.locator("body")), [], "intake screen");
  await page.screenshot({ path: path.join(OUT, "mobile-intake-en.png"), fullPage: true });
  assert.equal(await analyze(page, SAMPLE), "ready");
  for (const lang of ["en", "ja"]) {
    if (lang === "ja") await page.click("#lang-toggle");
    // The tab bar: every tab reachable without a sideways scroll.
    assert.deepEqual(await offScreen(page.getByRole("tablist")), [], `${lang}: tabs`);
    for (const id of VIEW_IDS) {
      // The sample has no subscriptions (that tab is hidden): subscriptions-mobile below shows that view.
      if (await page.locator(`#tab-${id}`).isHidden()) continue;
      await openView(page, id);
      const panel = page.locator(`#panel-${id}`);
      // Open every disclosure so that the controls and figures inside are measured too.
      for (const details of await panel.locator("details:not([open]) > summary").all()) {
        if (await details.isVisible()) await details.click();
      }
      assert.deepEqual(await offScreen(panel), [], `${id} (${lang}): controls off-screen`);
      assert.deepEqual(await wrappedFigures(panel), [], `${id} (${lang}): figures broken over two lines`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${id} (${lang}) is ${overflow}px wider than the screen`);
      await page.screenshot({ path: path.join(OUT, `mobile-${id}-${lang}.png`), fullPage: true });
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("subscriptions-mobile: the Subscriptions view fits a phone-width screen", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server, { viewport: VIEWPORT });
  assert.equal(await analyze(page, subscriptionFile()), "ready");
  for (const lang of ["en", "ja"]) {
    if (lang === "ja") await page.click("#lang-toggle");
    await openView(page, "subscriptions");
    const panel = page.locator("#panel-subscriptions");
    for (const details of await panel.locator("details:not([open]) > summary").all()) {
      if (await details.isVisible()) await details.click();
    }
    assert.deepEqual(await offScreen(panel), [], `subscriptions (${lang}): controls off-screen`);
    assert.deepEqual(await wrappedFigures(panel), [], `subscriptions (${lang}): figures broken over two lines`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `subscriptions (${lang}) is ${overflow}px wider than the screen`);
    await page.screenshot({ path: path.join(OUT, `mobile-subscriptions-${lang}.png`), fullPage: true });
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("the Columns screen fits a phone: one column, role labels whole, every choice and button reachable", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server, { viewport: VIEWPORT });
  assert.equal(await analyze(page, SAMPLE), "ready");
  for (const lang of ["en", "ja"]) {
    if (lang === "ja") await page.click("#lang-toggle");
    await page.getByRole("button", { name: lang === "en" ? "Change columns" : "列の割り当てを変更" }).click();
    const dialog = page.locator("#columns-dialog");
    await dialog.waitFor();
    assert.deepEqual(await offScreen(dialog), [], `${lang}: controls off-screen`);
    // One column: each role's name gets the table's whole width (not a sliver beside the select), so it
    // is never squeezed to a couple of characters a line.
    const tableWidth = await dialog.locator("#columns-roles").evaluate((node) => node.getBoundingClientRect().width);
    for (const cell of await dialog.locator("#columns-roles tbody th").all()) {
      const width = await cell.evaluate((node) => node.getBoundingClientRect().width);
      assert.ok(width >= tableWidth * 0.9, `${lang}: the role "${await cell.innerText()}" is ${Math.round(width)}px of ${Math.round(tableWidth)}px wide`);
    }
    // The example values are not cut off: each example cell shows its whole text within the screen.
    for (const cell of await dialog.locator("td.columns-examples").all()) {
      const { right, scrollWidth, clientWidth } = await cell.evaluate((node) => ({
        right: node.getBoundingClientRect().right,
        scrollWidth: node.scrollWidth,
        clientWidth: node.clientWidth,
      }));
      assert.ok(right <= VIEWPORT.width + 0.5 && scrollWidth <= clientWidth + 1, `${lang}: an example cell is cut off`);
    }
    await page.screenshot({ path: path.join(OUT, `mobile-columns-${lang}.png`), fullPage: false });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
  }
  assert.deepEqual(problems, []);
  await context.close();
});
