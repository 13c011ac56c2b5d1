//! The per-customer table: built once from the counted orders of an analysis, shared by every analysis
//! and by the customer lists. Each customer has its purchase occasions (distinct order days, ascending,
//! with the revenue and number of orders of each), its order count and its revenue.

use crate::ingest::values::Day;
use crate::ingest::Order;

/// One purchase occasion: a customer's orders on one calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Occasion {
    /// The day.
    pub day: Day,
    /// Sum of the revenue of the day's orders, in minor units.
    pub revenue: i128,
    /// Number of orders that day.
    pub orders: u32,
}

/// One customer with at least one counted order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Customer {
    /// Interned customer number (index into the dataset's identities).
    pub id: u32,
    /// Orders.
    pub orders: u32,
    /// Revenue of those orders, in minor units.
    pub revenue: i128,
    start: u32,
    len: u32,
}

/// Every customer with a counted order, in order of interned number.
#[derive(Debug, Clone, Default)]
pub(crate) struct CustomerTable {
    customers: Vec<Customer>,
    occasions: Vec<Occasion>,
    /// Interned number → position in `customers` (`u32::MAX` for customers without a counted order).
    position: Vec<u32>,
}

impl CustomerTable {
    /// Builds the table from `orders` (guest orders are ignored); `interned` is the number of interned
    /// customers.
    pub fn build(orders: &[Order], interned: usize) -> Self {
        // One sort by (customer, day) groups each customer's orders by day, in order.
        let mut keyed: Vec<(u64, i64)> = orders
            .iter()
            .filter_map(|o| {
                let customer = o.customer?;
                Some((
                    (u64::from(customer) << 32) | u64::from(o.day as u32),
                    o.revenue,
                ))
            })
            .collect();
        keyed.sort_unstable_by_key(|&(key, _)| key);

        let mut table = CustomerTable {
            customers: Vec::new(),
            occasions: Vec::new(),
            position: vec![u32::MAX; interned],
        };
        let mut last_key = None;
        for (key, revenue) in keyed {
            let id = (key >> 32) as u32;
            let day = key as u32 as Day;
            if last_key.is_none_or(|k: u64| k >> 32 != key >> 32) {
                if let Some(slot) = table.position.get_mut(id as usize) {
                    *slot = table.customers.len() as u32;
                }
                table.customers.push(Customer {
                    id,
                    orders: 0,
                    revenue: 0,
                    start: table.occasions.len() as u32,
                    len: 0,
                });
            }
            let Some(customer) = table.customers.last_mut() else {
                continue;
            };
            if last_key == Some(key) {
                if let Some(occasion) = table.occasions.last_mut() {
                    occasion.revenue += i128::from(revenue);
                    occasion.orders += 1;
                }
            } else {
                table.occasions.push(Occasion {
                    day,
                    revenue: i128::from(revenue),
                    orders: 1,
                });
                customer.len += 1;
            }
            customer.orders += 1;
            customer.revenue += i128::from(revenue);
            last_key = Some(key);
        }
        table
    }

    /// The customers.
    pub fn customers(&self) -> &[Customer] {
        &self.customers
    }

    /// Number of customers.
    pub fn len(&self) -> usize {
        self.customers.len()
    }

    /// A customer's occasions, ascending by day (never empty).
    pub fn occasions(&self, customer: &Customer) -> &[Occasion] {
        let start = customer.start as usize;
        &self.occasions[start..start + customer.len as usize]
    }

    /// The place in [`Self::customers`] of the customer with interned number `id`, if it has a counted
    /// order.
    pub fn position(&self, id: u32) -> Option<usize> {
        let position = *self.position.get(id as usize)?;
        (position != u32::MAX).then_some(position as usize)
    }

    /// The customer with interned number `id`, if it has a counted order.
    pub fn get(&self, id: u32) -> Option<&Customer> {
        let position = *self.position.get(id as usize)?;
        self.customers.get(position as usize)
    }

    /// The first occasion's day of a customer.
    pub fn first_day(&self, customer: &Customer) -> Day {
        self.occasions[customer.start as usize].day
    }

    /// The last occasion's day of a customer.
    pub fn last_day(&self, customer: &Customer) -> Day {
        self.occasions[(customer.start + customer.len - 1) as usize].day
    }

    /// The second occasion's day, if any.
    pub fn second_day(&self, customer: &Customer) -> Option<Day> {
        (customer.len >= 2).then(|| self.occasions[customer.start as usize + 1].day)
    }

    /// Number of purchase occasions.
    pub fn occasion_count(&self, customer: &Customer) -> u32 {
        customer.len
    }

    /// Days from the first to the second occasion of every customer who has one, sorted.
    pub fn second_purchase_gaps(&self) -> Vec<i128> {
        let mut gaps: Vec<i128> = self
            .customers
            .iter()
            .filter_map(|c| Some(i128::from(self.second_day(c)? - self.first_day(c))))
            .collect();
        gaps.sort_unstable();
        gaps
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::values::parse_date;

    fn order(customer: Option<u32>, date: &str, revenue: i64) -> Order {
        Order::plain(parse_date(date.as_bytes()).unwrap(), customer, revenue)
    }

    #[test]
    fn orders_group_into_customers_and_same_day_occasions() {
        let orders = [
            order(Some(2), "2024-01-05", 7),
            order(Some(0), "2024-02-01", 10),
            order(None, "2024-01-01", 99),
            order(Some(0), "2024-01-01", 20),
            order(Some(0), "2024-02-01", 5),
        ];
        let table = CustomerTable::build(&orders, 3);
        assert_eq!(table.len(), 2); // customer 1 has no counted order
        assert!(table.get(1).is_none());
        let c0 = *table.get(0).unwrap();
        assert_eq!((c0.orders, c0.revenue), (3, 35));
        let days: Vec<(i128, u32)> = table
            .occasions(&c0)
            .iter()
            .map(|o| (o.revenue, o.orders))
            .collect();
        assert_eq!(days, [(20, 1), (15, 2)]); // Jan 1 alone, then Feb 1 twice
        assert_eq!(table.occasion_count(&c0), 2);
        assert_eq!(
            table.second_day(&c0).unwrap() - table.first_day(&c0),
            31 // 2024-01-01 → 2024-02-01
        );
        let c2 = table.get(2).unwrap();
        assert_eq!(table.second_day(c2), None);
        assert_eq!(table.first_day(c2), table.last_day(c2));
        assert_eq!(table.second_purchase_gaps(), [31]);
    }
}
