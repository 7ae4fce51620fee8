"""
In a real browser, as a new user: pick Kazakhstan → Japan and avoid China, and see the Caspian
route on the map with its figures beside the Lianyungang route, which China's closure shuts.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from geo.catalogue import Catalogue
from geo.numbers import format_range, record_range
from geo.palette import UTILISATION_COLOURS
from geo.scenarios import Adjustments, apply_scenario, customise
from geo.summary import summary
from geo.trips import Trip, trip_catalogue
from tests.browser import (
    MAP_READY,
    SETTLE_MS,
    expect_app_settled,
    map_frame,
    offline_page,
    screenshot,
)

pytestmark = pytest.mark.browser


def choose(page: Page, label: str, option: str) -> None:
    """Open a sidebar select box by its label and click the option, as a user would."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def table_row(page: Page, name: str) -> object:
    cell = page.locator("td:first-child", has_text=re.compile(f"^{re.escape(name)}"))
    # a rerun keeps the previous table on the page, marked stale, until the new one arrives
    fresh = '[data-testid="stElementContainer"][data-stale="false"] .ca-table tbody tr'
    return page.locator(fresh, has=cell)


def test_kazakhstan_to_japan_avoiding_china_shows_the_caspian_route_beside_lianyungang(
    server: str, browser: Browser, real: Catalogue
) -> None:
    avoided = customise(real, real.scenario("baseline"), Adjustments(close_countries=("CN",)))
    active = apply_scenario(real, avoided)
    trip = trip_catalogue(
        real, active, Trip("kazakhstan-hubs", "japan", avoid=("CN",)), colours=["#000000"]
    )
    assert {"caspian-japan", "lianyungang"} <= set(trip.corridors)
    records = {r["id"]: r for r in summary(trip.catalogue, active)["corridors"]}
    caspian, lianyungang = records["caspian-japan"], records["lianyungang"]
    assert caspian["passable"] and not lianyungang["passable"]
    caspian_days = format_range(record_range(caspian, "transit_days"), "days")
    caspian_cost = format_range(record_range(caspian, "cost_usd_per_feu"), "usd")
    with offline_page(browser) as watched:
        page = watched.page
        page.goto(server)
        expect_app_settled(page)
        choose(page, "From", "Kazakhstan (Almaty and Altynkol hubs)")
        choose(page, "To", "Japan (Yokohama / Fushiki-Toyama)")
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_role("combobox", name="Avoid countries", exact=True).click()
        page.get_by_role("option", name="China", exact=True).click()
        page.keyboard.press("Escape")
        expect(sidebar.get_by_text("Transit through China closed")).to_be_visible(timeout=SETTLE_MS)
        expect(page).to_have_url(re.compile(r"origin=kazakhstan-hubs.*market=japan"))
        expect(page).to_have_url(re.compile(r"close_c=CN"))
        # the comparison: the Caspian route's figures, and Lianyungang beside it, shut
        row = table_row(page, real.corridor("caspian-japan").name)
        expect(row).to_have_count(1, timeout=SETTLE_MS)
        expect(row).to_contain_text(caspian_days)
        expect(row).to_contain_text(caspian_cost)
        beside = table_row(page, real.corridor("lianyungang").name)
        expect(beside).to_have_count(1)
        expect(beside).to_contain_text("if open")
        # only the trip's corridors: none from Xi'an to Duisburg
        expect(table_row(page, real.corridor("northern").name)).to_have_count(0)
        # the map: the Caspian route is drawn and named in the legend
        frame = map_frame(page)
        expect(frame.locator(MAP_READY)).to_have_count(1, timeout=SETTLE_MS)
        legend = frame.locator(".ca-legend")
        expect(legend).to_contain_text(real.corridor("caspian-japan").name, timeout=SETTLE_MS)
        expect(legend).to_contain_text(real.corridor("lianyungang").name)
        screenshot(page, "trip-kazakhstan-japan-avoid-china")
        assert watched.external == [] and watched.errors == []


def test_the_decisions_page_draws_its_four_views_offline(
    server: str, browser: Browser, real: Catalogue
) -> None:
    with offline_page(browser) as watched:
        page = watched.page
        page.goto(f"{server}/decisions?origin=kazakhstan-hubs&market=japan&close_c=CN")
        expect_app_settled(page)
        for heading in ("Trade-offs", "Reliability", "Emissions", "Capacity and bottlenecks"):
            heading_role = page.get_by_role("heading", name=heading, exact=True)
            expect(heading_role).to_be_visible(timeout=SETTLE_MS)
        chart = page.locator('[data-testid="stImage"] img')
        expect(chart).to_have_count(1)
        width = chart.evaluate("img => img.naturalWidth")
        assert width > 500, "the trade-off chart should be a real picture"
        expect(page.get_by_text(real.corridor("caspian-japan").name).first).to_be_attached()
        expect(page.get_by_role("button", name="Trade-off chart (SVG)")).to_be_visible()
        # the bottlenecks on the map, one circle each, coloured by utilisation
        frame = map_frame(page)
        expect(frame.locator(MAP_READY)).to_have_count(1, timeout=SETTLE_MS)
        marks = frame.locator("path.ca-mark")
        expect(marks).to_have_count(len(real.capacities), timeout=SETTLE_MS)
        colours = set(marks.evaluate_all("els => els.map(e => e.getAttribute('stroke'))"))
        assert colours <= set(UTILISATION_COLOURS) and len(colours) >= 2, colours
        frame.locator(MAP_READY).scroll_into_view_if_needed()
        screenshot(page, "decisions-kazakhstan-japan")
        assert watched.external == [] and watched.errors == []


def test_the_places_analysts_name_are_written_once_the_map_is_zoomed_in(
    server: str, browser: Browser, real: Catalogue
) -> None:
    with offline_page(browser) as watched:
        page = watched.page
        page.goto(f"{server}/?origin=kazakhstan-hubs&market=japan")
        expect_app_settled(page)
        frame = map_frame(page)
        expect(frame.locator(MAP_READY)).to_have_count(1, timeout=SETTLE_MS)
        labels = frame.locator(".leaflet-tooltip.ca-label")
        expect(labels.filter(has_text=real.node("aktau").name)).to_have_count(1)
        expect(labels.first).to_be_hidden()  # the whole trip in view: no names piled up
        for target in page.frames:
            if target.evaluate("() => Boolean(window.CorridorAtlas && window.CorridorAtlas.last)"):
                target.evaluate("() => window.CorridorAtlas.last.map.setView([41.5, 48.0], 5)")
        expect(labels.filter(has_text=real.node("aktau").name)).to_be_visible(timeout=SETTLE_MS)
        screenshot(page, "map-labels-caspian")
        assert watched.external == [] and watched.errors == []
