"""Choropleth classes: bounds and class of every unit exactly as mapclassify gives them."""

from __future__ import annotations

import mapclassify
import numpy as np
import pandas as pd
import pytest

from landmarks.data.demo_outputs import demo_county_outputs
from landmarks.data.regions import Regions
from landmarks.query.classify import (
    EQUAL_INTERVAL,
    FISHER_JENKS,
    HEAD_TAIL,
    LOG_SCALE,
    QUANTILES,
    SCHEMES,
    classify,
)

# A skewed set like county output: most small, one far ahead (the case that turns an
# equal-interval map one colour).
SKEWED = pd.Series(
    [0.8, 1.2, 1.5, 2.0, 2.2, 3.1, 3.9, 4.4, 5.0, 6.3, 7.7, 9.8, 12.5, 18.0, 40.0, 320.0],
    index=[f"4205{n:02d}" for n in range(16)],
)
MAPCLASSIFY = {
    QUANTILES: lambda y, k: mapclassify.Quantiles(y, k=k),
    FISHER_JENKS: lambda y, k: mapclassify.FisherJenks(y, k=k),
    EQUAL_INTERVAL: lambda y, k: mapclassify.EqualInterval(y, k=k),
    HEAD_TAIL: lambda y, k: mapclassify.HeadTailBreaks(y),
}


@pytest.fixture
def demo_values(tables: dict[str, pd.DataFrame], regions: Regions) -> pd.Series:
    demo = demo_county_outputs(tables["products"], regions)
    year = demo[demo["year"] == demo["year"].max()]
    return pd.Series(year["value"].to_numpy(), index=year["region_adcode"].to_numpy())


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("scheme", list(MAPCLASSIFY))
@pytest.mark.parametrize("k", [3, 5, 7])
def test_bounds_and_classes_are_mapclassifys(scheme: str, k: int, demo_values: pd.Series) -> None:
    for values in (SKEWED, demo_values):
        found = classify(values, scheme, k)
        expected = MAPCLASSIFY[scheme](values.to_numpy(), k)
        assert found is not None
        assert found.bins == pytest.approx(tuple(expected.bins))
        assert found.of_unit.tolist() == list(expected.yb)
        assert list(found.of_unit.index) == list(values.index)
        assert found.counts == tuple(int(c) for c in np.bincount(expected.yb, minlength=found.k))
        assert found.lower == values.min()


@pytest.mark.parametrize("k", [3, 5])
def test_log_scale_splits_orders_of_magnitude_evenly(k: int) -> None:
    found = classify(SKEWED, LOG_SCALE, k)
    assert found is not None
    logs = np.log10(SKEWED.to_numpy())
    expected = 10 ** np.linspace(logs.min(), logs.max(), k + 1)[1:]
    assert found.bins == pytest.approx(tuple(expected))
    assert found.bins[-1] == SKEWED.max()
    # Each value sits in the first class whose upper bound it does not exceed.
    for value, cls in zip(SKEWED, found.of_unit, strict=True):
        assert value <= found.bins[cls] * (1 + 1e-12)
        assert cls == 0 or value > found.bins[cls - 1]
    # Unlike equal intervals, the one big county does not leave the rest in one class.
    equal = classify(SKEWED, EQUAL_INTERVAL, k)
    assert equal is not None and max(found.counts) < equal.counts[0]


def test_log_scale_puts_zeros_in_the_first_class() -> None:
    values = pd.Series([0.0, 0.0, 1.0, 10.0, 100.0], index=list("abcde"))
    found = classify(values, LOG_SCALE, 3)
    assert found is not None
    assert found.of_unit[["a", "b"]].tolist() == [0, 0]
    assert found.lower == 0.0 and found.bins == pytest.approx((10 ** (2 / 3), 10 ** (4 / 3), 100))


def test_missing_values_are_left_out_and_none_gives_no_classes() -> None:
    values = SKEWED.copy()
    values.iloc[[0, 5]] = np.nan
    found = classify(values, QUANTILES, 4)
    assert found is not None
    assert set(found.of_unit.index) == set(values.dropna().index)
    assert sum(found.counts) == len(values) - 2
    assert classify(pd.Series([np.nan, np.nan]), QUANTILES, 4) is None


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_few_distinct_values_give_fewer_classes(scheme: str) -> None:
    same = classify(pd.Series([3.0, 3.0, 3.0]), scheme, 5)
    assert same is not None and same.bins == (3.0,) and same.counts == (3,)
    assert same.requested == 5 and same.k == 1
    two = classify(pd.Series([1.0, 1.0, 2.0, 2.0]), scheme, 5)
    assert two is not None and two.k <= 2 and two.bins[-1] == 2.0


def test_bounds_chain_from_the_smallest_value() -> None:
    found = classify(SKEWED, QUANTILES, 4)
    assert found is not None
    bounds = found.bounds()
    assert bounds[0][0] == SKEWED.min() and bounds[-1][1] == SKEWED.max()
    assert all(bounds[i][1] == bounds[i + 1][0] for i in range(len(bounds) - 1))
