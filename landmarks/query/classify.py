"""Classes for a choropleth: mapclassify's schemes, and a log scale, as plain data.

Skewed county figures (one county far ahead of the rest) turn an equal-interval map one
colour, so users choose the scheme: quantiles, Fisher–Jenks natural breaks, equal
interval, head/tail breaks (for heavy tails; it sets its own number of classes) or a log
scale (equal intervals of log10 of the positive values, bounds shown in the values' own
unit).  The class bounds are mapclassify's own ``bins``: each class holds the values up to
and including its upper bound, the first class starting at the smallest value.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from landmarks.i18n import N_

QUANTILES = "quantiles"
FISHER_JENKS = "fisher_jenks"
EQUAL_INTERVAL = "equal_interval"
HEAD_TAIL = "head_tail"
LOG_SCALE = "log"
SCHEMES: dict[str, str] = {
    QUANTILES: N_("分位数（每级县数相近）"),
    FISHER_JENKS: N_("自然断点（Fisher–Jenks）"),
    EQUAL_INTERVAL: N_("等间距"),
    HEAD_TAIL: N_("头尾断点（适合少数县特别大）"),
    LOG_SCALE: N_("对数刻度（按数量级等分）"),
}
# Schemes whose number of classes the data decides.
SELF_SIZED: frozenset[str] = frozenset({HEAD_TAIL})
MIN_CLASSES = 3
MAX_CLASSES = 7
DEFAULT_CLASSES = 5


@dataclass(frozen=True)
class Classes:
    """Classes of the units that have a value.

    ``bins`` are the upper bounds (ascending, the last is the maximum); ``lower`` the
    smallest value of the first class; ``of_unit`` maps each unit (the values' index) to
    its class, 0-based; ``counts`` the units per class.  ``requested`` is the number of
    classes asked for; fewer are made when the values have too few distinct values.
    """

    scheme: str
    bins: tuple[float, ...]
    lower: float
    of_unit: pd.Series
    counts: tuple[int, ...]
    requested: int

    @property
    def k(self) -> int:
        return len(self.bins)

    def bounds(self) -> list[tuple[float, float]]:
        """(lower, upper) of each class; a class's lower bound is the previous upper one."""
        lowers = [self.lower, *self.bins[:-1]]
        return list(zip(lowers, self.bins, strict=True))


def _mapclassify(values: np.ndarray, scheme: str, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(bins, yb) from mapclassify; imported here, on the first map drawn."""
    import mapclassify

    with warnings.catch_warnings():
        # "Numba not installed" and "not enough unique values": both change nothing the
        # classes here do not already report (their number is read from the bins).
        warnings.simplefilter("ignore", UserWarning)
        if scheme == QUANTILES:
            found = mapclassify.Quantiles(values, k=k)
        elif scheme == FISHER_JENKS:
            found = mapclassify.FisherJenks(values, k=k)
        elif scheme == EQUAL_INTERVAL:
            found = mapclassify.EqualInterval(values, k=k)
        elif scheme == HEAD_TAIL:
            found = mapclassify.HeadTailBreaks(values)
        else:
            raise ValueError(f"unknown scheme {scheme!r}; expected one of {list(SCHEMES)}")
    return np.asarray(found.bins, dtype=float), np.asarray(found.yb, dtype=int)


def log_bins(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` equal intervals of log10 over the positive values, as values.

    Zeros and negatives fall into the first class.  The top bound is the maximum itself.
    """
    positive = values[values > 0]
    if positive.size == 0:
        return np.array([float(values.max())])
    logs = np.log10(positive)
    low, high = float(logs.min()), float(logs.max())
    if math.isclose(low, high):
        return np.array([float(positive.max())])
    bins = 10 ** np.linspace(low, high, k + 1)[1:]
    bins[-1] = float(positive.max())
    return bins


def classify(values: pd.Series, scheme: str, k: int = DEFAULT_CLASSES) -> Classes | None:
    """Classes of the non-missing ``values`` (indexed by unit), or None when there are none."""
    present = values.dropna().astype(float)
    if present.empty:
        return None
    array = present.to_numpy()
    distinct = int(np.unique(array).size)
    asked = int(k)
    k = max(1, min(asked, distinct))
    if distinct == 1:
        bins, yb = np.array([float(array[0])]), np.zeros(array.size, dtype=int)
    elif scheme == LOG_SCALE:
        bins = log_bins(array, k)
        yb = np.minimum(np.searchsorted(bins, array, side="left"), bins.size - 1)
    else:
        bins, yb = _mapclassify(array, scheme, k)
    counts = np.bincount(yb, minlength=bins.size)
    return Classes(
        scheme=scheme,
        bins=tuple(float(b) for b in bins),
        lower=float(array.min()),
        of_unit=pd.Series(yb, index=present.index, dtype=int),
        counts=tuple(int(c) for c in counts),
        requested=asked,
    )
