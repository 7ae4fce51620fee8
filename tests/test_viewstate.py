"""The shareable view round-trips through the query string; bad values fall back with notices."""

from __future__ import annotations

from pathlib import Path

from geo.catalogue import Catalogue
from geo.loader import load_catalogue
from geo.scenarios import Adjustments
from geo.viewstate import ViewState, parse_query, to_query

KEY = "0123456789ab"
"""A stand-in content hash for the catalogue in use."""


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
    parsed, notices = parse_query(to_query(state, tiny), tiny)
    assert parsed == state and notices == []


def test_defaults_make_a_short_link(tiny: Catalogue) -> None:
    """Every corridor shown is the default: left out, as are the other defaults."""
    assert to_query(ViewState(corridors=("main", "onward")), tiny) == {"scenario": "baseline"}
    assert to_query(ViewState(corridors=("onward",)), tiny) == {
        "scenario": "baseline",
        "corridors": "onward",
    }


def test_a_link_to_every_corridor_of_a_large_catalogue_round_trips_without_a_notice(
    tmp_path: Path,
) -> None:
    """At 20 copies the list of every corridor id passed the 2,000 characters a value may
    have, so every page said the link's corridors were ignored."""
    from bench.synthetic import write_synthetic

    large = load_catalogue(write_synthetic(20, tmp_path))
    every = tuple(c.id for c in large.corridors)
    assert len(",".join(every)) > 2000
    params = to_query(ViewState(corridors=every), large)
    assert "corridors" not in params
    assert parse_query(params, large) == (ViewState(corridors=every), [])


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


def test_a_link_names_the_catalogue_it_was_made_with(tiny: Catalogue) -> None:
    params = to_query(ViewState(), tiny, catalogue_key=KEY)
    assert params["v"] == f"test-{KEY}"
    state, notices = parse_query(params, tiny, catalogue_key=KEY)
    assert state.made_with == ("test", KEY) and notices == []


def test_a_link_from_another_catalogue_opens_with_a_notice_naming_it(tiny: Catalogue) -> None:
    params = {"scenario": "slow", "v": "1.0.0-abc123"}
    state, notices = parse_query(params, tiny, catalogue_key=KEY)
    assert state.scenario == "slow"  # the view still opens
    assert notices == [
        "This link was made with catalogue 1.0.0 (abc123); "
        "figures may differ from the catalogue in use."
    ]


def test_a_garbled_catalogue_mark_is_shown_as_unknown_not_repeated(tiny: Catalogue) -> None:
    state, notices = parse_query({"v": "<b>1</b>-zz"}, tiny, catalogue_key=KEY)
    assert state.made_with is None
    assert len(notices) == 1 and "<b>" not in notices[0] and "(?)" in notices[0]
