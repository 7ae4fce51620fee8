"""Trips (origin, market, cargo, countries avoided): the route finder's avoid, distinct and
runs-back rules on small catalogues, a trip's own catalogue, and the `route` command's answers
on the real catalogue."""

from __future__ import annotations

import json
from typing import Any

import pytest

from geo.catalogue import Catalogue
from geo.loader import check_catalogue_bytes
from geo.routing import find_routes, open_network, runs_back
from geo.scenarios import apply_scenario
from geo.trade import Place
from geo.trips import (
    Trip,
    commodity_exclusions,
    countries_on,
    route_records,
    trimmed_legs,
    trip_catalogue,
)
from tests.conftest import DATA, run_geo
from tests.test_trade import trade_text

DIAMOND = DATA / "diamond.yaml"
COLOURS = ["#112233", "#445566"]
MODE = (
    "{speed_km_per_day: {value: 100, sources: [s]}, "
    "cost_usd_per_feu_km: {value: 1.0, sources: [s]}}"
)
HEADER = (
    "meta: {title: Line, version: test, description: Route-finder fixture.}\n"
    "parameters:\n  modes:\n"
    + "".join(f"    {mode}: {MODE}\n" for mode in ("rail", "sea", "ferry", "road"))
    + "  border_crossing_cost_usd_per_feu: {value: 0, sources: [s]}\n"
    "  exposure: {weights: {instability: 0.5, sanctions: 0.5, gatekeepers: 0, borders: 0},\n"
    "    border_crossings_cap: 4, method: Fixture.}\n"
    + """\
sources:
  - {id: s, title: Source, publisher: Test, year: 2025, accessed: 2026-11-24}
countries:
  - {code: OO, name: Oland, name_zh: 甲, stability_percentile: {value: 90, sources: [s]}}
scenarios:
  - {id: baseline, name: Baseline, name_zh: 基准, description: As is., rationale: Nothing changes.}
"""
)


def rail(leg: str, start: str, end: str, km: float, extra: str = "") -> str:
    return (
        f"  - {{id: {leg}, from: {start}, to: {end}, mode: rail, gauge_mm: 1435, "
        f"distance_km: {{value: {km}, sources: [s]}}{extra}}}\n"
    )


def node(node_id: str, lat: float, lon: float) -> str:
    return (
        f"  - {{id: {node_id}, name: {node_id.upper()}, name_zh: {node_id}, kind: city, "
        f"country: OO, lat: {lat}, lon: {lon}, coordinates_basis: fixture}}\n"
    )


def load(text: str) -> Catalogue:
    catalogue, problems = check_catalogue_bytes(text, name="fixture.yaml")
    assert catalogue is not None, [str(p) for p in problems if p.severity == "error"]
    return catalogue


def path_of(route: Any) -> list[str]:
    return [route.steps[0].start, *(s.end for s in route.steps)]


# --- the route finder's rules ------------------------------------------------------------------

# A trunk o–m of 1,000 km, then two short branches to d: the second route is the first with a
# detour, sharing 1,000 of its 1,200 km.
FORK = (
    HEADER
    + "nodes:\n"
    + "".join(node(n, 0, lon) for n, lon in (("o", 0), ("m", 9), ("x", 10), ("d", 11)))
    + node("y", -1, 10)
    + "legs:\n"
    + rail("o-m", "o", "m", 1000)
    + rail("m-x", "m", "x", 100)
    + rail("x-d", "x", "d", 100)
    + rail("m-y", "m", "y", 110)
    + rail("y-d", "y", "d", 110)
    + "corridors:\n  - {id: trunk, name: Trunk, description: T., direction: east, legs: [o-m]}\n"
)


