// The controller of one <ltv-lens> element: the drop zone, file and sample buttons, the progress bar and
// cancel button, the error box, the view tabs (one per entry of views/index.js) and handing each Report to
// the views, as its parts arrive; recomputing the Report with other options and saving customer lists on the
// views' behalf; the Columns screen (views/columns.js), opened when a file has no recognisable date or amount
// and from "Change columns", whose choice re-reads the file with `columns` overrides. Everything it holds
// belongs to its element (two elements on a page share nothing); the analysis runs in the element's own
// worker (client.js). It tells the element what happens through `events` (progress, report, error).
import { AnalysisError, WorkerClient, isAbort } from "./client.js";
import { loadCharts } from "./charts/common.js";
import { h } from "./dom.js";
import { formatBytes, formatDate, formatInteger, localToday } from "./format.js";
import { frame } from "./frame.js";
import { applyStatic, t } from "./i18n.js";
import { messageText } from "./messages.js";
import { SECTIONS } from "./names.js";
import { ColumnsScreen } from "./views/columns.js";
import { VIEWS } from "./views/index.js";
import { filterSlug } from "./views/shared.js";

const SECTION_NAMES = SECTIONS.map((section) => section.name);

/** Whether `report` holds every section `view` shows (the Report arrives in parts). */
function isReady(view, report) {
  return view.sections.every((name) => name in report);
}

/** Whether `view`'s tab is offered for `report` (a view with `shown` may have nothing to show, e.g. no subscriptions). */
function isOffered(view, report) {
  return !view.shown || (report != null && view.shown(report));
}

/** What a view shows while its sections are being computed; `fitting` ({done, total}) how far the models' fitting has come. */
function pendingCard(view, lang, fitting) {
  if (!view.sections.includes("models")) return h("section", { class: "card pending", "aria-busy": "true" }, h("p", {}, t(lang, "pending.section")));
  const percent = fitting == null || fitting.total === 0 ? 0 : Math.floor((100 * fitting.done) / fitting.total);
  return h(
    "section",
    { class: "card pending", "aria-busy": "true", id: "fitting", data: { done: String(fitting?.done ?? 0), total: String(fitting?.total ?? 0) } },
    h("p", {}, t(lang, "pending.modelsPercent", { percent: formatInteger(percent, lang) })),
    h("progress", { max: "100", value: String(percent), "aria-label": t(lang, "pending.modelsLabel") }),
  );
}

