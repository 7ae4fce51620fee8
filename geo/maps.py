"""
The folium map of corridors: a view over engine results, served from local assets only.

Python builds one JSON configuration (data, styles, labels, options) and the map's own script,
`geo/web/map.js`, does the rest in the browser; its stylesheet `geo/web/map.css` holds shapes,
and every colour comes from `geo.palette`. Nothing third-party is loaded unless a user picks a
tile basemap: every folium class is pointed at the files in `static/vendor/` (see `geo.assets`),
and any CDN link left over is dropped, so a missing asset fails loudly in tests instead of
silently blanking the map. Catalogue strings reach the page only inside JSON.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import Fullscreen
from jinja2 import Template

from geo import palette, settings
from geo.annotations import Annotations
from geo.assets import (
    BASEMAPS,
    IMAGE_PATH_JS,
    install_web_files,
    publish,
    served_url,
    web_url,
)
from geo.basemap import basemap_config
from geo.catalogue import Catalogue
from geo.i18n import ENGLISH, Translate, localized, translator
from geo.mapdata import MapData, map_data
from geo.metrics import CorridorMetrics
from geo.palette import LineStyle, corridor_styles
from geo.text import script_json

log = logging.getLogger(__name__)


@cache
def use_local_assets() -> None:
    """
    Point every folium class at the app's own copies of Leaflet and its plugins.

    Runs once per process. Links we serve are rewritten; every other third-party link is
    dropped, so nothing can reach a CDN (jQuery, Bootstrap and Font Awesome are not needed
    by anything this map uses). Our own map script is copied to the served folder if stale.
    """
    try:
        install_web_files()
    except OSError as exc:  # a read-only install still serves what `make` copied
        log.warning("map script not refreshed in static/: %s", exc)
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
        if cls in (Fullscreen, folium.Map, AtlasScript):
            continue
        for attribute in ("default_js", "default_css"):
            links = cls.__dict__.get(attribute)
            if links:
                local = [(n, u) for n, u in links if not u.startswith(("http:", "https:", "//"))]
                setattr(cls, attribute, local)


def _subclasses(cls: type) -> Iterable[type]:
    sub: type
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


class RawScript(Element):
    """A rendered script placed in the page as it is, never compiled as a template again."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class AtlasScript(JSCSSMixin, MacroElement):
    """
    The map's script and stylesheet, and the one call that hands them the configuration.

    The call skips branca's second Jinja pass: no template injection from catalogue data, and
    no compiling megabytes of JSON on every run.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.CorridorAtlas.draw({{ this._parent.get_name() }}, {{ this.config }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        config: str,
        *,
        bridge: bool,
        tiles_in_page: bool = False,
        layers: AtlasLayers | None = None,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # folium is untyped
        self._name = "AtlasScript"
        self.config = config
        self.layers = layers
        """A live map's layers, drawn by st_folium (`atlas_layers`); None: in the config."""
        scripts = ["map.js", "bridge.js"] if bridge else ["map.js"]
        # protomaps-leaflet draws the basemap; the pmtiles library reads it from the page.
        vendored = ["protomaps/protomaps-leaflet.js"]
        vendored += ["pmtiles/pmtiles.js"] if tiles_in_page else []
        self.default_js = [(f"vendor_{Path(name).stem}", served_url(name)) for name in vendored]
        self.default_js += [(f"corridor_atlas_{name}", web_url(name)) for name in scripts]
        self.default_css = [("corridor_atlas_map.css", web_url("map.css"))]

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as folium's own
        figure = self.get_root()
        assert isinstance(figure, Figure), "rendered outside a page"
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        script = self._template.module.__dict__["script"]
        figure.script.add_child(RawScript(script(self, kwargs)), name=self.get_name())


class AtlasLayers(folium.FeatureGroup):
    """
    What one scenario draws on the dashboard's map (corridors, nodes, legend, labels, marks),
    given to st_folium as `feature_group_to_add`. The map itself (script, basemap, controls) is
    the same for every scenario, so st_folium keeps its iframe and swaps these layers in place
    (`CorridorAtlas.update` in geo/web/map.js): Leaflet, the basemap and its tiles are not
    loaded again, and the reader's pan and zoom stay.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        window.CorridorAtlas.update({{ this._parent.get_name() }}, {{ this.layers }});
        {% endmacro %}
        """
    )

    def __init__(self, layers: str) -> None:
        super().__init__(control=False)  # its name stays folium's: st_folium writes it out
        self.layers = layers

    def render(self, **kwargs: Any) -> str:
        """Nothing: st_folium takes the script macro alone, and a page render would compile
        megabytes of JSON as a template (branca's second pass)."""
        return ""


