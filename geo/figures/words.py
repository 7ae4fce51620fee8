"""
The words on a figure or file, in the reader's language: messages (`locales/<lang>/exports.yaml`),
catalogue names, dates, the sources behind the numbers, the takeaway line, why a corridor is shut.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from geo.catalogue import Catalogue, Scenario, Source
from geo.figures.layout import Ink
from geo.i18n import DEFAULT_LANGUAGE, localized, translator
from geo.metrics import CorridorMetrics
from geo.numbers import format_range, if_open, record_range
from geo.palette import LineStyle, corridor_styles
from geo.scenarios import ActiveScenario, Closure, closure_text, scenario_changes
from geo.summary import best_corridors, corridor_record, hops, leg_sources

CUSTOM = "+custom"
"""Suffix of a preset's id once the analyst adjusted it (`geo.scenarios.customise`)."""


class Words:
    """
    The language of one export: messages (`t`), catalogue names, dates and engine sentences.

    English output is the reference: every English message reproduces the text the figures and
    files carried before they were translated.
    """

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        self.t = translator(lang)  # refuses an unknown language
        self.lang = lang

    def name(self, record: Any) -> str:
        """A corridor's, node's, country's or scenario's name in this language."""
        return localized(record, self.lang)

    def join(self, items: Iterable[str]) -> str:
        return self.t("export.list.separator").join(items)

    def date(self, day: dt.date) -> str:
        month = self.t(f"export.month.{day.month}")
        return self.t("export.date", day=day.day, month=month, year=day.year)

    def scenario(self, scenario: Scenario) -> str:
        """The scenario's name; an adjusted preset keeps saying so in every language."""
        name = self.name(scenario)
        if self.lang != DEFAULT_LANGUAGE and scenario.id.endswith(CUSTOM) and name != scenario.name:
            suffix = self.t("export.scenario.adjusted")
            name = name if name.endswith(suffix) else name + suffix
        return name

    def scenario_in(self, catalogue: Catalogue, info: dict[str, Any]) -> str:
        """The name of the scenario a summary (`{"id": …, "name": …}`) was made under."""
        name = str(info.get("name", ""))
        if self.lang == DEFAULT_LANGUAGE:
            return name
        scenario_id = str(info.get("id", ""))
        presets = {s.id: s for s in catalogue.scenarios}
        preset = presets.get(scenario_id.removesuffix(CUSTOM))
        if preset is None:
            return name
        return self.scenario(preset.model_copy(update={"id": scenario_id}))

    def title(self, catalogue: Catalogue, title: str | None = None) -> str:
        """
        The page title: the one asked for, else the catalogue's title in this language.

        The catalogue's title is English only (`meta` has no `title_zh`); other languages get a
        generic translated title and cite the catalogue by its own title in the footer.
        """
        if title:
            return title
        meta = catalogue.meta
        if self.lang == DEFAULT_LANGUAGE or getattr(meta, f"title_{self.lang}", None):
            return localized(meta, self.lang, field="title")
        return self.t("export.title.generic")

    def market(self, catalogue: Catalogue, origin: str, destination: str) -> str:
        """What a corridor connects, as `geo.summary.market_of` but in this language."""
        start, end = (catalogue.country(catalogue.node(n).country) for n in (origin, destination))
        return self.t("export.market", origin=self.name(start), destination=self.name(end))

    def closure(self, catalogue: Catalogue, closure: Closure) -> str:
        return closure_text(catalogue, closure, t=self.t, lang=self.lang)

    def changes(self, catalogue: Catalogue, scenario: Scenario) -> list[str]:
        return scenario_changes(catalogue, scenario, t=self.t, lang=self.lang)

    def styles(self, catalogue: Catalogue) -> dict[str, LineStyle]:
        """The map's corridor styles, labelled with the corridor names in this language."""
        return {
            corridor_id: replace(style, name=self.name(catalogue.corridor(corridor_id)))
            for corridor_id, style in corridor_styles(catalogue).items()
        }


ENGLISH = Words()


def format_date(day: dt.date, lang: str = DEFAULT_LANGUAGE) -> str:
    """'24 November 2026'; '2026年11月24日' in Chinese."""
    return Words(lang).date(day)


# --------------------------------------------------------------------------- sources


def cited_sources(
    catalogue: Catalogue, results: Iterable[CorridorMetrics], active: ActiveScenario | None = None
) -> list[Source]:
    """
    Sources behind the numbers of the given corridors, most cited first.

    Counted: each leg's distance, speed and cost (or the mode rates it uses), dwell and handling
    at intermediate stops, the border-crossing cost when a border is crossed, the stability and
    sanctions figures of every country passed through, and the scenario's own sources.
    """
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}

    def cite(ids: Iterable[str]) -> None:
        for source_id in ids:
            counts[source_id] += 1
            order.setdefault(source_id, len(order))

    parameters = catalogue.parameters
    for result in results:
        for leg in result.legs:
            cite(leg_sources(catalogue, leg.step.leg))
        for stop in result.stops:
            for figure in (stop.node.dwell_hours, stop.node.handling_usd_per_feu):
                if figure is not None:
                    cite(figure.sources)
        if result.border_crossings:
            cite(parameters.border_crossing_cost_usd_per_feu.sources)
        for code in result.exposure.jurisdictions:
            country = catalogue.country(code)
            cite(country.stability_percentile.sources)
            cite(country.sanctions_sources)
    if active is not None:
        cite(active.scenario.sources)
    known = {source.id for source in catalogue.sources}
    ranked = sorted((s for s in counts if s in known), key=lambda s: (-counts[s], order[s]))
    return [catalogue.source(source_id) for source_id in ranked]


