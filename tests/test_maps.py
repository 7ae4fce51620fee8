"""The folium view: local assets only, one feature per leg and node, and escaped text."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import time
from pathlib import Path

import folium
import pytest

from geo.assets import basemap_tile_file
from geo.basemap import BASEMAP_ZOOMS, HIGH_DETAIL_FROM
from geo.catalogue import Catalogue
from geo.mapdata import map_data
from geo.maps import (
    atlas_layers,
    corridor_map,
    corridor_styles,
    map_links,
    published_map_data,
    use_local_assets,
)
from geo.metrics import evaluate_all
from geo.scenarios import apply_scenario
from geo.text import script_json


def render(catalogue: Catalogue, scenario: str = "baseline", **kwargs: object) -> str:
    results = evaluate_all(catalogue, apply_scenario(catalogue, scenario))
    return corridor_map(catalogue, results, **kwargs).get_root().render()


def config(html: str) -> dict:
    """The one configuration the map's script is handed (`CorridorAtlas.draw(map, config)`)."""
    call = re.search(r"window\.CorridorAtlas\.draw\(map_\w+, ", html)
    assert call, "the map should hand its configuration to geo/web/map.js"
    found = json.JSONDecoder().raw_decode(html, call.end())[0]
    return found | (found.get("layers") or {})  # a page of its own carries its layers inside


def embedded(html: str) -> dict:
    """The map data a standalone map carries in its script."""
    return config(html)["data"]


def test_every_folium_class_points_at_local_or_no_assets() -> None:
    use_local_assets()
    from folium.elements import JSCSSMixin

    from geo.maps import _subclasses

    for cls in [folium.Map, *_subclasses(JSCSSMixin)]:
        for _, url in [*cls.default_js, *cls.default_css]:
            assert url.startswith("/app/static/vendor/"), (cls.__name__, url)


def test_rendered_map_links_only_served_files(tiny: Catalogue) -> None:
    results = evaluate_all(tiny, apply_scenario(tiny))
    links = map_links(corridor_map(tiny, results))
    assert "/app/static/vendor/leaflet/leaflet.js" in links
    assert all(link.startswith("/app/static/vendor/") for link in links), links


def test_the_offline_basemap_is_fetched_as_tiles_or_carried_whole_in_a_standalone_page(
    tiny: Catalogue,
) -> None:
    served = render(tiny, embed_basemap=False)
    sources = config(served)["basemap"]["sources"]
    assert [s["name"] for s in sources] == ["low", "high"]
    for source in sources:
        digest = hashlib.sha256(basemap_tile_file(source["name"]).read_bytes()).hexdigest()[:12]
        assert source["url"].endswith(f".pmtiles?v={digest}")  # a new file, a new URL
        assert source["data"] is None
    assert "pmtiles/pmtiles.js" not in served  # nothing to read from the page: not loaded
    standalone = render(tiny, lang="zh")
    carried = config(standalone)["basemap"]
    assert carried["lang"] == "zh"
    for source in carried["sources"]:
        assert source["url"] is None
        assert base64.b64decode(source["data"]) == basemap_tile_file(source["name"]).read_bytes()
    assert "/app/static/vendor/pmtiles/pmtiles.js" in map_links(
        corridor_map(tiny, evaluate_all(tiny, apply_scenario(tiny)))
    )


def test_the_basemap_files_are_pmtiles_version_3_with_the_zooms_the_map_expects() -> None:
    for name, deepest in BASEMAP_ZOOMS.items():
        head = basemap_tile_file(name).read_bytes()[:127]
        assert head[:7] == b"PMTiles" and head[7] == 3, name
        min_zoom, max_zoom = head[100], head[101]  # the v3 header's zoom bytes
        assert max_zoom == deepest, (name, max_zoom)
        assert min_zoom == (0 if name == "low" else HIGH_DETAIL_FROM - 1), (name, min_zoom)


def test_offline_basemap_has_no_tile_layer(tiny: Catalogue) -> None:
    html = render(tiny)
    assert "L.tileLayer" not in html
    assert "tile.openstreetmap.org" in render(tiny, basemap="osm")


