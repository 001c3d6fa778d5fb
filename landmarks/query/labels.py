"""Chinese labels for coded values, and data text made fit for users to read.

Users are IP-office staff reading Chinese; the research data carries codes (``media``,
``high``) and maintainers' remarks in English ("county inferred from product name",
"reported 2024-02", "S54").  Everything a page, card, table or export shows goes through
these functions; the remarks themselves are shown only under 维护说明.
"""

from __future__ import annotations

import math
import numbers
import re

import pandas as pd

from landmarks.data.model import CONFIDENCE_LABELS, PRECISION_LABELS, SOURCE_QUALITY_LABELS
from landmarks.i18n import N_, t

UNKNOWN_YEAR = N_("年份不详")

# A Latin word of three letters or more, or a source id, marks a maintainers' remark;
# two-letter abbreviations such as GI stay (they occur in Chinese phrases).
_REMARK = re.compile(r"[A-Za-z]{3,}|\bS\d{1,4}\b")
_BRACKETED = re.compile(r"\s*[(（][^()（）]*[)）]")  # not UI: pattern
_PARTS = re.compile(r"\s*[;；]\s*")  # not UI: pattern


def source_type_label(code: str) -> str:
    return t(SOURCE_QUALITY_LABELS.get(code, code))


def confidence_label(code: str) -> str:
    return t(CONFIDENCE_LABELS.get(code, code))


def precision_label(code: str) -> str:
    return t(PRECISION_LABELS.get(code, code))


def year_text(year: object) -> str:
    """'2006' for a known year; 年份不详 for None, NaN or pandas' NA."""
    if isinstance(year, numbers.Real) and not math.isnan(year):
        return str(int(float(year)))  # numbers.Real promises __float__, not __int__
    return t(UNKNOWN_YEAR)


def year_texts(years: pd.Series) -> pd.Series:
    return years.map(year_text)


def is_remark(text: str) -> bool:
    """Whether a piece of data text is a maintainers' remark rather than Chinese content."""
    return bool(_REMARK.search(text))


def without_remarks(text: str) -> str:
    """The text minus bracketed asides and ;-separated parts that are remarks.

    '年销量85万吨 (reported 2024-02)' → '年销量85万吨'; 'forecast for 2020' → ''.  Quotes
    the research put around a quoted phrase are dropped too.
    """
    text = _BRACKETED.sub(lambda m: "" if is_remark(m.group()) else m.group(), str(text))
    parts = [part.strip().strip("'\"").strip() for part in _PARTS.split(text)]
    return "；".join(part for part in parts if part and not is_remark(part))  # not UI: data