def test_alternatives_sharing_most_of_their_length_are_one_route(settings: Any) -> None:
    fork = load(FORK)
    routes = find_routes(fork, apply_scenario(fork), "o", "d")
    assert [path_of(r) for r in routes] == [["o", "m", "x", "d"]]
    settings.set(route_overlap_percent=90)  # 1,000 of 1,200 km is 83 %: now distinct
    routes = find_routes(fork, apply_scenario(fork), "o", "d")
    assert [path_of(r) for r in routes] == [["o", "m", "x", "d"], ["o", "m", "y", "d"]]


# From o to d (10 degrees east): direct but dear, or cheaply by way of `far` (20 degrees east),
# which comes back 1,113 km towards o; or out north to t and back, turning round between s and u.
BACK = (
    HEADER
    + "nodes:\n"
    + node("o", 0, 0)
    + node("d", 0, 10)
    + node("far", 0, 20)
    + node("s", 0, 5)
    + node("t", 20, 5)
    + node("u", 0, 5.5)
    + "legs:\n"
    + rail("o-d", "o", "d", 1113, ", cost_usd_per_feu: {value: 9000, sources: [s]}")
    + rail("o-far", "o", "far", 2226)
    + rail("far-d", "far", "d", 1113)
    + rail("o-s", "o", "s", 556)
    + rail("s-t", "s", "t", 2224)
    + rail("t-u", "t", "u", 2224)
    + rail("u-d", "u", "d", 500)
    + "corridors:\n  - {id: direct, name: Direct, description: D., direction: east, legs: [o-d]}\n"
)


def test_a_path_coming_back_towards_its_origin_is_not_offered(settings: Any) -> None:
    back = load(BACK)
    active = apply_scenario(back)
    graph = open_network(back, active, "cost")
    assert runs_back(back, ["o", "far", "d"], graph)
    assert not runs_back(back, ["o", "d"], graph)
    assert [path_of(r) for r in find_routes(back, active, "o", "d")] == [["o", "d"]]
    settings.set(route_backtrack_percent=60)  # 1,113 km back is under 60 % of 2,226 km
    assert not runs_back(back, ["o", "far", "d"], graph)
    routes = find_routes(back, active, "o", "d")
    assert [path_of(r) for r in routes] == [["o", "far", "d"], ["o", "d"]]


def test_route_backtrack_km_is_always_allowed(settings: Any) -> None:
    back = load(BACK)
    graph = open_network(back, apply_scenario(back), "cost")
    settings.set(route_backtrack_km=1200)
    assert not runs_back(back, ["o", "far", "d"], graph)


def test_a_path_that_turns_round_is_not_offered(settings: Any) -> None:
    back = load(BACK)
    graph = open_network(back, apply_scenario(back), "distance")
    settings.set(route_backtrack_percent=100)  # only the turning rule is left
    assert runs_back(back, ["o", "s", "t", "u", "d"], graph)  # 2,224 km out and back, 55 apart
    settings.set(route_backtrack_percent=100, route_turn_ratio=50)
    assert not runs_back(back, ["o", "s", "t", "u", "d"], graph)


def test_avoided_countries_are_never_touched(settings: Any) -> None:
    diamond = load(DIAMOND.read_text(encoding="utf-8"))
    active = apply_scenario(diamond)
    assert path_of(find_routes(diamond, active, "o", "d")[0]) == ["o", "p", "d"]
    routes = find_routes(diamond, active, "o", "d", avoid=["PP"])
    assert [path_of(r) for r in routes] == [["o", "q", "d"]]
    assert find_routes(diamond, active, "o", "d", avoid=["OO"]) == []
    assert "p" not in open_network(diamond, active, "cost", ["PP"])


# --- a trip's catalogue ------------------------------------------------------------------------


def place(place_id: str, role: str, nodes: list[str]) -> Place:
    return Place(id=place_id, role=role, name=f"Place {place_id}", nodes=nodes)  # type: ignore[arg-type]


