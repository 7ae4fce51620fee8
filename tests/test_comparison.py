"""The comparison table and headline cards, checked as data and HTML: no Streamlit, no browser."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pandas.io.formats.style import Styler

from geo.catalogue import Catalogue
from geo.comparison import (
    BEST_STYLE,
    BLOCKED_STYLE,
    MISSING,
    NUMBER_FORMATS,
    TABLE_CSS,
    comparison_cell,
    comparison_frame,
    comparison_html,
    comparison_table,
    headline_cards,
)
from geo.i18n import translator
from geo.loader import load_catalogue
from geo.numbers import figure_status, format_number, format_range, if_open, record_range
from geo.palette import BEST, BEST_BACKGROUND, BLOCKED_TEXT
from geo.scenarios import apply_scenario
from geo.summary import summary
from tests.conftest import REPO, tiny_variant

SHOWN = ["main", "onward"]
"""The tiny catalogue's corridors, one market: `main` runs, `onward` waits for a planned leg."""


def data_of(catalogue: Catalogue, scenario: str = "baseline") -> dict[str, Any]:
    return summary(catalogue, apply_scenario(catalogue, scenario))


class _Table(HTMLParser):
    """Rows of the static table: the row's class, and per cell its text and whether it is bold."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, list[tuple[str, bool]]]] = []
        self.bold = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append((dict(attrs).get("class") or "", []))
        elif tag in ("td", "th"):
            self.rows[-1][1].append(("", False))
        self.bold = self.bold or tag == "b"

    def handle_endtag(self, tag: str) -> None:
        self.bold = self.bold and tag != "b"

    def handle_data(self, data: str) -> None:
        if self.rows and self.rows[-1][1]:
            cells = self.rows[-1][1]
            text, bold = cells[-1]
            cells[-1] = (text + data, bold or self.bold)


def table(html: str) -> tuple[list[str], dict[str, tuple[str, dict[str, tuple[str, bool]]]]]:
    """The static table's headings, and per corridor name its row class and cells by heading."""
    assert html.startswith(TABLE_CSS)
    parser = _Table()
    parser.feed(html.removeprefix(TABLE_CSS))
    (_, head), *body = parser.rows
    headings = [text for text, _ in head]
    rows = {cells[0][0]: (state, dict(zip(headings, cells, strict=True))) for state, cells in body}
    return headings, rows


def cell_styles(styler: Styler) -> dict[tuple[int, int], str]:
    """The CSS of each styled cell of a Styler, by (row, column) position."""
    styles: dict[tuple[int, int], str] = {}
    css = styler.to_html().split("</style>")[0]
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        props = "; ".join(p.strip().rstrip(";") for p in body.strip().splitlines())
        for row, col in re.findall(r"_row(\d+)_col(\d+)", selectors):
            styles[int(row), int(col)] = props
    return styles


@pytest.fixture
def variant(write_yaml: Callable[[str], Path]) -> Callable[[str, str], Catalogue]:
    """The tiny catalogue with one piece of its text replaced, loaded."""

    def load(old: str, new: str) -> Catalogue:
        return load_catalogue(write_yaml(tiny_variant(old, new)))

    return load


def test_the_module_needs_no_streamlit() -> None:
    code = "import sys, geo.comparison; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO, check=False).returncode == 0


def test_the_table_holds_the_shown_corridors_in_the_catalogue_s_order(tiny: Catalogue) -> None:
    frame, order, best = comparison_table(tiny, data_of(tiny), ["onward", "main"])
    assert list(frame.index) == SHOWN
    assert order[0] == "name" and order[-1] == "blocked_by"
    assert not any(key.startswith("delta.") for key in order)  # no baseline, no deltas
    assert frame.loc["main", "hops"] == 4 and frame.loc["onward", "name"] == "Onward (if open)"
    assert best["cost_usd_per_feu"] == ["main"]  # the blocked corridor never wins
    only, _, _ = comparison_table(tiny, data_of(tiny), ["onward"])
    assert list(only.index) == ["onward"]


def test_best_values_are_bold(tiny: Catalogue) -> None:
    _, rows = table(comparison_html(tiny, data_of(tiny), SHOWN))
    _, main = rows["Main"]
    _, onward = rows["Onward (if open)"]
    for heading in ("distance (km)", "transit (days)", "cost (USD/FEU)", "hops (total)"):
        assert main[heading][1] and not onward[heading][1], heading
    assert main["exposure (0-100)"] == ("22.8", True)
    assert main["border crossings"] == ("2", False)  # not a column where lower wins
    assert main["corridor"] == ("Main", False)


