// The lapse view: the shop's own buying cycle (days between consecutive purchases: median, p75, p90), the
// customers past it (overdue, dormant 休眠) with the revenue they brought, each list one download away, and
// customers by days since their last purchase as a bar chart. Reads report.lapse.
import { COLORS, axisStyle, baseOption, draw, countAxis } from "../charts/common.js";
import { dataTable, h, reportCell, reportValue } from "../dom.js";
import { formatDays, formatInteger, formatMoney, moneyUnit } from "../format.js";
import { t, tParts } from "../i18n.js";
import { card, chartBox, downloadButton, encodingPicker, figure, numbers } from "./shared.js";

export const id = "lapse";
/** The Report sections this view shows (it is drawn once they have all arrived). */
export const sections = ["kpis", "lapse"];

const DAYS = ["30", "60", "90", "180", "365"];

function cycleCard(report, lang) {
  const gap = report.lapse.gap_days;
  const days = (key) => reportValue(`lapse.gap_days.${key}`, gap[key], formatDays(gap[key], lang), "div");
  const summary =
    gap.count === 0
      ? h("p", { class: "card-note" }, t(lang, "lapse.noGaps"))
      : h(
          "p",
          { class: "card-note" },
          ...tParts(lang, "lapse.cycleTip", {
            median: h("strong", {}, formatDays(gap.median, lang)),
            p75: h("strong", {}, formatDays(gap.p75, lang)),
            p90: h("strong", {}, formatDays(gap.p90, lang)),
          }),
        );
  return card(
    { title: t(lang, "lapse.cycleTitle"), def: t(lang, "lapse.cycleDef"), lang, wide: true, id: "cycle" },
    h(
      "div",
      { class: "figures" },
      figure(t(lang, "lapse.median"), days("median")),
      figure(t(lang, "lapse.p75"), days("p75")),
      figure(t(lang, "lapse.p90"), days("p90")),
      figure(t(lang, "lapse.gaps"), reportValue("lapse.gap_days.count", gap.count, formatInteger(gap.count, lang), "div")),
    ),
    summary,
  );
}

function groupCard(report, ctx, key) {
  const { lang } = ctx.state;
  const group = report.lapse[key];
  const gap = report.lapse.gap_days;
  const money = (value) => formatMoney(value, moneyUnit(report, ctx.state.currencyDisplay), lang);
  const rule =
    gap.count === 0
      ? t(lang, "lapse.noGapsShort")
      : // Recency is a whole number of days: "more than 191.7" is "more than 191", "at most 250.3" is "at most 250".
        t(lang, `lapse.${key}Rule`, { p75: formatDays(Math.floor(gap.p75), lang), p90: formatDays(Math.floor(gap.p90), lang) });
  return card(
    { title: t(lang, `lapse.${key}`), def: t(lang, `lapse.${key}Def`), lang, id: `lapse-${key}` },
    h("p", { class: "muted card-rule" }, rule),
    h(
      "div",
      { class: "figures figures-stack" },
      figure(t(lang, "lapse.customers"), reportValue(`lapse.${key}.customers`, group.customers, formatInteger(group.customers, lang), "div")),
      figure(t(lang, "lapse.revenue365"), reportValue(`lapse.${key}.revenue_last_365_days`, group.revenue_last_365_days, money(group.revenue_last_365_days), "div")),
      figure(t(lang, "lapse.revenueAll"), reportValue(`lapse.${key}.revenue_all_time`, group.revenue_all_time, money(group.revenue_all_time), "div")),
    ),
    h("p", { class: "card-note" }, t(lang, `lapse.${key}Action`)),
    h("div", { class: "card-tools" }, downloadButton(ctx, { lapse: key }, t(lang, `lapse.${key}`), group.customers)),
  );
}

function renderBars(report, el, lang) {
  const over = report.lapse.days_since_last_over;
  const axis = axisStyle();
  draw(el, {
    ...baseOption(),
    grid: { left: 8, right: 12, top: 28, bottom: 28, containLabel: true },
    xAxis: {
      type: "category",
      data: DAYS.map((d) => t(lang, "lapse.over", { days: formatDays(Number(d), lang) })),
      ...axis,
      axisLabel: { color: COLORS.text },
    },
    yAxis: countAxis(t(lang, "lapse.customers")),
    series: [
      {
        type: "bar",
        name: t(lang, "lapse.customers"),
        barMaxWidth: 56,
        itemStyle: { color: COLORS.histogram, borderRadius: [3, 3, 0, 0] },
        label: { show: true, position: "top", color: COLORS.text, formatter: ({ value }) => formatInteger(value, lang) },
        data: DAYS.map((d) => over[d]),
        tooltip: { valueFormatter: (value) => formatInteger(value, lang) },
      },
    ],
  });
}

export function mount(panel) {
  panel.classList.add("view-grid");
}

