// The overview view: the KPI cards (each value carries data-kpi, its path in the Report, and data-value, the
// raw value, while its text is the Intl-formatted value), the F2 window switch, the funnel, the
// days-to-second histogram, the monthly chart with their tables, and the summary of the file with the
// columns used, the warnings and the day/month question. Everything that comes from the file is inserted as
// text.
import * as funnelChart from "../charts/funnel.js";
import * as histogramChart from "../charts/histogram.js";
import * as monthlyChart from "../charts/monthly.js";
import { dataTable, h, reportValue, showValue } from "../dom.js";
import { daysBefore, formatDate, formatDays, formatDecimal, formatInteger, formatMoney, formatPercent, moneyUnit } from "../format.js";
import { t, tParts } from "../i18n.js";
import { messageText } from "../messages.js";
import { ROLES } from "../names.js";
import { chartBox, definition, numbers } from "./shared.js";

export const id = "overview";
/** The Report sections this view shows (it is drawn once they have all arrived). */
export const sections = ["kpis", "f2_by_window", "funnel", "days_to_second_histogram", "monthly"];

/** The F2 windows the switch offers (the windows of report.f2_by_window). */
const F2_WINDOWS = [30, 60, 90, 180, 365];

export function mount() {}

/** Shows `report` in the panel, in ctx.state.lang, with the F2 window ctx.state.f2Window. */
export function render(report, ctx, panel) {
  const { lang } = ctx.state;
  const f2Card = kpiCard(lang, "f2", { wide: true, accent: true });
  const f2 = { value: h("p", { class: "kpi-value kpi-value-big" }), summary: h("p", { class: "kpi-sub" }), cutoff: h("p", { class: "kpi-note muted" }) };
  const windows = h(
    "fieldset",
    { class: "segmented" },
    h("legend", {}, t(lang, "f2.window")),
    F2_WINDOWS.map((days) => {
      const radio = h("input", { type: "radio", name: "f2-window", value: days });
      radio.addEventListener("change", () => {
        ctx.state.f2Window = days;
        renderF2(report, days, lang, f2, windows);
      });
      return h("label", {}, radio, h("span", {}, String(days)));
    }),
  );
  f2Card.append(h("div", { class: "kpi-main" }, f2.value, windows), f2.summary, f2.cutoff);
  renderF2(report, ctx.state.f2Window, lang, f2, windows);

  panel.replaceChildren(
    h("div", { class: "kpi-grid" }, kpiCards(report, lang, moneyUnit(report, ctx.state.currencyDisplay)), f2Card, daysCard(report, lang)),
    h(
      "div",
      { class: "chart-grid" },
      chartCard(lang, funnelChart, "funnel", report, { unit: moneyUnit(report, ctx.state.currencyDisplay) }),
      chartCard(lang, histogramChart, "histogram", report, { unit: moneyUnit(report, ctx.state.currencyDisplay) }),
      chartCard(lang, monthlyChart, "monthly", report, { wide: true, unit: moneyUnit(report, ctx.state.currencyDisplay) }),
    ),
    inputCard(report, ctx),
  );
  for (const draw of panel.querySelectorAll("[data-chart]")) CHARTS[draw.dataset.chart].render(report, draw, lang, moneyUnit(report, ctx.state.currencyDisplay));
}

const CHARTS = { funnel: funnelChart, histogram: histogramChart, monthly: monthlyChart };

/** A KPI card: its title, its definition and `children`. */
function kpiCard(lang, key, { wide = false, accent = false } = {}, ...children) {
  return h(
    "article",
    { class: `card kpi${wide ? " kpi-wide" : ""}${accent ? " kpi-accent" : ""}` },
    h("div", { class: "kpi-head" }, h("h3", {}, t(lang, `kpi.${key}`)), definition(lang, t(lang, `def.${key}`))),
    ...children,
  );
}