def test_best_values_are_bold_green_in_the_styled_frame(tiny: Catalogue) -> None:
    styler = comparison_frame(tiny, data_of(tiny), SHOWN)
    columns = list(styler.data.columns)
    styles = cell_styles(styler)
    cost = columns.index("cost (USD/FEU)")
    assert styles[0, cost] == BEST_STYLE
    assert BEST in BEST_STYLE and BEST_BACKGROUND in BEST_STYLE
    assert (0, columns.index("border crossings")) not in styles
    assert styler.data.loc["main", "cost (USD/FEU)"] == 844  # the figures stay numbers (sortable)


def test_blocked_rows_are_marked(tiny: Catalogue) -> None:
    _, rows = table(comparison_html(tiny, data_of(tiny), SHOWN))
    onward = rows["Onward (if open)"]
    assert rows["Main"][0] == "open" and onward[0] == "blocked"
    assert onward[1]["passable"] == ("✗", False)
    assert rows["Main"][1]["passable"] == ("✓", False)
    assert "planned" in onward[1]["blocked by"][0]
    assert "tr.blocked td { color: var(--ca-blocked); }" in TABLE_CSS
    assert f"--ca-blocked: {BLOCKED_TEXT};" in TABLE_CSS
    styler = comparison_frame(tiny, data_of(tiny), SHOWN)
    styles = cell_styles(styler)
    assert BLOCKED_TEXT in BLOCKED_STYLE
    assert all(styles[1, col] == BLOCKED_STYLE for col in range(len(styler.data.columns)))
    assert not any(style == BLOCKED_STYLE for (row, _), style in styles.items() if row == 0)


def test_deltas_are_signed_against_the_baseline(tiny: Catalogue) -> None:
    base, slow = data_of(tiny), data_of(tiny, "slow")
    headings, rows = table(comparison_html(tiny, slow, SHOWN, baseline=base))
    assert headings[-1] == "blocked by"  # the deltas come before the reasons
    assert "Δ days" in headings and "Δ cost (USD/FEU)" in headings
    days = rows["Main"][1]["Δ days"][0]
    assert days.startswith("+") and float(days) > 0
    same, _ = table(comparison_html(tiny, base, SHOWN, baseline=base))
    assert "Δ days" not in same  # the baseline against itself has no deltas
    frame, _, _ = comparison_table(tiny, slow, SHOWN, baseline=base)
    assert frame.loc["main", "delta.transit_days"] == pytest.approx(float(days))


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("delta.transit_days", 1.5, "+1.5"),
        ("delta.transit_days", -2.25, "-2.2"),
        ("delta.cost_usd_per_feu", 1200, "+1,200"),
        ("delta.cost_usd_per_feu", -1200.0, "-1,200.0"),
        ("delta.hops", -1, "-1"),
        ("delta.hops", 0, "0"),
        ("delta.exposure_score", 0.0, "0"),
        ("transit_days", 7.94, "7.9"),
        ("cost_usd_per_feu", 12345.6, "12,346"),
        ("border_crossings", 1234, "1,234"),
        ("passable", True, "✓"),
        ("passable", False, "✗"),
    ],
)
def test_a_cell_is_shown_as_the_reader_expects(key: str, value: object, shown: str) -> None:
    assert comparison_cell(key, value) == shown


def test_number_formats_cover_the_figures_with_decimals() -> None:
    assert set(NUMBER_FORMATS) == {
        "transit_days",
        "distance_km",
        "cost_usd_per_feu",
        "exposure_score",
        "co2e_kg_per_feu",
    }


@pytest.mark.parametrize("value", [None, float("nan")])
def test_a_missing_figure_is_a_dash(value: object) -> None:
    assert comparison_cell("delta.transit_days", value) == MISSING == "–"
    assert comparison_cell("transit_days", value) == MISSING


def test_a_delta_missing_from_the_baseline_shows_as_a_dash(tiny: Catalogue) -> None:
    base = copy.deepcopy(data_of(tiny))
    base["corridors"][1]["transit_days"] = float("nan")  # onward: no figure in the baseline
    _, rows = table(comparison_html(tiny, data_of(tiny, "slow"), SHOWN, baseline=base))
    assert rows["Onward (if open)"][1]["Δ days"] == (MISSING, False)
    assert rows["Main"][1]["Δ days"][0] != MISSING


