"""
The sidebar's first question: from where, to where, carrying what, avoiding whom. A preset
question fills the four controls; the answer (`geo.trips.trip_catalogue`) is computed once per
catalogue, trip, scenario and language and shared by every session.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import streamlit as st

from geo import settings
from geo.catalogue import Catalogue, Scenario
from geo.i18n import Translate, localized
from geo.palette import FOUND_ROUTE_COLOURS
from geo.scenarios import apply_scenario
from geo.trips import Trip, TripAnswer, trip_catalogue
from geo.viewstate import ViewState

ALL = ""
"""The origin and market options' first entry: no trip, every catalogued corridor."""


@dataclass(frozen=True)
class TripChoice:
    """What the trip controls say: a trip (or None: every corridor), the cargo and the avoided."""

    origin: str | None
    market: str | None
    commodity: str | None
    avoid: tuple[str, ...]

    def trip(self) -> Trip | None:
        if self.origin is None or self.market is None:
            return None
        return Trip(self.origin, self.market, self.commodity, self.avoid)


def _keys(catalogue_key: str) -> dict[str, str]:
    return {
        name: f"trip_{name}_{catalogue_key}"
        for name in ("question", "origin", "market", "cargo", "avoid")
    }


def trip_controls(
    catalogue: Catalogue, catalogue_key: str, state: ViewState, t: Translate, lang: str
) -> TripChoice:
    """The four controls, seeded from the link; a preset question sets all four at once."""
    keys = _keys(catalogue_key)
    questions = [q.id for q in catalogue.questions]

    def ask() -> None:
        """Fill the controls from the chosen question (runs before the rerun draws them)."""
        chosen = st.session_state.get(keys["question"])
        if not chosen:
            return
        question = catalogue.question(chosen)
        st.session_state[keys["origin"]] = question.origin
        st.session_state[keys["market"]] = question.market
        st.session_state[keys["cargo"]] = question.commodity or ALL
        st.session_state[keys["avoid"]] = list(question.avoid)

    def place_name(place_id: str) -> str:
        return localized(catalogue.place(place_id), lang) if place_id else t("trip.all")

    if questions:
        st.selectbox(
            t("trip.question"),
            [ALL, *questions],
            format_func=lambda q: localized(catalogue.question(q), lang) if q else t("trip.pick"),
            key=keys["question"],
            on_change=ask,
        )
    ends = []
    for box, (role, current, label) in zip(
        st.columns(2),
        (("origin", state.origin, "trip.from"), ("market", state.market, "trip.to")),
        strict=True,
    ):
        options = [ALL, *(p.id for p in catalogue.places if p.role == role)]
        with box:
            ends.append(
                st.selectbox(
                    t(label),
                    options,
                    index=options.index(current) if current in options else 0,
                    format_func=place_name,
                    key=keys[role],
                )
            )
    origin, market = ends
    cargoes = [ALL, *(c.id for c in catalogue.commodities)]
    cargo = st.selectbox(
        t("trip.cargo"),
        cargoes,
        index=cargoes.index(state.commodity) if state.commodity in cargoes else 0,
        format_func=lambda c: localized(catalogue.commodity(c), lang) if c else t("trip.any"),
        key=keys["cargo"],
    )
    avoid = st.multiselect(
        t("trip.avoid"),
        [c.code for c in catalogue.countries],
        default=list(state.adjustments.close_countries),
        format_func=lambda c: localized(catalogue.country(c), lang),
        placeholder=t("sidebar.choose"),
        key=keys["avoid"],
        help=t("trip.avoid_help"),
    )
    both = bool(origin) and bool(market)
    if bool(origin) != bool(market):
        st.caption(t("trip.half"))
    return TripChoice(
        origin or None if both else None,
        market or None if both else None,
        cargo or None,
        tuple(avoid),
    )


@st.cache_resource(show_spinner=False, max_entries=settings.get().results_cache)
def _answer(
    catalogue_key: str,
    trip_key: str,
    _catalogue: Catalogue,
    _scenario: Scenario,
    _trip: Trip,
    found_name: str,
    lang: str,
) -> TripAnswer:
    active = apply_scenario(_catalogue, _scenario, _trip.commodity)
    return trip_catalogue(
        _catalogue, active, _trip, colours=FOUND_ROUTE_COLOURS, found_name=found_name, lang=lang
    )


def trip_answer(
    catalogue: Catalogue,
    catalogue_key: str,
    scenario: Scenario,
    trip: Trip,
    *,
    t: Translate,
    lang: str,
) -> tuple[TripAnswer, str]:
    """The trip's catalogue under the scenario, and a content key for caching its results."""
    found_name = t("trip.found_name")
    payload = json.dumps(
        [scenario.model_dump(mode="json"), trip.__dict__, found_name, lang], sort_keys=True
    )
    trip_key = hashlib.sha256(payload.encode()).hexdigest()[:12]
    answer = _answer(catalogue_key, trip_key, catalogue, scenario, trip, found_name, lang)
    return answer, f"{catalogue_key}-{trip_key}"
