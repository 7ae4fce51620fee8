"""Trade-offs and reliability: dominance with its reasons, chances from the ranges' own draws."""

from __future__ import annotations

import json

import numpy as np

from geo.catalogue import Catalogue
from geo.metrics import evaluate_all
from geo.reliability import chance_before, chance_within, reliability, transit_day_samples
from geo.scenarios import apply_scenario
from geo.tradeoffs import dominates, option_paths, tradeoff_options, tradeoffs
from geo.trips import Trip
from tests.conftest import run_geo


def test_dominance_is_no_worse_everywhere_and_better_somewhere(real: Catalogue) -> None:
    results = {r.corridor_id: r for r in evaluate_all(real, apply_scenario(real))}
    northern, middle = results["northern"], results["middle-corridor"]
    assert not dominates(northern, northern)  # equal is not better
    cheaper_faster = northern.cost_usd_per_feu < middle.cost_usd_per_feu
    assert cheaper_faster and northern.transit_days < middle.transit_days
    # the Middle Corridor is less exposed, so neither dominates the other
    assert middle.exposure.score < northern.exposure.score
    assert not dominates(northern, middle) and not dominates(middle, northern)


def test_a_dominated_option_names_what_beats_it_and_how(real: Catalogue) -> None:
    results = evaluate_all(real, apply_scenario(real))
    names = {c.id: c.name for c in real.corridors}
    options = {o.metrics.corridor_id: o for o in tradeoff_options(results, names)}
    assert "tripp" not in options  # impassable: not an option
    for option in options.values():
        for winner in option.dominated_by:
            assert dominates(options[winner].metrics, option.metrics)
        if option.dominated:
            assert option.reason.endswith(names[option.dominated_by[0]])
            assert any(w in option.reason for w in ("dearer", "slower", "more exposed"))
        else:
            assert option.reason == ""
    assert any(not o.dominated for o in options.values())


def test_tradeoffs_cli_json_meets_the_issue(real: Catalogue) -> None:
    result = run_geo("tradeoffs", "--from", "almaty", "--to", "duisburg", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    options = {o["id"]: o for o in data["options"]}
    assert len(options) >= 3
    assert sum(not o["dominated"] for o in options.values()) >= 2
    for option in options.values():
        if option["dominated"]:
            assert option["dominated_by"] and set(option["dominated_by"]) <= set(options)
            assert option["reason"]
        low, typical, high = (option["transit_days_range"][k] for k in ("low", "typical", "high"))
        assert low <= typical <= high


def test_chances_count_draws() -> None:
    days = np.array([10.0, 12.0, 14.0, 16.0])
    assert chance_within(days, 12.0) == 0.5
    assert chance_within(days, 9.0) == 0.0
    assert chance_before(days, days + 1) == 1.0
    assert chance_before(days, days) == 0.5  # ties count half
    assert chance_before(days + 1, days) == 0.0


def test_reliability_uses_the_ranges_draws_and_is_reproducible(real: Catalogue) -> None:
    active = apply_scenario(real)
    found = tradeoffs(real, active, Trip("kazakhstan-hubs", "japan"))
    paths = option_paths(found, active)
    first = reliability(found.answer.catalogue, active, paths, 20.0)
    again = reliability(found.answer.catalogue, active, paths, 20.0)
    assert first == again
    by_id = {r.corridor_id: r for r in first}
    lianyungang, caspian = by_id["lianyungang"], by_id["caspian-japan"]
    assert lianyungang.within > 0.9 and caspian.within < 0.1  # 12 against 50 days
    assert lianyungang.before["caspian-japan"] == 1.0
    assert abs(lianyungang.before["caspian-japan"] + caspian.before["lianyungang"] - 1) < 1e-9
    # the draws are the ones the range is made of: its 10th and 90th percentiles
    metrics = {m.corridor_id: m for m in evaluate_all(found.answer.catalogue, active)}
    steps = dict(paths)["lianyungang"]
    days = transit_day_samples(found.answer.catalogue, steps, active)
    low, high = np.percentile(days, [10, 90])
    expected = metrics["lianyungang"].transit_days_range
    assert abs(low - expected.low) < 0.05 and abs(high - expected.high) < 0.05


def test_a_season_is_a_scenario_caspian_storms_lower_the_chance(real: Catalogue) -> None:
    trip = Trip("kazakhstan-hubs", "japan")
    chances = {}
    for scenario in ("baseline", "caspian-storms"):
        active = apply_scenario(real, scenario)
        found = tradeoffs(real, active, trip)
        rows = reliability(found.answer.catalogue, active, option_paths(found, active), 55.0)
        chances[scenario] = {r.corridor_id: r.within for r in rows}["caspian-japan"]
    assert chances["caspian-storms"] < chances["baseline"]