def test_catalogue_text_is_html_escaped(
    variant: Callable[[str, str], Catalogue],
) -> None:
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    catalogue = variant("name: Main,", f"name: '{hostile}',")
    html = comparison_html(catalogue, data_of(catalogue), SHOWN)
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    _, rows = table(html)
    assert hostile in rows  # the reader sees the name as written
    assert comparison_cell("blocked_by", "a < b") == "a &lt; b"
    cards = headline_cards(catalogue, data_of(catalogue), SHOWN)
    assert cards[0].cards[0].names == (hostile,)  # plain text: escaped where it is drawn


def test_headline_cards_name_the_best_passable_corridor_per_market(tiny: Catalogue) -> None:
    (market,) = headline_cards(tiny, data_of(tiny), SHOWN)
    assert market.market == "Aland → Cland" and market.members == ("main", "onward")
    columns = [card.column for card in market.cards]
    assert columns == ["cost_usd_per_feu", "transit_days", "hops", "exposure_score"]
    assert [card.caption for card in market.cards] == [
        "Cheapest",
        "Fastest",
        "Fewest hops",
        "Lowest exposure",
    ]
    assert all(card.winners == ("main",) and card.names == ("Main",) for card in market.cards)
    cost = market.cards[0]
    t = translator("en")
    shown = format_range(record_range(data_of(tiny)["corridors"][0], "cost_usd_per_feu"), "usd")
    assert shown.startswith("840")  # 844 to the nearest 10
    assert cost.figure == t("best.cost_value", cost=shown) and cost.more == 0


def test_a_market_without_a_passable_corridor_has_no_winners(tiny: Catalogue) -> None:
    (market,) = headline_cards(tiny, data_of(tiny, "close-bb"), SHOWN)
    assert all(not card.winners and not card.names and card.figure == "" for card in market.cards)


def test_only_shown_corridors_compete(tiny: Catalogue) -> None:
    (market,) = headline_cards(tiny, data_of(tiny), ["onward"])
    assert market.members == ("onward",)
    assert all(not card.winners for card in market.cards)  # the one shown is blocked
    assert headline_cards(tiny, data_of(tiny), []) == []


def test_ties_are_all_bold_and_a_card_names_three(variant: Callable[[str, str], Catalogue]) -> None:
    legs = "legs: [a-rail, ab-border, b-rail, bc-sea]}"
    copy = "\n  - {{id: copy-{n}, name: Copy {n}, description: A copy., direction: eastbound, "
    copies = "".join(copy.format(n=n) + legs for n in (1, 2, 3))
    catalogue = variant(legs, legs + copies)
    shown = ["main", "copy-1", "copy-2", "copy-3", "onward"]
    data = data_of(catalogue)
    _, rows = table(comparison_html(catalogue, data, shown))
    cost = format_range(record_range(data["corridors"][0], "cost_usd_per_feu"), "usd")
    for name in ("Main", "Copy 1", "Copy 2", "Copy 3"):
        assert rows[name][1]["cost (USD/FEU)"] == (cost, True), name
    assert not rows["Onward (if open)"][1]["cost (USD/FEU)"][1]
    (market,) = headline_cards(catalogue, data, shown)
    for card in market.cards:
        assert card.winners == ("main", "copy-1", "copy-2", "copy-3")
        assert card.names == ("Main", "Copy 1", "Copy 2") and card.more == 1


def test_names_and_headings_follow_the_language(tiny: Catalogue) -> None:
    t = translator("zh")
    headings, rows = table(comparison_html(tiny, data_of(tiny), SHOWN, lang="zh"))
    assert headings[0] == t("col.name") and "主线" in rows
    styler = comparison_frame(tiny, data_of(tiny), SHOWN, lang="zh")
    assert styler.data.columns[0] == t("col.name")
    (market,) = headline_cards(tiny, data_of(tiny), SHOWN, lang="zh")
    assert market.market == "甲国 → 丙国" and market.cards[0].names == ("主线",)
    assert market.cards[0].caption == t("best.cost_usd_per_feu")


