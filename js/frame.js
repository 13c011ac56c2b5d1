// The markup of an <ltv-lens> element's shadow root, apart from the views' panels (app.js builds one tab and
// one panel per view): the intake (drop zone, file and sample buttons, progress and cancel, the error box,
// the status line) and the head of the results. Text comes from i18n.js through the data-i18n attributes
// (applyStatic); nothing here comes from a file. Parts for ::part() theming: intake, drop-zone, progress,
// error, results, tabs, tab, panel.

const template = typeof document === "undefined" ? null : document.createElement("template");

/** A new copy of the frame, for one element. */
export function frame() {
  if (template && !template.content.hasChildNodes()) template.innerHTML = MARKUP;
  return template.content.cloneNode(true);
}

const MARKUP = `
<div class="page">
<section class="card intake" part="intake" aria-labelledby="intake-title">
  <div id="drop-zone" class="drop-zone" part="drop-zone">
    <svg class="drop-icon" viewBox="0 0 24 24" width="40" height="40" aria-hidden="true">
      <path d="M12 15V4m0 0L7.5 8.5M12 4l4.5 4.5M5 14v4a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>
    </svg>
    <h2 id="intake-title" data-i18n="intake.title"></h2>
    <p class="muted" data-i18n="intake.hint"></p>
    <div class="actions">
      <button id="choose-file" type="button" class="btn btn-primary" data-i18n="intake.choose"></button>
      <button id="try-sample" type="button" class="btn" data-i18n="intake.sample" hidden></button>
    </div>
    <input id="file-input" type="file" accept=".csv,.tsv,.txt,text/csv" hidden>
    <p class="privacy">
      <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
        <path d="M7 11V8a5 5 0 0 1 10 0v3M6 11h12v9H6z" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/>
      </svg>
      <span data-i18n="intake.privacy"></span>
    </p>
  </div>

  <div id="progress" class="progress" part="progress" hidden>
    <div class="progress-text">
      <span id="progress-label"></span>
      <span id="progress-count" class="muted"></span>
    </div>
    <progress id="progress-bar" max="1" value="0"></progress>
    <button id="cancel" type="button" class="btn" data-i18n="progress.cancel"></button>
  </div>

  <div id="error" class="error" part="error" role="alert" hidden>
    <strong id="error-title"></strong>
    <p id="error-message"></p>
    <p id="error-hint" class="muted" data-i18n="error.hint"></p>
    <button id="error-columns" type="button" class="btn btn-small" data-i18n="columns.change" data-i18n-label="columns.changeLabel" hidden></button>
  </div>

  <p id="status" class="status muted" role="status"></p>
</section>

<section id="results" class="results" part="results" aria-labelledby="results-title" hidden>
  <div class="results-head">
    <h2 id="results-title" data-i18n="results.title"></h2>
    <p class="muted">
      <span id="results-file"></span> ·
      <span id="results-as-of" data-i18n-title="def.as_of"></span> ·
      <span id="results-currency"></span>
    </p>
  </div>
  <div id="view-tabs" class="tabs" part="tabs" role="tablist" data-i18n-label="tabs.label"></div>
  <p id="notice" class="notice" role="status"></p>
</section>
</div>
`;
