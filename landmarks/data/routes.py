"""Themed routes (主题线路): an ordered list of stops, each a 地标+文旅 site or a GI product.

A route names its stops, not their positions: positions come from the current data when
the route is shown, so a route stays valid when a site's place is made more precise.
Example routes ship in ``geodata/seed/routes.csv`` (one row per stop); routes users save
live in the database (``Store.save_route`` in ``landmarks.data.store``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

StopKind = Literal["site", "product"]
STOP_SITE: StopKind = "site"
STOP_PRODUCT: StopKind = "product"
STOP_KINDS: tuple[StopKind, ...] = (STOP_SITE, STOP_PRODUCT)
EXAMPLE_ROUTES_FILE = "routes.csv"
EXAMPLE_ROUTE_COLUMNS: tuple[str, ...] = ("route", "order", "kind", "name")


@dataclass(frozen=True)
class Stop:
    kind: StopKind
    name: str  # a sites.name or a products.name


@dataclass(frozen=True)
class Route:
    name: str
    stops: tuple[Stop, ...]
    is_example: bool = False


@dataclass(frozen=True)
class SavedRoute:
    """A route saved to the shared list: who saved it and when (UTC, ISO 8601)."""

    route: Route
    author: str
    saved_at: str


def stop_kind(text: str) -> StopKind:
    """``text`` as a stop kind; ``ValueError`` for anything else."""
    for kind in STOP_KINDS:
        if text == kind:
            return kind
    raise ValueError(f"unknown stop kind {text!r}; expected one of {STOP_KINDS}")


def routes_from_rows(rows: pd.DataFrame, *, is_example: bool) -> tuple[Route, ...]:
    """Routes from a table of stops (``EXAMPLE_ROUTE_COLUMNS``), in the order routes
    first appear, stops by ``order``."""
    missing = set(EXAMPLE_ROUTE_COLUMNS) - set(rows.columns)
    if missing:
        raise ValueError(f"route table lacks columns {sorted(missing)}")
    ordered = rows.assign(order=pd.to_numeric(rows["order"]))
    found = []
    for name in dict.fromkeys(ordered["route"]):
        stops = ordered[ordered["route"] == name].sort_values("order", kind="stable")
        found.append(
            Route(
                str(name),
                tuple(
                    Stop(stop_kind(str(kind)), str(stop))
                    for kind, stop in zip(stops["kind"], stops["name"], strict=True)
                ),
                is_example=is_example,
            )
        )
    return tuple(found)


def load_example_routes(seed_dir: Path) -> tuple[Route, ...]:
    """The example routes shipped in ``seed_dir/routes.csv`` (none if the file is absent)."""
    path = seed_dir / EXAMPLE_ROUTES_FILE
    if not path.is_file():
        return ()
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    return routes_from_rows(rows, is_example=True)