def test_one_line_per_corridor_leg_one_geometry_per_leg_and_a_cross_per_closed_leg(
    tiny: Catalogue,
) -> None:
    results = evaluate_all(tiny, apply_scenario(tiny))
    data = map_data(tiny, results, corridor_styles(tiny))
    a_rail = data.legs.index("a-rail")
    drawn = [row[0] for rows in data.layers.values() for row in rows]
    assert drawn.count(a_rail) == 2  # a line in each of the two corridors, one geometry sent
    assert len(data.shared["geoms"]) == len({leg.step.leg.id for r in results for leg in r.legs})
    symbols = [row[2] for row in data.nodes]
    assert symbols.count("gauge_break") == 1 and symbols.count("closed") == 1
    assert len(symbols) == 6 + 1  # six nodes, one closed leg (c-planned is planned)
    overlays = config(render(tiny))["overlays"]
    assert len(overlays) == len(data.layers) + 1  # corridor layers and nodes


def test_strings_and_styles_are_sent_once(real: Catalogue) -> None:
    results = evaluate_all(real, apply_scenario(real))
    data = map_data(real, results, corridor_styles(real))
    pool = data.shared["pool"]
    assert len(pool) == len(set(pool))
    styles = [json.dumps(s, sort_keys=True) for s in data.shared["styles"]]
    assert len(styles) == len(set(styles))
    assert pool.count("Distance") == 1 and len(data.shared["popups"]) > 90


def test_corridors_are_overlays_that_can_be_shown_together(tiny: Catalogue) -> None:
    overlays = config(render(tiny))["overlays"]
    assert [(o["part"], o["kind"]) for o in overlays] == [
        ("corridor:main", "line"),
        ("corridor:onward", "line"),
        ("nodes", "point"),
    ]
    assert [o["name"] for o in overlays][-1] == "Nodes"


def test_catalogue_text_reaches_the_page_escaped(write_yaml) -> None:
    from geo.loader import load_catalogue
    from tests.conftest import tiny_variant

    payload = "<img src=x onerror=alert(1)>"
    text = tiny_variant("name: B Port,", f"name: '{payload}',")
    catalogue = load_catalogue(write_yaml(text))
    html = render(catalogue)
    assert payload not in html
    # HTML-escaped (&lt;) and then JSON-encoded for the script (& as \u0026)
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html


def test_template_syntax_in_the_catalogue_is_never_evaluated(write_yaml) -> None:
    """folium's branca compiles rendered scripts as Jinja again; `{{ }}` must stay inert text."""
    from geo.loader import load_catalogue
    from tests.conftest import tiny_variant

    text = tiny_variant("name: A City,", "name: '{{ 7*7 }} {{ lipsum.__globals__ }}',")
    text = text.replace("name: Onward,", "name: '{% for x in range(3) %}{{x}}{% endfor %}',")
    text = text.replace("name: Main,", "name: '{# unclosed comment',", 1)
    catalogue = load_catalogue(write_yaml(text))
    html = render(catalogue, embed_basemap=False)  # a lone `{#` used to raise here
    pool = embedded(html)["shared"]["pool"]
    named = [text for text in pool if "7*7" in text]
    assert named and all("{{ 7*7 }} {{ lipsum.__globals__ }}" in text for text in named)
    assert not any(text.startswith("49") or "→ 49" in text for text in pool)
    names = [o["name"] for o in config(html)["overlays"]]
    assert "{% for x in range(3) %}{{x}}{% endfor %}" in names  # the layer control's label


def test_view_fits_the_corridors(tiny: Catalogue) -> None:
    assert config(render(tiny))["bounds"] == [[0.0, 0.0], [1.0, 5.0]]


