"""Property tests: the loader never crashes on a mutated catalogue; metrics keep invariants."""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.catalogue import Catalogue, Scenario
from geo.geometry import geodesic_km
from geo.loader import check_catalogue_bytes
from geo.metrics import evaluate_all
from geo.paths import corridor_nodes, orient
from geo.scenarios import apply_scenario
from tests.conftest import REAL

DOCUMENT = yaml.safe_load(REAL.read_text(encoding="utf-8")) if REAL.exists() else {}

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:3]):
            found += paths(value, (*prefix, index))
    return found


ALL_PATHS = [p for p in paths(DOCUMENT) if p]


def mutate(document: dict, path: tuple, value: Any, delete: bool) -> dict:
    result = copy.deepcopy(document)
    target = result
    for part in path[:-1]:
        target = target[part]
    if delete:
        if isinstance(target, dict):
            target.pop(path[-1], None)
        else:
            target.pop(path[-1])
    else:
        target[path[-1]] = value
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(ALL_PATHS), value=JUNK, delete=st.booleans())
def test_mutated_catalogue_is_accepted_or_reported_never_crashes(path, value, delete) -> None:
    text = yaml.safe_dump(mutate(DOCUMENT, path, value, delete), allow_unicode=True)
    catalogue, problems = check_catalogue_bytes(text.encode(), name="mutated.yaml")
    if catalogue is None:
        assert any(p.severity == "error" for p in problems)
        for problem in problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=400))
def test_random_bytes_never_crash_the_loader(data: bytes) -> None:
    catalogue, problems = check_catalogue_bytes(data, name="random.yaml")
    assert catalogue is None and problems


def test_no_corridor_is_shorter_than_the_great_circle_between_its_ends(real: Catalogue) -> None:
    for corridor in real.corridors:
        nodes = corridor_nodes(orient(real, corridor.legs))
        start, end = real.node(nodes[0]), real.node(nodes[-1])
        direct = geodesic_km([(start.lon, start.lat), (end.lon, end.lat)])
        total = sum(real.leg(leg).distance_km.value for leg in corridor.legs)
        assert total >= direct, corridor.id


def test_an_empty_scenario_changes_no_metric(real: Catalogue) -> None:
    empty = Scenario(id="empty", name="Empty", description="-", rationale="no changes")
    base = evaluate_all(real, apply_scenario(real, "baseline"))
    same = evaluate_all(real, apply_scenario(real, empty))
    for a, b in zip(base, same, strict=True):
        assert (a.transit_days, a.cost_usd_per_feu, a.passable) == (
            b.transit_days,
            b.cost_usd_per_feu,
            b.passable,
        )
