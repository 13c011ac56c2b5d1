// The "Why they come back" view: which first purchases turn into a second one (the F2 rate by first
// product, first-occasion discount, first channel and first-occasion value band, each group with its 95 %
// interval against the overall rate; small groups greyed; the customers of a product or channel one
// download away), and when customers come back (the days between each purchase and the next, and the
// follow-up day). Reads report.drivers and report.timing.
import { dataTable, h, reportCell, reportValue } from "../dom.js";
import { formatDays, formatInteger, formatMoney, formatPercent, moneyUnit } from "../format.js";
import { t, tParts } from "../i18n.js";
import { card, downloadButton, encodingPicker, figure } from "./shared.js";

export const id = "drivers";
/** The Report sections this view shows (it is drawn once they have all arrived). */
export const sections = ["drivers", "timing"];

const GROUPS = ["by_first_product", "by_first_discount", "by_first_channel", "by_first_value"];

export function mount(panel) {
  panel.classList.add("view-grid");
}

/** The name of group `key` of `kind` as shown: discount and value bands are worded, the rest from the file. */
function groupName(lang, kind, key) {
  if (kind === "by_first_discount") return t(lang, `drivers.${key}`);
  if (kind === "by_first_value") return t(lang, "drivers.band", { band: key });
  if (kind === "by_first_channel" && key === "other") return t(lang, "drivers.other");
  return key;
}

/**
 * A group's rate as a bar on a 0–100 % track, with its interval as a whisker and the overall rate as a
 * reference line (drawn with CSS; the numbers are in the row).
 */
function rateBar(group, overall) {
  const pct = (value) => `${(Math.max(0, Math.min(1, value ?? 0)) * 100).toFixed(2)}%`;
  const bar = h("span", { class: "rate-bar", "aria-hidden": "true" });
  bar.style.setProperty("--rate", pct(group.rate));
  bar.style.setProperty("--low", pct(group.low));
  bar.style.setProperty("--high", pct(group.high));
  bar.style.setProperty("--overall", pct(overall));
  bar.append(h("span", { class: "rate-bar-fill" }), h("span", { class: "rate-bar-interval" }), h("span", { class: "rate-bar-overall" }));
  return bar;
}

/** A product or channel name is the file's text (marked data-from-file, as the page's other file text is not). */
function fromFile(cell, kind) {
  const named = kind === "by_first_product" || kind === "by_first_channel";
  return named ? { ...cell, attrs: { ...cell.attrs, "data-from-file": "" } } : cell;
}

