// The Subscriptions view (定期購入), shown only for a file with a subscriptions section: how many subscribers
// reach each delivery (継続率, observed, with the shifted-beta-geometric projection continued to delivery 24
// as a dashed line), the retention table, monthly churn (解約率) as bars, and what a new subscriber is
// expected to bring (expected deliveries within the first 24 × the shop's mean delivery revenue); the
// active, at-risk and churned subscribers one download away. Reads report.subscriptions.
import { COLORS, axisStyle, baseOption, countAxis, draw } from "../charts/common.js";
import { dataTable, h, reportCell, reportValue } from "../dom.js";
import { formatDays, formatDecimal, formatInteger, formatMoney, formatMonth, formatPercent, moneyUnit } from "../format.js";
import { t, tParts } from "../i18n.js";
import { noteText as modelNote } from "../messages.js";
import { card, chartBox, downloadButton, encodingPicker, figure, numbers } from "./shared.js";

export const id = "subscriptions";
/** The Report sections this view shows (it is drawn once they have all arrived). */
export const sections = ["subscriptions"];

/** Whether the view has anything to show: its tab is hidden for a file without subscriptions. */
export function shown(report) {
  return report.subscriptions != null;
}

const LISTS = ["active", "at_risk", "churned"];

export function mount(panel) {
  panel.classList.add("view-grid");
}

/** A note of the section in the page's language, from its code and arguments (a refused fit's reason is the models' sentence, worded as theirs are). */
function noteText(note, lang) {
  const args = note.args.reason == null ? note.args : { ...note.args, reason: modelNote(note.args.reason, lang).text };
  return t(lang, `subscriptions.note.${note.code}`, args);
}

function summaryCard(report, ctx) {
  const { lang } = ctx.state;
  const s = report.subscriptions;
  const value = (path, raw, text) => reportValue(`subscriptions.${path}`, raw, text, "div");
  const money = (amount) => formatMoney(amount, moneyUnit(report, ctx.state.currencyDisplay), lang);
  const sbg = s.sbg;
  const worth = sbg && s.mean_delivery_revenue != null ? sbg.expected_deliveries_first_24 * s.mean_delivery_revenue : null;
  return card(
    { title: t(lang, "subscriptions.title"), def: t(lang, "subscriptions.def"), lang, wide: true, id: "subscriptions-summary" },
    h(
      "div",
      { class: "figures" },
      figure(t(lang, `subscriptions.units.${s.unit}`), value("units", s.units, formatInteger(s.units, lang))),
      figure(t(lang, "subscriptions.active"), value("active", s.active, formatInteger(s.active, lang))),
      figure(t(lang, "subscriptions.churned"), value("churned", s.churned, formatInteger(s.churned, lang))),
      figure(t(lang, "subscriptions.deliveries"), value("deliveries", s.deliveries, formatInteger(s.deliveries, lang))),
      figure(t(lang, "subscriptions.meanRevenue"), value("mean_delivery_revenue", s.mean_delivery_revenue, s.mean_delivery_revenue == null ? "—" : money(s.mean_delivery_revenue))),
    ),
    h(
      "p",
      { class: "card-note" },
      ...tParts(lang, "subscriptions.cycle", {
        median: reportValue("subscriptions.cycle_days.median", s.cycle_days.median, s.cycle_days.median == null ? "—" : formatDays(s.cycle_days.median, lang)),
        p75: reportValue("subscriptions.cycle_days.p75", s.cycle_days.p75, s.cycle_days.p75 == null ? "—" : formatDays(s.cycle_days.p75, lang)),
        lapse: reportValue("subscriptions.lapse_days", s.lapse_days, s.lapse_days == null ? "—" : formatDays(s.lapse_days, lang)),
      }),
    ),
    sbg
      ? h(
          "p",
          { class: "card-note subscriptions-worth" },
          ...tParts(lang, "subscriptions.worth", {
            deliveries: reportValue("subscriptions.sbg.expected_deliveries_first_24", sbg.expected_deliveries_first_24, formatDecimal(sbg.expected_deliveries_first_24, lang, 1), "strong"),
            value: h("strong", {}, worth == null ? "—" : money(worth)),
          }),
        )
      : null,
    ...s.notes.map((note) => h("p", { class: "muted card-note", data: { note: note.code } }, noteText(note, lang))),
  );
}

