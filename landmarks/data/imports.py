"""Check an uploaded table before anything is written, and compute the tables to write.

``check_import`` maps the file's headers to columns (``columns.match_columns``),
normalises numbers, years and choices (NFKC: full-width digits), converts coordinates from
the file's declared datum to WGS-84, runs the same row checks as the shipped data
(``records.check_*``), and looks for duplicates within the file and against the
database.  Its ``ImportReport`` lists every problem by the row number the user sees in
their sheet and the header they wrote, in the run's language.  Nothing is written here:
``merged_tables`` gives the full new tables, for the storage layer to write as a version.

Modes: ``append`` adds rows and treats a row whose key is already stored as a problem;
``update`` replaces the stored row of the same key and adds the others.  A file with any
problem is imported only when the user explicitly asks for its valid rows alone.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from landmarks import i18n
from landmarks.data import sheets
from landmarks.data.columns import (
    INPUT_COLUMNS,
    TABLE_LABELS,
    ColumnMatch,
    InputColumn,
    column_by_key,
    header_key,
    match_columns,
)
from landmarks.data.coords import DATUM_LABELS, DATUM_WGS84, datum_code, to_wgs84
from landmarks.data.model import (
    OUTPUT_COLUMNS,
    PRODUCT_COLUMNS,
    REGISTRATION_COLUMNS,
    SITE_COLUMNS,
    ZONE_COLUMNS,
)
from landmarks.data.reading import INSTRUCTIONS_SHEET, RawTable
from landmarks.data.records import (
    BORDER_TOLERANCE_METRES,
    Prepared,
    check_outputs,
    check_products,
    check_registrations,
    check_sites,
    check_zones,
)
from landmarks.data.regions import OLD_COUNTY_NAMES, OLD_PREFECTURE_NAMES, Regions, normalize_name
from landmarks.data.text import key_text, normalize_text
from landmarks.data.validation import RowProblem, text
from landmarks.i18n import N_, joined, t

Mode = Literal["append", "update"]
MODE_APPEND: Mode = "append"
MODE_UPDATE: Mode = "update"
MODE_LABELS: dict[str, str] = {
    MODE_APPEND: N_("追加：只添加新记录，数据库中已有的记录算作重复"),
    MODE_UPDATE: N_("更新：数据库中已有的记录按文件修改，其余作为新记录添加"),
}
STORED_COLUMNS: dict[str, tuple[str, ...]] = {
    "products": PRODUCT_COLUMNS,
    "registrations": REGISTRATION_COLUMNS,
    "zones": ZONE_COLUMNS,
    "sites": SITE_COLUMNS,
    "outputs": OUTPUT_COLUMNS,
}
# What identifies a stored row: a duplicate in the file, or (append) in the database.
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "products": ("name",),
    "registrations": ("product", "gi_type", "number"),
    "zones": ("name",),
    "sites": ("name",),
    "outputs": ("subject", "region_adcode", "year", "metric"),
}
# The input column a duplicate is reported under.
_KEY_FIELD = {"products": "name", "registrations": "product", "zones": "name", "sites": "name"}
_KEY_FIELD["outputs"] = "product"
_KEY_DESCRIPTION = {
    "products": N_("产品名称"),
    "registrations": N_("产品、类型和登记编号"),
    "zones": N_("示范区名称"),
    "sites": N_("站点名称"),
    "outputs": N_("对象、地区、年份和指标"),
}

PROBLEM_COLUMNS: tuple[str, ...] = ("row", "field", "value", "problem", "expected")
PROBLEM_HEADERS: dict[str, str] = {
    "row": N_("行号"),
    "field": N_("字段"),
    "value": N_("值"),
    "problem": N_("问题"),
    "expected": N_("应为"),
}


class ImportRejectedError(ValueError):
    """Rows that cannot be written as asked (problems, or the database changed since)."""


@dataclass(frozen=True)
class ImportReport:
    """Everything a user needs to decide on an upload; nothing has been written."""

    table: str
    file_name: str
    sheet: str
    encoding: str  # label of the detected CSV encoding; '' for workbooks
    header_row: int
    datum: str
    mode: Mode
    rows_total: int  # data rows read (template example rows left out)
    rows_valid: int
    problems: pd.DataFrame  # PROBLEM_COLUMNS; row numbers and headers as in the file
    prepared: pd.DataFrame | None  # every row, stored shape; None when there are problems
    prepared_valid: pd.DataFrame  # the rows without problems, stored shape
    rows_new: int  # among the valid rows: not yet in the database
    rows_changed: int  # update mode: stored rows the file changes
    rows_unchanged: int  # update mode: stored rows the file repeats as they are
    columns: dict[str, str] = field(default_factory=dict)  # file header → column key
    ignored_columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # how the file was read and checked
    file_problem: bool = False  # a problem of the whole file: no row can be imported

    @property
    def ok(self) -> bool:
        return self.problems.empty

    @property
    def table_label(self) -> str:
        return t(TABLE_LABELS[self.table])

    @property
    def rows_with_problems(self) -> int:
        return self.rows_total - self.rows_valid

    def summary(self) -> str:
        """One paragraph for the page and the command line."""
        head = t(
            "“{file}”（{table}表）：共 {rows} 行数据",
            file=self.file_name,
            table=self.table_label,
            rows=self.rows_total,
        )
        count = len(self.problems)
        if self.file_problem:
            return t(
                "{head}，文件本身有 {count} 处问题（见下表），无法导入任何行。",
                head=head,
                count=count,
            )
        if self.mode == MODE_UPDATE:
            changes = t(
                "新增 {new} 行、修改 {changed} 行、与数据库相同 {unchanged} 行",
                new=self.rows_new,
                changed=self.rows_changed,
                unchanged=self.rows_unchanged,
            )
        else:
            changes = t("新增 {new} 行", new=self.rows_new)
        if self.ok:
            return t("{head}，全部无误，可以导入：{changes}。", head=head, changes=changes)
        if not self.rows_valid:
            return t(
                "{head}，每一行都有问题（共 {count} 处，见下表），未导入任何数据。"
                "请修改文件后重新上传。",
                head=head,
                count=count,
            )
        return t(
            "{head}，其中 {valid} 行无误，{bad} 行有问题（共 {count} 处，见下表）。"
            "尚未导入任何数据：请修改文件后重新上传，或明确选择“只导入无误的 {valid} 行”"
            "（{changes}）。",
            head=head,
            valid=self.rows_valid,
            bad=self.rows_with_problems,
            count=count,
            changes=changes,
        )


# Cells -------------------------------------------------------------------------------

_DMS = re.compile(  # not UI: parses input
    r"(?:东经|北纬|[EN])?(\d+(?:\.\d+)?)[°度]"
    r"(?:(\d+(?:\.\d+)?)['′分])?(?:(\d+(?:\.\d+)?)(?:\"|″|''|′′|秒))?[EN]?"
)


def parse_coordinate(value: object) -> float | None:
    """A coordinate in decimal degrees (110.98, 110.98°) or degrees-minutes-seconds
    (110°58′48″, 110度58分48秒); None when it is neither."""
    raw = normalize_text(text(value), keep_spaces=False)
    try:
        number = float(raw)
    except ValueError:
        match = _DMS.fullmatch(raw)
        if not match:
            return None
        degrees, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
        if minutes >= 60 or seconds >= 60:
            return None
        number = degrees + minutes / 60 + seconds / 3600
    return number if math.isfinite(number) else None


def _normalised(values: pd.Series, column: InputColumn) -> pd.Series:
    """Cells of one column as the row checks read them: free text trimmed; numbers,
    years and choices NFKC-folded (１１０．９８ → 110.98) without inner spaces."""
    cells = values.map(text)
    if column.kind == "text":
        return cells
    folded = cells.map(lambda v: normalize_text(v, keep_spaces=False))
    if column.kind == "choice":
        return folded.map(lambda v: v.lower() if v.isascii() else v)
    return folded


# The check ---------------------------------------------------------------------------


class _Problems:
    """Problems as the user reads them: sheet row, their header, their value."""

    def __init__(self, table: str, match: ColumnMatch) -> None:
        self.table = table
        self.match = match
        self.rows: list[RowProblem] = []

    def header(self, key: str) -> str:
        if key == "lon/lat":
            return f"{self.header('lon')}/{self.header('lat')}"
        if key in {c.key for c in INPUT_COLUMNS[self.table]}:
            if key in self.match.keys.values():
                return self.match.header_of(key, self.table)  # the file's own header
            return _template_header(column_by_key(self.table, key).header)
        return key

    def add(self, row: int, key: str, value: str, problem: str, expected: str) -> None:
        self.rows.append(RowProblem(row, self.header(key), value, problem, expected))

    def frame(self) -> pd.DataFrame:
        """One line per (row, field, problem) in row order (stable within a row); an
        empty cell is reported once (必填项为空), not again as a wrong value."""
        seen: set[tuple[int, str, str]] = set()
        unique = []
        for problem in self.rows:
            key = (problem.row, problem.field, problem.problem if problem.value else "")
            if key not in seen:
                seen.add(key)
                unique.append(problem)
        unique.sort(key=lambda p: p.row)
        return pd.DataFrame(
            [[getattr(p, c) for c in PROBLEM_COLUMNS] for p in unique],
            columns=list(PROBLEM_COLUMNS),
        ).astype({"row": "int64"})


def _template_header(header: str) -> str:
    """A template's (Chinese) header as a message names it; in English with its meaning."""
    shown = t(header)
    return header if shown == header else f"{header} ({shown})"


