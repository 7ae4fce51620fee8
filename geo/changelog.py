"""
What changed between two catalogues: corridors, legs, nodes and countries added, removed or
changed, and every figure that moved, old → new with the sources on each side; the model's
parameters (mode speeds and rates, border charges) too. Pure: two catalogues in, records out;
`change_lines` writes them as plain text in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from geo.catalogue import Catalogue
from geo.i18n import ENGLISH, Translate, localized

KINDS = ("corridor", "leg", "node", "country")
"""The records compared one by one, in the order a change log lists them."""

Change = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class FigureChange:
    """One figure that moved: where it sits, its value and range, and its sources, before and
    after (None where there was no figure)."""

    field: str
    old: float | None
    new: float | None
    old_range: tuple[float | None, float | None]
    new_range: tuple[float | None, float | None]
    old_sources: tuple[str, ...]
    new_sources: tuple[str, ...]


@dataclass(frozen=True)
class RecordChange:
    kind: str
    id: str
    name: str
    """The record's name in the newer catalogue (the older one for a removed record)."""
    change: Change
    fields: tuple[str, ...] = ()
    """Fields other than figures that differ."""
    figures: tuple[FigureChange, ...] = ()


@dataclass(frozen=True)
class ChangeLog:
    old_version: str
    new_version: str
    records: tuple[RecordChange, ...]
    parameters: tuple[FigureChange, ...]

    @property
    def empty(self) -> bool:
        return not self.records and not self.parameters

    def of(self, kind: str) -> list[RecordChange]:
        return [r for r in self.records if r.kind == kind]


def _is_figure(value: Any) -> bool:
    return (
        isinstance(value, dict) and "value" in value and ("sources" in value or "estimate" in value)
    )


def _figures(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every figure inside a dumped record, by dotted path."""
    if _is_figure(value):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _figures(inner, f"{path}.{key}" if path else str(key))


def _figure_change(field: str, old: Any, new: Any) -> FigureChange | None:
    old = old if _is_figure(old) else None
    new = new if _is_figure(new) else None
    if old == new:
        return None

    def parts(figure: dict[str, Any] | None) -> tuple[Any, Any, tuple[str, ...]]:
        if figure is None:
            return None, (None, None), ()
        sources = tuple(figure.get("sources") or ())
        return figure["value"], (figure.get("low"), figure.get("high")), sources

    (old_value, old_range, old_sources), (new_value, new_range, new_sources) = (
        parts(old),
        parts(new),
    )
    return FigureChange(field, old_value, new_value, old_range, new_range, old_sources, new_sources)


def _records(catalogue: Catalogue, kind: str) -> dict[str, Any]:
    if kind == "country":
        return {c.code: c for c in catalogue.countries}
    return {r.id: r for r in getattr(catalogue, f"{kind}s")}


def _name(catalogue: Catalogue, kind: str, record: Any, lang: str = "en") -> str:
    """A record's name; a leg's is its ends' names."""
    if kind == "leg":
        ends = []
        for node_id in (record.from_, record.to):
            node = next((n for n in catalogue.nodes if n.id == node_id), None)
            ends.append(localized(node, lang) if node is not None else node_id)
        return " → ".join(ends)
    return localized(record, lang)


def _compare(kind: str, key: str, old: Any, new: Any, catalogue: Catalogue) -> RecordChange | None:
    before = old.model_dump(mode="json", by_alias=True)
    after = new.model_dump(mode="json", by_alias=True)
    if before == after:
        return None
    fields, figures = [], []
    for name in dict.fromkeys([*before, *after]):
        a, b = before.get(name), after.get(name)
        if a == b:
            continue
        if _is_figure(a) or _is_figure(b):
            change = _figure_change(name, a, b)
            if change is not None:
                figures.append(change)
        else:
            fields.append(name)
    name = _name(catalogue, kind, new)
    return RecordChange(kind, key, name, "changed", tuple(fields), tuple(figures))


def changelog(old: Catalogue, new: Catalogue) -> ChangeLog:
    """What changed from `old` to `new`."""
    records: list[RecordChange] = []
    for kind in KINDS:
        before, after = _records(old, kind), _records(new, kind)
        for key, record in after.items():
            if key not in before:
                records.append(RecordChange(kind, key, _name(new, kind, record), "added"))
            else:
                changed = _compare(kind, key, before[key], record, new)
                if changed is not None:
                    records.append(changed)
        records += [
            RecordChange(kind, key, _name(old, kind, record), "removed")
            for key, record in before.items()
            if key not in after
        ]
    old_params = dict(_figures(old.parameters.model_dump(mode="json", by_alias=True)))
    new_params = dict(_figures(new.parameters.model_dump(mode="json", by_alias=True)))
    parameters = [
        change
        for path in dict.fromkeys([*old_params, *new_params])
        if (change := _figure_change(path, old_params.get(path), new_params.get(path)))
    ]
    return ChangeLog(old.meta.version, new.meta.version, tuple(records), tuple(parameters))


def _number(value: float | None, value_range: tuple[float | None, float | None]) -> str:
    if value is None:
        return "–"
    text = f"{value:,.4g}"
    low, high = value_range
    if low is not None and high is not None:
        text += f" ({low:,.4g}–{high:,.4g})"
    return text


def figure_text(change: FigureChange, t: Translate = ENGLISH) -> str:
    """'distance_km 3,020 → 3,100 (sources: a → b)', in the reader's language."""
    old_sources = ", ".join(change.old_sources) or t("changelog.no_source")
    new_sources = ", ".join(change.new_sources) or t("changelog.no_source")
    sources = old_sources if old_sources == new_sources else f"{old_sources} → {new_sources}"
    return t(
        "changelog.figure",
        field=change.field,
        old=_number(change.old, change.old_range),
        new=_number(change.new, change.new_range),
        sources=sources,
    )


def change_lines(
    log: ChangeLog, new: Catalogue | None = None, *, t: Translate = ENGLISH, lang: str = "en"
) -> list[str]:
    """The change log as plain lines (escape them before showing as Markdown). With `new`, the
    records' names are given in `lang`."""
    lines = []
    for record in log.records:
        name = record.name
        if new is not None and record.change != "removed":
            name = _name(new, record.kind, _records(new, record.kind)[record.id], lang)
        label = t(f"changelog.kind.{record.kind}", name=name, id=record.id)
        if record.change != "changed":
            lines.append(t(f"changelog.{record.change}", record=label))
            continue
        if record.fields:
            lines.append(t("changelog.fields", record=label, fields=", ".join(record.fields)))
        lines += [
            t("changelog.record_figure", record=label, figure=figure_text(figure, t))
            for figure in record.figures
        ]
    lines += [t("changelog.parameter", figure=figure_text(figure, t)) for figure in log.parameters]
    return lines
