"""The load script's figures and verdicts: pure functions, no servers (tests/bench/)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MET, BROKEN, UNMEASURED = "met", "BROKEN", "not measured"


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) by linear interpolation between the closest ranks
    (numpy's default); None when there is nothing to rank."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0-100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def rows_lost(expected: int, present: int) -> int:
    """Rows that should be in the database and are not (extra rows are not "lost";
    ``extra_rows`` counts them)."""
    return max(expected - present, 0)


def extra_rows(expected: int, present: int) -> int:
    return max(present - expected, 0)


def expected_rows(before: int, imported: int, import_succeeded: bool) -> int:
    """What the table must hold after an import: everything before, plus the file's rows
    if the import said it wrote them."""
    return before + (imported if import_succeeded else 0)


def all_or_nothing(present: int, file_rows: int) -> bool:
    """An import's rows are either all in the database or none of them."""
    return present in (0, file_rows)


@dataclass(frozen=True)
class Check:
    """One budget line: what it asks, what was seen, and whether it holds (None: the
    figure could not be measured, which is not a pass)."""

    budget: str
    seen: str
    ok: bool | None


@dataclass
class Outcome:
    """One scenario's figures and its budget checks."""

    name: str
    sessions: int | None = None
    errors: int | None = None
    filter_ms: list[float] = field(default_factory=list)
    rss_mb: dict[str, float] = field(default_factory=dict)
    lost: int | None = None
    figures: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def check(self, budget: str, seen: str, ok: bool | None) -> None:
        self.checks.append(Check(budget, seen, ok))

    @property
    def verdict(self) -> str:
        if not self.checks:
            return UNMEASURED
        if any(c.ok is False for c in self.checks):
            return BROKEN
        if any(c.ok is None for c in self.checks):
            return UNMEASURED
        return MET


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value / 1000:.2f} s"


def _count(value: int | None) -> str:
    return "–" if value is None else str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(outcomes: Iterable[Outcome]) -> str:
    """The markdown table printed at the end: one row per scenario."""
    lines = [
        "| scenario | sessions | errors | filter → map p50 / p95 | RSS per replica (MB)"
        " | rows lost | other figures | budget | verdict |",
        "|---|---:|---:|---|---|---:|---|---|---|",
    ]
    for outcome in outcomes:
        timing = (
            f"{_ms(percentile(outcome.filter_ms, 50))} / {_ms(percentile(outcome.filter_ms, 95))}"
            f" (n={len(outcome.filter_ms)})"
            if outcome.filter_ms
            else "–"
        )
        rss = ", ".join(f"{name} {mb:.0f}" for name, mb in outcome.rss_mb.items()) or "–"
        budget = "; ".join(
            f"{c.budget}: {c.seen} {'✓' if c.ok else ('✗' if c.ok is False else '?')}"
            for c in outcome.checks
        )
        verdict = outcome.verdict
        shown = f"**{verdict}**" if verdict != MET else verdict
        lines.append(
            "| "
            + " | ".join(
                _cell(cell)
                for cell in (
                    outcome.name,
                    _count(outcome.sessions),
                    _count(outcome.errors),
                    timing,
                    rss,
                    _count(outcome.lost),
                    "; ".join(outcome.figures) or "–",
                    budget or "–",
                    shown,
                )
            )
            + " |"
        )
    return "\n".join(lines)


def exit_code(outcomes: Iterable[Outcome]) -> int:
    """0 when every scenario met its budgets; 1 when one was broken or not measured."""
    return 0 if all(o.verdict == MET for o in outcomes) else 1
