// The customer-lists view: every list the page can export in one place (everyone, each segment, overdue,
// dormant, still active, the top 100 by predicted CLV, and each first-purchase cohort), with its size, what the CSV holds and the
// encoding choice. The bytes come from the analyzer (client.customersList), so they are the CLI's
// `ltv-lens customers` output exactly.
import { dataTable, h } from "../dom.js";
import { formatInteger, formatMonth } from "../format.js";
import { t } from "../i18n.js";
import { SEGMENTS } from "./segments.js";
import { card, downloadButton, encodingPicker } from "./shared.js";

export const id = "lists";
/** The Report sections this view shows (it is drawn once they have all arrived). */
export const sections = ["kpis", "rfm", "lapse", "cohorts", "models"];

const COLUMNS =
  "customer_key, email, name, first_purchase, second_purchase, last_purchase, occasions, orders, revenue, recency_days, r, f, m, segment, lapse, p_alive, expected_purchases, expected_value, clv, first_product, first_channel, first_discount, subscription, subscription_deliveries, last_delivery, p_no_purchase, p_alive_low, p_alive_high, p_no_purchase_low, p_no_purchase_high, expected_purchases_low, expected_purchases_high, clv_low, clv_high";
const TOP_CLV = 100;

/** [filter, name, customers] for every list. */
function lists(report, lang) {
  const { kpis, rfm, lapse } = report;
  const segment = (key) => rfm.segments.find((s) => s.key === key)?.customers ?? 0;
  return [
    [{}, t(lang, "lists.everyone"), kpis.customers],
    ...SEGMENTS.map((key) => [{ segment: key }, t(lang, `segment.${key}.name`), segment(key)]),
    [{ lapse: "overdue" }, t(lang, "lapse.overdue"), lapse.overdue.customers],
    [{ lapse: "dormant" }, t(lang, "lapse.dormant"), lapse.dormant.customers],
    [{ lapse: "active" }, t(lang, "lists.active"), kpis.customers - lapse.overdue.customers - lapse.dormant.customers],
    // Without a spend model there is no CLV to rank by: the list is empty (and its button disabled).
    [{ topClv: TOP_CLV }, t(lang, "predicted.topListName", { n: TOP_CLV }), report.models?.totals?.clv == null ? 0 : Math.min(TOP_CLV, kpis.customers)],
    ...report.cohorts.map((cohort) => [
      { cohort: cohort.cohort },
      t(lang, "cohorts.listName", { month: formatMonth(cohort.cohort, lang) }),
      cohort.customers,
    ]),
  ];
}

export function mount(panel) {
  panel.classList.add("view-grid");
}

export function render(report, ctx, panel) {
  const { lang } = ctx.state;
  const rows = lists(report, lang).map(([filter, name, customers]) => [
    name,
    formatInteger(customers, lang),
    { text: downloadButton(ctx, filter, name, customers) },
  ]);
  panel.replaceChildren(
    card(
      { title: t(lang, "lists.title"), def: t(lang, "lists.def", { columns: COLUMNS }), lang, wide: true, id: "lists" },
      h("p", { class: "card-note" }, t(lang, "lists.intro")),
      h("div", { class: "card-tools" }, encodingPicker(ctx)),
      h("div", { class: "table-wrap lists-table", tabindex: "0" }, dataTable([t(lang, "lists.list"), t(lang, "lists.customers"), h("span", { class: "visually-hidden" }, t(lang, "lists.download"))], rows, t(lang, "lists.title"))),
    ),
  );
}

export const strings = {
  en: {
    "lists.tab": "Customer lists",
    "lists.title": "Customer lists for e-mail and LINE tools",
    "lists.def": "One row per customer, sorted by revenue (highest first; the top-CLV list by predicted CLV), with the columns {columns}. p_alive, expected_purchases, expected_value, clv, p_no_purchase and the 90 % interval of each (_low, _high) are the predictions of the Predicted value view (empty when no model could be fitted). Text cells that start with = + - @ get a leading ' so that a spreadsheet does not run them as formulas.",
    "lists.intro": "Each list is made on this device from the file you analysed and saved straight to your downloads; nothing is sent anywhere. Choose Shift_JIS for tools that cannot read UTF-8.",
    "lists.everyone": "Everyone",
    "lists.active": "Active (not overdue or dormant)",
    "lists.list": "List",
    "lists.customers": "Customers",
    "lists.download": "Download",
  },
  ja: {
    "lists.tab": "顧客リスト",
    "lists.title": "メール・LINE配信用の顧客リスト",
    "lists.def": "1行に1顧客、売上の多い順（予測LTV上位のリストは予測LTVの高い順）で、列は {columns} です。p_alive、expected_purchases、expected_value、clv、p_no_purchase と、それぞれの90%区間（_low、_high）は予測LTVの画面の予測値です（モデルを当てはめられない場合は空欄）。= + - @ で始まる文字の欄には、表計算ソフトが数式として実行しないよう先頭に ' を付けています。",
    "lists.intro": "リストはこの端末の中で、分析したファイルから作成され、そのままダウンロードフォルダに保存されます。どこにも送信されません。UTF-8を読めないツールにはShift_JISを選んでください。",
    "lists.everyone": "全顧客",
    "lists.active": "アクティブ（購入遅れ・休眠以外）",
    "lists.list": "リスト",
    "lists.customers": "顧客数",
    "lists.download": "ダウンロード",
  },
};
