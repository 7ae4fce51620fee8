"""
Scenarios: which legs are shut, and how dwell, speed and cost scale.

A scenario never changes the catalogue; `apply_scenario` returns a separate `ActiveScenario`
that the metrics consult, so the baseline and any number of variants can sit side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from geo.catalogue import Catalogue, Factors, Leg, Node, Scenario, Status
from geo.errors import ScenarioError

BASELINE = "baseline"


@dataclass(frozen=True)
class Closure:
    """Why a leg is shut: the thing closed (a leg, node, country, or the leg's own status)."""

    kind: Literal["leg", "node", "country", "status"]
    target: str
    reason: str


@dataclass(frozen=True)
class ActiveScenario:
    """A scenario resolved against one catalogue."""

    scenario: Scenario
    closed_legs: dict[str, Closure] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.scenario.id

    def closure(self, leg_id: str) -> Closure | None:
        return self.closed_legs.get(leg_id)

    def dwell_factor(self, node: Node) -> float:
        return _node_factor(self.scenario.dwell_factor, node)

    def node_cost_factor(self, node: Node) -> float:
        return _node_factor(self.scenario.cost_factor, node)

    def speed_factor(self, leg: Leg, country: str) -> float:
        return _leg_factor(self.scenario.speed_factor, leg, country)

    def leg_cost_factor(self, leg: Leg, country: str) -> float:
        return _leg_factor(self.scenario.cost_factor, leg, country)


def _node_factor(factors: Factors, node: Node) -> float:
    """Most specific rule wins: by id, then by kind, then by country, then the default."""
    for table, key in (
        (factors.by_id, node.id),
        (factors.by_kind, node.kind),
        (factors.by_country, node.country),
    ):
        if key in table:
            return table[key]  # type: ignore[index]
    return factors.default


def _leg_factor(factors: Factors, leg: Leg, country: str) -> float:
    for table, key in (
        (factors.by_id, leg.id),
        (factors.by_mode, leg.mode),
        (factors.by_country, country),
    ):
        if key in table:
            return table[key]  # type: ignore[index]
    return factors.default


def scenario_by_id(catalogue: Catalogue, scenario_id: str) -> Scenario:
    """The preset with this id; raises `ScenarioError` naming the presets that exist."""
    known = [s.id for s in catalogue.scenarios]
    if scenario_id not in known:
        raise ScenarioError(f"unknown scenario '{scenario_id}'; known: {', '.join(known)}")
    return catalogue.scenario(scenario_id)


def apply_scenario(catalogue: Catalogue, scenario: Scenario | str = BASELINE) -> ActiveScenario:
    """
    Resolve a scenario (or a preset id) into the set of closed legs and its factors.

    A leg is closed when the scenario closes it, one of its nodes, or one of their countries, or
    when the leg is not yet operational and the scenario does not open it.
    """
    if isinstance(scenario, str):
        scenario = scenario_by_id(catalogue, scenario)
    closed_countries = set(scenario.close_countries)
    closed_nodes = set(scenario.close_nodes)
    closed: dict[str, Closure] = {}
    for leg in catalogue.legs:
        closure = _leg_closure(catalogue, leg, scenario, closed_nodes, closed_countries)
        if closure is not None:
            closed[leg.id] = closure
    return ActiveScenario(scenario, closed)


def _leg_closure(
    catalogue: Catalogue,
    leg: Leg,
    scenario: Scenario,
    closed_nodes: set[str],
    closed_countries: set[str],
) -> Closure | None:
    if leg.id in scenario.close_legs:
        return Closure("leg", leg.id, f"leg {leg.id} closed by scenario '{scenario.id}'")
    for node_id in (leg.from_, leg.to):
        node = catalogue.node(node_id)
        if node_id in closed_nodes:
            return Closure("node", node_id, f"{node.name} closed by scenario '{scenario.id}'")
        if node.country in closed_countries:
            country = catalogue.country(node.country).name
            return Closure("country", node.country, f"transit through {country} closed")
    if leg.status is not Status.OPERATIONAL and leg.id not in scenario.open_legs:
        state = leg.status.value.replace("_", " ")
        return Closure("status", leg.id, f"leg {leg.id} is {state}, not yet open")
    return None
