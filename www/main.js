// The page's controller: the language switch, the drop zone, file button and sample button, the progress
// bar and cancel button, the error box, and handing each Report to dashboard.js. The analysis itself runs
// in the worker (client.js, worker.js); this module never touches the wasm.
import { AnalysisClient, AnalysisError, Cancelled } from "./client.js";
import { renderF2, renderReport } from "./dashboard.js";
import { formatBytes } from "./format.js";
import { applyStatic, initialLang, t } from "./i18n.js";

const SAMPLE_URL = "sample/sample-orders.csv";

const $ = (id) => document.getElementById(id);
const client = new AnalysisClient();

const state = {
  lang: initialLang(),
  run: 0, // the latest analysis; an older one that ends late changes nothing
  report: null,
  file: null, // {name, size} of the analysed file
  f2Window: 365,
  status: null, // lang => text of the status line, kept so a language switch can re-render it
  progress: null, // {name, read, total} while a file streams in
  error: null, // {name, message}: the file (or null) and the message, a string or lang => text
};

/** Where the page is, on <body data-state>: "idle", "busy", "ready" (a report is shown) or "error". */
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
}

function showError(error) {
  state.error = error;
  renderError();
}

function setLang(lang) {
  state.lang = lang;
  applyStatic(document, lang);
  renderStatus();
  renderProgress();
  renderError();
  if (state.report) renderReport(state.report, state);
}

/** Analyses `file` (a File), replacing any analysis still running. */
async function analyzeFile(file) {
  if (state.progress) client.cancel();
  const run = ++state.run;
  setPageState("busy");
  showError(null);
  state.status = null;
  state.progress = { name: file.name, read: 0, total: file.size };
  renderStatus();
  renderProgress();
  try {
    const report = await client.analyze(file, {
      onProgress: (read, total) => {
        if (run !== state.run) return;
        state.progress = { name: file.name, read, total };
        renderProgress();
      },
    });
    if (run !== state.run) return;
    state.report = report;
    state.file = { name: file.name, size: file.size };
    state.f2Window = report.kpis.f2.window_days;
    state.status = (lang) => t(lang, "status.done", { name: file.name, size: formatBytes(file.size, lang) });
    renderReport(report, state);
    setPageState("ready");
  } catch (error) {
    if (run !== state.run) return;
    if (error instanceof Cancelled) {
      state.status = (lang) => t(lang, "status.cancelled");
      setPageState(state.report ? "ready" : "idle");
    } else {
      state.report = null;
      $("results").hidden = true;
      const message = error instanceof AnalysisError ? error.message : (lang) => t(lang, "error.worker");
      showError({ name: file.name, message });
      setPageState("error");
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
  for (const radio of document.querySelectorAll('input[name="f2-window"]')) {
    radio.addEventListener("change", () => {
      state.f2Window = Number(radio.value);
      if (state.report) renderF2(state.report, state.f2Window, state.lang);
    });
  }
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
