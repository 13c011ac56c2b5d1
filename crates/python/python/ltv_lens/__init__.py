"""LTV Lens for Python: repeat-purchase analytics of e-commerce order exports.

The same Rust core as the ``ltv-lens`` command line and the page, as a Python package::

    import ltv_lens

    report = ltv_lens.analyze("orders_export.csv", f2_window_days=90)   # the CLI's --json, as a dict
    report["kpis"]["repeat_rate"], report["rfm"]["segments"]
    table = ltv_lens.customers("orders_export.csv", filter={"segment": "at_risk"})  # pyarrow.Table
    ltv_lens.fit(frequency, recency, T)          # BG/NBD on a summary table you already have

    # One history sharded by customer (every order of a customer in one shard), on any engine:
    parts = [ltv_lens.partial(shard) for shard in shards]      # compact bytes, one per shard
    report = ltv_lens.report(ltv_lens.merge(parts))             # = analyze(the whole history)

``source`` is a path (``str`` or ``os.PathLike``) or the file's bytes (``bytes``, ``bytearray``,
``memoryview``). Options are keyword arguments named as the core's options: ``f2_window_days``,
``as_of`` (``"YYYY-MM-DD"`` or a ``datetime.date``), ``f_band_starts``, ``horizon_days``, ``margin``,
``annual_discount_rate``, ``time_unit`` (``"day"``/``"week"``), ``holdout_split``, ``date_order``
(``"month-first"``/``"day-first"``), ``subscription_lapse_days``, ``columns`` (a dict role key →
header name, or ``None`` for "not used"), ``model`` (``"bgnbd"``, ``"mbgnbd"`` or ``"pareto_nbd"``, as
``--model``) and ``models``. The interpreter is released while the core works, so threads
analyse files in parallel. A file, option or fit the core refuses raises :class:`LtvLensError`; a file
that cannot be opened raises the usual ``OSError``.
"""

from __future__ import annotations

import datetime as _datetime
import json as _json
import os as _os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _ltv_lens
from ._error import LtvLensError

__all__ = [
    "analyze",
    "customers",
    "fit",
    "partial",
    "merge",
    "report",
    "columns_read",
    "LtvLensError",
    "SCHEMA_VERSION",
    "__version__",
]

__version__: str = _ltv_lens.__version__
#: The Report's ``schema_version`` this package writes.
SCHEMA_VERSION: int = _ltv_lens.SCHEMA_VERSION

Source = Union[str, "_os.PathLike[str]", bytes, bytearray, memoryview]


def analyze(source: Source, **options: Any) -> Dict[str, Any]:
    """The Report of an order export: exactly what ``ltv-lens analyze --json`` prints, as a dict."""
    return _json.loads(_ltv_lens.analyze_json(_source(source), _options(options)))


def customers(
    source: Source, filter: Optional[Mapping[str, Any]] = None, **options: Any
) -> "pyarrow.Table":  # noqa: F821 - pyarrow is imported when called
    """The customer list of ``ltv-lens customers`` as a typed ``pyarrow.Table``, highest revenue first.

    ``filter`` takes one of ``{"segment": KEY}``, ``{"lapse": "overdue" | "dormant" | "active"}``,
    ``{"cohort": "YYYY-MM"}``, ``{"top_clv": N}``, ``{"first_product": NAME}``,
    ``{"first_channel": NAME}``, ``{"subscription": STATE}``, ``{"no_purchase_above": P}``; ``None`` is
    every customer. Dates are
    ``date32``, counts unsigned integers, money and model outputs ``float64``, missing values null; text
    is as in the file (a CSV list neutralises cells a spreadsheet would run as formulas; the table does
    not need to).
    """
    import pyarrow as pa

    rows = _ltv_lens.customer_rows(_source(source), dict(filter or {}), _options(options))
    types = _column_types()
    schema = pa.schema([(name, types[name]) for name in _ltv_lens.customer_columns()])
    read = pa.schema(
        [(f.name, pa.string() if pa.types.is_date(f.type) else f.type) for f in schema]
    )
    return pa.Table.from_pylist(rows, schema=read).cast(schema)


