"""
Corridor metrics under a scenario: distance, days, cost, hops and political exposure.

Each metric is its own small function of the steps travelled, so the dashboard, the command line
and the tests ask the same question the same way. `docs/catalogue.md` states the formulas.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from geo.catalogue import Catalogue, Corridor, Mode, Node
from geo.paths import Step, corridor_nodes, orient
from geo.scenarios import ActiveScenario, Closure

AT_SEA = "at_sea"
"""Key for km and days on sea or ferry legs between two countries: no single jurisdiction."""


@dataclass(frozen=True)
class LegMetrics:
    step: Step
    distance_km: float
    moving_days: float
    cost_usd: float
    closure: Closure | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class NodeStop:
    """An intermediate node and what stopping there costs."""

    node: Node
    dwell_days: float
    handling_usd: float
    gauge_break: bool
    transshipment: bool


@dataclass(frozen=True)
class Exposure:
    score: float
    components: dict[str, float]
    jurisdictions: list[str]
    km_share: dict[str, float]
    day_share: dict[str, float]
    at_sea_share: float
    sanctions_km: float
    gatekeeper_share: dict[str, float]


@dataclass(frozen=True)
class Blocker:
    leg_id: str
    reason: str
    kind: str
    target: str
    detail: str


@dataclass(frozen=True)
class CorridorMetrics:
    corridor_id: str
    scenario_id: str
    origin: str
    destination: str
    passable: bool
    blockers: list[Blocker]
    distance_km: float
    distance_by_mode: dict[str, float]
    moving_days: float
    dwell_days: float
    transit_days: float
    cost_usd_per_feu: float
    border_crossings: int
    transshipments: int
    gauge_breaks: int
    exposure: Exposure
    legs: list[LegMetrics] = field(repr=False)
    stops: list[NodeStop] = field(repr=False)

    @property
    def hops(self) -> int:
        return self.border_crossings + self.transshipments + self.gauge_breaks


def leg_country(catalogue: Catalogue, step: Step) -> str:
    """The country a leg's factors follow: where the leg starts in travel order."""
    return catalogue.node(step.start).country


def leg_moving_days(catalogue: Catalogue, step: Step, active: ActiveScenario) -> float:
    leg = step.leg
    base = leg.speed_km_per_day or catalogue.parameters.modes[leg.mode].speed_km_per_day
    speed = base.value * active.speed_factor(leg, leg_country(catalogue, step))
    return leg.distance_km.value / speed


def leg_cost_usd(catalogue: Catalogue, step: Step, active: ActiveScenario) -> float:
    leg = step.leg
    if leg.cost_usd_per_feu is not None:
        base = leg.cost_usd_per_feu.value
    else:
        base = (
            leg.distance_km.value * catalogue.parameters.modes[leg.mode].cost_usd_per_feu_km.value
        )
    if crosses_border(catalogue, step):
        base += catalogue.parameters.border_crossing_cost_usd_per_feu.value
    return base * active.leg_cost_factor(leg, leg_country(catalogue, step))


def crosses_border(catalogue: Catalogue, step: Step) -> bool:
    return catalogue.node(step.start).country != catalogue.node(step.end).country


def border_crossings(catalogue: Catalogue, steps: list[Step]) -> int:
    """Legs whose two nodes lie in different countries, by land or by sea."""
    return sum(crosses_border(catalogue, step) for step in steps)


def transshipments(steps: list[Step]) -> int:
    """Intermediate nodes where the mode changes (rail to ship, ship to rail, …)."""
    return sum(a.leg.mode is not b.leg.mode for a, b in itertools.pairwise(steps))


def is_gauge_break(before: Step, after: Step) -> bool:
    rail = before.leg.mode is Mode.RAIL and after.leg.mode is Mode.RAIL
    return rail and before.leg.gauge_mm != after.leg.gauge_mm


def gauge_breaks(steps: list[Step]) -> int:
    """Intermediate nodes where consecutive rail legs change gauge (1435 ↔ 1520 mm)."""
    return sum(is_gauge_break(a, b) for a, b in itertools.pairwise(steps))


def distance_km(steps: list[Step]) -> float:
    return sum(step.leg.distance_km.value for step in steps)


def distance_by_mode(steps: list[Step]) -> dict[str, float]:
    by_mode: dict[str, float] = defaultdict(float)
    for step in steps:
        by_mode[step.leg.mode.value] += step.leg.distance_km.value
    return dict(by_mode)


def stops(catalogue: Catalogue, steps: list[Step], active: ActiveScenario) -> list[NodeStop]:
    """The intermediate nodes, with their dwell and handling under the scenario."""
    result = []
    for before, after in itertools.pairwise(steps):
        node = catalogue.node(before.end)
        dwell = node.dwell_hours.value / 24 if node.dwell_hours else 0.0
        handling = node.handling_usd_per_feu.value if node.handling_usd_per_feu else 0.0
        result.append(
            NodeStop(
                node=node,
                dwell_days=dwell * active.dwell_factor(node),
                handling_usd=handling * active.node_cost_factor(node),
                gauge_break=is_gauge_break(before, after),
                transshipment=before.leg.mode is not after.leg.mode,
            )
        )
    return result


def transit_days(legs: list[LegMetrics], node_stops: list[NodeStop]) -> float:
    """Moving time on every leg plus dwell at every intermediate node."""
    return sum(leg.moving_days for leg in legs) + sum(stop.dwell_days for stop in node_stops)


def cost_usd_per_feu(legs: list[LegMetrics], node_stops: list[NodeStop]) -> float:
    return sum(leg.cost_usd for leg in legs) + sum(stop.handling_usd for stop in node_stops)


