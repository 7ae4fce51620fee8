"""CO2e per FEU (GLEC / ISO 14083): each leg's WTW and TTW worked out by hand on the tiny
catalogue with emission factors added, the range from seeded draws, the summary's co2e fields,
then the real catalogue's acceptance checks (issue 17)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from geo.catalogue import Catalogue
from geo.emissions import leg_emission, leg_mix, route_emission
from geo.loader import check_catalogue_bytes
from geo.metrics import corridor_steps
from geo.paths import Step
from geo.ranges import Sampler
from geo.scenarios import apply_scenario
from geo.summary import summary
from tests.conftest import TINY, run_geo

FIXED_TONNES = "{value: 20, sources: [src-a]}"
AA_SHARE = "{value: 0.25, sources: [src-a]}"
BB_SHARE = "{value: 0.6, sources: [src-a]}"
BB_GRID = "{value: 40, sources: [src-b]}"
STABILITY = "stability_percentile: {value: "


def factor(name: str, wtw: float, ttw: float) -> str:
    return (
        f"      - {{id: {name}, wtw_g_per_tkm: {{value: {wtw}, sources: [src-a]}}, "
        f"ttw_g_per_tkm: {{value: {ttw}, sources: [src-a]}}}}\n"
    )


def emission_text(
    *,
    tonnes: str = FIXED_TONNES,
    deep_above: float | None = 200,
    aa_share: str | None = AA_SHARE,
    bb_share: str | None = BB_SHARE,
    bb_grid: str | None = BB_GRID,
) -> str:
    """The tiny catalogue with an emission model: 20 t per FEU; rail electric 10 / 0, diesel
    30 / 25, sea deep 5 / 4, short 20 / 17, ferry 100 / 90, road 100 / 80 g per tkm (WTW / TTW);
    A's rail 25 % electric, B's 60 % on a 40 g grid; sea above 200 km is deep."""
    model = (
        f"  emissions:\n    tonnes_per_feu: {tonnes}\n"
        + (f"    deep_sea_above_km: {deep_above}\n" if deep_above is not None else "")
        + "    method: Fixture.\n    factors:\n"
        + factor("rail-electric", 10, 0)
        + factor("rail-diesel", 30, 25)
        + factor("sea-deep", 5, 4)
        + factor("sea-short", 20, 17)
        + factor("ferry", 100, 90)
        + factor("road", 100, 80)
    )
    edits = {"  exposure:\n": model + "  exposure:\n"}
    aa = f", rail_electric_share: {aa_share}" if aa_share else ""
    edits[f"{STABILITY}50, sources: [src-a]}}}}"] = f"{STABILITY}50, sources: [src-a]}}{aa}}}"
    bb = (f", rail_electric_share: {bb_share}" if bb_share else "") + (
        f", rail_electric_wtw_g_per_tkm: {bb_grid}" if bb_grid else ""
    )
    edits[f"{STABILITY}80, sources: [src-a]}}}}"] = f"{STABILITY}80, sources: [src-a]}}{bb}}}"
    text = TINY.read_text(encoding="utf-8")
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def load(text: str) -> Catalogue:
    catalogue, problems = check_catalogue_bytes(text, name="emissions.yaml")
    assert catalogue is not None, [str(p) for p in problems]
    return catalogue


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load(emission_text())


def main_steps(catalogue: Catalogue) -> list[Step]:
    active = apply_scenario(catalogue, "baseline")
    return corridor_steps(catalogue, catalogue.corridor("main"), active)


def per_leg(catalogue: Catalogue) -> dict[str, tuple[float, float]]:
    found = route_emission(catalogue, main_steps(catalogue))
    assert found is not None
    return {e.step.leg.id: (e.wtw_kg, e.ttw_kg) for e in found.legs}


# --- the arithmetic --------------------------------------------------------------------------


def test_each_legs_wtw_and_ttw_are_distance_times_tonnes_times_intensity(cat: Catalogue) -> None:
    assert per_leg(cat) == {
        # A: 0.25 × 10 + 0.75 × 30 = 25 g WTW; 0.75 × 25 = 18.75 g TTW; × 20 t × km / 1000
        "a-rail": pytest.approx((111 * 20 * 25 / 1000, 111 * 20 * 18.75 / 1000)),
        "ab-border": pytest.approx((11 * 20 * 25 / 1000, 11 * 20 * 18.75 / 1000)),
        # B: the 40 g grid replaces the 10 g electric factor: 0.6 × 40 + 0.4 × 30 = 36; TTW 10
        "b-rail": pytest.approx((211 * 20 * 36 / 1000, 211 * 20 * 10 / 1000)),
        # 222 km > 200: deep sea, 5 / 4 g
        "bc-sea": pytest.approx((222 * 20 * 5 / 1000, 222 * 20 * 4 / 1000)),
    }


def test_a_route_sums_its_legs(cat: Catalogue) -> None:
    found = route_emission(cat, main_steps(cat))
    assert found is not None
    assert found.wtw_kg == pytest.approx(55.5 + 5.5 + 151.92 + 22.2)
    assert found.ttw_kg == pytest.approx(41.625 + 4.125 + 42.2 + 17.76)
    assert found.wtw_range.typical == pytest.approx(found.wtw_kg)


def test_without_a_grid_figure_electric_rail_uses_the_rail_electric_factor() -> None:
    wtw, ttw = per_leg(load(emission_text(bb_grid=None)))["b-rail"]
    assert wtw == pytest.approx(211 * 20 * (0.6 * 10 + 0.4 * 30) / 1000)
    assert ttw == pytest.approx(211 * 20 * 0.4 * 25 / 1000)


def test_without_an_electric_share_rail_is_half_electric(cat: Catalogue) -> None:
    leg = cat.leg("c-planned")  # starts in C, which states no share
    step = Step(leg, leg.from_, leg.to)
    assert [(f, s) for _, f, s in leg_mix(cat, step)] == [
        ("rail-electric", 0.5),
        ("rail-diesel", 0.5),
    ]
    found = leg_emission(cat, step, Sampler())
    assert found.wtw_kg == pytest.approx(111 * 20 * 20 / 1000)
    assert found.ttw_kg == pytest.approx(111 * 20 * 12.5 / 1000)


@pytest.mark.parametrize(
    ("deep_above", "kind", "wtw_g", "ttw_g"),
    [(221, "sea-deep", 5, 4), (222, "sea-short", 20, 17), (None, "sea-short", 20, 17)],
    ids=["longer-than-threshold", "at-threshold", "default-5000-km"],
)
def test_sea_legs_longer_than_the_threshold_sail_deep_sea(
    deep_above: float | None, kind: str, wtw_g: float, ttw_g: float
) -> None:
    catalogue = load(emission_text(deep_above=deep_above))
    sea = next(s for s in main_steps(catalogue) if s.leg.id == "bc-sea")
    assert [f for _, f, _ in leg_mix(catalogue, sea)] == [kind]
    assert per_leg(catalogue)["bc-sea"] == pytest.approx(
        (222 * 20 * wtw_g / 1000, 222 * 20 * ttw_g / 1000)
    )


def test_ferry_and_road_legs_use_their_own_factors() -> None:
    text = emission_text().replace("mode: sea, distance_km", "mode: ferry, distance_km")
    assert per_leg(load(text))["bc-sea"] == pytest.approx(
        (222 * 20 * 100 / 1000, 222 * 20 * 90 / 1000)
    )
    text = emission_text().replace("mode: sea, distance_km", "mode: road, distance_km")
    assert per_leg(load(text))["bc-sea"] == pytest.approx(
        (222 * 20 * 100 / 1000, 222 * 20 * 80 / 1000)
    )


# --- the range -------------------------------------------------------------------------------


def test_with_every_figure_fixed_the_range_is_the_typical_value(cat: Catalogue) -> None:
    found = route_emission(cat, main_steps(cat), Sampler())
    assert found is not None
    low, typical, high = found.wtw_range.low, found.wtw_range.typical, found.wtw_range.high
    assert low == pytest.approx(typical) and high == pytest.approx(typical)


def test_the_range_follows_the_tonnes_drawn() -> None:
    """Only tonnes per FEU uncertain (16-24 t): every leg's draws are its typical × the same
    drawn tonnes / 20, so the route's range is its typical × their 10th and 90th percentiles."""
    catalogue = load(emission_text(tonnes="{value: 20, low: 16, high: 24, sources: [src-a]}"))
    found = route_emission(catalogue, main_steps(catalogue), Sampler(draws=400, seed=7))
    assert found is not None
    ratios = [np.asarray(leg.draws) / leg.wtw_kg for leg in found.legs]
    for ratio in ratios[1:]:
        np.testing.assert_allclose(ratio, ratios[0])
    assert 0.8 <= ratios[0].min() < 1 < ratios[0].max() <= 1.2
    low, high = np.percentile(ratios[0], [10, 90])
    assert found.wtw_range.low == pytest.approx(found.wtw_kg * low)
    assert found.wtw_range.high == pytest.approx(found.wtw_kg * high)


