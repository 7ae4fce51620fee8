"""
Lines on the earth for legs: through their waypoints on land, along real sea lanes at sea.

Sea lanes come from `searoute` (offline, a global lane network). It is only asked about legs
inside one basin: its network links the Caspian to the Black Sea through the Volga–Don, so a
cross-basin request would draw a river route no container ship takes.
"""

from __future__ import annotations

from functools import lru_cache

from pyproj import Geod
from shapely.geometry import LineString

from geo.catalogue import Catalogue, Leg

_GEOD = Geod(ellps="WGS84")


def geodesic_km(coords: list[tuple[float, float]]) -> float:
    """Length along the ellipsoid of a (lon, lat) polyline, in km."""
    if len(coords) < 2:
        return 0.0
    lons, lats = zip(*coords, strict=True)
    return float(_GEOD.line_length(lons, lats)) / 1000


def leg_coords(catalogue: Catalogue, leg: Leg) -> list[tuple[float, float]]:
    """The drawn line of a leg as (lon, lat) pairs, from its `from` node to its `to` node."""
    start, end = catalogue.node(leg.from_), catalogue.node(leg.to)
    if leg.sea_route:
        return list(
            sea_lane((start.lon, start.lat), (end.lon, end.lat), tuple(leg.sea_route_restrictions))
        )
    middle = [(lon, lat) for lat, lon in leg.waypoints]
    return [(start.lon, start.lat), *middle, (end.lon, end.lat)]


def leg_line(catalogue: Catalogue, leg: Leg) -> LineString:
    return LineString(leg_coords(catalogue, leg))


@lru_cache(maxsize=4096)
def sea_lane(
    origin: tuple[float, float], destination: tuple[float, float], restrictions: tuple[str, ...]
) -> tuple[tuple[float, float], ...]:
    """
    Sea lane between two (lon, lat) points, its longitudes continuous from the origin's: a lane
    across the date line (Lianyungang to Los Angeles) runs on past 180° instead of jumping back
    to -180°, so lengths, maps and figures see one line, not two halves joined across the world.
    """
    import searoute

    route = searoute.searoute(list(origin), list(destination), restrictions=list(restrictions))
    coords = [(float(lon), float(lat)) for lon, lat in route["geometry"]["coordinates"]]
    coords[0], coords[-1] = origin, destination
    return tuple(unwrap(coords))


def unwrap(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """(lon, lat) pairs with each longitude moved by whole turns to within 180° of the last."""
    out = [coords[0]]
    for lon, lat in coords[1:]:
        turns = round((out[-1][0] - lon) / 360)
        out.append((lon + turns * 360, lat))
    return out


def bounds(coords: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(south, west, north, east) of (lon, lat) pairs."""
    lons = [c[0] for c in coords]
    lats = [c[1] for c in coords]
    return min(lats), min(lons), max(lats), max(lons)


def display_longitudes(catalogue: Catalogue) -> dict[str, float]:
    """
    Nodes whose drawn lines reach them a whole turn away from their own longitude (Los Angeles
    at 241.7° at the end of the Pacific lane from Lianyungang), with that longitude, so a marker
    sits where its line ends. Nodes not listed are drawn where they are.
    """
    shifted: dict[str, float] = {}
    for leg in catalogue.legs:
        if not leg.sea_route:
            continue
        end = catalogue.node(leg.to)
        drawn = leg_coords(catalogue, leg)[-1][0]
        if abs(drawn - end.lon) > 180:
            shifted.setdefault(end.id, drawn)
    return shifted
