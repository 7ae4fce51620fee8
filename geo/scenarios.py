"""
Scenarios: which legs are shut, and how dwell, speed and cost scale.

A scenario never changes the catalogue; `apply_scenario` returns a separate `ActiveScenario`
that the metrics consult, so the baseline and any number of variants can sit side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from geo.catalogue import (
    Catalogue,
    Corridor,
    Factors,
    Leg,
    Node,
    NodeKind,
    Reroute,
    Scenario,
    Status,
)
from geo.errors import ScenarioError
from geo.i18n import ENGLISH, Translate, localized

BASELINE = "baseline"


@dataclass(frozen=True)
class Closure:
    """
    Why a leg is shut: the thing closed (a leg, node, country, or the leg's own status), and
    `detail` (the scenario id, or the leg's status); `reason` is the English sentence.
    """

    kind: Literal["leg", "node", "country", "status", "commodity"]
    target: str
    detail: str
    reason: str


@dataclass(frozen=True)
class ActiveScenario:
    """A scenario resolved against one catalogue."""

    scenario: Scenario
    closed_legs: dict[str, Closure] = field(default_factory=dict)
    paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Corridor id to its legs under this scenario, for the corridors the scenario reroutes."""
    commodity: str | None = None
    """The cargo whose restrictions close legs too (`geo.trade.Commodity`); None: containers."""

    @property
    def id(self) -> str:
        return self.scenario.id

    def corridor_legs(self, corridor: Corridor) -> list[str]:
        """The corridor's legs in travel order under this scenario (its own, unless rerouted)."""
        return list(self.paths.get(corridor.id, corridor.legs))

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


def apply_scenario(
    catalogue: Catalogue, scenario: Scenario | str = BASELINE, commodity: str | None = None
) -> ActiveScenario:
    """
    Resolve a scenario (or a preset id) into the set of closed legs and its factors.

    A leg is closed when the scenario closes it, one of its nodes, or one of their countries
    (for a scenario limited to some commodities, only when shipping one of them); when the
    chosen commodity's restrictions refuse it, its nodes or their countries; or when the leg is
    not yet operational and the scenario does not open it.
    """
    if isinstance(scenario, str):
        scenario = scenario_by_id(catalogue, scenario)
    if commodity is not None and commodity not in {c.id for c in catalogue.commodities}:
        raise ScenarioError(f"unknown commodity '{commodity}'")
    applies = not scenario.commodities or commodity in scenario.commodities
    closes = (
        scenario
        if applies
        else scenario.model_copy(
            update={"close_countries": [], "close_nodes": [], "close_legs": []}
        )
    )
    closed_countries = set(closes.close_countries)
    closed_nodes = set(closes.close_nodes)
    refusals = _refusals(catalogue, commodity)
    closed: dict[str, Closure] = {}
    for leg in catalogue.legs:
        closure = _leg_closure(
            catalogue,
            leg,
            closes,
            closed_nodes=closed_nodes,
            closed_countries=closed_countries,
            refusals=refusals,
        )
        if closure is not None:
            closed[leg.id] = closure
    return ActiveScenario(scenario, closed, _paths(catalogue, scenario), commodity)


def _paths(catalogue: Catalogue, scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """
    The rerouted corridors' legs. A corridor the catalogue lacks, or whose legs no longer hold
    the replaced run, is left as it is: a trip's catalogue (`geo.trips`) keeps only a stretch of
    each corridor. A catalogue's own reroutes are checked by `geo.validate`.
    """
    paths = {}
    corridors = {corridor.id: corridor for corridor in catalogue.corridors}
    for corridor_id, change in scenario.reroute.items():
        if corridor_id not in corridors:
            continue
        try:
            paths[corridor_id] = tuple(change.apply(corridors[corridor_id].legs))
        except ValueError:
            continue
    return paths


PORTS = (NodeKind.SEAPORT, NodeKind.FERRY_TERMINAL)
"""The nodes a commodity's `accepting_ports` speaks for: where cargo is loaded onto ships."""
PORTS_RULE = "ports"
"""A refusal's detail for a port missing from the commodity's `accepting_ports`."""

Refusals = dict[str, str]
"""A node, leg or country id to the commodity restriction refusing it (`commodity:index`)."""


def _refusals(catalogue: Catalogue, commodity: str | None) -> Refusals:
    if commodity is None:
        return {}
    refused: Refusals = {}
    record = catalogue.commodity(commodity)
    for index, restriction in enumerate(record.restrictions):
        for target in (*restriction.legs, *restriction.nodes, *restriction.countries):
            refused.setdefault(target, f"{commodity}:{index}")
    if record.accepting_ports is not None:
        for node in catalogue.nodes:
            if node.kind in PORTS and node.id not in record.accepting_ports:
                refused.setdefault(node.id, f"{commodity}:{PORTS_RULE}")
    return refused


def rerouted(legs: list[str], change: Reroute) -> list[str]:
    """A corridor's legs with a scenario's change applied; `ScenarioError` if it does not fit."""
    try:
        return change.apply(legs)
    except ValueError as error:
        raise ScenarioError(str(error)) from error


def _closure(
    catalogue: Catalogue,
    kind: Literal["leg", "node", "country", "status", "commodity"],
    target: str,
    detail: str,
) -> Closure:
    closure = Closure(kind, target, detail, "")
    return Closure(kind, target, detail, closure_text(catalogue, closure))


def _leg_closure(
    catalogue: Catalogue,
    leg: Leg,
    scenario: Scenario,
    *,
    closed_nodes: set[str],
    closed_countries: set[str],
    refusals: Refusals,
) -> Closure | None:
    if leg.id in scenario.close_legs:
        return _closure(catalogue, "leg", leg.id, scenario.id)
    nodes = [catalogue.node(node_id) for node_id in (leg.from_, leg.to)]
    for node in nodes:
        if node.id in closed_nodes:
            return _closure(catalogue, "node", node.id, scenario.id)
        if node.country in closed_countries:
            return _closure(catalogue, "country", node.country, scenario.id)
    for target in (leg.id, *(n.id for n in nodes), *(n.country for n in nodes)):
        if target in refusals:
            return _closure(catalogue, "commodity", target, refusals[target])
    if leg.status is not Status.OPERATIONAL and leg.id not in scenario.open_legs:
        return _closure(catalogue, "status", leg.id, leg.status.value)
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


def _scaled(factors: Factors, factor: float, *, kind: NodeKind | None = None) -> Factors:
    """Multiply every rule (or, with `kind`, the rule for that node kind) by `factor`."""
    if factor == 1.0:
        return factors
    if kind is not None:
        by_kind = dict(factors.by_kind)
        by_kind[kind] = by_kind.get(kind, factors.default) * factor
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
                preset.dwell_factor, adjustments.border_dwell_factor, kind=NodeKind.BORDER_CROSSING
            ),
            "cost_factor": _scaled(preset.cost_factor, adjustments.cost_factor),
        }
    )