/** One table of groups, sorted by rate (then by eligible customers), with the sentence on clear differences. */
function groupCard(report, ctx, kind) {
  const { lang } = ctx.state;
  const drivers = report.drivers;
  const groups = drivers[kind];
  const title = t(lang, `drivers.${kind}`);
  if (groups == null) {
    return card({ title, def: t(lang, `drivers.${kind}Def`), lang, id: `drivers-${kind}` }, h("p", { class: "card-note" }, t(lang, "drivers.noColumn")));
  }
  const order = groups.map((group, index) => ({ group, index })).sort((a, b) => (b.group.rate ?? -1) - (a.group.rate ?? -1) || b.group.eligible - a.group.eligible);
  const path = (index, field) => `drivers.${kind}.${index}.${field}`;
  // The buyers of one product, or the customers of one channel, are a list to write to.
  const filterOf = { by_first_product: "firstProduct", by_first_channel: "firstChannel" }[kind];
  const headers = [t(lang, "drivers.group"), t(lang, "drivers.eligible"), t(lang, "drivers.converted"), t(lang, "drivers.rate"), t(lang, "drivers.interval")];
  // Each cell names its column (data-label), for the stacked rows of a phone-width screen.
  const labelled = (cell, column) => ({ ...cell, attrs: { ...cell.attrs, "data-label": headers[column] } });
  const rows = order.map(({ group, index }) => {
    const list =
      filterOf && !(kind === "by_first_channel" && group.key === "other")
        ? downloadButton(ctx, { [filterOf]: group.key }, groupName(lang, kind, group.key))
        : "";
    if (list) list.dataset.fromFile = "";
    const cells = [
      fromFile(reportCell(path(index, "key"), group.key, groupName(lang, kind, group.key)), kind),
      labelled(reportCell(path(index, "eligible"), group.eligible, formatInteger(group.eligible, lang)), 1),
      labelled(reportCell(path(index, "converted"), group.converted, formatInteger(group.converted, lang)), 2),
      labelled(reportCell(path(index, "rate"), group.rate, formatPercent(group.rate, lang)), 3),
      {
        text: h(
          "span",
          { class: "interval" },
          reportValue(path(index, "low"), group.low, formatPercent(group.low, lang)),
          "–",
          reportValue(path(index, "high"), group.high, formatPercent(group.high, lang)),
          rateBar(group, drivers.rate),
        ),
      },
      ...(filterOf ? [{ text: list }] : []),
    ];
    return cells;
  });
  const table = dataTable(
    [...headers, ...(filterOf ? [h("span", { class: "visually-hidden" }, t(lang, "drivers.list"))] : [])],
    rows,
    title,
  );
  // A small group's row is greyed; the row carries the flag as a Report value.
  order.forEach(({ group, index }, row) => {
    const tr = table.tBodies[0].rows[row];
    tr.classList.toggle("small-group", group.small);
    tr.dataset.kpi = path(index, "small");
    tr.dataset.value = JSON.stringify(group.small);
  });
  // The groups whose whole interval lies above or below the overall rate.
  const above = groups.filter((group) => group.low != null && group.low > drivers.rate).map((group) => groupName(lang, kind, group.key));
  const below = groups.filter((group) => group.high != null && group.high < drivers.rate).map((group) => groupName(lang, kind, group.key));
  const list = (names) => names.join(t(lang, "drivers.listSeparator"));
  const sentence =
    above.length === 0 && below.length === 0
      ? t(lang, "drivers.noneClear")
      : [above.length ? t(lang, "drivers.above", { groups: list(above) }) : "", below.length ? t(lang, "drivers.below", { groups: list(below) }) : ""].filter(Boolean).join(" ");
  const extra =
    kind === "by_first_value" && drivers.first_value_cut_points
      ? h(
          "p",
          { class: "muted card-note" },
          t(lang, "drivers.cuts"),
          " ",
          ...drivers.first_value_cut_points.flatMap((cut, i) => [i ? " · " : "", reportValue(`drivers.first_value_cut_points.${i}`, cut, formatMoney(cut, moneyUnit(report, ctx.state.currencyDisplay), lang))]),
        )
      : null;
  return card(
    { title, def: t(lang, `drivers.${kind}Def`), lang, wide: true, id: `drivers-${kind}` },
    h("p", { class: "card-note" }, sentence),
    filterOf ? h("div", { class: "card-tools" }, encodingPicker(ctx)) : null,
    h("div", { class: "table-wrap drivers-table", tabindex: "0" }, table),
    extra,
  );
}

function overallCard(report, lang) {
  const d = report.drivers;
  return card(
    { title: t(lang, "drivers.title"), def: t(lang, "drivers.def", { min: d.min_group }), lang, wide: true, id: "drivers-overall" },
    h(
      "div",
      { class: "figures" },
      figure(t(lang, "drivers.overall"), reportValue("drivers.rate", d.rate, formatPercent(d.rate, lang), "div")),
      figure(t(lang, "drivers.eligible"), reportValue("drivers.eligible", d.eligible, formatInteger(d.eligible, lang), "div")),
      figure(t(lang, "drivers.converted"), reportValue("drivers.converted", d.converted, formatInteger(d.converted, lang), "div")),
      figure(t(lang, "drivers.window"), reportValue("drivers.window_days", d.window_days, formatDays(d.window_days, lang), "div")),
    ),
    h("p", { class: "muted card-note" }, ...tParts(lang, "drivers.small", { min: reportValue("drivers.min_group", d.min_group, formatInteger(d.min_group, lang)) })),
  );
}

