"""
Corridor metrics under a scenario: distance, days, cost, hops and political exposure.

Each metric is its own small function of the steps travelled, so the dashboard, the command line
and the tests ask the same question the same way. Every total has a typical value (the formulas
at the figures' values) and a range (Monte Carlo over their low/high, `geo.ranges`), and a cost
says what it is made of. `docs/model.md` states the formulas, the range method and the border rule.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from geo.catalogue import Catalogue, Corridor, Mode, Node
from geo.charges import (
    COMPONENTS,
    LegPlan,
    leg_cost_usd,
    leg_country,
    leg_moving_days,
    leg_plan,
    plan_cost_breakdown,
    plan_draws,
    plan_moving_days,
    stop_draws,
)
from geo.paths import Step, corridor_nodes, orient
from geo.ranges import Range, Sampler, Samples, spreads
from geo.scenarios import ActiveScenario, Closure

__all__ = ["leg_cost_usd", "leg_country", "leg_moving_days"]  # used by routing from here

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
    moving_days_range: Range
    cost_range: Range
    cost_breakdown: dict[str, float]


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
    chokepoints: dict[str, float] = field(default_factory=dict)
    """Named chokepoints passed, in route order, with the weight each adds."""


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
    transit_days_range: Range
    cost_range: Range
    cost_breakdown: dict[str, float]
    legs: list[LegMetrics] = field(repr=False)
    stops: list[NodeStop] = field(repr=False)

    @property
    def hops(self) -> int:
        return self.border_crossings + self.transshipments + self.gauge_breaks


def crosses_border(catalogue: Catalogue, step: Step) -> bool:
    """The leg's two nodes lie in different countries (a hop, whether or not customs clear)."""
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


def _share_out(step: Step, ends: tuple[str, str], amount: float, into: dict[str, float]) -> None:
    """Give a leg's km (or days) to its country, half to each across a land border, or to sea."""
    start, end = ends
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

    `weights` overrides the catalogue's exposure weights (the dashboard lets analysts try others);
    a component it leaves out (a link made before the component existed) weighs nothing.
    """
    model = catalogue.parameters.exposure
    weights = weights or model.weights.model_dump()
    km: dict[str, float] = defaultdict(float)
    days: dict[str, float] = defaultdict(float)
    crossings = 0
    for step, leg in zip(steps, legs, strict=True):
        ends = (catalogue.node(step.start).country, catalogue.node(step.end).country)
        crossings += ends[0] != ends[1]  # as `border_crossings`, without looking nodes up again
        _share_out(step, ends, leg.distance_km, km)
        _share_out(step, ends, leg.moving_days, days)
    for stop in node_stops:
        days[stop.node.country] += stop.dwell_days
    total_km = sum(km.values()) or 1.0
    total_days = sum(days.values()) or 1.0
    countries = {c: catalogue.country(c) for c in km if c != AT_SEA}
    km_share = {c: km[c] / total_km for c in countries}
    sanctions_km = sum(km[c] for c, country in countries.items() if country.sanctions)
    gatekeeper_share = {c: km_share[c] for c, country in countries.items() if country.gatekeeper}
    jurisdictions: list[str] = []
    chokepoints: dict[str, float] = {}
    for node_id in corridor_nodes(steps):
        node = catalogue.node(node_id)
        jurisdictions += [node.country] if node.country not in jurisdictions else []
        chokepoints.update((c.name, c.weight) for c in node.chokepoints)
    components = {
        "instability": sum(
            share * (1 - countries[c].stability_percentile.value / 100)
            for c, share in km_share.items()
        ),
        "sanctions": sanctions_km / total_km,
        "gatekeepers": sum(gatekeeper_share.values()),
        "borders": min(crossings / model.border_crossings_cap, 1.0),
        "chokepoints": min(sum(chokepoints.values()), 1.0),
    }
    total_weight = sum(weights.get(k, 0.0) for k in components) or 1.0
    score = 100 * sum(weights.get(k, 0.0) * components[k] for k in components) / total_weight
    return Exposure(
        score=score,
        components=components,
        jurisdictions=jurisdictions,
        km_share=km_share,
        day_share={c: d / total_days for c, d in days.items() if c != AT_SEA},
        at_sea_share=km.get(AT_SEA, 0.0) / total_km,
        sanctions_km=sanctions_km,
        gatekeeper_share=gatekeeper_share,
        chokepoints=chokepoints,
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


StepKey = tuple[str, str, str]
"""A leg travelled one way: (leg id, start, end). Its metrics are the same in every corridor."""

CHUNK = 64
"""Corridors evaluated together: their ranges come from one sort, and their draws are dropped
before the next chunk, so a 100x catalogue never holds every leg's draws at once."""


