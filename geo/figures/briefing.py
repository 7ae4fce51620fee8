"""The briefing figure: the current view as a report-ready map for a slide or an A4 page."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure
from shapely.geometry.base import BaseGeometry

from geo.catalogue import Catalogue
from geo.figures.basemap import MapView, country_shapes, draw_basemap, fit_view, map_height_for
from geo.figures.chart import bar_slots, draw_bars
from geo.figures.key import Drawn, corridor_key, drawn_on_map, lines_key, scenario_key
from geo.figures.labels import (
    KeyNode,
    Placer,
    cluster_labels,
    draw_nodes,
    key_nodes,
    label_countries,
    label_nodes,
)
from geo.figures.layout import (
    Box,
    Flow,
    Ink,
    add_axes,
    footer,
    header,
    heading_weight,
    new_figure,
    rendering,
    text_height,
)
from geo.figures.lines import draw_corridors
from geo.figures.style import INK, MUTED, PRESETS
from geo.figures.words import (
    Words,
    cited_sources,
    counted,
    fit_sources,
    records_of,
    short_citations,
    shown_results,
    takeaway,
)
from geo.geometry import leg_coords
from geo.i18n import DEFAULT_LANGUAGE, localized
from geo.loader import catalogue_citation
from geo.metrics import CorridorMetrics
from geo.palette import LineStyle
from geo.scenarios import ActiveScenario


@dataclass
class _Page:
    fig: Figure
    ink: Ink
    size: float
    line_width: float
    marker_size: float
    words: Words


def _source_lines(
    page: _Page,
    catalogue: Catalogue,
    results: list[CorridorMetrics],
    active: ActiveScenario,
    *,
    projection: str,
    width: float,
    size: float,
    lines: int,
) -> list[str]:
    """'Sources: …' cut to fit with 'and N more', then the model line (catalogue, projection)."""
    ink, words = page.ink, page.words
    meta = catalogue.meta
    named = words.t(f"export.projection.{projection}") if projection else ""
    title = localized(meta, words.lang, "title")
    cite = catalogue_citation(catalogue)
    model = words.t("export.footer.model", title=title, **cite, projection=named)
    model_lines = ink.wrap(model, width, size)
    citations = short_citations(cited_sources(catalogue, results, active))
    room = max(1, lines - len(model_lines))
    fitted = fit_sources(ink, words, citations, width=width, size=size, lines=room)
    return [*ink.wrap(fitted, width, size), *model_lines]


# --------------------------------------------------------------------------- public figures


def briefing_figure(
    catalogue: Catalogue,
    active: ActiveScenario,
    results: list[CorridorMetrics],
    *,
    corridors: list[str] | None = None,
    preset: str = "slide",
    title: str | None = None,
    date: dt.date | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> Figure:
    """
    The current view as a static map for a slide or an A4 page.

    Corridors are drawn in their map colours and line patterns, sea legs dotted, planned legs
    dashed and faded, closed legs grey with red crosses; key nodes are labelled without
    collisions. The page carries a title, the scenario and its changes, the date, a key, and a
    source line citing what the shown corridors rest on. `a4` adds the comparison below the map.
    Every word is in `lang` ("en" or "zh"), names from the catalogue; citations stay as published.

    Raises
    ------
    ValueError
        For an unknown preset or language, unknown corridor ids, or an empty selection.
    """
    words = Words(lang)
    if preset not in PRESETS:
        raise ValueError(f"`preset` was {preset!r} but is expected to be one of {list(PRESETS)}")
    shown = shown_results(results, corridors)
    if not shown:
        raise ValueError("`corridors` is empty: choose at least one corridor to draw")
    day = date or dt.date.today()
    scenario = words.scenario(active.scenario)
    data = {"scenario": {"name": scenario}, "corridors": records_of(catalogue, shown, words)}
    subtitle = words.t(
        "export.subtitle", scenario=scenario, corridors=counted(shown, words), date=words.date(day)
    )
    with rendering():
        fig, ink = new_figure(PRESETS[preset])
        heading = {
            "title": words.title(catalogue, title),
            "subtitle": [subtitle, takeaway(data, words)],
        }
        if preset == "slide":
            _slide(catalogue, active, shown, heading, _Page(fig, ink, 8.5, 2.3, 6.5, words))
        else:
            page = _Page(fig, ink, 7.5, 1.8, 5.6, words)
            _a4(catalogue, active, shown, heading=heading, data=data, page=page)
    return fig


@dataclass(frozen=True)
class _Contents:
    """What goes on the map, worked out before layout so the key can be measured first."""

    nodes: list[KeyNode]
    shapes: dict[str, BaseGeometry]
    codes: set[str]
    closed: list[BaseGeometry]
    drawn: Drawn


def _contents(
    catalogue: Catalogue, active: ActiveScenario, shown: list[CorridorMetrics]
) -> _Contents:
    codes = {
        catalogue.node(n).country
        for r in shown
        for leg in r.legs
        for n in (leg.step.start, leg.step.end)
    }
    shapes = country_shapes(catalogue, sorted(codes | set(active.scenario.close_countries)))
    closed = [shapes[c] for c in active.scenario.close_countries if c in shapes]
    nodes = key_nodes(catalogue, shown)
    return _Contents(nodes, shapes, codes, closed, drawn_on_map(shown, nodes, bool(closed)))


def _draw_map(
    page: _Page,
    map_box: Box,
    catalogue: Catalogue,
    *,
    shown: list[CorridorMetrics],
    styles: dict[str, LineStyle],
    contents: _Contents,
) -> MapView:
    """Basemap, corridors, nodes, then labels placed around everything already drawn."""
    ax = add_axes(page.fig, map_box)
    coords = [c for r in shown for leg in r.legs for c in leg_coords(catalogue, leg.step.leg)]
    crs, projection, per_inch = fit_view(ax, coords)
    view = MapView(ax, crs, projection, per_inch)
    draw_basemap(view, contents.closed)
    draw_corridors(view, catalogue, shown, styles, page.line_width)
    draw_nodes(view, contents.nodes, page.marker_size)
    placer = Placer(view)
    near = page.marker_size / 72 * page.fig.dpi * 1.5
    labels = cluster_labels(view, contents.nodes, near, page.words)
    label_nodes(view, labels, page.size - 1.0, placer)
    countries = {c: s for c, s in contents.shapes.items() if c in contents.codes}
    label_countries(view, catalogue, countries, page.size - 2.2, placer, words=page.words)
    return view


def _slide(
    catalogue: Catalogue,
    active: ActiveScenario,
    shown: list[CorridorMetrics],
    heading: dict[str, Any],
    page: _Page,
) -> None:
    fig, ink, size = page.fig, page.ink, page.size
    width, height = PRESETS["slide"]
    margin, key_width = 0.42, 3.2
    heading.update(title_size=19, subtitle_size=11, lines=2)
    header_bottom = header(
        fig, ink, heading, left=margin, top=height - 0.3, width=width - 2 * margin
    )
    words = page.words
    styles = words.styles(catalogue)
    footer_text = _source_lines(
        page, catalogue, shown, active, projection="", width=width - 2 * margin, size=7.5, lines=2
    )
    footer_top = 0.28 + text_height(len(footer_text), 7.5) + 0.2
    map_box = Box(
        margin, footer_top, width - 2 * margin - key_width - 0.3, header_bottom - 0.12 - footer_top
    )
    contents = _contents(catalogue, active, shown)
    view = _draw_map(page, map_box, catalogue, shown=shown, styles=styles, contents=contents)
    drawn = contents.drawn
    footer_text = _source_lines(
        page,
        catalogue,
        shown,
        active,
        projection=view.projection,
        width=width - 2 * margin,
        size=7.5,
        lines=2,
    )
    footer(fig, footer_text, left=margin, bottom=0.28, width=width - 2 * margin, size=7.5)
    flow = Flow(fig, ink, map_box.right + 0.3, map_box.top, key_width, bottom=map_box.bottom)
    line_width = page.line_width
    corridor_key(flow, catalogue, shown, styles=styles, size=size, width=line_width, words=words)
    flow.gap(0.16)
    lines_key(flow, drawn, size, line_width, words=words)
    flow.gap(0.16)
    scenario_key(flow, active, words.changes(catalogue, active.scenario), size, words=words)


def _a4(
    catalogue: Catalogue,
    active: ActiveScenario,
    shown: list[CorridorMetrics],
    *,
    heading: dict[str, Any],
    data: dict[str, Any],
    page: _Page,
) -> None:
    """
    A4 portrait: header, map, key, scenario, then the comparison as one row of bar panels.

    Everything below the map is measured first; the map takes the height that is left, or less
    when the corridors' shape needs less (a flat extent would only add empty sea).
    """
    fig, ink, size = page.fig, page.ink, page.size
    width, height = PRESETS["a4"]
    margin = 0.5
    inner = width - 2 * margin
    heading.update(title_size=15, subtitle_size=9.5, lines=3)
    header_bottom = header(fig, ink, heading, left=margin, top=height - 0.4, width=inner)
    words = page.words
    styles = words.styles(catalogue)
    footer_text = _source_lines(
        page, catalogue, shown, active, projection="", width=inner, size=7, lines=3
    )
    footer_top = 0.4 + text_height(len(footer_text), 7) + 0.12
    bars_height = 0.7 + 0.15 * bar_slots(data["corridors"])
    changes = words.changes(catalogue, active.scenario)
    scenario_text = _scenario_sentence(active, changes, words)
    scenario_height = text_height(min(len(ink.wrap(scenario_text, inner, size)), 3), size)
    columns = [(margin, 2.45), (margin + 2.55, 2.45), (margin + 5.1, inner - 5.1)]
    halves = [shown[: math.ceil(len(shown) / 2)], shown[math.ceil(len(shown) / 2) :]]
    contents = _contents(catalogue, active, shown)
    key_height = _a4_key(
        page, catalogue, styles, halves, drawn=contents.drawn, columns=columns, top=0.0, draw=False
    )
    below = 0.14 + key_height + 0.14 + scenario_height + 0.12 + 0.32 + bars_height + 0.08
    room = header_bottom - 0.1 - footer_top - below
    coords = [c for r in shown for leg in r.legs for c in leg_coords(catalogue, leg.step.leg)]
    map_height = min(room, max(map_height_for(coords, inner), 3.2))
    map_box = Box(margin, header_bottom - 0.1 - map_height, inner, map_height)
    key_top = map_box.bottom - 0.14
    scenario_top = key_top - key_height - 0.14
    bars_heading = scenario_top - scenario_height - 0.12
    bars_box = Box(margin, bars_heading - 0.32 - bars_height, inner, bars_height)
    view = _draw_map(page, map_box, catalogue, shown=shown, styles=styles, contents=contents)
    _a4_key(
        page,
        catalogue,
        styles,
        halves,
        drawn=contents.drawn,
        columns=columns,
        top=key_top,
        draw=True,
    )
    Flow(fig, ink, margin, scenario_top, inner).text(scenario_text, size=size, max_lines=3)
    compare = words.t("export.compare.heading")
    fig.text(
        margin,
        bars_heading,
        compare,
        transform=fig.dpi_scale_trans,
        fontsize=size + 0.5,
        fontweight=heading_weight(compare),
        color=INK,
        va="top",
    )
    fig.text(
        margin + page.ink.width(compare, size + 0.5, heading_weight(compare)) + 0.1,
        bars_heading,
        words.t("export.compare.legend"),
        transform=fig.dpi_scale_trans,
        fontsize=size - 0.5,
        color=MUTED,
        va="top",
    )
    draw_bars(
        fig, ink, bars_box, data, styles, columns=4, size=size - 0.5, name_width=1.9, words=words
    )
    footer_text = _source_lines(
        page,
        catalogue,
        shown,
        active,
        projection=view.projection,
        width=inner,
        size=7,
        lines=3,
    )
    footer(fig, footer_text, left=margin, bottom=0.4, width=inner, size=7)


def _scenario_sentence(active: ActiveScenario, changes: list[str], words: Words) -> str:
    scenario = words.scenario(active.scenario)
    if not changes:
        return words.t("export.scenario.sentence_unchanged", scenario=scenario)
    return words.t("export.scenario.sentence", scenario=scenario, changes=words.join(changes))


def _a4_key(
    page: _Page,
    catalogue: Catalogue,
    styles: dict[str, LineStyle],
    halves: list[list[CorridorMetrics]],
    *,
    drawn: Drawn,
    columns: list[tuple[float, float]],
    top: float,
    draw: bool,
) -> float:
    """The A4 key: corridors over two columns, lines and places in the third; returns its height."""
    heights = []
    words = page.words
    headings = (words.t("export.key.corridors"), " ")
    for (x, width), half, heading in zip(columns[:2], halves, headings, strict=True):
        flow = Flow(page.fig, page.ink, x, top, width, draw=draw)
        corridor_key(
            flow,
            catalogue,
            half,
            styles=styles,
            size=page.size,
            width=page.line_width,
            words=words,
            heading=heading,
            notes=False,
        )
        heights.append(top - flow.y)
    x, width = columns[2]
    flow = Flow(page.fig, page.ink, x, top, width, draw=draw)
    lines_key(flow, drawn, page.size, page.line_width, words=words)
    heights.append(top - flow.y)
    return max(heights)
