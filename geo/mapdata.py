"""
What the interactive map shows, as compact data the browser turns into layers, tooltips and popups.

The map page is sent again on every rerun, so its size is the rerun's cost. Everything that
repeats is sent once and referred to by index: strings (names, labels, estimates, notes) in a
pool, line styles in a table, each leg's drawn line once however many corridors use it, popups
once per leg and per node. Tooltip strings are HTML-escaped here; popup strings stay plain text
and are placed with `textContent` in the browser, so no catalogue string is ever parsed as HTML.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from typing import Any

from geo import settings
from geo.annotations import Annotations, annotation_line, notes_of
from geo.catalogue import Catalogue, Figure, Leg, Mode, Node, NodeKind, Status
from geo.emissions import leg_co2e_figure
from geo.geometry import bounds, display_longitudes, leg_coords
from geo.i18n import ENGLISH, Translate, localized
from geo.metrics import CorridorMetrics, LegMetrics
from geo.numbers import format_range
from geo.palette import (
    CLOSED_COLOUR,
    HIGHLIGHT_EXTRA,
    LINE_WEIGHT,
    NOT_OPEN_DASH,
    SEA_DASH,
    SHARED_LINE_STEP,
    LineStyle,
)
from geo.scenarios import closure_text
from geo.text import script_json
from geo.validate import DATED_AFTER_YEARS, catalogue_year

COORD_DECIMALS = 3
"""About 100 m: finer than a pixel at the zoom levels a corridor map is read at."""


class Interned:
    """A table of distinct values; each value is sent once and referred to by its index."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._index: dict[str, int] = {}

    def ref(self, value: Any) -> int:
        key = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
        if key not in self._index:
            self._index[key] = len(self.values)
            self.values.append(value)
        return self._index[key]

    def opt(self, value: Any) -> int | None:
        return None if value is None else self.ref(value)


@dataclass(eq=False)
class MapData:
    """
    One map's content: `shared` tables, line rows per corridor layer, and point rows.
    Compared by identity; its encoded `bundle` is kept with it, so a view that keeps its data
    never encodes it twice.

    A line row is `[geometry, style, tooltip, popup]` and a point row
    `[lon, lat, symbol, size, tooltip, popup or null]`; tooltips are lists of pool indices
    joined by line breaks, and the rest are indices into the shared tables.
    """

    shared: dict[str, Any]
    layers: dict[str, list[list[Any]]]
    nodes: list[list[Any]]
    symbols: set[str]
    extent: tuple[float, float, float, float] | None = None
    legs: list[str] = field(default_factory=list)
    """Leg id of each entry in `shared["geoms"]`, for tests and debugging."""

    def line_parts(self) -> list[str]:
        """The corridor overlays, in drawing order: one per corridor, or above the
        `many_corridors` setting "lines" for all of them."""
        if len(self.layers) > settings.get().many_corridors:
            return ["lines"]
        return [f"corridor:{corridor_id}" for corridor_id in self.layers]

    def part(self, part: str) -> list[list[Any]]:
        """One overlay's rows: "nodes", "lines" (all corridors) or "corridor:<id>"."""
        if part == "nodes":
            return self.nodes
        if part == "lines":
            return [row for rows in self.layers.values() for row in rows]
        return self.layers[part.removeprefix("corridor:")]

    @cached_property
    def bundle(self) -> str:
        """
        Everything the map's layers draw, as one JSON document (safe inside a script too):
        `{"shared": tables, "parts": {overlay: rows, ..., "nodes": rows}}`. Encoded once: the
        dashboard keeps a view's data, and at 100x encoding took 0.2 s of every rerun.
        """
        parts = [*self.line_parts(), "nodes"]
        return script_json({"shared": self.shared, "parts": {p: self.part(p) for p in parts}})

    @cached_property
    def bundle_name(self) -> str:
        """The bundle's file name: a hash of its content, so a name never changes meaning."""
        return f"{hashlib.sha256(self.bundle.encode('utf-8')).hexdigest()}.json"


def leg_users(results: list[CorridorMetrics]) -> dict[str, list[str]]:
    """For each leg id, the corridors (result ids) that use it, in drawing order."""
    users: dict[str, list[str]] = defaultdict(list)
    for result in results:
        for leg in result.legs:
            users[leg.step.leg.id].append(result.corridor_id)
    return users


