"""
The map at a glance, in a real browser: on a 1440×900 laptop screen the map page opens on the
map, its offline basemap names countries and seas in the page's language, the places analysts
name are written once zoomed in, and the one-file export draws the same basemap with no network.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from geo.catalogue import Catalogue
from geo.exports import standalone_html
from geo.maps import corridor_map
from geo.metrics import evaluate_all
from geo.palette import CLOSED_COLOUR
from geo.scenarios import apply_scenario
from tests.browser import (
    MAP_IFRAME,
    MAP_READY,
    SETTLE_MS,
    expect_app_settled,
    map_frame,
    offline_page,
    screenshot,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1440, "height": 900}
NAMES = {
    "en": {
        "countries": ["Kazakhstan", "Turkmenistan", "Uzbekistan", "Iran"],
        "seas": ["Caspian Sea"],
    },
    "zh": {"countries": ["哈萨克斯坦", "土库曼斯坦", "乌兹别克斯坦", "伊朗"], "seas": ["里海"]},
}
"""Names the basemap must write around the Caspian at zoom 5, in each language."""


def atlas_frame(page: Page) -> Frame:
    """The frame holding the drawn map (the dashboard's iframe, or the page itself)."""
    for frame in page.frames:
        if frame.evaluate("() => Boolean(window.CorridorAtlas && window.CorridorAtlas.last)"):
            return frame
    raise AssertionError("no map drawn on the page")


def show_caspian(frame: Frame) -> None:
    """The Caspian and the Caucasus at zoom 5, at once (no animation to wait out)."""
    frame.evaluate("() => window.CorridorAtlas.last.map.setView([42.0, 51.0], 5, {animate: false})")


def drawn_names(frame: Frame, names: list[str]) -> None:
    """Wait until the basemap has written every one of `names` on its canvas at the map's zoom
    (map.js notes each name it draws, with the zoom: canvas text is not in the page's DOM)."""
    frame.wait_for_function(
        """names => {
            const atlas = window.CorridorAtlas.last, drawn = atlas.basemapNames || {};
            return names.every(n => drawn[n] === atlas.map.getZoom());
        }""",
        arg=names,
        timeout=SETTLE_MS,
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_a_laptop_screen_the_map_comes_first_and_names_places_in_the_page_language(
    server: str, browser: Browser, real: Catalogue, lang: str
) -> None:
    with offline_page(browser, viewport=LAPTOP) as watched:
        page = watched.page
        page.goto(f"{server}/?origin=kazakhstan-hubs&market=japan&lang={lang}")
        expect_app_settled(page)
        frame = map_frame(page)
        box = page.locator(MAP_IFRAME).bounding_box()
        assert box is not None
        assert box["y"] < LAPTOP["height"], box  # the map starts on the first screen
        assert LAPTOP["height"] - box["y"] >= 500, box  # with at least 500 px of it in view
        atlas = atlas_frame(page)
        show_caspian(atlas)
        drawn_names(atlas, NAMES[lang]["countries"] + NAMES[lang]["seas"])
        other = NAMES["zh" if lang == "en" else "en"]["countries"][0]
        assert other not in atlas.evaluate("() => window.CorridorAtlas.last.basemapNames")
        aktau = real.node("aktau").name if lang == "en" else real.node("aktau").name_zh
        labels = frame.locator(".leaflet-tooltip.ca-label:not(.ca-hidden)")
        expect(labels.filter(has_text=aktau or "")).to_be_visible(timeout=SETTLE_MS)
        expect(frame.locator(".ca-legend details")).not_to_have_attribute("open", "")
        screenshot(page, f"map-first-screen-{lang}")
        assert watched.external == [] and watched.errors == []


def test_the_one_file_export_draws_the_same_basemap_with_no_network(
    browser: Browser, real: Catalogue, tmp_path
) -> None:
    results = evaluate_all(real, apply_scenario(real))
    path = tmp_path / "map.html"
    page_html = corridor_map(real, results, lang="zh").get_root().render()
    path.write_text(standalone_html(page_html, lang="zh"), encoding="utf-8")
    with offline_page(browser, viewport=LAPTOP) as watched:
        page = watched.page
        page.goto(path.as_uri())
        expect(page.locator(MAP_READY)).to_have_count(1, timeout=SETTLE_MS)
        atlas = atlas_frame(page)
        show_caspian(atlas)
        drawn_names(atlas, NAMES["zh"]["countries"] + NAMES["zh"]["seas"])
        # the detailed (1:10m) file is read from the page too: its tiles are on the canvas
        high = atlas.evaluate(
            """() => {
                const views = Object.values(window.CorridorAtlas.last.map._layers)
                    .filter(l => l.views).map(l => l.views);
                return views.length ? [...views[0].keys()] : [];
            }"""
        )
        assert sorted(high) == ["high", "low"]
        screenshot(page, "export-basemap-zh")
        assert watched.external == [] and watched.errors == []


def test_a_scenario_change_redraws_the_corridors_in_the_same_map_keeping_the_view(
    server: str, browser: Browser, real: Catalogue
) -> None:
    """The map is not reloaded on a scenario change (st_folium keeps its iframe; the layers are
    swapped, geo.maps.AtlasLayers): the reader's zoom on the Caspian stays, the basemap with it,
    and the closed corridors turn grey."""
    closed = f'path.leaflet-interactive[stroke="{CLOSED_COLOUR}"]'
    scenario = real.scenario("russia-transit-closed")
    with offline_page(browser, viewport=LAPTOP) as watched:
        page = watched.page
        page.goto(f"{server}/")
        expect_app_settled(page)
        frame = map_frame(page)
        atlas = atlas_frame(page)
        show_caspian(atlas)
        atlas.evaluate("() => { window.__sameDocument = true; }")
        before = frame.locator(closed).count()
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_role("combobox", name="Scenario").click()
        page.get_by_role("option", name=scenario.name, exact=True).click()
        expect(page.get_by_text(f"Scenario: {scenario.name}.")).to_be_visible(timeout=SETTLE_MS)
        expect(frame.locator(MAP_READY)).to_have_count(1, timeout=SETTLE_MS)
        expect(frame.locator(closed)).not_to_have_count(before, timeout=SETTLE_MS)
        assert atlas.evaluate("() => window.__sameDocument === true")  # not reloaded
        assert atlas.evaluate("() => window.CorridorAtlas.last.map.getZoom()") == 5
        center = atlas.evaluate("() => window.CorridorAtlas.last.map.getCenter()")
        assert abs(center["lat"] - 42.0) < 0.01 and abs(center["lng"] - 51.0) < 0.01
        screenshot(page, "map-scenario-changed-in-place")
        assert watched.external == [] and watched.errors == []


def test_node_symbols_that_would_overlap_wait_for_a_closer_zoom(
    server: str, browser: Browser, real: Catalogue
) -> None:
    """At the whole-catalogue view the Caucasus' symbols (Alat, Böyük Kəsik, Gardabani,
    Tbilisi…) would sit on each other: the larger is drawn, the smaller waits; zoomed in, they
    are all there."""
    overlapping = """() => {
        const shown = [...document.querySelectorAll('.leaflet-marker-icon.ca-node')]
            .filter(el => !el.classList.contains('ca-hidden'))
            .map(el => el.getBoundingClientRect());
        let pairs = 0;
        for (let i = 0; i < shown.length; i++) {
            for (let j = i + 1; j < shown.length; j++) {
                const a = shown[i], b = shown[j];
                const dx = (a.left + a.right - b.left - b.right) / 2;
                const dy = (a.top + a.bottom - b.top - b.bottom) / 2;
                if (Math.hypot(dx, dy) < 0.8 * (a.width + b.width) / 2 - 0.5) { pairs++; }
            }
        }
        return [pairs, document.querySelectorAll('.ca-node.ca-hidden').length, shown.length];
    }"""
    with offline_page(browser, viewport=LAPTOP) as watched:
        page = watched.page
        page.goto(f"{server}/")
        expect_app_settled(page)
        map_frame(page)
        atlas = atlas_frame(page)
        pairs, hidden, shown = atlas.evaluate(overlapping)
        assert pairs == 0 and hidden > 0 and shown > 0, (pairs, hidden, shown)
        atlas.evaluate(
            "() => window.CorridorAtlas.last.map.setView([41.4, 45.1], 8, {animate: false})"
        )
        # two border crossings 16 km apart, one symbol at the whole-catalogue view
        kesik = (real.node("boyuk-kesik").lat, real.node("boyuk-kesik").lon)
        gardabani = (real.node("gardabani").lat, real.node("gardabani").lon)
        both = atlas.evaluate(
            """([a, b]) => {
                const map = window.CorridorAtlas.last.map;
                const at = ll => map.latLngToContainerPoint(ll);
                const box = map.getContainer().getBoundingClientRect();
                const near = (p) => [...document.querySelectorAll('.leaflet-marker-icon.ca-node')]
                    .filter(el => !el.classList.contains('ca-hidden'))
                    .some(el => { const r = el.getBoundingClientRect();
                        return Math.hypot((r.left + r.right) / 2 - box.left - p.x,
                                          (r.top + r.bottom) / 2 - box.top - p.y) < 2; });
                return [near(at(a)), near(at(b))];
            }""",
            [kesik, gardabani],
        )
        assert both == [True, True]
        screenshot(page, "map-caucasus-zoomed")
        assert watched.external == [] and watched.errors == []
