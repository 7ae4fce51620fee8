"""
Scenario records: the factors a scenario scales dwell, speed and cost by, the change of a
corridor's path it makes, and the scenario itself. Apart from `geo.catalogue` to keep that
module one size; re-exported there.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from geo.records import RECORD_CONFIG, CountryCode, Id, Mode, NodeKind, Record


class Factors(Record):
    """Multipliers a scenario applies: a default, then by kind or mode, then by id."""

    default: float = Field(default=1.0, gt=0, le=100)
    by_kind: dict[NodeKind, Annotated[float, Field(gt=0, le=100)]] = Field(default_factory=dict)
    by_mode: dict[Mode, Annotated[float, Field(gt=0, le=100)]] = Field(default_factory=dict)
    by_country: dict[CountryCode, Annotated[float, Field(gt=0, le=100)]] = Field(
        default_factory=dict
    )
    by_id: dict[Id, Annotated[float, Field(gt=0, le=100)]] = Field(default_factory=dict)


class Reroute(Record):
    """
    A scenario's change of path for one corridor: the consecutive legs `replace` give way to
    `with` (e.g. a new line that shortens the corridor), so opening a line reaches the corridors
    it is about, not only the route finder.
    """

    replace: list[Id] = Field(min_length=1, description="Consecutive legs of the corridor.")
    with_: list[Id] = Field(alias="with", min_length=1, description="Legs in travel order.")

    model_config = ConfigDict(**RECORD_CONFIG, populate_by_name=True)

    def apply(self, legs: list[str]) -> list[str]:
        """
        `legs` with the consecutive run `replace` swapped for `with`.

        Raises
        ------
        ValueError
            When `replace` is not a run of consecutive legs of `legs`, in this order.
        """
        width = len(self.replace)
        for start in range(len(legs) - width + 1):
            if legs[start : start + width] == self.replace:
                return [*legs[:start], *self.with_, *legs[start + width :]]
        replaced = ", ".join(self.replace)
        raise ValueError(f"legs {replaced} are not consecutive legs of the corridor, in this order")


class Scenario(Record):
    id: Id
    name: str
    name_zh: str | None = None
    description: str
    description_zh: str | None = None
    rationale: str = Field(description="Why these numbers: the reasoning and what it rests on.")
    rationale_zh: str | None = None
    sources: list[Id] = Field(default_factory=list)
    close_countries: list[CountryCode] = Field(default_factory=list)
    close_nodes: list[Id] = Field(default_factory=list)
    close_legs: list[Id] = Field(default_factory=list)
    open_legs: list[Id] = Field(default_factory=list, description="Planned legs to treat as open.")
    reroute: dict[Id, Reroute] = Field(
        default_factory=dict, description="Corridor id to the change of its path."
    )
    dwell_factor: Factors = Field(default_factory=Factors)
    speed_factor: Factors = Field(default_factory=Factors)
    cost_factor: Factors = Field(default_factory=Factors)
    commodities: list[Id] = Field(
        default_factory=list,
        description="The commodities whose shipments the closures apply to; empty: every cargo "
        "(a transit ban on critical minerals leaves containers moving).",
    )
