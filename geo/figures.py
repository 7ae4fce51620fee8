"""
Static briefing figures: the current view as a report-ready map, and the comparison as bar charts.

Drawn with matplotlib (Agg, never pyplot's window machinery) and geopandas on the offline Natural
Earth basemap, in the corridor colours of the interactive map, so a slide and the dashboard agree.
Each corridor also keeps its own line pattern, so a greyscale print still tells corridors apart.
Layout is computed in inches from measured text, not left to chance: labels that would collide are
moved or dropped, long lists are cut with "and N more", and nothing spills over the page edge.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
from matplotlib import font_manager, patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox
from pyproj import Transformer
from shapely.geometry import LineString, MultiLineString, box

from geo.catalogue import Catalogue, Mode, Node, NodeKind, Source, Status
from geo.geometry import leg_coords
from geo.maps import (
    BASEMAP_FILE,
    CLOSED_COLOUR,
    LineStyle,
    corridor_styles,
)
from geo.metrics import CorridorMetrics, LegMetrics
from geo.scenarios import ActiveScenario, scenario_changes
from geo.summary import best_corridors, corridor_record, hops, leg_sources

if TYPE_CHECKING:
    import geopandas as gpd

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

KEY_KINDS: dict[str, tuple[int, str]] = {
    "end": (0, "Corridor end"),
    "gauge_break": (1, "Break of gauge"),
    NodeKind.SEAPORT.value: (2, "Seaport"),
    NodeKind.FERRY_TERMINAL.value: (2, "Ferry terminal"),
    NodeKind.BORDER_CROSSING.value: (3, "Border crossing"),
    NodeKind.DRY_PORT.value: (4, "Dry port"),
    NodeKind.CANAL.value: (4, "Canal"),
}
"""Nodes that get a symbol in the key and a label on the map: label priority, key text."""


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


# --------------------------------------------------------------------------- fonts and saving


@cache
def font_families() -> tuple[str, ...]:
    """
    Font family list with the CJK font as fallback after DejaVu Sans.

    The font is registered once with matplotlib's font manager, so Chinese names render even when
    the font cache was built before the font was installed.
    """
    if not CJK_FONT.is_file():
        return ("DejaVu Sans",)
    if CJK_FAMILY not in {entry.name for entry in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(CJK_FONT))
    return ("DejaVu Sans", CJK_FAMILY)


@contextmanager
def _rendering() -> Iterator[None]:
    """
    Figure settings, and quiet font lookups while they apply.

    The CJK fallback font has no bold face, and matplotlib logs that for every bold text;
    the regular face is the right fallback, so the message is noise here.
    """
    fonts = logging.getLogger("matplotlib.font_manager")
    level = fonts.level
    fonts.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context(figure_rc()):
            yield
    finally:
        fonts.setLevel(level)


def figure_rc() -> dict[str, Any]:
    """
    Settings for building and saving every figure here.

    Catalogue text is untrusted and may hold `$`: mathtext is off so it prints as written. SVG keeps
    text as <text> (searchable, editable), PDF embeds TrueType, and SVG ids are stable.
    """
    return {
        "font.family": list(font_families()),
        "text.parse_math": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "corridor-atlas",
        "pdf.fonttype": 42,
        "hatch.linewidth": 0.5,
        "axes.unicode_minus": True,
    }


def save_figure(fig: Figure, fmt: str, *, dpi: int = PNG_DPI) -> bytes:
    """
    The figure as PNG, SVG or PDF bytes, under the same settings it was built with.

    One figure can be saved in several formats; call `close_figure` when done with it.
    """
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"`fmt` was {fmt!r} but is expected to be 'png', 'svg' or 'pdf'")
    out = io.BytesIO()
    metadata: dict[str, Any] = {"png": {"Software": "Corridor Atlas"}, "svg": {"Date": None}}.get(
        fmt, {"CreationDate": None, "Creator": "Corridor Atlas"}
    )
    with _rendering():
        fig.savefig(out, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    return out.getvalue()


def close_figure(fig: Figure) -> None:
    """Drop a figure's artists (figures here never enter pyplot, so nothing else holds them)."""
    fig.clear()


def _new_figure(size: tuple[float, float]) -> tuple[Figure, _Ink]:
    fig = Figure(figsize=size, dpi=PNG_DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    # Drawn once, when saved: geopandas asks for a redraw after each layer it plots, which on
    # Agg is a full render of the page every time.
    canvas.draw_idle = lambda *args, **kwargs: None  # type: ignore[method-assign]
    return fig, _Ink(fig)


# --------------------------------------------------------------------------- text measurement


class _Ink:
    """Measures text in inches on one figure, so layouts are computed instead of guessed."""

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self._widths: dict[tuple[str, float, str], float] = {}

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        key = (text, size, weight)
        if key not in self._widths:
            prop = FontProperties(family=list(font_families()), size=size, weight=weight)
            width, _, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
            self._widths[key] = float(width) / self.fig.dpi
        return self._widths[key]

    def wrap(self, text: str, width: float, size: float, weight: str = "normal") -> list[str]:
        """
        Greedy word wrap to `width` inches; words wider than a line (CJK runs) break anywhere.

        A line's width is the sum of its (cached) word widths and spaces: long source lists are
        wrapped many times while fitting, and measuring whole lines each time is slow.
        """
        space = self.width("a a", size, weight) - 2 * self.width("a", size, weight)
        width *= 0.98  # summed word widths run a little short of the set line
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current, used = "", 0.0
            for word in paragraph.split():
                for piece in self._pieces(word, width, size, weight):
                    extent = self.width(piece, size, weight)
                    if current and used + space + extent > width:
                        lines.append(current)
                        current, used = piece, extent
                    elif current:
                        current, used = f"{current} {piece}", used + space + extent
                    else:
                        current, used = piece, extent
            lines.append(current)
        return lines

    def _pieces(self, word: str, width: float, size: float, weight: str) -> list[str]:
        if self.width(word, size, weight) <= width:
            return [word]
        pieces, current = [], ""
        for char in word:
            if current and self.width(current + char, size, weight) > width:
                pieces.append(current)
                current = ""
            current += char
        return [*pieces, current] if current else pieces

    def fit(self, text: str, width: float, size: float, weight: str = "normal") -> str:
        """`text` cut with an ellipsis to fit on one line."""
        if self.width(text, size, weight) <= width:
            return text
        while text and self.width(text + "…", size, weight) > width:
            text = text[:-1]
        return text.rstrip() + "…"


def _height(lines: int, size: float) -> float:
    return lines * size * LINE_SPACING / 72


@dataclass
class _Flow:
    """A column of rows stacked top-down in inches; with `draw=False` it only measures."""

    fig: Figure
    ink: _Ink
    x: float
    top: float
    width: float
    bottom: float = -math.inf
    draw: bool = True
    y: float = field(init=False)

    def __post_init__(self) -> None:
        self.y = self.top

    def room(self, height: float) -> bool:
        return self.y - height >= self.bottom - 1e-6

    def gap(self, inches: float) -> None:
        self.y -= inches

    def text(
        self,
        text: str,
        *,
        size: float,
        colour: str = INK,
        weight: str = "normal",
        indent: float = 0.0,
        max_lines: int | None = None,
        style: str = "normal",
    ) -> bool:
        """Wrapped text; False (and nothing drawn) when it does not fit above `bottom`."""
        lines = self.ink.wrap(text, self.width - indent, size, weight)
        if max_lines is not None and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = self.ink.fit(lines[-1] + " …", self.width - indent, size, weight)
        height = _height(len(lines), size)
        if not self.room(height):
            return False
        if self.draw:
            self.fig.text(
                self.x + indent,
                self.y,
                "\n".join(lines),
                transform=self.fig.dpi_scale_trans,
                ha="left",
                va="top",
                fontsize=size,
                color=colour,
                fontweight=weight,
                fontstyle=style,
                linespacing=LINE_SPACING,
            )
        self.y -= height
        return True

    def row(
        self,
        label: str,
        symbol: Callable[[Figure, float, float, float], None],
        *,
        size: float,
        colour: str = INK,
        note: str | None = None,
        swatch: float = 0.46,
    ) -> bool:
        """A key row: a symbol drawn in a swatch box, its label, and an optional grey note."""
        text_x = swatch + 0.08
        lines = self.ink.wrap(label, self.width - text_x, size)
        note_lines = self.ink.wrap(note, self.width - text_x, size - 1) if note else []
        height = _height(len(lines), size) + _height(len(note_lines), size - 1)
        if not self.room(height):
            return False
        if self.draw:
            middle = self.y - _height(1, size) / 2 - 0.01
            symbol(self.fig, self.x, self.x + swatch, middle)
            self.fig.text(
                self.x + text_x,
                self.y,
                "\n".join(lines),
                transform=self.fig.dpi_scale_trans,
                ha="left",
                va="top",
                fontsize=size,
                color=colour,
                linespacing=LINE_SPACING,
            )
            if note_lines:
                self.fig.text(
                    self.x + text_x,
                    self.y - _height(len(lines), size),
                    "\n".join(note_lines),
                    transform=self.fig.dpi_scale_trans,
                    ha="left",
                    va="top",
                    fontsize=size - 1,
                    color=MUTED,
                    linespacing=LINE_SPACING,
                )
        self.y -= height + 0.03
        return True

    def grid(
        self,
        items: list[tuple[str, Callable[[Figure, float, float, float], None]]],
        *,
        size: float,
        columns: int = 2,
        swatch: float = 0.2,
    ) -> None:
        """Short symbol rows side by side: node symbols need less width than a line of text."""
        if any(
            self.ink.width(label, size) > self.width / columns - swatch - 0.3 for label, _ in items
        ):
            columns = 1
        cell = self.width / columns
        step = _height(1, size) + 0.03
        for start in range(0, len(items), columns):
            if not self.room(step):
                return
            for offset, (label, symbol) in enumerate(items[start : start + columns]):
                x = self.x + offset * cell
                if self.draw:
                    middle = self.y - _height(1, size) / 2 - 0.01
                    symbol(self.fig, x + 0.13, x + 0.13 + swatch, middle)
                    self.fig.text(
                        x + 0.13 + swatch + 0.08,
                        self.y,
                        self.ink.fit(label, cell - swatch - 0.25, size),
                        transform=self.fig.dpi_scale_trans,
                        ha="left",
                        va="top",
                        fontsize=size,
                        color=INK,
                    )
            self.y -= step


# --------------------------------------------------------------------------- sources


def cited_sources(
    catalogue: Catalogue, results: Iterable[CorridorMetrics], active: ActiveScenario | None = None
) -> list[Source]:
    """
    Sources behind the numbers of the given corridors, most cited first.

    Counted: each leg's distance, speed and cost (or the mode rates it uses), dwell and handling
    at intermediate stops, the border-crossing cost when a border is crossed, the stability and
    sanctions figures of every country passed through, and the scenario's own sources.
    """
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}

    def cite(ids: Iterable[str]) -> None:
        for source_id in ids:
            counts[source_id] += 1
            order.setdefault(source_id, len(order))

    parameters = catalogue.parameters
    for result in results:
        for leg in result.legs:
            cite(leg_sources(catalogue, leg.step.leg))
        for stop in result.stops:
            for figure in (stop.node.dwell_hours, stop.node.handling_usd_per_feu):
                if figure is not None:
                    cite(figure.sources)
        if result.border_crossings:
            cite(parameters.border_crossing_cost_usd_per_feu.sources)
        for code in result.exposure.jurisdictions:
            country = catalogue.country(code)
            cite(country.stability_percentile.sources)
            cite(country.sanctions_sources)
    if active is not None:
        cite(active.scenario.sources)
    known = {source.id for source in catalogue.sources}
    ranked = sorted((s for s in counts if s in known), key=lambda s: (-counts[s], order[s]))
    return [catalogue.source(source_id) for source_id in ranked]


