#!/usr/bin/env python3
"""Independent reference implementation of the LTV Lens Report, for tests.

Written from the definitions in README.md ("Input formats", "Definitions", "Report") and
../shared/DESIGN.md only, never from the Rust code, so that tests/reference.rs can compare the two.
Python 3.11 standard library only.

    python3 tests/reference/ltv_reference.py FILE [--f2-window DAYS] [--as-of YYYY-MM-DD]

prints the Report fields it computes as JSON. On an unusable file it prints one line `error: ...` to
standard error and exits with status 1 (bad options: status 2, from argparse).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

STANDARD_WINDOWS = (30, 60, 90, 180, 365)
DEFAULT_WINDOW = 365
WARNING_CAP = 20
HISTOGRAM_WEEKS = 26  # bins 1-7 .. 176-182, then an open bin from 183


class UnusableFile(Exception):
    """The file is not an order export at all (fatal, exit status 1)."""


# --------------------------------------------------------------------------------------------
# Column roles
# --------------------------------------------------------------------------------------------

ROLE_NAMES = {
    # `Name` is the order id of a Shopify export only (see assign_roles)
    "order_id": ["order id", "order number", "order no", "order", "order #", "order code",
                 "transaction id", "注文番号", "受注番号", "注文ID", "受注ID", "注文コード", "受注コード"],
    "customer_id": ["customer id", "customer", "customer number", "customer no", "member id",
                    "user id", "buyer id", "client id", "会員ID", "顧客ID", "会員番号", "顧客番号"],
    "email": ["email", "e-mail", "email address", "customer email", "buyer email", "billing email",
              "mail address", "メールアドレス", "注文者メールアドレス"],
    "date": ["order date", "date", "created at", "created", "date created", "ordered at",
             "purchase date", "purchased at", "order datetime", "transaction date", "注文日",
             "注文日時", "受注日", "受注日時", "購入日"],
    "total": ["total", "order total", "amount", "total amount", "grand total", "order amount",
              "order value", "revenue", "total price", "sales", "合計", "合計金額", "注文金額",
              "請求金額", "売上金額"],
    "line_price": ["price", "unit price", "lineitem price", "item price", "単価", "価格"],
    "quantity": ["quantity", "qty", "lineitem quantity", "数量", "個数"],
    "status": ["status", "financial status", "order status", "ステータス", "注文ステータス",
               "受注ステータス", "対応状況"],
    "cancelled": ["cancelled at", "canceled at", "キャンセル日"],
    "refunded": ["refunded amount", "refund", "refunds", "返金額"],
    "currency": ["currency", "通貨"],
}
ROLE_ORDER = ["order_id", "customer_id", "email", "date", "total", "line_price", "quantity",
              "status", "cancelled", "refunded", "currency"]

EXCLUDING_STATUSES = {"cancelled", "canceled", "voided", "refunded"}
EXCLUDING_STATUS_WORDS = ["キャンセル", "返品"]  # anywhere in the status, e.g. 注文キャンセル


def is_excluding_status(status):
    status = status.strip()
    return status.lower() in EXCLUDING_STATUSES or any(w in status for w in EXCLUDING_STATUS_WORDS)
SHOPIFY_MARKERS = ["name", "created at", "financial status", "lineitem quantity"]


BRACKETED_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def normalize_header(name: str) -> str:
    """Case-, space-, '_'- and '-'-insensitive form of a header name, without a bracketed note
    at its end (`メールアドレス(請求先)` is `メールアドレス`)."""
    name = BRACKETED_NOTE.sub("", name.strip()).lower()
    return re.sub(r"[\s_\-]+", "", name)


NORMALIZED_ROLES = {role: {normalize_header(n) for n in names} for role, names in ROLE_NAMES.items()}


def is_shopify(header: list[str]) -> bool:
    names = {normalize_header(h) for h in header}
    return all(normalize_header(m) in names for m in SHOPIFY_MARKERS)


def assign_roles(header: list[str]) -> dict[str, int]:
    """Map each role to the index of the first header cell naming it."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = normalize_header(cell)
        for role in ROLE_ORDER:
            if role not in roles and key in NORMALIZED_ROLES[role]:
                roles[role] = index
                break
    if is_shopify(header):
        roles["order_id"] = [normalize_header(h) for h in header].index("name")
    return roles


