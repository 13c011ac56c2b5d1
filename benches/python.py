"""`make bench-python`: one generated history analysed by the CLI alone, by the Python package in one
process, and sharded by customer on Spark in local mode with 1, 2 and 4 worker threads
(examples/spark_history.py: repartition by customer, `ltv_lens.partial` per partition through
`mapInArrow`, merge and Report on the driver). Spark reads the export from a Parquet copy written once
before the runs (timed apart): a CSV with quoted line breaks, as exports have, must be read with
`multiLine`, which Spark cannot split, so a cluster would land it once (with its line order as a
column, in as many files as partitions) and shard the copy. Each run is a child process; its wall time and the peak of
the summed resident memory of its whole process tree (the JVM and Spark's Python workers included) are
sampled every 50 ms with psutil. Every run's Report must equal the CLI's.

Usage: python.py FILE [--cli PATH] [--workers 1,2,4] [--partitions N]   (run by `make bench-python`)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def measure(command, out_path):
    """Runs `command`, returns (seconds, peak MiB of the process tree, the JSON it wrote to out_path)."""
    start = time.perf_counter()
    child = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while child.poll() is None:
        total = 0
        try:
            for p in [child, *child.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        peak = max(peak, total)
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        sys.exit(f"{command[:3]} failed: {child.stderr.read().decode()[-2000:]}")
    return seconds, peak / 2**20, json.loads(Path(out_path).read_text())


def child(kind, path, out, workers, partitions):
    """One measured run, in its own process (for "land", `out` is the Parquet folder written)."""
    if kind == "python":
        import ltv_lens

        report = ltv_lens.analyze(path)
    else:
        import importlib.util

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        from pyspark.sql import SparkSession

        spec = importlib.util.spec_from_file_location("spark_history", ROOT / "examples" / "spark_history.py")
        spark_history = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(spark_history)
        spark = (
            SparkSession.builder.master(f"local[{workers}]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "4g")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        try:
            if kind == "land":
                # The line order kept as a column, the rows spread over `partitions` files by it.
                from pyspark.sql import functions as F

                rows = spark_history.read_exports(spark, [path]).withColumn("line", F.monotonically_increasing_id())
                rows.repartitionByRange(partitions, "line").write.mode("overwrite").parquet(out)
                return
            orders = spark.read.parquet(path)
            report = spark_history.history_report(orders, "Email", partitions, order_by="line")
        finally:
            spark.stop()
    Path(out).write_text(json.dumps(report))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--cli", default=str(ROOT / "target" / "release" / "ltv-lens"))
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--child", choices=["python", "land", "spark"])
    parser.add_argument("--out")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.out, args.threads, args.partitions)
        return

    size = os.path.getsize(args.file) / 2**20
    print(f"history: {args.file}, {size:.0f} MiB; Spark with {args.partitions} partitions; {os.cpu_count()} cores")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report.json")
        shell = f'"{args.cli}" analyze "{args.file}" --json --quiet > "{out}"'
        seconds, mib, want = measure(["bash", "-c", shell], out)
        rows.append(("CLI alone (ltv-lens analyze --json)", seconds, mib))
        me = [sys.executable, __file__, args.file, "--out", out, "--partitions", str(args.partitions)]
        seconds, mib, got = measure([*me, "--child", "python"], out)
        assert got == want, "ltv_lens.analyze differs from the CLI"
        rows.append(("Python, ltv_lens.analyze in one process", seconds, mib))
        parquet = os.path.join(tmp, "history.parquet")
        land = [sys.executable, __file__, args.file, "--out", parquet, "--child", "land", "--threads", "2",
                "--partitions", str(args.partitions)]
        start = time.perf_counter()
        subprocess.run(land, check=True, stderr=subprocess.DEVNULL)
        print(f"landing the CSV as Parquet (Spark local[2], multiLine): {time.perf_counter() - start:.1f} s")
        sharded = [sys.executable, __file__, parquet, "--out", out, "--partitions", str(args.partitions)]
        for workers in [int(w) for w in args.workers.split(",")]:
            seconds, mib, got = measure([*sharded, "--child", "spark", "--threads", str(workers)], out)
            assert got == want, f"Spark local[{workers}] differs from the CLI"
            rows.append((f"Spark local[{workers}]: partial per partition, merge on the driver", seconds, mib))
    print("| run | wall time | peak memory (process tree) |")
    print("|---|---|---|")
    for name, seconds, mib in rows:
        print(f"| {name} | {seconds:.1f} s | {mib:.0f} MiB |")
    print("Every run's Report equals the CLI's.")


if __name__ == "__main__":
    main()