def _file_problems(raw: RawTable, table: str, match: ColumnMatch, found: _Problems) -> None:
    for key, headers in match.conflicts.items():
        found.rows.append(
            RowProblem(
                raw.header_row,
                joined(headers),
                "",
                t(
                    "这几列都对应“{column}”",
                    column=_template_header(column_by_key(table, key).header),
                ),
                t("每个字段只保留一列：删去多余的列，或给它改名"),
            )
        )
    for column in match.missing:
        others = joined([n for n in column.names[1:] if not n.isascii() or n == column.key])
        header = _template_header(column.header)
        found.rows.append(
            RowProblem(
                raw.header_row,
                header,
                "",
                t("缺少必填列“{column}”", column=header),
                t("表头中有一列名为“{column}”（也可写作：{others}）", column=header, others=others),
            )
        )
    if raw.frame.empty:
        found.rows.append(
            RowProblem(
                raw.header_row,
                t(WHOLE_FILE),
                "",
                t("表头下面没有数据行"),
                t("表头下至少一行数据"),
            )
        )


def _keyed(raw: RawTable, table: str, match: ColumnMatch) -> pd.DataFrame:
    """The file's cells under column keys, normalised; absent columns empty."""
    frame = pd.DataFrame(index=range(len(raw.frame)))
    for column in INPUT_COLUMNS[table]:
        header = next((h for h, k in match.keys.items() if k == column.key), None)
        values = raw.frame[header] if header is not None else pd.Series([""] * len(raw.frame))
        frame[column.key] = _normalised(values.reset_index(drop=True), column).to_numpy()
    return frame