def is_header(record: list[str]) -> bool:
    roles = assign_roles(record)
    return "date" in roles and ("total" in roles or "line_price" in roles)


# --------------------------------------------------------------------------------------------
# Bytes -> text -> records (with the line each record starts on)
# --------------------------------------------------------------------------------------------

def decode(data: bytes) -> tuple[str, str]:
    if not data:
        raise UnusableFile("the file is empty; expected a CSV order export with a header row "
                           "naming an order date and an amount column")
    if data.startswith(b"\x89PNG") or b"\x00" in data[:4096]:
        raise UnusableFile("this is not a CSV file (binary data); expected a CSV order export "
                           "with an order date and an amount column")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        try:
            return data.decode("cp932"), "Shift_JIS"
        except UnicodeDecodeError as exc:
            raise UnusableFile("the file is neither UTF-8 nor Shift_JIS text; expected a CSV order "
                               "export") from exc


def records(text: str, delimiter: str = ","):
    """Yield (start_line, fields, blank) for each CSV record (RFC 4180 with `delimiter`).

    Lines are counted from 1; CRLF, LF and a lone CR each end one line, also inside quotes.
    `blank` marks an empty line (no characters at all between two line ends).
    """
    i, n, line = 0, len(text), 1
    while i < n:
        start_line = line
        fields: list[str] = []
        field: list[str] = []
        in_quotes = False
        saw_any = False
        while i < n:
            c = text[i]
            if in_quotes:
                if c == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        field.append('"')
                        i += 2
                        continue
                    in_quotes = False
                    i += 1
                    continue
                if c == "\r" or c == "\n":
                    line += 1
                    if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                        field.append("\r\n")
                        i += 2
                        continue
                field.append(c)
                i += 1
                continue
            if c == '"' and not field:
                in_quotes = True
                saw_any = True
                i += 1
                continue
            if c == delimiter:
                fields.append("".join(field))
                field = []
                saw_any = True
                i += 1
                continue
            if c == "\r" or c == "\n":
                i += 2 if (c == "\r" and i + 1 < n and text[i + 1] == "\n") else 1
                line += 1
                break
            field.append(c)
            saw_any = True
            i += 1
        fields.append("".join(field))
        yield start_line, fields, not saw_any


def choose_delimiter(text: str) -> str:
    """The delimiter (',', tab or ';') under which a header appears first (README: a file that
    starts with a comma-, tab- or semicolon-separated header is read with that delimiter)."""
    best = (float("inf"), ",")
    for delimiter in (",", "\t", ";"):
        for count, (line, fields, _) in enumerate(records(text, delimiter)):
            if count >= 100 or line >= best[0]:
                break
            if is_header(fields):
                best = (line, delimiter)
                break
    return best[1]


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
TIME_TAIL = re.compile(
    r"^(?:(?:[Tt]|\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
    r"\s*(?:[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?|[A-Z]{2,5})?)?\s*$")
RE_SEPARATED = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(.*)$", re.S)
RE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(.*)$", re.S)
RE_KANJI = re.compile(r"^(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日(.*)$", re.S)
RE_RFC2822 = re.compile(
    r"^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+(?:[+-]\d{4}|[A-Z]{1,5}))?)?\s*$")


def parse_date(value: str) -> dt.date | None:
    """The calendar date as written (a time and offset after it are ignored); None if unreadable
    or outside the years 1900-2199."""
    date = parse_any_date(value)
    return date if date is not None and 1900 <= date.year <= 2199 else None