def test_trimmed_legs_keep_the_stretch_between_origin_and_market(tiny: Catalogue) -> None:
    legs = tiny.corridor("onward").legs
    market = place("c", "market", ["c-port"])
    assert trimmed_legs(tiny, legs, place("a", "origin", ["a-city"]), market) == [
        "a-rail",
        "ab-border",
        "b-rail",
        "bc-sea",
    ]
    # a place's nodes are tried in its order, not the path's
    origin = place("b", "origin", ["b-border", "a-city"])
    assert trimmed_legs(tiny, legs, origin, market) == ["b-rail", "bc-sea"]
    assert trimmed_legs(tiny, legs, place("c", "origin", ["c-port"]), market) is None
    backwards = place("a", "market", ["a-city"])
    assert trimmed_legs(tiny, legs, place("c", "origin", ["c-port"]), backwards) is None
    assert trimmed_legs(tiny, legs, place("x", "origin", ["c-inland"]), market) is None


def test_countries_on_a_run_of_legs_in_travel_order(tiny: Catalogue) -> None:
    assert countries_on(tiny, ["a-rail", "ab-border", "b-rail", "bc-sea"]) == ["AA", "BB", "CC"]
    assert countries_on(tiny, ["bc-sea", "b-rail"]) == ["CC", "BB"]


@pytest.fixture(scope="module")
def trade() -> Catalogue:
    return load(trade_text())


def test_a_trip_keeps_its_corridors_trimmed_and_benchmarks_on_them(trade: Catalogue) -> None:
    answer = trip_catalogue(
        trade, apply_scenario(trade), Trip("a-origin", "c-market"), colours=COLOURS
    )
    assert answer.corridors == ["main", "onward"] and answer.found == [] and answer.avoided == []
    trimmed = {c.id: c.legs for c in answer.catalogue.corridors}
    assert trimmed["onward"] == ["a-rail", "ab-border", "b-rail", "bc-sea"]  # no c-planned
    assert [b.id for b in answer.catalogue.benchmarks] == ["main-reported"]
    assert trade.corridor("onward").legs[-1] == "c-planned"  # the catalogue is unchanged


def test_a_benchmark_off_the_trimmed_stretch_is_dropped() -> None:
    text = trade_text("nodes: [a-city, a-border]}", "nodes: [b-border]}")
    catalogue = load(text)
    trip = Trip("a-origin", "c-market")
    answer = trip_catalogue(catalogue, apply_scenario(catalogue), trip, colours=COLOURS)
    assert {c.id: c.legs for c in answer.catalogue.corridors}["main"] == ["b-rail", "bc-sea"]
    assert answer.catalogue.benchmarks == []  # it starts at a-border, before the stretch


DIAMOND_TRADE = DIAMOND.read_text(encoding="utf-8") + (
    "places:\n"
    "  - {id: oo, role: origin, name: O place, nodes: [o]}\n"
    "  - {id: dd, role: market, name: D place, nodes: [d]}\n"
)


def test_route_finder_options_follow_no_catalogued_corridor() -> None:
    diamond = load(DIAMOND_TRADE)
    answer = trip_catalogue(
        diamond,
        apply_scenario(diamond),
        Trip("oo", "dd"),
        colours=COLOURS,
        found_name="Option {rank} via {via}",
    )
    assert answer.corridors == ["via-p"] and answer.found == ["found-1"]
    found = answer.catalogue.corridor("found-1")
    assert found.legs == ["o-q", "q-d"]  # o–p–d is the catalogued corridor already
    assert (found.name, found.color) == ("Option 1 via Q", COLOURS[0])
    assert not answer.catalogue.benchmarks
    none = trip_catalogue(
        diamond, apply_scenario(diamond), Trip("oo", "dd", found=0), colours=COLOURS
    )
    assert none.found == [] and [c.id for c in none.catalogue.corridors] == ["via-p"]


