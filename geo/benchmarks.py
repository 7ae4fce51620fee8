"""
Reported figures set beside what the model computes for the same stretch, kept in two groups.

A *calibration* benchmark is one a parameter was tuned on: the model agrees with it by
construction, so it is shown as a target, never counted as evidence. A *validation* benchmark
is independent of every parameter: whether its reported value (or range) overlaps the model's
range is the test of the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from geo.catalogue import Benchmark, Catalogue, Figure
from geo.metrics import evaluate_steps, stretch
from geo.paths import orient
from geo.ranges import Kind, Range, range_text
from geo.scenarios import ActiveScenario

Measure = Literal["transit_days", "cost_usd_per_feu"]
MEASURES: tuple[Measure, ...] = ("transit_days", "cost_usd_per_feu")
DIGITS: dict[Measure, int] = {"transit_days": 1, "cost_usd_per_feu": 0}
"""JSON's precision: days to 0.1, USD to 1, as in the summary's JSON."""
KINDS: dict[Measure, Kind] = {"transit_days": "days", "cost_usd_per_feu": "usd"}
"""How the text (the table, the Compare page) rounds: as every view, `geo.ranges.range_text`."""


@dataclass(frozen=True)
class Check:
    """One reported figure against the model's range for the same measure and stretch."""

    measure: Measure
    reported: Figure
    model: Range
    at_most: bool = False
    """The report is only a ceiling: anything from zero to its high agrees with it."""

    @property
    def reported_low(self) -> float:
        if self.at_most:
            return 0.0
        return self.reported.low if self.reported.low is not None else self.reported.value

    @property
    def reported_high(self) -> float:
        return self.reported.high if self.reported.high is not None else self.reported.value

    @property
    def inside(self) -> bool:
        """The reported value, or some part of the reported range, lies in the model's range."""
        return self.reported_low <= self.model.high and self.reported_high >= self.model.low

    @property
    def gap_pct(self) -> float | None:
        """How far the model's typical is from the reported value, signed, in percent."""
        if self.reported.value == 0:
            return None
        if self.at_most:  # under the ceiling is no gap; over it, the gap to the ceiling
            ceiling = self.reported_high
            return max(0.0, self.model.typical - ceiling) / ceiling * 100
        return (self.model.typical - self.reported.value) / self.reported.value * 100

    def as_dict(self) -> dict[str, Any]:
        digits = DIGITS[self.measure]
        gap = self.gap_pct
        return {
            "measure": self.measure,
            "reported": {
                "value": self.reported.value,
                "low": self.reported_low,
                "high": self.reported_high,
            },
            "model": {
                "low": round(self.model.low, digits),
                "typical": round(self.model.typical, digits),
                "high": round(self.model.high, digits),
            },
            "inside": self.inside,
            "gap_pct": None if gap is None else round(gap, 1),
        }


@dataclass(frozen=True)
class BenchmarkComparison:
    """A benchmark, the model on its stretch, and one check per figure it reports."""

    benchmark: Benchmark
    days: Range
    cost: Range

    @property
    def role(self) -> str:
        return self.benchmark.role

    @property
    def checks(self) -> list[Check]:
        ranges: dict[Measure, Range] = {"transit_days": self.days, "cost_usd_per_feu": self.cost}
        found = []
        for measure in MEASURES:
            reported = getattr(self.benchmark, measure)
            if reported is not None:
                at_most = self.benchmark.bound == "at_most"
                found.append(Check(measure, reported, ranges[measure], at_most))
        return found

    @property
    def inside(self) -> bool:
        return all(check.inside for check in self.checks)

    @property
    def model_days(self) -> float:
        return self.days.typical

    @property
    def model_cost_usd(self) -> float:
        return self.cost.typical

    @property
    def days_gap(self) -> float | None:
        return _nearest_gap(self.days.typical, self.benchmark.transit_days)

    @property
    def cost_gap(self) -> float | None:
        return _nearest_gap(self.cost.typical, self.benchmark.cost_usd_per_feu)

    def records(self) -> list[dict[str, Any]]:
        """One JSON object per reported figure (a benchmark usually reports one)."""
        b = self.benchmark
        head = {
            "id": b.id,
            "role": b.role,
            "corridor": b.corridor,
            "from": b.from_,
            "to": b.to,
            "definition": b.definition,
            "year": b.year,
            "publisher": b.publisher,
            "interest": b.publisher_interest,
            "sources": sorted({s for c in self.checks for s in c.reported.sources}),
            "note": b.note,
        }
        return [head | check.as_dict() for check in self.checks]


