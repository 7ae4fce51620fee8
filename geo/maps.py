"""
The folium map of corridors: a view over engine results, served from local assets only.

Nothing third-party is loaded unless a user picks a tile basemap: every folium class is pointed
at the files in `static/vendor/` (see `geo.assets`), and any CDN link left over is dropped, so a
missing asset fails loudly in tests instead of silently blanking the map. Strings from the
catalogue reach the page only HTML-escaped, inside JSON.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable
from functools import cache
from html import escape
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import Fullscreen
from jinja2 import Template

from geo import settings
from geo.assets import BASEMAP_ASSET, BASEMAP_FILE, BASEMAPS, IMAGE_PATH_JS, publish, served_url
from geo.catalogue import Catalogue
from geo.i18n import ENGLISH, Translate, translator
from geo.mapdata import MapData, map_data
from geo.metrics import CorridorMetrics
from geo.palette import (
    CLOSED_COLOUR,
    NODE_SYMBOLS,
    NOT_OPEN_DASH,
    SEA_DASH,
    SYMBOL_COLOURS,
    LineStyle,
    corridor_styles,
    route_styles,
)

log = logging.getLogger(__name__)

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
.ca-failed { position: absolute; z-index: 1000; top: 40%; left: 15%; right: 15%; padding: 12px;
  background: #fff; border: 2px solid #b00020; border-radius: 6px; color: #b00020;
  font: 14px/1.4 sans-serif; text-align: center; }
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
.ca-popup .ca-select { margin-top: 6px; color: #555; font-size: 11px; }
.ca-popup .ca-select button { display: block; margin: 3px 0 0; padding: 2px 6px;
  font: 12px sans-serif; cursor: pointer; background: #f4f1ea; border: 1px solid #a8a397;
  border-radius: 4px; }
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


_JS_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("'", "\\u0027"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def to_js(value: Any) -> str:
    """Compact JSON that is safe inside a <script> (no `<`, `>`, `&`, `'`, line separators)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, code in _JS_ESCAPES:
        text = text.replace(char, code)
    return text


def html_text(text: str) -> str:
    """
    Catalogue text as inert HTML for folium's own templates, such as layer names.

    branca compiles every rendered script as a Jinja template once more, so a name holding
    `{{ … }}` would run on the server: braces go as character references.
    """
    return escape(text).replace("{", "&#123;").replace("}", "&#125;")


