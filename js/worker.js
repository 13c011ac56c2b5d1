// @ts-check
// The module Web Worker that owns the wasm analyzer; no other module imports the binding (ltv_lens.js). It
// speaks the protocol of protocol.js: requests one at a time, in order; an "analyze" reads the file (a Blob
// in 4 MiB slices through two reused buffers, the next one read while one is parsed, or the chunks the page
// sends) and posts progress, the Report's head and then each section as it is computed. The analyzer is
// kept after "analyze" (it holds the per-customer table that "report" and "customers" read) until the next
// "analyze" or the worker's end.
import init, { Analyzer, preview, sectionNames } from "./ltv_lens.js";
import { KEEPS_ANALYSIS, SLICE_BYTES } from "./protocol.js";

/** @typedef {import("./protocol.js").Request} Request */
/** @typedef {import("./protocol.js").Reply} Reply */
/** @typedef {import("./protocol.js").Source} Source */

/** @type {Analyzer | null} */
let analyzer = null;

function drop() {
  analyzer?.free(); // wasm memory is not garbage-collected
  analyzer = null;
}

function finished() {
  if (analyzer == null) throw new Error("no analysis to work from: analyse a file first");
  return analyzer;
}

/** @param {Reply} reply @param {Transferable[]} [transfer] */
function post(reply, transfer = []) {
  postMessage(reply, { transfer });
}

/**
 * The chunks of a streamed source, as the page sends them ("chunk" messages, then "end"); they arrive
 * while the "analyze" request that reads them is running.
 */
class Inbox {
  /** @type {(Uint8Array | null)[]} */
  #chunks = [];
  /** @type {((chunk: Uint8Array | null) => void) | null} */
  #waiting = null;

  /** @param {Uint8Array | null} chunk null at the end */
  put(chunk) {
    if (this.#waiting) {
      const wake = this.#waiting;
      this.#waiting = null;
      wake(chunk);
    } else this.#chunks.push(chunk);
  }

