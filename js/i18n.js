// The page's English and Japanese text and the helpers that pick the language and apply it. This module
// holds the text of the page's frame (intake, progress, errors, tabs, list downloads); each view in views/
// brings its own strings (definitions included), registered here through addStrings().

/** The frame's strings, {en: {key: text}, ja: {key: text}}; both languages have the same keys. */
export const strings = {
  en: {
    "app.tagline": "Repeat-purchase analytics for your order export",
    "lang.switch": "日本語",
    "lang.switchLabel": "表示言語を日本語に切り替える",
    "def.label": "Definition",

    "intake.title": "Drop an order export here",
    "intake.hint": "An order export from Shopify, Rakuten (楽天), BASE, Yahoo! Shopping, futureshop, MakeShop, Color Me Shop, EC-CUBE, BigCommerce, WooCommerce or Amazon, or any CSV with an order date and an amount column (UTF-8 or Shift_JIS).",
    "intake.choose": "Choose a file…",
    "intake.sample": "Try the sample",
    "intake.privacy": "Your file is read on this device only. Nothing is uploaded.",
    "progress.reading": "Reading {name}…",
    "progress.count": "{read} of {total}",
    "progress.computing": "Analysing {name}…",
    "progress.fitting": "Fitting the prediction models for {name}…",
    "progress.sections": "{done} of {total} sections",
    "pending.section": "Computing…",
    "pending.modelsPercent": "Fitting the prediction models… {percent} % done. The other views are ready.",
    "pending.modelsLabel": "Fitting the prediction models",
    "progress.cancel": "Cancel",
    "progress.sample": "Loading the sample…",
    "status.done": "Analysed {name} ({size}).",
    "status.cancelled": "Cancelled. Choose a file to start again.",
    "error.title": "“{name}” could not be analysed",
    "error.titleNoFile": "Nothing could be analysed",
    "error.hint": "Check that it is an order export (CSV), then choose a file again.",
    "error.sample": "The sample file could not be loaded ({reason}).",

    "results.title": "Repeat-purchase analysis",
    "results.asOf": "as of {date}",
    "results.noCurrency": "no currency column",
    "def.as_of": "The date the analysis is made at: the latest date of an order that counts.",
    "chart.numbers": "Show the numbers",
    "tabs.label": "Views of the analysis",
    "export.encoding": "Customer-list CSV",
    "export.listLang": "List headers",
    "export.utf8": "UTF-8 (Excel, Google Sheets)",
    "export.sjis": "Shift_JIS (older Japanese tools)",
    "export.download": "Download CSV",
    "export.downloadLabel": "Download CSV – {name}",
    "export.working": "Preparing the list “{name}”…",
    "export.done": "Handed {file} to the browser: it is in your downloads unless the browser asks where to save it.",
    "export.failed": "The list could not be made: {message}",
    "export.unwritable": "{count} values could not be written in Shift_JIS: use UTF-8. They are in the file as &#x…; references.",
    "export.unwritableOne": "1 value could not be written in Shift_JIS: use UTF-8. It is in the file as &#x…; references.",
    "export.empty": "Nobody in this list",
    "recompute.working": "Recomputing…",
    "recompute.failed": "The analysis could not be recomputed: {message}",
  },
  ja: {
    "app.tagline": "注文データからリピート購入を分析",
    "lang.switch": "English",
    "lang.switchLabel": "Switch the page to English",
    "def.label": "定義",

    "intake.title": "注文CSVをここにドロップ",
    "intake.hint": "Shopify・楽天・BASE・Yahoo!ショッピング・futureshop・MakeShop・カラーミーショップ・EC-CUBE・BigCommerce・WooCommerce・Amazonの注文データ、または注文日と金額の列があるCSV（UTF-8 / Shift_JIS）に対応しています。",
    "intake.choose": "ファイルを選択…",
    "intake.sample": "サンプルで試す",
    "intake.privacy": "ファイルはこの端末の中だけで読み込まれ、どこにも送信されません。",
    "progress.reading": "{name} を読み込み中…",
    "progress.count": "{read} / {total}",
    "progress.computing": "{name} を分析中…",
    "progress.fitting": "{name} の予測モデルを推定中…",
    "progress.sections": "{done} / {total} 項目",
    "pending.section": "計算中…",
    "pending.modelsPercent": "予測モデルを推定しています…{percent}% 完了（ほかのタブはもう見られます）",
    "pending.modelsLabel": "予測モデルの推定",
    "progress.cancel": "キャンセル",
    "progress.sample": "サンプルを読み込み中…",
    "status.done": "{name}（{size}）を分析しました。",
    "status.cancelled": "キャンセルしました。ファイルを選ぶと、もう一度分析できます。",
    "error.title": "「{name}」は分析できませんでした",
    "error.titleNoFile": "分析できませんでした",
    "error.hint": "注文データのCSVかどうかを確認して、もう一度ファイルを選んでください。",
    "error.sample": "サンプルファイルを読み込めませんでした（{reason}）。",

    "results.title": "リピート購入の分析",
    "results.asOf": "基準日 {date}",
    "results.noCurrency": "通貨列なし",
    "def.as_of": "分析の基準日。集計対象の注文のうち、最も新しい注文日です。",
    "chart.numbers": "数値を表示",
    "tabs.label": "分析の表示切り替え",
    "export.encoding": "顧客リストCSVの文字コード",
    "export.listLang": "リストの見出し",
    "export.utf8": "UTF-8（Excel・Googleスプレッドシート）",
    "export.sjis": "Shift_JIS（従来の日本語ツール）",
    "export.download": "CSVをダウンロード",
    "export.downloadLabel": "CSVをダウンロード – {name}",
    "export.working": "リスト「{name}」を作成中…",
    "export.done": "{file} をブラウザーに渡しました。ブラウザーが保存先を尋ねない限り、ダウンロードフォルダーに保存されます。",
    "export.failed": "リストを作成できませんでした: {message}",
    "export.unwritable": "{count}件の値をShift_JISで書き出せませんでした。UTF-8をお使いください。該当する文字は &#x…; 形式の参照としてファイルに入っています。",
    "export.unwritableOne": "1件の値をShift_JISで書き出せませんでした。UTF-8をお使いください。該当する文字は &#x…; 形式の参照としてファイルに入っています。",
    "export.empty": "該当する顧客はいません",
    "recompute.working": "再計算中…",
    "recompute.failed": "再計算できませんでした: {message}",
  },
};