def leg_style(
    leg: Leg, colour: str, dash: str, weight: float, *, closed: bool, dimmed: bool
) -> dict[str, Any]:
    style: dict[str, Any] = {"color": colour, "weight": weight, "opacity": 0.9, "lineCap": "round"}
    if leg.mode in (Mode.SEA, Mode.FERRY):
        style["dashArray"] = SEA_DASH
    elif dash:
        style["dashArray"] = dash
    if leg.status is not Status.OPERATIONAL:
        style.update(dashArray=NOT_OPEN_DASH, opacity=0.7)
    if closed:
        style.update(color=CLOSED_COLOUR, opacity=0.75, weight=max(2.0, weight - 1))
    if dimmed:
        style["opacity"] = 0.3
    return style


class _Builder:
    """Fills the shared tables while the layers are assembled."""

    def __init__(
        self, catalogue: Catalogue, t: Translate, lang: str, notes: Annotations | None = None
    ) -> None:
        self.catalogue, self.t, self.lang, self.notes = catalogue, t, lang, notes
        self.pool, self.styles, self.sources = Interned(), Interned(), Interned()
        self.geoms: list[list[list[float]]] = []
        self.geom_of: dict[str, int] = {}
        self.popups: list[list[Any]] = []
        self.popup_of: dict[str, int] = {}
        self._names: dict[str, str] = {}
        self._sources: dict[str, int] = {}
        year = catalogue_year(catalogue)
        self.dated_before = None if year is None else year - DATED_AFTER_YEARS
        """Figures describing a year before this are dated (as `geo.validate.dated_figures`)."""

    def name(self, node_id: str) -> str:
        if node_id not in self._names:
            self._names[node_id] = localized(self.catalogue.node(node_id), self.lang)
        return self._names[node_id]

    def geometry(self, leg: Leg) -> int:
        if leg.id not in self.geom_of:
            self.geom_of[leg.id] = len(self.geoms)
            self.geoms.append(
                [
                    [round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)]
                    for x, y in leg_coords(self.catalogue, leg)
                ]
            )
        return self.geom_of[leg.id]

    def figure_row(self, label: str, figure: Figure | None, unit: str) -> list[Any] | None:
        """
        [label, value, source indices, estimate, note, age, dated]: one popup row. `age` is the
        pool index of "as of 2015" (None when the figure has no `as_of`), or of "dated: 2015"
        when the year is more than `DATED_AFTER_YEARS` before the catalogue's date, `dated` 1.
        """
        if figure is None:
            return None
        t = self.t
        value = f"{figure.value:,.0f}" if figure.value >= 100 else f"{figure.value:,.4g}"
        if figure.low is not None and figure.high is not None:
            value += " " + t("popup.range", low=f"{figure.low:,.4g}", high=f"{figure.high:,.4g}")
        return [
            self.pool.ref(label),
            self.pool.ref(f"{value} {unit}"),
            [self.source(source_id) for source_id in figure.sources],
            self.pool.opt(figure.estimate),
            self.pool.opt(figure.note),
            *self.age(figure),
        ]

    def age(self, figure: Figure) -> tuple[int | None, int]:
        """The year a figure describes, flagged when it is older than the catalogue allows."""
        if figure.as_of is None:
            return None, 0
        if self.dated_before is not None and figure.as_of < self.dated_before:
            text = self.t("popup.dated", year=figure.as_of, limit=DATED_AFTER_YEARS)
            return self.pool.ref(text), 1
        return self.pool.ref(self.t("popup.as_of", year=figure.as_of)), 0

    def source(self, source_id: str) -> int:
        """Index of `[label, url]`; only http(s) URLs are kept, to be made links."""
        if source_id not in self._sources:
            source = self.catalogue.source(source_id)
            url = (
                source.url
                if source.url and source.url.startswith(("http://", "https://"))
                else None
            )
            label = f"{source.publisher} ({source.year}): {source.title}"
            self._sources[source_id] = self.sources.ref([label, url])
        return self._sources[source_id]

    def popup(self, key: str, make: Any) -> int:
        if key not in self.popup_of:
            self.popup_of[key] = len(self.popups)
            self.popups.append(make())
        return self.popup_of[key]

    def leg_popup(
        self,
        metrics: LegMetrics,
        corridor_names: list[str],
        users: list[int],
        corridor_ids: list[str] | None = None,
    ) -> list[Any]:
        """
        Everything about a leg, with a source per figure:
        [title, lines, closed, rows, foot, corridors using it (indices into `corridors`)]; the
        foot ends with the team's notes on those corridors (`corridor_ids`), as plain text.
        """
        corridor_ids = corridor_ids or []
        t, pool, leg = self.t, self.pool, metrics.step.leg
        mode = self.catalogue.parameters.modes[leg.mode]
        rows = [
            self.figure_row(t("popup.distance"), leg.distance_km, t("unit.km")),
            self.figure_row(
                t("popup.speed"), leg.speed_km_per_day or mode.speed_km_per_day, t("unit.km_day")
            ),
            self.figure_row(t("popup.cost"), leg.cost_usd_per_feu, t("unit.usd_feu"))
            or self.figure_row(t("popup.rate"), mode.cost_usd_per_feu_km, t("unit.usd_feu_km")),
        ]
        co2e = self.figure_row(
            t("popup.co2e"), leg_co2e_figure(self.catalogue, metrics.step), t("unit.kg_feu")
        )
        if co2e is not None:
            rows.append(co2e)
        gauge = t("popup.gauge", gauge=leg.gauge_mm) if leg.gauge_mm else ""
        kind = t(
            "popup.leg_kind",
            mode=t(f"mode.{leg.mode.value}"),
            gauge=gauge,
            status=t(f"status.{leg.status.value}"),
        )
        scenario = t("popup.leg_scenario", **leg_totals(metrics))
        closed = metrics.closure
        reason = closure_text(self.catalogue, closed, t=t, lang=self.lang) if closed else None
        return [
            pool.ref(f"{self.name(metrics.step.start)} → {self.name(metrics.step.end)}"),
            [pool.ref(kind), pool.ref(scenario)],
            pool.ref(t("popup.closed", reason=reason)) if reason else None,
            [row for row in rows if row],
            [
                pool.ref(t("popup.leg_corridors", corridors=", ".join(corridor_names))),
                pool.ref(t("popup.leg_id", leg=leg.id)),
                *self.corridor_notes(corridor_ids, corridor_names),
            ],
            users,
        ]

    def corridor_notes(self, corridor_ids: list[str], names: list[str]) -> list[int]:
        """The team's notes on the corridors using a leg, each line naming its corridor."""
        return [
            self.pool.ref(
                self.t("notes.on_corridor", corridor=name, note=annotation_line(n, self.t))
            )
            for corridor_id, name in zip(corridor_ids, names, strict=True)
            for n in notes_of(self.notes, "corridor", corridor_id)
        ]

    def node_popup(self, node: Node) -> list[Any]:
        t, pool = self.t, self.pool
        country = self.catalogue.country(node.country)
        rows = [
            self.figure_row(t("popup.dwell"), node.dwell_hours, t("unit.hours")),
            self.figure_row(t("popup.handling"), node.handling_usd_per_feu, t("unit.usd_feu")),
        ]
        lines = [t(f"symbol.{node.kind.value}")]
        if node.gauge_break:
            lines.append(t("symbol.gauge_break"))
        if node.note:
            lines.append(node.note)
        return [
            pool.ref(f"{localized(node, self.lang)} ({localized(country, self.lang)})"),
            [pool.ref(line) for line in lines],
            None,
            [row for row in rows if row],
            [
                pool.ref(f"{node.lat:.2f}, {node.lon:.2f}: {node.coordinates_basis}"),
                *(pool.ref(annotation_line(n, t)) for n in notes_of(self.notes, "node", node.id)),
            ],
            [],
        ]


