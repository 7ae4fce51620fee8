"""Capacity and bottlenecks: a diversion's load, utilisation, extra wait and first element to
saturate worked out by hand on the tiny catalogue with two rival corridors and five capacities,
the `capacity` command's answers and refusals, the catalogue checks, then the real catalogue."""

from __future__ import annotations

import json
from typing import Any

import pytest

from geo.capacity import Diversion, diversion_records, divert
from geo.catalogue import Catalogue
from geo.loader import check_catalogue_bytes
from geo.scenarios import apply_scenario
from tests.conftest import TINY, line_of, run_geo

LEGS = """\
  - {id: ac-road, from: a-city, to: c-port, mode: road, distance_km: {value: 600, sources: [src-a]}}
  - {id: ac-sea, from: a-border, to: c-port, mode: sea, distance_km: {value: 500, sources: [src-a]}}
"""
CORRIDORS = """\
  - {id: direct, name: Direct, name_zh: 直达, description: A to C by road., direction: eastbound,
     legs: [ac-road]}
  - {id: coastal, name: Coastal, name_zh: 沿海, description: A to C by rail and sea.,
     direction: eastbound, legs: [a-rail, ac-sea]}
"""
CAPACITIES = """\
capacities:
  - {id: a-border-x, node: a-border, capacity_teu_per_year: {value: 1000, sources: [src-a]},
     volume_teu_per_year: {value: 600, sources: [src-b]}}
  - {id: c-port-x, node: c-port, capacity_teu_per_year: {value: 2000, sources: [src-a]},
     volume_teu_per_year: {value: 1500, sources: [src-a]}}
  - {id: road-x, leg: ac-road, capacity_teu_per_year: {value: 500, sources: [src-a]},
     volume_teu_per_year: {value: 300, sources: [src-a]}}
  - {id: sea-x, leg: ac-sea, capacity_teu_per_year: {value: 800, sources: [src-b]}}
  - {id: b-border-x, node: b-border, capacity_teu_per_year: {value: 400, sources: [src-a]},
     volume_teu_per_year: {value: 100, sources: [src-a]}}
corridor_volumes:
  - {corridor: main, teu_per_year: {value: 1000, sources: [src-a]}}
  - {corridor: direct, teu_per_year: {value: 400, sources: [src-a]}}
"""


def capacity_text(old: str = "", new: str = "") -> str:
    """The tiny catalogue plus a road corridor (`direct`) and a rail-and-sea one (`coastal`), both
    A to C like `main`, with capacities and volumes; `old` (once) replaced by `new`."""
    text = TINY.read_text(encoding="utf-8")
    for anchor, extra in (("\ncorridors:\n", LEGS), ("\nbenchmarks:\n", CORRIDORS)):
        assert text.count(anchor) == 1
        text = text.replace(anchor, "\n" + extra + anchor[1:])
    text += CAPACITIES
    if old:
        assert text.count(old) == 1, f"fixture text {old!r} must occur exactly once"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    catalogue, problems = check_catalogue_bytes(capacity_text(), name="capacity.yaml")
    assert catalogue is not None, [str(p) for p in problems]
    return catalogue


def run(catalogue: Catalogue, source: str, share: float, to: str | None = None) -> Diversion:
    return divert(catalogue, apply_scenario(catalogue, "baseline"), source, share, to)


def by_id(found: Diversion) -> dict[str, Any]:
    return {e.capacity.id: e for e in found.elements}


# --- the arithmetic --------------------------------------------------------------------------


def test_moved_volume_spreads_over_the_open_rivals_of_the_same_market(cat: Catalogue) -> None:
    found = run(cat, "main", 0.1)
    # 10 % of main's 1,000 TEU; `onward` (planned, closed) is not a target.
    assert found.moved_teu == pytest.approx(100)
    assert found.targets == ["direct", "coastal"]
    loads = {k: (e.base_teu, e.load_teu) for k, e in by_id(found).items()}
    assert loads == {
        "a-border-x": pytest.approx((600, 550)),  # main and coastal pass: -100 + 50
        "c-port-x": pytest.approx((1500, 1500)),  # every corridor passes: -100 + 100
        "road-x": pytest.approx((300, 350)),  # direct only: + 50
        "sea-x": pytest.approx((0, 50)),  # coastal only, no volume reported: 0 + 50
        "b-border-x": pytest.approx((100, 0)),  # main only: -100
    }


def test_utilisation_is_load_over_capacity_and_elements_are_sorted_by_it(cat: Catalogue) -> None:
    found = run(cat, "main", 0.1)
    utilisation = {e.capacity.id: e.utilisation for e in found.elements}
    assert utilisation == pytest.approx(
        {"c-port-x": 0.75, "road-x": 0.7, "a-border-x": 0.55, "sea-x": 0.0625, "b-border-x": 0}
    )
    assert list(utilisation) == ["c-port-x", "road-x", "a-border-x", "sea-x", "b-border-x"]
    assert by_id(found)["road-x"].base_utilisation == pytest.approx(0.6)