def short_citations(sources: Sequence[Source]) -> list[str]:
    """'Publisher Year' per publisher, years merged ('World Bank 2023, 2024'), in given order."""
    years: dict[str, list[int]] = {}
    for source in sources:
        listed = years.setdefault(source.publisher, [])
        if source.year not in listed:
            listed.append(source.year)
    return [f"{publisher} {', '.join(map(str, sorted(ys)))}" for publisher, ys in years.items()]


def _fit_list(
    ink: _Ink, prefix: str, items: list[str], *, width: float, size: float, lines: int
) -> str:
    """`prefix` + as many `items` as fit in `lines` lines of `width`, then 'and N more'."""

    def text(count: int) -> str:
        rest = len(items) - count
        shown = "; ".join(items[:count])
        if rest:
            shown = f"{shown} and {rest} more" if shown else f"{rest} sources"
        return prefix + shown

    low, high = 0, len(items)  # binary search: the largest count that still fits
    while low < high:
        middle = (low + high + 1) // 2
        if len(ink.wrap(text(middle), width, size)) <= lines:
            low = middle
        else:
            high = middle - 1
    return text(low)


# --------------------------------------------------------------------------- view data


def format_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _shown(results: list[CorridorMetrics], corridors: list[str] | None) -> list[CorridorMetrics]:
    by_id = {r.corridor_id: r for r in results}
    if corridors is None:
        return list(results)
    unknown = [c for c in corridors if c not in by_id]
    if unknown:
        raise ValueError(
            f"`corridors` has ids with no results: {', '.join(unknown)}; known: {', '.join(by_id)}"
        )
    return [by_id[c] for c in dict.fromkeys(corridors)]


def _records(catalogue: Catalogue, results: list[CorridorMetrics]) -> list[dict[str, Any]]:
    return [corridor_record(catalogue, r) for r in results]


def _metric(record: dict[str, Any], key: str) -> float:
    if key == "hops":
        return float(hops(record))
    if key == "exposure_score":
        return float(record["exposure"]["score"])
    return float(record[key])


def takeaway(data: dict[str, Any]) -> str:
    """
    One line on who wins: the cheapest and the fastest passable corridor of each market.

    Corridors only compete within a market (what they connect), as in `geo.summary`.
    """
    records = data["corridors"]
    best = best_corridors(data)
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(record.get("market", ""), []).append(record)
    parts = []
    for market, members in groups.items():
        ids = {r["id"]: r for r in members}
        cheap = [ids[i] for i in best.get("cost_usd_per_feu", []) if i in ids]
        fast = [ids[i] for i in best.get("transit_days", []) if i in ids]
        prefix = f"{market}: " if len(groups) > 1 else ""
        if not cheap:
            parts.append(f"{prefix}no passable corridor")
            continue
        parts.append(
            f"{prefix}cheapest {cheap[0]['name']} (US$ {cheap[0]['cost_usd_per_feu']:,}/FEU), "
            f"fastest {fast[0]['name']} ({fast[0]['transit_days']:.1f} days)"
        )
    text = " · ".join(parts)
    text = text[0].upper() + text[1:] if text else text
    return text


def _counted(results: list[CorridorMetrics]) -> str:
    blocked = sum(not r.passable for r in results)
    text = f"{len(results)} corridor{'s' if len(results) != 1 else ''}"
    return f"{text}, {blocked} impassable" if blocked else text


def _blocked_note(result: CorridorMetrics) -> str | None:
    if result.passable:
        return None
    reasons = list(dict.fromkeys(b.reason for b in result.blockers if b.kind != "status"))
    unopened = sum(b.kind == "status" for b in result.blockers)
    if unopened:
        reasons.append(f"{unopened} leg{'s' if unopened > 1 else ''} not yet open")
    shown = "; ".join(reasons[:2]) + (f" (+{len(reasons) - 2} more)" if len(reasons) > 2 else "")
    return f"Impassable: {shown}"


# --------------------------------------------------------------------------- basemap


@cache
def _world() -> gpd.GeoDataFrame:
    import geopandas as gpd

    world = gpd.read_file(BASEMAP_FILE)
    return world.set_crs(4326) if world.crs is None else world


@cache
def _transformer(crs: str, *, inverse: bool = False) -> Transformer:
    if inverse:
        return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _projection(west: float, south: float, east: float, north: float) -> tuple[str, str]:
    """
    A conic fitted to the view (standard parallels at 1/6 and 5/6 of its height).

    Near the equator a cone degenerates, so there an equidistant cylindrical projection true to
    scale at the view's middle latitude is used instead.
    """
    lon0 = round((west + east) / 2, 1)
    span = north - south
    lat1, lat2 = round(south + span / 6, 1), round(north - span / 6, 1)
    if lat1 * lat2 > 0 and abs(lat1 + lat2) / 2 >= 15:
        crs = f"+proj=lcc +lat_1={lat1} +lat_2={lat2} +lat_0={(south + north) / 2:.1f} "
        crs += f"+lon_0={lon0} +datum=WGS84 +units=m +no_defs"
        return crs, "Lambert conformal conic projection"
    crs = f"+proj=eqc +lat_ts={(south + north) / 2:.1f} +lon_0={lon0} +datum=WGS84 +units=m"
    return crs + " +no_defs", "equidistant cylindrical projection"


