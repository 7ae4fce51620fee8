"""
Typed model of `corridors.yaml`.

The models forbid unknown keys and check what one record can see on its own (ranges, enums,
a figure's provenance). Checks that span records (ids that must exist, legs that must join)
live in `geo.validate`, and the YAML-to-model step with line numbers lives in `geo.loader`.
The shared building blocks (records, figures, sources) live in `geo.records`, origins, markets
and commodities in `geo.trade`; both are re-exported here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, PrivateAttr, model_validator

from geo.capacity_records import Capacity, CorridorVolume
from geo.emission_factors import EmissionModel
from geo.records import (
    CONTROL_CHARACTERS,
    RECORD_CONFIG,
    CountryCode,
    Figure,
    Id,
    Latitude,
    Longitude,
    Mode,
    NodeKind,
    NonNegativeFigure,
    PositiveFigure,
    Record,
    Source,
    Status,
    invalid,
)
from geo.scenario_records import Factors, Reroute, Scenario
from geo.trade import Commodity, Place, Question, Restriction

__all__ = [
    "CONTROL_CHARACTERS",
    "RECORD_CONFIG",
    "Commodity",
    "CountryCode",
    "Factors",
    "Figure",
    "Id",
    "Latitude",
    "Longitude",
    "Mode",
    "NodeKind",
    "NonNegativeFigure",
    "Place",
    "PositiveFigure",
    "Question",
    "Record",
    "Reroute",
    "Restriction",
    "Scenario",
    "Source",
    "Status",
    "invalid",
]


class Country(Record):
    code: CountryCode
    name: str
    name_zh: str | None = None
    name_ru: str | None = None
    blocs: list[Literal["EU", "EAEU", "CSTO", "NATO", "SCO"]] = Field(default_factory=list)
    sanctions: list[str] = Field(
        default_factory=list,
        description="Sanctions regimes that bear on transit through this country, e.g. 'EU-RU'.",
    )
    sanctions_sources: list[Id] = Field(default_factory=list)
    gatekeeper: bool = Field(
        default=False, description="A state whose decisions alone can open or shut transit."
    )
    stability_percentile: Figure = Field(
        description="WGI Political Stability percentile rank, 0 (worst) to 100 (best)."
    )
    oecd_risk: Figure | None = Field(
        default=None, description="OECD Country Risk Classification 0-7; None = not classified."
    )
    rail_speed_km_per_day: PositiveFigure | None = Field(
        default=None,
        description="Container-train speed on this country's network; rail legs starting here "
        "use it unless they have their own (else the rail mode's speed).",
    )
    rail_cost_usd_per_feu_km: NonNegativeFigure | None = Field(
        default=None,
        description="Rail rate on this country's network; rail legs starting here use it unless "
        "they have their own cost (else the rail mode's rate).",
    )
    rail_electric_share: Figure | None = Field(
        default=None,
        description="Share of rail tonne-km hauled electrically (0-1), for emissions.",
    )
    rail_electric_wtw_g_per_tkm: NonNegativeFigure | None = Field(
        default=None, description="Electric traction's WTW intensity on this country's grid."
    )
    note: str | None = None

    @model_validator(mode="after")
    def _sanctions_are_sourced(self) -> Country:
        if self.sanctions and not self.sanctions_sources:
            raise invalid(
                "sanctions_unsourced", "`sanctions` are listed without `sanctions_sources`"
            )
        if not 0 <= self.stability_percentile.value <= 100:
            raise invalid("percentile_range", "`stability_percentile.value` must be within 0..100")
        return self


class Chokepoint(Record):
    """A named single point a route cannot avoid (canal, strait, sea crossing, transfer yard)."""

    name: str = Field(min_length=2, description="Passing nodes that share a name counts once.")
    weight: float = Field(ge=0, le=1, description="Added to the chokepoints component (≤ 1).")
    reason: str = Field(min_length=3, description="Why it can shut or stall the route.")
    sources: list[Id] = Field(default_factory=list)


class Node(Record):
    id: Id
    name: str
    name_zh: str | None = None
    name_ru: str | None = None
    kind: NodeKind
    country: CountryCode
    lat: Latitude
    lon: Longitude
    coordinates_basis: str = Field(min_length=3, description="Where the coordinates come from.")
    gauge_break: bool = Field(
        default=False, description="Containers are moved between 1435 mm and 1520 mm wagons here."
    )
    map_label: bool = Field(
        default=False,
        description="Named on the interactive map once zoomed in: a place analysts talk about.",
    )
    clears_customs: bool = Field(
        default=True,
        description="False at a transhipment hub, where boxes change ships under bond and enter "
        "no customs area (no border charge on arrival).",
    )
    dwell_hours: NonNegativeFigure | None = None
    handling_usd_per_feu: NonNegativeFigure | None = None
    chokepoints: list[Chokepoint] = Field(default_factory=list)
    note: str | None = None


class Leg(Record):
    id: Id
    from_: Id = Field(alias="from")
    to: Id
    mode: Mode
    status: Status = Status.OPERATIONAL
    gauge_mm: Literal[1435, 1520] | None = None
    distance_km: PositiveFigure
    speed_km_per_day: PositiveFigure | None = Field(
        default=None, description="Overrides the mode's default speed for this leg."
    )
    cost_usd_per_feu: NonNegativeFigure | None = Field(
        default=None, description="Overrides distance x the mode's rate for this leg."
    )
    reverse_cost_usd_per_feu: NonNegativeFigure | None = Field(
        default=None,
        description="The leg's cost per FEU travelled `to` → `from`, where it differs from "
        "`cost_usd_per_feu` (a deep-sea backhaul is a fraction of the headhaul).",
    )
    waypoints: list[tuple[Latitude, Longitude]] = Field(default_factory=list)
    sea_route: bool = Field(
        default=False, description="Draw with searoute's sea lanes instead of waypoints."
    )
    sea_route_restrictions: list[str] = Field(default_factory=lambda: ["northwest"])
    alignment_basis: str | None = None
    note: str | None = None

    model_config = ConfigDict(**RECORD_CONFIG, populate_by_name=True)

    @model_validator(mode="after")
    def _mode_rules(self) -> Leg:
        if self.mode is Mode.RAIL and self.gauge_mm is None:
            raise invalid("rail_gauge_missing", "a rail leg needs `gauge_mm` (1435 or 1520)")
        if self.mode is not Mode.RAIL and self.gauge_mm is not None:
            raise invalid(
                "gauge_not_rail",
                "`gauge_mm` is only for rail legs, not {mode}",
                mode=self.mode.value,
            )
        if self.sea_route and self.mode not in (Mode.SEA, Mode.FERRY):
            raise invalid("sea_route_not_sea", "`sea_route` is only for sea or ferry legs")
        if self.from_ == self.to:
            raise invalid("leg_loops", "a leg cannot start and end at the same node")
        return self


class Corridor(Record):
    id: Id
    name: str
    name_zh: str | None = None
    name_ru: str | None = None
    description: str
    description_zh: str | None = None
    status: Status = Status.OPERATIONAL
    direction: str = Field(description="Plain words: 'westbound, China to Europe'.")
    direction_zh: str | None = None
    legs: list[Id] = Field(min_length=1, description="Leg ids in travel order.")
    color: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    note: str | None = None


class Benchmark(Record):
    """An end-to-end figure somebody reported, to set the model beside."""

    id: Id
    corridor: Id
    from_: Id = Field(alias="from")
    to: Id
    transit_days: Figure | None = None
    cost_usd_per_feu: Figure | None = None
    date: str = Field(description="When the figure was reported (YYYY, YYYY-MM or YYYY-MM-DD).")
    role: Literal["calibration", "validation"] = Field(
        description="calibration: a parameter was tuned on it, so agreeing proves nothing; "
        "validation: independent of every parameter, so it tests the model."
    )
    bound: Literal["range", "at_most"] = Field(
        default="range",
        description="`at_most`: the report gives only a ceiling (`reached Poti by 26 October`), "
        "so the model agrees when its range reaches at or below the figure's high.",
    )
    definition: str = Field(
        min_length=3,
        description="What the figure measures (door to door, terminal to terminal, one section) "
        "and why `from`/`to` are the stretch the model must compute to match it.",
    )
    year: int = Field(ge=1990, le=2100, description="The year the figure describes.")
    publisher: str = Field(min_length=2, description="Who put the figure out.")
    publisher_interest: str = Field(
        min_length=3,
        description="The publisher's stake: operator of this route, rival operator, "
        "independent index, government, forwarder…",
    )
    note: str | None = None

    model_config = ConfigDict(**RECORD_CONFIG, populate_by_name=True)

    @model_validator(mode="after")
    def _has_a_figure(self) -> Benchmark:
        if self.transit_days is None and self.cost_usd_per_feu is None:
            raise invalid(
                "benchmark_empty", "a benchmark needs `transit_days` or `cost_usd_per_feu`"
            )
        return self


class ModeParameters(Record):
    speed_km_per_day: PositiveFigure
    cost_usd_per_feu_km: NonNegativeFigure


class ExposureWeights(Record):
    instability: float = Field(ge=0, le=1)
    sanctions: float = Field(ge=0, le=1)
    gatekeepers: float = Field(ge=0, le=1)
    borders: float = Field(ge=0, le=1)
    chokepoints: float = Field(default=0, ge=0, le=1)

    @model_validator(mode="after")
    def _not_all_zero(self) -> ExposureWeights:
        if sum(self.model_dump().values()) <= 0:
            raise invalid("weights_zero", "at least one exposure weight must be above zero")
        return self


class ExposureModel(Record):
    weights: ExposureWeights
    border_crossings_cap: int = Field(
        gt=0, description="Border crossings at which the borders component reaches 1."
    )
    method: str


class DirectedBorderCharge(Record):
    """A country's border charge by direction, where its source reports them apart (CPMM)."""

    country: CountryCode
    inbound: NonNegativeFigure = Field(description="Entering the country's customs area here.")
    outbound: NonNegativeFigure = Field(description="Leaving the country's customs area here.")


