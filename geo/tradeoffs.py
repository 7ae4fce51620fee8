"""
The trade-off between routes: for an origin and a market, every catalogued corridor and the
route finder's distinct options, and which of them no other beats on cost, time and exposure at
once (the non-dominated set). A dominated option names what dominates it and how, in words.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from geo.catalogue import Catalogue
from geo.metrics import CorridorMetrics, corridor_steps, evaluate_all
from geo.paths import Step
from geo.scenarios import ActiveScenario
from geo.trips import Trip, TripAnswer, trip_catalogue

MEASURES: tuple[tuple[str, str, str], ...] = (
    ("cost_usd_per_feu", "dearer", "cheaper"),
    ("transit_days", "slower", "faster"),
    ("exposure", "more exposed", "less exposed"),
)
"""What dominance compares (lower is better on each), with the words for worse and better."""


def measure(metrics: CorridorMetrics, name: str) -> float:
    return metrics.exposure.score if name == "exposure" else float(getattr(metrics, name))


@dataclass(frozen=True)
class Option:
    """A route between the two places, its measures, and what (if anything) dominates it."""

    metrics: CorridorMetrics
    name: str
    found: bool
    dominated_by: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def dominated(self) -> bool:
        return bool(self.dominated_by)


def dominates(a: CorridorMetrics, b: CorridorMetrics) -> bool:
    """`a` is no worse than `b` on every measure and better on at least one."""
    pairs = [(measure(a, m), measure(b, m)) for m, _, _ in MEASURES]
    return all(x <= y for x, y in pairs) and any(x < y for x, y in pairs)


def worse_words(option: CorridorMetrics, than: CorridorMetrics) -> list[str]:
    """How `option` is worse than `than`: 'dearer', 'slower', 'more exposed'."""
    return [w for m, w, _ in MEASURES if measure(option, m) > measure(than, m)]


def tradeoff_options(results: Sequence[CorridorMetrics], names: dict[str, str]) -> list[Option]:
    """Passable results as options, each dominated one with its dominators and a reason."""
    passable = [r for r in results if r.passable]
    options = []
    for result in passable:
        better = [other for other in passable if other is not result and dominates(other, result)]
        better.sort(key=lambda o: measure(o, "cost_usd_per_feu"))
        reason = ""
        if better:
            first = better[0]
            reason = f"{_listed(worse_words(result, first))} than {names[first.corridor_id]}"
        options.append(
            Option(
                metrics=result,
                name=names[result.corridor_id],
                found=result.corridor_id.startswith("found-"),
                dominated_by=[b.corridor_id for b in better],
                reason=reason,
            )
        )
    return options


def _listed(words: list[str]) -> str:
    """'dearer', 'dearer and slower', 'dearer, slower and more exposed'."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 2 else words)


@dataclass(frozen=True)
class Tradeoffs:
    """The options of a trip, the trip's catalogue, and the corridors shut under the scenario."""

    answer: TripAnswer
    options: list[Option]
    closed: list[str]


def tradeoffs(
    catalogue: Catalogue,
    active: ActiveScenario,
    trip: Trip,
    *,
    colours: Sequence[str] = ("#37474F", "#7E6B8F", "#5D7A5A"),
) -> Tradeoffs:
    """Every option between a trip's ends under the scenario, dominance worked out."""
    answer = trip_catalogue(catalogue, active, trip, colours=colours)
    results = evaluate_all(answer.catalogue, active)
    names = {c.id: c.name for c in answer.catalogue.corridors}
    closed = [r.corridor_id for r in results if not r.passable]
    return Tradeoffs(answer, tradeoff_options(results, names), closed)


def tradeoff_records(found: Tradeoffs) -> dict[str, Any]:
    """The options as data (`python -m geo tradeoffs --format json`)."""
    return {
        "options": [
            {
                "id": o.metrics.corridor_id,
                "name": o.name,
                "found_by_route_finder": o.found,
                "transit_days": round(o.metrics.transit_days, 1),
                "transit_days_range": o.metrics.transit_days_range.rounded(1),
                "cost_usd_per_feu": round(o.metrics.cost_usd_per_feu),
                "cost_usd_per_feu_range": o.metrics.cost_range.rounded(0),
                "exposure": round(o.metrics.exposure.score, 1),
                "dominated": o.dominated,
                "dominated_by": o.dominated_by,
                "reason": o.reason,
            }
            for o in found.options
        ],
        "not_open": found.closed,
    }


def option_paths(found: Tradeoffs, active: ActiveScenario) -> list[tuple[str, list[Step]]]:
    """Each option's steps under the scenario, named by its id (for `geo.reliability`)."""
    return option_steps(found.answer.catalogue, active, found.options)


def option_steps(
    catalogue: Catalogue, active: ActiveScenario, options: Sequence[Option]
) -> list[tuple[str, list[Step]]]:
    """Options' steps under the scenario, in a catalogue that has them as corridors."""
    ids = [o.metrics.corridor_id for o in options]
    return [(i, corridor_steps(catalogue, catalogue.corridor(i), active)) for i in ids]


def tradeoffs_csv(options: Sequence[Option]) -> bytes:
    """The options as CSV (UTF-8 with a BOM, so spreadsheets read the names right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "option",
            "non_dominated",
            "transit_days",
            "transit_days_low",
            "transit_days_high",
            "cost_usd_per_feu",
            "cost_usd_per_feu_low",
            "cost_usd_per_feu_high",
            "exposure",
            "dominated_by",
            "reason",
        ]
    )
    for o in options:
        m = o.metrics
        days, cost = m.transit_days_range, m.cost_range
        writer.writerow(
            [
                o.name,
                not o.dominated,
                round(days.typical, 1),
                round(days.low, 1),
                round(days.high, 1),
                round(cost.typical),
                round(cost.low),
                round(cost.high),
                round(m.exposure.score, 1),
                " ".join(o.dominated_by),
                o.reason,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