/** The analyzer's sentences start in lower case (Rust style); on the page they start a sentence. */
function sentence(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export class App {
  #root; // the element's shadow root
  #host; // the element
  #events; // {progress({read, total}), report(report), error({code, args, message})}
  #client = new WorkerClient();
  #columns;

  state = {
    lang: "en",
    run: 0, // the latest analysis; an older one that ends late changes nothing
    report: null, // the Report shown: while an analysis finishes, the parts that have arrived
    shown: false, // whether the results of the current analysis are on screen
    file: null, // {name, size} of the analysed file
    source: null, // the analysed File itself, read again when its columns are changed
    columns: {}, // the column overrides it was read with ({role: header | null}; AnalyzerOptions.columns)
    dateOrder: null, // the day/month order of slash dates the user chose ("month-first" | "day-first"), or null
    keepOutlierDates: false, // whether the user chose to keep orders with outlier dates
    inputEncoding: null, // the text encoding the user chose to read the file in (a TextEncoding), or null: detected
    fitting: null, // {done, total}: how far the fitting of the models of the current analysis has come, or null
    base: {}, // the options the element's attributes give (asOf, f2WindowDays)
    f2Window: 365, // the F2 window shown on the overview (picked from report.f2_by_window)
    options: {}, // the options the views recomputed the Report with (F bands, horizon, margin, …), kept together
    view: VIEWS[0].id, // the view whose tab is selected
    stale: new Set(), // views whose panel does not show the current report in the current language yet
    encoding: "utf-8", // customer-list CSV: "utf-8" (with BOM) or "shift_jis"
    listLang: null, // the language of a list's headers and labels ("en" | "ja"); the page's until chosen
    listLangChosen: false, // whether the user chose listLang (else it follows the page's language)
    currencyDisplay: "symbol", // how money shows its currency (Intl's currencyDisplay)
    notice: null, // lang => text of the line under the tabs (a list saved, a recomputation failed)
    status: null, // lang => text of the status line, kept so a language switch can re-render it
    progress: null, // {name, read, total} while a file streams in
    error: null, // {name, message, file?, columns?, fileProblem}: the file's name (or null), the message (a
    // string or lang => text), the File with the overrides it was read with when the Columns screen can be
    // opened for it, and whether the file (not the browser) is the problem
    sample: null, // the URL of the sample file behind "Try the sample", or null (no button)
  };

  // The context the views get (see views/index.js).
  #ctx;

  constructor(root, host, { lang, events }) {
    this.#root = root;
    this.#host = host;
    this.#events = events;
    this.#ctx = {
      state: this.state,
      recompute: (options) => this.recompute(options),
      download: (filter, name) => this.#download(filter, name),
      customers: (filter) => this.#client.customers(filter),
      changeColumns: () => this.#changeColumns(),
      reanalyze: (choice) =>
        this.state.source &&
        this.analyze(this.state.source, {
          columns: this.state.columns ?? {},
          dateOrder: this.state.dateOrder,
          keepOutlierDates: this.state.keepOutlierDates,
          inputEncoding: this.state.inputEncoding,
          ...choice,
        }),
      root,
    };
    root.append(frame());
    this.#columns = new ColumnsScreen(root, root);
    this.state.lang = lang;
    this.#setUpIntake();
    this.#setUpViews();
    this.setLang(lang);
    this.#setState("idle");
  }

  #$(id) {
    return this.#root.getElementById(id);
  }

  /**
   * Where the element is, on its data-state attribute: "idle", "busy", "ready" (a report is shown), "error",
   * or "columns" (the Columns screen is open for a file that could not be analysed as it is).
   */
  #setState(name) {
    this.#host.dataset.state = name;
  }

  /** The analysis options the element's attributes give: {asOf, f2WindowDays}; applied to the next file. */
  setBaseOptions(options) {
    this.state.base = options;
    if (options.f2WindowDays) this.state.f2Window = options.f2WindowDays;
  }

  /** How money shows its currency: "symbol", "narrowSymbol", "code" or "name". */
  setCurrencyDisplay(display) {
    this.state.currencyDisplay = display;
    if (this.state.report && this.state.shown) this.#renderViews();
  }

  /** The URL behind "Try the sample"; null hides the button. */
  setSample(url) {
    this.state.sample = url;
    this.#$("try-sample").hidden = url == null;
  }

  setLang(lang) {
    this.state.lang = lang;
    applyStatic(this.#root, lang);
    if (this.#columns.isOpen()) this.#columns.render(lang);
    this.#renderStatus();
    this.#renderProgress();
    this.#renderError();
    this.#renderNotice();
    if (this.state.report && this.state.shown) this.#renderViews();
  }

  #renderStatus() {
    this.#$("status").textContent = this.state.status ? this.state.status(this.state.lang) : "";
  }

  #renderProgress() {
    const { progress, lang } = this.state;
    this.#$("progress").hidden = progress == null;
    if (progress == null) return;
    if (progress.computing !== undefined) {
      // The file is read; the Report's sections are being computed, the models last.
      const label = progress.computing === "models" ? "progress.fitting" : "progress.computing";
      this.#$("progress-label").textContent = t(lang, label, { name: progress.name });
      this.#$("progress-count").textContent = t(lang, "progress.sections", { done: progress.done, total: progress.total });
      this.#$("progress-bar").value = progress.done / progress.total;
      return;
    }
    this.#$("progress-label").textContent = t(lang, "progress.reading", { name: progress.name });
    this.#$("progress-count").textContent = t(lang, "progress.count", {
      read: formatBytes(progress.read, lang),
      total: formatBytes(progress.total, lang),
    });
    this.#$("progress-bar").value = progress.total === 0 ? 1 : progress.read / progress.total;
  }

  #renderError() {
    const { error, lang } = this.state;
    this.#$("error").hidden = error == null;
    if (error == null) return;
    this.#$("error-title").textContent =
      error.name == null ? t(lang, "error.titleNoFile") : t(lang, "error.title", { name: error.name });
    const message = typeof error.message === "function" ? error.message(lang) : error.message;
    this.#$("error-message").textContent = sentence(message);
    // "Check that it is an order export" only when the file is what failed.
    this.#$("error-hint").hidden = !error.fileProblem;
    this.#$("error-columns").hidden = error.file == null;
  }

  #showError(error) {
    this.state.error = error;
    this.#renderError();
  }

  #renderNotice() {
    this.#$("notice").textContent = this.state.notice ? this.state.notice(this.state.lang) : "";
  }

  #setNotice(notice) {
    this.state.notice = notice;
    this.#renderNotice();
  }

  /** Shows the file, as-of date and currency above the tabs. */
  #renderResultsHead() {
    const { report, file, lang } = this.state;
    this.#$("results-file").textContent = `${file.name} (${formatBytes(file.size, lang)})`;
    this.#$("results-as-of").textContent = t(lang, "results.asOf", { date: formatDate(report.as_of, lang) });
    this.#$("results-currency").textContent = report.currency ?? t(lang, "results.noCurrency");
  }

  /**
   * Renders the selected view if it is stale, keeping the keyboard focus where it was (by element id). A
   * view whose sections have not arrived yet shows that they are being computed, and stays stale.
   */
  #renderActiveView() {
    const { state } = this;
    if (!state.report || !state.stale.has(state.view)) return;
    const view = VIEWS.find((v) => v.id === state.view);
    const panel = this.#$(`panel-${view.id}`);
    if (!isReady(view, state.report)) {
      panel.replaceChildren(pendingCard(view, state.lang, state.fitting));
      return;
    }
    const focused = this.#root.activeElement?.id;
    state.stale.delete(view.id);
    view.render(state.report, this.#ctx, panel);
    if (focused && this.#root.activeElement?.id !== focused) this.#$(focused)?.focus();
  }

  /** Shows state.report: every view is stale; the selected one is rendered now, the others when selected. */
  #renderViews() {
    this.#$("results").hidden = false; // before the charts, so they measure a visible element
    this.#renderResultsHead();
    this.state.stale = new Set(VIEWS.map((view) => view.id));
    this.#offerViews();
    this.#renderActiveView();
  }

  /** Hides the tabs of views with nothing to show for the Report; the overview is selected instead of a hidden one. */
  #offerViews() {
    for (const view of VIEWS) this.#$(`tab-${view.id}`).hidden = !isOffered(view, this.state.report);
    const selected = VIEWS.find((view) => view.id === this.state.view);
    if (!isOffered(selected, this.state.report)) this.#selectView(VIEWS[0].id);
  }

  #selectView(id, { focus = false } = {}) {
    this.state.view = id;
    for (const view of VIEWS) {
      const selected = view.id === id;
      const tab = this.#$(`tab-${view.id}`);
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      this.#$(`panel-${view.id}`).hidden = !selected;
      if (selected && focus) tab.focus();
    }
    this.#renderActiveView();
  }

  /** One tab per view (a WAI-ARIA tablist: arrows, Home and End move between tabs), and the panels. */
  #setUpViews() {
    const tabs = this.#$("view-tabs");
    const results = this.#$("results");
    for (const view of VIEWS) {
      const tab = h("button", {
        type: "button",
        role: "tab",
        id: `tab-${view.id}`,
        class: "tab",
        part: "tab",
        "aria-controls": `panel-${view.id}`,
        "data-i18n": `${view.id}.tab`,
        data: { view: view.id },
      });
      tab.addEventListener("click", () => this.#selectView(view.id));
      tabs.append(tab);
      const panel = h("div", {
        id: `panel-${view.id}`,
        class: "view-panel",
        part: "panel",
        role: "tabpanel",
        "aria-labelledby": `tab-${view.id}`,
        tabindex: 0,
      });
      results.append(panel);
      view.mount(panel, this.#ctx);
    }
    tabs.addEventListener("keydown", (event) => {
      const offered = VIEWS.filter((view) => isOffered(view, this.state.report));
      const index = offered.findIndex((view) => view.id === this.state.view);
      const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: offered.length - 1 }[event.key];
      if (next == null) return;
      event.preventDefault();
      this.#selectView(offered[(next + offered.length) % offered.length].id, { focus: true });
    });
    this.#selectView(this.state.view);
    this.#offerViews();

    // An open definition closes on a click elsewhere in the element or on Escape, like a popover.
    const closeDefinitions = (except) => {
      for (const open of this.#root.querySelectorAll("details.def[open]")) if (open !== except) open.open = false;
    };
    this.#root.addEventListener("click", (event) => closeDefinitions(event.target.closest?.("details.def")));
    this.#root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closeDefinitions(null);
    });
  }

  /**
   * Asks the worker for the Report of the same file with other options (e.g. {fBandStarts}, {horizonDays,
   * margin}) and shows it. The options of earlier recomputations are kept (new F bands keep the horizon, a
   * new horizon keeps the F bands), as is the F2 window of the first analysis. Rejects with the analyzer's
   * error, and then nothing changes.
   */
  async recompute(options) {
    const { state } = this;
    // An option set to undefined goes back to its default.
    const merged = Object.fromEntries(Object.entries({ ...state.options, ...options }).filter(([, value]) => value !== undefined));
    const report = await this.#client.report({ ...state.base, f2WindowDays: state.report.kpis.f2.window_days, ...merged });
    state.options = merged;
    state.report = report;
    this.#renderViews();
    this.#events.report(report);
    return report;
  }

  /** Saves the customer list for `filter` (called `name` on the page) as ltv-lens-customers-<filter>.csv. */
  async #download(filter, name) {
    const file = `ltv-lens-customers-${filterSlug(filter)}.csv`;
    const { encoding } = this.state;
    const lang = this.state.listLang ?? this.state.lang;
    this.#setNotice((l) => t(l, "export.working", { name }));
    try {
      const { bytes, unwritable } = await this.#client.customersList(filter, encoding, lang);
      const type = encoding === "shift_jis" ? "text/csv;charset=shift_jis" : "text/csv;charset=utf-8";
      const url = URL.createObjectURL(new Blob([bytes], { type }));
      const link = h("a", { href: url, download: file, hidden: true });
      this.#$("results").append(link);
      link.click();
      link.remove();
      // The browser has the download by now; the URL can go a little later.
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      // Values Shift_JIS lacks are in the file as &#x…; references: say how many, and what to do instead.
      const lossy = unwritable === 1 ? "export.unwritableOne" : "export.unwritable";
      this.#setNotice((l) => (unwritable > 0 ? `${t(l, "export.done", { file })} ${t(l, lossy, { count: unwritable })}` : t(l, "export.done", { file })));
    } catch (error) {
      const message = (l) => (error instanceof AnalysisError ? messageText(error, l) : String(error?.message ?? error));
      this.#setNotice((l) => t(l, "export.failed", { message: message(l) }));
    }
  }

  /**
   * The Preview of `file` read with the overrides `columns`, and the roles detected without any (what the
   * screen's choice is compared with); with overrides that no longer fit, the file as detected.
   */
  async #loadColumns(file, columns) {
    const baseline = await this.#client.preview(file, {});
    if (Object.keys(columns).length === 0) return { preview: baseline, baseline: baseline.roles };
    try {
      return { preview: await this.#client.preview(file, { columns }), baseline: baseline.roles };
    } catch {
      return { preview: baseline, baseline: baseline.roles };
    }
  }

  /**
   * Opens the Columns screen for `file`, read with `columns` until now. `reason` is the analyzer's sentence
   * when the file could not be analysed as it is; `onCancel` runs when the screen is closed without a new
   * analysis.
   */
  #openColumns(file, { preview, baseline }, reason, onCancel) {
    this.#columns.open({
      preview,
      baseline,
      reason,
      lang: this.state.lang,
      onRun: (columns) => this.analyze(file, { columns }),
      onCancel,
    });
  }

  /** "Change columns" under the columns used: the screen for the analysed file, from its first 64 KiB. */
  async #changeColumns() {
    const file = this.state.source;
    if (!file) return;
    this.#setNotice((l) => t(l, "columns.loading"));
    try {
      const loaded = await this.#loadColumns(file, this.state.columns);
      this.#setNotice(null);
      this.#openColumns(file, loaded, null, () => this.#$("change-columns")?.focus());
    } catch (error) {
      const message = String(error?.message ?? error);
      this.#setNotice((l) => t(l, "columns.failed", { message }));
    }
  }

  /** The error box's "Change columns": the screen for the file that could not be analysed. */
  async #errorColumns() {
    const { error } = this.state;
    if (error?.file == null) return;
    try {
      const loaded = await this.#loadColumns(error.file, error.columns);
      const reason = typeof error.message === "function" ? error.message(this.state.lang) : error.message;
      this.#openColumns(error.file, loaded, reason, () => this.#$("error-columns").focus());
    } catch {
      this.#$("error-columns").hidden = true;
    }
  }

  /**
   * Shows the part `name` of the Report of `file` (null for the head), `report` being the parts so far: the
   * results appear once the overview can be drawn, each other view when its sections are in.
   */
  #showPart(file, { columns, dateOrder, keepOutlierDates, inputEncoding }, report, name) {
    const { state } = this;
    const first = name == null;
    state.report = report;
    if (first) {
      state.file = { name: file.name, size: file.size };
      state.source = file;
      state.columns = columns;
      state.dateOrder = dateOrder;
      state.keepOutlierDates = keepOutlierDates;
      state.inputEncoding = inputEncoding;
      state.options = {};
      state.notice = null;
      state.shown = false;
      this.#renderNotice();
    }
    if (name === "kpis") state.f2Window = report.kpis.f2.window_days;
    const done = first ? 0 : SECTION_NAMES.indexOf(name) + 1;
    state.progress = { name: file.name, computing: SECTION_NAMES[done] ?? null, done, total: SECTION_NAMES.length };
    this.#renderProgress();
    if (!state.shown && isReady(VIEWS[0], report)) {
      state.shown = true;
      this.#renderViews();
    } else if (state.shown && !first) {
      for (const view of VIEWS) if (view.sections.includes(name)) state.stale.add(view.id);
      this.#offerViews();
      this.#renderActiveView();
    }
  }

  /**
   * What the error box shows for `error`, the failure of the analysis of the file called `name`, and the
   * detail of the ltv-lens:error event.
   */
  #failure(error, name) {
    const fileProblem = error instanceof AnalysisError && error.code !== "worker_unavailable" && error.code !== "source_unreadable";
    const message = (lang) => (error instanceof AnalysisError ? messageText(error, lang) : String(error?.message ?? error));
    const detail = { code: error?.code ?? null, args: error?.args ?? {}, message: String(error?.message ?? error) };
    return { name, message, file: null, columns: {}, fileProblem, detail };
  }

  /**
   * Analyses `file` (a File or Blob with a name), replacing any analysis still running; `columns` are the
   * column overrides (AnalyzerOptions.columns) chosen on the Columns screen. A file that has no recognisable
   * order date or amount opens the Columns screen instead of the error box. Resolves with the Report, or
   * null when the analysis failed or was replaced.
   */
  async analyze(file, { columns = {}, dateOrder = null, keepOutlierDates = false, inputEncoding = null } = {}) {
    const { state } = this;
    if (state.progress) this.#client.cancel();
    this.#columns.close();
    const run = ++state.run;
    this.#setState("busy");
    this.#showError(null);
    state.status = null;
    state.progress = { name: file.name, read: 0, total: file.size };
    state.fitting = null;
    this.#renderStatus();
    this.#renderProgress();
    let shown = loadCharts();
    try {
      const report = await this.#client.analyze(file, {
        options: {
          today: localToday(),
          ...state.base,
          ...(Object.keys(columns).length === 0 ? {} : { columns }),
          ...(dateOrder == null ? {} : { dateOrder }),
          ...(keepOutlierDates ? { keepOutlierDates } : {}),
          ...(inputEncoding == null ? {} : { encoding: inputEncoding }),
        },
        onProgress: (read, total) => {
          if (run !== state.run) return;
          state.progress = { name: file.name, read, total };
          this.#renderProgress();
          this.#events.progress({ read, total });
        },
        // The views that wait for the models show how far their fitting has come.
        onFitting: (done, total) => {
          shown = shown.then(() => {
            if (run !== state.run) return;
            state.fitting = { done, total };
            if (!state.shown) return;
            for (const view of VIEWS) if (view.sections.includes("models")) state.stale.add(view.id);
            this.#renderActiveView();
          });
        },
        // Parts are shown in order, once the charts are loaded (they load while the file is read).
        onPart: (report, name) => {
          shown = shown.then(() => run === state.run && this.#showPart(file, { columns, dateOrder, keepOutlierDates, inputEncoding }, report, name));
        },
      });
      await shown;
      if (run !== state.run) return null;
      state.report = report;
      state.status = (lang) => t(lang, "status.done", { name: file.name, size: formatBytes(file.size, lang) });
      if (!state.shown) this.#renderViews();
      state.shown = true;
      this.#setState("ready");
      this.#events.report(report);
      return report;
    } catch (error) {
      if (run !== state.run) return null;
      if (isAbort(error)) {
        state.status = (lang) => t(lang, "status.cancelled");
        // An analysis cancelled while its sections were being computed leaves nothing half-shown.
        if (state.report != null && !SECTION_NAMES.every((name) => name in state.report)) {
          state.report = null;
          this.#$("results").hidden = true;
        }
        this.#setState(state.report ? "ready" : "idle");
        return null;
      }
      state.report = null;
      state.source = null;
      this.#$("results").hidden = true;
      const failed = this.#failure(error, file.name);
      // A CSV file whose columns are not recognised: the Columns screen, with the sentence as the reason.
      const loaded = failed.fileProblem ? await this.#loadColumns(file, columns).catch(() => null) : null;
      if (run !== state.run) return null;
      Object.assign(failed, { file: loaded ? file : null, columns });
      if (loaded && !loaded.preview.header_found) {
        this.#showError(null);
        this.#setState("columns");
        this.#openColumns(file, loaded, failed.message(state.lang), () => {
          this.#showError(failed);
          this.#setState("error");
          this.#$("error-columns").focus();
        });
      } else {
        this.#showError(failed);
        this.#setState("error");
      }
      this.#events.error(failed.detail);
      return null;
    } finally {
      if (run === state.run) {
        state.progress = null;
        this.#renderProgress();
        this.#renderStatus();
      }
    }
  }

  /** Stops the running analysis, if any. */
  cancel() {
    if (this.state.progress) this.#client.cancel();
  }

  async #trySample() {
    const { state } = this;
    const run = ++state.run;
    this.#setState("busy");
    this.#showError(null);
    state.status = (lang) => t(lang, "progress.sample");
    this.#renderStatus();
    try {
      const response = await fetch(state.sample);
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const blob = await response.blob();
      if (run !== state.run) return;
      await this.analyze(new File([blob], state.sample.split("/").pop(), { type: "text/csv" }));
    } catch (error) {
      if (run !== state.run) return;
      state.status = null;
      this.#renderStatus();
      const reason = String(error?.message ?? error);
      this.#showError({ name: null, message: (lang) => t(lang, "error.sample", { reason }), fileProblem: false, file: null });
      this.#setState("error");
    }
  }

  #setUpIntake() {
    const input = this.#$("file-input");
    const zone = this.#$("drop-zone");
    this.#$("choose-file").addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      const [file] = input.files;
      input.value = ""; // so choosing the same file again is a change too
      if (file) this.analyze(file);
    });
    this.#$("try-sample").addEventListener("click", () => this.#trySample());
    this.#$("error-columns").addEventListener("click", () => this.#errorColumns());
    this.#$("cancel").addEventListener("click", () => this.cancel());

    // The worker and its wasm load when a visitor comes near the element (a pointer over it, a drag, the
    // keyboard focus), so that a file is analysed at once, without loading them for a page nobody uses.
    for (const event of ["pointerenter", "dragenter", "focusin"]) this.#host.addEventListener(event, () => this.#client.warm(), { once: true });

    // A file dropped on the element is analysed (instead of the browser opening it); the drop zone lights
    // up while something is dragged over the element.
    let depth = 0;
    const isFileDrag = (event) => event.dataTransfer?.types.includes("Files");
    const host = this.#host;
    host.addEventListener("dragenter", (event) => {
      if (!isFileDrag(event)) return;
      depth += 1;
      zone.classList.add("dragging");
    });
    host.addEventListener("dragleave", () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) zone.classList.remove("dragging");
    });
    host.addEventListener("dragover", (event) => {
      if (!isFileDrag(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    });
    host.addEventListener("drop", (event) => {
      if (!isFileDrag(event)) return;
      event.preventDefault();
      depth = 0;
      zone.classList.remove("dragging");
      const [file] = event.dataTransfer.files;
      if (file) this.analyze(file);
    });
  }

  /** Ends the worker: the element was removed from the page. */
  close() {
    this.state.run += 1;
    this.#client.close();
  }
}
