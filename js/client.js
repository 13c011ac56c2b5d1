// The page's side of the worker protocol (see worker.js): starts the worker and waits for its "ready",
// hands it a File (the worker reads it in slices itself) and returns the Report, passing on the worker's
// progress and each part of the Report (the head, then section by section) as it arrives; then recomputes the Report with other options and makes customer-list CSVs from
// the same analysis, without reading the file again. Requests go to the worker one at a time, in order.
// Cancelling, or an error while a file streams in, terminates the worker and starts a fresh one.

// The bytes a preview reads: the window that decides the encoding and delimiter (ltv_lens::SNIFF_BYTES).
const PREVIEW_BYTES = 64 * 1024;

/** The analysis was cancelled by the user. */
export class Cancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "Cancelled";
  }
}

/**
 * The analyzer rejected the file (or the options): `message` is its one plain sentence in English, `code`
 * and `args` the same problem for wording it in another language (www/messages.js).
 */
export class AnalysisError extends Error {
  constructor(message, code = null, args = null) {
    super(message);
    this.name = "AnalysisError";
    this.code = code;
    this.args = args;
  }
}

/** The worker could not be started (the wasm failed to load). */
export class WorkerUnavailable extends Error {
  constructor(message) {
    super(message);
    this.name = "WorkerUnavailable";
  }
}

export class AnalysisClient {
  #worker = null;
  #ready = null;
  #rejectReady = null;
  #pending = null; // {resolve, reject} of the one request in flight
  #queue = Promise.resolve(); // requests wait for the one before them
  #run = 0; // bumped by cancel() so a running analyze() notices it is stale
  #finished = false; // the worker holds a finished analysis that report() and customersCsv() can use

  constructor() {
    this.#spawn();
  }

  #spawn() {
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    this.#worker = worker;
    this.#ready = new Promise((resolve, reject) => {
      this.#rejectReady = reject;
      worker.onmessage = ({ data }) => {
        if (data.type === "ready") resolve();
        else reject(new WorkerUnavailable(data.message));
        worker.onmessage = ({ data: reply }) => this.#settle(reply);
      };
      worker.onerror = (event) => {
        const error = new WorkerUnavailable(event.message || "the worker failed");
        reject(error);
        this.#pending?.reject(error);
        this.#pending = null;
      };
    });
    // A failed start is reported by analyze(); this keeps it from also being an unhandled rejection.
    this.#ready.catch(() => {});
  }

  #settle(reply) {
    // Progress and the parts of the Report come before the reply that ends an "analyze" request.
    if (reply.type === "progress" || reply.type === "head" || reply.type === "section") {
      this.#pending?.onUpdate?.(reply);
      return;
    }
    const pending = this.#pending;
    this.#pending = null;
    if (reply.type === "error") pending?.reject(new AnalysisError(reply.message, reply.code, reply.args));
    else pending?.resolve(reply);
  }

  #request(message, transfer = [], onUpdate = null) {
    const send = () =>
      new Promise((resolve, reject) => {
        this.#pending = { resolve, reject, onUpdate };
        this.#worker.postMessage(message, transfer);
      });
    const reply = this.#queue.then(send, send);
    this.#queue = reply.catch(() => {});
    return reply;
  }

  #restart() {
    this.#run += 1;
    this.#finished = false;
    this.#worker.terminate();
    this.#rejectReady(new Cancelled()); // a no-op once the worker was ready
    this.#pending?.reject(new Cancelled());
    this.#pending = null;
    this.#spawn();
  }

  /**
   * Has the worker analyse `file` (a File or Blob) and resolves with the Report. onProgress(read, total) is
   * called after each slice the analyzer has taken; onPart(report, name) after each part of the Report
   * arrives, with the Report so far (name null for the head: schema_version, as_of, currency, input; then
   * each section's name). Rejects with Cancelled, AnalysisError or WorkerUnavailable.
   */
  async analyze(file, { options = {}, onProgress = () => {}, onPart = () => {} } = {}) {
    const run = this.#run;
    const check = () => {
      if (run !== this.#run) throw new Cancelled();
    };
    try {
      await this.#ready;
      check();
      this.#finished = false;
      let report = null;
      await this.#request({ type: "analyze", file, options }, [], (update) => {
        if (run !== this.#run) return;
        if (update.type === "progress") {
          onProgress(update.read, update.total);
          return;
        }
        report = update.type === "head" ? { ...update.head } : { ...report, [update.name]: update.value };
        onPart(report, update.type === "head" ? null : update.name);
      });
      check();
      this.#finished = true;
      return report;
    } catch (error) {
      // After an error the wasm instance may be in any state: start the next file on a fresh worker.
      if (!(error instanceof Cancelled) && run === this.#run) this.#restart();
      throw error;
    }
  }

  /**
   * The Report of the last analysed file, recomputed with `options` ({fBandStarts, f2WindowDays, asOf,
   * horizonDays, margin, annualDiscountRate, holdoutSplit}).
   * Rejects with AnalysisError (bad options; the analysis stays usable) or when no file was analysed.
   */
  async report(options) {
    this.#requireFinished();
    const { report } = await this.#request({ type: "report", options });
    return report;
  }

  /**
   * The customer list of the last analysed file as CSV bytes (an ArrayBuffer): `filter` is {} (everyone),
   * {segment}, {lapse}, {cohort} or {topClv}; `encoding` "utf-8" (with BOM) or "shift_jis".
   */
  async customersCsv(filter, encoding) {
    this.#requireFinished();
    const { buffer } = await this.#request({ type: "customers", filter, encoding });
    return buffer;
  }

  /**
   * The customer rows of the last analysed file (CustomerRow objects: numbers as numbers, missing values
   * null) for `filter`, e.g. {topClv: 20} for the 20 customers with the highest predicted CLV.
   */
  async customers(filter) {
    this.#requireFinished();
    const { rows } = await this.#request({ type: "customers-rows", filter });
    return rows;
  }

  /**
   * How the columns of `file` are read (a Preview: encoding, delimiter, the header row or the first record,
   * each header with its roles and example values, the roles missing), from its first 64 KiB, with `options`
   * ({columns}: overrides). Leaves a finished analysis usable. Rejects with AnalysisError (not a CSV file,
   * an override naming no column) or WorkerUnavailable.
   */
  async preview(file, options = {}) {
    await this.#ready;
    const buffer = await file.slice(0, PREVIEW_BYTES).arrayBuffer();
    const { preview } = await this.#request({ type: "preview", buffer, options }, [buffer]);
    return preview;
  }

  #requireFinished() {
    if (!this.#finished) throw new AnalysisError("no analysis to work from: analyse a file first");
  }

  /** Stops the running analysis at once (terminates the worker) and gets a fresh worker ready. */
  cancel() {
    this.#restart();
  }
}
