// The page's controller: the language switch, the drop zone, file button and sample button, the progress
// bar and cancel button, the error box, the view tabs (one per entry of views/index.js) and handing each
// Report to the views; recomputing the Report with other options and saving customer lists on the views'
// behalf; the Columns screen (views/columns.js), opened when a file has no recognisable date or amount and
// from "Change columns", whose choice re-reads the file with `columns` overrides. The analysis itself runs
// in the worker (client.js, worker.js); this module never touches the wasm.
import { AnalysisClient, AnalysisError, Cancelled } from "./client.js";
import { messageText } from "./messages.js";
import { h } from "./dom.js";
import { formatBytes, formatDate } from "./format.js";
import { applyStatic, initialLang, t } from "./i18n.js";
import * as columnsScreen from "./views/columns.js";
import { VIEWS } from "./views/index.js";
import { loadCharts } from "./charts/common.js";
import { SECTIONS } from "./names.js";
import { filterSlug } from "./views/shared.js";

const SAMPLE_URL = "sample/sample-orders.csv";
const SECTION_NAMES = SECTIONS.map((section) => section.name);

const $ = (id) => document.getElementById(id);
const client = new AnalysisClient();

const state = {
  lang: initialLang(),
  run: 0, // the latest analysis; an older one that ends late changes nothing
  report: null, // the Report shown: while an analysis finishes, the parts that have arrived
  shown: false, // whether the results of the current analysis are on screen
  file: null, // {name, size} of the analysed file
  source: null, // the analysed File itself, read again when its columns are changed
  columns: {}, // the column overrides it was read with ({role: header | null}; AnalyzerOptions.columns)
  dateOrder: null, // the day/month order of slash dates the user chose ("month-first" | "day-first"), or null
  f2Window: 365, // the F2 window shown on the overview (picked from report.f2_by_window)
  options: {}, // the options the views recomputed the Report with (F bands, horizon, margin, …), kept together
  view: VIEWS[0].id, // the view whose tab is selected
  stale: new Set(), // views whose panel does not show the current report in the current language yet
  encoding: "utf-8", // customer-list CSV: "utf-8" (with BOM) or "shift_jis"
  notice: null, // lang => text of the line under the tabs (a list saved, a recomputation failed)
  status: null, // lang => text of the status line, kept so a language switch can re-render it
  progress: null, // {name, read, total} while a file streams in
  error: null, // {name, message, file?, columns?}: the file's name (or null), the message (a string or lang =>
  // text), and the File with the overrides it was read with when the Columns screen can be opened for it
};

/**
 * Where the page is, on <body data-state>: "idle", "busy", "ready" (a report is shown), "error", or
 * "columns" (the Columns screen is open for a file that could not be analysed as it is).
 */
function setPageState(name) {
  document.body.dataset.state = name;
}

function renderStatus() {
  $("status").textContent = state.status ? state.status(state.lang) : "";
}

function renderProgress() {
  const progress = state.progress;
  $("progress").hidden = progress == null;
  if (progress == null) return;
  const { lang } = state;
  if (progress.computing !== undefined) {
    // The file is read; the Report's sections are being computed, the models last.
    const label = progress.computing === "models" ? "progress.fitting" : "progress.computing";
    $("progress-label").textContent = t(lang, label, { name: progress.name });
    $("progress-count").textContent = t(lang, "progress.sections", { done: progress.done, total: progress.total });
    $("progress-bar").value = progress.done / progress.total;
    return;
  }
  $("progress-label").textContent = t(lang, "progress.reading", { name: progress.name });
  $("progress-count").textContent = t(lang, "progress.count", {
    read: formatBytes(progress.read, lang),
    total: formatBytes(progress.total, lang),
  });
  $("progress-bar").value = progress.total === 0 ? 1 : progress.read / progress.total;
}

function renderError() {
  const { error, lang } = state;
  $("error").hidden = error == null;
  if (error == null) return;
  $("error-title").textContent = error.name == null ? t(lang, "error.titleNoFile") : t(lang, "error.title", { name: error.name });
  const message = typeof error.message === "function" ? error.message(lang) : error.message;
  // The analyzer's sentences start in lower case (Rust style); on the page they start a sentence.
  $("error-message").textContent = message.charAt(0).toUpperCase() + message.slice(1);
  $("error-columns").hidden = error.file == null;
}

function showError(error) {
  state.error = error;
  renderError();
}

function renderNotice() {
  $("notice").textContent = state.notice ? state.notice(state.lang) : "";
}

function setNotice(notice) {
  state.notice = notice;
  renderNotice();
}

