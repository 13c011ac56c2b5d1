// The Columns screen: a file whose date and amount are not recognised opens it instead of an error; the
// roles chosen there re-read the file with `columns` overrides, and the numbers equal the CLI's with the same
// `--column` options. On a recognised file it opens from "Change columns" on the overview. Text from the
// file (headers, values) is inserted as text; nothing leaves the origin; English and Japanese.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import {
  OUT,
  OVERVIEW,
  analyze,
  assertShowsReport,
  cliReport,
  foreignRequests,
  openPage,
  pageSession,
  settled,
  shownRawValues,
} from "./helpers.mjs";

const HOSTILE = '<img src=x onerror="window.__xss=1">';
// Nothing here names a date or an amount the analyzer knows.
const UNRECOGNISED = [
  "when,who,how much,<b>note</b>",
  `2024-01-05,C1,100,${HOSTILE}`,
  "2024-02-05,C1,50,",
  "2024-02-07,C2,20,gift",
  "2024-03-01,C3,35,",
  "2024-03-20,C2,40,",
].join("\n");
// Two candidate dates: the detected `order date`, and `shipped on`; order 3 is cancelled.
const TWO_DATES = [
  "order id,customer id,order date,shipped on,total,status",
  "1,A,2024-01-05,2024-03-10,100,paid",
  "2,A,2024-01-20,2024-03-10,50,paid",
  "3,B,2024-02-01,2024-02-03,80,cancelled",
  "4,B,2024-02-10,2024-04-01,70,paid",
  "5,C,2024-03-01,2024-03-02,30,paid",
].join("\n");

const session = pageSession();

/** Drops `file` on the drop zone as a user would, and waits for the result, the error or the screen. */
async function drop(page, file) {
  const dataTransfer = await page.evaluateHandle(
    ([text, name]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: "text/csv" }));
      return transfer;
    },
    [await readFile(file, "utf8"), path.basename(file)],
  );
  await page.dispatchEvent("#drop-zone", "drop", { dataTransfer });
  return settled(page);
}

/** The per-header table of the screen: [[header, roles, examples], …]. */
function headerRows(page) {
  return page.$$eval("#columns-headers tbody tr", (rows) =>
    rows.map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent)),
  );
}

test("a file without a recognised date opens the Columns screen; the chosen roles give the CLI's numbers", async () => {
  const file = path.join(OUT, "unrecognised-columns.csv");
  await writeFile(file, `${UNRECOGNISED}\n`);
  const { context, page, requests, problems } = await openPage(session.browser, session.server);

  assert.equal(await drop(page, file), "columns");
  const dialog = page.locator("#columns-dialog");
  assert.ok(await dialog.isVisible());
  assert.ok(await page.locator("#error").isHidden(), "the screen, not the error box");
  assert.match(await page.locator("#columns-reason").textContent(), /no header row with an order date/i);
  // Keyboard: the focus starts on the first missing role, and the analysis cannot run without a date.
  assert.equal(await page.evaluate(() => document.querySelector("ltv-lens").shadowRoot.activeElement?.id), "columns-role-date");
  assert.ok(await page.locator("#columns-run").isDisabled());
  assert.deepEqual(await headerRows(page), [
    ["when", "—", "2024-01-05 · 2024-02-05 · 2024-02-07"],
    ["who", "—", "C1 · C1 · C2"],
    ["how much", "—", "100 · 50 · 20"],
    ["<b>note</b>", "—", `${HOSTILE} · gift`],
  ]);

  await page.keyboard.press("ArrowDown"); // the first header, "when", by keyboard
  assert.equal(await page.locator("#columns-role-date").inputValue(), "when");
  await page.selectOption("#columns-role-total", "how much");
  await page.selectOption("#columns-role-customer_id", "who");
  assert.ok(await page.locator("#columns-run").isEnabled());
  assert.deepEqual((await headerRows(page)).map((row) => row[1]), ["Order date", "Customer id", "Total", "—"]);
  await page.screenshot({ path: path.join(OUT, "columns-en.png") });
  await page.locator("#columns-headers").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(OUT, "columns-en-headers.png") });

  await page.click("#columns-run");
  assert.equal(await settled(page), "ready");
  assert.ok(await dialog.isHidden());
  const report = cliReport(file, "--column", "date=when", "--column", "total=how much", "--column", "customer_id=who");
  assert.equal(report.kpis.customers, 3);
  assertShowsReport(await shownRawValues(page), report, OVERVIEW);
  const used = await page.locator("#input-columns").innerText();
  for (const name of ["when", "who", "how much"]) assert.ok(used.includes(name), name);

  // Reopened, it shows the choice in use.
  await page.click("#change-columns");
  await dialog.waitFor({ state: "visible" });
  assert.equal(await page.locator("#columns-role-date").inputValue(), "when");
  assert.equal(await page.locator("#columns-reason").count(), 0, "no failure to explain this time");
  await page.click("#columns-cancel");
  assert.ok(await dialog.isHidden());
  assert.equal(await page.evaluate(() => document.querySelector("ltv-lens").shadowRoot.activeElement?.id), "change-columns");

  assert.equal(await page.locator("#columns-dialog img, #columns-dialog b").count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.ok(!requests.some((url) => url.endsWith("/x")), "the file's markup was never parsed");
  assert.deepEqual(problems, []);
  await context.close();
});