class Parameters(Record):
    """Model parameters: each a sourced or stated estimate, as any other figure."""

    modes: dict[Mode, ModeParameters]
    border_crossing_cost_usd_per_feu: NonNegativeFigure
    border_charges_by_direction: list[DirectedBorderCharge] = Field(
        default_factory=list,
        description="Countries whose border charge is reported by direction: a crossing into or "
        "out of one of them pays its inbound or outbound figure instead of the general one.",
    )
    price_year: int | None = Field(
        default=None,
        ge=1990,
        le=2100,
        description="The year whose US dollars the costs are stated in (not deflated).",
    )
    exposure: ExposureModel
    emissions: EmissionModel | None = None

    @model_validator(mode="after")
    def _every_mode(self) -> Parameters:
        missing = [m.value for m in Mode if m not in self.modes]
        if missing:
            raise invalid(
                "modes_missing",
                "`modes` lacks parameters for: {modes}",
                modes=", ".join(missing),
            )
        return self


class Meta(Record):
    title: str
    title_zh: str | None = None
    version: str
    currency: Literal["USD"] = "USD"
    unit: Literal["FEU"] = "FEU"
    description: str
    description_zh: str | None = None
    conventions: str | None = None


class Catalogue(Record):
    meta: Meta
    parameters: Parameters
    sources: list[Source]
    countries: list[Country]
    nodes: list[Node]
    legs: list[Leg]
    corridors: list[Corridor]
    benchmarks: list[Benchmark] = Field(default_factory=list)
    scenarios: list[Scenario]
    places: list[Place] = Field(default_factory=list)
    commodities: list[Commodity] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    capacities: list[Capacity] = Field(default_factory=list)
    corridor_volumes: list[CorridorVolume] = Field(default_factory=list)

    _indexes: dict[str, dict[str, Record]] = PrivateAttr(default_factory=dict)

    def node(self, node_id: str) -> Node:
        return self._index("nodes")[node_id]  # type: ignore[return-value]

    def leg(self, leg_id: str) -> Leg:
        return self._index("legs")[leg_id]  # type: ignore[return-value]

    def country(self, code: str) -> Country:
        return self._index("countries")[code]  # type: ignore[return-value]

    def corridor(self, corridor_id: str) -> Corridor:
        return self._index("corridors")[corridor_id]  # type: ignore[return-value]

    def scenario(self, scenario_id: str) -> Scenario:
        return self._index("scenarios")[scenario_id]  # type: ignore[return-value]

    def place(self, place_id: str) -> Place:
        return self._index("places")[place_id]  # type: ignore[return-value]

    def commodity(self, commodity_id: str) -> Commodity:
        return self._index("commodities")[commodity_id]  # type: ignore[return-value]

    def question(self, question_id: str) -> Question:
        return self._index("questions")[question_id]  # type: ignore[return-value]

    def source(self, source_id: str) -> Source:
        return self._index("sources")[source_id]  # type: ignore[return-value]

    def with_corridors(self, corridors: list[Corridor], benchmarks: list[Benchmark]) -> Catalogue:
        """This catalogue with other corridors and benchmarks (a trip's), its lookups rebuilt:
        `model_copy` would carry the id indexes of the original over to the copy."""
        copy = self.model_copy(update={"corridors": corridors, "benchmarks": benchmarks})
        copy._indexes = {}
        return copy

    def _index(self, section: str) -> dict[str, Record]:
        """Id lookups, built once per catalogue; the model is frozen so they never go stale."""
        if section not in self._indexes:
            key = "code" if section == "countries" else "id"
            self._indexes[section] = {getattr(r, key): r for r in getattr(self, section)}
        return self._indexes[section]
