//! The readable, plain-text rendering of a Report for the terminal. Text from the file (currency,
//! header names and values in warnings, …) can hold escape sequences that would drive the terminal:
//! every line goes through [`escape`] before it is written.

use ltv_lens::{DriverGroup, Report, TimeUnit, F2};
use std::fmt::Write as _;

/// Renders the Report as aligned label/value lines, with control characters shown escaped.
pub fn render(report: &Report) -> String {
    let k = &report.kpis;
    let i = &report.input;
    let currency = report
        .currency
        .as_deref()
        .map(|c| format!(" {c}"))
        .unwrap_or_default();
    let mut out = String::new();
    let mut line = |label: &str, value: String| {
        let _ = writeln!(out, "{:<30} {}", escape(label), escape(&value));
    };
    line("as of", report.as_of.clone().unwrap_or_else(|| "-".into()));
    line(
        "input",
        format!(
            "{} ({}), {} rows, {} orders seen",
            i.format, i.encoding, i.rows, i.orders_seen
        ),
    );
    line("excluded orders", i.excluded_orders.to_string());
    if i.orders_after_as_of > 0 {
        line("orders after as of", i.orders_after_as_of.to_string());
    }
    line(
        "orders without customer",
        i.orders_without_customer.to_string(),
    );
    line("skipped rows", i.skipped_rows.to_string());
    line("customers", k.customers.to_string());
    line("orders", k.orders.to_string());
    line("revenue", format!("{}{currency}", number(k.revenue, 2)));
    line("AOV", format!("{}{currency}", opt(k.aov, 2)));
    line("orders per customer", opt(k.orders_per_customer, 2));
    line("repeat rate", percent(k.repeat_rate));
    line(
        &format!("F2 conversion ({} days)", k.f2.window_days),
        f2(&k.f2),
    );
    for w in report
        .f2_by_window
        .iter()
        .filter(|w| w.window_days != k.f2.window_days)
    {
        line(&format!("  within {} days", w.window_days), f2(w));
    }
    let d = &k.days_to_second;
    line(
        "days to 2nd purchase",
        format!(
            "median {}, p25 {}, p75 {} (n = {})",
            opt(d.median, 1),
            opt(d.p25, 1),
            opt(d.p75, 1),
            d.count
        ),
    );
    for stage in &report.funnel {
        let label = if stage.stage == 5 {
            "F5+".to_string()
        } else {
            format!("F{}", stage.stage)
        };
        let next = stage
            .next_rate
            .map(|r| format!("  → next {}", percent(Some(r))))
            .unwrap_or_default();
        line(
            &format!("funnel {label}"),
            format!("{}{next}", stage.customers),
        );
    }
    render_v2(report, &currency, &mut line);
    for w in &i.warnings {
        let _ = writeln!(out, "warning: {}", escape(&w.to_string()));
    }
    out
}

