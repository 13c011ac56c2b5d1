// A file whose encoding is a close call (a few UTF-8 characters and a byte that is not UTF-8): the overview
// says which encoding was chosen and offers the other; the answer re-reads the file in it, and the figures
// then equal the CLI's with --input-encoding.
import assert from "node:assert/strict";
import { copyFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { analyze, cliReport, OUT, openPage, pageSession, ROOT } from "./helpers.mjs";

const session = pageSession();

test("a close call between encodings is said, and the other encoding re-reads the file", async () => {
  const file = path.join(OUT, "encoding-close-call.csv");
  await copyFile(path.join(ROOT, "tests/bad_files/encoding_close_call.csv"), file);
  const { context, page, requests } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, file), "ready");
  const choice = page.locator("#encoding-choice");
  assert.ok(await choice.isVisible());
  assert.match(await choice.innerText(), /read as UTF-8, but it could also be Shift_JIS/);
  await choice.screenshot({ path: path.join(OUT, "encoding-choice.png") });
  const encoding = () => page.locator("#input-summary").innerText();
  assert.equal(cliReport(file).input.encoding, "UTF-8");
  assert.match(await encoding(), /UTF-8/);

  await page.click('#encoding-choice button[data-encoding="Shift_JIS"]');
  await page.waitForFunction(
    () =>
      document.querySelector("ltv-lens").dataset.state === "ready" &&
      /as you chose/.test(document.querySelector("ltv-lens").shadowRoot.querySelector("#encoding-choice")?.textContent ?? ""),
  );
  const chosen = cliReport(file, "--input-encoding", "Shift_JIS");
  assert.equal(chosen.input.encoding, "Shift_JIS");
  assert.match(await encoding(), /Shift_JIS/);
  assert.deepEqual(requests.filter((url) => !url.startsWith(session.server.origin)), []);

  // Detecting again goes back to UTF-8.
  await page.click('#encoding-choice button[data-encoding=""]');
  await page.waitForFunction(() => document.querySelector("ltv-lens").dataset.state === "ready" && /could also be/.test(document.querySelector("ltv-lens").shadowRoot.querySelector("#encoding-choice")?.textContent ?? ""));
  assert.match(await encoding(), /UTF-8/);
  await context.close();
});
