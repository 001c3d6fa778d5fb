"""The app's pages: which exist, opening one, and the checks every page must pass."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.harness.browser import PAGE_TIMEOUT_MS, BrowserCheckError
from tests.harness.server import ROOT

OUTPUT_DIR = ROOT / "test-output" / "e2e"


@dataclass(frozen=True)
class PageSpec:
    """A page of the app as the browser tests and the benchmark address it."""

    name: str
    script: str  # path relative to the project, as given to st.Page / AppTest.switch_page
    url_path: str  # "" for the default page
    title: str
    has_map: bool | None = True  # None: check the map only if the page shows one
    county_card: str = ""  # heading prefix of the page's county card ("" = map tooltip)
    product_card: str = ""  # heading prefix of the page's product card ("" = map popup)
    markers: bool = True  # its map shows product markers (the output map fills counties)

    @property
    def exists(self) -> bool:
        return (ROOT / self.script).is_file()


KNOWN_PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "pages/overview.py", "", "品牌总览"),
    PageSpec(
        "explorer",
        "pages/explorer.py",
        "explorer",
        "品牌地图",
        county_card="县域名片：",
        product_card="产品名片：",
    ),
    PageSpec("output_map", "pages/output_map.py", "output_map", "产值地图", markers=False),
    # Sites and zones; product markers appear only for a nearby search or a route.
    PageSpec("zones_sites", "pages/zones_sites.py", "zones_sites", "示范区与文旅", markers=False),
    PageSpec("statistics", "pages/statistics.py", "statistics", "统计与资源图谱", has_map=False),
)


def discover_pages(root: Path = ROOT) -> list[PageSpec]:
    """The known pages that exist, then any other ``pages/*.py`` with generic checks.

    New pages are picked up without editing this list; Streamlit's default url path of
    a page file is its stem.
    """
    known = [page for page in KNOWN_PAGES if (root / page.script).is_file()]
    scripts = {page.script for page in KNOWN_PAGES}
    extra = [
        PageSpec(path.stem, f"pages/{path.name}", path.stem, path.stem, has_map=None)
        for path in sorted((root / "pages").glob("*.py"))
        if f"pages/{path.name}" not in scripts and not path.name.startswith("_")
    ]
    return known + extra


# Something the app's main script drew in the sidebar.  Before its first run has begun, a
# freshly opened app already reads as connected and not running.  And a fresh server's
# first run of a page's link runs that page alone, as a legacy ``pages/`` app, which
# reruns through ``app.py`` (``landmarks/ui/startup.py``): between the two runs the page
# reads as idle too, with nothing in its sidebar yet; a server stopped then leaves the
# page blank (the flake of tests/e2e/test_restarts.py).
_DRAWN = "[data-testid='stSidebarUserContent'] [data-testid='stElementContainer']"


class Served(Protocol):
    """Where the app answers: a ``StreamlitServer``, or a cluster's replica or balancer."""

    def url(self, path: str = "") -> str: ...


def open_page(page: Page, server: Served, url_path: str) -> None:
    """Navigate and wait until Streamlit is connected and has finished the script run."""
    page.goto(server.url(url_path))
    page.wait_for_selector(_DRAWN, state="attached", timeout=PAGE_TIMEOUT_MS)
    wait_until_idle(page)


def wait_until_idle(page: Page, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
        "[data-test-script-state='notRunning']",
        timeout=timeout_ms,
    )
    # A rerun triggered by a component (map click) starts a moment after the event;
    # waiting for the network to settle then the idle state again catches that run.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_load_state("networkidle", timeout=5_000)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms
    )


def streamlit_errors(page: Page) -> list[str]:
    """Texts of Streamlit exception boxes and st.error alerts on the page."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                '[data-testid="stException"], [data-testid="stAlertContentError"]')]
            .map((el) => el.innerText.trim() || el.outerHTML.slice(0, 200))"""
    )


def assert_no_streamlit_errors(page: Page) -> None:
    errors = streamlit_errors(page)
    if errors:
        raise BrowserCheckError("the page shows an error box: " + " | ".join(errors))


# Toasts fade by themselves a few seconds after a page opens; a screenshot leaves them out
# rather than wait for them.
NO_TOASTS = "[data-testid='stToast'] { visibility: hidden !important; }"


def save_screenshot(
    page: Page,
    name: str,
    output_dir: Path = OUTPUT_DIR,
    *,
    full_page: bool = True,
    style: str | None = None,
) -> Path:
    """``full_page=False`` keeps only what the viewport shows (what is above the fold);
    ``style`` is CSS applied for the screenshot only (e.g. ``NO_TOASTS``)."""
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, style=style)
    return path