function timingCard(report, lang) {
  const timing = report.timing;
  const headers = [t(lang, "timing.step"), ...timing.buckets.map((bucket, k) => reportValue(`timing.buckets.${k}`, bucket, t(lang, "timing.bucket", { days: bucket }))), t(lang, "timing.customers"), t(lang, "timing.median"), t(lang, "timing.p25"), t(lang, "timing.p75")];
  const rows = timing.steps.map((step, i) => [
    { text: h("span", {}, ...tParts(lang, "timing.stepName", { from: reportValue(`timing.steps.${i}.from`, step.from, String(step.from)), to: reportValue(`timing.steps.${i}.to`, step.to, String(step.to)) })) },
    ...step.counts.map((count, k) => reportCell(`timing.steps.${i}.counts.${k}`, count, formatInteger(count, lang))),
    reportCell(`timing.steps.${i}.customers`, step.customers, formatInteger(step.customers, lang)),
    reportCell(`timing.steps.${i}.median`, step.median, formatDays(step.median, lang)),
    reportCell(`timing.steps.${i}.p25`, step.p25, formatDays(step.p25, lang)),
    reportCell(`timing.steps.${i}.p75`, step.p75, formatDays(step.p75, lang)),
  ]);
  const followUp =
    timing.follow_up_day == null
      ? t(lang, "timing.noFollowUp")
      : tParts(lang, "timing.followUp", { day: reportValue("timing.follow_up_day", timing.follow_up_day, formatDays(timing.follow_up_day, lang), "strong") });
  return card(
    { title: t(lang, "timing.title"), def: t(lang, "timing.def"), lang, wide: true, id: "timing" },
    h("p", { class: "card-note" }, ...[followUp].flat()),
    h("div", { class: "table-wrap", tabindex: "0" }, dataTable(headers, rows, t(lang, "timing.title"))),
  );
}

export function render(report, ctx, panel) {
  const { lang } = ctx.state;
  panel.replaceChildren(overallCard(report, lang), ...GROUPS.map((kind) => groupCard(report, ctx, kind)), timingCard(report, lang));
}

