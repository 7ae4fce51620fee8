"""
The written summary (Markdown): the scenario, the comparison table, who wins, what is shut and the
sources. Messages are trusted Markdown; every catalogue string filled into them goes through
`geo.text.markdown_escape`, so a name can never become a link, HTML or a list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from geo.annotations import notes_of, one_line
from geo.catalogue import Source
from geo.exports.briefing import Briefing
from geo.exports.decisions import tradeoff_lines
from geo.figures.words import Words
from geo.i18n import localized
from geo.numbers import format_range, if_open, record_range
from geo.summary import BEST_BY, best_corridors, hops
from geo.text import markdown_escape

MD_FIGURES: dict[str, Callable[[dict[str, Any]], str]] = {
    "cost_usd_per_feu": lambda r: format_range(record_range(r, "cost_usd_per_feu"), "usd"),
    "transit_days": lambda r: format_range(record_range(r, "transit_days"), "days"),
    "hops": lambda r: f"{hops(r)}",
    "exposure_score": lambda r: f"{r['exposure']['score']:.1f}",
    "distance_km": lambda r: f"{r['distance_km']:,}",
}
"""The summary's best-of columns (see `geo.summary.BEST_BY`) and how each figure is written:
transit and cost with their range, `typical (low–high)` (`geo.numbers.format_range`)."""


def _md_url(url: str) -> str:
    return "<" + quote(url, safe=":/?#[]@!$&'()*+,;=%~-._") + ">"


def markdown_bytes(briefing: Briefing) -> bytes:
    """The written summary, UTF-8."""
    esc = markdown_escape
    data, scenario, words = briefing.data, briefing.active.scenario, briefing.words
    t = words.t
    meta = briefing.catalogue.meta
    records = data["corridors"]
    name = esc(briefing.scenario_name)
    columns = ("corridor", "passable", "distance", "transit", "cost", "hops", "exposure")
    headings = " | ".join(t(f"export.md.column.{column}") for column in columns)
    changes = [f"- {esc(c)}" for c in briefing.changes] or [f"- {t('export.md.unchanged')}"]
    rationale = esc(localized(scenario, briefing.lang, field="rationale"))
    lines = [
        f"# {t('export.heading', heading=esc(briefing.heading), scenario=name)}",
        "",
        t(
            "export.md.catalogue",
            date=esc(words.date(briefing.day)),
            title=esc(localized(meta, briefing.lang, "title")),
            version=esc(meta.version),
            hash=esc(briefing.citation["hash"]),
        ),
        "",
        f"## {t('export.scenario.heading', scenario=name)}",
        "",
        esc(localized(scenario, briefing.lang, "description")),
        "",
        t("export.md.assumptions"),
        "",
        *changes,
        "",
        t("export.md.rationale", rationale=rationale),
        "",
        f"## {t('export.key.corridors')}",
        "",
        f"| {headings} |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in records:
        passable = t("export.yes") if r["passable"] else f"**{t('export.no')}**"
        name = esc(r["name"])
        name = t("figures.named_if_open", name=name) if if_open(r) else name
        days, cost = MD_FIGURES["transit_days"](r), MD_FIGURES["cost_usd_per_feu"](r)
        lines.append(
            f"| {name} | {passable} | {r['distance_km']:,} | {days} | {cost} "
            f"| {hops(r)} | {r['exposure']['score']:.1f} |"
        )
    lines += [
        "",
        t("export.md.range_note"),
        "",
        t("export.md.hops_note"),
        "",
        f"## {t('export.md.best')}",
        "",
        *_md_best(data, words),
        "",
        f"## {t('export.md.tradeoffs')}",
        "",
        t("export.md.tradeoffs_note"),
        "",
        *tradeoff_lines(briefing),
        "",
        f"## {t('export.md.impassable')}",
        "",
        *_md_blocked(records, words),
        "",
        *_md_notes(briefing),
        f"## {t('export.md.sources')}",
        "",
        *_md_sources(briefing.sources, words),
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def _md_best(data: dict[str, Any], words: Words) -> list[str]:
    """Winners per lower-is-better column, one per market (ties kept), each with its figure."""
    t = words.t
    best = best_corridors(data)
    if not best:
        return [t("export.md.best_none")]
    by_id = {r["id"]: r for r in data["corridors"]}
    several = len({r.get("market") for r in data["corridors"]}) > 1
    lines = []
    for column in (c for c in MD_FIGURES if c in BEST_BY):
        winners = []
        for corridor_id in best.get(column, []):
            record = by_id[corridor_id]
            figure = t(f"export.figure.{column}", value=MD_FIGURES[column](record))
            if if_open(record):  # passable, yet planned or under construction
                figure = t("figures.value_if_open", value=figure)
            if several:
                market = markdown_escape(record.get("market", ""))
                figure = t("export.takeaway.market", market=market, text=figure)
            name = markdown_escape(record["name"])
            winners.append(t("export.md.winner", name=name, figure=figure))
        if winners:
            label = t(f"export.best.{column}")
            lines.append(f"- {t('export.md.best_line', label=label, winners=words.join(winners))}")
    if several:
        lines += ["", t("export.md.markets_note")]
    return lines


def _md_blocked(records: list[dict[str, Any]], words: Words) -> list[str]:
    """Each impassable corridor with every distinct reason (the table has the short form)."""
    lines = []
    for record in records:
        if not record["passable"]:
            reasons = list(dict.fromkeys(b["reason"] for b in record["blocked_by"]))
            text = markdown_escape(words.join(reasons))
            name = markdown_escape(record["name"])
            line = words.t("export.md.impassable_line", name=name, reasons=text)
            lines.append(f"- {line}")
    return lines or [words.t("export.md.impassable_none")]


def _md_notes(briefing: Briefing) -> list[str]:
    """The team's notes on the shown corridors and the nodes they pass, if any: a section."""
    esc, t = markdown_escape, briefing.words.t
    lines = []
    targets = [("corridor", r["id"], r["name"]) for r in briefing.data["corridors"]]
    nodes = dict.fromkeys(
        node
        for result in briefing.results
        for leg in result.legs
        for node in (leg.step.start, leg.step.end)
    )
    targets += [("node", n, localized(briefing.catalogue.node(n), briefing.lang)) for n in nodes]
    for kind, record_id, name in targets:
        for date, author, text in notes_of(briefing.notes, kind, record_id):
            key = "export.md.note_line" if author else "export.md.note_anonymous"
            values = {"target": f"**{esc(name)}**", "date": date, "text": esc(one_line(text))}
            lines.append("- " + t(key, **values, **({"author": esc(author)} if author else {})))
    return [f"## {t('export.md.notes')}", "", *lines, ""] if lines else []


def _md_sources(sources: list[Source], words: Words) -> list[str]:
    """The bibliography as published (titles and publishers are citations, not translated)."""
    esc = markdown_escape
    lines = []
    for source in sources:
        url = f" {_md_url(source.url)}" if source.url else ""
        lines.append(
            f"- {esc(source.publisher)} ({source.year}). {esc(source.title)}.{url}"
            f" \\[{esc(source.id)}\\]"
        )
    return lines or [words.t("export.md.sources_none")]
