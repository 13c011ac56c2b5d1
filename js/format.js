// Number, money, percent, day and date formatting for the page, all through Intl, in the UI language.
// Every formatter shows a missing value (null: a ratio or quantile with a zero denominator) as a dash.

const DASH = "—";

/** The BCP 47 locale used for a UI language ("en" or "ja"). */
function localeOf(lang) {
  return lang === "ja" ? "ja-JP" : "en-US";
}

function numberFormat(lang, options) {
  return new Intl.NumberFormat(localeOf(lang), options);
}

/** A count: 12,345. */
export function formatInteger(value, lang) {
  if (value == null) return DASH;
  return numberFormat(lang, { maximumFractionDigits: 0 }).format(value);
}

/** A plain decimal number with exactly `digits` fraction digits: 1.42. */
export function formatDecimal(value, lang, digits = 2) {
  if (value == null) return DASH;
  return numberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/**
 * The currency amounts are shown in: the Report's `currency` code with how to show it (`display`, Intl's
 * currencyDisplay: "symbol", "narrowSymbol", "code" or "name"; the element's currency-display attribute).
 */
export function moneyUnit(report, display = "symbol") {
  return report.currency == null ? null : { code: report.currency, display };
}

/**
 * An amount in the file's currency (`currency`: a code, or a moneyUnit()): ¥12,345 or $1,234.50. Without a
 * currency (report.currency is null) or with a code Intl does not know, a plain number with up to two
 * decimals.
 *
 * `whole` rounds to whole units and shows no cents ($6,773 for 6,773.24; never "$6,773.00"). `compact`
 * abbreviates large amounts ($1.2M, ¥121.2万) and shows an amount too small to abbreviate in whole units.
 * A value that is zero once rounded is shown without a minus sign (-0.001 → $0.00).
 */
export function formatMoney(value, unit, lang, { compact = false, whole = false } = {}) {
  if (value == null) return DASH;
  const currency = typeof unit === "string" ? unit : (unit?.code ?? null);
  const currencyDisplay = (typeof unit === "string" ? null : unit?.display) ?? "symbol";
  const rounding = whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {};
  const base = { signDisplay: "negative", ...rounding };
  const format = (options) => {
    if (currency) {
      try {
        return numberFormat(lang, { style: "currency", currency, currencyDisplay, ...base, ...options }).formatToParts(value);
      } catch {
        // RangeError: not an ISO 4217 code; a plain number followed by the code (below).
      }
    }
    return numberFormat(lang, { maximumFractionDigits: 2, ...base, ...options }).formatToParts(value);
  };
  let parts = format({});
  if (compact) {
    const short = format({ notation: "compact", minimumFractionDigits: 0, maximumFractionDigits: 1 });
    // Abbreviated (K, M, 万, 億): the compact form; too small to abbreviate: whole units.
    parts = short.some((part) => part.type === "compact") ? short : format({ minimumFractionDigits: 0, maximumFractionDigits: 0 });
  }
  const text = parts.map((part) => part.value).join("");
  return currency && !hasCurrency(parts) ? `${text} ${currency}` : text;
}

function hasCurrency(parts) {
  return parts.some((part) => part.type === "currency");
}

/**
 * The formatter for the amounts of one chart axis and its value labels: one style for all of them, chosen
 * from the largest amount shown (`max`): compact from 10,000 up, whole units from 10 up, with cents below.
 */
export function moneyScale(max, currency, lang) {
  const size = Math.abs(max ?? 0);
  const options = size >= 10000 ? { compact: true } : size >= 10 ? { whole: true } : {};
  return (value) => formatMoney(value, currency, lang, options);
}

/** A fraction (0.25) as a percentage with one decimal: 25.0%. */
export function formatPercent(value, lang) {
  if (value == null) return DASH;
  return numberFormat(lang, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

/** A number of days, with up to one decimal (quantiles interpolate): 34 days, 12.5 days / 34日. */
export function formatDays(value, lang) {
  if (value == null) return DASH;
  return numberFormat(lang, { style: "unit", unit: "day", unitDisplay: "long", maximumFractionDigits: 1 }).format(value);
}

/** A file size: 1.2 MB. */
export function formatBytes(bytes, lang) {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"];
  let unit = 0;
  let value = bytes;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return numberFormat(lang, { style: "unit", unit: units[unit], maximumFractionDigits: 1 }).format(value);
}

/** A calendar date "YYYY-MM-DD" as written in the report: Dec 31, 2024 / 2024/12/31. */
export function formatDate(isoDate, lang) {
  if (isoDate == null) return DASH;
  const format = new Intl.DateTimeFormat(localeOf(lang), { dateStyle: "medium", timeZone: "UTC" });
  return format.format(new Date(`${isoDate}T00:00:00Z`));
}

/** A month "YYYY-MM": Mar 2024 / 2024年3月. */
export function formatMonth(isoMonth, lang) {
  const format = new Intl.DateTimeFormat(localeOf(lang), { year: "numeric", month: "short", timeZone: "UTC" });
  return format.format(new Date(`${isoMonth}-01T00:00:00Z`));
}

/** The calendar date `days` days before "YYYY-MM-DD", as "YYYY-MM-DD" (for the F2 eligibility cut-off). */
export function daysBefore(isoDate, days) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

/** The machine's local calendar date, "YYYY-MM-DD" (the analysis's "today" for outlier dates). */
export function localToday(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