/** The six cards of plain figures: customers, orders, revenue, AOV, orders per customer, repeat rate. */
function kpiCards(report, lang, unit) {
  const k = report.kpis;
  const input = report.input;
  const money = (value) => formatMoney(value, unit, lang);
  const value = (key, text) => withClass(reportValue(`kpis.${key}`, k[key], text, "p"), "kpi-value");
  const sub = (text) => h("p", { class: "kpi-sub" }, text);
  const customerColumn = input.columns.customer_id ?? input.columns.email;
  const repeaters = report.funnel.find((stage) => stage.stage === 2)?.customers ?? 0;
  return [
    kpiCard(lang, "customers", {}, value("customers", formatInteger(k.customers, lang)), sub(customerColumn == null ? "" : t(lang, "sub.customers", { column: customerColumn }))),
    kpiCard(
      lang,
      "orders",
      {},
      value("orders", formatInteger(k.orders, lang)),
      sub(t(lang, "sub.orders", { guest: formatInteger(input.orders_without_customer, lang), excluded: formatInteger(input.excluded_orders, lang) })),
    ),
    kpiCard(lang, "revenue", {}, value("revenue", money(k.revenue)), sub(report.currency == null ? t(lang, "sub.revenueNoCurrency") : t(lang, "sub.revenue", { currency: report.currency }))),
    kpiCard(lang, "aov", {}, value("aov", money(k.aov)), sub(t(lang, "sub.aov"))),
    kpiCard(lang, "orders_per_customer", {}, value("orders_per_customer", formatDecimal(k.orders_per_customer, lang)), sub(t(lang, "sub.orders_per_customer"))),
    kpiCard(lang, "repeat_rate", {}, value("repeat_rate", formatPercent(k.repeat_rate, lang)), sub(t(lang, "sub.repeat_rate", { repeaters: formatInteger(repeaters, lang) }))),
  ];
}

/** Shows the F2 conversion of `report` for a window of `windowDays` (one of report.f2_by_window). */
function renderF2(report, windowDays, lang, nodes, windows) {
  const f2 = report.f2_by_window.find((entry) => entry.window_days === windowDays) ?? report.kpis.f2;
  for (const radio of windows.querySelectorAll("input")) radio.checked = Number(radio.value) === f2.window_days;
  showValue(nodes.value, "kpis.f2.rate", f2.rate, formatPercent(f2.rate, lang));
  nodes.summary.replaceChildren(
    ...tParts(lang, "f2.sub", {
      converted: reportValue("kpis.f2.converted", f2.converted, formatInteger(f2.converted, lang)),
      eligible: reportValue("kpis.f2.eligible", f2.eligible, formatInteger(f2.eligible, lang)),
      days: reportValue("kpis.f2.window_days", f2.window_days, formatDays(f2.window_days, lang)),
    }),
  );
  const cutoff = report.as_of == null ? null : formatDate(daysBefore(report.as_of, f2.window_days), lang);
  nodes.cutoff.textContent = cutoff == null ? "" : t(lang, f2.eligible > 0 ? "f2.cutoff" : "f2.none", { date: cutoff });
}

function daysCard(report, lang) {
  const days = report.kpis.days_to_second;
  return kpiCard(
    lang,
    "days_to_second",
    { wide: true },
    h(
      "div",
      { class: "kpi-main" },
      withClass(reportValue("kpis.days_to_second.median", days.median, formatDays(days.median, lang), "p"), "kpi-value kpi-value-big"),
      h("span", { class: "kpi-tag" }, t(lang, "days.median")),
    ),
    h(
      "p",
      { class: "kpi-sub" },
      ...tParts(lang, "days.sub", {
        p25: reportValue("kpis.days_to_second.p25", days.p25, formatDays(days.p25, lang)),
        p75: reportValue("kpis.days_to_second.p75", days.p75, formatDays(days.p75, lang)),
        count: reportValue("kpis.days_to_second.count", days.count, formatInteger(days.count, lang)),
      }),
    ),
    h("p", { class: "kpi-note muted" }, days.median == null ? t(lang, "days.none") : t(lang, "days.tip", { median: formatDays(days.median, lang) })),
  );
}

