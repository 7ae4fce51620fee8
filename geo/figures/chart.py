"""Comparison bars: one panel per metric, corridors grouped by market, on a page or alone."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from geo.catalogue import Catalogue
from geo.figures.layout import (
    Box,
    Ink,
    add_axes,
    footer,
    header,
    heading_weight,
    new_figure,
    rendering,
    text_height,
)
from geo.figures.style import (
    AXIS_LINE,
    BAR_EDGE,
    FAINT,
    GRID,
    GROUP_RULE,
    IMPASSABLE_BAR,
    INK,
    LINE_SPACING,
    MUTED,
    PRESETS,
)
from geo.figures.words import ENGLISH, Words, metric_value, relabel
from geo.i18n import DEFAULT_LANGUAGE
from geo.numbers import Kind, figure_status, format_range, range_parts, record_range
from geo.palette import LineStyle
from geo.summary import best_corridors

# --------------------------------------------------------------------------- comparison bars


METRICS: list[tuple[str, str, str, Callable[[float], str]]] = [
    ("cost_usd_per_feu", "export.metric.cost", "export.unit.cost", lambda v: f"{v:,.0f}"),
    ("transit_days", "export.metric.transit", "export.unit.days", lambda v: f"{v:.1f}"),
    ("hops", "export.metric.hops", "export.unit.count", lambda v: f"{v:.0f}"),
    ("exposure_score", "export.metric.exposure", "export.unit.index", lambda v: f"{v:.0f}"),
]
"""
Bar panels: record key, messages for the title and the axis label's unit, value format.
Lower is better in all.
"""

RANGED: dict[str, Kind] = {"cost_usd_per_feu": "usd", "transit_days": "days"}
"""Panels whose bars carry whiskers from the model's low to high, labelled `typical (low–high)`."""


def bar_label(record: dict[str, Any], key: str, fmt: Callable[[float], str]) -> str:
    """The text beside a bar: the figure, with its range where the panel has one."""
    if key in RANGED:
        return format_range(record_range(record, key), RANGED[key])
    return fmt(metric_value(record, key))


def label_size(key: str, size: float) -> float:
    """A bar label's font size to start from: a range is longer, so half a point smaller."""
    return size - (1.0 if key in RANGED else 0.5)


SMALLEST_LABEL = 6.0
"""Points a range label may shrink to when its panel's bars would otherwise be too narrow."""
MIN_BAR_WIDTH = 1.0
"""Inches of bars each panel should keep beside its label column before range labels shrink."""
LABEL_GAP = 0.05
"""Inches between the end of a bar's whisker and its label."""


def bar_span(record: dict[str, Any], key: str) -> tuple[float, float, float]:
    """(low, value, high) of a bar: its whisker's ends, or the value thrice without a range."""
    if key in RANGED:
        return range_parts(record_range(record, key))
    value = metric_value(record, key)
    return value, value, value


@dataclass(frozen=True)
class _BarRow:
    """One slot of the bar panels: a corridor's bar, or the heading of a market group."""

    y: float
    record: dict[str, Any] | None = None
    market: str | None = None


