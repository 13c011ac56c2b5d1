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
