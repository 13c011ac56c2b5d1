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
 * An amount in the file's currency: ¥12,345 or $1,234.50. Without a currency (report.currency is
 * null) or with a code Intl does not know, a plain number with up to two decimals.
 */
export function formatMoney(value, currency, lang, { compact = false } = {}) {
  if (value == null) return DASH;
  const shape = compact ? { notation: "compact", maximumFractionDigits: 1 } : {};
  if (currency) {
    try {
      return numberFormat(lang, { style: "currency", currency, ...shape }).format(value);
    } catch {
      // RangeError: not an ISO 4217 code; fall through to a plain number followed by the code.
      return `${formatMoney(value, null, lang, { compact })} ${currency}`;
    }
  }
  return numberFormat(lang, { maximumFractionDigits: 2, ...shape }).format(value);
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