WHOLE_FILE = N_("（整个文件）")  # the field of a problem no single column has
# The templates' example row starts with it (translated in a template made in English);
# such rows are skipped.
EXAMPLE_MARK = N_("示例：")


def _example_marks() -> tuple[str, ...]:
    """The example mark in every language a template may have been made in."""
    marks = {EXAMPLE_MARK} | {i18n.catalog(code).get(EXAMPLE_MARK, "") for code in i18n.LANGUAGES}
    return tuple(sorted(normalize_text(mark, keep_spaces=False) for mark in marks if mark))


def _example_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows marked as the template's example (first cell 示例：…), left in by the user."""
    first = frame.iloc[:, 0].map(lambda v: normalize_text(v, keep_spaces=False))
    return first.str.startswith(_example_marks()).astype(bool)


def _convert_points(
    frame: pd.DataFrame, rows: Sequence[int], datum: str, found: _Problems
) -> pd.DataFrame:
    """lon/lat parsed and converted to WGS-84 from the row's datum (else the file's);
    cells that are no coordinate are left for the row checks to report."""
    frame = frame.copy()
    datums = []
    for row, value in zip(rows, frame["datum"], strict=True):
        code = datum_code(value) if value else datum
        if code is None:
            found.add(
                row,
                "datum",
                value,
                t("不是可识别的坐标系"),
                t("{datums}，或留空", datums="/".join(DATUM_LABELS)),
            )
        datums.append(code or datum)
    lon = frame["lon"].map(parse_coordinate)
    lat = frame["lat"].map(parse_coordinate)
    both = lon.notna() & lat.notna()
    converted_lon = lon.astype(object).where(lon.notna(), frame["lon"])
    converted_lat = lat.astype(object).where(lat.notna(), frame["lat"])
    for code in set(datums):
        chosen = both & (pd.Series(datums, index=frame.index) == code)
        if chosen.any():
            new_lon, new_lat = to_wgs84(
                lon[chosen].to_numpy(float), lat[chosen].to_numpy(float), code
            )
            if code != DATUM_WGS84:  # 0.1 mm: converted points carry no false precision
                new_lon, new_lat = np.round(new_lon, 7), np.round(new_lat, 7)
            converted_lon[chosen] = list(new_lon)
            converted_lat[chosen] = list(new_lat)
    frame["lon"], frame["lat"] = converted_lon, converted_lat
    return frame


