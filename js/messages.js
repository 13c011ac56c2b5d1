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
  // Errors of the package's own side (client.js): the browser, not the file, failed
  worker_unavailable: "分析エンジンを起動できませんでした（{reason}）。ページを再読み込みしてください",
  source_unreadable: "ファイルを読み込めませんでした",
  no_analysis: "まだ分析したファイルがありません",
};

/** The sentence for a warning or error `{message, code, args}` in `lang` ("en" or "ja"). */
export function messageText(item, lang) {
  const template = lang === "ja" && item.code != null ? JA[item.code] : undefined;
  if (template == null) return item.message;
  return template.replace(/\{(\w+)\}/g, (whole, name) => item.args?.[name] ?? whole);
}

/** The codes with a Japanese wording, for tests. */
export const JAPANESE_CODES = Object.keys(JA);
