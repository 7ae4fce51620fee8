"""
The analyst's question, "from where, to where, carrying what, avoiding whom": which catalogued
corridors serve an origin and a market, trimmed to the stretch between them, and which routes the
route finder offers besides, each meaningfully different.

`trip_catalogue` answers with a catalogue of its own, whose corridors are exactly those, so the
map, cards, comparison, charts and exports draw a trip as they draw the full catalogue: nothing
downstream needs to know a trip was asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from geo.catalogue import Benchmark, Catalogue, Corridor, Place, Status
from geo.i18n import localized
from geo.paths import corridor_nodes, orient
from geo.routing import Objective, Route, distinct, find_routes, overlaps
from geo.scenarios import PORTS_RULE, ActiveScenario
from geo.summary import leg_record

FOUND_PREFIX = "found-"
"""Ids of the route finder's options in a trip catalogue: `found-1`, `found-2`, …"""


@dataclass(frozen=True)
class Trip:
    """
    An origin and a market (place ids, or node ids standing for themselves), the cargo (None:
    containers) and countries avoided.
    """

    origin: str
    market: str
    commodity: str | None = None
    avoid: tuple[str, ...] = ()
    found: int = 3
    """How many of the route finder's distinct options to add beside the corridors."""


@dataclass(frozen=True)
class TripAnswer:
    """A trip's catalogue (its corridors only) and the plain facts about how it was made."""

    catalogue: Catalogue
    corridors: list[str]
    """Catalogued corridors serving the trip, trimmed to it, in catalogue order."""
    found: list[str]
    """Ids of the route finder's options kept (`found-1`, …), best first."""
    avoided: list[str] = field(default_factory=list)
    """Catalogued corridors that cross an avoided country: kept, so the analyst sees what is
    avoided, and shut where the scenario closes that country (the dashboard's avoid control)."""


def place_of(catalogue: Catalogue, place_id: str, role: Literal["origin", "market"]) -> Place:
    """A place of the catalogue, or a node standing for itself (`--from almaty`)."""
    if place_id in {place.id for place in catalogue.places}:
        return catalogue.place(place_id)
    node = catalogue.node(place_id)
    return Place(id=node.id, role=role, name=node.name, name_zh=node.name_zh, nodes=[node.id])


def trip_places(catalogue: Catalogue, trip: Trip) -> tuple[Place, Place]:
    return place_of(catalogue, trip.origin, "origin"), place_of(catalogue, trip.market, "market")


def trimmed_legs(
    catalogue: Catalogue, legs: Sequence[str], origin: Place, market: Place
) -> list[str] | None:
    """
    The run of `legs` from the origin's first node on the path to the market's first node after
    it (each place's nodes tried in its order); None when the path does not serve both.
    """
    nodes = path_nodes(catalogue, legs)
    start = next((nodes.index(n) for n in origin.nodes if n in nodes), None)
    if start is None:
        return None
    end = next((nodes.index(n) for n in market.nodes if n in nodes[start + 1 :]), None)
    if end is None:
        return None
    return list(legs[start:end])


def path_nodes(catalogue: Catalogue, legs: Sequence[str]) -> list[str]:
    """The node ids a run of legs visits, in travel order."""
    return corridor_nodes(orient(catalogue, list(legs)))


def countries_on(catalogue: Catalogue, legs: Sequence[str]) -> list[str]:
    """Every country a run of legs touches, in travel order, each once."""
    return list(dict.fromkeys(catalogue.node(n).country for n in path_nodes(catalogue, legs)))


