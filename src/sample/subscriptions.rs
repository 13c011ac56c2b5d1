//! A deterministic generator of a Japanese subscription-shop export (定期購入: 健康食品, coffee, pet food):
//! one row per order with `定期購入ID`, `定期回数`, a `定期区分` flag (定期 / 通常) and `解約日`, drawn from
//! the shifted-beta-geometric model so that the `subscriptions` section's projection can be seen to
//! recover it.
//!
//! Each subscription starts on a day of 2023–2024 (more of them in the second year) and is delivered
//! every 30 days (± 2); after each delivery it stops with its own probability θ ~ Beta([`ALPHA`],
//! [`BETA`]) (the sBG model). Three stopped subscriptions in four carry their 解約日 (3 to 22 days after
//! the last delivery) on every row; the others just stop. Subscriptions still running at the end of 2024
//! are active. A few subscriptions began before the file (their first row is delivery 3 to 6), a few
//! customers hold two subscriptions, some buy one-off orders (`通常`) besides, the first delivery is
//! discounted (初回割引), and a few orders are cancelled (`キャンセル`). The same settings always give the
//! same bytes.

use super::{timestamp, write_row, write_through_io, Rng, SampleSpec};
use crate::ingest::values::{parse_date, Day};
use std::fmt;
use std::io;

/// α of the Beta distribution of the per-delivery churn probability.
pub const ALPHA: f64 = 0.8;
/// β of the Beta distribution of the per-delivery churn probability.
pub const BETA: f64 = 2.4;

/// The header (a generic Japanese cart layout; see README "Input formats").
const HEADER: &str =
    "注文番号,注文日時,会員ID,メールアドレス,お名前,商品名,数量,合計金額,定期購入ID,定期回数,定期区分,解約日,ステータス";

/// Subscription products: name, first-delivery price, later price (yen).
const PLANS: [(&str, i64, i64); 5] = [
    ("国産大麦若葉の青汁 30包 定期便", 1_980, 3_980),
    ("ソイプロテイン 抹茶味 1kg 定期便", 2_980, 4_480),
    ("スペシャルティコーヒー豆 深煎り 500g 定期便", 1_500, 2_800),
    ("無添加ドッグフード チキン 2kg 定期便", 3_280, 4_680),
    ("オールインワンジェル 100g 定期便", 1_000, 3_600),
];

/// One-off products: name, price (yen).
const ONE_OFFS: [(&str, i64); 3] = [
    ("シェイカーボトル", 990),
    ("ギフトセット「季節の詰め合わせ」", 5_400),
    ("お試しサンプル 3種", 500),
];

const FAMILY_NAMES: [&str; 8] = [
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村",
];
const GIVEN_NAMES: [&str; 8] = ["陽菜", "蓮", "結衣", "湊", "美咲", "大翔", "さくら", "悠真"];

/// One order before it is written.
struct Draft {
    day: Day,
    seconds: u32,
    customer: u32,
    /// (subscription number, delivery number, plan, cancellation date); `None` for a one-off order.
    subscription: Option<(u32, u32, usize, Option<Day>)>,
    /// A one-off product.
    product: usize,
    cancelled_order: bool,
}

/// Writes a whole subscription export to a string.
pub fn generate(spec: &SampleSpec) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_to(spec, &mut out);
    out
}

/// Writes a subscription export into `out` (wrap a file in a [`std::io::BufWriter`]); returns the first
/// error of `out`.
pub fn write_io<W: io::Write + ?Sized>(spec: &SampleSpec, out: &mut W) -> io::Result<()> {
    write_through_io(out, |adapter| write_to(spec, adapter))
}

