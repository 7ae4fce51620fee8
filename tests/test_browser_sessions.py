"""
In a real browser: shared links reproduce a view, sessions stay apart, uploads affect only their
own session, and catalogue text full of markup shows literally without running.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from geo.catalogue import Catalogue
from geo.metrics import evaluate_all
from geo.scenarios import apply_scenario
from tests.browser import (
    GREY,
    dashboard_server,
    map_frame,
    offline_context,
    screenshot,
    settled_count,
    watched_page,
)
from tests.conftest import TINY, tiny_variant

pytestmark = pytest.mark.browser

PAYLOAD = '<img src=x onerror="window.__pwned=1">'
SCRIPT_PAYLOAD = "<script>window.__pwned=2</script>"
IMAGE_PAYLOAD = "![tracker](https://evil.example/pixel.png) [click](javascript:alert(1))"
TEMPLATE_PAYLOAD = "{{ 7*7 }}{% if true %}"  # branca re-renders scripts as Jinja templates


def grey_lines(page: Page, expected: int) -> int:
    """Closed (grey) lines once the map settles on `expected` (else the last count seen)."""
    return settled_count(page, GREY, expected)


def scenario_caption(page: Page, expected: str) -> str:
    """The "Scenario: …" caption once it names `expected` (or the last text seen, after 30 s)."""
    caption = page.get_by_text("Scenario:", exact=False).first
    text = ""
    for _ in range(120):
        try:
            text = caption.inner_text(timeout=5_000)
        except PlaywrightError:
            text = ""
        if expected in text:
            return text
        page.wait_for_timeout(250)
    return text


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
    first_context, external = offline_context(browser)
    first = watched_page(first_context, external)
    first.page.goto(server)
    map_frame(first.page)
    choose_in_sidebar(first.page, "Scenario", real.scenario("russia-transit-closed").name)
    first.page.wait_for_function("() => location.search.includes('russia-transit-closed')")
    first.page.wait_for_timeout(2000)
    assert "Russia" in scenario_caption(first.page, "Russia")
    expected = expected_grey(real, "russia-transit-closed")
    assert grey_lines(first.page, expected) == expected > 0
    shared = first.page.url
    screenshot(first.page, "share-original")

    second_context, external_2 = offline_context(browser)
    second = watched_page(second_context, external_2)
    second.page.goto(shared)
    assert "Russia" in scenario_caption(second.page, "Russia")
    assert grey_lines(second.page, expected) == expected
    assert second.page.url == shared
    screenshot(second.page, "share-reopened")
    assert external == external_2 == []
    first_context.close()
    second_context.close()


def test_ten_sessions_at_once_each_keep_their_own_scenario(
    server: str, browser: Browser, real: Catalogue
) -> None:
    scenarios = [s.id for s in real.scenarios]
    wanted = [scenarios[i % len(scenarios)] for i in range(10)]
    contexts, pages = [], []
    for scenario in wanted:
        context, external = offline_context(browser)
        watched = watched_page(context, external)
        watched.page.goto(f"{server}/?scenario={scenario}")
        contexts.append(context)
        pages.append(watched.page)
    # change the scenario in one session; no other session may follow it
    choose_in_sidebar(pages[0], "Scenario", real.scenario("caspian-storms").name)
    pages[0].wait_for_function("() => location.search.includes('caspian-storms')")
    wanted[0] = "caspian-storms"
    for page, scenario in zip(pages, wanted, strict=True):
        name = real.scenario(scenario).name
        assert name in scenario_caption(page, name), scenario
        assert f"scenario={scenario}" in page.url
        expected = expected_grey(real, scenario)
        assert grey_lines(page, expected) == expected, scenario
    for context in contexts:
        context.close()


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
    context, external = offline_context(browser)
    watched = watched_page(context, external)
    dialogs: list[str] = []
    watched.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    watched.page.goto(payload_server)
    frame = map_frame(watched.page)
    watched.page.wait_for_timeout(1500)
    legend = frame.locator(".ca-legend").inner_text()
    assert SCRIPT_PAYLOAD in legend  # the corridor name, as text
    port = frame.locator(".leaflet-marker-icon.ca-seaport").first
    port.dispatch_event("mouseover")
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=5000)
    texts = [
        frame.locator(".leaflet-tooltip").nth(i).inner_text()
        for i in range(frame.locator(".leaflet-tooltip").count())
    ]
    assert any(PAYLOAD in t for t in texts), texts
    frame.locator(".leaflet-marker-icon.ca-city").first.dispatch_event("mouseover")
    frame.get_by_text(TEMPLATE_PAYLOAD).first.wait_for(timeout=5000)  # literal, not 49
    screenshot(watched.page, "payloads")
    for target in (watched.page, *watched.page.frames):
        if target is watched.page or not target.is_detached():
            assert target.evaluate("() => window.__pwned === undefined")
    assert frame.locator("img[src=x]").count() == 0
    sidebar = watched.page.locator('[data-testid="stSidebar"]')
    assert "![tracker](https://evil.example/pixel.png)" in sidebar.inner_text()
    assert watched.page.locator('a[href^="javascript:"]').count() == 0
    assert dialogs == [] and watched.errors == [] and external == []
    context.close()


def test_an_upload_changes_only_its_own_session_and_bad_ones_change_nothing(
    server: str, browser: Browser, real: Catalogue, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(tiny_variant("lat: 0, lon: 3.0", "lat: 95, lon: 3.0"), encoding="utf-8")
    uploader_context, external = offline_context(browser)
    uploader = watched_page(uploader_context, external)
    uploader.page.goto(f"{server}/catalogue")
    uploader.page.get_by_text("Load your own catalogue").click()
    file_input = uploader.page.locator('input[type="file"]')
    file_input.set_input_files(str(broken))
    error = uploader.page.get_by_text("was not loaded")
    error.wait_for(timeout=30_000)
    report = uploader.page.locator('[data-testid="stCode"]').first.inner_text()
    assert "broken.yaml:" in report and "(nodes[3].lat)" in report
    assert uploader.page.get_by_text(real.meta.title, exact=False).count() >= 1
    file_input.set_input_files(str(TINY))
    uploader.page.get_by_text("Tiny test catalogue", exact=False).first.wait_for(timeout=30_000)
    screenshot(uploader.page, "upload-valid")

    other_context, external_2 = offline_context(browser)
    other = watched_page(other_context, external_2)
    other.page.goto(f"{server}/catalogue")
    other.page.get_by_text(real.meta.title, exact=False).first.wait_for(timeout=30_000)
    assert other.page.get_by_text("Tiny test catalogue").count() == 0
    assert external == external_2 == []
    uploader_context.close()
    other_context.close()
