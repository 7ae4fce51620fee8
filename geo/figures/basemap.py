"""The map frame: projection fitted to the view, graticule, land, and shaded closed countries."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from pyproj import Transformer
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geo.assets import BASEMAP_FILE
from geo.catalogue import Catalogue, NodeKind
from geo.figures.style import BORDER, CLOSED_HATCH, CLOSED_LAND, FRAME, GRATICULE, LAND, SEA

if TYPE_CHECKING:
    import geopandas as gpd


# --------------------------------------------------------------------------- basemap


@cache
def _world() -> gpd.GeoDataFrame:
    import geopandas as gpd

    world = gpd.read_file(BASEMAP_FILE)
    return world.set_crs(4326) if world.crs is None else world


def _world_between(west: float, east: float) -> gpd.GeoDataFrame:
    """The world, with a copy a turn east or west where the view runs past ±180°."""
    import geopandas as gpd
    import pandas as pd

    world = _world()
    copies = [world]
    for shift in (-360, 360):
        if (shift < 0 and west < -180) or (shift > 0 and east > 180):
            moved = world.copy()
            moved["geometry"] = world.geometry.translate(xoff=shift)
            copies.append(moved)
    return world if len(copies) == 1 else gpd.GeoDataFrame(pd.concat(copies), crs=world.crs)


@cache
def transformer(crs: str, *, inverse: bool = False) -> Transformer:
    if inverse:
        return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _projection(west: float, south: float, east: float, north: float) -> tuple[str, str]:
    """
    A conic fitted to the view (standard parallels at 1/6 and 5/6 of its height), and its kind
    ("lcc" or "eqc", named by the message `export.projection.<kind>`).

    Near the equator a cone degenerates, so there an equidistant cylindrical projection true to
    scale at the view's middle latitude is used instead.
    """
    lon0 = round((west + east) / 2, 1)
    span = north - south
    lat1, lat2 = round(south + span / 6, 1), round(north - span / 6, 1)
    if lat1 * lat2 > 0 and abs(lat1 + lat2) / 2 >= 15:
        crs = f"+proj=lcc +lat_1={lat1} +lat_2={lat2} +lat_0={(south + north) / 2:.1f} "
        crs += f"+lon_0={lon0} +datum=WGS84 +units=m +no_defs"
        return crs, "lcc"
    crs = f"+proj=eqc +lat_ts={(south + north) / 2:.1f} +lon_0={lon0} +datum=WGS84 +units=m"
    return crs + " +no_defs", "eqc"


def densify(coords: Sequence[tuple[float, float]], step: float = 0.5) -> list[tuple[float, float]]:
    """Points every `step` degrees, so straight lon/lat segments bend with the projection."""
    out = [coords[0]]
    for (x1, y1), (x2, y2) in itertools.pairwise(coords):
        count = max(1, math.ceil(max(abs(x2 - x1), abs(y2 - y1)) / step))
        out += [
            (x1 + (x2 - x1) * k / count, y1 + (y2 - y1) * k / count) for k in range(1, count + 1)
        ]
    return out


@dataclass
class MapView:
    """The map axes, its projection and extent, and what has been drawn (for label placement)."""

    ax: Axes
    crs: str
    projection: str
    """"lcc" or "eqc": the kind of projection, named by the message `export.projection.<kind>`."""
    metres_per_inch: float
    lines: list[np.ndarray] = field(default_factory=list)
    markers: list[Bbox] = field(default_factory=list)

    def project(self, coords: Sequence[tuple[float, float]]) -> np.ndarray:
        lons, lats = zip(*coords, strict=True)
        xs, ys = transformer(self.crs).transform(lons, lats)
        return np.column_stack([xs, ys])


def _extent(coords: list[tuple[float, float]]) -> tuple[str, str, tuple[float, ...]]:
    """Projection for these (lon, lat) points and their projected extent with a 4 % margin."""
    lons = [c[0] for c in coords]
    lats = [c[1] for c in coords]
    crs, label = _projection(min(lons), min(lats), max(lons), max(lats))
    xs, ys = transformer(crs).transform(lons, lats)
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, 400_000.0)
    pad = 0.04 * span
    return crs, label, (x0 - pad, x1 + pad, y0 - pad, y1 + pad)


def map_height_for(
    coords: list[tuple[float, float]], width: float, pad_inches: float = 0.5
) -> float:
    """Height in inches a map of `width` needs to show these points with no empty bands."""
    _, _, (x0, x1, y0, y1) = _extent(coords)
    return (y1 - y0) / (x1 - x0) * (width - 2 * pad_inches) + 2 * pad_inches


def fit_view(
    ax: Axes, coords: list[tuple[float, float]], pad_inches: float = 0.5
) -> tuple[str, str, float]:
    """Project, fit the extent to the corridors with margins and the axes' aspect; set limits."""
    crs, label, (x0, x1, y0, y1) = _extent(coords)
    position = ax.get_position()
    fig_w, fig_h = page_of(ax).get_size_inches()
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