/** The share reaching each delivery: observed (Kaplan–Meier) and, with a fit, projected to delivery 25. */
function renderCurve(report, el, lang) {
  const s = report.subscriptions;
  const projected = s.sbg ? [1, ...s.sbg.projected_survival] : [];
  const observed = [1, ...s.retention.map((step) => step.survival)];
  const last = Math.max(projected.length, observed.length);
  const deliveries = Array.from({ length: last }, (_, i) => String(i + 1));
  const percent = (value) => (value == null ? "—" : formatPercent(value, lang));
  draw(el, {
    ...baseOption(),
    legend: { top: 0, textStyle: { color: COLORS.text } },
    grid: { left: 8, right: 16, top: 36, bottom: 28, containLabel: true },
    xAxis: { type: "category", data: deliveries, name: t(lang, "subscriptions.delivery"), nameLocation: "middle", nameGap: 24, ...axisStyle() },
    yAxis: { type: "value", min: 0, max: 1, ...axisStyle(), axisLabel: { color: COLORS.muted, formatter: (v) => formatPercent(v, lang) } },
    tooltip: { ...baseOption().tooltip, axisPointer: { type: "line" }, valueFormatter: percent },
    series: [
      {
        type: "line",
        name: t(lang, "subscriptions.observed"),
        data: observed.map((v) => (v == null ? "-" : v)),
        itemStyle: { color: COLORS.new },
        lineStyle: { width: 3 },
        symbolSize: 6,
      },
      ...(s.sbg
        ? [
            {
              type: "line",
              name: t(lang, "subscriptions.projected"),
              data: projected,
              itemStyle: { color: COLORS.returning },
              lineStyle: { type: "dashed", width: 2 },
              symbol: "none",
            },
          ]
        : []),
    ],
  });
}

function retentionCard(report, ctx) {
  const { lang } = ctx.state;
  const s = report.subscriptions;
  const chart = chartBox(t(lang, "subscriptions.curveTitle"));
  const headers = [t(lang, "subscriptions.delivery"), t(lang, "subscriptions.reached"), t(lang, "subscriptions.atRisk"), t(lang, "subscriptions.continued"), t(lang, "subscriptions.rate"), t(lang, "subscriptions.survival")];
  const rows = s.retention.map((step, i) => {
    const path = (field) => `subscriptions.retention.${i}.${field}`;
    return [
      reportCell(path("delivery"), step.delivery, t(lang, "subscriptions.nth", { n: step.delivery })),
      reportCell(path("reached"), step.reached, formatInteger(step.reached, lang)),
      reportCell(path("at_risk"), step.at_risk, formatInteger(step.at_risk, lang)),
      reportCell(path("continued"), step.continued, formatInteger(step.continued, lang)),
      reportCell(path("rate"), step.rate, step.rate == null ? "—" : formatPercent(step.rate, lang)),
      reportCell(path("survival"), step.survival, step.survival == null ? "—" : formatPercent(step.survival, lang)),
    ];
  });
  const element = card(
    { title: t(lang, "subscriptions.curveTitle"), def: t(lang, "subscriptions.curveDef"), lang, wide: true, id: "subscriptions-retention" },
    s.sbg ? null : h("p", { class: "card-note" }, t(lang, "subscriptions.noProjection")),
    chart,
    h("div", { class: "table-wrap", tabindex: "0" }, dataTable(headers, rows, t(lang, "subscriptions.tableTitle"))),
  );
  return { element, chart };
}

