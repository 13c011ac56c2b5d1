"""`ltv_lens.customers` is the list `ltv-lens customers` writes, as a typed `pyarrow.Table`: the same
rows in the same order with the same values, column for column, read back from the CSV independently
(dates, counts, exact money, model outputs to the CSV's decimals)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path
from typing import Any, List, Optional

import pyarrow as pa
import pytest

import ltv_lens
from conftest import cli, order_files

DATES = {"first_purchase", "second_purchase", "last_purchase", "last_delivery"}
# The CSV's decimals of each model output (README "Customer lists").
DECIMALS = {
    "p_alive": 4,
    "expected_purchases": 4,
    "expected_value": 2,
    "clv": 2,
    "p_no_purchase": 4,
    "p_alive_low": 4,
    "p_alive_high": 4,
    "p_no_purchase_low": 4,
    "p_no_purchase_high": 4,
    "expected_purchases_low": 4,
    "expected_purchases_high": 4,
    "clv_low": 2,
    "clv_high": 2,
}
# Text from the file, which the CSV neutralises against spreadsheet formulas.
TEXT = {"customer_key", "email", "name", "first_product", "first_channel"}


def read_text_cell(cell: str) -> str:
    """A neutralised cell read back as README "Customer lists" says: the first `'` of every part (the
    cell split after each `,`, `;` and tab) that starts with one is removed."""
    parts = re.split(r"(?<=[,;\t])", cell)
    return "".join(part[1:] if part.startswith("'") else part for part in parts)


def cli_list(path: Path, *flags: str) -> List[dict]:
    done = cli("customers", str(path), "--quiet", *flags)
    assert done.returncode == 0, done.stderr.decode()
    text = done.stdout.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def as_csv(name: str, value: Any) -> str:
    """A table value written as the CSV writes it."""
    if value is None:
        return ""
    if name in DECIMALS:
        return f"{value:.{DECIMALS[name]}f}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def assert_same_list(table: pa.Table, rows: List[dict]) -> None:
    assert table.column_names == list(rows[0].keys()) if rows else True
    assert table.num_rows == len(rows)
    for got, want in zip(table.to_pylist(), rows):
        for name, cell in want.items():
            value = got[name]
            if name == "revenue":
                assert value == float(cell), (name, value, cell)  # exact: the nearest double both ways
            elif name in TEXT:
                assert (value or "") == read_text_cell(cell), (name, value, cell)
            else:
                assert as_csv(name, value) == cell, (got["customer_key"], name, value, cell)


@pytest.mark.parametrize("path", order_files(), ids=lambda p: p.name)
def test_the_table_is_the_command_line_s_list_on_every_fixture(path: Path) -> None:
    assert_same_list(ltv_lens.customers(path), cli_list(path))


@pytest.mark.parametrize(
    "filter, flags",
    [
        ({"segment": "champions"}, ["--segment", "champions"]),
        ({"lapse": "dormant"}, ["--lapse", "dormant"]),
        ({"top_clv": 25}, ["--top-clv", "25"]),
        ({"no_purchase_above": 0.8}, ["--no-purchase-above", "0.8"]),
        (None, []),
    ],
)
def test_filters_are_the_command_line_s(sample_file: Path, filter: Optional[dict], flags) -> None:
    table = ltv_lens.customers(sample_file, filter=filter, f2_window_days=90)
    rows = cli_list(sample_file, "--f2-window", "90", *flags)
    assert len(rows) > 0
    assert_same_list(table, rows)


def test_the_table_is_typed(sample_file: Path) -> None:
    schema = ltv_lens.customers(sample_file, filter={"top_clv": 3}).schema
    assert schema.field("first_purchase").type == pa.date32()
    assert schema.field("second_purchase").type == pa.date32()
    assert schema.field("occasions").type == pa.uint32()
    assert schema.field("revenue").type == pa.float64()
    assert schema.field("recency_days").type == pa.int64()
    assert schema.field("r").type == pa.uint8()
    assert schema.field("segment").type == pa.string()
    assert schema.field("first_discount").type == pa.bool_()
    for name in ["p_no_purchase", "p_alive_low", "p_no_purchase_high", "clv_low", "clv_high"]:
        assert schema.field(name).type == pa.float64(), name


def test_a_picked_model_gives_the_command_line_s_list(sample_file: Path) -> None:
    table = ltv_lens.customers(sample_file, model="pareto_nbd")
    assert_same_list(table, cli_list(sample_file, "--model", "pareto_nbd"))
    # Every customer's interval holds its prediction.
    for row in table.to_pylist():
        assert row["p_no_purchase_low"] <= row["p_no_purchase"] <= row["p_no_purchase_high"], row


def test_a_bad_filter_is_an_invalid_option(sample_file: Path) -> None:
    for bad in [
        {"segment": "heroes"},
        {"segment": "champions", "lapse": "dormant"},
        {"colour": "red"},
        {"no_purchase_above": 1.5},
    ]:
        with pytest.raises(ltv_lens.LtvLensError) as raised:
            ltv_lens.customers(sample_file, filter=bad)
        assert raised.value.code == "invalid_option", bad
