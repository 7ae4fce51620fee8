"""Reported end-to-end figures set beside what the model computes for the same stretch."""

from __future__ import annotations

from dataclasses import dataclass

from geo.catalogue import Benchmark, Catalogue, Figure
from geo.metrics import evaluate_steps, stretch
from geo.paths import orient
from geo.scenarios import ActiveScenario

TOLERANCE = 0.25
"""The model should land within 25 % of a reported figure, or the catalogue explains why."""


@dataclass(frozen=True)
class BenchmarkComparison:
    benchmark: Benchmark
    model_days: float
    model_cost_usd: float

    @property
    def days_gap(self) -> float | None:
        return _gap(self.model_days, self.benchmark.transit_days)

    @property
    def cost_gap(self) -> float | None:
        return _gap(self.model_cost_usd, self.benchmark.cost_usd_per_feu)

    @property
    def within_tolerance(self) -> bool:
        gaps = [g for g in (self.days_gap, self.cost_gap) if g is not None]
        return all(abs(g) <= TOLERANCE for g in gaps)


def _gap(model: float, reported: Figure | None) -> float | None:
    """Relative gap to the reported value; zero when the model falls inside a reported range."""
    if reported is None:
        return None
    low = reported.low if reported.low is not None else reported.value
    high = reported.high if reported.high is not None else reported.value
    if low <= model <= high:
        return 0.0
    nearest = low if model < low else high
    return (model - nearest) / nearest


def compare_benchmarks(catalogue: Catalogue, active: ActiveScenario) -> list[BenchmarkComparison]:
    """Each benchmark against the model on the same stretch of the same corridor."""
    comparisons = []
    for benchmark in catalogue.benchmarks:
        steps = orient(catalogue, catalogue.corridor(benchmark.corridor).legs)
        part = stretch(steps, benchmark.from_, benchmark.to)
        metrics = evaluate_steps(catalogue, part, active, corridor_id=benchmark.corridor)
        comparisons.append(
            BenchmarkComparison(benchmark, metrics.transit_days, metrics.cost_usd_per_feu)
        )
    return comparisons
