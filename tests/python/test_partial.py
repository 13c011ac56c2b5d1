"""Partial states from Python: a file split here by customer (every row of a customer in one shard, the
header on each) gives, through `partial`, `merge` and `report`, the Report `analyze` gives for the whole
file; states that cannot be merged or read are refused with the core's codes."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import List

import pytest

import ltv_lens
from conftest import FIXTURES, cli_report


def split_by_customer(path: Path, column: str, shards: int) -> List[bytes]:
    """The file's rows dealt into shards by the first letter of their customer cell (folded as e-mails
    are), in file order, each shard with the header row."""
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    at = header.index(column)
    out = [io.StringIO(newline="") for _ in range(shards)]
    writers = [csv.writer(o) for o in out]
    for writer in writers:
        writer.writerow(header)
    for row in body:
        key = row[at].strip().lower()
        writers[(ord(key[0]) if key else 0) % shards].writerow(row)
    return [o.getvalue().encode("utf-8") for o in out]


def test_shards_merged_give_the_whole_file_s_report(sample_file: Path) -> None:
    shards = split_by_customer(sample_file, "Email", 3)
    states = [ltv_lens.partial(shard) for shard in shards]
    assert all(isinstance(s, bytes) and s for s in states)
    merged = ltv_lens.merge(states)
    assert ltv_lens.report(merged) == cli_report(sample_file)
    assert ltv_lens.report(merged, f2_window_days=90) == cli_report(sample_file, "--f2-window", "90")
    assert ltv_lens.merge(states[::-1]) == merged, "the merge does not depend on the order"


def test_a_path_and_bytes_give_the_same_state() -> None:
    path = FIXTURES / "segments_cohorts_lapse.csv"
    assert ltv_lens.partial(path) == ltv_lens.partial(path.read_bytes())
    assert ltv_lens.report(ltv_lens.partial(path)) == cli_report(path)


def test_states_sharing_a_customer_are_not_merged() -> None:
    state = ltv_lens.partial(FIXTURES / "funnel.csv")
    with pytest.raises(ltv_lens.LtvLensError) as raised:
        ltv_lens.merge([state, state])
    assert raised.value.code == "states_disagree"


def test_bytes_that_are_no_state_are_refused() -> None:
    with pytest.raises(ltv_lens.LtvLensError) as raised:
        ltv_lens.report(b"not a state")
    assert raised.value.code == "invalid_state"


def test_reading_options_belong_to_the_state() -> None:
    path = FIXTURES / "generic_customer_id.csv"
    state = ltv_lens.partial(path, columns={"customer_id": None})
    assert ltv_lens.report(state) == cli_report(path, "--column", "customer_id=")
    with pytest.raises(ltv_lens.LtvLensError) as raised:
        ltv_lens.report(state, columns={"email": None})
    assert raised.value.code == "invalid_option"


def test_located_warnings_of_merged_states_name_their_shard() -> None:
    # Shard a: a date that cannot be read on its line 3; shard b: an amount on its line 2.
    header = "order id,customer id,order date,total\n"
    a = f"{header}1,A,2024-01-05,100\n2,A,2024-13-45,50\n".encode()
    b = f"{header}3,B,2024-02-10,abc\n4,B,2024-02-11,80\n".encode()
    merged = ltv_lens.report(ltv_lens.merge([ltv_lens.partial(a, name="shop A"), ltv_lens.partial(b, name="shop B")]))
    located = [(w["row"], w["code"], w["args"]["shard"]) for w in merged["input"]["warnings"]]
    assert located == [(2, "not_an_amount", "shop B"), (3, "not_a_date", "shop A")]
    # No name (the default): no shard; a single state's own Report names none.
    unnamed = ltv_lens.report(ltv_lens.merge([ltv_lens.partial(a), ltv_lens.partial(b)]))
    assert all("shard" not in w["args"] for w in unnamed["input"]["warnings"])
    assert "shard" not in ltv_lens.report(ltv_lens.partial(a, name="shop A"))["input"]["warnings"][0]["args"]
