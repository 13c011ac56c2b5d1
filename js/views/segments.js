// The segments view: the 5 × 5 recency × frequency grid as a heatmap (customers, or revenue by a toggle),
// the nine named segments with what each means and what to do about it (each with its customer-list
// download), the cut points the scores use, and the editable F bands (recomputed in the worker from the
// same analysis, without reading the file again). Everything reads report.rfm.
import { COLORS, axisStyle, baseOption, draw } from "../charts/common.js";
import { dataTable, escapeHtml, h, reportCell, reportValue } from "../dom.js";
import { formatDays, formatInteger, formatMoney, formatPercent, moneyScale, moneyUnit } from "../format.js";
import { t } from "../i18n.js";
import { card, chartBox, downloadButton, encodingPicker, numbers } from "./shared.js";

export const id = "segments";
/** The Report sections this view shows (it is drawn once they have all arrived). */
export const sections = ["kpis", "rfm"];

/** The segment keys in the Report's order (rfm.segments). */
export const SEGMENTS = [
  "champions", "loyal", "promising", "new", "needs_attention", "at_risk", "cant_lose", "about_to_sleep", "lost",
];

export const DEFAULT_F_BANDS = [1, 2, 3, 4, 6];

/** The segment of the R×F cell (r, f), scores 1..5, as DESIGN.md's table assigns it. */
export function segmentOf(r, f) {
  if (r >= 4 && f >= 4) return "champions";
  if ((r >= 3 && f === 3) || (r === 3 && f >= 4)) return "loyal";
  if (r >= 4 && f === 2) return "promising";
  if (r >= 4 && f === 1) return "new";
  if (r === 3) return "needs_attention";
  if (r <= 2 && f >= 4) return "cant_lose";
  if (r === 2 && f >= 2) return "at_risk";
  if (r === 2) return "about_to_sleep";
  return "lost";
}

/**
 * Checks F band starts typed by the user: five whole numbers, the first 1, each larger than the one
 * before. Returns the numbers, or {error} with a string key.
 */
export function parseFBands(texts) {
  const values = texts.map((text) => (/^\s*\d+\s*$/.test(text) ? Number(text) : NaN));
  if (values.some((value) => !Number.isSafeInteger(value))) return { error: "segments.bandsWhole" };
  if (values[0] !== 1) return { error: "segments.bandsFirst" };
  if (values.some((value, i) => i > 0 && value <= values[i - 1])) return { error: "segments.bandsIncreasing" };
  return { bands: values };
}

const segmentName = (lang, key) => t(lang, `segment.${key}.name`);

/**
 * "≤ 73 days", "74–180 days", "> 460 days": the recency range of score r. Recency is a whole number of
 * days, so a cut point c reads as its floor: v ≤ 73.4 is v ≤ 73, and 73.4 < v ≤ 180 is 74–180.
 */
function recencyRange(lang, cuts, r) {
  if (cuts.length !== 4) return "";
  const bin = 5 - r; // R = 5 − bin; bin = cut points strictly below the value
  const days = (value) => formatInteger(value, lang);
  if (bin === 0) return t(lang, "segments.upTo", { to: days(Math.floor(cuts[0])) });
  if (bin === 4) return t(lang, "segments.over", { from: days(Math.floor(cuts[3])) });
  const from = Math.floor(cuts[bin - 1]) + 1;
  const to = Math.floor(cuts[bin]);
  if (from > to) return "—"; // two equal cut points: nobody can have this score
  if (from === to) return t(lang, "segments.exactDays", { days: days(from) });
  return t(lang, "segments.between", { from: days(from), to: days(to) });
}

/** "1 purchase", "4–5 purchases", "6+ purchases": the occasions of score f under `starts`. */
function frequencyRange(lang, starts, f) {
  const from = starts[f - 1];
  if (f === 5) return t(lang, "segments.fOver", { from: formatInteger(from, lang) });
  const to = starts[f] - 1;
  if (to === from) return from === 1 ? t(lang, "segments.fOnce") : t(lang, "segments.fExact", { n: formatInteger(from, lang) });
  return t(lang, "segments.fBetween", { from: formatInteger(from, lang), to: formatInteger(to, lang) });
}

