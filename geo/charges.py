"""
What a leg costs and how long it moves: rates by network, the border rule, and their draws.

The rules live apart from the totals in `geo.metrics` so that the typical value and every
Monte Carlo sample go through the same choice of figure (`docs/model.md`).
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.catalogue import Catalogue, Country, Figure, Mode, Node, NodeKind
from geo.paths import Step
from geo.ranges import Sampler, Samples
from geo.scenarios import ActiveScenario

COMPONENTS: tuple[str, ...] = (
    *(mode.value for mode in Mode),
    "leg_fixed",
    "border",
    "port_handling",
)
"""What a cost is made of: per-km charges by mode, legs' own fixed costs (a ferry crossing),
customs and border clearance, handling at nodes; a breakdown lists non-zero ones in this order."""

CLEARING_PORTS = (NodeKind.SEAPORT, NodeKind.FERRY_TERMINAL)
"""Where goods arriving by sea or ferry are cleared; a canal or transit node clears nothing."""


def leg_country(catalogue: Catalogue, step: Step) -> str:
    """The country a leg's factors follow: where the leg starts in travel order."""
    return catalogue.node(step.start).country


def customs_area(country: Country) -> str:
    """Where goods are cleared once: "EU" or "EAEU" for their members, else the country."""
    return next((bloc for bloc in ("EU", "EAEU") if bloc in country.blocs), country.code)


def clears_customs(catalogue: Catalogue, step: Step) -> bool:
    """
    Whether a leg pays the border charge: it enters another customs area, by land; or, by sea or
    ferry, it ends at a port (not a canal, not a transhipment hub) in another customs area than
    where it started.
    """
    start, end = catalogue.node(step.start), catalogue.node(step.end)
    return _clears(catalogue, step, catalogue.country(start.country), end)


def _clears(catalogue: Catalogue, step: Step, start: Country, end: Node) -> bool:
    """`clears_customs` given the start country and the end node (lookups are not free)."""
    if start.code == end.country:
        return False
    if customs_area(start) == customs_area(catalogue.country(end.country)):
        return False
    if step.leg.mode not in (Mode.SEA, Mode.FERRY):
        return True
    return end.kind in CLEARING_PORTS and end.clears_customs


def border_charge(catalogue: Catalogue, start: str, end: str) -> tuple[str, Figure]:
    """
    The charge for clearing customs from country `start` into `end`, with its draw key: the
    inbound figure of a country reported by direction when entering it, else the outbound figure
    of one when leaving it, else the general figure.
    """
    parameters = catalogue.parameters
    directed = {d.country: d for d in parameters.border_charges_by_direction}
    if end in directed:
        return f"border:{end}:inbound", directed[end].inbound
    if start in directed:
        return f"border:{start}:outbound", directed[start].outbound
    return "parameters:border", parameters.border_crossing_cost_usd_per_feu


@dataclass(frozen=True)
class LegPlan:
    """
    Which figures a leg travelled one way uses, under a scenario: speed and rate (the leg's own,
    its start country's rail network's, else the mode's), each with its draw key, whether customs
    clear at its end, and the scenario's factors. Typical values and draws both read it.
    """

    step: Step
    speed_key: str
    speed: Figure
    rate_key: str
    rate: Figure
    component: str
    """`leg_fixed` for a leg's own cost per FEU, else the mode: a per-km rate."""
    border: Figure | None
    border_key: str
    speed_factor: float
    cost_factor: float


