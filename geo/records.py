"""
The building blocks every catalogue record shares: ids, the strict record base, figures with their
provenance, and sources. Apart from `geo.catalogue` so that record families living in their own
modules (`geo.trade`) can use them without an import circle.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")
"""Characters that have no business in a name or note and can rewrite a terminal or a line."""

RECORD_CONFIG = ConfigDict(
    extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
)
"""Unknown keys are errors (typos never pass silently); infinity and NaN are not numbers."""


def invalid(kind: str, message: str, **context: str) -> PydanticCustomError:
    """
    A validation error with a type of its own (`catalogue_<kind>`), so the app can show it in
    the reader's language (`problem.schema.catalogue_<kind>` in `locales/`).
    """
    return PydanticCustomError(f"catalogue_{kind}", message, context or None)


class Record(BaseModel):
    """Base for every catalogue record."""

    model_config = RECORD_CONFIG

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise invalid(
                "control_characters",
                "text contains control characters (escape codes, NUL, bidi overrides)",
            )
        return value


class Figure(Record):
    """
    A number with its provenance.

    Every figure names at least one source id, or says it is an estimate and how it was made.
    `low`/`high` keep a reported range beside the value the model uses; `as_of` is the year the
    figure describes (not when it was published or read), so stale inputs can be told apart.
    """

    value: float
    low: float | None = None
    high: float | None = None
    sources: list[Id] = Field(default_factory=list)
    estimate: str | None = Field(default=None, min_length=10)
    as_of: int | None = Field(default=None, ge=1900, le=2100)
    note: str | None = None

    @model_validator(mode="after")
    def _has_provenance(self) -> Figure:
        if not self.sources and not self.estimate:
            raise invalid(
                "no_provenance",
                "a figure needs `sources` (source ids) or `estimate` (how it was made)",
            )
        if self.low is not None and self.high is not None and self.low > self.high:
            raise invalid(
                "low_above_high",
                "`low` ({low}) is greater than `high` ({high})",
                low=str(self.low),
                high=str(self.high),
            )
        return self


class PositiveFigure(Figure):
    """A figure that must be strictly positive (distances, speeds)."""

    value: float = Field(gt=0)


class NonNegativeFigure(Figure):
    """A figure that may be zero but never negative (dwell, costs)."""

    value: float = Field(ge=0)


class Source(Record):
    id: Id
    title: str = Field(min_length=3)
    publisher: str = Field(min_length=2)
    year: int = Field(ge=1900, le=2100)
    url: str | None = Field(default=None, pattern=r"^https?://")
    accessed: date
    quality: Literal["primary", "secondary", "low"] = "secondary"
    note: str | None = None


class NodeKind(StrEnum):
    CITY = "city"
    RAIL_JUNCTION = "rail_junction"
    SEAPORT = "seaport"
    DRY_PORT = "dry_port"
    BORDER_CROSSING = "border_crossing"
    FERRY_TERMINAL = "ferry_terminal"
    CANAL = "canal"


class Mode(StrEnum):
    RAIL = "rail"
    SEA = "sea"
    FERRY = "ferry"
    ROAD = "road"


class Status(StrEnum):
    OPERATIONAL = "operational"
    UNDER_CONSTRUCTION = "under_construction"
    PLANNED = "planned"