function moneyRange(lang, cuts, m, currency) {
  if (cuts.length !== 4) return "";
  const money = (value) => formatMoney(value, currency, lang);
  const bin = m - 1; // M = 1 + bin
  if (bin === 0) return t(lang, "segments.moneyUpTo", { to: money(cuts[0]) });
  if (bin === 4) return t(lang, "segments.moneyOver", { from: money(cuts[3]) });
  return t(lang, "segments.moneyBetween", { from: money(cuts[bin - 1]), to: money(cuts[bin]) });
}

function renderGrid(report, el, ctx) {
  const { lang } = ctx.state;
  const rfm = report.rfm;
  const metric = ctx.state.segmentMetric ?? "customers";
  const money = (value) => formatMoney(value, moneyUnit(report, ctx.state.currencyDisplay), lang);
  // The cells' amounts share one style, from the largest (see moneyScale).
  const cellMoney = moneyScale(Math.max(0, ...rfm.rf_grid.flat().map((cell) => Math.abs(cell.revenue))), moneyUnit(report, ctx.state.currencyDisplay), lang);
  const show = (value) => (metric === "revenue" ? cellMoney(value) : formatInteger(value, lang));
  // Segment names in the cells and ranges on the axes fit only on a wide screen; on a phone the ranges
  // are in the tooltip and in "How the scores are cut".
  const wide = el.clientWidth >= 640;
  const cells = [];
  let max = 0;
  for (let r = 1; r <= 5; r += 1) {
    for (let f = 1; f <= 5; f += 1) {
      const cell = rfm.rf_grid[r - 1][f - 1];
      max = Math.max(max, cell[metric]);
      cells.push({ r, f, cell });
    }
  }
  const data = cells.map(({ r, f, cell }) => ({
    value: [f - 1, r - 1, cell[metric]],
    label: { color: max > 0 && cell[metric] / max > 0.55 ? "#ffffff" : COLORS.text },
  }));
  const axis = axisStyle();
  draw(el, {
    ...baseOption(),
    tooltip: {
      ...baseOption().tooltip,
      trigger: "item",
      formatter: ({ value: [fi, ri] }) => {
        const cell = rfm.rf_grid[ri][fi];
        const lines = [
          `R${ri + 1} · F${fi + 1} — ${segmentName(lang, segmentOf(ri + 1, fi + 1))}`,
          `${recencyRange(lang, rfm.recency_cut_points_days, ri + 1)} · ${frequencyRange(lang, rfm.f_band_starts, fi + 1)}`,
          `${t(lang, "segments.customers")}: ${formatInteger(cell.customers, lang)}`,
          `${t(lang, "segments.revenue")}: ${money(cell.revenue)}`,
        ];
        // The tooltip is HTML; every part is ours (numbers, our strings), escaped anyway.
        return lines.map(escapeHtml).join("<br>");
      },
    },
    grid: { left: 8, right: 8, top: 8, bottom: 36, containLabel: true },
    xAxis: {
      type: "category",
      data: [1, 2, 3, 4, 5].map((f) => (wide ? `F${f}\n${frequencyRange(lang, rfm.f_band_starts, f)}` : `F${f}`)),
      name: t(lang, "segments.fAxis"),
      nameLocation: "middle",
      nameGap: 44,
      nameTextStyle: { color: COLORS.muted },
      ...axis,
      splitArea: { show: false },
      axisLabel: { color: COLORS.text, lineHeight: 16 },
    },
    yAxis: {
      type: "category",
      data: [1, 2, 3, 4, 5].map((r) => (wide ? `R${r}\n${recencyRange(lang, rfm.recency_cut_points_days, r)}` : `R${r}`)),
      ...axis,
      axisLabel: { color: COLORS.text, lineHeight: 16 },
    },
    visualMap: {
      show: false,
      min: 0,
      max: Math.max(max, 1),
      inRange: { color: ["#f3f6fc", "#a6c1f4", "#3366d6", "#1b3f9c"] },
    },
    series: [
      {
        type: "heatmap",
        data,
        itemStyle: { borderColor: "#ffffff", borderWidth: 2, borderRadius: 4 },
        label: {
          show: true,
          formatter: ({ value: [fi, ri, v] }) =>
            wide ? `${show(v)}\n{name|${segmentName(lang, segmentOf(ri + 1, fi + 1))}}` : show(v),
          fontSize: 14,
          fontWeight: 600,
          lineHeight: 18,
          rich: { name: { fontSize: 11, fontWeight: 400, lineHeight: 16 } },
        },
        emphasis: { itemStyle: { borderColor: COLORS.text, borderWidth: 2 } },
      },
    ],
  });
}

