#!/usr/bin/env python3
"""Independent reference implementation of the LTV Lens Report, for tests.

Written from the definitions in README.md ("Input formats", "Definitions", "Report", "Customer
lists") only, never from the Rust code, so that tests/reference.rs can compare the two. Python 3.11 standard library only.

    python3 tests/reference/ltv_reference.py [analyze] FILE [--f2-window DAYS] [--as-of YYYY-MM-DD]
                                             [--f-bands 1,2,3,4,6]

prints the Report (schema_version 5) fields it computes (all but the predicted-value models) as JSON;

    python3 tests/reference/ltv_reference.py customers FILE [--segment KEY | --lapse LAPSE |
        --cohort YYYY-MM] [--encoding utf-8|shift_jis] [-o OUT] [--as-of ..] [--f-bands ..]

writes the customer export CSV (one row per customer). On an unusable file it prints one line
`error: ...` to standard error and exits with status 1 (bad options: status 2, from argparse).

Money is exact throughout (Decimal amounts, Fraction quantiles); comparisons with cut points and
lapse thresholds are exact, and only the printed JSON numbers are floats.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import unicodedata
from fractions import Fraction
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

STANDARD_WINDOWS = (30, 60, 90, 180, 365)
DEFAULT_WINDOW = 365
WARNING_CAP = 20
DISAGREEMENTS_LISTED = 5
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
    # README: Shopify `Billing Name` (also a generic alias)
    "name": ["customer name", "full name", "billing name", "buyer name", "氏名", "お名前",
             "注文者名", "購入者名", "顧客名"],
    # README "Input formats": the roles behind the `drivers` section
    "product": ["product", "product name", "products", "product(s)", "lineitem name", "item name",
                "product title", "description", "商品名", "品名"],
    "discount_code": ["discount code", "discount codes", "coupon code", "coupon", "coupons",
                      "coupon(s)", "promo code", "promotion code", "クーポン", "クーポンコード",
                      "クーポン名", "割引コード"],
    "discount_amount": ["discount amount", "discount", "discounts", "total discount",
                        "total discounts", "coupon amount", "値引き", "値引", "値引額", "値引き額",
                        "値引金額", "割引", "割引額", "割引金額", "クーポン利用額", "クーポン利用総額",
                        "クーポン値引額"],
    "channel": ["channel", "sales channel", "source", "order source", "utm_source",
                "referring site", "referrer", "referer", "購入元", "流入元", "媒体", "販売チャネル",
                "チャネル"],
    # README "Input formats": the roles behind the `subscriptions` section
    "subscription_id": ["subscription id", "subscription contract id", "subscription number",
                        "定期購入ID", "定期ID", "定期購入番号", "定期番号", "定期受注番号", "申込番号"],
    "delivery_number": ["delivery number", "delivery count", "subscription cycle", "billing cycle",
                        "定期回数", "お届け回数", "定期購入回数", "配送回数", "申込お届け回数"],
    "subscription": ["subscription", "is subscription", "subscription order", "tags", "order tags",
                     "定期", "定期フラグ", "定期購入", "定期購入フラグ", "定期区分", "注文種別"],
    "cancelled_on": ["subscription cancelled at", "subscription canceled at",
                     "subscription cancelled on", "subscription cancellation date", "解約日",
                     "定期解約日", "解約日時", "定期購入解約日"],
}
ROLE_ORDER = ["order_id", "customer_id", "email", "date", "total", "line_price", "quantity",
              "status", "cancelled", "refunded", "currency", "name", "product", "discount_code",
              "discount_amount", "channel", "subscription_id", "delivery_number", "subscription",
              "cancelled_on"]

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

    Lines are counted from 1; CRLF, LF and a lone CR each end one line, also inside quotes, where a
    lone CR is kept as an LF.
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
                    # A lone CR is a line break, read as an LF.
                    field.append("\n")
                    i += 1
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
                 "email", "name", "currency", "line_sum", "has_lines", "first_line", "cells",
                 "products", "discount", "channel", "time", "sub_flag", "sub_id", "delivery",
                 "cancelled_on")

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
        self.name = ""
        self.currency = ""
        self.line_sum = Decimal(0)
        self.has_lines = False
        # (line, e-mail, name, currency) of each row read (not skipped), for the customer export
        self.cells: list[tuple[int, str, str, str]] = []
        self.products: set[str] = set()  # distinct product names (trimmed)
        self.discount = False  # a row with a discount code or a discount amount other than 0
        self.channel = None  # channel key of the first row with one
        self.time = 0  # seconds since midnight of the date the order took
        self.sub_flag = False  # a row's subscription flag says yes
        self.sub_id = ""  # first non-empty subscription id
        self.delivery = None  # first delivery number
        self.cancelled_on = None  # first subscription cancellation date


def is_subscription_flag(value: str) -> bool:
    """README: 定期, yes, y, true, 1 (any case, full-width too), or text containing subscription / 定期."""
    folded = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in value)
    folded = folded.strip().lower()
    return folded in ("yes", "y", "true", "1", "○", "〇") or "subscription" in folded or "定期" in folded


def parse_delivery_number(value: str) -> int | None:
    """README: a whole number from 1, also written 3回, 3回目 or 第3回 (full-width digits too)."""
    s = value.strip()
    s = s[1:] if s.startswith("第") else s
    for suffix in ("回目", "回"):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    s = s.strip()
    digits = "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in s)
    if not digits or not all("0" <= c <= "9" for c in digits) or len(digits) > 9:
        return None
    number = int(digits)
    return number if number >= 1 else None


def time_of_day(value: str) -> int:
    """Seconds since midnight of the H:MM[:SS] at the first ':' of a date value, else 0."""
    colon = value.find(":")
    if colon < 0:
        return 0
    hour = re.search(r"[0-9]*$", value[:colon]).group()
    minute = value[colon + 1:colon + 3]
    if not hour or not (len(minute) == 2 and minute.isdigit() and minute.isascii()):
        return 0
    second = value[colon + 4:colon + 6] if value[colon + 3:colon + 4] == ":" else ""
    second = int(second) if len(second) == 2 and second.isdigit() and second.isascii() else 0
    h, m = int(hour), int(minute)
    if h > 23 or m > 59 or second > 60:
        return 0
    return h * 3600 + m * 60 + second


def channel_key(value: str) -> str:
    """DESIGN v4: trimmed, case-folded, a URL reduced to its host without a leading `www.`."""
    folded = value.strip().lower()
    scheme = re.match(r"([a-z0-9+.\-]+)://", folded)
    if scheme:
        rest = folded[scheme.end():]
    elif folded.startswith("www."):
        rest = folded
    else:
        return folded
    host = re.split(r"[/?#]", rest)[0].rsplit("@", 1)[-1]
    host = re.sub(r":[0-9]*$", "", host)
    return host[4:] if host.startswith("www.") else host


def trim_key(value: str) -> str:
    """README "Customer": Unicode White_Space and format characters (Cf) trimmed from both ends."""
    def trimmed(c):
        return c.isspace() or unicodedata.category(c) == "Cf"
    start, end = 0, len(value)
    while start < end and trimmed(value[start]):
        start += 1
    while end > start and trimmed(value[end - 1]):
        end -= 1
    return value[start:end]


def normal_id(value: str) -> str:
    """A customer id normalised: NFKC, then trimmed."""
    return trim_key(unicodedata.normalize("NFKC", value))


def normal_email(value: str) -> str:
    """An e-mail normalised: NFKC, trimmed, fully case-folded, NFKC again."""
    return trim_key(unicodedata.normalize("NFKC", normal_id(value).casefold()))


def order_customer(order: Order, roles) -> str | None:
    """The customer key of an order, tagged with its role: "#" + the customer id, else "@" + the
    e-mail, both normalised (README "Customer"); a customer id and an e-mail never meet."""
    customer = normal_id(order.customer_id) if "customer_id" in roles else ""
    if customer:
        return "#" + customer
    email = normal_email(order.email) if "email" in roles else ""
    return "@" + email if email else None


def shown_keys(tagged_keys) -> dict[str, str]:
    """README "Customer lists": the key shown for each tagged key; an e-mail that reads the same as
    a customer id of the file gets `email:` in front (again, while it still does)."""
    ids = {k[1:] for k in tagged_keys if k.startswith("#")}
    shown = {}
    for key in tagged_keys:
        text = key[1:]
        if key.startswith("@"):
            while text in ids:
                text = "email:" + text
        shown[key] = text
    return shown


TODAY = dt.date.today()  # the machine's local date, as the command line passes it
MAX_GAP_DAYS = 731
HANDFUL = 5
OUTLIERS_LISTED = 5


def outlier_orders(days, today):
    """README "Outlier dates": whether each order (by its date) is an outlier."""
    out = [d > today for d in days]
    rest = sorted((d, i) for i, d in enumerate(days) if not out[i])
    runs, run = [], []
    for d, i in rest:
        if run and (d - days[run[-1]]).days > MAX_GAP_DAYS:
            runs.append(run)
            run = []
        run.append(i)
    if run:
        runs.append(run)
    if not runs:
        return out
    history = max(range(len(runs)), key=lambda r: (len(runs[r]), r))
    for r, members in enumerate(runs):
        n = len(members)
        handful = n <= HANDFUL or n * 100 < len(rest)
        if r != history and handful and n * 2 <= len(runs[history]):
            for i in members:
                out[i] = True
    return out


def read_orders(path: str, as_of_arg: dt.date | None = None):
    """The counted orders as (order, revenue, customer key or None), in order of first appearance,
    the currency, the `input` section and the contact details of each customer key. Orders dated
    after a user-set `as_of_arg` are left out (counted in input.orders_after_as_of)."""
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

    # README: a row whose date (calendar day), total or customer differs from what its order took
    # from an earlier row is noted; the first DISAGREEMENTS_LISTED are listed, a last note counts all.
    disagreements = 0

    def disagree(line, role):
        nonlocal disagreements
        disagreements += 1
        if disagreements <= DISAGREEMENTS_LISTED:
            warn(line, header[roles[role]].strip(), f"this row's {role} differs from its order's first row")

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
        if bad is None:
            # README: an unreadable delivery number or 解約日 skips its row too
            for role, parse in (("delivery_number", parse_delivery_number),
                                ("cancelled_on", parse_date)):
                raw = cell(role)
                if raw == "":
                    parsed[role] = None
                    continue
                parsed[role] = parse(raw)
                if parsed[role] is None:
                    bad = (role, raw)
                    break
        if bad is not None:
            skipped += 1
            role, raw = bad
            what = "a date" if role in ("date", "cancelled_on") else "a number"
            warn(line, header[roles[role]].strip(), f"'{raw}' is not {what}")
            continue

        order = orders.get(key)
        if order is None:
            order = orders[key] = Order(key, first_lines[key])
        if order.date is not None and parsed["date"] is not None and parsed["date"] != order.date:
            disagree(line, "date")
        if order.total is not None and parsed["total"] is not None and parsed["total"] != order.total:
            disagree(line, "total")
        if normal_id(order.customer_id) != "":
            if normal_id(cell("customer_id")) not in ("", normal_id(order.customer_id)):
                disagree(line, "customer_id")
        elif normal_email(order.email) != "":
            if normal_email(cell("email")) not in ("", normal_email(order.email)):
                disagree(line, "email")
        order.rows += 1
        order.cells.append((line, cell("email"), cell("name"), cell("currency")))
        if order.date is None and parsed["date"] is not None:
            order.date = parsed["date"]
            order.time = time_of_day(cell("date"))
        if cell("product"):
            order.products.add(cell("product"))
        amount = parse_amount(cell("discount_amount")) if cell("discount_amount") else None
        if cell("discount_code") or (amount is not None and amount != 0):
            order.discount = True
        if is_subscription_flag(cell("subscription")):
            order.sub_flag = True
        if order.sub_id == "":
            order.sub_id = cell("subscription_id")
        if order.delivery is None:
            order.delivery = parsed["delivery_number"]
        if order.cancelled_on is None:
            order.cancelled_on = parsed["cancelled_on"]
        if order.channel is None and channel_key(cell("channel")):
            order.channel = channel_key(cell("channel"))
        if order.total is None and parsed["total"] is not None:
            order.total = parsed["total"]
        if order.refunded is None and parsed["refunded"] is not None:
            order.refunded = parsed["refunded"]
        for attr, role in (("status", "status"), ("cancelled", "cancelled"),
                           ("customer_id", "customer_id"), ("email", "email"),
                           ("name", "name"), ("currency", "currency")):
            if getattr(order, attr) == "" and cell(role) != "":
                if attr == "customer_id" and normal_id(cell(role)) == "":
                    continue
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
    candidates = []  # orders that count, before the outlier and as_of checks
    excluded = 0
    after_as_of = 0
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
        candidates.append((order, revenue))

    # README "Outlier dates": orders after today, or in a handful of orders more than 731 days away
    # from the file's history, are left out (the first five listed, then a count).
    outliers = outlier_orders([o.date for o, _ in candidates], TODAY)
    listed = 0
    for (order, _), outlier in zip(candidates, outliers):
        if outlier:
            listed += 1
            if listed <= OUTLIERS_LISTED:
                warn(order.first_line, header[roles["date"]].strip(), f"'{order.date}' is an outlier")
    if listed > OUTLIERS_LISTED:
        warn(None, header[roles["date"]].strip(), f"{listed} orders left out for outlier dates")
    for (order, revenue), outlier in zip(candidates, outliers):
        if outlier:
            continue
        if as_of_arg is not None and order.date > as_of_arg:
            # README: excluded orders stay excluded whatever their date; an order that would
            # otherwise count but is dated after a user-set as_of is left out of everything
            after_as_of += 1
            continue
        counted.append((order, revenue, order_customer(order, roles)))

    if disagreements > DISAGREEMENTS_LISTED:
        warn(None, None, f"{disagreements} rows disagree with their order's first row")

    # The currency describes the file: the first value in its currency column (README "ISO code
    # from a currency column"), whatever becomes of that row's order.
    every_row = sorted(c for order in orders.values() for c in order.cells)
    currency = next((cur for _, _, _, cur in every_row if cur), None)

    # Contract "Customer rows": e-mail and name are "the first non-empty value seen for the customer
    # (trimmed) in the file's e-mail / name column": in file order, over every row read of every
    # order that names the customer (an excluded order or one after as_of still shows who the
    # customer is; rows skipped as unreadable are not read).
    rows_by_customer: dict[str, list[tuple[int, str, str, str]]] = {}
    for order in orders.values():
        key = order_customer(order, roles)
        if key is not None:
            rows_by_customer.setdefault(key, []).extend(order.cells)
    contacts: dict[str, tuple[str, str]] = {}
    for key, cells in rows_by_customer.items():
        cells.sort()
        contacts[key] = (next((e for _, e, _, _ in cells if e), ""),
                         next((n for _, _, n, _ in cells if n), ""))
    shown = shown_keys(rows_by_customer)
    counted = [(order, revenue, key and shown[key]) for order, revenue, key in counted]
    contacts = {shown[key]: contact for key, contact in contacts.items()}
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
        "orders_after_as_of": after_as_of,
        "outlier_orders": listed,
        "warnings": warnings,
    }
    return counted, currency, info, contacts


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


# --------------------------------------------------------------------------------------------
# Report v2: customers, cohorts, historical LTV, RFM, lapse
# --------------------------------------------------------------------------------------------

DEFAULT_F_BANDS = (1, 2, 3, 4, 6)
LTV_MONTHS = (3, 6, 12, 24)
RFM_QUANTILES = (Fraction(20, 100), Fraction(40, 100), Fraction(60, 100), Fraction(80, 100))
LAPSE_THRESHOLDS = (30, 60, 90, 180, 365)
SEGMENT_KEYS = ("champions", "loyal", "promising", "new", "needs_attention", "at_risk",
                "cant_lose", "about_to_sleep", "lost")
LAPSE_VALUES = ("active", "overdue", "dormant")
EXPORT_COLUMNS = ("customer_key", "email", "name", "first_purchase", "second_purchase",
                  "last_purchase", "occasions", "orders", "revenue", "recency_days", "r", "f", "m",
                  "segment", "lapse")


class Customer:
    __slots__ = ("key", "email", "name", "orders", "revenue", "occasions", "first", "last",
                 "recency", "r", "f", "m", "segment", "lapse")

    def __init__(self, key):
        self.key = key
        self.email = ""
        self.name = ""
        self.orders: list[tuple[dt.date, Decimal]] = []
        self.revenue = Decimal(0)


def exact_quantile(sorted_values, q: Fraction):
    """Linear interpolation at position q * (n - 1), in exact arithmetic (Fraction)."""
    n = len(sorted_values)
    pos = q * (n - 1)
    lo = pos.numerator // pos.denominator
    hi = min(lo + 1, n - 1)
    lo_value, hi_value = Fraction(sorted_values[lo]), Fraction(sorted_values[hi])
    return lo_value + (hi_value - lo_value) * (pos - lo)


def bin_of(value, cut_points) -> int:
    """How many cut points are strictly below `value` (equal takes the lower bin)."""
    return sum(1 for c in cut_points if c < value)


def f_score(occasions: int, band_starts) -> int:
    return max(i + 1 for i, start in enumerate(band_starts) if occasions >= start)


def segment_of(r: int, f: int) -> str:
    if r >= 4 and f >= 4:
        return "champions"
    if (r >= 3 and f == 3) or (r == 3 and f >= 4):
        return "loyal"
    if r >= 4 and f == 2:
        return "promising"
    if r >= 4 and f == 1:
        return "new"
    if r == 3:
        return "needs_attention"  # F 1-2 (F 3-5 handled above)
    if r == 2 and f in (2, 3):
        return "at_risk"
    if r <= 2 and f >= 4:
        return "cant_lose"
    if r == 2:
        return "about_to_sleep"  # F 1
    return "lost"  # R 1, F 1-3


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months with the day clamped to the target month's end (Jan 31 + 1 = Feb 28/29)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def build_customers(counted, as_of, f_bands, contacts=None):
    """Per-customer tables (only orders with a customer), with R, F, M, segment and lapse; plus
    the RFM cut points and the pooled gap quantiles."""
    customers: dict[str, Customer] = {}
    for order, revenue, key in counted:  # counted orders, in order of first appearance
        if key is None:
            continue
        c = customers.get(key)
        if c is None:
            c = customers[key] = Customer(key)
        c.orders.append((order.date, revenue))
        c.revenue += revenue
        if contacts is not None:
            c.email, c.name = contacts.get(key, ("", ""))

    gaps = []
    for c in customers.values():
        c.occasions = sorted({d for d, _ in c.orders})
        c.first, c.last = c.occasions[0], c.occasions[-1]
        c.recency = (as_of - c.last).days
        gaps.extend((b - a).days for a, b in zip(c.occasions, c.occasions[1:]))

    everyone = list(customers.values())
    if everyone:
        recencies = sorted(c.recency for c in everyone)
        revenues = sorted(c.revenue for c in everyone)
        r_cuts = [exact_quantile(recencies, q) for q in RFM_QUANTILES]
        m_cuts = [exact_quantile(revenues, q) for q in RFM_QUANTILES]
    else:
        r_cuts, m_cuts = [], []
    gaps.sort()
    if gaps:
        gap_q = {name: exact_quantile(gaps, q) for name, q in
                 (("median", Fraction(1, 2)), ("p75", Fraction(3, 4)), ("p90", Fraction(9, 10)))}
    else:
        gap_q = None

    for c in everyone:
        c.r = 5 - bin_of(c.recency, r_cuts)
        c.m = 1 + bin_of(Fraction(c.revenue), m_cuts)
        c.f = f_score(len(c.occasions), f_bands)
        c.segment = segment_of(c.r, c.f)
        if gap_q is None or c.recency <= gap_q["p75"]:
            c.lapse = "active"
        elif c.recency <= gap_q["p90"]:
            c.lapse = "overdue"
        else:
            c.lapse = "dormant"
    return customers, r_cuts, m_cuts, gaps, gap_q


def money(value) -> float:
    return float(value)


MAX_COHORTS = 120  # README "Report": the latest 120 cohorts
MAX_COHORT_MONTHS = 120  # each cohort's arrays: its first 120 months


def cohort_limits_section(customers):
    months = {month_index(c.first) for c in customers.values()}
    return {"max_cohorts": MAX_COHORTS, "max_months": MAX_COHORT_MONTHS,
            "cohorts_left_out": max(0, len(months) - MAX_COHORTS)}


def cohorts_section(customers, as_of):
    by_month: dict[int, list[Customer]] = {}
    for c in customers.values():
        by_month.setdefault(month_index(c.first), []).append(c)
    out = []
    for start in sorted(by_month)[-MAX_COHORTS:]:
        members = by_month[start]
        k_max = min(month_index(as_of) - start, MAX_COHORT_MONTHS - 1)
        active = [set() for _ in range(k_max + 1)]
        revenue = [Decimal(0)] * (k_max + 1)
        for c in members:
            for day, rev in c.orders:
                k = month_index(day) - start
                if k > k_max:
                    continue
                active[k].add(c.key)
                revenue[k] += rev
        n = len(members)
        cumulative, running = [], Decimal(0)
        for rev in revenue:
            running += rev
            cumulative.append(float(Fraction(running) / n))
        out.append({
            "cohort": f"{start // 12:04d}-{start % 12 + 1:02d}",
            "customers": n,
            "active_customers": [len(a) for a in active],
            "retention": [float(Fraction(len(a), n)) for a in active],
            "revenue": [money(r) for r in revenue],
            "cumulative_revenue_per_customer": cumulative,
        })
    return out


def historical_ltv_section(customers, as_of):
    out = []
    for months in LTV_MONTHS:
        eligible, total = 0, Decimal(0)
        for c in customers.values():
            horizon = add_months(c.first, months)
            if horizon <= as_of:
                eligible += 1
                total += sum((rev for day, rev in c.orders if day < horizon), Decimal(0))
        out.append({
            "months": months,
            "eligible_customers": eligible,
            "avg_revenue_per_customer": None if eligible == 0
            else float(Fraction(total) / eligible),
        })
    return out


def rfm_section(customers, r_cuts, m_cuts, f_bands):
    r_counts, f_counts, m_counts = [0] * 5, [0] * 5, [0] * 5
    grid = [[[0, Decimal(0)] for _ in range(5)] for _ in range(5)]
    segments = {key: [0, Decimal(0)] for key in SEGMENT_KEYS}
    for c in customers.values():
        r_counts[c.r - 1] += 1
        f_counts[c.f - 1] += 1
        m_counts[c.m - 1] += 1
        cell = grid[c.r - 1][c.f - 1]
        cell[0] += 1
        cell[1] += c.revenue
        seg = segments[c.segment]
        seg[0] += 1
        seg[1] += c.revenue
    return {
        "recency_cut_points_days": [float(x) for x in r_cuts],
        "monetary_cut_points": [float(x) for x in m_cuts],
        "f_band_starts": list(f_bands),
        "r_counts": r_counts,
        "f_counts": f_counts,
        "m_counts": m_counts,
        "rf_grid": [[{"customers": n, "revenue": money(rev)} for n, rev in row] for row in grid],
        "segments": [{"key": key, "customers": n, "revenue": money(rev)}
                     for key, (n, rev) in segments.items()],
    }


def lapse_section(customers, gaps, gap_q, as_of):
    def group(kind):
        members = [c for c in customers.values() if c.lapse == kind]
        cutoff = as_of - dt.timedelta(days=365) if members else None
        return {
            "customers": len(members),
            "revenue_last_365_days": money(sum(
                (rev for c in members for day, rev in c.orders if day > cutoff), Decimal(0))),
            "revenue_all_time": money(sum((c.revenue for c in members), Decimal(0))),
        }

    return {
        "gap_days": {
            "count": len(gaps),
            "median": None if gap_q is None else float(gap_q["median"]),
            "p75": None if gap_q is None else float(gap_q["p75"]),
            "p90": None if gap_q is None else float(gap_q["p90"]),
        },
        "overdue": group("overdue"),
        "dormant": group("dormant"),
        "days_since_last_over": {
            str(d): sum(1 for c in customers.values() if c.recency > d) for d in LAPSE_THRESHOLDS},
    }


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

def load(path: str, as_of_arg: dt.date | None):
    counted, currency, info, contacts = read_orders(path, as_of_arg)
    if as_of_arg is not None:
        as_of = as_of_arg
    elif counted:
        as_of = max(o.date for o, _, _ in counted)
    else:
        as_of = None
    return counted, currency, info, as_of, contacts


def analyze(path: str, window: int, as_of_arg: dt.date | None,
            f_bands=DEFAULT_F_BANDS, lapse_option: int | None = None) -> dict:
    counted, currency, info, as_of, _ = load(path, as_of_arg)

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

    table, r_cuts, m_cuts, all_gaps, gap_q = build_customers(counted, as_of, f_bands)

    return {
        "schema_version": 5,
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
        "cohorts": cohorts_section(table, as_of) if as_of else [],
        "cohort_limits": cohort_limits_section(table),
        "historical_ltv": historical_ltv_section(table, as_of) if as_of else [
            {"months": m, "eligible_customers": 0, "avg_revenue_per_customer": None}
            for m in LTV_MONTHS],
        "rfm": rfm_section(table, r_cuts, m_cuts, f_bands),
        "lapse": lapse_section(table, all_gaps, gap_q, as_of),
        "drivers": drivers_section(counted, first, second, as_of, window, info["columns"]),
        "timing": timing_section(sorted_occ),
        "subscriptions": subscriptions_section(counted, as_of, info["columns"], lapse_option),
    }


def subscriptions_section(counted, as_of, columns, lapse_option):
    """README "Definitions", subscriptions. The sBG fit is not computed here (`sbg` and `sbg_note`,
    checked against the published fits and by hand in crates/cli/tests/subscriptions.rs), nor the
    notes' English sentences."""
    deliveries = [(o, r, c) for o, r, c in counted
                  if o.sub_flag or o.sub_id != "" or o.delivery is not None]
    has_column = columns["subscription_id"] is not None or columns["delivery_number"] is not None
    if not has_column and not deliveries:
        return None
    by_unit: dict[tuple, list] = {}
    without_unit = 0
    for position, (order, revenue, customer) in enumerate(counted):
        if not (order.sub_flag or order.sub_id != "" or order.delivery is not None):
            continue
        if order.sub_id != "":
            key = ("id", order.sub_id)
        elif customer is not None:
            key = ("customer", customer)
        else:
            without_unit += 1
            continue
        by_unit.setdefault(key, []).append((order.date, order.time, position, order, revenue))
    units = []
    gaps = []
    total_revenue = Decimal(0)
    for rows in by_unit.values():
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        number = None
        highest = 0
        first_number = None
        cancelled = None
        for i, (day, _, _, order, revenue) in enumerate(rows):
            total_revenue += revenue
            number = order.delivery if order.delivery is not None else (1 if number is None else number + 1)
            if first_number is None:
                first_number = number
            highest = max(highest, number)
            if i > 0:
                gaps.append((day - rows[i - 1][0]).days)
            if order.cancelled_on is not None:
                cancelled = order.cancelled_on if cancelled is None else max(cancelled, order.cancelled_on)
        units.append({"first": rows[0][0], "last": rows[-1][0], "first_number": first_number,
                      "deliveries": highest, "cancelled": cancelled})
    gaps.sort()
    median = quantile(gaps, 0.5)
    if lapse_option is not None:
        lapse = lapse_option
    elif gaps:
        lapse = -((-3 * Fraction(exact_quantile(gaps, Fraction(1, 2)))) // 2)
        lapse = int(lapse)
    else:
        lapse = None
    for u in units:
        churn = None
        if u["cancelled"] is not None:
            if u["cancelled"] <= as_of:
                churn = max(u["cancelled"], u["first"])
        elif lapse is not None and (as_of - u["last"]).days > lapse:
            churn = u["last"] + dt.timedelta(days=lapse)
        u["churn"] = churn
    notes = []
    before = sum(1 for u in units if u["first_number"] > 1)
    if before:
        notes.append({"code": "started_before_file", "args": {"count": str(before)}})
    if without_unit:
        notes.append({"code": "deliveries_without_unit", "args": {"count": str(without_unit)}})
    if lapse is None and units:
        notes.append({"code": "no_cycle", "args": {}})
    started = [u for u in units if u["first_number"] == 1]
    retention = []
    survival = Fraction(1)
    for n in range(1, 13):
        reached = sum(1 for u in started if u["deliveries"] >= n)
        continued = sum(1 for u in started if u["deliveries"] > n)
        churned_n = sum(1 for u in started if u["deliveries"] == n and u["churn"] is not None)
        at_risk = continued + churned_n
        rate = None if at_risk == 0 else Fraction(continued, at_risk)
        survival = None if survival is None or rate is None else survival * rate
        retention.append({"delivery": n, "reached": reached, "at_risk": at_risk,
                          "continued": continued,
                          "rate": None if rate is None else float(rate),
                          "survival": None if survival is None else float(survival)})
    monthly = []
    if units:
        month = min(u["first"] for u in units).replace(day=1)
        while month <= as_of.replace(day=1):
            nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            active = sum(1 for u in units
                         if u["first"] < month and (u["churn"] is None or u["churn"] >= month))
            new = sum(1 for u in units if month <= u["first"] < nxt)
            churned = sum(1 for u in units if u["churn"] is not None and month <= u["churn"] < nxt)
            monthly.append({"month": month_key(month), "active_at_start": active, "new": new,
                            "churned": churned, "churn_rate": ratio(churned, active)})
            month = nxt
    count = len(units)
    churned_all = sum(1 for u in units if u["churn"] is not None)
    n_deliveries = sum(len(rows) for rows in by_unit.values())
    return {
        "unit": "subscription" if columns["subscription_id"] is not None else "customer",
        "units": count,
        "deliveries": n_deliveries,
        "active": count - churned_all,
        "churned": churned_all,
        "cycle_days": {"median": median, "p75": quantile(gaps, 0.75)},
        "lapse_days": lapse,
        "mean_delivery_revenue": (float(total_revenue / n_deliveries) if n_deliveries else None),
        "retention": retention,
        "monthly": monthly,
        "notes": notes,
    }


WILSON_Z = 1.959964
MIN_GROUP = 30


def wilson(k: int, n: int):
    if n == 0:
        return None, None
    p = k / n
    z2 = WILSON_Z * WILSON_Z
    den = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / den
    half = WILSON_Z * (p * (1 - p) / n + z2 / (4 * n * n)) ** 0.5 / den
    return max(0.0, centre - half), min(1.0, centre + half)


def driver_group(key, eligible, converted):
    low, high = wilson(converted, eligible)
    return {"key": key, "eligible": eligible, "converted": converted,
            "rate": ratio(converted, eligible), "low": low, "high": high,
            "small": eligible < MIN_GROUP}


def ranked(tallies: dict) -> list:
    """Groups by eligible (descending), then key (code point order)."""
    order = sorted(tallies.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return [driver_group(k, e, c) for k, (e, c) in order]


def drivers_section(counted, first, second, as_of, window, columns):
    """DESIGN v4 `drivers`: F2 (as kpis.f2) by what the first occasion was."""
    first_orders: dict[str, list] = {}
    for order, revenue, customer in counted:  # file order (of first appearance)
        if customer is not None and order.date == first[customer]:
            first_orders.setdefault(customer, []).append((order, revenue))
    eligible = []
    if as_of is not None:
        cutoff = as_of - dt.timedelta(days=window)
        for customer, day in first.items():
            if day <= cutoff:
                s = second.get(customer)
                eligible.append((customer, s is not None and (s - day).days <= window))

    def tally(keys_of):
        groups: dict[str, list] = {}
        for customer, converted in eligible:
            for key in keys_of(first_orders[customer]):
                g = groups.setdefault(key, [0, 0])
                g[0] += 1
                g[1] += converted
        return groups

    by_product = by_discount = by_channel = None
    if columns["product"] is not None:
        by_product = ranked(tally(lambda orders: set().union(*(o.products for o, _ in orders))))[:20]
    if columns["discount_code"] is not None or columns["discount_amount"] is not None:
        groups = tally(lambda orders: ["with_discount" if any(o.discount for o, _ in orders)
                                       else "without_discount"])
        for key in ("with_discount", "without_discount"):
            groups.setdefault(key, [0, 0])
        by_discount = ranked(groups)
    if columns["channel"] is not None:
        def channel(orders):
            # earliest by time of day; min keeps the first in file order among equal times
            earliest = min(orders, key=lambda item: item[0].time)[0]
            return [earliest.channel] if earliest.channel else []
        by_channel = ranked(tally(channel))
        if len(by_channel) > 10:
            rest = by_channel[10:]
            by_channel = by_channel[:10] + [driver_group(
                "other", sum(g["eligible"] for g in rest), sum(g["converted"] for g in rest))]

    values = sorted(sum((r for _, r in first_orders[c]), Decimal(0)) for c, _ in eligible)
    cuts = [exact_quantile(values, q) for q in RFM_QUANTILES] if values else []
    bands = {str(b): [0, 0] for b in range(1, 6)}
    for customer, converted in eligible:
        value = sum((r for _, r in first_orders[customer]), Decimal(0))
        band = bands[str(1 + bin_of(Fraction(value), cuts))]
        band[0] += 1
        band[1] += converted
    converted = sum(1 for _, c in eligible if c)
    return {
        "window_days": window,
        "eligible": len(eligible),
        "converted": converted,
        "rate": ratio(converted, len(eligible)),
        "min_group": MIN_GROUP,
        "by_first_product": by_product,
        "by_first_discount": by_discount,
        "by_first_channel": by_channel,
        "by_first_value": ranked(bands),
        "first_value_cut_points": [float(c) for c in cuts],
    }


TIMING_BUCKETS = [(1, 10), (11, 30), (31, 60), (61, 90), (91, 180), (181, 360), (361, None)]


def timing_section(sorted_occ: dict) -> dict:
    """Days from the n-th to the (n+1)-th occasion, n = 1..4, in inclusive buckets of whole days."""
    steps = []
    for n in range(1, 5):
        days = sorted((occ[n] - occ[n - 1]).days for occ in sorted_occ.values() if len(occ) > n)
        counts = [sum(1 for d in days if lo <= d and (hi is None or d <= hi))
                  for lo, hi in TIMING_BUCKETS]
        steps.append({"from": n, "to": n + 1, "customers": len(days), "counts": counts,
                      "median": quantile(days, 0.5), "p25": quantile(days, 0.25),
                      "p75": quantile(days, 0.75)})
    return {
        "buckets": [f"{lo}-{hi}" if hi else f"{lo}+" for lo, hi in TIMING_BUCKETS],
        "steps": steps,
        "follow_up_day": steps[0]["p25"],
    }


# --------------------------------------------------------------------------------------------
# Customer export (README "Customer lists")
# --------------------------------------------------------------------------------------------

def plain_decimal(value: Decimal) -> str:
    """'1200', '29.5', '-3.25': no exponent, no thousands separator, no needless trailing zeros."""
    if value == 0:
        return "0"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\t", "\r")


def text_cell(value: str) -> str:
    """OWASP formula-injection neutralisation: an apostrophe before =, +, -, @ (ASCII or full-width),
    TAB or CR, and before another apostrophe, where they start the value or a part of it after a
    comma, semicolon or tab."""
    parts = re.split(r"([,;\t])", value)
    return "".join(p if i % 2 or not p.startswith(FORMULA_STARTS + ("'",)) else "'" + p
                   for i, p in enumerate(parts))


def shift_jis_cell(value: str, counter: list[int]) -> str:
    """A cell of a Shift_JIS list: as it is when every character reads back unchanged from
    Shift_JIS, else (and when it holds "&#") with "&" and every other such character written as
    &#xHEX; (the first case counted in counter[0])."""
    lacking = [ch for ch in value if not shift_jis_holds(ch)]
    if not lacking and "&#" not in value:
        return value
    counter[0] += bool(lacking)
    return "".join(f"&#x{ord(ch):X};" if ch == "&" or not shift_jis_holds(ch) else ch
                   for ch in value)


def csv_cell(value: str) -> str:
    if any(ch in value for ch in ',;\t"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def shift_jis_table() -> dict[str, bytes]:
    """The double-byte part of the WHATWG Shift_JIS encoder (what encoding_rs SHIFT_JIS writes):
    the first pointer of each code point in the JIS X 0208 index, leaving out pointers 8272-8835
    (NEC-selected IBM extensions, whose characters are written from the IBM rows FA-FC) and the
    user-defined area 8836-10715. The index is the CP932 table, read back through Python's cp932
    decoder."""
    table: dict[str, bytes] = {}
    for pointer in range(11104):
        if 8272 <= pointer <= 10715:
            continue
        lead, trail = divmod(pointer, 188)
        lead += 0x81 if lead < 0x1F else 0xC1
        trail += 0x40 if trail < 0x3F else 0x41
        try:
            ch = bytes((lead, trail)).decode("cp932")
        except UnicodeDecodeError:
            continue
        table.setdefault(ch, bytes((lead, trail)))
    return table


_SHIFT_JIS_TABLE: dict[str, bytes] | None = None


def shift_jis_holds(ch: str) -> bool:
    """Whether Shift_JIS writes ch so that it reads back as ch (not so U+00A5, U+203E, U+2212)."""
    global _SHIFT_JIS_TABLE
    if _SHIFT_JIS_TABLE is None:
        _SHIFT_JIS_TABLE = shift_jis_table()
    cp = ord(ch)
    return cp <= 0x80 or 0xFF61 <= cp <= 0xFF9F or ch in _SHIFT_JIS_TABLE


def encode_shift_jis(text: str) -> bytes:
    """CP932 as the WHATWG / encoding_rs Shift_JIS encoder writes it (Python's cp932 codec differs
    on a few hundred characters, e.g. U+00A5 and the NEC-selected IBM extensions); characters it
    cannot encode would become '?' (none do: text cells are written by shift_jis_cell)."""
    global _SHIFT_JIS_TABLE
    if _SHIFT_JIS_TABLE is None:
        _SHIFT_JIS_TABLE = shift_jis_table()
    out = bytearray()
    for ch in text:
        cp = ord(ch)
        if cp <= 0x80:
            out.append(cp)
        elif cp == 0xA5:
            out.append(0x5C)
        elif cp == 0x203E:
            out.append(0x7E)
        elif 0xFF61 <= cp <= 0xFF9F:
            out.append(cp - 0xFF61 + 0xA1)
        else:
            if cp == 0x2212:
                ch = "\uff0d"
            out += _SHIFT_JIS_TABLE.get(ch, b"?")
    return bytes(out)


def customer_rows(path: str, as_of_arg, f_bands, segment=None, lapse=None, cohort=None):
    counted, _, _, as_of, contacts = load(path, as_of_arg)
    table = build_customers(counted, as_of, f_bands, contacts)[0] if as_of else {}
    rows = []
    for c in table.values():
        if segment is not None and c.segment != segment:
            continue
        if lapse is not None and c.lapse != lapse:
            continue
        if cohort is not None and month_key(c.first) != cohort:
            continue
        rows.append(c)
    # revenue descending, then customer_key ascending in byte order (UTF-8 keeps code point order)
    rows.sort(key=lambda c: (-c.revenue, c.key.encode("utf-8")))
    return rows


def customers_csv(rows, shift_jis=False, counter=None) -> str:
    counter = [0] if counter is None else counter

    def text(value):
        cell = text_cell(value)
        return shift_jis_cell(cell, counter) if shift_jis else cell

    lines = [",".join(EXPORT_COLUMNS)]
    for c in rows:
        cells = [
            text(c.key), text(c.email), text(c.name),
            c.first.isoformat(),
            c.occasions[1].isoformat() if len(c.occasions) >= 2 else "",
            c.last.isoformat(),
            str(len(c.occasions)), str(len(c.orders)), plain_decimal(c.revenue),
            str(c.recency), str(c.r), str(c.f), str(c.m), c.segment, c.lapse,
        ]
        lines.append(",".join(csv_cell(x) for x in cells))
    return "".join(line + "\r\n" for line in lines)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def parse_f_bands(text: str):
    try:
        starts = tuple(int(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not five comma-separated whole numbers")
    if len(starts) != 5 or starts[0] != 1 or any(b <= a for a, b in zip(starts, starts[1:])):
        raise argparse.ArgumentTypeError(
            f"'{text}': five increasing band starts beginning with 1 expected")
    return starts


def parse_cohort(text: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a month YYYY-MM")
    return text


def add_common(parser):
    parser.add_argument("file")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--f-bands", type=parse_f_bands, default=DEFAULT_F_BANDS)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    mode = "analyze"
    if argv and argv[0] in ("analyze", "customers"):
        mode = argv.pop(0)
    parser = argparse.ArgumentParser(prog=f"ltv_reference.py {mode}",
                                     description=__doc__.splitlines()[0])
    add_common(parser)
    if mode == "analyze":
        parser.add_argument("--f2-window", type=int, default=DEFAULT_WINDOW)
        parser.add_argument("--subscription-lapse-days", type=int, default=None)
    else:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--segment", choices=SEGMENT_KEYS)
        group.add_argument("--lapse", choices=LAPSE_VALUES)
        group.add_argument("--cohort", type=parse_cohort)
        parser.add_argument("--encoding", choices=("utf-8", "shift_jis"), default="utf-8")
        parser.add_argument("-o", "--output", default=None)
    args = parser.parse_args(argv)
    if mode == "analyze" and args.f2_window < 1:
        parser.error("--f2-window must be at least 1")
    try:
        if mode == "analyze":
            report = analyze(args.file, args.f2_window, args.as_of, args.f_bands,
                             args.subscription_lapse_days)
        else:
            rows = customer_rows(args.file, args.as_of, args.f_bands,
                                 args.segment, args.lapse, args.cohort)
            text = customers_csv(rows, shift_jis=args.encoding == "shift_jis")
            data = (b"\xef\xbb\xbf" + text.encode("utf-8") if args.encoding == "utf-8"
                    else encode_shift_jis(text))
    except UnusableFile as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    if mode == "analyze":
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.output:
        with open(args.output, "wb") as fh:
            fh.write(data)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
