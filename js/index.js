// @ts-check
// The package's API for pages that draw their own UI: `analyze(source, options, {onProgress, onPart,
// signal})` reads an order export in a worker of its own and resolves with an Analysis (the Report, and
// what can be asked of the same analysis without reading the file again). Only plain objects, typed arrays
// and promises cross it; the declarations are in index.d.ts.
import { AnalysisError, WorkerClient, abortError } from "./client.js";
import { localToday } from "./format.js";

export { AnalysisError };
export { SCHEMA_VERSION, SECTIONS } from "./names.js";

/** @typedef {import("./protocol.js").Report} Report */
/** @typedef {import("./protocol.js").AnalyzerOptions} AnalyzerOptions */
/** @typedef {import("./protocol.js").CustomerFilter} CustomerFilter */
/** @typedef {import("./protocol.js").CustomerRow} CustomerRow */
/** @typedef {import("./protocol.js").CsvEncoding} CsvEncoding */
/** @typedef {import("./protocol.js").ListLanguage} ListLanguage */
/** @typedef {{ bytes: Uint8Array, unwritable: number }} CsvList */
/** @typedef {import("./client.js").Source} Source */

/** A finished analysis: its Report, and the lists and other Reports of the same file. */
export class Analysis {
  #client;

  /** @param {WorkerClient} client @param {Report} report */
  constructor(client, report) {
    this.#client = client;
    /** @type {Report} the Report, as of the last analyze() or recompute() */
    this.report = report;
  }

  /**
   * The Report of the same file with other options (no re-read); it becomes `report`.
   * @param {AnalyzerOptions} options
   * @returns {Promise<Report>}
   */
  async recompute(options) {
    this.report = await this.#client.report(options);
    return this.report;
  }

  /**
   * The customers for `filter` ({} everyone, {segment}, {lapse}, {cohort}, {topClv}) as plain objects.
   * @param {CustomerFilter} [filter]
   * @returns {Promise<CustomerRow[]>}
   */
  customers(filter = {}) {
    return this.#client.customers(filter);
  }

  /**
   * The customer list for `filter` as CSV bytes, "utf-8" (with BOM) or "shift_jis", with the header row
   * and labels in `lang` ("en" or "ja").
   * @param {CustomerFilter} [filter]
   * @param {CsvEncoding} [encoding]
   * @param {ListLanguage} [lang]
   * @returns {Promise<Uint8Array>}
   */
  async customersCsv(filter = {}, encoding = "utf-8", lang = "en") {
    return (await this.#client.customersList(filter, encoding, lang)).bytes;
  }

  /**
   * The customer list as customersCsv() writes it, with `unwritable`: how many values Shift_JIS could not
   * hold as they are (each written with &#x…; references; 0 in UTF-8). Above 0, tell the user "N values
   * could not be written in Shift_JIS: use UTF-8".
   * @param {CustomerFilter} [filter]
   * @param {CsvEncoding} [encoding]
   * @param {ListLanguage} [lang]
   * @returns {Promise<CsvList>}
   */
  customersList(filter = {}, encoding = "utf-8", lang = "en") {
    return this.#client.customersList(filter, encoding, lang);
  }

  /** Ends the analysis's worker and frees its memory. */
  close() {
    this.#client.close();
  }
}

/**
 * Analyses an order export. `source` is a File, Blob, ArrayBuffer, typed array, ReadableStream<Uint8Array>
 * or Response; `options` the analysis options ({f2WindowDays, asOf, fBandStarts, horizonDays, margin,
 * annualDiscountRate, holdoutSplit, columns, dateOrder, today, keepOutlierDates, encoding}; `today` defaults to the
 * browser's local date). onProgress({read, total}) follows the reading;
 * onPart(report, name) receives the Report as its parts arrive (name null for the head, then each section,
 * the models last). An aborted `signal` ends the work at once and rejects with an AbortError; a file that
 * cannot be analysed rejects with an AnalysisError ({code, args, message}).
 * @param {Source} source
 * @param {AnalyzerOptions} [options]
 * @param {{ onProgress?: (progress: { read: number, total: number | null }) => void,
 *   onPart?: (report: Partial<Report>, name: keyof Report | null) => void, signal?: AbortSignal }} [control]
 * @returns {Promise<Analysis>}
 */
export async function analyze(source, options = {}, { onProgress, onPart, signal } = {}) {
  if (signal?.aborted) throw abortError();
  const client = new WorkerClient();
  const abort = () => client.cancel();
  signal?.addEventListener("abort", abort, { once: true });
  try {
    const report = await client.analyze(source, {
      options: { today: localToday(), ...options },
      onProgress: onProgress && ((read, total) => onProgress({ read, total })),
      onPart,
    });
    return new Analysis(client, report);
  } catch (error) {
    client.close();
    throw error;
  } finally {
    signal?.removeEventListener("abort", abort);
  }
}
