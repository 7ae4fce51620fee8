"""The map page's detour prose and leg table, built without Streamlit."""

from __future__ import annotations

from geo.breakdown import detour_lines, leg_rows
from geo.catalogue import Catalogue
from geo.i18n import translator
from geo.metrics import evaluate_all
from geo.numbers import format_range
from geo.routing import detours
from geo.scenarios import apply_scenario
from geo.summary import summary


def test_a_blocked_corridor_says_why_and_names_its_detour_or_that_there_is_none(
    real: Catalogue,
) -> None:
    active = apply_scenario(real, "russia-transit-closed")
    results = evaluate_all(real, active)
    blocked = [r for r in results if not r.passable]
    assert blocked, "the scenario should block the northern route"
    found = detours(real, active, results)
    lines = detour_lines(real, summary(real, active), blocked, found, t=translator("en"), lang="en")
    assert len(lines) == len(blocked)
    for line, result in zip(lines, blocked, strict=True):
        assert real.corridor(result.corridor_id).name.split()[0] in line.replace("\\", "")
        route = found[result.corridor_id]
        if route is None:
            assert "no open route" in line
        else:
            m = route.metrics
            days = format_range(m.transit_days_range, "days")
            cost = format_range(m.cost_range, "usd")
            assert f"{days} days" in line and f"${cost}/FEU" in line
            assert days.startswith(f"{m.transit_days:.1f}")


def test_catalogue_text_in_the_detours_is_inert_markdown(write_yaml) -> None:
    from geo.loader import load_catalogue
    from tests.conftest import tiny_variant

    text = tiny_variant("name: Main,", "name: '[click](http://evil.example) **bold**',")
    catalogue = load_catalogue(write_yaml(text))
    active = apply_scenario(catalogue, "baseline")
    results = evaluate_all(catalogue, active)
    main = next(r for r in results if r.corridor_id == "main")
    lines = detour_lines(
        catalogue, summary(catalogue, active), [main], {}, t=translator("en"), lang="en"
    )
    assert "[click](" not in lines[0] and "\\[click\\]\\(" in lines[0]
    assert "**bold**" not in lines[0]


def test_the_leg_table_has_a_row_per_leg_with_headings_in_the_language(real: Catalogue) -> None:
    active = apply_scenario(real, "baseline")
    record = summary(real, active)["corridors"][0]
    rows = leg_rows(real, record, t=translator("zh"), lang="zh")
    assert len(rows) == len(record["legs"])
    headings = list(rows[0])
    assert headings == list(leg_rows(real, record, t=translator("zh"), lang="zh")[-1])
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headings)


def test_the_leg_table_shows_moving_days_and_cost_with_their_range(real: Catalogue) -> None:
    record = summary(real, apply_scenario(real, "baseline"))["corridors"][0]
    leg = {
        **record["legs"][0],
        "moving_days": 0.72,
        "moving_days_range": {"low": 0.61, "typical": 0.72, "high": 0.94},
        "cost_usd_per_feu": 661,
        "cost_usd_per_feu_range": {"low": 555.0, "typical": 661.0, "high": 794.9},
    }
    t = translator("en")
    (row,) = leg_rows(real, {**record, "legs": [leg]}, t=t, lang="en")
    assert row[t("legs.moving")] == "0.7 (0.6–0.9)"
    assert row[t("legs.cost")] == "660 (560–790)"