_SHOWN_PREFIX = 30  # characters of an over-long value a problem quotes


def _over_long(
    frame: pd.DataFrame, rows: Sequence[int], table: str, found: _Problems
) -> pd.DataFrame:
    """Report cells longer than their column's bound (``InputColumn.max_length``) and
    cut them to it, so the row checks never work on a pasted book (the row is refused)."""
    frame = frame.copy()
    for column in INPUT_COLUMNS[table]:
        limit = column.max_length
        lengths = frame[column.key].str.len()
        for position in map(int, np.flatnonzero(lengths.to_numpy() > limit)):
            value = str(frame.at[position, column.key])
            found.add(
                rows[position],
                column.key,
                value[:_SHOWN_PREFIX] + "…",
                t(
                    "长度为 {length} 个字符，超过了 {limit} 个字符的上限",
                    length=f"{len(value):,}",
                    limit=f"{limit:,}",
                ),
                t("不超过 {limit} 个字符", limit=f"{limit:,}"),
            )
            frame.at[position, column.key] = value[:limit]
    return frame


def _required_cells(
    frame: pd.DataFrame, rows: Sequence[int], table: str, match: ColumnMatch, found: _Problems
) -> None:
    present = set(match.keys.values())
    for column in INPUT_COLUMNS[table]:
        if column.required and column.key in present:
            for row, value in zip(rows, frame[column.key], strict=True):
                if not value:
                    found.add(row, column.key, "", t("必填项为空"), t(column.explanation))


def _check_rows(
    table: str,
    frame: pd.DataFrame,
    rows: Sequence[int],
    regions: Regions,
    current: dict[str, pd.DataFrame],
) -> Prepared:
    products = current.get("products", pd.DataFrame(columns=list(PRODUCT_COLUMNS)))
    if table == "products":
        return check_products(frame, regions, rows)
    if table == "registrations":
        return check_registrations(frame, products, rows)
    if table == "zones":
        return check_zones(frame, regions, rows)
    if table == "sites":
        return check_sites(frame, regions, rows)
    if table == "outputs":
        return check_outputs(frame, regions, set(products["name"]), rows)
    raise ValueError(f"unknown table {table!r}; expected one of {list(INPUT_COLUMNS)}")


