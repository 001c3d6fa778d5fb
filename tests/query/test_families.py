"""Registration families (一品多标): every registration listed, each family once."""

from __future__ import annotations

import pandas as pd

from landmarks.query import families
from tests.synthetic import FAMILY, HOSTILE

Tables = dict[str, pd.DataFrame]
GREEN_TEA = "恩施玉露茶"  # the family's second registered name


def rows_of(frame: pd.DataFrame, family: str) -> list[tuple[object, ...]]:
    part = frame[frame["family"] == family]
    return [
        (r.product, r.gi_type, r.number, None if pd.isna(r.year) else int(r.year), r.primary)
        for r in part.itertuples()
    ]


def test_a_family_lists_each_of_its_registrations(tables: Tables) -> None:
    registered = families.registration_rows(tables["products"], tables["registrations"])
    assert list(registered.columns) == list(families.REGISTRATION_COLUMNS)
    # The main row's primary, the certification mark its note names (number and year from
    # the registrations table), then the family's other row.
    assert rows_of(registered, FAMILY) == [
        (FAMILY, "农产品地理标志", "AGI00001", 2018, True),
        (FAMILY, "地理标志证明商标", "10000001", 2019, False),
        (GREEN_TEA, "地理标志保护产品", "质检总局公告2014年第1号", 2014, True),
    ]
    # Every product row gives exactly one primary registration.
    assert registered["primary"].sum() == len(tables["products"])
    assert registered["year"].dtype == "Int64"


def test_unstated_types_read_as_to_be_checked(tables: Tables) -> None:
    registered = families.registration_rows(tables["products"], tables["registrations"])
    assert rows_of(registered, HOSTILE) == [(HOSTILE, "类型待核实", "", 2020, True)]
    assert "unknown" not in set(registered["gi_type"]) and "" not in set(registered["gi_type"])
    assert families.type_label("unknown") == families.type_label("") == "类型待核实"
    assert families.type_label(None) == families.type_label("未注明") == "类型待核实"
    assert families.type_list("农产品地理标志；unknown；；农产品地理标志") == [
        "农产品地理标志",
        "类型待核实",
    ]


def test_types_without_details_and_details_of_other_types(tables: Tables) -> None:
    products = tables["products"].copy()
    zigui = products["name"] == "秭归脐橙"
    products.loc[zigui, "gi_types"] = "地理标志保护产品；农产品地理标志"
    products.loc[zigui, "registration_number"] = "2006年第1号"
    extra = pd.DataFrame(
        {
            "product": ["秭归脐橙", "秭归脐橙", "秭归脐橙", "秭归脐橙"],
            "gi_type": [
                "地理标志证明商标",
                "地理标志证明商标",
                "地理标志保护产品",
                "地理标志保护产品",
            ],
            "number": ["111", "222", "2006年第1号", "2010年第9号"],
            "year": pd.array([2012, pd.NA, 2006, 2010], dtype="Int64"),
            "note": ["", "", "", ""],
        }
    )
    registered = families.registration_rows(products, extra)
    assert rows_of(registered, "秭归脐橙") == [
        ("秭归脐橙", "地理标志保护产品", "2006年第1号", 2006, True),
        # Named in gi_types, no details known: listed, number and year blank.
        ("秭归脐橙", "农产品地理标志", "", None, False),
        # Not in gi_types: added from the registrations table, one row each.
        ("秭归脐橙", "地理标志证明商标", "111", 2012, False),
        ("秭归脐橙", "地理标志证明商标", "222", None, False),
        # The primary restated is not listed twice; a second one of its type is.
        ("秭归脐橙", "地理标志保护产品", "2010年第9号", 2010, False),
    ]


def test_one_row_per_family(tables: Tables) -> None:
    products, registrations = tables["products"], tables["registrations"]
    rows = families.family_rows(products, registrations)
    assert len(rows) == products["family"].nunique() == len(products) - 1
    assert list(rows["family"]) == list(dict.fromkeys(products["family"]))
    tea = rows.set_index("family").loc[FAMILY]
    assert tea["name"] == FAMILY  # the main row, named as the family
    assert tea["registered_names"] == f"{FAMILY}、{GREEN_TEA}"
    assert tea["registration_count"] == 3
    assert tea["gi_types"] == "地理标志保护产品；地理标志证明商标；农产品地理标志"
    assert tea["year"] == 2014  # the earliest of 2018, 2019, 2014
    assert tea["area_label"] == "本县"
    single = rows.set_index("family").loc["秭归夏橙"]
    assert (single["registration_count"], single["registered_names"]) == (1, "秭归夏橙")
    assert pd.isna(single["year"])
    assert set(rows["area_label"]) == {"本县", "跨 5 个县", "全市范围"}
    assert rows.set_index("family").loc["房县香菇", "gi_types"] == "类型待核实"


def test_a_family_is_listed_whole_when_any_row_is_in_view(tables: Tables) -> None:
    products = tables["products"]
    shown = products[products["name"] == GREEN_TEA]
    members = families.family_members(shown, products)
    assert list(members["name"]) == [FAMILY, GREEN_TEA]
    rows = families.family_rows(members, tables["registrations"])
    assert list(rows["family"]) == [FAMILY] and rows["registration_count"].iloc[0] == 3
    # Whichever name is chosen, the same family, main row first.
    for name in (FAMILY, GREEN_TEA):
        assert list(families.family_of(name, products)["name"]) == [FAMILY, GREEN_TEA]


def test_a_family_whose_main_row_comes_later(tables: Tables) -> None:
    products = tables["products"]
    reordered = pd.concat([products[products["name"] == GREEN_TEA], products])
    reordered = reordered.drop_duplicates("name").reset_index(drop=True)
    ordered = families.family_order(reordered)
    assert list(ordered["name"][:2]) == [FAMILY, GREEN_TEA]
    registered = families.registration_rows(reordered, tables["registrations"])
    assert list(registered["product"][:3]) == [FAMILY, FAMILY, GREEN_TEA]


def test_held_types_leave_out_to_be_checked_beside_known_types() -> None:
    assert families.held_types(["农产品地理标志", "类型待核实", "地理标志保护产品"]) == (
        "地理标志保护产品",
        "农产品地理标志",
    )
    assert families.held_types(["类型待核实", "类型待核实"]) == ("类型待核实",)
    assert families.held_types([]) == ()


def test_a_family_whose_main_type_is_to_be_checked(tables: Tables) -> None:
    products = tables["products"].copy()
    products.loc[products["name"] == FAMILY, ["gi_type", "gi_types"]] = "类型待核实"
    registered = families.registration_rows(products, tables["registrations"])
    assert registered.loc[registered["family"] == FAMILY, "gi_type"].tolist() == [
        "类型待核实",  # the row itself stays as the data says
        "地理标志证明商标",  # from the registrations table: not in gi_types, still listed
        "地理标志保护产品",
    ]
    rows = families.family_rows(products, tables["registrations"]).set_index("family")
    assert rows.loc[FAMILY, "gi_types"] == "地理标志保护产品；地理标志证明商标"