def test_no_option_is_added_where_every_path_is_a_corridor() -> None:
    via_p = "legs: [o-p, p-d]}\n"
    both = DIAMOND_TRADE.replace(
        via_p,
        via_p + "  - {id: via-q, name: Via Q, description: Long., direction: east, "
        "legs: [o-q, q-d]}\n",
    )
    diamond = load(both)
    answer = trip_catalogue(diamond, apply_scenario(diamond), Trip("oo", "dd"), colours=COLOURS)
    assert answer.corridors == ["via-p", "via-q"] and answer.found == []


def test_avoided_corridors_are_kept_and_listed() -> None:
    diamond = load(DIAMOND_TRADE)
    trip = Trip("oo", "dd", avoid=("PP",))
    answer = trip_catalogue(diamond, apply_scenario(diamond), trip, colours=COLOURS)
    assert answer.corridors == ["via-p"] and answer.avoided == ["via-p"]
    assert "PP" not in countries_on(diamond, answer.catalogue.corridor("found-1").legs)


def test_commodity_exclusions_say_what_each_rule_closes(trade: Catalogue) -> None:
    assert commodity_exclusions(trade, apply_scenario(trade)) == []
    (ports,) = commodity_exclusions(trade, apply_scenario(trade, "baseline", "hot"))
    assert (ports.commodity, ports.rule, ports.targets, ports.legs) == (
        "hot",
        "ports",
        ["c-port"],
        2,
    )
    assert ports.reason.endswith("ports that do: b-port")
    (rule,) = commodity_exclusions(trade, apply_scenario(trade, "baseline", "ore"))
    assert (rule.rule, rule.targets, rule.legs) == ("0", ["ab-border"], 1)
    assert rule.reason == "ore may not cross at A Border"


def test_route_records_hold_countries_ranges_and_exclusions(trade: Catalogue) -> None:
    active = apply_scenario(trade, "baseline", "hot")
    routes = find_routes(trade, active, "a-city", "b-port")
    data = route_records(
        trade, active, routes, avoid=["CC"], exclusions=commodity_exclusions(trade, active)
    )
    assert (data["scenario"], data["commodity"], data["avoid"]) == ("baseline", "hot", ["CC"])
    assert data["excluded"] == [
        {"targets": ["c-port"], "legs_closed": 2, "reason": data["excluded"][0]["reason"]}
    ]
    (record,) = data["routes"]
    assert record["nodes"] == ["a-city", "a-border", "b-border", "b-port"]
    assert record["countries"] == ["AA", "BB"]
    days = record["transit_days_range"]
    assert days["low"] <= days["typical"] == record["transit_days"] <= days["high"]
    cost = record["cost_usd_per_feu_range"]
    assert cost["low"] <= cost["typical"] <= cost["high"] and cost["typical"] > 0
    json.dumps(data)  # the CLI writes it as JSON


# --- the command line --------------------------------------------------------------------------