def test_large_maps_draw_on_a_canvas_with_one_corridors_overlay(real: Catalogue, settings) -> None:
    small = config(render(real))
    assert small["canvas"] is False
    corridors = len(real.corridors)
    assert len(small["overlays"]) == corridors + 1  # a toggle per corridor, and the nodes
    lines = sum(len(c.legs) for c in real.corridors)
    settings.set(canvas_above=lines - 1, many_corridors=corridors - 1)
    large = config(render(real))
    assert large["canvas"] is True
    assert len(large["overlays"]) == 1 + 1  # all corridors as one overlay, and nodes
    assert list(large["data"]["parts"]) == ["lines", "nodes"]
    assert len(large["data"]["parts"]["lines"]) == lines  # nothing dropped by the grouping
    settings.set(canvas_above=10**9)
    assert config(render(real, canvas=True))["canvas"] is True  # or when asked


def test_corridor_buttons_in_popups_only_when_asked(tiny: Catalogue) -> None:
    """Standalone files have no dashboard to answer a button, so they get none."""
    standalone, dashboard = render(tiny), render(tiny, selectable=True)
    assert config(standalone)["selectable"] is False and "bridge.js" not in standalone
    assert config(dashboard)["selectable"] is True and "corridor-atlas/bridge.js" in dashboard
    results = evaluate_all(tiny, apply_scenario(tiny))
    data = map_data(tiny, results, corridor_styles(tiny))
    a_rail = data.shared["popups"][data.layers["main"][0][3]]
    users = [data.shared["corridors"][i][0] for i in a_rail[5]]
    assert users == ["main", "onward"]  # both corridors that use the leg can be picked


def test_a_kept_map_data_is_encoded_once_and_reused(real: Catalogue) -> None:
    results = evaluate_all(real, apply_scenario(real))
    data = map_data(real, results, corridor_styles(real))
    first = corridor_map(real, results, data=data).get_root().render()
    assert data.bundle is data.bundle  # kept, not encoded again
    again = corridor_map(real, results, data=data).get_root().render()
    assert data.bundle in first and data.bundle in again
    assert set(json.loads(data.bundle)["parts"]) == {
        "nodes",
        *(f"corridor:{c}" for c in data.layers),
    }
    other = map_data(real, results, corridor_styles(real))
    assert other.bundle == data.bundle
    assert other.bundle is not data.bundle  # one memo per MapData


def test_the_map_takes_every_colour_from_the_palette(tiny: Catalogue) -> None:
    """The stylesheet holds shapes only: each colour is a variable the palette fills, so the
    map, its canvas dots and the figures cannot drift apart."""
    from geo import palette
    from geo.assets import WEB_DIR

    css = (WEB_DIR / "map.css").read_text(encoding="utf-8")
    assert not re.findall(r"#[0-9a-fA-F]{3,8}\b|rgba?\(", css), "a colour outside the palette"
    wanted = set(re.findall(r"var\(--ca-(\w+)\)", css))
    colours = config(render(tiny))["colours"]
    assert wanted <= set(colours), wanted - set(colours)
    assert {name: colours[name] for name in palette.NODE_SYMBOLS} == palette.SYMBOL_COLOURS
    for symbol in palette.NODE_SYMBOLS:  # every symbol has a shape
        assert re.search(rf"\.ca-{symbol} \{{", css), symbol


def test_published_map_data_is_written_once_and_the_map_fetches_it(
    real: Catalogue, published: Path
) -> None:
    """The operator's map data is a file named by its content; the map's script only fetches it."""
    results = evaluate_all(real, apply_scenario(real))
    data = map_data(real, results, corridor_styles(real))
    bundle = data.bundle
    name = f"{hashlib.sha256(bundle.encode('utf-8')).hexdigest()}.json"
    url = published_map_data(data)
    assert url == f"/app/static/maps/{name}"
    path = published / name
    assert path.read_text(encoding="utf-8") == bundle
    document = json.loads(bundle)
    assert document["shared"]["pool"] == data.shared["pool"]
    parts = document["parts"]
    assert set(parts) == {*(f"corridor:{c.id}" for c in real.corridors), "nodes"}
    assert all(len(parts[f"corridor:{c}"]) == len(rows) for c, rows in data.layers.items())
    assert len(parts["nodes"]) == len(data.nodes)
    written = path.stat()
    assert published_map_data(data) == url
    assert path.stat().st_ino == written.st_ino  # not replaced by a second write
    assert [p.name for p in published.iterdir()] == [name]  # no temporary file left behind
    # the basemap is fetched too, as on the dashboard: what is left in the script is code
    fetching = corridor_map(real, results, data=data, data_url=url, embed_basemap=False)
    fetching = fetching.get_root().render()
    assert config(fetching)["dataUrl"] == url and config(fetching)["data"] is None
    assert bundle not in fetching and script_json(data.nodes) not in fetching
    inline = corridor_map(real, results, data=data, embed_basemap=False).get_root().render()
    assert bundle in inline and "/app/static/maps/" not in inline
    assert len(fetching) < len(inline) / 3