def test_a_drawn_electric_share_blends_grid_and_diesel() -> None:
    """B's share drawn in 0.5-0.7 on a 40 g grid against 30 g diesel: b-rail's draws lie between
    211 km × 20 t × 35 g and × 37 g, and are not all the same."""
    share = "{value: 0.6, low: 0.5, high: 0.7, sources: [src-a]}"
    catalogue = load(emission_text(bb_share=share))
    steps = main_steps(catalogue)
    b_rail = next(s for s in steps if s.leg.id == "b-rail")
    draws = np.asarray(leg_emission(catalogue, b_rail, Sampler(draws=400, seed=3)).draws)
    assert draws.min() >= 211 * 20 * 35 / 1000 - 1e-9
    assert draws.max() <= 211 * 20 * 37 / 1000 + 1e-9
    assert draws.max() - draws.min() > 1
    found = route_emission(catalogue, steps, Sampler(draws=400, seed=3))
    assert found is not None
    assert found.wtw_range.low < found.wtw_range.typical < found.wtw_range.high


def uncertain() -> Catalogue:
    grid = "{value: 40, low: 30, high: 60, sources: [src-b]}"
    tonnes = "{value: 20, low: 16, high: 24, sources: [src-a]}"
    share = "{value: 0.25, low: 0.1, high: 0.5, sources: [src-a]}"
    return load(emission_text(tonnes=tonnes, aa_share=share, bb_grid=grid))


