//! A deterministic generator of realistic Shopify-style order exports: repeat buyers on a realistic
//! decay, several line items per order, refunds, voids, cancellations, guest checkouts, and product
//! names and notes that need CSV quoting. The same settings always produce the same bytes.

use crate::ingest::values::{day_to_date, parse_date, Day};
use std::fmt;
use std::io;

pub mod subscriptions;

/// Generator settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleSpec {
    /// Number of customers with an e-mail (guest orders come on top).
    pub customers: u32,
    /// Seed of the pseudo-random sequence.
    pub seed: u64,
}

/// The Shopify orders-export header (the current variant, see FORMATS.md).
const HEADER: &str = "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,\
Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,\
Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,\
Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,\
Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,\
Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,\
Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,\
Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,\
Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Phone";

/// Products: name, SKU, price in yen. Some names need quoting.
const PRODUCTS: [(&str, &str, i64); 10] = [
    ("Sencha Green Tea, 100g", "TEA-SEN-100", 1_620),
    ("Matcha \"Uji\" Ceremonial Grade 30g", "TEA-MAT-030", 3_240),
    ("Hojicha Roasted Tea 200g", "TEA-HOJ-200", 1_296),
    ("Genmaicha 100g", "TEA-GEN-100", 972),
    ("Gyokuro Premium, Gift Box", "TEA-GYO-GFT", 5_400),
    ("Tea Subscription Box (Monthly)", "SUB-BOX-01", 3_980),
    ("Kyusu Teapot 360ml", "WARE-KYU-360", 6_480),
    ("Bamboo Whisk", "WARE-CHA-001", 2_750),
    ("Cold Brew Bottle", "WARE-CBB-750", 2_200),
    ("Sample Set: 5 Teas", "TEA-SMP-005", 1_100),
];

const FIRST_NAMES: [&str; 12] = [
    "Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Emma", "Liam", "Mei", "Kenji", "Sakura", "Noah",
];
const LAST_NAMES: [&str; 10] = [
    "Sato",
    "Suzuki",
    "Takahashi",
    "Tanaka",
    "Ito",
    "Watanabe",
    "Yamamoto",
    "Smith",
    "Kobayashi",
    "Kato",
];
const CITIES: [(&str, &str, &str); 5] = [
    ("Shibuya-ku", "150-0001", "Tokyo"),
    ("Kita-ku", "530-0001", "Osaka"),
    ("Naka-ku", "460-0008", "Aichi"),
    ("Chuo-ku", "810-0001", "Fukuoka"),
    ("Sakyo-ku", "606-8501", "Kyoto"),
];

/// SplitMix64: tiny, fast and stable across versions, so samples never change under a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Exponential with mean 1 (`libm`, so that every platform writes the same bytes).
    fn exponential(&mut self) -> f64 {
        -libm::log(1.0 - self.unit())
    }

    /// Gamma(shape, 1), by Marsaglia & Tsang (shape < 1 boosted).
    fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let u = 1.0 - self.unit();
            return self.gamma(shape + 1.0) * libm::pow(u, 1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / libm::sqrt(9.0 * d);
        loop {
            // A standard normal by Box-Muller.
            let radius = libm::sqrt(2.0 * self.exponential());
            let x = radius * libm::cos(std::f64::consts::TAU * self.unit());
            let v = (1.0 + c * x).powi(3);
            if v > 0.0 && -self.exponential() < 0.5 * x * x + d - d * v + d * libm::log(v) {
                return d * v;
            }
        }
    }

    /// Beta(a, b).
    fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        x / (x + self.gamma(b))
    }
}

/// One generated order before it is written.
struct DraftOrder {
    day: Day,
    seconds: u32,
    customer: Option<u32>,
}

/// Writes a whole sample export to a string (for tests and small samples; [`write_io`] streams).
pub fn generate(spec: &SampleSpec) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_fmt(spec, &mut out);
    out
}

/// Writes a sample export into `out` row by row: only the orders' dates (a few bytes per order) are
/// held, never the text. Fails only when `out` does.
pub fn write_fmt<W: fmt::Write + ?Sized>(spec: &SampleSpec, out: &mut W) -> fmt::Result {
    write_to(spec, out)
}

