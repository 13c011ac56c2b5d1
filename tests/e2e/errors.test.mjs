// A wrong file gets a readable error (the analyzer's own sentence, the same the CLI prints; a CSV whose
// columns are not recognised opens the Columns screen with it) and the page recovers for the next file; a running analysis can be cancelled and the next file still works.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  OUT,
  analyze,
  cliError,
  cliReport,
  OVERVIEW,
  assertShowsReport,
  foreignRequests,
  openPage,
  pageSession,
  sampleFile,
  shownRawValues,
} from "./helpers.mjs";

// A 1×1 PNG image.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

// About 200 MB of one generic order repeated as line items: slow enough to cancel halfway.
const BIG = path.join(OUT, "big-export.csv");

const session = pageSession();
let good;

before(async () => {
  good = sampleFile(120, 5);
});

after(async () => {
  await rm(BIG, { force: true });
});

test("a wrong file shows the analyzer's error and the next good file still works", async () => {
  const png = path.join(OUT, "not-orders.png");
  const noDate = path.join(OUT, "no-date-column.csv");
  const empty = path.join(OUT, "empty.csv");
  await writeFile(png, PNG);
  await writeFile(empty, "");
  await writeFile(noDate, "order id,email,total\n1001,a@example.com,1200\n1002,b@example.com,800\n");
  const { context, page, requests, problems } = await openPage(session.browser, session.server);

  // A good file first, so the test also sees the old results go away.
  assert.equal(await analyze(page, good), "ready");

  for (const file of [png, empty]) {
    assert.equal(await analyze(page, file), "error", file);
    assert.ok(await page.locator("#error").isVisible());
    const sentence = cliError(file); // the page starts it with a capital letter
    assert.equal(await page.locator("#error-message").textContent(), sentence[0].toUpperCase() + sentence.slice(1));
    assert.ok((await page.locator("#error-title").textContent()).includes(path.basename(file)));
    assert.ok(await page.locator("#results").isHidden(), "the previous report is not shown under an error");
    assert.ok(await page.locator("#error-columns").isHidden(), "no columns to choose in a file that is not a CSV");
  }

  // A CSV without a recognisable date: the Columns screen opens instead, with the sentence as its reason;
  // closing it leaves that sentence in the error box, which can open the screen again.
  assert.equal(await analyze(page, noDate), "columns");
  assert.ok(await page.locator("#columns-dialog").isVisible());
  const sentence = cliError(noDate);
  assert.match(sentence, /order date/);
  assert.ok((await page.locator("#columns-reason").textContent()).includes(sentence[0].toUpperCase() + sentence.slice(1)));
  await page.keyboard.press("Escape");
  await page.waitForSelector('body[data-state="error"]');
  assert.ok(await page.locator("#columns-dialog").isHidden());
  assert.equal(await page.locator("#error-message").textContent(), sentence[0].toUpperCase() + sentence.slice(1));
  assert.ok(await page.locator("#error-columns").isVisible());
  assert.ok(await page.locator("#results").isHidden());
  await page.screenshot({ path: path.join(OUT, "error.png") });

  assert.equal(await analyze(page, good), "ready");
  assert.ok(await page.locator("#error").isHidden());
  assertShowsReport(await shownRawValues(page), cliReport(good), OVERVIEW);

  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a running analysis can be cancelled, and the next file is analysed on a fresh worker", async () => {
  const out = createWriteStream(BIG);
  const line = `A1,c1@example.com,2024-01-05,1000,${"x".repeat(1000)}\n`;
  out.write("order id,email,order date,total,note\n");
  for (let i = 0; i < 200_000; i += 1) {
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");

  const { context, page, requests, problems } = await openPage(session.browser, session.server);
  await page.setInputFiles("#file-input", BIG);
  await page.waitForFunction(() => document.getElementById("progress-bar").value > 0);
  assert.ok(await page.locator("#progress").isVisible());
  await page.click("#cancel");
  await page.waitForSelector('body[data-state="idle"]');
  assert.ok(await page.locator("#progress").isHidden());
  assert.match(await page.locator("#status").textContent(), /Cancelled/);
  assert.ok(await page.locator("#results").isHidden());

  assert.equal(await analyze(page, good), "ready");
  assertShowsReport(await shownRawValues(page), cliReport(good), OVERVIEW);

  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});