  /** @returns {Promise<Uint8Array | null>} the next chunk, or null at the end */
  take() {
    if (this.#chunks.length > 0) return Promise.resolve(/** @type {Uint8Array | null} */ (this.#chunks.shift()));
    return new Promise((resolve) => (this.#waiting = resolve));
  }
}

/** The chunks of the streamed source being sent; made when its "analyze" arrives, before it runs. */
/** @type {Inbox | null} */
let inbox = null;

/**
 * The bytes of `blob` in slices of SLICE_BYTES, the next slice read while one is parsed. Where the Blob's
 * stream is a byte stream, each slice is read into one of two buffers used in turn, read into again once the
 * analyzer has copied it, so that reading a file of any size holds two slices, not one new buffer per slice
 * waiting for the garbage collector; elsewhere (Safari before 26.4) each slice is a new buffer.
 * @param {Blob} blob
 * @returns {AsyncGenerator<{ bytes: Uint8Array, read: number, total: number }>}
 */
async function* slicesOf(blob) {
  let reader;
  try {
    reader = blob.stream().getReader({ mode: "byob" });
  } catch {
    yield* newSlicesOf(blob);
    return;
  }
  /**
   * Reads into `buffer` until it is full or the file ends; each read hands the buffer back (transferred).
   * @param {ArrayBuffer} buffer
   * @returns {Promise<Uint8Array>} the bytes read, on the buffer handed back; empty at the end of the file
   */
  const fill = async (buffer) => {
    let filled = 0;
    while (filled < buffer.byteLength) {
      const { value, done } = await reader.read(new Uint8Array(buffer, filled));
      if (value) buffer = /** @type {ArrayBuffer} */ (value.buffer);
      if (done || !value) break;
      filled += value.byteLength;
    }
    return new Uint8Array(buffer, 0, filled);
  };
  let next = fill(new ArrayBuffer(SLICE_BYTES));
  let spare = new ArrayBuffer(SLICE_BYTES);
  let read = 0;
  for (;;) {
    const bytes = await next;
    if (bytes.byteLength === 0) return;
    read += bytes.byteLength;
    next = fill(spare);
    yield { bytes, read, total: blob.size };
    spare = /** @type {ArrayBuffer} */ (bytes.buffer); // the analyzer has copied these bytes
  }
}

/**
 * The bytes of `blob` in slices of SLICE_BYTES, each read into a new buffer, the next one while one is parsed.
 * @param {Blob} blob
 * @returns {AsyncGenerator<{ bytes: Uint8Array, read: number, total: number }>}
 */
async function* newSlicesOf(blob) {
  /** @param {number} offset */
  const slice = (offset) => blob.slice(offset, offset + SLICE_BYTES).arrayBuffer();
  let next = blob.size > 0 ? slice(0) : null;
  for (let offset = 0; offset < blob.size; offset += SLICE_BYTES) {
    const bytes = new Uint8Array(await /** @type {Promise<ArrayBuffer>} */ (next));
    next = offset + SLICE_BYTES < blob.size ? slice(offset + SLICE_BYTES) : null;
    yield { bytes, read: Math.min(offset + SLICE_BYTES, blob.size), total: blob.size };
  }
}

/**
 * The bytes of `source`, chunk by chunk, each with how much has been read.
 * @param {Source} source
 * @param {Inbox | null} chunks where a streamed source's chunks arrive
 * @returns {AsyncGenerator<{ bytes: Uint8Array, read: number, total: number | null }>}
 */
async function* chunksOf(source, chunks) {
  if ("blob" in source) {
    yield* slicesOf(source.blob);
    return;
  }
  if (chunks == null) throw new Error("a streamed source without its chunks");
  let read = 0;
  for (let bytes = await chunks.take(); bytes != null; bytes = await chunks.take()) {
    read += bytes.byteLength;
    yield { bytes, read, total: source.total };
  }
}

/**
 * Reads `source` into a new analyzer, then posts the Report's head and each section.
 * @param {Source} source
 * @param {import("./protocol.js").AnalyzerOptions} options
 * @param {Inbox | null} chunks
 * @returns {Promise<[Reply]>}
 */
async function analyze(source, options, chunks) {
  drop();
  analyzer = new Analyzer(options);
  for await (const { bytes, read, total } of chunksOf(source, chunks)) {
    analyzer.push(bytes);
    post({ type: "progress", read, total });
  }
  // The page shows each part as it arrives: the overview a moment after the file is read, the predicted
  // value when its models are fitted.
  post({ type: "head", head: analyzer.finishInput() });
  // The models last, so that every other view is filled while they are fitted; their fitting reports each
  // step (a candidate's fit or holdout refit, the spend model, the predictions).
  const names = sectionNames();
  const order = /** @type {typeof names} */ ([...names.filter((n) => n !== "models"), "models"]);
  for (const name of order) {
    if (name === "models") analyzer.fitModels((done, total) => post({ type: "fitting", done, total }));
    post({ type: "section", name, value: analyzer.section(name) });
  }
  return [{ type: "done" }];
}

/**
 * Answers one request: [reply, transfer list], or a promise of them.
 * @param {Request} message
 * @param {Inbox | null} chunks where the chunks of an "analyze" of a stream arrive
 * @returns {Promise<[Reply, Transferable[]?]> | [Reply, Transferable[]?]}
 */
function handle(message, chunks) {
  switch (message.type) {
    case "analyze":
      return analyze(message.source, message.options, chunks);
    case "report":
      return [{ type: "result", report: finished().report(message.options) }];
    case "customers": {
      const { bytes, unwritable } = finished().customersList(message.filter, message.encoding, message.lang);
      // The bytes are a copy out of wasm memory; send their own buffer (exactly sized) without copying again.
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const buffer = /** @type {ArrayBuffer} */ (whole ? bytes.buffer : bytes.slice().buffer);
      return [{ type: "csv", buffer, unwritable }, [buffer]];
    }
    case "customers-rows":
      return [{ type: "rows", rows: finished().customers(message.filter) }];
    case "preview":
      return [{ type: "preview", preview: preview(new Uint8Array(message.buffer), message.options) }];
    default:
      throw new Error(`unknown message type: ${message.type}`);
  }
}

/** @param {any} error @returns {import("./protocol.js").ErrorReply} */
function errorReply(error) {
  return { type: "error", message: String(error?.message ?? error), code: error?.code ?? null, args: error?.args ?? null };
}

// One request at a time, in order: an "analyze" reads asynchronously, and what comes after it waits. The
// chunks of a streamed source are not requests: they go straight to the running "analyze".
let queue = Promise.resolve();

// Started without top-level await, so that bundlers may also emit the worker as a classic script.
init().then(
  () => {
    self.onmessage = (/** @type {MessageEvent<Request>} */ { data }) => {
      if (data.type === "chunk" || data.type === "end") {
        inbox?.put(data.type === "chunk" ? data.bytes : null);
        return;
      }
      const chunks = data.type === "analyze" && "chunks" in data.source ? (inbox = new Inbox()) : null;
      queue = queue.then(async () => {
        try {
          const [reply, transfer = []] = await handle(data, chunks);
          post(reply, transfer);
        } catch (error) {
          if (!(/** @type {readonly string[]} */ (KEEPS_ANALYSIS).includes(data.type))) drop();
          post(errorReply(error));
        }
      });
    };
    post({ type: "ready" });
  },
  (error) => post(errorReply(error)),
);
