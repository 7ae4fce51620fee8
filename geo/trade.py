"""
What is shipped, from where, to where: origins and markets, the commodities and what each may not
use, and the questions the atlas opens on.

These records turn "compare nine corridors" into the analyst's question ("Kazakh rare earths to
Japan, avoiding China"): a place is a set of nodes standing for a hub, a mine region or a market;
a commodity closes the ports, ferries and countries that refuse it, each with its reason and
sources, the way a scenario closes legs.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from geo.records import CountryCode, Id, Record, invalid


class Place(Record):
    """
    An origin or a market: the nodes that stand for it, most representative first (the route
    finder starts or ends at the first; a corridor belongs to a trip when it passes any).
    """

    id: Id
    role: Literal["origin", "market"]
    name: str = Field(min_length=2)
    name_zh: str | None = None
    name_ru: str | None = None
    nodes: list[Id] = Field(min_length=1)
    description: str | None = None
    description_zh: str | None = None
    commodities: list[Id] = Field(
        default_factory=list,
        description="The commodities this origin is about (a mine or plant region); empty: any.",
    )
    sources: list[Id] = Field(default_factory=list)
    note: str | None = None


class Restriction(Record):
    """What a commodity may not use (nodes, legs, countries) and why, with its sources."""

    nodes: list[Id] = Field(default_factory=list)
    legs: list[Id] = Field(default_factory=list)
    countries: list[CountryCode] = Field(default_factory=list)
    reason: str = Field(min_length=10)
    reason_zh: str | None = None
    sources: list[Id] = Field(default_factory=list)
    estimate: str | None = Field(default=None, min_length=10)

    @model_validator(mode="after")
    def _targets_and_provenance(self) -> Restriction:
        if not (self.nodes or self.legs or self.countries):
            raise invalid("restriction_empty", "a restriction names no nodes, legs or countries")
        if not self.sources and not self.estimate:
            raise invalid(
                "no_provenance",
                "a figure needs `sources` (source ids) or `estimate` (how it was made)",
            )
        return self


class Commodity(Record):
    """
    A kind of cargo and the rules that bear on its route: who refuses it (`restrictions`, which
    close those elements when it is chosen), export rules, and exposure particular to it.
    """

    id: Id
    name: str = Field(min_length=2)
    name_zh: str | None = None
    name_ru: str | None = None
    description: str
    description_zh: str | None = None
    un_number: str | None = Field(default=None, pattern=r"^UN ?\d{4}$")
    hazard_class: str | None = Field(default=None, max_length=16)
    restrictions: list[Restriction] = Field(default_factory=list)
    accepting_ports: list[Id] | None = Field(
        default=None,
        description="Where set, the only seaports and ferry terminals known to take this cargo: "
        "every other port is closed to it (no record of acceptance is not acceptance).",
    )
    accepting_ports_sources: list[Id] = Field(default_factory=list)
    export_rules: str | None = None
    export_rules_zh: str | None = None
    exposure: str | None = Field(
        default=None, description="Political exposure particular to this cargo, in words."
    )
    exposure_zh: str | None = None
    sources: list[Id] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _ports_sourced(self) -> Commodity:
        if self.accepting_ports is not None and not self.accepting_ports_sources:
            raise invalid(
                "ports_unsourced", "`accepting_ports` are listed without `accepting_ports_sources`"
            )
        return self


class Question(Record):
    """A preset trip: origin, market, and optionally a commodity and countries to avoid."""

    id: Id
    name: str = Field(min_length=3)
    name_zh: str | None = None
    origin: Id
    market: Id
    commodity: Id | None = None
    avoid: list[CountryCode] = Field(default_factory=list)
    note: str | None = None