def _densify(coords: Sequence[tuple[float, float]], step: float = 0.5) -> list[tuple[float, float]]:
    """Points every `step` degrees, so straight lon/lat segments bend with the projection."""
    out = [coords[0]]
    for (x1, y1), (x2, y2) in itertools.pairwise(coords):
        count = max(1, math.ceil(max(abs(x2 - x1), abs(y2 - y1)) / step))
        out += [
            (x1 + (x2 - x1) * k / count, y1 + (y2 - y1) * k / count) for k in range(1, count + 1)
        ]
    return out


@dataclass
class _MapView:
    """The map axes, its projection and extent, and what has been drawn (for label placement)."""

    ax: Axes
    crs: str
    projection_label: str
    metres_per_inch: float
    lines: list[np.ndarray] = field(default_factory=list)
    markers: list[Bbox] = field(default_factory=list)

    def project(self, coords: Sequence[tuple[float, float]]) -> np.ndarray:
        lons, lats = zip(*coords, strict=True)
        xs, ys = _transformer(self.crs).transform(lons, lats)
        return np.column_stack([xs, ys])


def _extent(coords: list[tuple[float, float]]) -> tuple[str, str, tuple[float, ...]]:
    """Projection for these (lon, lat) points and their projected extent with a 4 % margin."""
    lons = [c[0] for c in coords]
    lats = [c[1] for c in coords]
    crs, label = _projection(min(lons), min(lats), max(lons), max(lats))
    xs, ys = _transformer(crs).transform(lons, lats)
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, 400_000.0)
    pad = 0.04 * span
    return crs, label, (x0 - pad, x1 + pad, y0 - pad, y1 + pad)


def _map_height(coords: list[tuple[float, float]], width: float, pad_inches: float = 0.5) -> float:
    """Height in inches a map of `width` needs to show these points with no empty bands."""
    _, _, (x0, x1, y0, y1) = _extent(coords)
    return (y1 - y0) / (x1 - x0) * (width - 2 * pad_inches) + 2 * pad_inches


def _fit_view(
    ax: Axes, coords: list[tuple[float, float]], pad_inches: float = 0.5
) -> tuple[str, str, float]:
    """Project, fit the extent to the corridors with margins and the axes' aspect; set limits."""
    crs, label, (x0, x1, y0, y1) = _extent(coords)
    position = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    width_in, height_in = position.width * fig_w, position.height * fig_h
    per_inch = max(
        (x1 - x0) / (width_in - 2 * pad_inches), (y1 - y0) / (height_in - 2 * pad_inches)
    )
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = per_inch * width_in / 2, per_inch * height_in / 2
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)
    ax.set_aspect("equal", adjustable="box")
    return crs, label, per_inch


def _view_lonlat_box(view: _MapView) -> tuple[float, float, float, float]:
    """Lon/lat bounds of the whole visible rectangle, padded, kept clear of the projection seam."""
    (x0, x1), (y0, y1) = view.ax.get_xlim(), view.ax.get_ylim()
    edge = np.linspace(0, 1, 60)
    xs = np.concatenate(
        [x0 + (x1 - x0) * edge, np.full(60, x1), x0 + (x1 - x0) * edge, np.full(60, x0)]
    )
    ys = np.concatenate(
        [np.full(60, y0), y0 + (y1 - y0) * edge, np.full(60, y1), y0 + (y1 - y0) * edge]
    )
    lons, lats = _transformer(view.crs, inverse=True).transform(xs, ys)
    lon0 = float(view.crs.split("+lon_0=")[1].split()[0])
    west = max(float(np.nanmin(lons)) - 6, lon0 - 179, -180)
    east = min(float(np.nanmax(lons)) + 6, lon0 + 179, 180)
    south = max(float(np.nanmin(lats)) - 6, -85)
    north = min(float(np.nanmax(lats)) + 6, 85)
    return west, south, east, north


def _graticule_step(span: float) -> int:
    for limit, step in ((90, 20), (30, 10), (10, 5), (4, 2)):
        if span > limit:
            return step
    return 1


def _draw_basemap(view: _MapView, closed_shapes: list[Any]) -> None:
    west, south, east, north = _view_lonlat_box(view)
    ax = view.ax
    ax.set_facecolor(SEA)
    step = _graticule_step(max(east - west, north - south))
    for lon in range(math.ceil(west / step) * step, math.floor(east) + 1, step):
        line = view.project(_densify([(lon, south), (lon, north)], 1.0))
        ax.plot(line[:, 0], line[:, 1], color=GRATICULE, lw=0.4, zorder=0.5)
    for lat in range(math.ceil(south / step) * step, math.floor(north) + 1, step):
        line = view.project(_densify([(west, lat), (east, lat)], 1.0))
        ax.plot(line[:, 0], line[:, 1], color=GRATICULE, lw=0.4, zorder=0.5)
    world = _world().clip(box(west, south, east, north))
    world = world[~world.geometry.is_empty]
    if not world.empty:
        world.to_crs(view.crs).plot(ax=ax, facecolor=LAND, edgecolor=BORDER, lw=0.45, zorder=1)
    if closed_shapes:
        import geopandas as gpd

        closed = gpd.GeoSeries(closed_shapes, crs=4326).clip(box(west, south, east, north))
        closed.to_crs(view.crs).plot(
            ax=ax, facecolor=CLOSED_LAND, edgecolor=CLOSED_HATCH, hatch="////", lw=0.0, zorder=1.2
        )
        closed.to_crs(view.crs).boundary.plot(ax=ax, color=CLOSED_HATCH, lw=0.6, zorder=1.3)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#9aa6ae")
        spine.set_linewidth(0.6)


def _country_shapes(catalogue: Catalogue, codes: Iterable[str]) -> dict[str, Any]:
    """
    Basemap polygons of catalogue countries: by name, else the polygon holding most of its nodes.

    The basemap carries numeric ids and English names only; node positions settle the rest
    ('Türkiye' vs 'Turkey'). Countries found neither way are simply not shaded.
    """
    from shapely.geometry import Point

    world = _world()
    by_name = {str(name).casefold(): i for i, name in world["name"].items()}
    shapes: dict[str, Any] = {}
    for code in codes:
        country = catalogue.country(code)
        index = by_name.get(country.name.casefold())
        if index is None:
            votes: Counter[int] = Counter()
            for node in catalogue.nodes:
                if node.country == code and node.kind is not NodeKind.BORDER_CROSSING:
                    hits = world.index[world.contains(Point(node.lon, node.lat))]
                    votes.update(hits.tolist())
            index = votes.most_common(1)[0][0] if votes else None
        if index is not None:
            shapes[code] = world.geometry[index]
    return shapes


# --------------------------------------------------------------------------- corridor lines


def _dashes(svg_dash: str) -> tuple[float, ...] | None:
    """An SVG dash pattern of the folium map in px, as matplotlib dashes in line widths."""
    if not svg_dash.strip():
        return None
    return tuple(float(v) / MAP_WEIGHT_PX for v in svg_dash.split())


@dataclass(frozen=True)
class _LegLook:
    colour: str
    dashes: tuple[float, ...] | None
    alpha: float
    round_dots: bool
    crossed: bool
    width: float = 1.0


def _leg_look(leg_metrics: LegMetrics, style: LineStyle) -> _LegLook:
    """Colour and pattern for one leg: sea dotted, planned dashed and faded, closed grey."""
    leg = leg_metrics.step.leg
    closure = leg_metrics.closure
    planned = leg.status is not Status.OPERATIONAL
    sea = leg.mode in (Mode.SEA, Mode.FERRY)
    dashes = SEA_DOTS if sea else _dashes(style.dash)
    alpha = 1.0
    width = 1.0
    if planned:
        dashes, width = PLANNED_DASHES, 0.75
        alpha = 0.6 if closure is not None else 0.95
    if closure is not None and closure.kind != "status":
        return _LegLook(CLOSED_COLOUR, dashes, 0.95, sea and not planned, True, width)
    return _LegLook(style.colour, dashes, alpha, sea and not planned, False, width)


def _offset_lines(line: np.ndarray, offset: float) -> list[np.ndarray]:
    if abs(offset) < 1e-9 or len(line) < 2:
        return [line]
    shifted = LineString(line).offset_curve(offset, quad_segs=2)
    parts = shifted.geoms if isinstance(shifted, MultiLineString) else [shifted]
    arrays = [np.asarray(p.coords) for p in parts if not p.is_empty and len(p.coords) > 1]
    return arrays or [line]


