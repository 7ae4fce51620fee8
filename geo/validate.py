"""
What a parsed catalogue gets wrong, each problem located at its line: the schema's complaints
in plain words, and the checks across records, which no single model can see (ids that must
exist and be unique, legs that must join, gauges that change only where a transfer facility is,
figures whose drawn line disagrees with their declared length).

Every check adds to one list; nothing stops at the first problem.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from geo.catalogue import Catalogue, Mode
from geo.dated import (
    DATED_AFTER_YEARS,
    SECTIONS,
    catalogue_year,
    dated_figures,
    dated_problems,
    figure_label,
    figures_in,
    record_id,
)
from geo.errors import Problem, Text
from geo.errors import text as msg
from geo.geometry import geodesic_km, leg_coords
from geo.paths import BrokenPath, corridor_nodes, orient
from geo.validate_trade import trade_citations, trade_problems
from geo.yamlread import Key, Marks

DISTANCE_TOLERANCE = 0.25
"""Warn when declared leg length and drawn-line length differ by more than this share."""


def cross_check(catalogue: Catalogue, marks: Marks) -> list[Problem]:
    """Run every cross-record check; errors first, then warnings, each located."""
    checks = (
        _unique_ids,
        _cited_sources_exist,
        _node_countries_exist,
        _leg_nodes_exist,
        _corridors_join,
        _benchmarks_on_corridor,
        _scenario_targets_exist,
        _reroutes_connect,
        trade_problems,
    )
    problems = [problem for check in checks for problem in check(catalogue, marks)]
    if not any(p.severity == "error" for p in problems):
        problems += _gauge_changes_at_breaks(catalogue, marks)
    if not any(p.severity == "error" for p in problems):
        checks_after = (
            _distances_match_lines,
            _unused_records,
            _missing_translations,
            dated_problems,
        )
        for check in checks_after:
            problems += check(catalogue, marks)
    return problems


def schema_problems(error: ValidationError, marks: Marks) -> list[Problem]:
    """Each of pydantic's complaints as a located, plain-words problem."""
    return [_schema_problem(details, marks) for details in error.errors()]


def _schema_problem(error: ErrorDetails, marks: Marks) -> Problem:
    key: Key = tuple(error["loc"])
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        hint = msg("hint.check_spelling")
        return marks.problem(key, msg("unknown_key", key=key[-1]), hint=hint)
    if kind == "missing":
        missing = msg("missing_key", key=key[-1] if key else "")
        return marks.problem(key[:-1], missing) if key else marks.problem(key, missing)
    message: str | Text = _schema_text(error)
    own = kind in ("value_error", "assertion_error") or kind.startswith("catalogue_")
    if isinstance(given, (str, int, float, bool)) and not own:
        shown = repr(given) if len(repr(given)) <= 60 else repr(given)[:57] + "…'"
        message = msg("schema.got", message=message, given=shown)
    return marks.problem(key, message)


def _schema_text(error: ErrorDetails) -> Text | str:
    """
    A pydantic message as a keyed text (`problem.schema.<type>`) when the locale has one that
    reads exactly as pydantic's own English; otherwise pydantic's words.
    """
    raw = error["msg"].removeprefix("Value error, ")
    plain = raw[0].lower() + raw[1:]
    values = {
        name: int(value) if isinstance(value, float) and value.is_integer() else value
        for name, value in (error.get("ctx") or {}).items()
        if name != "error"
    }
    keyed = msg(f"schema.{error['type']}", **values)
    try:
        return keyed if keyed.render() == plain else plain
    except (KeyError, IndexError):  # no such message, or it needs values pydantic did not give
        return plain


def _ids(catalogue: Catalogue, section: str) -> set[str]:
    return {record_id(r) for r in getattr(catalogue, section)}


