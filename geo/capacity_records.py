"""
The catalogue's capacities: what an element that binds (a border interchange, a port, the
Caspian fleet, a line) can pass in TEU a year, what passes now, and the corridors' annual
volumes that a diversion moves. Apart from `geo.catalogue` to keep that module one size.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from geo.records import Id, NonNegativeFigure, PositiveFigure, Record, invalid


class Capacity(Record):
    """One element's capacity and current volume, TEU a year, each with its year and sources."""

    id: Id
    node: Id | None = None
    leg: Id | None = None
    name: str | None = None
    name_zh: str | None = None
    capacity_teu_per_year: PositiveFigure
    volume_teu_per_year: NonNegativeFigure | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_element(self) -> Capacity:
        if (self.node is None) == (self.leg is None):
            raise invalid("capacity_element", "a capacity names exactly one `node` or `leg`")
        return self


class CorridorVolume(Record):
    """A corridor's annual volume, the load a diversion moves a share of."""

    corridor: Id
    teu_per_year: NonNegativeFigure
    note: str | None = Field(default=None)
