// `make bench` (browser half): the page as a user meets it, in headless Chromium, on one export. Prints
// figures only; asserts nothing about time.
//   node benches/browser.mjs FILE
// - first load: the files the page fetches before a file is dropped, and their size gzipped (-9, as a
//   static host would send them); then what the pointer over the element adds (the worker and the wasm);
// - drop → the overview's KPIs on screen, and drop → every view ready (ltv-lens[data-state="ready"]), best of 3;
// - renderer memory: the highest resident size of Chromium's renderer processes (the page and its worker)
//   during a run, sampled every 100 ms from /proc;
// - responsiveness: the longest gap between animation frames while the file is analysed, and how long
//   Cancel takes to stop an analysis halfway through reading.
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { WWW, launchBrowser, startServer } from "../tests/e2e/helpers.mjs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node benches/browser.mjs FILE");
  process.exit(1);
}
const MiB = 1024 * 1024;
const RUNS = 3;

/** Resident memory (MiB) of every Chromium renderer process, summed. */
function rendererMemory() {
  let total = 0;
  const out = execFileSync("ps", ["-eo", "rss=,args="], { encoding: "utf8" });
  for (const line of out.split("\n")) {
    if (line.includes("--type=renderer")) total += Number(line.trim().split(/\s+/, 1)[0]) / 1024;
  }
  return total;
}

const server = await startServer();
const browser = await launchBrowser();

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const requests = [];
  // The page's and its worker's requests; the service worker's download of every file for offline use, in
  // the background after the first load, is not counted.
  context.on("request", (request) => request.serviceWorker() || requests.push(new URL(request.url()).pathname));
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('ltv-lens[data-state="idle"]');
  return { context, page, requests };
}

/** Gzipped sizes of the files at `paths` (served from www/), largest first, and their total. */
function gzipped(paths) {
  const files = [...new Set(paths)].map((p) => path.join(WWW, p === "/" ? "index.html" : p));
  const sizes = files.map((f) => [path.relative(WWW, f), gzipSync(readFileSync(f), { level: 9 }).length]).sort((a, b) => b[1] - a[1]);
  return { sizes, total: sizes.reduce((sum, [, size]) => sum + size, 0) };
}

// First load; then what a visitor coming near the element adds (the worker and its wasm), and a drop (the
// charts).
{
  const { context, page, requests } = await newPage();
  await page.waitForLoadState("networkidle");
  const first = gzipped(requests);
  console.log(`first load: ${first.sizes.length} files, ${(first.total / 1024).toFixed(1)} KiB gzipped`);
  for (const [name, size] of first.sizes.slice(0, 3)) console.log(`  ${name}: ${(size / 1024).toFixed(1)} KiB`);
  const before = requests.length;
  await page.hover("ltv-lens");
  while (!requests.some((p) => p.endsWith(".wasm"))) await page.waitForTimeout(50);
  await page.waitForLoadState("networkidle");
  const near = gzipped(requests.slice(before));
  console.log(`  then, when the pointer comes over the element: ${near.sizes.map(([name]) => name).join(", ")} ${(near.total / 1024).toFixed(1)} KiB`);
  const charts = gzipSync(readFileSync(path.join(WWW, "pkg/vendor/echarts.js")), { level: 9 }).length;
  console.log(`  then, when a file is dropped: pkg/vendor/echarts.js ${(charts / 1024).toFixed(1)} KiB`);
  await context.close();
}

// Drop → first figures → every view, with memory and frame gaps.
const size = statSync(file).size;
let best = { kpis: Infinity, ready: Infinity };
let peak = 0;
let longestFrameGap = 0;
for (let run = 0; run < RUNS; run += 1) {
  const { context, page } = await newPage();
  await page.evaluate(() => {
    window.frameGap = 0;
    let last = performance.now();
    const tick = (now) => {
      window.frameGap = Math.max(window.frameGap, now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  // A visitor's pointer is over the element before the drop: the worker and its wasm are loaded.
  await page.hover("ltv-lens");
  await page.waitForLoadState("networkidle");
  const sampler = setInterval(() => (peak = Math.max(peak, rendererMemory())), 100);
  const start = performance.now();
  await page.setInputFiles("#file-input", file);
  await page.waitForSelector('#panel-overview [data-kpi="kpis.customers"]', { state: "visible", timeout: 0 });
  const kpis = performance.now() - start;
  await page.waitForSelector('ltv-lens[data-state="ready"], ltv-lens[data-state="error"]', { timeout: 0 });
  const ready = performance.now() - start;
  clearInterval(sampler);
  const state = await page.evaluate(() => document.querySelector("ltv-lens").dataset.state);
  if (state !== "ready") throw new Error(`the page ended in state ${state}`);
  longestFrameGap = Math.max(longestFrameGap, await page.evaluate(() => window.frameGap));
  best = { kpis: Math.min(best.kpis, kpis), ready: Math.min(best.ready, ready) };
  await context.close();
}
console.log(
  `browser, ${(size / MiB).toFixed(0)} MiB: drop → KPIs on screen ${(best.kpis / 1000).toFixed(2)} s, ` +
    `→ every view ready ${(best.ready / 1000).toFixed(2)} s (best of ${RUNS}); ` +
    `renderer memory peak ${peak.toFixed(0)} MiB; longest gap between frames ${longestFrameGap.toFixed(0)} ms`,
);

// Cancel halfway through reading.
{
  const { context, page } = await newPage();
  await page.setInputFiles("#file-input", file);
  await page.waitForFunction(() => document.querySelector("ltv-lens").shadowRoot.getElementById("progress-bar").value >= 0.5, null, { timeout: 0, polling: 10 });
  const start = performance.now();
  await page.click("#cancel");
  await page.waitForSelector('ltv-lens[data-state="idle"]', { timeout: 0 });
  console.log(`cancel halfway through reading: the page is idle again after ${(performance.now() - start).toFixed(0)} ms`);
  await context.close();
}

await browser.close();
await server.close();