def _unique_ids(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    for section in SECTIONS:
        first: dict[str, int] = {}
        for index, record in enumerate(getattr(catalogue, section)):
            this = record_id(record)
            field = "code" if section == "countries" else "id"
            if this in first:
                line = marks.at((section, first[this], field))[0]
                yield marks.problem(
                    (section, index, field),
                    msg("duplicate_id", id=this, line=line),
                )
            else:
                first[this] = index


def _cited_sources_exist(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    known = _ids(catalogue, "sources")
    citations: list[tuple[Key, list[str]]] = [
        ((*key, "sources"), figure.sources) for key, figure in figures_in(catalogue, ())
    ]
    for index, country in enumerate(catalogue.countries):
        citations.append((("countries", index, "sanctions_sources"), country.sanctions_sources))
    for index, scenario in enumerate(catalogue.scenarios):
        citations.append((("scenarios", index, "sources"), scenario.sources))
    citations += trade_citations(catalogue)
    for key, source_ids in citations:
        for position, source_id in enumerate(source_ids):
            if source_id not in known:
                yield marks.problem(
                    (*key, position),
                    msg("unknown_source", id=source_id),
                    hint=marks.suggest(source_id, known) or msg("hint.add_source"),
                )


def _node_countries_exist(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    known = _ids(catalogue, "countries")
    for index, node in enumerate(catalogue.nodes):
        if node.country not in known:
            yield marks.problem(
                ("nodes", index, "country"),
                msg("unknown_country", code=node.country, node=node.id),
                hint=marks.suggest(node.country, known) or msg("hint.add_country"),
            )


def _leg_nodes_exist(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    known = _ids(catalogue, "nodes")
    for index, leg in enumerate(catalogue.legs):
        for field, node_id in (("from", leg.from_), ("to", leg.to)):
            if node_id not in known:
                yield marks.problem(
                    ("legs", index, field),
                    msg("unknown_leg_node", node=node_id, leg=leg.id),
                    hint=marks.suggest(node_id, known),
                )


def _legs_usable(catalogue: Catalogue, leg_ids: list[str], legs: set[str], nodes: set[str]) -> bool:
    """Every leg exists and joins known nodes (`legs`, `nodes`: the ids, computed once)."""
    return all(
        i in legs and catalogue.leg(i).from_ in nodes and catalogue.leg(i).to in nodes
        for i in leg_ids
    )


def _corridors_join(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    known = _ids(catalogue, "legs")
    leg_ids, node_ids = known, _ids(catalogue, "nodes")
    for index, corridor in enumerate(catalogue.corridors):
        unknown = False
        for position, leg_id in enumerate(corridor.legs):
            if leg_id not in known:
                unknown = True
                yield marks.problem(
                    ("corridors", index, "legs", position),
                    msg("unknown_leg", leg=leg_id, corridor=corridor.id),
                    hint=marks.suggest(leg_id, known),
                )
        if unknown or not _legs_usable(catalogue, corridor.legs, leg_ids, node_ids):
            continue
        try:
            steps = orient(catalogue, corridor.legs)
        except BrokenPath as broken:
            yield marks.problem(
                ("corridors", index, "legs", broken.index),
                msg("corridor_broken", corridor=corridor.id, detail=broken),
                hint=msg("hint.travel_order"),
            )
            continue
        visited = corridor_nodes(steps)
        repeated = sorted({n for n in visited if visited.count(n) > 1})
        if repeated:
            yield marks.problem(
                ("corridors", index, "legs"),
                msg("corridor_repeats", corridor=corridor.id, nodes=", ".join(repeated)),
            )


def _benchmarks_on_corridor(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    corridors = _ids(catalogue, "corridors")
    leg_ids, node_ids = _ids(catalogue, "legs"), _ids(catalogue, "nodes")
    for index, benchmark in enumerate(catalogue.benchmarks):
        if benchmark.corridor not in corridors:
            yield marks.problem(
                ("benchmarks", index, "corridor"),
                msg("unknown_corridor", corridor=benchmark.corridor),
                hint=marks.suggest(benchmark.corridor, corridors),
            )
            continue
        corridor = catalogue.corridor(benchmark.corridor)
        if not _legs_usable(catalogue, corridor.legs, leg_ids, node_ids):
            continue
        try:
            visited = corridor_nodes(orient(catalogue, corridor.legs))
        except BrokenPath:
            continue
        for field, node_id in (("from", benchmark.from_), ("to", benchmark.to)):
            if node_id not in visited:
                yield marks.problem(
                    ("benchmarks", index, field),
                    msg("node_not_on_corridor", node=node_id, corridor=corridor.id),
                    hint=marks.suggest(node_id, visited),
                )
        ends = (benchmark.from_, benchmark.to)
        if all(n in visited for n in ends) and visited.index(ends[0]) >= visited.index(ends[1]):
            yield marks.problem(
                ("benchmarks", index, "to"),
                msg(
                    "benchmark_order", to=benchmark.to, start=benchmark.from_, corridor=corridor.id
                ),
            )


def _scenario_targets_exist(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    known = {section: _ids(catalogue, section) for section in ("countries", "nodes", "legs")}
    for index, scenario in enumerate(catalogue.scenarios):
        targets = (
            ("close_countries", "countries", scenario.close_countries),
            ("close_nodes", "nodes", scenario.close_nodes),
            ("close_legs", "legs", scenario.close_legs),
            ("open_legs", "legs", scenario.open_legs),
        )
        for field, section, ids in targets:
            for position, target in enumerate(ids):
                if target not in known[section]:
                    yield marks.problem(
                        ("scenarios", index, field, position),
                        msg(f"scenario_unknown.{section}", scenario=scenario.id, target=target),
                        hint=marks.suggest(target, known[section]),
                    )
        for factor in ("dwell_factor", "speed_factor", "cost_factor"):
            factors = getattr(scenario, factor)
            for target in factors.by_id:
                if target not in known["nodes"] | known["legs"]:
                    yield marks.problem(
                        ("scenarios", index, factor, "by_id", target),
                        msg("scenario_scales_unknown", scenario=scenario.id, target=target),
                        hint=marks.suggest(target, known["nodes"] | known["legs"]),
                    )
            for code in factors.by_country:
                if code not in known["countries"]:
                    yield marks.problem(
                        ("scenarios", index, factor, "by_country", code),
                        msg("scenario_scales_unknown_country", scenario=scenario.id, code=code),
                    )


def _gauge_changes_at_breaks(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    for index, corridor in enumerate(catalogue.corridors):
        steps = orient(catalogue, corridor.legs)
        for position, (before, after) in enumerate(itertools.pairwise(steps), start=1):
            both_rail = before.leg.mode is Mode.RAIL and after.leg.mode is Mode.RAIL
            if both_rail and before.leg.gauge_mm != after.leg.gauge_mm:
                node = catalogue.node(before.end)
                if not node.gauge_break:
                    yield marks.problem(
                        ("corridors", index, "legs", position),
                        msg(
                            "gauge_change",
                            before=before.leg.gauge_mm,
                            after=after.leg.gauge_mm,
                            node=node.id,
                        ),
                        hint=msg("hint.gauge_break"),
                    )


def _distances_match_lines(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    for index, leg in enumerate(catalogue.legs):
        drawn = geodesic_km(leg_coords(catalogue, leg))
        declared = leg.distance_km.value
        if abs(drawn - declared) > DISTANCE_TOLERANCE * declared:
            yield marks.problem(
                ("legs", index, "distance_km"),
                msg(
                    "distance_mismatch",
                    leg=leg.id,
                    declared=f"{declared:,.0f}",
                    drawn=f"{drawn:,.0f}",
                    change=f"{(drawn - declared) / declared:+.0%}",
                ),
                severity="warning",
                hint=msg("hint.check_distance"),
            )


def _unused_records(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    cited = {s for _, figure in figures_in(catalogue, ()) for s in figure.sources}
    cited |= {s for c in catalogue.countries for s in c.sanctions_sources}
    cited |= {s for sc in catalogue.scenarios for s in sc.sources}
    cited |= {s for _, ids in trade_citations(catalogue) for s in ids}
    for index, source in enumerate(catalogue.sources):
        if source.id not in cited:
            yield marks.problem(
                ("sources", index, "id"),
                msg("source_unused", id=source.id),
                severity="warning",
            )
    used = {n for leg in catalogue.legs for n in (leg.from_, leg.to)}
    for index, node in enumerate(catalogue.nodes):
        if node.id not in used:
            yield marks.problem(
                ("nodes", index, "id"), msg("node_unused", id=node.id), severity="warning"
            )


def _missing_translations(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    sections = ("countries", "nodes", "corridors", "scenarios", "places", "commodities")
    for section in sections:
        for index, record in enumerate(getattr(catalogue, section)):
            if not getattr(record, "name_zh", None):
                yield marks.problem(
                    (section, index),
                    msg(f"missing_name_zh.{section}", id=record_id(record)),
                    severity="warning",
                )


def _reroutes_connect(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    """A reroute names a corridor and legs that exist, replaces a run the corridor has, joins."""
    corridors, legs, nodes = (_ids(catalogue, s) for s in ("corridors", "legs", "nodes"))
    for index, scenario in enumerate(catalogue.scenarios):
        for corridor_id, change in scenario.reroute.items():
            key: Key = ("scenarios", index, "reroute", corridor_id)
            if corridor_id not in corridors:
                yield marks.problem(
                    key,
                    msg("scenario_unknown.corridors", scenario=scenario.id, target=corridor_id),
                    hint=marks.suggest(corridor_id, corridors),
                )
                continue
            unknown = False
            for field, ids in (("replace", change.replace), ("with", change.with_)):
                for position, leg_id in enumerate(ids):
                    if leg_id not in legs:
                        unknown = True
                        yield marks.problem(
                            (*key, field, position),
                            msg("scenario_unknown.legs", scenario=scenario.id, target=leg_id),
                            hint=marks.suggest(leg_id, legs),
                        )
            corridor = catalogue.corridor(corridor_id)
            if unknown or not _legs_usable(catalogue, corridor.legs, legs, nodes):
                continue
            try:
                path = change.apply(corridor.legs)
            except ValueError:
                yield marks.problem(
                    (*key, "replace"),
                    msg("reroute_not_on_corridor", scenario=scenario.id, corridor=corridor_id),
                )
                continue
            try:
                visited = corridor_nodes(orient(catalogue, path))
            except BrokenPath as broken:
                text = msg(
                    "reroute_broken", scenario=scenario.id, corridor=corridor_id, detail=broken
                )
                yield marks.problem((*key, "with"), text, hint=msg("hint.travel_order"))
                continue
            repeated = sorted({n for n in visited if visited.count(n) > 1})
            if repeated:
                yield marks.problem(
                    (*key, "with"),
                    msg("corridor_repeats", corridor=corridor_id, nodes=", ".join(repeated)),
                )


__all__ = [
    "DATED_AFTER_YEARS",
    "catalogue_year",
    "cross_check",
    "dated_figures",
    "figure_label",
    "schema_problems",
]
