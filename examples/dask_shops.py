"""Per-shop fan-out on Dask: one LTV Lens Report for each shop's order export, analysed in parallel on a
Dask cluster (a `distributed.LocalCluster` here, or any cluster's scheduler address). Each task is one
whole file through `ltv_lens.analyze` on one worker: Dask schedules, retries and moves the Reports; the
core stays single-machine and never needs more than one shop in memory.

    python examples/dask_shops.py shops/*.csv --out reports/            # a local cluster
    python examples/dask_shops.py s3://bucket/exports/*.csv --scheduler tcp://scheduler:8786 --out reports/

Paths must be readable by the workers: a shared file system, or URLs that fsspec opens (s3://, gs://,
abfs://, with that store's fsspec package installed on the workers), read as bytes on the worker.
Options are `ltv_lens.analyze`'s keyword arguments (`--f2-window-days 90` → `f2_window_days=90`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Dict, List, Sequence

import ltv_lens


def analyze_shops(client: Any, sources: Sequence[str], **options: Any) -> Dict[str, Dict[str, Any]]:
    """The Report of each source (a path or an fsspec URL), by source, computed on `client`'s workers."""

    def analyze(source: str) -> Dict[str, Any]:
        if "://" in source:
            import fsspec

            with fsspec.open(source, "rb") as file:
                return ltv_lens.analyze(file.read(), **options)
        return ltv_lens.analyze(source, **options)

    # pure=False: each call is new work (the options live in the closure, which Dask's keys do not see).
    futures = client.map(analyze, list(sources), pure=False)
    return dict(zip(sources, client.gather(futures)))


def main(argv: List[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("sources", nargs="+", help="order exports: paths or fsspec URLs")
    parser.add_argument("--scheduler", help="a Dask scheduler's address (default: a local cluster)")
    parser.add_argument("--workers", type=int, default=2, help="local cluster workers (default 2)")
    parser.add_argument("--out", type=Path, required=True, help="folder for one Report JSON per shop")
    parser.add_argument("--f2-window-days", type=int)
    parser.add_argument("--as-of")
    args = parser.parse_args(argv)
    options = {k: v for k, v in {"f2_window_days": args.f2_window_days, "as_of": args.as_of}.items() if v}

    from distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
    else:
        client = Client(LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True))
    with client:
        reports = analyze_shops(client, args.sources, **options)
    args.out.mkdir(parents=True, exist_ok=True)
    for source, report in reports.items():
        name = Path(source.rsplit("/", 1)[-1]).stem
        (args.out / f"{name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
        kpis = report["kpis"]
        print(f"{name}: {kpis['customers']} customers, repeat rate {kpis['repeat_rate']}")


if __name__ == "__main__":
    main()