def parse_any_date(value: str) -> dt.date | None:
    s = value.strip()
    for pattern in (RE_SEPARATED, RE_KANJI, RE_COMPACT):
        m = pattern.match(s)
        if not m:
            continue
        groups = m.groups()
        year, month, day = int(groups[0]), int(groups[-3]), int(groups[-2])
        if not TIME_TAIL.match(groups[-1]):
            return None
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    m = RE_RFC2822.match(s)
    if m and m.group(2).lower() in MONTHS:
        try:
            return dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        except ValueError:
            return None
    return None


# `\` is the yen sign as Shift_JIS files show it
RE_AMOUNT = re.compile(
    r"^([-+]?)(?:[¥$€£￥\\]|[A-Z]{3})?([-+]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:円)?$")
FOUR_DECIMALS = Decimal("0.0001")


def parse_amount(value: str) -> Decimal | None:
    """An amount: currency sign, thousands separators, `-5.00` or `(5.00)`; more than four
    decimals are rounded half away from zero. None if unreadable."""
    s = value.strip().replace(" ", "")
    negative = False
    if len(s) > 2 and s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    m = RE_AMOUNT.match(s)
    if not m:
        return None
    sign_a, sign_b, whole, frac = m.groups()
    if (sign_a and sign_b) or (negative and (sign_a or sign_b)):
        return None
    try:
        amount = Decimal(whole.replace(",", "") + (frac or ""))
    except InvalidOperation:
        return None
    # Decimal's ROUND_HALF_UP rounds ties away from zero
    amount = amount.quantize(FOUR_DECIMALS, rounding=ROUND_HALF_UP)
    return -amount if negative or "-" in (sign_a + sign_b) else amount


RE_QUANTITY = re.compile(r"^[+-]?(\d{1,3}(?:,\d{3})+|\d+)$")


def parse_quantity(value: str) -> Decimal | None:
    """Quantities are whole numbers (README)."""
    s = value.strip()
    if not RE_QUANTITY.match(s):
        return None
    return Decimal(s.replace(",", ""))


# --------------------------------------------------------------------------------------------
# Rows -> orders
# --------------------------------------------------------------------------------------------

class Order:
    __slots__ = ("key", "rows", "date", "total", "refunded", "status", "cancelled", "customer_id",
                 "email", "currency", "line_sum", "has_lines", "first_line")

    def __init__(self, key, first_line):
        self.key = key
        self.first_line = first_line
        self.rows = 0  # rows of this order that were not skipped
        self.date = None
        self.total = None
        self.refunded = None
        self.status = ""
        self.cancelled = ""
        self.customer_id = ""
        self.email = ""
        self.currency = ""
        self.line_sum = Decimal(0)
        self.has_lines = False


