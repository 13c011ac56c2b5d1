// The predicted-value view: what each customer is likely to bring from now on (BG/NBD for purchases,
// Gamma-Gamma for spend), and how far to trust it. A plain sentence on top (what the fit rests on and how
// the model did on a held-out period), the totals for a horizon, margin and discount rate the shop chooses
// (recomputed in the worker, the file is not read again), P(alive) in ten bins, expected purchases and CLV
// by RFM segment, the top customers by predicted CLV (with the top-100 list as CSV), the holdout check
// (its split date can be moved) and the fitted parameters behind "Model details". Reads report.models and,
// for the top customers, the worker's customer rows. When the data cannot identify the model, the core's
// notes say why and nothing else is drawn.
import { COLORS, axisStyle, baseOption, draw, textWidth, countAxis } from "../charts/common.js";
import { dataTable, escapeHtml, h, reportCell, reportValue } from "../dom.js";
import { formatDate, formatDecimal, formatInteger, formatMoney, formatPercent, moneyScale, moneyUnit } from "../format.js";
import { t, tParts } from "../i18n.js";
import { noteText } from "../messages.js";
import { card, chartBox, downloadButton, encodingPicker, figure, numbers } from "./shared.js";

export const id = "predicted";
/** The Report sections this view shows (it is drawn once they have all arrived). */
export const sections = ["kpis", "cohorts", "models"];

const TOP_SHOWN = 20;
const TOP_LIST = 100;
const ACTUAL_COLOR = "#14998a";
const PREDICTED_COLOR = "#3f6fe0";

const segmentName = (lang, key) => t(lang, `segment.${key}.name`);

function localeOf(lang) {
  return lang === "ja" ? "ja-JP" : "en-US";
}

/** Expected purchases: 494.1 (one decimal for sums, two for a customer). */
function purchases(value, lang, digits = 1) {
  return formatDecimal(value, lang, digits);
}

/** A model parameter: four significant digits, whole numbers from 1,000 up. */
function param(value, lang) {
  if (value == null) return "—";
  const options = Math.abs(value) >= 1000 ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: 4 };
  return new Intl.NumberFormat(localeOf(lang), options).format(value);
}


/** "0–10%", …, "90–100%": the P(alive) bins. */
function binName(i) {
  return `${i * 10}–${(i + 1) * 10}%`;
}

/** The calendar date `days` days after "YYYY-MM-DD". */
function addDays(isoDate, days) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * A number typed by the user ("40", "40.5", "40 %", full-width "４０"): null when blank, NaN when not a
 * number.
 */
export function parseNumber(text) {
  const trimmed = String(text ?? "")
    .normalize("NFKC")
    .replace(/[,\s%]/g, "");
  if (trimmed === "") return null;
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed) ? Number(trimmed) : NaN;
}

/**
 * Checks the prediction inputs (texts as typed): horizon in whole days 1..3650, gross margin % above 0 and
 * at most 100, annual discount rate % at least 0 (blank: 100 % margin, no discount). Returns the Analyzer
 * options {horizonDays, margin, annualDiscountRate} or {error, field} with a string key.
 */
export function parseInputs({ horizon, margin, discount }) {
  const days = parseNumber(horizon);
  if (days == null || !Number.isInteger(days) || days < 1 || days > 3650) return { error: "predicted.badHorizon", field: "horizon" };
  const pct = parseNumber(margin) ?? 100;
  if (Number.isNaN(pct) || !(pct > 0 && pct <= 100)) return { error: "predicted.badMargin", field: "margin" };
  const rate = parseNumber(discount) ?? 0;
  if (Number.isNaN(rate) || rate < 0) return { error: "predicted.badDiscount", field: "discount" };
  return { options: { horizonDays: days, margin: pct / 100, annualDiscountRate: rate / 100 } };
}

/** The core's plain sentences (English), as a list; in Japanese after a lead-in saying so. */
function notesBlock(lang, notes, leadKey) {
  if (notes.length === 0) return null;
  return h(
    "div",
    { class: "model-notes", id: "model-notes" },
    h("p", {}, t(lang, leadKey)),
    h(
      "ul",
      {},
      notes.map((note, i) => noteValue(`models.notes.${i}`, note, lang, "li")),
    ),
  );
}

/** A model's note (an English sentence in the Report) in the page's language, marked as the Report value. */
function noteValue(path, note, lang, tag = "span") {
  const { text, lang: textLang } = noteText(note, lang);
  const node = reportValue(path, note, text, tag);
  if (textLang !== lang) node.lang = textLang;
  return node;
}

// ---- How far to trust it ----

function holdoutError(holdout) {
  if (holdout == null || holdout.note != null || !(holdout.actual_purchases > 0)) return null;
  return (holdout.predicted_purchases - holdout.actual_purchases) / holdout.actual_purchases;
}

function verdictKey(error) {
  const size = Math.abs(error);
  if (size <= 0.1) return "predicted.verdictClose";
  if (size <= 0.25) return "predicted.verdictRough";
  return "predicted.verdictFar";
}

function holdoutSentence(report, lang) {
  const holdout = report.models.holdout;
  if (holdout == null) return h("p", {}, t(lang, "predicted.trustNoHoldout"));
  if (holdout.note != null) {
    return h(
      "p",
      {},
      t(lang, "predicted.trustHoldoutRefused"),
      lang === "ja" ? "" : " ",
      noteValue("models.holdout.note", holdout.note, lang),
    );
  }
  const vars = {
    split: reportValue("models.holdout.split", holdout.split, formatDate(holdout.split, lang)),
    days: reportValue("models.holdout.holdout_days", holdout.holdout_days, formatInteger(holdout.holdout_days, lang)),
    predicted: reportValue("models.holdout.predicted_purchases", holdout.predicted_purchases, formatDecimal(holdout.predicted_purchases, lang, 0)),
    actual: reportValue("models.holdout.actual_purchases", holdout.actual_purchases, formatDecimal(holdout.actual_purchases, lang, 0)),
  };
  const error = holdoutError(holdout);
  if (error == null) return h("p", {}, ...tParts(lang, "predicted.trustHoldoutNoActual", vars));
  const size = h("strong", { data: { derived: "holdout_error" } }, formatPercent(Math.abs(error), lang));
  return h(
    "p",
    {},
    ...tParts(lang, error >= 0 ? "predicted.trustHoldoutHigh" : "predicted.trustHoldoutLow", { ...vars, error: size }),
    lang === "ja" ? "" : " ",
    h("strong", { data: { verdict: verdictKey(error).split(".").pop() } }, t(lang, verdictKey(error))),
  );
}

function trustCard(report, lang) {
  const { bgnbd, notes } = report.models;
  // The counts the fit rests on are BG/NBD's (every candidate is fitted to the same customers); without a
  // BG/NBD fit, the customers of the file.
  const basis =
    bgnbd == null
      ? h("p", {}, ...tParts(lang, "predicted.trustBasisCustomers", { customers: reportValue("kpis.customers", report.kpis.customers, formatInteger(report.kpis.customers, lang), "strong") }))
      : h(
          "p",
          {},
          ...tParts(lang, "predicted.trustBasis", {
            customers: reportValue("models.bgnbd.customers", bgnbd.customers, formatInteger(bgnbd.customers, lang), "strong"),
            repeaters: reportValue("models.bgnbd.repeat_customers", bgnbd.repeat_customers, formatInteger(bgnbd.repeat_customers, lang), "strong"),
          }),
        );
  return card(
    { title: t(lang, "predicted.trustTitle"), def: t(lang, "predicted.trustDef"), lang, wide: true, id: "trust" },
    h(
      "div",
      { class: "card-note trust" },
      basis,
      holdoutSentence(report, lang),
    ),
    notesBlock(lang, notes, "predicted.notesLead"),
  );
}

// ---- The candidate models ----

const MODEL_NAMES = { bgnbd: "BG/NBD", mbgnbd: "MBG/NBD", pareto_nbd: "Pareto/NBD" };