def test_small_map_data_stays_in_the_script_and_is_not_written(
    real: Catalogue, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings
) -> None:
    """Below `fetch_above` embedding draws sooner (one request fewer), so nothing is published."""
    import geo.assets
    import geo.settings

    monkeypatch.setattr(geo.assets, "PUBLISHED_DIR", tmp_path / "maps")
    results = evaluate_all(real, apply_scenario(real))
    data = map_data(real, results, corridor_styles(real))
    assert len(data.bundle) <= geo.settings.get().fetch_above  # the real one is small
    assert published_map_data(data) is None
    assert not (tmp_path / "maps").exists()
    settings.set(fetch_above=len(data.bundle) - 1)
    assert published_map_data(data) is not None  # one character more and it is fetched


def test_published_files_beyond_the_limit_are_evicted_least_recently_used_first(
    published: Path, settings
) -> None:
    """A busy server must not fill its disk; a map still in use must outlive newer ones."""
    from geo.assets import publish

    settings.set(published_keep=2)
    now = time.time()

    def aged(name: str, seconds: float) -> None:
        os.utime(published / name, (now - seconds, now - seconds))

    assert publish("a.json", "A") == "/app/static/maps/a.json"
    aged("a.json", 100)
    publish("b.json", "B")
    aged("b.json", 90)
    publish("c.json", "C")
    assert sorted(p.name for p in published.iterdir()) == ["b.json", "c.json"]
    aged("c.json", 80)  # c is now newer than b
    assert publish("b.json", "ignored") == "/app/static/maps/b.json"  # used again: touched
    assert (published / "b.json").read_text(encoding="utf-8") == "B"  # and not rewritten
    publish("d.json", "D")
    assert sorted(p.name for p in published.iterdir()) == ["b.json", "d.json"]


def test_unwritable_published_directory_falls_back_to_embedded_data(
    real: Catalogue,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    settings,
) -> None:
    """A read-only deployment still draws its map: the data goes inside the script instead."""
    import geo.assets

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(geo.assets, "PUBLISHED_DIR", blocker / "maps")
    settings.set(fetch_above=0)
    results = evaluate_all(real, apply_scenario(real))
    data = map_data(real, results, corridor_styles(real))
    with caplog.at_level(logging.WARNING, logger="geo.maps"):
        url = published_map_data(data)
    assert url is None
    assert "map data not published, embedded instead" in caplog.text
    html = corridor_map(real, results, data=data, data_url=url, embed_basemap=False)
    html = html.get_root().render()
    assert data.bundle in html and "/app/static/maps/" not in html
    assert embedded(html)["parts"]["nodes"] == json.loads(json.dumps(data.nodes))


def test_a_legend_of_many_corridors_starts_folded_and_names_only_the_first(
    real: Catalogue,
) -> None:
    """Hundreds of legend rows would cover the map and identify nothing."""
    import geo.settings
    from geo.maps import legend_config

    listed = geo.settings.get().many_corridors
    few = list(corridor_styles(real).values())
    legend = legend_config(few, set(), title="Corridors")
    assert legend["open"] and legend["more"] is None
    assert [c["name"] for c in legend["corridors"]] == [style.name for style in few]
    many = [*few] * 10  # 80 entries
    legend = legend_config(many, set(), title="Corridors")
    assert not legend["open"]  # folded: the reader opens it
    assert len(legend["corridors"]) == listed and len(legend["lines"]) == 4
    assert legend["more"] == f"… and {len(many) - listed} more"