def leg_totals(metrics: LegMetrics) -> dict[str, str]:
    """A leg's moving days and cost under the scenario, each `typical (low–high)`."""
    days, cost = metrics.moving_days_range, metrics.cost_range
    return {"days": format_range(days, "days"), "cost": format_range(cost, "usd")}


def node_tooltip(node: Node, *, t: Translate = ENGLISH, lang: str = "en") -> str:
    kind = t("symbol.gauge_break") if node.gauge_break else t(f"symbol.{node.kind.value}")
    dwell = t("tooltip.dwell", hours=f"{node.dwell_hours.value:,.0f}") if node.dwell_hours else ""
    figure = f"<br>{escape(dwell)}" if dwell else ""
    return f"<b>{escape(localized(node, lang))}</b><br>{escape(kind)}{figure}"


def map_data(
    catalogue: Catalogue,
    results: list[CorridorMetrics],
    styles: dict[str, LineStyle],
    *,
    highlight: str | None = None,
    t: Translate = ENGLISH,
    lang: str = "en",
    notes: Annotations | None = None,
) -> MapData:
    """The map's layers for these results: shared legs drawn as nested bands, nodes by kind;
    the team's `notes` (`geo.annotations`) at the foot of their corridors' and nodes' popups."""
    build = _Builder(catalogue, t, lang, notes)
    users = leg_users(results)
    shown = [r.corridor_id for r in results]
    ordered = sorted(results, key=lambda r: r.corridor_id == highlight)
    layers = {
        r.corridor_id: _line_rows(build, r, styles, users, highlight=highlight, shown=shown)
        for r in ordered
    }
    nodes = _node_rows(build, results)
    geoms = build.geoms
    extent = bounds([(x, y) for geom in geoms for x, y in geom]) if geoms else None
    return MapData(
        shared={
            "pool": build.pool.values,
            "sources": build.sources.values,
            "labels": {"estimate": t("popup.estimate"), "note": t("popup.note")},
            "styles": build.styles.values,
            "geoms": geoms,
            "popups": build.popups,
            "corridors": [[cid, styles[cid].name] for cid in shown],
            "select": t("popup.select"),
        },
        layers=layers,
        nodes=nodes,
        symbols={row[2] for row in nodes},
        extent=extent,
        legs=list(build.geom_of),
    )


