// Tiny DOM builders. Children are appended as nodes or text nodes, never parsed as HTML, so strings that
// come from the dropped file (column names, warning messages) can go anywhere safely.

/**
 * Creates `<tag>` with attributes and children. `class` sets className, `data` sets data-* attributes;
 * null / false attributes and null children are left out.
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "data") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat().filter((child) => child != null));
  return node;
}

/**
 * A table: `headers` is a list of column titles, `rows` a list of rows whose cells are text or
 * {text, attrs} (attrs go on the <td>, e.g. data-kpi / data-value). The first cell of a row is a row header.
 */
export function dataTable(headers, rows, caption) {
  const cell = (value, index) => {
    const { text, attrs = {} } = typeof value === "object" && value !== null ? value : { text: value };
    return index === 0 ? h("th", { scope: "row", ...attrs }, text) : h("td", attrs, text);
  };
  return h(
    "table",
    { class: "data-table" },
    caption ? h("caption", { class: "visually-hidden" }, caption) : null,
    h("thead", {}, h("tr", {}, headers.map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, row.map(cell)))),
  );
}

/**
 * Marks an element showing a value from the Report, for the tests and for anyone reading the page: data-kpi
 * is the value's path in the Report ("kpis.f2.rate", "rfm.rf_grid.4.0.customers"), data-value the raw value
 * as JSON (a number, a string, or null) and the text the formatted value. Figures the page derives itself
 * (shares, LTV × margin) carry no data-kpi.
 */
export function showValue(node, path, raw, text) {
  node.dataset.kpi = path;
  node.dataset.value = JSON.stringify(raw);
  node.textContent = text;
}

/** A dataTable() cell showing the Report value at `path` (see showValue). */
export function reportCell(path, raw, text) {
  return { text, attrs: { "data-kpi": path, "data-value": JSON.stringify(raw) } };
}

/** A <span class="num"> showing the Report value at `path` (see showValue), for use inside a sentence. */
export function reportValue(path, raw, text, tag = "span") {
  const node = h(tag, { class: "num" });
  showValue(node, path, raw, text);
  return node;
}

/**
 * `text` with the characters that mean something in HTML written as character references, for the one
 * place HTML is built from strings: the charts' tooltips (ECharts sets them as innerHTML).
 */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