function gridTable(report, lang, metric, unit) {
  const rfm = report.rfm;
  const format = (value) => (metric === "revenue" ? formatMoney(value, unit, lang) : formatInteger(value, lang));
  const headers = [t(lang, "segments.rHeader"), ...[1, 2, 3, 4, 5].map((f) => `F${f}`)];
  const rows = [5, 4, 3, 2, 1].map((r) => [
    `R${r}`,
    ...[1, 2, 3, 4, 5].map((f) => {
      const value = rfm.rf_grid[r - 1][f - 1][metric];
      return reportCell(`rfm.rf_grid.${r - 1}.${f - 1}.${metric}`, value, format(value));
    }),
  ]);
  return dataTable(headers, rows, t(lang, metric === "revenue" ? "segments.gridRevenue" : "segments.gridCustomers"));
}

function metricToggle(ctx, onChange) {
  const { lang } = ctx.state;
  const current = ctx.state.segmentMetric ?? "customers";
  const option = (value) => {
    const input = h("input", { type: "radio", name: "segment-metric", value, checked: value === current });
    input.addEventListener("change", () => {
      ctx.state.segmentMetric = value;
      onChange();
    });
    return h("label", {}, input, h("span", {}, t(lang, `segments.${value}`)));
  };
  return h("fieldset", { class: "segmented" }, h("legend", {}, t(lang, "segments.show")), option("customers"), option("revenue"));
}

function gridCard(report, ctx) {
  const { lang } = ctx.state;
  const chart = chartBox(t(lang, "segments.gridTitle"), "chart chart-grid5");
  const tables = h("div", {});
  const redraw = () => {
    renderGrid(report, chart, ctx);
    tables.replaceChildren(gridTable(report, lang, "customers", moneyUnit(report, ctx.state.currencyDisplay)), gridTable(report, lang, "revenue", moneyUnit(report, ctx.state.currencyDisplay)));
  };
  const section = card(
    { title: t(lang, "segments.gridTitle"), def: t(lang, "segments.gridDef"), lang, wide: true, id: "rf-grid" },
    h("div", { class: "card-tools" }, metricToggle(ctx, () => renderGrid(report, chart, ctx))),
    chart,
    numbers(lang, tables),
  );
  return { section, draw: redraw };
}

function actionText(report, lang, key) {
  if (key !== "new") return t(lang, `segment.${key}.action`);
  const median = report.kpis.days_to_second.median;
  if (median == null) return t(lang, "segment.new.actionNoMedian");
  return t(lang, "segment.new.action", { median: formatDays(median, lang) });
}

