"""
The map page's prose and tables about single corridors, without Streamlit: why an impassable
corridor is blocked and its best open detour, and a corridor's legs one by one.

Text goes to Markdown, so every catalogue string in it is escaped here.
"""

from __future__ import annotations

from typing import Any

from geo.catalogue import Catalogue
from geo.i18n import Translate, localized
from geo.metrics import CorridorMetrics
from geo.numbers import format_range, record_range
from geo.routing import Route
from geo.summary import blocked_by_text
from geo.text import markdown_escape


def detour_lines(
    catalogue: Catalogue,
    data: dict[str, Any],
    blocked: list[CorridorMetrics],
    found: dict[str, Route | None],
    *,
    t: Translate,
    lang: str,
) -> list[str]:
    """Per impassable corridor (Markdown): what blocks it, and the best open detour between its
    ends from `found` (`geo.routing.detours`), or that there is none."""
    lines = []
    for result in blocked:
        corridor_id, route = result.corridor_id, found.get(result.corridor_id)
        name = localized(catalogue.corridor(corridor_id), lang)
        record = next(r for r in data["corridors"] if r["id"] == corridor_id)
        why = blocked_by_text(record["blocked_by"], catalogue=catalogue, t=t, lang=lang)
        ends = " → ".join(
            localized(catalogue.node(n), lang) for n in (result.origin, result.destination)
        )
        texts = {"name": name, "why": why, "ends": ends}
        escaped = {key: markdown_escape(value) for key, value in texts.items()}
        if route is None:
            lines.append(t("map.no_detour", **escaped))
            continue
        m = route.metrics
        via = " → ".join(localized(catalogue.node(s.end), lang) for s in route.steps[:-1])
        lines.append(
            t(
                "map.detour",
                **escaped,
                days=format_range(m.transit_days_range, "days"),
                cost=format_range(m.cost_range, "usd"),
                exposure=f"{m.exposure.score:.0f}",
                via=markdown_escape(via),
            )
        )
    return lines


def leg_rows(
    catalogue: Catalogue, record: dict[str, Any], *, t: Translate, lang: str
) -> list[dict[str, Any]]:
    """
    A corridor's legs (from `geo.summary`'s record) as table rows with headings in `lang`; moving
    days and cost as text with their range, `typical (low–high)`, as everywhere else.
    """
    return [
        {
            t("legs.from"): localized(catalogue.node(leg["from"]["id"]), lang),
            t("legs.to"): localized(catalogue.node(leg["to"]["id"]), lang),
            t("legs.mode"): t(f"mode.{leg['mode']}"),
            t("legs.gauge"): leg["gauge_mm"],
            t("legs.status"): t(f"status.{leg['status']}"),
            t("legs.distance"): leg["distance_km"],
            t("legs.moving"): format_range(record_range(leg, "moving_days"), "days"),
            t("legs.cost"): format_range(record_range(leg, "cost_usd_per_feu"), "usd"),
            t("legs.open"): leg["open"],
            t("legs.sources"): ", ".join(leg["sources"]) or t("legs.estimate"),
        }
        for leg in record["legs"]
    ]