fn write_to<W: fmt::Write + ?Sized>(spec: &SampleSpec, out: &mut W) -> fmt::Result {
    let mut rng = Rng(spec.seed ^ 0x007E_11C1_A5E5);
    let start = parse_date(b"2023-01-01").unwrap_or_default();
    let end = parse_date(b"2024-12-31").unwrap_or_default();
    let span = f64::from(end - start);
    let mut drafts: Vec<Draft> = Vec::new();
    let mut subscriptions = 0u32;
    for customer in 0..spec.customers {
        let held = if rng.chance(0.04) { 2 } else { 1 };
        let mut first_day = end;
        for _ in 0..held {
            let position = if rng.chance(0.4) {
                rng.unit()
            } else {
                rng.unit().sqrt()
            };
            let mut day = start + (position * span) as Day;
            // Early subscriptions sometimes began before the file.
            let mut number = if day - start < 60 && rng.chance(0.25) {
                3 + rng.below(4) as u32
            } else {
                1
            };
            first_day = first_day.min(day);
            let plan = rng.below(PLANS.len() as u64) as usize;
            let theta = rng.beta(ALPHA, BETA);
            let id = subscriptions;
            subscriptions += 1;
            let first_index = drafts.len();
            let mut cancelled = None;
            loop {
                drafts.push(Draft {
                    day,
                    seconds: rng.below(86_400) as u32,
                    customer,
                    subscription: Some((id, number, plan, None)),
                    product: 0,
                    cancelled_order: rng.chance(0.005),
                });
                if rng.chance(theta) {
                    if rng.chance(0.75) {
                        cancelled = Some(day + 3 + rng.below(20) as Day);
                    }
                    break;
                }
                let next = day + 28 + rng.below(5) as Day;
                if next > end {
                    break;
                }
                day = next;
                number += 1;
            }
            // The subscription's 解約日 is written on every row of it, as carts export it.
            for draft in &mut drafts[first_index..] {
                if let Some(s) = draft.subscription.as_mut() {
                    s.3 = cancelled;
                }
            }
        }
        if rng.chance(0.15) {
            for _ in 0..1 + rng.below(2) {
                let day =
                    first_day + rng.below(u64::try_from(end - first_day).unwrap_or(0) + 1) as Day;
                drafts.push(Draft {
                    day,
                    seconds: rng.below(86_400) as u32,
                    customer,
                    subscription: None,
                    product: rng.below(ONE_OFFS.len() as u64) as usize,
                    cancelled_order: false,
                });
            }
        }
    }
    drafts.sort_by_key(|d| (d.day, d.seconds, d.customer));
    out.write_str(HEADER)?;
    out.write_char('\n')?;
    for (n, draft) in drafts.iter().enumerate() {
        let c = draft.customer as usize;
        let family = FAMILY_NAMES[c % FAMILY_NAMES.len()];
        let given = GIVEN_NAMES[(c / FAMILY_NAMES.len()) % GIVEN_NAMES.len()];
        let created = timestamp(draft.day, draft.seconds);
        let created = created.get(..19).unwrap_or(&created).replace('-', "/");
        let (product, price, id, number, flag, cancelled) = match draft.subscription {
            Some((id, number, plan, cancelled)) => {
                let (name, first, later) = PLANS[plan];
                (
                    name,
                    if number == 1 { first } else { later },
                    format!("T{:06}", id + 1),
                    number.to_string(),
                    "定期",
                    cancelled.map(|d| timestamp(d, 0)[..10].replace('-', "/")),
                )
            }
            None => {
                let (name, price) = ONE_OFFS[draft.product];
                (name, price, String::new(), String::new(), "通常", None)
            }
        };
        let fields = [
            format!("{}", 20_000 + n),
            created,
            format!("M{:06}", c + 1),
            format!("member{}@example.jp", c + 1),
            format!("{family} {given}"),
            product.to_string(),
            "1".to_string(),
            price.to_string(),
            id,
            number,
            flag.to_string(),
            cancelled.unwrap_or_default(),
            if draft.cancelled_order {
                "キャンセル"
            } else {
                "発送済み"
            }
            .to_string(),
        ];
        write_row(out, &fields)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Analyzer, Options};

    #[test]
    fn the_same_seed_gives_the_same_bytes() {
        let spec = SampleSpec {
            customers: 40,
            seed: 3,
        };
        assert_eq!(generate(&spec), generate(&spec));
        assert_ne!(generate(&spec), generate(&SampleSpec { seed: 4, ..spec }));
        let mut bytes = Vec::new();
        write_io(&spec, &mut bytes).unwrap();
        assert_eq!(bytes, generate(&spec).into_bytes());
    }

    #[test]
    fn the_projection_recovers_the_generating_model() {
        let csv = generate(&SampleSpec {
            customers: 3000,
            seed: 1,
        });
        // The subscriptions section alone: the repeat-purchase models are not what this checks.
        let options = Options {
            models: false,
            ..Options::default()
        };
        let mut analyzer = Analyzer::new(options).unwrap();
        analyzer.push(csv.as_bytes()).unwrap();
        let report = analyzer.finish().unwrap().report();
        let subs = report.subscriptions.expect("a subscriptions section");
        assert_eq!(subs.lapse_days, Some(45), "deliveries every 28 to 32 days");
        let sbg = subs.sbg.expect("a fit");
        // Drawn from α 0.8, β 2.4; 3000 customers: the mean churn probability α/(α+β) = 0.25 within a
        // few points, and each parameter within its sampling error (about 20 %).
        let mean = sbg.alpha / (sbg.alpha + sbg.beta);
        assert!((mean - 0.25).abs() < 0.03, "{sbg:?}");
        assert!((sbg.alpha / ALPHA - 1.0).abs() < 0.25, "{sbg:?}");
        assert!((sbg.beta / BETA - 1.0).abs() < 0.25, "{sbg:?}");
    }
}
