// `make bench` (browser peers): the page against DuckDB-WASM and PapaParse + plain JS on the same export, in the
// same run, each run in a fresh headless Chromium, paired (the page, then each peer, back to back, RUNS times).
// Prints figures and ratios only; asserts nothing about time.
//   node benches/peers-browser.mjs FILE [CLI_KPIS_JSON]
// - the page: drop → the overview's KPIs on screen and drop → every view ready (ltv-lens[data-state="ready"]),
//   as benches/browser.mjs times them;
// - the peers (benches/peers/, bundled here with esbuild into target/bench/peers-www/ and served by the e2e
//   tests' static server): the peers' workload (BENCHMARKS.md) from the file handed to the input to the
//   result; DuckDB-WASM's start-up (worker, wasm, connection) before the file is measured apart;
// - renderer memory: the highest resident size of the Chromium renderer processes started by this script,
//   summed, and of the page's own process (the page and its workers), sampled every 100 ms
//   (benches/renderers.mjs);
// - the peers' KPIs (customers, orders, revenue) against the CLI's on the file.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, cliReport, launchBrowser, startServer } from "../tests/e2e/helpers.mjs";
import { sampleRendererMemory } from "./renderers.mjs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node benches/peers-browser.mjs FILE");
  process.exit(1);
}
const MiB = 1024 * 1024;
const RUNS = Number(process.env.LTV_BENCH_RUNS ?? 2);

// The peers' page, served from target/bench/peers-www/.
const PEERS = path.join(ROOT, "target/bench/peers-www");
const DUCKDB = path.join(ROOT, "node_modules/@duckdb/duckdb-wasm/dist");
mkdirSync(PEERS, { recursive: true });
execFileSync("npx", ["esbuild", "benches/peers/peers.js", "--bundle", "--format=esm", "--minify", "--log-level=warning", `--outfile=${PEERS}/peers.js`], { cwd: ROOT, stdio: "inherit" });
for (const [from, name] of [
  [path.join(ROOT, "benches/peers/index.html"), "index.html"],
  [path.join(ROOT, "benches/peers.sql"), "peers.sql"],
  [path.join(DUCKDB, "duckdb-browser-eh.worker.js"), "duckdb-browser-eh.worker.js"],
  [path.join(DUCKDB, "duckdb-eh.wasm"), "duckdb-eh.wasm"],
]) {
  copyFileSync(from, path.join(PEERS, name));
}
writeFileSync(path.join(PEERS, "_headers"), "/*\n  X-Content-Type-Options: nosniff\n");

const ourServer = await startServer();
const peerServer = await startServer(PEERS);

/** One run of `tool` in a fresh browser: {ms, memory, startup?, result?}. */
async function measure(tool) {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  let startup;
  if (tool === "ltv-lens") {
    await page.goto(ourServer.url);
    await page.waitForSelector('ltv-lens[data-state="idle"]');
    await page.hover("ltv-lens"); // the worker and its wasm load, as in benches/browser.mjs
    await page.waitForLoadState("networkidle");
  } else {
    await page.goto(`${peerServer.url}index.html?tool=${tool}`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 0 });
    startup = await page.evaluate(() => window.startup);
  }
  const sampler = sampleRendererMemory();
  const start = performance.now();
  await page.setInputFiles("#file-input", file);
  let result;
  let kpis;
  if (tool === "ltv-lens") {
    await page.waitForSelector('#panel-overview [data-kpi="kpis.customers"]', { state: "visible", timeout: 0 });
    kpis = performance.now() - start;
    await page.waitForSelector('ltv-lens[data-state="ready"], ltv-lens[data-state="error"]', { timeout: 0 });
  } else {
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 0, polling: 20 });
    result = await page.evaluate(() => window.result);
  }
  const ms = performance.now() - start;
  const memory = sampler.stop();
  await browser.close();
  if (result?.error) throw new Error(`${tool}: ${result.error}`);
  return { ms, kpis, memory, startup, result };
}