/// Writes a sample export into `out` row by row, like [`write_fmt`]; wrap a file or standard output in
/// a [`std::io::BufWriter`]. Returns the first error of `out`.
pub fn write_io<W: io::Write + ?Sized>(spec: &SampleSpec, out: &mut W) -> io::Result<()> {
    write_through_io(out, |adapter| write_to(spec, adapter))
}

/// Runs `write` over a `fmt::Write` view of `out`, answering the I/O error that `fmt::Error` cannot
/// carry.
fn write_through_io<W: io::Write + ?Sized>(
    out: &mut W,
    write: impl FnOnce(&mut IoAdapter<'_, W>) -> fmt::Result,
) -> io::Result<()> {
    let mut adapter = IoAdapter {
        inner: out,
        error: None,
    };
    match write(&mut adapter) {
        Ok(()) => Ok(()),
        Err(fmt::Error) => Err(adapter
            .error
            .unwrap_or_else(|| io::Error::other("formatting failed"))),
    }
}

/// A `fmt::Write` over an `io::Write` that keeps the I/O error `fmt::Error` cannot carry.
struct IoAdapter<'a, W: io::Write + ?Sized> {
    inner: &'a mut W,
    error: Option<io::Error>,
}

impl<W: io::Write + ?Sized> fmt::Write for IoAdapter<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.inner.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            fmt::Error
        })
    }
}

/// Writes a whole sample export into `out`.
fn write_to<W: fmt::Write + ?Sized>(spec: &SampleSpec, out: &mut W) -> fmt::Result {
    let mut rng = Rng(spec.seed ^ 0x005E_ED0F_1E75);
    let start = parse_date(b"2023-01-01").unwrap_or_default();
    let end = parse_date(b"2024-12-31").unwrap_or_default();
    let span = u64::try_from(end - start).unwrap_or(1);

    let mut drafts = Vec::new();
    for customer in 0..spec.customers {
        // A steady base of new customers plus a growing share: more of them in the second year.
        let position = if rng.chance(0.4) {
            rng.unit()
        } else {
            rng.unit().sqrt()
        };
        let first = start + (position * span as f64) as Day;
        let mut day = first;
        drafts.push(DraftOrder {
            day,
            seconds: rng.below(86_400) as u32,
            customer: Some(customer),
        });
        if rng.chance(0.01) {
            // A second order on the same day: the same purchase occasion.
            drafts.push(DraftOrder {
                day,
                seconds: rng.below(86_400) as u32,
                customer: Some(customer),
            });
        }
        // Repeat buying as the BG/NBD model describes it: while active, purchases come at the
        // customer's own rate (Gamma(0.3) / 40 per day across customers: one every 133 days on
        // average, many far slower); after each repeat purchase the customer stops for good with its
        // own probability (Beta(1.2, 2.8) across customers, 30 % on average).
        let rate = rng.gamma(0.3) / 40.0;
        let dropout = rng.beta(1.2, 2.8);
        loop {
            let gap = (rng.exponential() / rate.max(1e-9)).ceil().max(1.0);
            if gap > f64::from(end - day) {
                break;
            }
            day += gap as Day;
            drafts.push(DraftOrder {
                day,
                seconds: rng.below(86_400) as u32,
                customer: Some(customer),
            });
            if rng.chance(dropout) {
                break;
            }
        }
    }
    for _ in 0..spec.customers / 25 {
        let day = start + rng.below(span + 1) as Day;
        drafts.push(DraftOrder {
            day,
            seconds: rng.below(86_400) as u32,
            customer: None,
        });
    }
    drafts.sort_by_key(|d| (d.day, d.seconds, d.customer));

    out.write_str(HEADER)?;
    out.write_char('\n')?;
    for (n, draft) in drafts.iter().enumerate() {
        write_order(&mut rng, out, 1001 + n as u64, draft)?;
    }
    Ok(())
}

/// A customer's spend level: 0 (light, 40 %), 1 (regular, 40 %) or 2 (generous, 20 %), fixed per
/// customer by a hash of its number.
fn spend_level(customer: u32) -> u8 {
    let hash = u64::from(customer).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 59; // 0..32
    match hash {
        0..=12 => 0,
        13..=25 => 1,
        _ => 2,
    }
}

