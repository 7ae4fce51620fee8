"""The map page's detour prose and leg table, built without Streamlit."""

from __future__ import annotations

from geo.breakdown import detour_lines, leg_rows
from geo.catalogue import Catalogue
from geo.i18n import translator
from geo.metrics import evaluate_all
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
            assert f"{route.metrics.transit_days:.1f} days" in line
            assert f"{route.metrics.cost_usd_per_feu:,.0f}/FEU" in line


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
