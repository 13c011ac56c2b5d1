// The declarations of the package's API (index.js). The Report's types are generated from the Rust types
// (report.d.ts); this file names the API around them.
import type { AnalyzerOptions, CustomerFilter, CustomerRow, Report } from "./report";

export type * from "./report";

/** What `analyze` reads: a file, bytes, or a stream of bytes (a fetch Response included). */
export type Source = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | Response;

/** Customer-list CSV encodings: UTF-8 with a BOM, or Shift_JIS. */
export type CsvEncoding = "utf-8" | "shift_jis";

/** The language of a customer list's header row and of its segment and lapse labels. */
export type ListLanguage = "en" | "ja";

/** A customer list: the CSV bytes, and how many values Shift_JIS could not hold as they are (each written
 * with `&#x…;` numeric character references; always 0 in UTF-8). */
export interface CsvList {
  bytes: Uint8Array;
  unwritable: number;
}

export interface Progress {
  /** Bytes the analyzer has taken so far. */
  read: number;
  /** The size of the source in bytes, or null for a stream of unknown length. */
  total: number | null;
}

export interface AnalyzeControl {
  /** Called after each slice of the source the analyzer has taken. */
  onProgress?: (progress: Progress) => void;
  /**
   * Called as the Report arrives in parts: first its head (`name` null: schema_version, as_of, currency,
   * input), then each section by name, the models last; `report` holds every part so far.
   */
  onPart?: (report: Partial<Report>, name: keyof Report | null) => void;
  /** Aborting ends the work at once; the promise rejects with a DOMException named "AbortError". */
  signal?: AbortSignal;
}

/**
 * Why a source could not be analysed: the analyzer's sentence in English (`message`), and a stable `code`
 * with its `args` for wording it in another language. Codes: the core's error codes (`ErrorCode`, e.g.
 * "no_header", "not_text", "invalid_option"), plus "worker_unavailable" (the worker or its wasm could not be
 * loaded), "source_unreadable" (the stream or response failed) and "no_analysis" (a list was asked for
 * after the analysis was closed).
 */
export declare class AnalysisError extends Error {
  readonly name: "AnalysisError";
  readonly code: string | null;
  readonly args: Record<string, unknown>;
}

/** A finished analysis: the Report, and what can be asked of the same file without reading it again. */
export declare class Analysis {
  /** The Report, as of the last `analyze` or `recompute`. */
  report: Report;
  /** The Report with other options (F bands, horizon, margin, …); it becomes `report`. */
  recompute(options: AnalyzerOptions): Promise<Report>;
  /** The customers for `filter` ({} for everyone, {segment}, {lapse}, {cohort} or {topClv}). */
  customers(filter?: CustomerFilter): Promise<CustomerRow[]>;
  /** The customer list for `filter` as CSV bytes. */
  customersCsv(filter?: CustomerFilter, encoding?: CsvEncoding, lang?: ListLanguage): Promise<Uint8Array>;
  /** The customer list as `customersCsv` writes it, with the count of values Shift_JIS could not hold. */
  customersList(filter?: CustomerFilter, encoding?: CsvEncoding, lang?: ListLanguage): Promise<CsvList>;
  /** Ends the analysis's worker and frees its memory. */
  close(): void;
}

/** Analyses an order export in a worker of its own. */
export declare function analyze(source: Source, options?: AnalyzerOptions, control?: AnalyzeControl): Promise<Analysis>;

/** The Report's schema version (Report.schema_version). */
export declare const SCHEMA_VERSION: number;

/** The Report's sections in the order they arrive, each with the schema version that added it. */
export declare const SECTIONS: ReadonlyArray<{ readonly name: keyof Report; readonly since: number }>;