def _draw_corridors(
    view: _MapView,
    catalogue: Catalogue,
    results: list[CorridorMetrics],
    styles: dict[str, LineStyle],
    width: float,
) -> None:
    """
    Every leg of every shown corridor; a leg shared by several corridors becomes parallel lines.

    Sides are taken looking along the travel direction of the first corridor (catalogue order)
    on each leg, and lines are stacked in catalogue order, so a corridor keeps its side from leg
    to leg even where the catalogue wrote a leg the other way round.
    """
    order = {c.id: i for i, c in enumerate(catalogue.corridors)}
    sharing: dict[str, list[str]] = {}
    turned: dict[str, bool] = {}
    for result in sorted(results, key=lambda r: order[r.corridor_id]):
        for leg in result.legs:
            users = sharing.setdefault(leg.step.leg.id, [])
            turned.setdefault(leg.step.leg.id, leg.step.reversed)
            if result.corridor_id not in users:
                users.append(result.corridor_id)
    spacing = (width + 1.0) / 72 * view.metres_per_inch
    centre: dict[str, np.ndarray] = {}
    crossed: dict[str, np.ndarray] = {}
    drawn = sorted(results, key=lambda r: (r.passable, order[r.corridor_id]))
    for rank, result in enumerate(drawn):
        style = styles[result.corridor_id]
        for leg_metrics in result.legs:
            leg = leg_metrics.step.leg
            if leg.id not in centre:
                coords = _densify(leg_coords(catalogue, leg))
                centre[leg.id] = view.project(coords[::-1] if turned[leg.id] else coords)
            users = sharing[leg.id]
            offset = (users.index(result.corridor_id) - (len(users) - 1) / 2) * spacing
            look = _leg_look(leg_metrics, style)
            if look.crossed:
                crossed[leg.id] = centre[leg.id]
            for part in _offset_lines(centre[leg.id], -offset):
                _draw_line(view, part, look, width * look.width, zorder=3 + rank * 0.01)
    _draw_crosses(view, list(crossed.values()))


def _draw_line(
    view: _MapView, line: np.ndarray, look: _LegLook, width: float, zorder: float
) -> None:
    ax = view.ax
    ax.plot(
        line[:, 0],
        line[:, 1],
        color=_casing(look.colour),
        lw=width + 1.3,
        alpha=0.85,
        solid_capstyle="round",
        solid_joinstyle="round",
        zorder=zorder,
    )
    artist = Line2D(
        line[:, 0],
        line[:, 1],
        color=look.colour,
        lw=width,
        alpha=look.alpha,
        solid_capstyle="round",
        solid_joinstyle="round",
        dash_capstyle="round" if look.round_dots else "butt",
        zorder=zorder + 1,
    )
    if look.dashes:
        artist.set_linestyle((0, look.dashes))
    ax.add_line(artist)
    view.lines.append(line)


def _casing(colour: str) -> str:
    """White under a line, but grey under a pale one (yellow on the pale land would vanish)."""
    red, green, blue = to_rgb(colour)
    return "#8a8a8a" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.7 else "white"


def _path_length(points: np.ndarray) -> np.ndarray:
    steps = np.hypot(*np.diff(points, axis=0).T)
    return np.concatenate([[0.0], np.cumsum(steps)])


def _draw_crosses(view: _MapView, lines: list[np.ndarray]) -> None:
    """
    Red × marks on closed legs: one at each leg's middle, more along long legs, but never two
    within about an inch, so a closed country reads as struck through rather than as noise.
    """
    spacing = 0.9 * view.metres_per_inch
    spots: list[np.ndarray] = []
    for line in sorted(lines, key=lambda ln: -_path_length(ln)[-1]):
        lengths = _path_length(line)
        total = lengths[-1]
        count = max(1, int(total / view.metres_per_inch / 1.4))
        for k in range(count):
            at = (k + 0.5) / count * total
            spot = np.array(
                [np.interp(at, lengths, line[:, 0]), np.interp(at, lengths, line[:, 1])]
            )
            if all(np.hypot(*(spot - other)) >= spacing for other in spots):
                spots.append(spot)
    if not spots:
        return
    radius = 4 / 72 * view.ax.figure.dpi
    for spot in spots:
        centre = view.ax.transData.transform(spot)
        view.markers.append(Bbox.from_extents(*(centre - radius), *(centre + radius)))
    xs, ys = zip(*spots, strict=True)
    view.ax.plot(
        xs,
        ys,
        linestyle="none",
        marker="x",
        markersize=6,
        markeredgewidth=1.8,
        color=CLOSED_MARK,
        zorder=8,
        path_effects=[patheffects.withStroke(linewidth=3.6, foreground="white")],
    )


# --------------------------------------------------------------------------- nodes and labels


@dataclass
class _KeyNode:
    node: Node
    symbol: str
    priority: int
    users: int


def _key_nodes(catalogue: Catalogue, results: list[CorridorMetrics]) -> list[_KeyNode]:
    """Nodes on the shown corridors with their symbol; ends and transfer points rank first."""
    ends = {r.origin for r in results} | {r.destination for r in results}
    users: Counter[str] = Counter()
    for result in results:
        visited = {result.legs[0].step.start, *(leg.step.end for leg in result.legs)}
        users.update(visited)
    found = []
    for node_id in users:
        node = catalogue.node(node_id)
        if node_id in ends:
            symbol = "gauge_break" if node.gauge_break else "end"
            priority = 0
        elif node.gauge_break:
            symbol, priority = "gauge_break", 1
        elif node.kind.value in KEY_KINDS:
            symbol, priority = node.kind.value, KEY_KINDS[node.kind.value][0]
        else:
            symbol, priority = "minor", 9
        found.append(_KeyNode(node, symbol, priority, users[node_id]))
    return sorted(found, key=lambda k: (k.priority, -k.users, k.node.lon))


def _draw_nodes(view: _MapView, nodes: list[_KeyNode], size: float) -> None:
    ax = view.ax
    for key in sorted(nodes, key=lambda k: -k.priority):
        spec = dict(MARKERS[key.symbol])
        scale = spec.pop("scale")
        point = view.project([(key.node.lon, key.node.lat)])[0]
        marker_size = size * scale * (1.15 if key.priority == 0 else 1.0)
        ax.plot(
            [point[0]],
            [point[1]],
            linestyle="none",
            markersize=marker_size,
            markeredgewidth=0.8 if key.symbol != "gauge_break" else 0.9,
            zorder=9 if key.priority < 9 else 7,
            **spec,
        )
        if key.priority < 9:
            centre = ax.transData.transform(point)
            radius = (marker_size / 2 + 0.4) / 72 * ax.figure.dpi
            view.markers.append(Bbox.from_extents(*(centre - radius), *(centre + radius)))


@dataclass
class _Label:
    text: str
    anchor: np.ndarray
    radius: float
    bold: bool
    priority: int


def _cluster_labels(view: _MapView, nodes: list[_KeyNode], near_px: float) -> list[_Label]:
    """
    One label for two key nodes whose symbols touch ('Khorgos / Altynkol').

    Paired border stations sit a few km apart; two labels there would only fight for room. Groups
    stop at two names: a longer string is harder to read than a dropped label.
    """
    ax = view.ax
    groups: list[list[_KeyNode]] = []
    points: list[np.ndarray] = []
    for key in (k for k in nodes if k.priority < 9):
        point = ax.transData.transform(view.project([(key.node.lon, key.node.lat)])[0])
        for index, group_point in enumerate(points):
            if len(groups[index]) < 2 and np.hypot(*(point - group_point)) < near_px:
                groups[index].append(key)
                break
        else:
            groups.append([key])
            points.append(point)
    labels = []
    for group in groups:
        members = [
            ax.transData.transform(view.project([(k.node.lon, k.node.lat)])[0]) for k in group
        ]
        centre = np.mean(members, axis=0)
        spread = max(float(np.hypot(*(m - centre))) for m in members)
        names = list(dict.fromkeys(_short(k.node.name) for k in sorted(group, key=_west_first)))
        if len(" / ".join(names)) > 28:
            names = [_common_name(names) or _short(min(group, key=lambda k: k.priority).node.name)]
        priority = min(k.priority for k in group)
        labels.append(_Label(" / ".join(names), centre, spread, priority == 0, priority))
    return labels


def _short(name: str) -> str:
    """A node name without its parenthetical detail: 'Alat (Port of Baku)' -> 'Alat'."""
    return re.sub(r"\s*\([^)]*\)", "", name).strip() or name


def _west_first(key: _KeyNode) -> float:
    return key.node.lon


def _common_name(names: list[str]) -> str:
    """Words every name starts with ('Suez Canal' for its two entrances), if there are two."""
    words = [re.split(r"[\s,]+", n) for n in names]
    common = []
    for column in zip(*words, strict=False):
        if len(set(column)) > 1:
            break
        common.append(column[0])
    return " ".join(common) if len(common) >= 2 else ""