def _cell_text(value: object) -> str:
    """A cell as plain text: '' for a missing value, a whole float without '.0'."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@functools.lru_cache(maxsize=1 << 18)
def _cell_key(value: object) -> str:
    # Cached: an import compares its rows with every stored one several times, and the
    # stored names (tens of thousands) are the same each time.
    return key_text(_cell_text(value))


def row_keys(table: str, frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """The identifying key of each row of a stored-shape table, compared as keys are
    (``key_text``: ＡＢＣ茶, ABC茶 and abc茶 are one product)."""
    columns = [frame[c].map(_cell_key) for c in KEY_COLUMNS[table]]
    return list(zip(*columns, strict=True)) if columns and len(frame) else []


def _duplicates(
    table: str,
    prepared: pd.DataFrame,
    rows: Sequence[int],
    stored: pd.DataFrame,
    mode: Mode,
    found: _Problems,
) -> None:
    keys = row_keys(table, prepared)
    key_field = _KEY_FIELD[table]
    if table == "outputs":
        shown = [
            t(
                "{subject}（{region}，{year}，{metric}）",
                subject=subject,
                region=region,
                year=_cell_text(year) or t("年份空"),
                metric=metric,
            )
            for subject, region, year, metric in zip(
                prepared["subject"],
                prepared["region"],
                prepared["year"],
                prepared["metric"],
                strict=True,
            )
        ]
    else:  # as the file spells it (the keys are folded)
        spelled = zip(*(prepared[c].map(_cell_text) for c in KEY_COLUMNS[table]), strict=True)
        shown = [" ".join(part for part in parts if part) for parts in spelled]
    if table == "outputs":  # the other tables' row checks already compare names
        first: dict[tuple[str, ...], int] = {}
        for row, key, value in zip(rows, keys, shown, strict=True):
            if key in first:
                found.add(
                    row,
                    key_field,
                    value,
                    t("与第{row}行重复", row=first[key]),
                    t("每组{key}只填一行", key=t(_KEY_DESCRIPTION[table])),
                )
            first.setdefault(key, row)
    if mode != MODE_APPEND or stored.empty:
        return
    existing = set(row_keys(table, stored))
    for row, key, value in zip(rows, keys, shown, strict=True):
        if key in existing and any(key):
            found.add(
                row,
                key_field,
                value,
                t("数据库中已有这条记录（{key}相同）", key=t(_KEY_DESCRIPTION[table])),
                t("新的记录；要修改已有记录，请选择“更新”方式导入"),
            )


def _stored_spelling(table: str, rows: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """``rows`` whose key matches a stored row (as keys compare: ａｂｃ茶 is ABC茶) with
    the stored spelling of the key, so that an update changes the row's fields without
    renaming it (registrations, figures and sites refer to a product by its name)."""
    by_key = dict(zip(row_keys(table, stored), range(len(stored)), strict=True))
    rows = rows.copy()
    for position, key in enumerate(row_keys(table, rows)):
        if key not in by_key:
            continue
        found = stored.iloc[by_key[key]]
        for column in KEY_COLUMNS[table]:
            rows.at[rows.index[position], column] = found[column]
    return rows


def as_stored(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A prepared table with the columns and types the database reads back."""
    result = frame[list(STORED_COLUMNS[table])].reset_index(drop=True).copy()
    if "year" in result:
        result["year"] = pd.array(
            [None if _cell_text(v) == "" else int(v) for v in result["year"]], dtype="Int64"
        )
    for column in ("lon", "lat", "value"):
        if column in result:
            numbers = result[column].map(lambda v: None if isinstance(v, str) and not v else v)
            result[column] = pd.to_numeric(numbers).astype("float64")
    if "is_demo" in result:
        result["is_demo"] = result["is_demo"].astype(bool)
    return result


def _same_row(left: pd.Series, right: pd.Series) -> bool:
    for a, b in zip(left, right, strict=True):
        a_missing, b_missing = _cell_text(a) == "", _cell_text(b) == ""
        if a_missing or b_missing:
            if a_missing != b_missing:
                return False
        elif a != b:
            return False
    return True


def _change_counts(table: str, valid: pd.DataFrame, stored: pd.DataFrame) -> tuple[int, int, int]:
    """(new, changed, unchanged) rows of ``valid`` against the stored table."""
    by_key = dict(zip(row_keys(table, stored), range(len(stored)), strict=True))
    new = changed = unchanged = 0
    columns = list(STORED_COLUMNS[table])
    for position, key in enumerate(row_keys(table, valid)):
        if key not in by_key:
            new += 1
        elif _same_row(valid.iloc[position][columns], stored.iloc[by_key[key]][columns]):
            unchanged += 1
        else:
            changed += 1
    return new, changed, unchanged


def _old_name_notes(frame: pd.DataFrame, rows: Sequence[int]) -> list[str]:
    renamed: dict[tuple[str, str], int] = {}
    for key, old_names in (("county", OLD_COUNTY_NAMES), ("prefecture", OLD_PREFECTURE_NAMES)):
        if key not in frame:
            continue
        for row, value in zip(rows, frame[key], strict=True):
            name = normalize_name(value)
            if name in old_names:
                renamed.setdefault((value, old_names[name]), row)
    if not renamed:
        return []
    listed = joined(
        [
            t("{old}→{new}（第{row}行）", old=i18n.name(old), new=i18n.name(new), row=row)
            for (old, new), row in renamed.items()
        ]
    )
    return [t("旧地名已按现名导入：{names}", names=listed)]


