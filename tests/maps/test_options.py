"""The map contract: every key the map scripts read is declared in maps/options.py, and
every key declared there is read by a script.

The scripts are read as text: comments, strings and regular expressions are blanked, each
``options.<key>`` read is given to the innermost function that has a parameter named
``options`` (``OPTION_FUNCTIONS`` says which call's options that function receives), and a
few variables that always hold one kind of object are read file-wide (``ALIASES``).  A key
added on one side only (Python or JS) fails here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import pytest

from landmarks.maps import assets, builders
from landmarks.maps import options as gi
from landmarks.query import presentation

SCRIPTS = ("gi_map.js", "gi_sites.js", "gi_basemap.js", "gi_inset.js", "gi_public.js")

# The functions that receive a call's options as their parameter ``options``.
OPTION_FUNCTIONS: dict[tuple[str, str], type] = {
    ("gi_map.js", "GiMap.base"): gi.BaseOptions,
    ("gi_map.js", "GiMap.data"): gi.DataOptions,
    ("gi_map.js", "productMarkers"): gi.DataOptions,
    ("gi_map.js", "productCluster"): gi.DataOptions,
    ("gi_map.js", "startTour"): gi.DataOptions,
    ("gi_map.js", "GiMap.legend"): gi.LegendOptions,
    ("gi_map.js", "GiMap.choropleth"): gi.ChoroplethOptions,
    ("gi_map.js", "choroplethTip"): gi.ChoroplethOptions,
    ("gi_sites.js", "GiMap.zonesSites"): gi.ZonesSitesOptions,
    ("gi_sites.js", "drawZones"): gi.ZonesSitesOptions,
    ("gi_basemap.js", "GiMap.basemap"): gi.BasemapOptions,
    ("gi_inset.js", "GiMap.inset"): gi.InsetOptions,
}
# Variables that hold one kind of options object wherever they appear in a file.
ALIASES: dict[tuple[str, str], type] = {
    ("gi_map.js", "state.options"): gi.BaseOptions,
    ("gi_map.js", "styles"): gi.Styles,
    ("gi_map.js", "selected"): gi.SelectedOptions,
    ("gi_map.js", "settings"): gi.TourOptions,
    ("gi_map.js", "step"): gi.TourStepOptions,
    ("gi_sites.js", "c"): gi.CircleOptions,
    ("gi_sites.js", "route"): gi.RouteOptions,
    ("gi_basemap.js", "spec"): gi.TileLayerOptions,
    ("gi_public.js", "config"): gi.PublicConfig,
    ("gi_public.js", "config.base"): gi.BaseOptions,
}
# Declared objects whose keys a script must read (the others go to Leaflet as they are).
READ_IN_FULL = (
    *gi.CALLS.values(),
    gi.Styles,
    gi.SelectedOptions,
    gi.TourOptions,
    gi.TourStepOptions,
    gi.CircleOptions,
    gi.RouteOptions,
    gi.TileLayerOptions,
    gi.PublicConfig,
)


def keys_of(typed: type) -> set[str]:
    return set(typed.__required_keys__) | set(typed.__optional_keys__)  # type: ignore[attr-defined]


def blank(source: str) -> str:
    """``source`` with comments removed and strings and regular expressions emptied, so
    that braces and dots inside them do not count."""
    out: list[str] = []
    i, n = 0, len(source)
    last = ""  # the last significant character written
    while i < n:
        char = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif char in "'\"`":
            j = i + 1
            while source[j] != char:
                j += 2 if source[j] == "\\" else 1
            out.append(char * 2)
            last, i = char, j + 1
        elif char == "/" and (last == "" or last in "(,=:[!&|?{};+-*%<>~^"):
            j = i + 1
            in_class = False
            while in_class or source[j] != "/":
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            j += 1
            while j < n and source[j].isalpha():
                j += 1
            out.append("/r/")
            last, i = "/", j
        else:
            out.append(char)
            if not char.isspace():
                last = char
            i += 1
    return "".join(out)


@dataclass(frozen=True)
class Function:
    name: str
    params: tuple[str, ...]
    start: int  # the body's opening brace
    end: int  # its closing brace


_FUNCTION = re.compile(r"function\s*(\w*)\s*\(([^)]*)\)\s*\{")
_ASSIGNED = re.compile(r"([\w.]+)\s*[=:]\s*$")


def functions(code: str) -> list[Function]:
    found = []
    for match in _FUNCTION.finditer(code):
        name = match.group(1)
        if not name:
            assigned = _ASSIGNED.search(code[max(0, match.start() - 80) : match.start()])
            name = assigned.group(1) if assigned else ""
        start = match.end() - 1
        depth, end = 0, start
        for end in range(start, len(code)):
            depth += {"{": 1, "}": -1}.get(code[end], 0)
            if depth == 0:
                break
        params = tuple(p.strip() for p in match.group(2).split(",") if p.strip())
        found.append(Function(name, params, start, end))
    return found


def reads(
    script: str, source: str, option_functions: dict[tuple[str, str], type]
) -> tuple[dict[type, set[str]], list[str]]:
    """Keys read per declared type, and problems (a function reading ``options`` that
    ``option_functions`` does not name)."""
    code = blank(source)
    found: dict[type, set[str]] = defaultdict(set)
    problems = []
    scopes = functions(code)
    for match in re.finditer(r"(?<![\w.])options\.(\w+)", code):
        at = match.start()
        owners = [f for f in scopes if f.start < at < f.end and "options" in f.params]
        if not owners:
            problems.append(f"{script}: options.{match.group(1)} read outside a function")
            continue
        owner = max(owners, key=lambda f: f.start)  # the innermost
        typed = option_functions.get((script, owner.name))
        if typed is None:
            problems.append(f"{script}: {owner.name}() reads options.{match.group(1)}")
            continue
        found[typed].add(match.group(1))
    for (file, alias), typed in ALIASES.items():
        if file == script:
            pattern = rf"(?<![\w.]){re.escape(alias)}\.(\w+)"
            found[typed].update(m.group(1) for m in re.finditer(pattern, code))
    return found, problems


def all_reads() -> tuple[dict[type, set[str]], list[str]]:
    total: dict[type, set[str]] = defaultdict(set)
    problems = []
    for script in SCRIPTS:
        found, trouble = reads(script, assets.web_file(script).decode("utf-8"), OPTION_FUNCTIONS)
        problems += trouble
        for typed, keys in found.items():
            total[typed] |= keys
    return total, problems


def test_every_key_the_scripts_read_is_declared() -> None:
    found, problems = all_reads()
    assert not problems, problems
    undeclared = {
        typed.__name__: sorted(keys - keys_of(typed))
        for typed, keys in found.items()
        if keys - keys_of(typed)
    }
    assert not undeclared, f"read by the scripts, not declared in maps/options.py: {undeclared}"


def test_every_declared_key_is_read_by_a_script() -> None:
    found, _problems = all_reads()
    unread = {
        typed.__name__: sorted(keys_of(typed) - found.get(typed, set()))
        for typed in READ_IN_FULL
        if keys_of(typed) - found.get(typed, set())
    }
    assert not unread, f"declared in maps/options.py but read by no map script: {unread}"


def test_a_key_on_one_side_only_is_caught() -> None:
    """The reader itself: a new key read in a call, or in a helper nobody named, shows."""
    source = """
      GiMap.base = function (map, options) {
        var s = '{ options.inString }'; // options.inComment
        var r = /\\{(\\w+)\\}/g;
        if (options.counties) helper(options);
        function inner() { return options.brandNew; }
      };
      function helper(options) { return options.prefectures; }
    """
    found, problems = reads("gi_map.js", source, OPTION_FUNCTIONS)
    assert found[gi.BaseOptions] >= {"counties", "brandNew"}
    assert "inString" not in found[gi.BaseOptions] and "inComment" not in found[gi.BaseOptions]
    assert problems == ["gi_map.js: helper() reads options.prefectures"]


def test_the_calls_table_names_every_gimap_function_python_calls() -> None:
    """Every GiMap.<fn> the scripts define for an options object is in ``CALLS``."""
    defined = set()
    for script in SCRIPTS[:4]:
        code = blank(assets.web_file(script).decode("utf-8"))
        defined |= set(re.findall(r"GiMap\.(\w+) = function \(\w+, options\)", code))
    assert defined == set(gi.CALLS)


@pytest.mark.parametrize("function", sorted(gi.CALLS))
def test_call_writes_one_statement_safe_inside_a_script(function: str) -> None:
    statement = gi.call(function, "map", {"html": "</script><!--"})  # type: ignore[call-overload]
    assert statement.startswith(f"GiMap.{function}(map, {{")
    assert statement.endswith(");") and "<" not in statement


def test_the_styles_declared_are_the_styles_sent() -> None:
    assert set(builders.STYLES) == keys_of(gi.Styles)
    assert presentation.TourJson is gi.TourOptions