CANDIDATES: list[tuple[float, float, str, str]] = [
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
    (0.75, 0.75, "left", "bottom"),
    (0.75, -0.75, "left", "top"),
    (-0.75, 0.75, "right", "bottom"),
    (-0.75, -0.75, "right", "top"),
]
"""Label positions around a point: direction (x, y) and the text alignment that goes with it."""


class _Placer:
    """
    Greedy label placement: each label takes the free spot crossing the fewest corridor lines.

    Hard limits are the map frame, node symbols and labels already placed; a label with no free
    spot is left out, which keeps a crowded map readable.
    """

    def __init__(self, view: _MapView, obstacles: Iterable[Bbox] = ()) -> None:
        ax = view.ax
        self.view = view
        self.renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        frame = ax.get_window_extent(self.renderer)
        self.px_per_pt = ax.figure.dpi / 72
        inset = 2 * self.px_per_pt
        self.frame = Bbox.from_extents(
            frame.x0 + inset, frame.y0 + inset, frame.x1 - inset, frame.y1 - inset
        )
        self.taken: list[Bbox] = [*view.markers, *obstacles]
        step = 2 / 72 * view.metres_per_inch
        samples = [self._resample(line, step) for line in view.lines]
        data = np.concatenate(samples) if samples else np.zeros((0, 2))
        self.line_points = ax.transData.transform(data) if len(data) else data

    @staticmethod
    def _resample(line: np.ndarray, step: float) -> np.ndarray:
        lengths = _path_length(line)
        count = max(2, int(lengths[-1] / step) + 1)
        at = np.linspace(0, lengths[-1], count)
        return np.column_stack(
            [np.interp(at, lengths, line[:, 0]), np.interp(at, lengths, line[:, 1])]
        )

    def crossings(self, bbox: Bbox) -> int:
        if not len(self.line_points):
            return 0
        x, y = self.line_points[:, 0], self.line_points[:, 1]
        inside = (x > bbox.x0) & (x < bbox.x1) & (y > bbox.y0) & (y < bbox.y1)
        return int(inside.sum())

    def free(self, bbox: Bbox) -> bool:
        within = self.frame.contains(bbox.x0, bbox.y0) and self.frame.contains(bbox.x1, bbox.y1)
        return within and bbox.count_overlaps(self.taken) == 0

    def place(
        self,
        text: Text,
        anchor: np.ndarray,
        gaps: Sequence[float],
        *,
        max_crossings: int,
        leader_from: float = 0.0,
    ) -> bool:
        """
        Try each spot around `anchor` (display px) on rings at `gaps`; keep the best free one.

        A label on an outer ring gets a thin leader line back to its point (from `leader_from` px).
        """
        inverse = self.view.ax.transData.inverted()
        best: tuple[float, Bbox, tuple[float, float], str, str, int] | None = None
        for ring, gap in enumerate(gaps):
            for rank, (dx, dy, ha, va) in enumerate(CANDIDATES):
                spot = inverse.transform(anchor + np.array([dx, dy]) * gap)
                text.set_position(spot)
                text.set_horizontalalignment(ha)
                text.set_verticalalignment(va)
                bbox = text.get_window_extent(self.renderer).padded(0.6 * self.px_per_pt)
                if not self.free(bbox):
                    continue
                crossings = self.crossings(bbox)
                if crossings > max_crossings:
                    continue
                score = crossings * 4 + rank + ring * 40
                if best is None or score < best[0]:
                    best = (score, bbox, tuple(spot), ha, va, ring)
            if best is not None:
                break
        if best is None:
            text.remove()
            return False
        _, bbox, spot, ha, va, ring = best
        text.set_position(spot)
        text.set_horizontalalignment(ha)
        text.set_verticalalignment(va)
        self.taken.append(bbox)
        if ring:
            self._leader(anchor, bbox, leader_from)
        return True

    def _leader(self, anchor: np.ndarray, bbox: Bbox, start_px: float) -> None:
        """A hairline from a point's symbol to the nearest edge of its displaced label."""
        end = np.array([np.clip(anchor[0], bbox.x0, bbox.x1), np.clip(anchor[1], bbox.y0, bbox.y1)])
        direction = end - anchor
        length = float(np.hypot(*direction))
        if length <= start_px:
            return
        start = anchor + direction / length * start_px
        ends = self.view.ax.transData.inverted().transform(np.array([start, end]))
        self.view.ax.plot(ends[:, 0], ends[:, 1], color="#444444", lw=0.6, zorder=9.5)


def _label_nodes(view: _MapView, labels: list[_Label], size: float, placer: _Placer) -> None:
    """
    Node labels by priority: beside the symbol if there is room, else further out on a leader.

    The white halo is a second text underneath: text drawn with a path effect becomes outlines
    in SVG, and the labels themselves must stay <text>.
    """
    halo = [patheffects.withStroke(linewidth=2.6, foreground="white", alpha=0.92)]
    px_per_pt = view.ax.figure.dpi / 72
    for label in labels:
        style = {"fontsize": size, "fontweight": "bold" if label.bold else "normal"}
        text = view.ax.text(0, 0, label.text, color=INK, zorder=10, **style)
        gap = label.radius + (size * 0.55 + 1) * px_per_pt
        rings = [gap, gap + 14 * px_per_pt] if label.priority <= 2 else [gap]
        placed = placer.place(
            text,
            label.anchor,
            rings,
            max_crossings=10_000,
            leader_from=label.radius + 3 * px_per_pt,
        )
        if placed:
            view.ax.text(
                *text.get_position(),
                label.text,
                color="white",
                path_effects=halo,
                zorder=9.9,
                horizontalalignment=text.get_horizontalalignment(),
                verticalalignment=text.get_verticalalignment(),
                **style,
            )


def _label_countries(
    view: _MapView, catalogue: Catalogue, shapes: dict[str, Any], size: float, placer: _Placer
) -> None:
    """Light country names where they fit clear of lines and labels: orientation, not content."""
    (x0, x1), (y0, y1) = view.ax.get_xlim(), view.ax.get_ylim()
    frame = box(x0, y0, x1, y1)
    import geopandas as gpd

    for code, shape in shapes.items():
        projected = gpd.GeoSeries([shape], crs=4326).to_crs(view.crs).iloc[0].intersection(frame)
        if projected.is_empty or projected.area < (0.5 * view.metres_per_inch) ** 2:
            continue
        parts = getattr(projected, "geoms", [projected])
        largest = max(parts, key=lambda p: p.area)
        point = largest.representative_point()
        anchor = view.ax.transData.transform((point.x, point.y))
        text = view.ax.text(
            0,
            0,
            catalogue.country(code).name.upper(),
            fontsize=size,
            color="#9a9384",
            fontweight="normal",
            zorder=2,
        )
        placer.place(text, anchor, [0.0], max_crossings=0)


# --------------------------------------------------------------------------- key (legend)


def _line_symbol(
    colour: str, dashes: tuple[float, ...] | None, width: float, *, alpha: float = 1.0, **extra: Any
) -> Callable[[Figure, float, float, float], None]:
    def draw(fig: Figure, x0: float, x1: float, y: float) -> None:
        transform = fig.dpi_scale_trans
        casing = Line2D(
            [x0 + 0.01, x1 - 0.01],
            [y, y],
            color=_casing(colour),
            lw=width + 1.3,
            transform=transform,
        )
        line = Line2D(
            [x0 + 0.02, x1 - 0.02],
            [y, y],
            color=colour,
            lw=width,
            alpha=alpha,
            transform=transform,
            dash_capstyle="round" if extra.get("dots") else "butt",
        )
        if dashes:
            line.set_linestyle((0, dashes))
        fig.add_artist(casing)
        fig.add_artist(line)
        if extra.get("cross"):
            fig.add_artist(
                Line2D(
                    [(x0 + x1) / 2],
                    [y],
                    transform=transform,
                    marker="x",
                    markersize=6,
                    markeredgewidth=1.8,
                    color=CLOSED_MARK,
                    linestyle="none",
                )
            )

    return draw


def _marker_symbol(symbol: str, size: float) -> Callable[[Figure, float, float, float], None]:
    def draw(fig: Figure, x0: float, x1: float, y: float) -> None:
        spec = dict(MARKERS[symbol])
        scale = spec.pop("scale")
        fig.add_artist(
            Line2D(
                [(x0 + x1) / 2],
                [y],
                transform=fig.dpi_scale_trans,
                linestyle="none",
                markersize=size * scale,
                markeredgewidth=0.8,
                **spec,
            )
        )

    return draw


