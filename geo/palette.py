"""
Every colour, dash pattern, line width and node symbol, for the interactive map and the figures.

One definition, read by both views: the folium map hands these to the browser in its JSON
configuration (the stylesheet `geo/web/map.css` holds shapes, never colours), and the matplotlib
figures convert them (`geo.figures.style`). Changing a colour here changes it everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.catalogue import Catalogue
from geo.i18n import localized

# --------------------------------------------------------------------------- corridors

CORRIDOR_COLOURS: tuple[str, ...] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
    "#F0E442",
)
"""Colour-blind-safe palette (Okabe & Ito 2008), for corridors without a colour of their own."""

RAIL_DASHES: tuple[str, ...] = (
    "",
    "14 5",
    "5 5",
    "14 5 3 5",
    "2 4",
    "20 4 4 4",
    "10 3 3 3 3 3",
    "8 8",
)
"""One rail line pattern per corridor (SVG px at `LINE_WEIGHT`), so corridors stay apart in
greyscale print."""


FOUND_ROUTE_COLOURS: tuple[str, ...] = ("#37474F", "#7E6B8F", "#5D7A5A")
"""The route finder's options in a trip (slate, muted violet, moss): apart from the catalogue's
corridor colours, so a found route never reads as a catalogued service."""


def corridor_colour(index: int) -> str:
    """The palette colour of the corridor (or found route) at `index`."""
    return CORRIDOR_COLOURS[index % len(CORRIDOR_COLOURS)]


def rail_dash(index: int) -> str:
    """The rail dash pattern of the corridor (or found route) at `index`."""
    return RAIL_DASHES[index % len(RAIL_DASHES)]


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
            localized(corridor, lang), corridor.color or corridor_colour(index), rail_dash(index)
        )
        for index, corridor in enumerate(catalogue.corridors)
    }


def route_styles(labels: list[str]) -> dict[str, LineStyle]:
    """Styles for found routes, keyed `route-1`, `route-2`, …"""
    return {
        f"route-{i + 1}": LineStyle(label, corridor_colour(i), rail_dash(i))
        for i, label in enumerate(labels)
    }


# --------------------------------------------------------------------------- line kinds

LINE_WEIGHT = 3.5
"""Width in px of a corridor line on the map; the unit its SVG dash patterns are written in."""
SHARED_LINE_STEP = 3.0
"""Extra width per corridor sharing a leg, so each shows as a band beneath the next."""
HIGHLIGHT_EXTRA = 3.0
"""Extra width of the highlighted corridor."""
SEA_DASH = "1 8"
"""Round dots: sea and ferry legs."""
NOT_OPEN_DASH = "4 10"
"""Short dashes: legs planned or under construction."""
CLOSED_COLOUR = "#8c8c8c"
"""Grey: a leg closed in the scenario."""
LEGEND_LINE_COLOUR = "#444"
"""The neutral colour the legend draws line kinds in."""

# --------------------------------------------------------------------------- ground and ink

SEA = "#dbe7f0"
LAND = "#f4f1ea"
BORDER = "#b9b2a3"
"""Country borders in the figures."""
MAP_BORDER = "#a8a397"
"""Country borders on the interactive map (thin lines need a darker tone on screen)."""
MAP_BORDER_WEIGHT = 0.6
GRATICULE = "#c8d6e1"
CLOSED_LAND = "#f4e4e0"
CLOSED_HATCH = "#d8a59c"
CLOSED_MARK = "#b00020"
"""The cross on a closed node or country, and the colour of warnings about closures."""
INK = "#1d1d1b"
MUTED = "#55575a"
FAINT = "#8b8d90"
ACCENT = "#0b4f6c"
IMPASSABLE_BAR = "#d9d9d9"
BEST = "#006d2c"
"""Text of the best figure in a column of the comparison."""
BEST_BACKGROUND = "#e5f5e0"
BLOCKED_TEXT = "#999"
"""Rows of corridors that cannot run under the scenario."""
TABLE_RULE = "#e6e6e6"
"""The rule under each row of the comparison table."""

RIVER = "#9dbbd3"
SEA_LABEL = "#4a6f8c"
"""Names of seas, lakes and rivers (italic, on the map's water)."""
COUNTRY_LABEL = "#6d6a63"
CITY_LABEL = "#3c3b38"
LABEL_HALO = "rgba(255, 255, 255, 0.85)"
"""The outline behind every basemap name, so it reads over lines and water."""

BASEMAP_COLOURS: dict[str, str] = {
    "land": LAND,
    "sea_fill": SEA,
    "water": SEA,
    "river": RIVER,
    "border": MAP_BORDER,
    "country": COUNTRY_LABEL,
    "sea": SEA_LABEL,
    "city": CITY_LABEL,
    "halo": LABEL_HALO,
}
"""The offline vector basemap (`geo/web/map.js` draws it): fills, lines and its names."""

MAP_CHROME: dict[str, str] = {
    "sea": SEA,
    "land": LAND,
    "border": MAP_BORDER,
    "outline": "#fff",
    "edge": "#333",
    "panel": "rgba(255, 255, 255, 0.94)",
    "shadow": "rgba(0, 0, 0, 0.3)",
    "muted": "#555",
    "alert": CLOSED_MARK,
}
"""The interactive map's own colours (sea, symbol outlines, legend and popup chrome): the CSS
variables `--ca-<name>` that `geo/web/map.css` uses, set with the symbols' colours."""

# --------------------------------------------------------------------------- node symbols


@dataclass(frozen=True)
class Symbol:
    """
    A node symbol. On the map its shape is the CSS class `ca-<name>` in `geo/web/map.css` and its
    colour `colour`; in figures, matplotlib's `marker` at `scale` of the page's marker size.
    """

    name: str
    colour: str
    marker: str
    scale: float


SYMBOLS: tuple[Symbol, ...] = (
    Symbol("gauge_break", "#000000", "o", 1.0),
    Symbol("border_crossing", "#c0392b", "D", 0.8),
    Symbol("seaport", "#1f4e9c", "s", 0.9),
    Symbol("dry_port", "#e67e22", "s", 0.9),
    Symbol("ferry_terminal", "#17a589", "^", 1.0),
    Symbol("canal", "#5dade2", "D", 0.8),
    Symbol("rail_junction", "#555555", "o", 0.5),
    Symbol("city", "#888888", "o", 0.5),
    Symbol("closed", CLOSED_MARK, "x", 1.0),
)
"""Map symbols, most important first; their labels are the messages `symbol.<name>`."""

SYMBOL = {symbol.name: symbol for symbol in SYMBOLS}
NODE_SYMBOLS: tuple[str, ...] = tuple(symbol.name for symbol in SYMBOLS)
SYMBOL_COLOURS: dict[str, str] = {symbol.name: symbol.colour for symbol in SYMBOLS}
"""Each symbol's colour: the map's CSS variables `--ca-<name>` and the canvas map's dots."""


UTILISATION_COLOURS: tuple[str, ...] = ("#1B9E77", "#E6AB02", "#D95F02", "#7A0019")
"""A bottleneck's mark by utilisation: below `utilisation_warn_percent`, up to
`utilisation_high_percent`, up to saturation, saturated (green, amber, orange, dark red)."""


def utilisation_colour(utilisation: float, warn: float, high: float) -> str:
    """The mark's colour for a utilisation (shares, 0.9 = 90 %), the bands from settings."""
    if utilisation >= 1:
        return UTILISATION_COLOURS[3]
    if utilisation >= high:
        return UTILISATION_COLOURS[2]
    return UTILISATION_COLOURS[1] if utilisation >= warn else UTILISATION_COLOURS[0]
