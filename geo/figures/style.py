"""
What only figures need: page sizes, resolution, the CJK font, line patterns in matplotlib's units,
node markers as matplotlib styles, and the few neutral greys of chart furniture.

Every colour, dash pattern and node symbol shared with the interactive map comes from
`geo.palette` (re-exported here under the names the figure modules use); only figure furniture
that the map has no counterpart for is defined below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.catalogue import NodeKind
from geo.palette import (
    ACCENT,
    BORDER,
    CLOSED_HATCH,
    CLOSED_LAND,
    CLOSED_MARK,
    FAINT,
    GRATICULE,
    IMPASSABLE_BAR,
    INK,
    LAND,
    LINE_WEIGHT,
    MUTED,
    SEA,
    SYMBOL,
)

__all__ = [
    "ACCENT",
    "AXIS_LINE",
    "BAR_EDGE",
    "BORDER",
    "CJK_FAMILY",
    "CJK_FONT",
    "CLOSED_HATCH",
    "CLOSED_LAND",
    "CLOSED_MARK",
    "COUNTRY_LABEL",
    "FAINT",
    "FRAME",
    "GRATICULE",
    "GRID",
    "GROUP_RULE",
    "IMPASSABLE_BAR",
    "INK",
    "KEY_KINDS",
    "LAND",
    "LEADER",
    "LINE_SPACING",
    "MAP_WEIGHT_PX",
    "MARKERS",
    "MINOR_NODE",
    "MUTED",
    "PALE_CASING",
    "PLANNED_DASHES",
    "PNG_DPI",
    "PRESETS",
    "RULE",
    "SEA",
    "SEA_DOTS",
    "Marker",
]

PRESETS: dict[str, tuple[float, float]] = {"slide": (13.33, 7.5), "a4": (8.27, 11.69)}
"""Page sizes in inches: a 16:9 slide, and A4 portrait (map on top, comparison below)."""
PNG_DPI = 200
"""Raster resolution for PNG: sharp when a slide is projected or an A4 page printed."""

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CJK_FAMILY = "WenQuanYi Micro Hei"

LINE_SPACING = 1.28

# --------------------------------------------------------------------------- line patterns

MAP_WEIGHT_PX = LINE_WEIGHT
"""Line weight of the folium map, the unit its SVG dash patterns are written in."""
SEA_DOTS = (0.01, 1.9)
"""
Round dots for sea and ferry legs, in line widths: the figure's own form of `palette.SEA_DASH`
(matplotlib draws a dot as a near-zero dash with round caps, which SVG's pattern cannot express).
"""
PLANNED_DASHES = (2.2, 1.6)
"""
Short even dashes, on a thinner and fainter line, for legs not yet built: the figure's form of
`palette.NOT_OPEN_DASH`, shorter so a dash still reads on a printed page.
"""

# --------------------------------------------------------------------------- figure furniture
# Neutral greys of chart furniture that the interactive map has no counterpart for, so they are
# not in `geo.palette`.

FRAME = "#9aa6ae"
"""The map frame (axes spines)."""
LEADER = "#444444"
"""A leader line from a node to its displaced label."""
COUNTRY_LABEL = "#9a9384"
"""Country names on the map: orientation, not content."""
PALE_CASING = "#8a8a8a"
"""Casing under a pale corridor colour (white would let a yellow line vanish on the land)."""
RULE = "#c8c8c8"
"""The rule above the footer."""
BAR_EDGE = "#9a9a9a"
"""Outline of an impassable corridor's hatched bar."""
GROUP_RULE = "#d0d0d0"
"""Rule between market groups in the bar panels."""
GRID = "#e3e3e3"
"""Vertical grid of the bar panels."""
AXIS_LINE = "#b0b0b0"
"""Value axis line of the bar panels."""
MINOR_NODE = "#6b6b6b"
"""
Minor nodes (junctions and cities) drawn without a key entry: one grey between the map's two
(`rail_junction` #555555, `city` #888888), since a figure does not tell them apart.
"""

# --------------------------------------------------------------------------- node markers

KEY_KINDS: dict[str, int] = {
    "end": 0,
    "gauge_break": 1,
    NodeKind.SEAPORT.value: 2,
    NodeKind.FERRY_TERMINAL.value: 2,
    NodeKind.BORDER_CROSSING.value: 3,
    NodeKind.DRY_PORT.value: 4,
    NodeKind.CANAL.value: 4,
}
"""
Nodes that get a symbol in the key and a label on the map, with their label priority; the key
text is the message `export.symbol.<symbol>`.
"""


@dataclass(frozen=True)
class Marker:
    """A node marker: matplotlib line keywords (`style`), drawn at `scale` of the page's size."""

    style: dict[str, Any]
    scale: float


def _marker(marker: str, face: str, scale: float, **extra: Any) -> Marker:
    """A node marker with a white edge unless `extra` says otherwise."""
    style = {"marker": marker, "markerfacecolor": face, "markeredgecolor": "white", **extra}
    return Marker(style, scale)


def _symbol_marker(name: str) -> Marker:
    """The palette's node symbol `name` as a matplotlib marker."""
    symbol = SYMBOL[name]
    return _marker(symbol.marker, symbol.colour, symbol.scale)


_GAUGE = SYMBOL["gauge_break"]

MARKERS: dict[str, Marker] = {
    "end": _marker("o", INK, 1.0),
    # Half filled, as the map's gauge-break dot: the symbol colour on the left, white on the right.
    "gauge_break": _marker(
        _GAUGE.marker,
        _GAUGE.colour,
        _GAUGE.scale,
        fillstyle="left",
        markerfacecoloralt="white",
        markeredgecolor=_GAUGE.colour,
    ),
    **{
        kind.value: _symbol_marker(kind.value)
        for kind in (
            NodeKind.BORDER_CROSSING,
            NodeKind.SEAPORT,
            NodeKind.FERRY_TERMINAL,
            NodeKind.DRY_PORT,
            NodeKind.CANAL,
        )
    },
    "minor": _marker("o", MINOR_NODE, 0.5),
}
"""Matplotlib marker styles per node symbol, in the palette's symbol colours."""
