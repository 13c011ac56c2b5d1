// The module Web Worker that owns the wasm analyzer; no other module imports pkg/. Protocol ({type} messages):
//   worker → page   {type: "ready"} once the wasm is initialised, or {type: "error", message} if it cannot be
//   page → worker   {type: "analyze", file, options} → {type: "progress", read, total} after each slice taken,
//                                                      then {type: "head", head}, then {type: "section", name,
//                                                      value} for each section as it is computed
//                                                      (sectionNames() order, the models last), then
//                                                      {type: "done"}. The worker reads the File itself, in
//                                                      4 MiB slices with the next one already being read.
//                   {type: "report", options}        → {type: "result", report}   (recomputed, no re-read)
//                   {type: "customers", filter, encoding} → {type: "csv", buffer} (a transferred ArrayBuffer
//                                                      holding the CSV bytes, "utf-8" with BOM or "shift_jis")
//                   {type: "customers-rows", filter}  → {type: "rows", rows}  (CustomerRow objects, e.g. for
//                                                      filter {topClv: 20}: the top customers by predicted CLV)
//                   {type: "preview", buffer, options} → {type: "preview", preview}  (how the columns of a file
//                                                      are read, from its first 64 KiB in `buffer`, with the
//                                                      overrides of options.columns; the analysis is kept)
// Any request can instead be answered with {type: "error", message}: the Error message from the wasm.
// The analyzer is kept after "analyze" (it holds the per-customer table that "report" and "customers" read)
// until the next "analyze" or the end of the worker. Cancelling is terminating the worker.
import init, { Analyzer, preview, sectionNames } from "./ltv_lens.js";

let analyzer = null;

function drop() {
  analyzer?.free(); // wasm memory is not garbage-collected
  analyzer = null;
}

function finished() {
  if (analyzer == null) throw new Error("no analysis to work from: analyse a file first");
  return analyzer;
}

const SLICE_BYTES = 4 * 1024 * 1024;

/** Reads `file` into a new analyzer, slice by slice (the next slice is read while one is parsed). */
async function analyze(file, options) {
  drop();
  analyzer = new Analyzer(options);
  const slice = (offset) => file.slice(offset, offset + SLICE_BYTES).arrayBuffer();
  let next = file.size > 0 ? slice(0) : null;
  for (let offset = 0; offset < file.size; offset += SLICE_BYTES) {
    const bytes = new Uint8Array(await next);
    next = offset + SLICE_BYTES < file.size ? slice(offset + SLICE_BYTES) : null;
    analyzer.push(bytes);
    postMessage({ type: "progress", read: Math.min(offset + SLICE_BYTES, file.size), total: file.size });
  }
  // The page shows each part as it arrives: the overview a moment after the file is read, the predicted
  // value when its models are fitted.
  postMessage({ type: "head", head: analyzer.finishInput() });
  for (const name of sectionNames()) postMessage({ type: "section", name, value: analyzer.section(name) });
  return [{ type: "done" }];
}

/** Answers one request: [reply, transfer list], or a promise of them. */
function handle(message) {
  switch (message.type) {
    case "analyze":
      return analyze(message.file, message.options);
    case "report":
      return [{ type: "result", report: finished().report(message.options) }];
    case "customers": {
      const bytes = finished().customersCsv(message.filter, message.encoding);
      // The bytes are a copy out of wasm memory; send their own buffer (exactly sized) without copying again.
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const buffer = whole ? bytes.buffer : bytes.slice().buffer;
      return [{ type: "csv", buffer }, [buffer]];
    }
    case "customers-rows":
      return [{ type: "rows", rows: finished().customers(message.filter) }];
    case "preview":
      return [{ type: "preview", preview: preview(new Uint8Array(message.buffer), message.options) }];
    default:
      throw new Error(`unknown message type: ${message.type}`);
  }
}

function errorMessage(error) {
  return String(error?.message ?? error);
}

// A failed recomputation or list leaves the finished analysis usable; a failure while a file streams in
// leaves the analyzer in an unknown state, so it is dropped.
const KEEPS_ANALYZER = new Set(["report", "customers", "customers-rows", "preview"]);

// One request at a time, in order: an "analyze" reads slices asynchronously, and what comes after it waits.
let queue = Promise.resolve();

try {
  await init();
  self.onmessage = ({ data }) => {
    queue = queue.then(async () => {
      try {
        const [reply, transfer = []] = await handle(data);
        postMessage(reply, transfer);
      } catch (error) {
        if (!KEEPS_ANALYZER.has(data?.type)) drop();
        postMessage({ type: "error", message: errorMessage(error), code: error?.code ?? null, args: error?.args ?? null });
      }
    });
  };
  postMessage({ type: "ready" });
} catch (error) {
  postMessage({ type: "error", message: errorMessage(error) });
}
