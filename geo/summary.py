"""
Corridor metrics as plain records: the one shape behind the CLI's JSON/CSV/table, the dashboard's
tables and the exports, so a figure reads the same wherever it is pasted from.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from geo.catalogue import Catalogue, Leg, Node
from geo.charges import leg_figures
from geo.emissions import route_emission
from geo.i18n import ENGLISH, Translate, localized
from geo.loader import catalogue_citation
from geo.metrics import CorridorMetrics, LegMetrics, evaluate_all
from geo.paths import Step
from geo.ranges import PERCENTILES, Kind, Range, Sampler, range_text
from geo.scenarios import ActiveScenario, Closure, closure_text

COLUMNS: list[tuple[str, str]] = [
    ("id", "corridor"),
    ("passable", "passable"),
    ("distance_km", "distance (km)"),
    ("transit_days", "transit (days)"),
    ("transit_days_low", "transit low (days)"),
    ("transit_days_high", "transit high (days)"),
    ("cost_usd_per_feu", "cost (USD/FEU)"),
    ("cost_usd_per_feu_low", "cost low (USD/FEU)"),
    ("cost_usd_per_feu_high", "cost high (USD/FEU)"),
    ("border_crossings", "border crossings"),
    ("transshipments", "transshipments"),
    ("gauge_breaks", "gauge breaks"),
    ("exposure_score", "exposure (0-100)"),
    ("co2e_kg_per_feu", "CO2e WTW (kg/FEU)"),
    ("blocked_by", "blocked by"),
]
"""Flat columns for tables and CSV: key, heading with unit."""


def leg_sources(catalogue: Catalogue, leg: Leg | Step) -> list[str]:
    """
    Every source behind a leg's numbers: its own figures, the rail network's or mode's speed and
    rate it uses, and the border charge where customs clear. A `Leg` is read as written (from →
    to); a `Step` in its direction of travel, whose start country picks the rail network.
    """
    step = leg if isinstance(leg, Step) else Step(leg, leg.from_, leg.to)
    found: list[str] = []
    for figure in leg_figures(catalogue, step):
        for source in figure.sources:
            if source not in found:
                found.append(source)
    return found


def _node_record(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "name": node.name,
        "lat": node.lat,
        "lon": node.lon,
        "country": node.country,
        "kind": node.kind.value,
    }


def leg_record(catalogue: Catalogue, leg: LegMetrics) -> dict[str, Any]:
    step = leg.step
    return {
        "id": step.leg.id,
        "from": _node_record(catalogue.node(step.start)),
        "to": _node_record(catalogue.node(step.end)),
        "mode": step.leg.mode.value,
        "status": step.leg.status.value,
        "gauge_mm": step.leg.gauge_mm,
        "distance_km": round(leg.distance_km, 1),
        "moving_days": round(leg.moving_days, 2),
        "moving_days_range": leg.moving_days_range.rounded(2),
        "cost_usd_per_feu": round(leg.cost_usd),
        "cost_usd_per_feu_range": _usd(leg.cost_range),
        "cost_breakdown": {k: round(v) for k, v in leg.cost_breakdown.items()},
        "open": leg.closure is None,
        "closed_because": leg.closure.reason if leg.closure else None,
        "distance_estimate": step.leg.distance_km.estimate,
        "sources": leg_sources(catalogue, step),
    }


def _usd(value: Range) -> dict[str, float]:
    """A cost range in whole dollars (ints, as the typical cost is written)."""
    return {k: round(v) for k, v in value.as_dict().items()}


def market_of(catalogue: Catalogue, origin: str, destination: str, lang: str = "en") -> str:
    """'China → Germany': what a corridor connects (origin and destination countries)."""
    start, end = catalogue.node(origin), catalogue.node(destination)
    names = (localized(catalogue.country(n.country), lang) for n in (start, end))
    return " → ".join(names)


def corridor_record(catalogue: Catalogue, metrics: CorridorMetrics) -> dict[str, Any]:
    corridor = catalogue.corridor(metrics.corridor_id)
    exposure = metrics.exposure
    return {
        "id": corridor.id,
        "name": corridor.name,
        "status": corridor.status.value,
        "market": market_of(catalogue, metrics.origin, metrics.destination),
        "origin": metrics.origin,
        "destination": metrics.destination,
        "passable": metrics.passable,
        "blocked_by": [
            {
                "leg": b.leg_id,
                "kind": b.kind,
                "target": b.target,
                "detail": b.detail,
                "reason": b.reason,
            }
            for b in metrics.blockers
        ],
        "distance_km": round(metrics.distance_km),
        "distance_by_mode_km": {m: round(km) for m, km in metrics.distance_by_mode.items()},
        "transit_days": round(metrics.transit_days, 1),
        "transit_days_range": metrics.transit_days_range.rounded(1),
        "moving_days": round(metrics.moving_days, 1),
        "dwell_days": round(metrics.dwell_days, 1),
        "cost_usd_per_feu": round(metrics.cost_usd_per_feu),
        "cost_usd_per_feu_range": _usd(metrics.cost_range),
        "cost_breakdown": {k: round(v) for k, v in metrics.cost_breakdown.items()},
        "border_crossings": metrics.border_crossings,
        "transshipments": metrics.transshipments,
        "gauge_breaks": metrics.gauge_breaks,
        "exposure": {
            "score": round(exposure.score, 1),
            "components": {k: round(v, 3) for k, v in exposure.components.items()},
            "jurisdictions": exposure.jurisdictions,
            "by_country": {c: round(s, 4) for c, s in exposure.km_share.items()},
            "days_by_country": {c: round(s, 4) for c, s in exposure.day_share.items()},
            "at_sea": round(exposure.at_sea_share, 4),
            "sanctions_km": round(exposure.sanctions_km),
            "by_gatekeeper": {c: round(s, 4) for c, s in exposure.gatekeeper_share.items()},
            "chokepoints": dict(exposure.chokepoints),
        },
        "legs": [leg_record(catalogue, leg) for leg in metrics.legs],
    } | _emission_fields(catalogue, metrics)


def _emission_fields(catalogue: Catalogue, metrics: CorridorMetrics) -> dict[str, Any]:
    """CO2e per FEU (WTW with its range, TTW beside it), on the corridor and on each leg record."""
    found = route_emission(catalogue, [leg.step for leg in metrics.legs])
    if found is None:
        return {}
    return {
        "co2e_kg_per_feu": round(found.wtw_kg),
        "co2e_kg_per_feu_range": {k: round(v) for k, v in found.wtw_range.as_dict().items()},
        "co2e_ttw_kg_per_feu": round(found.ttw_kg),
        "co2e_by_leg_kg": {e.step.leg.id: round(e.wtw_kg, 1) for e in found.legs},
    }


def summary(
    catalogue: Catalogue, active: ActiveScenario, *, weights: dict[str, float] | None = None
) -> dict[str, Any]:
    """The whole comparison for one scenario as JSON-ready data."""
    scenario = active.scenario
    return {
        "scenario": {"id": scenario.id, "name": scenario.name, "description": scenario.description},
        "catalogue": {"title": catalogue.meta.title, **catalogue_citation(catalogue)},
        "units": units(catalogue),
        "corridors": [
            corridor_record(catalogue, m) for m in evaluate_all(catalogue, active, weights=weights)
        ],
    }


def units(catalogue: Catalogue) -> dict[str, Any]:
    """What the numbers are in: units, the currency and its price year, and how ranges are made."""
    sampler = Sampler()
    low, high = (f"{p:g}" for p in PERCENTILES)
    return {
        "distance": "km",
        "time": "days",
        "cost": "USD per FEU (40-ft container)",
        "currency": catalogue.meta.currency,
        "price_year": catalogue.parameters.price_year,
        "range": (
            f"Monte Carlo: each figure drawn from a triangular (low, value, high) distribution, "
            f"one draw shared by every leg that uses it; low and high are the {low}th and "
            f"{high}th percentiles of {sampler.draws:,} draws (seed {sampler.seed}); typical is "
            f"the model at the figures' values"
        ),
    }


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    """One corridor record as a flat row under `COLUMNS` (ranges: records without one show -)."""
    days = record.get("transit_days_range") or {}
    cost = record.get("cost_usd_per_feu_range") or {}
    return {
        "id": record["id"],
        "passable": record["passable"],
        "distance_km": record["distance_km"],
        "transit_days": record["transit_days"],
        "transit_days_low": days.get("low", "-"),
        "transit_days_high": days.get("high", "-"),
        "cost_usd_per_feu": record["cost_usd_per_feu"],
        "cost_usd_per_feu_low": cost.get("low", "-"),
        "cost_usd_per_feu_high": cost.get("high", "-"),
        "border_crossings": record["border_crossings"],
        "transshipments": record["transshipments"],
        "gauge_breaks": record["gauge_breaks"],
        "exposure_score": record["exposure"]["score"],
        "co2e_kg_per_feu": record.get("co2e_kg_per_feu", "-"),
        "blocked_by": blocked_by_text(record["blocked_by"]),
    }


def blocked_by_text(
    blockers: list[dict[str, Any]],
    *,
    catalogue: Catalogue | None = None,
    t: Translate = ENGLISH,
    lang: str = "en",
) -> str:
    """
    Short form of why a corridor is shut: one phrase per cause, not one per leg.

    With a catalogue the reasons are worded afresh in `lang`; without, the English ones are used.
    """

    def reason(blocker: dict[str, Any]) -> str:
        if catalogue is None:
            return str(blocker["reason"])
        closure = Closure(blocker["kind"], blocker["target"], blocker["detail"], blocker["reason"])
        return closure_text(catalogue, closure, t=t, lang=lang)

    not_open = [b for b in blockers if b["kind"] == "status"]
    phrases = list(dict.fromkeys(reason(b) for b in blockers if b["kind"] != "status"))
    if len(not_open) == 1:
        phrases.append(reason(not_open[0]))
    elif not_open:
        legs = ", ".join(b["leg"] for b in not_open[:2])
        phrases.append(t("blocked.not_open", count=len(not_open), legs=legs))
    return t("blocked.separator").join(phrases)


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def to_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([heading for _, heading in COLUMNS])
    for record in data["corridors"]:
        row = flat_row(record)
        writer.writerow([row[key] for key, _ in COLUMNS])
    return out.getvalue()


TABLE_RANGED: dict[str, Kind] = {"transit_days": "days", "cost_usd_per_feu": "usd"}
"""Columns a terminal table writes as `typical (low–high)`, rounded as every view rounds them
(days to 0.1, USD to the nearest 10: `geo.ranges.range_text`); JSON and CSV keep the precision."""


def to_table(data: dict[str, Any]) -> str:
    """A plain aligned text table for terminals; totals as `typical (low–high)`."""
    columns = [(k, h) for k, h in COLUMNS if not k.endswith(("_low", "_high"))]
    headings = [heading for _, heading in columns]
    rows = []
    for record in data["corridors"]:
        flat = flat_row(record)
        for key, kind in TABLE_RANGED.items():
            if f"{key}_range" in record:
                value = record[f"{key}_range"]
                flat[key] = range_text(value["low"], value["typical"], value["high"], kind)
        rows.append([_cell(flat[key]) for key, _ in columns])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headings)]
    lines = [f"Scenario: {data['scenario']['name']} ({data['scenario']['id']})", ""]
    lines.append("  ".join(h.ljust(w) for h, w in zip(headings, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


BEST_BY: dict[str, str] = {
    "cost_usd_per_feu": "cheapest",
    "transit_days": "fastest",
    "hops": "fewest hops",
    "exposure_score": "lowest exposure",
    "distance_km": "shortest",
}
"""Columns where lower is better, and the word for the winner."""


def hops(record: dict[str, Any]) -> int:
    return int(record["border_crossings"] + record["transshipments"] + record["gauge_breaks"])


def markets(data: dict[str, Any]) -> dict[str, list[str]]:
    """
    Corridors grouped by what they connect (origin country → destination country).

    Only corridors serving the same trade compare like for like: China–Europe rail is not
    'slower' than Kazakhstan–Japan, it goes elsewhere.
    """
    groups: dict[str, list[str]] = {}
    for record in data["corridors"]:
        groups.setdefault(record["market"], []).append(record["id"])
    return groups


def best_corridors(data: dict[str, Any]) -> dict[str, list[str]]:
    """
    For each lower-is-better column, the passable corridors with the lowest value, one winner
    (ties kept) per market.
    """
    best: dict[str, list[str]] = {column: [] for column in BEST_BY}
    for members in markets(data).values():
        records = [r for r in data["corridors"] if r["id"] in members and r["passable"]]
        for column in BEST_BY:
            values = {r["id"]: _column_value(r, column) for r in records}
            if values:
                lowest = min(values.values())
                best[column] += [cid for cid, value in values.items() if value == lowest]
    return {column: ids for column, ids in best.items() if ids}


def _column_value(record: dict[str, Any], column: str) -> float:
    if column == "hops":
        return hops(record)
    if column == "exposure_score":
        return float(record["exposure"]["score"])
    return float(record[column])


DELTA_COLUMNS: dict[str, str] = {
    "transit_days": "Δ days",
    "cost_usd_per_feu": "Δ cost (USD/FEU)",
    "hops": "Δ hops",
    "exposure_score": "Δ exposure",
}


def deltas(data: dict[str, Any], baseline: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per corridor, scenario minus baseline for days, cost, hops and exposure."""
    before = {r["id"]: r for r in baseline["corridors"]}
    result = {}
    for record in data["corridors"]:
        base = before.get(record["id"])
        if base is not None:
            result[record["id"]] = {
                column: round(_column_value(record, column) - _column_value(base, column), 1)
                for column in DELTA_COLUMNS
            }
    return result
