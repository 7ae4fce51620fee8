"""The real catalogue: valid, fully sourced, and answering the questions it exists for."""

from __future__ import annotations

import json

import pytest

from geo.benchmarks import TOLERANCE, compare_benchmarks
from geo.catalogue import Catalogue, Mode, Status
from geo.cli import main
from geo.loader import check_catalogue_file
from geo.metrics import evaluate_corridor
from geo.scenarios import apply_scenario
from geo.validate import _figures
from tests.conftest import REAL

REQUIRED_CORRIDORS = {"khorgos", "lianyungang", "middle-corridor", "tripp", "northern", "suez"}
REQUIRED_SCENARIOS = {
    "baseline",
    "russia-transit-closed",
    "poland-belarus-border-closed",
    "caspian-storms",
    "tripp-operational",
    "middle-corridor-2030",
}


def test_validates_without_errors() -> None:
    catalogue, problems = check_catalogue_file(REAL)
    assert catalogue is not None, "\n".join(str(p) for p in problems)
    assert main(["validate", str(REAL)]) == 0


def test_has_the_required_corridors_and_scenarios(real: Catalogue) -> None:
    assert {c.id for c in real.corridors} >= REQUIRED_CORRIDORS
    assert {s.id for s in real.scenarios} >= REQUIRED_SCENARIOS


def test_every_figure_cites_a_known_source_or_states_its_method(real: Catalogue) -> None:
    known = {s.id for s in real.sources}
    figures = list(_figures(real, ()))
    assert len(figures) > 100
    for key, figure in figures:
        assert figure.sources or figure.estimate, key
        assert set(figure.sources) <= known, key


def test_sources_are_complete_bibliography_entries(real: Catalogue) -> None:
    for source in real.sources:
        assert source.title and source.publisher and source.year and source.accessed
        assert source.url is None or source.url.startswith(("http://", "https://"))


def test_rail_legs_have_a_gauge_and_long_land_legs_follow_waypoints(real: Catalogue) -> None:
    for leg in real.legs:
        if leg.mode is Mode.RAIL:
            assert leg.gauge_mm in (1435, 1520), leg.id
        if leg.mode is Mode.RAIL and leg.distance_km.value > 250:
            assert leg.waypoints, f"{leg.id} would be drawn as a straight chord"
        if leg.mode in (Mode.SEA, Mode.FERRY) and leg.distance_km.value > 300:
            assert leg.sea_route or leg.waypoints, f"{leg.id} would cut across land"


def test_gauge_breaks_are_where_the_articles_put_them(real: Catalogue) -> None:
    breaks = {n.id for n in real.nodes if n.gauge_break}
    assert {"altynkol", "dostyk", "malaszewicze", "akhalkalaki"} <= breaks
    khorgos = evaluate_corridor(real, "khorgos", apply_scenario(real))
    assert khorgos.gauge_breaks == 2  # 1435 → 1520 at Altynkol, 1520 → 1435 at Małaszewicze


def test_russia_closed_blocks_northern_and_leaves_the_middle_corridor(real: Catalogue) -> None:
    active = apply_scenario(real, "russia-transit-closed")
    northern = evaluate_corridor(real, "northern", active)
    assert not northern.passable
    assert {b.target for b in northern.blockers} == {"RU"}
    assert evaluate_corridor(real, "middle-corridor", active).passable


def test_tripp_opens_only_in_its_scenario(real: Catalogue) -> None:
    assert real.corridor("tripp").status is Status.PLANNED
    baseline = evaluate_corridor(real, "tripp", apply_scenario(real, "baseline"))
    assert not baseline.passable
    assert all(b.kind == "status" for b in baseline.blockers)
    assert evaluate_corridor(real, "tripp", apply_scenario(real, "tripp-operational")).passable


def test_poland_belarus_closure_blocks_routes_through_brest(real: Catalogue) -> None:
    active = apply_scenario(real, "poland-belarus-border-closed")
    assert not evaluate_corridor(real, "northern", active).passable
    assert not evaluate_corridor(real, "khorgos", active).passable
    assert evaluate_corridor(real, "middle-corridor", active).passable


def test_caspian_storms_slow_the_middle_corridor_only(real: Catalogue) -> None:
    base, storm = apply_scenario(real, "baseline"), apply_scenario(real, "caspian-storms")
    mc_base = evaluate_corridor(real, "middle-corridor", base)
    mc_storm = evaluate_corridor(real, "middle-corridor", storm)
    assert mc_storm.transit_days > mc_base.transit_days
    suez = evaluate_corridor(real, "suez", base).transit_days
    assert evaluate_corridor(real, "suez", storm).transit_days == pytest.approx(suez)


def test_middle_corridor_2030_is_faster_than_today(real: Catalogue) -> None:
    today = evaluate_corridor(real, "middle-corridor", apply_scenario(real, "baseline"))
    future = evaluate_corridor(
        real, "middle-corridor", apply_scenario(real, "middle-corridor-2030")
    )
    assert future.transit_days < today.transit_days


def test_exposure_puts_the_northern_route_above_suez(real: Catalogue) -> None:
    active = apply_scenario(real)
    northern = evaluate_corridor(real, "northern", active).exposure
    suez = evaluate_corridor(real, "suez", active).exposure
    assert northern.score > suez.score
    assert northern.gatekeeper_share["RU"] > 0.2
    assert sum(northern.gatekeeper_share.values()) > 0.5  # China and Russia together
    assert northern.sanctions_km > 1000


def test_model_meets_benchmarks_or_the_gap_is_explained(real: Catalogue) -> None:
    comparisons = compare_benchmarks(real, apply_scenario(real))
    assert len(comparisons) >= 5
    for comparison in comparisons:
        if not comparison.within_tolerance:
            assert comparison.benchmark.note, (
                f"{comparison.benchmark.id}: model {comparison.model_days:.1f} d, "
                f"${comparison.model_cost_usd:,.0f} is beyond ±{TOLERANCE:.0%} with no note"
            )


def test_summary_json_legs_carry_sources_and_coordinates(capsys: pytest.CaptureFixture) -> None:
    assert main(["summary", "--scenario", "russia-transit-closed", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {c["id"]: c for c in data["corridors"]}
    assert by_id["northern"]["passable"] is False
    assert by_id["middle-corridor"]["passable"] is True
    for corridor in data["corridors"]:
        assert 0 <= corridor["exposure"]["score"] <= 100
        for leg in corridor["legs"]:
            assert leg["sources"], f"{corridor['id']}: leg {leg['id']} has no source"
            assert {"id", "name", "lat", "lon", "country"} <= set(leg["from"])
            if leg["mode"] == "rail":
                assert leg["gauge_mm"] in (1435, 1520)