def read_orders(path: str):
    with open(path, "rb") as fh:
        data = fh.read()
    text, encoding = decode(data)

    header = None
    roles: dict[str, int] = {}
    rows = 0
    skipped = 0
    warnings: list[dict] = []
    orders: dict[object, Order] = {}
    # first line of every order, in order of first appearance (also for rows that are skipped)
    first_lines: dict[object, int] = {}

    def warn(line, column, message):
        if len(warnings) < WARNING_CAP:
            warnings.append({"row": line, "column": column, "message": message})

    for line, fields, blank in records(text, choose_delimiter(text)):
        # A line with nothing but spaces or separators counts as blank too (README: blank lines
        # are not rows; it does not say whether ",,," is blank, this reads it as blank).
        blank = blank or all(f.strip() == "" for f in fields)
        if header is None:
            if blank:
                continue
            if is_header(fields):
                header = fields
                roles = assign_roles(fields)
            continue
        if blank:
            continue
        rows += 1

        def cell(role):
            idx = roles.get(role)
            if idx is None or idx >= len(fields):
                return ""
            return fields[idx].strip()

        key = cell("order_id") if "order_id" in roles else ("row", line)
        if key == "":
            key = ("row", line)
        first_lines.setdefault(key, line)

        parsed = {}
        bad = None
        for role in ("date", "total", "line_price", "quantity", "refunded"):
            raw = cell(role)
            if raw == "":
                parsed[role] = None
                continue
            if role == "date":
                value = parse_date(raw)
            elif role == "quantity":
                value = parse_quantity(raw)
            else:
                value = parse_amount(raw)
            if value is None:
                bad = (role, raw)
                break
            parsed[role] = value
        if bad is not None:
            skipped += 1
            role, raw = bad
            what = "a date" if role == "date" else "a number"
            warn(line, header[roles[role]].strip(), f"'{raw}' is not {what}")
            continue

        order = orders.get(key)
        if order is None:
            order = orders[key] = Order(key, first_lines[key])
        order.rows += 1
        if order.date is None and parsed["date"] is not None:
            order.date = parsed["date"]
        if order.total is None and parsed["total"] is not None:
            order.total = parsed["total"]
        if order.refunded is None and parsed["refunded"] is not None:
            order.refunded = parsed["refunded"]
        for attr, role in (("status", "status"), ("cancelled", "cancelled"),
                           ("customer_id", "customer_id"), ("email", "email"),
                           ("currency", "currency")):
            if getattr(order, attr) == "" and cell(role) != "":
                setattr(order, attr, cell(role))
        if parsed["line_price"] is not None:
            qty = parsed["quantity"] if parsed["quantity"] is not None else Decimal(1)
            order.line_sum += parsed["line_price"] * qty
            order.has_lines = True

    if header is None:
        raise UnusableFile("no header row naming an order date and an amount column was found; "
                           "expected columns such as 'Order Date' and 'Total'")
    if rows == 0:
        raise UnusableFile("the file has a header but no order rows")

    fmt = "shopify" if is_shopify(header) else "generic"

    counted = []
    excluded = 0
    # Orders whose every row was skipped have no Order (their rows are already counted and
    # reported); the others are visited in order of first appearance.
    for order in (orders[k] for k in first_lines if k in orders):
        if is_excluding_status(order.status) or order.cancelled != "":
            excluded += 1
            continue
        if order.total is not None:
            revenue = order.total - (order.refunded or Decimal(0))
        elif order.has_lines:
            revenue = order.line_sum - (order.refunded or Decimal(0))
        else:
            revenue = None
        if order.date is None or revenue is None:
            # Not pinned by the README: the warning points at the order's first line (even when
            # that row was itself skipped) and at the column of the missing value.
            skipped += order.rows
            if order.date is None:
                role, message = "date", "the order has no date"
            else:
                role = "total" if "total" in roles else "line_price"
                message = "the order has no amount"
            warn(order.first_line, header[roles[role]].strip(), message)
            continue
        customer = order.customer_id.strip() if "customer_id" in roles else ""
        if customer == "" and "email" in roles:
            customer = order.email.strip().lower()
        counted.append((order, revenue, customer or None))

    currency = next((o.currency.strip() for o, _, _ in counted if o.currency.strip()), None)
    columns = {role: (header[roles[role]].strip() if role in roles else None) for role in ROLE_ORDER}
    info = {
        "format": fmt,
        "encoding": encoding,
        "columns": columns,
        "rows": rows,
        "orders_seen": len(first_lines),
        "excluded_orders": excluded,
        "orders_without_customer": sum(1 for _, _, c in counted if c is None),
        "skipped_rows": skipped,
        "warnings": warnings,
    }
    return counted, currency, info


# --------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------

def ratio(num, den):
    return None if den == 0 else num / den


def quantile(sorted_values, q):
    """Linear interpolation between closest ranks: position q * (n - 1) (pandas default)."""
    if not sorted_values:
        return None
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    frac = pos - lo
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * frac


def f2(first_occasions: dict, second_occasions: dict, as_of, window):
    eligible = converted = 0
    if as_of is not None:
        cutoff = as_of - dt.timedelta(days=window)
        for customer, first in first_occasions.items():
            if first <= cutoff:
                eligible += 1
                second = second_occasions.get(customer)
                if second is not None and (second - first).days <= window:
                    converted += 1
    return {"window_days": window, "eligible": eligible, "converted": converted,
            "rate": ratio(converted, eligible)}


