"""Accessibility audit of every page with axe-core, in Debian Chromium at 1280×720.

axe-core is the npm registry's package, pinned and installed by ``scripts/test.sh`` into
``var/node/``; it is injected into each page once Streamlit is idle, and into the map's
iframe (same origin) once Leaflet has drawn.  Any serious or critical violation fails,
and so does a heading-order one; the failure lists rule, impact, target selectors and
axe's help.  Besides the pages found in ``pages/``, 展示模式 (``?present=1``) and its
booth tour are audited, and so are pages with a card open.  The one Streamlit element
the app cannot fix is excluded by rule and element in ``tests/harness/axe.py``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.harness import (
    PageSpec,
    StreamlitServer,
    assert_no_streamlit_errors,
    discover_pages,
    has_map,
    map_frame,
    open_page,
    recorded_page,
)
from tests.harness.axe import (
    ALWAYS_BLOCKING_RULES,
    AXE_FILE,
    Finding,
    axe_source,
    blocking_findings,
    describe_findings,
    install_hint,
    run_axe,
)
from tests.harness.views import View, ViewSpec

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 720}
PAGES = discover_pages()
CARD_PRODUCT = "秭归脐橙"  # its card and its county's card open on the explorer
CARD_SITE = "潜江生态龙虾城(龙虾美食街区)"  # a site card on 示范区与文旅


@dataclass(frozen=True)
class Audit:
    """One address to audit: a page, or a page in a given state."""

    name: str
    url_path: str
    has_map: bool | None  # None: audit the map iframe if the page shows one
    present: bool = False  # 展示模式: the sidebar must be gone
    card: str = ""  # the heading of the card the address opens


def _audits(pages: list[PageSpec]) -> list[Audit]:
    audits = [Audit(page.name, page.url_path, page.has_map) for page in pages]
    names = {page.name for page in pages}
    if "explorer" in names:
        audits += [
            Audit("explorer-present", "explorer?present=1", True, present=True),
            Audit("explorer-tour", "explorer?present=1&tour=chains&every=30", True, present=True),
            Audit(
                "explorer-cards",
                f"explorer?product={CARD_PRODUCT}",
                True,
                card=f"产品名片：{CARD_PRODUCT}",
            ),
        ]
    if "zones_sites" in names:
        audits.append(
            Audit(
                "zones_sites-card",
                f"zones_sites?site={CARD_SITE}",
                True,
                card=f"站点名片：{CARD_SITE}",
            )
        )
    return audits


AUDITS = _audits(PAGES)


@pytest.fixture(scope="session")
def axe() -> str:
    """axe.min.js from the npm registry's axe-core; missing: skipped, or failed in CI."""
    if not AXE_FILE.is_file():
        message = f"{AXE_FILE} is missing: {install_hint()}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    return axe_source()


@pytest.fixture
def page_1280(shared_context: BrowserContext) -> Iterator[Page]:
    with recorded_page(shared_context, VIEWPORT) as (page, _recorder):
        yield page


def audit(page: Page, axe: str, *, with_map: bool) -> list[Finding]:
    """Blocking findings of the page and, when it has one, of its map iframe."""
    findings = blocking_findings(run_axe(page.main_frame, axe), "page")
    if with_map:
        findings += blocking_findings(run_axe(map_frame(page), axe), "map iframe")
    return findings


def test_audits_cover_every_page_and_the_presentation_mode() -> None:
    names = [audit.name for audit in AUDITS]
    assert names[: len(PAGES)] == [page.name for page in PAGES]
    assert "explorer-present" in names and "explorer-tour" in names