def test_extra_wait_follows_the_queue_rule_on_the_elements_own_time(cat: Catalogue) -> None:
    elements = by_id(run(cat, "main", 0.1))
    # road-x: 600 km at 100 km/day = 6 days; u 0.6 -> 0.7: 6 × (0.4 / 0.3 − 1) = 2 days.
    assert elements["road-x"].extra_wait_days == pytest.approx(2.0)
    # sea-x: 500 km at 200 km/day = 2.5 days; u 0 -> 1/16: 2.5 × (1 / (15/16) − 1) = 1/6.
    assert elements["sea-x"].extra_wait_days == pytest.approx(2.5 / 15)
    # a load that falls or stays adds nothing
    for falling in ("a-border-x", "b-border-x", "c-port-x"):
        assert elements[falling].extra_wait_days == pytest.approx(0.0)
    # nodes: dwell is the time. direct -> main, half of 400 TEU: B Border 12 h, u 0.25 -> 0.75:
    # 0.5 × (0.75 / 0.25 − 1) = 1 day; A Border 24 h, u 0.6 -> 0.8: 1 × (0.4 / 0.2 − 1) = 1 day.
    onto_main = by_id(run(cat, "direct", 0.5, to="main"))
    assert onto_main["b-border-x"].load_teu == pytest.approx(300)
    assert onto_main["b-border-x"].extra_wait_days == pytest.approx(1.0)
    assert onto_main["a-border-x"].extra_wait_days == pytest.approx(1.0)


def test_first_to_saturate_needs_the_smallest_share(cat: Catalogue) -> None:
    found = run(cat, "main", 0.1)
    # road-x gains 500 TEU per unit share with 200 free: 0.4; sea-x gains 500 with 800 free: 1.6.
    elements = by_id(found)
    assert elements["road-x"].saturating_share == pytest.approx(0.4)
    assert elements["sea-x"].saturating_share == pytest.approx(1.6)
    assert elements["a-border-x"].saturating_share is None  # its load only falls
    assert elements["c-port-x"].saturating_share is None  # unchanged
    assert found.first_to_saturate is elements["road-x"]
    records = diversion_records(cat, found)
    assert records["first_to_saturate"] == "road-x"
    assert records["first_saturates_at_share"] == pytest.approx(0.4)
    onto_main = run(cat, "direct", 0.5, to="main")  # B Border: 300 free / 400 = 0.75, A: 1.0
    assert onto_main.first_to_saturate is not None
    assert onto_main.first_to_saturate.capacity.id == "b-border-x"
    assert onto_main.first_to_saturate.saturating_share == pytest.approx(0.75)


@pytest.mark.parametrize("share", [0.4, 0.7, 1.0])
def test_at_or_past_capacity_the_element_is_saturated(cat: Catalogue, share: float) -> None:
    found = run(cat, "main", share)
    road = by_id(found)["road-x"]
    assert road.load_teu == pytest.approx(300 + 500 * share)
    assert road.utilisation >= 1 and road.extra_wait_days is None
    record = next(r for r in diversion_records(cat, found)["elements"] if r["id"] == "road-x")
    assert record["saturated"] is True and record["extra_wait_days"] is None
    just_below = by_id(run(cat, "main", 0.39))["road-x"]
    assert just_below.utilisation < 1 and just_below.extra_wait_days is not None


def test_to_sends_all_the_moved_volume_to_that_corridor(cat: Catalogue) -> None:
    found = run(cat, "main", 0.1, to="direct")
    assert found.targets == ["direct"]
    elements = by_id(found)
    assert elements["road-x"].load_teu == pytest.approx(300 + 100)
    assert elements["sea-x"].load_teu == pytest.approx(0)  # coastal gets nothing
    assert elements["a-border-x"].load_teu == pytest.approx(600 - 100)


def test_a_share_of_zero_changes_nothing(cat: Catalogue) -> None:
    for e in run(cat, "main", 0.0).elements:
        assert e.load_teu == pytest.approx(e.base_teu)
        assert e.extra_wait_days == pytest.approx(0.0)


# --- the command -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cat_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("capacity") / "capacity.yaml"
    path.write_text(capacity_text(), encoding="utf-8")
    return str(path)


def test_the_command_reports_the_diversion_as_json(cat_path: str) -> None:
    done = run_geo("capacity", "--catalogue", cat_path, "--divert-from", "main", "--share", "0.1",
                   "--to", "coastal", "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["divert_from"], data["moved_teu_per_year"], data["to"]) == (
        "main",
        100,
        ["coastal"],
    )
    elements = {e["id"]: e for e in data["elements"]}
    assert elements["sea-x"]["load_teu_per_year"] == 100
    assert elements["sea-x"]["utilisation"] == pytest.approx(0.125)
    assert elements["sea-x"]["volume_reported"] is False
    assert elements["road-x"]["load_teu_per_year"] == 300
    assert elements["a-border-x"]["sources"] == ["src-a", "src-b"]
    assert data["first_to_saturate"] == "sea-x"
    assert data["first_saturates_at_share"] == pytest.approx(0.8)