/** `node` with the classes `names` added (its own "num" replaced: a KPI value is not inside a sentence). */
function withClass(node, names) {
  node.className = names;
  return node;
}

function withId(node, id) {
  node.id = id;
  return node;
}

/** A chart with its definition and its numbers one click away; drawn once the panel is in place. */
function chartCard(lang, chart, name, report, { wide = false, unit = null } = {}) {
  const box = chartBox(t(lang, `${name}.title`), `chart${name === "monthly" ? " chart-tall" : ""}`);
  box.dataset.chart = name;
  box.id = `chart-${name}`;
  return h(
    "section",
    { class: `card chart-card${wide ? " chart-card-wide" : ""}`, "aria-labelledby": `${name}-title` },
    h("div", { class: "kpi-head" }, h("h3", { id: `${name}-title` }, t(lang, `${name}.title`)), definition(lang, t(lang, `def.${name}`))),
    box,
    withId(numbers(lang, chart.table(report, lang, unit)), `numbers-${name}`),
  );
}

/** About the file: its format and counts, the columns used ("Change columns"), the warnings. */
function inputCard(report, ctx) {
  const { lang } = ctx.state;
  const input = report.input;
  const fact = (key, text, withDefinition) =>
    h(
      "div",
      { class: "fact" },
      h("dt", {}, t(lang, `input.${key}`), withDefinition ? definition(lang, t(lang, `def.${key}`)) : null),
      reportValue(`input.${key}`, input[key], text, "dd"),
    );
  const count = (key) => fact(key, formatInteger(input[key], lang), true);
  const used = ROLES.filter((role) => input.columns[role] != null);
  const change = h(
    "button",
    { type: "button", id: "change-columns", class: "btn btn-small", "aria-label": t(lang, "columns.changeLabel") },
    t(lang, "columns.change"),
  );
  change.addEventListener("click", () => ctx.changeColumns());

  const warnings = input.warnings;
  const note =
    warnings.length === 0
      ? t(lang, "input.noWarnings")
      : input.skipped_rows > warnings.length
        ? t(lang, "input.warningsCapped", { skipped: formatInteger(input.skipped_rows, lang), shown: formatInteger(warnings.length, lang) })
        : "";
  const rows = warnings.map((warning) => [warning.row == null ? "—" : String(warning.row), warning.column ?? "—", messageText(warning, lang)]);
  return h(
    "section",
    { class: "card input-card", "aria-labelledby": "input-title" },
    h("h3", { id: "input-title" }, t(lang, "input.title")),
    h(
      "dl",
      { id: "input-summary", class: "facts" },
      fact("format", t(lang, `input.format.${input.format}`), false),
      fact("encoding", input.encoding, false),
      count("rows"),
      count("orders_seen"),
      count("excluded_orders"),
      count("orders_without_customer"),
      count("skipped_rows"),
      count("outlier_orders"),
    ),
    h("div", { class: "columns-head" }, h("h4", {}, t(lang, "input.columns")), change),
    h(
      "dl",
      { id: "input-columns", class: "columns-used" },
      used.map((role) => h("div", { class: "column-used" }, h("dt", {}, t(lang, `role.${role}`)), h("dd", {}, input.columns[role]))),
    ),
    h("h4", {}, t(lang, "input.warnings")),
    h("p", { id: "warnings-note", class: "muted" }, note),
    dateOrder(report, ctx),
    outlierDates(report, ctx),
    encodingChoice(report, ctx),
    h(
      "div",
      { id: "warnings", class: "table-wrap" },
      warnings.length === 0 ? "" : dataTable([t(lang, "input.line"), t(lang, "input.column"), t(lang, "input.message")], rows, t(lang, "input.warnings")),
    ),
  );
}

/**
 * When slash dates such as 1/5/2024 could be read month-first or day-first and the file did not settle it
 * (or the user chose), asks which: a choice re-reads the file with that order.
 */
