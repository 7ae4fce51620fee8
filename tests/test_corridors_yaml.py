"""The real catalogue: valid, fully sourced, and answering the questions it exists for."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from geo.benchmarks import compare_benchmarks, split
from geo.catalogue import Catalogue, Mode, Status
from geo.cli import main
from geo.loader import check_catalogue_bytes, check_catalogue_file
from geo.metrics import evaluate_corridor
from geo.scenarios import apply_scenario
from tests.conftest import REAL, line_of, tiny_variant

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


# The real file loads (above), so it meets every rule of the schema and the cross-checks. The
# two tests below show that the rules they name are enforced: a variant of the tiny catalogue
# that breaks one must be refused with exactly one error, naming the rule and where it broke.

FIGURES = [
    (
        "parameters.modes.rail.speed_km_per_day",
        "rail: {speed_km_per_day: {value: 100, sources: [src-a]}",
    ),
    (
        "parameters.border_crossing_cost_usd_per_feu",
        "cost_usd_per_feu: {value: 50, sources: [src-b]}",
    ),
    (
        "countries[1].stability_percentile",
        "乙国, stability_percentile: {value: 80, sources: [src-a]}",
    ),
    ("nodes[1].handling_usd_per_feu", "handling_usd_per_feu: {value: 100, sources: [src-b]}"),
    ("legs[3].distance_km", "distance_km: {value: 222, sources: [src-a]}"),
    ("benchmarks[0].transit_days", "transit_days: {value: 7, low: 6, high: 8, sources: [src-b]}"),
]
"""A sourced figure of each kind of record in the tiny catalogue: its YAML path, and its text."""
ESTIMATED = (
    'ferry: {speed_km_per_day: {value: 100, estimate: "fixture value chosen for arithmetic"}'
)
SOURCE_B = "{id: src-b, title: Source B, publisher: Test, year: 2025, accessed: 2026-11-24}"


def figure_cases() -> Iterator[object]:
    for where, text in FIGURES:
        unsourced = re.sub(r", sources: \[src-[ab]\]", "", text)
        yield pytest.param(
            text, unsourced, where, "a figure needs `sources`", id=f"unsourced:{where}"
        )
        yield pytest.param(
            text,
            re.sub(r"src-[ab]", "src-nowhere", text),
            f"{where}.sources[0]",
            "unknown source 'src-nowhere'",
            id=f"unknown-source:{where}",
        )
    yield pytest.param(
        ESTIMATED,
        ESTIMATED.replace("fixture value chosen for arithmetic", "guess"),
        "parameters.modes.ferry.speed_km_per_day.estimate",
        "string should have at least 10 characters",
        id="estimate-says-nothing",
    )


SOURCE_CASES = [
    # the tiny catalogue's second source changed, the error's YAML path, and what it says
    ("{id: src-b, publisher: Test, year: 2025, accessed: 2026-11-24}", "", "key 'title'"),
    ("{id: src-b, title: Source B, year: 2025, accessed: 2026-11-24}", "", "key 'publisher'"),
    ("{id: src-b, title: Source B, publisher: Test, accessed: 2026-11-24}", "", "key 'year'"),
    ("{id: src-b, title: Source B, publisher: Test, year: 2025}", "", "key 'accessed'"),
    (SOURCE_B.replace("Source B", "SB"), ".title", "at least 3 characters"),
    (SOURCE_B.replace("2025", "25"), ".year", "greater than or equal to 1900"),
    (SOURCE_B.replace("2025,", "2025, url: ftp://example.org/b,"), ".url", "'^https?://'"),
]


def the_one_error(old: str, new: str) -> tuple[str, int, str]:
    """Where (YAML path, line) and what the one error is that refuses `old` changed to `new`."""
    text = tiny_variant(old, new)
    catalogue, problems = check_catalogue_bytes(text.encode(), name="variant.yaml")
    errors = [p for p in problems if p.severity == "error"]
    report = "\n".join(str(p) for p in problems) or "(no problems)"
    assert catalogue is None, f"the variant was accepted:\n{report}"
    assert len(errors) == 1, report
    assert errors[0].line == line_of(text, new), report
    return errors[0].where, errors[0].line, errors[0].message


@pytest.mark.parametrize(("old", "new", "where", "message"), list(figure_cases()))
def test_every_figure_cites_a_known_source_or_states_its_method(
    old: str, new: str, where: str, message: str
) -> None:
    found_where, _, found = the_one_error(old, new)
    assert found_where == where
    assert message in found


@pytest.mark.parametrize(
    ("new", "where", "message"),
    SOURCE_CASES,
    ids=["no-title", "no-publisher", "no-year", "no-accessed", "title-2", "year-25", "ftp-url"],
)
def test_sources_are_complete_bibliography_entries(new: str, where: str, message: str) -> None:
    found_where, _, found = the_one_error(SOURCE_B, new)
    assert found_where == f"sources[1]{where}"
    assert message in found


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


@pytest.mark.parametrize("corridor_id", ["middle-corridor", "middle-corridor-btk", "tripp"])
def test_middle_corridor_2030_runs_the_corridors_over_moyinty_kyzylzhar(
    real: Catalogue, corridor_id: str
) -> None:
    today = evaluate_corridor(real, corridor_id, apply_scenario(real, "baseline"))
    future = evaluate_corridor(real, corridor_id, apply_scenario(real, "middle-corridor-2030"))
    used = [leg.step.leg.id for leg in future.legs]
    assert "moyinty-kyzylzhar" in used and "moyinty-zharyk" not in used
    assert "moyinty-kyzylzhar" not in [leg.step.leg.id for leg in today.legs]
    # the World Bank's 149 km saving, against this catalogue's detour of two estimated legs
    saved = today.distance_km - future.distance_km
    assert saved == pytest.approx(209 + 250 - 322.3)
    assert 100 < saved < 200


def test_the_summary_shows_the_middle_corridor_shorter_in_2030(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def middle_corridor(scenario: str) -> dict[str, Any]:
        assert main(["summary", "--scenario", scenario, "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        return next(c for c in data["corridors"] if c["id"] == "middle-corridor")

    today, future = middle_corridor("baseline"), middle_corridor("middle-corridor-2030")
    assert 100 < today["distance_km"] - future["distance_km"] < 200
    assert "moyinty-kyzylzhar" in [leg["id"] for leg in future["legs"]]


def test_kazakhstan_to_japan_runs_on_the_turksib_not_via_astana(real: Catalogue) -> None:
    from geo.metrics import evaluate_steps
    from geo.paths import corridor_nodes, orient

    active = apply_scenario(real)
    turksib = evaluate_corridor(real, "northern-pacific", active)
    nodes = corridor_nodes([leg.step for leg in turksib.legs])
    assert nodes[:7] == ["almaty", "zhetygen", "aktogay", "ayagoz", "semey", "lokot", "barnaul"]
    assert "astana" not in nodes and "petropavl" not in nodes
    assert real.node("lokot").country == "RU" and real.node("semey").country == "KZ"
    assert real.node("lokot").dwell_hours is not None
    # the old path via Astana and Petropavl is still in the catalogue (other corridors use it)
    old = ["almaty-shu", "shu-moyinty", "moyinty-zharyk", "zharyk-karaganda", "karaganda-astana"]
    old += ["astana-petropavl", "petropavl-omsk", "omsk-novosibirsk"]
    via_astana = orient(real, [*old, *(leg.step.leg.id for leg in turksib.legs[7:])])
    longer = evaluate_steps(real, via_astana, active).distance_km - turksib.distance_km
    assert 800 < longer < 1300  # the audit's "about 1,000 km too long"


def test_the_stale_border_inputs_the_audit_named_are_dated(real: Catalogue) -> None:
    from geo.validate import dated_figures, figure_label

    dated = {figure_label(real, key): figure.as_of for key, figure in dated_figures(real)}
    assert dated["nodes[brest].dwell_hours"] == 2015
    assert dated["nodes[malaszewicze].dwell_hours"] == 2018
    assert dated["nodes[dostyk].dwell_hours"] == 2016
    assert all(year is not None and year < 2021 for year in dated.values())
    # a figure of 2022 is within five years of the catalogue's 2026 and is not dated
    assert "nodes[alashankou].dwell_hours" not in dated
    assert real.node("alashankou").dwell_hours.as_of == 2022  # type: ignore[union-attr]


def test_a_dated_figure_is_a_warning_that_names_it_not_an_error() -> None:
    old = "dwell_hours: {value: 24, sources: [src-a]}"
    for as_of, warned in ((2019, True), (2021, False)):
        text = tiny_variant(old, old.replace("}", f", as_of: {as_of}}}"))
        catalogue, problems = check_catalogue_bytes(text.encode(), name="variant.yaml")
        assert catalogue is not None
        dated = [p for p in problems if "describes" in p.message]
        assert bool(dated) is warned
        if warned:
            assert dated[0].severity == "warning"
            assert dated[0].message.startswith("nodes[a-border].dwell_hours describes 2019")
            assert dated[0].line == line_of(text, "as_of: 2019")


def test_a_catalogue_without_sources_has_no_date_and_nothing_dated(tiny: Catalogue) -> None:
    from geo.validate import catalogue_year, dated_figures

    assert catalogue_year(tiny) == 2026
    bare = tiny.model_copy(update={"sources": []})
    assert catalogue_year(bare) is None and dated_figures(bare) == []


def test_encyclopaedia_mirrors_are_graded_low_as_the_rule_says(real: Catalogue) -> None:
    mirrors = [s for s in real.sources if "mirror" in s.publisher.lower()]
    assert len(mirrors) >= 7
    assert all(s.quality == "low" for s in mirrors), [s.id for s in mirrors if s.quality != "low"]


def test_kazakh_distances_use_the_railway_s_own_figures(real: Catalogue) -> None:
    almaty_shu = real.leg("almaty-shu").distance_km
    assert almaty_shu.value == 306 and almaty_shu.sources == ["ktz-2015-almaty-shu"]
    assert real.source("ktz-2015-almaty-shu").url == (
        "https://txk.kz/index.php/en/news/67-nurly-zhol-in-action"
    )
    zhetygen = real.leg("altynkol-zhetygen").distance_km
    assert zhetygen.value == 293 and "tengrinews-2011-zhetygen-korgas" in zhetygen.sources
    kyzylzhar = real.leg("moyinty-kyzylzhar").distance_km
    assert kyzylzhar.value == 322.3 and "astanatimes-2026-02-wb-kyzylzhar" in kyzylzhar.sources


def test_the_sources_page_lists_the_dated_figures(real: Catalogue) -> None:
    from streamlit.testing.v1 import AppTest

    from geo.validate import dated_figures
    from tests.conftest import REPO

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/sources.py")
    at.run()
    assert not at.exception
    count = len(dated_figures(real))
    assert any(h.value == f"Dated figures ({count})" for h in at.subheader)
    table = at.dataframe[1].value
    assert len(table) == count
    assert "nodes[brest].dwell_hours" in set(table["figure"])


def test_exposure_puts_the_northern_route_above_suez(real: Catalogue) -> None:
    active = apply_scenario(real)
    northern = evaluate_corridor(real, "northern", active).exposure
    suez = evaluate_corridor(real, "suez", active).exposure
    assert northern.score > suez.score
    assert northern.gatekeeper_share["RU"] > 0.2
    assert sum(northern.gatekeeper_share.values()) > 0.5  # China and Russia together
    assert northern.sanctions_km > 1000


def test_every_validation_benchmark_outside_the_model_range_explains_itself(
    real: Catalogue,
) -> None:
    _, validation = split(compare_benchmarks(real, apply_scenario(real)))
    assert len(validation) >= 8
    for comparison in validation:
        if not comparison.inside:
            assert comparison.benchmark.note, (
                f"{comparison.benchmark.id}: outside the model's range with no note saying why"
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


# --- Deep sea by routing, port handling by port (issue 15, items 1 and 2, data side) ---

PORTS = {"lianyungang", "shanghai", "aktau", "kuryk", "vostochny", "vladivostok", "rotterdam"}
PORTS |= {"alat", "poti", "batumi", "constanta"}


def test_no_port_charges_the_ukrainian_per_wagon_ferry_fee(real: Catalogue) -> None:
    for node_id in PORTS:
        handling = real.node(node_id).handling_usd_per_feu
        assert handling is not None, node_id
        assert "plaske-ferry-charges" not in handling.sources, node_id
        assert handling.sources, f"{node_id}: port handling cites no tariff or comparable port"
        assert 50 <= handling.value <= 500, f"{node_id}: {handling.value} is no THC per box"


def test_the_cape_corridor_differs_from_suez_only_at_sea(real: Catalogue) -> None:
    suez, cape = real.corridor("suez"), real.corridor("suez-cape")
    land = [leg for leg in suez.legs if real.leg(leg).mode is not Mode.SEA]
    assert [leg for leg in cape.legs if real.leg(leg).mode is not Mode.SEA] == land
    (sea,) = [real.leg(leg) for leg in cape.legs if real.leg(leg).mode is Mode.SEA]
    assert {"suez", "babalmandab"} <= set(sea.sea_route_restrictions)


def test_the_cape_lane_rounds_africa_and_never_enters_the_canal(real: Catalogue) -> None:
    from geo.geometry import leg_coords

    coords = leg_coords(real, real.leg("shanghai-rotterdam-cape"))
    assert min(lat for _, lat in coords) < -33  # south of the Cape of Good Hope (34.4° S)
    in_canal = [(lon, lat) for lon, lat in coords if 32 < lon < 33 and 29.5 < lat < 31.5]
    assert not in_canal


def test_sailing_round_the_cape_takes_at_least_a_week_longer(real: Catalogue) -> None:
    active = apply_scenario(real)
    suez = evaluate_corridor(real, "suez", active)
    cape = evaluate_corridor(real, "suez-cape", active)
    assert cape.transit_days - suez.transit_days >= 7  # Rodrigue: 7 days at least, 10-14 usual
    assert cape.cost_usd_per_feu > suez.cost_usd_per_feu


def test_the_deep_sea_corridors_say_which_routing_the_baseline_assumes(real: Catalogue) -> None:
    for corridor_id in ("suez", "suez-cape"):
        description = real.corridor(corridor_id).description
        assert "Cape" in description and "28 Feb 2026" in description, corridor_id
        assert real.corridor(corridor_id).description_zh, corridor_id


# --- Rail by network (issue 15, item 1, data side) ---

RAIL_NETWORKS = ("CN", "KZ", "RU", "BY", "AZ", "GE", "TR", "PL", "RO", "HU", "AT", "BG", "RS")


def test_every_rail_network_on_a_corridor_has_its_own_sourced_speed(real: Catalogue) -> None:
    for code in RAIL_NETWORKS:
        speed = real.country(code).rail_speed_km_per_day
        assert speed is not None and speed.sources, code
        assert 200 <= speed.value <= 1500, f"{code}: {speed.value} km/day"


def test_the_1520_mm_network_shares_the_erai_westbound_rate(real: Catalogue) -> None:
    rates = {code: real.country(code).rail_cost_usd_per_feu_km for code in ("KZ", "RU", "BY")}
    assert all(rate is not None and "index1520-erai" in rate.sources for rate in rates.values())
    assert len({rate.value for rate in rates.values() if rate is not None}) == 1


def test_caucasus_and_european_trains_run_slower_than_on_the_1520_mm_network(
    real: Catalogue,
) -> None:
    def speed(code: str) -> float:
        figure = real.country(code).rail_speed_km_per_day
        assert figure is not None
        return figure.value

    assert speed("AZ") < speed("KZ") and speed("GE") < speed("KZ")
    assert speed("PL") < speed("BY")


def test_caucasus_rail_costs_more_per_km_than_the_1520_mm_network(real: Catalogue) -> None:
    caucasus = real.country("GE").rail_cost_usd_per_feu_km
    eurasian = real.country("KZ").rail_cost_usd_per_feu_km
    assert caucasus is not None and eurasian is not None
    assert caucasus.value > eurasian.value
