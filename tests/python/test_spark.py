"""One history sharded by customer on Spark (examples/spark_history.py) in local mode: the Report from the
merged partial states of the partitions equals the command line's Report of the whole file, whatever the
number of partitions and the order and grouping of the merges."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import ltv_lens
from conftest import cli_report, write_sample
from test_dask import load_example


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    return write_sample(tmp_path_factory.mktemp("history") / "history.csv", 2500, 5)


@pytest.fixture(scope="module")
def spark_history():
    return load_example("spark_history")


def test_the_sharded_report_equals_the_single_machine_one(spark, history, spark_history) -> None:
    orders = spark_history.read_exports(spark, [str(history)])
    for partitions in (1, 4):
        report = spark_history.history_report(orders, "Email", partitions)
        assert report == cli_report(history), f"{partitions} partitions"


def test_a_line_order_column_restores_the_export_s_order(spark, history, spark_history) -> None:
    from pyspark.sql import functions as F

    lines = spark_history.read_exports(spark, [str(history)]).withColumn("line", F.monotonically_increasing_id())
    scrambled = lines.repartition(3)  # round robin: the rows are no longer in the export's order
    report = spark_history.history_report(scrambled, "Email", 4, order_by="line")
    assert report == cli_report(history)


def test_merging_in_any_order_and_grouping_gives_the_same_report(spark, history, spark_history) -> None:
    orders = spark_history.read_exports(spark, [str(history)])
    options = {"as_of": "2024-06-30", "f2_window_days": 90}
    states = spark_history.partials(orders, "Email", 5, **options)
    assert len(states) == 5, "every partition holds customers"
    want = cli_report(history, "--as-of", "2024-06-30", "--f2-window", "90")
    rng = random.Random(17)
    for _ in range(3):
        shuffled = states[:]
        rng.shuffle(shuffled)
        assert ltv_lens.report(ltv_lens.merge(shuffled), **options) == want
        # A tree of pairwise merges in a random order.
        while len(shuffled) > 1:
            a = shuffled.pop(rng.randrange(len(shuffled)))
            b = shuffled.pop(rng.randrange(len(shuffled)))
            shuffled.append(ltv_lens.merge([a, b]))
        assert ltv_lens.report(shuffled[0], **options) == want