// The context the views get (see views/index.js).
const ctx = {
  state,
  recompute,
  download,
  customers: (filter) => client.customers(filter),
};

/** Shows the file, as-of date and currency above the tabs. */
function renderResultsHead() {
  const { report, file, lang } = state;
  $("results-file").textContent = `${file.name} (${formatBytes(file.size, lang)})`;
  $("results-as-of").textContent = t(lang, "results.asOf", { date: formatDate(report.as_of, lang) });
  $("results-currency").textContent = report.currency ?? t(lang, "results.noCurrency");
}

/** Whether `report` holds every section `view` shows (the Report arrives in parts). */
function isReady(view, report) {
  return view.sections.every((name) => name in report);
}

/** What a view shows while its sections are being computed. */
function pendingCard(view, lang) {
  return h("section", { class: "card pending", "aria-busy": "true" }, h("p", {}, t(lang, view.sections.includes("models") ? "pending.models" : "pending.section")));
}

/**
 * Renders the selected view if it is stale, keeping the keyboard focus where it was (by element id). A
 * view whose sections have not arrived yet shows that they are being computed, and stays stale.
 */
function renderActiveView() {
  if (!state.report || !state.stale.has(state.view)) return;
  const view = VIEWS.find((v) => v.id === state.view);
  if (!isReady(view, state.report)) {
    $(`panel-${view.id}`).replaceChildren(pendingCard(view, state.lang));
    return;
  }
  const focused = document.activeElement?.id;
  state.stale.delete(view.id);
  view.render(state.report, ctx, $(`panel-${view.id}`));
  if (focused && document.activeElement?.id !== focused) $(focused)?.focus();
}

/** Shows state.report: every view is stale; the selected one is rendered now, the others when selected. */
function renderViews() {
  $("results").hidden = false; // before the charts, so they measure a visible element
  renderResultsHead();
  state.stale = new Set(VIEWS.map((view) => view.id));
  renderActiveView();
}

function selectView(id, { focus = false } = {}) {
  state.view = id;
  for (const view of VIEWS) {
    const selected = view.id === id;
    const tab = $(`tab-${view.id}`);
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(`panel-${view.id}`).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  renderActiveView();
}

/** One tab per view (a WAI-ARIA tablist: arrows, Home and End move between tabs), and the panels. */
function setUpViews() {
  const tabs = $("view-tabs");
  for (const view of VIEWS) {
    const tab = h("button", {
      type: "button",
      role: "tab",
      id: `tab-${view.id}`,
      class: "tab",
      "aria-controls": `panel-${view.id}`,
      "data-i18n": `${view.id}.tab`,
      data: { view: view.id },
    });
    tab.addEventListener("click", () => selectView(view.id));
    tabs.append(tab);
    let panel = $(`panel-${view.id}`);
    if (!panel) {
      panel = h("div", { id: `panel-${view.id}`, class: "view-panel", role: "tabpanel", "aria-labelledby": `tab-${view.id}`, tabindex: 0 });
      $("results").append(panel);
    }
    view.mount(panel, ctx);
  }
  tabs.addEventListener("keydown", (event) => {
    const index = VIEWS.findIndex((view) => view.id === state.view);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: VIEWS.length - 1 }[event.key];
    if (next == null) return;
    event.preventDefault();
    selectView(VIEWS[(next + VIEWS.length) % VIEWS.length].id, { focus: true });
  });
  selectView(state.view);
}

/**
 * Asks the worker for the Report of the same file with other options (e.g. {fBandStarts}, {horizonDays,
 * margin}) and shows it. The options of earlier recomputations are kept (new F bands keep the horizon, a
 * new horizon keeps the F bands), as is the F2 window of the first analysis. Rejects with the analyzer's
 * error, and then nothing changes.
 */
async function recompute(options) {
  // An option set to undefined goes back to its default.
  const merged = Object.fromEntries(Object.entries({ ...state.options, ...options }).filter(([, value]) => value !== undefined));
  const report = await client.report({ f2WindowDays: state.report.kpis.f2.window_days, ...merged });
  state.options = merged;
  state.report = report;
  renderViews();
  return report;
}