fn write_order<W: fmt::Write + ?Sized>(
    rng: &mut Rng,
    out: &mut W,
    number: u64,
    draft: &DraftOrder,
) -> fmt::Result {
    let name = format!("#{number}");
    let (email, person) = match draft.customer {
        Some(c) => {
            let first = FIRST_NAMES[c as usize % FIRST_NAMES.len()];
            let last = LAST_NAMES[(c as usize / FIRST_NAMES.len()) % LAST_NAMES.len()];
            let mut email = format!(
                "{}.{}{}@example.com",
                first.to_lowercase(),
                last.to_lowercase(),
                c
            );
            if rng.chance(0.05) {
                // Exports keep whatever case the buyer typed.
                email = format!("{first}.{last}{c}@Example.com");
            }
            (email, format!("{last} {first}"))
        }
        None => (
            String::new(),
            format!("{} {}", rng.pick(&LAST_NAMES), rng.pick(&FIRST_NAMES)),
        ),
    };
    let created = timestamp(draft.day, draft.seconds);

    // Customers spend at their own level (light, regular, generous), as real buyers do: the spend
    // model needs that variation between customers to be identified. Guests are regular.
    let level = draft.customer.map_or(1, spend_level);
    let item_count = 1
        + (rng.chance(0.25 + 0.2 * f64::from(level)) as usize)
        + (rng.chance(0.05 + 0.15 * f64::from(level)) as usize)
        + (level == 2 && rng.chance(0.5)) as usize;
    let mut items = Vec::with_capacity(item_count);
    for _ in 0..item_count {
        let product = match level {
            // Light buyers take the cheaper half of the range, generous ones mostly the dearer half.
            0 => rng.pick(&PRODUCTS[..5]),
            2 if rng.chance(0.7) => rng.pick(&PRODUCTS[4..]),
            _ => rng.pick(&PRODUCTS),
        };
        let quantity =
            1 + rng.chance(0.1 + 0.1 * f64::from(level)) as i64 + rng.chance(0.05) as i64;
        items.push((product, quantity));
    }
    let subtotal: i64 = items.iter().map(|(p, q)| p.2 * q).sum();
    let discount = if rng.chance(0.15) { subtotal / 10 } else { 0 };
    let shipping = if subtotal >= 5_000 { 0 } else { 550 };
    let total = subtotal - discount + shipping;
    let taxes = total * 10 / 110; // prices include 10% consumption tax

    let roll = rng.unit();
    let (status, cancelled, refunded) = if roll < 0.03 {
        ("refunded", String::new(), total)
    } else if roll < 0.05 {
        (
            "voided",
            timestamp(draft.day, (draft.seconds + 600).min(86_399)),
            0,
        )
    } else if roll < 0.07 {
        ("partially_refunded", String::new(), items[0].0 .2)
    } else if roll < 0.08 {
        ("pending", String::new(), 0)
    } else {
        ("paid", String::new(), 0)
    };
    let cancelled = if cancelled.is_empty() && roll > 0.995 {
        created.clone()
    } else {
        cancelled
    };
    let (district, zip, province) = *rng.pick(&CITIES);
    let street = format!(
        "{}-{}-{}",
        1 + rng.below(5),
        1 + rng.below(20),
        1 + rng.below(30)
    );
    let note = if rng.chance(0.03) {
        "Please leave at the door.\nThank you, \"really\"!"
    } else {
        ""
    };
    let paid_at = if status == "pending" || status == "voided" {
        String::new()
    } else {
        created.clone()
    };
    let discount_code = if discount > 0 { "WELCOME10" } else { "" };

    for (i, (product, quantity)) in items.iter().enumerate() {
        let mut row: Vec<String> = Vec::with_capacity(61);
        let first = i == 0;
        let order_field = |value: String| if first { value } else { String::new() };
        row.push(name.clone());
        row.push(email.clone());
        row.push(order_field(status.to_string()));
        row.push(order_field(paid_at.clone()));
        row.push(order_field("fulfilled".to_string()));
        row.push(order_field(paid_at.clone()));
        row.push(order_field(
            if rng.chance(0.4) { "yes" } else { "no" }.to_string(),
        ));
        row.push(order_field("JPY".to_string()));
        row.push(order_field(subtotal.to_string()));
        row.push(order_field(shipping.to_string()));
        row.push(order_field(taxes.to_string()));
        row.push(order_field(total.to_string()));
        row.push(order_field(discount_code.to_string()));
        row.push(order_field(discount.to_string()));
        row.push(order_field("Standard Shipping, Yamato".to_string()));
        row.push(created.clone());
        row.push(quantity.to_string());
        row.push(product.0.to_string());
        row.push(product.2.to_string());
        row.push(String::new());
        row.push(product.1.to_string());
        row.push("true".to_string());
        row.push("true".to_string());
        row.push("fulfilled".to_string());
        for value in [
            &person,
            &street,
            &street,
            "",
            "",
            district,
            zip,
            province,
            "JP",
            "'+81 90-0000-0000",
        ] {
            row.push(order_field(value.to_string()));
        }
        for value in [
            &person, &street, &street, "", "", district, zip, province, "JP", "",
        ] {
            row.push(order_field(value.to_string()));
        }
        row.push(order_field(note.to_string()));
        row.push(String::new());
        row.push(order_field(cancelled.clone()));
        row.push(order_field("Shopify Payments".to_string()));
        row.push(order_field(format!("c{number}.1")));
        row.push(order_field(refunded.to_string()));
        row.push("LTV Lens Tea Co.".to_string());
        row.push(order_field("0".to_string()));
        row.push(String::new());
        row.push(order_field("Online Store".to_string()));
        row.push(String::new());
        row.push(order_field((5_000_000_000 + number).to_string()));
        row.push(String::new());
        row.push(order_field("Low".to_string()));
        row.push(order_field("web".to_string()));
        row.push("0".to_string());
        row.push(String::new());
        write_row(out, &row)?;
    }
    Ok(())
}