def evaluate_paths(
    catalogue: Catalogue,
    paths: Sequence[tuple[str, list[Step]]],
    active: ActiveScenario,
    *,
    weights: dict[str, float] | None = None,
    sampler: Sampler | None = None,
) -> list[CorridorMetrics]:
    """Every metric, with ranges, for paths of steps named by corridor id (may be "")."""
    sampler = sampler or Sampler()
    known: dict[StepKey, LegMetrics] = {}
    results: list[CorridorMetrics] = []
    for start in range(0, len(paths), CHUNK):
        chunk = paths[start : start + CHUNK]
        results += _evaluate_chunk(catalogue, chunk, active, weights, sampler, known)
    return results


def _step_key(step: Step) -> StepKey:
    return (step.leg.id, step.start, step.end)


def _breakdown(parts: list[dict[str, float]]) -> dict[str, float]:
    """Components summed over parts, the non-zero ones in `COMPONENTS` order."""
    total: dict[str, float] = defaultdict(float)
    for part in parts:
        for component, amount in part.items():
            total[component] += amount
    return {c: total[c] for c in COMPONENTS if total.get(c)}


def _leg_metrics(
    plans: list[LegPlan], draws: dict[StepKey, tuple[Samples, Samples]], active: ActiveScenario
) -> list[LegMetrics]:
    """Legs travelled for the first time in this evaluation, their ranges sorted in one go."""
    steps = [plan.step for plan in plans]
    moving = [plan_moving_days(plan) for plan in plans]
    parts = [plan_cost_breakdown(plan) for plan in plans]
    costs = [sum(p.values()) for p in parts]
    samples = [draws[_step_key(s)][0] for s in steps] + [draws[_step_key(s)][1] for s in steps]
    ranges = spreads(samples, moving + costs)
    return [
        LegMetrics(
            step=step,
            distance_km=step.leg.distance_km.value,
            moving_days=moving[i],
            cost_usd=costs[i],
            closure=active.closure(step.leg.id),
            sources=tuple(step.leg.distance_km.sources),
            moving_days_range=ranges[i],
            cost_range=ranges[len(steps) + i],
            cost_breakdown=_breakdown([parts[i]]),
        )
        for i, step in enumerate(steps)
    ]


def _evaluate_chunk(  # noqa: PLR0917 (internal, called once)
    catalogue: Catalogue,
    paths: Sequence[tuple[str, list[Step]]],
    active: ActiveScenario,
    weights: dict[str, float] | None,
    sampler: Sampler,
    known: dict[StepKey, LegMetrics],
) -> list[CorridorMetrics]:
    draws: dict[StepKey, tuple[Samples, Samples]] = {}
    first: list[LegPlan] = []
    for _, steps in paths:
        for step in steps:
            key = _step_key(step)
            if key not in draws:
                plan = leg_plan(catalogue, step, active)
                draws[key] = plan_draws(plan, sampler)
                if key not in known:
                    first.append(plan)
    for leg in _leg_metrics(first, draws, active):
        known[_step_key(leg.step)] = leg
    drafts = []
    days: list[Samples] = []
    costs: list[Samples] = []
    for corridor_id, steps in paths:
        legs = [known[_step_key(step)] for step in steps]
        node_stops = stops(catalogue, steps, active)
        at_stops = [stop_draws(stop.node, active, sampler) for stop in node_stops]
        on_legs = [draws[_step_key(step)] for step in steps]
        days.append(sum((d for d, _ in on_legs), 0.0) + sum((d for d, _ in at_stops), 0.0))
        costs.append(sum((c for _, c in on_legs), 0.0) + sum((h for _, h in at_stops), 0.0))
        drafts.append(_draft(catalogue, corridor_id, steps, legs, node_stops, active, weights))
    typical = [d.transit_days for d in drafts] + [d.cost_usd_per_feu for d in drafts]
    ranges = spreads(days + costs, typical)
    return [
        _with_ranges(draft, ranges[i], ranges[len(drafts) + i]) for i, draft in enumerate(drafts)
    ]


