"""In Chinese, no page shows an English interface string, and the language follows the link."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from geo.i18n import messages
from tests.browser import (
    ARTIFACTS,
    dashboard_server,
    map_frame,
    offline_context,
    screenshot,
    watched_page,
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


def test_chinese_pages_show_no_english_interface_text(tiny_server: str, browser: Browser) -> None:
    fragments = english_fragments()
    assert len(fragments) > 50
    context, external = offline_context(browser)
    watched = watched_page(context, external)
    for path in PAGES:
        watched.page.goto(f"{tiny_server}/{path}?lang=zh")
        watched.page.get_by_text("情景", exact=False).first.wait_for(timeout=30_000)
        if path == "":
            map_frame(watched.page)
        watched.page.wait_for_timeout(1500)
        for expander in watched.page.locator('[data-testid="stExpander"] summary').all():
            expander.click()
        watched.page.wait_for_timeout(500)
        text = page_text(watched.page)
        left = sorted(f for f in fragments if f in text)
        screenshot(watched.page, f"zh-{path or 'map'}")
        assert not left, f"/{path}: English left: {left[:10]}"
        assert "lang=zh" in watched.page.url
    nav = watched.page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "地图" in nav and "简报导出" in nav
    assert external == [] and watched.errors == []
    context.close()


def test_the_language_switch_changes_the_page_and_the_link(server: str, browser: Browser) -> None:
    context, external = offline_context(browser)
    watched = watched_page(context, external)
    watched.page.goto(server)
    watched.page.get_by_text("Corridor Atlas").first.wait_for(timeout=30_000)
    watched.page.locator('[data-testid="stSidebar"]').get_by_text("简体中文").click()
    watched.page.get_by_text("欧亚走廊图集").first.wait_for(timeout=30_000)
    assert "lang=zh" in watched.page.url
    frame = map_frame(watched.page, showing="图例")
    assert "图例" in frame.locator(".ca-legend").inner_text()
    shared = watched.page.url
    fresh_context, external_2 = offline_context(browser)
    fresh = watched_page(fresh_context, external_2)
    fresh.page.goto(shared)
    fresh.page.get_by_text("欧亚走廊图集").first.wait_for(timeout=30_000)
    screenshot(fresh.page, "zh-shared-link")
    assert external == external_2 == []
    context.close()
    fresh_context.close()
