"""
How reliable a route is, from the same draws as its range: the chance of arriving within a
deadline, and the chance that one route arrives before another.

A route's transit days are summed from its legs' and stops' draws (`geo.charges`), keyed and
seeded as the ranges are, so a figure two routes share is drawn once for both: the chance that
the Middle Corridor beats its BTK variant is not blurred by drawing their common legs twice.
A season is a scenario (the Caspian storms), so reliability in winter is reliability under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from geo.catalogue import Catalogue
from geo.charges import leg_plan, plan_draws, stop_draws
from geo.metrics import stops
from geo.paths import Step
from geo.ranges import Draws, Sampler
from geo.scenarios import ActiveScenario


def transit_day_samples(
    catalogue: Catalogue, steps: list[Step], active: ActiveScenario, sampler: Sampler | None = None
) -> Draws:
    """A path's transit days in every draw: moving days on its legs plus dwell at its stops."""
    sampler = sampler or Sampler()
    total: Draws = np.zeros(sampler.draws)
    for step in steps:
        moving, _ = plan_draws(leg_plan(catalogue, step, active), sampler)
        total = total + moving
    for stop in stops(catalogue, steps, active):
        dwell, _ = stop_draws(stop.node, active, sampler)
        total = total + dwell
    return total


def chance_within(days: Draws, deadline: float) -> float:
    """The share of draws arriving within `deadline` days."""
    return float(np.mean(days <= deadline))


def chance_before(first: Draws, second: Draws) -> float:
    """The share of draws in which `first` arrives before `second` (a tie counts half)."""
    return float(np.mean(first < second) + 0.5 * np.mean(first == second))


@dataclass(frozen=True)
class Reliability:
    """One route's chance of arriving within the deadline, and of beating each other route."""

    corridor_id: str
    within: float
    before: dict[str, float]


def reliability(
    catalogue: Catalogue,
    active: ActiveScenario,
    paths: Sequence[tuple[str, list[Step]]],
    deadline: float,
) -> list[Reliability]:
    """For each named path: P(within `deadline` days), and P(arrives before) every other one."""
    sampler = Sampler()
    days = {name: transit_day_samples(catalogue, steps, active, sampler) for name, steps in paths}
    return [
        Reliability(
            name,
            chance_within(days[name], deadline),
            {other: chance_before(days[name], days[other]) for other in days if other != name},
        )
        for name in days
    ]