function dateOrder(report, ctx) {
  const { lang, dateOrder: chosen } = ctx.state;
  const unsettled = report.input.warnings.some((w) => w.code === "ambiguous_dates" || w.code === "mixed_day_order");
  if (!unsettled && chosen == null) return null;
  const current = chosen ?? "month-first";
  const choice = (order) => {
    const button = h(
      "button",
      { type: "button", class: "btn btn-small", "aria-pressed": String(order === current), data: { order } },
      t(lang, `dateOrder.${order}`),
    );
    button.addEventListener("click", () => ctx.reanalyze({ dateOrder: order }));
    return button;
  };
  return h(
    "div",
    { id: "date-order", class: "date-order" },
    h("p", {}, t(lang, chosen == null ? "dateOrder.question" : "dateOrder.chosen", { order: t(lang, `dateOrder.${current}`) })),
    h("div", { class: "date-order-choices" }, choice("month-first"), choice("day-first")),
  );
}

/**
 * When orders were left out for outlier dates (or the user chose to keep them), offers the other choice:
 * it re-reads the file keeping them, or leaving them out again.
 */
function outlierDates(report, ctx) {
  const { lang, keepOutlierDates: kept } = ctx.state;
  if (!kept && report.input.outlier_orders === 0) return null;
  const button = h(
    "button",
    { type: "button", id: "outlier-dates-toggle", class: "btn btn-small", "aria-pressed": String(Boolean(kept)) },
    t(lang, kept ? "outlierDates.leaveOut" : "outlierDates.keep"),
  );
  button.addEventListener("click", () => ctx.reanalyze({ dateOrder: ctx.state.dateOrder, keepOutlierDates: !kept }));
  return h(
    "div",
    { id: "outlier-dates", class: "date-order" },
    h("p", {}, kept ? t(lang, "outlierDates.kept") : t(lang, "outlierDates.leftOut", { count: formatInteger(report.input.outlier_orders, lang) })),
    h("div", { class: "date-order-choices" }, button),
  );
}

/**
 * When the file's encoding was a close call (or the user chose one), says so and offers to read the file
 * again in the other encoding (or to detect it again).
 */
function encodingChoice(report, ctx) {
  const { lang, inputEncoding: chosen } = ctx.state;
  const call = report.input.warnings.find((w) => w.code === "encoding_close_call");
  if (call == null && chosen == null) return null;
  const button = (label, inputEncoding) => {
    const element = h("button", { type: "button", class: "btn btn-small", data: { encoding: inputEncoding ?? "" } }, label);
    element.addEventListener("click", () => ctx.reanalyze({ inputEncoding }));
    return element;
  };
  const other = call?.args.other;
  return h(
    "div",
    { id: "encoding-choice", class: "date-order" },
    h("p", {}, chosen == null ? t(lang, "encoding.closeCall", { chosen: report.input.encoding, other }) : t(lang, "encoding.chosen", { encoding: chosen })),
    h(
      "div",
      { class: "date-order-choices" },
      chosen == null ? button(t(lang, "encoding.readAs", { encoding: other }), other) : button(t(lang, "encoding.detect"), null),
    ),
  );
}