def page_of(ax: Axes) -> Figure:
    """The page (top-level figure) an axes is drawn on."""
    page = ax.get_figure(root=True)
    if page is None:
        raise ValueError("the axes is not on a figure")
    return page


def _view_lonlat_box(view: MapView) -> tuple[float, float, float, float]:
    """Lon/lat bounds of the whole visible rectangle, padded, kept clear of the projection seam."""
    (x0, x1), (y0, y1) = view.ax.get_xlim(), view.ax.get_ylim()
    edge = np.linspace(0, 1, 60)
    xs = np.concatenate(
        [x0 + (x1 - x0) * edge, np.full(60, x1), x0 + (x1 - x0) * edge, np.full(60, x0)]
    )
    ys = np.concatenate(
        [np.full(60, y0), y0 + (y1 - y0) * edge, np.full(60, y1), y0 + (y1 - y0) * edge]
    )
    lons, lats = transformer(view.crs, inverse=True).transform(xs, ys)
    lon0 = float(view.crs.split("+lon_0=")[1].split()[0])
    # around the view's own meridian, not the ±180° one: a view across the Pacific (a route to
    # Los Angeles, drawn east of Asia) runs past 180°
    lons = (lons - lon0 + 180) % 360 + lon0 - 180
    west = max(float(np.nanmin(lons)) - 6, lon0 - 179)
    east = min(float(np.nanmax(lons)) + 6, lon0 + 179)
    south = max(float(np.nanmin(lats)) - 6, -85)
    north = min(float(np.nanmax(lats)) + 6, 85)
    return west, south, east, north


def _graticule_step(span: float) -> int:
    for limit, step in ((90, 20), (30, 10), (10, 5), (4, 2)):
        if span > limit:
            return step
    return 1


def draw_basemap(view: MapView, closed_shapes: list[BaseGeometry]) -> None:
    west, south, east, north = _view_lonlat_box(view)
    ax = view.ax
    ax.set_facecolor(SEA)
    step = _graticule_step(max(east - west, north - south))
    for lon in range(math.ceil(west / step) * step, math.floor(east) + 1, step):
        line = view.project(densify([(lon, south), (lon, north)], 1.0))
        ax.plot(line[:, 0], line[:, 1], color=GRATICULE, lw=0.4, zorder=0.5)
    for lat in range(math.ceil(south / step) * step, math.floor(north) + 1, step):
        line = view.project(densify([(west, lat), (east, lat)], 1.0))
        ax.plot(line[:, 0], line[:, 1], color=GRATICULE, lw=0.4, zorder=0.5)
    world = _world_between(west, east).clip(box(west, south, east, north))
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
        spine.set_edgecolor(FRAME)
        spine.set_linewidth(0.6)


def country_shapes(catalogue: Catalogue, codes: Iterable[str]) -> dict[str, BaseGeometry]:
    """
    Basemap polygons of catalogue countries: by name, else the polygon holding most of its nodes.

    The basemap carries numeric ids and English names only; node positions settle the rest
    ('Türkiye' vs 'Turkey'). Countries found neither way are simply not shaded.
    """
    from shapely.geometry import Point

    world = _world()
    by_name = {str(name).casefold(): i for i, name in world["name"].items()}
    geometries = dict(world.geometry.items())
    shapes: dict[str, BaseGeometry] = {}
    for code in codes:
        country = catalogue.country(code)
        index = by_name.get(country.name.casefold())
        if index is None:
            votes: Counter[Hashable] = Counter()
            for node in catalogue.nodes:
                if node.country == code and node.kind is not NodeKind.BORDER_CROSSING:
                    hits = world.index[world.contains(Point(node.lon, node.lat))]
                    votes.update(hits.tolist())
            index = votes.most_common(1)[0][0] if votes else None
        if index is not None:
            shapes[code] = geometries[index]
    return shapes
