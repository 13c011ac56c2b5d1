// The "try the sample" button fetches the bundled sample from the page's own origin and shows the same
// numbers as the CLI for that file, with the input summary and the chart tables filled in.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import {
  WWW,
  cliReport,
  OVERVIEW,
  assertShowsReport,
  foreignRequests,
  openPage,
  pageSession,
  settled,
  shownRawValues,
} from "./helpers.mjs";

const session = pageSession();

test("the sample button analyses the bundled sample", async () => {
  const { context, page, requests, problems } = await openPage(session.browser, session.server);
  await page.click("#try-sample");
  assert.equal(await settled(page), "ready");

  const report = cliReport(path.join(WWW, "sample", "sample-orders.csv"));
  assertShowsReport(await shownRawValues(page), report, OVERVIEW);
  assert.match(await page.locator("#results-file").textContent(), /^sample-orders\.csv /);
  assert.ok(requests.includes(`${session.server.origin}/sample/sample-orders.csv`));

  // Each chart's numbers are one click away: a table with a row per stage, bin and month.
  for (const [name, rows] of [
    ["funnel", report.funnel.length],
    ["histogram", report.days_to_second_histogram.length],
    ["monthly", report.monthly.length],
  ]) {
    const details = page.locator(`#numbers-${name}`);
    await details.locator("summary").click();
    assert.equal(await details.locator("tbody tr").count(), rows, name);
    assert.ok(await details.locator("table").isVisible(), name);
  }

  assert.deepEqual(foreignRequests(requests, session.server.origin), []);
  assert.deepEqual(problems, []);
  await context.close();
});
