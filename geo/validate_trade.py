"""
Cross-record checks for origins, markets, commodities and questions (`geo.trade`): every node,
leg, country, commodity and place they name exists, and a question's origin is an origin and its
market a market. Called by `geo.validate.cross_check`; apart to keep each module one idea.
"""

from __future__ import annotations

from collections.abc import Iterator

from geo.catalogue import Catalogue
from geo.errors import Problem
from geo.errors import text as msg
from geo.yamlread import Key, Marks


def trade_citations(catalogue: Catalogue) -> list[tuple[Key, list[str]]]:
    """Where the trade records cite sources, for the checks that sources exist and are used."""
    cited: list[tuple[Key, list[str]]] = []
    for index, place in enumerate(catalogue.places):
        cited.append((("places", index, "sources"), place.sources))
    for index, commodity in enumerate(catalogue.commodities):
        cited.append((("commodities", index, "sources"), commodity.sources))
        key: Key = ("commodities", index, "accepting_ports_sources")
        cited.append((key, commodity.accepting_ports_sources))
        for number, restriction in enumerate(commodity.restrictions):
            key = ("commodities", index, "restrictions", number, "sources")
            cited.append((key, restriction.sources))
    return cited


def trade_problems(catalogue: Catalogue, marks: Marks) -> Iterator[Problem]:
    """Every reference from places, commodities, questions and scenarios' commodities resolves."""
    known = {
        "nodes": {n.id for n in catalogue.nodes},
        "legs": {leg.id for leg in catalogue.legs},
        "countries": {c.code for c in catalogue.countries},
        "commodities": {c.id for c in catalogue.commodities},
    }

    def check(key: Key, section: str, target: str, owner: str) -> Iterator[Problem]:
        if target not in known[section]:
            yield marks.problem(
                key,
                msg(f"trade_unknown.{section}", owner=owner, target=target),
                hint=marks.suggest(target, known[section]),
            )

    for index, place in enumerate(catalogue.places):
        for position, node_id in enumerate(place.nodes):
            yield from check(("places", index, "nodes", position), "nodes", node_id, place.id)
        for position, commodity_id in enumerate(place.commodities):
            key = ("places", index, "commodities", position)
            yield from check(key, "commodities", commodity_id, place.id)
    for index, commodity in enumerate(catalogue.commodities):
        for position, node_id in enumerate(commodity.accepting_ports or []):
            where_port: Key = ("commodities", index, "accepting_ports", position)
            yield from check(where_port, "nodes", node_id, commodity.id)
        for number, restriction in enumerate(commodity.restrictions):
            for section in ("nodes", "legs", "countries"):
                for position, target in enumerate(getattr(restriction, section)):
                    where: Key = ("commodities", index, "restrictions", number, section, position)
                    yield from check(where, section, target, commodity.id)
    for index, scenario in enumerate(catalogue.scenarios):
        for position, commodity_id in enumerate(scenario.commodities):
            key = ("scenarios", index, "commodities", position)
            yield from check(key, "commodities", commodity_id, scenario.id)
    yield from _capacities(catalogue, marks, known)
    yield from _questions(catalogue, marks, known)


def _questions(catalogue: Catalogue, marks: Marks, known: dict[str, set[str]]) -> Iterator[Problem]:
    roles = {place.id: place.role for place in catalogue.places}
    for index, question in enumerate(catalogue.questions):
        for field, role in (("origin", "origin"), ("market", "market")):
            place_id = getattr(question, field)
            if roles.get(place_id) != role:
                yield marks.problem(
                    ("questions", index, field),
                    msg(f"question_not_{role}", question=question.id, target=place_id),
                    hint=marks.suggest(place_id, {p for p, r in roles.items() if r == role}),
                )
        if question.commodity is not None and question.commodity not in known["commodities"]:
            yield marks.problem(
                ("questions", index, "commodity"),
                msg("trade_unknown.commodities", owner=question.id, target=question.commodity),
            )
        for position, code in enumerate(question.avoid):
            if code not in known["countries"]:
                yield marks.problem(
                    ("questions", index, "avoid", position),
                    msg("trade_unknown.countries", owner=question.id, target=code),
                )


def _capacities(
    catalogue: Catalogue, marks: Marks, known: dict[str, set[str]]
) -> Iterator[Problem]:
    """A capacity's node or leg, and a corridor volume's corridor, exist."""
    for index, capacity in enumerate(catalogue.capacities):
        for field, section in (("node", "nodes"), ("leg", "legs")):
            target = getattr(capacity, field)
            if target is not None and target not in known[section]:
                yield marks.problem(
                    ("capacities", index, field),
                    msg(f"trade_unknown.{section}", owner=capacity.id, target=target),
                    hint=marks.suggest(target, known[section]),
                )
    corridors = {c.id for c in catalogue.corridors}
    for index, volume in enumerate(catalogue.corridor_volumes):
        if volume.corridor not in corridors:
            yield marks.problem(
                ("corridor_volumes", index, "corridor"),
                msg("trade_unknown.corridors", owner="corridor_volumes", target=volume.corridor),
                hint=marks.suggest(volume.corridor, corridors),
            )
