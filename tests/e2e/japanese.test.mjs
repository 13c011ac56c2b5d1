// The Japanese page speaks Japanese: after analysing the sample with a Japanese browser, the intake screen
// and every view (with every definition and numbers table) contain no English word outside an allow-list of
// names and notations (brands, platforms, currency codes, CSV, RFM, LTV, …) — text from the file (header
// names, the file name, customers' names and e-mails) is left out. The reason the Columns screen gives for
// a file without an order date or amount is Japanese too. And the customer lists' header language defaults
// to the page's language, is shared by every view and holds once chosen.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { OUT, WWW, analyze, openPage, openView, pageSession, subscriptionFile } from "./helpers.mjs";
import { VIEWS } from "../../js/views/index.js";

const session = pageSession();
const SAMPLE = path.join(WWW, "sample/sample-orders.csv");
// Every view of the registry (js/views/index.js), so that a new view is checked too.
const VIEW_IDS = VIEWS.map((view) => view.id);

// Names and notations that stay in Latin letters in Japanese text.
const ALLOWED = new Set([
  // the product, the language switch, formats and encodings
  "LTV", "Lens", "English", "CSV", "UTF-8", "Shift_JIS", "MB", "KB",
  // platforms (README, Input formats) and tools
  "Shopify", "BASE", "Yahoo", "futureshop", "MakeShop", "EC-CUBE", "BigCommerce", "WooCommerce", "Amazon",
  "Excel", "Google", "LINE",
  // metrics, models and their notation
  "RFM", "CLV", "AOV", "CAC", "ID", "BG/NBD", "MBG/NBD", "Pareto/NBD", "Gamma-Gamma", "Fn",
  // the models' parameters as the Report names them (r, a, b, s are single letters)
  "alpha", "beta",
  // the models' authors (Fader, Hardie & Lee; Batislam, Denizel & Filiztekin; Schmittlein, Morrison &
  // Colombo), the interval's (Wilson) and the spreadsheet/pandas quantile convention
  "Fader", "Hardie", "Lee", "Batislam", "Denizel", "Filiztekin", "Schmittlein", "Morrison", "Colombo",
  "Wilson", "pandas",
  // the customer list's columns, named in its definition
  "email", "name", "occasions", "orders", "revenue", "segment", "lapse", "clv", "subscription",
  // the interval columns' suffixes (…_low, …_high)
  "low", "high",
]);

/** The English words in `text`: runs of Latin letters not allowed above (single letters are symbols: R, F, M, k, n). */
function englishWords(text) {
  const tokens = text.replace(/P\(alive\)/g, " ").match(/[A-Za-z][\w/'’.-]*\w|[A-Za-z]/g) ?? [];
  return tokens.filter(
    (token) =>
      token.length > 1 &&
      !ALLOWED.has(token) &&
      !/^[A-Z]{3}$/.test(token) && // a currency code
      !/^[A-Za-z]\d+$/.test(token) && // a notation: F1, F5, R4, p75
      !/^e-?\d+$/.test(token) && // a number's exponent: 1.2e-12
      !/[_.]/.test(token), // an identifier or a file name (customer_key, sample-orders.csv)
  );
}

/**
 * The text of the element `locator` finds (its aria-labels and titles included) without what comes from the
 * file: the columns used, the file's name, the top customers' rows, what is marked data-from-file (product and
 * channel names), and header names quoted in 「」.
 */
function pageText(locator) {
  return locator.evaluate((root) => {
    const copy = root.cloneNode(true);
    for (const node of copy.querySelectorAll("#input-columns, #results-file, #top-clv tbody, [data-from-file]")) node.remove();
    const attributes = [...copy.querySelectorAll("[aria-label], [title]")].map((node) => `${node.getAttribute("aria-label") ?? ""} ${node.getAttribute("title") ?? ""}`);
    // Text nodes joined with spaces: table cells are separate words.
    const walker = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode.data);
    return `${texts.join(" ")} ${attributes.join(" ")}`.replace(/「[^」]*」/g, "");
  });
}

test("the Japanese page has no English words outside its names and notations", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server, { locale: "ja-JP" });
  const found = {};
  const check = async (where, locator) => {
    const words = englishWords(await pageText(locator));
    if (words.length > 0) found[where] = [...new Set(words)];
  };
  await check("intake", page.locator("section.intake"));
  assert.equal(await analyze(page, SAMPLE), "ready");
  await check("tabs", page.getByRole("tablist"));
  for (const id of VIEW_IDS) {
    // The sample has no subscriptions (that tab is hidden): the subscription file below shows that view.
    if (await page.locator(`#tab-${id}`).isHidden()) continue;
    await openView(page, id);
    await check(id, page.locator(`#panel-${id}`));
  }
  assert.equal(await analyze(page, subscriptionFile()), "ready");
  await openView(page, "subscriptions");
  await check("subscriptions", page.locator("#panel-subscriptions"));
  assert.deepEqual(found, {});
  assert.deepEqual(problems, []);
  await context.close();
});

test("the Columns screen gives its reason in Japanese for a file without an order date or amount", async () => {
  const file = path.join(OUT, "no-date-ja.csv");
  await writeFile(file, "会員ID,商品名,数量\nM1,りんご,2\nM2,みかん,1\n");
  const { context, page, problems } = await openPage(session.browser, session.server, { locale: "ja-JP" });
  assert.equal(await analyze(page, file), "columns");
  const reason = page.locator("#columns-reason");
  await reason.waitFor();
  const text = await reason.innerText();
  assert.match(text, /注文日、金額（合計金額または単価）/);
  assert.deepEqual(englishWords(text), [], text);
  assert.deepEqual(englishWords(await page.locator("#columns-file").innerText()), []);
  await page.screenshot({ path: path.join(OUT, "columns-no-date-ja.png") });
  assert.deepEqual(problems, []);
  await context.close();
});

test("the customer lists' header language follows the page until chosen, and every view shares the choice", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server, { locale: "ja-JP" });
  assert.equal(await analyze(page, SAMPLE), "ready");
  await openView(page, "lists");
  const picker = (id) => page.locator(`#panel-${id} [data-list-lang-select]`);
  assert.equal(await picker("lists").inputValue(), "ja");
  assert.ok((await page.getByLabel("リストの見出し").count()) > 0);
  // The page in English: the lists follow, until a language is chosen.
  await page.click("#lang-toggle");
  await openView(page, "lists");
  assert.equal(await picker("lists").inputValue(), "en");
  await picker("lists").selectOption("ja");
  await openView(page, "segments");
  assert.equal(await picker("segments").inputValue(), "ja");
  await page.click("#lang-toggle");
  await page.click("#lang-toggle");
  await openView(page, "lapse");
  assert.equal(await picker("lapse").inputValue(), "ja");
  assert.equal(await page.locator("#panel-lapse [data-encoding-select]").inputValue(), "utf-8");
  assert.deepEqual(problems, []);
  await context.close();
});
