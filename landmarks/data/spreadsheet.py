"""Cells as spreadsheets take them: the formula guard every file handed out carries, its
undoing on import, and the most text an Excel cell holds.

Text cells starting with = + - @ (or a tab / carriage return) would run as formulas in a
spreadsheet, so every export, dump and report gives them a leading apostrophe (OWASP's
advice on CSV injection); the import removes one apostrophe before a formula sign, so a
file we wrote reads back as it was stored.  One definition here serves the data layer
(dumps, import reports, reading) and the query layer's exports alike.
"""

from __future__ import annotations

import pandas as pd

# Signs that start a formula.  Stored text is trimmed, so it starts with one of these or
# with none of ``FORMULA_PREFIXES``: only these are undone on import.
FORMULA_SIGNS: tuple[str, ...] = ("=", "+", "-", "@")
# What a spreadsheet also runs as a formula when it starts a cell.
FORMULA_PREFIXES: tuple[str, ...] = (*FORMULA_SIGNS, "\t", "\r")
# The most characters an Excel cell holds: writers cut longer text there, silently.
EXCEL_CELL_LIMIT = 32_767


def neutralize(value: object) -> object:
    """Prefix a text cell that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell neutralised (vectorised: exports of 10,000 rows stay quick)."""
    result = frame.copy()
    for column in result.columns:
        values = result[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        if isinstance(values.dtype, pd.StringDtype):
            risky = values.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
            result[column] = values.where(~risky, "'" + values)
        else:  # mixed objects: only the strings among them can be formulas
            result[column] = values.map(neutralize)
    return result


def looks_guarded(text: str) -> bool:
    """Whether ``text`` starts like a guarded cell: apostrophes, then a formula sign."""
    return text.startswith("'") and text.lstrip("'")[:1] in FORMULA_SIGNS


def unguarded(text: str) -> str:
    """``text`` without the one apostrophe a guard put before a formula sign ('=1 → =1,
    ''=1 → '=1); any other text as it is."""
    return text[1:] if looks_guarded(text) else text


def over_excel_limit(frame: pd.DataFrame) -> dict[str, list[int]]:
    """Text cells an Excel workbook would cut (longer than ``EXCEL_CELL_LIMIT``): each
    column with the positions (0-based) of its rows holding one."""
    found = {}
    for column in frame.columns:
        lengths = frame[column].map(lambda v: len(v) if isinstance(v, str) else 0)
        positions = [int(p) for p in (lengths.to_numpy() > EXCEL_CELL_LIMIT).nonzero()[0]]
        if positions:
            found[str(column)] = positions
    return found