def _unknown_columns_note(table: str, headers: tuple[str, ...]) -> list[str]:
    if not headers:
        return []
    names = {header_key(n): c.header for c in INPUT_COLUMNS[table] for n in c.names}
    shown = []
    for header in headers:
        close = difflib.get_close_matches(header_key(header), list(names), n=1, cutoff=0.5)
        if close:
            suggested = _template_header(names[close[0]])
            shown.append(t("“{header}”（是否应为“{column}”？）", header=header, column=suggested))
        else:
            shown.append(f"“{header}”")
    return [
        t(
            "以下列名无法识别，这些列不会导入：{headers}。可识别的列名见模板的“{sheet}”。",
            headers=joined(shown),
            sheet=t(INSTRUCTIONS_SHEET),
        )
    ]


def _empty_stored(table: str) -> pd.DataFrame:
    return as_stored(table, pd.DataFrame(columns=list(STORED_COLUMNS[table])))


def check_import(
    raw: RawTable,
    table: str,
    *,
    regions: Regions,
    current: dict[str, pd.DataFrame],
    datum: str = DATUM_WGS84,
    mode: Mode = MODE_APPEND,
) -> ImportReport:
    """Check ``raw`` as rows of ``table`` against the ``current`` stored tables.

    ``datum`` is the coordinate system the user declared for the file's lon/lat (a
    ``DATUM_LABELS`` key); a 坐标系 column overrides it row by row.
    """
    if table not in INPUT_COLUMNS:
        raise ValueError(f"unknown table {table!r}; expected one of {list(INPUT_COLUMNS)}")
    if datum not in DATUM_LABELS:
        raise ValueError(f"unknown datum {datum!r}; expected one of {list(DATUM_LABELS)}")
    if mode not in MODE_LABELS:
        raise ValueError(f"unknown mode {mode!r}; expected one of {list(MODE_LABELS)}")
    match = match_columns(list(raw.frame.columns), table)
    found = _Problems(table, match)
    notes = list(raw.notes)
    if raw.encoding:
        notes.append(t("文件编码：{encoding}", encoding=raw.encoding_label))
    notes += _unknown_columns_note(table, match.unknown)
    stored = current.get(table)
    stored = _empty_stored(table) if stored is None else stored
    base = ImportReport(
        table=table,
        file_name=raw.file_name,
        sheet=raw.sheet,
        encoding=raw.encoding_label if raw.encoding else "",
        header_row=raw.header_row,
        datum=datum,
        mode=mode,
        rows_total=len(raw.frame),
        rows_valid=0,
        problems=found.frame(),
        prepared=None,
        prepared_valid=_empty_stored(table),
        rows_new=0,
        rows_changed=0,
        rows_unchanged=0,
        columns=dict(match.keys),
        ignored_columns=match.unknown,
        file_problem=True,
    )
    _file_problems(raw, table, match, found)
    if found.rows:
        return replace(base, problems=found.frame(), notes=tuple(notes))

    frame = _keyed(raw, table, match)
    rows = list(raw.row_numbers)
    example = _example_rows(frame)
    if example.any():
        skipped = [row for row, same in zip(rows, example, strict=True) if same]
        notes.append(
            t(
                "第{rows}行是模板的示例行（以“{mark}”开头），已跳过",
                rows=joined([str(row) for row in skipped]),
                mark=t(EXAMPLE_MARK),
            )
        )
        frame = frame[~example].reset_index(drop=True)
        rows = [row for row, same in zip(rows, example, strict=True) if not same]
        if not rows:
            found.rows.append(
                RowProblem(
                    raw.header_row,
                    t(WHOLE_FILE),
                    "",
                    t("文件中只有模板的示例行，没有要导入的数据"),
                    t("在示例行下面填写数据（示例行可以删除）"),
                )
            )
            return replace(base, rows_total=0, problems=found.frame(), notes=tuple(notes))
    frame = _over_long(frame, rows, table, found)
    if "lon" in frame and {"lon", "lat"} & set(match.keys.values()):
        originals = {
            row: f"{lon}, {lat}"
            for row, lon, lat in zip(rows, frame["lon"], frame["lat"], strict=True)
        }
        frame = _convert_points(frame, rows, datum, found)
        converted = "" if datum == DATUM_WGS84 else t("，换算为 WGS-84 保存")
        notes.append(
            t(
                "经纬度按{datum}读取{converted}（“{column}”列填了的行按该列）；"
                "坐标须在所填县市区境内，边界外 {metres} 米以内视为境内。",
                datum=t(DATUM_LABELS[datum]),
                converted=converted,
                column=t(column_by_key(table, "datum").header),
                metres=f"{BORDER_TOLERANCE_METRES:.0f}",
            )
        )
    else:
        originals = {}
    notes += _old_name_notes(frame, rows)
    # An update keeps the stored spelling of a key (one path, ``_stored_spelling``):
    # a key the file holds as stored (a name) before the checks, which derive a stand-in
    # position from the name; a key the checks derive (codes) after them.
    respelled = mode == MODE_UPDATE and set(KEY_COLUMNS[table]) <= set(frame.columns)
    if respelled:
        frame = _stored_spelling(table, frame, stored)
    _required_cells(frame, rows, table, match, found)
    prepared = _check_rows(table, frame, rows, regions, current)
    for problem in prepared.problems:
        value = (
            originals.get(problem.row, problem.value)
            if problem.field == "lon/lat"
            else problem.value
        )
        found.add(problem.row, problem.field, value, problem.problem, problem.expected)
    _duplicates(table, prepared.frame, rows, stored, mode, found)

    problems = found.frame()
    bad = set(problems["row"])
    good = [row not in bad for row in rows]
    valid = as_stored(table, prepared.frame[good])
    if mode == MODE_UPDATE and not respelled:
        valid = _stored_spelling(table, valid, stored)
    new, changed, unchanged = _change_counts(table, valid, stored)
    return replace(
        base,
        rows_total=len(rows),
        rows_valid=int(sum(good)),
        problems=problems,
        prepared=valid if problems.empty else None,
        prepared_valid=valid,
        rows_new=new,
        rows_changed=changed,
        rows_unchanged=unchanged,
        notes=tuple(notes),
        file_problem=False,
    )


