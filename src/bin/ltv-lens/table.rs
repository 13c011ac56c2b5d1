//! The readable, plain-text rendering of a Report for the terminal.

use ltv_lens::report::{Report, F2};
use std::fmt::Write as _;

/// Renders the Report as aligned label/value lines.
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
        let _ = writeln!(out, "{label:<30} {value}");
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
    for w in &i.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
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
