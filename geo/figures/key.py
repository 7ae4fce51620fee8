"""The key beside or below the map: corridors, lines and places, and the scenario."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from geo.catalogue import Mode, Status
from geo.figures.labels import KeyNode
from geo.figures.layout import Flow, text_height
from geo.figures.lines import casing_colour, dashes_of
from geo.figures.style import (
    CLOSED_HATCH,
    CLOSED_LAND,
    CLOSED_MARK,
    INK,
    KEY_KINDS,
    MARKERS,
    MUTED,
    PLANNED_DASHES,
    SEA_DOTS,
)
from geo.figures.words import Words, blocked_note
from geo.metrics import CorridorMetrics
from geo.palette import CLOSED_COLOUR, LineStyle
from geo.scenarios import ActiveScenario

if TYPE_CHECKING:
    from geo.catalogue import Catalogue

# --------------------------------------------------------------------------- key (legend)


def _line_symbol(
    colour: str, dashes: tuple[float, ...] | None, width: float, *, alpha: float = 1.0, **extra: Any
) -> Callable[[Figure, float, float, float], None]:
    def draw(fig: Figure, x0: float, x1: float, y: float) -> None:
        transform = fig.dpi_scale_trans
        casing = Line2D(
            [x0 + 0.01, x1 - 0.01],
            [y, y],
            color=casing_colour(colour),
            lw=width + 1.3,
            transform=transform,
        )
        line = Line2D(
            [x0 + 0.02, x1 - 0.02],
            [y, y],
            color=colour,
            lw=width,
            alpha=alpha,
            transform=transform,
            dash_capstyle="round" if extra.get("dots") else "butt",
        )
        if dashes:
            line.set_linestyle((0, dashes))
        fig.add_artist(casing)
        fig.add_artist(line)
        if extra.get("cross"):
            fig.add_artist(
                Line2D(
                    [(x0 + x1) / 2],
                    [y],
                    transform=transform,
                    marker="x",
                    markersize=6,
                    markeredgewidth=1.8,
                    color=CLOSED_MARK,
                    linestyle="none",
                )
            )

    return draw


def _marker_symbol(symbol: str, size: float) -> Callable[[Figure, float, float, float], None]:
    def draw(fig: Figure, x0: float, x1: float, y: float) -> None:
        marker = MARKERS[symbol]
        fig.add_artist(
            Line2D(
                [(x0 + x1) / 2],
                [y],
                transform=fig.dpi_scale_trans,
                linestyle="none",
                markersize=size * marker.scale,
                markeredgewidth=0.8,
                **marker.style,
            )
        )

    return draw


def _patch_symbol(fig: Figure, x0: float, x1: float, y: float) -> None:
    fig.add_artist(
        Rectangle(
            ((x0 + x1) / 2 - 0.13, y - 0.07),
            0.26,
            0.14,
            transform=fig.dpi_scale_trans,
            facecolor=CLOSED_LAND,
            edgecolor=CLOSED_HATCH,
            hatch="////",
            lw=0.6,
        )
    )


@dataclass(frozen=True)
class Drawn:
    """What the map shows, so the key lists only what a reader can find on it."""

    sea: bool
    planned: bool
    closed: bool
    symbols: list[str]
    closed_countries: bool


def drawn_on_map(results: list[CorridorMetrics], nodes: list[KeyNode], shaded: bool) -> Drawn:
    legs = [leg for r in results for leg in r.legs]
    return Drawn(
        sea=any(leg.step.leg.mode in (Mode.SEA, Mode.FERRY) for leg in legs),
        planned=any(leg.step.leg.status is not Status.OPERATIONAL for leg in legs),
        closed=any(leg.closure is not None and leg.closure.kind != "status" for leg in legs),
        symbols=[s for s in KEY_KINDS if any(k.symbol == s for k in nodes)],
        closed_countries=shaded,
    )


def corridor_key(
    flow: Flow,
    catalogue: Catalogue,
    results: list[CorridorMetrics],
    *,
    styles: dict[str, LineStyle],
    size: float,
    width: float,
    words: Words,
    heading: str | None = None,
    notes: bool = True,
) -> None:
    """Corridor rows in their map style; impassable ones say why (or just that they are)."""
    t = words.t
    flow.text(
        t("export.key.corridors") if heading is None else heading, size=size + 0.5, weight="bold"
    )
    flow.gap(0.04)
    for index, result in enumerate(results):
        style = styles[result.corridor_id]
        symbol = _line_symbol(style.colour, dashes_of(style.dash), width)
        if notes:
            note = blocked_note(catalogue, result, words)
        else:
            note = None if result.passable else t("export.impassable")
        if not flow.row(style.name, symbol, size=size, note=note):
            more = t("export.key.more_corridors", count=len(results) - index)
            flow.text(more, size=size - 1, colour=MUTED)
            return


def lines_key(flow: Flow, drawn: Drawn, size: float, width: float, *, words: Words) -> None:
    t = words.t
    flow.text(t("export.key.lines"), size=size + 0.5, weight="bold")
    flow.gap(0.04)
    rows: list[tuple[str, Callable[[Figure, float, float, float], None]]] = [
        (t("export.key.rail"), _line_symbol(MUTED, None, width))
    ]
    if drawn.sea:
        rows.append((t("export.key.sea"), _line_symbol(MUTED, SEA_DOTS, width, dots=True)))
    if drawn.planned:
        rows.append((t("export.key.planned"), _line_symbol(MUTED, PLANNED_DASHES, width * 0.75)))
    if drawn.closed:
        rows.append((t("export.key.closed"), _line_symbol(CLOSED_COLOUR, None, width, cross=True)))
    if drawn.closed_countries:
        rows.append((t("export.key.closed_country"), _patch_symbol))
    for label, symbol in rows:
        if not flow.row(label, symbol, size=size):
            return
    symbols = [(t(f"export.symbol.{s}"), _marker_symbol(s, 7.0)) for s in drawn.symbols]
    flow.grid(symbols, size=size)


def scenario_key(
    flow: Flow, active: ActiveScenario, changes: list[str], size: float, *, words: Words
) -> None:
    t = words.t
    heading = t("export.scenario.heading", scenario=words.scenario(active.scenario))
    flow.text(heading, size=size + 0.5, weight="bold")
    flow.gap(0.03)
    if not changes:
        flow.text(t("export.scenario.unchanged"), size=size, colour=MUTED)
        return
    for index, change in enumerate(changes):
        remaining = len(changes) - index
        if remaining > 1 and not flow.room(text_height(2, size)):
            flow.text(t("export.scenario.more_changes", count=remaining), size=size, colour=MUTED)
            return
        if not flow.text(f"• {change}", size=size, colour=INK, indent=0.0, max_lines=2):
            return
