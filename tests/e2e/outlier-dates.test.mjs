// Orders whose dates are outliers (a typo'd year): the overview says how many were left out and offers to
// keep them, which re-reads the file; the numbers equal the CLI's without and with --keep-outlier-dates.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { analyze, cliReport, OUT, openPage, pageSession } from "./helpers.mjs";

const session = pageSession();

/** Six orders in 2024 and one dated 1900: more than two years from every other order. */
async function typoFile() {
  const file = path.join(OUT, "outlier-dates.csv");
  const rows = ["order id,email,order date,amount"];
  for (let i = 1; i <= 6; i++) rows.push(`${i},c${i % 3}@x.jp,2024-0${i}-05,10`);
  rows.push("7,c1@x.jp,1900-01-01,99");
  await writeFile(file, rows.join("\n") + "\n");
  return file;
}

test("orders with outlier dates are left out, said so, and kept on request", async () => {
  const file = await typoFile();
  const { context, page, requests } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, file), "ready");
  const left = cliReport(file);
  assert.equal(left.input.outlier_orders, 1);
  const notice = page.locator("#outlier-dates");
  assert.ok(await notice.isVisible());
  assert.match(await notice.innerText(), /left out for outlier dates: 1\./);
  const shownCount = page.locator('[data-kpi="input.outlier_orders"]');
  assert.equal(await shownCount.innerText(), "1");
  assert.match(await page.locator("#results-as-of").innerText(), /Jun/);
  await page.locator(".input-card").screenshot({ path: path.join(OUT, "outlier-dates-en.png") });

  await page.click("#outlier-dates-toggle");
  await page.waitForFunction(
    () =>
      document.querySelector("ltv-lens").dataset.state === "ready" &&
      document.querySelector("ltv-lens").shadowRoot.querySelector("#outlier-dates-toggle")?.getAttribute("aria-pressed") === "true",
  );
  const kept = cliReport(file, "--keep-outlier-dates");
  assert.equal(kept.input.outlier_orders, 0);
  assert.equal(kept.as_of, "2024-06-05");
  assert.equal(await shownCount.innerText(), "0");
  assert.match(await notice.innerText(), /as you chose/);
  assert.deepEqual(requests.filter((url) => !url.startsWith(session.server.origin)), []);
  await context.close();
});

test("the notice in Japanese and at phone width", async () => {
  const file = await typoFile();
  for (const [locale, viewport, name] of [
    ["ja-JP", { width: 1280, height: 900 }, "outlier-dates-ja.png"],
    ["en-US", { width: 390, height: 844 }, "outlier-dates-phone-en.png"],
    ["ja-JP", { width: 390, height: 844 }, "outlier-dates-phone-ja.png"],
  ]) {
    const { context, page } = await openPage(session.browser, session.server, { locale, viewport });
    assert.equal(await analyze(page, file), "ready");
    const notice = page.locator("#outlier-dates");
    if (locale === "ja-JP") assert.match(await notice.innerText(), /集計から外しました/);
    await page.locator(".input-card").screenshot({ path: path.join(OUT, name) });
    await context.close();
  }
});