// Every string in use: the frame's, then each view's (addStrings).
const MESSAGES = { en: { ...strings.en }, ja: { ...strings.ja } };

/**
 * Adds a view's strings ({en, ja}, same shape as `strings`). A key may be defined once only, so two views
 * cannot silently overwrite each other's text.
 */
export function addStrings(owner, more) {
  for (const lang of Object.keys(MESSAGES)) {
    for (const [key, text] of Object.entries(more[lang] ?? {})) {
      if (key in MESSAGES[lang]) throw new Error(`${owner}: the string "${key}" (${lang}) is already defined`);
      MESSAGES[lang][key] = text;
    }
  }
}

/** The UI language to start with: Japanese when the browser prefers it, English otherwise. */
export function initialLang() {
  return (navigator.language || "").toLowerCase().startsWith("ja") ? "ja" : "en";
}

function lookup(lang, key) {
  return MESSAGES[lang][key] ?? MESSAGES.en[key] ?? key;
}

/** The text for `key` in `lang`, with each {name} replaced by vars[name]. */
export function t(lang, key, vars = {}) {
  return lookup(lang, key).replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/**
 * Like t(), but as a list of parts for Element.append(), so a placeholder can be an element (a number
 * that carries its own data-kpi) inside a translated sentence.
 */
export function tParts(lang, key, vars) {
  return lookup(lang, key)
    .split(/\{(\w+)\}/)
    .map((part, index) => (index % 2 === 1 ? vars[part] : part));
}

/**
 * Puts the language's text into the static markup under `root` (a document, a shadow root or an element):
 * data-i18n sets the text, data-i18n-title the title (the hover text) and data-i18n-label the aria-label.
 */
export function applyStatic(root, lang) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(lang, node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-title]")) node.title = t(lang, node.dataset.i18nTitle);
  for (const node of root.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", t(lang, node.dataset.i18nLabel));
  }
}