/** The candidates side by side (holdout error, BIC), why one was chosen, and their fits behind "Model details". */
function candidatesCard(report, ctx) {
  const { lang } = ctx.state;
  const { candidates, chosen, chosen_by: chosenBy } = report.models;
  const name = (model) => MODEL_NAMES[model] ?? model;
  const rows = candidates.map((c, i) => {
    const path = `models.candidates.${i}`;
    const error = c.holdout?.error ?? null;
    return h(
      "tr",
      { data: { model: c.model, chosen: String(c.model === chosen) } },
      h(
        "th",
        { scope: "row" },
        reportValue(`${path}.model`, c.model, name(c.model)),
        c.model === chosen ? h("strong", {}, ` ${t(lang, "predicted.chosenMark")}`) : null,
      ),
      h("td", {}, c.holdout == null ? reportValue(`${path}.holdout`, null, "—") : reportValue(`${path}.holdout.error`, error, error == null ? "—" : formatPercent(error, lang))),
      c.bic == null ? h("td", { class: "note-cell" }, noteValue(`${path}.note`, c.note, lang)) : h("td", {}, reportValue(`${path}.bic`, c.bic, formatDecimal(c.bic, lang, 1))),
    );
  });
  const table = h(
    "table",
    { class: "data-table", id: "candidates-table" },
    h("thead", {}, h("tr", {}, ...["predicted.candidateModel", "predicted.candidateError", "predicted.candidateBic"].map((key) => h("th", { scope: "col" }, t(lang, key))))),
    h("tbody", {}, ...rows),
  );
  const why = h(
    "p",
    { id: "chosen-why" },
    ...tParts(lang, `predicted.chosenBy.${chosenBy}`, {
      model: reportValue("models.chosen", chosen, name(chosen), "strong"),
      how: reportValue("models.chosen_by", chosenBy, t(lang, `predicted.chosenHow.${chosenBy}`)),
    }),
  );
  const details = h(
    "details",
    { id: "candidates-details" },
    h("summary", {}, t(lang, "predicted.candidatesDetails")),
    ...candidates.map((c, i) => {
      const path = `models.candidates.${i}`;
      if (c.params == null) return null;
      const params = Object.entries(c.params).map(([key, value]) =>
        h("span", {}, `${key} `, reportValue(`${path}.params.${key}`, value, param(value, lang)), " "),
      );
      return h(
        "p",
        { data: { model: c.model } },
        h("strong", {}, name(c.model)),
        ": ",
        ...params,
        "· ",
        t(lang, "predicted.logLikelihood"),
        " ",
        reportValue(`${path}.log_likelihood`, c.log_likelihood, formatDecimal(c.log_likelihood, lang, 2)),
        " · ",
        ...tParts(lang, "predicted.convergence", {
          iterations: reportValue(`${path}.convergence.iterations`, c.convergence.iterations, formatInteger(c.convergence.iterations, lang)),
          gradient: reportValue(
            `${path}.convergence.gradient_norm`,
            c.convergence.gradient_norm,
            c.convergence.gradient_norm == null ? "—" : c.convergence.gradient_norm.toExponential(1),
          ),
        }),
      );
    }),
  );
  return card(
    { title: t(lang, "predicted.candidatesTitle"), def: t(lang, "predicted.candidatesDef"), lang, wide: true, id: "candidates" },
    why,
    h("div", { class: "table-scroll" }, table),
    h("p", { class: "muted", id: "candidates-hint" }, t(lang, "predicted.candidatesHint")),
    modelPicker(report, ctx),
    details,
  );
}

/** Which model the predictions use: the holdout's choice ("automatic") or one the user picks; a change recomputes. */
function modelPicker(report, ctx) {
  const { lang } = ctx.state;
  const picked = ctx.state.options?.model ?? "";
  const fitted = new Set(report.models.candidates.filter((c) => c.params != null).map((c) => c.model));
  const option = (value, label) => h("option", { value, selected: value === picked }, label);
  const select = h(
    "select",
    { id: "model-pick" },
    option("", t(lang, "predicted.pickAuto")),
    ...Object.entries(MODEL_NAMES).map(([model, name]) => option(model, fitted.has(model) ? name : t(lang, "predicted.pickNotFitted", { model: name }))),
  );
  const message = h("p", { class: "form-error", role: "alert", id: "model-pick-error" });
  const label = h("label", { class: "field-inline" }, h("span", {}, t(lang, "predicted.pickLabel")), select);
  const form = h("form", { class: "model-form", novalidate: true }, label, message);
  select.addEventListener("change", async () => {
    if (form.getAttribute("aria-busy") === "true") return;
    form.setAttribute("aria-busy", "true");
    message.textContent = "";
    try {
      await ctx.recompute({ model: select.value === "" ? undefined : select.value });
    } catch (error) {
      message.textContent = t(ctx.state.lang, "recompute.failed", { message: error.message });
    } finally {
      form.removeAttribute("aria-busy");
    }
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  return form;
}

/** "Between ¥A and ¥B": the 90 % interval of a total, each end marked as its Report value. */
function between(lang, path, interval, format) {
  return tParts(lang, "predicted.between", {
    low: reportValue(`${path}.low`, interval.low, format(interval.low)),
    high: reportValue(`${path}.high`, interval.high, format(interval.high)),
  });
}

// ---- Totals and the inputs ----

function inputsForm(report, ctx) {
  const { lang } = ctx.state;
  const options = ctx.state.options ?? {};
  const initial = {
    horizon: String(report.models.totals.horizon_days),
    margin: String(Math.round((options.margin ?? 1) * 100 * 1e6) / 1e6),
    discount: String(Math.round((options.annualDiscountRate ?? 0) * 100 * 1e6) / 1e6),
  };
  const input = (key) =>
    h("input", { type: "text", inputmode: key === "horizon" ? "numeric" : "decimal", id: `predict-${key}`, value: initial[key], autocomplete: "off" });
  const inputs = { horizon: input("horizon"), margin: input("margin"), discount: input("discount") };
  const field = (key, hint) =>
    h("label", { class: "field" }, h("span", {}, t(lang, `predicted.${key}`)), inputs[key], h("small", { class: "muted" }, hint));
  const message = h("p", { class: "form-error", role: "alert", id: "predict-error" });
  const apply = h("button", { type: "submit", class: "btn btn-primary btn-small", id: "predict-apply" }, t(lang, "predicted.apply"));
  const form = h(
    "form",
    { class: "predict-form", novalidate: true },
    h(
      "div",
      { class: "fields" },
      field("horizon", t(lang, "predicted.horizonHint")),
      field("margin", t(lang, "predicted.marginHint")),
      field("discount", t(lang, "predicted.discountHint")),
    ),
    h("div", { class: "bands-actions" }, apply),
    message,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const node of Object.values(inputs)) node.removeAttribute("aria-invalid");
    const parsed = parseInputs(Object.fromEntries(Object.entries(inputs).map(([key, node]) => [key, node.value])));
    if (parsed.error) {
      message.textContent = t(lang, parsed.error);
      inputs[parsed.field].setAttribute("aria-invalid", "true");
      return;
    }
    message.textContent = "";
    // Busy, not disabled: a disabled button would drop the keyboard focus.
    if (form.getAttribute("aria-busy") === "true") return;
    form.setAttribute("aria-busy", "true");
    message.textContent = "";
    try {
      await ctx.recompute(parsed.options);
    } catch (error) {
      message.textContent = t(ctx.state.lang, "recompute.failed", { message: error.message });
    } finally {
      form.removeAttribute("aria-busy");
    }
  });
  return form;
}

/** The chance of no purchase above which a customer is on the "likely gone" list. */
const GONE_ABOVE = 0.8;

/** The customers likely gone (chance of no purchase in the horizon above 80 %), one download away. */
function goneList(report, ctx) {
  const { lang } = ctx.state;
  const vars = { days: formatInteger(report.models.totals.horizon_days, lang), percent: `${formatInteger(GONE_ABOVE * 100, lang)}%` };
  const name = t(lang, "predicted.goneListName", vars);
  return h("p", { class: "card-tools", id: "gone-list" }, h("span", {}, t(lang, "predicted.goneList", vars)), " ", downloadButton(ctx, { noPurchaseAbove: GONE_ABOVE }, name));
}

/** The 90 % intervals of the totals, in words. */
function intervalsBlock(report, ctx) {
  const { lang } = ctx.state;
  const intervals = report.models.totals.intervals;
  if (intervals == null) return h("p", { class: "muted", id: "intervals" }, t(lang, "predicted.noIntervals"));
  const money = (value) => formatMoney(value, moneyUnit(report, ctx.state.currencyDisplay), lang);
  const base = "models.totals.intervals";
  const line = (key, path, interval, format) =>
    interval == null ? null : h("li", { data: { interval: key } }, t(lang, `predicted.interval.${key}`), " ", ...between(lang, `${base}.${path}`, interval, format));
  return h(
    "div",
    { class: "card-note", id: "intervals" },
    h(
      "p",
      {},
      ...tParts(lang, "predicted.intervalsLead", {
        draws: reportValue(`${base}.draws`, intervals.draws, formatInteger(intervals.draws, lang)),
      }),
    ),
    h(
      "ul",
      {},
      line("clv", "clv", intervals.clv, money),
      line("purchases", "expected_purchases", intervals.expected_purchases, (v) => purchases(v, lang)),
      line("alive", "mean_p_alive", intervals.mean_p_alive, (v) => formatPercent(v, lang)),
      line("noPurchase", "mean_p_no_purchase", intervals.mean_p_no_purchase, (v) => formatPercent(v, lang)),
    ),
  );
}

