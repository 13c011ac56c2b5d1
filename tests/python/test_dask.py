"""Per-shop fan-out on Dask (examples/dask_shops.py) on a `distributed.LocalCluster` of two worker
processes: every shop's Report, computed on a worker, equals the command line's on that shop's file."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import List

from distributed import Client, LocalCluster

from conftest import ROOT, cli_report


def load_example(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_shop_s_report_from_the_cluster_equals_the_command_line_s(shop_files: List[Path]) -> None:
    dask_shops = load_example("dask_shops")
    sources = [str(p) for p in shop_files]
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, Client(cluster) as client:
        workers = client.run(os.getpid)
        assert len(workers) == 2 and os.getpid() not in workers.values()
        reports = dask_shops.analyze_shops(client, sources, f2_window_days=90)
        again = dask_shops.analyze_shops(client, sources[::-1])
    assert list(reports) == sources
    for path in shop_files:
        assert reports[str(path)] == cli_report(path, "--f2-window", "90")
        assert again[str(path)] == cli_report(path)
    customers = {r["kpis"]["customers"] for r in reports.values()}
    assert len(customers) == 3, "three different shops"
