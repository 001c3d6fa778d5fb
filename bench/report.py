"""The benchmark's one table: every measure of every scale, before and after, judged
against the issue's budgets (issue 23), and stored as JSON so that a later run can be
set beside an earlier one (``python -m bench --before results-before.json``).

A row is one measure of one scale, known by a key that does not change with its label
(``filter.map``, ``page.explorer.rerun`` ...), so rows of two runs pair up even when
their repetitions differ.  A budget is a limit on the AFTER value; every Hubei measure
without a budget must be no worse than before, within a tolerance for noise
(``TOLERANCE``): this machine is shared, so two runs of the same code differ.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

UNITS = ("ms", "bytes", "MiB", "count")


@dataclass(frozen=True)
class Row:
    """One measure: its value in ``unit`` (None: not measured, ``note`` says why)."""

    key: str
    label: str
    value: float | None
    unit: str
    note: str = ""  # shown after the value, e.g. "floor 2,945 ms"
    naive: float | None = None  # the naive baseline's value, where it has one


@dataclass(frozen=True)
class ScaleRows:
    name: str  # "hubei", "national", "national50k", "smoke"
    label: str
    summary: str  # counties, prefectures, products, sites
    rows: list[Row]
    load: str = ""  # load average while it was measured

    def row(self, key: str) -> Row | None:
        return next((row for row in self.rows if row.key == key), None)


@dataclass(frozen=True)
class Report:
    heading: str  # what was measured, where, when, how long it took, the machine's load
    scales: list[ScaleRows]
    failures: list[str] = field(default_factory=list)

    def scale(self, name: str) -> ScaleRows | None:
        return next((scale for scale in self.scales if scale.name == name), None)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Report:
        found: dict[str, Any] = json.loads(text)
        scales = [
            ScaleRows(**{**scale, "rows": [Row(**row) for row in scale["rows"]]})
            for scale in found["scales"]
        ]
        return cls(found["heading"], scales, list(found.get("failures", [])))

    @classmethod
    def read(cls, path: Path) -> Report:
        return cls.from_json(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------- budgets


@dataclass(frozen=True)
class Budget:
    limit: float  # in the row's unit; the AFTER value must not exceed it
    text: str


# The Budgets table, by (scale, row key).
BUDGETS: dict[tuple[str, str], Budget] = {
    ("hubei", "cold.over_floor"): Budget(1200, "≤ +1.2 s"),
    ("hubei", "filter.map"): Budget(300, "≤ 300 ms"),
    ("hubei", "click.card"): Budget(300, "≤ 300 ms"),
    ("national", "cold.over_floor"): Budget(3000, "≤ +3 s"),
    ("national", "filter.map"): Budget(1000, "≤ 1.0 s"),
    ("national", "click.card"): Budget(1000, "≤ 1.0 s"),
    ("national", "page.explorer.rerun"): Budget(300, "≤ 0.3 s"),
    ("national", "filter.ws"): Budget(300_000, "≤ 300 kB"),
    ("national50k", "filter.map"): Budget(1500, "≤ 1.5 s"),
}
# Every other measure of this scale must be no worse than before ...
NO_WORSE_SCALE = "hubei"
# ... within this tolerance for noise, by unit: after ≤ before × ratio + slack.
TOLERANCE: dict[str, tuple[float, float]] = {
    "ms": (1.25, 50.0),
    "bytes": (1.05, 1_000.0),
    "MiB": (1.10, 10.0),
    "count": (1.0, 0.0),
}
TOLERANCE_TEXT = (
    "no worse = after ≤ before × 1.25 + 50 ms for times, × 1.05 + 1 kB for bytes, "
    "× 1.10 + 10 MiB for memory, no more for counts; better = the same the other way"
)


def verdict(scale: str, key: str, before: Row | None, after: Row | None) -> tuple[str, str]:
    """(budget, verdict) of one row: its budget's limit on the after value, or for the
    Hubei scale a comparison with before; ("", "") when neither applies."""
    budget = BUDGETS.get((scale, key))
    now = after.value if after else None
    if budget is not None:
        if now is None:
            return budget.text, "not measured"
        return budget.text, "met" if now <= budget.limit else "**over**"
    if scale != NO_WORSE_SCALE or after is None or after.unit not in TOLERANCE:
        return "", ""
    then = before.value if before else None
    if now is None or then is None:
        return "no worse", "—"
    ratio, slack = TOLERANCE[after.unit]
    if now > then * ratio + slack:
        return "no worse", "**worse**"
    if now * ratio + slack < then:
        return "no worse", "better"
    return "no worse", "same"


# ------------------------------------------------------------------------ showing


def show(row: Row | None) -> str:
    if row is None:
        return "—"
    if row.value is None:
        return (f"not measured: {row.note}" if row.note else "not measured").replace("|", "/")
    shown = show_value(row.value, row.unit, signed=row.key == "cold.over_floor")
    return f"{shown} ({row.note})" if row.note else shown


def show_value(value: float, unit: str, signed: bool = False) -> str:
    sign = "+" if signed and value >= 0 else ""
    if unit == "ms":
        return f"{sign}{value:,.0f} ms"
    if unit == "bytes":
        return f"{value / 1e6:.2f} MB" if value >= 1e6 else f"{value / 1e3:.1f} kB"
    if unit == "MiB":
        return f"{value:,.0f} MiB"
    return f"{value:,.0f}"


def _scale_cell(scale: ScaleRows) -> str:
    load = f"<br>load average {scale.load}" if scale.load else ""
    return f"{scale.label}<br>{scale.summary}{load}"


def _keys(after: ScaleRows | None, before: ScaleRows | None) -> list[str]:
    keys = [row.key for row in after.rows] if after else []
    return keys + [row.key for row in (before.rows if before else []) if row.key not in keys]


def _label(key: str, after: ScaleRows | None, before: ScaleRows | None) -> str:
    for scale in (after, before):
        row = scale.row(key) if scale else None
        if row is not None:
            return row.label
    return key


def _pairs(
    after: Report, before: Report | None
) -> list[tuple[str, ScaleRows | None, ScaleRows | None]]:
    names = [scale.name for scale in after.scales]
    if before is not None:
        names += [scale.name for scale in before.scales if scale.name not in names]
    return [(name, after.scale(name), before.scale(name) if before else None) for name in names]


def table(after: Report, before: Report | None = None) -> str:
    """The Markdown table: before | after | budget | verdict (this run's values alone when
    there is no before)."""
    if before is None:
        lines = ["| scale | measure | this run | budget | verdict |", "|---|---|---:|---|---|"]
    else:
        lines = ["| scale | measure | before | after | budget | verdict |",
                 "|---|---|---:|---:|---|---|"]  # fmt: skip
    for name, now, then in _pairs(after, before):
        shown_scale = now or then
        assert shown_scale is not None
        first = True
        for key in _keys(now, then):
            label = _scale_cell(shown_scale).replace("|", "/") if first else ""
            if first and before is not None and then is not None and now is not None:
                label = (f"{now.label}<br>{now.summary}<br>load average before "
                         f"{then.load or '?'}, after {now.load or '?'}")  # fmt: skip
            first = False
            row_now, row_then = (now.row(key) if now else None), (then.row(key) if then else None)
            budget, judged = verdict(name, key, row_then, row_now)
            cells = [label, _label(key, now, then)]
            cells += [show(row_then)] if before is not None else []
            cells += [show(row_now), budget, judged]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def naive_table(report: Report) -> str:
    """The app against the naive baseline, for the rows that have one ("" if none)."""
    lines = []
    for scale in report.scales:
        first = True
        for row in scale.rows:
            if row.naive is None or row.value is None:
                continue
            ratio = f"{row.naive / row.value:.1f}×" if row.value > 0 else "—"
            label = _scale_cell(scale) if first else ""
            first = False
            naive = show_value(row.naive, row.unit)
            lines.append(f"| {label} | {row.label} | {show(row)} | {naive} | {ratio} |")
    if not lines:
        return ""
    return "\n".join(["| scale | measure | app | naive | naive ÷ app |",
                      "|---|---|---:|---:|---:|", *lines])  # fmt: skip


def summary(after: Report, before: Report | None = None) -> str:
    """One line per budget: met or over (the closing note's short form)."""
    counts = {"met": 0, "**over**": 0, "not measured": 0, "**worse**": 0}
    for name, now, then in _pairs(after, before):
        for key in _keys(now, then):
            row_now, row_then = (now.row(key) if now else None), (then.row(key) if then else None)
            _, judged = verdict(name, key, row_then, row_now)
            if judged in counts:
                counts[judged] += 1
    parts = [f"budgets met: {counts['met']}", f"over: {counts['**over**']}",
             f"not measured: {counts['not measured']}"]  # fmt: skip
    if before is not None:
        parts.append(f"Hubei measures worse than before: {counts['**worse**']}")
    return "; ".join(parts) + "."


def markdown(after: Report, before: Report | None, notes: str) -> str:
    heading = after.heading
    if before is not None:
        heading = f"Before: {before.heading}\n\nAfter: {after.heading}"
    parts = [heading, table(after, before), summary(after, before), notes, TOLERANCE_TEXT + "."]
    naive = naive_table(after)
    if naive:
        parts += ["The app against a naive map (this tree's builders):", naive]
    failures = after.failures + ([f"before: {f}" for f in before.failures] if before else [])
    if failures:
        parts.append("\n".join(f"**{failure}**" for failure in failures))
    return "\n\n".join(parts) + "\n"