function totalsCard(report, ctx) {
  const { lang } = ctx.state;
  const { totals, gamma_gamma: gg } = report.models;
  const horizon = reportValue("models.totals.horizon_days", totals.horizon_days, formatInteger(totals.horizon_days, lang));
  const clv =
    totals.clv == null
      ? figure(
          t(lang, "predicted.clvTotal"),
          reportValue("models.totals.clv", null, t(lang, "predicted.notPredicted"), "div"),
          t(lang, "predicted.noClv"),
        )
      : figure(
          t(lang, "predicted.clvTotal"),
          reportValue("models.totals.clv", totals.clv, formatMoney(totals.clv, moneyUnit(report, ctx.state.currencyDisplay), lang), "div"),
          t(lang, "predicted.clvNote", { value: formatMoney(gg?.population_mean_value, moneyUnit(report, ctx.state.currencyDisplay), lang) }),
        );
  return card(
    { title: t(lang, "predicted.totalsTitle"), def: t(lang, "predicted.totalsDef"), lang, wide: true, id: "totals" },
    h("p", { class: "muted" }, ...tParts(lang, "predicted.horizonLine", { days: horizon })),
    h(
      "div",
      { class: "figures" },
      figure(
        t(lang, "predicted.purchasesTotal"),
        reportValue("models.totals.expected_purchases", totals.expected_purchases, purchases(totals.expected_purchases, lang), "div"),
        t(lang, "predicted.purchasesNote", { customers: formatInteger(report.kpis.customers, lang) }),
      ),
      clv,
      figure(
        t(lang, "predicted.meanAlive"),
        reportValue("models.totals.mean_p_alive", totals.mean_p_alive, formatPercent(totals.mean_p_alive, lang), "div"),
        t(lang, "predicted.meanAliveNote"),
      ),
      figure(
        t(lang, "predicted.meanNoPurchase"),
        reportValue("models.totals.mean_p_no_purchase", totals.mean_p_no_purchase, formatPercent(totals.mean_p_no_purchase, lang), "div"),
        t(lang, "predicted.meanNoPurchaseNote"),
      ),
    ),
    intervalsBlock(report, ctx),
    goneList(report, ctx),
    h("h4", {}, t(lang, "predicted.inputsTitle")),
    inputsForm(report, ctx),
  );
}

// ---- P(alive) distribution ----

function renderAlive(report, el, lang) {
  const bins = report.models.p_alive_histogram;
  const axis = axisStyle();
  draw(el, {
    ...baseOption(),
    grid: { left: 8, right: 12, top: 28, bottom: 30, containLabel: true },
    xAxis: {
      type: "category",
      data: bins.map((_, i) => binName(i)),
      name: t(lang, "predicted.pAlive"),
      nameLocation: "middle",
      nameGap: 30,
      nameTextStyle: { color: COLORS.muted },
      ...axis,
      axisLabel: { color: COLORS.muted, hideOverlap: true },
    },
    yAxis: countAxis(t(lang, "predicted.customers")),
    series: [
      {
        type: "bar",
        name: t(lang, "predicted.customers"),
        barCategoryGap: "18%",
        itemStyle: { color: PREDICTED_COLOR, borderRadius: [3, 3, 0, 0] },
        data: bins,
        tooltip: { valueFormatter: (value) => formatInteger(value, lang) },
      },
    ],
  });
}

function aliveCard(report, lang) {
  const bins = report.models.p_alive_histogram;
  const chart = chartBox(t(lang, "predicted.aliveTitle"));
  const total = bins.reduce((sum, n) => sum + n, 0);
  const rows = bins.map((n, i) => [
    binName(i),
    reportCell(`models.p_alive_histogram.${i}`, n, formatInteger(n, lang)),
    total > 0 ? formatPercent(n / total, lang) : "—",
  ]);
  const section = card(
    { title: t(lang, "predicted.aliveTitle"), def: t(lang, "predicted.aliveDef"), lang, id: "p-alive" },
    chart,
    numbers(lang, dataTable([t(lang, "predicted.pAlive"), t(lang, "predicted.customers"), t(lang, "predicted.share")], rows, t(lang, "predicted.aliveTitle"))),
  );
  return { section, draw: () => renderAlive(report, chart, lang) };
}

// ---- By segment ----

function renderSegments(report, el, lang, metric, unit) {
  const values = report.models.by_segment;
  const money = (value) => formatMoney(value, unit, lang);
  const format = metric === "clv" ? money : (value) => purchases(value, lang);
  // One style for the axis and the bars' labels, from the largest amount (see moneyScale).
  const chartMoney = moneyScale(Math.max(0, ...values.map((s) => Math.abs(s.clv ?? 0))), unit, lang);
  const axis = axisStyle();
  const names = values.map((s) => segmentName(lang, s.key));
  // The segment names are measured here: ECharts' own label fitting cut the longest one short.
  draw(el, {
    ...baseOption(),
    grid: { left: textWidth(names) + 16, right: 64, top: 8, bottom: 28 },
    xAxis: {
      type: "value",
      ...axis,
      axisLabel: {
        color: COLORS.muted,
        hideOverlap: true,
        formatter: (value) => (metric === "clv" ? chartMoney(value) : formatInteger(value, lang)),
      },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: names,
      ...axis,
      axisLabel: { color: COLORS.text, fontSize: 12 },
    },
    series: [
      {
        type: "bar",
        name: t(lang, metric === "clv" ? "predicted.clv" : "predicted.expectedPurchases"),
        barMaxWidth: 22,
        itemStyle: { color: metric === "clv" ? "#1f4fbf" : PREDICTED_COLOR, borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: "right", color: COLORS.text, formatter: ({ value }) => (metric === "clv" ? chartMoney(value) : purchases(value, lang)) },
        data: values.map((s) => s[metric] ?? 0),
        tooltip: { valueFormatter: format },
      },
    ],
  });
}

function metricToggle(ctx, onChange) {
  const { lang } = ctx.state;
  const current = ctx.state.predictedMetric ?? "clv";
  const option = (value) => {
    const input = h("input", { type: "radio", name: "predicted-metric", value, checked: value === current });
    input.addEventListener("change", () => {
      ctx.state.predictedMetric = value;
      onChange(value);
    });
    return h("label", {}, input, h("span", {}, t(lang, value === "clv" ? "predicted.clv" : "predicted.expectedPurchases")));
  };
  return h("fieldset", { class: "segmented" }, h("legend", {}, t(lang, "predicted.show")), option("expected_purchases"), option("clv"));
}

function segmentsCard(report, ctx) {
  const { lang } = ctx.state;
  const values = report.models.by_segment;
  const hasClv = report.models.totals.clv != null;
  const chart = chartBox(t(lang, "predicted.segmentsTitle"), "chart chart-segments");
  const metric = () => (hasClv ? (ctx.state.predictedMetric ?? "clv") : "expected_purchases");
  const money = (value) => formatMoney(value, moneyUnit(report, ctx.state.currencyDisplay), lang);
  const rows = values.map((s, i) => [
    reportCell(`models.by_segment.${i}.key`, s.key, segmentName(lang, s.key)),
    reportCell(`models.by_segment.${i}.customers`, s.customers, formatInteger(s.customers, lang)),
    reportCell(`models.by_segment.${i}.mean_p_alive`, s.mean_p_alive, formatPercent(s.mean_p_alive, lang)),
    reportCell(`models.by_segment.${i}.expected_purchases`, s.expected_purchases, purchases(s.expected_purchases, lang)),
    reportCell(`models.by_segment.${i}.clv`, s.clv, money(s.clv)),
    s.clv != null && s.customers > 0 ? money(s.clv / s.customers) : "—",
  ]);
  const headers = ["predicted.segment", "predicted.customers", "predicted.meanAliveShort", "predicted.expectedPurchases", "predicted.clv", "predicted.clvPerCustomer"].map((k) => t(lang, k));
  const section = card(
    { title: t(lang, "predicted.segmentsTitle"), def: t(lang, "predicted.segmentsDef"), lang, id: "by-segment" },
    hasClv ? h("div", { class: "card-tools" }, metricToggle(ctx, (value) => renderSegments(report, chart, lang, value, moneyUnit(report, ctx.state.currencyDisplay)))) : null,
    chart,
    numbers(lang, dataTable(headers, rows, t(lang, "predicted.segmentsTitle"))),
  );
  return { section, draw: () => renderSegments(report, chart, lang, metric(), moneyUnit(report, ctx.state.currencyDisplay)) };
}

// ---- Top customers by CLV ----

// The worker's rows for a Report, asked for once (a language switch re-renders with the same Report).
const topRows = new WeakMap();

