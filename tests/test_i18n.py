"""Every text of the interface has an English entry, and no Chinese text escapes ``t``.

The messages are extracted from the code as a translator's tool would (Babel, keywords
``t`` and ``N_``); the English catalog is read as the app reads it.
"""

from __future__ import annotations

import ast
import re
import string
from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po

from landmarks import i18n

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "landmarks").rglob("*.py")]
)
SCRIPTS = sorted((ROOT / "landmarks" / "maps" / "web").glob("*.js"))
KEYWORDS = {"t": None, "N_": None}
# Chinese characters and the full-width punctuation that goes with them (，、：（）).
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# A constant that is data rather than interface text (place names, accepted input
# headers) says so on its line or on its statement's first line.
NOT_UI = "# not UI"
# The command line is the maintainers' tool, in Chinese only.
CHINESE_ONLY = {ROOT / "landmarks" / "__main__.py"}


def _messages() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in SOURCES:
        with path.open("rb") as file:
            for line, message, _comments, _context in extract("python", file, KEYWORDS):
                if isinstance(message, str):
                    found[message].append(f"{path.relative_to(ROOT)}:{line}")
    return found


MESSAGES = _messages()


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_the_code_has_messages_and_the_catalog_reads() -> None:
    assert "{region}地标品牌地图" in MESSAGES
    assert i18n.catalog(i18n.ENGLISH)["{region}地标品牌地图"]


def test_every_message_has_an_english_entry() -> None:
    english = i18n.catalog(i18n.ENGLISH)
    missing = [f"{MESSAGES[m][0]}: {m}" for m in MESSAGES if not english.get(m)]
    assert not missing, f"{len(missing)} messages without English:\n" + "\n".join(missing)


def test_english_entries_keep_the_placeholders_and_read_in_english() -> None:
    english = i18n.catalog(i18n.ENGLISH)
    wrong = [
        f"{MESSAGES[m][0]}: {m} → {english[m]}"
        for m in MESSAGES
        if m in english and (_fields(m) != _fields(english[m]) or CHINESE.search(english[m]))
    ]
    assert not wrong, "\n".join(wrong)


def test_catalog_files_agree_on_shared_messages() -> None:
    """A message may sit in several PO files (a term used across layers), one English."""
    seen: dict[str, tuple[str, str]] = {}
    conflicts = []
    for path in sorted((i18n.LOCALE_DIR / i18n.ENGLISH).glob("*.po")):
        with path.open("rb") as file:
            for message in read_po(file):
                if not message.id or not message.string:
                    continue
                earlier = seen.setdefault(message.id, (path.name, message.string))
                if earlier[1] != message.string:
                    conflicts.append(f"{message.id}: {earlier} / {path.name}: {message.string}")
    assert not conflicts, "\n".join(conflicts)


def test_no_entry_for_a_message_the_code_no_longer_has() -> None:
    stale = sorted(set(i18n.catalog(i18n.ENGLISH)) - set(MESSAGES))
    assert not stale, "entries nobody uses:\n" + "\n".join(stale)


def _docstrings(tree: ast.AST) -> set[int]:
    nodes = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, nodes)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _translated(tree: ast.AST) -> set[int]:
    """The texts handed to ``t`` or ``N_`` as the message."""
    calls = (node for node in ast.walk(tree) if isinstance(node, ast.Call) and node.args)
    return {
        id(call.args[0])
        for call in calls
        if (getattr(call.func, "id", None) or getattr(call.func, "attr", None)) in KEYWORDS
    }


def _chinese_outside_messages(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    allowed = _docstrings(tree) | _translated(tree)
    statement_of: dict[int, ast.stmt] = {}
    for statement in ast.walk(tree):
        if isinstance(statement, ast.stmt):
            for node in ast.walk(statement):
                statement_of[id(node)] = statement  # innermost statement wins (walked last)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if id(node) in allowed or not CHINESE.search(node.value):
            continue
        statement = statement_of.get(id(node))
        marked = {node.lineno} | ({statement.lineno} if statement else set())
        if any(NOT_UI in lines[number - 1] for number in marked):
            continue
        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]!r}")
    return found