def trip_catalogue(
    catalogue: Catalogue,
    active: ActiveScenario,
    trip: Trip,
    *,
    colours: Sequence[str],
    found_name: str = "Route finder option {rank}: via {via}",
    optimise: Objective = "cost",
    lang: str = "en",
) -> TripAnswer:
    """
    The trip's catalogue: the catalogued corridors between its origin and market (under the
    scenario's paths, trimmed to the stretch between them; those crossing an avoided country
    too, listed in `avoided`),
    then the route finder's best options that no corridor already follows, as corridors named
    by `found_name` and coloured from `colours` (the views' palette: the engine picks none).
    """
    origin, market = (
        place_of(catalogue, trip.origin, "origin"),
        place_of(catalogue, trip.market, "market"),
    )
    kept: list[Corridor] = []
    paths: list[set[str]] = []
    avoided: list[str] = []
    for corridor in catalogue.corridors:
        travelled = trimmed_legs(catalogue, active.corridor_legs(corridor), origin, market)
        if travelled is None:
            continue
        if set(countries_on(catalogue, travelled)) & set(trip.avoid):
            avoided.append(corridor.id)  # kept beside the others: closed by the scenario
        # Its own legs, trimmed, so the scenario's change of path still applies to the copy.
        legs = trimmed_legs(catalogue, corridor.legs, origin, market) or travelled
        kept.append(corridor.model_copy(update={"legs": legs}))
        paths.append(set(travelled))
    found = _found_corridors(
        catalogue,
        active,
        trip,
        paths,
        colours=colours,
        found_name=found_name,
        optimise=optimise,
        lang=lang,
    )
    corridors = [*kept, *found]
    on_trip = {c.id: c for c in corridors}
    benchmarks = [b for b in catalogue.benchmarks if _benchmark_fits(catalogue, b, on_trip)]
    answer = catalogue.with_corridors(corridors, benchmarks)
    return TripAnswer(answer, [c.id for c in kept], [c.id for c in found], avoided)


def _found_corridors(
    catalogue: Catalogue,
    active: ActiveScenario,
    trip: Trip,
    known: list[set[str]],
    *,
    colours: Sequence[str],
    found_name: str,
    optimise: Objective,
    lang: str,
) -> list[Corridor]:
    """
    The route finder's options that follow no kept corridor, as corridors of the trip: the best
    by `optimise` first, then the least exposed (a trip often asks to avoid someone: the safest
    route is an answer even when it is dear), then the next best by `optimise`.
    """
    if trip.found <= 0:
        return []
    origin, market = (
        place_of(catalogue, trip.origin, "origin"),
        place_of(catalogue, trip.market, "market"),
    )
    ranked: dict[Objective, list[Route]] = {}
    for objective in dict.fromkeys((optimise, "exposure")):
        found = [
            route
            for end in market.nodes
            if end != origin.nodes[0]
            for route in find_routes(
                catalogue,
                active,
                origin.nodes[0],
                end,
                optimise=objective,
                alternatives=trip.found + len(known),
                avoid=trip.avoid,
            )
        ]
        ranked[objective] = sorted(found, key=partial(Route.objective, objective=objective))
    order = ranked[optimise][:1] + ranked.get("exposure", [])[:1] + ranked[optimise][1:]
    routes: list[Route] = []
    catalogued = [{leg: catalogue.leg(leg).distance_km.value for leg in path} for path in known]
    for route in order:
        own = {step.leg.id: step.leg.distance_km.value for step in route.steps}
        if all(distinct(route, better) for better in routes) and all(
            not overlaps(own, path) for path in catalogued
        ):
            routes.append(route)
    return [
        _as_corridor(catalogue, route, rank, colours, found_name, lang)
        for rank, route in enumerate(routes[: trip.found], start=1)
    ]


def _as_corridor(  # noqa: PLR0917 (one call site, all positional)
    catalogue: Catalogue,
    route: Route,
    rank: int,
    colours: Sequence[str],
    found_name: str,
    lang: str,
) -> Corridor:
    """A found route written as a corridor of the trip, named by the places it passes."""
    via = _via(catalogue, route, lang)
    name = found_name.format(rank=rank, via=via)
    first, last = catalogue.node(route.steps[0].start), catalogue.node(route.steps[-1].end)
    planned = any(step.leg.status is not Status.OPERATIONAL for step in route.steps)
    return Corridor(
        id=f"{FOUND_PREFIX}{rank}",
        name=name,
        name_zh=name,
        description=f"Found by the route finder from {first.name} to {last.name} via {via}.",
        status=Status.PLANNED if planned else Status.OPERATIONAL,
        direction=f"{first.name} to {last.name}",
        legs=[step.leg.id for step in route.steps],
        color=colours[(rank - 1) % len(colours)],
    )


