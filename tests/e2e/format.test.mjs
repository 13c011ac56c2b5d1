// The page's money formatting (js/format.js), checked under Node with hand-written expected strings: an
// exact amount has its currency's decimals, a whole one none (never rounded and then given ".00"), a compact
// one is abbreviated only when it is large enough (else whole units), zero never takes a minus sign, and
// one chart axis uses one style for every label, chosen from its largest amount (moneyScale).
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { formatMoney, moneyScale } = await import(path.join(ROOT, "js/format.js"));

test("formatMoney: exact, whole and compact amounts in English and Japanese", () => {
  const cases = [
    // [value, currency, lang, options, expected]
    [6773.24, "USD", "en", {}, "$6,773.24"],
    [2.83, "USD", "en", {}, "$2.83"],
    [6773.24, "USD", "en", { whole: true }, "$6,773"],
    [2.83, "USD", "en", { whole: true }, "$3"],
    [12345, "JPY", "en", {}, "¥12,345"],
    [12345, "JPY", "ja", {}, "￥12,345"],
    [1500, "USD", "en", { compact: true }, "$1.5K"],
    [2500000, "USD", "en", { compact: true }, "$2.5M"],
    [90000, "USD", "en", { compact: true }, "$90K"],
    [90000, "USD", "ja", { compact: true }, "$9万"],
    [1234567, "JPY", "ja", { compact: true }, "￥123.5万"],
    // Too small to abbreviate: whole units, not "$6773.2" or "$2.8".
    [6773.24, "USD", "ja", { compact: true }, "$6,773"],
    [2.83, "USD", "en", { compact: true }, "$3"],
    [-2500000, "USD", "en", { compact: true }, "-$2.5M"],
    [-1.5, "USD", "en", {}, "-$1.50"],
    // Zero, also negative zero and what rounds to zero, has no sign.
    [0, "USD", "en", {}, "$0.00"],
    [-0, "USD", "en", {}, "$0.00"],
    [-0.001, "USD", "en", {}, "$0.00"],
    [-0.4, "JPY", "ja", {}, "￥0"],
    [-0.4, "USD", "en", { whole: true }, "$0"],
    // No currency: a plain number with up to two decimals; a code Intl cannot use follows the number.
    [12345.678, null, "en", {}, "12,345.68"],
    [12345.678, null, "en", { whole: true }, "12,346"],
    [-0, null, "en", {}, "0"],
    [1200, "円", "ja", {}, "1,200 円"],
    [null, "USD", "en", {}, "—"],
  ];
  for (const [value, currency, lang, options, expected] of cases) {
    assert.equal(formatMoney(value, currency, lang, options), expected, `${value} ${currency} ${lang} ${JSON.stringify(options)}`);
  }
});

test("moneyScale: one style for a whole axis, chosen from its largest amount", () => {
  // Up to 90,000 dollars (the predicted CLV by segment): every label compact, in both languages.
  const en = moneyScale(90000, "USD", "en");
  assert.deepEqual([0, 2.83, 6773.24, 20000, 90000].map(en), ["$0", "$3", "$6.8K", "$20K", "$90K"]);
  const ja = moneyScale(90000, "USD", "ja");
  assert.deepEqual([2.83, 6773.24, 20000, 90000].map(ja), ["$3", "$6,773", "$2万", "$9万"]);
  // Below 10,000: whole units, no cents.
  assert.deepEqual([0, 2.83, 6773.24].map(moneyScale(6773.24, "USD", "en")), ["$0", "$3", "$6,773"]);
  // Small amounts keep their cents.
  assert.deepEqual([0, 2.83, 9.5].map(moneyScale(9.5, "USD", "en")), ["$0.00", "$2.83", "$9.50"]);
  // Yen has no cents at any size.
  assert.deepEqual([500, 8000].map(moneyScale(8000, "JPY", "ja")), ["￥500", "￥8,000"]);
  assert.equal(moneyScale(null, "JPY", "en")(0), "¥0");
});