export const strings = {
  en: {
    "drivers.tab": "Why they come back",
    "drivers.title": "Which first purchases come back",
    "drivers.def": "F2 conversion (the overview's window and eligibility) by what the first purchase occasion was. Each group's 95 % interval (Wilson score) shows how sure the rate is; groups under {min} eligible customers are greyed.",
    "drivers.overall": "Overall F2 rate",
    "drivers.eligible": "Eligible",
    "drivers.converted": "Bought again",
    "drivers.window": "Window",
    "drivers.small": "Groups with fewer than {min} eligible customers are greyed: their rate can move a lot with a few customers.",
    "drivers.rate": "F2 rate",
    "drivers.interval": "95 % interval",
    "drivers.group": "Group",
    "drivers.by_first_product": "By first product",
    "drivers.by_first_productDef": "Every product of the first purchase occasion; a customer whose first occasion holds three products counts in three groups. The 20 products with the most eligible customers.",
    "drivers.by_first_discount": "By discount on the first purchase",
    "drivers.by_first_discountDef": "With a discount: an order of the first occasion has a discount code or a discount amount above 0.",
    "drivers.by_first_channel": "By channel of the first order",
    "drivers.by_first_channelDef": "The channel of the first occasion's earliest order (a URL counts as its host); beyond the 10 largest, “other”.",
    "drivers.by_first_value": "By first-purchase value",
    "drivers.by_first_valueDef": "Quintiles of the first occasion's revenue over eligible customers (band 1 the lowest); a value on a cut point takes the lower band.",
    "drivers.with_discount": "With a discount",
    "drivers.without_discount": "Without a discount",
    "drivers.band": "Band {band}",
    "drivers.list": "Customer list",
    "drivers.other": "Other channels",
    "drivers.cuts": "Cut points:",
    "drivers.noColumn": "The file has no column for this.",
    "drivers.noneClear": "No group's interval lies wholly above or below the overall rate.",
    "drivers.above": "Clearly above the overall rate: {groups}.",
    "drivers.below": "Clearly below the overall rate: {groups}.",
    "drivers.listSeparator": ", ",
    "timing.title": "When they come back",
    "timing.def": "For each step (1st → 2nd purchase occasion, 2nd → 3rd, …), the customers who made it, by days between the two occasions, with the median and middle half.",
    "timing.step": "Step",
    "timing.stepName": "{from} → {to}",
    "timing.bucket": "{days} d",
    "timing.customers": "Customers",
    "timing.median": "Median",
    "timing.p25": "p25",
    "timing.p75": "p75",
    "timing.followUp": "A quarter of the second purchases come within {day} of the first: send the follow-up around then.",
    "timing.noFollowUp": "No customer has a second purchase yet.",
  },
  ja: {
    "drivers.tab": "リピートの理由",
    "drivers.title": "どの初回購入がリピートにつながるか",
    "drivers.def": "初回の購入機会の内容別のF2転換率（概要と同じ期間・対象）。各グループの95%区間（Wilsonスコア区間）は率の確かさを表します。対象が{min}人未満のグループは薄く表示します。",
    "drivers.overall": "全体のF2転換率",
    "drivers.eligible": "対象",
    "drivers.converted": "2回目購入",
    "drivers.window": "期間",
    "drivers.small": "対象が{min}人未満のグループは薄く表示しています。少数の顧客で率が大きく変わります。",
    "drivers.rate": "F2転換率",
    "drivers.interval": "95%区間",
    "drivers.group": "グループ",
    "drivers.by_first_product": "初回購入の商品別",
    "drivers.by_first_productDef": "初回の購入機会に含まれる各商品。初回に3商品を買った顧客は3つのグループに数えます。対象が多い上位20商品を表示します。",
    "drivers.by_first_discount": "初回購入の割引の有無別",
    "drivers.by_first_discountDef": "割引あり: 初回の購入機会の注文にクーポンコードがあるか、値引き額が0より大きい。",
    "drivers.by_first_channel": "初回注文の流入元別",
    "drivers.by_first_channelDef": "初回の購入機会で最も早い注文の流入元（URLはホスト名）。上位10件以外は「その他の流入元」にまとめます。",
    "drivers.by_first_value": "初回購入額別",
    "drivers.by_first_valueDef": "対象顧客の初回購入額の五分位（帯1が最も低い）。区切りちょうどの値は低い方の帯に入ります。",
    "drivers.with_discount": "割引あり",
    "drivers.without_discount": "割引なし",
    "drivers.band": "帯{band}",
    "drivers.list": "顧客リスト",
    "drivers.other": "その他の流入元",
    "drivers.cuts": "区切り:",
    "drivers.noColumn": "このファイルには該当する列がありません。",
    "drivers.noneClear": "区間全体が全体の率より上または下にあるグループはありません。",
    "drivers.above": "全体の率より明らかに高い: {groups}。",
    "drivers.below": "全体の率より明らかに低い: {groups}。",
    "drivers.listSeparator": "、",
    "timing.title": "いつ戻ってくるか",
    "timing.def": "各ステップ（1回目→2回目の購入機会、2回目→3回目、…）に進んだ顧客を、2つの購入機会の間の日数別に数え、中央値と中央の50%を示します。",
    "timing.step": "ステップ",
    "timing.stepName": "{from} → {to}回目",
    "timing.bucket": "{days}日",
    "timing.customers": "顧客数",
    "timing.median": "中央値",
    "timing.p25": "第1四分位",
    "timing.p75": "第3四分位",
    "timing.followUp": "2回目購入の4分の1は初回から{day}以内です。フォローはその頃に送りましょう。",
    "timing.noFollowUp": "2回目の購入がある顧客はまだいません。",
  },
};