def with_ranges(data: dict[str, Any]) -> dict[str, Any]:
    """The summary with stated ranges on every corridor's days and cost (as `geo.summary` gives
    them), so the views are checked on known numbers whatever the engine draws."""
    ranged = copy.deepcopy(data)
    for record in ranged["corridors"]:
        days, cost = record["transit_days"], record["cost_usd_per_feu"]
        record["transit_days_range"] = {"low": days - 3.94, "typical": days, "high": days + 7.2}
        record["cost_usd_per_feu_range"] = {"low": cost - 84, "typical": cost, "high": cost + 1236}
    return ranged


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        ({"low": 24.06, "typical": 28.0, "high": 35.24}, "days", "28.0 (24.1–35.2)"),
        ({"low": 2975.0, "typical": 3414.0, "high": 4116.0}, "usd", "3,410 (2,980–4,120)"),
        ({"low": 555.0, "typical": 661.0, "high": 794.9}, "usd", "660 (560–790)"),
        ({"low": 12.0, "typical": 12.0, "high": 12.04}, "days", "12.0"),
        ({"low": 1005.0, "typical": 1005.0, "high": 1005.0}, "usd", "1,010"),
    ],
)
def test_a_range_reads_typical_then_low_to_high_by_the_unit_rules(
    value: dict[str, float], kind: Any, shown: str
) -> None:
    assert format_range(value, kind) == shown


def test_a_range_object_reads_like_a_range_record() -> None:
    @dataclass(frozen=True)
    class Range:
        low: float
        typical: float
        high: float

    assert format_range(Range(0.6, 0.72, 0.9), "days") == "0.7 (0.6–0.9)"
    assert format_number(12345.0, "usd") == "12,350" and format_number(7.94, "days") == "7.9"


def test_table_cells_show_days_and_cost_with_their_range(tiny: Catalogue) -> None:
    data = with_ranges(data_of(tiny))
    main = data["corridors"][0]
    days = f"{main['transit_days']:.1f} ({main['transit_days'] - 3.94:.1f}–"
    _, rows = table(comparison_html(tiny, data, SHOWN))
    cell = rows["Main"][1]["transit (days)"][0]
    assert cell.startswith(days) and cell.endswith(f"{main['transit_days'] + 7.2:.1f})")
    assert rows["Main"][1]["cost (USD/FEU)"] == ("840 (760–2,080)", True)  # 844 - 84, 844 + 1236
    assert "\n" not in cell and len(cell) < 24  # one short line, pasteable
    styler = comparison_frame(tiny, data, SHOWN)
    assert styler.data.loc["main", "cost (USD/FEU)"] == 844  # still a number: sorts by it
    assert "840 (760–2,080)" in styler.to_html()


def test_cards_show_the_winning_figure_with_its_range(tiny: Catalogue) -> None:
    (market,) = headline_cards(tiny, with_ranges(data_of(tiny)), SHOWN)
    cost, days = market.cards[0], market.cards[1]
    assert cost.figure == translator("en")("best.cost_value", cost="840 (760–2,080)")
    assert re.fullmatch(r"\d+\.\d \(\d+\.\d–\d+\.\d\) days", days.figure)
    assert "if open" not in cost.figure  # main is operational


def test_a_planned_corridor_s_figures_are_marked_if_open(tiny: Catalogue) -> None:
    opened = with_ranges(data_of(tiny, "open-planned"))
    onward = next(r for r in opened["corridors"] if r["id"] == "onward")
    assert onward["passable"] and figure_status(onward) == "planned" and if_open(onward)
    (market,) = headline_cards(tiny, opened, ["onward"])
    assert market.cards[0].winners == ("onward",)
    assert market.cards[0].figure.endswith(", if open")
    (zh,) = headline_cards(tiny, opened, ["onward"], lang="zh")
    assert zh.cards[0].figure.endswith("（若开通）")
    _, rows = table(comparison_html(tiny, opened, SHOWN))
    assert "Onward (if open)" in rows and "Main" in rows


def test_an_operational_corridor_shut_by_the_scenario_is_marked_if_open(tiny: Catalogue) -> None:
    closed = data_of(tiny, "close-bb")
    main = next(r for r in closed["corridors"] if r["id"] == "main")
    assert figure_status(main) == "impassable" and if_open(main)
    assert figure_status({**main, "passable": True}) == "operational"
    _, rows = table(comparison_html(tiny, closed, SHOWN))
    assert "Main (if open)" in rows


def test_two_corridors_with_one_typical_value_each_show_their_own_range(tiny: Catalogue) -> None:
    data = with_ranges(data_of(tiny))
    onward = data["corridors"][1]
    onward["cost_usd_per_feu"] = 844  # as main, but its own range
    onward["cost_usd_per_feu_range"] = {"low": 500.0, "typical": 844.0, "high": 900.0}
    html = comparison_frame(tiny, data, SHOWN).to_html()
    assert "840 (760–2,080)" in html and "840 (500–900)" in html