def _via(catalogue: Catalogue, route: Route, lang: str, most: int = 3) -> str:
    """The route's most telling stops: transfer points first (ports, borders), short names."""
    inner = [catalogue.node(step.end) for step in route.steps[:-1]]
    kinds = ("seaport", "ferry_terminal", "border_crossing", "canal")
    telling = [n for n in inner if n.kind.value in kinds] or inner
    if len(telling) > most:  # the first, the middle and the last tell the path apart
        telling = [telling[0], telling[len(telling) // 2], telling[-1]]
    chosen = telling or [catalogue.node(route.steps[-1].end)]
    return ", ".join(dict.fromkeys(_short(localized(n, lang)) for n in chosen))


def _short(name: str) -> str:
    """A place's name without its parenthesis or second half: 'Alat (Port of Baku)' → 'Alat'."""
    for mark in (" (", "（", " / ", "／", ", "):
        name = name.split(mark, maxsplit=1)[0]
    return name.strip()


def _benchmark_fits(
    catalogue: Catalogue, benchmark: Benchmark, corridors: dict[str, Corridor]
) -> bool:
    """A benchmark stays when its corridor is in the trip and both its ends lie on it in order."""
    corridor = corridors.get(benchmark.corridor)
    if corridor is None:
        return False
    nodes = path_nodes(catalogue, corridor.legs)
    start, end = benchmark.from_, benchmark.to
    return start in nodes and end in nodes and nodes.index(start) < nodes.index(end)


@dataclass(frozen=True)
class Exclusion:
    """What a commodity's rule takes out of the network, and why (English, for the CLI)."""

    commodity: str
    rule: str
    """The restriction's index, or `ports` for the ports not known to accept the cargo."""
    targets: list[str]
    """The node, leg or country ids it closes legs at."""
    legs: int
    """How many legs it closes."""
    reason: str


def commodity_exclusions(catalogue: Catalogue, active: ActiveScenario) -> list[Exclusion]:
    """Each rule of the active commodity that closes legs, with what it closes at and why."""
    if active.commodity is None:
        return []
    commodity = catalogue.commodity(active.commodity)
    closed: dict[str, list[str]] = {}
    for closure in active.closed_legs.values():
        if closure.kind == "commodity":
            closed.setdefault(closure.detail, []).append(closure.target)
    found = []
    for detail, targets in closed.items():
        rule = detail.partition(":")[2]
        if rule == PORTS_RULE:
            reason = "no record that these ports take it; ports that do: " + ", ".join(
                commodity.accepting_ports or []
            )
        else:
            reason = commodity.restrictions[int(rule)].reason
        unique = list(dict.fromkeys(targets))
        found.append(Exclusion(commodity.id, rule, unique, len(targets), reason))
    return found


def route_records(
    catalogue: Catalogue,
    active: ActiveScenario,
    routes: list[Route],
    *,
    avoid: Sequence[str] = (),
    exclusions: Sequence[Exclusion] = (),
) -> dict[str, Any]:
    """The route finder's answer as data (`python -m geo route --format json`)."""
    return {
        "scenario": active.id,
        "commodity": active.commodity,
        "avoid": list(avoid),
        "excluded": [
            {
                "targets": e.targets,
                "legs_closed": e.legs,
                "reason": e.reason,
            }
            for e in exclusions
        ],
        "routes": [_route_record(catalogue, rank, route) for rank, route in enumerate(routes, 1)],
    }


def _route_record(catalogue: Catalogue, rank: int, route: Route) -> dict[str, Any]:
    m = route.metrics
    legs = [step.leg.id for step in route.steps]
    return {
        "rank": rank,
        "nodes": path_nodes(catalogue, legs),
        "countries": countries_on(catalogue, legs),
        "distance_km": round(m.distance_km),
        "transit_days": round(m.transit_days, 1),
        "transit_days_range": m.transit_days_range.rounded(1),
        "cost_usd_per_feu": round(m.cost_usd_per_feu),
        "cost_usd_per_feu_range": {k: round(v) for k, v in m.cost_range.as_dict().items()},
        "cost_breakdown": {k: round(v) for k, v in m.cost_breakdown.items()},
        "exposure": round(m.exposure.score, 1),
        "border_crossings": m.border_crossings,
        "transshipments": m.transshipments,
        "gauge_breaks": m.gauge_breaks,
        "legs": [leg_record(catalogue, leg) for leg in m.legs],
    }
