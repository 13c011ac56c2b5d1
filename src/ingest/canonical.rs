//! The canonical numbering of a [`Dataset`]: one that depends on what the file holds, not on the order
//! of its rows, so that a file read whole and the same file read in shards by customer and merged
//! (`crate::partial`) give the same analysis.
//!
//! Customers are numbered in the order of their keys (a customer id before an e-mail with the same
//! text), products and channels in the order of their texts, subscriptions in the order of their ids;
//! only those that a counted order names are kept. Several analyses add floating-point values customer
//! by customer, and the models fit a systematic subsample of the customers, so the customer order is
//! what makes the two readings agree to the last bit. The orders keep their file order unless
//! `sort_orders` is set: then they are grouped by customer (each customer's in file order), and the
//! guest orders follow, sorted by what they hold; that is the form a partial state stores.

use super::orders::{Dataset, Identities, Order, NO_CHANNEL};
use super::subscription::{SubscriptionMark, NO_SUBSCRIPTION, NO_SUBSCRIPTION_ID};
use std::cmp::Ordering;

/// Renumbers `dataset` canonically.
pub(crate) fn canonical(mut dataset: Dataset, sort_orders: bool) -> Dataset {
    let customers = renumber_customers(&mut dataset);
    let products = renumber_texts(
        &mut dataset.traits.products,
        dataset.traits.product_lists.iter().copied(),
    );
    let channels = renumber_texts(
        &mut dataset.traits.channels,
        dataset.orders.iter().map(|o| o.channel),
    );
    let subscription_ids = {
        let traits = &dataset.traits;
        let used: Vec<u32> = dataset
            .orders
            .iter()
            .filter_map(|o| traits.subscription_of(o))
            .map(|m| m.id)
            .collect();
        renumber_texts(&mut dataset.traits.subscription_ids, used.into_iter())
    };

    // The orders with the new customer and channel numbers, in the old sequence; their product
    // lists and subscription marks are rebuilt below, in the new one.
    let renumbered: Vec<Order> = dataset
        .orders
        .iter()
        .map(|order| Order {
            customer: order.customer.map(|c| customers[c as usize]),
            channel: if order.channel == NO_CHANNEL {
                NO_CHANNEL
            } else {
                channels[order.channel as usize]
            },
            ..*order
        })
        .collect();
    let traits = &dataset.traits;
    let product_list = |old: usize| -> Vec<u32> {
        let mut list: Vec<u32> = traits
            .products_of(&dataset.orders[old])
            .iter()
            .map(|&p| products[p as usize])
            .collect();
        list.sort_unstable();
        list.dedup();
        list
    };
    let mark = |old: usize| {
        traits
            .subscription_of(&dataset.orders[old])
            .map(|m| SubscriptionMark {
                id: if m.id == NO_SUBSCRIPTION_ID {
                    NO_SUBSCRIPTION_ID
                } else {
                    subscription_ids[m.id as usize]
                },
                ..*m
            })
    };

    // The place of each order in the new sequence.
    let mut sequence: Vec<u32> = (0..renumbered.len() as u32).collect();
    if sort_orders {
        sequence.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            match (renumbered[a].customer, renumbered[b].customer) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                // Guest orders by everything they hold (two that compare equal cannot be told apart).
                (None, None) => {
                    let key = |i: usize| {
                        let o = &renumbered[i];
                        let m = mark(i).map(|m| (m.id, m.delivery, m.cancelled_on));
                        (o.day, o.time, o.revenue, o.channel, o.discount, m)
                    };
                    key(a)
                        .cmp(&key(b))
                        .then_with(|| product_list(a).cmp(&product_list(b)))
                }
            }
        });
    }
    let mut place = vec![0u32; sequence.len()];
    for (new, &old) in sequence.iter().enumerate() {
        place[old as usize] = new as u32;
    }
    let mut other_readings = std::mem::take(&mut dataset.dates.other_readings);
    for reading in &mut other_readings {
        reading.0 = place[reading.0 as usize];
    }
    other_readings.sort_unstable();

    let mut orders = Vec::with_capacity(renumbered.len());
    let mut product_lists: Vec<u32> = Vec::with_capacity(traits.product_lists.len());
    let mut marks = Vec::new();
    for &old in &sequence {
        let old = old as usize;
        let mut order = renumbered[old];
        let start = product_lists.len();
        product_lists.extend(
            traits
                .products_of(&dataset.orders[old])
                .iter()
                .map(|&p| products[p as usize]),
        );
        // Sorted and distinct again (two old numbers become one only for equal texts).
        let list = &mut product_lists[start..];
        list.sort_unstable();
        let mut kept = usize::from(!list.is_empty());
        for i in 1..list.len() {
            if list[i] != list[kept - 1] {
                list[kept] = list[i];
                kept += 1;
            }
        }
        product_lists.truncate(start + kept);
        order.products_start = start as u32;
        order.products_len = kept as u32;
        order.subscription = match mark(old) {
            Some(mark) => {
                marks.push(mark);
                (marks.len() - 1) as u32
            }
            None => NO_SUBSCRIPTION,
        };
        orders.push(order);
    }
    dataset.orders = orders;
    if !dataset.first_lines.is_empty() {
        let lines = &dataset.first_lines;
        dataset.first_lines = sequence.iter().map(|&old| lines[old as usize]).collect();
    }
    dataset.traits.product_lists = product_lists;
    dataset.traits.subscriptions = marks;
    dataset.dates.other_readings = other_readings;
    dataset
}

