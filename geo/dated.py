"""
Figures as data: every figure of a catalogue with its YAML path, and the ones that are dated
(describe a year more than `DATED_AFTER_YEARS` before the catalogue's date). Used by validation,
the Sources page and the map's popups; apart from `geo.validate` to keep each module one idea.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from geo.catalogue import Catalogue, Country, Figure, Record
from geo.errors import Problem
from geo.errors import text as msg
from geo.yamlread import Key, Marks

SECTIONS = (
    "sources",
    "countries",
    "nodes",
    "legs",
    "corridors",
    "benchmarks",
    "scenarios",
    "places",
    "commodities",
    "questions",
    "capacities",
)

DATED_AFTER_YEARS = 5
"""A figure describing a year more than this many years before the catalogue's date is dated."""


def record_id(record: Record) -> str:
    """A record's id (a country's is its code)."""
    return record.code if isinstance(record, Country) else str(getattr(record, "id", ""))


def figures_in(model: Any, key: Key) -> Iterator[tuple[Key, Figure]]:
    """Every figure in the catalogue with the YAML path it came from."""
    if isinstance(model, Figure):
        yield key, model
    elif isinstance(model, BaseModel):
        for name, info in type(model).model_fields.items():
            yield from figures_in(getattr(model, name), (*key, info.alias or name))
    elif isinstance(model, (list, tuple)):
        for index, item in enumerate(model):
            yield from figures_in(item, (*key, index))
    elif isinstance(model, dict):
        for name, item in model.items():
            yield from figures_in(item, (*key, str(getattr(name, "value", name))))


def catalogue_year(catalogue: Catalogue) -> int | None:
    """
    The catalogue's date, as a year: when its sources were last read (the newest `accessed`);
    None for a catalogue without sources, which then has no date to be stale against.
    """
    return max((source.accessed.year for source in catalogue.sources), default=None)


def dated_figures(catalogue: Catalogue) -> list[tuple[Key, Figure]]:
    """
    Figures that describe a year more than `DATED_AFTER_YEARS` before the catalogue's date, with
    their YAML paths: operational inputs (dwell, speed, cost) that may no longer hold.
    """
    year = catalogue_year(catalogue)
    cutoff = -1 if year is None else year - DATED_AFTER_YEARS
    return [(key, f) for key, f in figures_in(catalogue, ()) if f.as_of and f.as_of < cutoff]


def figure_label(catalogue: Catalogue, key: Key) -> str:
    """A figure's YAML path with the record's id for its index: `nodes[brest].dwell_hours`."""
    if len(key) >= 2 and isinstance(key[1], int) and key[0] in SECTIONS:
        record = getattr(catalogue, str(key[0]))[key[1]]
        head = f"{key[0]}[{record_id(record)}]"
        return ".".join([head, *(str(k) for k in key[2:])])
    return ".".join(str(k) for k in key)


def dated_problems(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    year = catalogue_year(catalogue)
    for key, figure in dated_figures(catalogue):
        yield marks.problem(
            (*key, "as_of"),
            msg(
                "figure_dated",
                path=figure_label(catalogue, key),
                year=figure.as_of,
                catalogue=year,
                limit=DATED_AFTER_YEARS,
            ),
            severity="warning",
            hint=msg("hint.newer_figure"),
        )
