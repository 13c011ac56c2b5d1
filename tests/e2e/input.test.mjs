// Ways in: a file dropped on the drop zone, and a Shift_JIS file with Japanese headers whose encoding,
// columns used and warnings come from the file and are shown as text, never as HTML; the numbers match the CLI.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
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
  settled,
  shownRawValues,
} from "./helpers.mjs";

// "注文番号,会員ID,注文日,合計金額\n" in Shift_JIS (CP932).
const SJIS_HEADER = Buffer.from("928d95b694d48d862c89ef88f549442c928d95b693fa2c8d878c768be08a7a0a", "hex");
const HOSTILE_DATE = '<img src=x onerror="window.__xss=1">';
const ROWS = [
  "A-1,M001,2024/01/05,1200",
  "A-2,M001,2024/02/20,800",
  "A-3,M002,2024/01/10,1500",
  `A-4,M002,${HOSTILE_DATE},900`,
  "A-5,M003,2024/03/01,2000",
  "A-6,M001,2024/04/02,700",
];

const session = pageSession();

test("a Shift_JIS export is summarised, and text from the file is inserted as text", async () => {
  const file = path.join(OUT, "shift-jis-orders.csv");
  await writeFile(file, Buffer.concat([SJIS_HEADER, Buffer.from(`${ROWS.join("\n")}\n`, "latin1")]));
  const report = cliReport(file);
  assert.equal(report.input.encoding, "Shift_JIS");
  assert.equal(report.input.skipped_rows, 1);

  const { context, page, requests, problems } = await openPage(session.browser, session.server, { locale: "ja-JP" });
  assert.equal(await analyze(page, file), "ready");
  assertShowsReport(await shownRawValues(page), report, OVERVIEW);

  const columns = await page.locator("#input-columns").innerText();
  for (const name of ["注文番号", "会員ID", "注文日", "合計金額"]) assert.ok(columns.includes(name), name);

  const warning = report.input.warnings[0];
  assert.ok(warning.message.includes(HOSTILE_DATE));
  const cells = await page.locator("#warnings tbody tr").first().locator("th, td").allTextContents();
  // The Japanese page words the warning from its code and arguments.
  assert.equal(warning.code, "not_a_date");
  assert.equal(warning.args.value, HOSTILE_DATE);
  const japanese = `「${HOSTILE_DATE}」は日付として読めません（この行は集計から外しました）`;
  assert.deepEqual(cells, [String(warning.row), warning.column, japanese]);
  assert.equal(await page.locator("#warnings img").count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);

  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.ok(!requests.some((url) => url.endsWith("/x")), "the file's markup was never parsed");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a file dropped on the drop zone is analysed", async () => {
  const file = sampleFile(60, 3);
  const { context, page, problems } = await openPage(session.browser, session.server);
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], "dropped.csv", { type: "text/csv" }));
    return transfer;
  }, await readFile(file, "utf8"));
  await page.dispatchEvent("#drop-zone", "dragenter", { dataTransfer });
  assert.ok(await page.locator("#drop-zone.dragging").isVisible(), "the drop zone lights up");
  await page.dispatchEvent("#drop-zone", "drop", { dataTransfer });
  assert.equal(await settled(page), "ready");
  assert.equal(await page.locator("#drop-zone.dragging").count(), 0);
  assert.match(await page.locator("#results-file").textContent(), /^dropped\.csv /);
  assertShowsReport(await shownRawValues(page), cliReport(file), OVERVIEW);
  assert.deepEqual(problems, []);
  await context.close();
});
