"""Metrics on the tiny catalogue, against figures worked out by hand (see tests/data/tiny.yaml)."""

from __future__ import annotations

import pytest

from geo.benchmarks import compare_benchmarks
from geo.catalogue import Catalogue
from geo.metrics import evaluate_corridor, evaluate_steps
from geo.paths import orient
from geo.scenarios import apply_scenario

# main: a-city -rail 111 km- a-border -rail 11 km- b-border -rail 211 km- b-port -sea 222 km- c-port
MOVING_DAYS = 111 / 100 + 11 / 100 + 211 / 100 + 222 / 200  # rail 100 km/day, sea 200 km/day
DWELL_DAYS = 24 / 24 + 12 / 24 + 48 / 24  # a-border, b-border, b-port (ends excluded)
LEG_COST = 111 * 1.0 + (11 * 1.0 + 50) + 211 * 1.0 + (222 * 0.5 + 50)  # +50 per border crossed
HANDLING = 100 + 200  # a-border, b-port


@pytest.fixture(scope="module")
def main(tiny: Catalogue):
    return evaluate_corridor(tiny, "main", apply_scenario(tiny))


def test_distance_is_the_sum_of_legs_and_split_by_mode(main) -> None:
    assert main.distance_km == 555
    assert main.distance_by_mode == {"rail": 333, "sea": 222}


def test_transit_days_are_moving_time_plus_dwell_at_intermediate_nodes(main) -> None:
    assert main.moving_days == pytest.approx(MOVING_DAYS)
    assert main.dwell_days == pytest.approx(DWELL_DAYS)
    assert main.transit_days == pytest.approx(MOVING_DAYS + DWELL_DAYS)


def test_cost_is_legs_plus_handling_plus_border_crossings(main) -> None:
    assert main.cost_usd_per_feu == pytest.approx(LEG_COST + HANDLING)


def test_hops_count_borders_transshipments_and_gauge_breaks(main) -> None:
    assert main.border_crossings == 2  # AA→BB by rail, BB→CC by sea
    assert main.transshipments == 1  # rail→sea at b-port
    assert main.gauge_breaks == 1  # 1435→1520 at a-border
    assert main.hops == 4


def test_exposure_is_decomposed_by_country_and_at_sea(main) -> None:
    exposure = main.exposure
    km_aa, km_bb = 111 + 11 / 2, 11 / 2 + 211  # the border leg is split half and half
    assert exposure.km_share["AA"] == pytest.approx(km_aa / 555)
    assert exposure.km_share["BB"] == pytest.approx(km_bb / 555)
    assert "CC" not in exposure.km_share  # the sea leg BB→CC is at sea, not in CC
    assert exposure.at_sea_share == pytest.approx(222 / 555)
    assert exposure.jurisdictions == ["AA", "BB", "CC"]
    assert exposure.sanctions_km == pytest.approx(km_aa)
    assert exposure.gatekeeper_share == {"AA": pytest.approx(km_aa / 555)}
    instability = km_aa / 555 * 0.5 + km_bb / 555 * 0.2
    assert exposure.components == {
        "instability": pytest.approx(instability),
        "sanctions": pytest.approx(km_aa / 555),
        "gatekeepers": pytest.approx(km_aa / 555),
        "borders": pytest.approx(2 / 4),
        "chokepoints": 0.0,  # the fixture names no chokepoint
    }
    expected = 100 * (0.4 * instability + 0.3 * km_aa / 555 + 0.2 * km_aa / 555 + 0.1 * 0.5)
    assert exposure.score == pytest.approx(expected)


def test_exposure_weights_can_be_overridden(tiny: Catalogue) -> None:
    only_borders = {"instability": 0, "sanctions": 0, "gatekeepers": 0, "borders": 1}
    metrics = evaluate_corridor(tiny, "main", apply_scenario(tiny), weights=only_borders)
    assert metrics.exposure.score == pytest.approx(50.0)


