"""The shareable view round-trips through the query string; bad values fall back with notices."""

from __future__ import annotations

from geo.catalogue import Catalogue
from geo.scenarios import Adjustments
from geo.viewstate import ViewState, parse_query, to_query


def test_a_view_survives_the_round_trip_through_the_url(tiny: Catalogue) -> None:
    state = ViewState(
        scenario="slow",
        adjustments=Adjustments(
            close_countries=("BB",),
            close_legs=("bc-sea",),
            open_all_planned=True,
            border_dwell_factor=0.5,
            cost_factor=1.25,
        ),
        corridors=("main",),
        basemap="osm",
        selected="main",
        weights=(0.5, 0.0, 0.25, 0.25),
    )
    parsed, notices = parse_query(to_query(state), tiny)
    assert parsed == state and notices == []


def test_defaults_make_a_short_link(tiny: Catalogue) -> None:
    assert to_query(ViewState(corridors=("main", "onward"))) == {
        "scenario": "baseline",
        "corridors": "main,onward",
    }


def test_stale_and_hostile_values_fall_back_with_a_notice_each(tiny: Catalogue) -> None:
    params = {
        "scenario": "gone",
        "corridors": "main,<b>x</b>",
        "basemap": "evil",
        "dwell": "1e309",
        "cost": "nan",
        "w": "1,2",
        "select": "onward",
        "close_c": "ZZ",
    }
    state, notices = parse_query(params, tiny)
    assert state.scenario == "baseline" and state.corridors == ("main",)
    assert state.basemap == "natural-earth" and state.adjustments == Adjustments()
    assert state.weights is None and state.selected == "onward"
    assert len(notices) == 7


def test_overlong_values_are_ignored(tiny: Catalogue) -> None:
    state, notices = parse_query({"corridors": "main," * 5000}, tiny)
    assert state.corridors == ("main", "onward")  # the default: every corridor
    assert notices == ["The link's “corridors” value is too long and was ignored."]
