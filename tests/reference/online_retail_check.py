"""Independent computation on the UCI Online Retail file for tests/online_retail.rs, from the README's
invoice rules (not from the Rust code): an invoice is an order; one numbered with a C, or whose lines
all have negative quantities, is a cancellation; otherwise its revenue is the sum of quantity × unit price
over its lines (returns net off); the customer is CustomerID (empty: a guest order); dates are M/D/YYYY.

Usage: python3 online_retail_check.py orders.csv.xz — prints one JSON object."""
import csv
import datetime as dt
import io
import json
import lzma
import sys
from collections import defaultdict
from decimal import Decimal


def day(value):
    month, day_of_month, rest = value.split("/")
    return dt.date(int(rest.split(" ")[0]), int(month), int(day_of_month))


def main(path):
    text = lzma.open(path).read().decode("latin-1")
    header, *rows = list(csv.reader(io.StringIO(text)))
    invoices = defaultdict(list)
    for row in rows:
        invoices[row[0]].append(row)
    excluded = counted = guests = 0
    revenue = Decimal(0)
    customers = set()
    occasions = defaultdict(set)
    last = None
    for number, lines in invoices.items():
        if number.upper().startswith("C") or all(int(line[3]) < 0 for line in lines):
            excluded += 1
            continue
        counted += 1
        revenue += sum(Decimal(line[3]) * Decimal(line[5]) for line in lines)
        customer = next((line[6] for line in lines if line[6]), "")
        date = day(lines[0][4])
        last = max(last, date) if last else date
        if customer:
            customers.add(customer)
            occasions[customer].add(date)
        else:
            guests += 1
    print(json.dumps({
        "rows": len(rows),
        "orders_seen": len(invoices),
        "excluded_orders": excluded,
        "orders": counted,
        "orders_without_customer": guests,
        "customers": len(customers),
        "repeat_customers": sum(1 for days in occasions.values() if len(days) >= 2),
        "revenue": str(revenue),
        "as_of": last.isoformat(),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
