"""The demonstration county output table (示例数据), generated, never stored.

No county-by-county table of GI output value has been published, so that the output map
is useful before staff import their county figures, the app generates one, clearly
flagged: every row has ``is_demo=True``, its scope and source say 示例数据, and every view
that shows it says so.  The output views use it only for a (year, metric) for which no
real county figure exists, and drop it as soon as one does
(``landmarks.query.output_values``).

How the numbers are made (deterministic: the same products give the same table):

- one row per county that has county-level GI products (本县: the product's area is that
  county alone), for each year of ``DEMO_YEARS``, metric ``DEMO_METRIC`` (年产值, 亿元);
  counties without such a product get no row, so the map shows them as 无数据;
- counties in adcode order draw from one ``numpy`` generator seeded with ``DEMO_SEED``:
  a first-year value of ``BASE + PER_PRODUCT × products × lognormal(0, 0.5)`` and a yearly
  growth rate uniform in ``GROWTH``, each year's value multiplied by ``lognormal(0, 0.05)``;
- values are rounded to two decimals.

The sizes are chosen to look like county output figures (a few to a few dozen 亿元), not
to estimate anything.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landmarks.data.model import AREA_COUNTY, OUTPUT_COLUMNS
from landmarks.data.records import REGION_TOTAL_SUBJECT
from landmarks.data.regions import Regions
from landmarks.i18n import N_

DEMO_SEED = 20260110
DEMO_YEARS: tuple[int, ...] = tuple(range(2019, 2025))
DEMO_METRIC = N_("年产值")
DEMO_SCOPE = N_("示例数据：按本县地理标志产品数随机生成，不是统计数字")
DEMO_NOTE = N_("示例数据（landmarks/data/demo_outputs.py 按固定规则生成）")
BASE = 1.5
PER_PRODUCT = 4.0
GROWTH = (0.02, 0.12)


def county_product_counts(products: pd.DataFrame) -> pd.Series:
    """Products (families) per county adcode whose area is that county alone (本县)."""
    own = products[(products["area_level"] == AREA_COUNTY) & (products["county_adcode"] != "")]
    return own.groupby("county_adcode")["family"].nunique().astype(int)


def demo_county_outputs(products: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    """The demonstration table, in the outputs table's columns (``is_demo`` True)."""
    counts = county_product_counts(products)
    generator = np.random.default_rng(DEMO_SEED)
    rows = []
    for county in sorted(regions.county_list, key=lambda c: c.adcode):
        products_here = int(counts.get(county.adcode, 0))
        # Every county draws, with or without products, so one county's products never
        # change another county's numbers.
        spread = generator.lognormal(0.0, 0.5)
        growth = generator.uniform(*GROWTH)
        noise = generator.lognormal(0.0, 0.05, size=len(DEMO_YEARS))
        if not products_here:
            continue
        value = BASE + PER_PRODUCT * products_here * spread
        for step, year in enumerate(DEMO_YEARS):
            shown = round(float(value * (1 + growth) ** step * noise[step]), 2)
            rows.append(
                {
                    "subject": county.name + REGION_TOTAL_SUBJECT,
                    "product": "",
                    "region_adcode": county.adcode,
                    "region": county.name,
                    "year": year,
                    "metric": DEMO_METRIC,
                    "value": shown,
                    "value_text": f"{shown:g}",
                    "scope": DEMO_SCOPE,
                    "note": DEMO_NOTE,
                    "confidence": "low",
                    "source_url": "",
                    "other_source_urls": "",
                    "source_quality": "",
                    "is_demo": True,
                }
            )
    frame = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = frame["value"].astype(float)
    frame["is_demo"] = frame["is_demo"].astype(bool)
    return frame
