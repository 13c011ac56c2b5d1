// Pieces the views share: a titled card with its definition, the "Show the numbers" disclosure, a labelled
// set of figures, and the customer-list download button with the CSV-encoding choice it uses.
import { h } from "../dom.js";
import { t } from "../i18n.js";

/** The ⓘ that opens a definition (hover shows it as a title; click, Enter or Space opens it). */
export function definition(lang, text) {
  return h(
    "details",
    { class: "def" },
    h("summary", { title: text, "aria-label": t(lang, "def.label") }, h("span", { "aria-hidden": "true" }, "ⓘ")),
    h("p", {}, text),
  );
}

/**
 * A card with a heading (and the definition `def`, a text, when given) and `children` below it.
 * `wide` spans the whole row of a .view-grid.
 */
export function card({ title, def = null, lang, wide = false, id = null }, ...children) {
  const headingId = id ? `${id}-title` : null;
  return h(
    "section",
    { class: `card view-card${wide ? " view-card-wide" : ""}`, id, "aria-labelledby": headingId },
    h("div", { class: "kpi-head" }, h("h3", { id: headingId }, title), def ? definition(lang, def) : null),
    ...children,
  );
}

/** "Show the numbers": `table` one click away. */
export function numbers(lang, table) {
  return h("details", { class: "numbers" }, h("summary", {}, t(lang, "chart.numbers")), h("div", { class: "table-wrap", tabindex: "0" }, table));
}

/** A chart container; `label` names it for screen readers (its numbers are in the table next to it). */
export function chartBox(label, className = "chart") {
  return h("div", { class: className, role: "img", "aria-label": label });
}

/**
 * The file-name part for a list: "everyone", "champions", "overdue", "cohort-2024-03", "top-clv-100",
 * "first-product-matcha-uji-ceremonial-grade-30g", "first-channel-instagram".
 */
export function filterSlug(filter) {
  if (filter.topClv) return `top-clv-${filter.topClv}`;
  if (filter.segment) return filter.segment;
  if (filter.lapse) return filter.lapse;
  if (filter.cohort) return `cohort-${filter.cohort}`;
  if (filter.subscription) return `subscription-${filter.subscription.replace("_", "-")}`;
  if (filter.noPurchaseAbove != null) return `no-purchase-above-${Math.round(filter.noPurchaseAbove * 100)}`;
  // A product or channel name from the file, as letters and digits joined by hyphens.
  const name = (text) => text.trim().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "").toLowerCase();
  if (filter.firstProduct) return `first-product-${name(filter.firstProduct)}`;
  if (filter.firstChannel) return `first-channel-${name(filter.firstChannel)}`;
  return "everyone";
}

/**
 * A button that downloads the customer list for `filter` (see client.customersList) in the encoding chosen
 * on the page; `name` is the list's name as shown, `count` its number of customers (the button is
 * disabled for an empty list; undefined when the count is not known before the list is made).
 */
export function downloadButton(ctx, filter, name, count) {
  const lang = ctx.state.lang;
  const button = h(
    "button",
    {
      type: "button",
      class: "btn btn-small btn-download",
      "aria-label": t(lang, "export.downloadLabel", { name }),
      title: count === 0 ? t(lang, "export.empty") : null,
      disabled: count === 0,
      data: { filter: filterSlug(filter) },
    },
    h("span", { "aria-hidden": "true" }, "↓ "),
    t(lang, "export.download"),
  );
  button.addEventListener("click", async () => {
    // Busy, not disabled: a disabled button would drop the keyboard focus.
    if (button.getAttribute("aria-busy") === "true") return;
    button.setAttribute("aria-busy", "true");
    try {
      await ctx.download(filter, name);
    } finally {
      button.removeAttribute("aria-busy");
    }
  });
  return button;
}

/**
 * The CSV-encoding choice (UTF-8 with BOM, or Shift_JIS) and the list-header language every download button
 * uses. Each view shows them next to its buttons; they all show and set the same page-wide choice.
 */
export function encodingPicker(ctx) {
  const lang = ctx.state.lang;
  const select = h(
    "select",
    { class: "encoding-select", "data-encoding-select": true },
    h("option", { value: "utf-8" }, t(lang, "export.utf8")),
    h("option", { value: "shift_jis" }, t(lang, "export.sjis")),
  );
  select.value = ctx.state.encoding;
  select.addEventListener("change", () => {
    ctx.state.encoding = select.value;
    for (const other of ctx.root.querySelectorAll("[data-encoding-select]")) other.value = select.value;
  });
  return h(
    "span",
    { class: "card-tools" },
    h("label", { class: "encoding" }, h("span", {}, t(lang, "export.encoding")), select),
    listLangPicker(ctx),
  );
}

/**
 * The language of a customer list's column headers and segment labels ("en" or "ja"; ctx.state.listLang,
 * the page's language until chosen), shown next to the encoding choice and shared by every download button.
 */
function listLangPicker(ctx) {
  const lang = ctx.state.lang;
  // The page's language until a list language is chosen (then the choice holds across language switches).
  if (!ctx.state.listLangChosen) ctx.state.listLang = lang;
  const select = h(
    "select",
    { class: "encoding-select", "data-list-lang-select": true },
    h("option", { value: "en", lang: "en" }, "English"),
    h("option", { value: "ja", lang: "ja" }, "日本語"),
  );
  select.value = ctx.state.listLang;
  select.addEventListener("change", () => {
    ctx.state.listLang = select.value;
    ctx.state.listLangChosen = true;
    for (const other of ctx.root.querySelectorAll("[data-list-lang-select]")) other.value = select.value;
  });
  return h("label", { class: "encoding" }, h("span", {}, t(lang, "export.listLang")), select);
}

/** A figure: a label over a big value (a node made with reportValue(), or text), with a note under it. */
export function figure(label, value, note = null) {
  return h(
    "div",
    { class: "figure" },
    h("div", { class: "figure-label" }, label),
    typeof value === "string" ? h("div", { class: "figure-value" }, value) : withClass(value, "figure-value"),
    note == null ? null : h("div", { class: "figure-note" }, note),
  );
}

function withClass(node, className) {
  node.classList.add(className);
  return node;
}
