"""
Build the offline basemap `geo/data/countries.geojson` from Natural Earth (world-atlas 50m).

Run after `npm ci`: `python scripts/build_basemap.py`. The output is data (Natural Earth is in
the public domain) and is committed, so neither the app nor its tests need this script.
Russia and Fiji cross ±180°; their parts are unwrapped, repaired and split back so that no
polygon draws a stripe across Eurasia. The briefing figures need the whole world: the routes to
the United States reach Baltimore and, across the Pacific, Los Angeles.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely import affinity, make_valid
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
TARGET = ROOT / "geo" / "data" / "countries.geojson"
EXTENT = box(-180, -60, 180, 84)
TOLERANCE = 0.02


def _parts(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    return [p for g in getattr(geometry, "geoms", []) for p in _parts(g)]


def _unwrap(geometry: BaseGeometry) -> BaseGeometry:
    """Split parts that span the antimeridian into a west and an east piece."""
    pieces: list[Polygon] = []
    for part in _parts(geometry):
        minx, _, maxx, _ = part.bounds
        if maxx - minx <= 180:
            pieces.append(part)
            continue
        shifted = Polygon(
            [(x + 360 if x < 0 else x, y) for x, y in part.exterior.coords],
            [[(x + 360 if x < 0 else x, y) for x, y in ring.coords] for ring in part.interiors],
        )
        shifted = make_valid(shifted)
        pieces += _parts(shifted.intersection(box(-180, -90, 180, 90)))
        beyond = shifted.intersection(box(180, -90, 540, 90))
        pieces += _parts(affinity.translate(beyond, xoff=-360))
    return MultiPolygon(pieces) if len(pieces) > 1 else pieces[0]


def main() -> None:
    world = gpd.read_file(SOURCE, layer="countries").set_crs(4326)
    world = world[world["name"] != "Antarctica"].copy()
    world["geometry"] = [make_valid(_unwrap(g)) for g in world.geometry]
    world = world[world.intersects(EXTENT)].copy()
    world["geometry"] = world.geometry.intersection(EXTENT).simplify(TOLERANCE)
    world = world[~world.geometry.is_empty][["id", "name", "geometry"]]
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    world.to_file(TARGET, driver="GeoJSON", COORDINATE_PRECISION=3)
    print(f"wrote {TARGET} ({TARGET.stat().st_size:,} bytes, {len(world)} countries)")


if __name__ == "__main__":
    main()
