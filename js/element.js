// The <ltv-lens> custom element: the whole drop-and-analyse experience in one tag, in its own Shadow DOM
// (the host page's styles neither reach in nor are changed). Importing this module defines the element.
//
//   <ltv-lens lang="ja" f2-window="90" as-of="2024-12-31" currency-display="code" sample="orders.csv"
//             keep-outlier-dates no-models>
//
// Attributes: lang ("ja" | "en"; the browser's language when absent), f2-window (the F2 window the
// overview starts on, days: 30, 60, 90, 180 or 365), as-of (the analysis date, YYYY-MM-DD; the latest order
// date when absent), currency-display (Intl's currencyDisplay: symbol, narrowSymbol, code or name), sample
// (the URL of a sample file behind a "Try the sample" button; no button when absent), keep-outlier-dates
// (present: orders dated after today or isolated by more than two years are kept, not left out), no-models
// (present: no prediction models are fitted, the Report's models section is null and the Predicted value
// tab is hidden). f2-window, as-of, keep-outlier-dates and no-models apply to the next file analysed.
// Method analyze(file) and property report (read-only: the Report shown, or null). Events, which bubble out
// of the element: ltv-lens:progress ({read, total}), ltv-lens:report (the Report, when an analysis or a
// recomputation is complete) and ltv-lens:error ({code, args, message}).
// Theming: the custom properties of style.css's :host rule (--accent, --bg, --card, --text, --muted,
// --border, --radius, --font, …) and the parts intake, drop-zone, progress, error, results, tabs, tab, panel.
import { App } from "./app.js";
import { initialLang } from "./i18n.js";

const LANGS = ["en", "ja"];
const CURRENCY_DISPLAYS = ["symbol", "narrowSymbol", "code", "name"];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class LtvLensElement extends HTMLElement {
  static observedAttributes = ["lang", "f2-window", "as-of", "currency-display", "sample", "keep-outlier-dates", "no-models"];

  /** @type {App | null} */
  #app = null;

  connectedCallback() {
    if (this.#app) return;
    const root = this.attachShadow({ mode: "open" });
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = new URL("./style.css", import.meta.url).href;
    root.append(style);
    this.#app = new App(root, this, {
      lang: this.#lang(),
      events: {
        progress: (detail) => this.#emit("progress", detail),
        report: (detail) => this.#emit("report", detail),
        error: (detail) => this.#emit("error", detail),
      },
    });
    for (const name of LtvLensElement.observedAttributes) this.attributeChangedCallback(name);
  }

  disconnectedCallback() {
    // Removed from the page: its worker ends and frees the analysis's memory (the Report stays on screen if
    // it comes back; lists then need the file again). Moved within the page, an element is disconnected and
    // connected again at once: nothing ends then.
    queueMicrotask(() => {
      if (!this.isConnected) this.#app?.close();
    });
  }

  attributeChangedCallback(name) {
    const app = this.#app;
    if (!app) return;
    switch (name) {
      case "lang":
        app.setLang(this.#lang());
        break;
      case "f2-window":
      case "as-of":
      case "keep-outlier-dates":
      case "no-models":
        app.setBaseOptions(this.#options());
        break;
      case "currency-display": {
        const display = this.getAttribute("currency-display");
        app.setCurrencyDisplay(CURRENCY_DISPLAYS.includes(display) ? display : "symbol");
        break;
      }
      case "sample":
        app.setSample(this.getAttribute("sample"));
        break;
    }
  }

  /** The UI language: the lang attribute when it is "ja" or "en" (or a dialect of one), else the browser's. */
  #lang() {
    const lang = (this.getAttribute("lang") ?? "").toLowerCase().split("-")[0];
    return LANGS.includes(lang) ? lang : initialLang();
  }

  /** The analysis options the attributes give: {f2WindowDays, asOf, keepOutlierDates, models}, each only when valid. */
  #options() {
    const options = {};
    const window = Number(this.getAttribute("f2-window"));
    if (Number.isInteger(window) && window > 0) options.f2WindowDays = window;
    const asOf = this.getAttribute("as-of");
    if (asOf && ISO_DATE.test(asOf)) options.asOf = asOf;
    if (this.hasAttribute("keep-outlier-dates")) options.keepOutlierDates = true;
    if (this.hasAttribute("no-models")) options.models = false;
    return options;
  }

  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(`ltv-lens:${name}`, { detail, bubbles: true, composed: true }));
  }

  /**
   * Analyses `file` (a File, or a Blob) as if it had been dropped on the element. Resolves with the Report,
   * or null when the file could not be analysed (the element shows why, and ltv-lens:error tells) or the
   * analysis was cancelled or replaced.
   */
  analyze(file) {
    if (!this.#app) throw new Error("<ltv-lens> must be in the document before it can analyse a file");
    const named = file instanceof File ? file : new File([file], "orders.csv", { type: file.type });
    return this.#app.analyze(named);
  }

  /** The Report on screen (while an analysis runs, the parts that have arrived), or null. */
  get report() {
    return this.#app?.state.report ?? null;
  }
}

if (!customElements.get("ltv-lens")) customElements.define("ltv-lens", LtvLensElement);