def _line_rows(
    build: _Builder,
    result: CorridorMetrics,
    styles: dict[str, LineStyle],
    users: dict[str, list[str]],
    *,
    highlight: str | None,
    shown: list[str],
) -> list[list[Any]]:
    t, pool, style = build.t, build.pool, styles[result.corridor_id]
    name = pool.ref(f"<b>{escape(style.name)}</b>")
    rows = []
    for metrics in result.legs:
        leg = metrics.step.leg
        sharing = users[leg.id]
        weight = LINE_WEIGHT + SHARED_LINE_STEP * (
            len(sharing) - 1 - sharing.index(result.corridor_id)
        )
        if highlight == result.corridor_id:
            weight += HIGHLIGHT_EXTRA
        closed = metrics.closure is not None
        kind = t(
            "tooltip.leg", mode=t(f"mode.{leg.mode.value}"), km=f"{leg.distance_km.value:,.0f}"
        )
        start, end = build.name(metrics.step.start), build.name(metrics.step.end)
        totals = escape(t("tooltip.leg_totals", **leg_totals(metrics)))
        tooltip = [name, pool.ref(f"{escape(start)} → {escape(end)}<br>{escape(kind)}<br>{totals}")]
        if metrics.closure is not None:
            reason = closure_text(build.catalogue, metrics.closure, t=t, lang=build.lang)
            tooltip.append(pool.ref(escape(t("popup.closed", reason=reason))))
        dimmed = highlight is not None and highlight != result.corridor_id
        line_style = leg_style(leg, style.colour, style.dash, weight, closed=closed, dimmed=dimmed)
        popup = build.popup(
            f"leg:{leg.id}",
            lambda m=metrics, s=sharing: build.leg_popup(
                m, [styles[c].name for c in s], [shown.index(c) for c in s], s
            ),
        )
        rows.append([build.geometry(leg), build.styles.ref(line_style), tooltip, popup])
    return rows


def _node_rows(build: _Builder, results: list[CorridorMetrics]) -> list[list[Any]]:
    """One point per node on the shown corridors, plus a cross on each closed leg."""
    catalogue, t, pool = build.catalogue, build.t, build.pool
    seen: dict[str, Node] = {}
    closed: dict[str, LegMetrics] = {}
    for result in results:
        for leg in result.legs:
            for node_id in (leg.step.start, leg.step.end):
                seen.setdefault(node_id, catalogue.node(node_id))
            if leg.closure is not None:
                closed.setdefault(leg.step.leg.id, leg)
    rows: list[list[Any]] = []
    shifted = display_longitudes(catalogue)
    for node in seen.values():
        symbol = "gauge_break" if node.gauge_break else node.kind.value
        minor = node.kind in (NodeKind.CITY, NodeKind.RAIL_JUNCTION) and not node.gauge_break
        tooltip = [pool.ref(node_tooltip(node, t=t, lang=build.lang))]
        popup = build.popup(f"node:{node.id}", lambda n=node: build.node_popup(n))
        lon = shifted.get(node.id, node.lon)
        rows.append([lon, node.lat, symbol, 10 if minor else 14, tooltip, popup])
    for metrics in closed.values():
        coords = build.geoms[build.geometry(metrics.step.leg)]
        lon, lat = coords[len(coords) // 2] if len(coords) > 2 else _midpoint(coords)
        reason = closure_text(catalogue, metrics.closure, t=t, lang=build.lang)  # type: ignore[arg-type]
        tooltip = [
            pool.ref(f"<b>{escape(t('symbol.closed'))}</b>"),
            pool.ref(escape(reason)),
        ]
        rows.append([lon, lat, "closed", 16, tooltip, None])
    return rows


def _midpoint(coords: list[list[float]]) -> list[float]:
    (x1, y1), (x2, y2) = coords[0], coords[-1]
    return [round((x1 + x2) / 2, COORD_DECIMALS), round((y1 + y2) / 2, COORD_DECIMALS)]
