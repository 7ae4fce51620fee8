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


@dataclass(frozen=True)
class Adjustments:
    """What an analyst changes on top of a preset (sidebar toggles, or a shared link)."""

    close_countries: tuple[str, ...] = ()
    close_nodes: tuple[str, ...] = ()
    close_legs: tuple[str, ...] = ()
    open_legs: tuple[str, ...] = ()
    open_all_planned: bool = False
    border_dwell_factor: float = 1.0
    cost_factor: float = 1.0

    @property
    def empty(self) -> bool:
        return self == Adjustments()


def _scaled(factors: Factors, factor: float, *, kind: str | None = None) -> Factors:
    """Multiply every rule (or, with `kind`, the rule for that node kind) by `factor`."""
    if factor == 1.0:
        return factors
    if kind is not None:
        by_kind = dict(factors.by_kind)
        by_kind[kind] = by_kind.get(kind, factors.default) * factor  # type: ignore[call-overload]
        return factors.model_copy(update={"by_kind": by_kind})
    return factors.model_copy(
        update={
            "default": factors.default * factor,
            "by_kind": {k: v * factor for k, v in factors.by_kind.items()},
            "by_mode": {k: v * factor for k, v in factors.by_mode.items()},
            "by_country": {k: v * factor for k, v in factors.by_country.items()},
            "by_id": {k: v * factor for k, v in factors.by_id.items()},
        }
    )


def customise(catalogue: Catalogue, preset: Scenario, adjustments: Adjustments) -> Scenario:
    """A new scenario: the preset with the analyst's adjustments on top (the preset is kept)."""
    if adjustments.empty:
        return preset
    planned = [leg.id for leg in catalogue.legs if leg.status is not Status.OPERATIONAL]
    opened = planned if adjustments.open_all_planned else list(adjustments.open_legs)

    def merged(base: list[str], extra: tuple[str, ...] | list[str]) -> list[str]:
        return [*base, *(i for i in extra if i not in base)]

    return preset.model_copy(
        update={
            "id": f"{preset.id}+custom",
            "name": f"{preset.name} (adjusted)",
            "close_countries": merged(preset.close_countries, adjustments.close_countries),
            "close_nodes": merged(preset.close_nodes, adjustments.close_nodes),
            "close_legs": merged(preset.close_legs, adjustments.close_legs),
            "open_legs": merged(preset.open_legs, opened),
            "dwell_factor": _scaled(
                preset.dwell_factor, adjustments.border_dwell_factor, kind="border_crossing"
            ),
            "cost_factor": _scaled(preset.cost_factor, adjustments.cost_factor),
        }
    )


def scenario_changes(catalogue: Catalogue, scenario: Scenario) -> list[str]:
    """What a scenario changes against the baseline, in plain words, one line per change."""
    changes = []
    for code in scenario.close_countries:
        changes.append(f"Transit through {catalogue.country(code).name} closed")
    for node_id in scenario.close_nodes:
        changes.append(f"{catalogue.node(node_id).name} closed")
    for leg_id in scenario.close_legs:
        leg = catalogue.leg(leg_id)
        start, end = catalogue.node(leg.from_).name, catalogue.node(leg.to).name
        changes.append(f"Leg {start} – {end} closed")
    if scenario.open_legs:
        changes.append(f"{len(scenario.open_legs)} planned or unfinished legs treated as open")
    for label, factors in (
        ("Dwell", scenario.dwell_factor),
        ("Speed", scenario.speed_factor),
        ("Cost", scenario.cost_factor),
    ):
        changes += _factor_lines(catalogue, label, factors)
    return changes


def _factor_lines(catalogue: Catalogue, label: str, factors: Factors) -> list[str]:
    lines = []
    if factors.default != 1.0:
        lines.append(f"{label} ×{factors.default:g} by default")
    for table, describe in (
        (
            factors.by_kind,
            lambda k: f"at {str(k.value if hasattr(k, 'value') else k).replace('_', ' ')}s",
        ),
        (factors.by_mode, lambda m: f"on {m.value if hasattr(m, 'value') else m} legs"),
        (factors.by_country, lambda c: f"in {catalogue.country(c).name}"),
        (factors.by_id, lambda i: f"at {_name_of(catalogue, i)}"),
    ):
        for key, value in table.items():
            if value != 1.0:
                lines.append(f"{label} ×{value:g} {describe(key)}")
    return lines


def _name_of(catalogue: Catalogue, record_id: str) -> str:
    nodes = {n.id for n in catalogue.nodes}
    return catalogue.node(record_id).name if record_id in nodes else f"leg {record_id}"
