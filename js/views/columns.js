// The Columns screen: how the file's columns are read, and the user's choice of the column for each role.
// A modal <dialog> (focus stays inside; Escape closes it) with one select per role listing the file's
// headers plus "not used", and a table of every header with the role it has now and its first values. It
// opens instead of the error box when a file has no recognisable order date or amount (the analyzer's
// sentence is shown as the reason), and from "Change columns" on the overview. "Analyse with these
// columns" re-reads the file with the roles that differ from what was detected as `columns` overrides
// (AnalyzerOptions.columns). Not a tab: app.js opens it; its strings are registered here. Everything from
// the file (header names, values, the reason) is inserted as text.
import { h } from "../dom.js";
import { addStrings, t } from "../i18n.js";
import { ROLES as CORE_ROLES } from "../names.js";

export const id = "columns";

/** The roles in the order the screen lists them: what the analysis needs first, then the core's order. */
const FIRST = ["date", "total", "line_price", "quantity"];
export const ROLES = [...FIRST, ...CORE_ROLES.filter((role) => !FIRST.includes(role))];
const REQUIRED = new Set(["date", "total"]);
const NOT_USED = "";

export const strings = {
  en: {
    "columns.title": "Columns",
    "columns.intro": "Choose the column for each role. Roles you leave as they are keep the column detected.",
    "columns.reason": "The file could not be analysed as it is:",
    "columns.file": "{format} · {encoding} · {delimiter} · header row: line {line}",
    "columns.noHeader": "No header row was recognised: line 1 is shown.",
    "columns.partial": "Examples come from the first 64 KB of the file.",
    "columns.delimiter.comma": "comma-separated",
    "columns.delimiter.tab": "tab-separated",
    "columns.delimiter.semicolon": "semicolon-separated",
    "columns.roles": "Roles",
    "columns.role": "Role",
    "columns.column": "Column",
    "columns.examples": "Examples",
    "columns.required": "required",
    "columns.amountHint": "an order total or a line price",
    "columns.notUsed": "not used",
    "columns.headers": "Columns in the file",
    "columns.header": "Header",
    "columns.hasRole": "Used as",
    "columns.none": "—",
    "columns.needDate": "Choose the column with the order date.",
    "columns.needAmount": "Choose the order total or the line price column.",
    "columns.run": "Analyse with these columns",
    "columns.cancel": "Cancel",
    "columns.change": "Change columns",
    "columns.changeLabel": "Change columns: choose the columns the analysis reads",
    "columns.loading": "Reading the columns…",
    "columns.failed": "The columns could not be read: {message}",
    "role.given_name": "Given name",
  },
  ja: {
    "columns.title": "列の割り当て",
    "columns.intro": "役割ごとに使う列を選んでください。変更しない役割は、自動で検出した列のままです。",
    "columns.reason": "このままではファイルを分析できませんでした:",
    "columns.file": "{format}・{encoding}・{delimiter}・見出し行: {line} 行目",
    "columns.noHeader": "見出し行を認識できなかったため、1 行目を表示しています。",
    "columns.partial": "例はファイルの先頭64KBから取っています。",
    "columns.delimiter.comma": "カンマ区切り",
    "columns.delimiter.tab": "タブ区切り",
    "columns.delimiter.semicolon": "セミコロン区切り",
    "columns.roles": "役割",
    "columns.role": "役割",
    "columns.column": "列",
    "columns.examples": "値の例",
    "columns.required": "必須",
    "columns.amountHint": "合計金額または単価",
    "columns.notUsed": "使わない",
    "columns.headers": "ファイルの列",
    "columns.header": "見出し",
    "columns.hasRole": "役割",
    "columns.none": "—",
    "columns.needDate": "注文日の列を選んでください。",
    "columns.needAmount": "合計金額または単価の列を選んでください。",
    "columns.run": "この割り当てで分析",
    "columns.cancel": "キャンセル",
    "columns.change": "列の割り当てを変更",
    "columns.changeLabel": "列の割り当てを変更（分析に使う列を選ぶ）",
    "columns.loading": "列を読み込み中…",
    "columns.failed": "列を読み込めませんでした: {message}",
    "role.given_name": "名",
  },
};

addStrings(id, strings);

const DELIMITERS = { ",": "comma", "\t": "tab", ";": "semicolon" };

