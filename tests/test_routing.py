"""The route finder on a four-node diamond whose answers are known."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from geo.catalogue import Catalogue
from geo.cli import main
from geo.errors import RouteError
from geo.loader import load_catalogue
from geo.metrics import evaluate_all
from geo.routing import detours, find_routes
from geo.scenarios import apply_scenario

DIAMOND = Path(__file__).parent / "data" / "diamond.yaml"


@pytest.fixture(scope="module")
def diamond() -> Catalogue:
    return load_catalogue(DIAMOND, strict=True)


def path_of(route) -> list[str]:
    return [route.steps[0].start, *(s.end for s in route.steps)]


def test_cheapest_route_goes_through_the_short_side(diamond: Catalogue) -> None:
    routes = find_routes(diamond, apply_scenario(diamond), "o", "d", optimise="cost")
    assert [path_of(r) for r in routes] == [["o", "p", "d"], ["o", "q", "d"]]
    assert routes[0].metrics.cost_usd_per_feu == pytest.approx(220)
    assert routes[1].metrics.cost_usd_per_feu == pytest.approx(300)


def test_least_exposed_route_avoids_the_gatekeeper(diamond: Catalogue) -> None:
    routes = find_routes(diamond, apply_scenario(diamond), "o", "d", optimise="exposure")
    assert path_of(routes[0]) == ["o", "q", "d"]
    assert routes[0].metrics.exposure.score < routes[1].metrics.exposure.score


def test_closing_a_country_reroutes(diamond: Catalogue) -> None:
    routes = find_routes(diamond, apply_scenario(diamond, "close-p"), "o", "d")
    assert [path_of(r) for r in routes] == [["o", "q", "d"]]


def test_no_open_route_is_an_empty_answer_not_an_error(diamond: Catalogue) -> None:
    assert find_routes(diamond, apply_scenario(diamond, "close-all"), "o", "d") == []


def test_routes_can_run_against_the_direction_legs_are_written(diamond: Catalogue) -> None:
    routes = find_routes(diamond, apply_scenario(diamond), "d", "o", optimise="distance")
    assert path_of(routes[0]) == ["d", "p", "o"]
    assert routes[0].steps[0].reversed


def test_unknown_node_is_a_route_error(diamond: Catalogue) -> None:
    with pytest.raises(RouteError, match="unknown node 'x'"):
        find_routes(diamond, apply_scenario(diamond), "o", "x")


def test_cli_route_prints_ranked_paths_and_says_when_none_is_open() -> None:
    out = io.StringIO()
    assert main(["route", "--catalogue", str(DIAMOND), "--from", "o", "--to", "d"], out=out) == 0
    assert "1. 220 km" in out.getvalue() and "o → p → d" in out.getvalue()
    out = io.StringIO()
    argv = [
        "route",
        "--catalogue",
        str(DIAMOND),
        "--from",
        "o",
        "--to",
        "d",
        "--scenario",
        "close-all",
    ]
    assert main(argv, out=out) == 0
    assert "No open route from O to D under 'close-all'." in out.getvalue()


@pytest.mark.parametrize("scenario", ["russia-transit-closed", "baseline"])
def test_detours_are_the_best_route_for_each_impassable_corridor(
    real: Catalogue, scenario: str
) -> None:
    """One network for all detours gives what a search per corridor gives."""
    active = apply_scenario(real, scenario)
    results = evaluate_all(real, active)
    blocked = [r for r in results if not r.passable]
    assert blocked  # TRIPP is planned, so even the baseline has one
    found = detours(real, active, results)
    assert set(found) == {r.corridor_id for r in blocked}
    for result in blocked:
        alone = find_routes(real, active, result.origin, result.destination, alternatives=1)
        route = found[result.corridor_id]
        assert (path_of(route) if route else None) == (path_of(alone[0]) if alone else None)
