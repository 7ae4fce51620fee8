"""
In a real browser: shared links reproduce a view, sessions stay apart, uploads affect only their
own session, and catalogue text full of markup shows literally without running.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from geo.catalogue import Catalogue
from geo.metrics import evaluate_all
from geo.scenarios import apply_scenario
from tests.browser import (
    GREY,
    SETTLE_MS,
    dashboard_server,
    expect_app_settled,
    expect_on_map,
    map_frame,
    offline_page,
    screenshot,
    with_tooltip,
)
from tests.conftest import TINY, tiny_variant

pytestmark = pytest.mark.browser

PAYLOAD = '<img src=x onerror="window.__pwned=1">'
SCRIPT_PAYLOAD = "<script>window.__pwned=2</script>"
IMAGE_PAYLOAD = "![tracker](https://evil.example/pixel.png) [click](javascript:alert(1))"
TEMPLATE_PAYLOAD = "{{ 7*7 }}{% if true %}"  # branca re-renders scripts as Jinja templates


def expect_scenario(page: Page, name: str) -> None:
    """The "Scenario: …" caption names `name` (Playwright reads it again until it does)."""
    caption = page.get_by_text("Scenario:", exact=False).first
    expect(caption).to_contain_text(name, timeout=SETTLE_MS)


def choose_in_sidebar(page: Page, label: str, option: str) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def expected_grey(catalogue: Catalogue, scenario: str) -> int:
    results = evaluate_all(catalogue, apply_scenario(catalogue, scenario))
    return sum(1 for r in results for leg in r.legs if leg.closure)


def test_a_shared_link_reproduces_the_view_in_a_fresh_browser(
    server: str, browser: Browser, real: Catalogue
) -> None:
    scenario = real.scenario("russia-transit-closed")
    expected = expected_grey(real, scenario.id)
    assert expected > 0
    with offline_page(browser) as first, offline_page(browser) as second:
        first.page.goto(server)
        map_frame(first.page)
        choose_in_sidebar(first.page, "Scenario", scenario.name)
        first.page.wait_for_function(f"() => location.search.includes('{scenario.id}')")
        expect_scenario(first.page, "Russia")
        expect_on_map(first.page, GREY, expected)
        expect_app_settled(first.page)
        shared = first.page.url
        screenshot(first.page, "share-original")

        second.page.goto(shared)
        expect_scenario(second.page, "Russia")
        expect_on_map(second.page, GREY, expected)
        expect_app_settled(second.page)
        assert second.page.url == shared
        screenshot(second.page, "share-reopened")
        assert first.external == second.external == []


def test_ten_sessions_at_once_each_keep_their_own_scenario(
    server: str, browser: Browser, real: Catalogue
) -> None:
    scenarios = [s.id for s in real.scenarios]
    wanted = [scenarios[i % len(scenarios)] for i in range(10)]
    with ExitStack() as stack:
        pages = [stack.enter_context(offline_page(browser)).page for _ in wanted]
        for page, scenario in zip(pages, wanted, strict=True):
            page.goto(f"{server}/?scenario={scenario}")
        # change the scenario in one session; no other session may follow it
        choose_in_sidebar(pages[0], "Scenario", real.scenario("caspian-storms").name)
        pages[0].wait_for_function("() => location.search.includes('caspian-storms')")
        wanted[0] = "caspian-storms"
        # the changed session first: once it shows its new scenario, the others are checked
        for page, scenario in zip(pages, wanted, strict=True):
            expect_scenario(page, real.scenario(scenario).name)
            expect_on_map(page, GREY, expected_grey(real, scenario))
            expect_app_settled(page)
            assert f"scenario={scenario}" in page.url, scenario


@pytest.fixture(scope="module")
def payload_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    text = tiny_variant("name: B Port,", f"name: '{PAYLOAD}',")
    text = text.replace("name: Main,", f"name: '{SCRIPT_PAYLOAD}',", 1)
    text = text.replace("name: Bland,", "name: '\"><svg onload=window.__pwned=3>',")
    text = text.replace("description: As is.", f"description: '{IMAGE_PAYLOAD}'")
    text = text.replace("name: A City,", f"name: '{TEMPLATE_PAYLOAD}',")
    path: Path = tmp_path_factory.mktemp("payload") / "payload.yaml"
    path.write_text(text, encoding="utf-8")
    with dashboard_server({"CORRIDOR_ATLAS_CATALOGUE": str(path)}) as url:
        yield url


def test_markup_in_the_catalogue_shows_literally_and_never_runs(
    payload_server: str, browser: Browser
) -> None:
    with offline_page(browser) as watched:
        page = watched.page
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(payload_server)
        frame = map_frame(page)  # every overlay drawn: any markup that could run has had its turn
        expect(frame.locator(".ca-legend")).to_contain_text(SCRIPT_PAYLOAD)  # a name, as text
        port = with_tooltip(frame, ".leaflet-marker-icon.ca-seaport", PAYLOAD)  # B Port's name
        port.dispatch_event("mouseover")
        expect(frame.locator(".leaflet-tooltip:not(.ca-label)", has_text=PAYLOAD)).to_be_visible()
        city = with_tooltip(frame, ".leaflet-marker-icon.ca-city", TEMPLATE_PAYLOAD)  # not 49
        city.dispatch_event("mouseover")
        expect(
            frame.locator(".leaflet-tooltip:not(.ca-label)", has_text=TEMPLATE_PAYLOAD)
        ).to_be_visible()
        screenshot(page, "payloads")
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar).to_contain_text("![tracker](https://evil.example/pixel.png)")
        expect_app_settled(page)
        # the page has settled: now nothing the payloads would have done may be found
        for target in (page, *page.frames):
            if target is page or not target.is_detached():
                assert target.evaluate("() => window.__pwned === undefined")
        expect(frame.locator("img[src=x]")).to_have_count(0)
        expect(page.locator('a[href^="javascript:"]')).to_have_count(0)
        assert dialogs == [] and watched.errors == [] and watched.external == []


def test_an_upload_changes_only_its_own_session_and_bad_ones_change_nothing(
    server: str, browser: Browser, real: Catalogue, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(tiny_variant("lat: 0, lon: 3.0", "lat: 95, lon: 3.0"), encoding="utf-8")
    with offline_page(browser) as uploader, offline_page(browser) as other:
        page = uploader.page
        page.goto(f"{server}/catalogue")
        page.get_by_text("Load your own catalogue").click()
        file_input = page.locator('input[type="file"]')
        file_input.set_input_files(str(broken))
        expect(page.get_by_text("was not loaded")).to_be_visible(timeout=SETTLE_MS)
        report = page.locator('[data-testid="stCode"]', has_text="broken.yaml:")
        expect(report).to_contain_text("(nodes[3].lat)")
        expect(page.get_by_text(real.meta.title, exact=False).first).to_be_visible()
        file_input.set_input_files(str(TINY))
        tiny_title = page.get_by_text("Tiny test catalogue", exact=False).first
        expect(tiny_title).to_be_visible(timeout=SETTLE_MS)
        screenshot(page, "upload-valid")

        other.page.goto(f"{server}/catalogue")
        real_title = other.page.get_by_text(real.meta.title, exact=False).first
        expect(real_title).to_be_visible(timeout=SETTLE_MS)
        expect_app_settled(other.page)
        expect(other.page.get_by_text("Tiny test catalogue")).to_have_count(0)
        assert uploader.external == other.external == []
