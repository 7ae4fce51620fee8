"""Page sizes, colours, line patterns and node symbols shared by every figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.catalogue import NodeKind

PRESETS: dict[str, tuple[float, float]] = {"slide": (13.33, 7.5), "a4": (8.27, 11.69)}
"""Page sizes in inches: a 16:9 slide, and A4 portrait (map on top, comparison below)."""
PNG_DPI = 200
"""Raster resolution for PNG: sharp when a slide is projected or an A4 page printed."""

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CJK_FAMILY = "WenQuanYi Micro Hei"

INK = "#1d1d1b"
MUTED = "#55575a"
FAINT = "#8b8d90"
ACCENT = "#0b4f6c"
SEA = "#dbe7f0"
LAND = "#f4f1ea"
BORDER = "#b9b2a3"
GRATICULE = "#c8d6e1"
CLOSED_LAND = "#f4e4e0"
CLOSED_HATCH = "#d8a59c"
CLOSED_MARK = "#b00020"
IMPASSABLE_BAR = "#d9d9d9"
LINE_SPACING = 1.28

MAP_WEIGHT_PX = 3.5
"""Line weight of the folium map, the unit its SVG dash patterns are written in."""
SEA_DOTS = (0.01, 1.9)
"""Round dots for sea and ferry legs, in line widths."""
PLANNED_DASHES = (2.2, 1.6)
"""Short even dashes, on a thinner and fainter line, for legs not yet built."""

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


def _symbol(marker: str, face: str, scale: float, **extra: Any) -> dict[str, Any]:
    """A node marker: white edge unless `extra` says otherwise; `scale` of the page's size."""
    edge = {"markeredgecolor": "white"}
    return {"marker": marker, "markerfacecolor": face, **edge, "scale": scale, **extra}


MARKERS: dict[str, dict[str, Any]] = {
    "end": _symbol("o", INK, 1.0),
    "gauge_break": _symbol(
        "o", "black", 1.0, fillstyle="left", markerfacecoloralt="white", markeredgecolor="black"
    ),
    NodeKind.BORDER_CROSSING.value: _symbol("D", "#c0392b", 0.8),
    NodeKind.SEAPORT.value: _symbol("s", "#1f4e9c", 0.9),
    NodeKind.FERRY_TERMINAL.value: _symbol("^", "#17a589", 1.0),
    NodeKind.DRY_PORT.value: _symbol("s", "#e67e22", 0.9),
    NodeKind.CANAL.value: _symbol("D", "#5dade2", 0.8),
    "minor": _symbol("o", "#6b6b6b", 0.5),
}
"""Matplotlib marker styles per node symbol, in the colours of the interactive map's CSS."""
