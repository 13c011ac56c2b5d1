// The declarations of the <ltv-lens> element (element.js). Importing "ltv-lens/element" defines it.
import type { Report } from "./report";

/** The detail of `ltv-lens:error`: the analyzer's sentence, with its stable code and arguments. */
export interface LtvLensErrorDetail {
  code: string | null;
  args: Record<string, unknown>;
  message: string;
}

/** The detail of `ltv-lens:progress`: bytes taken so far, and the file's size. */
export interface LtvLensProgressDetail {
  read: number;
  total: number | null;
}

export declare class LtvLensElement extends HTMLElement {
  /** Analyses `file` as if it had been dropped on the element: the Report, or null when it failed or was replaced. */
  analyze(file: Blob): Promise<Report | null>;
  /** The Report on screen (while an analysis runs, the parts that have arrived), or null. */
  readonly report: Report | Partial<Report> | null;
}

declare global {
  interface HTMLElementTagNameMap {
    "ltv-lens": LtvLensElement;
  }
  interface HTMLElementEventMap {
    "ltv-lens:report": CustomEvent<Report>;
    "ltv-lens:progress": CustomEvent<LtvLensProgressDetail>;
    "ltv-lens:error": CustomEvent<LtvLensErrorDetail>;
  }
}