function segmentsCard(report, ctx) {
  const { lang } = ctx.state;
  const rfm = report.rfm;
  const totalCustomers = rfm.segments.reduce((sum, s) => sum + s.customers, 0);
  const totalRevenue = rfm.segments.reduce((sum, s) => sum + s.revenue, 0);
  const share = (part, whole) => (whole > 0 ? part / whole : null);
  const items = rfm.segments.map((segment, index) => {
    const key = segment.key;
    return h(
      "article",
      { class: "segment", data: { segment: key } },
      h(
        "div",
        { class: "segment-head" },
        reportValue(`rfm.segments.${index}.key`, key, segmentName(lang, key), "h4"),
        h("span", { class: "segment-cells" }, t(lang, `segment.${key}.cells`)),
      ),
      h(
        "p",
        { class: "segment-figures" },
        reportValue(`rfm.segments.${index}.customers`, segment.customers, formatInteger(segment.customers, lang), "strong"),
        ` ${t(lang, "segments.customersUnit")} `,
        h("span", { class: "muted" }, `(${formatPercent(share(segment.customers, totalCustomers), lang)})`),
        h("br"),
        reportValue(`rfm.segments.${index}.revenue`, segment.revenue, formatMoney(segment.revenue, moneyUnit(report, ctx.state.currencyDisplay), lang)),
        " ",
        h("span", { class: "muted" }, t(lang, "segments.revenueShare", { share: formatPercent(share(segment.revenue, totalRevenue), lang) })),
      ),
      h("p", { class: "segment-def" }, t(lang, `segment.${key}.def`)),
      h("p", { class: "segment-action" }, h("strong", {}, t(lang, "segments.next")), " ", actionText(report, lang, key)),
      h("div", { class: "segment-foot" }, downloadButton(ctx, { segment: key }, segmentName(lang, key), segment.customers)),
    );
  });
  const rows = rfm.segments.map((segment, index) => [
    segmentName(lang, segment.key),
    t(lang, `segment.${segment.key}.cells`),
    reportCell(`rfm.segments.${index}.customers`, segment.customers, formatInteger(segment.customers, lang)),
    formatPercent(share(segment.customers, totalCustomers), lang),
    reportCell(`rfm.segments.${index}.revenue`, segment.revenue, formatMoney(segment.revenue, moneyUnit(report, ctx.state.currencyDisplay), lang)),
    formatPercent(share(segment.revenue, totalRevenue), lang),
  ]);
  const headers = ["segments.segment", "segments.cells", "segments.customers", "segments.customerShare", "segments.revenue", "segments.revenueShareHeader"].map((k) => t(lang, k));
  return card(
    { title: t(lang, "segments.title"), def: t(lang, "segments.def"), lang, wide: true, id: "segment-list" },
    h("div", { class: "card-tools" }, encodingPicker(ctx)),
    h("div", { class: "segments" }, items),
    numbers(lang, dataTable(headers, rows, t(lang, "segments.title"))),
  );
}

function bandsEditor(report, ctx) {
  const { lang } = ctx.state;
  const starts = report.rfm.f_band_starts;
  const inputs = starts.map((start, i) =>
    h("input", { type: "number", min: 1, step: 1, inputmode: "numeric", id: `f-band-${i + 1}`, value: start, required: true }),
  );
  const message = h("p", { class: "form-error", role: "alert", id: "f-bands-error" });
  const apply = h("button", { type: "submit", class: "btn btn-primary btn-small", id: "f-bands-apply" }, t(lang, "segments.apply"));
  const reset = h("button", { type: "button", class: "btn btn-small", id: "f-bands-reset" }, t(lang, "segments.reset"));
  const form = h(
    "form",
    { class: "bands", novalidate: true, "aria-describedby": "f-bands-help" },
    h("p", { class: "muted", id: "f-bands-help" }, t(lang, "segments.bandsHelp")),
    h(
      "div",
      { class: "bands-inputs" },
      inputs.map((input, i) => h("label", { class: "band" }, h("span", {}, t(lang, "segments.bandLabel", { f: i + 1 })), input)),
    ),
    h("div", { class: "bands-actions" }, apply, reset),
    message,
  );
  const submit = async (texts) => {
    const parsed = parseFBands(texts);
    for (const input of inputs) input.removeAttribute("aria-invalid");
    if (parsed.error) {
      message.textContent = t(lang, parsed.error);
      for (const input of inputs) input.setAttribute("aria-invalid", "true");
      return;
    }
    message.textContent = "";
    // Busy, not disabled: a disabled button would drop the keyboard focus.
    if (form.getAttribute("aria-busy") === "true") return;
    form.setAttribute("aria-busy", "true");
    try {
      await ctx.recompute({ fBandStarts: parsed.bands });
    } catch (error) {
      message.textContent = t(ctx.state.lang, "recompute.failed", { message: error.message });
    } finally {
      form.removeAttribute("aria-busy");
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(inputs.map((input) => input.value));
  });
  reset.addEventListener("click", () => submit(DEFAULT_F_BANDS.map(String)));
  return form;
}

