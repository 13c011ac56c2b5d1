"""Shared pieces of the Python tests: the release command line the package is compared with, the
fixtures, and shop files written by `ltv-lens sample`. The `ltv_lens` package must be installed (make
python-test installs the wheel of `make python` into target/py-venv); nothing here skips itself."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CLI = Path(os.environ.get("LTV_LENS_CLI", ROOT / "target" / "release" / "ltv-lens"))


def cli(*args: str) -> subprocess.CompletedProcess:
    """Runs the command line; it must exist (`cargo build --release -p ltv-lens-cli`)."""
    assert CLI.exists(), f"{CLI} is missing: build it with cargo build --release -p ltv-lens-cli"
    return subprocess.run([str(CLI), *args], capture_output=True, check=False)


def cli_report(path: Path, *flags: str) -> Dict:
    """The Report `ltv-lens analyze --json` prints."""
    done = cli("analyze", str(path), "--json", "--quiet", *flags)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def order_files() -> List[Path]:
    """Every order fixture (the `error_*` files are not order files)."""
    return sorted(p for p in FIXTURES.glob("*.csv") if not p.name.startswith("error_"))


def error_files() -> List[Path]:
    return sorted(FIXTURES.glob("error_*.csv"))


def write_sample(path: Path, customers: int, seed: int) -> Path:
    done = cli("sample", "--customers", str(customers), "--seed", str(seed), "-o", str(path))
    assert done.returncode == 0, done.stderr.decode()
    return path


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory) -> Path:
    """The page's sample (`make www` writes it with these arguments)."""
    return write_sample(tmp_path_factory.mktemp("sample") / "sample-orders.csv", 1500, 1)


@pytest.fixture(scope="session")
def shop_files(tmp_path_factory) -> List[Path]:
    """Three shops' exports of different sizes and seeds."""
    folder = tmp_path_factory.mktemp("shops")
    return [
        write_sample(folder / f"shop-{seed}.csv", customers, seed)
        for seed, customers in [(11, 300), (12, 800), (13, 500)]
    ]




@pytest.fixture(scope="session")
def spark():
    """One local Spark session (2 cores) for every Spark test; its Python workers are this interpreter."""
    import sys

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("ltv-lens tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
