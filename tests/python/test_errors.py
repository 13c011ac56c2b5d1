"""Errors: `LtvLensError` carries the core's stable `code`, the values of its message by name in `args`
and the sentence in `message`, survives pickling (Dask and Spark carry exceptions between processes),
and wrong sources and unknown options are refused plainly."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import ltv_lens


def test_a_header_without_a_date_names_the_missing_roles() -> None:
    with pytest.raises(ltv_lens.LtvLensError) as raised:
        ltv_lens.analyze(b"name,colour\nKim,red\n")
    error = raised.value
    assert error.code == "no_header"
    assert set(error.args) >= {"found", "missing"}
    assert str(error) == error.message and error.message.startswith("no header")
    assert isinstance(error, ValueError)


def test_the_error_pickles_with_its_code_and_args() -> None:
    with pytest.raises(ltv_lens.LtvLensError) as raised:
        ltv_lens.analyze(b"")
    again = pickle.loads(pickle.dumps(raised.value))
    assert (again.code, again.args, again.message) == ("empty", {}, raised.value.message)


@pytest.mark.parametrize(
    "options",
    [{"f2_window": 90}, {"f2_window_days": 0}, {"as_of": "30/06/2024"}, {"time_unit": "month"},
     {"f_band_starts": [2, 3, 4, 5, 6]}, {"columns": {"day": "when"}}, {"margin": "high"}],
)
def test_unknown_and_out_of_range_options_are_invalid_options(options: dict) -> None:
    with pytest.raises(ltv_lens.LtvLensError) as raised:
        ltv_lens.analyze(b"order date,total\n2024-01-01,5\n", **options)
    assert raised.value.code == "invalid_option"
    assert raised.value.message.startswith("invalid option: ")


def test_a_missing_file_is_a_file_not_found_error(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.csv"
    with pytest.raises(FileNotFoundError) as raised:
        ltv_lens.analyze(missing)
    assert raised.value.filename == str(missing)


def test_a_source_that_is_neither_a_path_nor_bytes_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        ltv_lens.analyze(42)  # type: ignore[arg-type]