def test_a_chokepoint_counts_once_per_name_and_the_component_stops_at_one(write_yaml) -> None:
    strait = "chokepoints: [{name: Strait, weight: 0.4, reason: fixture, sources: [src-a]}]"
    canal = "{name: Canal, weight: 0.8, reason: fixture}"
    border = "{id: b-border, name: B Border,"
    port = "{id: b-port, name: B Port,"
    one = _variant(write_yaml, (border, f"{border} {strait},"), (port, f"{port} {strait},"))
    exposure = evaluate_corridor(one, "main", apply_scenario(one)).exposure
    assert exposure.chokepoints == {"Strait": 0.4}  # two nodes of one strait: passed once
    assert exposure.components["chokepoints"] == pytest.approx(0.4)
    both = strait.replace("}]", f"}}, {canal}]")
    two = _variant(write_yaml, (port, f"{port} {both},"))
    exposure = evaluate_corridor(two, "main", apply_scenario(two)).exposure
    assert exposure.chokepoints == {"Strait": 0.4, "Canal": 0.8}
    assert exposure.components["chokepoints"] == 1.0


def test_a_chokepoint_weight_moves_the_score_by_its_share_of_the_weights(write_yaml) -> None:
    weights = "{instability: 0.4, sanctions: 0.3, gatekeepers: 0.2, borders: 0.1}"
    strait = "chokepoints: [{name: Strait, weight: 0.4, reason: fixture}]"
    port = "{id: b-port, name: B Port,"
    base = _variant(write_yaml, (port, f"{port} {strait},"))
    heavier = _variant(
        write_yaml,
        (port, f"{port} {strait},"),
        (weights, weights.replace("}", ", chokepoints: 1}")),
    )
    before = evaluate_corridor(base, "main", apply_scenario(base)).exposure.score
    after = evaluate_corridor(heavier, "main", apply_scenario(heavier)).exposure.score
    assert after == pytest.approx((before * 1.0 + 100 * 0.4 * 1) / 2.0)


def test_a_link_with_four_weights_still_applies_them(tiny: Catalogue) -> None:
    from geo.viewstate import parse_query

    state, notices = parse_query({"w": "0,0,0,1"}, tiny)
    assert notices == [] and state.weights_dict() == {
        "instability": 0.0,
        "sanctions": 0.0,
        "gatekeepers": 0.0,
        "borders": 1.0,
        "chokepoints": 0.0,
    }
    metrics = evaluate_corridor(tiny, "main", apply_scenario(tiny), weights=state.weights_dict())
    assert metrics.exposure.score == pytest.approx(50.0)  # borders alone: 2 crossings / cap 4


def test_the_suez_route_scores_on_chokepoints_and_the_cape_route_does_not(real: Catalogue) -> None:
    suez = evaluate_corridor(real, "suez", apply_scenario(real)).exposure
    cape = evaluate_corridor(real, "suez-cape", apply_scenario(real)).exposure
    assert set(suez.chokepoints) == {"Bab-el-Mandeb", "Suez Canal"}
    assert suez.components["chokepoints"] > 0
    assert cape.components["chokepoints"] == 0


def test_the_middle_corridor_passes_the_caspian_and_the_northern_route_malaszewicze(
    real: Catalogue,
) -> None:
    middle = evaluate_corridor(real, "middle-corridor", apply_scenario(real)).exposure
    northern = evaluate_corridor(real, "northern", apply_scenario(real)).exposure
    assert list(middle.chokepoints) == ["Caspian crossing"]
    assert list(northern.chokepoints) == ["Małaszewicze"]


def test_belarus_is_a_gatekeeper_on_the_northern_route_and_every_flag_gives_its_reason(
    real: Catalogue,
) -> None:
    northern = evaluate_corridor(real, "northern", apply_scenario(real)).exposure
    assert {"BY", "RU", "KZ"} <= set(northern.gatekeeper_share)
    middle = evaluate_corridor(real, "middle-corridor", apply_scenario(real)).exposure
    assert {"KZ", "AZ", "GE"} <= set(middle.gatekeeper_share)
    for country in real.countries:
        if country.gatekeeper:
            assert country.note is not None and "Gatekeeper:" in country.note, country.code


