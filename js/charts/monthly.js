// Monthly orders (top) and revenue (bottom), each a stacked bar of new / returning / guest, sharing the
// month axis; table() gives the same numbers as a table.
import { dataTable } from "../dom.js";
import { formatInteger, formatMoney, formatMonth, moneyScale } from "../format.js";
import { t } from "../i18n.js";
import { COLORS, axisStyle, baseOption, draw } from "./common.js";

const SEGMENTS = ["new", "returning", "guest"];

/** Draws the monthly chart of `report` into `el`. */
export function render(report, el, lang, unit) {
  const months = report.monthly;
  const labels = months.map((month) => formatMonth(month.month, lang));
  const money = (value) => formatMoney(value, unit, lang);
  const axis = axisStyle();
  const xAxis = (gridIndex, showLabels) => ({
    type: "category",
    gridIndex,
    data: labels,
    ...axis,
    axisLabel: { show: showLabels, color: COLORS.muted, hideOverlap: true },
  });
  const yAxis = (gridIndex, name, formatter) => ({
    type: "value",
    gridIndex,
    minInterval: 1,
    name,
    nameTextStyle: { color: COLORS.muted, align: "left", fontWeight: 600 },
    ...axis,
    axisLine: { show: false },
    axisLabel: { color: COLORS.muted, formatter },
  });
  const series = (field, axisIndex, stack, format) =>
    SEGMENTS.map((segment) => ({
      type: "bar",
      name: t(lang, `monthly.${segment}`),
      stack,
      xAxisIndex: axisIndex,
      yAxisIndex: axisIndex,
      barCategoryGap: "28%",
      barMaxWidth: 40,
      itemStyle: { color: COLORS[segment] },
      data: months.map((month) => month[`${segment}_${field}`]),
      tooltip: { valueFormatter: format },
    }));

  const base = baseOption();
  draw(el, {
    ...base,
    tooltip: { ...base.tooltip, order: "seriesAsc" }, // orders, then revenue
    legend: { top: 0, left: "center", icon: "roundRect", itemWidth: 12, itemHeight: 12, textStyle: { color: COLORS.text } },
    axisPointer: { link: [{ xAxisIndex: "all" }] },
    grid: [
      { left: 8, right: 12, top: 52, height: "34%", containLabel: true },
      { left: 8, right: 12, top: "60%", bottom: 8, containLabel: true },
    ],
    xAxis: [xAxis(0, false), xAxis(1, true)],
    yAxis: [
      yAxis(0, t(lang, "monthly.orders"), (value) => formatInteger(value, lang)),
      yAxis(1, t(lang, "monthly.revenue"), moneyScale(Math.max(0, ...months.map((m) => SEGMENTS.reduce((sum, s) => sum + Math.abs(m[`${s}_revenue`]), 0))), unit, lang)),
    ],
    series: [
      ...series("orders", 0, "orders", (value) => formatInteger(value, lang)),
      ...series("revenue", 1, "revenue", money),
    ],
  });
}

/** The monthly numbers as a table. */
export function table(report, lang, unit) {
  const count = (value) => formatInteger(value, lang);
  const money = (value) => formatMoney(value, unit, lang);
  const headers = [
    "monthly.month", "monthly.orders", "monthly.newOrders", "monthly.returningOrders", "monthly.guestOrders",
    "monthly.revenue", "monthly.newRevenue", "monthly.returningRevenue", "monthly.guestRevenue", "monthly.newCustomers",
  ].map((key) => t(lang, key));
  const rows = report.monthly.map((month) => [
    formatMonth(month.month, lang),
    count(month.orders),
    count(month.new_orders),
    count(month.returning_orders),
    count(month.guest_orders),
    money(month.revenue),
    money(month.new_revenue),
    money(month.returning_revenue),
    money(month.guest_revenue),
    count(month.new_customers),
  ]);
  return dataTable(headers, rows, t(lang, "monthly.title"));
}
