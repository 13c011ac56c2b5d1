"""One huge order history on Spark: the rows repartitioned by customer (every order of a customer in one
partition), each partition read by the LTV Lens core into a compact partial state (`ltv_lens.partial`,
through `mapInArrow`), the states merged on the driver (`ltv_lens.merge`) and finished into the Report
(`ltv_lens.report`): the same Report a single machine computes from the whole file. Spark reads, shuffles
and schedules; the core never sees more than one partition at a time, and the driver holds one state,
whose size follows the number of customers (not of orders).

    spark-submit examples/spark_history.py hdfs:///exports/orders-*.csv --customer-column Email --out report.json
    python examples/spark_history.py orders.csv --customer-column Email --master 'local[4]' --out report.json

`orders` may be any DataFrame of order rows with the export's column names and text values (a CSV read
with its header, a Parquet copy, a table). The partition key is the customer column with case and
surrounding spaces folded, as the core folds e-mails; guest rows (no customer) may land anywhere. Within
a partition the rows keep the order they had in the input, so an order's line items are read as in the
file. Options are `ltv_lens.analyze`'s keyword arguments, given to every shard and to the final Report.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import ltv_lens


def partials(
    orders: Any,
    customer_column: str,
    partitions: Optional[int] = None,
    order_by: Optional[str] = None,
    **options: Any,
) -> List[bytes]:
    """One serialised partial state per non-empty partition of `orders` repartitioned by customer. The
    rows of a partition keep the input's order, or the order of the column `order_by` (a line number
    kept when the export was landed, say), which is left out of the shards. Only the columns the core
    reads (`ltv_lens.columns_read` of the header) are shuffled and handed to it."""
    from pyspark.sql import functions as F

    count = partitions or orders.rdd.getNumPartitions()
    if order_by is None:
        order_by = "_ltv_lens_row"
        orders = orders.withColumn(order_by, F.monotonically_increasing_id())
    read = ltv_lens.columns_read(header_line(orders.columns), **options)
    key = "_ltv_lens_customer"
    sharded = (
        orders.withColumn(key, F.lower(F.trim(F.col(quoted(customer_column)))))
        .select(*[F.col(quoted(name)) for name in [*read, order_by, key]])
        .repartition(count, key)
        .sortWithinPartitions(order_by)
        .drop(order_by, key)
    )

    def shard(batches):
        import pyarrow as pa
        import pyarrow.csv as pacsv

        import ltv_lens

        # The partition's rows written as CSV batch by batch, as they come, then read by the core.
        sink, writer = pa.BufferOutputStream(), None
        for batch in batches:
            if batch.num_rows == 0:
                continue
            if writer is None:
                writer = pacsv.CSVWriter(sink, batch.schema)
            writer.write_batch(batch)
        if writer is None:
            return
        writer.close()
        state = ltv_lens.partial(sink.getvalue().to_pybytes(), **options)
        yield pa.RecordBatch.from_pydict({"state": [state]}, pa.schema([("state", pa.binary())]))

    return [row.state for row in sharded.mapInArrow(shard, "state binary").collect()]


def header_line(names: List[str]) -> bytes:
    """A CSV header row of `names`, as the export had it."""
    import csv
    import io

    text = io.StringIO(newline="")
    csv.writer(text).writerow(names)
    return text.getvalue().encode("utf-8")


def quoted(name: str) -> str:
    """A column name for `F.col`, taken literally (dots and spaces included)."""
    return "`" + name.replace("`", "``") + "`"


def history_report(
    orders: Any,
    customer_column: str,
    partitions: Optional[int] = None,
    order_by: Optional[str] = None,
    **options: Any,
) -> Dict[str, Any]:
    """The Report of every order in `orders`, computed shard by shard on the cluster."""
    states = partials(orders, customer_column, partitions, order_by, **options)
    return ltv_lens.report(ltv_lens.merge(states), **options)


def read_exports(spark: Any, paths: List[str]) -> Any:
    """Order exports (UTF-8 CSV with a header row) as a DataFrame of text columns."""
    return spark.read.csv(paths, header=True, multiLine=True, escape='"', inferSchema=False)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("paths", nargs="+", help="order exports (UTF-8 CSV), any path Spark reads")
    parser.add_argument("--customer-column", required=True, help="the customer id or e-mail column")
    parser.add_argument("--partitions", type=int, help="shards (default: the input's partitions)")
    parser.add_argument("--master", help="e.g. local[4] (default: spark-submit's)")
    parser.add_argument("--out", type=Path, required=True, help="the Report as JSON")
    parser.add_argument("--as-of")
    args = parser.parse_args(argv)
    options = {"as_of": args.as_of} if args.as_of else {}

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("ltv-lens history")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        report = history_report(read_exports(spark, args.paths), args.customer_column, args.partitions, **options)
    finally:
        spark.stop()
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    kpis = report["kpis"]
    print(f"{kpis['customers']} customers, {kpis['orders']} orders, repeat rate {kpis['repeat_rate']}")


if __name__ == "__main__":
    main()