def test_every_chokepoint_cites_sources_the_catalogue_lists(real: Catalogue) -> None:
    known = {s.id for s in real.sources}
    named = [c for node in real.nodes for c in node.chokepoints]
    assert named and all(c.sources and set(c.sources) <= known for c in named)


def test_day_shares_include_dwell_in_the_node_country(main) -> None:
    days_aa = 111 / 100 + (11 / 100) / 2 + 1.0  # moving + half the border leg + a-border dwell
    assert main.exposure.day_share["AA"] == pytest.approx(days_aa / main.transit_days)


def test_travelling_a_corridor_backwards_keeps_distance_and_reverses_steps(tiny: Catalogue) -> None:
    steps = orient(tiny, ["bc-sea", "b-rail", "ab-border", "a-rail"])
    assert [s.start for s in steps] == ["c-port", "b-port", "b-border", "a-border"]
    assert steps[1].reversed is False  # b-rail is written b-port → b-border
    back = evaluate_steps(tiny, steps, apply_scenario(tiny))
    assert back.distance_km == 555
    assert back.gauge_breaks == 1


def test_benchmark_is_compared_on_its_own_stretch(tiny: Catalogue) -> None:
    (comparison,) = compare_benchmarks(tiny, apply_scenario(tiny))
    # a-border → c-port: drops the a-rail leg and a-border's own dwell and handling
    days = 11 / 100 + 211 / 100 + 222 / 200 + 12 / 24 + 48 / 24
    cost = (11 + 50) + 211 + (111 + 50) + 200
    assert comparison.model_days == pytest.approx(days)
    assert comparison.model_cost_usd == pytest.approx(cost)
    assert comparison.days_gap == pytest.approx((days - 6) / 6)  # below the reported 6–8 days
    assert comparison.cost_gap == pytest.approx((cost - 600) / 600)


# Cost by component, customs clearance and rail by network, on variants of the tiny catalogue.

AA = "{code: AA, name: Aland,"
BB = "{code: BB, name: Bland,"
CC = "{code: CC, name: Cland,"


def _variant(write_yaml, *changes: tuple[str, str]) -> Catalogue:
    from geo.loader import load_catalogue
    from tests.conftest import tiny_variant

    text = tiny_variant(*changes[0])
    for old, new in changes[1:]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return load_catalogue(write_yaml(text))


def test_the_cost_breakdown_names_each_component_and_sums_to_the_total(main) -> None:
    assert main.cost_breakdown == {
        "rail": pytest.approx(333),
        "sea": pytest.approx(111),
        "border": pytest.approx(100),  # AA→BB by rail, and entering CC at C Port
        "port_handling": pytest.approx(HANDLING),
    }
    assert sum(main.cost_breakdown.values()) == pytest.approx(main.cost_usd_per_feu)
    for leg in main.legs:
        assert sum(leg.cost_breakdown.values()) == pytest.approx(leg.cost_usd)


def test_a_leg_with_its_own_cost_counts_it_as_fixed_and_scales_it_with_the_scenario(
    write_yaml,
) -> None:
    sea = "{id: bc-sea, from: b-port, to: c-port, mode: sea, distance_km: {value: 222, "
    own = sea.replace(
        "distance_km:", "cost_usd_per_feu: {value: 400, sources: [src-b]}, distance_km:"
    )
    catalogue = _variant(write_yaml, (sea, own))
    slow = evaluate_corridor(catalogue, "main", apply_scenario(catalogue, "slow"))  # cost × 1.1
    assert slow.cost_breakdown["leg_fixed"] == pytest.approx(400 * 1.1)
    assert "sea" not in slow.cost_breakdown
    assert slow.cost_breakdown["border"] == pytest.approx(2 * 50 * 1.1)
    assert sum(slow.cost_breakdown.values()) == pytest.approx(slow.cost_usd_per_feu)