def fit(
    frequency: Iterable[float],
    recency: Iterable[float],
    T: Iterable[float],
    model: str = "bgnbd",
    monetary_value: Optional[Iterable[float]] = None,
) -> Dict[str, Any]:
    """Fits the core's BG/NBD (``model="bgnbd"``) or Gamma-Gamma (``"gamma_gamma"``) model by maximum
    likelihood on one value per customer: ``frequency`` (repeat purchases x), ``recency`` (time from the
    first to the last purchase) and ``T`` (time from the first purchase to the end of the observation),
    in one time unit, as the ``lifetimes`` package names them; Gamma-Gamma also takes
    ``monetary_value``, the mean value of each customer's repeat purchases. Lists, NumPy arrays, pandas
    Series and pyarrow arrays are accepted.

    Returns ``{"model", "params", "standard_errors", "log_likelihood", "customers", ...}`` with
    ``params`` ``{r, alpha, a, b}`` (BG/NBD; ``alpha`` in the data's time unit) or ``{p, q, gamma}``
    (Gamma-Gamma), a standard error of each (``None`` where the Hessian is not positive definite), and
    ``repeat_customers`` (BG/NBD) or ``population_mean_value`` and ``spend_frequency_correlation``
    (Gamma-Gamma). Data that cannot
    identify the model raise :class:`LtvLensError` with the code ``model_not_fitted``.
    """
    money = None if monetary_value is None else _floats(monetary_value)
    return _ltv_lens.fit(model, _floats(frequency), _floats(recency), _floats(T), money)


def partial(source: Source, name: Optional[str] = None, **options: Any) -> bytes:
    """The partial state of one shard of a history: every order of each of its customers (a customer's
    orders must not be split between shards; guest orders may go anywhere), read into the core's
    compact, versioned per-customer state (README "Partial states"). Options that apply when a file is
    read (``columns``, ``date_order``) must be the same for every shard. ``name`` names the shard: once
    states are merged, each located warning of the shard carries it as ``args["shard"]`` (the rows
    of located warnings are lines of the shard's own file)."""
    return _ltv_lens.partial(_source(source), _options(options), name)


def merge(states: Iterable[Union[bytes, bytearray, memoryview]]) -> bytes:
    """Partial states merged into one. Merging is associative and commutative: states may be merged in
    any grouping and order (a tree on an engine's workers, or all at once on its driver)."""
    return _ltv_lens.merge([bytes(s) if not isinstance(s, bytes) else s for s in states])


def report(state: Union[bytes, bytearray, memoryview], **options: Any) -> Dict[str, Any]:
    """The Report of a (merged) partial state: when every customer's orders were in one shard, exactly
    what :func:`analyze` returns for the whole history with the same options."""
    data = state if isinstance(state, bytes) else bytes(state)
    return _json.loads(_ltv_lens.report_json(data, _options(options)))


def columns_read(source: Source, **options: Any) -> List[str]:
    """The header names of the columns the core reads in an export (from its first 64 KiB: a path,
    the file's bytes, or only its header line), in file order: the columns with a role in
    ``input.columns``, those that together identify a customer, and those that recognise the platform's
    format. An export cut down to these columns, in this order, gives the same Report (apart from the
    lines of located warnings when a dropped cell held a line break), so an engine that moves the rows
    of a large history need carry no other column. ``columns`` overrides apply; an export without a
    header raises :class:`LtvLensError` as :func:`analyze` would."""
    return _ltv_lens.columns_read(_source(source), _options(options))


def _source(source: Source) -> Union[str, bytes]:
    if isinstance(source, (bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, bytes):
        return source
    return _os.fspath(source)


def _options(options: Mapping[str, Any]) -> Dict[str, Any]:
    """Keyword options as the core reads them: dates as ISO text, sequences as lists; ``today`` (for the
    outlier-date check) is the machine's local date unless given, as on the command line."""
    out: Dict[str, Any] = {"today": _datetime.date.today().isoformat()}
    for name, value in options.items():
        if isinstance(value, (_datetime.date, _datetime.datetime)):
            value = value.isoformat()[:10]
        elif name == "f_band_starts" and value is not None:
            value = [int(v) for v in value]
        out[name] = value
    return out


def _floats(values: Iterable[float]) -> Sequence[float]:
    """A column as a list of floats (NumPy, pandas and pyarrow columns have ``tolist``)."""
    tolist = getattr(values, "tolist", None) or getattr(values, "to_pylist", None)
    return [float(v) for v in (tolist() if tolist is not None else values)]


def _column_types() -> Dict[str, Any]:
    import pyarrow as pa

    text, date, count, score, real = pa.string(), pa.date32(), pa.uint32(), pa.uint8(), pa.float64()
    return {
        "customer_key": text,
        "email": text,
        "name": text,
        "first_purchase": date,
        "second_purchase": date,
        "last_purchase": date,
        "occasions": count,
        "orders": count,
        "revenue": real,
        "recency_days": pa.int64(),
        "r": score,
        "f": score,
        "m": score,
        "segment": text,
        "lapse": text,
        "p_alive": real,
        "expected_purchases": real,
        "expected_value": real,
        "clv": real,
        "first_product": text,
        "first_channel": text,
        "first_discount": pa.bool_(),
        "subscription": text,
        "subscription_deliveries": text,
        "last_delivery": date,
        "p_no_purchase": real,
        "p_alive_low": real,
        "p_alive_high": real,
        "p_no_purchase_low": real,
        "p_no_purchase_high": real,
        "expected_purchases_low": real,
        "expected_purchases_high": real,
        "clv_low": real,
        "clv_high": real,
    }
