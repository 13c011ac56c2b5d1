// The cohorts view: historical LTV at 3, 6, 12 and 24 months with the number of customers each figure
// rests on (and, from the shop's own gross margin and acquisition cost, gross-profit LTV and LTV ÷ CAC),
// the retention heatmap (cohort month × months since the first purchase) and the cumulative revenue per
// customer of each cohort; the customer list of any cohort downloads as CSV. Reads report.cohorts and
// report.historical_ltv.
import { COLORS, axisStyle, baseOption, draw } from "../charts/common.js";
import { dataTable, escapeHtml, h, reportCell, reportValue } from "../dom.js";
import { formatDecimal, formatInteger, formatMoney, formatMonth, formatPercent, moneyScale, moneyUnit } from "../format.js";
import { t } from "../i18n.js";
import { card, chartBox, downloadButton, encodingPicker, figure, numbers } from "./shared.js";

export const id = "cohorts";
/** The Report sections this view shows (it is drawn once they have all arrived). */
export const sections = ["cohorts", "historical_ltv", "cohort_limits"];

function wholePercent(value, lang) {
  return new Intl.NumberFormat(lang === "ja" ? "ja-JP" : "en-US", { style: "percent", maximumFractionDigits: 0 }).format(value);
}

/** The shop's inputs: gross margin (a fraction) and acquisition cost, or null when blank or invalid. */
function readInputs(state) {
  const margin = parseNumber(state.margin);
  const cac = parseNumber(state.cac);
  return {
    margin: margin != null && margin > 0 && margin <= 100 ? margin / 100 : null,
    marginInvalid: margin === undefined || (margin != null && !(margin > 0 && margin <= 100)),
    cac: cac != null && cac > 0 ? cac : null,
    cacInvalid: cac === undefined || (cac != null && !(cac > 0)),
  };
}