@pytest.mark.parametrize(
    "path",
    [path for path in SOURCES if path not in CHINESE_ONLY],
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_no_chinese_text_outside_messages(path: Path) -> None:
    found = _chinese_outside_messages(path)
    assert not found, "Chinese text not passed through t()/N_():\n" + "\n".join(found)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: path.name)
def test_map_scripts_take_their_texts_from_the_page(path: Path) -> None:
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", path.read_text(encoding="utf-8"), flags=re.S)
    found = [line.strip() for line in code.splitlines() if CHINESE.search(line)]
    assert not found, "\n".join(found)


def test_names_get_their_pinyin_in_english_only() -> None:
    assert i18n.name("恩施玉露") == "恩施玉露"
    with i18n.language(i18n.ENGLISH):
        assert i18n.name("恩施玉露") == "恩施玉露 (Enshi Yulu)"
        assert i18n.name("武当山特区") == "武当山特区 (Wudangshan Special Zone)"
        assert i18n.name("Hubei") == "Hubei"
        assert i18n.name("恩施玉露 (Enshi Yulu)") == "恩施玉露 (Enshi Yulu)"  # once only
        # Generic words of long names in English, punctuation in its English form.
        zone = i18n.name("蕲艾国家地理标志产品保护示范区")
        assert (
            zone
            == "蕲艾国家地理标志产品保护示范区 (Qiai " + i18n.t("国家地理标志产品保护示范区") + ")"
        )
        assert i18n.romanize("恩施—宣恩—咸丰茶旅线路").startswith("Enshi – Xuanen – Xianfeng ")
        assert i18n.names(["武汉市", "咸宁市"]) == "武汉市 (Wuhan City), 咸宁市 (Xianning City)"
    assert i18n.names(["武汉市", "咸宁市"]) == "武汉市、咸宁市"


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("武汉市", "Wuhan City"),
        ("潜江市", "Qianjiang City"),  # 县级市: a city too
        ("秭归县", "Zigui County"),
        ("房县", "Fang County"),
        ("洪山区", "Hongshan District"),
        ("神农架林区", "Shennongjia Forestry District"),
        ("恩施土家族苗族自治州", "Enshi Tujia and Miao Autonomous Prefecture"),
        ("长阳土家族自治县", "Changyang Tujia Autonomous County"),
        ("湖北省", "Hubei Province"),
    ],
)
def test_place_names_say_what_the_place_is_in_english(chinese: str, english: str) -> None:
    """Shi, Xian, Qu and Zizhizhou are no English words: a delegation reads City, County,
    District and Autonomous Prefecture, and the peoples' names in English."""
    with i18n.language(i18n.ENGLISH):
        assert i18n.name(chinese) == f"{chinese} ({english})"


def test_messages_follow_the_language() -> None:
    assert i18n.t("{region}地标品牌地图", region="湖北") == "湖北地标品牌地图"
    with i18n.language(i18n.ENGLISH):
        assert i18n.t("{region}地标品牌地图", region="Hubei") == "Hubei GI Brand Map"
        assert i18n.current_language() == i18n.ENGLISH
    assert i18n.current_language() == i18n.CHINESE


def test_a_name_is_romanized_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The English map rows of a new data version (after an import) read every name with
    pypinyin again; only names not read before need it."""
    calls: list[str] = []
    read = i18n._pinyin_words

    def counted(run: str) -> list[str]:
        calls.append(run)
        return read(run)

    monkeypatch.setattr(i18n, "_pinyin_words", counted)
    with i18n.language(i18n.ENGLISH):
        first = i18n.name("测试只读一次的地名甲")
        again = i18n.name("测试只读一次的地名甲")
    assert first == again and first.startswith("测试只读一次的地名甲 (")
    assert calls == ["测试只读一次的地名甲"]
