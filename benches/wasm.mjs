// `make bench` (second half): the wasm build's throughput in V8 (Node), the engine the page's
// worker runs in, pushing the file in 4 MiB slices as the page does. Prints figures only.
import { readFileSync, openSync, readSync, closeSync, statSync } from "node:fs";
import { initSync, Analyzer } from "../www/pkg/ltv_lens.js";

const path = process.argv[2];
const wasmPath = new URL("../www/pkg/ltv_lens_bg.wasm", import.meta.url);
initSync({ module: readFileSync(wasmPath) });

const size = statSync(path).size;
const slice = Buffer.alloc(4 << 20);
let best = Infinity;
let report;
for (let run = 1; run <= 3; run++) {
  const start = performance.now();
  const analyzer = new Analyzer({});
  const fd = openSync(path, "r");
  for (;;) {
    const n = readSync(fd, slice, 0, slice.length, null);
    if (n === 0) break;
    analyzer.push(slice.subarray(0, n));
  }
  closeSync(fd);
  report = analyzer.finish();
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
console.log(`wasm module: ${(wasmBytes / 1024).toFixed(0)} KiB`);