/** Saves the customer list for `filter` (called `name` on the page) as ltv-lens-customers-<filter>.csv. */
async function download(filter, name) {
  const file = `ltv-lens-customers-${filterSlug(filter)}.csv`;
  const encoding = state.encoding;
  setNotice((lang) => t(lang, "export.working", { name }));
  try {
    const buffer = await client.customersCsv(filter, encoding);
    const type = encoding === "shift_jis" ? "text/csv;charset=shift_jis" : "text/csv;charset=utf-8";
    const url = URL.createObjectURL(new Blob([buffer], { type }));
    const link = h("a", { href: url, download: file, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    // The browser has started the download by now; the URL can go a little later.
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
    setNotice((lang) => t(lang, "export.done", { file }));
  } catch (error) {
    const message = (lang) => (error instanceof AnalysisError ? messageText(error, lang) : String(error?.message ?? error));
    setNotice((lang) => t(lang, "export.failed", { message: message(lang) }));
  }
}

/**
 * The Preview of `file` read with the overrides `columns`, and the roles detected without any (what the
 * screen's choice is compared with); with overrides that no longer fit, the file as detected.
 */
async function loadColumns(file, columns) {
  const baseline = await client.preview(file, {});
  if (Object.keys(columns).length === 0) return { preview: baseline, baseline: baseline.roles };
  try {
    return { preview: await client.preview(file, { columns }), baseline: baseline.roles };
  } catch {
    return { preview: baseline, baseline: baseline.roles };
  }
}

/**
 * Opens the Columns screen for `file`, read with `columns` until now. `reason` is the analyzer's sentence when
 * the file could not be analysed as it is; `onCancel` runs when the screen is closed without a new analysis.
 */
function openColumns(file, { preview, baseline }, reason, onCancel) {
  columnsScreen.open({
    preview,
    baseline,
    reason,
    lang: state.lang,
    onRun: (columns) => analyzeFile(file, { columns }),
    onCancel,
  });
}

/** "Change columns" under the columns used: the screen for the analysed file, from its first 64 KiB. */
async function changeColumns() {
  const file = state.source;
  if (!file) return;
  setNotice((lang) => t(lang, "columns.loading"));
  try {
    const loaded = await loadColumns(file, state.columns);
    setNotice(null);
    openColumns(file, loaded, null, () => $("change-columns").focus());
  } catch (error) {
    const message = String(error?.message ?? error);
    setNotice((lang) => t(lang, "columns.failed", { message }));
  }
}

/** The error box's "Change columns": the screen for the file that could not be analysed. */
async function errorColumns() {
  const error = state.error;
  if (error?.file == null) return;
  try {
    const loaded = await loadColumns(error.file, error.columns);
    const reason = typeof error.message === "function" ? error.message(state.lang) : error.message;
    openColumns(error.file, loaded, reason, () => $("error-columns").focus());
  } catch {
    $("error-columns").hidden = true;
  }
}

function setLang(lang) {
  state.lang = lang;
  applyStatic(document, lang);
  if (columnsScreen.isOpen()) columnsScreen.render(lang);
  renderStatus();
  renderProgress();
  renderError();
  renderNotice();
  if (state.report) renderViews();
}

/**
 * Shows the part `name` of the Report of `file` (null for the head), `report` being the parts so far: the
 * results appear once the overview can be drawn, each other view when its sections are in.
 */
function showPart(file, { columns, dateOrder }, report, name) {
  const first = name == null;
  state.report = report;
  if (first) {
    state.file = { name: file.name, size: file.size };
    state.source = file;
    state.columns = columns;
    state.dateOrder = dateOrder;
    state.options = {};
    state.notice = null;
    state.shown = false;
    renderNotice();
  }
  if (name === "kpis") state.f2Window = report.kpis.f2.window_days;
  const done = first ? 0 : SECTION_NAMES.indexOf(name) + 1;
  state.progress = { name: file.name, computing: SECTION_NAMES[done] ?? null, done, total: SECTION_NAMES.length };
  renderProgress();
  if (!state.shown && isReady(VIEWS[0], report)) {
    state.shown = true;
    renderViews();
  } else if (state.shown && !first) {
    for (const view of VIEWS) if (view.sections.includes(name)) state.stale.add(view.id);
    renderActiveView();
  }
}

/**
 * Analyses `file` (a File), replacing any analysis still running; `columns` are the column overrides
 * (AnalyzerOptions.columns) chosen on the Columns screen. A file that has no recognisable order date or
 * amount opens the Columns screen instead of the error box.
 */
async function analyzeFile(file, { columns = {}, dateOrder = null } = {}) {
  if (state.progress) client.cancel();
  columnsScreen.close();
  const run = ++state.run;
  setPageState("busy");
  showError(null);
  state.status = null;
  state.progress = { name: file.name, read: 0, total: file.size };
  renderStatus();
  renderProgress();
  let shown = loadCharts();
  try {
    const report = await client.analyze(file, {
      options: {
        ...(Object.keys(columns).length === 0 ? {} : { columns }),
        ...(dateOrder == null ? {} : { dateOrder }),
      },
      onProgress: (read, total) => {
        if (run !== state.run) return;
        state.progress = { name: file.name, read, total };
        renderProgress();
      },
      // Parts are shown in order, once the charts are loaded (they load while the file is read).
      onPart: (report, name) => {
        shown = shown.then(() => run === state.run && showPart(file, { columns, dateOrder }, report, name));
      },
    });
    await shown;
    if (run !== state.run) return;
    state.report = report;
    state.status = (lang) => t(lang, "status.done", { name: file.name, size: formatBytes(file.size, lang) });
    if (!state.shown) renderViews();
    state.shown = true;
    setPageState("ready");
  } catch (error) {
    if (run !== state.run) return;
    if (error instanceof Cancelled) {
      state.status = (lang) => t(lang, "status.cancelled");
      // An analysis cancelled while its sections were being computed leaves nothing half-shown.
      if (state.report != null && !SECTION_NAMES.every((name) => name in state.report)) {
        state.report = null;
        $("results").hidden = true;
      }
      setPageState(state.report ? "ready" : "idle");
    } else {
      state.report = null;
      state.source = null;
      $("results").hidden = true;
      // The core's sentence in the page's language (its code and args), or the worker's failure.
      const message = error instanceof AnalysisError ? (lang) => messageText(error, lang) : (lang) => t(lang, "error.worker");
      // A CSV file whose columns are not recognised: the Columns screen, with the sentence as the reason.
      const loaded = error instanceof AnalysisError ? await loadColumns(file, columns).catch(() => null) : null;
      if (run !== state.run) return;
      const failed = { name: file.name, message, file: loaded ? file : null, columns };
      if (loaded && !loaded.preview.header_found) {
        showError(null);
        setPageState("columns");
        openColumns(file, loaded, message(state.lang), () => {
          showError(failed);
          setPageState("error");
          $("error-columns").focus();
        });
      } else {
        showError(failed);
        setPageState("error");
      }
    }
  } finally {
    if (run === state.run) {
      state.progress = null;
      renderProgress();
      renderStatus();
    }
  }
}

async function trySample() {
  const run = ++state.run;
  setPageState("busy");
  showError(null);
  state.status = (lang) => t(lang, "progress.sample");
  renderStatus();
  try {
    const response = await fetch(SAMPLE_URL);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const blob = await response.blob();
    if (run !== state.run) return;
    await analyzeFile(new File([blob], SAMPLE_URL.split("/").pop(), { type: "text/csv" }));
  } catch {
    if (run !== state.run) return;
    state.status = null;
    renderStatus();
    showError({ name: null, message: (lang) => t(lang, "error.sample") });
    setPageState("error");
  }
}

/** The overview's day/month question: the file read again with the order chosen. */
document.addEventListener("ltv-date-order", ({ detail }) => {
  if (state.source) analyzeFile(state.source, { columns: state.columns ?? {}, dateOrder: detail });
});

function setUpIntake() {
  const input = $("file-input");
  const zone = $("drop-zone");
  $("choose-file").addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    const [file] = input.files;
    input.value = ""; // so choosing the same file again is a change too
    if (file) analyzeFile(file);
  });
  $("try-sample").addEventListener("click", trySample);
  $("error-columns").addEventListener("click", errorColumns);
  $("cancel").addEventListener("click", () => client.cancel());

  // A file dropped anywhere on the page is analysed (instead of the browser opening it); the drop zone
  // lights up while something is dragged over the page.
  let depth = 0;
  const isFileDrag = (event) => event.dataTransfer?.types.includes("Files");
  document.addEventListener("dragenter", (event) => {
    if (!isFileDrag(event)) return;
    depth += 1;
    zone.classList.add("dragging");
  });
  document.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.classList.remove("dragging");
  });
  document.addEventListener("dragover", (event) => {
    if (!isFileDrag(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  });
  document.addEventListener("drop", (event) => {
    if (!isFileDrag(event)) return;
    event.preventDefault();
    depth = 0;
    zone.classList.remove("dragging");
    const [file] = event.dataTransfer.files;
    if (file) analyzeFile(file);
  });
}

function setUpResults() {
  setUpViews();
  $("change-columns").addEventListener("click", changeColumns);
  $("lang-toggle").addEventListener("click", () => setLang(state.lang === "ja" ? "en" : "ja"));

  // An open definition closes on a click elsewhere or on Escape, like a popover.
  const closeDefinitions = (except) => {
    for (const open of document.querySelectorAll("details.def[open]")) if (open !== except) open.open = false;
  };
  document.addEventListener("click", (event) => closeDefinitions(event.target.closest?.("details.def")));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeDefinitions(null);
  });
}

setUpIntake();
setUpResults();
setLang(state.lang);
setPageState("idle");