function topTable(report, rows, lang, unit) {
  const money = (value) => formatMoney(value, unit, lang);
  const text = (value) => (value == null || value === "" ? "—" : value);
  const cell = (field, raw, shown, title = null) => ({ text: shown, attrs: { "data-field": field, "data-value": JSON.stringify(raw), title } });
  // Name and CLV first (what a phone shows without scrolling), the identifiers after the numbers.
  const columns = [
    ["predicted.rank", (row, i) => formatInteger(i + 1, lang)],
    ["predicted.name", (row) => cell("name", row.name, text(row.name)), "text"],
    ["predicted.clv", (row) => cell("clv", row.clv, money(row.clv))],
    ["predicted.clvRange", (row) => cell("clv_range", [row.clv_low, row.clv_high], row.clv_low == null ? "—" : t(lang, "predicted.range", { low: money(row.clv_low), high: money(row.clv_high) }))],
    ["predicted.expectedPurchases", (row) => cell("expected_purchases", row.expected_purchases, purchases(row.expected_purchases, lang, 2))],
    ["predicted.pAlive", (row) => cell("p_alive", row.p_alive, formatPercent(row.p_alive, lang))],
    ["predicted.expectedValue", (row) => cell("expected_value", row.expected_value, money(row.expected_value))],
    ["predicted.customerKey", (row) => cell("customer_key", row.customer_key, row.customer_key, row.customer_key), "text"],
    ["predicted.email", (row) => cell("email", row.email, text(row.email), row.email), "text"],
    ["predicted.segment", (row) => cell("segment", row.segment, segmentName(lang, row.segment)), "text"],
  ];
  const body = rows.map((row, i) => columns.map(([, show]) => show(row, i)));
  const table = dataTable(columns.map(([key]) => t(lang, key)), body, t(lang, "predicted.topTitle", { n: rows.length }));
  table.classList.add("top-table");
  table.querySelectorAll("thead th").forEach((th, i) => {
    if (columns[i][2]) th.classList.add(columns[i][2]);
  });
  return table;
}

function topCard(report, ctx) {
  const { lang } = ctx.state;
  const hasClv = report.models.totals.clv != null;
  const slot = h("div", { class: "table-wrap", tabindex: "0", id: "top-clv", data: { state: hasClv ? "loading" : "none" } });
  const listName = t(lang, "predicted.topListName", { n: TOP_LIST });
  const count = hasClv ? Math.min(TOP_LIST, report.kpis.customers) : 0;
  if (!hasClv) {
    slot.append(h("p", { class: "card-note" }, t(lang, "predicted.topNoClv")));
  } else {
    slot.append(h("p", { class: "muted" }, t(lang, "predicted.topLoading")));
    if (!topRows.has(report)) topRows.set(report, ctx.customers({ topClv: TOP_SHOWN }));
    topRows.get(report).then(
      (rows) => {
        slot.replaceChildren(rows.length === 0 ? h("p", { class: "card-note" }, t(lang, "predicted.topNoClv")) : topTable(report, rows, lang, moneyUnit(report, ctx.state.currencyDisplay)));
        slot.dataset.state = "ready";
      },
      (error) => {
        topRows.delete(report);
        slot.replaceChildren(h("p", { class: "form-error" }, t(lang, "predicted.topFailed", { message: error.message })));
        slot.dataset.state = "error";
      },
    );
  }
  return card(
    { title: t(lang, "predicted.topTitle", { n: TOP_SHOWN }), def: t(lang, "predicted.topDef"), lang, wide: true, id: "top" },
    h("p", { class: "card-note" }, t(lang, "predicted.topIntro")),
    h("div", { class: "card-tools" }, downloadButton(ctx, { topClv: TOP_LIST }, listName, count), encodingPicker(ctx)),
    slot,
  );
}

// ---- The holdout check ----

function renderByFrequency(report, el, lang) {
  const rows = report.models.holdout.by_frequency;
  const axis = axisStyle();
  const format = (value) => formatDecimal(value, lang, 2);
  const base = baseOption();
  draw(el, {
    ...base,
    tooltip: {
      ...base.tooltip,
      // The tooltip is HTML; every part is ours (numbers, our strings), escaped anyway.
      formatter: (items) => {
        const row = rows[items[0].dataIndex];
        const head = t(lang, "predicted.tipFrequency", { x: row.x >= 7 ? "7+" : String(row.x), customers: formatInteger(row.customers, lang) });
        return [head, ...items.map((item) => `${item.seriesName}: ${format(item.value)}`)].map(escapeHtml).join("<br>");
      },
    },
    // The legend on its own line above the axis name, so that neither covers the other on a phone.
    legend: { top: 0, right: 0, icon: "roundRect", itemWidth: 12, itemHeight: 12, textStyle: { color: COLORS.text } },
    grid: { left: 8, right: 12, top: 56, bottom: 30, containLabel: true },
    xAxis: {
      type: "category",
      data: rows.map((row) => (row.x >= 7 ? "7+" : String(row.x))),
      name: t(lang, "predicted.calibrationX"),
      nameLocation: "middle",
      nameGap: 30,
      nameTextStyle: { color: COLORS.muted },
      ...axis,
      axisLabel: { color: COLORS.text },
    },
    yAxis: {
      type: "value",
      name: t(lang, "predicted.perCustomer"),
      nameTextStyle: { color: COLORS.muted, align: "left" },
      ...axis,
      axisLine: { show: false },
    },
    series: [
      ["actual", ACTUAL_COLOR],
      ["predicted", PREDICTED_COLOR],
    ].map(([field, color]) => ({
      type: "bar",
      name: t(lang, field === "actual" ? "predicted.actual" : "predicted.predicted"),
      barMaxWidth: 28,
      itemStyle: { color, borderRadius: [3, 3, 0, 0] },
      data: rows.map((row) => row[field]),
      tooltip: { valueFormatter: format },
    })),
  });
}

function renderTracking(report, el, lang) {
  const points = report.models.holdout.tracking;
  const axis = axisStyle();
  const format = (value) => formatDecimal(value, lang, 0);
  draw(el, {
    ...baseOption(),
    tooltip: { ...baseOption().tooltip, axisPointer: { type: "line" } },
    legend: { top: 0, right: 0, icon: "roundRect", itemWidth: 12, itemHeight: 4, textStyle: { color: COLORS.text } },
    grid: { left: 8, right: 16, top: 56, bottom: 30, containLabel: true },
    xAxis: {
      type: "value",
      min: 0,
      max: points.length > 0 ? points.at(-1).day : 1,
      name: t(lang, "predicted.daysAfterSplit"),
      nameLocation: "middle",
      nameGap: 30,
      nameTextStyle: { color: COLORS.muted },
      ...axis,
      splitLine: { show: false },
    },
    yAxis: {
      type: "value",
      name: t(lang, "predicted.cumulative"),
      nameTextStyle: { color: COLORS.muted, align: "left" },
      ...axis,
      axisLine: { show: false },
    },
    series: [
      ["actual", ACTUAL_COLOR, "solid"],
      ["expected", PREDICTED_COLOR, "dashed"],
    ].map(([field, color, type]) => ({
      type: "line",
      name: t(lang, field === "actual" ? "predicted.actual" : "predicted.predicted"),
      data: [[0, 0], ...points.map((p) => [p.day, p[field]])],
      showSymbol: false,
      color,
      lineStyle: { width: 2.2, type },
      tooltip: { valueFormatter: format },
    })),
  });
}

function splitForm(report, ctx) {
  const { lang } = ctx.state;
  const holdout = report.models.holdout;
  const latest = addDays(report.as_of, -1);
  const earliest = report.cohorts.length > 0 ? `${report.cohorts[0].cohort}-01` : null;
  const input = h("input", { type: "date", id: "holdout-split", value: holdout?.split ?? "", max: latest, min: earliest, required: true });
  const message = h("p", { class: "form-error", role: "alert", id: "holdout-error" });
  const apply = h("button", { type: "submit", class: "btn btn-primary btn-small", id: "holdout-apply" }, t(lang, "predicted.splitApply"));
  const chosen = ctx.state.options?.holdoutSplit != null;
  const reset = chosen ? h("button", { type: "button", class: "btn btn-small", id: "holdout-reset" }, t(lang, "predicted.splitReset")) : null;
  const form = h(
    "form",
    { class: "split-form", novalidate: true },
    h("label", { class: "field-inline" }, h("span", {}, t(lang, "predicted.splitLabel")), input),
    apply,
    reset,
    message,
  );
  const run = async (split) => {
    if (form.getAttribute("aria-busy") === "true") return;
    form.setAttribute("aria-busy", "true");
    try {
      await ctx.recompute({ holdoutSplit: split });
    } catch (error) {
      message.textContent = t(ctx.state.lang, "recompute.failed", { message: error.message });
    } finally {
      form.removeAttribute("aria-busy");
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    input.removeAttribute("aria-invalid");
    const split = input.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(split) || split >= report.as_of) {
      message.textContent = t(lang, "predicted.badSplit", { latest: formatDate(latest, lang) });
      input.setAttribute("aria-invalid", "true");
      return;
    }
    message.textContent = "";
    run(split);
  });
  reset?.addEventListener("click", () => run(undefined));
  return form;
}