test("on a recognised file, Change columns switches the date and turns the status off, as the CLI does", async () => {
  const file = path.join(OUT, "two-dates.csv");
  await writeFile(file, `${TWO_DATES}\n`);
  const { context, page, requests, problems } = await openPage(session.browser, session.server);

  assert.equal(await analyze(page, file), "ready");
  const detected = cliReport(file);
  assertShowsReport(await shownRawValues(page), detected, OVERVIEW);

  await page.click("#change-columns");
  await page.locator("#columns-dialog").waitFor({ state: "visible" });
  assert.equal(await page.locator("#columns-role-date").inputValue(), "order date");
  assert.equal(await page.locator("#columns-role-status").inputValue(), "status");
  assert.equal(await page.locator("#columns-role-date").evaluate((node) => node.closest("tr").lastChild.textContent),
    "2024-01-05 · 2024-01-20 · 2024-02-01");
  await page.selectOption("#columns-role-date", "shipped on");
  await page.selectOption("#columns-role-status", "");
  await page.click("#columns-run");
  assert.equal(await settled(page), "ready");

  const chosen = cliReport(file, "--column", "date=shipped on", "--column", "status=");
  // Hand-checked in tests/columns_override.rs: revenue 250 → 330 (the cancelled order counts), as_of
  // 2024-03-01 → 2024-04-01 (the shipped dates).
  assert.deepEqual([detected.kpis.revenue, detected.as_of], [250, "2024-03-01"]);
  assert.deepEqual([chosen.kpis.revenue, chosen.as_of], [330, "2024-04-01"]);
  assertShowsReport(await shownRawValues(page), chosen, OVERVIEW);
  assert.ok((await page.locator("#input-columns").innerText()).includes("shipped on"));
  await page.locator(".input-card").screenshot({ path: path.join(OUT, "columns-used.png") });

  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the Columns screen in Japanese", async () => {
  const file = path.join(OUT, "unrecognised-columns-ja.csv");
  await writeFile(file, `${UNRECOGNISED}\n`);
  const { context, page, requests, problems } = await openPage(session.browser, session.server, { locale: "ja-JP" });
  assert.equal(await analyze(page, file), "columns");
  assert.equal(await page.locator("#columns-title").textContent(), "列の割り当て");
  assert.equal(await page.locator('label[for="columns-role-date"]').textContent(), "注文日");
  assert.equal(await page.locator("#columns-run").textContent(), "この割り当てで分析");
  await page.selectOption("#columns-role-date", "when");
  await page.selectOption("#columns-role-total", "how much");
  await page.screenshot({ path: path.join(OUT, "columns-ja.png") });
  await page.click("#columns-run");
  assert.equal(await settled(page), "ready");
  assertShowsReport(await shownRawValues(page), cliReport(file, "--column", "date=when", "--column", "total=how much"), OVERVIEW);
  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});
