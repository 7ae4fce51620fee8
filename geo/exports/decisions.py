"""
The decision views in the briefing: per market, the trade-off chart (PNG/SVG) and its options
as CSV for the pack, and a paragraph for the written summary (which routes are non-dominated,
and what beats each of the others).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from geo.catalogue import Catalogue
from geo.emissions import route_emission
from geo.exports.briefing import Briefing
from geo.figures.layout import close_figure, save_figure
from geo.figures.tradeoff import tradeoff_chart
from geo.i18n import Translate, localized
from geo.metrics import CorridorMetrics
from geo.palette import corridor_styles
from geo.summary import market_of
from geo.text import markdown_escape
from geo.tradeoffs import Option, tradeoff_options, tradeoffs_csv


def options_by_market(briefing: Briefing) -> dict[str, list[Option]]:
    """The briefing's corridors as trade-off options, one set per market (origin → destination
    countries): dominance between corridors serving different markets means nothing."""
    catalogue, lang = briefing.catalogue, briefing.lang
    groups: dict[str, list[CorridorMetrics]] = defaultdict(list)
    for result in briefing.results:
        groups[market_of(catalogue, result.origin, result.destination, lang)].append(result)
    names = {c.id: localized(c, lang) for c in catalogue.corridors}
    return {market: tradeoff_options(group, names) for market, group in groups.items()}


def option_co2e_kg(catalogue: Catalogue, options: Sequence[Option]) -> dict[str, float]:
    """Each option's WTW CO2e per FEU in kg, by option id (none without emission factors)."""
    kg = {}
    for option in options:
        found = route_emission(catalogue, [leg.step for leg in option.metrics.legs])
        if found is not None:
            kg[option.metrics.corridor_id] = found.wtw_kg
    return kg


def tradeoff_images(
    catalogue: Catalogue,
    options: Sequence[Option],
    *,
    lang: str,
    t: Translate,
    co2e_kg: Mapping[str, float] | None = None,
) -> tuple[bytes, bytes]:
    """The trade-off chart of these options as PNG and SVG, labelled in `lang`; `co2e_kg` where
    the caller has it already, else computed here."""
    figure = tradeoff_chart(
        options,
        option_co2e_kg(catalogue, options) if co2e_kg is None else co2e_kg,
        corridor_styles(catalogue, lang),
        title=t("decisions.chart_title"),
        x_label=t("decisions.days_axis"),
        y_label=t("decisions.cost_axis"),
        co2e_label=t("decisions.co2e_label"),
    )
    png, svg = save_figure(figure, "png"), save_figure(figure, "svg")
    close_figure(figure)
    return png, svg


def tradeoff_parts(briefing: Briefing) -> tuple[bytes, bytes, bytes]:
    """The trade-off chart of the market with most options, as PNG and SVG, and every option
    of every market as CSV."""
    groups = options_by_market(briefing)
    largest = max(groups.values(), key=len, default=[])
    png, svg = tradeoff_images(briefing.catalogue, largest, lang=briefing.lang, t=briefing.words.t)
    every = [option for options in groups.values() for option in options]
    return png, svg, tradeoffs_csv(every)


def tradeoff_lines(briefing: Briefing) -> list[str]:
    """The summary's paragraph: per market, the non-dominated routes, then each dominated one."""
    t = briefing.words.t
    lines = []
    for market, options in options_by_market(briefing).items():
        if not options:
            continue
        front = [markdown_escape(o.name) for o in options if not o.dominated]
        lines.append(
            f"- **{markdown_escape(market)}**: " + t("export.md.front", names="; ".join(front))
        )
        lines += [
            f"  - {markdown_escape(o.name)}: {markdown_escape(o.reason)}"
            for o in options
            if o.dominated
        ]
    return lines
