// Puts a Report on the overview panel: the KPI cards (each element carries data-kpi, the value's path in the
// Report, and data-value, the raw value, while its text is the Intl-formatted value), the F2 window, the
// charts with their tables and the input summary. Everything that comes from the file is inserted as text.
import { messageText } from "./messages.js";
import * as funnelChart from "./charts/funnel.js";
import * as histogramChart from "./charts/histogram.js";
import * as monthlyChart from "./charts/monthly.js";
import { dataTable, h, reportValue, showValue } from "./dom.js";
import {
  daysBefore,
  formatDate,
  formatDays,
  formatDecimal,
  formatInteger,
  formatMoney,
  formatPercent,
} from "./format.js";
import { t, tParts } from "./i18n.js";
import { ROLES } from "./names.js";


const $ = (id) => document.getElementById(id);
const kpiNode = (path) => document.querySelector(`#panel-overview [data-kpi="${path}"]`);

/** The ⓘ that opens a definition: hover shows it as a title, click or Enter/Space opens it. */
function definition(lang, key) {
  return h(
    "details",
    { class: "def" },
    h("summary", { title: t(lang, key), "aria-label": t(lang, "def.label") }, h("span", { "aria-hidden": "true" }, "ⓘ")),
    h("p", {}, t(lang, key)),
  );
}

/** Shows the F2 conversion of `report` for a window of `windowDays` (one of report.f2_by_window). */
export function renderF2(report, windowDays, lang) {
  const f2 = report.f2_by_window.find((entry) => entry.window_days === windowDays) ?? report.kpis.f2;
  for (const radio of document.querySelectorAll('input[name="f2-window"]')) {
    radio.checked = Number(radio.value) === f2.window_days;
  }
  showValue(kpiNode("kpis.f2.rate"), "kpis.f2.rate", f2.rate, formatPercent(f2.rate, lang));
  $("f2-summary").replaceChildren(
    ...tParts(lang, "f2.sub", {
      converted: reportValue("kpis.f2.converted", f2.converted, formatInteger(f2.converted, lang)),
      eligible: reportValue("kpis.f2.eligible", f2.eligible, formatInteger(f2.eligible, lang)),
      days: reportValue("kpis.f2.window_days", f2.window_days, formatDays(f2.window_days, lang)),
    }),
  );
  const cutoff = report.as_of == null ? null : formatDate(daysBefore(report.as_of, f2.window_days), lang);
  $("f2-cutoff").textContent = cutoff == null ? "" : t(lang, f2.eligible > 0 ? "f2.cutoff" : "f2.none", { date: cutoff });
}

function renderDaysToSecond(report, lang) {
  const days = report.kpis.days_to_second;
  showValue(kpiNode("kpis.days_to_second.median"), "kpis.days_to_second.median", days.median, formatDays(days.median, lang));
  $("days-summary").replaceChildren(
    ...tParts(lang, "days.sub", {
      p25: reportValue("kpis.days_to_second.p25", days.p25, formatDays(days.p25, lang)),
      p75: reportValue("kpis.days_to_second.p75", days.p75, formatDays(days.p75, lang)),
      count: reportValue("kpis.days_to_second.count", days.count, formatInteger(days.count, lang)),
    }),
  );
  $("days-tip").textContent =
    days.median == null ? t(lang, "days.none") : t(lang, "days.tip", { median: formatDays(days.median, lang) });
}

function renderKpis(report, lang) {
  const k = report.kpis;
  const input = report.input;
  const money = (value) => formatMoney(value, report.currency, lang);
  showValue(kpiNode("kpis.customers"), "kpis.customers", k.customers, formatInteger(k.customers, lang));
  showValue(kpiNode("kpis.orders"), "kpis.orders", k.orders, formatInteger(k.orders, lang));
  showValue(kpiNode("kpis.revenue"), "kpis.revenue", k.revenue, money(k.revenue));
  showValue(kpiNode("kpis.aov"), "kpis.aov", k.aov, money(k.aov));
  showValue(kpiNode("kpis.orders_per_customer"), "kpis.orders_per_customer", k.orders_per_customer, formatDecimal(k.orders_per_customer, lang));
  showValue(kpiNode("kpis.repeat_rate"), "kpis.repeat_rate", k.repeat_rate, formatPercent(k.repeat_rate, lang));

  const customerColumn = input.columns.customer_id ?? input.columns.email;
  $("sub-customers").textContent = customerColumn == null ? "" : t(lang, "sub.customers", { column: customerColumn });
  $("sub-orders").textContent = t(lang, "sub.orders", {
    guest: formatInteger(input.orders_without_customer, lang),
    excluded: formatInteger(input.excluded_orders, lang),
  });
  $("sub-revenue").textContent =
    report.currency == null ? t(lang, "sub.revenueNoCurrency") : t(lang, "sub.revenue", { currency: report.currency });
  const repeaters = report.funnel.find((stage) => stage.stage === 2)?.customers ?? 0;
  $("sub-repeat-rate").textContent = t(lang, "sub.repeat_rate", { repeaters: formatInteger(repeaters, lang) });
}

function renderCharts(report, lang) {
  const charts = [
    [funnelChart, "funnel"],
    [histogramChart, "histogram"],
    [monthlyChart, "monthly"],
  ];
  for (const [chart, name] of charts) {
    chart.render(report, $(`chart-${name}`), lang);
    $(`table-${name}`).replaceChildren(chart.table(report, lang));
  }
}

function renderInput(report, lang) {
  const input = report.input;
  const fact = (key, text, withDefinition) =>
    h(
      "div",
      { class: "fact" },
      h("dt", {}, t(lang, `input.${key}`), withDefinition ? definition(lang, `def.${key}`) : null),
      reportValue(`input.${key}`, input[key], text, "dd"),
    );
  const count = (key) => fact(key, formatInteger(input[key], lang), true);
  $("input-summary").replaceChildren(
    fact("format", t(lang, `input.format.${input.format}`), false),
    fact("encoding", input.encoding, false),
    count("rows"),
    count("orders_seen"),
    count("excluded_orders"),
    count("orders_without_customer"),
    count("skipped_rows"),
  );

  const used = ROLES.filter((role) => input.columns[role] != null);
  $("input-columns").replaceChildren(
    ...used.map((role) =>
      h("div", { class: "column-used" }, h("dt", {}, t(lang, `role.${role}`)), h("dd", {}, input.columns[role])),
    ),
  );

  const warnings = input.warnings;
  $("warnings-note").textContent =
    warnings.length === 0
      ? t(lang, "input.noWarnings")
      : input.skipped_rows > warnings.length
        ? t(lang, "input.warningsCapped", {
            skipped: formatInteger(input.skipped_rows, lang),
            shown: formatInteger(warnings.length, lang),
          })
        : "";
  const rows = warnings.map((warning) => [warning.row == null ? "—" : String(warning.row), warning.column ?? "—", messageText(warning, lang)]);
  $("warnings").replaceChildren(
    warnings.length === 0
      ? ""
      : dataTable([t(lang, "input.line"), t(lang, "input.column"), t(lang, "input.message")], rows, t(lang, "input.warnings")),
  );
}

/**
 * Shows `report` in `lang`, with the F2 window `f2Window`. Called again, with the same report, when the
 * language changes.
 */
export function renderReport(report, { lang, f2Window }) {
  renderKpis(report, lang);
  renderF2(report, f2Window, lang);
  renderDaysToSecond(report, lang);
  renderCharts(report, lang);
  renderInput(report, lang);
}
