// The days-to-second-purchase histogram: customers per weekly bin (1–7, 8–14, … 176–182 days, then 183+),
// as vertical bars; table() gives the same numbers as a table.
import { dataTable } from "../dom.js";
import { formatInteger } from "../format.js";
import { t } from "../i18n.js";
import { COLORS, axisStyle, baseOption, draw, countAxis } from "./common.js";

/** "1–7", …, "176–182", and "183+" for the open last bin. */
function binName(bin) {
  return bin.to == null ? `${bin.from}+` : `${bin.from}–${bin.to}`;
}

/** Draws the histogram of `report` into `el`. */
export function render(report, el, lang) {
  const bins = report.days_to_second_histogram;
  const axis = axisStyle();
  draw(el, {
    ...baseOption(),
    grid: { left: 8, right: 12, top: 28, bottom: 28, containLabel: true },
    xAxis: {
      type: "category",
      data: bins.map(binName),
      name: t(lang, "histogram.days"),
      nameLocation: "middle",
      nameGap: 28,
      nameTextStyle: { color: COLORS.muted },
      ...axis,
      axisLabel: { color: COLORS.muted, hideOverlap: true },
    },
    yAxis: countAxis(t(lang, "histogram.customers")),
    series: [
      {
        type: "bar",
        name: t(lang, "histogram.customers"),
        barCategoryGap: "18%",
        barMaxWidth: 40,
        itemStyle: { color: COLORS.histogram, borderRadius: [3, 3, 0, 0] },
        data: bins.map((bin) => bin.customers),
        tooltip: { valueFormatter: (value) => formatInteger(value, lang) },
      },
    ],
  });
}

/** The histogram as a table. */
export function table(report, lang) {
  const rows = report.days_to_second_histogram.map((bin) => [binName(bin), formatInteger(bin.customers, lang)]);
  const headers = [t(lang, "histogram.days"), t(lang, "histogram.customers")];
  return dataTable(headers, rows, t(lang, "histogram.title"));
}
