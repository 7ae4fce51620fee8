"""
The route finder: best paths between two nodes over the open network of a scenario.

Paths are searched on a weighted graph (networkx's k-shortest simple paths), then every
candidate is evaluated with the same metrics as the corridors, so a found route and a catalogue
corridor are measured the same way.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import combinations, islice, pairwise
from typing import Literal

import networkx as nx

from geo import settings
from geo.catalogue import Catalogue, Leg
from geo.errors import RouteError
from geo.metrics import CorridorMetrics, evaluate_steps, leg_cost_usd, leg_moving_days
from geo.paths import Step
from geo.scenarios import ActiveScenario

Objective = Literal["cost", "time", "exposure", "distance"]
OBJECTIVES: tuple[Objective, ...] = ("cost", "time", "exposure", "distance")
PENALTY = 4.0
"""How much heavier a found route's legs become before the next search: enough to push the
next path onto other lines where one exists, not so much that a shared trunk is never reused."""


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
    catalogue: Catalogue,
    active: ActiveScenario,
    objective: Objective,
    avoid: Collection[str] = (),
) -> nx.DiGraph[str]:
    """
    Directed graph of open legs, both ways, keeping the lightest leg between two nodes; legs
    touching a country in `avoid` are left out.
    """
    graph: nx.DiGraph[str] = nx.DiGraph()
    for leg in catalogue.legs:
        if active.closure(leg.id) is not None:
            continue
        if avoid and {catalogue.node(n).country for n in (leg.from_, leg.to)} & set(avoid):
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
    avoid: Collection[str] = (),
) -> list[Route]:
    """
    Best routes from `origin` to `destination` under a scenario, best first, avoiding the
    countries in `avoid`; alternatives differ meaningfully (`distinct`).

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
    graph = open_network(catalogue, active, optimise, avoid)
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
    """
    Candidate paths (k-shortest, and after penalising found legs), evaluated exactly, then
    the best `alternatives` that are `distinct` from every better one.
    """
    if origin not in graph or destination not in graph:
        return []
    count = settings.get().route_candidates

    def forward(paths: Iterator[list[str]]) -> list[list[str]]:
        """The first `count` paths that do not run back, of at most `count` × 10 looked at."""
        kept = (p for p in islice(paths, count * 10) if not runs_back(catalogue, p, graph))
        return list(islice(kept, count))

    paths = forward(_simple_paths(graph, origin, destination))
    if alternatives > 1:
        more = forward(_penalised_paths(graph, origin, destination, count * 10))
        paths += [p for p in more if p not in paths]
    routes = sorted(
        (_route(catalogue, active, path, graph) for path in paths),
        key=lambda r: r.objective(optimise),
    )
    chosen: list[Route] = []
    for route in routes:
        if all(distinct(route, better) for better in chosen):
            chosen.append(route)
        if len(chosen) == alternatives:
            break
    return chosen


def distinct(route: Route, better: Route) -> bool:
    """
    Whether `route` differs meaningfully from `better`: the kilometres they share are at most
    `route_overlap_percent` of the shorter one (else it is the same route with a detour).
    """
    own = {step.leg.id: step.leg.distance_km.value for step in route.steps}
    other = {step.leg.id: step.leg.distance_km.value for step in better.steps}
    return not overlaps(own, other)


def overlaps(one: dict[str, float], other: dict[str, float]) -> bool:
    """Whether two paths (leg id → km) share more than `route_overlap_percent` of the shorter."""
    shared = sum(km for leg_id, km in one.items() if leg_id in other)
    shorter = min(sum(one.values()), sum(other.values()))
    return shared > shorter * settings.get().route_overlap_percent / 100


def runs_back(catalogue: Catalogue, path: list[str], graph: nx.DiGraph[str]) -> bool:
    """
    Whether a path runs back the way it came, either way:

    - it comes back towards its origin, after its farthest point, by more than
      `route_backtrack_percent` of that distance and `route_backtrack_km` (west to Rotterdam,
      then by sea to Shanghai, on the way from Almaty to Japan);
    - it turns round: between two of its nodes it goes out and back, each way more than
      `route_turn_ratio` times as far as the two nodes are apart (Shanghai by sea to Suez and
      back to Yokohama). A long sea detour round a cape does not turn round, and is kept.
    """
    limits = settings.get()
    points = [(catalogue.node(n).lat, catalogue.node(n).lon) for n in path]
    farthest = 0.0
    for point in points[1:]:
        away = _haversine_km(points[0], point)
        farthest = max(farthest, away)
        allowed = max(limits.route_backtrack_km, farthest * limits.route_backtrack_percent / 100)
        if farthest - away > allowed:
            return True
    along = [0.0]
    for a, b in pairwise(path):
        along.append(along[-1] + graph[a][b]["leg"].distance_km.value)
    for i, j in combinations(range(len(path)), 2):
        apart = _haversine_km(points[i], points[j])
        out_and_back = min(
            (min(along[k] - along[i], along[j] - along[k]) for k in range(i + 1, j)), default=0.0
        )
        if out_and_back > limits.route_turn_ratio * apart + limits.route_backtrack_km:
            return True
    return False


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle km between two (lat, lon) points: enough to tell a path turning round."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _penalised_paths(
    graph: nx.DiGraph[str], origin: str, destination: str, count: int
) -> Iterator[list[str]]:
    """Shortest paths, each found after making the previous ones' legs `PENALTY` times heavier."""
    weights = {(a, b): float(data["weight"]) for a, b, data in graph.edges(data=True)}
    for _ in range(count):
        try:
            path = nx.shortest_path(
                graph, origin, destination, weight=lambda a, b, _d: weights[(a, b)]
            )
        except nx.NetworkXNoPath:
            return
        yield path
        for a, b in pairwise(path):
            for edge in ((a, b), (b, a)):
                if edge in weights:
                    weights[edge] *= PENALTY


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
