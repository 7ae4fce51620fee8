"""The folium view: local assets only, one feature per leg and node, and escaped text."""

from __future__ import annotations

import re

import folium

from geo.catalogue import Catalogue
from geo.maps import corridor_map, map_links, node_features, use_local_assets
from geo.metrics import evaluate_all
from geo.scenarios import apply_scenario


def render(catalogue: Catalogue, scenario: str = "baseline", **kwargs: object) -> str:
    results = evaluate_all(catalogue, apply_scenario(catalogue, scenario))
    return corridor_map(catalogue, results, **kwargs).get_root().render()


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


def test_offline_basemap_has_no_tile_layer(tiny: Catalogue) -> None:
    html = render(tiny)
    assert "L.tileLayer" not in html
    assert "tile.openstreetmap.org" in render(tiny, basemap="osm")


def test_one_line_feature_per_corridor_leg_and_a_cross_per_closed_leg(tiny: Catalogue) -> None:
    html = render(tiny)
    assert html.count('"leg": "a-rail"') == 2  # a line in each of the two corridors
    assert '"symbol": "closed"' in html  # c-planned is planned, so closed in baseline
    features = node_features(tiny, evaluate_all(tiny, apply_scenario(tiny)))
    symbols = [f["properties"]["symbol"] for f in features]
    assert symbols.count("gauge_break") == 1 and symbols.count("closed") == 1
    assert len(symbols) == 6 + 1  # six nodes, one closed leg


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


def test_view_fits_the_corridors(tiny: Catalogue) -> None:
    html = render(tiny)
    bounds = re.search(r"fitBounds\(\s*\[\[([^\]]+)\],\s*\[([^\]]+)\]\]", html)
    assert bounds, "the map should fit its corridors"
    south, west = (float(v) for v in bounds.group(1).split(","))
    north, east = (float(v) for v in bounds.group(2).split(","))
    assert (south, west) == (0.0, 0.0) and (north, east) == (1.0, 5.0)
