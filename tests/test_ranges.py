"""
Ranges on totals (Monte Carlo over figures' low/high), checked by hand on variants of the tiny
catalogue (tests/data/tiny.yaml, whose figures have no low/high of their own).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from geo.catalogue import Catalogue, Figure
from geo.cli import main
from geo.loader import load_catalogue
from geo.metrics import CorridorMetrics, evaluate_all, evaluate_corridor
from geo.ranges import Range, Sampler, figure_bounds, spreads, triangular
from geo.scenarios import apply_scenario
from tests.conftest import REAL, tiny_variant

Load = Callable[..., Catalogue]

BORDER = "border_crossing_cost_usd_per_feu: {value: 50, sources: [src-b]}"
RAIL_SPEED = "rail: {speed_km_per_day: {value: 100, sources: [src-a]}"


@pytest.fixture
def variant(write_yaml: Callable[[str], Path]) -> Load:
    """The tiny catalogue with exact pieces replaced: variant((old, new), …)."""

    def load(*changes: tuple[str, str]) -> Catalogue:
        text = tiny_variant(*changes[0])
        for old, new in changes[1:]:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        return load_catalogue(write_yaml(text))

    return load


def width(value: Range) -> float:
    return value.high - value.low


def main_corridor(catalogue: Catalogue, scenario: str = "baseline") -> CorridorMetrics:
    return evaluate_corridor(catalogue, "main", apply_scenario(catalogue, scenario))


def test_figures_without_low_or_high_give_ranges_of_zero_width(tiny: Catalogue) -> None:
    for result in evaluate_all(tiny, apply_scenario(tiny)):
        assert result.transit_days_range == Range.exact(result.transit_days)
        assert result.cost_range == Range.exact(result.cost_usd_per_feu)
        for leg in result.legs:
            assert leg.moving_days_range == Range.exact(leg.moving_days)
            assert leg.cost_range == Range.exact(leg.cost_usd)


def test_a_shared_border_charge_moves_every_crossing_together(variant: Load) -> None:
    catalogue = variant((BORDER, BORDER.replace("50,", "50, low: 0, high: 100,")))
    main = main_corridor(catalogue)
    # main clears customs twice (AA→BB by rail, BB→CC at C Port), both on the same draw, so
    # cost = the rest + 2 × charge. Triangle (0, 50, 100): 10th percentile √(0.1·100·50) = 22.36.
    tenth = math.sqrt(0.1 * 100 * 50)
    assert main.cost_range.low == pytest.approx(main.cost_usd_per_feu - 2 * (50 - tenth), abs=3)
    assert main.cost_range.high == pytest.approx(main.cost_usd_per_feu + 2 * (50 - tenth), abs=3)
    # independent draws per crossing would give about ±39 instead of ±55
    assert main.transit_days_range == Range.exact(main.transit_days)  # charge is not time
    sea = next(leg for leg in main.legs if leg.step.leg.id == "bc-sea")
    assert sea.cost_range.low == pytest.approx(111 + tenth, abs=2)  # 222 km × 0.5 + charge


def test_a_wider_figure_gives_a_wider_range_that_still_holds_the_typical(variant: Load) -> None:
    def rail_speed(low: int, high: int) -> CorridorMetrics:
        wide = RAIL_SPEED.replace("100,", f"100, low: {low}, high: {high},")
        return main_corridor(variant((RAIL_SPEED, wide)))

    narrow, wide = rail_speed(90, 110), rail_speed(60, 150)
    assert narrow.transit_days == wide.transit_days  # typical: the model at the figures' values
    assert 0 < width(narrow.transit_days_range) < width(wide.transit_days_range)
    for result in (narrow, wide):
        days = result.transit_days_range
        assert days.low <= days.typical <= days.high
        assert result.cost_range == Range.exact(result.cost_usd_per_feu)  # speed is not cost


def test_ranges_are_the_same_for_the_same_seed_and_move_with_another(
    variant: Load, settings: object
) -> None:
    catalogue = variant((RAIL_SPEED, RAIL_SPEED.replace("100,", "100, low: 60, high: 150,")))
    first, again = main_corridor(catalogue), main_corridor(catalogue)
    assert first.transit_days_range == again.transit_days_range
    with settings.override(range_seed=7):  # type: ignore[attr-defined]
        other = main_corridor(catalogue)
    assert other.transit_days_range != first.transit_days_range
    assert other.transit_days_range.low == pytest.approx(first.transit_days_range.low, rel=0.05)


def test_a_figure_is_drawn_the_same_whichever_path_uses_it(variant: Load) -> None:
    """The `onward` corridor shares main's legs: its ranges start from the same draws."""
    catalogue = variant((RAIL_SPEED, RAIL_SPEED.replace("100,", "100, low: 60, high: 150,")))
    active = apply_scenario(catalogue, "open-planned")
    together = {r.corridor_id: r for r in evaluate_all(catalogue, active)}
    alone = evaluate_corridor(catalogue, "main", active)
    assert together["main"].transit_days_range == alone.transit_days_range


