"""`ltv_lens.columns_read`: the columns the core reads in an export (what the Spark runner keeps of each
row before the shuffle). Every UTF-8 order fixture cut down to them gives the same Report as the whole
file; only the lines of located warnings may move (the cut file has no title or blank lines)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Dict

import pytest

import ltv_lens
from conftest import FIXTURES, order_files


def utf8_fixtures():
    out = []
    for path in order_files():
        try:
            path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        out.append(path)
    return out


def cut_down(path: Path, names) -> bytes:
    """The records of `path` from its header on, keeping only the columns `names` (in that order),
    written as a comma-separated file; blank records and title rows above the header are left out."""
    text = path.read_bytes().decode("utf-8-sig")
    head = text.splitlines()[:40]
    delimiter = max([",", ";", "\t"], key=lambda d: sum(line.count(d) for line in head))
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    at = next(i for i, r in enumerate(records) if all(n in [c.strip() for c in r] for n in names))
    header = [c.strip() for c in records[at]]
    keep = [header.index(n) for n in names]
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(names)
    for record in records[at + 1 :]:
        if any(c.strip() for c in record):
            writer.writerow([record[i] if i < len(record) else "" for i in keep])
    return out.getvalue().encode("utf-8")


def without_lines(report: Dict) -> Dict:
    """The Report with the line of each warning left out."""
    report = dict(report, input=dict(report["input"]))
    report["input"]["warnings"] = [{k: v for k, v in w.items() if k != "row"} for w in report["input"]["warnings"]]
    return report


def test_the_columns_with_a_role_are_read_and_the_others_not() -> None:
    # `Note` has no role; `Order ID`, `Email`, `Order Date` and `Total` are the order id, e-mail, date
    # and total of a generic export (README "Input formats").
    header = b"Order ID,Note,Email,Order Date,Total\n"
    assert ltv_lens.columns_read(header) == ["Order ID", "Email", "Order Date", "Total"]
    # A role set to "not used" drops its column.
    assert ltv_lens.columns_read(header, columns={"email": None}) == ["Order ID", "Order Date", "Total"]
    # A column chosen by an override is read.
    assert ltv_lens.columns_read(header, columns={"customer_id": "Note"}) == [
        "Order ID",
        "Note",
        "Email",
        "Order Date",
        "Total",
    ]


def test_a_platform_s_signature_columns_are_kept() -> None:
    # Shopify is recognised by Name, Created at, Financial Status and Lineitem quantity (src/ingest/
    # presets.rs); 19 of the fixture's 35 columns (Paid at, Shipping, Vendor, Phone, …) are left out.
    read = ltv_lens.columns_read(FIXTURES / "shopify_line_items.csv")
    assert {"Name", "Created at", "Financial Status", "Lineitem quantity"} <= set(read)
    assert not {"Paid at", "Shipping", "Vendor", "Phone"} & set(read)
    assert len(read) == 16
    assert ltv_lens.analyze(cut_down(FIXTURES / "shopify_line_items.csv", read))["input"]["format"] == "shopify"


@pytest.mark.parametrize("path", utf8_fixtures(), ids=lambda p: p.name)
def test_a_fixture_cut_down_to_its_read_columns_gives_the_same_report(path: Path) -> None:
    read = ltv_lens.columns_read(path)
    whole = ltv_lens.analyze(path)
    assert set(read) >= {name for name in whole["input"]["columns"].values() if name}
    assert without_lines(ltv_lens.analyze(cut_down(path, read))) == without_lines(whole)


def test_an_export_without_a_header_is_refused_as_analyze_refuses_it() -> None:
    path = FIXTURES / "error_no_date_column.csv"
    with pytest.raises(ltv_lens.LtvLensError) as read:
        ltv_lens.columns_read(path)
    with pytest.raises(ltv_lens.LtvLensError) as analysed:
        ltv_lens.analyze(path)
    assert (read.value.code, read.value.message) == (analysed.value.code, analysed.value.message)