def _bar_rows(records: list[dict[str, Any]]) -> list[_BarRow]:
    """
    Corridors grouped by market (what they connect), top to bottom, in catalogue order within.

    Only corridors of one market compete, so with several markets each group gets a heading.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(record.get("market", ""), []).append(record)
    headed = len(groups) > 1
    rows: list[_BarRow] = []
    y = 0.0
    for market, members in groups.items():
        if headed:
            rows.append(_BarRow(y - 0.15, market=market))
            y -= 0.85
        for record in members:
            rows.append(_BarRow(y, record=record))
            y -= 1.0
    return rows


def bar_slots(records: list[dict[str, Any]]) -> float:
    """Height of the bar panels in rows (market headings count as most of a row)."""
    rows = _bar_rows(records)
    return -min(r.y for r in rows) + 1.0


def draw_bars(
    fig: Figure,
    ink: Ink,
    area: Box,
    data: dict[str, Any],
    styles: dict[str, LineStyle],
    *,
    columns: int,
    size: float,
    name_width: float,
    words: Words = ENGLISH,
) -> None:
    """
    Small multiples of horizontal bars, one panel per metric, corridors in the same order.

    Names and market headings are taken from `data` and `styles` as they are: pass them in the
    language of `words`.
    """
    t = words.t
    rows = _bar_rows(data["corridors"])
    best = best_corridors(data)
    panel_rows = math.ceil(len(METRICS) / columns)
    gap_x, gap_y, axis_h = 0.3, 0.25, 0.42
    panel_h = (area.height - gap_y * (panel_rows - 1)) / panel_rows
    room = area.width - name_width - gap_x * (columns - 1)
    points, bar_w, widths = _label_columns(ink, rows, room, columns=columns, size=size, words=words)
    titles = [
        ink.wrap(t(title), widths[i % columns], size + 0.5, heading_weight(t(title)))
        for i, (_, title, _, _) in enumerate(METRICS)
    ]  # a title wider than its column takes two lines (an A4 page's "Political / exposure")
    title_h = text_height(max(len(lines) for lines in titles), size + 0.5) + 0.05
    for index, (key, title, unit, fmt) in enumerate(METRICS):
        row, col = divmod(index, columns)
        left = area.left + name_width + sum(widths[:col]) + col * gap_x
        top = area.top - row * (panel_h + gap_y)
        axes_w = bar_w[col]
        ax = add_axes(fig, Box(left, top - panel_h + axis_h, axes_w, panel_h - axis_h - title_h))
        fig.text(
            left,
            top,
            "\n".join(titles[index]),
            transform=fig.dpi_scale_trans,
            fontsize=size + 0.5,
            fontweight=heading_weight(t(title)),
            color=INK,
            va="top",
            linespacing=LINE_SPACING,
        )
        highest = max(bar_span(r.record, key)[2] for r in rows if r.record)
        tick = ink.width(f"{highest:,.0f}", size - 1) + 0.12
        ticks = min(3, int(axes_w / tick) + 1)
        metric = (key, t(unit), fmt)
        text = {"size": points[key], "gap": LABEL_GAP / axes_w, "ticks": ticks}
        _bar_panel(ax, rows, styles, metric, best=set(best.get(key, [])), size=size, text=text)
        if col == 0:
            _bar_names(fig, ink, ax, rows, styles, width=name_width, size=size, words=words)


def _label_columns(
    ink: Ink, rows: list[_BarRow], room: float, *, columns: int, size: float, words: Words
) -> tuple[dict[str, float], list[float], list[float]]:
    """
    Room for the labels beside the bars, measured instead of squeezed out of the bars: each
    panel column is its bars plus a column as wide as its widest label (and at least its title's
    longest word),
    with the same width of bars in every column. Range labels shrink, half a point at a time down
    to `SMALLEST_LABEL`, while the bars would get less than `MIN_BAR_WIDTH`.

    Returns each metric's label size, and each column's bar width and whole width (inches).
    """
    points = {key: label_size(key, size) for key, *_ in METRICS}
    labels = {
        key: [bar_label(r.record, key, fmt) for r in rows if r.record] for key, _, _, fmt in METRICS
    }
    titles = [0.0] * columns  # a title may wrap: its column is at least its longest word
    for index, (_, title, _, _) in enumerate(METRICS):
        text = words.t(title)
        width = max(ink.width(word, size + 0.5, heading_weight(text)) for word in text.split())
        titles[index % columns] = max(titles[index % columns], width)
    while True:
        needs = [0.0] * columns
        for index, (key, *_) in enumerate(METRICS):
            widest = max(ink.width(text, points[key], "bold") for text in labels[key])
            needs[index % columns] = max(needs[index % columns], widest + LABEL_GAP + 0.04)
        bar = _equal_bars(needs, titles, room)
        shrinkable = [k for k in RANGED if points[k] > SMALLEST_LABEL]
        if bar >= MIN_BAR_WIDTH or not shrinkable:
            break
        for key in shrinkable:
            points[key] = max(SMALLEST_LABEL, points[key] - 0.5)
    widths = [max(bar + need, title) for need, title in zip(needs, titles, strict=True)]
    return points, [w - need for w, need in zip(widths, needs, strict=True)], widths


def _equal_bars(needs: list[float], titles: list[float], room: float) -> float:
    """The bar width b, the same in every column, with Σ max(b + need, title) = room."""
    low, high = 0.0, max(room, 0.0)
    for _ in range(40):
        middle = (low + high) / 2
        used = sum(max(middle + n, t) for n, t in zip(needs, titles, strict=True))
        low, high = (middle, high) if used <= room else (low, middle)
    return low


def _bar_panel(
    ax: Axes,
    rows: list[_BarRow],
    styles: dict[str, LineStyle],
    metric: tuple[str, str, Callable[[float], str]],
    *,
    best: set[str],
    size: float,
    text: dict[str, float],
) -> None:
    """
    One metric's bars, whiskers and labels. The axes hold the bars only (up to the highest
    whisker); each label starts `text["gap"]` (a fraction of the axes) after its whisker and runs
    into the label column the layout keeps to the right, at `text["size"]` points.
    """
    key, unit, fmt = metric
    bars = [(row.y, row.record, bar_span(row.record, key)) for row in rows if row.record]
    right = max([high for _, _, (_, _, high) in bars] + [1e-9]) * 1.02
    for y, record, (low, value, high) in bars:
        passable = record["passable"]
        ax.barh(
            y,
            value,
            height=0.68,
            color=styles[record["id"]].colour if passable else IMPASSABLE_BAR,
            edgecolor=BAR_EDGE if not passable else "none",
            hatch="////" if not passable else None,
            lw=0.5,
        )
        if high > low:  # the model's range as a whisker
            ax.errorbar(
                value,
                y,
                xerr=[[value - low], [high - value]],
                fmt="none",
                ecolor=INK if passable else FAINT,
                elinewidth=0.7,
                capsize=2,
                capthick=0.7,
            )
        ax.text(
            high + right * text["gap"],
            y,
            bar_label(record, key, fmt),
            va="center",
            ha="left",
            fontsize=text["size"],
            color=INK if passable else FAINT,
            fontweight="bold" if passable and record["id"] in best else "normal",
            clip_on=False,
        )
    for row in rows:
        if row.market is not None and row.y < 0:
            ax.axhline(row.y + 0.5, color=GROUP_RULE, lw=0.6)
    ax.set_xlim(0, right)
    ax.set_ylim(min(r.y for r in rows) - 0.6, 0.6 if rows[0].market is None else 0.45)
    ax.set_yticks([])
    ticks = int(text["ticks"])
    ax.xaxis.set_major_locator(MaxNLocator(nbins=ticks, min_n_ticks=min(2, ticks)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.tick_params(axis="x", labelsize=size - 1, colors=MUTED, length=2)
    ax.set_xlabel(unit, fontsize=size - 1, color=MUTED, labelpad=2)
    ax.grid(axis="x", color=GRID, lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(AXIS_LINE)


def _bar_names(
    fig: Figure,
    ink: Ink,
    ax: Axes,
    rows: list[_BarRow],
    styles: dict[str, LineStyle],
    *,
    width: float,
    size: float,
    words: Words,
) -> None:
    """
    Corridor names (and market headings) left of a panel, as text objects with fixed fonts; the
    second line of a corridor whose figures hold only if it opens says so (`export.note.<status>`).
    """
    fig_w, fig_h = fig.get_size_inches()
    position = ax.get_position()
    bottom, height = position.y0 * fig_h, position.height * fig_h
    low, high = ax.get_ylim()
    right = position.x0 * fig_w - 0.1
    slot = height / (high - low)
    two_lines = slot >= 2 * (size - 0.5) * 1.15 / 72
    for row in rows:
        y = bottom + (row.y - low) / (high - low) * height
        if row.market is not None:
            fig.text(
                right - width + 0.12,
                y,
                ink.fit(row.market, width - 0.12, size - 0.5, heading_weight(row.market)),
                transform=fig.dpi_scale_trans,
                ha="left",
                va="center",
                fontsize=size - 0.5,
                fontweight=heading_weight(row.market),
                color=MUTED,
            )
            continue
        record = row.record or {}
        name = styles[record["id"]].name
        wrapped = ink.wrap(name, width - 0.12, size - 0.5)
        lines = wrapped[:2]
        if len(wrapped) > 2:
            lines[-1] = ink.fit(lines[-1] + " …", width - 0.12, size - 0.5)
        status = figure_status(record)
        if status != "operational":
            note = ink.fit(words.t(f"export.note.{status}"), width - 0.12, size - 0.5)
            lines = [ink.fit(name, width - 0.12, size - 0.5), note]
        if not two_lines:
            lines = [ink.fit(name, width - 0.12, size - 0.5)]
        fig.text(
            right,
            y,
            "\n".join(lines),
            transform=fig.dpi_scale_trans,
            ha="right",
            va="center",
            fontsize=size - 0.5,
            color=INK if record["passable"] else FAINT,
            linespacing=1.1,
        )


def comparison_chart(
    catalogue: Catalogue,
    data: dict[str, Any],
    *,
    corridors: list[str] | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> Figure:
    """
    Bar charts of cost, transit time, hops and political exposure for the shown corridors.

    `data` is `geo.summary.summary(...)`. Corridors keep the map's colours and one order across
    panels; impassable corridors are grey and hatched, their figures shown as if they were open.
    Every word is in `lang` ("en" or "zh"; see `geo.i18n.LANGUAGES`), names from the catalogue.
    """
    words = Words(lang)
    t = words.t
    records = data["corridors"]
    if corridors is not None:
        by_id = {r["id"]: r for r in records}
        unknown = [c for c in corridors if c not in by_id]
        if unknown:
            raise ValueError(f"`corridors` has ids not in `data`: {', '.join(unknown)}")
        records = [by_id[c] for c in dict.fromkeys(corridors)]
    if not records:
        raise ValueError("`corridors` is empty: choose at least one corridor to chart")
    shown = {**data, "corridors": [relabel(catalogue, r, words) for r in records]}
    styles = words.styles(catalogue)
    width = PRESETS["slide"][0]
    panels = 0.95 + 0.3 * bar_slots(records)
    height = 1.35 + panels + 0.55
    with rendering():
        fig, ink = new_figure((width, height))
        scenario = words.scenario_in(catalogue, data.get("scenario", {}))
        title = t("export.chart.title", scenario=scenario) if scenario else None
        parts = {
            "title": title or t("export.chart.title_plain"),
            "subtitle": [t("export.chart.subtitle")],
            "title_size": 15,
            "subtitle_size": 9.5,
            "lines": 2,
        }
        header_bottom = header(fig, ink, parts, left=0.42, top=height - 0.3, width=width - 0.84)
        area = Box(0.42, 0.62, width - 0.84, header_bottom - 0.2 - 0.62)
        draw_bars(fig, ink, area, shown, styles, columns=4, size=9, name_width=2.5, words=words)
        meta = data.get("catalogue", {})
        if meta:
            title, version = meta.get("title", ""), meta.get("version", "")
            note = t("export.chart.footer", title=title, version=version)
        else:
            note = t("export.chart.footer_plain")
        footer(fig, [note], left=0.42, bottom=0.25, width=width - 0.84, size=7.5)
    return fig