const NAMES = { "ltv-lens": "LTV Lens page, drop → every view ready", duckdb: "DuckDB-WASM 1.32.0", papaparse: "PapaParse 5.7.1 + plain JS" };
const runs = { "ltv-lens": [], duckdb: [], papaparse: [] };
console.log(`browser peers on ${path.basename(file)} (${(statSync(file).size / MiB).toFixed(0)} MiB), ${RUNS} paired runs, a fresh Chromium each:`);
for (let run = 1; run <= RUNS; run += 1) {
  for (const tool of Object.keys(runs)) {
    const m = await measure(tool);
    runs[tool].push(m);
    const startup = m.startup === undefined ? "" : `  (start-up ${(m.startup / 1000).toFixed(2)} s, not counted)`;
    const kpis = m.kpis === undefined ? "" : `  (KPIs on screen after ${(m.kpis / 1000).toFixed(2)} s)`;
    console.log(`  run ${run}: ${NAMES[tool].padEnd(38)} ${(m.ms / 1000).toFixed(2).padStart(6)} s  renderer memory ${m.memory.total.toFixed(0).padStart(5)} MiB (its page's process ${m.memory.largest.toFixed(0).padStart(4)} MiB)${kpis}${startup}`);
  }
}

const kpis = cliReport(file).kpis;
console.log("KPIs on the same file (customers, orders, revenue, repeat rate):");
console.log(`  ${"LTV Lens CLI".padEnd(28)} ${kpis.customers} ${kpis.orders} ${kpis.revenue.toFixed(2)} ${kpis.repeat_rate.toFixed(4)}`);
let agree = true;
for (const tool of ["duckdb", "papaparse"]) {
  const r = runs[tool][0].result;
  const same = r.customers === kpis.customers && r.orders === kpis.orders && Math.abs(r.revenue - kpis.revenue) < 0.01;
  agree &&= same;
  console.log(`  ${NAMES[tool].padEnd(28)} ${r.customers} ${r.orders} ${r.revenue.toFixed(2)} ${r.repeat_rate.toFixed(4)}  ${same ? "agrees with the CLI" : "DIFFERS"}; RFM cells ${r.rfm_cells}, cohort cells ${r.cohort_cells}`);
}

const best = (tool) => Math.min(...runs[tool].map((m) => m.ms));
const peakOf = (tool) => Math.max(...runs[tool].map((m) => m.memory.total));
const pagePeakOf = (tool) => Math.max(...runs[tool].map((m) => m.memory.largest));
console.log(`\nbrowser, best of ${RUNS}:`);
console.log(`  ${"tool".padEnd(38)} ${"work".padStart(8)} ${"memory".padStart(10)} ${"its page".padStart(9)}  page time ÷ tool time`);
for (const tool of Object.keys(runs)) {
  console.log(`  ${NAMES[tool].padEnd(38)} ${(best(tool) / 1000).toFixed(2).padStart(7)}s ${peakOf(tool).toFixed(0).padStart(6)} MiB ${pagePeakOf(tool).toFixed(0).padStart(5)} MiB  ${(best("ltv-lens") / best(tool)).toFixed(2)}×`);
}
const firstKpis = Math.min(...runs["ltv-lens"].map((m) => m.kpis));
console.log(`  LTV Lens page, drop → KPIs on screen ${(firstKpis / 1000).toFixed(2)} s: ${(firstKpis / best("duckdb")).toFixed(2)} of DuckDB-WASM's work time`);
const startups = runs.duckdb.map((m) => (m.startup / 1000).toFixed(2));
console.log(`  DuckDB-WASM start-up (worker, wasm, connection; not in its work time): ${startups.join(" s, ")} s`);

await ourServer.close();
await peerServer.close();
if (!agree) {
  console.error("peers-browser.mjs: a peer's KPIs differ from the CLI's: not the same workload");
  process.exit(1);
}
