"""
The briefing figure and the comparison chart as file bytes (PNG, SVG, PDF): each drawn once per
call and closed afterwards, however many formats are asked for, so a pack draws each only once.
"""

from __future__ import annotations

from geo.exports.briefing import Briefing
from geo.figures import briefing_figure, close_figure, comparison_chart, save_figure


def figure_bytes(briefing: Briefing, formats: tuple[str, ...]) -> list[bytes]:
    """The briefing figure (map, key, comparison) in each of `formats`, in that order."""
    fig = briefing_figure(
        briefing.catalogue,
        briefing.active,
        briefing.results,
        preset=briefing.preset,
        title=briefing.title,
        date=briefing.day,
        lang=briefing.lang,
    )
    try:
        return [save_figure(fig, fmt) for fmt in formats]
    finally:
        close_figure(fig)


def chart_bytes(briefing: Briefing, formats: tuple[str, ...]) -> list[bytes]:
    """The comparison chart (cost, time, hops, exposure per corridor) in each of `formats`."""
    fig = comparison_chart(briefing.catalogue, briefing.data, lang=briefing.lang)
    try:
        return [save_figure(fig, fmt) for fmt in formats]
    finally:
        close_figure(fig)
