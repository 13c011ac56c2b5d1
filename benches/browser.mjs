// `make bench` (browser half): the page as a user meets it, in headless Chromium, on one export. Prints
// figures only; asserts nothing about time.
//   node benches/browser.mjs FILE
// - first load: the files the page fetches before a file is dropped, and their size gzipped (-9, as a
//   static host would send them); then what the pointer over the element adds (the worker and the wasm),
//   what a drop adds (the charts), and the three together against the first visit's budget of 450 KiB;
// - drop → the overview's KPIs on screen, and drop → every view ready (ltv-lens[data-state="ready"]), best of 3;
// - renderer memory: the highest resident size during a run of the page's renderer process (the page and
//   its worker) and of all the renderer processes of this script's browser, sampled every 100 ms
//   (benches/renderers.mjs);
// - responsiveness: the longest gap between animation frames while the file is analysed, and how long
//   Cancel takes to stop an analysis halfway through reading.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { WWW, launchBrowser, startServer } from "../tests/e2e/helpers.mjs";
import { sampleRendererMemory } from "./renderers.mjs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node benches/browser.mjs FILE");
  process.exit(1);
}
const MiB = 1024 * 1024;
const RUNS = 3;
/** The first visit's download budget, gzipped: a figure to print beside the total, not a check. */
const BUDGET_KIB = 450;

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
  const total = first.total + near.total + charts;
  console.log(`  in all: ${(total / 1024).toFixed(1)} KiB gzipped (the first visit's budget: ${BUDGET_KIB} KiB)`);
  await context.close();
}

// Drop → first figures → every view, with memory and frame gaps.
const size = statSync(file).size;
let best = { kpis: Infinity, ready: Infinity };
let peak = { total: 0, largest: 0 };
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
  const sampler = sampleRendererMemory();
  const start = performance.now();
  await page.setInputFiles("#file-input", file);
  await page.waitForSelector('#panel-overview [data-kpi="kpis.customers"]', { state: "visible", timeout: 0 });
  const kpis = performance.now() - start;
  await page.waitForSelector('ltv-lens[data-state="ready"], ltv-lens[data-state="error"]', { timeout: 0 });
  const ready = performance.now() - start;
  const memory = sampler.stop();
  peak = { total: Math.max(peak.total, memory.total), largest: Math.max(peak.largest, memory.largest) };
  const state = await page.evaluate(() => document.querySelector("ltv-lens").dataset.state);
  if (state !== "ready") throw new Error(`the page ended in state ${state}`);
  longestFrameGap = Math.max(longestFrameGap, await page.evaluate(() => window.frameGap));
  best = { kpis: Math.min(best.kpis, kpis), ready: Math.min(best.ready, ready) };
  await context.close();
}
console.log(
  `browser, ${(size / MiB).toFixed(0)} MiB: drop → KPIs on screen ${(best.kpis / 1000).toFixed(2)} s, ` +
    `→ every view ready ${(best.ready / 1000).toFixed(2)} s (best of ${RUNS}); ` +
    `renderer memory peak: the page's process ${peak.largest.toFixed(0)} MiB, all renderers ${peak.total.toFixed(0)} MiB; longest gap between frames ${longestFrameGap.toFixed(0)} ms`,
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
