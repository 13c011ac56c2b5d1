// A wrong file gets a readable error (the analyzer's own sentence, the same the CLI prints; a CSV whose
// columns are not recognised opens the Columns screen with it) and the page recovers for the next file; a running analysis can be cancelled and the next file still works.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { before, test } from "node:test";
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

const session = pageSession();
let good;

before(async () => {
  good = sampleFile(120, 5);
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
  await page.waitForSelector('ltv-lens[data-state="error"]');
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
  const { context, page, requests, problems } = await openPage(session.browser, session.server);
  // The first worker's messages after its first progress report are held back for good: the analysis is
  // still running, whatever the machine's speed, when Cancel is clicked. Later workers are left alone.
  await context.addInitScript(() => {
    let workers = 0;
    window.Worker = class extends Worker {
      #first = ++workers === 1;
      set onmessage(handler) {
        let progressed = false;
        super.onmessage =
          handler &&
          ((event) => {
            if (this.#first && progressed) return;
            if (event.data?.type === "progress") progressed = true;
            handler(event);
          });
      }
      get onmessage() {
        return super.onmessage;
      }
    };
  });
  await page.reload();
  await page.waitForSelector('ltv-lens[data-state="idle"]');
  await page.setInputFiles("#file-input", good);
  await page.waitForFunction(() => document.querySelector("ltv-lens").shadowRoot.getElementById("progress-bar").value > 0);
  assert.ok(await page.locator("#progress").isVisible());
  await page.click("#cancel");
  await page.waitForSelector('ltv-lens[data-state="idle"]');
  assert.ok(await page.locator("#progress").isHidden());
  assert.match(await page.locator("#status").textContent(), /Cancelled/);
  assert.ok(await page.locator("#results").isHidden());

  assert.equal(await analyze(page, good), "ready");
  assertShowsReport(await shownRawValues(page), cliReport(good), OVERVIEW);

  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});
