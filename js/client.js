// @ts-check
// The page's side of the worker protocol (protocol.js): a WorkerClient starts its own worker when first
// needed (found with `new URL("./worker.js", import.meta.url)`, which bundlers follow), sends it a source
// (a Blob the worker reads itself, or a stream whose chunks it forwards) and returns the Report, passing on
// progress and each part of the Report as it arrives; then recomputes the Report with other options and
// makes customer lists from the same analysis, without reading the file again. Requests go to the worker one
// at a time, in order. Cancelling, or an error while a file streams in, ends the worker; the next request
// starts a fresh one.
import { PREVIEW_BYTES, UPDATES } from "./protocol.js";

/** @typedef {import("./protocol.js").Report} Report */
/** @typedef {import("./protocol.js").AnalyzerOptions} AnalyzerOptions */
/** @typedef {import("./protocol.js").CustomerFilter} CustomerFilter */
/** @typedef {import("./protocol.js").CustomerRow} CustomerRow */
/** @typedef {import("./protocol.js").Preview} Preview */
/** @typedef {import("./protocol.js").Request} Request */
/** @typedef {import("./protocol.js").Reply} Reply */
/** @typedef {import("./protocol.js").CsvEncoding} CsvEncoding */
/** @typedef {import("./protocol.js").ListLanguage} ListLanguage */
/** @typedef {Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | Response} Source */

/**
 * A failure, with the analyzer's plain sentence in English as `message` and a stable `code` (the core's
 * codes, README "Warnings and errors", or "worker_unavailable" / "source_unreadable" from this side) with
 * its `args`, for wording it in another language.
 */
export class AnalysisError extends Error {
  /** @param {string} message @param {string | null} code @param {Record<string, unknown> | null} args */
  constructor(message, code = null, args = null) {
    super(message);
    this.name = "AnalysisError";
    this.code = code;
    this.args = args ?? {};
  }
}

/** What an aborted or cancelled analysis rejects with: a DOMException named "AbortError". */
export function abortError() {
  return new DOMException("the analysis was cancelled", "AbortError");
}

/** @param {unknown} error */
export const isAbort = (error) => error instanceof DOMException && error.name === "AbortError";

/**
 * @typedef {{ resolve: (reply: Reply) => void, reject: (error: unknown) => void,
 *   onUpdate: ((reply: Reply) => void) | null }} Pending
 */

export class WorkerClient {
  /** @type {Worker | null} */
  #worker = null;
  /** @type {Promise<void> | null} */
  #ready = null;
  /** @type {Pending | null} the one request in flight */
  #pending = null;
  /** @type {Promise<unknown>} requests wait for the one before them */
  #queue = Promise.resolve();
  #run = 0; // bumped by cancel() so that a running analyze() notices it is stale
  #finished = false; // the worker holds a finished analysis that report() and customers*() can use