def _nearest_gap(model: float, reported: Figure | None) -> float | None:
    """Relative gap to the nearest end of a reported range; zero inside it."""
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
            BenchmarkComparison(benchmark, metrics.transit_days_range, metrics.cost_range)
        )
    return comparisons


def split(
    comparisons: list[BenchmarkComparison],
) -> tuple[list[BenchmarkComparison], list[BenchmarkComparison]]:
    """Calibration targets and validation benchmarks, never mixed."""
    return (
        [c for c in comparisons if c.role == "calibration"],
        [c for c in comparisons if c.role == "validation"],
    )


def validation_score(comparisons: list[BenchmarkComparison]) -> tuple[int, int]:
    """How many validation benchmarks fall inside the model's range, out of how many."""
    _, validation = split(comparisons)
    return sum(c.inside for c in validation), len(validation)


def summary_line(comparisons: list[BenchmarkComparison]) -> str:
    inside, total = validation_score(comparisons)
    return f"{inside} of {total} validation benchmarks inside the model's range"


def reported_text(check: Check) -> str:
    kind = KINDS[check.measure]
    if check.at_most:
        high = check.reported_high
        return "≤ " + range_text(high, high, high, kind)
    return range_text(check.reported_low, check.reported.value, check.reported_high, kind)


def model_text(check: Check) -> str:
    m = check.model
    return range_text(m.low, m.typical, m.high, KINDS[check.measure])


UNITS: dict[Measure, str] = {"transit_days": "days", "cost_usd_per_feu": "USD/FEU"}


def to_table(comparisons: list[BenchmarkComparison], scenario: str) -> str:
    """Plain text: calibration targets first, then validation with inside / gap, then the score."""
    calibration, validation = split(comparisons)
    lines = [
        f"Benchmarks under the '{scenario}' scenario; model = typical (low–high).",
        "",
        "Calibration targets (parameters were tuned on these; agreement proves nothing):",
    ]
    for c in calibration:
        for check in c.checks:
            lines.append(
                f"  {c.benchmark.id}: {UNITS[check.measure]}: reported {reported_text(check)},"
                f" model {model_text(check)}"
            )
    lines += ["", "Validation (independent of every parameter):"]
    for c in validation:
        for check in c.checks:
            gap = check.gap_pct
            gap_text = "-" if gap is None else f"{gap:+.0f}%"
            lines.append(
                f"  {'inside ' if check.inside else 'OUTSIDE'} {c.benchmark.id}"
                f" ({c.benchmark.year}, {c.benchmark.publisher_interest}):"
                f" {UNITS[check.measure]}: reported {reported_text(check)},"
                f" model {model_text(check)}, gap {gap_text}"
            )
    lines += ["", summary_line(comparisons) + "."]
    return "\n".join(lines) + "\n"


def to_records(comparisons: list[BenchmarkComparison], scenario: str) -> dict[str, Any]:
    """JSON-ready: one object per benchmark figure, the split and the score."""
    inside, total = validation_score(comparisons)
    return {
        "scenario": scenario,
        "benchmarks": [record for c in comparisons for record in c.records()],
        "validation": {"inside": inside, "total": total, "summary": summary_line(comparisons)},
    }