def test_scenario_factors_apply_to_every_draw(variant: Load) -> None:
    catalogue = variant((BORDER, BORDER.replace("50,", "50, low: 0, high: 100,")))
    base, slow = main_corridor(catalogue), main_corridor(catalogue, "slow")  # cost × 1.1
    assert width(slow.cost_range) == pytest.approx(1.1 * width(base.cost_range))


def test_percentiles_of_a_triangle_match_its_inverse_cdf() -> None:
    draws = triangular(np.linspace(0, 1, 20001)[:-1], 0.0, 50.0, 100.0)
    (spread,) = spreads([draws], [50.0])
    assert spread.low == pytest.approx(math.sqrt(500), abs=0.05)
    assert spread.high == pytest.approx(100 - math.sqrt(500), abs=0.05)


def test_a_value_outside_its_own_low_high_still_bounds_the_triangle() -> None:
    figure = Figure(value=10, low=12, high=20, estimate="a fixture figure")
    assert figure_bounds(figure) == (10, 10, 20)
    assert Sampler(draws=50).draw("k", Figure(value=3, low=3, estimate="fixed figure")) == 3


def test_a_range_refuses_a_typical_outside_it() -> None:
    with pytest.raises(ValueError, match="low <= typical <= high"):
        Range(2.0, 1.0, 3.0)


def test_the_cli_json_gives_every_corridor_and_leg_a_range_around_its_typical() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["summary", "--catalogue", str(REAL), "--format", "json"], out, err) == 0
    data = json.loads(out.getvalue())
    assert data["units"]["currency"] == "USD"
    assert isinstance(data["units"]["price_year"], int)
    assert "10th and 90th percentiles" in data["units"]["range"]
    spread = 0
    for corridor in data["corridors"]:
        days, cost = corridor["transit_days_range"], corridor["cost_usd_per_feu_range"]
        assert days["low"] <= days["typical"] == corridor["transit_days"] <= days["high"]
        assert cost["low"] <= cost["typical"] == corridor["cost_usd_per_feu"] <= cost["high"]
        assert abs(sum(corridor["cost_breakdown"].values()) - cost["typical"]) <= 4  # rounding
        spread += days["high"] - days["low"]
        for leg in corridor["legs"]:
            moving, leg_cost = leg["moving_days_range"], leg["cost_usd_per_feu_range"]
            assert moving["low"] <= moving["typical"] == leg["moving_days"] <= moving["high"]
            assert leg_cost["low"] <= leg_cost["typical"] <= leg_cost["high"]
            assert leg_cost["typical"] == leg["cost_usd_per_feu"]
            assert set(leg["cost_breakdown"]) <= {
                "rail",
                "sea",
                "ferry",
                "road",
                "leg_fixed",
                "border",
            }
    assert spread > 0  # the real catalogue's figures do carry low/high