function cutsCard(report, ctx) {
  const { lang } = ctx.state;
  const rfm = report.rfm;
  const scoreRows = [5, 4, 3, 2, 1].map((score) => [
    String(score),
    recencyRange(lang, rfm.recency_cut_points_days, score) || "—",
    reportCell(`rfm.r_counts.${score - 1}`, rfm.r_counts[score - 1], formatInteger(rfm.r_counts[score - 1], lang)),
    frequencyRange(lang, rfm.f_band_starts, score),
    reportCell(`rfm.f_counts.${score - 1}`, rfm.f_counts[score - 1], formatInteger(rfm.f_counts[score - 1], lang)),
    moneyRange(lang, rfm.monetary_cut_points, score, moneyUnit(report, ctx.state.currencyDisplay)) || "—",
    reportCell(`rfm.m_counts.${score - 1}`, rfm.m_counts[score - 1], formatInteger(rfm.m_counts[score - 1], lang)),
  ]);
  const headers = ["segments.score", "segments.recency", "segments.customers", "segments.frequency", "segments.customers", "segments.monetary", "segments.customers"].map((k) => t(lang, k));
  const cuts = (path, values, format) =>
    values.length === 0
      ? h("span", {}, "—")
      : h(
          "span",
          { class: "cut-points" },
          values.map((value, i) => reportValue(`${path}.${i}`, value, format(value))),
        );
  return card(
    { title: t(lang, "segments.cutsTitle"), def: t(lang, "segments.cutsDef"), lang, wide: true, id: "rfm-cuts" },
    h(
      "dl",
      { class: "cuts" },
      h("div", {}, h("dt", {}, t(lang, "segments.recencyCuts")), h("dd", {}, cuts("rfm.recency_cut_points_days", rfm.recency_cut_points_days, (v) => formatDays(v, lang)))),
      h("div", {}, h("dt", {}, t(lang, "segments.monetaryCuts")), h("dd", {}, cuts("rfm.monetary_cut_points", rfm.monetary_cut_points, (v) => formatMoney(v, moneyUnit(report, ctx.state.currencyDisplay), lang)))),
      h("div", {}, h("dt", {}, t(lang, "segments.fBands")), h("dd", {}, h("span", { class: "cut-points" }, rfm.f_band_starts.map((v, i) => reportValue(`rfm.f_band_starts.${i}`, v, formatInteger(v, lang)))))),
    ),
    h("h4", {}, t(lang, "segments.bandsTitle")),
    bandsEditor(report, ctx),
    numbers(lang, dataTable(headers, scoreRows, t(lang, "segments.cutsTitle"))),
  );
}

export function mount(panel) {
  panel.classList.add("view-grid");
}

export function render(report, ctx, panel) {
  const grid = gridCard(report, ctx);
  panel.replaceChildren(grid.section, segmentsCard(report, ctx), cutsCard(report, ctx));
  grid.draw();
}

