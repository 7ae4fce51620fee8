"""
Corridor lines: colour and pattern per leg, shared legs drawn side by side, and closed legs
struck through with red crosses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib import patheffects
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox
from shapely.geometry import LineString, MultiLineString

from geo.catalogue import Catalogue, Mode, Status
from geo.figures.basemap import MapView, densify
from geo.figures.style import CLOSED_MARK, MAP_WEIGHT_PX, PALE_CASING, PLANNED_DASHES, SEA_DOTS
from geo.geometry import leg_coords
from geo.mapdata import leg_users
from geo.metrics import CorridorMetrics, LegMetrics
from geo.palette import CLOSED_COLOUR, LineStyle

# --------------------------------------------------------------------------- corridor lines


def dashes_of(svg_dash: str) -> tuple[float, ...] | None:
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
    dashes = SEA_DOTS if sea else dashes_of(style.dash)
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


def draw_corridors(
    view: MapView,
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
    ranked = sorted(results, key=lambda r: order[r.corridor_id])
    sharing = leg_users(ranked)  # a corridor uses a leg once: the validator refuses repeats
    turned: dict[str, bool] = {}
    for result in ranked:
        for used in result.legs:
            turned.setdefault(used.step.leg.id, used.step.reversed)
    spacing = (width + 1.0) / 72 * view.metres_per_inch
    centre: dict[str, np.ndarray] = {}
    crossed: dict[str, np.ndarray] = {}
    drawn = sorted(results, key=lambda r: (r.passable, order[r.corridor_id]))
    for rank, result in enumerate(drawn):
        style = styles[result.corridor_id]
        for leg_metrics in result.legs:
            leg = leg_metrics.step.leg
            if leg.id not in centre:
                coords = densify(leg_coords(catalogue, leg))
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
    view: MapView, line: np.ndarray, look: _LegLook, width: float, zorder: float
) -> None:
    ax = view.ax
    ax.plot(
        line[:, 0],
        line[:, 1],
        color=casing_colour(look.colour),
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


def casing_colour(colour: str) -> str:
    """White under a line, but grey under a pale one (yellow on the pale land would vanish)."""
    red, green, blue = to_rgb(colour)
    return PALE_CASING if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.7 else "white"


def path_length(points: np.ndarray) -> np.ndarray:
    steps = np.hypot(*np.diff(points, axis=0).T)
    return np.concatenate([[0.0], np.cumsum(steps)])


def _draw_crosses(view: MapView, lines: list[np.ndarray]) -> None:
    """
    Red × marks on closed legs: one at each leg's middle, more along long legs, but never two
    within about an inch, so a closed country reads as struck through rather than as noise.
    """
    spacing = 0.9 * view.metres_per_inch
    spots: list[np.ndarray] = []
    for line in sorted(lines, key=lambda ln: -path_length(ln)[-1]):
        lengths = path_length(line)
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