function projectionCard(report, ctx) {
  const { lang } = ctx.state;
  const s = report.subscriptions;
  const sbg = s.sbg;
  const title = t(lang, "subscriptions.projectionTitle");
  if (!sbg) {
    const note = s.sbg_note;
    return card(
      { title, def: t(lang, "subscriptions.projectionDef"), lang, id: "subscriptions-projection" },
      h("p", { class: "card-note", data: { note: note?.code ?? "" } }, note ? noteText(note, lang) : "—"),
    );
  }
  const number = (path, raw, digits) => reportCell(`subscriptions.sbg.${path}`, raw, raw == null ? "—" : formatDecimal(raw, lang, digits));
  const parameters = dataTable(
    [t(lang, "subscriptions.parameter"), t(lang, "subscriptions.estimate"), t(lang, "subscriptions.se")],
    [
      ["α", number("alpha", sbg.alpha, 4), number("se.alpha", sbg.se.alpha, 4)],
      ["β", number("beta", sbg.beta, 4), number("se.beta", sbg.se.beta, 4)],
      [t(lang, "subscriptions.logLikelihood"), number("log_likelihood", sbg.log_likelihood, 2), ""],
    ],
    title,
  );
  const projected = dataTable(
    [t(lang, "subscriptions.delivery"), t(lang, "subscriptions.projectedShare")],
    sbg.projected_survival.map((share, i) => [t(lang, "subscriptions.nth", { n: i + 2 }), reportCell(`subscriptions.sbg.projected_survival.${i}`, share, formatPercent(share, lang))]),
    t(lang, "subscriptions.projected"),
  );
  return card(
    { title, def: t(lang, "subscriptions.projectionDef"), lang, id: "subscriptions-projection" },
    h("div", { class: "table-wrap", tabindex: "0" }, parameters),
    numbers(lang, projected),
  );
}

function renderChurn(report, el, lang) {
  const months = report.subscriptions.monthly;
  draw(el, {
    ...baseOption(),
    grid: { left: 8, right: 16, top: 28, bottom: 28, containLabel: true },
    xAxis: { type: "category", data: months.map((m) => formatMonth(m.month, lang)), ...axisStyle() },
    yAxis: { ...countAxis(t(lang, "subscriptions.churnRate")), minInterval: 0, axisLabel: { color: COLORS.muted, formatter: (v) => formatPercent(v, lang) } },
    series: [
      {
        type: "bar",
        name: t(lang, "subscriptions.churnRate"),
        barMaxWidth: 28,
        itemStyle: { color: COLORS.histogram, borderRadius: [3, 3, 0, 0] },
        data: months.map((m) => m.churn_rate ?? "-"),
        tooltip: { valueFormatter: (v) => (typeof v === "number" ? formatPercent(v, lang) : "—") },
      },
    ],
  });
}

function churnCard(report, ctx) {
  const { lang } = ctx.state;
  const months = report.subscriptions.monthly;
  const chart = chartBox(t(lang, "subscriptions.churnTitle"));
  const rows = months.map((m, i) => {
    const path = (field) => `subscriptions.monthly.${i}.${field}`;
    return [
      reportCell(path("month"), m.month, formatMonth(m.month, lang)),
      reportCell(path("active_at_start"), m.active_at_start, formatInteger(m.active_at_start, lang)),
      reportCell(path("new"), m.new, formatInteger(m.new, lang)),
      reportCell(path("churned"), m.churned, formatInteger(m.churned, lang)),
      reportCell(path("churn_rate"), m.churn_rate, m.churn_rate == null ? "—" : formatPercent(m.churn_rate, lang)),
    ];
  });
  const headers = [t(lang, "subscriptions.month"), t(lang, "subscriptions.activeAtStart"), t(lang, "subscriptions.new"), t(lang, "subscriptions.churnedInMonth"), t(lang, "subscriptions.churnRate")];
  const element = card(
    { title: t(lang, "subscriptions.churnTitle"), def: t(lang, "subscriptions.churnDef"), lang, wide: true, id: "subscriptions-churn" },
    chart,
    numbers(lang, dataTable(headers, rows, t(lang, "subscriptions.churnTitle"))),
  );
  return { element, chart };
}

function listsCard(ctx) {
  const { lang } = ctx.state;
  return card(
    { title: t(lang, "subscriptions.listsTitle"), def: t(lang, "subscriptions.listsDef"), lang, id: "subscriptions-lists" },
    encodingPicker(ctx),
    h(
      "ul",
      { class: "subscription-lists" },
      ...LISTS.map((state) => h("li", {}, h("span", {}, t(lang, `subscriptions.list.${state}`)), " ", downloadButton(ctx, { subscription: state }, t(lang, `subscriptions.list.${state}`)))),
    ),
  );
}