@pytest.mark.parametrize(
    ("target", "view"),
    [(audit, ViewSpec(audit.url_path, VIEWPORT["width"], VIEWPORT["height"])) for audit in AUDITS],
    ids=[audit.name for audit in AUDITS],
    indirect=["view"],
)
def test_page_has_no_serious_accessibility_violation(target: Audit, view: View, axe: str) -> None:
    page = view.page
    assert_no_streamlit_errors(page)
    if target.present:  # the audit must see 展示模式, not the ordinary page
        sidebar = page.locator("[data-testid='stSidebar']")
        with contextlib.suppress(PlaywrightTimeoutError):  # asserted just below
            sidebar.wait_for(state="hidden", timeout=15_000)
        assert not sidebar.is_visible(), (
            f"{target.url_path}: the sidebar is still shown, so 展示模式 is not on"
        )
    if target.card:  # the audit must see the card open
        headings = page.locator("h1, h2, h3").all_inner_texts()
        assert target.card in [h.strip() for h in headings], headings
    with_map = bool(target.has_map or (target.has_map is None and has_map(page)))
    findings = audit(page, axe, with_map=with_map)
    assert not findings, f"{target.url_path or '/'} at 1280×720: " + describe_findings(findings)


# ----------------------------------------------------------------------------------------
# The audit can fail: contrast and heading order broken on purpose are reported, in the
# page and in the map iframe; an exclusion covers its Streamlit element and nothing else.
# ----------------------------------------------------------------------------------------

_BREAK_PAGE_JS = """() => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    const faint = document.createElement('p');
    faint.id = 'a11y-faint'; faint.textContent = '浅灰色的说明文字';
    faint.style.color = '#b8b8b8';
    const deep = document.createElement('h4');
    deep.id = 'a11y-deep'; deep.textContent = '跳级的标题';
    main.prepend(faint);
    main.querySelector('h1').after(deep);  // h1 → h4
}"""
_BREAK_MAP_JS = """() => {
    const legend = document.querySelector('.gi-legend') || document.body;
    const faint = document.createElement('div');
    faint.id = 'a11y-faint-legend'; faint.textContent = '浅色图例';
    faint.style.color = '#d0d0d0';
    faint.style.background = '#ffffff';  // opaque: axe cannot judge text over the map
    legend.appendChild(faint);
}"""


def test_the_audit_reports_broken_contrast_and_heading_order(
    page_1280: Page, app_server: StreamlitServer, axe: str
) -> None:
    page = page_1280
    open_page(page, app_server, "")
    page.main_frame.evaluate(_BREAK_PAGE_JS)
    map_frame(page).evaluate(_BREAK_MAP_JS)
    findings = audit(page, axe, with_map=True)
    by_rule = {(f.frame, f.rule): f for f in findings}
    assert ("page", "color-contrast") in by_rule, describe_findings(findings)
    assert "#a11y-faint" in by_rule["page", "color-contrast"].targets
    assert by_rule["page", "color-contrast"].impact == "serious"
    assert "#a11y-deep" in by_rule["page", "heading-order"].targets
    assert "#a11y-faint-legend" in by_rule["map iframe", "color-contrast"].targets
    message = describe_findings(findings)
    assert "color-contrast [serious] in the page" in message and "#a11y-faint" in message


def _violation(rule: str, impact: str, html: str, target: str) -> dict[str, object]:
    return {
        "id": rule,
        "impact": impact,
        "help": "help",
        "nodes": [{"target": [target], "html": html, "impact": impact}],
    }


def test_exclusions_cover_only_their_rule_on_their_element() -> None:
    toast = '<div data-testid="stToast" class="stToast" role="alertdialog">'
    dialog = '<div role="dialog" class="mine">'
    violations = [
        _violation("aria-dialog-name", "serious", toast, ".stToast"),
        _violation("aria-dialog-name", "serious", dialog, ".mine"),
        _violation("color-contrast", "serious", toast + "<p>", ".stToast"),
        _violation("region", "moderate", dialog, ".mine"),
        *[_violation(rule, "moderate", dialog, ".mine") for rule in ALWAYS_BLOCKING_RULES],
    ]
    found = {(f.rule, f.targets) for f in blocking_findings(violations, "page")}
    assert found == {
        ("aria-dialog-name", (".mine",)),
        ("color-contrast", (".stToast",)),
        *[(rule, (".mine",)) for rule in ALWAYS_BLOCKING_RULES],
    }
