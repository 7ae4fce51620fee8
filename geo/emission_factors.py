"""
The catalogue's emission factors (GLEC Framework / ISO 14083 conventions): grams of CO2e per
tonne-km of cargo by mode, traction and vessel type, well-to-wheel and tank-to-wheel, and the
cargo tonnes a loaded FEU carries. Apart from `geo.catalogue` so that module stays one size.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from geo.records import NonNegativeFigure, PositiveFigure, Record

FactorId = Literal["rail-electric", "rail-diesel", "sea-deep", "sea-short", "ferry", "road"]


class EmissionFactor(Record):
    """One transport type's intensity: g CO2e per tonne-km, well-to-wheel and tank-to-wheel."""

    id: FactorId
    wtw_g_per_tkm: NonNegativeFigure
    ttw_g_per_tkm: NonNegativeFigure
    note: str | None = None


class EmissionModel(Record):
    """How a leg's CO2e per FEU is computed (docs/model.md, Emissions)."""

    tonnes_per_feu: PositiveFigure = Field(description="Cargo tonnes in a loaded 40-ft box.")
    deep_sea_above_km: float = Field(
        default=5000, gt=0, description="Sea legs longer than this sail deep-sea ships."
    )
    factors: list[EmissionFactor]
    method: str
