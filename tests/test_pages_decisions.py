"""The Decisions page (AppTest): trade-offs, reliability, emissions and capacity for the trip."""

from __future__ import annotations

from typing import Any

from geo.capacity import divert
from geo.catalogue import Catalogue
from geo.scenarios import apply_scenario
from tests.test_pages import app

PAGE = "pages/decisions.py"
TRIP = {"origin": "kazakhstan-hubs", "market": "japan", "close_c": "CN"}


ORDER = (
    "decisions_tradeoffs",
    "decisions_reliability",
    "decisions_emissions",
    "decisions_capacity",
)
"""The page's tables, top to bottom (AppTest does not expose a dataframe's key)."""


def frame(at: Any, key: str) -> Any:
    assert len(at.dataframe) == len(ORDER), len(at.dataframe)
    return at.dataframe[ORDER.index(key)].value


def test_without_a_trip_the_page_asks_for_one() -> None:
    at = app(PAGE)
    assert not at.exception, at.exception
    assert "Pick a trip" in at.info[0].value
    assert not at.dataframe


def test_the_four_views_for_kazakhstan_to_japan_avoiding_china(real: Catalogue) -> None:
    at = app(PAGE, **TRIP)
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == [
        "Trade-offs",
        "Reliability",
        "Emissions",
        "Capacity and bottlenecks",
    ]
    options = frame(at, "decisions_tradeoffs")
    names = list(options["option"])
    assert real.corridor("caspian-japan").name in names
    assert real.corridor("lianyungang").name not in names  # shut by avoiding China
    verdicts = dict(zip(options["option"], options["trade-off"], strict=True))
    assert "non-dominated" in verdicts.values()
    for verdict, why in zip(options["trade-off"], options["why dominated"], strict=True):
        assert (verdict == "dominated") == bool(why)
    emissions = frame(at, "decisions_emissions")
    assert len(emissions) == len(options)
    reliability = frame(at, "decisions_reliability")
    assert "within 20 days" in reliability.columns


def test_a_deadline_in_the_link_changes_the_chances() -> None:
    short = frame(app(PAGE, **TRIP, within="15"), "decisions_reliability")
    long = frame(app(PAGE, **TRIP, within="80"), "decisions_reliability")
    assert "within 15 days" in short.columns and "within 80 days" in long.columns
    chances_short = [int(v.rstrip("%")) for v in short["within 15 days"]]
    chances_long = [int(v.rstrip("%")) for v in long["within 80 days"]]
    assert sum(chances_long) > sum(chances_short)


def test_the_capacity_view_follows_the_engine(real: Catalogue) -> None:
    at = app(PAGE, origin="china-xian", market="eu", divert="northern", share="0.3")
    assert not at.exception, at.exception
    table = frame(at, "decisions_capacity")
    expected = divert(real, apply_scenario(real), "northern", 0.3)
    assert len(table) == len(expected.elements)
    first = expected.first_to_saturate
    assert first is not None
    saturate = " ".join(m.value for m in at.markdown if "First to saturate" in m.value)
    if first.capacity.node is not None:
        assert real.node(first.capacity.node).name.split(" (")[0] in saturate
    else:
        leg = real.leg(first.capacity.leg or "")
        assert real.node(leg.from_).name.split(" (")[0] in saturate
    params = {k: v if isinstance(v, str) else v[0] for k, v in at.query_params.items()}
    assert params["divert"] == "northern" and params["share"] == "0.3"


def test_the_page_reads_in_chinese() -> None:
    at = app(PAGE, **TRIP, lang="zh")
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == ["权衡", "可靠性", "排放", "通过能力与瓶颈"]