def leg_plan(catalogue: Catalogue, step: Step, active: ActiveScenario | None) -> LegPlan:
    """The figures and factors behind a leg's days and cost (see `LegPlan`); no scenario: 1."""
    leg = step.leg
    code = leg_country(catalogue, step)
    country = catalogue.country(code)
    clears = _clears(catalogue, step, country, catalogue.node(step.end))
    mode = catalogue.parameters.modes[leg.mode]
    rail = leg.mode is Mode.RAIL
    if leg.speed_km_per_day is not None:
        speed_key, speed = f"leg:{leg.id}:speed", leg.speed_km_per_day
    elif rail and country.rail_speed_km_per_day is not None:
        speed_key, speed = f"country:{code}:rail_speed", country.rail_speed_km_per_day
    else:
        speed_key, speed = f"mode:{leg.mode.value}:speed", mode.speed_km_per_day
    component = leg.mode.value
    rate: Figure
    if leg.reverse_cost_usd_per_feu is not None and step.start == leg.to:
        rate_key, rate = f"leg:{leg.id}:reverse_cost", leg.reverse_cost_usd_per_feu
        component = "leg_fixed"
    elif leg.cost_usd_per_feu is not None:
        rate_key, rate, component = f"leg:{leg.id}:cost", leg.cost_usd_per_feu, "leg_fixed"
    elif rail and country.rail_cost_usd_per_feu_km is not None:
        rate_key, rate = f"country:{code}:rail_cost", country.rail_cost_usd_per_feu_km
    else:
        rate_key, rate = f"mode:{leg.mode.value}:cost", mode.cost_usd_per_feu_km
    border = border_charge(catalogue, code, catalogue.node(step.end).country)
    return LegPlan(
        step=step,
        speed_key=speed_key,
        speed=speed,
        rate_key=rate_key,
        rate=rate,
        component=component,
        border=border[1] if clears else None,
        border_key=border[0],
        speed_factor=active.speed_factor(leg, code) if active else 1.0,
        cost_factor=active.leg_cost_factor(leg, code) if active else 1.0,
    )


def plan_moving_days(plan: LegPlan) -> float:
    return plan.step.leg.distance_km.value / (plan.speed.value * plan.speed_factor)


def plan_cost_breakdown(plan: LegPlan) -> dict[str, float]:
    """A leg's cost by component: haulage, and the border charge where customs clear."""
    base = plan.rate.value
    if plan.component != "leg_fixed":
        base *= plan.step.leg.distance_km.value
    parts = {plan.component: base * plan.cost_factor}
    if plan.border is not None:
        parts["border"] = plan.border.value * plan.cost_factor
    return parts


def plan_draws(plan: LegPlan, sampler: Sampler) -> tuple[Samples, Samples]:
    """A leg's moving days and cost in every sample: the same formulas on drawn figures."""
    leg = plan.step.leg
    distance = sampler.draw(f"leg:{leg.id}:distance", leg.distance_km)
    moving = distance / (sampler.draw(plan.speed_key, plan.speed) * plan.speed_factor)
    cost = sampler.draw(plan.rate_key, plan.rate)
    if plan.component != "leg_fixed":
        cost = cost * distance
    if plan.border is not None:
        cost = cost + sampler.draw(plan.border_key, plan.border)
    return moving, cost * plan.cost_factor


def leg_moving_days(catalogue: Catalogue, step: Step, active: ActiveScenario) -> float:
    return plan_moving_days(leg_plan(catalogue, step, active))


def leg_cost_usd(catalogue: Catalogue, step: Step, active: ActiveScenario) -> float:
    return sum(plan_cost_breakdown(leg_plan(catalogue, step, active)).values())


def leg_figures(catalogue: Catalogue, step: Step) -> list[Figure]:
    """Every figure behind a leg's days and cost (for its sources)."""
    plan = leg_plan(catalogue, step, None)
    figures = [step.leg.distance_km, plan.speed, plan.rate]
    return figures if plan.border is None else [*figures, plan.border]


def stop_draws(node: Node, active: ActiveScenario, sampler: Sampler) -> tuple[Samples, Samples]:
    """Dwell days and handling at an intermediate node in every sample, under the scenario."""
    dwell: Samples = 0.0
    handling: Samples = 0.0
    if node.dwell_hours is not None:
        hours = sampler.draw(f"node:{node.id}:dwell", node.dwell_hours)
        dwell = hours / 24 * active.dwell_factor(node)
    if node.handling_usd_per_feu is not None:
        usd = sampler.draw(f"node:{node.id}:handling", node.handling_usd_per_feu)
        handling = usd * active.node_cost_factor(node)
    return dwell, handling