def _patch_symbol(fig: Figure, x0: float, x1: float, y: float) -> None:
    fig.add_artist(
        Rectangle(
            ((x0 + x1) / 2 - 0.13, y - 0.07),
            0.26,
            0.14,
            transform=fig.dpi_scale_trans,
            facecolor=CLOSED_LAND,
            edgecolor=CLOSED_HATCH,
            hatch="////",
            lw=0.6,
        )
    )


@dataclass(frozen=True)
class _Drawn:
    """What the map shows, so the key lists only what a reader can find on it."""

    sea: bool
    planned: bool
    closed: bool
    symbols: list[str]
    closed_countries: bool


def _drawn(results: list[CorridorMetrics], nodes: list[_KeyNode], shaded: bool) -> _Drawn:
    legs = [leg for r in results for leg in r.legs]
    return _Drawn(
        sea=any(leg.step.leg.mode in (Mode.SEA, Mode.FERRY) for leg in legs),
        planned=any(leg.step.leg.status is not Status.OPERATIONAL for leg in legs),
        closed=any(leg.closure is not None and leg.closure.kind != "status" for leg in legs),
        symbols=[s for s in KEY_KINDS if any(k.symbol == s for k in nodes)],
        closed_countries=shaded,
    )


def _corridor_key(
    flow: _Flow,
    results: list[CorridorMetrics],
    styles: dict[str, LineStyle],
    size: float,
    width: float,
    *,
    heading: str = "Corridors",
    notes: bool = True,
) -> None:
    """Corridor rows in their map style; impassable ones say why (or just that they are)."""
    flow.text(heading, size=size + 0.5, weight="bold")
    flow.gap(0.04)
    for index, result in enumerate(results):
        style = styles[result.corridor_id]
        symbol = _line_symbol(style.colour, _dashes(style.dash), width)
        note = _blocked_note(result) if notes else (None if result.passable else "impassable")
        if not flow.row(style.name, symbol, size=size, note=note):
            flow.text(f"and {len(results) - index} more corridors", size=size - 1, colour=MUTED)
            return


def _lines_key(flow: _Flow, drawn: _Drawn, size: float, width: float) -> None:
    flow.text("Lines and places", size=size + 0.5, weight="bold")
    flow.gap(0.04)
    rows: list[tuple[str, Callable[[Figure, float, float, float], None]]] = [
        ("Rail (pattern per corridor)", _line_symbol(MUTED, None, width))
    ]
    if drawn.sea:
        rows.append(("Sea or ferry", _line_symbol(MUTED, SEA_DOTS, width, dots=True)))
    if drawn.planned:
        rows.append(
            ("Planned or under construction", _line_symbol(MUTED, PLANNED_DASHES, width * 0.75))
        )
    if drawn.closed:
        rows.append(
            ("Closed in this scenario", _line_symbol(CLOSED_COLOUR, None, width, cross=True))
        )
    if drawn.closed_countries:
        rows.append(("Transit through country closed", _patch_symbol))
    for label, symbol in rows:
        if not flow.row(label, symbol, size=size):
            return
    flow.grid([(KEY_KINDS[s][1], _marker_symbol(s, 7.0)) for s in drawn.symbols], size=size)


def _scenario_key(flow: _Flow, active: ActiveScenario, changes: list[str], size: float) -> None:
    scenario = active.scenario
    flow.text(f"Scenario: {scenario.name}", size=size + 0.5, weight="bold")
    flow.gap(0.03)
    if not changes:
        flow.text("No changes: catalogue figures as recorded.", size=size, colour=MUTED)
        return
    for index, change in enumerate(changes):
        remaining = len(changes) - index
        if remaining > 1 and not flow.room(_height(2, size)):
            flow.text(f"and {remaining} more changes", size=size, colour=MUTED)
            return
        if not flow.text(f"• {change}", size=size, colour=INK, indent=0.0, max_lines=2):
            return


# --------------------------------------------------------------------------- comparison bars


METRICS: list[tuple[str, str, str, Callable[[float], str]]] = [
    ("cost_usd_per_feu", "Cost", "USD per FEU", lambda v: f"{v:,.0f}"),
    ("transit_days", "Transit time", "days", lambda v: f"{v:.1f}"),
    ("hops", "Hops", "count", lambda v: f"{v:.0f}"),
    ("exposure_score", "Political exposure", "index 0–100", lambda v: f"{v:.0f}"),
]
"""Bar panels: record key, title, unit for the axis label, value format. Lower is better in all."""


@dataclass(frozen=True)
class _Box:
    left: float
    bottom: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.bottom + self.height

    @property
    def right(self) -> float:
        return self.left + self.width


def _axes(fig: Figure, box_in: _Box) -> Axes:
    fig_w, fig_h = fig.get_size_inches()
    return fig.add_axes(
        (box_in.left / fig_w, box_in.bottom / fig_h, box_in.width / fig_w, box_in.height / fig_h)
    )


@dataclass(frozen=True)
class _BarRow:
    """One slot of the bar panels: a corridor's bar, or the heading of a market group."""

    y: float
    record: dict[str, Any] | None = None
    market: str | None = None