export function render(report, ctx, panel) {
  const { lang } = ctx.state;
  const chart = chartBox(t(lang, "lapse.sinceTitle"));
  const customers = report.kpis.customers;
  const rows = DAYS.map((d) => [
    t(lang, "lapse.over", { days: formatDays(Number(d), lang) }),
    reportCell(`lapse.days_since_last_over.${d}`, report.lapse.days_since_last_over[d], formatInteger(report.lapse.days_since_last_over[d], lang)),
    customers > 0 ? new Intl.NumberFormat(lang === "ja" ? "ja-JP" : "en-US", { style: "percent", maximumFractionDigits: 1 }).format(report.lapse.days_since_last_over[d] / customers) : "—",
  ]);
  panel.replaceChildren(
    cycleCard(report, lang),
    h("div", { class: "view-card-wide card-tools card-tools-bar" }, encodingPicker(ctx)),
    groupCard(report, ctx, "overdue"),
    groupCard(report, ctx, "dormant"),
    card(
      { title: t(lang, "lapse.sinceTitle"), def: t(lang, "lapse.sinceDef"), lang, wide: true, id: "since" },
      chart,
      numbers(lang, dataTable([t(lang, "lapse.since"), t(lang, "lapse.customers"), t(lang, "lapse.share")], rows, t(lang, "lapse.sinceTitle"))),
    ),
  );
  renderBars(report, chart, lang);
}

export const strings = {
  en: {
    "lapse.tab": "Lapse",
    "lapse.cycleTitle": "Your shop’s buying cycle",
    "lapse.cycleDef": "All gaps, in days, between consecutive purchase occasions of every customer (a customer's orders on one day are one occasion), pooled. The median, p75 and p90 interpolate linearly between the closest ranks.",
    "lapse.median": "Median gap",
    "lapse.p75": "75 % of gaps are within",
    "lapse.p90": "90 % of gaps are within",
    "lapse.gaps": "Repeat purchases measured",
    "lapse.cycleTip": "Customers usually come back within {median}. Quiet for longer than {p75} is unusual (overdue); longer than {p90}, they have probably gone dormant.",
    "lapse.noGaps": "No customer has bought on two different days yet, so there is no buying cycle to measure and nobody is overdue or dormant.",
    "lapse.noGapsShort": "No buying cycle yet (nobody bought twice).",
    "lapse.overdue": "Overdue",
    "lapse.overdueDef": "Customers whose days since the last purchase are more than p75 and at most p90 of the gaps between purchases.",
    "lapse.overdueRule": "Last purchase more than {p75} and at most {p90} ago",
    "lapse.overdueAction": "Later than usual but not gone: a reminder now is the cheapest win-back you have.",
    "lapse.dormant": "Dormant",
    "lapse.dormantDef": "Customers whose days since the last purchase are more than p90 of the gaps between purchases (休眠).",
    "lapse.dormantRule": "Last purchase more than {p90} ago",
    "lapse.dormantAction": "Probably gone: a reactivation offer for the valuable ones, a newsletter for the rest.",
    "lapse.customers": "Customers",
    "lapse.revenue365": "Their revenue, last 365 days",
    "lapse.revenueAll": "Their revenue, all time",
    "lapse.sinceTitle": "Customers by days since their last purchase",
    "lapse.sinceDef": "Each bar counts the customers whose last purchase was more than that many days before the analysis date; the bars overlap (over 60 days includes over 90 days).",
    "lapse.over": "> {days}",
    "lapse.since": "Days since the last purchase",
    "lapse.share": "Share of customers",
  },
  ja: {
    "lapse.tab": "離反・休眠",
    "lapse.cycleTitle": "お店の購入サイクル",
    "lapse.cycleDef": "全顧客の、連続する購入機会（同じ日の注文は1回）の間隔（日数）をまとめたものです。中央値・p75・p90は最も近い順位の間を線形補間します。",
    "lapse.median": "購入間隔の中央値",
    "lapse.p75": "購入間隔の75%はこの日数以内",
    "lapse.p90": "購入間隔の90%はこの日数以内",
    "lapse.gaps": "計測したリピート購入",
    "lapse.cycleTip": "顧客はふつう{median}以内に再購入します。{p75}を超えて購入がなければ遅れ気味（購入遅れ）、{p90}を超えると休眠している可能性が高いです。",
    "lapse.noGaps": "2日以上購入した顧客がまだいないため、購入サイクルを計測できません。購入遅れ・休眠の顧客もいません。",
    "lapse.noGapsShort": "購入サイクルはまだありません（2回以上購入した顧客がいません）。",
    "lapse.overdue": "購入遅れ",
    "lapse.overdueDef": "最終購入からの日数が、購入間隔のp75を超え、p90以下の顧客です。",
    "lapse.overdueRule": "最終購入から{p75}超、{p90}以内",
    "lapse.overdueAction": "いつもより遅れているだけで、まだ離れてはいません。今リマインドするのが最も効率のよい呼び戻しです。",
    "lapse.dormant": "休眠顧客",
    "lapse.dormantDef": "最終購入からの日数が、購入間隔のp90を超える顧客です。",
    "lapse.dormantRule": "最終購入から{p90}超",
    "lapse.dormantAction": "離れてしまった可能性が高い顧客です。購入額の大きい顧客には復帰特典を、その他はニュースレターで。",
    "lapse.customers": "顧客数",
    "lapse.revenue365": "直近365日の売上",
    "lapse.revenueAll": "累計売上",
    "lapse.sinceTitle": "最終購入からの日数別の顧客数",
    "lapse.sinceDef": "各棒は、最終購入が基準日からその日数より前の顧客の数です。棒は重なっています（60日超には90日超の顧客も含まれます）。",
    "lapse.over": "{days}超",
    "lapse.since": "最終購入からの日数",
    "lapse.share": "顧客数の割合",
  },
};
