"""
Node symbols and labels: nearby nodes share a label, labels take the free spot crossing the fewest
lines (or go further out on a leader), and what finds no room is left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from matplotlib import patheffects
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geo.catalogue import Catalogue, Node
from geo.figures.basemap import MapView
from geo.figures.layout import WIDE, heading_weight
from geo.figures.lines import path_length
from geo.figures.style import COUNTRY_LABEL, INK, KEY_KINDS, LEADER, MARKERS
from geo.figures.words import Words
from geo.metrics import CorridorMetrics

# --------------------------------------------------------------------------- nodes and labels


@dataclass
class KeyNode:
    node: Node
    symbol: str
    priority: int
    users: int


def key_nodes(catalogue: Catalogue, results: list[CorridorMetrics]) -> list[KeyNode]:
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
            symbol, priority = node.kind.value, KEY_KINDS[node.kind.value]
        else:
            symbol, priority = "minor", 9
        found.append(KeyNode(node, symbol, priority, users[node_id]))
    return sorted(found, key=lambda k: (k.priority, -k.users, k.node.lon))


def draw_nodes(view: MapView, nodes: list[KeyNode], size: float) -> None:
    ax = view.ax
    for key in sorted(nodes, key=lambda k: -k.priority):
        marker = MARKERS[key.symbol]
        point = view.project([(key.node.lon, key.node.lat)])[0]
        marker_size = size * marker.scale * (1.15 if key.priority == 0 else 1.0)
        ax.plot(
            [point[0]],
            [point[1]],
            linestyle="none",
            markersize=marker_size,
            markeredgewidth=0.8 if key.symbol != "gauge_break" else 0.9,
            zorder=9 if key.priority < 9 else 7,
            **marker.style,
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


def cluster_labels(
    view: MapView, nodes: list[KeyNode], near_px: float, words: Words
) -> list[_Label]:
    """
    One label for two key nodes whose symbols touch ('Khorgos / Altynkol').

    Paired border stations sit a few km apart; two labels there would only fight for room. Groups
    stop at two names: a longer string is harder to read than a dropped label.
    """
    ax = view.ax
    groups: list[list[KeyNode]] = []
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
        names = list(
            dict.fromkeys(_short(words.name(k.node)) for k in sorted(group, key=_west_first))
        )
        if _columns(" / ".join(names)) > 28:
            first = min(group, key=lambda k: k.priority)
            names = [_common_name(names) or _short(words.name(first.node))]
        priority = min(k.priority for k in group)
        labels.append(_Label(" / ".join(names), centre, spread, priority == 0, priority))
    return labels


def _short(name: str) -> str:
    """
    A node name without its parenthetical detail: 'Alat (Port of Baku)' -> 'Alat', and
    '阿利亚特（巴库港）' -> '阿利亚特'.
    """
    return re.sub(r"\s*(\([^)]*\)|（[^）]*）)", "", name).strip() or name


def _columns(text: str) -> int:
    """Length in columns: a Chinese character is as wide as two Latin letters."""
    return sum(2 if WIDE.match(char) else 1 for char in text)


def _west_first(key: KeyNode) -> float:
    return key.node.lon


def _common_name(names: list[str]) -> str:
    """
    Words every name starts with ('Suez Canal' for its two entrances), if there are two; in
    Chinese, the characters they start with, if there are three ('苏伊士运河').
    """
    if all(WIDE.match(n[:1]) for n in names):
        prefix = ""
        for column in zip(*names, strict=False):
            if len(set(column)) > 1:
                break
            prefix += column[0]
        return prefix if len(prefix) >= 3 else ""
    words = [re.split(r"[\s,]+", n) for n in names]
    common = []
    for column in zip(*words, strict=False):
        if len(set(column)) > 1:
            break
        common.append(column[0])
    return " ".join(common) if len(common) >= 2 else ""


HAlign = Literal["left", "center", "right"]
VAlign = Literal["bottom", "center", "top"]

CANDIDATES: list[tuple[float, float, HAlign, VAlign]] = [
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


class Placer:
    """
    Greedy label placement: each label takes the free spot crossing the fewest corridor lines.

    Hard limits are the map frame, node symbols and labels already placed; a label with no free
    spot is left out, which keeps a crowded map readable.
    """

    def __init__(self, view: MapView, obstacles: Iterable[Bbox] = ()) -> None:
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
        lengths = path_length(line)
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
        best: tuple[float, Bbox, tuple[float, float], HAlign, VAlign, int] | None = None
        for ring, gap in enumerate(gaps):
            for rank, (dx, dy, ha, va) in enumerate(CANDIDATES):
                x, y = inverse.transform(anchor + np.array([dx, dy]) * gap)
                spot = (float(x), float(y))
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
                    best = (score, bbox, spot, ha, va, ring)
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
        self.view.ax.plot(ends[:, 0], ends[:, 1], color=LEADER, lw=0.6, zorder=9.5)


def label_nodes(view: MapView, labels: list[_Label], size: float, placer: Placer) -> None:
    """
    Node labels by priority: beside the symbol if there is room, else further out on a leader.

    The white halo is a second text underneath: text drawn with a path effect becomes outlines
    in SVG, and the labels themselves must stay <text>.
    """
    halo = [patheffects.withStroke(linewidth=2.6, foreground="white", alpha=0.92)]
    px_per_pt = view.ax.figure.dpi / 72
    for label in labels:
        weight = heading_weight(label.text) if label.bold else "normal"
        text = view.ax.text(
            0, 0, label.text, color=INK, zorder=10, fontsize=size, fontweight=weight
        )
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
                fontsize=size,
                fontweight=weight,
            )


def label_countries(
    view: MapView,
    catalogue: Catalogue,
    shapes: dict[str, BaseGeometry],
    size: float,
    placer: Placer,
    *,
    words: Words,
) -> None:
    """
    Light country names where they fit clear of lines and labels: orientation, not content.

    Latin names are set in capitals; Chinese ones, which have none, a point larger instead, so
    their strokes stay legible at this size.
    """
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
        name = words.name(catalogue.country(code)).upper()
        text = view.ax.text(
            0,
            0,
            name,
            fontsize=size + 1.0 if WIDE.search(name) else size,
            color=COUNTRY_LABEL,
            fontweight="normal",
            zorder=2,
        )
        placer.place(text, anchor, [0.0], max_crossings=0)