fn timestamp(day: Day, seconds: u32) -> String {
    let date = day_to_date(day)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    format!(
        "{date} {:02}:{:02}:{:02} +0900",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Writes one CSV row, quoting fields that contain a delimiter, a quote or a line break.
fn write_row<W: fmt::Write + ?Sized>(out: &mut W, fields: &[String]) -> fmt::Result {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.write_char(',')?;
        }
        if field.contains([',', '"', '\n', '\r']) {
            write!(out, "\"{}\"", field.replace('"', "\"\""))?;
        } else {
            out.write_str(field)?;
        }
    }
    out.write_char('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
        let a = generate(&SampleSpec {
            customers: 50,
            seed: 1,
        });
        assert_eq!(
            a,
            generate(&SampleSpec {
                customers: 50,
                seed: 1
            })
        );
        assert_ne!(
            a,
            generate(&SampleSpec {
                customers: 50,
                seed: 2
            })
        );
    }

    /// An `io::Write` that records the largest single write and fails once `limit` bytes are exceeded.
    struct Sink {
        bytes: Vec<u8>,
        largest_write: usize,
        limit: usize,
    }

    impl io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.bytes.len() + buf.len() > self.limit {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "full"));
            }
            self.largest_write = self.largest_write.max(buf.len());
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn streaming_writes_the_same_bytes_row_by_row_and_stops_at_the_first_error() {
        let spec = SampleSpec {
            customers: 300,
            seed: 7,
        };
        let whole = generate(&spec);
        let mut sink = Sink {
            bytes: Vec::new(),
            largest_write: 0,
            limit: usize::MAX,
        };
        write_io(&spec, &mut sink).unwrap();
        assert_eq!(sink.bytes, whole.as_bytes());
        // Written piece by piece (no piece is longer than the header), never as one block.
        assert!(sink.largest_write <= HEADER.len(), "{}", sink.largest_write);

        let mut text = String::new();
        write_fmt(&spec, &mut text).unwrap();
        assert_eq!(text, whole);

        let mut full = Sink {
            bytes: Vec::new(),
            largest_write: 0,
            limit: 10_000,
        };
        let error = write_io(&spec, &mut full).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::StorageFull);
        assert!(full.bytes.len() <= 10_000 && whole.as_bytes().starts_with(&full.bytes));
    }

    #[test]
    fn every_row_has_as_many_fields_as_the_header() {
        let text = generate(&SampleSpec {
            customers: 200,
            seed: 3,
        });
        let width = HEADER.split(',').count();
        let mut reader = crate::ingest::records::RecordReader::new(b',');
        let mut rows = 0;
        let mut check = |r: crate::ingest::records::Record<'_>| {
            assert_eq!(r.len(), width, "line {}", r.line);
            rows += 1;
            Ok(None)
        };
        reader.push(text.as_bytes(), &mut check).unwrap();
        reader.finish(&mut check).unwrap();
        assert!(rows > 200);
    }
}