/** A number typed by the user: null when blank, undefined when not a number. */
function parseNumber(text) {
  const trimmed = String(text ?? "").trim().replace(/,/g, "");
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

function ltvFigures(report, ctx) {
  const { lang } = ctx.state;
  const money = (value) => formatMoney(value, moneyUnit(report, ctx.state.currencyDisplay), lang);
  const inputs = readInputs(ctx.state);
  return report.historical_ltv.map((entry, index) => {
    const value = entry.avg_revenue_per_customer;
    const notes = [
      h(
        "span",
        {},
        value == null
          ? t(lang, "cohorts.noneEligible", { months: entry.months })
          : [
              t(lang, "cohorts.basedOnBefore"),
              reportValue(`historical_ltv.${index}.eligible_customers`, entry.eligible_customers, formatInteger(entry.eligible_customers, lang)),
              t(lang, "cohorts.basedOnAfter"),
            ],
      ),
    ];
    if (value != null && inputs.margin != null) {
      notes.push(h("span", { class: "derived", data: { derived: `gross_profit_ltv_${entry.months}` } }, t(lang, "cohorts.grossProfit", { value: money(value * inputs.margin) })));
    }
    if (value != null && inputs.cac != null) {
      const base = inputs.margin != null ? value * inputs.margin : value;
      const ratio = base / inputs.cac;
      notes.push(
        h(
          "span",
          { class: `derived ratio ${ratio >= 3 ? "ratio-good" : ratio < 1 ? "ratio-bad" : ""}`, data: { derived: `ltv_cac_${entry.months}` } },
          t(lang, inputs.margin != null ? "cohorts.gpLtvCac" : "cohorts.ltvCac", { ratio: formatDecimal(ratio, lang, 1) }),
        ),
      );
    }
    return figure(
      t(lang, "cohorts.ltvAt", { months: entry.months }),
      reportValue(`historical_ltv.${index}.avg_revenue_per_customer`, value, money(value), "div"),
      h("span", { class: "figure-notes" }, notes),
    );
  });
}

function ltvCard(report, ctx) {
  const { lang } = ctx.state;
  const figures = h("div", { class: "figures" });
  const draw = () => figures.replaceChildren(...ltvFigures(report, ctx));
  const field = (key, label, hint, attrs) => {
    const input = h("input", { type: "text", inputmode: "decimal", id: `input-${key}`, value: ctx.state[key] ?? "", autocomplete: "off", ...attrs });
    const update = () => {
      ctx.state[key] = input.value;
      const inputs = readInputs(ctx.state);
      input.setAttribute("aria-invalid", String(inputs[`${key}Invalid`]));
      draw();
    };
    input.addEventListener("input", update);
    return h("label", { class: "field" }, h("span", {}, label), input, h("small", { class: "muted" }, hint));
  };
  draw();
  const rows = report.historical_ltv.map((entry, index) => [
    reportCell(`historical_ltv.${index}.months`, entry.months, t(lang, "cohorts.monthsShort", { months: entry.months })),
    reportCell(`historical_ltv.${index}.avg_revenue_per_customer`, entry.avg_revenue_per_customer, formatMoney(entry.avg_revenue_per_customer, moneyUnit(report, ctx.state.currencyDisplay), lang)),
    reportCell(`historical_ltv.${index}.eligible_customers`, entry.eligible_customers, formatInteger(entry.eligible_customers, lang)),
  ]);
  return card(
    { title: t(lang, "cohorts.ltvTitle"), def: t(lang, "cohorts.ltvDef"), lang, wide: true, id: "ltv" },
    figures,
    h(
      "div",
      { class: "fields" },
      field("margin", t(lang, "cohorts.margin"), t(lang, "cohorts.marginHint"), { placeholder: t(lang, "cohorts.marginExample") }),
      field("cac", report.currency ? t(lang, "cohorts.cac", { currency: report.currency }) : t(lang, "cohorts.cacPlain"), t(lang, "cohorts.cacHint"), { placeholder: t(lang, "cohorts.cacExample") }),
    ),
    numbers(lang, dataTable([t(lang, "cohorts.horizon"), t(lang, "cohorts.ltv"), t(lang, "cohorts.eligible")], rows, t(lang, "cohorts.ltvTitle"))),
  );
}

function renderHeatmap(report, el, lang) {
  const cohorts = report.cohorts;
  const months = Math.max(0, ...cohorts.map((cohort) => cohort.retention.length));
  const data = [];
  let max = 0;
  cohorts.forEach((cohort, row) => {
    cohort.retention.forEach((rate, k) => {
      if (rate == null) return;
      data.push([k, row, rate]);
      if (k > 0) max = Math.max(max, rate);
    });
  });
  const cellWidth = (el.clientWidth - 100) / Math.max(months, 1);
  const axis = axisStyle();
  draw(el, {
    ...baseOption(),
    tooltip: {
      ...baseOption().tooltip,
      trigger: "item",
      formatter: ({ value: [k, row, rate] }) => {
        const cohort = cohorts[row];
        return [
          t(lang, "cohorts.tipCohort", { month: formatMonth(cohort.cohort, lang), k }),
          t(lang, "cohorts.tipActive", {
            rate: formatPercent(rate, lang),
            active: formatInteger(cohort.active_customers[k], lang),
            customers: formatInteger(cohort.customers, lang),
          }),
        ]
          .map(escapeHtml)
          .join("<br>");
      },
    },
    grid: { left: 8, right: 8, top: 8, bottom: 40, containLabel: true },
    xAxis: {
      type: "category",
      data: Array.from({ length: months }, (_, k) => String(k)),
      name: t(lang, "cohorts.monthsSince"),
      nameLocation: "middle",
      nameGap: 26,
      nameTextStyle: { color: COLORS.muted },
      ...axis,
      splitArea: { show: false },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: cohorts.map((cohort) => formatMonth(cohort.cohort, lang)),
      ...axis,
      axisLabel: { color: COLORS.text },
    },
    visualMap: {
      show: false,
      min: 0,
      max: Math.max(max, 0.01),
      inRange: { color: ["#f3f6fc", "#a6c1f4", "#3366d6", "#1b3f9c"] },
    },
    series: [
      {
        type: "heatmap",
        data: data.map(([k, row, rate]) => ({
          value: [k, row, rate],
          label: { color: rate / Math.max(max, 0.01) > 0.55 ? "#ffffff" : COLORS.text },
        })),
        itemStyle: { borderColor: "#ffffff", borderWidth: 1 },
        label: {
          show: cellWidth >= 30,
          fontSize: 10,
          formatter: ({ value: [, , rate] }) => wholePercent(rate, lang),
        },
      },
    ],
  });
}

// Older cohorts light, newer dark: a gradient reads as time without a legend lookup.
function cohortColor(index, count) {
  const from = [166, 193, 244];
  const to = [27, 63, 156];
  const share = count <= 1 ? 1 : index / (count - 1);
  const mix = from.map((c, i) => Math.round(c + (to[i] - c) * share));
  return `rgb(${mix.join(",")})`;
}

function renderCurves(report, el, lang, unit) {
  const cohorts = report.cohorts;
  const months = Math.max(0, ...cohorts.map((cohort) => cohort.cumulative_revenue_per_customer.length));
  const money = (value) => formatMoney(value, unit, lang);
  const axis = axisStyle();
  draw(el, {
    ...baseOption(),
    tooltip: {
      ...baseOption().tooltip,
      trigger: "item",
      formatter: ({ seriesName, value: [k, amount] }) =>
        [seriesName, t(lang, "cohorts.tipCurve", { k, value: money(amount) })].map(escapeHtml).join("<br>"),
    },
    legend: { type: "scroll", top: 0, icon: "roundRect", itemWidth: 12, itemHeight: 4, textStyle: { color: COLORS.text } },
    grid: { left: 8, right: 16, top: 40, bottom: 40, containLabel: true },
    xAxis: {
      type: "value",
      min: 0,
      max: Math.max(months - 1, 1),
      minInterval: 1,
      name: t(lang, "cohorts.monthsSince"),
      nameLocation: "middle",
      nameGap: 26,
      nameTextStyle: { color: COLORS.muted },
      ...axis,
    },
    yAxis: {
      type: "value",
      ...axis,
      axisLine: { show: false },
      axisLabel: {
        color: COLORS.muted,
        formatter: moneyScale(Math.max(0, ...cohorts.flatMap((cohort) => cohort.cumulative_revenue_per_customer)), unit, lang),
      },
    },
    series: cohorts.map((cohort, index) => ({
      type: "line",
      name: formatMonth(cohort.cohort, lang),
      data: cohort.cumulative_revenue_per_customer.map((value, k) => [k, value]),
      symbolSize: 5,
      lineStyle: { width: 1.6 },
      color: cohortColor(index, cohorts.length),
      emphasis: { focus: "series" },
    })),
  });
}

function cohortTable(report, lang, field, format) {
  const months = Math.max(0, ...report.cohorts.map((cohort) => cohort[field].length));
  const headers = [t(lang, "cohorts.cohort"), t(lang, "cohorts.customers"), ...Array.from({ length: months }, (_, k) => t(lang, "cohorts.monthK", { k }))];
  const rows = report.cohorts.map((cohort, index) => [
    reportCell(`cohorts.${index}.cohort`, cohort.cohort, formatMonth(cohort.cohort, lang)),
    reportCell(`cohorts.${index}.customers`, cohort.customers, formatInteger(cohort.customers, lang)),
    ...Array.from({ length: months }, (_, k) =>
      k < cohort[field].length ? reportCell(`cohorts.${index}.${field}.${k}`, cohort[field][k], format(cohort, k)) : "",
    ),
  ]);
  return dataTable(headers, rows, t(lang, `cohorts.table.${field}`));
}

function downloadRow(report, ctx) {
  const { lang } = ctx.state;
  const cohorts = report.cohorts;
  if (cohorts.length === 0) return null;
  const select = h(
    "select",
    { id: "cohort-select" },
    cohorts.map((cohort) =>
      h("option", { value: cohort.cohort }, t(lang, "cohorts.option", { month: formatMonth(cohort.cohort, lang), customers: formatInteger(cohort.customers, lang) })),
    ),
  );
  select.value = ctx.state.cohortChoice && cohorts.some((c) => c.cohort === ctx.state.cohortChoice) ? ctx.state.cohortChoice : cohorts.at(-1).cohort;
  const slot = h("span", {});
  const place = () => {
    ctx.state.cohortChoice = select.value;
    const cohort = cohorts.find((c) => c.cohort === select.value);
    slot.replaceChildren(downloadButton(ctx, { cohort: cohort.cohort }, t(lang, "cohorts.listName", { month: formatMonth(cohort.cohort, lang) }), cohort.customers));
  };
  select.addEventListener("change", place);
  place();
  return h(
    "div",
    { class: "card-tools download-row" },
    h("label", { class: "field-inline" }, h("span", {}, t(lang, "cohorts.listOf")), select),
    slot,
    encodingPicker(ctx),
  );
}

/** The caps on the cohorts shown (report.cohort_limits), and how many older cohorts they left out. */
function limitsNote(report, lang) {
  const limits = report.cohort_limits;
  const value = (key) => reportValue(`cohort_limits.${key}`, limits[key], formatInteger(limits[key], lang));
  return h(
    "p",
    { id: "cohort-limits", class: "muted" },
    t(lang, "cohorts.limitsCohorts"),
    value("max_cohorts"),
    t(lang, "cohorts.limitsMonths"),
    value("max_months"),
    t(lang, "cohorts.limitsLeftOut"),
    value("cohorts_left_out"),
    t(lang, "cohorts.limitsEnd"),
  );
}

export function mount(panel) {
  panel.classList.add("view-grid");
}

export function render(report, ctx, panel) {
  const { lang } = ctx.state;
  const heatmap = chartBox(t(lang, "cohorts.retentionTitle"), "chart");
  const curves = chartBox(t(lang, "cohorts.curvesTitle"), "chart chart-tall");
  // About 26 px per cohort row, so labels and percentages stay readable however many months the file has.
  heatmap.style.height = `${Math.max(220, report.cohorts.length * 26 + 70)}px`;
  const money = (value) => formatMoney(value, moneyUnit(report, ctx.state.currencyDisplay), lang);
  panel.replaceChildren(
    ltvCard(report, ctx),
    card(
      { title: t(lang, "cohorts.retentionTitle"), def: t(lang, "cohorts.retentionDef"), lang, wide: true, id: "retention" },
      downloadRow(report, ctx),
      limitsNote(report, lang),
      heatmap,
      numbers(
        lang,
        h(
          "div",
          {},
          cohortTable(report, lang, "retention", (cohort, k) => formatPercent(cohort.retention[k], lang)),
          cohortTable(report, lang, "active_customers", (cohort, k) => formatInteger(cohort.active_customers[k], lang)),
          cohortTable(report, lang, "revenue", (cohort, k) => money(cohort.revenue[k])),
        ),
      ),
    ),
    card(
      { title: t(lang, "cohorts.curvesTitle"), def: t(lang, "cohorts.curvesDef"), lang, wide: true, id: "curves" },
      curves,
      numbers(lang, cohortTable(report, lang, "cumulative_revenue_per_customer", (cohort, k) => money(cohort.cumulative_revenue_per_customer[k]))),
    ),
  );
  if (report.cohorts.length > 0) {
    renderHeatmap(report, heatmap, lang);
    renderCurves(report, curves, lang, moneyUnit(report, ctx.state.currencyDisplay));
  }
}

export const strings = {
  en: {
    "cohorts.tab": "Cohorts & LTV",
    "cohorts.limitsCohorts": "Shown: the latest ",
    "cohorts.limitsMonths": " cohorts at most, each over its first ",
    "cohorts.limitsLeftOut": " months at most. Older cohorts not shown: ",
    "cohorts.limitsEnd": ".",
    "cohorts.ltvTitle": "Historical LTV: revenue per customer in their first months",
    "cohorts.ltvDef": "For m months: the customers whose first purchase was at least m calendar months before the analysis date (the day clamped to the month's end: Jan 31 + 1 month = Feb 28/29), and the average revenue of their orders before their first purchase date + m months. Only customers old enough count, so each figure says how many customers it rests on.",
    "cohorts.ltvAt": "LTV at {months} months",
    "cohorts.basedOnBefore": "from ",
    "cohorts.basedOnAfter": " customers",
    "cohorts.noneEligible": "No customer bought for the first time {months} months before the analysis date yet.",
    "cohorts.grossProfit": "Gross profit: {value}",
    "cohorts.ltvCac": "LTV ÷ CAC: {ratio}×",
    "cohorts.gpLtvCac": "Gross-profit LTV ÷ CAC: {ratio}×",
    "cohorts.margin": "Gross margin (%)",
    "cohorts.marginExample": "e.g. 40",
    "cohorts.cacExample": "e.g. 3000",
    "cohorts.marginHint": "Optional: gives gross-profit LTV = LTV × margin",
    "cohorts.cac": "Acquisition cost per customer ({currency})",
    "cohorts.cacPlain": "Acquisition cost per customer",
    "cohorts.cacHint": "Optional: gives LTV ÷ CAC (3× or more is healthy)",
    "cohorts.horizon": "Months",
    "cohorts.monthsShort": "{months} months",
    "cohorts.ltv": "Average revenue per customer",
    "cohorts.eligible": "Customers it rests on",
    "cohorts.retentionTitle": "Retention by cohort",
    "cohorts.retentionDef": "A cohort is the customers whose first purchase fell in that calendar month. Month k shows the share of the cohort that ordered in the k-th month after the first purchase month (month 0 is the first month: 100%). Hover over a cell for the number of customers.",
    "cohorts.monthsSince": "Months since the first purchase",
    "cohorts.tipCohort": "{month} cohort · month {k}",
    "cohorts.tipActive": "{rate} ({active} of {customers} customers)",
    "cohorts.curvesTitle": "Cumulative revenue per customer by cohort",
    "cohorts.curvesDef": "For each cohort, the revenue of its orders from the first month up to month k, divided by the cohort's customers. Newer cohorts are darker; click a month in the legend to hide it.",
    "cohorts.tipCurve": "Month {k}: {value} per customer",
    "cohorts.cohort": "Cohort",
    "cohorts.customers": "Customers",
    "cohorts.monthK": "M{k}",
    "cohorts.table.retention": "Retention by cohort and month",
    "cohorts.table.active_customers": "Customers with an order by cohort and month",
    "cohorts.table.revenue": "Revenue by cohort and month",
    "cohorts.table.cumulative_revenue_per_customer": "Cumulative revenue per customer by cohort and month",
    "cohorts.listOf": "Customers of the cohort",
    "cohorts.option": "{month} ({customers} customers)",
    "cohorts.listName": "{month} cohort",
  },
  ja: {
    "cohorts.tab": "コホート・LTV",
    "cohorts.limitsCohorts": "表示は最新の ",
    "cohorts.limitsMonths": " コホートまで、各コホートは最初の ",
    "cohorts.limitsLeftOut": " か月までです。表示していない古いコホートは ",
    "cohorts.limitsEnd": " 件。",
    "cohorts.ltvTitle": "実績LTV: 初回購入から一定期間の顧客あたり売上",
    "cohorts.ltvDef": "mか月のLTV: 初回購入日が基準日のmか月（暦月。月末は繰り上げず、1月31日の1か月後は2月28日/29日）以上前の顧客を対象に、初回購入日のmか月後より前の注文の売上を平均した額です。期間が経過した顧客だけが対象なので、何人の顧客にもとづく数値かを併記します。",
    "cohorts.ltvAt": "{months}か月LTV",
    "cohorts.basedOnBefore": "対象 ",
    "cohorts.basedOnAfter": " 人",
    "cohorts.noneEligible": "初回購入から{months}か月が経過した顧客はまだいません。",
    "cohorts.grossProfit": "粗利: {value}",
    "cohorts.ltvCac": "LTV ÷ CAC: {ratio}倍",
    "cohorts.gpLtvCac": "粗利LTV ÷ CAC: {ratio}倍",
    "cohorts.margin": "粗利率（%）",
    "cohorts.marginExample": "例: 40",
    "cohorts.cacExample": "例: 3000",
    "cohorts.marginHint": "任意: 粗利LTV = LTV × 粗利率 を表示",
    "cohorts.cac": "顧客獲得単価 CAC（{currency}）",
    "cohorts.cacPlain": "顧客獲得単価 CAC",
    "cohorts.cacHint": "任意: LTV ÷ CAC を表示（3倍以上が目安）",
    "cohorts.horizon": "期間",
    "cohorts.monthsShort": "{months}か月",
    "cohorts.ltv": "顧客あたり平均売上",
    "cohorts.eligible": "対象顧客数",
    "cohorts.retentionTitle": "コホート別の継続率",
    "cohorts.retentionDef": "コホートは初回購入が同じ暦月の顧客です。k か月目は、初回購入月のkか月後の月に注文した顧客の割合です（0か月目は初回購入月で100%）。マスにカーソルを合わせると人数を表示します。",
    "cohorts.monthsSince": "初回購入からの月数",
    "cohorts.tipCohort": "{month}コホート・{k}か月目",
    "cohorts.tipActive": "{rate}（{customers}人中{active}人）",
    "cohorts.curvesTitle": "コホート別の顧客あたり累計売上",
    "cohorts.curvesDef": "各コホートの初回購入月からkか月目までの注文の売上を、コホートの顧客数で割った額です。新しいコホートほど濃い色です。凡例の月をクリックすると表示を切り替えられます。",
    "cohorts.tipCurve": "{k}か月目: 顧客あたり {value}",
    "cohorts.cohort": "コホート",
    "cohorts.customers": "顧客数",
    "cohorts.monthK": "{k}か月目",
    "cohorts.table.retention": "コホート・月別の継続率",
    "cohorts.table.active_customers": "コホート・月別の購入顧客数",
    "cohorts.table.revenue": "コホート・月別の売上",
    "cohorts.table.cumulative_revenue_per_customer": "コホート・月別の顧客あたり累計売上",
    "cohorts.listOf": "コホートの顧客",
    "cohorts.option": "{month}（{customers}人）",
    "cohorts.listName": "{month}コホート",
  },
};