function holdoutCard(report, ctx) {
  const { lang } = ctx.state;
  const holdout = report.models.holdout;
  const charts = [];
  const children = [splitForm(report, ctx)];
  if (holdout == null) {
    children.push(h("p", { class: "card-note" }, t(lang, "predicted.holdoutNone")));
  } else if (holdout.note != null) {
    children.push(
      h(
        "p",
        { class: "card-note" },
        t(lang, "predicted.holdoutRefused", { split: formatDate(holdout.split, lang) }),
        lang === "ja" ? "" : " ",
        noteValue("models.holdout.note", holdout.note, lang),
      ),
    );
  } else {
    const byFrequency = chartBox(t(lang, "predicted.byFrequencyTitle"));
    const tracking = chartBox(t(lang, "predicted.trackingTitle"));
    charts.push(() => renderByFrequency(report, byFrequency, lang), () => renderTracking(report, tracking, lang));
    children.push(
      h(
        "p",
        { class: "muted" },
        ...tParts(lang, "predicted.holdoutLine", {
          split: reportValue("models.holdout.split", holdout.split, formatDate(holdout.split, lang)),
          days: reportValue("models.holdout.holdout_days", holdout.holdout_days, formatInteger(holdout.holdout_days, lang)),
          customers: reportValue("models.holdout.calibration_customers", holdout.calibration_customers, formatInteger(holdout.calibration_customers, lang)),
          predicted: reportValue("models.holdout.predicted_purchases", holdout.predicted_purchases, formatDecimal(holdout.predicted_purchases, lang, 0)),
          actual: reportValue("models.holdout.actual_purchases", holdout.actual_purchases, formatDecimal(holdout.actual_purchases, lang, 0)),
        }),
      ),
      h(
        "div",
        { class: "holdout-charts" },
        h("div", {}, h("h4", {}, t(lang, "predicted.byFrequencyTitle")), byFrequency),
        h("div", {}, h("h4", {}, t(lang, "predicted.trackingTitle")), tracking),
      ),
    );
    const count = (value) => formatInteger(value, lang);
    const mean = (value) => formatDecimal(value, lang, 2);
    const freqRows = holdout.by_frequency.map((row, i) => [
      reportCell(`models.holdout.by_frequency.${i}.x`, row.x, row.x >= 7 ? "7+" : String(row.x)),
      reportCell(`models.holdout.by_frequency.${i}.customers`, row.customers, count(row.customers)),
      reportCell(`models.holdout.by_frequency.${i}.actual`, row.actual, mean(row.actual)),
      reportCell(`models.holdout.by_frequency.${i}.predicted`, row.predicted, mean(row.predicted)),
    ]);
    const trackRows = holdout.tracking.map((point, i) => [
      reportCell(`models.holdout.tracking.${i}.day`, point.day, count(point.day)),
      formatDate(addDays(holdout.split, point.day), lang),
      reportCell(`models.holdout.tracking.${i}.actual`, point.actual, formatDecimal(point.actual, lang, 0)),
      reportCell(`models.holdout.tracking.${i}.expected`, point.expected, formatDecimal(point.expected, lang, 1)),
    ]);
    children.push(
      numbers(
        lang,
        h(
          "div",
          {},
          dataTable(["predicted.calibrationX", "predicted.customers", "predicted.actualMean", "predicted.predictedMean"].map((k) => t(lang, k)), freqRows, t(lang, "predicted.byFrequencyTitle")),
          dataTable(["predicted.daysAfterSplit", "predicted.date", "predicted.actualCum", "predicted.expectedCum"].map((k) => t(lang, k)), trackRows, t(lang, "predicted.trackingTitle")),
        ),
      ),
    );
  }
  const section = card({ title: t(lang, "predicted.holdoutTitle"), def: t(lang, "predicted.holdoutDef"), lang, wide: true, id: "holdout" }, ...children);
  return { section, draw: () => charts.forEach((drawChart) => drawChart()) };
}

// ---- Model details ----

function detailsCard(report, lang, currency) {
  const { bgnbd, gamma_gamma: gg, time_unit: unit } = report.models;
  const unitText = reportValue("models.time_unit", unit, t(lang, `predicted.unit.${unit}`));
  const paramRow = (path, label, meaning, value, se) => [
    label,
    reportCell(`${path}`, value, param(value, lang)),
    se === undefined ? "" : reportCell(se.path, se.value, param(se.value, lang)),
    { text: meaning, attrs: { class: "param-meaning" } },
  ];
  const headers = ["predicted.parameter", "predicted.estimate", "predicted.se", "predicted.meaning"].map((k) => t(lang, k));
  const bgRows = (bgnbd == null ? [] : ["r", "alpha", "a", "b"]).map((name) =>
    paramRow(`models.bgnbd.${name}`, t(lang, `predicted.p.${name}`), t(lang, `predicted.m.${name}`, { unit: t(lang, `predicted.unit.${unit}`) }), bgnbd[name], {
      path: `models.bgnbd.se.${name}`,
      value: bgnbd.se[name],
    }),
  );
  const fitFacts = (items) =>
    h(
      "dl",
      { class: "fit-facts" },
      items.map(([label, node]) => h("div", {}, h("dt", {}, label), h("dd", {}, node))),
    );
  const bgFacts = bgnbd == null ? null : fitFacts([
    [t(lang, "predicted.logLikelihood"), reportValue("models.bgnbd.log_likelihood", bgnbd.log_likelihood, formatDecimal(bgnbd.log_likelihood, lang, 1))],
    [t(lang, "predicted.fittedCustomers"), reportValue("models.bgnbd.customers", bgnbd.customers, formatInteger(bgnbd.customers, lang))],
    [t(lang, "predicted.repeatCustomers"), reportValue("models.bgnbd.repeat_customers", bgnbd.repeat_customers, formatInteger(bgnbd.repeat_customers, lang))],
    [t(lang, "predicted.timeUnit"), unitText],
  ]);
  let ggPart;
  if (gg == null) {
    ggPart = h("p", { class: "card-note" }, reportValue("models.gamma_gamma", null, t(lang, "predicted.ggNotFitted")));
  } else {
    const ggRows = ["p", "q", "gamma"].map((name) =>
      paramRow(`models.gamma_gamma.${name}`, t(lang, `predicted.p.${name}`), t(lang, `predicted.m.${name}`), gg[name], { path: `models.gamma_gamma.se.${name}`, value: gg.se[name] }),
    );
    ggPart = h(
      "div",
      {},
      h("div", { class: "table-wrap", tabindex: "0" }, dataTable(headers, ggRows, t(lang, "predicted.ggTitle"))),
      fitFacts([
        [t(lang, "predicted.logLikelihood"), reportValue("models.gamma_gamma.log_likelihood", gg.log_likelihood, formatDecimal(gg.log_likelihood, lang, 1))],
        [t(lang, "predicted.ggCustomers"), reportValue("models.gamma_gamma.customers", gg.customers, formatInteger(gg.customers, lang))],
        [t(lang, "predicted.correlation"), reportValue("models.gamma_gamma.spend_frequency_correlation", gg.spend_frequency_correlation, formatDecimal(gg.spend_frequency_correlation, lang, 3))],
        [t(lang, "predicted.populationMean"), reportValue("models.gamma_gamma.population_mean_value", gg.population_mean_value, formatMoney(gg.population_mean_value, currency, lang))],
      ]),
    );
  }
  return card(
    { title: t(lang, "predicted.detailsTitle"), def: t(lang, "predicted.detailsDef"), lang, wide: true, id: "model-details" },
    h(
      "details",
      { class: "numbers model-details" },
      h("summary", {}, t(lang, "predicted.detailsShow")),
      h("h4", {}, t(lang, "predicted.bgTitle")),
      bgnbd == null
        ? h("p", { class: "card-note" }, reportValue("models.bgnbd", null, t(lang, "predicted.bgNotFitted")))
        : h("div", { class: "table-wrap", tabindex: "0" }, dataTable(headers, bgRows, t(lang, "predicted.bgTitle"))),
      bgFacts,
      h("h4", {}, t(lang, "predicted.ggTitle")),
      ggPart,
    ),
  );
}

// ---- No fit ----

function refusedCard(report, lang) {
  const { notes } = report.models;
  return card(
    { title: t(lang, "predicted.refusedTitle"), def: t(lang, "predicted.trustDef"), lang, wide: true, id: "refused" },
    h("p", { class: "card-note" }, t(lang, "predicted.refusedIntro")),
    notesBlock(lang, notes, "predicted.refusedLead"),
  );
}

/** Whether the view has anything to show: its tab is hidden when the models were not requested (`models: false`). */
export function shown(report) {
  return report.models !== null;
}

export function mount(panel) {
  panel.classList.add("view-grid");
}

