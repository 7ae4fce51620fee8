"""
The corridor comparison as the dashboard shows it: a table (DataFrame, styled frame, static HTML)
and the headline cards naming the best corridor per market.

Built here, from plain arguments (catalogue, the shown corridor ids, language, the summary data
and its baseline), so the pages only draw it and tests check it without Streamlit or a browser.
Colours come from `geo.palette`; catalogue text in the HTML is escaped here, where HTML is made.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from geo.assets import WEB_DIR
from geo.catalogue import Catalogue
from geo.i18n import Translate, localized, translator
from geo.numbers import Kind, format_range, if_open, record_range
from geo.palette import BEST, BEST_BACKGROUND, BLOCKED_TEXT, TABLE_RULE
from geo.summary import (
    DELTA_COLUMNS,
    best_corridors,
    blocked_by_text,
    deltas,
    flat_row,
    hops,
    market_of,
    markets,
)

COLUMNS: tuple[str, ...] = (
    "name",
    "passable",
    "distance_km",
    "transit_days",
    "cost_usd_per_feu",
    "hops",
    "border_crossings",
    "transshipments",
    "gauge_breaks",
    "exposure_score",
    "co2e_kg_per_feu",
    "blocked_by",
)
"""The comparison's columns in order; with a baseline, the deltas go before `blocked_by`."""

TEXT_COLUMNS = ("name", "blocked_by")
"""Columns of words (left-aligned); every other column is a figure (right-aligned)."""

NUMBER_FORMATS = {
    "transit_days": "{:.1f}",
    "distance_km": "{:,.0f}",
    "cost_usd_per_feu": "{:,.0f}",
    "exposure_score": "{:.1f}",
    "co2e_kg_per_feu": "{:,.0f}",
}
"""How a figure is shown; integer columns not named here as `{:,}`."""

RANGES: dict[str, Kind] = {"transit_days": "days", "cost_usd_per_feu": "usd"}
"""Columns shown with their range, `typical (low–high)` (`geo.numbers.format_range`); the rows
carry each as `<key>_range`, the figure itself stays a number so the frame sorts by it."""

MISSING = "–"
"""A figure that does not exist: no delta when a corridor is impassable in either scenario."""

TABLE_CSS = (
    f"<style>.ca-table {{ --ca-rule: {TABLE_RULE}; --ca-blocked: {BLOCKED_TEXT}; }}\n"
    + (WEB_DIR / "table.css").read_text(encoding="utf-8")
    + "</style>"
)
"""The static comparison table's stylesheet (`geo/web/table.css`), with the palette's colours."""

BEST_STYLE = f"font-weight: bold; color: {BEST}; background: {BEST_BACKGROUND}"
"""The best figure in a column of the styled frame."""
BLOCKED_STYLE = f"color: {BLOCKED_TEXT}"
"""Every cell of a corridor that cannot run under the scenario."""

CARD_NAMES = 3
"""Most corridors a headline card names; further ties are counted, not listed."""


def _shown_records(data: dict[str, Any], shown: Iterable[str]) -> list[dict[str, Any]]:
    ids = set(shown)
    return [r for r in data["corridors"] if r["id"] in ids]


def comparison_table(
    catalogue: Catalogue,
    data: dict[str, Any],
    shown: Iterable[str],
    *,
    lang: str = "en",
    baseline: dict[str, Any] | None = None,
) -> tuple[pd.DataFrame, list[str], dict[str, list[str]]]:
    """
    The comparison of the `shown` corridors as a DataFrame indexed by corridor id, its shown
    columns in order, and the best passable corridors per column; deltas against `baseline`
    when `data` is another scenario. Names and reasons are in `lang`.
    """
    t = translator(lang)
    records = _shown_records(data, shown)
    rows = []
    for record in records:
        row = flat_row(record)
        if not isinstance(row["co2e_kg_per_feu"], Real):  # a catalogue without emission factors
            row["co2e_kg_per_feu"] = math.nan
        row["name"] = corridor_name(catalogue, record, t=t, lang=lang)
        for key in RANGES:
            row[f"{key}_range"] = record_range(record, key)
        row["hops"] = hops(record)
        row["blocked_by"] = blocked_by_text(
            record["blocked_by"], catalogue=catalogue, t=t, lang=lang
        )
        rows.append(row)
    order = list(COLUMNS)
    if baseline is not None and data["scenario"]["id"] != baseline["scenario"]["id"]:
        changes = deltas(data, baseline)
        for row in rows:
            row.update({f"delta.{k}": v for k, v in changes[row["id"]].items()})
        order = [*order[:-1], *(f"delta.{k}" for k in DELTA_COLUMNS), order[-1]]
    ranges = [f"{key}_range" for key in RANGES]
    frame = pd.DataFrame(rows, columns=[*order, "id", *ranges]).set_index("id")
    return frame, order, best_corridors({"corridors": records})


