"""
How a model figure reads, in one place: every view (table cell, card, popup, tooltip, file,
figure) writes a total as `typical (low–high)` through `format_range`, and says whether its figures
hold only "if open" through `figure_status`, so a range pasted from any of them reads the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from geo.ranges import Kind, number_text, range_text

__all__ = [
    "STATUSES",
    "Kind",
    "RangeLike",
    "RangeValue",
    "figure_status",
    "format_number",
    "format_range",
    "if_open",
    "range_parts",
    "record_range",
]

STATUSES = ("operational", "planned", "under_construction", "impassable")
"""What `figure_status` answers: the figures hold as they are, or only if the corridor opens."""


class RangeLike(Protocol):
    """The engine's `geo.ranges.Range`, read only: low ≤ typical ≤ high."""

    @property
    def low(self) -> float: ...

    @property
    def typical(self) -> float: ...

    @property
    def high(self) -> float: ...


RangeValue = RangeLike | Mapping[str, Any]
"""A range as the engine holds it (`Range`) or as a summary record carries it (a dict)."""


def range_parts(value: RangeValue) -> tuple[float, float, float]:
    """(low, typical, high) of a `Range` or of a record's `{"low", "typical", "high"}`."""
    if isinstance(value, Mapping):
        return float(value["low"]), float(value["typical"]), float(value["high"])
    return float(value.low), float(value.typical), float(value.high)


format_number = number_text
"""One figure by the unit rules (`geo.ranges.number_text`): '28.0' days, '3,410' USD."""


def format_range(value: RangeValue, kind: Kind) -> str:
    """
    'typical (low–high)', e.g. '28.0 (24.1–35.2)' or '3,410 (2,980–4,120)', by the one rule the
    command line uses too (`geo.ranges.range_text`); a range of nothing is written once.
    """
    return range_text(*range_parts(value), kind)


def record_range(record: Mapping[str, Any], key: str) -> RangeValue:
    """
    The range of a record's total `key` (`transit_days`, `cost_usd_per_feu`, `moving_days`):
    `record[key + "_range"]`, as `geo.summary` writes it for every corridor and leg.
    """
    found: Mapping[str, Any] = record[f"{key}_range"]
    return found


def figure_status(record: Mapping[str, Any]) -> str:
    """
    Whether a corridor's figures describe a running service (`"operational"`) or hold only if it
    opens: its own status when it is not operational (planned, under construction), else
    `"impassable"` when the scenario shuts it. Read from a `geo.summary.corridor_record`.
    """
    status = str(record.get("status", "operational"))
    if status != "operational":
        return status
    return "operational" if record["passable"] else "impassable"


def if_open(record: Mapping[str, Any]) -> bool:
    """True when the corridor's figures are what it would take if it were open."""
    return figure_status(record) != "operational"