def test_the_table_writes_totals_as_typical_then_low_to_high(variant: Load) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["summary", "--catalogue", str(REAL)], out, err) == 0
    assert "transit low" not in out.getvalue()  # one cell per total in a terminal
    row = next(line for line in out.getvalue().splitlines() if line.startswith("middle-corridor "))
    days = row.split()[3:5]
    assert days[1].startswith("(") and "–" in days[1] and days[1].endswith(")")


def test_the_csv_puts_low_and_high_beside_each_total() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["summary", "--catalogue", str(REAL), "--format", "csv"], out, err) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows
    for row in rows:
        days = [float(row[f"transit {p}(days)"]) for p in ("low ", "", "high ")]
        cost = [float(row[f"cost {p}(USD/FEU)"]) for p in ("low ", "", "high ")]
        assert days == sorted(days) and cost == sorted(cost), row["corridor"]


def test_countries_stating_one_rail_figure_from_one_source_share_its_draws() -> None:
    """Russia and Belarus both state the ERAI composite: one quantity, one set of draws."""
    catalogue = load_catalogue(REAL)
    sampler = Sampler(draws=200)
    russia, belarus = (catalogue.country(c) for c in ("RU", "BY"))
    for kind, figure in (
        ("rail_cost", "rail_cost_usd_per_feu_km"),
        ("rail_speed", "rail_speed_km_per_day"),
    ):
        ru = sampler.draw(f"country:RU:{kind}", getattr(russia, figure))
        by = sampler.draw(f"country:BY:{kind}", getattr(belarus, figure))
        assert isinstance(ru, np.ndarray) and np.array_equal(ru, by), kind
    # Kazakhstan states the same composite with a lower bound of its own: its draws move with
    # Russia's (high when they are high), through its own triangle
    kz = sampler.draw("country:KZ:rail_cost", catalogue.country("KZ").rail_cost_usd_per_feu_km)
    ru = sampler.draw("country:RU:rail_cost", russia.rail_cost_usd_per_feu_km)
    assert isinstance(kz, np.ndarray) and not np.array_equal(kz, ru)
    assert np.array_equal(np.argsort(kz, kind="stable"), np.argsort(ru, kind="stable"))


def test_the_same_number_from_another_source_is_another_quantity() -> None:
    sampler = Sampler(draws=200)
    erai = Figure(value=0.617, low=0.49, sources=["index1520-erai", "satrapia-2018-erai"])
    again = Figure(value=0.617, low=0.49, sources=["index1520-erai"])
    other = Figure(value=0.617, low=0.49, sources=["another-index"])
    first = sampler.draw("country:RU:rail_cost", erai)
    assert np.array_equal(first, Sampler(draws=200).draw("country:BY:rail_cost", again))
    assert not np.array_equal(first, sampler.draw("country:XX:rail_cost", other))
    # only a country's rail figures are pooled: two legs' distances stay two quantities
    distance = Figure(value=100, low=90, high=110, sources=["src"])
    assert not np.array_equal(
        sampler.draw("leg:a:distance", distance), sampler.draw("leg:b:distance", distance)
    )


def test_a_range_across_two_countries_sharing_a_rail_rate_moves_as_one(variant: Load) -> None:
    """main runs 122 km of rail in AA and 211 km in BB: one rate drawn once spans all 333 km."""
    countries = ("{code: AA,", "{code: BB,")

    def with_rates(aa_source: str, bb_source: str) -> CorridorMetrics:
        def rate(source: str) -> str:
            figure = f"{{value: 1.0, low: 0.5, high: 1.5, sources: [{source}]}}"
            return f"rail_cost_usd_per_feu_km: {figure}, "

        return main_corridor(
            variant(
                (countries[0], countries[0] + " " + rate(aa_source)),
                (countries[1], countries[1] + " " + rate(bb_source)),
            )
        )

    shared, apart = with_rates("src-a", "src-a"), with_rates("src-a", "src-b")
    assert shared.cost_usd_per_feu == apart.cost_usd_per_feu
    # comonotonic: width ∝ 122 + 211 = 333 km; independent: about √(122² + 211²) = 244 km
    assert width(shared.cost_range) / width(apart.cost_range) == pytest.approx(333 / 244, rel=0.1)