def corridor_name(
    catalogue: Catalogue, record: Mapping[str, Any], *, t: Translate, lang: str
) -> str:
    """The corridor's name in `lang`, marked "(if open)" when its figures hold only if it opens
    (not operational, or shut by the scenario): a reader must not take them for a service."""
    name = localized(catalogue.corridor(record["id"]), lang)
    return t("figures.named_if_open", name=name) if if_open(record) else name


def comparison_frame(
    catalogue: Catalogue,
    data: dict[str, Any],
    shown: Iterable[str],
    *,
    lang: str = "en",
    baseline: dict[str, Any] | None = None,
) -> Styler:
    """The comparison as a styled, sortable DataFrame: the best value per column bold green,
    blocked corridors grey, headings in `lang`."""
    frame, order, best = comparison_table(catalogue, data, shown, lang=lang, baseline=baseline)
    t = translator(lang)
    headings = {key: t(f"col.{key}") for key in order}
    keys = {heading: key for key, heading in headings.items()}

    def mark(column: pd.Series) -> list[str]:
        winners = best.get(keys[str(column.name)], [])
        return [BEST_STYLE if cid in winners else "" for cid in column.index]

    passable = frame["passable"].to_dict()

    def grey(row: pd.Series) -> list[str]:
        style = "" if passable[row.name] else BLOCKED_STYLE
        return [style for _ in row]

    styled = frame[order].rename(columns=headings).style.apply(mark, axis=0)
    patterns: dict[Any, Any] = {headings[k]: pattern for k, pattern in NUMBER_FORMATS.items()}
    styled = styled.format(patterns, na_rep=MISSING)
    for key, kind in RANGES.items():
        styled = _range_texts(styled, frame, key, kind, headings[key])
    return styled.apply(grey, axis=1)


def _range_texts(styled: Styler, frame: pd.DataFrame, key: str, kind: Kind, heading: str) -> Styler:
    """
    Show each cell of a total as `typical (low–high)` while the frame keeps the number (so it
    sorts). One formatter per column reads the text by value; only rows whose value stands for
    more than one range get a formatter of their own (one per cell took 2 s at 800 corridors).
    """
    texts = {cid: format_range(r, kind) for cid, r in frame[f"{key}_range"].items()}
    by_value: dict[Any, set[str]] = {}
    for cid, text in texts.items():
        by_value.setdefault(frame.at[cid, key], set()).add(text)
    unique = {value: next(iter(ts)) for value, ts in by_value.items() if len(ts) == 1}
    styled = styled.format(lambda value: unique.get(value, str(value)), subset=[heading])
    for cid, text in texts.items():
        if len(by_value[frame.at[cid, key]]) > 1:
            styled = styled.format(_fixed(text), subset=([cid], [heading]))
    return styled


def _fixed(text: str) -> Callable[[Any], str]:
    """A cell formatter showing `text` whatever the cell's value (which stays, for sorting)."""
    return lambda _: text


def comparison_html(
    catalogue: Catalogue,
    data: dict[str, Any],
    shown: Iterable[str],
    *,
    lang: str = "en",
    baseline: dict[str, Any] | None = None,
) -> str:
    """
    The comparison as a static HTML table: selectable and pasted into a briefing as a table, and
    cheap for the browser (no data grid, no Markdown parser), so it never delays the map.
    """
    frame, order, best = comparison_table(catalogue, data, shown, lang=lang, baseline=baseline)
    t = translator(lang)
    kinds = {key: "text" if key in TEXT_COLUMNS else "num" for key in order}
    head = "".join(f'<th class="{kinds[k]}">{html.escape(t(f"col.{k}"))}</th>' for k in order)
    rows = []
    for cid, row in frame.iterrows():
        cells = []
        for key in order:
            if key in RANGES:
                text = format_range(row[f"{key}_range"], RANGES[key])
            else:
                text = comparison_cell(key, row[key])
            bold = cid in best.get(key, [])
            cells.append(f'<td class="{kinds[key]}">{f"<b>{text}</b>" if bold else text}</td>')
        state = "open" if row["passable"] else "blocked"
        rows.append(f'<tr class="{state}">{"".join(cells)}</tr>')
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f'{TABLE_CSS}<div class="ca-table">{table}</div>'