def month_key(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def analyze(path: str, window: int, as_of_arg: dt.date | None) -> dict:
    counted, currency, info = read_orders(path)

    occasions: dict[str, set] = {}
    for order, _, customer in counted:
        if customer is not None:
            occasions.setdefault(customer, set()).add(order.date)
    sorted_occ = {c: sorted(days) for c, days in occasions.items()}
    first = {c: days[0] for c, days in sorted_occ.items()}
    second = {c: days[1] for c, days in sorted_occ.items() if len(days) >= 2}

    orders = len(counted)
    revenue = sum((r for _, r, _ in counted), Decimal(0))
    customers = len(sorted_occ)
    orders_with_customer = sum(1 for _, _, c in counted if c is not None)

    if as_of_arg is not None:
        as_of = as_of_arg
    elif counted:
        as_of = max(o.date for o, _, _ in counted)
    else:
        as_of = None

    gaps = sorted((second[c] - first[c]).days for c in second)
    windows = sorted(set(STANDARD_WINDOWS) | {window})

    funnel = []
    at_least = [sum(1 for days in sorted_occ.values() if len(days) >= n) for n in range(1, 7)]
    for stage in range(1, 6):
        nxt = None if stage == 5 else ratio(at_least[stage], at_least[stage - 1])
        funnel.append({"stage": stage, "customers": at_least[stage - 1], "next_rate": nxt})

    histogram = []
    for week in range(HISTOGRAM_WEEKS):
        lo, hi = week * 7 + 1, week * 7 + 7
        histogram.append({"from": lo, "to": hi, "customers": sum(1 for g in gaps if lo <= g <= hi)})
    histogram.append({"from": HISTOGRAM_WEEKS * 7 + 1, "to": None,
                      "customers": sum(1 for g in gaps if g > HISTOGRAM_WEEKS * 7)})

    monthly = []
    if counted:
        first_month = min(o.date for o, _, _ in counted).replace(day=1)
        last_month = max(o.date for o, _, _ in counted).replace(day=1)
        buckets = {}
        m = first_month
        while m <= last_month:
            buckets[month_key(m)] = {
                "month": month_key(m), "orders": 0, "revenue": Decimal(0),
                "new_orders": 0, "new_revenue": Decimal(0),
                "returning_orders": 0, "returning_revenue": Decimal(0),
                "guest_orders": 0, "guest_revenue": Decimal(0), "new_customers": 0}
            m = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        for order, rev, customer in counted:
            b = buckets[month_key(order.date)]
            b["orders"] += 1
            b["revenue"] += rev
            if customer is None:
                kind = "guest"
            elif order.date == first[customer]:
                kind = "new"
            else:
                kind = "returning"
            b[f"{kind}_orders"] += 1
            b[f"{kind}_revenue"] += rev
        for customer, day in first.items():
            buckets[month_key(day)]["new_customers"] += 1
        for b in buckets.values():
            for k in ("revenue", "new_revenue", "returning_revenue", "guest_revenue"):
                b[k] = float(b[k])
            monthly.append(b)

    return {
        "schema_version": 1,
        "as_of": as_of.isoformat() if as_of else None,
        "currency": currency,
        "input": info,
        "kpis": {
            "customers": customers,
            "orders": orders,
            "revenue": float(revenue),
            "aov": None if orders == 0 else float(revenue / orders),
            "orders_per_customer": ratio(orders_with_customer, customers),
            "repeat_rate": ratio(len(second), customers),
            "f2": f2(first, second, as_of, window),
            "days_to_second": {
                "count": len(gaps),
                "median": quantile(gaps, 0.5),
                "p25": quantile(gaps, 0.25),
                "p75": quantile(gaps, 0.75),
            },
        },
        "f2_by_window": [f2(first, second, as_of, w) for w in windows],
        "funnel": funnel,
        "days_to_second_histogram": histogram,
        "monthly": monthly,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--f2-window", type=int, default=DEFAULT_WINDOW)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    if args.f2_window < 1:
        parser.error("--f2-window must be at least 1")
    try:
        report = analyze(args.file, args.f2_window, args.as_of)
    except UnusableFile as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