def test_an_unknown_country_to_avoid_is_bad_usage_without_a_traceback() -> None:
    result = run_geo(
        "route", "--catalogue", str(DIAMOND), "--from", "o", "--to", "d", "--avoid", "PP,XX"
    )
    assert result.returncode == 2
    assert "unknown country code(s) in --avoid: XX" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def route_json(*argv: str) -> dict[str, Any]:
    result = run_geo("route", *argv, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_avoid_codes_are_read_in_any_case() -> None:
    data = route_json("--catalogue", str(DIAMOND), "--from", "o", "--to", "d", "--avoid", " pp ")
    assert data["avoid"] == ["PP"]
    assert [r["nodes"] for r in data["routes"]] == [["o", "q", "d"]]


@pytest.fixture(scope="module")
def real_ports(real: Catalogue) -> set[str]:
    return {n.id for n in real.nodes if n.kind.value in ("seaport", "ferry_terminal")}


def test_almaty_to_yokohama_avoiding_china_and_russia() -> None:
    data = route_json("--from", "almaty", "--to", "yokohama", "--avoid", "CN,RU")
    assert data["avoid"] == ["CN", "RU"] and data["routes"]
    for route in data["routes"]:
        assert not {"CN", "RU"} & set(route["countries"])
    best = data["routes"][0]
    assert "AZ" in best["countries"] and {"GE", "TR"} & set(best["countries"])
    assert best["nodes"][0] == "almaty" and best["nodes"][-1] == "yokohama"
    assert any(leg["mode"] == "sea" for leg in best["legs"])
    assert best["transit_days"] > 0 and best["cost_usd_per_feu"] > 0 and best["exposure"] > 0


def test_almaty_to_yokohama_avoiding_china_alone() -> None:
    data = route_json("--from", "almaty", "--to", "yokohama", "--avoid", "CN")
    assert data["routes"]
    assert all("CN" not in route["countries"] for route in data["routes"])


@pytest.mark.parametrize("port", ["baltimore", "los-angeles"])
def test_a_us_port_is_reachable_from_almaty_avoiding_russia(port: str) -> None:
    data = route_json("--from", "almaty", "--to", port, "--avoid", "RU")
    assert data["routes"]
    for route in data["routes"]:
        assert "RU" not in route["countries"] and route["countries"][-1] == "US"


def test_almaty_to_nhava_sheva_goes_through_iran_until_hormuz_closes() -> None:
    data = route_json("--from", "almaty", "--to", "nhava-sheva")
    assert data["routes"] and "IR" in data["routes"][0]["countries"]
    closed = route_json("--from", "almaty", "--to", "nhava-sheva", "--scenario", "hormuz-closed")
    assert closed["scenario"] == "hormuz-closed" and closed["routes"] == []
    result = run_geo("summary", "--scenario", "hormuz-closed", "--format", "json")
    assert result.returncode == 0, result.stderr
    corridors = {c["id"]: c for c in json.loads(result.stdout)["corridors"]}
    nse = corridors["north-south-east"]
    assert nse["passable"] is False and nse["blocked_by"]
    assert all(blocker["reason"] for blocker in nse["blocked_by"])


def test_uranium_uses_only_ports_that_take_it(real: Catalogue, real_ports: set[str]) -> None:
    accepting = set(real.commodity("uranium").accepting_ports or [])
    data = route_json("--from", "suzak-uranium", "--to", "rotterdam", "--commodity", "uranium")
    assert data["commodity"] == "uranium" and data["routes"] and data["excluded"]
    for route in data["routes"]:
        assert set(route["nodes"]) & real_ports <= accepting
        assert "CN" not in route["countries"]
    excluded = {t for e in data["excluded"] for t in e["targets"]}
    assert excluded & real_ports and not excluded & accepting
    text = run_geo(
        "route", "--from", "suzak-uranium", "--to", "rotterdam", "--commodity", "uranium"
    )
    assert text.returncode == 0 and "Excluded for uranium" in text.stdout
    assert "carrying Uranium ore concentrate" in text.stdout


def test_the_kazakhstan_japan_trip_on_the_real_catalogue(real: Catalogue) -> None:
    trip = Trip("kazakhstan-hubs", "japan", avoid=("CN",))
    answer = trip_catalogue(real, apply_scenario(real), trip, colours=COLOURS)
    origin, market = real.place("kazakhstan-hubs"), real.place("japan")
    assert "lianyungang" in answer.avoided and "caspian-japan" not in answer.avoided
    for corridor in answer.catalogue.corridors:
        nodes = [corridor.legs[0], corridor.legs[-1]]
        ends = {real.leg(nodes[0]).from_, real.leg(nodes[0]).to}
        assert ends & set(origin.nodes), corridor.id
        ends = {real.leg(nodes[-1]).from_, real.leg(nodes[-1]).to}
        assert ends & set(market.nodes), corridor.id
    for found in answer.found:
        assert "CN" not in countries_on(real, answer.catalogue.corridor(found).legs)
