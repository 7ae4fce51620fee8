"""
The route finder: best paths between two nodes over the open network of a scenario.

Paths are searched on a weighted graph (networkx's k-shortest simple paths), then every
candidate is evaluated with the same metrics as the corridors, so a found route and a catalogue
corridor are measured the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice, pairwise
from typing import Literal

import networkx as nx

from geo.catalogue import Catalogue, Leg
from geo.errors import RouteError
from geo.metrics import CorridorMetrics, evaluate_steps, leg_cost_usd, leg_moving_days
from geo.paths import Step
from geo.scenarios import ActiveScenario

Objective = Literal["cost", "time", "exposure", "distance"]
OBJECTIVES: tuple[Objective, ...] = ("cost", "time", "exposure", "distance")
CANDIDATES = 12
"""Simple paths examined before ranking by the full metrics; enough for this network's size."""


@dataclass(frozen=True)
class Route:
    steps: list[Step]
    metrics: CorridorMetrics

    def objective(self, objective: Objective) -> float:
        return _objective_value(self.metrics, objective)


def _objective_value(metrics: CorridorMetrics, objective: Objective) -> float:
    return {
        "cost": metrics.cost_usd_per_feu,
        "time": metrics.transit_days,
        "exposure": metrics.exposure.score,
        "distance": metrics.distance_km,
    }[objective]


def _edge_weight(
    catalogue: Catalogue, step: Step, active: ActiveScenario, objective: Objective
) -> float:
    """A per-leg stand-in for the objective, including the stop at the leg's far end."""
    end = catalogue.node(step.end)
    if objective == "cost":
        handling = end.handling_usd_per_feu.value if end.handling_usd_per_feu else 0.0
        return leg_cost_usd(catalogue, step, active) + handling * active.node_cost_factor(end)
    if objective == "time":
        dwell = end.dwell_hours.value / 24 if end.dwell_hours else 0.0
        return leg_moving_days(catalogue, step, active) + dwell * active.dwell_factor(end)
    if objective == "exposure":
        country = catalogue.country(catalogue.node(step.start).country)
        risk = 1 - country.stability_percentile.value / 100
        risk += 1.0 if country.sanctions else 0.0
        risk += 1.0 if country.gatekeeper else 0.0
        return step.leg.distance_km.value * (0.05 + risk) + (
            500.0 if end.country != country.code else 0.0
        )
    return step.leg.distance_km.value


def open_network(
    catalogue: Catalogue, active: ActiveScenario, objective: Objective
) -> nx.DiGraph[str]:
    """Directed graph of open legs, both ways, keeping the lightest leg between two nodes."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    for leg in catalogue.legs:
        if active.closure(leg.id) is not None:
            continue
        for start, end in ((leg.from_, leg.to), (leg.to, leg.from_)):
            step = Step(leg, start, end)
            weight = _edge_weight(catalogue, step, active, objective)
            if not graph.has_edge(start, end) or weight < graph[start][end]["weight"]:
                graph.add_edge(start, end, weight=weight, leg=leg)
    return graph


def find_routes(
    catalogue: Catalogue,
    active: ActiveScenario,
    origin: str,
    destination: str,
    *,
    optimise: Objective = "cost",
    alternatives: int = 3,
) -> list[Route]:
    """
    Best routes from `origin` to `destination` under a scenario, best first.

    Returns an empty list rather than raising when no open route exists, because scenarios
    routinely cut the network and "no route" is an answer analysts need to see.

    Raises
    ------
    RouteError
        When a node id or the objective is unknown.
    """
    known = {node.id for node in catalogue.nodes}
    for node_id in (origin, destination):
        if node_id not in known:
            raise RouteError(f"unknown node '{node_id}'")
    if optimise not in OBJECTIVES:
        raise RouteError(f"`optimise` was {optimise!r} but is expected to be in {OBJECTIVES}")
    if origin == destination:
        raise RouteError("origin and destination are the same node")
    graph = open_network(catalogue, active, optimise)
    return _best_routes(
        catalogue,
        active,
        graph,
        origin=origin,
        destination=destination,
        optimise=optimise,
        alternatives=alternatives,
    )


def _best_routes(
    catalogue: Catalogue,
    active: ActiveScenario,
    graph: nx.DiGraph[str],
    *,
    origin: str,
    destination: str,
    optimise: Objective,
    alternatives: int,
) -> list[Route]:
    """The lightest `CANDIDATES` paths, evaluated exactly, best `alternatives` first."""
    if origin not in graph or destination not in graph:
        return []
    routes = [
        _route(catalogue, active, path, graph)
        for path in islice(_simple_paths(graph, origin, destination), CANDIDATES)
    ]
    routes.sort(key=lambda r: r.objective(optimise))
    return routes[:alternatives]


def _simple_paths(graph: nx.DiGraph[str], origin: str, destination: str) -> Iterator[list[str]]:
    try:
        yield from nx.shortest_simple_paths(graph, origin, destination, weight="weight")
    except nx.NetworkXNoPath:
        return


def _route(
    catalogue: Catalogue, active: ActiveScenario, path: list[str], graph: nx.DiGraph[str]
) -> Route:
    steps = []
    for start, end in pairwise(path):
        leg: Leg = graph[start][end]["leg"]
        steps.append(Step(leg, start, end))
    return Route(steps, evaluate_steps(catalogue, steps, active))


def detours(
    catalogue: Catalogue,
    active: ActiveScenario,
    results: list[CorridorMetrics],
    *,
    optimise: Objective = "cost",
) -> dict[str, Route | None]:
    """
    For each impassable corridor, the best open route between its two ends (None: none). The
    open network is built once for all of them: at 100x, building it per corridor took 50 s.
    """
    blocked = [result for result in results if not result.passable]
    if not blocked:
        return {}
    graph = open_network(catalogue, active, optimise)
    found: dict[str, Route | None] = {}
    for result in blocked:
        routes = _best_routes(
            catalogue,
            active,
            graph,
            origin=result.origin,
            destination=result.destination,
            optimise=optimise,
            alternatives=1,
        )
        found[result.corridor_id] = routes[0] if routes else None
    return found