def test_the_range_holds_typical_and_is_reproducible() -> None:
    catalogue = uncertain()
    steps = main_steps(catalogue)
    first = route_emission(catalogue, steps, Sampler(draws=300, seed=11))
    again = route_emission(catalogue, steps, Sampler(draws=300, seed=11))
    other = route_emission(catalogue, steps, Sampler(draws=300, seed=12))
    assert first is not None and again is not None and other is not None
    assert first.wtw_range.low < first.wtw_range.typical < first.wtw_range.high
    assert first.wtw_range == again.wtw_range
    assert (first.wtw_range.low, first.wtw_range.high) != (
        other.wtw_range.low,
        other.wtw_range.high,
    )
    assert first.wtw_range.typical == other.wtw_range.typical


# --- the summary -----------------------------------------------------------------------------


def test_summary_carries_co2e_per_corridor(cat: Catalogue) -> None:
    record = next(
        c for c in summary(cat, apply_scenario(cat, "baseline"))["corridors"] if c["id"] == "main"
    )
    assert record["co2e_kg_per_feu"] == 235  # 235.12
    assert record["co2e_ttw_kg_per_feu"] == 106  # 105.71
    assert record["co2e_kg_per_feu_range"] == {"low": 235, "typical": 235, "high": 235}
    assert record["co2e_by_leg_kg"] == {
        "a-rail": 55.5,
        "ab-border": 5.5,
        "b-rail": 151.9,
        "bc-sea": 22.2,
    }


def test_a_catalogue_without_emissions_has_no_co2e(tiny: Catalogue) -> None:
    assert tiny.parameters.emissions is None
    assert route_emission(tiny, main_steps(tiny)) is None
    for record in summary(tiny, apply_scenario(tiny, "baseline"))["corridors"]:
        assert not [key for key in record if key.startswith("co2e")], record["id"]
    done = run_geo("summary", "--catalogue", str(TINY), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "co2e" not in done.stdout


# --- the real catalogue (issue 17) -----------------------------------------------------------


@pytest.fixture(scope="module")
def real_summary() -> dict:
    done = run_geo("summary", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_real_corridor_carries_co2e_with_its_range(real_summary: dict) -> None:
    assert real_summary["corridors"]
    for record in real_summary["corridors"]:
        co2e, spread = record["co2e_kg_per_feu"], record["co2e_kg_per_feu_range"]
        assert co2e > 0, record["id"]
        assert spread["low"] < spread["typical"] == co2e < spread["high"], record["id"]
        assert 0 < record["co2e_ttw_kg_per_feu"] < co2e, record["id"]
        by_leg = record["co2e_by_leg_kg"]
        assert list(by_leg) == [leg["id"] for leg in record["legs"]], record["id"]
        assert sum(by_leg.values()) == pytest.approx(co2e, abs=1 + 0.05 * len(by_leg))


def test_real_factors_rank_deep_sea_below_rail_below_road(real: Catalogue) -> None:
    model = real.parameters.emissions
    assert model is not None
    wtw = {f.id: f.wtw_g_per_tkm.value for f in model.factors}
    assert wtw["sea-deep"] < min(wtw["rail-electric"], wtw["rail-diesel"])
    assert max(wtw["rail-electric"], wtw["rail-diesel"]) < wtw["road"]


def test_real_legs_per_feu_km_deep_sea_below_rail_below_road(
    real: Catalogue, real_summary: dict
) -> None:
    model = real.parameters.emissions
    assert model is not None
    kg: dict[str, float] = {"deep": 0, "rail": 0, "road": 0}
    km: dict[str, float] = {"deep": 0, "rail": 0, "road": 0}
    legs = {}
    for record in real_summary["corridors"]:
        for leg in record["legs"]:
            legs[leg["id"]] = (leg, record["co2e_by_leg_kg"][leg["id"]])
    for leg, leg_kg in legs.values():
        if leg["mode"] == "sea" and leg["distance_km"] > model.deep_sea_above_km:
            kind = "deep"
        elif leg["mode"] in ("rail", "road"):
            kind = leg["mode"]
        else:
            continue
        kg[kind] += leg_kg
        km[kind] += leg["distance_km"]
    assert all(km.values()), km
    per_km = {kind: kg[kind] / km[kind] for kind in kg}
    assert per_km["deep"] < per_km["rail"] < per_km["road"], per_km