# Writing -----------------------------------------------------------------------------


def merged_tables(
    current: dict[str, pd.DataFrame],
    report: ImportReport,
    mode: Mode,
    valid_only: bool = False,
) -> dict[str, pd.DataFrame]:
    """The full new table(s) to write for ``report``: only the imported table, keyed by
    its name, with the stored rows kept in order, changed rows replaced in place (update)
    and new rows after them.

    Raises ``ImportRejectedError`` when the file has problems and ``valid_only`` is not
    chosen, when no row can be imported, or when the database changed since the check so
    that a new row's key is now taken (append): check the file again then.
    """
    if mode != report.mode:
        raise ValueError(f"the report was checked for mode {report.mode!r}, not {mode!r}")
    if report.file_problem:
        raise ImportRejectedError(
            t("文件本身有问题，无法导入：{summary}", summary=report.summary())
        )
    rows = report.prepared_valid if valid_only else report.prepared
    if rows is None:
        raise ImportRejectedError(
            t(
                "文件有 {count} 处问题，未导入。请修改后重新上传，或明确选择只导入无误的行。",
                count=len(report.problems),
            )
        )
    if rows.empty:
        raise ImportRejectedError(
            t(
                "文件中没有无误的行可以导入（{count} 处问题），未导入。请修改后重新上传。",
                count=len(report.problems),
            )
        )
    table = report.table
    stored = current.get(table)
    stored = _empty_stored(table) if stored is None else as_stored(table, stored)
    by_key = dict(zip(row_keys(table, stored), range(len(stored)), strict=True))
    keys = row_keys(table, rows)
    taken = [" ".join(k) for k in keys if k in by_key]
    if mode == MODE_APPEND and taken:
        raise ImportRejectedError(
            t(
                "检查之后数据库已有变化：{records} 已在数据库中。请重新检查文件后再导入。",
                records=joined(taken[:5]),
            )
        )
    merged = stored.copy()
    added = []
    for position, key in enumerate(keys):
        if key in by_key:
            merged.iloc[by_key[key]] = rows.iloc[position]
        else:
            added.append(position)
    result = pd.concat([merged, rows.iloc[added]], ignore_index=True) if added else merged
    return {table: as_stored(table, result)}


