"""The accessibility audit: axe-core injected into a page and into its map iframe.

axe-core comes from the npm registry: ``scripts/test.sh`` installs a pinned version into
``var/node/`` (git-ignored), and the audit reads ``axe.min.js`` from there.  A violation
blocks when axe rates it serious or critical, or when its rule is one the app has fixed
and keeps fixed whatever axe's rating (heading order).  Streamlit's own widgets have a
violation the app cannot change; it is excluded by rule and element only
(``STREAMLIT_EXCLUSIONS``), never by rule alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Frame

from tests.harness.server import ROOT

AXE_PACKAGE_DIR = ROOT / "var" / "node" / "node_modules" / "axe-core"
AXE_FILE = AXE_PACKAGE_DIR / "axe.min.js"
TEST_SCRIPT = ROOT / "scripts" / "test.sh"  # pins the version: AXE_CORE_VERSION=…

BLOCKING_IMPACTS = frozenset({"serious", "critical"})
# Rated moderate by axe, but issue 12 asks for it and the pages keep h1 → h2 → h3.
ALWAYS_BLOCKING_RULES = frozenset({"heading-order"})
_IMPACT_ORDER = ("", "minor", "moderate", "serious", "critical")


@dataclass(frozen=True)
class Exclusion:
    """One rule on one kind of Streamlit element that the app cannot change."""

    rule: str
    html_start: str  # how the element's outerHTML starts (axe reports it as node.html)
    reason: str

    def covers(self, rule: str, html: str) -> bool:
        return rule == self.rule and html.startswith(self.html_start)


STREAMLIT_EXCLUSIONS: tuple[Exclusion, ...] = (
    # st.toast (the "已用内置数据初始化数据库" notice on a fresh database) renders
    # <div data-testid="stToast" role="alertdialog" aria-labelledby="react-aria…">, and
    # the id it points to exists nowhere in the page (Streamlit 1.67 gives its toast no
    # title element), so the dialog has no accessible name.  The toast's text is read
    # out anyway as its content; the app has no way to name Streamlit's element.
    Exclusion(
        "aria-dialog-name",
        '<div data-testid="stToast"',
        "Streamlit's toast points aria-labelledby at an element it never renders",
    ),
)


@dataclass(frozen=True)
class Finding:
    """A blocking violation: which rule, how bad, where, and what axe says to do."""

    frame: str  # "page" or "map iframe"
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]  # CSS selectors of the offending elements

    def describe(self, shown: int = 4) -> str:
        more = f" (+{len(self.targets) - shown} more)" if len(self.targets) > shown else ""
        return (
            f"{self.rule} [{self.impact}] in the {self.frame}: {self.help} — "
            + "; ".join(self.targets[:shown])
            + more
        )


def pinned_version(script: Path = TEST_SCRIPT) -> str:
    """The axe-core version ``scripts/test.sh`` installs."""
    found = re.search(r"^AXE_CORE_VERSION=(\S+)$", script.read_text(encoding="utf-8"), re.M)
    return found.group(1) if found else "?"


def install_hint() -> str:
    return (
        "scripts/test.sh installs it (npm install --no-save --prefix var/node "
        f"axe-core@{pinned_version()})"
    )


def axe_source(path: Path = AXE_FILE) -> str:
    return path.read_text(encoding="utf-8")


_RUN_JS = """async () => {
    // Each frame is audited on its own (the map iframe with its own copy of axe).
    const result = await axe.run(document, {iframes: false, resultTypes: ['violations']});
    return {
        version: axe.version,
        violations: result.violations.map((v) => ({
            id: v.id, impact: v.impact || '', help: v.help,
            nodes: v.nodes.map((n) => ({
                target: n.target.map((t) => Array.isArray(t) ? t.join(' ') : String(t)),
                html: n.html, impact: n.impact || v.impact || '',
            })),
        })),
    };
}"""


def run_axe(frame: Frame, source: str) -> list[dict[str, Any]]:
    """axe's violations in ``frame`` (axe injected first if the frame has none yet)."""
    if not frame.evaluate("() => typeof window.axe === 'object'"):
        frame.evaluate(source)
    result: dict[str, Any] = frame.evaluate(_RUN_JS)
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def blocking_findings(
    violations: Iterable[Mapping[str, Any]],
    frame: str,
    exclusions: Sequence[Exclusion] = STREAMLIT_EXCLUSIONS,
) -> list[Finding]:
    """The violations that fail the audit, without the nodes an exclusion covers."""
    found: list[Finding] = []
    for violation in violations:
        rule = str(violation["id"])
        nodes = [
            node
            for node in violation["nodes"]
            if (rule in ALWAYS_BLOCKING_RULES or node["impact"] in BLOCKING_IMPACTS)
            and not any(e.covers(rule, str(node["html"])) for e in exclusions)
        ]
        if nodes:
            impact = max((str(node["impact"]) for node in nodes), key=_IMPACT_ORDER.index)
            targets = tuple(" ".join(node["target"]) for node in nodes)
            found.append(Finding(frame, rule, impact, str(violation["help"]), targets))
    return found


def describe_findings(findings: Sequence[Finding]) -> str:
    return f"{len(findings)} accessibility violation(s):\n" + "\n".join(
        "  - " + finding.describe() for finding in findings
    )