@pytest.mark.parametrize("bloc", ["EU", "EAEU"])
def test_no_border_charge_between_two_states_of_one_customs_union(write_yaml, bloc: str) -> None:
    catalogue = _variant(
        write_yaml, (AA, f"{AA} blocs: [{bloc}],"), (BB, f"{BB} blocs: [{bloc}, CSTO],")
    )
    metrics = evaluate_corridor(catalogue, "main", apply_scenario(catalogue))
    assert metrics.cost_breakdown["border"] == pytest.approx(50)  # only C Port, entering CC
    assert metrics.cost_usd_per_feu == pytest.approx(LEG_COST + HANDLING - 50)
    assert metrics.border_crossings == 2  # still a hop: the count is of country changes


def test_a_land_border_out_of_a_customs_union_is_charged(write_yaml) -> None:
    catalogue = _variant(write_yaml, (AA, f"{AA} blocs: [EU],"), (BB, f"{BB} blocs: [EAEU],"))
    metrics = evaluate_corridor(catalogue, "main", apply_scenario(catalogue))
    assert metrics.cost_breakdown["border"] == pytest.approx(100)


def test_no_border_charge_on_a_sea_leg_into_a_canal_but_at_the_port_of_entry(write_yaml) -> None:
    port = "{id: c-port, name: C Port, name_zh: 丙港, kind: seaport,"
    canal = _variant(write_yaml, (port, port.replace("seaport", "canal")))
    metrics = evaluate_corridor(canal, "main", apply_scenario(canal))
    assert metrics.cost_breakdown["border"] == pytest.approx(50)  # AA→BB by rail only
    ferry = _variant(write_yaml, (port, port.replace("seaport", "ferry_terminal")))
    metrics = evaluate_corridor(ferry, "main", apply_scenario(ferry))
    assert metrics.cost_breakdown["border"] == pytest.approx(100)


def test_a_sea_leg_within_one_customs_union_pays_no_border_charge(write_yaml) -> None:
    catalogue = _variant(write_yaml, (BB, f"{BB} blocs: [EU],"), (CC, f"{CC} blocs: [EU],"))
    metrics = evaluate_corridor(catalogue, "main", apply_scenario(catalogue))
    assert metrics.cost_breakdown["border"] == pytest.approx(50)  # AA→BB only


def test_rail_legs_use_their_start_countrys_network_else_the_mode(write_yaml) -> None:
    from geo.summary import leg_sources

    network = (
        f"{AA} rail_speed_km_per_day: {{value: 50, sources: [src-b]}}, "
        "rail_cost_usd_per_feu_km: {value: 2.0, sources: [src-b]},"
    )
    catalogue = _variant(write_yaml, (AA, network))
    metrics = evaluate_corridor(catalogue, "main", apply_scenario(catalogue))
    by_id = {leg.step.leg.id: leg for leg in metrics.legs}
    # a-rail and ab-border start in AA (A City, A Border); b-rail starts in BB (B Border)
    assert by_id["a-rail"].moving_days == pytest.approx(111 / 50)
    assert by_id["ab-border"].moving_days == pytest.approx(11 / 50)
    assert by_id["b-rail"].moving_days == pytest.approx(211 / 100)
    assert by_id["a-rail"].cost_usd == pytest.approx(111 * 2.0)
    assert by_id["ab-border"].cost_breakdown == {
        "rail": pytest.approx(22),
        "border": pytest.approx(50),
    }
    assert by_id["b-rail"].cost_usd == pytest.approx(211 * 1.0)
    assert leg_sources(catalogue, by_id["a-rail"].step) == ["src-a", "src-b"]
    assert leg_sources(catalogue, by_id["b-rail"].step) == ["src-a"]
    assert leg_sources(catalogue, catalogue.leg("ab-border")) == ["src-a", "src-b"]  # + border
