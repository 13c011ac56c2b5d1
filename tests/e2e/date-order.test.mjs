// Slash dates that the file cannot settle (1/5/2024 reads both ways): the overview asks which order is
// right, and the answer re-reads the file with it; the numbers then equal the CLI's with --date-order.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { analyze, cliReport, OUT, openPage, pageSession } from "./helpers.mjs";

const session = pageSession();

test("ambiguous slash dates are asked about, and the answer re-reads the file", async () => {
  const file = path.join(OUT, "ambiguous-dates.csv");
  await writeFile(file, "order id,email,date,amount\n1,a@x.com,1/5/2024,10\n2,a@x.com,2/6/2024,20\n3,b@x.com,3/7/2024,5\n");
  const { context, page, requests } = await openPage(session.browser, session.server);
  assert.equal(await analyze(page, file), "ready");
  const question = page.locator("#date-order");
  assert.ok(await question.isVisible());
  assert.match(await question.innerText(), /month first/i);
  await question.screenshot({ path: path.join(OUT, "date-order.png") });
  const asOf = () => page.locator("#results-as-of").innerText();
  const monthFirst = cliReport(file);
  assert.equal(monthFirst.as_of, "2024-03-07");
  assert.match(await asOf(), /Mar/);

  await page.click('#date-order button[data-order="day-first"]');
  await page.waitForFunction(() => document.querySelector("ltv-lens").dataset.state === "ready" && document.querySelector("ltv-lens").shadowRoot.querySelector('#date-order button[data-order="day-first"]')?.getAttribute("aria-pressed") === "true");
  const dayFirst = cliReport(file, "--date-order", "day-first");
  assert.equal(dayFirst.as_of, "2024-07-03");
  assert.match(await asOf(), /Jul/);
  assert.match(await question.innerText(), /as you chose/);
  assert.deepEqual(requests.filter((url) => !url.startsWith(session.server.origin)), []);
  await context.close();
});
