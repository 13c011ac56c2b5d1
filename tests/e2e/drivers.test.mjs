// The "Why they come back" view: on the sample every figure is the CLI's (views.test.mjs checks that for every
// view); here, the buyers of one first product and the customers of one channel download as the CLI's
// `--first-product` / `--first-channel` lists, groups are listed by rate with the small ones greyed, and a file
// without product, discount or channel columns says so instead of showing empty tables.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { OUT, WWW, analyze, cliBytes, cliReport, openPage, openView, pageSession, shownRawValues } from "./helpers.mjs";

const session = pageSession();
const SAMPLE = path.join(WWW, "sample/sample-orders.csv");

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.locator(button).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

test("the buyers of a first product and the customers of a channel download as the CLI's lists", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, SAMPLE), "ready");
  await openView(page, "drivers");
  const report = cliReport(SAMPLE);

  // Rows are sorted by rate, highest first, and a small group is greyed.
  const rates = await page.$$eval('#drivers-by_first_product [data-kpi$=".rate"]', (nodes) => nodes.map((node) => JSON.parse(node.dataset.value)));
  assert.deepEqual(rates, [...rates].sort((a, b) => b - a));
  assert.equal(rates.length, report.drivers.by_first_product.length);
  const greyed = await page.$$eval("#drivers-by_first_product tr.small-group", (rows) => rows.length);
  assert.equal(greyed, report.drivers.by_first_product.filter((group) => group.small).length);

  const product = report.drivers.by_first_product[0].key;
  const row = `#drivers-by_first_product tr:has([data-value='${JSON.stringify(product)}']) .btn-download`;
  const list = await download(page, row);
  assert.match(list.name, /^ltv-lens-customers-first-product-[\p{L}\p{N}-]+\.csv$/u);
  assert.ok(list.bytes.equals(cliBytes("customers", SAMPLE, "--first-product", product)), product);

  const channel = report.drivers.by_first_channel[0].key;
  const channelList = await download(page, `#drivers-by_first_channel tr:has([data-value='${JSON.stringify(channel)}']) .btn-download`);
  assert.ok(channelList.bytes.equals(cliBytes("customers", SAMPLE, "--first-channel", channel)), channel);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a file without product, discount or channel columns says so, and still shows value bands and timing", async () => {
  const file = path.join(OUT, "drivers-plain.csv");
  const rows = ["order_id,customer_id,date,total"];
  for (let i = 0; i < 60; i += 1) {
    rows.push(`A${i},C${i},2024-01-${String((i % 28) + 1).padStart(2, "0")},${1000 + i * 10}`);
    if (i % 3 === 0) rows.push(`B${i},C${i},2024-03-${String((i % 28) + 1).padStart(2, "0")},${500 + i}`);
  }
  await writeFile(file, `${rows.join("\n")}\n`);
  const report = cliReport(file);
  assert.equal(report.drivers.by_first_product, null);
  const { context, page, problems } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, file), "ready");
  await openView(page, "drivers");
  for (const kind of ["by_first_product", "by_first_discount", "by_first_channel"]) {
    assert.equal(await page.locator(`#drivers-${kind} table`).count(), 0, kind);
    assert.match(await page.locator(`#drivers-${kind}`).innerText(), /no column for this/);
  }
  const shown = await shownRawValues(page);
  assert.equal(shown["drivers.rate"], report.drivers.rate);
  assert.equal(shown["timing.steps.0.customers"], report.timing.steps[0].customers);
  assert.equal(shown["timing.follow_up_day"], report.timing.follow_up_day);
  assert.deepEqual(problems, []);
  await context.close();
});
