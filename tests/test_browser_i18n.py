"""In Chinese, no page shows an English interface string, and the language follows the link."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from geo.i18n import messages
from tests.browser import (
    ARTIFACTS,
    SETTLE_MS,
    dashboard_server,
    expect_app_settled,
    map_frame,
    offline_page,
    screenshot,
)
from tests.conftest import TINY

pytestmark = pytest.mark.browser

PAGES = ["", "compare", "routes", "export", "catalogue", "sources"]


def english_fragments() -> set[str]:
    """Static pieces (two words or more) of every English message that Chinese replaces."""
    chinese = messages("zh")
    fragments = set()
    for key, template in messages("en").items():
        if chinese.get(key) == template:
            continue
        for literal, *_ in string.Formatter().parse(template):
            for raw in re.split(r"[*`_\n]+", literal):
                piece = raw.strip(" -:.,;()")
                if len(piece) >= 8 and " " in piece and re.search(r"[a-z]{3}", piece):
                    fragments.add(piece)
    return fragments


@pytest.fixture(scope="module")
def tiny_server() -> Iterator[str]:
    ARTIFACTS.mkdir(exist_ok=True)
    with dashboard_server({"CORRIDOR_ATLAS_CATALOGUE": str(TINY)}) as url:
        yield url


def page_text(page: Page) -> str:
    frames = [frame for frame in page.frames if not frame.is_detached()]
    return "\n".join(frame.locator("body").inner_text() for frame in frames)


def open_every_expander(page: Page) -> None:
    """Open the page's closed expanders (an open one would close if clicked) and wait for each."""
    for expander in page.locator('[data-testid="stExpander"]').all():
        details = expander.locator("details")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        expect(details).to_have_attribute("open", "")
        expect(expander.locator('[data-testid="stExpanderDetails"]')).to_be_visible()


def test_chinese_pages_show_no_english_interface_text(tiny_server: str, browser: Browser) -> None:
    fragments = english_fragments()
    assert len(fragments) > 50
    with offline_page(browser) as watched:
        page = watched.page
        for path in PAGES:
            page.goto(f"{tiny_server}/{path}?lang=zh")
            expect(page.get_by_text("情景", exact=False).first).to_be_visible(timeout=SETTLE_MS)
            if path == "":
                map_frame(page)
            expect_app_settled(page)
            open_every_expander(page)
            text = page_text(page)
            left = sorted(f for f in fragments if f in text)
            screenshot(page, f"zh-{path or 'map'}")
            assert not left, f"/{path}: English left: {left[:10]}"
            assert "lang=zh" in page.url
        nav = page.locator('[data-testid="stSidebarNav"]')
        expect(nav).to_contain_text("地图")
        expect(nav).to_contain_text("简报导出")
        assert watched.external == [] and watched.errors == []


def test_the_language_switch_changes_the_page_and_the_link(server: str, browser: Browser) -> None:
    with offline_page(browser) as watched, offline_page(browser) as fresh:
        page = watched.page
        page.goto(server)
        expect(page.get_by_text("Corridor Atlas").first).to_be_visible(timeout=SETTLE_MS)
        page.locator('[data-testid="stSidebar"]').get_by_text("简体中文").click()
        expect(page.get_by_text("欧亚走廊图集").first).to_be_visible(timeout=SETTLE_MS)
        page.wait_for_function("() => location.search.includes('lang=zh')")
        frame = map_frame(page, showing="图例")
        expect(frame.locator(".ca-legend")).to_contain_text("图例")
        expect_app_settled(page)
        shared = page.url
        fresh.page.goto(shared)
        expect(fresh.page.get_by_text("欧亚走廊图集").first).to_be_visible(timeout=SETTLE_MS)
        screenshot(fresh.page, "zh-shared-link")
        assert watched.external == fresh.external == []