def comparison_cell(key: str, value: Any) -> str:
    """One figure of the comparison as shown (HTML-escaped): deltas signed, missing as a dash."""
    if key == "passable":
        return "✓" if value else "✗"
    if value is None or (isinstance(value, Real) and math.isnan(value)):
        return MISSING  # no delta: impassable in one of the two scenarios
    if key.startswith("delta."):
        if value == 0:
            return "0"
        return f"{value:+,}" if isinstance(value, Integral) else f"{value:+,.1f}"
    if isinstance(value, Real):
        return NUMBER_FORMATS.get(key, "{:,}").format(value)
    return html.escape(str(value))


# --------------------------------------------------------------------------- headline cards


@dataclass(frozen=True)
class Card:
    """One headline card: which shown corridors are best by one column in one market."""

    column: str
    caption: str
    """What the card ranks by ("Cheapest"), in the view's language."""
    winners: tuple[str, ...]
    """Every tied winner's id; empty when no corridor of the market is passable."""
    names: tuple[str, ...]
    """The first `CARD_NAMES` winners' names, as plain text (escape them where drawn)."""
    more: int
    """Tied winners beyond those named."""
    figure: str
    """The winning figure as text ("USD 3,400 per FEU"), or "" when there is no winner."""


@dataclass(frozen=True)
class MarketCards:
    """The headline of one market (origin country → destination country): one card per column."""

    market: str
    members: tuple[str, ...]
    cards: tuple[Card, ...]


def _figures(t: Translate) -> dict[str, Callable[[dict[str, Any]], str]]:
    """The text of a winning figure, per column a card ranks by; totals with their range."""

    def cost(r: dict[str, Any]) -> str:
        return format_range(record_range(r, "cost_usd_per_feu"), "usd")

    def days(r: dict[str, Any]) -> str:
        return format_range(record_range(r, "transit_days"), "days")

    return {
        "cost_usd_per_feu": lambda r: t("best.cost_value", cost=cost(r)),
        "transit_days": lambda r: t("best.days_value", days=days(r)),
        "hops": lambda r: t("best.hops_value", hops=hops(r)),
        "exposure_score": lambda r: t("best.exposure_value", score=f"{r['exposure']['score']:.0f}"),
    }


def card_figure(t: Translate, column: str, record: dict[str, Any]) -> str:
    """A winner's figure as a card shows it, followed by "if open" when the winner is planned or
    under construction (a scenario that opens it makes it passable, not operational)."""
    text = _figures(t)[column](record)
    return t("figures.value_if_open", value=text) if if_open(record) else text


HEADLINE_COLUMNS: tuple[str, ...] = ("cost_usd_per_feu", "transit_days", "hops", "exposure_score")
"""The cards of each market, in order: cheapest, fastest, fewest hops, least exposed."""


def headline_cards(
    catalogue: Catalogue, data: dict[str, Any], shown: Iterable[str], *, lang: str = "en"
) -> list[MarketCards]:
    """Per market of the shown corridors: the cheapest, fastest, fewest-hops and least-exposed
    passable corridor (ties kept), with the winning figure as text in `lang`."""
    t = translator(lang)
    records = {r["id"]: r for r in _shown_records(data, shown)}
    subset = {"corridors": list(records.values())}
    best = best_corridors(subset)
    headline = []
    for members in markets(subset).values():
        first = records[members[0]]
        cards = []
        for column in HEADLINE_COLUMNS:
            winners = tuple(w for w in best.get(column, []) if w in members)
            names = tuple(localized(catalogue.corridor(w), lang) for w in winners[:CARD_NAMES])
            cards.append(
                Card(
                    column=column,
                    caption=t(f"best.{column}"),
                    winners=winners,
                    names=names,
                    more=max(0, len(winners) - CARD_NAMES),
                    figure=card_figure(t, column, records[winners[0]]) if winners else "",
                )
            )
        market = market_of(catalogue, first["origin"], first["destination"], lang)
        headline.append(MarketCards(market, tuple(members), tuple(cards)))
    return headline
