// `make bench` (wasm half): the wasm build in V8 (Node), the engine the page's worker runs in, pushing
// the file in 4 MiB slices as the page does, and the size the module's memory reaches. Prints figures only.
//   node benches/wasm.mjs FILE             throughput (best of 3)
//   node benches/wasm.mjs --models FILE…   predicted value: the first Report (which fits the models)
//                                          and a refit without the holdout check
import { readFileSync, openSync, readSync, closeSync, statSync } from "node:fs";
import { initSync, Analyzer } from "../www/pkg/ltv_lens.js";

const wasmPath = new URL("../www/pkg/ltv_lens_bg.wasm", import.meta.url);
const wasm = initSync({ module: readFileSync(wasmPath) });

/** A finished Analyzer over the file at `path`. */
function read(path) {
  const analyzer = new Analyzer({});
  const fd = openSync(path, "r");
  const slice = Buffer.alloc(4 << 20);
  for (;;) {
    const n = readSync(fd, slice, 0, slice.length, null);
    if (n === 0) break;
    analyzer.push(slice.subarray(0, n));
  }
  closeSync(fd);
  return analyzer;
}

if (process.argv[2] === "--models") {
  for (const path of process.argv.slice(3)) {
    let start = performance.now();
    const analyzer = read(path);
    const report = analyzer.finish();
    const first = (performance.now() - start) / 1000;
    start = performance.now();
    analyzer.report({ horizonDays: 365 }); // same options: the models are not refitted
    const cached = (performance.now() - start) / 1000;
    start = performance.now();
    analyzer.report({ holdoutSplit: "1900-01-01" }); // refit, no holdout check
    const refit = (performance.now() - start) / 1000;
    analyzer.free();
    console.log(
      `wasm models: ${report.kpis.customers} customers from ${path}: read + first Report ${first.toFixed(3)} s; ` +
        `Report without refitting ${cached.toFixed(3)} s; the three candidates, Gamma-Gamma, predictions and intervals ` +
        `${(refit - cached).toFixed(3)} s`,
    );
  }
  process.exit(0);
}

const path = process.argv[2];

const size = statSync(path).size;
let best = Infinity;
let report;
let peakMemory = 0;
for (let run = 1; run <= 3; run++) {
  const start = performance.now();
  const analyzer = read(path);
  report = analyzer.finish();
  // A wasm memory never shrinks: after the first run its size is the peak of one read + Report.
  if (run === 1) peakMemory = wasm.memory.buffer.byteLength;
  analyzer.free();
  const secs = (performance.now() - start) / 1000;
  best = Math.min(best, secs);
  console.log(`wasm run ${run}: ${secs.toFixed(3)} s`);
}
const mib = size / (1 << 20);
const orders = report.input.orders_seen;
console.log(`wasm file: ${mib.toFixed(1)} MiB, ${orders} orders; best ${best.toFixed(3)} s = ${(mib / best).toFixed(0)} MiB/s`);
console.log(`wasm time per 1,000,000 orders: ${((best / orders) * 1e6).toFixed(3)} s`);
const wasmBytes = statSync(wasmPath).size;
console.log(`wasm module: ${(wasmBytes / 1024).toFixed(0)} KiB; its memory after one read + Report: ${(peakMemory / (1 << 20)).toFixed(0)} MiB`);