class RawScript(Element):
    """A rendered script placed in the page as it is, never compiled as a template again."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class RawMacro(MacroElement):
    """
    A MacroElement whose script output (carrying catalogue data) skips branca's second Jinja
    pass: no template injection from the data, and no compiling megabytes of JSON each run.
    """

    def render(self, **kwargs: Any) -> None:
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(RawScript(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class MapTables(RawMacro):
    """
    The tables every layer refers to (strings, styles, lines, popups), sent once per map,
    and the functions that turn compact rows into Leaflet layers in the browser.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.caMap = null;
        window.caSelectable = {{ this.selectable|tojson }};
        window.caCanvas = {{ this.canvas|tojson }};
        // Corridors get a canvas of their own: the basemap (SVG) arriving never redraws them.
        window.caRenderer = window.caCanvas ? L.canvas({padding: 0.3}) : undefined;
        window.caDots = {{ this.dots|tojson }};
        // The data: fetched from the app's static files (kept out of Streamlit's message,
        // parsed as JSON, cached by the browser) or, in a file that must stand alone, inline.
        {% if this.url %}
        window.caData = fetch({{ this.url|tojson }}).then(function (r) {
            if (!r.ok) { throw new Error("HTTP " + r.status); }
            return r.json();
        });
        {% else %}
        window.caData = Promise.resolve({{ this.json }});
        {% endif %}
        window.caData.then(function (data) { window.caMap = data.shared; }, function (error) {
            var box = {{ this._parent.get_name() }}.getContainer();
            var note = document.createElement("div");
            note.className = "ca-failed";
            note.setAttribute("role", "alert");
            note.textContent = {{ this.failed|tojson }} + " (" + error.message + ")";
            box.appendChild(note);
        });
        window.caTip = function (parts) {
            var pool = window.caMap.pool;
            return parts.map(function (i) { return pool[i]; }).join("<br>");
        };
        window.caPopup = function (index) {
            var m = window.caMap, entry = m.popups[index], pool = m.pool;
            var box = document.createElement("div");
            var add = function (parent, tag, text, cls) {
                var el = document.createElement(tag);
                if (text !== undefined && text !== null) { el.textContent = text; }
                if (cls) { el.className = cls; }
                parent.appendChild(el);
                return el;
            };
            box.className = "ca-popup";
            add(box, "b", pool[entry[0]]);
            entry[1].forEach(function (i) { add(box, "div", pool[i]); });
            if (entry[2] !== null) { add(box, "div", pool[entry[2]], "ca-closed-text"); }
            var table = add(box, "table");
            entry[3].forEach(function (row) {
                var tr = add(table, "tr"), td;
                add(tr, "th", pool[row[0]]);
                td = add(tr, "td", pool[row[1]]);
                var src = add(td, "div", null, "src");
                row[2].forEach(function (i) {
                    var s = m.sources[i], item = add(src, "div");
                    if (s[1] && /^https?:\\/\\//.test(s[1])) {
                        var a = add(item, "a", s[0]);
                        a.href = s[1]; a.target = "_blank"; a.rel = "noopener noreferrer";
                    } else { item.textContent = s[0]; }
                });
                if (row[3] !== null) { add(src, "div", m.labels.estimate + pool[row[3]]); }
                if (row[4] !== null) { add(src, "div", m.labels.note + pool[row[4]]); }
            });
            entry[4].forEach(function (i) { add(box, "div", pool[i], "src"); });
            if (window.caSelectable && window.parent !== window && entry[5].length) {
                // Inside the dashboard: ask it to highlight a corridor and break it down.
                var pick = add(box, "div", m.select, "ca-select");
                entry[5].forEach(function (i) {
                    var button = add(pick, "button", m.corridors[i][1]);
                    button.type = "button";
                    button.setAttribute("data-corridor", m.corridors[i][0]);
                    button.onclick = function () {
                        window.parent.postMessage({
                            isStreamlitMessage: true, type: "streamlit:setComponentValue",
                            dataType: "json",
                            value: {ca_select: m.corridors[i][0], at: Date.now()}
                        }, "*");
                    };
                });
            }
            return box;
        };
        window.caLatLngs = [];
        window.caLine = function (index) {
            // A leg drawn as a band by several corridors converts its coordinates once.
            var done = window.caLatLngs[index];
            if (!done) {
                done = window.caLatLngs[index] = window.caMap.geoms[index].map(function (c) {
                    return L.latLng(c[1], c[0]);
                });
            }
            return done;
        };
        window.caPoint = function (r) {
            var latlng = L.latLng(r[1], r[0]);
            if (window.caCanvas) {
                return L.circleMarker(latlng, {
                    renderer: window.caRenderer,
                    radius: Math.max(3, r[3] / 3), color: "#fff", weight: 1,
                    fillColor: window.caDots[r[2]] || "#888", fillOpacity: 1
                });
            }
            return L.marker(latlng, {
                icon: L.divIcon({className: "ca-node ca-" + r[2], iconSize: [r[3], r[3]]}),
                keyboard: false, riseOnHover: true
            });
        };
        window.caLayer = function (part, kind) {
            // Empty now (the layer control needs it), filled once the data is there. One
            // tooltip and one popup per overlay serve all its lines or points (each is told
            // which was hovered or clicked), instead of one pair bound to each of thousands.
            var group = L.featureGroup();
            group.bindTooltip(function (layer) { return window.caTip(layer.caTip); },
                              {sticky: kind === "line"});
            group.bindPopup(function (layer) {
                if (layer.caPopup !== null) { return window.caPopup(layer.caPopup); }
                var box = document.createElement("div");  // a closure cross: its tooltip
                box.className = "ca-popup";
                box.innerHTML = window.caTip(layer.caTip);  // pool tooltips are escaped HTML
                return box;
            }, {maxWidth: 440});
            window.caData.then(function (data) {
                var m = window.caMap, options = {};
                data.parts[part].forEach(function (r) {
                    var layer;
                    if (kind === "line") {
                        if (!options[r[1]]) {
                            options[r[1]] = L.extend({renderer: window.caRenderer}, m.styles[r[1]]);
                        }
                        layer = L.polyline(window.caLine(r[0]), options[r[1]]);
                        layer.caTip = r[2];
                        layer.caPopup = r[3];
                    } else {
                        layer = window.caPoint(r);
                        layer.caTip = r[4];
                        layer.caPopup = r[5];
                    }
                    group.addLayer(layer);
                });
                window.caDrawn(group);
            }, function () {});  // a failed fetch is shown once, by the alert above
            return group;
        };
        window.caDrawn = function (layer) {
            // On a canvas, lines are not elements: once the frame that paints them has run,
            // the map's container says how many it holds (what tests and the bench count).
            if (window.caCanvas) {
                var lines = 0;
                layer.eachLayer(function (l) { if (!(l instanceof L.CircleMarker)) { lines++; } });
                L.Util.requestAnimFrame(function () {
                    var box = layer._map && layer._map.getContainer();
                    if (box) {
                        box.dataset.caCanvasLines = +(box.dataset.caCanvasLines || 0) + lines;
                    }
                });
            }
            return layer;
        };
        {% endmacro %}
        """
    )

    def __init__(
        self,
        json: str | None,
        *,
        url: str | None = None,
        failed: str = "",
        selectable: bool = False,
        canvas: bool = False,
    ) -> None:
        super().__init__()
        self._name = "MapTables"
        self.json = json
        self.url = url
        self.failed = failed
        self.selectable = selectable
        self.canvas = canvas
        self.dots = SYMBOL_COLOURS


class FeatureLayer(Layer):
    """
    One toggleable overlay: the rows of one part of the map data (`map_bundle`), expanded by
    `caLayer` once the data is there.

    One GeoJSON layer for many features keeps the page light (a marker per node costs far
    more), and catalogue text arrives as JSON data, never as markup pasted into the script.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = window.caLayer(
            {{ this.part|tojson }}, {{ this.kind|tojson }}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, part: str, *, kind: str, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "FeatureLayer"
        self.kind = kind
        self.part = part

    def render(self, **kwargs: Any) -> None:
        """Added to the map in its own script (folium's `Layer.render` adds a second element)."""
        RawMacro.render(self, **kwargs)  # type: ignore[arg-type]


class FitView(RawMacro):
    """
    Fit the map to its corridors at once. folium's `fit_bounds` animates the zoom from its
    default view, so a canvas map drew everything twice (the second time after the animation).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.fitBounds(
            {{ this.bounds|tojson }}, {padding: [20, 20], animate: false}
        );
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitView"
        self.bounds = bounds


class Legend(RawMacro):
    """A legend control whose (escaped) HTML travels as a JSON string."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "ca-legend");
            div.innerHTML = {{ this.html }};
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
        self.html = to_js(html)


def legend_html(
    styles: list[LineStyle], symbols: set[str], *, title: str, t: Translate = ENGLISH
) -> str:
    """The legend; above `settings.get().many_corridors` corridors it starts folded, names the first
    ones and counts the rest (hundreds of entries in a corner of the map identify none)."""
    unfolded = " open" if len(styles) <= settings.get().many_corridors else ""  # else it covers the map
    rows = [
        f"<details{unfolded}><summary>{escape(t('legend.title'))}</summary>"
        f'<div class="cols"><div><h4>{escape(title)}</h4>'
    ]
    for style in styles[:settings.get().many_corridors]:
        rows.append(
            f'<div class="row"><svg width="34" height="10"><line x1="1" y1="5" x2="33" y2="5" '
            f'stroke="{style.colour}" stroke-width="4" stroke-dasharray="{style.dash}"/></svg>'
            f"{escape(style.name)}</div>"
        )
    if len(styles) > settings.get().many_corridors:
        more = t("legend.more", count=f"{len(styles) - settings.get().many_corridors:,}")
        rows.append(f'<div class="row">{escape(more)}</div>')
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


class Basemap(RawMacro):
    """
    The offline country basemap, drawn beneath everything and never clickable.

    Given a URL it is fetched by the browser (cached there, and kept out of every rerun's
    payload); without one the outlines are embedded, for files that must open on their own.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            // A pane of its own, under the corridors' (SVG or canvas) whatever arrives first.
            map.createPane("caBasemap").style.zIndex = 250;
            var draw = function (data) {
                L.geoJSON(data, {style: {{ this.style|tojson }}, interactive: false,
                                 pane: "caBasemap"}).addTo(map);
            };
            {% if this.url %}
            fetch({{ this.url|tojson }}).then(function (r) { return r.json(); }).then(draw);
            {% else %}
            draw({{ this.data }});
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
        self.data = None if url else to_js(basemap_data())


_ENCODED: WeakKeyDictionary[MapData, dict[str, str]] = WeakKeyDictionary()


def _part(data: MapData, part: str) -> Any:
    """One part of the map data: "shared", "nodes", "lines" (all corridors) or "corridor:<id>"."""
    if part == "shared":
        return data.shared
    if part == "nodes":
        return data.nodes
    if part == "lines":
        return [row for rows in data.layers.values() for row in rows]
    return data.layers[part.removeprefix("corridor:")]


def line_parts(data: MapData) -> list[str]:
    """The corridor overlays, in drawing order: one per corridor, or "lines" for all of them."""
    if len(data.layers) > settings.get().many_corridors:
        return ["lines"]
    return [f"corridor:{corridor_id}" for corridor_id in data.layers]


def map_bundle(data: MapData) -> str:
    """
    Everything the map's layers draw, as one JSON document (safe inside a script too):
    `{"shared": tables, "parts": {overlay: rows, ..., "nodes": rows}}`. Encoded once per
    `MapData`: the dashboard keeps a view's data, and at 100x encoding took 0.2 s of every rerun.
    """
    memo = _ENCODED.setdefault(data, {})
    if "bundle" not in memo:
        parts = [*line_parts(data), "nodes"]
        memo["bundle"] = to_js(
            {"shared": data.shared, "parts": {part: _part(data, part) for part in parts}}
        )
    return memo["bundle"]


def map_bundle_name(data: MapData) -> str:
    """The data's file name: a hash of its content, so a name never changes meaning."""
    memo = _ENCODED.setdefault(data, {})
    if "name" not in memo:
        digest = hashlib.sha256(map_bundle(data).encode("utf-8")).hexdigest()
        memo["name"] = f"{digest}.json"
    return memo["name"]


def fetched(data: MapData) -> bool:
    """Whether the browser should fetch this map's data rather than find it in the script."""
    return len(map_bundle(data)) > settings.get().fetch_above


def published_map_data(data: MapData) -> str | None:
    """
    The URL of `map_bundle(data)` among the app's static files, written once per content, if
    it is larger than `FETCH_ABOVE`; None (embed it) if smaller or if it cannot be written.

    Megabytes of data inside the map's script cost every step on the way: st_folium's string
    work, Streamlit's message, the iframe's handover, and compiling it as JavaScript. Fetched,
    the data is parsed as JSON and cached by the browser.
    """
    if not fetched(data):
        return None
    try:
        return publish(map_bundle_name(data), map_bundle(data))
    except OSError as exc:
        log.warning("map data not published, embedded instead: %s", exc)
        return None


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
    selectable: bool = False,
    canvas: bool | None = None,
    data: MapData | None = None,
    data_url: str | None = None,
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
    selectable
        Leg popups get a button per corridor that asks the dashboard (through st_folium's
        component value) to highlight that corridor; only inside the dashboard.
    canvas
        Draw on a canvas (nodes as dots) rather than SVG; by default only above `CANVAS_ABOVE`
        line features.
    data
        `geo.mapdata.map_data` for exactly these results, styles, highlight and language, when
        the caller keeps it (the dashboard does, per view); built here otherwise.
    data_url
        Where the browser fetches `map_bundle(data)` (`published_map_data`); without one the
        data is embedded in the map's script.
    """
    t = translator(lang)
    styles = styles or corridor_styles(catalogue, lang)
    use_local_assets()
    if basemap not in BASEMAPS:
        raise ValueError(f"`basemap` was {basemap!r} but is expected to be in {list(BASEMAPS)}")
    if data is None:
        data = map_data(catalogue, results, styles, highlight=highlight, t=t, lang=lang)
    if canvas is None:
        canvas = sum(len(rows) for rows in data.layers.values()) > settings.get().canvas_above
    m = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25)
    m.get_root().header.add_child(Element(NODE_CSS))
    if data.extent:  # before any layer, so that nothing is drawn twice
        south, west, north, east = data.extent
        FitView([[south, west], [north, east]]).add_to(m)
    else:
        m.location, m.zoom_start = [45.0, 60.0], 3
    # The data is asked for before the basemap, so the corridors are not drawn after it.
    MapTables(
        None if data_url else map_bundle(data),
        url=data_url,
        failed=t("map.data_failed"),
        selectable=selectable,
        canvas=canvas,
    ).add_to(m)
    if basemap == "natural-earth":
        Basemap(url=None if embed_basemap else served_url(BASEMAP_ASSET)).add_to(m)
    else:
        folium.TileLayer(
            tiles=BASEMAPS[basemap]["tiles"],
            attr=BASEMAPS[basemap]["attr"],
            name=BASEMAPS[basemap]["label"],
            control=False,
        ).add_to(m)
    for part in line_parts(data):
        corridor_id = part.removeprefix("corridor:")
        name = t("legend.corridors") if part == "lines" else styles[corridor_id].name
        FeatureLayer(part, kind="line", name=html_text(name)).add_to(m)
    FeatureLayer("nodes", kind="point", name=html_text(t("legend.nodes"))).add_to(m)
    shown_styles = [styles[r.corridor_id] for r in results]
    title = legend_title or t("legend.corridors")
    Legend(legend_html(shown_styles, data.symbols, title=title, t=t)).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    Fullscreen(position="topleft").add_to(m)
    return m


def map_links(m: folium.Map) -> list[str]:
    """Every script and stylesheet URL the rendered map asks for (for offline checks)."""
    html = m.get_root().render()
    return re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