def _draft(  # noqa: PLR0917 (internal, called once)
    catalogue: Catalogue,
    corridor_id: str,
    steps: list[Step],
    legs: list[LegMetrics],
    node_stops: list[NodeStop],
    active: ActiveScenario,
    weights: dict[str, float] | None,
) -> CorridorMetrics:
    """The corridor's metrics at the figures' values; its ranges are filled in afterwards."""
    blocked = blockers(legs)
    handling = {"port_handling": sum(stop.handling_usd for stop in node_stops)}
    breakdown = _breakdown([*(leg.cost_breakdown for leg in legs), handling])
    transit = transit_days(legs, node_stops)
    cost = cost_usd_per_feu(legs, node_stops)
    return CorridorMetrics(
        corridor_id=corridor_id,
        scenario_id=active.id,
        origin=steps[0].start,
        destination=steps[-1].end,
        passable=not blocked,
        blockers=blocked,
        distance_km=distance_km(steps),
        distance_by_mode=distance_by_mode(steps),
        moving_days=sum(leg.moving_days for leg in legs),
        dwell_days=sum(stop.dwell_days for stop in node_stops),
        transit_days=transit,
        cost_usd_per_feu=cost,
        border_crossings=border_crossings(catalogue, steps),
        transshipments=transshipments(steps),
        gauge_breaks=gauge_breaks(steps),
        exposure=exposure(catalogue, steps, legs, node_stops, weights=weights),
        transit_days_range=Range.exact(transit),
        cost_range=Range.exact(cost),
        cost_breakdown=breakdown,
        legs=legs,
        stops=node_stops,
    )


def _with_ranges(draft: CorridorMetrics, days: Range, cost: Range) -> CorridorMetrics:
    return dataclasses.replace(draft, transit_days_range=days, cost_range=cost)


def evaluate_steps(
    catalogue: Catalogue,
    steps: list[Step],
    active: ActiveScenario,
    *,
    corridor_id: str = "",
    weights: dict[str, float] | None = None,
    sampler: Sampler | None = None,
) -> CorridorMetrics:
    """Every metric for a path of steps (a corridor, a stretch of one, or a found route)."""
    paths = [(corridor_id, steps)]
    return evaluate_paths(catalogue, paths, active, weights=weights, sampler=sampler)[0]


def corridor_steps(catalogue: Catalogue, corridor: Corridor, active: ActiveScenario) -> list[Step]:
    """A corridor's steps under a scenario (which may reroute it)."""
    return orient(catalogue, active.corridor_legs(corridor))


def evaluate_corridor(
    catalogue: Catalogue,
    corridor: Corridor | str,
    active: ActiveScenario,
    *,
    weights: dict[str, float] | None = None,
) -> CorridorMetrics:
    if isinstance(corridor, str):
        corridor = catalogue.corridor(corridor)
    steps = corridor_steps(catalogue, corridor, active)
    return evaluate_steps(catalogue, steps, active, corridor_id=corridor.id, weights=weights)


def evaluate_all(
    catalogue: Catalogue, active: ActiveScenario, *, weights: dict[str, float] | None = None
) -> list[CorridorMetrics]:
    """Every corridor under a scenario; legs shared by corridors are worked out once."""
    paths = [(c.id, corridor_steps(catalogue, c, active)) for c in catalogue.corridors]
    return evaluate_paths(catalogue, paths, active, weights=weights)


def stretch(steps: list[Step], origin: str, destination: str) -> list[Step]:
    """The steps from `origin` to `destination` along a path (both must lie on it, in order)."""
    nodes = corridor_nodes(steps)
    return steps[nodes.index(origin) : nodes.index(destination)]