def atlas_layers(m: folium.Map) -> AtlasLayers:
    """The layers of a map made with `corridor_map(..., live=True)`, for st_folium."""
    for child in m._children.values():
        if isinstance(child, AtlasScript) and child.layers is not None:
            return child.layers
    raise ValueError("the map was not made with live=True")


def legend_config(
    styles: list[LineStyle], symbols: set[str], *, title: str, t: Translate = ENGLISH
) -> dict[str, Any]:
    """
    What the legend lists: above `many_corridors` corridors it starts folded, names the first
    ones and counts the rest (hundreds of entries in a corner of the map identify none).
    """
    listed = settings.get().many_corridors
    more = len(styles) - listed
    return {
        "open": len(styles) <= listed,
        "heading": t("legend.title"),
        "title": title,
        "corridors": [
            {"name": s.name, "colour": s.colour, "dash": s.dash} for s in styles[:listed]
        ],
        "more": t("legend.more", count=f"{more:,}") if more > 0 else None,
        "linesHeading": t("legend.lines"),
        "lines": [
            {"label": t(f"legend.{kind}"), "dash": dash, "colour": colour}
            for kind, dash, colour in (
                ("rail", "", palette.LEGEND_LINE_COLOUR),
                ("sea", palette.SEA_DASH, palette.LEGEND_LINE_COLOUR),
                ("not_open", palette.NOT_OPEN_DASH, palette.LEGEND_LINE_COLOUR),
                ("closed", "", palette.CLOSED_COLOUR),
            )
        ],
        "nodesHeading": t("legend.nodes"),
        "nodes": [
            {"symbol": name, "label": t(f"symbol.{name}")}
            for name in palette.NODE_SYMBOLS
            if name in symbols
        ],
    }


def fetched(data: MapData) -> bool:
    """Whether the browser should fetch this map's data rather than find it in the script."""
    return len(data.bundle) > settings.get().fetch_above