/** The overrides to analyse with: the roles whose choice differs from what was detected. */
export function overrides({ selection, baseline }) {
  const changed = {};
  for (const role of ROLES) {
    const chosen = selection[role] === NOT_USED ? null : selection[role];
    if (chosen !== (baseline[role] ?? null)) changed[role] = chosen;
  }
  return changed;
}

/** The screen of one <ltv-lens> element: its dialog lives in the element's shadow root, `root`. */
export class ColumnsScreen {
  /**
   * The screen's state: {preview, baseline, selection, reason} where `preview` is the Preview with the
   * overrides in use, `baseline` the roles detected without overrides ({role: header | null}), `selection`
   * the role → header (or "" for not used) chosen on the screen, `reason` the analyzer's sentence or null.
   */
  #screen = null;
  #handlers = null;
  #root;
  #container;

  /** `root` is the shadow root the screen's elements are found in, `container` where its dialog goes. */
  constructor(root, container) {
    this.#root = root;
    this.#container = container;
  }

  #$(id) {
    return this.#root.getElementById(id);
  }

  /**
   * Opens the screen. `preview` is the Preview of the file with the overrides in use, `baseline` the roles
   * detected without overrides, `reason` the analyzer's sentence when the analysis failed (else null).
   * onRun(columns) is called with the overrides when the user runs the analysis; onCancel() when the screen
   * is closed without running.
   */
  open({ preview, baseline, reason, lang, onRun, onCancel }) {
    const selection = {};
    for (const role of ROLES) selection[role] = preview.roles[role] ?? NOT_USED;
    this.#screen = { preview, baseline, selection, reason };
    this.#handlers = { onRun, onCancel };
    const dialog = this.#dialog();
    this.render(lang);
    if (!dialog.open) dialog.showModal();
    const first = preview.missing.length > 0 ? `columns-role-${preview.missing[0]}` : "columns-role-date";
    this.#$(first)?.focus();
  }

  /** Whether the screen is open. */
  isOpen() {
    return Boolean(this.#$("columns-dialog")?.open);
  }

  /** Closes the screen without running. */
  close() {
    const dialog = this.#$("columns-dialog");
    if (dialog?.open) dialog.close();
  }

  #dialog() {
    let dialog = this.#$("columns-dialog");
    if (dialog) return dialog;
    dialog = h("dialog", { id: "columns-dialog", class: "columns-dialog", "aria-labelledby": "columns-title" });
    // Escape, or the Cancel button: closed without running.
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      this.#cancel();
    });
    this.#container.append(dialog);
    return dialog;
  }

  #cancel() {
    const { onCancel } = this.#handlers ?? {};
    this.close();
    onCancel?.();
  }

  #run() {
    if (this.#problems().length > 0) return;
    const columns = overrides(this.#screen);
    const { onRun } = this.#handlers ?? {};
    this.close();
    onRun?.(columns);
  }

  /** What keeps the analysis from running: the date, or any amount, not chosen. */
  #problems() {
    const chosen = (role) => this.#screen.selection[role] !== NOT_USED;
    const list = [];
    if (!chosen("date")) list.push("columns.needDate");
    if (!chosen("total") && !chosen("line_price")) list.push("columns.needAmount");
    return list;
  }

  /** Renders the screen in `lang` (again after a language switch, keeping the choices). */
  render(lang) {
    const dialog = this.#$("columns-dialog");
    if (!dialog || !this.#screen) return;
    const screen = this.#screen;
    const { preview, reason } = screen;
    const headers = preview.columns;
    const examplesOf = (name) => headers.find((column) => column.name === name)?.examples ?? [];
    const formatKey = `input.format.${preview.format}`;
    const format = t(lang, formatKey) === formatKey ? preview.format : t(lang, formatKey);

    const roleLabel = (role) => t(lang, `role.${role}`);
    const examplesCell = (name) =>
      h("td", { class: "columns-examples" }, name === NOT_USED ? "" : examplesOf(name).join(" · ") || t(lang, "columns.none"));

    const roleRows = ROLES.map((role) => {
      const select = h(
        "select",
        { id: `columns-role-${role}`, class: "columns-select", data: { role } },
        h("option", { value: NOT_USED }, t(lang, "columns.notUsed")),
        headers.map((column) => h("option", { value: column.name }, column.name)),
      );
      select.value = screen.selection[role];
      const row = h(
        "tr",
        { data: { role } },
        h(
          "th",
          { scope: "row" },
          h("label", { for: select.id }, roleLabel(role)),
          REQUIRED.has(role)
            ? h("span", { class: "columns-required" }, ` (${t(lang, "columns.required")}${role === "total" ? `: ${t(lang, "columns.amountHint")}` : ""})`)
            : null,
        ),
        h("td", {}, select),
        examplesCell(screen.selection[role]),
      );
      select.addEventListener("change", () => {
        screen.selection[role] = select.value;
        row.lastChild.replaceWith(examplesCell(select.value));
        this.#renderHeaders(lang);
        this.#renderProblems(lang);
      });
      return row;
    });

    const delimiter = t(lang, `columns.delimiter.${DELIMITERS[preview.delimiter] ?? "comma"}`);
    dialog.replaceChildren(
      h(
        "div",
        { class: "columns-body" },
        h("h2", { id: "columns-title" }, t(lang, "columns.title")),
        reason
          ? h("div", { id: "columns-reason", class: "columns-reason" }, h("strong", {}, t(lang, "columns.reason")), " ", sentence(reason))
          : null,
        h("p", { class: "muted", id: "columns-file" }, t(lang, "columns.file", { format, encoding: preview.encoding, delimiter, line: preview.header_line })),
        preview.header_found ? null : h("p", { class: "muted" }, t(lang, "columns.noHeader")),
        h("p", {}, t(lang, "columns.intro")),
        h(
          "div",
          { class: "table-wrap", tabindex: "0" },
          h(
            "table",
            { class: "data-table columns-roles", id: "columns-roles" },
            h("caption", { class: "visually-hidden" }, t(lang, "columns.roles")),
            h("thead", {}, h("tr", {}, [t(lang, "columns.role"), t(lang, "columns.column"), t(lang, "columns.examples")].map((title) => h("th", { scope: "col" }, title)))),
            h("tbody", {}, roleRows),
          ),
        ),
        h("h3", { class: "columns-subtitle" }, t(lang, "columns.headers")),
        h("div", { class: "table-wrap", id: "columns-headers", tabindex: "0" }),
        preview.whole_file ? null : h("p", { class: "muted" }, t(lang, "columns.partial")),
        h("p", { id: "columns-problems", class: "columns-problems", "aria-live": "polite" }),
        h(
          "div",
          { class: "actions columns-actions" },
          button("columns-run", "btn btn-primary", t(lang, "columns.run"), () => this.#run()),
          button("columns-cancel", "btn", t(lang, "columns.cancel"), () => this.#cancel()),
        ),
      ),
    );
    this.#renderHeaders(lang);
    this.#renderProblems(lang);
  }

  /** Every header of the file with the roles it has in the current choice, and its first values. */
  #renderHeaders(lang) {
    const rolesOf = (name) => ROLES.filter((role) => this.#screen.selection[role] === name);
    const rows = this.#screen.preview.columns.map((column) =>
      h(
        "tr",
        { data: { header: column.index } },
        h("th", { scope: "row" }, column.name),
        h("td", { class: "columns-has-role" }, rolesOf(column.name).map((role) => t(lang, `role.${role}`)).join(", ") || t(lang, "columns.none")),
        h("td", { class: "columns-examples" }, column.examples.join(" · ")),
      ),
    );
    this.#$("columns-headers").replaceChildren(
      h(
        "table",
        { class: "data-table columns-header-table" },
        h("caption", { class: "visually-hidden" }, t(lang, "columns.headers")),
        h("thead", {}, h("tr", {}, [t(lang, "columns.header"), t(lang, "columns.hasRole"), t(lang, "columns.examples")].map((title) => h("th", { scope: "col" }, title)))),
        h("tbody", {}, rows),
      ),
    );
  }

  #renderProblems(lang) {
    const list = this.#problems();
    this.#$("columns-problems").textContent = list.map((key) => t(lang, key)).join(" ");
    const runButton = this.#$("columns-run");
    runButton.disabled = list.length > 0;
    if (list.length > 0) runButton.setAttribute("aria-describedby", "columns-problems");
    else runButton.removeAttribute("aria-describedby");
  }
}

function button(id, className, text, onClick) {
  const node = h("button", { type: "button", id, class: className }, text);
  node.addEventListener("click", onClick);
  return node;
}

/** The analyzer's sentences start in lower case (Rust style); on the page they start a sentence. */
function sentence(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
