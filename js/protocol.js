// @ts-check
// The messages between a page and the worker that owns the analyzer (client.js ↔ worker.js), written once:
// both sides import these names and types, and `make test` checks both with `tsc --checkJs` against the
// generated declarations (report.d.ts, from schema/report.d.ts).
//
// A request is answered by exactly one reply ("error" for any request that fails); an "analyze" request is
// answered, before its reply, by "progress" after each slice taken, then "head", then one "section" per
// Report section in sectionNames() order with the models moved last, "fitting" ({done, total}) coming before
// the models' section at each step of their fitting. Requests are handled one at a time, in order.
// While a stream is analysed the page sends its chunks as "chunk" messages, then "end"; those are not
// requests and get no reply. Cancelling is terminating the worker.

/** @typedef {import("./report").Report} Report */
/** @typedef {import("./report").AnalyzerOptions} AnalyzerOptions */
/** @typedef {import("./report").CustomerFilter} CustomerFilter */
/** @typedef {import("./report").CustomerRow} CustomerRow */
/** @typedef {import("./report").Preview} Preview */
/** @typedef {"utf-8" | "shift_jis"} CsvEncoding */
/** @typedef {"en" | "ja"} ListLanguage */

/**
 * Where an "analyze" request reads the file from: a Blob (a File) the worker reads itself in slices, or
 * "chunks" sent by the page ("chunk" messages, then "end"), with `total` the size in bytes when known.
 * @typedef {{ blob: Blob } | { chunks: true, total: number | null }} Source
 */

/**
 * page → worker
 * @typedef {{ type: "analyze", source: Source, options: AnalyzerOptions }
 *   | { type: "chunk", bytes: Uint8Array }
 *   | { type: "end" }
 *   | { type: "report", options: AnalyzerOptions }
 *   | { type: "customers", filter: CustomerFilter, encoding: CsvEncoding, lang: ListLanguage }
 *   | { type: "customers-rows", filter: CustomerFilter }
 *   | { type: "preview", buffer: ArrayBuffer, options: AnalyzerOptions }} Request
 */

/**
 * The failure of a request, or of the worker's start: the analyzer's sentence in English, and its stable
 * `code` and `args` (README "Warnings and errors") when it has them.
 * @typedef {{ type: "error", message: string, code: string | null, args: Record<string, unknown> | null }} ErrorReply
 */

/**
 * worker → page
 * @typedef {{ type: "ready" }
 *   | ErrorReply
 *   | { type: "progress", read: number, total: number | null }
 *   | { type: "fitting", done: number, total: number }
 *   | { type: "head", head: Partial<Report> }
 *   | { type: "section", name: keyof Report, value: unknown }
 *   | { type: "done" }
 *   | { type: "result", report: Report }
 *   | { type: "csv", buffer: ArrayBuffer, unwritable: number }
 *   | { type: "rows", rows: CustomerRow[] }
 *   | { type: "preview", preview: Preview }} Reply
 */

/** The messages that come before the reply to an "analyze" request. */
export const UPDATES = /** @type {const} */ (["progress", "fitting", "head", "section"]);

/** The bytes a preview reads: the window that decides the encoding and delimiter (ltv_lens::SNIFF_BYTES). */
export const PREVIEW_BYTES = 64 * 1024;

/** The size of the slices the worker reads a Blob in. */
export const SLICE_BYTES = 4 * 1024 * 1024;

/** Requests after whose failure the worker keeps a finished analysis (a failed "analyze" drops it). */
export const KEEPS_ANALYSIS = /** @type {const} */ (["report", "customers", "customers-rows", "preview"]);
