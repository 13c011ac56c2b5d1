//! Merging partial states: the shards' orders and customers put together and numbered canonically
//! again, the counts added, the day/month order of year-last dates decided again over every shard's
//! votes, and the warnings rebuilt.
//!
//! What a whole file's Report holds, the merge rebuilds exactly, except which located warnings
//! `input.warnings` lists: a shard's warnings carry the lines of the shard's own file. The merged list
//! holds the located warnings of every shard sorted by line (then column, code, message), the first 20,
//! then the file-wide notes, recomputed from the merged counts (the day/month order of year-last dates,
//! a file that cannot tell customers apart, the number of disagreeing rows), as the whole file's list
//! ends with them; the warnings that count rows over the file (`extra_empty_fields`, `not_utf8`) are
//! one with the sum, and an encoding's close call comes first. Without located warnings the list is
//! the whole file's. Each located warning of a named shard carries the shard's name ([`SHARD`]).

use super::{pack, unpack, PartialState, Shards};
use crate::error::{quote, Error, ErrorKind};
use crate::ingest::canonical::canonical;
use crate::ingest::columns::Role;
use crate::ingest::notices::{Notice, WarningCode};
use crate::ingest::orders::{decide_day_order, disagreements_in_all, MAX_WARNINGS, NO_CHANNEL};
use crate::ingest::subscription::{NO_SUBSCRIPTION, NO_SUBSCRIPTION_ID};
use crate::ingest::values::DayOrder;
use crate::ingest::Dataset;
use crate::report::Warning;

/// The warning argument that names the shard of a located warning in a merged state.
pub(super) const SHARD: &str = "shard";