def test_the_table_names_the_first_to_saturate(cat_path: str) -> None:
    done = run_geo("capacity", "--catalogue", cat_path, "--divert-from", "main", "--share", "0.5")
    assert done.returncode == 0, done.stderr
    assert "Moving 50% of main (500 TEU a year) onto direct, coastal" in done.stdout
    assert "saturated" in done.stdout and "(current volume not reported)" in done.stdout
    assert "First to saturate: road-x, at 40% of main's volume" in done.stdout


WITHIN = "but is expected to be within 0..1"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--divert-from", "main", "--share", "1.5"], f"--share was 1.5 {WITHIN}"),
        (["--divert-from", "main", "--share=-0.1"], f"--share was -0.1 {WITHIN}"),
        (["--divert-from", "nowhere"], "unknown corridor 'nowhere'"),
        (["--divert-from", "main", "--to", "nowhere"], "unknown corridor 'nowhere'"),
        (["--divert-from", "coastal"], "no annual volume is catalogued for 'coastal'"),
    ],
    ids=["share-above-1", "share-below-0", "unknown-source", "unknown-target", "no-volume"],
)  # fmt: skip
def test_bad_requests_exit_2_with_a_clear_message(
    cat_path: str, argv: list[str], message: str
) -> None:
    done = run_geo("capacity", "--catalogue", cat_path, *argv)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


# --- the catalogue checks --------------------------------------------------------------------


def errors(text: str) -> list[str]:
    catalogue, problems = check_catalogue_bytes(text, name="capacity.yaml")
    found = [f"{p.line}: {p.message}" for p in problems if p.severity == "error"]
    assert catalogue is None and found
    return found


@pytest.mark.parametrize(
    ("old", "new", "message", "locator"),
    [
        ("id: a-border-x, node: a-border,", "id: a-border-x, node: a-bordr,",
         "'a-border-x' names unknown node 'a-bordr'", "a-bordr"),
        ("id: road-x, leg: ac-road,", "id: road-x, leg: ac-rode,",
         "'road-x' names unknown leg 'ac-rode'", "ac-rode"),
        ("id: sea-x, leg: ac-sea,", "id: sea-x, leg: ac-sea, node: c-port,",
         "a capacity names exactly one `node` or `leg`", "id: sea-x"),
        ("id: sea-x, leg: ac-sea,", "id: sea-x,",
         "a capacity names exactly one `node` or `leg`", "id: sea-x"),
        ("{corridor: direct,", "{corridor: direkt,",
         "'corridor_volumes' names unknown corridor 'direkt'", "direkt"),
    ],
    ids=["unknown-node", "unknown-leg", "node-and-leg", "neither", "unknown-corridor"],
)  # fmt: skip
def test_capacity_records_are_checked_with_their_line(
    old: str, new: str, message: str, locator: str
) -> None:
    text = capacity_text(old, new)
    found = errors(text)
    assert any(e.startswith(f"{line_of(text, locator)}: ") and message in e for e in found), found


# --- the real catalogue ----------------------------------------------------------------------


def test_real_diversion_reports_utilisation_with_sources_and_the_first_to_saturate(
    real: Catalogue,
) -> None:
    done = run_geo("capacity", "--divert-from", "northern", "--share", "0.1", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["divert_from"] == "northern" and data["to"]
    assert "northern" not in data["to"]
    assert data["moved_teu_per_year"] == round(0.1 * _volume(real, "northern"))
    ids = {c.id for c in real.capacities}
    assert {e["id"] for e in data["elements"]} == ids
    for element in data["elements"]:
        assert element["sources"], element["id"]
        assert element["utilisation"] == pytest.approx(
            element["load_teu_per_year"] / element["capacity_teu_per_year"], abs=1e-3
        )
        assert (element["node"] is None) != (element["leg"] is None)
    first = data["first_to_saturate"]
    assert first in ids and 0 < data["first_saturates_at_share"] <= 1
    # just past that share, the named element is saturated; at 10 % it was not
    past_share = f"{min(data['first_saturates_at_share'] + 0.002, 1):.3f}"
    past = run_geo("capacity", "--divert-from", "northern", "--share", past_share, "--format=json")
    assert past.returncode == 0, past.stderr
    after = {e["id"]: e for e in json.loads(past.stdout)["elements"]}
    before = {e["id"]: e for e in data["elements"]}
    assert after[first]["saturated"] and after[first]["extra_wait_days"] is None
    assert not before[first]["saturated"]


def _volume(catalogue: Catalogue, corridor: str) -> float:
    return next(v.teu_per_year.value for v in catalogue.corridor_volumes if v.corridor == corridor)