export const strings = {
  en: {
    "overview.tab": "Overview",

    "kpi.customers": "Customers",
    "kpi.orders": "Orders",
    "kpi.revenue": "Revenue",
    "kpi.aov": "Average order value (AOV)",
    "kpi.orders_per_customer": "Orders per customer",
    "kpi.repeat_rate": "Repeat rate",
    "kpi.f2": "F2 conversion",
    "kpi.days_to_second": "Days to second purchase",
    "sub.customers": "Identified by the “{column}” column",
    "sub.orders": "{guest} guest orders included · {excluded} excluded",
    "sub.revenue": "In {currency}",
    "sub.revenueNoCurrency": "Plain amounts (the file has no currency column)",
    "sub.aov": "Revenue ÷ orders",
    "sub.orders_per_customer": "Orders with a customer ÷ customers",
    "sub.repeat_rate": "{repeaters} customers bought on 2 or more days",
    "f2.window": "Window (days)",
    "f2.sub": "{converted} of {eligible} eligible customers bought again within {days}",
    "f2.cutoff": "Eligible: first purchase on or before {date}",
    "f2.none": "Nobody is eligible yet: that needs a first purchase on or before {date}.",
    "days.median": "median",
    "days.sub": "Middle half: {p25} – {p75} · {count} repeat customers",
    "days.tip": "Half of the second purchases come within {median}: time the follow-up mail before then.",
    "days.none": "No customer has bought on two different days yet.",

    "def.customers": "Distinct customers with at least one order that counts. A customer is the customer-id column, else the e-mail trimmed and lower-cased. Cancelled, voided and fully refunded orders do not count.",
    "def.orders": "Distinct orders that count, guest orders included; cancelled, voided and fully refunded orders are excluded. Rows sharing an order id are line items of one order; without an order-id column every row is an order.",
    "def.revenue": "The sum of order revenue over the orders that count: the order total (or, without a total, line price × quantity) minus the refunded amount. In the file's currency.",
    "def.aov": "AOV = revenue ÷ orders.",
    "def.orders_per_customer": "Orders with a customer ÷ customers (guest orders are left out).",
    "def.repeat_rate": "Customers with 2 or more purchase occasions ÷ customers. A customer's orders on the same calendar day are one purchase occasion.",
    "def.f2": "F2 conversion for a window of W days: eligible = customers whose first purchase occasion is on or before the analysis date (as of) minus W days; converted = eligible customers whose second occasion is at most W days after the first; rate = converted ÷ eligible (a dash when nobody is eligible).",
    "def.days_to_second": "Days from the first to the second purchase occasion, over customers with 2 or more occasions. The median, p25 and p75 interpolate linearly between the closest ranks (the spreadsheet/pandas default).",
    "def.funnel": "Stage Fn counts the customers with at least n purchase occasions (F5+ means 5 or more). The rate to the next stage = customers(≥ n+1) ÷ customers(≥ n).",
    "def.histogram": "Customers with 2 or more purchase occasions, by days from the first to the second occasion, in weekly bins (1–7, 8–14, … 176–182 days), then 183 days or more.",
    "def.monthly": "Orders and revenue per calendar month. New: an order on its customer's first purchase occasion. Returning: an order on a later occasion. Guest: an order with no customer id or e-mail.",

    "funnel.title": "Purchase funnel F1 → F5+",
    "funnel.stage": "Stage",
    "funnel.customers": "Customers",
    "funnel.next": "To the next stage",
    "histogram.title": "Days from first to second purchase",
    "histogram.days": "Days",
    "histogram.customers": "Customers",
    "monthly.title": "Monthly orders and revenue",
    "monthly.month": "Month",
    "monthly.orders": "Orders",
    "monthly.revenue": "Revenue",
    "monthly.new": "New",
    "monthly.returning": "Returning",
    "monthly.guest": "Guest",
    "monthly.newOrders": "New orders",
    "monthly.returningOrders": "Returning orders",
    "monthly.guestOrders": "Guest orders",
    "monthly.newRevenue": "New revenue",
    "monthly.returningRevenue": "Returning revenue",
    "monthly.guestRevenue": "Guest revenue",
    "monthly.newCustomers": "New customers",

    "input.title": "About the file",
    "input.format": "Format",
    "input.format.shopify": "Shopify orders export",
    "input.format.base": "BASE order data",
    "input.format.rakuten": "Rakuten RMS order data",
    "input.format.rakuten_pay": "Rakuten Pay order data",
    "input.format.yahoo": "Yahoo! Shopping orders",
    "input.format.ec_cube": "EC-CUBE orders",
    "input.format.makeshop": "MakeShop orders",
    "input.format.futureshop": "futureshop orders",
    "input.format.colorme": "Color Me Shop orders",
    "input.format.bigcommerce": "BigCommerce orders",
    "input.format.woocommerce": "WooCommerce orders",
    "input.format.amazon": "Amazon order report",
    "input.format.amazon_all_orders": "Amazon All Orders report",
    "input.format.invoice": "Invoice lines",
    "input.format.generic": "Generic CSV",
    "input.encoding": "Encoding",
    "input.rows": "Rows read",
    "input.orders_seen": "Orders seen",
    "input.excluded_orders": "Excluded orders",
    "input.orders_without_customer": "Guest orders",
    "input.skipped_rows": "Skipped rows",
    "input.outlier_orders": "Orders with outlier dates",
    "input.columns": "Columns used",
    "input.warnings": "Warnings",
    "input.noWarnings": "Every row could be read.",
    "dateOrder.question":
      "Dates such as 1/5/2024 can be read month first (January 5) or day first (1 May), and no date in the file settles it. They were read month first. Which is right?",
    "dateOrder.chosen": "Dates such as 1/5/2024 are read {order}, as you chose.",
    "dateOrder.month-first": "Month first (1/5 = January 5)",
    "encoding.closeCall": "The file was read as {chosen}, but it could also be {other}. If names or other text look garbled, read it again as {other}.",
    "encoding.chosen": "The file is read as {encoding}, as you chose.",
    "encoding.readAs": "Read again as {encoding}",
    "encoding.detect": "Detect the encoding again",
    "dateOrder.day-first": "Day first (1/5 = 1 May)",
    "outlierDates.leftOut":
      "Orders left out for outlier dates: {count}. Their dates are after today or more than two years away from every other order (likely typos such as 2124 for 2024).",
    "outlierDates.kept": "Orders with outlier dates are kept, as you chose.",
    "outlierDates.keep": "Keep them and read the file again",
    "outlierDates.leaveOut": "Leave them out again",
    "input.warningsCapped": "{skipped} rows were skipped; the first {shown} problems are listed.",
    "input.line": "Line",
    "input.column": "Column",
    "input.message": "Problem",
    "def.rows": "Data rows read. The header, title rows above it and blank lines are not counted.",
    "def.orders_seen": "Distinct orders among the rows read, before any exclusion.",
    "def.excluded_orders": "Orders left out of everything as cancelled, voided or fully refunded.",
    "def.orders_without_customer": "Orders that count but have neither a customer id nor an e-mail. They count in orders and revenue only.",
    "def.skipped_rows": "Rows left out because a value could not be read (or their order had no date or amount).",
    "def.outlier_orders": "Orders left out because their date is after today or more than two years away from every other order date.",
    "role.order_id": "Order id",
    "role.customer_id": "Customer id",
    "role.email": "E-mail",
    "role.name": "Name",
    "role.date": "Order date",
    "role.total": "Total",
    "role.line_price": "Line price",
    "role.quantity": "Quantity",
    "role.status": "Status",
    "role.cancelled": "Cancelled at",
    "role.refunded": "Refunded amount",
    "role.currency": "Currency",
    "role.product": "Product",
    "role.discount_code": "Discount code",
    "role.discount_amount": "Discount amount",
    "role.channel": "Channel",
    "role.subscription_id": "Subscription id",
    "role.delivery_number": "Delivery number",
    "role.subscription": "Subscription flag or tags",
    "role.cancelled_on": "Subscription cancelled on",
  },
  ja: {
    "overview.tab": "概要",

    "kpi.customers": "顧客数",
    "kpi.orders": "注文数",
    "kpi.revenue": "売上",
    "kpi.aov": "平均注文額(AOV)",
    "kpi.orders_per_customer": "顧客あたり注文数",
    "kpi.repeat_rate": "リピート率",
    "kpi.f2": "F2転換率",
    "kpi.days_to_second": "2回目購入までの日数",
    "sub.customers": "「{column}」列で顧客を識別",
    "sub.orders": "ゲスト注文 {guest} 件を含む・除外 {excluded} 件",
    "sub.revenue": "通貨: {currency}",
    "sub.revenueNoCurrency": "通貨列がないため金額のみ表示",
    "sub.aov": "売上 ÷ 注文数",
    "sub.orders_per_customer": "顧客のいる注文数 ÷ 顧客数",
    "sub.repeat_rate": "{repeaters} 人が2日以上購入",
    "f2.window": "期間（日）",
    "f2.sub": "対象 {eligible} 人のうち {converted} 人が{days}以内に2回目を購入",
    "f2.cutoff": "対象: {date} 以前に初回購入した顧客",
    "f2.none": "対象の顧客がまだいません（{date} 以前の初回購入が必要です）。",
    "days.median": "中央値",
    "days.sub": "中央の50%: {p25}〜{p75}・リピート顧客 {count} 人",
    "days.tip": "2回目購入の半数は{median}以内。フォローメールはその前に送りましょう。",
    "days.none": "2日以上購入した顧客はまだいません。",

    "def.customers": "集計対象の注文が1件以上ある顧客の数。顧客は顧客ID列で、なければメールアドレス（前後の空白を除き小文字化）で識別します。キャンセル・無効・全額返金の注文は数えません。",
    "def.orders": "集計対象の注文の数（ゲスト注文を含み、キャンセル・無効・全額返金の注文を除く）。同じ注文番号の行は1件の注文の明細として扱い、注文番号の列がなければ1行を1注文とします。",
    "def.revenue": "集計対象の注文の売上合計。注文の合計金額（合計金額がなければ単価×数量の合計）から返金額を引いた額です。ファイルの通貨で表示します。",
    "def.aov": "平均注文額(AOV) = 売上 ÷ 注文数。",
    "def.orders_per_customer": "顧客のいる注文数 ÷ 顧客数（ゲスト注文は除く）。",
    "def.repeat_rate": "購入機会が2回以上ある顧客 ÷ 顧客数。同じ顧客の同じ日の注文は1回の購入機会と数えます。",
    "def.f2": "期間W日のF2転換率: 対象 = 初回購入日が基準日のW日前以前の顧客、転換 = そのうち2回目の購入が初回からW日以内の顧客、転換率 = 転換 ÷ 対象（対象が0人のときは「—」）。",
    "def.days_to_second": "初回から2回目の購入機会までの日数（購入機会が2回以上の顧客が対象）。中央値・第1四分位(p25)・第3四分位(p75)は最も近い順位の間を線形補間します（表計算ソフトやpandasと同じ方法）。",
    "def.funnel": "ステージFnは購入機会がn回以上の顧客の数です（F5+は5回以上）。次ステージへの転換率 = (n+1)回以上の顧客 ÷ n回以上の顧客。",
    "def.histogram": "購入機会が2回以上の顧客を、初回から2回目までの日数で1週間ごと（1〜7日、8〜14日、…176〜182日）に数え、183日以上はまとめて表示します。",
    "def.monthly": "暦月ごとの注文数と売上。新規 = 顧客の初回購入機会の注文、リピート = 2回目以降の購入機会の注文、ゲスト = 顧客IDもメールアドレスもない注文。",

    "funnel.title": "購入回数ファネル（F1→F5+）",
    "funnel.stage": "ステージ",
    "funnel.customers": "顧客数",
    "funnel.next": "次ステージへの転換率",
    "histogram.title": "初回から2回目購入までの日数",
    "histogram.days": "日数",
    "histogram.customers": "顧客数",
    "monthly.title": "月次の注文数と売上",
    "monthly.month": "月",
    "monthly.orders": "注文数",
    "monthly.revenue": "売上",
    "monthly.new": "新規",
    "monthly.returning": "リピート",
    "monthly.guest": "ゲスト",
    "monthly.newOrders": "新規注文数",
    "monthly.returningOrders": "リピート注文数",
    "monthly.guestOrders": "ゲスト注文数",
    "monthly.newRevenue": "新規売上",
    "monthly.returningRevenue": "リピート売上",
    "monthly.guestRevenue": "ゲスト売上",
    "monthly.newCustomers": "新規顧客数",

    "input.title": "読み込んだファイル",
    "input.format": "形式",
    "input.format.shopify": "Shopify注文エクスポート",
    "input.format.base": "BASE 注文データ",
    "input.format.rakuten": "楽天 RMS 受注データ",
    "input.format.rakuten_pay": "楽天ペイ 受注データ",
    "input.format.yahoo": "Yahoo!ショッピング 注文データ",
    "input.format.ec_cube": "EC-CUBE 受注データ",
    "input.format.makeshop": "MakeShop 注文データ",
    "input.format.futureshop": "futureshop 受注データ",
    "input.format.colorme": "カラーミーショップ 受注データ",
    "input.format.bigcommerce": "BigCommerce 注文データ",
    "input.format.woocommerce": "WooCommerce 注文データ",
    "input.format.amazon": "Amazon 注文レポート",
    "input.format.amazon_all_orders": "Amazon 全注文レポート",
    "input.format.invoice": "請求書明細（インボイス形式）",
    "input.format.generic": "汎用CSV",
    "input.encoding": "文字コード",
    "input.rows": "読み込んだ行数",
    "input.orders_seen": "注文数（除外前）",
    "input.excluded_orders": "除外した注文",
    "input.orders_without_customer": "ゲスト注文",
    "input.skipped_rows": "スキップした行",
    "input.outlier_orders": "日付が外れ値の注文",
    "input.columns": "使用した列",
    "input.warnings": "警告",
    "input.noWarnings": "すべての行を読み込めました。",
    "dateOrder.question":
      "1/5/2024 のような日付は「月/日」（1月5日）とも「日/月」（5月1日）とも読め、ファイルの中に決め手がありません。月/日として読みました。どちらが正しいですか？",
    "dateOrder.chosen": "1/5/2024 のような日付を、選んだとおり「{order}」で読んでいます。",
    "dateOrder.month-first": "月/日（1/5 = 1月5日）",
    "encoding.closeCall": "このファイルを {chosen} として読みましたが、{other} の可能性もあります。名前などが文字化けしている場合は {other} で読み直してください。",
    "encoding.chosen": "選んだとおり {encoding} として読んでいます。",
    "encoding.readAs": "{encoding} で読み直す",
    "encoding.detect": "文字コードを自動で判定し直す",
    "dateOrder.day-first": "日/月（1/5 = 5月1日）",
    "outlierDates.leftOut":
      "今日より後、またはほかのどの注文とも2年以上離れた日付の注文が {count} 件あり（2024年を2124年とするような入力ミスとみられます）、集計から外しました。",
    "outlierDates.kept": "選んだとおり、日付が外れ値の注文も集計に含めています。",
    "outlierDates.keep": "含めて読み直す",
    "outlierDates.leaveOut": "外して読み直す",
    "input.warningsCapped": "{skipped} 行をスキップしました。最初の {shown} 件を表示しています。",
    "input.line": "行",
    "input.column": "列",
    "input.message": "内容",
    "def.rows": "読み込んだデータ行の数。見出し行、その上のタイトル行、空行は数えません。",
    "def.orders_seen": "読み込んだ行に含まれる注文の数（除外前）。",
    "def.excluded_orders": "キャンセル・無効・全額返金として、すべての集計から除いた注文。",
    "def.orders_without_customer": "顧客IDもメールアドレスもない集計対象の注文。注文数と売上にだけ数えます。",
    "def.skipped_rows": "値を読み取れなかったため除いた行（日付や金額のない注文の行を含む）。",
    "def.outlier_orders": "日付が今日より後、またはほかのどの注文日とも2年以上離れているため除いた注文。",
    "role.order_id": "注文番号",
    "role.customer_id": "顧客ID",
    "role.email": "メールアドレス",
    "role.name": "氏名",
    "role.date": "注文日",
    "role.total": "合計金額",
    "role.line_price": "単価",
    "role.quantity": "数量",
    "role.status": "ステータス",
    "role.cancelled": "キャンセル日",
    "role.refunded": "返金額",
    "role.currency": "通貨",
    "role.product": "商品名",
    "role.discount_code": "クーポンコード",
    "role.discount_amount": "値引き額",
    "role.channel": "流入元",
    "role.subscription_id": "定期購入ID",
    "role.delivery_number": "定期回数",
    "role.subscription": "定期フラグ・タグ",
    "role.cancelled_on": "解約日",
  },
};