def scenario_changes(
    catalogue: Catalogue, scenario: Scenario, *, t: Translate = ENGLISH, lang: str = "en"
) -> list[str]:
    """What a scenario changes against the baseline, in plain words, one line per change."""
    changes = []
    for code in scenario.close_countries:
        changes.append(t("change.country", country=localized(catalogue.country(code), lang)))
    for node_id in scenario.close_nodes:
        changes.append(t("change.node", node=localized(catalogue.node(node_id), lang)))
    for leg_id in scenario.close_legs:
        leg = catalogue.leg(leg_id)
        start, end = (localized(catalogue.node(n), lang) for n in (leg.from_, leg.to))
        changes.append(t("change.leg", start=start, end=end))
    if scenario.open_legs:
        changes.append(t("change.open_legs", count=len(scenario.open_legs)))
    for corridor_id, change in scenario.reroute.items():
        corridor = localized(catalogue.corridor(corridor_id), lang)
        via = ", ".join(_leg_name(catalogue, leg_id, lang) for leg_id in change.with_)
        changes.append(t("change.reroute", corridor=corridor, via=via))
    for label, factors in (
        ("factor.dwell", scenario.dwell_factor),
        ("factor.speed", scenario.speed_factor),
        ("factor.cost", scenario.cost_factor),
    ):
        changes += _factor_lines(catalogue, t(label), factors, t, lang)
    return changes


def _factor_lines(
    catalogue: Catalogue, label: str, factors: Factors, t: Translate, lang: str
) -> list[str]:
    lines = []
    if factors.default != 1.0:
        lines.append(t("change.factor_default", label=label, value=f"{factors.default:g}"))
    scopes: tuple[tuple[Iterable[tuple[str, float]], Callable[[str], str]], ...] = (
        (factors.by_kind.items(), lambda k: t(f"scope.kind.{getattr(k, 'value', k)}")),
        (factors.by_mode.items(), lambda m: t(f"scope.mode.{getattr(m, 'value', m)}")),
        (
            factors.by_country.items(),
            lambda c: t("scope.country", country=localized(catalogue.country(c), lang)),
        ),
        (factors.by_id.items(), lambda i: t("scope.place", place=_name_of(catalogue, i, t, lang))),
    )
    for table, scope in scopes:
        for key, value in table:
            if value != 1.0:
                lines.append(t("change.factor", label=label, value=f"{value:g}", scope=scope(key)))
    return lines


def _leg_name(catalogue: Catalogue, leg_id: str, lang: str) -> str:
    leg = catalogue.leg(leg_id)
    return " – ".join(localized(catalogue.node(n), lang) for n in (leg.from_, leg.to))


def _name_of(catalogue: Catalogue, record_id: str, t: Translate, lang: str) -> str:
    nodes = {n.id for n in catalogue.nodes}
    if record_id in nodes:
        return localized(catalogue.node(record_id), lang)
    return t("scope.leg", leg=record_id)


def closure_text(
    catalogue: Catalogue, closure: Closure, *, t: Translate = ENGLISH, lang: str = "en"
) -> str:
    """Why a leg is shut, in words, in the given language."""
    if closure.kind == "country":
        return t("closure.country", country=localized(catalogue.country(closure.target), lang))
    if closure.kind == "node":
        node = localized(catalogue.node(closure.target), lang)
        return t("closure.node", node=node, scenario=closure.detail)
    if closure.kind == "leg":
        return t("closure.leg", leg=closure.target, scenario=closure.detail)
    if closure.kind == "commodity":
        commodity_id, _, index = closure.detail.partition(":")
        commodity = catalogue.commodity(commodity_id)
        name = localized(commodity, lang)
        if index == PORTS_RULE:
            node = localized(catalogue.node(closure.target), lang)
            return t("closure.commodity_port", commodity=name, node=node)
        reason = localized(commodity.restrictions[int(index)], lang, "reason")
        return t("closure.commodity", commodity=name, reason=reason)
    return t("closure.status", leg=closure.target, status=t(f"status.{closure.detail}"))