/// Merges `states` (see [`PartialState::merge`]).
pub(super) fn merge(mut states: Vec<PartialState>) -> Result<PartialState, Error> {
    if states.len() <= 1 {
        return states
            .pop()
            .ok_or_else(|| disagree("there is no state to merge".into()));
    }
    check_compatible(&states)?;
    check_customers_apart(&states)?;
    let currency = currency(&states)?;
    let header_line = states.iter().map(|s| s.header_line).min().unwrap_or(1);
    let reading = states[0].reading.clone();
    let mut names: Vec<String> = states
        .iter()
        .flat_map(|s| match &s.shards {
            Shards::One(name) => name.iter().cloned().collect(),
            Shards::Merged(names) => names.clone(),
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    let datasets: Vec<Dataset> = states.into_iter().map(|s| with_shards(s, &names)).collect();
    let mut dataset =
        concatenate(datasets).ok_or_else(|| disagree("there is no state to merge".into()))?;
    dataset.currency = currency;
    Ok(PartialState {
        dataset: canonical(dataset, true),
        reading,
        header_line,
        shards: Shards::Merged(names),
    })
}

/// The dataset of `state` with the shard of each order packed with its line, as 1 + its place in
/// `names` (the merged state's), and, for a named shard, its name on each of its located warnings.
fn with_shards(state: PartialState, names: &[String]) -> Dataset {
    let place = |name: &String| names.binary_search(name).map_or(0, |i| i as u64 + 1);
    let mut dataset = state.dataset;
    match state.shards {
        Shards::One(name) => {
            let shard = name.as_ref().map_or(0, place);
            for line in &mut dataset.first_lines {
                *line = pack(*line, shard);
            }
            if let Some(name) = name {
                for warning in dataset.warnings.iter_mut().filter(|w| w.row.is_some()) {
                    warning.args.insert(SHARD, name.clone());
                }
            }
        }
        Shards::Merged(own) => {
            let shards: Vec<u64> = std::iter::once(0).chain(own.iter().map(place)).collect();
            for line in &mut dataset.first_lines {
                let (at, shard) = unpack(*line);
                *line = pack(at, shards.get(shard as usize).copied().unwrap_or(0));
            }
        }
    }
    dataset
}

fn disagree(message: String) -> Error {
    ErrorKind::StatesDisagree(message).into()
}

/// Refuses states read with different reading options, or of exports read as different formats,
/// encodings or columns.
fn check_compatible(states: &[PartialState]) -> Result<(), Error> {
    let first = &states[0];
    for other in &states[1..] {
        if other.reading != first.reading {
            return Err(disagree(
                "they were read with different reading options (column overrides, date order, input \
                 encoding); read every shard with the same ones"
                    .into(),
            ));
        }
        let (a, b) = (&first.dataset, &other.dataset);
        if a.format != b.format {
            return Err(disagree(format!(
                "one was read as a {} export and another as a {} export",
                a.format.label(),
                b.format.label()
            )));
        }
        if a.encoding != b.encoding {
            return Err(disagree(format!(
                "one was read as {} text and another as {} text; write every shard in one encoding",
                a.encoding, b.encoding
            )));
        }
        if a.columns != b.columns {
            return Err(disagree(
                "their columns differ (each role must be read from the same header in every shard)"
                    .into(),
            ));
        }
    }
    Ok(())
}

/// Refuses a customer found in two states: the whole file would have one history for it, and the
/// shards' file orders cannot be interleaved again.
fn check_customers_apart(states: &[PartialState]) -> Result<(), Error> {
    let mut keys: Vec<(&str, bool, usize)> = Vec::new();
    for (index, state) in states.iter().enumerate() {
        let identities = &state.dataset.identities;
        keys.extend(
            identities
                .keys
                .iter()
                .zip(&identities.from_id)
                .map(|(key, &from_id)| (&**key, from_id, index)),
        );
    }
    keys.sort_unstable();
    for pair in keys.windows(2) {
        let ((a, a_id, a_state), (b, b_id, b_state)) = (pair[0], pair[1]);
        if a == b && a_id == b_id && a_state != b_state {
            return Err(disagree(format!(
                "customer {} is in more than one of them; every order of a customer must be in one \
                 shard (split the export by the customer id, else the e-mail)",
                quote(a)
            )));
        }
    }
    Ok(())
}

/// The currency of the merged states: the one currency some state has, if any; refused for two.
fn currency(states: &[PartialState]) -> Result<Option<String>, Error> {
    let mut found: Option<&String> = None;
    for currency in states.iter().filter_map(|s| s.dataset.currency.as_ref()) {
        match found {
            Some(first) if first != currency => {
                return Err(disagree(format!(
                    "one is in {} and another in {}; a Report is in one currency",
                    quote(first),
                    quote(currency)
                )))
            }
            _ => found = Some(currency),
        }
    }
    Ok(found.cloned())
}

/// The datasets one after the other (numbers shifted), the day/month order decided over all of them
/// and the warnings rebuilt; not yet canonical. `None` for no dataset.
fn concatenate(mut datasets: Vec<Dataset>) -> Option<Dataset> {
    let chosen = datasets.first()?.dates.chosen;
    let month_first: u64 = datasets.iter().map(|d| d.dates.month_first_votes).sum();
    let day_first: u64 = datasets.iter().map(|d| d.dates.day_first_votes).sum();
    let ambiguous: u64 = datasets.iter().map(|d| d.dates.ambiguous_values).sum();
    let (decided, day_order_notice) = decide_day_order(month_first, day_first, ambiguous);
    if !chosen {
        for dataset in &mut datasets {
            if dataset.dates.applied != decided {
                read_other_way(dataset, decided);
            }
        }
    }
    let warnings = warnings(&datasets, (!chosen).then_some(day_order_notice).flatten());
    let mut datasets = datasets.into_iter();
    let mut whole = datasets.next()?;
    for part in datasets {
        append(&mut whole, part);
    }
    whole.dates.month_first_votes = month_first;
    whole.dates.day_first_votes = day_first;
    whole.dates.ambiguous_values = ambiguous;
    whole.warnings = warnings;
    Some(whole)
}

/// Reads every date that can be read both ways in `order`.
fn read_other_way(dataset: &mut Dataset, order: DayOrder) {
    for (index, other) in &mut dataset.dates.other_readings {
        if let Some(o) = dataset.orders.get_mut(*index as usize) {
            std::mem::swap(&mut o.day, other);
        }
    }
    dataset.dates.applied = order;
}

/// Appends `part` to `whole`, shifting its customer, product, channel and subscription numbers, and
/// adds its counts.
fn append(whole: &mut Dataset, part: Dataset) {
    let customers = whole.identities.keys.len() as u32;
    let products = whole.traits.products.len() as u32;
    let product_lists = whole.traits.product_lists.len() as u32;
    let channels = whole.traits.channels.len() as u32;
    let subscription_ids = whole.traits.subscription_ids.len() as u32;
    let marks = whole.traits.subscriptions.len() as u32;
    let orders = whole.orders.len() as u32;

    let identities = part.identities;
    whole.identities.keys.extend(identities.keys);
    // A dataset read without contacts has none: the part's stay beside their own customers.
    whole.identities.emails.resize(customers as usize, None);
    whole.identities.emails.extend(identities.emails);
    whole.identities.names.resize(customers as usize, None);
    whole.identities.names.extend(identities.names);
    whole.identities.from_id.extend(identities.from_id);

    let traits = part.traits;
    whole.traits.products.extend(traits.products);
    whole
        .traits
        .product_lists
        .extend(traits.product_lists.iter().map(|p| p + products));
    whole.traits.channels.extend(traits.channels);
    whole
        .traits
        .subscription_ids
        .extend(traits.subscription_ids);
    whole
        .traits
        .subscriptions
        .extend(traits.subscriptions.into_iter().map(|mut mark| {
            if mark.id != NO_SUBSCRIPTION_ID {
                mark.id += subscription_ids;
            }
            mark
        }));
    whole.traits.has_product |= traits.has_product;
    whole.traits.has_discount |= traits.has_discount;
    whole.traits.has_channel |= traits.has_channel;
    whole.traits.has_subscription_id |= traits.has_subscription_id;
    whole.traits.has_subscription_column |= traits.has_subscription_column;

    whole
        .orders
        .extend(part.orders.into_iter().map(|mut order| {
            order.customer = order.customer.map(|c| c + customers);
            order.products_start += product_lists;
            if order.channel != NO_CHANNEL {
                order.channel += channels;
            }
            if order.subscription != NO_SUBSCRIPTION {
                order.subscription += marks;
            }
            order
        }));
    whole.dates.other_readings.extend(
        part.dates
            .other_readings
            .into_iter()
            .map(|(index, day)| (index + orders, day)),
    );

    whole.rows += part.rows;
    whole.orders_seen += part.orders_seen;
    whole.excluded_orders += part.excluded_orders;
    whole.skipped_rows += part.skipped_rows;
    whole.rows_in_orders += part.rows_in_orders;
    whole.disagreements += part.disagreements;
    whole.first_lines.extend(part.first_lines);
    whole.missing_identity = whole.missing_identity.take().or(part.missing_identity);
}

/// The merged warnings: the encoding's close call (the first shard's that has one), the located ones
/// of every dataset in a canonical order (the first [`MAX_WARNINGS`]) with the counted ones made one
/// ([`counted_as_one`]), then the file-wide notes recomputed, in the order the whole file gives them.
fn warnings(
    datasets: &[Dataset],
    day_order: Option<crate::ingest::notices::Notice>,
) -> Vec<Warning> {
    let close_call = datasets.iter().find_map(|d| {
        d.warnings
            .iter()
            .find(|w| w.code == WarningCode::EncodingCloseCall)
    });
    let mut list: Vec<Warning> = close_call.into_iter().cloned().collect();
    let mut located: Vec<Warning> = datasets
        .iter()
        .flat_map(|d| d.warnings.iter().filter(|w| w.row.is_some()).cloned())
        .collect();
    located.sort_by_cached_key(canonical_key);
    counted_as_one(&mut located, WarningCode::ExtraEmptyFields, |count| {
        Notice::ExtraEmptyFields { count }
    });
    counted_as_one(&mut located, WarningCode::NotUtf8, |count| {
        Notice::NotUtf8 { count }
    });
    list.extend(located);
    list.truncate(MAX_WARNINGS);
    let date_column = datasets
        .first()
        .and_then(|d| d.columns.get(Role::Date.as_str()).cloned().flatten());
    let disagreements = datasets.iter().map(|d| d.disagreements).sum();
    let file_wide = [
        day_order.map(|n| n.warning(None, date_column)),
        datasets
            .iter()
            .find_map(|d| d.missing_identity.as_ref())
            .map(|n| n.warning(None, None)),
        disagreements_in_all(disagreements).map(|n| n.warning(None, None)),
    ];
    for warning in file_wide.into_iter().flatten() {
        if list.len() < MAX_WARNINGS {
            list.push(warning);
        }
    }
    list
}

/// The order the located warnings of several shards are listed in.
fn canonical_key(w: &Warning) -> impl Ord {
    (
        w.row,
        w.column.clone(),
        w.code.as_str(),
        w.message.clone(),
        w.args.clone(),
    )
}

/// Makes the warnings of `code` (one per shard, located at the shard's first such row, each with the
/// shard's count) one: the first, with the sum of the counts, as a whole file lists one. A shard whose
/// warning did not fit in its list adds nothing to the sum.
fn counted_as_one(list: &mut Vec<Warning>, code: WarningCode, notice: fn(u64) -> Notice) {
    let count = |w: &Warning| {
        w.args
            .get("count")
            .and_then(|value| value.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let total: u64 = list.iter().filter(|w| w.code == code).map(count).sum();
    let Some(first) = list.iter().position(|w| w.code == code) else {
        return;
    };
    let shard = list[first].args.get(SHARD).cloned();
    list[first] = notice(total).warning(list[first].row, list[first].column.clone());
    if let Some(shard) = shard {
        list[first].args.insert(SHARD, shard);
    }
    let mut index = 0;
    list.retain(|w| {
        index += 1;
        index - 1 == first || w.code != code
    });
}

/// Adds `added` (located warnings and file-wide counts of one finding over the merged state) to the
/// merged warnings `list`: the located ones among the located (in [`canonical_key`] order, the first
/// [`MAX_WARNINGS`]), the others after them and before the file-wide notes.
pub(super) fn with_located(list: &mut Vec<Warning>, added: impl Iterator<Item = Warning>) {
    let old = std::mem::take(list);
    let lead = usize::from(
        old.first()
            .is_some_and(|w| w.code == WarningCode::EncodingCloseCall),
    );
    let (mut located, file_wide): (Vec<Warning>, Vec<Warning>) =
        old[lead..].iter().cloned().partition(|w| w.row.is_some());
    let (new_located, counts): (Vec<Warning>, Vec<Warning>) = added.partition(|w| w.row.is_some());
    located.extend(new_located);
    located.sort_by_cached_key(canonical_key);
    list.extend(old.into_iter().take(lead));
    list.extend(located);
    list.truncate(MAX_WARNINGS);
    list.extend(counts);
    list.extend(file_wide);
    list.truncate(MAX_WARNINGS);
}