def published_map_data(data: MapData) -> str | None:
    """
    The URL of `data.bundle` among the app's static files, written once per content, if it is
    larger than the `fetch_above` setting; None (embed it) if smaller or if it cannot be written.

    Megabytes of data inside the map's script cost every step on the way: st_folium's string
    work, Streamlit's message, the iframe's handover, and compiling it as JavaScript. Fetched,
    the data is parsed as JSON and cached by the browser.
    """
    if not fetched(data):
        return None
    try:
        return publish(data.bundle_name, data.bundle)
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
    marks: list[Mark] | None = None,
    marks_name: str = "",
    legend_folded: bool = False,
    live: bool = False,
    notes: Annotations | None = None,
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
        Put the basemap's tiles in the page (for standalone files); otherwise the browser
        fetches the tiles in view from the app's static files and caches them.
    lang
        Language of every label (a key of `geo.i18n.LANGUAGES`).
    selectable
        Leg popups get a button per corridor that asks the dashboard (through st_folium's
        component value, `geo/web/bridge.js`) to highlight that corridor; only inside it.
    canvas
        Draw on a canvas (nodes as dots) rather than SVG; by default only above the
        `canvas_above` setting's number of line features.
    data
        `geo.mapdata.map_data` for exactly these results, styles, highlight and language, when
        the caller keeps it (the dashboard does, per view); built here otherwise.
    data_url
        Where the browser fetches `data.bundle` (`published_map_data`); without one the
        data is embedded in the map's script.
    legend_folded
        Start with the legend folded whatever the number of corridors (the dashboard's map:
        an open legend covers a quarter of it); a standalone file keeps it open.
    marks
        Circles drawn over the corridors in a layer of their own named `marks_name` (the
        Decisions page marks bottlenecks by utilisation).
    notes
        The team's notes (`geo.annotations`), at the foot of their records' popups, when the
        data is built here (a caller keeping `data` built it with them).
    live
        For st_folium: the map's script leaves out what these results draw, which is kept
        apart (`atlas_layers(m)`, for `st_folium(..., feature_group_to_add=…)`), so the map is
        the same across scenarios and a change swaps the layers inside it. Fitted to the
        corridors when they first show, or when the corridors shown change.
    """
    t = translator(lang)
    styles = styles or corridor_styles(catalogue, lang)
    use_local_assets()
    if basemap not in BASEMAPS:
        raise ValueError(f"`basemap` was {basemap!r} but is expected to be in {list(BASEMAPS)}")
    if data is None:
        data = map_data(
            catalogue, results, styles, highlight=highlight, t=t, lang=lang, notes=notes
        )
    if canvas is None:
        canvas = sum(len(rows) for rows in data.layers.values()) > settings.get().canvas_above
    # Fitted to the corridors in the browser; a map with nothing to fit opens on Central Asia
    # (the view must be given here: folium reads `zoom_start` only when the map is made). A live
    # map is always made the same way: it must not change with the scenario.
    fitted = data.extent is not None and not live
    m = folium.Map(
        location=None if fitted else [45.0, 60.0],
        zoom_start=1 if fitted else 3,
        tiles=None,
        control_scale=True,
        zoom_snap=0.25,
    )
    offline = basemap == "natural-earth"
    if not offline:
        folium.TileLayer(
            tiles=BASEMAPS[basemap]["tiles"],
            attr=BASEMAPS[basemap]["attr"],
            name=BASEMAPS[basemap]["label"],
            control=False,
        ).add_to(m)
    overlays = [
        {
            "part": part,
            "kind": "line",
            "name": t("legend.corridors")
            if part == "lines"
            else styles[part.removeprefix("corridor:")].name,
        }
        for part in data.line_parts()
    ]
    overlays.append({"part": "nodes", "kind": "point", "name": t("legend.nodes")})
    south, west, north, east = data.extent or (0.0, 0.0, 0.0, 0.0)
    static = {
        "failed": t("map.data_failed"),
        "selectable": selectable,
        "colours": {**palette.MAP_CHROME, **palette.SYMBOL_COLOURS},
        "basemap": basemap_config(lang, embed=embed_basemap) if offline else None,
        "live": live,
    }
    layers = {
        "dataUrl": data_url,
        "canvas": canvas,
        "bounds": [[south, west], [north, east]] if data.extent else None,
        # refitted when the corridors or their extent change, not on every scenario
        "fit": [[r.corridor_id for r in results], [round(v, 1) for v in data.extent or ()]],
        "overlays": overlays,
        "marks": [mark.__dict__ for mark in marks or []],
        "labels": place_labels(catalogue, results, lang),
        "labelsFrom": LABELS_FROM_ZOOM,
        "marksName": marks_name,
        "legend": legend_config(
            [styles[r.corridor_id] for r in results],
            data.symbols,
            title=legend_title or t("legend.corridors"),
            t=t,
        )
        | ({"open": False} if legend_folded else {}),
    }
    # The map data is spliced in already encoded (once per view, `bundle`); the rest is
    # encoded here.
    embedded = "null" if data_url else data.bundle
    layers_json = f'{{"data":{embedded},' + script_json(layers)[1:]
    if live:
        config, kept = script_json(static), AtlasLayers(layers_json)
    else:
        config, kept = script_json(static)[:-1] + f',"layers":{layers_json}}}', None
    tiles_in_page = offline and embed_basemap
    AtlasScript(config, bridge=selectable, tiles_in_page=tiles_in_page, layers=kept).add_to(m)
    Fullscreen(position="topleft").add_to(m)  # type: ignore[no-untyped-call]
    return m


LABELS_FROM_ZOOM = 4
"""The zoom from which the places analysts name (`map_label`) are written on the map: at the
whole-Eurasia view their names would pile up in the Caucasus."""


def place_labels(
    catalogue: Catalogue, results: list[CorridorMetrics], lang: str
) -> list[dict[str, Any]]:
    """The `map_label` nodes on the drawn corridors, with their names in `lang`, each name
    once (at its first node)."""
    seen = dict.fromkeys(
        node_id for r in results for leg in r.legs for node_id in (leg.step.start, leg.step.end)
    )
    nodes = [catalogue.node(n) for n in seen if catalogue.node(n).map_label]
    # a name is written once (a catalogue of copies would pile hundreds of "Aktau" up)
    labels: dict[str, dict[str, Any]] = {}
    for n in nodes:
        labels.setdefault(localized(n, lang), {"lat": n.lat, "lon": n.lon})
    return [{**at, "text": text} for text, at in labels.items()]


@dataclass(frozen=True)
class Mark:
    """A circle over the map: where, how big, its colour and its tooltip's text."""

    lat: float
    lon: float
    radius: float
    colour: str
    label: str


def map_links(m: folium.Map) -> list[str]:
    """Every script and stylesheet URL the rendered map asks for (for offline checks)."""
    html = m.get_root().render()
    return re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
