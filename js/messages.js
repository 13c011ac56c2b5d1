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
  date_after_today:
    "日付「{value}」は今日（{today}）より後です。入力ミスとみられるため、この注文は集計から外しました（外さない設定もあります）",
  date_isolated:
    "日付「{value}」はほかのどの注文日とも2年以上離れています。入力ミスとみられるため、この注文は集計から外しました（外さない設定もあります）",
  outlier_dates_in_all:
    "日付が外れ値（今日より後、またはほかの注文日と2年以上離れた日付）の注文を全部で {count} 件、集計から外しました",
  extra_fields:
    "この行は項目が {fields} 個あり、見出しの {header} 個より多くなっています。値の中の区切り文字（1,200 の桁区切りなど）が引用符で囲まれておらず、どの列がずれたのか決められません（この行は集計から外しました）",
  extra_empty_fields: "見出しの列より後ろに空の項目がある行: {count} 行（最初はこの行）。空の項目を除いて読みました",
  nul_byte: "この行にはテキストにはないNULバイトが含まれています。ファイルがこの箇所で壊れています（この行は集計から外しました）",
  not_utf8:
    "UTF-8として読めないバイトを含む行: {count} 行（最初はこの行）。その部分は \uFFFD として読みました。名前などが文字化けしている場合は、文字コードを選んで読み直してください",
  encoding_close_call:
    "このファイルを {other} ではなく {chosen} として読みました。先頭64KiBに、UTF-8として読める文字が {utf8_chars} 個、読めないバイトが {not_utf8} 個あります。文字化けしている場合は {other} で読み直してください",
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
  amounts_too_large:
    "{line} 行目までの注文の金額の合計が {limit} を超え、レポートの数値で正確に表せません",
  // Notes of the prediction models (models.notes[].code, models.candidates[].note, models.holdout.note)
  no_customers: "モデルを当てはめる顧客がいません。",
  invalid_customer: "{index} 人目の顧客の購入履歴が正しくありません（{problem}）。",
  no_observation_time: "すべての顧客が基準日に初回購入しているため、リピート購入を学べる履歴がありません。",
  too_few_repeat_customers: "{model}モデルにはリピート購入した顧客が {needed} 人以上必要ですが、{found} 人しかいません。",
  not_converged: "{model}モデルを当てはめられませんでした。最適なパラメータの探索が収束せず、予測は信頼できません。",
  non_finite_likelihood: "{model}モデルを当てはめられませんでした。このデータでは尤度が有限の値になりません。",
  not_identified: "このデータには{model}モデルを当てはめられません。{reason}。",
  purchases_not_predicted: "購入回数は予測していません。どのリピート購入モデルも当てはめられませんでした（各モデルの注記を参照）。",
  spend_not_predicted: "購入金額のモデル（Gamma-Gamma）を当てはめられないため、予測LTVはありません。",
  spend_frequency_correlated:
    "購入金額と購入頻度に相関があります（r = {r}）。金額のモデルは両者が独立だと仮定しているため、期待購入額と予測LTVは慎重に読んでください。",
  split_not_before_as_of: "検証（ホールドアウト）はありません。分割日 {split} が基準日より前ではありません。",
  holdout_not_possible: "検証（ホールドアウト）はできません。このデータでは検証期間前の履歴にモデルを当てはめられません。",
  picked_model_not_fitted: "指定された{model}モデルはこのデータに当てはめられませんでした。",
  no_intervals: "{model}モデルのパラメータの不確かさを推定できないため、予測の幅（90%区間）はありません。",
  // Errors of the package's own side (client.js): the browser, not the file, failed
  worker_unavailable: "分析エンジンを起動できませんでした（{reason}）。ページを再読み込みしてください",
  source_unreadable: "ファイルを読み込めませんでした",
  no_analysis: "まだ分析したファイルがありません",
};

// Arguments that are English words in the core's messages, in Japanese: the roles a header lacks
// (`missing`, "order date, amount (order total or line price)") and what a non-CSV file looks like.
const JA_ARGS = {
  reason: {
    "a parameter runs off to zero or infinity, which happens when the history is too short or too regular to tell how often customers buy and how soon they stop":
      "パラメータが0または無限大に発散します。購入履歴が短すぎるか規則的すぎて、顧客の購入頻度と離脱の早さを見分けられないときに起こります",
    "a parameter runs off to zero or infinity, which happens when the customers' average spends hardly differ":
      "パラメータが0または無限大に発散します。顧客ごとの平均購入額にほとんど差がないときに起こります",
    "the average spends vary so widely between customers that the model has no finite population mean (its q parameter is not above 1)":
      "顧客ごとの平均購入額のばらつきが大きすぎて、全体の平均が有限になりません（パラメータ q が1を超えません）",
  },
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

/**
 * A note of the prediction models (`{code, args, message}` in models.notes[], models.candidates[].note,
 * models.holdout.note) in `lang`: {text, lang} — Japanese from its code's template, else the English
 * message (with lang "en", for the element's lang attribute).
 */
export function noteText(note, lang) {
  if (note == null) return { text: note, lang: "en" };
  if (lang !== "ja" || JA[note.code] == null) return { text: note.message, lang: "en" };
  return { text: messageText(note, lang), lang: "ja" };
}

/** The codes with a Japanese wording, for tests. */
export const JAPANESE_CODES = Object.keys(JA);
