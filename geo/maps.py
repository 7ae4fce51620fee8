"""
The folium map of corridors: a view over engine results, served from local assets only.

Nothing third-party is loaded unless a user picks a tile basemap: every folium class is pointed
at the files in `static/vendor/` (see `geo.assets`), and any CDN link left over is dropped, so a
missing asset fails loudly in tests instead of silently blanking the map. Strings from the
catalogue reach the page only HTML-escaped, inside JSON.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import Fullscreen
from jinja2 import Template

from geo.assets import BASEMAP_ASSET, IMAGE_PATH_JS, served_url
from geo.catalogue import Catalogue, Figure, Leg, Mode, Node, NodeKind, Status
from geo.geometry import bounds, leg_coords
from geo.i18n import ENGLISH, Translate, localized, translator
from geo.metrics import CorridorMetrics, LegMetrics
from geo.scenarios import closure_text

BASEMAP_FILE = Path(__file__).parent / "data" / "countries.geojson"

BASEMAPS: dict[str, dict[str, str]] = {
    "natural-earth": {"label": "Country borders (offline)"},
    "osm": {
        "label": "OpenStreetMap (online)",
        "tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attr": "&copy; OpenStreetMap contributors",
    },
    "carto-positron": {
        "label": "CARTO Positron (online)",
        "tiles": "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "attr": "&copy; OpenStreetMap contributors &copy; CARTO",
    },
}
"""Basemaps offered; only the offline one is used unless a user picks another."""

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#000000", "#F0E442"]
"""Colour-blind-safe palette (Okabe & Ito 2008), for corridors without a colour of their own."""

RAIL_DASHES = ["", "14 5", "5 5", "14 5 3 5", "2 4", "20 4 4 4", "10 3 3 3 3 3", "8 8"]
"""One rail line pattern per corridor, so corridors stay apart in greyscale print."""

SEA_DASH = "1 8"
NOT_OPEN_DASH = "4 10"
CLOSED_COLOUR = "#8c8c8c"

NODE_SYMBOLS: tuple[str, ...] = (
    "gauge_break",
    NodeKind.BORDER_CROSSING.value,
    NodeKind.SEAPORT.value,
    NodeKind.DRY_PORT.value,
    NodeKind.FERRY_TERMINAL.value,
    NodeKind.CANAL.value,
    NodeKind.RAIL_JUNCTION.value,
    NodeKind.CITY.value,
    "closed",
)
"""Map symbols, most important first; their labels are the messages `symbol.<name>`."""

NODE_CSS = """
<style>
.ca-node { border: 2px solid #fff; box-shadow: 0 0 0 1px #333; box-sizing: border-box; }
.ca-gauge_break { background: linear-gradient(90deg, #000 50%, #fff 50%); border-radius: 50%;
  box-shadow: 0 0 0 2px #000; }
.ca-border_crossing { background: #c0392b; transform: rotate(45deg); }
.ca-seaport { background: #1f4e9c; border-radius: 3px; }
.ca-dry_port { background: #e67e22; border-radius: 2px; }
.ca-ferry_terminal { background: #17a589; border-radius: 50% 50% 0 0; }
.ca-canal { background: #5dade2; transform: rotate(45deg); border-radius: 2px; }
.ca-rail_junction { background: #555; border-radius: 50%; transform: scale(0.7); }
.ca-city { background: #888; border-radius: 50%; transform: scale(0.7); }
.ca-closed { border: none; box-shadow: none; color: #b00020; font: bold 18px/16px sans-serif;
  text-align: center; }
.ca-closed::after { content: "\\2715"; }
.leaflet-container { background: #dbe7f0; }
.ca-legend { background: rgba(255,255,255,0.94); padding: 6px 8px; border-radius: 6px;
  font: 11px/1.3 sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 55vh;
  overflow-y: auto; }
.ca-legend h4 { margin: 2px 0 3px; font-size: 11px; }
.ca-legend summary { cursor: pointer; font-weight: bold; }
.ca-legend .cols { display: flex; gap: 12px; }
.ca-legend .row { display: flex; align-items: center; gap: 6px; white-space: nowrap; }
.ca-legend .sym { width: 12px; height: 12px; display: inline-block; margin: 2px 6px 2px 4px; }
.ca-popup { font: 12px/1.35 sans-serif; max-height: 340px; overflow-y: auto; }
.ca-popup table { border-collapse: collapse; font-size: 12px; margin-top: 4px; }
.ca-popup td, .ca-popup th { padding: 1px 6px 1px 0; vertical-align: top; text-align: left; }
.ca-popup .src { color: #555; font-size: 11px; }
.ca-popup .ca-closed-text { color: #b00020; font-weight: bold; }
</style>
"""


@cache
def use_local_assets() -> None:
    """
    Point every folium class at the app's own copies of Leaflet and its plugins.

    Runs once per process. Links we serve are rewritten; every other third-party link is
    dropped, so nothing can reach a CDN (jQuery, Bootstrap and Font Awesome are not needed
    by anything this map uses).
    """
    folium.Map.default_js = [
        ("leaflet", served_url("leaflet/leaflet.js")),
        ("leaflet_image_path", served_url(IMAGE_PATH_JS)),
    ]
    folium.Map.default_css = [("leaflet_css", served_url("leaflet/leaflet.css"))]
    Fullscreen.default_js = [
        ("Control.Fullscreen.js", served_url("fullscreen/Control.FullScreen.js"))
    ]
    Fullscreen.default_css = [
        ("Control.FullScreen.css", served_url("fullscreen/Control.FullScreen.css"))
    ]
    for cls in _subclasses(JSCSSMixin):
        if cls is Fullscreen or cls is folium.Map:
            continue
        for attribute in ("default_js", "default_css"):
            links = cls.__dict__.get(attribute)
            if links:
                local = [(n, u) for n, u in links if not u.startswith(("http:", "https:", "//"))]
                setattr(cls, attribute, local)


def _subclasses(cls: type) -> Iterable[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


class FeatureLayer(Layer):
    """
    A GeoJSON layer whose features carry their own style, symbol, tooltip and popup.

    One layer for many features keeps the page light (a marker per node costs far more), and
    the escaped HTML arrives as JSON data, never as markup pasted into the script.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data|tojson }}, {
            style: function (f) {
                var s = f.properties.style;
                return typeof s === "number" ? window.caStyles[s] : (s || {});
            },
            pointToLayer: function (f, latlng) {
                return L.marker(latlng, {
                    icon: L.divIcon({className: "ca-node ca-" + f.properties.symbol,
                                     iconSize: [f.properties.size, f.properties.size]}),
                    keyboard: false, riseOnHover: true
                });
            },
            onEachFeature: function (f, layer) {
                if (f.properties.tooltip) {
                    layer.bindTooltip(f.properties.tooltip, {sticky: f.geometry.type !== "Point"});
                }
                if (f.properties.popup) {
                    layer.bindPopup(function () { return window.caPopup(f.properties.popup); },
                                    {maxWidth: 440});
                }
            }
        });
        {% endmacro %}
        """
    )

    def __init__(self, features: list[dict[str, Any]], *, name: str, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self._name = "FeatureLayer"
        self.data = {"type": "FeatureCollection", "features": features}


class Legend(MacroElement):
    """A legend control whose (escaped) HTML travels as a JSON string."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "ca-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html


@dataclass(frozen=True)
class LineStyle:
    """How one corridor (or found route) is drawn: its label, colour and rail dash pattern."""

    name: str
    colour: str
    dash: str


def corridor_styles(catalogue: Catalogue, lang: str = "en") -> dict[str, LineStyle]:
    """Stable styles per corridor id: the catalogue's colour, else the palette, by position."""
    return {
        corridor.id: LineStyle(
            localized(corridor, lang),
            corridor.color or OKABE_ITO[index % len(OKABE_ITO)],
            RAIL_DASHES[index % len(RAIL_DASHES)],
        )
        for index, corridor in enumerate(catalogue.corridors)
    }


def route_styles(labels: list[str]) -> dict[str, LineStyle]:
    """Styles for found routes, keyed `route-1`, `route-2`, …"""
    return {
        f"route-{i + 1}": LineStyle(label, OKABE_ITO[i % len(OKABE_ITO)], RAIL_DASHES[i % 8])
        for i, label in enumerate(labels)
    }


def _figure_row(label: str, figure: Figure | None, unit: str, t: Translate) -> list[Any] | None:
    """[label, value text, source ids, estimate, note]: one popup row, as data."""
    if figure is None:
        return None
    value = f"{figure.value:,.0f}" if figure.value >= 100 else f"{figure.value:,.4g}"
    if figure.low is not None and figure.high is not None:
        value += " " + t("popup.range", low=f"{figure.low:,.4g}", high=f"{figure.high:,.4g}")
    return [label, f"{value} {unit}", list(figure.sources), figure.estimate, figure.note]


def leg_popup(
    catalogue: Catalogue,
    leg: Leg,
    metrics: LegMetrics,
    corridors: list[str],
    *,
    t: Translate = ENGLISH,
    lang: str = "en",
) -> dict:
    """Everything about a leg, with a source per figure, as data the browser renders as text."""
    start, end = (
        localized(catalogue.node(n), lang) for n in (metrics.step.start, metrics.step.end)
    )
    mode = catalogue.parameters.modes[leg.mode]
    rows = [
        _figure_row(t("popup.distance"), leg.distance_km, t("unit.km"), t),
        _figure_row(
            t("popup.speed"), leg.speed_km_per_day or mode.speed_km_per_day, t("unit.km_day"), t
        ),
        _figure_row(t("popup.cost"), leg.cost_usd_per_feu, t("unit.usd_feu"), t)
        or _figure_row(t("popup.rate"), mode.cost_usd_per_feu_km, t("unit.usd_feu_km"), t),
    ]
    gauge = t("popup.gauge", gauge=leg.gauge_mm) if leg.gauge_mm else ""
    closed = metrics.closure
    return {
        "title": f"{start} → {end}",
        "lines": [
            t(
                "popup.leg_kind",
                mode=t(f"mode.{leg.mode.value}"),
                gauge=gauge,
                status=t(f"status.{leg.status.value}"),
            ),
            t(
                "popup.leg_scenario",
                days=f"{metrics.moving_days:.1f}",
                cost=f"{metrics.cost_usd:,.0f}",
            ),
        ],
        "closed": t("popup.closed", reason=closure_text(catalogue, closed, t=t, lang=lang))
        if closed
        else None,
        "rows": [row for row in rows if row],
        "foot": t("popup.leg_foot", corridors=", ".join(corridors), leg=leg.id),
    }


def node_popup(
    catalogue: Catalogue, node: Node, *, t: Translate = ENGLISH, lang: str = "en"
) -> dict:
    country = catalogue.country(node.country)
    rows = [
        _figure_row(t("popup.dwell"), node.dwell_hours, t("unit.hours"), t),
        _figure_row(t("popup.handling"), node.handling_usd_per_feu, t("unit.usd_feu"), t),
    ]
    lines = [t(f"symbol.{node.kind.value}")]
    if node.gauge_break:
        lines.append(t("symbol.gauge_break"))
    if node.note:
        lines.append(node.note)
    return {
        "title": f"{localized(node, lang)} ({localized(country, lang)})",
        "lines": lines,
        "closed": None,
        "rows": [row for row in rows if row],
        "foot": f"{node.lat:.2f}, {node.lon:.2f}: {node.coordinates_basis}",
    }


def source_labels(catalogue: Catalogue, popups: Iterable[dict]) -> dict[str, list[str | None]]:
    """Source id -> [label, url] for the sources the popups cite (only http(s) URLs kept)."""
    cited = {source for popup in popups for row in popup["rows"] for source in row[2]}
    labels: dict[str, list[str | None]] = {}
    for source_id in sorted(cited):
        source = catalogue.source(source_id)
        url = source.url if source.url and source.url.startswith(("http://", "https://")) else None
        labels[source_id] = [f"{source.publisher} ({source.year}): {source.title}", url]
    return labels


class PopupStore(MacroElement):
    """
    Popup contents for every leg and node, sent once and rendered in the browser as text.

    Legs shared by several corridors share one entry, and the DOM is built with textContent,
    so no catalogue string is ever parsed as HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.caPopups = {{ this.popups|tojson }};
        window.caSources = {{ this.sources|tojson }};
        window.caLabels = {{ this.labels|tojson }};
        window.caTexts = {{ this.texts|tojson }};
        window.caStyles = {{ this.styles|tojson }};
        window.caPopup = function (key) {
            var entry = window.caPopups[key], box = document.createElement("div");
            var add = function (parent, tag, text, cls) {
                var el = document.createElement(tag);
                if (text !== undefined && text !== null) { el.textContent = text; }
                if (cls) { el.className = cls; }
                parent.appendChild(el);
                return el;
            };
            box.className = "ca-popup";
            add(box, "b", entry.title);
            entry.lines.forEach(function (line) { add(box, "div", line); });
            if (entry.closed) { add(box, "div", entry.closed, "ca-closed-text"); }
            var table = add(box, "table");
            entry.rows.forEach(function (row) {
                var tr = add(table, "tr"), td;
                add(tr, "th", row[0]);
                td = add(tr, "td", row[1]);
                var src = add(td, "div", null, "src");
                row[2].forEach(function (id) {
                    var s = window.caSources[id] || [id, null], item = add(src, "div");
                    if (s[1] && /^https?:\\/\\//.test(s[1])) {
                        var a = add(item, "a", s[0]);
                        a.href = s[1]; a.target = "_blank"; a.rel = "noopener noreferrer";
                    } else { item.textContent = s[0]; }
                });
                if (row[3] !== null) {
                    add(src, "div", window.caLabels.estimate + window.caTexts[row[3]]);
                }
                if (row[4] !== null) {
                    add(src, "div", window.caLabels.note + window.caTexts[row[4]]);
                }
            });
            add(box, "div", entry.foot, "src");
            return box;
        };
        {% endmacro %}
        """
    )

    def __init__(
        self,
        popups: dict[str, dict],
        sources: dict[str, list[str | None]],
        *,
        t: Translate = ENGLISH,
    ) -> None:
        super().__init__()
        self._name = "PopupStore"
        self.texts: list[str] = []
        self.popups = {key: self._shared_texts(entry) for key, entry in popups.items()}
        self.sources = sources
        self.labels = {"estimate": t("popup.estimate"), "note": t("popup.note")}
        self.styles: list[dict[str, Any]] = []
        self._style_index: dict[str, int] = {}

    def _shared_texts(self, entry: dict) -> dict:
        """Estimates and notes recur across legs (a mode's speed on every rail leg): send once."""
        index = {text: i for i, text in enumerate(self.texts)}

        def ref(text: str | None) -> int | None:
            if text is None:
                return None
            if text not in index:
                index[text] = len(self.texts)
                self.texts.append(text)
            return index[text]

        rows = [[*row[:3], ref(row[3]), ref(row[4])] for row in entry["rows"]]
        return {**entry, "rows": rows}

    def share_style(self, style: dict[str, Any]) -> int:
        """An index into the map's table of line styles (few distinct styles, many lines)."""
        key = json.dumps(style, sort_keys=True)
        if key not in self._style_index:
            self._style_index[key] = len(self.styles)
            self.styles.append(style)
        return self._style_index[key]


def node_tooltip(node: Node, *, t: Translate = ENGLISH, lang: str = "en") -> str:
    kind = t("symbol.gauge_break") if node.gauge_break else t(f"symbol.{node.kind.value}")
    dwell = t("tooltip.dwell", hours=f"{node.dwell_hours.value:,.0f}") if node.dwell_hours else ""
    figure = f"<br>{escape(dwell)}" if dwell else ""
    return f"<b>{escape(localized(node, lang))}</b><br>{escape(kind)}{figure}"


def _leg_style(
    leg: Leg, colour: str, dash: str, weight: float, *, closed: bool, dimmed: bool
) -> dict[str, Any]:
    style: dict[str, Any] = {"color": colour, "weight": weight, "opacity": 0.9, "lineCap": "round"}
    if leg.mode in (Mode.SEA, Mode.FERRY):
        style["dashArray"] = SEA_DASH
    elif dash:
        style["dashArray"] = dash
    if leg.status is not Status.OPERATIONAL:
        style.update(dashArray=NOT_OPEN_DASH, opacity=0.7)
    if closed:
        style.update(color=CLOSED_COLOUR, opacity=0.75, weight=max(2.0, weight - 1))
    if dimmed:
        style["opacity"] = 0.3
    return style


def _line_feature(coords: list[tuple[float, float]], properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {
            "type": "LineString",
            "coordinates": [[round(x, 4), round(y, 4)] for x, y in coords],
        },
        "properties": properties,
    }


def _point_feature(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def leg_users(results: list[CorridorMetrics]) -> dict[str, list[str]]:
    """For each leg id, the corridors (result ids) that use it, in drawing order."""
    users: dict[str, list[str]] = defaultdict(list)
    for result in results:
        for leg in result.legs:
            users[leg.step.leg.id].append(result.corridor_id)
    return users


def popup_entries(
    catalogue: Catalogue,
    results: list[CorridorMetrics],
    styles: dict[str, LineStyle],
    *,
    t: Translate = ENGLISH,
    lang: str = "en",
) -> dict[str, dict]:
    """One popup per leg and per node on the shown corridors, keyed 'leg:ID' and 'node:ID'."""
    users = leg_users(results)
    first: dict[str, LegMetrics] = {}
    for result in results:
        for leg in result.legs:
            first.setdefault(leg.step.leg.id, leg)
    entries = {
        f"leg:{leg_id}": leg_popup(
            catalogue, leg.step.leg, leg, [styles[c].name for c in users[leg_id]], t=t, lang=lang
        )
        for leg_id, leg in first.items()
    }
    for leg in first.values():
        for node_id in (leg.step.start, leg.step.end):
            key = f"node:{node_id}"
            if key not in entries:
                entries[key] = node_popup(catalogue, catalogue.node(node_id), t=t, lang=lang)
    return entries


def corridor_features(
    catalogue: Catalogue,
    results: list[CorridorMetrics],
    styles: dict[str, LineStyle],
    *,
    highlight: str | None = None,
    t: Translate = ENGLISH,
    lang: str = "en",
) -> dict[str, list[dict[str, Any]]]:
    """Line features per corridor; legs shared by several corridors are drawn as nested bands."""
    sharing = leg_users(results)
    layers: dict[str, list[dict[str, Any]]] = {}
    for result in results:
        colour, dash = styles[result.corridor_id].colour, styles[result.corridor_id].dash
        name = styles[result.corridor_id].name
        features = []
        for leg_metrics in result.legs:
            leg = leg_metrics.step.leg
            users = sharing[leg.id]
            weight = 3.5 + 3.0 * (len(users) - 1 - users.index(result.corridor_id))
            if highlight == result.corridor_id:
                weight += 3
            coords = leg_coords(catalogue, leg)
            if leg_metrics.step.reversed:
                coords = coords[::-1]
            closed = leg_metrics.closure is not None
            start, end = (
                localized(catalogue.node(n), lang)
                for n in (leg_metrics.step.start, leg_metrics.step.end)
            )
            kind = t(
                "tooltip.leg", mode=t(f"mode.{leg.mode.value}"), km=f"{leg.distance_km.value:,.0f}"
            )
            tooltip = f"<b>{escape(name)}</b><br>{escape(start)} → {escape(end)}<br>{escape(kind)}"
            if leg_metrics.closure is not None:
                reason = closure_text(catalogue, leg_metrics.closure, t=t, lang=lang)
                tooltip += "<br>" + escape(t("popup.closed", reason=reason))
            features.append(
                _line_feature(
                    coords,
                    {
                        "corridor": result.corridor_id,
                        "leg": leg.id,
                        "closed": closed,
                        "style": _leg_style(
                            leg,
                            colour,
                            dash,
                            weight,
                            closed=closed,
                            dimmed=highlight is not None and highlight != result.corridor_id,
                        ),
                        "tooltip": tooltip,
                        "popup": f"leg:{leg.id}",
                    },
                )
            )
        layers[result.corridor_id] = features
    return layers


def node_features(
    catalogue: Catalogue,
    results: list[CorridorMetrics],
    *,
    t: Translate = ENGLISH,
    lang: str = "en",
) -> list[dict[str, Any]]:
    """One point per node on the shown corridors, plus a cross on each closed leg."""
    seen: dict[str, Node] = {}
    closed: dict[str, LegMetrics] = {}
    for result in results:
        for leg in result.legs:
            for node_id in (leg.step.start, leg.step.end):
                seen.setdefault(node_id, catalogue.node(node_id))
            if leg.closure is not None:
                closed.setdefault(leg.step.leg.id, leg)
    features = []
    for node in seen.values():
        symbol = "gauge_break" if node.gauge_break else node.kind.value
        minor = node.kind in (NodeKind.CITY, NodeKind.RAIL_JUNCTION) and not node.gauge_break
        features.append(
            _point_feature(
                node.lon,
                node.lat,
                {
                    "node": node.id,
                    "symbol": symbol,
                    "size": 10 if minor else 14,
                    "tooltip": node_tooltip(node, t=t, lang=lang),
                    "popup": f"node:{node.id}",
                },
            )
        )
    for leg_id, leg in closed.items():
        coords = leg_coords(catalogue, leg.step.leg)
        lon, lat = coords[len(coords) // 2] if len(coords) > 2 else _midpoint(coords)
        features.append(
            _point_feature(
                lon,
                lat,
                {
                    "leg": leg_id,
                    "symbol": "closed",
                    "size": 16,
                    "tooltip": f"<b>{escape(t('symbol.closed'))}</b><br>"
                    + escape(closure_text(catalogue, leg.closure, t=t, lang=lang))
                    if leg.closure
                    else "",
                },
            )
        )
    return features


def _midpoint(coords: list[tuple[float, float]]) -> tuple[float, float]:
    (x1, y1), (x2, y2) = coords[0], coords[-1]
    return (x1 + x2) / 2, (y1 + y2) / 2


def legend_html(
    styles: list[LineStyle], symbols: set[str], *, title: str, t: Translate = ENGLISH
) -> str:
    rows = [
        f"<details open><summary>{escape(t('legend.title'))}</summary>"
        f'<div class="cols"><div><h4>{escape(title)}</h4>'
    ]
    for style in styles:
        rows.append(
            f'<div class="row"><svg width="34" height="10"><line x1="1" y1="5" x2="33" y2="5" '
            f'stroke="{style.colour}" stroke-width="4" stroke-dasharray="{style.dash}"/></svg>'
            f"{escape(style.name)}</div>"
        )
    rows.append(f"</div><div><h4>{escape(t('legend.lines'))}</h4>")
    for label, dash, colour in (
        (t("legend.rail"), "", "#444"),
        (t("legend.sea"), SEA_DASH, "#444"),
        (t("legend.not_open"), NOT_OPEN_DASH, "#444"),
        (t("legend.closed"), "", CLOSED_COLOUR),
    ):
        rows.append(
            f'<div class="row"><svg width="34" height="10"><line x1="1" y1="5" x2="33" y2="5" '
            f'stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}" '
            f'stroke-linecap="round"/></svg>{escape(label)}</div>'
        )
    rows.append(f"<h4>{escape(t('legend.nodes'))}</h4>")
    for symbol in NODE_SYMBOLS:
        if symbol in symbols:
            rows.append(
                f'<div class="row"><span class="sym ca-node ca-{symbol}"></span>'
                f"{escape(t(f'symbol.{symbol}'))}</div>"
            )
    rows.append("</div></div></details>")
    return "".join(rows)


BASEMAP_STYLE = {"color": "#a8a397", "weight": 0.6, "fillColor": "#f4f1ea", "fillOpacity": 1}


@cache
def basemap_data() -> dict[str, Any]:
    """Country outlines without their properties: the map draws shapes, nothing else."""
    data: dict[str, Any] = json.loads(BASEMAP_FILE.read_text(encoding="utf-8"))
    for feature in data["features"]:
        feature["properties"] = {}
    return data


class Basemap(MacroElement):
    """
    The offline country basemap, drawn beneath everything and never clickable.

    Given a URL it is fetched by the browser (cached there, and kept out of every rerun's
    payload); without one the outlines are embedded, for files that must open on their own.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var draw = function (data) {
                L.geoJSON(data, {style: {{ this.style|tojson }}, interactive: false})
                    .addTo(map).bringToBack();
            };
            {% if this.url %}
            fetch({{ this.url|tojson }}).then(function (r) { return r.json(); }).then(draw);
            {% else %}
            draw({{ this.data|tojson }});
            {% endif %}
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, url: str | None = None) -> None:
        super().__init__()
        self._name = "Basemap"
        self.url = url
        self.style = BASEMAP_STYLE
        self.data = None if url else basemap_data()


def corridor_map(
    catalogue: Catalogue,
    results: list[CorridorMetrics],
    *,
    basemap: str = "natural-earth",
    highlight: str | None = None,
    styles: dict[str, LineStyle] | None = None,
    legend_title: str | None = None,
    embed_basemap: bool = True,
    lang: str = "en",
) -> folium.Map:
    """
    A folium map of the given corridor results (one scenario), fitted to them.

    Parameters
    ----------
    catalogue
        The catalogue the results came from (for names, sources and drawn lines).
    results
        Corridor metrics to draw, in the order corridors are layered.
    basemap
        A key of `BASEMAPS`; only "natural-earth" is offline.
    highlight
        A corridor id to draw on top and thicker, dimming the others.
    styles
        Label, colour and dash per result id; defaults to the catalogue's corridors.
    legend_title
        Heading of the legend's line entries (default: "Corridors" in `lang`).
    embed_basemap
        Put the country outlines in the page (for standalone files); otherwise the browser
        fetches them from the app's static files once and caches them.
    lang
        Language of every label (a key of `geo.i18n.LANGUAGES`).
    """
    t = translator(lang)
    styles = styles or corridor_styles(catalogue, lang)
    use_local_assets()
    if basemap not in BASEMAPS:
        raise ValueError(f"`basemap` was {basemap!r} but is expected to be in {list(BASEMAPS)}")
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.25)
    m.get_root().header.add_child(Element(NODE_CSS))
    if basemap == "natural-earth":
        Basemap(url=None if embed_basemap else served_url(BASEMAP_ASSET)).add_to(m)
    else:
        folium.TileLayer(
            tiles=BASEMAPS[basemap]["tiles"],
            attr=BASEMAPS[basemap]["attr"],
            name=BASEMAPS[basemap]["label"],
            control=False,
        ).add_to(m)
    popups = popup_entries(catalogue, results, styles, t=t, lang=lang)
    store = PopupStore(popups, source_labels(catalogue, popups.values()), t=t)
    store.add_to(m)
    ordered = sorted(results, key=lambda r: r.corridor_id == highlight)
    layers = corridor_features(catalogue, ordered, styles, highlight=highlight, t=t, lang=lang)
    for corridor_id, features in layers.items():
        for feature in features:
            feature["properties"]["style"] = store.share_style(feature["properties"]["style"])
        FeatureLayer(features, name=escape(styles[corridor_id].name)).add_to(m)
    nodes = node_features(catalogue, results, t=t, lang=lang)
    FeatureLayer(nodes, name=escape(t("legend.nodes"))).add_to(m)
    symbols = {f["properties"]["symbol"] for f in nodes}
    shown_styles = [styles[r.corridor_id] for r in results]
    title = legend_title or t("legend.corridors")
    Legend(legend_html(shown_styles, symbols, title=title, t=t)).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    Fullscreen(position="topleft").add_to(m)
    coords = [c for r in results for leg in r.legs for c in leg_coords(catalogue, leg.step.leg)]
    if coords:
        south, west, north, east = bounds(coords)
        m.fit_bounds([[south, west], [north, east]], padding=(20, 20))
    else:
        m.location, m.zoom_start = [45.0, 60.0], 3
    return m


def map_links(m: folium.Map) -> list[str]:
    """Every script and stylesheet URL the rendered map asks for (for offline checks)."""
    html = m.get_root().render()
    return re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