export function render(report, ctx, panel) {
  const retention = retentionCard(report, ctx);
  const churn = churnCard(report, ctx);
  panel.replaceChildren(summaryCard(report, ctx), retention.element, projectionCard(report, ctx), listsCard(ctx), churn.element);
  renderCurve(report, retention.chart, ctx.state.lang);
  renderChurn(report, churn.chart, ctx.state.lang);
}

export const strings = {
  en: {
    "subscriptions.tab": "Subscriptions",
    "subscriptions.title": "Subscriptions",
    "subscriptions.def": "Subscription deliveries: orders flagged as subscription orders, or with a subscription id or a delivery number. A unit is a subscription id (else a customer). A unit has churned at its cancellation date, or when its last delivery is more than the lapse before the analysis date.",
    "subscriptions.units.subscription": "Subscriptions",
    "subscriptions.units.customer": "Subscribers",
    "subscriptions.active": "Active",
    "subscriptions.churned": "Churned",
    "subscriptions.deliveries": "Deliveries",
    "subscriptions.meanRevenue": "Mean delivery revenue",
    "subscriptions.cycle": "Deliveries come every {median} (median; 75 % within {p75}); a subscription is counted as churned {lapse} after its last delivery.",
    "subscriptions.worth": "A new subscriber is expected to take {deliveries} of their first 24 deliveries: about {value} at the mean delivery revenue.",
    "subscriptions.curveTitle": "Retention by delivery (継続率)",
    "subscriptions.curveDef": "The share of new subscriptions reaching each delivery: observed (Kaplan–Meier: subscriptions still active are counted only as far as they have come), and the shifted-beta-geometric projection to delivery 25 (dashed). Subscriptions that began before the file are left out.",
    "subscriptions.tableTitle": "Retention by delivery",
    "subscriptions.delivery": "Delivery",
    "subscriptions.nth": "#{n}",
    "subscriptions.reached": "Reached",
    "subscriptions.atRisk": "At risk",
    "subscriptions.continued": "Continued",
    "subscriptions.rate": "Continuation rate",
    "subscriptions.survival": "Share reaching the next",
    "subscriptions.observed": "Observed",
    "subscriptions.projected": "Projected (sBG)",
    "subscriptions.noProjection": "No projection: see “How long they stay”.",
    "subscriptions.projectionTitle": "How long they stay",
    "subscriptions.projectionDef": "The shifted-beta-geometric model (Fader & Hardie 2007): each subscription stops after a delivery with its own probability, which varies across subscribers as Beta(α, β); fitted by maximum likelihood to the delivery counts.",
    "subscriptions.parameter": "Parameter",
    "subscriptions.estimate": "Estimate",
    "subscriptions.se": "Standard error",
    "subscriptions.logLikelihood": "Log-likelihood",
    "subscriptions.projectedShare": "Projected share reaching it",
    "subscriptions.churnTitle": "Monthly churn (解約率)",
    "subscriptions.churnDef": "For each month: the subscriptions active at its start, the new ones, the ones that churned in it, and churned ÷ active at the start.",
    "subscriptions.month": "Month",
    "subscriptions.activeAtStart": "Active at start",
    "subscriptions.new": "New",
    "subscriptions.churnedInMonth": "Churned",
    "subscriptions.churnRate": "Churn rate",
    "subscriptions.listsTitle": "Subscriber lists",
    "subscriptions.listsDef": "At risk: active, but more than the median delivery cycle since the last delivery.",
    "subscriptions.list.active": "Active subscribers",
    "subscriptions.list.at_risk": "At-risk subscribers",
    "subscriptions.list.churned": "Churned subscribers",
    "subscriptions.note.started_before_file": "{count} subscriptions began before the file (their first delivery in it is not the first): they are left out of the retention table and the projection.",
    "subscriptions.note.deliveries_without_unit": "{count} subscription deliveries have neither a subscription id nor a customer and are left out.",
    "subscriptions.note.no_cycle": "No subscription has two deliveries yet, so there is no delivery cycle to tell a lapse by; only cancellation dates count as churn.",
    "subscriptions.note.too_few_churned": "The projection needs at least {needed} churned subscriptions, and {found} have churned.",
    "subscriptions.note.sbg_not_fitted": "The projection could not be made: {reason}",
  },
  ja: {
    "subscriptions.tab": "定期購入",
    "subscriptions.title": "定期購入",
    "subscriptions.def": "定期のお届け: 定期フラグのある注文、または定期購入IDか定期回数のある注文です。単位は定期購入ID（ない場合は顧客）。解約日があればその日に、なければ最終お届けから基準日までが離脱判定日数を超えたときに解約とみなします。",
    "subscriptions.units.subscription": "定期契約数",
    "subscriptions.units.customer": "定期購入者数",
    "subscriptions.active": "継続中",
    "subscriptions.churned": "解約",
    "subscriptions.deliveries": "お届け数",
    "subscriptions.meanRevenue": "1回あたりの平均売上",
    "subscriptions.cycle": "お届け間隔は{median}（中央値。75%は{p75}以内）。最終お届けから{lapse}を超えると解約とみなします。",
    "subscriptions.worth": "新規の定期購入者は最初の24回のうち平均{deliveries}回受け取る見込みです。1回あたりの平均売上で約{value}になります。",
    "subscriptions.curveTitle": "お届け回数別の継続率",
    "subscriptions.curveDef": "新規の定期契約が各回のお届けに達する割合。実績（カプラン・マイヤー法: 継続中の契約は到達した回までだけ数えます）と、シフト型ベータ幾何モデルによる25回目までの予測（破線）。ファイルより前に始まった契約は除きます。",
    "subscriptions.tableTitle": "お届け回数別の継続率",
    "subscriptions.delivery": "お届け回",
    "subscriptions.nth": "{n}回目",
    "subscriptions.reached": "到達",
    "subscriptions.atRisk": "判定対象",
    "subscriptions.continued": "継続",
    "subscriptions.rate": "継続率",
    "subscriptions.survival": "次回に到達する割合",
    "subscriptions.observed": "実績",
    "subscriptions.projected": "モデルによる予測",
    "subscriptions.noProjection": "予測はありません。「どれだけ続くか」をご覧ください。",
    "subscriptions.projectionTitle": "どれだけ続くか",
    "subscriptions.projectionDef": "シフト型ベータ幾何モデル（Fader & Hardie 2007）: 各契約はお届けのたびに固有の確率で解約し、その確率は契約者ごとにベータ分布(α, β)に従います。お届け回数から最尤法で推定します。",
    "subscriptions.parameter": "パラメータ",
    "subscriptions.estimate": "推定値",
    "subscriptions.se": "標準誤差",
    "subscriptions.logLikelihood": "対数尤度",
    "subscriptions.projectedShare": "到達する割合（予測）",
    "subscriptions.churnTitle": "月別の解約率",
    "subscriptions.churnDef": "各月の月初の継続中契約数、新規、その月の解約数、解約数 ÷ 月初の継続中契約数。",
    "subscriptions.month": "月",
    "subscriptions.activeAtStart": "月初の継続中",
    "subscriptions.new": "新規",
    "subscriptions.churnedInMonth": "解約",
    "subscriptions.churnRate": "解約率",
    "subscriptions.listsTitle": "定期購入者リスト",
    "subscriptions.listsDef": "解約懸念: 継続中ですが、最終お届けからお届け間隔の中央値を超えています。",
    "subscriptions.list.active": "継続中の定期購入者",
    "subscriptions.list.at_risk": "解約懸念の定期購入者",
    "subscriptions.list.churned": "解約した定期購入者",
    "subscriptions.note.started_before_file": "{count}件の契約はファイルより前に始まっています（ファイル内の最初のお届けが2回目以降）。継続率の表と予測から除きました。",
    "subscriptions.note.deliveries_without_unit": "定期購入IDも顧客もない定期のお届けが{count}件あり、除きました。",
    "subscriptions.note.no_cycle": "2回以上お届けした契約がないため、お届け間隔がわかりません。解約日のある契約だけを解約とみなします。",
    "subscriptions.note.too_few_churned": "予測には解約した契約が{needed}件以上必要ですが、{found}件です。",
    "subscriptions.note.sbg_not_fitted": "予測を計算できませんでした。{reason}",
  },
};