def _bar_rows(records: list[dict[str, Any]]) -> list[_BarRow]:
    """
    Corridors grouped by market (what they connect), top to bottom, in catalogue order within.

    Only corridors of one market compete, so with several markets each group gets a heading.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(record.get("market", ""), []).append(record)
    headed = len(groups) > 1
    rows: list[_BarRow] = []
    y = 0.0
    for market, members in groups.items():
        if headed:
            rows.append(_BarRow(y - 0.15, market=market))
            y -= 0.85
        for record in members:
            rows.append(_BarRow(y, record=record))
            y -= 1.0
    return rows


def bar_slots(records: list[dict[str, Any]]) -> float:
    """Height of the bar panels in rows (market headings count as most of a row)."""
    rows = _bar_rows(records)
    return -min(r.y for r in rows) + 1.0


def _draw_bars(
    fig: Figure,
    ink: _Ink,
    area: _Box,
    data: dict[str, Any],
    styles: dict[str, LineStyle],
    *,
    columns: int,
    size: float,
    name_width: float,
) -> None:
    """Small multiples of horizontal bars, one panel per metric, corridors in the same order."""
    rows = _bar_rows(data["corridors"])
    best = best_corridors(data)
    panel_rows = math.ceil(len(METRICS) / columns)
    gap_x, gap_y, title_h, axis_h = 0.3, 0.25, _height(1, size + 0.5) + 0.05, 0.42
    panel_w = (area.width - name_width - gap_x * (columns - 1)) / columns
    panel_h = (area.height - gap_y * (panel_rows - 1)) / panel_rows
    for index, (key, title, unit, fmt) in enumerate(METRICS):
        row, col = divmod(index, columns)
        left = area.left + name_width + col * (panel_w + gap_x)
        top = area.top - row * (panel_h + gap_y)
        ax = _axes(fig, _Box(left, top - panel_h + axis_h, panel_w, panel_h - axis_h - title_h))
        fig.text(
            left,
            top,
            title,
            transform=fig.dpi_scale_trans,
            fontsize=size + 0.5,
            fontweight="bold",
            color=INK,
            va="top",
        )
        values = [_metric(r.record, key) for r in rows if r.record]
        label = max(ink.width(fmt(v), size - 0.5, "bold") for v in values) + 0.06
        headroom = 1.02 / max(0.3, 1 - label / panel_w)
        winners = set(best.get(key, []))
        _bar_panel(ax, rows, styles, (key, unit, fmt), best=winners, size=size, headroom=headroom)
        if col == 0:
            _bar_names(fig, ink, ax, rows, styles, width=name_width, size=size)


def _bar_panel(
    ax: Axes,
    rows: list[_BarRow],
    styles: dict[str, LineStyle],
    metric: tuple[str, str, Callable[[float], str]],
    *,
    best: set[str],
    size: float,
    headroom: float,
) -> None:
    key, unit, fmt = metric
    bars = [(row.y, row.record, _metric(row.record, key)) for row in rows if row.record]
    top = max([value for _, _, value in bars] + [1e-9])
    for y, record, value in bars:
        passable = record["passable"]
        ax.barh(
            y,
            value,
            height=0.68,
            color=styles[record["id"]].colour if passable else IMPASSABLE_BAR,
            edgecolor="#9a9a9a" if not passable else "none",
            hatch="////" if not passable else None,
            lw=0.5,
        )
        ax.text(
            value + top * 0.02,
            y,
            fmt(value),
            va="center",
            ha="left",
            fontsize=size - 0.5,
            color=INK if passable else FAINT,
            fontweight="bold" if passable and record["id"] in best else "normal",
        )
    for row in rows:
        if row.market is not None and row.y < 0:
            ax.axhline(row.y + 0.5, color="#d0d0d0", lw=0.6)
    ax.set_xlim(0, top * headroom)
    ax.set_ylim(min(r.y for r in rows) - 0.6, 0.6 if rows[0].market is None else 0.45)
    ax.set_yticks([])
    ax.xaxis.set_major_locator(MaxNLocator(nbins=3, min_n_ticks=2))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.tick_params(axis="x", labelsize=size - 1, colors=MUTED, length=2)
    ax.set_xlabel(unit, fontsize=size - 1, color=MUTED, labelpad=2)
    ax.grid(axis="x", color="#e3e3e3", lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#b0b0b0")


def _bar_names(
    fig: Figure,
    ink: _Ink,
    ax: Axes,
    rows: list[_BarRow],
    styles: dict[str, LineStyle],
    *,
    width: float,
    size: float,
) -> None:
    """Corridor names (and market headings) left of a panel, as text objects with fixed fonts."""
    fig_w, fig_h = fig.get_size_inches()
    position = ax.get_position()
    bottom, height = position.y0 * fig_h, position.height * fig_h
    low, high = ax.get_ylim()
    right = position.x0 * fig_w - 0.1
    slot = height / (high - low)
    two_lines = slot >= 2 * (size - 0.5) * 1.15 / 72
    for row in rows:
        y = bottom + (row.y - low) / (high - low) * height
        if row.market is not None:
            fig.text(
                right - width + 0.12,
                y,
                ink.fit(row.market, width - 0.12, size - 0.5, "bold"),
                transform=fig.dpi_scale_trans,
                ha="left",
                va="center",
                fontsize=size - 0.5,
                fontweight="bold",
                color=MUTED,
            )
            continue
        record = row.record or {}
        name = styles[record["id"]].name
        wrapped = ink.wrap(name, width - 0.12, size - 0.5)
        lines = wrapped[:2]
        if len(wrapped) > 2:
            lines[-1] = ink.fit(lines[-1] + " …", width - 0.12, size - 0.5)
        if not record["passable"]:
            lines = [ink.fit(name, width - 0.12, size - 0.5), "impassable"]
        if not two_lines:
            lines = [ink.fit(name, width - 0.12, size - 0.5)]
        fig.text(
            right,
            y,
            "\n".join(lines),
            transform=fig.dpi_scale_trans,
            ha="right",
            va="center",
            fontsize=size - 0.5,
            color=INK if record["passable"] else FAINT,
            linespacing=1.1,
        )


# --------------------------------------------------------------------------- page furniture


def _header(
    fig: Figure, ink: _Ink, parts: dict[str, Any], *, left: float, top: float, width: float
) -> float:
    """Accent bar, title and subtitle lines; returns the bottom of the header in inches."""
    fig.add_artist(
        Rectangle((left, top - 0.05), 0.55, 0.05, transform=fig.dpi_scale_trans, color=ACCENT, lw=0)
    )
    flow = _Flow(fig, ink, left, top - 0.13, width)
    flow.text(parts["title"], size=parts["title_size"], weight="bold", max_lines=2)
    flow.gap(0.02)
    for line in parts["subtitle"]:
        flow.text(line, size=parts["subtitle_size"], colour=MUTED, max_lines=parts["lines"])
    return flow.y


def _footer(
    fig: Figure, text: list[str], *, left: float, bottom: float, width: float, size: float
) -> None:
    fig.add_artist(
        Line2D(
            [left, left + width],
            [bottom + _height(len(text), size) + 0.08] * 2,
            transform=fig.dpi_scale_trans,
            color="#c8c8c8",
            lw=0.6,
        )
    )
    fig.text(
        left,
        bottom,
        "\n".join(text),
        transform=fig.dpi_scale_trans,
        ha="left",
        va="bottom",
        fontsize=size,
        color=MUTED,
        linespacing=LINE_SPACING,
    )


def _source_lines(
    ink: _Ink,
    catalogue: Catalogue,
    results: list[CorridorMetrics],
    active: ActiveScenario,
    *,
    projection: str,
    width: float,
    size: float,
    lines: int,
) -> list[str]:
    meta = catalogue.meta
    model = (
        f"Model: Corridor Atlas, catalogue “{meta.title}” (version {meta.version}); "
        f"basemap: Natural Earth; {projection}."
    )
    model_lines = ink.wrap(model, width, size)
    citations = short_citations(cited_sources(catalogue, results, active))
    room = max(1, lines - len(model_lines))
    fitted = _fit_list(ink, "Sources: ", citations, width=width, size=size, lines=room)
    return [*ink.wrap(fitted, width, size), *model_lines]


# --------------------------------------------------------------------------- public figures


@dataclass
class _Page:
    fig: Figure
    ink: _Ink
    size: float
    line_width: float
    marker_size: float


def briefing_figure(
    catalogue: Catalogue,
    active: ActiveScenario,
    results: list[CorridorMetrics],
    *,
    corridors: list[str] | None = None,
    preset: str = "slide",
    title: str | None = None,
    date: dt.date | None = None,
) -> Figure:
    """
    The current view as a static map for a slide or an A4 page.

    Corridors are drawn in their map colours and line patterns, sea legs dotted, planned legs
    dashed and faded, closed legs grey with red crosses; key nodes are labelled without
    collisions. The page carries a title, the scenario and its changes, the date, a key, and a
    source line citing what the shown corridors rest on. `a4` adds the comparison below the map.

    Raises
    ------
    ValueError
        For an unknown preset, unknown corridor ids, or an empty selection.
    """
    if preset not in PRESETS:
        raise ValueError(f"`preset` was {preset!r} but is expected to be one of {list(PRESETS)}")
    shown = _shown(results, corridors)
    if not shown:
        raise ValueError("`corridors` is empty: choose at least one corridor to draw")
    day = date or dt.date.today()
    data = {"scenario": {"name": active.scenario.name}, "corridors": _records(catalogue, shown)}
    with _rendering():
        fig, ink = _new_figure(PRESETS[preset])
        heading = {
            "title": title or catalogue.meta.title,
            "subtitle": [
                f"Scenario: {active.scenario.name} · {_counted(shown)} · {format_date(day)}",
                takeaway(data),
            ],
        }
        if preset == "slide":
            _slide(catalogue, active, shown, heading, _Page(fig, ink, 8.5, 2.3, 6.5))
        else:
            page = _Page(fig, ink, 7.5, 1.8, 5.6)
            _a4(catalogue, active, shown, heading=heading, data=data, page=page)
    return fig


@dataclass(frozen=True)
class _Contents:
    """What goes on the map, worked out before layout so the key can be measured first."""

    nodes: list[_KeyNode]
    shapes: dict[str, Any]
    codes: set[str]
    closed: list[Any]
    drawn: _Drawn


def _contents(
    catalogue: Catalogue, active: ActiveScenario, shown: list[CorridorMetrics]
) -> _Contents:
    codes = {
        catalogue.node(n).country
        for r in shown
        for leg in r.legs
        for n in (leg.step.start, leg.step.end)
    }
    shapes = _country_shapes(catalogue, sorted(codes | set(active.scenario.close_countries)))
    closed = [shapes[c] for c in active.scenario.close_countries if c in shapes]
    nodes = _key_nodes(catalogue, shown)
    return _Contents(nodes, shapes, codes, closed, _drawn(shown, nodes, bool(closed)))


def _draw_map(
    page: _Page,
    map_box: _Box,
    catalogue: Catalogue,
    *,
    shown: list[CorridorMetrics],
    styles: dict[str, LineStyle],
    contents: _Contents,
) -> _MapView:
    """Basemap, corridors, nodes, then labels placed around everything already drawn."""
    ax = _axes(page.fig, map_box)
    coords = [c for r in shown for leg in r.legs for c in leg_coords(catalogue, leg.step.leg)]
    crs, label, per_inch = _fit_view(ax, coords)
    view = _MapView(ax, crs, label, per_inch)
    _draw_basemap(view, contents.closed)
    _draw_corridors(view, catalogue, shown, styles, page.line_width)
    _draw_nodes(view, contents.nodes, page.marker_size)
    placer = _Placer(view)
    near = page.marker_size / 72 * page.fig.dpi * 1.5
    _label_nodes(view, _cluster_labels(view, contents.nodes, near), page.size - 1.0, placer)
    countries = {c: s for c, s in contents.shapes.items() if c in contents.codes}
    _label_countries(view, catalogue, countries, page.size - 2.2, placer)
    return view


def _slide(
    catalogue: Catalogue,
    active: ActiveScenario,
    shown: list[CorridorMetrics],
    heading: dict[str, Any],
    page: _Page,
) -> None:
    fig, ink, size = page.fig, page.ink, page.size
    width, height = PRESETS["slide"]
    margin, key_width = 0.42, 3.2
    heading.update(title_size=19, subtitle_size=11, lines=2)
    header_bottom = _header(
        fig, ink, heading, left=margin, top=height - 0.3, width=width - 2 * margin
    )
    styles = corridor_styles(catalogue)
    footer_text = _source_lines(
        ink, catalogue, shown, active, projection="", width=width - 2 * margin, size=7.5, lines=2
    )
    footer_top = 0.28 + _height(len(footer_text), 7.5) + 0.2
    map_box = _Box(
        margin, footer_top, width - 2 * margin - key_width - 0.3, header_bottom - 0.12 - footer_top
    )
    contents = _contents(catalogue, active, shown)
    view = _draw_map(page, map_box, catalogue, shown=shown, styles=styles, contents=contents)
    drawn = contents.drawn
    footer_text = _source_lines(
        ink,
        catalogue,
        shown,
        active,
        projection=view.projection_label,
        width=width - 2 * margin,
        size=7.5,
        lines=2,
    )
    _footer(fig, footer_text, left=margin, bottom=0.28, width=width - 2 * margin, size=7.5)
    flow = _Flow(fig, ink, map_box.right + 0.3, map_box.top, key_width, bottom=map_box.bottom)
    _corridor_key(flow, shown, styles, size, page.line_width)
    flow.gap(0.16)
    _lines_key(flow, drawn, size, page.line_width)
    flow.gap(0.16)
    _scenario_key(flow, active, scenario_changes(catalogue, active.scenario), size)


def _a4(
    catalogue: Catalogue,
    active: ActiveScenario,
    shown: list[CorridorMetrics],
    *,
    heading: dict[str, Any],
    data: dict[str, Any],
    page: _Page,
) -> None:
    """
    A4 portrait: header, map, key, scenario, then the comparison as one row of bar panels.

    Everything below the map is measured first; the map takes the height that is left, or less
    when the corridors' shape needs less (a flat extent would only add empty sea).
    """
    fig, ink, size = page.fig, page.ink, page.size
    width, height = PRESETS["a4"]
    margin = 0.5
    inner = width - 2 * margin
    heading.update(title_size=15, subtitle_size=9.5, lines=3)
    header_bottom = _header(fig, ink, heading, left=margin, top=height - 0.4, width=inner)
    styles = corridor_styles(catalogue)
    footer_text = _source_lines(
        ink, catalogue, shown, active, projection="", width=inner, size=7, lines=3
    )
    footer_top = 0.4 + _height(len(footer_text), 7) + 0.12
    bars_height = 0.7 + 0.15 * bar_slots(data["corridors"])
    changes = scenario_changes(catalogue, active.scenario)
    scenario_text = _scenario_sentence(active, changes)
    scenario_height = _height(min(len(ink.wrap(scenario_text, inner, size)), 3), size)
    columns = [(margin, 2.45), (margin + 2.55, 2.45), (margin + 5.1, inner - 5.1)]
    halves = [shown[: math.ceil(len(shown) / 2)], shown[math.ceil(len(shown) / 2) :]]
    contents = _contents(catalogue, active, shown)
    key_height = _a4_key(page, styles, halves, contents.drawn, columns, top=0.0, draw=False)
    below = 0.14 + key_height + 0.14 + scenario_height + 0.12 + 0.32 + bars_height + 0.08
    room = header_bottom - 0.1 - footer_top - below
    coords = [c for r in shown for leg in r.legs for c in leg_coords(catalogue, leg.step.leg)]
    map_height = min(room, max(_map_height(coords, inner), 3.2))
    map_box = _Box(margin, header_bottom - 0.1 - map_height, inner, map_height)
    key_top = map_box.bottom - 0.14
    scenario_top = key_top - key_height - 0.14
    bars_heading = scenario_top - scenario_height - 0.12
    bars_box = _Box(margin, bars_heading - 0.32 - bars_height, inner, bars_height)
    view = _draw_map(page, map_box, catalogue, shown=shown, styles=styles, contents=contents)
    _a4_key(page, styles, halves, contents.drawn, columns, top=key_top, draw=True)
    _Flow(fig, ink, margin, scenario_top, inner).text(scenario_text, size=size, max_lines=3)
    fig.text(
        margin,
        bars_heading,
        "Comparison under this scenario",
        transform=fig.dpi_scale_trans,
        fontsize=size + 0.5,
        fontweight="bold",
        color=INK,
        va="top",
    )
    fig.text(
        margin + page.ink.width("Comparison under this scenario", size + 0.5, "bold") + 0.1,
        bars_heading,
        "lower is better · bold: best passable corridor in its market · grey: impassable",
        transform=fig.dpi_scale_trans,
        fontsize=size - 0.5,
        color=MUTED,
        va="top",
    )
    _draw_bars(fig, ink, bars_box, data, styles, columns=4, size=size - 0.5, name_width=1.9)
    footer_text = _source_lines(
        ink,
        catalogue,
        shown,
        active,
        projection=view.projection_label,
        width=inner,
        size=7,
        lines=3,
    )
    _footer(fig, footer_text, left=margin, bottom=0.4, width=inner, size=7)


def _scenario_sentence(active: ActiveScenario, changes: list[str]) -> str:
    scenario = active.scenario
    if not changes:
        return f"Scenario: {scenario.name}. No changes: catalogue figures as recorded."
    return f"Scenario: {scenario.name}. Changes against the baseline: {'; '.join(changes)}."


def _a4_key(
    page: _Page,
    styles: dict[str, LineStyle],
    halves: list[list[CorridorMetrics]],
    drawn: _Drawn,
    columns: list[tuple[float, float]],
    *,
    top: float,
    draw: bool,
) -> float:
    """The A4 key: corridors over two columns, lines and places in the third; returns its height."""
    heights = []
    for (x, width), half, heading in zip(columns[:2], halves, ("Corridors", " "), strict=True):
        flow = _Flow(page.fig, page.ink, x, top, width, draw=draw)
        _corridor_key(flow, half, styles, page.size, page.line_width, heading=heading, notes=False)
        heights.append(top - flow.y)
    x, width = columns[2]
    flow = _Flow(page.fig, page.ink, x, top, width, draw=draw)
    _lines_key(flow, drawn, page.size, page.line_width)
    heights.append(top - flow.y)
    return max(heights)


def comparison_chart(
    catalogue: Catalogue, data: dict[str, Any], *, corridors: list[str] | None = None
) -> Figure:
    """
    Bar charts of cost, transit time, hops and political exposure for the shown corridors.

    `data` is `geo.summary.summary(...)`. Corridors keep the map's colours and one order across
    panels; impassable corridors are grey and hatched, their figures shown as if they were open.
    """
    records = data["corridors"]
    if corridors is not None:
        by_id = {r["id"]: r for r in records}
        unknown = [c for c in corridors if c not in by_id]
        if unknown:
            raise ValueError(f"`corridors` has ids not in `data`: {', '.join(unknown)}")
        records = [by_id[c] for c in dict.fromkeys(corridors)]
    if not records:
        raise ValueError("`corridors` is empty: choose at least one corridor to chart")
    shown = {**data, "corridors": records}
    styles = corridor_styles(catalogue)
    width = PRESETS["slide"][0]
    panels = 0.95 + 0.3 * bar_slots(records)
    height = 1.35 + panels + 0.55
    with _rendering():
        fig, ink = _new_figure((width, height))
        scenario = data.get("scenario", {}).get("name", "")
        parts = {
            "title": f"Corridor comparison: {scenario}" if scenario else "Corridor comparison",
            "subtitle": [
                "Model figures per 40-ft container (FEU); hops = border crossings + "
                "transshipments + gauge breaks. Lower is better in every panel; bold marks the "
                "best passable corridor of its market. Grey, hatched: impassable in this scenario "
                "(figures as if open)."
            ],
            "title_size": 15,
            "subtitle_size": 9.5,
            "lines": 2,
        }
        header_bottom = _header(fig, ink, parts, left=0.42, top=height - 0.3, width=width - 0.84)
        area = _Box(0.42, 0.62, width - 0.84, header_bottom - 0.2 - 0.62)
        _draw_bars(fig, ink, area, shown, styles, columns=4, size=9, name_width=2.5)
        meta = data.get("catalogue", {})
        note = "Source: Corridor Atlas model"
        if meta:
            note += f", catalogue “{meta.get('title', '')}” (version {meta.get('version', '')})"
        _footer(fig, [note + "."], left=0.42, bottom=0.25, width=width - 0.84, size=7.5)
    return fig
