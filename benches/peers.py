"""The native peers of `make bench`: polars and DuckDB doing the peers' workload (BENCHMARKS.md, "The peers'
workload") on the export with 2 threads, each run paired with the CLI's whole Report on the same file, back to
back; wall time and peak resident memory of each run (a child process per run, measured with os.wait4).
The peers' KPIs (customers, orders, revenue) are checked against the CLI's and printed.

Usage: peers.py FILE [--runs N] [--cli PATH]   (run by `make bench` with the venv's Python)
"""

import argparse
import json
import os
import subprocess
import sys
import time

THREADS = 2
SQL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers.sql")


def duckdb_workload(path):
    import duckdb

    con = duckdb.connect(config={"threads": THREADS})
    statements = open(SQL, encoding="utf-8").read().replace("{{csv}}", path).split("\n;\n")
    for statement in statements[:-3]:
        con.execute(statement)
    kpis, rfm, cohorts = (con.execute(s).fetchall() for s in statements[-3:])
    return {"customers": kpis[0][0], "orders": kpis[0][1], "revenue": kpis[0][2], "repeat_rate": kpis[0][3],
            "rfm_cells": len(rfm), "cohort_cells": len(cohorts)}


def ntile5(n):
    """Scores 1..5 for ranks 0..n-1 as SQL's ntile(5): the first n % 5 groups take one more row."""
    import polars as pl

    q, r = divmod(n, 5)
    i = pl.int_range(0, n, eager=True)
    big = r * (q + 1)
    return pl.select(pl.when(i < big).then(i // (q + 1)).otherwise(r + (i - big) // max(q, 1)) + 1).to_series()


def polars_workload(path):
    import polars as pl

    first = [pl.col(c).drop_nulls().first() for c in ("Email", "Created at", "Total", "Refunded Amount",
                                                      "Financial Status", "Cancelled at")]
    raw = (pl.scan_csv(path, infer_schema=False)
           .select("Name", "Email", "Created at", "Total", "Refunded Amount", "Financial Status", "Cancelled at")
           .group_by("Name").agg(first))
    orders = raw.filter(
        ~pl.col("Financial Status").fill_null("").str.to_lowercase().is_in(["refunded", "voided"])
        & pl.col("Cancelled at").is_null()
    ).select(
        customer=pl.col("Email").str.strip_chars().str.to_lowercase().replace("", None),
        day=pl.col("Created at").str.slice(0, 10).str.to_date("%Y-%m-%d"),
        revenue=pl.col("Total").cast(pl.Float64) - pl.col("Refunded Amount").cast(pl.Float64).fill_null(0),
    ).collect()
    customers = orders.filter(pl.col("customer").is_not_null()).group_by("customer").agg(
        first_day=pl.col("day").min(), last_day=pl.col("day").max(),
        occasions=pl.col("day").n_unique(), revenue=pl.col("revenue").sum())
    n = customers.height
    as_of = orders["day"].max()
    scores = ntile5(n)
    by_rank = [  # (score column, customers in the order of that score's ranks)
        ("r", customers.with_columns(recency=pl.lit(as_of) - pl.col("last_day")).sort("recency", descending=True)),
        ("f", customers.sort("occasions")),
        ("m", customers.sort("revenue")),
    ]
    rfm = pl.DataFrame({"customer": customers["customer"]})
    for score, ranked in by_rank:
        rfm = rfm.join(pl.DataFrame({"customer": ranked["customer"], score: scores}), on="customer")
    rfm = rfm.group_by("r", "f", "m").len()
    cohorts = orders.join(customers.select("customer", "first_day"), on="customer").select(
        cohort=pl.col("first_day").dt.strftime("%Y-%m"),
        months_since=(pl.col("day").dt.year() - pl.col("first_day").dt.year()) * 12
        + pl.col("day").dt.month().cast(pl.Int32) - pl.col("first_day").dt.month().cast(pl.Int32),
        customer=pl.col("customer"),
    ).group_by("cohort", "months_since").agg(active=pl.col("customer").n_unique())
    return {"customers": n, "orders": orders.height, "revenue": orders["revenue"].sum(),
            "repeat_rate": (customers["occasions"] >= 2).mean(), "rfm_cells": rfm.height,
            "cohort_cells": cohorts.height}


def cli_report(path, cli):
    out = subprocess.run([cli, "analyze", "--json", "-q", path], check=True, capture_output=True).stdout
    k = json.loads(out)["kpis"]
    return {key: k[key] for key in ("customers", "orders", "revenue", "repeat_rate")}


def measured(args):
    """Runs this script's --one mode in a child; (wall seconds, peak RSS MiB, the result)."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--one", *args], stdout=subprocess.PIPE,
                             env={**os.environ, "POLARS_MAX_THREADS": str(THREADS)})
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"peers.py: {args[0]} failed")
    return wall, usage.ru_maxrss / 1024, json.loads(out)


def main():
    if sys.argv[1:2] == ["--one"]:
        tool, path, cli = sys.argv[2:5]
        run = {"duckdb": duckdb_workload, "polars": polars_workload}.get(tool)
        print(json.dumps(run(path) if run else cli_report(path, cli)))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--cli", default="target/release/ltv-lens")
    a = parser.parse_args()
    import duckdb
    import polars

    tools = {"cli": "LTV Lens CLI, whole Report", "polars": f"polars {polars.__version__}",
             "duckdb": f"DuckDB {duckdb.__version__}"}
    figures = {tool: [] for tool in tools}
    results = {}
    for run in range(a.runs):
        for peer in ("polars", "duckdb"):
            # Paired: the CLI and the peer back to back, so both meet the same load from other work.
            for tool in ("cli", peer):
                wall, rss, result = measured([tool, a.file, a.cli])
                figures[tool].append((wall, rss))
                results[tool] = result
                print(f"  run {run + 1}: {tools[tool]:<28} {wall:6.2f} s  peak RSS {rss:7.1f} MiB", flush=True)
    cli = results["cli"]
    print("\nKPIs on the same file (customers, orders, revenue, repeat rate):")
    for tool, r in results.items():
        same = all(r[k] == cli[k] for k in ("customers", "orders")) and abs(r["revenue"] - cli["revenue"]) < 0.01
        extra = f"; RFM cells {r['rfm_cells']}, cohort cells {r['cohort_cells']}" if "rfm_cells" in r else ""
        print(f"  {tools[tool]:<28} {r['customers']:>9,} {r['orders']:>10,} {r['revenue']:>18,.2f} "
              f"{r['repeat_rate']:.4f}  {'agrees with the CLI' if same or tool == 'cli' else 'DIFFERS'}{extra}")
        if not same:
            sys.exit("peers.py: a peer's KPIs differ from the CLI's: not the same workload")
    best = {tool: min(f[0] for f in figures[tool]) for tool in tools}
    print(f"\nNative, best of {a.runs} (each peer run paired with a CLI run), {THREADS} threads for the peers:")
    print(f"  {'tool':<28} {'wall':>8} {'peak RSS':>10} {'CLI time ÷ tool time':>22}")
    for tool in tools:
        rss = max(f[1] for f in figures[tool])
        print(f"  {tools[tool]:<28} {best[tool]:7.2f}s {rss:7.0f} MiB {best['cli'] / best[tool]:21.2f}×")


if __name__ == "__main__":
    main()
