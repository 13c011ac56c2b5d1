"""`ltv_lens.analyze` returns exactly the Report `ltv-lens analyze --json` prints, on every fixture, the
page's sample and with options; a file given as bytes gives the same Report as its path; files the
command line refuses raise `LtvLensError` with the command line's sentence."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

import ltv_lens
from conftest import cli, cli_report, error_files, order_files


@pytest.mark.parametrize("path", order_files(), ids=lambda p: p.name)
def test_the_report_equals_the_command_line_s_on_every_fixture(path: Path) -> None:
    assert ltv_lens.analyze(path) == cli_report(path)


def test_every_fixture_is_compared() -> None:
    # The fixtures README lists the order files; a folder without them would make the tests above vacuous.
    assert len(order_files()) >= 30 and len(error_files()) >= 4


def test_the_report_equals_the_command_line_s_on_the_sample(sample_file: Path) -> None:
    report = ltv_lens.analyze(str(sample_file))
    assert report == cli_report(sample_file)
    assert report["schema_version"] == ltv_lens.SCHEMA_VERSION
    assert report["models"]["bgnbd"] is not None, "the sample is large enough for the models"


def test_bytes_and_a_path_give_one_report(sample_file: Path) -> None:
    data = sample_file.read_bytes()
    by_path = ltv_lens.analyze(sample_file)
    assert ltv_lens.analyze(data) == by_path
    assert ltv_lens.analyze(bytearray(data)) == by_path
    assert ltv_lens.analyze(memoryview(data)) == by_path


def test_options_are_the_command_line_s(sample_file: Path) -> None:
    report = ltv_lens.analyze(
        sample_file,
        f2_window_days=90,
        as_of=datetime.date(2024, 6, 30),
        f_band_starts=(1, 3, 5, 8, 13),
        horizon_days=180,
        margin=0.4,
        annual_discount_rate=0.1,
        time_unit="week",
    )
    assert report == cli_report(
        sample_file,
        "--f2-window", "90", "--as-of", "2024-06-30", "--f-bands", "1,3,5,8,13",
        "--horizon-days", "180", "--margin", "0.4", "--discount-rate", "0.1", "--time-unit", "week",
    )
    assert report["as_of"] == "2024-06-30" and report["kpis"]["f2"]["window_days"] == 90


def test_a_picked_model_is_the_command_line_s(sample_file: Path) -> None:
    report = ltv_lens.analyze(sample_file, model="pareto_nbd")
    assert report == cli_report(sample_file, "--model", "pareto_nbd")
    assert report["models"]["chosen"] == "pareto_nbd" and report["models"]["chosen_by"] == "user"
    with pytest.raises(ltv_lens.LtvLensError) as raised:
        ltv_lens.analyze(sample_file, model="gamma_gamma")
    assert raised.value.code == "invalid_option"


def test_column_overrides_are_the_command_line_s() -> None:
    path = Path(__file__).resolve().parents[1] / "fixtures" / "generic_customer_id.csv"
    report = ltv_lens.analyze(path, columns={"customer_id": None})
    assert report == cli_report(path, "--column", "customer_id=")
    assert report != ltv_lens.analyze(path)


@pytest.mark.parametrize("path", error_files(), ids=lambda p: p.name)
def test_a_refused_file_raises_the_command_line_s_sentence(path: Path) -> None:
    done = cli("analyze", str(path), "--json", "--quiet")
    assert done.returncode == 1
    with pytest.raises(ltv_lens.LtvLensError) as raised:
        ltv_lens.analyze(path)
    assert done.stderr.decode().strip() == f"error: {raised.value.message}"
    assert raised.value.code in {"empty", "no_header", "no_rows", "not_text", "no_usable_rows"}


def test_a_path_is_a_str_or_a_path_like(sample_file: Path) -> None:
    class Named(os.PathLike):
        def __fspath__(self) -> str:
            return str(sample_file)

    assert ltv_lens.analyze(Named()) == ltv_lens.analyze(str(sample_file))
