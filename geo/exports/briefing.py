"""
The view being exported, made once: every format reads its corridors, words and sources from one
`Briefing`, so a figure, a table and a summary of the same view cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from geo.annotations import Annotations
from geo.assets import BASEMAPS
from geo.catalogue import Catalogue, Source
from geo.figures import PRESETS, cited_sources
from geo.figures.words import Words, records_of
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES, localized
from geo.loader import catalogue_citation
from geo.metrics import CorridorMetrics, evaluate_all
from geo.scenarios import ActiveScenario
from geo.summary import units


@dataclass
class Briefing:
    """One view (scenario, corridors, weights, date) and everything derived from it, made once."""

    catalogue: Catalogue
    active: ActiveScenario
    corridors: list[str] | None = None
    preset: str = "slide"
    weights: dict[str, float] | None = None
    date: dt.date | None = None
    title: str | None = None
    basemap: str = "natural-earth"
    lang: str = DEFAULT_LANGUAGE
    notes: Annotations | None = None
    """The team's notes on corridors and nodes (`geo.annotations`), handed in by the page."""

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"`lang` was {self.lang!r}; expected one of {list(LANGUAGES)}")
        known = {c.id for c in self.catalogue.corridors}
        if self.corridors is not None:
            unknown = [c for c in self.corridors if c not in known]
            if unknown:
                raise ValueError(
                    f"`corridors` names unknown corridors: {', '.join(unknown)}; "
                    f"known: {', '.join(sorted(known))}"
                )
            if not self.corridors:
                raise ValueError("`corridors` is empty: choose at least one corridor to export")
        if self.preset not in PRESETS:
            raise ValueError(f"`preset` was {self.preset!r}; expected one of {list(PRESETS)}")
        if self.basemap not in BASEMAPS:
            raise ValueError(f"`basemap` was {self.basemap!r}; expected one of {list(BASEMAPS)}")
        self.date = self.date or dt.date.today()

    @cached_property
    def results(self) -> list[CorridorMetrics]:
        """The shown corridors' metrics, in the order asked for."""
        every = {
            r.corridor_id: r
            for r in evaluate_all(self.catalogue, self.active, weights=self.weights)
        }
        ids = list(dict.fromkeys(self.corridors)) if self.corridors else list(every)
        return [every[c] for c in ids]

    @cached_property
    def citation(self) -> dict[str, str]:
        """The catalogue's `{version, hash}`, which every file of the export carries."""
        return catalogue_citation(self.catalogue)

    @property
    def cite(self) -> str:
        """'catalogue 1.1.0 (f1d29534a70a)': the short form footers and archives carry."""
        return self.words.t("export.catalogue_cite", **self.citation)

    @cached_property
    def words(self) -> Words:
        return Words(self.lang)

    @cached_property
    def data(self) -> dict[str, Any]:
        """
        The comparison in the shape of `geo.summary.summary`, limited to the shown corridors, with
        names, markets and blocking reasons in the briefing's language.
        """
        scenario = self.active.scenario
        return {
            "scenario": {
                "id": scenario.id,
                "name": self.words.scenario(scenario),
                "description": localized(scenario, self.lang, field="description"),
            },
            "catalogue": {
                "title": localized(self.catalogue.meta, self.lang, "title"),
                **self.citation,
            },
            "units": units(self.catalogue),
            "corridors": records_of(self.catalogue, self.results, self.words),
        }

    @cached_property
    def changes(self) -> list[str]:
        return self.words.changes(self.catalogue, self.active.scenario)

    @cached_property
    def sources(self) -> list[Source]:
        return cited_sources(self.catalogue, self.results, self.active)

    @property
    def day(self) -> dt.date:
        return self.date or dt.date.today()

    @property
    def heading(self) -> str:
        return self.words.title(self.catalogue, self.title)

    @property
    def scenario_name(self) -> str:
        return self.words.scenario(self.active.scenario)

    @property
    def scenario_label(self) -> str:
        """'Russia transit closed (russia-transit-closed)'."""
        label = "export.scenario.label"
        return self.words.t(label, scenario=self.scenario_name, id=self.active.scenario.id)

    @property
    def full_title(self) -> str:
        """'Corridor Atlas: …: Russia transit closed', for a file's title."""
        return self.words.t("export.heading", heading=self.heading, scenario=self.scenario_name)