  /** The worker, started (and its wasm loaded) on first use. */
  #started() {
    if (this.#ready) return this.#ready;
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    this.#worker = worker;
    this.#ready = new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => {
        if (data.type === "ready") resolve();
        else reject(unavailable(data.message));
        worker.onmessage = ({ data: reply }) => this.#settle(reply);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        const error = unavailable(event.message || "the worker script could not be loaded");
        reject(error);
        this.#pending?.reject(error);
        this.#pending = null;
      };
    });
    return this.#ready;
  }

  /** @param {Reply} reply */
  #settle(reply) {
    if (/** @type {readonly string[]} */ (UPDATES).includes(reply.type)) {
      this.#pending?.onUpdate?.(reply);
      return;
    }
    const pending = this.#pending;
    this.#pending = null;
    if (reply.type === "error") pending?.reject(new AnalysisError(reply.message, reply.code, reply.args));
    else pending?.resolve(reply);
  }

  /**
   * @param {Request} message
   * @param {Transferable[]} [transfer]
   * @param {((reply: Reply) => void) | null} [onUpdate]
   * @returns {Promise<any>}
   */
  #request(message, transfer = [], onUpdate = null) {
    const send = async () => {
      await this.#started();
      return new Promise((resolve, reject) => {
        this.#pending = { resolve, reject, onUpdate };
        this.#worker?.postMessage(message, transfer);
      });
    };
    const reply = this.#queue.then(send, send);
    this.#queue = reply.catch(() => {});
    return reply;
  }

  /**
   * Ends the worker (and anything it was doing); the next request starts a fresh one.
   * @param {unknown} [error] what the request in flight rejects with (an AbortError by default)
   */
  #end(error = abortError()) {
    this.#run += 1;
    this.#finished = false;
    this.#worker?.terminate();
    this.#worker = null;
    this.#ready = null;
    this.#pending?.reject(error);
    this.#pending = null;
    this.#queue = Promise.resolve();
  }

  /**
   * Analyses `source` and resolves with the Report. onProgress(read, total) is called after each slice the
   * analyzer has taken (total null for a stream of unknown length); onFitting(done, total) before the
   * models' fitting and after each of its steps; onPart(report, name) after each part of
   * the Report arrives, with the Report so far (name null for the head: schema_version, as_of, currency,
   * input; then each section's name). Rejects with an AnalysisError, or an AbortError when cancelled.
   * @param {Source} source
   * @param {{ options?: AnalyzerOptions, onProgress?: (read: number, total: number | null) => void,
   *   onFitting?: (done: number, total: number) => void,
   *   onPart?: (report: Partial<Report>, name: keyof Report | null) => void }} [callbacks]
   * @returns {Promise<Report>}
   */
  async analyze(source, { options = {}, onProgress = () => {}, onFitting = () => {}, onPart = () => {} } = {}) {
    const run = this.#run;
    this.#finished = false;
    const current = () => run === this.#run;
    /** @type {Partial<Report>} */
    let report = {};
    /** @param {Reply} update */
    const onUpdate = (update) => {
      if (!current()) return;
      if (update.type === "progress") onProgress(update.read, update.total);
      else if (update.type === "fitting") onFitting(update.done, update.total);
      else if (update.type === "head") {
        report = { ...update.head };
        onPart(report, null);
      } else if (update.type === "section") {
        report = { ...report, [update.name]: update.value };
        onPart(report, update.name);
      }
    };
    try {
      const stream = streamOf(source);
      if (stream == null) {
        await this.#request({ type: "analyze", source: { blob: blobOf(source) }, options }, [], onUpdate);
      } else {
        const done = this.#request({ type: "analyze", source: { chunks: true, total: stream.total }, options }, [], onUpdate);
        await Promise.all([done, this.#pump(stream.body, run)]);
      }
      if (!current()) throw abortError();
      this.#finished = true;
      return /** @type {Report} */ (report);
    } catch (error) {
      // A newer run or a cancel made this one stale: it was aborted, whatever it failed with.
      if (!current()) throw isAbort(error) ? error : abortError();
      // After an error the wasm instance may be in any state: the next file gets a fresh worker.
      if (!isAbort(error)) this.#end(error);
      throw error;
    }
  }

  /**
   * Forwards the chunks of `body` to the worker (transferred, not copied) while the run is current. A failed
   * read rejects with a "source_unreadable" AnalysisError (analyze() then ends the worker).
   * @param {ReadableStream<Uint8Array>} body
   * @param {number} run
   */
  async #pump(body, run) {
    const reader = body.getReader();
    try {
      await this.#started();
      for (;;) {
        let next;
        try {
          next = await reader.read();
        } catch (error) {
          throw new AnalysisError(`the file could not be read: ${String(/** @type {any} */ (error)?.message ?? error)}`, "source_unreadable");
        }
        if (run !== this.#run) return;
        if (next.done) break;
        const bytes = next.value;
        this.#worker?.postMessage({ type: "chunk", bytes }, [bytes.buffer]);
      }
      this.#worker?.postMessage({ type: "end" });
    } finally {
      reader.releaseLock();
    }
  }

  /**
   * The Report of the last analysed file, recomputed with `options`. Rejects with an AnalysisError (bad
   * options; the analysis stays usable) or when no file was analysed.
   * @param {AnalyzerOptions} options
   * @returns {Promise<Report>}
   */
  async report(options) {
    this.#requireFinished();
    const { report } = await this.#request({ type: "report", options });
    return report;
  }

  /**
   * The customer list of the last analysed file as CSV bytes, with the count of values Shift_JIS could
   * not hold as they are (written as &#x…; references): `filter` is {} (everyone), {segment}, {lapse},
   * {cohort} or {topClv}; `encoding` "utf-8" (with BOM) or "shift_jis"; `lang` the language of the
   * header row and of the segment and lapse labels.
   * @param {CustomerFilter} filter
   * @param {CsvEncoding} [encoding]
   * @param {ListLanguage} [lang]
   * @returns {Promise<{ bytes: Uint8Array, unwritable: number }>}
   */
  async customersList(filter, encoding = "utf-8", lang = "en") {
    this.#requireFinished();
    const { buffer, unwritable } = await this.#request({ type: "customers", filter, encoding, lang });
    return { bytes: new Uint8Array(buffer), unwritable };
  }

  /**
   * The customer rows of the last analysed file (numbers as numbers, missing values null) for `filter`,
   * e.g. {topClv: 20} for the 20 customers with the highest predicted CLV.
   * @param {CustomerFilter} filter
   * @returns {Promise<CustomerRow[]>}
   */
  async customers(filter) {
    this.#requireFinished();
    const { rows } = await this.#request({ type: "customers-rows", filter });
    return rows;
  }

  /**
   * How the columns of `file` are read, from its first 64 KiB, with `options` ({columns}: overrides). Leaves
   * a finished analysis usable.
   * @param {Blob} file
   * @param {AnalyzerOptions} [options]
   * @returns {Promise<Preview>}
   */
  async preview(file, options = {}) {
    const buffer = await file.slice(0, PREVIEW_BYTES).arrayBuffer();
    const { preview } = await this.#request({ type: "preview", buffer, options }, [buffer]);
    return preview;
  }

  #requireFinished() {
    if (!this.#finished) throw new AnalysisError("no analysis to work from: analyse a file first", "no_analysis");
  }

  /** Starts the worker (and loads its wasm) ahead of the first request; a failure is reported by that request. */
  warm() {
    this.#started().catch(() => {});
  }

  /** Stops the running analysis at once (ends the worker): it rejects with an AbortError. */
  cancel() {
    this.#end();
  }

  /** Ends the worker and frees its memory; a later request starts a new one. */
  close() {
    this.#end();
  }
}

/** @param {string} reason */
function unavailable(reason) {
  return new AnalysisError(`the analyzer could not be started: ${reason}`, "worker_unavailable", { reason });
}

/**
 * The stream to read `source` from, or null for a source the worker reads itself (a Blob, or bytes).
 * @param {Source} source
 * @returns {{ body: ReadableStream<Uint8Array>, total: number | null } | null}
 */
function streamOf(source) {
  if (typeof Response !== "undefined" && source instanceof Response) {
    if (!source.ok) throw new AnalysisError(`the file could not be fetched: ${source.status} ${source.statusText}`, "source_unreadable", { status: source.status });
    if (source.body == null) return { body: new Blob([]).stream(), total: 0 };
    const length = Number(source.headers.get("content-length"));
    // A compressed response's length is that of the compressed bytes: unknown then.
    const encoded = source.headers.get("content-encoding");
    return { body: source.body, total: Number.isFinite(length) && length > 0 && !encoded ? length : null };
  }
  if (typeof ReadableStream !== "undefined" && source instanceof ReadableStream) return { body: source, total: null };
  return null;
}

/**
 * A Blob over `source` (a Blob, an ArrayBuffer or a typed array), without copying a Blob.
 * @param {Source} source
 * @returns {Blob}
 */
function blobOf(source) {
  if (source instanceof Blob) return source;
  if (source instanceof ArrayBuffer) return new Blob([source]);
  if (ArrayBuffer.isView(source)) return new Blob([/** @type {ArrayBufferView<ArrayBuffer>} */ (source)]);
  throw new AnalysisError(
    "expected a File, Blob, ArrayBuffer, Uint8Array, ReadableStream or Response to analyse",
    "invalid_option",
    { option: "source" },
  );
}