def _share_out(catalogue: Catalogue, step: Step, amount: float, into: dict[str, float]) -> None:
    """Give a leg's km (or days) to its country, half to each across a land border, or to sea."""
    start, end = catalogue.node(step.start).country, catalogue.node(step.end).country
    if start == end:
        into[start] += amount
    elif step.leg.mode in (Mode.SEA, Mode.FERRY):
        into[AT_SEA] += amount
    else:
        into[start] += amount / 2
        into[end] += amount / 2


def exposure(
    catalogue: Catalogue,
    steps: list[Step],
    legs: list[LegMetrics],
    node_stops: list[NodeStop],
    *,
    weights: dict[str, float] | None = None,
) -> Exposure:
    """
    Political exposure, decomposed: where the route runs, under whom, and a 0–100 composite.

    `weights` overrides the catalogue's exposure weights (the dashboard lets analysts try others).
    """
    model = catalogue.parameters.exposure
    weights = weights or model.weights.model_dump()
    km: dict[str, float] = defaultdict(float)
    days: dict[str, float] = defaultdict(float)
    for step, leg in zip(steps, legs, strict=True):
        _share_out(catalogue, step, leg.distance_km, km)
        _share_out(catalogue, step, leg.moving_days, days)
    for stop in node_stops:
        days[stop.node.country] += stop.dwell_days
    total_km = sum(km.values()) or 1.0
    total_days = sum(days.values()) or 1.0
    countries = {c: catalogue.country(c) for c in km if c != AT_SEA}
    km_share = {c: km[c] / total_km for c in countries}
    sanctions_km = sum(km[c] for c, country in countries.items() if country.sanctions)
    gatekeeper_share = {c: km_share[c] for c, country in countries.items() if country.gatekeeper}
    components = {
        "instability": sum(
            share * (1 - countries[c].stability_percentile.value / 100)
            for c, share in km_share.items()
        ),
        "sanctions": sanctions_km / total_km,
        "gatekeepers": sum(gatekeeper_share.values()),
        "borders": min(border_crossings(catalogue, steps) / model.border_crossings_cap, 1.0),
    }
    total_weight = sum(weights.values()) or 1.0
    score = 100 * sum(weights[k] * components[k] for k in components) / total_weight
    jurisdictions: list[str] = []
    for node_id in corridor_nodes(steps):
        code = catalogue.node(node_id).country
        if code not in jurisdictions:
            jurisdictions.append(code)
    return Exposure(
        score=score,
        components=components,
        jurisdictions=jurisdictions,
        km_share=km_share,
        day_share={c: d / total_days for c, d in days.items() if c != AT_SEA},
        at_sea_share=km.get(AT_SEA, 0.0) / total_km,
        sanctions_km=sanctions_km,
        gatekeeper_share=gatekeeper_share,
    )


def blockers(legs: list[LegMetrics]) -> list[Blocker]:
    return [
        Blocker(
            leg.step.leg.id,
            leg.closure.reason,
            leg.closure.kind,
            leg.closure.target,
            leg.closure.detail,
        )
        for leg in legs
        if leg.closure is not None
    ]


def evaluate_steps(
    catalogue: Catalogue,
    steps: list[Step],
    active: ActiveScenario,
    *,
    corridor_id: str = "",
    weights: dict[str, float] | None = None,
) -> CorridorMetrics:
    """Every metric for a path of steps (a corridor, a stretch of one, or a found route)."""
    legs = [
        LegMetrics(
            step=step,
            distance_km=step.leg.distance_km.value,
            moving_days=leg_moving_days(catalogue, step, active),
            cost_usd=leg_cost_usd(catalogue, step, active),
            closure=active.closure(step.leg.id),
            sources=tuple(step.leg.distance_km.sources),
        )
        for step in steps
    ]
    node_stops = stops(catalogue, steps, active)
    blocked = blockers(legs)
    moving = sum(leg.moving_days for leg in legs)
    dwell = sum(stop.dwell_days for stop in node_stops)
    return CorridorMetrics(
        corridor_id=corridor_id,
        scenario_id=active.id,
        origin=steps[0].start,
        destination=steps[-1].end,
        passable=not blocked,
        blockers=blocked,
        distance_km=distance_km(steps),
        distance_by_mode=distance_by_mode(steps),
        moving_days=moving,
        dwell_days=dwell,
        transit_days=transit_days(legs, node_stops),
        cost_usd_per_feu=cost_usd_per_feu(legs, node_stops),
        border_crossings=border_crossings(catalogue, steps),
        transshipments=transshipments(steps),
        gauge_breaks=gauge_breaks(steps),
        exposure=exposure(catalogue, steps, legs, node_stops, weights=weights),
        legs=legs,
        stops=node_stops,
    )


def evaluate_corridor(
    catalogue: Catalogue,
    corridor: Corridor | str,
    active: ActiveScenario,
    *,
    weights: dict[str, float] | None = None,
) -> CorridorMetrics:
    if isinstance(corridor, str):
        corridor = catalogue.corridor(corridor)
    steps = orient(catalogue, active.corridor_legs(corridor))
    return evaluate_steps(catalogue, steps, active, corridor_id=corridor.id, weights=weights)


def evaluate_all(
    catalogue: Catalogue, active: ActiveScenario, *, weights: dict[str, float] | None = None
) -> list[CorridorMetrics]:
    return [evaluate_corridor(catalogue, c, active, weights=weights) for c in catalogue.corridors]


def stretch(steps: list[Step], origin: str, destination: str) -> list[Step]:
    """The steps from `origin` to `destination` along a path (both must lie on it, in order)."""
    nodes = corridor_nodes(steps)
    return steps[nodes.index(origin) : nodes.index(destination)]