# Reports -----------------------------------------------------------------------------


def readable_problems(report: ImportReport) -> pd.DataFrame:
    """The problem table with headers in the run's language, as shown and downloaded."""
    return report.problems.rename(columns={key: t(label) for key, label in PROBLEM_HEADERS.items()})


def report_facts(report: ImportReport) -> pd.DataFrame:
    """How the file was read and what the check found, one fact per row."""
    facts = [
        (t("结论"), report.summary()),
        (t("文件"), report.file_name),
        (t("数据表"), report.table_label),
        (t("工作表"), report.sheet or t("（CSV 文件）")),
        (t("文件编码"), report.encoding or t("（Excel 工作簿）")),
        (t("表头所在行"), str(report.header_row)),
        (t("坐标系"), t(DATUM_LABELS[report.datum])),
        (t("导入方式"), t(MODE_LABELS[report.mode])),
        (t("数据行数"), str(report.rows_total)),
        (t("无误行数"), str(report.rows_valid)),
        (t("问题数"), str(len(report.problems))),
        *((t("说明"), note) for note in report.notes),
    ]
    return pd.DataFrame(facts, columns=[t("项目"), t("内容")])


# Problems a page or the command line lists one by one; the rest are counted by field and
# kind (a file of a million bad rows must not print millions of lines), and every one is
# in the downloadable workbook (``report_xlsx``).
PROBLEMS_SHOWN = 50
COUNT_COLUMNS: tuple[str, ...] = ("field", "expected", "count")
COUNT_HEADERS: dict[str, str] = {"field": N_("字段"), "expected": N_("应为"), "count": N_("处数")}


def problem_counts(report: ImportReport, skip: int = PROBLEMS_SHOWN) -> pd.DataFrame:
    """The problems after the first ``skip``, counted by field and by what is expected
    (the kind of problem: a row's own value and position are left out), most first."""
    rest = report.problems.iloc[skip:]
    if rest.empty:
        return pd.DataFrame(columns=list(COUNT_COLUMNS)).astype({"count": "int64"})
    counts = rest.groupby(["field", "expected"], sort=False).size().reset_index(name="count")
    return counts.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


def readable_counts(report: ImportReport, skip: int = PROBLEMS_SHOWN) -> pd.DataFrame:
    """``problem_counts`` with headers in the run's language, as the page shows it."""
    counts = problem_counts(report, skip)
    return counts.rename(columns={key: t(label) for key, label in COUNT_HEADERS.items()})


def report_text(report: ImportReport, limit: int | None = PROBLEMS_SHOWN) -> str:
    """The report as plain text (command line): summary, notes, the first ``limit``
    problems (all when None), then the rest counted by field and kind."""
    lines = [report.summary(), *report.notes]
    shown = report.problems if limit is None else report.problems.head(limit)
    lines += [str(RowProblem(*row)) for row in shown.itertuples(index=False, name=None)]
    if limit is not None and len(report.problems) > limit:
        lines.append(
            t(
                "……另有 {count} 处问题未逐条列出（完整清单见问题清单工作簿），按字段统计：",
                count=f"{len(report.problems) - limit:,}",
            )
        )
        lines += [
            t("  {field}（应为{expected}）：{count} 处", field=field, expected=expected, count=n)
            for field, expected, n in problem_counts(report, limit).itertuples(
                index=False, name=None
            )
        ]
    return "\n".join(lines)


def report_xlsx(report: ImportReport) -> bytes:
    """The report as a workbook (``sheets.workbook``: cells neutralised, header frozen):
    sheet 问题清单 (row, field, value, problem, expected) and sheet 导入概要."""
    return sheets.workbook(
        [
            sheets.Sheet(t("问题清单"), readable_problems(report), widths=(8, 16, 24, 48, 48)),
            sheets.Sheet(t("导入概要"), report_facts(report), widths=(16, 100)),
        ]
    )