def test_a_leg_s_popup_and_tooltip_show_its_days_and_cost_with_their_range() -> None:
    from types import SimpleNamespace

    from geo.i18n import translator
    from geo.mapdata import leg_totals

    leg = SimpleNamespace(
        moving_days=0.72,
        cost_usd=661.0,
        moving_days_range=SimpleNamespace(low=0.61, typical=0.72, high=0.94),
        cost_range={"low": 555.0, "typical": 661.0, "high": 794.9},
    )
    totals = leg_totals(leg)  # type: ignore[arg-type]
    assert totals == {"days": "0.7 (0.6–0.9)", "cost": "660 (560–790)"}
    line = translator("en")("popup.leg_scenario", **totals)
    assert line == "0.7 (0.6–0.9) days moving, $660 (560–790)/FEU in this scenario"
    assert (
        translator("zh")("tooltip.leg_totals", **totals)
        == "运行 0.7 (0.6–0.9) 天，每 FEU 660 (560–790) 美元"
    )


def test_the_map_s_leg_popups_and_tooltips_carry_the_leg_totals(tiny: Catalogue) -> None:
    from geo.i18n import translator
    from geo.mapdata import leg_totals

    results = evaluate_all(tiny, apply_scenario(tiny))
    data = map_data(tiny, results, corridor_styles(tiny))
    pool, t = data.shared["pool"], translator("en")
    main = results[0]
    for row, metrics in zip(data.layers["main"], main.legs, strict=True):
        popup = data.shared["popups"][row[3]]
        totals = leg_totals(metrics)
        assert pool[popup[1][1]] == t("popup.leg_scenario", **totals)
        assert pool[row[2][1]].endswith(
            "<br>" + t("tooltip.leg_totals", **totals).replace("&", "&amp;")
        )


def test_popups_say_the_year_a_figure_describes_and_flag_a_dated_one() -> None:
    from geo.loader import parse_catalogue

    text = (Path(__file__).parent / "data" / "tiny.yaml").read_text(encoding="utf-8")
    text = text.replace("dwell_hours: {value: 24,", "dwell_hours: {as_of: 2015, value: 24,")
    text = text.replace("dwell_hours: {value: 12,", "dwell_hours: {as_of: 2024, value: 12,")
    dated = parse_catalogue(text, name="tiny.yaml")  # dated: before 2021, 5 years before 2026
    data = map_data(dated, evaluate_all(dated, apply_scenario(dated)), corridor_styles(dated))
    pool = data.shared["pool"]
    ages = {
        (pool[row[0]], pool[row[5]], row[6])
        for popup in data.shared["popups"]
        for row in popup[3]
        if row[5] is not None
    }
    assert ages == {
        ("Dwell", "dated: 2015 (more than 5 years before the catalogue)", 1),
        ("Dwell", "as of 2024", 0),
    }
    plain = [row for popup in data.shared["popups"] for row in popup[3] if row[5] is None]
    assert plain and all(row[6] == 0 for row in plain)


def test_a_live_map_is_the_same_for_every_scenario_and_only_its_layers_change(
    real: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """st_folium keeps the map's iframe while the script's hash stays the same: a scenario
    change must reach the browser as new layers (`feature_group`), not as a new map."""
    import streamlit_folium

    sent: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.append(kw))
    for scenario in ("baseline", "russia-transit-closed"):
        results = evaluate_all(real, apply_scenario(real, scenario))
        m = corridor_map(real, results, embed_basemap=False, live=True)
        streamlit_folium.st_folium(
            m, feature_group_to_add=atlas_layers(m), key="k", returned_objects=[], render=False
        )
    before, after = sent
    assert before["script"] == after["script"] and before["key"] == after["key"]
    assert before["feature_group"] != after["feature_group"]
    update = re.search(r"window\.CorridorAtlas\.update\(map_div, ", after["feature_group"])
    assert update, after["feature_group"][:300]
    layers = json.JSONDecoder().raw_decode(after["feature_group"], update.end())[0]
    assert layers["data"]["parts"] and layers["overlays"]  # what the scenario draws
    assert "overlays" not in config(before["script"])  # and not in the map's own script