export function render(report, ctx, panel) {
  const { lang } = ctx.state;
  const models = report.models;
  // Without a chosen model (none could be fitted) there is nothing to predict with.
  if (models.totals == null) {
    panel.replaceChildren(refusedCard(report, lang));
    return;
  }
  const alive = aliveCard(report, lang);
  const segments = segmentsCard(report, ctx);
  const holdout = holdoutCard(report, ctx);
  panel.replaceChildren(
    trustCard(report, lang),
    candidatesCard(report, ctx),
    totalsCard(report, ctx),
    alive.section,
    segments.section,
    topCard(report, ctx),
    holdout.section,
    detailsCard(report, lang, moneyUnit(report, ctx.state.currencyDisplay)),
  );
  alive.draw();
  segments.draw();
  holdout.draw();
}

export const strings = {
  en: {
    "predicted.tab": "Predicted value",
    "predicted.trustTitle": "How far to trust these predictions",
    "predicted.trustDef": "Purchases are predicted with one of three models, named in \"Which model\" below: BG/NBD (Fader, Hardie & Lee 2005), MBG/NBD (Batislam, Denizel & Filiztekin 2007) or Pareto/NBD (Schmittlein, Morrison & Colombo 1987). In each, a customer buys at their own steady rate until they quietly stop; under MBG/NBD and Pareto/NBD a customer who bought once may also have stopped. Spend per purchase is predicted with the Gamma-Gamma model (Fader & Hardie 2013). Both are fitted to your own customers' histories: how many times they bought, when they first and last bought. To check them, the same model is fitted on the orders up to a split date only and its prediction for the days after it is compared with what really happened.",
    "predicted.trustBasis": "These predictions rest on {customers} customers, {repeaters} of whom bought on more than one day; the repeat buyers are what the model learns from.",
    "predicted.trustHoldoutHigh": "Tested on the past: fitted on the orders up to {split} only, the model expected {predicted} purchases in the next {days} days from those customers, and {actual} happened: {error} too high.",
    "predicted.trustHoldoutLow": "Tested on the past: fitted on the orders up to {split} only, the model expected {predicted} purchases in the next {days} days from those customers, and {actual} happened: {error} too low.",
    "predicted.trustHoldoutNoActual": "Tested on the past: fitted on the orders up to {split} only, the model expected {predicted} purchases in the next {days} days from those customers, and {actual} happened, so its error cannot be put as a share.",
    "predicted.verdictClose": "That is close: the totals are good enough for planning.",
    "predicted.verdictRough": "That is roughly right: treat the totals as a rough guide.",
    "predicted.verdictFar": "That is far off: use the predictions to rank customers against each other, not as a sales forecast.",
    "predicted.trustNoHoldout": "The history is too short to test the predictions on a held-out period, so treat them with care.",
    "predicted.trustHoldoutRefused": "The predictions could not be tested on the past:",
    "predicted.notesLead": "Notes from the model:",
    "predicted.refusedTitle": "Predicted value",
    "predicted.refusedIntro": "The data cannot support a prediction yet, so none is shown rather than numbers that would mislead.",
    "predicted.refusedLead": "What is missing:",

    "predicted.totalsTitle": "What your customers are expected to bring",
    "predicted.totalsDef": "Summed over every customer. Expected purchases: purchase occasions (a customer's orders on one day are one) each customer is expected to make in the horizon, by the model in use. Predicted CLV: expected purchases × the expected value of a purchase (Gamma-Gamma; for a customer who bought once, the average of all customers) × gross margin, discounted by the annual rate when one is set. P(alive): the chance that a customer has not quietly stopped buying.",
    "predicted.horizonLine": "For the next {days} days",
    "predicted.purchasesTotal": "Expected purchases",
    "predicted.purchasesNote": "From your {customers} customers",
    "predicted.clvTotal": "Predicted CLV",
    "predicted.clvNote": "A new customer's purchase is expected to be worth {value}",
    "predicted.notPredicted": "Not predicted",
    "predicted.noClv": "Spend could not be modelled (see the notes above), so there is no CLV; purchases are still predicted.",
    "predicted.meanAlive": "Average P(alive)",
    "predicted.meanAliveNote": "The average chance a customer is still buying",
    "predicted.inputsTitle": "Change the horizon, margin or discount rate",
    "predicted.horizon": "Horizon (days)",
    "predicted.horizonHint": "1 to 3650; 365 is one year",
    "predicted.margin": "Gross margin (%)",
    "predicted.marginHint": "Above 0, at most 100; CLV × margin",
    "predicted.discount": "Annual discount rate (%)",
    "predicted.discountHint": "0 or more; later purchases count for less",
    "predicted.apply": "Recompute",
    "predicted.badHorizon": "The horizon must be a whole number of days from 1 to 3650.",
    "predicted.badMargin": "The gross margin must be a percentage above 0 and at most 100 (for example 40).",
    "predicted.badDiscount": "The discount rate must be a percentage of 0 or more (for example 10).",

    "predicted.aliveTitle": "Customers by P(alive)",
    "predicted.aliveDef": "P(alive) is the model's chance that a customer is still a customer: high for those who bought recently given how often they buy, low for frequent buyers who have gone quiet. A customer who bought only once has P(alive) 100% under BG/NBD (they can only stop right after a repeat purchase), so they are all in the last bar; their expected purchases are still low. Bins of 10 points; the last includes 100%.",
    "predicted.pAlive": "P(alive)",
    "predicted.customers": "Customers",
    "predicted.share": "Share of customers",

    "predicted.segmentsTitle": "Expected purchases and CLV by segment",
    "predicted.segmentsDef": "The predictions summed over the customers of each RFM segment (see the Segments view), with the segment's average P(alive).",
    "predicted.show": "Show",
    "predicted.segment": "Segment",
    "predicted.meanAliveShort": "Average P(alive)",
    "predicted.expectedPurchases": "Expected purchases",
    "predicted.clv": "Predicted CLV",
    "predicted.clvPerCustomer": "CLV per customer",

    "predicted.topTitle": "Top {n} customers by predicted CLV",
    "predicted.topDef": "The customers with the highest predicted CLV for the horizon, margin and discount rate above. Expected value: what one of their purchases is expected to be worth.",
    "predicted.topIntro": "Your most valuable customers from here on: thank them, look after them first. The list of the top 100 downloads as CSV with every customer-list column.",
    "predicted.topListName": "Top {n} by predicted CLV",
    "predicted.topLoading": "Loading the customers…",
    "predicted.topNoClv": "Customers cannot be ranked by CLV because spend could not be modelled (see the notes above).",
    "predicted.topFailed": "The customers could not be listed: {message}",
    "predicted.rank": "#",
    "predicted.customerKey": "Customer",
    "predicted.name": "Name",
    "predicted.email": "E-mail",
    "predicted.expectedValue": "Expected value",

    "predicted.holdoutTitle": "Holdout check: predicted against what happened",
    "predicted.holdoutDef": "The model is fitted again on the orders up to the split date only (the customers whose first purchase is on or before it), and its expectations for the days after the split are compared with their real purchases. Left: average purchases after the split per customer, by how many repeat purchases the customer had made before it (7+ = 7 or more). Right: cumulative purchases after the split, week by week. Bars and lines close together mean the model describes your customers well.",
    "predicted.splitLabel": "Split date",
    "predicted.splitApply": "Check",
    "predicted.splitReset": "Back to the default",
    "predicted.badSplit": "Choose a split date on or before {latest}, so that there is a period to check against.",
    "predicted.holdoutLine": "Fitted on the orders up to {split}; checked over the {days} days after it, on {customers} customers: {predicted} purchases expected, {actual} made.",
    "predicted.holdoutNone": "The history is too short to hold part of it out. Try an earlier split date.",
    "predicted.holdoutRefused": "With the split on {split}, the check cannot be made:",
    "predicted.byFrequencyTitle": "Purchases after the split by repeat purchases before it",
    "predicted.trackingTitle": "Cumulative purchases after the split",
    "predicted.calibrationX": "Repeat purchases before the split",
    "predicted.perCustomer": "Purchases per customer",
    "predicted.tipFrequency": "{x} repeat purchases before the split · {customers} customers",
    "predicted.daysAfterSplit": "Days after the split",
    "predicted.cumulative": "Purchases",
    "predicted.actual": "Actual",
    "predicted.predicted": "Predicted",
    "predicted.actualMean": "Actual per customer",
    "predicted.predictedMean": "Predicted per customer",
    "predicted.date": "Up to",
    "predicted.actualCum": "Actual (cumulative)",
    "predicted.expectedCum": "Predicted (cumulative)",

    "predicted.detailsTitle": "Model details",
    "predicted.detailsDef": "Maximum-likelihood estimates with standard errors from the Hessian of the log-likelihood (a dash where it cannot be inverted). For analysts and for comparing with other tools.",
    "predicted.detailsShow": "Show the parameters",
    "predicted.bgTitle": "BG/NBD (purchases)",
    "predicted.ggTitle": "Gamma-Gamma (spend per purchase)",
    "predicted.parameter": "Parameter",
    "predicted.estimate": "Estimate",
    "predicted.se": "Standard error",
    "predicted.meaning": "Meaning",
    "predicted.p.r": "r",
    "predicted.p.alpha": "α",
    "predicted.p.a": "a",
    "predicted.p.b": "b",
    "predicted.p.p": "p",
    "predicted.p.q": "q",
    "predicted.p.gamma": "γ",
    "predicted.m.r": "Shape of the purchase rates (Gamma r, α)",
    "predicted.m.alpha": "Scale of the purchase rates, in {unit}s; r/α is the mean rate",
    "predicted.m.a": "Chance of stopping after a purchase (Beta a, b)",
    "predicted.m.b": "a/(a+b) is the mean chance of stopping",
    "predicted.m.p": "Shape of a purchase's value",
    "predicted.m.q": "Shape of the customers' value scales",
    "predicted.m.gamma": "Scale of the customers' value scales",
    "predicted.logLikelihood": "Log-likelihood",
    "predicted.fittedCustomers": "Customers fitted",
    "predicted.repeatCustomers": "With a repeat purchase",
    "predicted.timeUnit": "Time unit",
    "predicted.unit.day": "day",
    "predicted.unit.week": "week",
    "predicted.ggNotFitted": "Not fitted (see the notes at the top).",
    "predicted.candidatesTitle": "Which model",
    "predicted.goneList": "Customers whose chance of no purchase in the next {days} days is above {percent}: a list to win back.",
    "predicted.goneListName": "Likely gone (chance of no purchase above {percent})",
    "predicted.pickLabel": "Predict with",
    "predicted.pickAuto": "The model chosen by the holdout check",
    "predicted.pickNotFitted": "{model} (could not be fitted)",
    "predicted.trustBasisCustomers": "These predictions rest on the purchase histories of {customers} customers.",
    "predicted.bgNotFitted": "Not fitted (see the notes at the top).",
    "predicted.candidatesDef": "Three models of repeat purchasing are fitted to the same histories. Each is refitted on the history up to the holdout split and set against the purchases made after it; the one that came closest is used, unless you pick one. BIC weighs the fit against the number of parameters (lower is better).",
    "predicted.candidateModel": "Model",
    "predicted.candidateError": "Holdout error",
    "predicted.candidateBic": "BIC",
    "predicted.chosenMark": "(used)",
    "predicted.chosenBy.holdout": "The predictions use {model}: it had the {how}.",
    "predicted.chosenBy.bic": "The predictions use {model}: with no holdout period to compare, it has the {how}.",
    "predicted.chosenBy.user": "The predictions use {model}, {how}.",
    "predicted.chosenHow.holdout": "lowest holdout error",
    "predicted.chosenHow.bic": "lowest BIC",
    "predicted.chosenHow.user": "the model you picked",
    "predicted.candidatesDetails": "Each model's parameters and how its fit ended",
    "predicted.candidatesHint": "Lower is better in both columns. Holdout error: how far the model's forecast of the purchases after the split date was from what happened. BIC: how well it fits the whole history, with a penalty for every parameter.",
    "predicted.clvRange": "CLV, 90 % range",
    "predicted.range": "{low}–{high}",
    "predicted.convergence": "{iterations} likelihood evaluations, largest gradient {gradient}",
    "predicted.meanNoPurchase": "Mean chance of no purchase",
    "predicted.meanNoPurchaseNote": "in the horizon, per customer: how likely they are gone",
    "predicted.noIntervals": "These predictions have no interval (see the notes).",
    "predicted.intervalsLead": "How sure: 90 % intervals from {draws} draws of the model's parameters.",
    "predicted.between": "between {low} and {high}",
    "predicted.interval.clv": "Predicted CLV:",
    "predicted.interval.purchases": "Expected purchases:",
    "predicted.interval.alive": "Average P(alive):",
    "predicted.interval.noPurchase": "Mean chance of no purchase:",
    "predicted.ggCustomers": "Customers fitted (a repeat purchase, spend above 0)",
    "predicted.correlation": "Spend / frequency correlation",
    "predicted.populationMean": "Population mean value of a purchase",
  },
  ja: {
    "predicted.tab": "予測LTV",
    "predicted.trustTitle": "この予測をどこまで信頼できるか",
    "predicted.candidatesTitle": "どのモデルを使うか",
    "predicted.goneList": "今後{days}日間に購入しない確率が{percent}を超える顧客：呼び戻しのためのリストです。",
    "predicted.goneListName": "離脱の可能性が高い顧客（購入しない確率 {percent} 超）",
    "predicted.pickLabel": "予測に使うモデル",
    "predicted.pickAuto": "検証で選ばれたモデル",
    "predicted.pickNotFitted": "{model}（当てはめられませんでした）",
    "predicted.trustBasisCustomers": "この予測は{customers}人の顧客の購入履歴にもとづいています。",
    "predicted.bgNotFitted": "当てはめられませんでした（上の注記を参照）。",
    "predicted.candidatesDef": "リピート購入の3つのモデルを同じ購入履歴に当てはめています。それぞれを検証の分割日までの履歴に当てはめ直し、分割日より後の実際の購入と比べて、最も近かったモデルを使います（モデルを指定した場合はそのモデル）。BICはパラメータ数を考慮した当てはまりの指標です（小さいほど良い）。",
    "predicted.candidateModel": "モデル",
    "predicted.candidateError": "検証での誤差",
    "predicted.candidateBic": "BIC",
    "predicted.chosenMark": "（使用中）",
    "predicted.chosenBy.holdout": "予測には{model}を使っています。{how}ためです。",
    "predicted.chosenBy.bic": "予測には{model}を使っています。比べる検証期間がないため、{how}ためです。",
    "predicted.chosenBy.user": "予測には{model}を使っています（{how}）。",
    "predicted.chosenHow.holdout": "検証での誤差が最も小さい",
    "predicted.chosenHow.bic": "BICが最も小さい",
    "predicted.chosenHow.user": "指定されたモデル",
    "predicted.candidatesDetails": "各モデルのパラメータと推定の終わり方",
    "predicted.candidatesHint": "どちらの列も小さいほど良いモデルです。検証での誤差: 分割日より後の購入をどれだけ外したか。BIC: 全期間の履歴への当てはまり（パラメータの数だけ割り引いたもの）。",
    "predicted.clvRange": "予測LTVの90%範囲",
    "predicted.range": "{low}〜{high}",
    "predicted.convergence": "尤度の評価 {iterations} 回、最大の勾配 {gradient}",
    "predicted.meanNoPurchase": "購入しない確率の平均",
    "predicted.meanNoPurchaseNote": "予測期間内に一度も購入しない確率（顧客あたり）",
    "predicted.noIntervals": "この予測には幅（区間）がありません（注記を参照）。",
    "predicted.intervalsLead": "確かさ：モデルのパラメータを {draws} 回引き直した90%区間です。",
    "predicted.between": "{low} から {high} の間",
    "predicted.interval.clv": "予測LTV：",
    "predicted.interval.purchases": "予測購入回数：",
    "predicted.interval.alive": "生存確率の平均：",
    "predicted.interval.noPurchase": "購入しない確率の平均：",
    "predicted.trustDef": "購入回数は3つのモデルのうち、下の「どのモデルを使うか」に示すモデルで予測します。BG/NBD（Fader, Hardie & Lee 2005）、MBG/NBD（Batislam, Denizel & Filiztekin 2007）、Pareto/NBD（Schmittlein, Morrison & Colombo 1987）です。どれも、各顧客がそれぞれ一定のペースで購入し、いつか静かに離脱する、と考えるモデルです。MBG/NBDとPareto/NBDでは、1回だけ購入した顧客も離脱していることがあります。1回あたりの購入額はGamma-Gammaモデル（Fader & Hardie 2013）で予測します。どちらも、お店の顧客の履歴（購入回数、初回と最終の購入日）に当てはめています。検証では、分割日までの注文だけで同じモデルを当てはめ、分割日以降の予測と実際の購入を比べます。",
    "predicted.trustBasis": "この予測は{customers}人の顧客にもとづき、そのうち{repeaters}人が2日以上購入しています。モデルはこのリピート購入から学習します。",
    "predicted.trustHoldoutHigh": "過去での検証: {split}までの注文だけで当てはめたモデルは、その後{days}日間にこれらの顧客から{predicted}回の購入を予測し、実際は{actual}回でした。予測は{error}多すぎました。",
    "predicted.trustHoldoutLow": "過去での検証: {split}までの注文だけで当てはめたモデルは、その後{days}日間にこれらの顧客から{predicted}回の購入を予測し、実際は{actual}回でした。予測は{error}少なすぎました。",
    "predicted.trustHoldoutNoActual": "過去での検証: {split}までの注文だけで当てはめたモデルは、その後{days}日間にこれらの顧客から{predicted}回の購入を予測し、実際は{actual}回だったため、誤差を割合で示せません。",
    "predicted.verdictClose": "十分に近く、合計値は計画に使えます。",
    "predicted.verdictRough": "おおむね合っています。合計値は目安として扱ってください。",
    "predicted.verdictFar": "大きくずれています。予測は売上の見通しではなく、顧客どうしの順位付けに使ってください。",
    "predicted.trustNoHoldout": "履歴が短く、期間を分けて予測を検証できません。慎重に扱ってください。",
    "predicted.trustHoldoutRefused": "過去での検証ができませんでした。理由:",
    "predicted.notesLead": "モデルからの注意事項:",
    "predicted.refusedTitle": "予測LTV",
    "predicted.refusedIntro": "このデータではまだ予測ができません。誤解を招く数値を出す代わりに、何も表示していません。",
    "predicted.refusedLead": "足りないもの（モデルからの説明）:",

    "predicted.totalsTitle": "顧客がこれからもたらす見込み",
    "predicted.totalsDef": "全顧客の合計です。予測購入回数: 各顧客が期間内に行うと見込まれる購入機会（同じ日の注文は1回）の数（使用中のモデル）。予測LTV（CLV）: 予測購入回数 × 1回の購入の予測額（Gamma-Gamma。1回だけ購入した顧客は全顧客の平均）× 粗利率。年間割引率を指定すると割り引きます。生存確率 P(alive): 顧客がまだ離脱していない確率。",
    "predicted.horizonLine": "今後{days}日間",
    "predicted.purchasesTotal": "予測購入回数",
    "predicted.purchasesNote": "{customers}人の顧客から",
    "predicted.clvTotal": "予測LTV（CLV）",
    "predicted.clvNote": "新規顧客の1回の購入の予測額は{value}",
    "predicted.notPredicted": "予測なし",
    "predicted.noClv": "購入額をモデル化できなかったため（上の注意事項を参照）、CLVはありません。購入回数は予測しています。",
    "predicted.meanAlive": "平均生存確率 P(alive)",
    "predicted.meanAliveNote": "顧客がまだ購入を続けている確率の平均",
    "predicted.inputsTitle": "期間・粗利率・割引率を変更",
    "predicted.horizon": "予測期間（日）",
    "predicted.horizonHint": "1〜3650日。365で1年",
    "predicted.margin": "粗利率（%）",
    "predicted.marginHint": "0より大きく100以下。CLV × 粗利率",
    "predicted.discount": "年間割引率（%）",
    "predicted.discountHint": "0以上。先の購入ほど小さく評価",
    "predicted.apply": "再計算",
    "predicted.badHorizon": "予測期間は1〜3650の整数（日数）で入力してください。",
    "predicted.badMargin": "粗利率は0より大きく100以下のパーセントで入力してください（例: 40）。",
    "predicted.badDiscount": "割引率は0以上のパーセントで入力してください（例: 10）。",

    "predicted.aliveTitle": "生存確率 P(alive) 別の顧客数",
    "predicted.aliveDef": "P(alive)は、顧客がまだ顧客であり続けている確率のモデルによる推定です。購入ペースに比べて最近購入した顧客は高く、よく買っていたのに購入が途絶えた顧客は低くなります。BG/NBDでは1回だけ購入した顧客のP(alive)は100%です（離脱はリピート購入の直後にしか起きないため）。そのため全員が右端の棒に入りますが、予測購入回数は低いままです。10ポイントごとの区分で、最後の区分は100%を含みます。",
    "predicted.pAlive": "生存確率 P(alive)",
    "predicted.customers": "顧客数",
    "predicted.share": "顧客数の割合",

    "predicted.segmentsTitle": "セグメント別の予測購入回数とLTV",
    "predicted.segmentsDef": "RFMセグメント（顧客セグメントの画面を参照）ごとに、顧客の予測を合計したものと、セグメントの平均生存確率です。",
    "predicted.show": "表示",
    "predicted.segment": "セグメント",
    "predicted.meanAliveShort": "平均P(alive)",
    "predicted.expectedPurchases": "予測購入回数",
    "predicted.clv": "予測LTV",
    "predicted.clvPerCustomer": "顧客あたりLTV",

    "predicted.topTitle": "予測LTV上位{n}人の顧客",
    "predicted.topDef": "上で指定した期間・粗利率・割引率での予測LTVが最も高い顧客です。予測購入額: その顧客の1回の購入の予測額。",
    "predicted.topIntro": "これから最も価値をもたらす顧客です。お礼を伝え、優先して大切にしましょう。上位100人のリストは、顧客リストと同じ全項目でCSVとしてダウンロードできます。",
    "predicted.topListName": "予測LTV上位{n}人",
    "predicted.topLoading": "顧客を読み込み中…",
    "predicted.topNoClv": "購入額をモデル化できなかったため（上の注意事項を参照）、LTVで顧客を順位付けできません。",
    "predicted.topFailed": "顧客を一覧にできませんでした: {message}",
    "predicted.rank": "順位",
    "predicted.customerKey": "顧客",
    "predicted.name": "氏名",
    "predicted.email": "メールアドレス",
    "predicted.expectedValue": "予測購入額",

    "predicted.holdoutTitle": "検証: 予測と実際の比較",
    "predicted.holdoutDef": "分割日までの注文（初回購入が分割日以前の顧客）だけでモデルを当てはめ直し、分割日以降の予測をその顧客の実際の購入と比べます。左: 分割日より前のリピート購入回数別に、分割日以降の顧客あたり購入回数の平均（7+は7回以上）。右: 分割日以降の累計購入回数（週ごと）。棒や線が近いほど、モデルがお店の顧客をよく表しています。",
    "predicted.splitLabel": "分割日",
    "predicted.splitApply": "検証",
    "predicted.splitReset": "既定に戻す",
    "predicted.badSplit": "検証する期間が残るよう、分割日は{latest}以前を選んでください。",
    "predicted.holdoutLine": "{split}までの注文で当てはめ、その後{days}日間を{customers}人の顧客で検証: 予測{predicted}回、実際{actual}回。",
    "predicted.holdoutNone": "履歴が短く、一部を検証用に取り分けられません。もっと前の分割日を試してください。",
    "predicted.holdoutRefused": "分割日{split}では検証できません。理由:",
    "predicted.byFrequencyTitle": "分割日前のリピート購入回数別、分割日以降の購入",
    "predicted.trackingTitle": "分割日以降の累計購入回数",
    "predicted.calibrationX": "分割日前のリピート購入回数",
    "predicted.perCustomer": "顧客あたり購入回数",
    "predicted.tipFrequency": "分割日前のリピート購入{x}回・{customers}人",
    "predicted.daysAfterSplit": "分割日からの日数",
    "predicted.cumulative": "購入回数",
    "predicted.actual": "実際",
    "predicted.predicted": "予測",
    "predicted.actualMean": "実際（顧客あたり）",
    "predicted.predictedMean": "予測（顧客あたり）",
    "predicted.date": "日付まで",
    "predicted.actualCum": "実際（累計）",
    "predicted.expectedCum": "予測（累計）",

    "predicted.detailsTitle": "モデルの詳細",
    "predicted.detailsDef": "最尤推定値と、対数尤度のヘッセ行列から求めた標準誤差です（逆行列が求められない場合はダッシュ）。分析担当の方や、他のツールとの比較のために。",
    "predicted.detailsShow": "パラメータを表示",
    "predicted.bgTitle": "BG/NBD（購入回数）",
    "predicted.ggTitle": "Gamma-Gamma（1回あたりの購入額）",
    "predicted.parameter": "パラメータ",
    "predicted.estimate": "推定値",
    "predicted.se": "標準誤差",
    "predicted.meaning": "意味",
    "predicted.p.r": "r",
    "predicted.p.alpha": "α",
    "predicted.p.a": "a",
    "predicted.p.b": "b",
    "predicted.p.p": "p",
    "predicted.p.q": "q",
    "predicted.p.gamma": "γ",
    "predicted.m.r": "購入ペースの分布の形（ガンマ分布 r, α）",
    "predicted.m.alpha": "購入ペースの尺度（単位: {unit}）。r/αが平均ペース",
    "predicted.m.a": "購入後に離脱する確率の分布（ベータ分布 a, b）",
    "predicted.m.b": "a/(a+b)が離脱確率の平均",
    "predicted.m.p": "1回の購入額の分布の形",
    "predicted.m.q": "顧客ごとの購入額の尺度の分布の形",
    "predicted.m.gamma": "顧客ごとの購入額の尺度の分布の尺度",
    "predicted.logLikelihood": "対数尤度",
    "predicted.fittedCustomers": "当てはめた顧客数",
    "predicted.repeatCustomers": "うちリピート購入あり",
    "predicted.timeUnit": "時間の単位",
    "predicted.unit.day": "日",
    "predicted.unit.week": "週",
    "predicted.ggNotFitted": "当てはめられませんでした（上の注意事項を参照）。",
    "predicted.ggCustomers": "当てはめた顧客数（リピート購入あり・購入額0超）",
    "predicted.correlation": "購入額と購入回数の相関",
    "predicted.populationMean": "1回の購入額の全体平均",
  },
};