export const strings = {
  en: {
    "segments.tab": "Segments",
    "segments.gridTitle": "Customers by recency (R) and frequency (F)",
    "segments.gridDef": "R scores how recently a customer last bought: the 20/40/60/80 % quantiles of days since the last purchase over all customers cut it into five bands, 5 being the most recent (a value equal to a cut point takes the lower band). F scores purchase occasions (a customer's orders on one day are one occasion) by the band starts below. Each cell counts the customers with that R and F, and the revenue of their orders.",
    "segments.fAxis": "Frequency (purchase occasions)",
    "segments.show": "Show",
    "segments.customers": "Customers",
    "segments.revenue": "Revenue",
    "segments.rHeader": "Recency",
    "segments.gridCustomers": "Customers per R × F cell",
    "segments.gridRevenue": "Revenue per R × F cell",
    "segments.upTo": "≤ {to} days",
    "segments.between": "{from}–{to} days",
    "segments.exactDays": "{days} days",
    "segments.over": "> {from} days",
    "segments.fOnce": "1 purchase",
    "segments.fExact": "{n} purchases",
    "segments.fBetween": "{from}–{to} purchases",
    "segments.fOver": "{from}+ purchases",
    "segments.moneyUpTo": "≤ {to}",
    "segments.moneyBetween": "{from} – {to}",
    "segments.moneyOver": "> {from}",
    "segments.title": "The nine segments and what to do next",
    "segments.def": "Every customer is in exactly one segment, by the cells of the R × F grid shown on each card. Shares are of all customers and of customer revenue (guest orders are not in any segment).",
    "segments.customersUnit": "customers",
    "segments.revenueShare": "{share} of revenue",
    "segments.next": "Next step:",
    "segments.segment": "Segment",
    "segments.cells": "Cells",
    "segments.customerShare": "Share of customers",
    "segments.revenueShareHeader": "Share of revenue",
    "segments.cutsTitle": "How the scores are cut",
    "segments.cutsDef": "Recency and monetary cut points are the 20/40/60/80 % quantiles over all customers (linear interpolation). A value equal to a cut point takes the lower band. F uses the band starts: F n counts customers with at least start n occasions, below start n+1.",
    "segments.recencyCuts": "Recency cut points (days since the last purchase)",
    "segments.monetaryCuts": "Monetary cut points (revenue per customer)",
    "segments.fBands": "F band starts (purchase occasions)",
    "segments.score": "Score",
    "segments.recency": "Recency",
    "segments.frequency": "Frequency",
    "segments.monetary": "Monetary",
    "segments.bandsTitle": "Change the F bands",
    "segments.bandsHelp": "Where each F score starts, in purchase occasions. A shop whose customers buy often may want wider bands (for example 1, 3, 6, 10, 20). The grid and the segments are recomputed from the same analysis; the file is not read again.",
    "segments.bandLabel": "F{f} from",
    "segments.apply": "Apply",
    "segments.reset": "Back to 1, 2, 3, 4, 6",
    "segments.bandsWhole": "Each band start must be a whole number of purchases.",
    "segments.bandsFirst": "F1 must start at 1 purchase, so that every customer has a score.",
    "segments.bandsIncreasing": "Each band must start above the one before it (for example 1, 2, 3, 4, 6).",

    "segment.champions.name": "Champions",
    "segment.champions.cells": "R 4–5 · F 4–5",
    "segment.champions.def": "Bought recently and often: your best customers.",
    "segment.champions.action": "Thank them personally and give them early access or a members’ perk. They do not need discounts.",
    "segment.loyal.name": "Loyal",
    "segment.loyal.cells": "R 3–5 · F 3, or R 3 · F 4–5",
    "segment.loyal.def": "Buy regularly, not yet at the very top.",
    "segment.loyal.action": "Recommend related products and invite them to a subscription or loyalty programme.",
    "segment.promising.name": "Promising (2nd purchase)",
    "segment.promising.cells": "R 4–5 · F 2",
    "segment.promising.def": "Came back for a second purchase recently.",
    "segment.promising.action": "Help the third purchase happen: how-to tips, a refill reminder or a bundle offer.",
    "segment.new.name": "New",
    "segment.new.cells": "R 4–5 · F 1",
    "segment.new.def": "Bought for the first time recently.",
    "segment.new.action": "Send a thank-you and a second-purchase offer within {median} of the first order: half of your second purchases happen by then.",
    "segment.new.actionNoMedian": "Send a thank-you and a second-purchase offer within a few weeks of the first order.",
    "segment.needs_attention.name": "Needs attention",
    "segment.needs_attention.cells": "R 3 · F 1–2",
    "segment.needs_attention.def": "Bought once or twice and have been quiet for a while.",
    "segment.needs_attention.action": "Remind them with a recommendation based on what they bought, and a small time-limited offer.",
    "segment.at_risk.name": "At risk",
    "segment.at_risk.cells": "R 2 · F 2–3",
    "segment.at_risk.def": "Bought two or three times, but not for a long time.",
    "segment.at_risk.action": "Send a win-back mail now: what is new since their last order and a reason to come back.",
    "segment.cant_lose.name": "Can’t lose them",
    "segment.cant_lose.cells": "R 1–2 · F 4–5",
    "segment.cant_lose.def": "Used to buy often, but have not bought for a long time.",
    "segment.cant_lose.action": "Win them back personally: a note or a call from the owner, ask what changed, offer something special.",
    "segment.about_to_sleep.name": "About to sleep",
    "segment.about_to_sleep.cells": "R 2 · F 1",
    "segment.about_to_sleep.def": "Bought once, some time ago.",
    "segment.about_to_sleep.action": "Re-introduce the shop with bestsellers and reviews, with a modest offer.",
    "segment.lost.name": "Lost",
    "segment.lost.cells": "R 1 · F 1–3",
    "segment.lost.def": "Bought up to three times, long ago.",
    "segment.lost.action": "Keep them on the occasional newsletter only; do not spend much on them.",
  },
  ja: {
    "segments.tab": "顧客セグメント",
    "segments.gridTitle": "最終購入からの日数(R)×購入回数(F)別の顧客数",
    "segments.gridDef": "Rは最後の購入がどれだけ最近かの評価です。全顧客の「最終購入からの日数」の20/40/60/80%分位点で5段階に分け、最も最近が5です（分位点と同じ値は下の段階）。Fは購入機会の回数（同じ日の注文は1回）を下の区切りで5段階に分けます。各マスはそのR・Fの顧客数と、その顧客の注文の売上です。",
    "segments.fAxis": "購入回数（購入機会）",
    "segments.show": "表示",
    "segments.customers": "顧客数",
    "segments.revenue": "売上",
    "segments.rHeader": "最終購入からの日数",
    "segments.gridCustomers": "R×F別の顧客数",
    "segments.gridRevenue": "R×F別の売上",
    "segments.upTo": "{to}日以内",
    "segments.between": "{from}〜{to}日",
    "segments.exactDays": "{days}日",
    "segments.over": "{from}日超",
    "segments.fOnce": "1回",
    "segments.fExact": "{n}回",
    "segments.fBetween": "{from}〜{to}回",
    "segments.fOver": "{from}回以上",
    "segments.moneyUpTo": "{to}以下",
    "segments.moneyBetween": "{from}超〜{to}",
    "segments.moneyOver": "{from}超",
    "segments.title": "9つの顧客セグメントと次の一手",
    "segments.def": "すべての顧客は、各カードに示したR×Fのマスによって、いずれか1つのセグメントに入ります。割合は全顧客数と顧客の売上に対するものです（ゲスト注文はどのセグメントにも入りません）。",
    "segments.customersUnit": "人",
    "segments.revenueShare": "売上の{share}",
    "segments.next": "次の一手:",
    "segments.segment": "セグメント",
    "segments.cells": "マス",
    "segments.customerShare": "顧客数の割合",
    "segments.revenueShareHeader": "売上の割合",
    "segments.cutsTitle": "スコアの区切り",
    "segments.cutsDef": "R（最終購入からの日数）とM（顧客あたり売上）の区切りは、全顧客の20/40/60/80%分位点（線形補間）です。区切りと同じ値は下の段階に入ります。Fは区切りの開始回数で決まり、Fnは開始回数n以上・n+1未満の顧客です。",
    "segments.recencyCuts": "Rの区切り（最終購入からの日数）",
    "segments.monetaryCuts": "Mの区切り（顧客あたり売上）",
    "segments.fBands": "Fの区切り（購入回数の開始値）",
    "segments.score": "スコア",
    "segments.recency": "R 最終購入からの日数",
    "segments.frequency": "F 購入回数",
    "segments.monetary": "M 売上",
    "segments.bandsTitle": "Fの区切りを変更",
    "segments.bandsHelp": "各Fスコアが始まる購入回数です。よく買われるお店では広めの区切り（例: 1, 3, 6, 10, 20）が合うことがあります。グリッドとセグメントは同じ分析から再計算され、ファイルは読み直しません。",
    "segments.bandLabel": "F{f} の開始",
    "segments.apply": "適用",
    "segments.reset": "1, 2, 3, 4, 6 に戻す",
    "segments.bandsWhole": "区切りは購入回数の整数で入力してください。",
    "segments.bandsFirst": "すべての顧客にスコアが付くよう、F1は1回から始めてください。",
    "segments.bandsIncreasing": "各区切りは前の区切りより大きくしてください（例: 1, 2, 3, 4, 6）。",

    "segment.champions.name": "優良顧客",
    "segment.champions.cells": "R 4〜5・F 4〜5",
    "segment.champions.def": "最近、何度も購入している一番のお得意様です。",
    "segment.champions.action": "個別にお礼を伝え、新商品の先行案内や会員特典を。値引きは必要ありません。",
    "segment.loyal.name": "安定顧客",
    "segment.loyal.cells": "R 3〜5・F 3、または R 3・F 4〜5",
    "segment.loyal.def": "定期的に購入している顧客です。",
    "segment.loyal.action": "関連商品のおすすめや、定期購入・会員プログラムへのご案内を。",
    "segment.promising.name": "育成顧客 (2回目購入)",
    "segment.promising.cells": "R 4〜5・F 2",
    "segment.promising.def": "最近2回目の購入をした顧客です。",
    "segment.promising.action": "3回目につなげましょう。使い方のヒント、買い替え時期のお知らせ、セット商品のご提案など。",
    "segment.new.name": "新規顧客",
    "segment.new.cells": "R 4〜5・F 1",
    "segment.new.def": "最近はじめて購入した顧客です。",
    "segment.new.action": "お礼のメッセージと2回目購入の特典を、初回購入から{median}以内に送りましょう。2回目購入の半数はそれまでに起きています。",
    "segment.new.actionNoMedian": "お礼のメッセージと2回目購入の特典を、初回購入から数週間以内に送りましょう。",
    "segment.needs_attention.name": "要注意顧客",
    "segment.needs_attention.cells": "R 3・F 1〜2",
    "segment.needs_attention.def": "1〜2回購入したあと、しばらく購入がない顧客です。",
    "segment.needs_attention.action": "購入した商品にもとづくおすすめと、期間限定の小さな特典で思い出してもらいましょう。",
    "segment.at_risk.name": "離反予備軍",
    "segment.at_risk.cells": "R 2・F 2〜3",
    "segment.at_risk.def": "2〜3回購入したものの、長く購入がない顧客です。",
    "segment.at_risk.action": "今すぐ呼び戻しのメールを。前回以降の新商品と、戻ってくるきっかけを添えて。",
    "segment.cant_lose.name": "離反しかけの優良顧客",
    "segment.cant_lose.cells": "R 1〜2・F 4〜5",
    "segment.cant_lose.def": "以前はよく購入していたのに、長く購入がない顧客です。",
    "segment.cant_lose.action": "個別に呼び戻しを。店主からの手紙や電話で理由をうかがい、特別なご提案を。",
    "segment.about_to_sleep.name": "休眠予備軍",
    "segment.about_to_sleep.cells": "R 2・F 1",
    "segment.about_to_sleep.def": "少し前に1回だけ購入した顧客です。",
    "segment.about_to_sleep.action": "人気商品やレビューで改めてお店を紹介し、控えめな特典を添えましょう。",
    "segment.lost.name": "離脱顧客",
    "segment.lost.cells": "R 1・F 1〜3",
    "segment.lost.def": "3回以下の購入で、長く購入がない顧客です。",
    "segment.lost.action": "たまのニュースレター程度にとどめ、費用をかけすぎないようにしましょう。",
  },
};
