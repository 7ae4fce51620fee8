"""Scenarios close legs for stated reasons and scale dwell, speed and cost, never the catalogue."""

from __future__ import annotations

import pytest

from geo.catalogue import Catalogue
from geo.errors import ScenarioError
from geo.metrics import evaluate_corridor
from geo.scenarios import apply_scenario


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
