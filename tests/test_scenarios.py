"""Scenarios close legs for stated reasons and scale dwell, speed and cost, never the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from geo.catalogue import Catalogue
from geo.errors import ScenarioError
from geo.loader import check_catalogue_file, load_catalogue
from geo.metrics import evaluate_corridor
from geo.scenarios import apply_scenario, rerouted
from tests.conftest import tiny_variant


def test_baseline_leaves_operational_corridors_open_and_planned_ones_shut(tiny: Catalogue) -> None:
    active = apply_scenario(tiny, "baseline")
    assert evaluate_corridor(tiny, "main", active).passable
    onward = evaluate_corridor(tiny, "onward", active)
    assert not onward.passable
    assert [(b.leg_id, b.kind) for b in onward.blockers] == [("c-planned", "status")]
    assert "planned, not yet open" in onward.blockers[0].reason


def test_opening_a_planned_leg_makes_the_corridor_passable(tiny: Catalogue) -> None:
    assert evaluate_corridor(tiny, "onward", apply_scenario(tiny, "open-planned")).passable


def test_closing_a_country_blocks_every_leg_touching_it(tiny: Catalogue) -> None:
    metrics = evaluate_corridor(tiny, "main", apply_scenario(tiny, "close-bb"))
    assert not metrics.passable
    assert {b.leg_id for b in metrics.blockers} == {"ab-border", "b-rail", "bc-sea"}
    assert all(b.kind == "country" and b.target == "BB" for b in metrics.blockers)
    assert "transit through Bland closed" in metrics.blockers[0].reason


def test_factors_follow_the_most_specific_rule(tiny: Catalogue) -> None:
    base = evaluate_corridor(tiny, "main", apply_scenario(tiny, "baseline"))
    slow = evaluate_corridor(tiny, "main", apply_scenario(tiny, "slow"))
    # dwell ×2 by default, but b-port (by_id) stays ×1
    assert slow.dwell_days == pytest.approx(2 * (1.0 + 0.5) + 2.0)
    # the sea leg runs at half speed: 222 km at 100 km/day instead of 200
    assert slow.moving_days - base.moving_days == pytest.approx(222 / 100 - 222 / 200)
    assert slow.cost_usd_per_feu == pytest.approx(base.cost_usd_per_feu * 1.1)


def test_scenarios_do_not_change_the_catalogue(tiny: Catalogue) -> None:
    before = tiny.model_dump()
    apply_scenario(tiny, "close-bb")
    apply_scenario(tiny, "slow")
    assert tiny.model_dump() == before


def test_unknown_scenario_names_the_known_ones(tiny: Catalogue) -> None:
    with pytest.raises(ScenarioError, match="unknown scenario 'nope'; known: baseline, close-bb"):
        apply_scenario(tiny, "nope")


def test_customise_adds_adjustments_on_top_of_the_preset(tiny: Catalogue) -> None:
    from geo.scenarios import Adjustments, customise, scenario_changes

    preset = tiny.scenario("slow")
    custom = customise(
        tiny, preset, Adjustments(close_legs=("bc-sea",), cost_factor=2.0, border_dwell_factor=0.5)
    )
    assert custom.id == "slow+custom" and preset.close_legs == []
    assert custom.close_legs == ["bc-sea"]
    assert custom.cost_factor.default == pytest.approx(1.1 * 2.0)
    assert custom.dwell_factor.by_kind["border_crossing"] == pytest.approx(2 * 0.5)
    main = evaluate_corridor(tiny, "main", apply_scenario(tiny, custom))
    assert [b.leg_id for b in main.blockers] == ["bc-sea"]
    changes = scenario_changes(tiny, custom)
    assert "Leg B Port – C Port closed" in changes
    assert "Cost ×2.2 by default" in changes


def test_opening_every_planned_leg(tiny: Catalogue) -> None:
    from geo.scenarios import Adjustments, customise

    custom = customise(tiny, tiny.scenario("baseline"), Adjustments(open_all_planned=True))
    assert evaluate_corridor(tiny, "onward", apply_scenario(tiny, custom)).passable


def test_no_adjustments_return_the_preset_itself(tiny: Catalogue) -> None:
    from geo.scenarios import Adjustments, customise

    assert customise(tiny, tiny.scenario("slow"), Adjustments()) is tiny.scenario("slow")


# A shortcut from A City straight to B Border, and a scenario that moves `main` onto it.
SHORTCUT_LEG = (
    "  - {id: ab-direct, from: a-city, to: b-border, mode: rail, gauge_mm: 1520,"
    " distance_km: {value: 100, sources: [src-a]}}\n"
)
SHORTCUT_SCENARIO = (
    "  - {id: shortcut, name: Shortcut, name_zh: 捷径, description: Main runs direct.,"
    " rationale: Fixture., reroute: {main: {replace: %s, with: %s}}}\n"
)


def shortcut_catalogue(
    write_yaml: Callable[[str], Path], replace: str = "[a-rail, ab-border]", to: str = "[ab-direct]"
) -> Path:
    text = tiny_variant("  - {id: c-planned,", SHORTCUT_LEG + "  - {id: c-planned,")
    anchor = "  - {id: open-planned,"
    return write_yaml(text.replace(anchor, SHORTCUT_SCENARIO % (replace, to) + anchor))


def test_a_reroute_moves_the_corridor_onto_the_new_legs(write_yaml: Callable[[str], Path]) -> None:
    catalogue = load_catalogue(shortcut_catalogue(write_yaml))
    base = evaluate_corridor(catalogue, "main", apply_scenario(catalogue, "baseline"))
    short = evaluate_corridor(catalogue, "main", apply_scenario(catalogue, "shortcut"))
    assert [leg.step.leg.id for leg in short.legs] == ["ab-direct", "b-rail", "bc-sea"]
    assert base.distance_km - short.distance_km == pytest.approx(111 + 11 - 100)
    assert short.passable and short.origin == "a-city"
    # the corridors the scenario does not name keep their own legs
    onward = evaluate_corridor(catalogue, "onward", apply_scenario(catalogue, "shortcut"))
    assert onward.legs[0].step.leg.id == "a-rail"
    assert catalogue.corridor("main").legs[0] == "a-rail"


def test_a_reroute_is_listed_among_the_scenario_changes(write_yaml: Callable[[str], Path]) -> None:
    from geo.i18n import translator
    from geo.scenarios import scenario_changes

    catalogue = load_catalogue(shortcut_catalogue(write_yaml))
    scenario = catalogue.scenario("shortcut")
    assert "Main rerouted via A City – B Border" in scenario_changes(catalogue, scenario)
    chinese = scenario_changes(catalogue, scenario, t=translator("zh"), lang="zh")
    assert "主线改经甲城 – 乙口岸" in chinese


@pytest.mark.parametrize(
    ("replace", "to", "where", "message"),
    [
        (
            "[ab-border, a-rail]",
            "[ab-direct]",
            "replace",
            "not consecutive legs of corridor 'main'",
        ),
        ("[a-rail, b-rail]", "[ab-direct]", "replace", "not consecutive legs of corridor 'main'"),
        ("[a-rail, ab-border]", "[c-planned]", "with", "onto legs that do not join"),
        ("[a-rail, ab-border]", "[ab-nowhere]", "with[0]", "unknown leg 'ab-nowhere'"),
        (
            "[a-rail, ab-border]",
            "[a-rail, ab-border, ab-direct, ab-direct]",
            "with",
            "more than once",
        ),
    ],
    ids=["out-of-order", "not-consecutive", "does-not-join", "unknown-leg", "loops"],
)
def test_a_reroute_that_does_not_fit_its_corridor_is_refused(
    write_yaml: Callable[[str], Path], replace: str, to: str, where: str, message: str
) -> None:
    catalogue, problems = check_catalogue_file(shortcut_catalogue(write_yaml, replace, to))
    errors = [p for p in problems if p.severity == "error"]
    report = "\n".join(str(p) for p in problems)
    assert catalogue is None and len(errors) == 1, report
    assert errors[0].where == f"scenarios[3].reroute.main.{where}"
    assert message in errors[0].message


def test_applying_a_reroute_that_does_not_fit_raises_a_scenario_error(tiny: Catalogue) -> None:
    from geo.catalogue import Reroute

    change = Reroute.model_validate({"replace": ["bc-sea", "b-rail"], "with": ["a-rail"]})
    with pytest.raises(ScenarioError, match="not consecutive legs"):
        rerouted(tiny.corridor("main").legs, change)
