// The analyzer's warnings and errors in the page's language. The core gives each a stable `code` and its
// `args` (README "Warnings and errors") besides an English `message`; English shows the message as it is,
// Japanese fills the template of its code. An unknown code falls back to the English message.

const JA = {
  // Warnings (input.warnings[].code)
  not_a_date: "「{value}」は日付として読めません（この行は集計から外しました）",
  not_an_amount: "「{value}」は金額として読めません（この行は集計から外しました）",
  not_a_quantity: "「{value}」は整数の数量ではありません（この行は集計から外しました）",
  line_too_large: "単価×数量が大きすぎます（この行は集計から外しました）",
  line_sum_too_large: "注文の明細の合計が大きすぎます（この行は集計から外しました）",
  order_without_date: "この注文はどの行にも日付がありません（注文の行は集計から外しました）",
  order_without_amount: "この注文はどの行にも金額がありません（注文の行は集計から外しました）",
  refund_too_large: "返金を差し引いた注文金額が大きすぎます（注文の行は集計から外しました）",
  date_disagrees: "この行の日付 {value} が注文の最初の行（{first}）と違います。最初の行の日付を使います",
  total_disagrees: "この行の合計 {value} が注文の最初の行（{first}）と違います。最初の行の合計を使います",
  customer_disagrees: "この行の顧客「{value}」が注文の最初の行と違います。最初の行の顧客を使います",
  disagreements_in_all: "注文の最初の行と食い違う行が全部で {count} 行あります。最初の行の値を使います",
  runaway_quote:
    "この行で開いた引用符（\"）が行末で閉じていません。続く {lines} 行が一つの値として読まれるところだったため、各行を別の行として読みました（この行の引用符を確認してください）",
  mixed_currency: "通貨が複数あります（{first} と {other}）。金額はそのまま合算しています",
  no_identity:
    "この{platform}のエクスポートには顧客を識別する列（顧客ID・メールアドレス・氏名）がありません。すべての注文をゲスト注文として数えるため、リピート購入は分析できません。購入者がわかるレポートを使ってください",
  no_customer_column:
    "顧客IDやメールアドレスの列がありません。すべての注文をゲスト注文として数えるため、リピート購入は分析できません",
  mixed_day_order:
    "日付に月/日順（12/13 のような値が {month_first} 件）と日/月順（13/12 のような値が {day_first} 件）が混在しています。多い方の順で読みました",
  ambiguous_dates:
    "1/5 のように月/日とも日/月とも読める日付が {count} 件あり、決め手がありません。月/日（1月5日）として読みました",
  not_a_delivery_number: "「{value}」は定期回数（1以上の整数）ではありません。この行は読み飛ばしました",
  // Errors (the thrown Error's code)
  empty: "ファイルが空です。注文日と金額の列がある注文データのCSVを選んでください",
  not_text: "CSVファイルではありません（{looks_like}）。注文日と金額の列がある注文データのCSVを選んでください",
  no_header: "注文日と金額の列がある見出し行が見つかりません（足りない列: {missing}）。見つかった列: {found}",
  no_rows: "見出し行（{line} 行目）はありますが、注文の行がありません",
  no_usable_rows: "{rows} 行すべてが読めませんでした。最初の問題: {first_problem}",
  record_too_large: "{line} 行目の1行が大きすぎます。CSVファイルか確かめてください",
  items_file: "これは{platform}の商品明細ファイルで、注文日や購入者がありません。注文ファイル（{orders_file} などの列があるもの）を選んでください",
  invalid_option: "設定が正しくありません: {message}",
  already_finished: "解析はすでに終わっています",
  invalid_state: "部分状態として読めません: {message}",
  states_disagree: "部分状態を統合できません: {message}",
  // Errors of the package's own side (client.js): the browser, not the file, failed
  worker_unavailable: "分析エンジンを起動できませんでした（{reason}）。ページを再読み込みしてください",
  source_unreadable: "ファイルを読み込めませんでした",
  no_analysis: "まだ分析したファイルがありません",
};

// Arguments that are English words in the core's messages, in Japanese: the roles a header lacks
// (`missing`, "order date, amount (order total or line price)") and what a non-CSV file looks like.
const JA_ARGS = {
  missing: {
    "order date": "注文日",
    "amount (order total or line price)": "金額（合計金額または単価）",
  },
  looks_like: {
    "a binary file": "バイナリファイル",
    "a PNG image": "PNG画像",
  },
};

function argText(name, value) {
  const words = JA_ARGS[name];
  if (words == null || value == null) return value;
  if (name === "missing") return value.split(", ").map((part) => words[part] ?? part).join("、");
  return words[value] ?? value;
}

/** The sentence for a warning or error `{message, code, args}` in `lang` ("en" or "ja"). */
export function messageText(item, lang) {
  const template = lang === "ja" && item.code != null ? JA[item.code] : undefined;
  if (template == null) return item.message;
  return template.replace(/\{(\w+)\}/g, (whole, name) => argText(name, item.args?.[name]) ?? whole);
}