/// Orders the customers that have a counted order by key and kind, drops the others, and answers the
/// new number of each old one (`u32::MAX` for a dropped one). Keys made equal by the replacement of
/// invalid UTF-8 keep their order.
fn renumber_customers(dataset: &mut Dataset) -> Vec<u32> {
    let identities = &mut dataset.identities;
    let count = identities.keys.len();
    let mut used = vec![false; count];
    for customer in dataset.orders.iter().filter_map(|o| o.customer) {
        if let Some(slot) = used.get_mut(customer as usize) {
            *slot = true;
        }
    }
    // (key, kind, old number): the old number orders equal keys as they were.
    let mut sorted_keys: Vec<(&str, bool, u32)> = (0..count)
        .filter(|&c| used[c])
        .map(|c| {
            let from_id = identities.from_id.get(c).copied().unwrap_or(false);
            (&*identities.keys[c], from_id, c as u32)
        })
        .collect();
    sorted_keys.sort_unstable();
    let kept: Vec<u32> = sorted_keys.into_iter().map(|(_, _, c)| c).collect();
    let mut new_number = vec![u32::MAX; count];
    let mut sorted = Identities::default();
    // A dataset read without contacts (`Ingest::without_contacts`) has none to carry.
    let contacts = !identities.emails.is_empty() || !identities.names.is_empty();
    for (new, &old) in kept.iter().enumerate() {
        let old = old as usize;
        new_number[old] = new as u32;
        sorted.keys.push(std::mem::take(&mut identities.keys[old]));
        if contacts {
            sorted
                .emails
                .push(identities.emails.get_mut(old).and_then(Option::take));
            sorted
                .names
                .push(identities.names.get_mut(old).and_then(Option::take));
        }
        sorted
            .from_id
            .push(identities.from_id.get(old).copied().unwrap_or(false));
    }
    *identities = sorted;
    new_number
}

/// Orders the texts that `used` names, drops the others and merges equal ones, and answers the new
/// number of each old one (`u32::MAX` for a dropped one). Numbers past the end of `texts` (the "none"
/// sentinels) are left out.
fn renumber_texts(texts: &mut Vec<Box<str>>, used: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut is_used = vec![false; texts.len()];
    for number in used {
        if let Some(slot) = is_used.get_mut(number as usize) {
            *slot = true;
        }
    }
    let mut kept: Vec<u32> = (0..texts.len() as u32)
        .filter(|&n| is_used[n as usize])
        .collect();
    kept.sort_unstable_by(|&a, &b| texts[a as usize].cmp(&texts[b as usize]));
    let mut new_number = vec![u32::MAX; texts.len()];
    let mut sorted: Vec<Box<str>> = Vec::with_capacity(kept.len());
    for &old in &kept {
        let text = std::mem::take(&mut texts[old as usize]);
        if sorted.last() != Some(&text) {
            sorted.push(text);
        }
        new_number[old as usize] = (sorted.len() - 1) as u32;
    }
    *texts = sorted;
    new_number
}
