"""
Capacity and bottlenecks: move a share of one corridor's annual volume onto others and see the
utilisation of every element that binds, which saturates first, and the waiting it implies.

The rule is simple and stated, not an optimiser:

- the moved volume is `share` × the corridor's annual volume (`corridor_volumes`).
- it goes to the corridor named (`to`), else in equal parts to every other corridor open under
  the scenario between the same two countries (the same market).
- an element's load is its reported volume, less what moves off a corridor through it, plus
  what moves onto one through it; utilisation = load ÷ capacity.
- time at an element grows as in a single-server queue, 1 ÷ (1 − u): the element's present
  time (a node's dwell, a leg's moving days), observed at the present utilisation u₀, becomes
  present × (1 − u₀) ÷ (1 − u), so the extra wait is present × ((1 − u₀) ÷ (1 − u) − 1); at
  u ≥ 1 the element is saturated and the wait has no bound.
- the first element to saturate is the one needing the smallest share of the corridor's volume
  to reach its capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geo.capacity_records import Capacity
from geo.catalogue import Catalogue
from geo.charges import leg_moving_days
from geo.errors import RouteError
from geo.metrics import CorridorMetrics, corridor_steps, evaluate_all
from geo.paths import Step
from geo.scenarios import ActiveScenario


@dataclass(frozen=True)
class ElementLoad:
    """One element before and after the diversion."""

    capacity: Capacity
    base_teu: float
    load_teu: float
    extra_wait_days: float | None
    """None: saturated (u ≥ 1), the wait has no bound."""
    saturating_share: float | None
    """The share of the diverted corridor's volume at which this element reaches capacity."""

    @property
    def utilisation(self) -> float:
        return self.load_teu / self.capacity.capacity_teu_per_year.value

    @property
    def base_utilisation(self) -> float:
        return self.base_teu / self.capacity.capacity_teu_per_year.value


@dataclass(frozen=True)
class Diversion:
    """A diversion's answer: what moved where, every element's load, the first to saturate."""

    source: str
    share: float
    moved_teu: float
    targets: list[str]
    elements: list[ElementLoad]

    @property
    def first_to_saturate(self) -> ElementLoad | None:
        reaching = [e for e in self.elements if e.saturating_share is not None]
        return min(reaching, key=lambda e: e.saturating_share or 0.0, default=None)


def _passes(capacity: Capacity, steps: list[Step]) -> bool:
    if capacity.leg is not None:
        return any(step.leg.id == capacity.leg for step in steps)
    return any(capacity.node in (step.start, step.end) for step in steps)


def _own_days(catalogue: Catalogue, capacity: Capacity, active: ActiveScenario) -> float:
    """The element's own time, the scale of its queue: a node's dwell, a leg's moving days."""
    if capacity.node is not None:
        dwell = catalogue.node(capacity.node).dwell_hours
        return dwell.value / 24 if dwell is not None else 0.0
    leg = catalogue.leg(capacity.leg or "")
    return leg_moving_days(catalogue, Step(leg, leg.from_, leg.to), active)


def _extra_wait(present_days: float, before: float, after: float) -> float | None:
    """The queue rule's extra days (None: saturated); a load that falls adds nothing."""
    if after >= 1:
        return None
    before = min(before, after, 0.999)
    return present_days * ((1 - before) / (1 - after) - 1)


def _targets(
    results: list[CorridorMetrics], source: CorridorMetrics, catalogue: Catalogue, to: str | None
) -> list[str]:
    if to is not None:
        return [to]
    market = (
        catalogue.node(source.origin).country,
        catalogue.node(source.destination).country,
    )
    return [
        r.corridor_id
        for r in results
        if r.passable
        and r.corridor_id != source.corridor_id
        and (catalogue.node(r.origin).country, catalogue.node(r.destination).country) == market
    ]


def divert(
    catalogue: Catalogue,
    active: ActiveScenario,
    source: str,
    share: float,
    to: str | None = None,
) -> Diversion:
    """Move `share` of corridor `source`'s annual volume (see the module's rule)."""
    volumes = {v.corridor: v.teu_per_year.value for v in catalogue.corridor_volumes}
    known = {c.id for c in catalogue.corridors}
    for corridor_id in (source, to):
        if corridor_id is not None and corridor_id not in known:
            raise RouteError(f"unknown corridor '{corridor_id}'")
    if source not in volumes:
        raise RouteError(f"no annual volume is catalogued for '{source}' (corridor_volumes)")
    if not 0 <= share <= 1:
        raise RouteError(f"--share was {share} but is expected to be within 0..1")
    results = evaluate_all(catalogue, active)
    by_id = {r.corridor_id: r for r in results}
    targets = _targets(results, by_id[source], catalogue, to)
    moved = share * volumes[source]
    steps = {c.id: corridor_steps(catalogue, c, active) for c in catalogue.corridors}
    elements = []
    for capacity in catalogue.capacities:
        base = capacity.volume_teu_per_year.value if capacity.volume_teu_per_year else 0.0
        onto = sum(_passes(capacity, steps[t]) for t in targets) / max(len(targets), 1)
        per_share = volumes[source] * (onto - _passes(capacity, steps[source]))
        load = max(base + per_share * share, 0.0)
        limit = capacity.capacity_teu_per_year.value
        own = _own_days(catalogue, capacity, active)
        before, after = base / limit, load / limit
        extra = _extra_wait(own, before, after)
        reach = (limit - base) / per_share if per_share > 0 else None
        elements.append(
            ElementLoad(capacity, base, load, extra, reach if reach is None or reach >= 0 else 0.0)
        )
    elements.sort(key=lambda e: -e.utilisation)
    return Diversion(source, share, moved, targets, elements)


def diversion_records(catalogue: Catalogue, found: Diversion) -> dict[str, Any]:
    """A diversion as data (`python -m geo capacity --format json`)."""
    first = found.first_to_saturate
    reach = None if first is None else round(first.saturating_share or 0.0, 3)
    return {
        "divert_from": found.source,
        "share": found.share,
        "moved_teu_per_year": round(found.moved_teu),
        "to": found.targets,
        "first_to_saturate": None if first is None else first.capacity.id,
        "first_saturates_at_share": reach,
        "elements": [_element_record(e) for e in found.elements],
    }


def _element_record(e: ElementLoad) -> dict[str, Any]:
    volume = e.capacity.volume_teu_per_year
    wait = e.extra_wait_days
    sources = {*e.capacity.capacity_teu_per_year.sources, *(volume.sources if volume else [])}
    return {
        "id": e.capacity.id,
        "node": e.capacity.node,
        "leg": e.capacity.leg,
        "capacity_teu_per_year": round(e.capacity.capacity_teu_per_year.value),
        "capacity_as_of": e.capacity.capacity_teu_per_year.as_of,
        "load_teu_per_year": round(e.load_teu),
        "utilisation_before": round(e.base_utilisation, 3),
        "utilisation": round(e.utilisation, 3),
        "volume_reported": volume is not None,
        "saturated": wait is None,
        "extra_wait_days": None if wait is None else round(wait, 2),
        "sources": sorted(sources),
    }