def short_citations(sources: Sequence[Source]) -> list[str]:
    """'Publisher Year' per publisher, years merged ('World Bank 2023, 2024'), in given order."""
    years: dict[str, list[int]] = {}
    for source in sources:
        listed = years.setdefault(source.publisher, [])
        if source.year not in listed:
            listed.append(source.year)
    return [f"{publisher} {', '.join(map(str, sorted(ys)))}" for publisher, ys in years.items()]


def fit_sources(
    ink: Ink, words: Words, items: list[str], *, width: float, size: float, lines: int
) -> str:
    """'Sources: ' + as many `items` as fit in `lines` lines of `width`, then 'and N more'."""
    t = words.t

    def text(count: int) -> str:
        rest = len(items) - count
        shown = words.join(items[:count])
        if rest:
            more = t("export.sources.more", shown=shown, count=rest)
            shown = more if shown else t("export.sources.count", count=rest)
        return t("export.sources.prefix") + shown

    low, high = 0, len(items)  # binary search: the largest count that still fits
    while low < high:
        middle = (low + high + 1) // 2
        if len(ink.wrap(text(middle), width, size)) <= lines:
            low = middle
        else:
            high = middle - 1
    return text(low)


# --------------------------------------------------------------------------- view data


def shown_results(
    results: list[CorridorMetrics], corridors: list[str] | None
) -> list[CorridorMetrics]:
    by_id = {r.corridor_id: r for r in results}
    if corridors is None:
        return list(results)
    unknown = [c for c in corridors if c not in by_id]
    if unknown:
        raise ValueError(
            f"`corridors` has ids with no results: {', '.join(unknown)}; known: {', '.join(by_id)}"
        )
    return [by_id[c] for c in dict.fromkeys(corridors)]


def records_of(
    catalogue: Catalogue, results: list[CorridorMetrics], words: Words = ENGLISH
) -> list[dict[str, Any]]:
    """`geo.summary.corridor_record`s with names, markets and blocking reasons in `words`."""
    records = []
    for result in results:
        closures = {leg.step.leg.id: leg.closure for leg in result.legs if leg.closure}
        record = relabel(catalogue, corridor_record(catalogue, result), words)
        record["blocked_by"] = [
            {**b, "reason": words.closure(catalogue, closures[b["leg"]])}
            for b in record["blocked_by"]
        ]
        records.append(record)
    return records


def relabel(catalogue: Catalogue, record: dict[str, Any], words: Words) -> dict[str, Any]:
    """A corridor record with its name and market in `words` (the figures are unchanged)."""
    corridor = catalogue.corridor(record["id"])
    market = words.market(catalogue, record["origin"], record["destination"])
    return {**record, "name": words.name(corridor), "market": market}


def metric_value(record: dict[str, Any], key: str) -> float:
    if key == "hops":
        return float(hops(record))
    if key == "exposure_score":
        return float(record["exposure"]["score"])
    return float(record[key])


def takeaway(data: dict[str, Any], words: Words = ENGLISH) -> str:
    """
    One line on who wins: the cheapest and the fastest passable corridor of each market.

    Corridors only compete within a market (what they connect), as in `geo.summary`. Names and
    markets are taken from the records as they are (see `records_of` for translated ones).
    """
    t = words.t
    records = data["corridors"]
    best = best_corridors(data)
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(record.get("market", ""), []).append(record)
    parts = []
    for market, members in groups.items():
        ids = {r["id"]: r for r in members}
        cheap = [ids[i] for i in best.get("cost_usd_per_feu", []) if i in ids]
        fast = [ids[i] for i in best.get("transit_days", []) if i in ids]
        if not cheap:
            text = t("export.takeaway.none")
        else:
            text = t(
                "export.takeaway.best",
                cheap=marked_name(cheap[0], words),
                cost=format_range(record_range(cheap[0], "cost_usd_per_feu"), "usd"),
                fast=marked_name(fast[0], words),
                days=format_range(record_range(fast[0], "transit_days"), "days"),
            )
        parts.append(
            t("export.takeaway.market", market=market, text=text) if len(groups) > 1 else text
        )
    text = t("export.takeaway.separator").join(parts)
    text = text[0].upper() + text[1:] if text else text
    return text


def marked_name(record: dict[str, Any], words: Words = ENGLISH) -> str:
    """The record's name, marked "(if open)" when its figures hold only if it opens."""
    name = str(record["name"])
    return words.t("figures.named_if_open", name=name) if if_open(record) else name


def counted(results: list[CorridorMetrics], words: Words = ENGLISH) -> str:
    """'8 corridors, 4 impassable'."""
    t = words.t
    blocked = sum(not r.passable for r in results)
    text = t(f"export.corridors.{'one' if len(results) == 1 else 'many'}", count=len(results))
    return t("export.corridors.blocked", corridors=text, blocked=blocked) if blocked else text


def blocked_note(
    catalogue: Catalogue, result: CorridorMetrics, words: Words = ENGLISH
) -> str | None:
    """'Impassable: transit through Russia closed': at most two reasons, then how many more."""
    if result.passable:
        return None
    t = words.t
    closures = [leg.closure for leg in result.legs if leg.closure is not None]
    reasons = list(
        dict.fromkeys(words.closure(catalogue, c) for c in closures if c.kind != "status")
    )
    unopened = sum(c.kind == "status" for c in closures)
    if unopened:
        reasons.append(
            t(f"export.blocked.unopened.{'one' if unopened == 1 else 'many'}", count=unopened)
        )
    shown = words.join(reasons[:2])
    if len(reasons) > 2:
        shown = t("export.blocked.more", reasons=shown, count=len(reasons) - 2)
    return t("export.blocked.note", reasons=shown)
