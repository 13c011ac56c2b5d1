// The F1 → F5+ funnel: customers with at least n purchase occasions per stage, as horizontal bars
// labelled with the count and the rate to the next stage; table() gives the same numbers as a table.
import { dataTable, reportCell } from "../dom.js";
import { formatInteger, formatPercent } from "../format.js";
import { t } from "../i18n.js";
import { COLORS, axisStyle, baseOption, draw } from "./common.js";

/** "F1" … "F4", then "F5+" (stage 5 counts customers with 5 or more occasions). */
export function stageName(stage) {
  return stage >= 5 ? "F5+" : `F${stage}`;
}

function barLabel(stage, lang) {
  const count = formatInteger(stage.customers, lang);
  if (stage.next_rate == null) return count;
  return `${count}  ·  ${formatPercent(stage.next_rate, lang)} → ${stageName(stage.stage + 1)}`;
}

/** Draws the funnel of `report` into `el`. */
export function render(report, el, lang) {
  const stages = report.funnel;
  const axis = axisStyle();
  draw(el, {
    ...baseOption(),
    grid: { left: 8, right: 150, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", show: false },
    yAxis: {
      type: "category",
      inverse: true,
      data: stages.map((stage) => stageName(stage.stage)),
      ...axis,
      axisLine: { show: false },
      axisLabel: { color: COLORS.text, fontWeight: 600, fontSize: 13 },
    },
    series: [
      {
        type: "bar",
        name: t(lang, "funnel.customers"),
        barWidth: "62%",
        data: stages.map((stage, index) => ({
          value: stage.customers,
          itemStyle: { color: COLORS.funnel[index % COLORS.funnel.length], borderRadius: [0, 4, 4, 0] },
        })),
        label: {
          show: true,
          position: "right",
          color: COLORS.text,
          formatter: ({ dataIndex }) => barLabel(stages[dataIndex], lang),
        },
        tooltip: { valueFormatter: (value) => formatInteger(value, lang) },
      },
    ],
  });
}

/** The funnel as a table; each number cell carries its Report path (funnel.N.customers, funnel.N.next_rate). */
export function table(report, lang) {
  const rows = report.funnel.map((stage, index) => [
    reportCell(`funnel.${index}.stage`, stage.stage, stageName(stage.stage)),
    reportCell(`funnel.${index}.customers`, stage.customers, formatInteger(stage.customers, lang)),
    reportCell(`funnel.${index}.next_rate`, stage.next_rate, formatPercent(stage.next_rate, lang)),
  ]);
  const headers = [t(lang, "funnel.stage"), t(lang, "funnel.customers"), t(lang, "funnel.next")];
  return dataTable(headers, rows, t(lang, "funnel.title"));
}