// The prediction models' notes (models.notes[], models.holdout.note) are English sentences without codes,
// made of a lead and the models' error sentences (src/analysis/predicted_value.rs, src/models/mod.rs). In
// Japanese each known sentence is matched and reworded; {1}, {2}… are the captured parts, and a part named
// in NESTED is itself a sentence to reword.
const MODEL_NAMES = { "BG/NBD": "BG/NBD", "Gamma-Gamma": "Gamma-Gamma" };
const REASONS_JA = {
  "a parameter runs off to zero or infinity, which happens when the history is too short or too regular to tell how often customers buy and how soon they stop":
    "パラメータが0または無限大に発散します。購入履歴が短すぎるか規則的すぎて、顧客の購入頻度と離脱の早さを見分けられないときに起こります",
  "a parameter runs off to zero or infinity, which happens when the customers' average spends hardly differ":
    "パラメータが0または無限大に発散します。顧客ごとの平均購入額にほとんど差がないときに起こります",
  "the average spends vary so widely between customers that the model has no finite population mean (its q parameter is not above 1)":
    "顧客ごとの平均購入額のばらつきが大きすぎて、全体の平均が有限になりません（パラメータ q が1を超えません）",
};
const NOTES_JA = [
  [/^Purchases are not predicted\. (.+)$/, "購入回数は予測していません。{1*}"],
  [/^Spend is not predicted, so there is no CLV\. (.+)$/, "購入金額を予測していないため、予測LTVはありません。{1*}"],
  [/^The holdout check cannot be made\. (.+)$/, "検証（ホールドアウト）はできません。{1*}"],
  [
    /^Spend and purchase frequency are correlated \(r = (-?[\d.]+)\); the spend model assumes they are independent, so read the expected values and CLV with caution\.$/,
    "購入金額と購入頻度に相関があります（r = {1}）。金額のモデルは両者が独立だと仮定しているため、期待購入額と予測LTVは慎重に読んでください。",
  ],
  [/^There is no holdout check: the split date (\S+) is not before the analysis date\.$/, "検証（ホールドアウト）はありません。分割日 {1} が基準日より前ではありません。"],
  [/^There are no customers to fit a model on\.$/, "モデルを当てはめる顧客がいません。"],
  [
    /^Every customer made the first purchase on the analysis date, so there is no history to learn repeat purchasing from\.$/,
    "すべての顧客が基準日に初回購入しているため、リピート購入を学べる履歴がありません。",
  ],
  [
    /^The (\S+) model needs customers who bought again, and no customer has made a repeat purchase yet \(at least (\d+) are needed\)\.$/,
    "{1}モデルにはリピート購入した顧客が必要ですが、まだ一人もいません（{2} 人以上必要です）。",
  ],
  [/^The (\S+) model needs at least (\d+) customers with a repeat purchase, and only (\d+) have one\.$/, "{1}モデルにはリピート購入した顧客が {2} 人以上必要ですが、{3} 人しかいません。"],
  [
    /^The (\S+) model could not be fitted: the search for the best parameters did not settle, so its predictions would not be trustworthy\.$/,
    "{1}モデルを当てはめられませんでした。最適なパラメータの探索が収束せず、予測は信頼できません。",
  ],
  [/^The (\S+) model could not be fitted: its likelihood is not a finite number for these data\.$/, "{1}モデルを当てはめられませんでした。このデータでは尤度が有限の値になりません。"],
  [/^The (\S+) model cannot be fitted on these data: (.+)\.$/, "このデータには{1}モデルを当てはめられません。{2?}。"],
];

/**
 * A note of the prediction models in `lang`: {text, lang} — Japanese when the sentence is known, else the
 * English sentence (with lang "en", for the element's lang attribute).
 */
export function noteText(note, lang) {
  if (lang !== "ja" || note == null) return { text: note, lang: "en" };
  const text = japaneseNote(note);
  return text == null ? { text: note, lang: "en" } : { text, lang: "ja" };
}

function japaneseNote(note) {
  for (const [pattern, template] of NOTES_JA) {
    const match = pattern.exec(note);
    if (!match) continue;
    let known = true;
    const text = template.replace(/\{(\d)([*?]?)\}/g, (whole, index, kind) => {
      const part = match[Number(index)];
      if (kind === "*") {
        const inner = japaneseNote(part);
        if (inner == null) known = false;
        return inner ?? part;
      }
      if (kind === "?") {
        if (!(part in REASONS_JA)) known = false;
        return REASONS_JA[part] ?? part;
      }
      return MODEL_NAMES[part] ?? part;
    });
    return known ? text : null;
  }
  return null;
}

/** The codes with a Japanese wording, for tests. */
export const JAPANESE_CODES = Object.keys(JA);