/// `text` with every character that a terminal would act on rather than show replaced by a visible
/// escape: C0 controls (line breaks and tabs included) and DEL as `\x1b`, C1 controls and the Unicode
/// bidirectional controls (which reorder what follows) as `\u{9b}`, `\u{202e}`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_control() {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        } else if is_control(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a terminal would act on `c` rather than show it: a C0 control, DEL, a C1 control or a
/// Unicode bidirectional control.
pub fn is_control(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// How many months of retention each cohort line shows.
const COHORT_MONTHS_SHOWN: usize = 7;

/// Historical LTV, cohorts, RFM segments and lapse.
fn render_v2(report: &Report, currency: &str, line: &mut impl FnMut(&str, String)) {
    for ltv in &report.historical_ltv {
        line(
            &format!("LTV at {} months", ltv.months),
            format!(
                "{}{currency} (n = {})",
                opt(ltv.avg_revenue_per_customer, 2),
                ltv.eligible_customers
            ),
        );
    }
    for cohort in &report.cohorts {
        let retention: Vec<String> = cohort
            .retention
            .iter()
            .take(COHORT_MONTHS_SHOWN)
            .map(|&r| format!("{:>5.1}%", r * 100.0))
            .collect();
        let more = if cohort.retention.len() > COHORT_MONTHS_SHOWN {
            " …"
        } else {
            ""
        };
        line(
            &format!("cohort {} ({})", cohort.cohort, cohort.customers),
            format!("{}{more}", retention.join(" ")),
        );
    }
    let rfm = &report.rfm;
    line(
        "RFM recency cut points (days)",
        list(&rfm.recency_cut_points_days, 1),
    );
    line("RFM monetary cut points", list(&rfm.monetary_cut_points, 2));
    let starts: Vec<String> = rfm.f_band_starts.iter().map(u32::to_string).collect();
    line("RFM F band starts", starts.join(", "));
    for segment in &rfm.segments {
        line(
            &format!("segment {}", segment.key.key()),
            format!(
                "{} customers, {}{currency}",
                segment.customers,
                number(segment.revenue, 2)
            ),
        );
    }
    let lapse = &report.lapse;
    let gaps = &lapse.gap_days;
    line(
        "days between purchases",
        format!(
            "median {}, p75 {}, p90 {} (n = {})",
            opt(gaps.median, 1),
            opt(gaps.p75, 1),
            opt(gaps.p90, 1),
            gaps.count
        ),
    );
    for (label, group) in [("overdue", &lapse.overdue), ("dormant", &lapse.dormant)] {
        line(
            &format!("{label} customers"),
            format!(
                "{} (revenue last 365 days {}{currency}, all time {}{currency})",
                group.customers,
                number(group.revenue_last_365_days, 2),
                number(group.revenue_all_time, 2)
            ),
        );
    }
    let over = &lapse.days_since_last_over;
    for (days, count) in [
        (30, over.over_30),
        (60, over.over_60),
        (90, over.over_90),
        (180, over.over_180),
        (365, over.over_365),
    ] {
        line(&format!("no purchase for > {days} days"), count.to_string());
    }
    render_models(report, currency, line);
    render_drivers(report, currency, line);
    render_timing(report, line);
    render_subscriptions(report, currency, line);
}

/// F2 conversion by what the first purchase was.
fn render_drivers(report: &Report, currency: &str, line: &mut impl FnMut(&str, String)) {
    let drivers = &report.drivers;
    let lists = [
        ("first product", &drivers.by_first_product),
        ("first-order discount", &drivers.by_first_discount),
        ("first channel", &drivers.by_first_channel),
    ];
    for (what, groups) in lists {
        let Some(groups) = groups else {
            line(&format!("F2 by {what}"), "- (no such column)".to_string());
            continue;
        };
        for group in groups {
            line(&format!("F2 by {what}"), driver_group(group, &group.key));
        }
    }
    let cuts = &drivers.first_value_cut_points;
    for group in &drivers.by_first_value {
        let band: usize = group.key.parse().unwrap_or(0);
        let range = match (
            band.checked_sub(2).and_then(|i| cuts.get(i)),
            cuts.get(band.wrapping_sub(1)),
        ) {
            (None, Some(high)) => format!("≤ {}{currency}", number(*high, 2)),
            (Some(low), Some(high)) => {
                format!("{}–{}{currency}", number(*low, 2), number(*high, 2))
            }
            (Some(low), None) => format!("> {}{currency}", number(*low, 2)),
            (None, None) => "-".to_string(),
        };
        line(
            "F2 by first-order value",
            driver_group(group, &format!("band {} ({range})", group.key)),
        );
    }
}

fn driver_group(group: &DriverGroup, label: &str) -> String {
    let interval = match (group.low, group.high) {
        (Some(low), Some(high)) => format!(", 95% {}–{}", percent(Some(low)), percent(Some(high))),
        _ => String::new(),
    };
    let small = if group.small { ", small" } else { "" };
    format!(
        "{label}: {} ({} of {}{interval}{small})",
        percent(group.rate),
        group.converted,
        group.eligible
    )
}

/// The days between each purchase occasion and the next.
fn render_timing(report: &Report, line: &mut impl FnMut(&str, String)) {
    let timing = &report.timing;
    for step in &timing.steps {
        let counts: Vec<String> = timing
            .buckets
            .iter()
            .zip(&step.counts)
            .map(|(bucket, count)| format!("{bucket}: {count}"))
            .collect();
        line(
            &format!("days from purchase {} to {}", step.from, step.to),
            format!(
                "median {}, p25 {}, p75 {} (n = {}); {}",
                opt(step.median, 1),
                opt(step.p25, 1),
                opt(step.p75, 1),
                step.customers,
                counts.join(", ")
            ),
        );
    }
    line("follow-up day", opt(timing.follow_up_day, 1));
}

/// Subscriptions: units, the cycle, retention by delivery, monthly churn and the sBG projection.
fn render_subscriptions(report: &Report, currency: &str, line: &mut impl FnMut(&str, String)) {
    let Some(subs) = &report.subscriptions else {
        line("subscriptions", "- (no subscription column)".to_string());
        return;
    };
    line(
        "subscriptions",
        format!(
            "{} units ({}), {} deliveries, {} active, {} churned",
            subs.units, subs.unit, subs.deliveries, subs.active, subs.churned
        ),
    );
    line(
        "subscription cycle days",
        format!(
            "median {}, p75 {}; lapse after {} days",
            opt(subs.cycle_days.median, 1),
            opt(subs.cycle_days.p75, 1),
            subs.lapse_days
                .map_or_else(|| "-".to_string(), |d| d.to_string())
        ),
    );
    line(
        "mean delivery revenue",
        subs.mean_delivery_revenue.map_or_else(
            || "-".to_string(),
            |v| format!("{}{currency}", number(v, 2)),
        ),
    );
    for step in &subs.retention {
        line(
            &format!("retention at delivery {}", step.delivery),
            format!(
                "reached {}, continued {} of {} ({}), survival {}",
                step.reached,
                step.continued,
                step.at_risk,
                percent(step.rate),
                percent(step.survival)
            ),
        );
    }
    for month in &subs.monthly {
        line(
            &format!("subscription churn {}", month.month),
            format!(
                "{} active at start, {} new, {} churned ({})",
                month.active_at_start,
                month.new,
                month.churned,
                percent(month.churn_rate)
            ),
        );
    }
    match &subs.sbg {
        Some(sbg) => {
            line(
                "sBG alpha, beta",
                format!(
                    "{} (se {}), {} (se {}); ln L {}",
                    number(sbg.alpha, 4),
                    opt(sbg.se.alpha, 4),
                    number(sbg.beta, 4),
                    opt(sbg.se.beta, 4),
                    number(sbg.log_likelihood, 2)
                ),
            );
            line(
                "sBG survival to delivery 2..25",
                list(&sbg.projected_survival, 3),
            );
            line(
                "expected deliveries (first 24)",
                number(sbg.expected_deliveries_first_24, 2),
            );
        }
        None => line("sBG", "-".to_string()),
    }
    if let Some(note) = &subs.sbg_note {
        line("sBG note", format!("{}: {}", note.code, note.message));
    }
    for note in &subs.notes {
        line(
            "subscription note",
            format!("{}: {}", note.code, note.message),
        );
    }
}

/// The predicted-value models.
fn render_models(report: &Report, currency: &str, line: &mut impl FnMut(&str, String)) {
    let Some(models) = &report.models else {
        line("models", "- (not requested: --no-models)".to_string());
        return;
    };
    let unit = match models.time_unit {
        TimeUnit::Day => "day",
        TimeUnit::Week => "week",
    };
    let se = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{v:.4}"));
    if let Some(m) = &models.bgnbd {
        line(
            "BG/NBD",
            format!(
                "r {:.4} (± {}), alpha {:.4} {unit}s (± {}), a {:.4} (± {}), b {:.4} (± {}); LL {:.2}; \
                 {} customers, {} repeat",
                m.r,
                se(m.se.r),
                m.alpha,
                se(m.se.alpha),
                m.a,
                se(m.se.a),
                m.b,
                se(m.se.b),
                m.log_likelihood,
                m.customers,
                m.repeat_customers
            ),
        );
    }
    if let Some(g) = &models.gamma_gamma {
        line(
            "Gamma-Gamma",
            format!(
                "p {:.4} (± {}), q {:.4} (± {}), gamma {:.4} (± {}); LL {:.2}; {} customers; \
                 mean value {}{currency}; spend/frequency correlation {:.2}",
                g.p,
                se(g.se.p),
                g.q,
                se(g.se.q),
                g.gamma,
                se(g.se.gamma),
                g.log_likelihood,
                g.customers,
                number(g.population_mean_value, 2),
                g.spend_frequency_correlation
            ),
        );
    }
    if let Some(t) = &models.totals {
        line(
            &format!("next {} days", t.horizon_days),
            format!(
                "{} expected purchases, CLV {}{currency}, mean P(alive) {}",
                number(t.expected_purchases, 1),
                opt(t.clv, 2),
                percent(Some(t.mean_p_alive))
            ),
        );
    }
    if let Some(h) = &models.holdout {
        let error = (h.actual_purchases > 0.0)
            .then(|| (h.predicted_purchases - h.actual_purchases) / h.actual_purchases);
        line(
            &format!("holdout after {}", h.split),
            format!(
                "{} days, {} customers: {} purchases expected, {} made ({})",
                h.holdout_days,
                h.calibration_customers,
                number(h.predicted_purchases, 1),
                number(h.actual_purchases, 0),
                error.map_or_else(|| "-".to_string(), |e| format!("{:+.1}%", e * 100.0))
            ),
        );
    }
    for c in &models.candidates {
        let chosen = if models.chosen == Some(c.model) {
            " (chosen)"
        } else {
            ""
        };
        let text = match (&c.note, c.log_likelihood, c.bic) {
            (Some(note), ..) => note.message.clone(),
            (None, Some(ll), Some(bic)) => format!(
                "LL {ll:.2}, BIC {bic:.1}, holdout error {}",
                c.holdout
                    .as_ref()
                    .and_then(|h| h.error)
                    .map_or_else(|| "-".to_string(), |e| format!("{:.1}%", e * 100.0))
            ),
            _ => "-".to_string(),
        };
        line(&format!("candidate {}{chosen}", c.model.key()), text);
    }
    if let Some(i) = models.totals.as_ref().and_then(|t| t.intervals.as_ref()) {
        line(
            "90% intervals",
            format!(
                "expected purchases {} to {}, CLV {}, mean P(no purchase) {} to {}",
                number(i.expected_purchases.low, 1),
                number(i.expected_purchases.high, 1),
                i.clv.map_or_else(
                    || "-".to_string(),
                    |c| format!(
                        "{}{currency} to {}{currency}",
                        number(c.low, 2),
                        number(c.high, 2)
                    )
                ),
                percent(Some(i.mean_p_no_purchase.low)),
                percent(Some(i.mean_p_no_purchase.high))
            ),
        );
    }
    for note in &models.notes {
        line("model note", note.message.clone());
    }
}

fn list(values: &[f64], decimals: usize) -> String {
    if values.is_empty() {
        return "-".to_string();
    }
    let shown: Vec<String> = values.iter().map(|&v| number(v, decimals)).collect();
    shown.join(", ")
}

fn f2(f: &F2) -> String {
    format!(
        "{} ({} of {} eligible)",
        percent(f.rate),
        f.converted,
        f.eligible
    )
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{:.1}%", v * 100.0))
}

fn opt(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".to_string(), |v| number(v, decimals))
}

fn number(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn controls_are_shown_escaped_and_other_text_is_kept() {
        assert_eq!(
            escape("\x1b[2J\x1b]0;title\x07"),
            "\\x1b[2J\\x1b]0;title\\x07"
        );
        assert_eq!(escape("a\tb\r\nc\0\x7f"), "a\\x09b\\x0d\\x0ac\\x00\\x7f");
        assert_eq!(
            escape("\u{9b}31m \u{85} \u{202e}abc\u{2069} \u{200f}"),
            "\\u{9b}31m \\u{85} \\u{202e}abc\\u{2069} \\u{200f}"
        );
        let plain = "¥1,234 JPY → next 45.0% … 注文番号 \\ é";
        assert_eq!(escape(plain), plain);
    }
}
