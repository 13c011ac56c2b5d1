"""`ltv_lens.fit` on a summary table built here from the public CDNOW sample (tests/data/cdnow): the
published BG/NBD and Gamma-Gamma optima the Rust tests pin (Fader, Hardie & Lee 2005; Fader & Hardie
2013), from lists and from NumPy and pyarrow columns; and the refusals."""

from __future__ import annotations

import datetime
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np
import pyarrow as pa
import pytest

import ltv_lens

CDNOW = Path(__file__).resolve().parents[1] / "data" / "cdnow" / "CDNOW_sample.txt"
END = datetime.date(1997, 9, 30)  # the last day of the 39-week calibration period


def day(text: str) -> datetime.date:
    return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))


def calibration() -> Tuple[List[float], List[float], List[float], List[float]]:
    """x, t_x, T in weeks (T to 1997-09-30) and the mean repeat value; one transaction per day."""
    days: Dict[str, Dict[datetime.date, float]] = defaultdict(lambda: defaultdict(float))
    for line in CDNOW.read_text().splitlines():
        customer, _sample, date, _cds, dollars = line.split()
        if day(date) <= END:
            days[customer][day(date)] += float(dollars)
    x, t_x, t, money = [], [], [], []
    for spend in days.values():
        ordered = sorted(spend)
        repeats = [spend[d] for d in ordered[1:]]
        x.append(float(len(ordered) - 1))
        t_x.append((ordered[-1] - ordered[0]).days / 7)
        t.append((END - ordered[0]).days / 7)
        money.append(sum(repeats) / len(repeats) if repeats else 0.0)
    return x, t_x, t, money


def within(got: float, want: float, percent: float = 1.0) -> bool:
    return abs(got - want) <= abs(want) * percent / 100


def test_bgnbd_reproduces_the_published_cdnow_optimum() -> None:
    x, t_x, t, _ = calibration()
    assert (len(x), sum(1 for v in x if v > 0)) == (2357, 946)
    fit = ltv_lens.fit(x, t_x, t)
    assert fit["model"] == "bgnbd"
    published = {"r": 0.2425945, "alpha": 4.4136019, "a": 0.7929199, "b": 2.4258881}
    for name, value in published.items():
        assert within(fit["params"][name], value), (name, fit["params"][name])
        assert fit["standard_errors"][name] > 0
    assert abs(fit["log_likelihood"] - -9582.429) <= 0.1
    assert (fit["customers"], fit["repeat_customers"]) == (2357, 946)


def test_columns_of_numpy_and_pyarrow_give_the_same_fit() -> None:
    x, t_x, t, _ = calibration()
    from_lists = ltv_lens.fit(x, t_x, t)
    assert ltv_lens.fit(np.array(x, dtype=np.int64), np.array(t_x), np.array(t)) == from_lists
    assert ltv_lens.fit(pa.array(x), pa.array(t_x), pa.array(t), model="bgnbd") == from_lists


def test_gamma_gamma_reproduces_the_published_cdnow_optimum() -> None:
    x, t_x, t, money = calibration()
    fit = ltv_lens.fit(x, t_x, t, model="gamma_gamma", monetary_value=money)
    for name, value in {"p": 6.2496, "q": 3.7442, "gamma": 15.4435}.items():
        assert within(fit["params"][name], value), (name, fit["params"][name])
    p, q, gamma = (fit["params"][k] for k in ("p", "q", "gamma"))
    assert fit["customers"] == 946
    assert abs(fit["population_mean_value"] - p * gamma / (q - 1)) <= 1e-9 * p * gamma


def test_data_that_cannot_fit_a_model_are_refused_with_a_code() -> None:
    with pytest.raises(ltv_lens.LtvLensError) as raised:
        ltv_lens.fit([0, 0, 1], [0, 0, 2], [10, 12, 14])  # one repeat customer: not identified
    assert raised.value.code == "model_not_fitted"
    assert raised.value.args["message"] == raised.value.message
    with pytest.raises(ltv_lens.LtvLensError) as raised:
        ltv_lens.fit([1, 2], [3], [4, 5])
    assert raised.value.code == "invalid_option"
    with pytest.raises(ltv_lens.LtvLensError) as raised:
        ltv_lens.fit([1], [1], [2], model="pareto_nbd")
    assert "neither bgnbd nor gamma_gamma" in raised.value.message
    with pytest.raises(ltv_lens.LtvLensError):
        ltv_lens.fit([1], [1], [2], model="gamma_gamma")
