"""What only a browser shows: the map drawn offline, its lines, markers, tooltips and legend."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Browser, Route, expect

from geo.catalogue import Catalogue
from geo.exports import standalone_html
from geo.mapdata import map_data
from geo.maps import corridor_map, corridor_styles
from geo.metrics import evaluate_all
from geo.scenarios import apply_scenario
from tests.browser import (
    GREY,
    MAP_IFRAME,
    MAP_READY,
    SETTLE_MS,
    dashboard_server,
    expect_app_settled,
    expect_on_map,
    map_frame,
    offline_context,
    offline_page,
    screenshot,
    watched_page,
    with_tooltip,
)

pytestmark = pytest.mark.browser


def expected_counts(catalogue: Catalogue, scenario: str) -> tuple[int, int]:
    results = evaluate_all(catalogue, apply_scenario(catalogue, scenario))
    lines = sum(len(r.legs) for r in results)
    return lines, len(map_data(catalogue, results, corridor_styles(catalogue)).nodes)


def test_map_draws_every_corridor_leg_and_node_offline(
    server: str, browser: Browser, real: Catalogue
) -> None:
    lines, markers = expected_counts(real, "baseline")
    with offline_page(browser) as watched:
        watched.page.goto(server)
        expect_on_map(watched.page, "path.leaflet-interactive", lines)
        expect_on_map(watched.page, ".leaflet-marker-icon.ca-node", markers)
        frame = map_frame(watched.page)
        expect(frame.locator(".ca-legend")).to_have_count(1)
        expect(frame.locator(".leaflet-control-scale")).to_have_count(1)
        expect(frame.locator(".leaflet-control-layers")).to_have_count(1)
        expect(
            frame.locator(".leaflet-control-zoom-fullscreen, .fullscreen-icon")
        ).not_to_have_count(0)
        screenshot(watched.page, "map-baseline")
        assert watched.external == [], f"requests left for other hosts: {watched.external}"
        assert watched.errors == []


def test_hovering_a_gauge_break_shows_its_tooltip(
    server: str, browser: Browser, real: Catalogue
) -> None:
    dwell = next(n for n in real.nodes if n.name.startswith("Altynkol")).dwell_hours
    assert dwell is not None and dwell.as_of is not None
    with offline_page(browser) as watched:
        watched.page.goto(server)
        frame = map_frame(watched.page)
        marker = with_tooltip(frame, ".leaflet-marker-icon.ca-gauge_break", "Altynkol")
        marker.dispatch_event("mouseover")
        tooltip = frame.locator(".leaflet-tooltip:not(.ca-label)", has_text="Altynkol")
        expect(tooltip).to_be_visible()
        expect(tooltip).to_contain_text("Break of gauge (1435 ↔ 1520 mm)")
        marker.dispatch_event("click")
        popup = frame.locator(".leaflet-popup-content")
        expect(popup).to_contain_text("Break of gauge")
        expect(popup).to_contain_text("estimate: set at one day")  # shared texts resolve
        expect(popup).to_contain_text(f"as of {dwell.as_of}")  # the year the figure describes
        expect(popup.locator("a[href^='https://']")).not_to_have_count(0)  # sources as links
        screenshot(watched.page, "map-popup")
        assert watched.external == []


def test_russia_closed_greys_and_crosses_the_northern_route(
    server: str, browser: Browser, real: Catalogue
) -> None:
    results = evaluate_all(real, apply_scenario(real, "russia-transit-closed"))
    closed_legs = {leg.step.leg.id for r in results for leg in r.legs if leg.closure}
    grey = sum(1 for r in results for leg in r.legs if leg.closure)
    with offline_page(browser) as watched:
        watched.page.goto(f"{server}/?scenario=russia-transit-closed")
        expect_on_map(watched.page, ".leaflet-marker-icon.ca-closed", len(closed_legs))
        expect_on_map(watched.page, GREY, grey)
        screenshot(watched.page, "map-russia-closed")
        assert watched.external == []


def test_presentation_mode_hides_controls_and_keeps_map_and_table(
    server: str, browser: Browser
) -> None:
    with offline_page(browser) as watched:
        page = watched.page
        page.goto(f"{server}/?scenario=russia-transit-closed&present=1")
        map_frame(page)
        expect(page.locator(".ca-table table").first).to_be_visible()
        expect_app_settled(page)  # the page is complete: what is hidden now stays hidden
        expect(page.locator('[data-testid="stSidebar"]')).not_to_be_visible()
        expect(page.locator('[data-testid="stToolbar"]').first).not_to_be_visible()
        picker = page.get_by_role("combobox", name="Corridor to highlight and break down")
        expect(picker).not_to_be_visible()
        screenshot(page, "presentation-mode")
        assert watched.external == []


def test_a_corridor_picked_in_a_leg_popup_is_highlighted_and_broken_down(
    server: str, browser: Browser, real: Catalogue
) -> None:
    corridor = real.corridor("middle-corridor")
    leg = real.leg("samtredia-poti")  # a leg of this corridor only
    ends = (real.node(leg.from_).name, real.node(leg.to).name)
    results = evaluate_all(real, apply_scenario(real, "baseline"))
    dimmed = sum(len(r.legs) for r in results if r.corridor_id != corridor.id)
    with offline_page(browser) as watched:
        page = watched.page
        page.goto(server)
        expect_on_map(page, "path.leaflet-interactive", expected_counts(real, "baseline")[0])
        frame = map_frame(page)
        line = with_tooltip(frame, "path.leaflet-interactive", corridor.name, *ends)
        line.dispatch_event("click")
        button = frame.locator(f'.ca-popup .ca-select button[data-corridor="{corridor.id}"]')
        expect(button).to_have_text(corridor.name)
        button.click()
        page.wait_for_function(f"() => location.search.includes('select={corridor.id}')")
        expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible(timeout=SETTLE_MS)
        described = corridor.description[:40]  # the breakdown's heading line
        expect(page.get_by_text(described, exact=False).first).to_be_visible()
        others = 'path.leaflet-interactive[stroke-opacity="0.3"]'
        expect_on_map(page, others, dimmed)  # all but the picked one
        screenshot(page, "map-picked-corridor")
        assert watched.external == [] and watched.errors == []


def test_a_canvas_map_draws_every_line_and_a_line_still_opens_its_popup(
    browser: Browser, real: Catalogue, tmp_path
) -> None:
    """Large catalogues draw on a canvas (the `canvas_above` setting); the real one is forced."""
    results = evaluate_all(real, apply_scenario(real))
    lines = sum(len(r.legs) for r in results)
    path = tmp_path / "canvas.html"
    page_html = corridor_map(real, results, canvas=True).get_root().render()
    path.write_text(standalone_html(page_html), encoding="utf-8")
    context, external = offline_context(browser)
    try:
        watched = watched_page(context, external)
        page = watched.page
        page.goto(path.as_uri())
        page.wait_for_function(
            "n => Number(document.querySelector('.leaflet-container').dataset.caCanvasLines) === n",
            arg=lines,
            timeout=30_000,
        )
        assert page.locator(".leaflet-overlay-pane canvas").count() == 1
        assert page.locator("path.leaflet-interactive").count() == 0  # no SVG line left
        assert page.locator(".leaflet-marker-icon").count() == 0  # nodes are dots on the canvas
        # the middle of a drawn rail segment, in page pixels
        x, y = page.evaluate(
            """async () => {
                // The middle of the longest segment on screen, from the map's own data and
                // Leaflet's public API: solid, not under a control, far from any dot.
                const atlas = window.CorridorAtlas.last, map = atlas.map, data = await atlas.data;
                const box = map.getContainer().getBoundingClientRect(), size = map.getSize();
                let best = null, length = 0;
                const rows = Object.keys(data.parts).filter(p => p !== "nodes")
                    .flatMap(p => data.parts[p]);
                for (const row of rows) {
                    if (data.shared.styles[row[1]].dashArray) { continue; }  // solid: no gaps
                    const line = data.shared.geoms[row[0]];
                    for (let i = 1; i < line.length; i++) {
                        const a = map.latLngToContainerPoint([line[i - 1][1], line[i - 1][0]]);
                        const b = map.latLngToContainerPoint([line[i][1], line[i][0]]);
                        const mid = a.add(b).divideBy(2);
                        const inside = mid.x > 40 && mid.y > 40 && mid.x < size.x - 40
                            && mid.y < size.y - 40 && document.elementFromPoint(
                                box.left + mid.x, box.top + mid.y).tagName === "CANVAS";
                        if (inside && a.distanceTo(b) > length) {
                            best = mid;
                            length = a.distanceTo(b);
                        }
                    }
                }
                return [box.left + best.x, box.top + best.y];
            }"""
        )
        shot = Image.open(
            io.BytesIO(page.screenshot(clip={"x": x, "y": y, "width": 1, "height": 1}))
        )
        pixel = shot.convert("RGB").getpixel((0, 0))
        land = (0xF4, 0xF1, 0xEA)  # geo.maps.BASEMAP_STYLE's fill: the line must be drawn over it
        assert max(abs(a - b) for a, b in zip(pixel, land, strict=True)) > 40, pixel
        page.mouse.click(x, y)
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5000)
        assert "km" in popup.inner_text()  # the leg's figures, from the shared tables
        page.wait_for_function(  # the popup's fade-in has ended
            "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
        )
        screenshot(page, "map-canvas")
        assert external == [] and watched.errors == []
    finally:
        context.close()


def test_map_data_that_cannot_be_fetched_says_so_instead_of_an_empty_map(
    browser: Browser, tmp_path
) -> None:
    """
    A catalogue large enough that the browser fetches its map data (the `fetch_above` setting);
    that request fails, and the map must tell the reader rather than sit there empty.
    """
    from bench.synthetic import write_synthetic

    catalogue = write_synthetic(20, tmp_path)  # 160 corridors: about 1.3 MB of map data
    refused: list[str] = []

    def refuse(route: Route) -> None:
        refused.append(route.request.url)
        route.abort()

    with (
        dashboard_server({"CORRIDOR_ATLAS_CATALOGUE": str(catalogue)}) as server,
        offline_page(browser) as watched,
    ):
        watched.page.context.route("**/app/static/maps/**", refuse)
        watched.page.goto(server)
        frame = watched.page.frame_locator(MAP_IFRAME)
        alert = frame.locator(".ca-failed")
        try:
            expect(alert).to_be_visible(timeout=60_000)
            alert.scroll_into_view_if_needed()
        finally:
            screenshot(watched.page, "map-data-failed")
            assert refused, "the map never asked for its data file"
        assert all(re.search(r"/app/static/maps/[0-9a-f]{64}\.json$", url) for url in refused)
        expect(alert).to_have_attribute("role", "alert")
        expect(alert).to_contain_text(
            re.compile(r"^The map's data could not be loaded\. Reload the page to try again\.")
        )
        expect(frame.locator(".leaflet-container .ca-failed")).to_have_count(1)  # on the map
        assert watched.external == []
        # every overlay waits on the same failed request: none may leave it as an uncaught error
        assert watched.errors == [], f"uncaught errors after the failed fetch: {watched.errors}"


def test_a_link_to_a_page_is_the_first_request_of_a_new_server(browser: Browser) -> None:
    """
    A shared link to the Compare page, opened before anyone has loaded the map page, must get
    the app's navigation and layout: Streamlit used to run pages/compare.py on its own, listing
    every file in pages/ ("common" included) in a narrow page.
    """
    with dashboard_server() as server, offline_page(browser) as watched:
        # a new server: no session has run dashboard.py yet
        page = watched.page
        page.goto(f"{server}/compare?scenario=russia-transit-closed")
        heading = page.get_by_role("heading", name="Compare corridors")
        expect(heading).to_be_visible(timeout=SETTLE_MS)
        expect(page.locator("[data-testid=stSidebarNav] a")).to_have_text(
            [
                "Map",
                "Compare",
                "Route finder",
                "Decisions",
                "Briefing exports",
                "Saved views",
                "Catalogue",
                "Sources & method",
            ]
        )
        assert page.url.startswith(f"{server}/compare?") and "russia-transit-closed" in page.url
        expect(page.get_by_text("Scenario: Russia transit closed.")).to_have_count(1)
        wide = page.locator("[data-testid=stMainBlockContainer]").bounding_box()
        assert wide is not None and wide["width"] > 1000  # dashboard.py's wide layout
        screenshot(page, "deep-link-compare")
        assert watched.external == [] and watched.errors == []


def test_the_comparison_table_and_a_leg_popup_show_ranges(
    server: str, browser: Browser, real: Catalogue
) -> None:
    from geo.i18n import translator
    from geo.mapdata import leg_totals
    from geo.numbers import format_range, record_range
    from geo.summary import summary

    corridor = real.corridor("middle-corridor")
    active = apply_scenario(real, "baseline")
    record = next(r for r in summary(real, active)["corridors"] if r["id"] == corridor.id)
    days = format_range(record_range(record, "transit_days"), "days")
    cost = format_range(record_range(record, "cost_usd_per_feu"), "usd")
    assert "–" in days and "–" in cost, "the engine should give this corridor a range"
    results = evaluate_all(real, active)
    users: dict[str, list[str]] = {}
    for result in results:
        for leg in {m.step.leg.id for m in result.legs}:
            users.setdefault(leg, []).append(result.corridor_id)
    # a leg of this corridor whose moving days have a range, the fewest corridors sharing it
    metrics = min(
        (
            m
            for r in results
            if r.corridor_id == corridor.id
            for m in r.legs
            if "–" in leg_totals(m)["days"]
        ),
        key=lambda m: len(users[m.step.leg.id]),
    )
    ends = (real.node(metrics.step.start).name, real.node(metrics.step.end).name)
    scenario_line = translator("en")("popup.leg_scenario", **leg_totals(metrics))
    with offline_page(browser) as watched:
        page = watched.page
        page.goto(server)
        name = page.locator("td:first-child", has_text=re.compile(f"^{re.escape(corridor.name)}$"))
        row = page.locator(".ca-table tbody tr", has=name)
        expect(row).to_have_count(1, timeout=SETTLE_MS)
        expect(row).to_contain_text(days)  # one cell: "typical (low–high)"
        expect(row).to_contain_text(cost)
        frame = map_frame(page)
        line = with_tooltip(frame, "path.leaflet-interactive", corridor.name, *ends)
        line.dispatch_event("click")
        popup = frame.locator(".leaflet-popup-content")
        expect(popup).to_contain_text(scenario_line)
        expect(popup).to_contain_text(re.compile(r"\d\.\d \(\d+\.\d–\d+\.\d\) days moving"))
        screenshot(page, "map-ranges")
        assert watched.external == [] and watched.errors == []


def test_on_a_canvas_lines_of_one_style_share_a_stroke_and_each_keeps_its_tooltip(
    browser: Browser, real: Catalogue, tmp_path
) -> None:
    """Above `canvas_above` lines, the lines of one style are one path (one stroke for all:
    strokes are what cost on a canvas); hovering one of them still names that leg."""
    results = evaluate_all(real, apply_scenario(real))
    path = tmp_path / "canvas.html"
    path.write_text(standalone_html(corridor_map(real, results, canvas=True).get_root().render()))
    context, external = offline_context(browser)
    try:
        watched = watched_page(context, external)
        page = watched.page
        page.goto(path.as_uri())
        page.wait_for_selector(MAP_READY, timeout=30_000)
        # two lines of one shared path, far apart on screen: the middle of each, and the
        # tooltip each should show (as text)
        probes = page.evaluate(
            """() => {
                const atlas = window.CorridorAtlas.last, map = atlas.map;
                const shared = Object.values(map._layers)
                    .filter(l => l.caLines && l.caLines.length > 2)
                    .sort((a, b) => b.caLines.length - a.caLines.length);
                const path = shared[0], box = map.getContainer().getBoundingClientRect();
                const text = html => {
                    const d = document.createElement('div');
                    d.innerHTML = html;
                    return d.textContent;
                };
                const px = ll => map.latLngToContainerPoint(ll);
                // the two longest lines on screen, probed at their middles (far from dots)
                const mids = path.caLines.map((line, i) => {
                    const p = px(line[Math.floor(line.length / 2)]);
                    const long = px(line[0]).distanceTo(px(line[line.length - 1]));
                    const tip = text(atlas.tooltip(path.caTips[i]));
                    return {x: box.left + p.x, y: box.top + p.y, long, tip};
                }).filter(m => m.x > 60 && m.y > 60 && m.y < box.bottom - 300)
                  .sort((a, b) => b.long - a.long);
                return [mids[0], mids[1], path.caLines.length];
            }"""
        )
        first, last, lines = probes
        assert lines > 2 and first["tip"] != last["tip"], probes
        tip = page.locator(".leaflet-tooltip:not(.ca-label)")
        for probe in (first, last):
            # Leaflet's canvas reads at most one pointer move per 32 ms: as a hand resting on
            # the line does, the pointer trembles by a pixel until the tooltip has followed
            for attempt in range(40):
                page.mouse.move(probe["x"] + attempt % 2, probe["y"])
                try:
                    expect(tip).to_have_text(probe["tip"], timeout=250)
                    break
                except AssertionError:
                    continue
            expect(tip).to_have_text(probe["tip"], timeout=1_000)
        assert external == [] and watched.errors == []
    finally:
        context.close()
