"""
CO2e per FEU, per leg and per route, following the GLEC Framework and ISO 14083: a leg emits its
distance × the cargo tonnes of a loaded FEU × the intensity (g CO2e per tonne-km) of the
transport that carries it. Well-to-wheel (WTW, fuel or power produced and used) is the headline;
tank-to-wheel (TTW, burnt on board) beside it.

Which intensity: rail blends electric and diesel traction by the share of the leg's start
country's rail tonne-km hauled electrically, electric at that country's grid intensity where the
catalogue has it; sea legs longer than `deep_sea_above_km` sail
deep-sea ships, shorter ones short-sea feeders; ferry and road have one each. The range comes
from the same seeded draws as every other range (distance, tonnes, factors, electric share).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from geo.catalogue import Catalogue, Figure, Mode, NonNegativeFigure
from geo.emission_factors import EmissionFactor, EmissionModel, FactorId
from geo.paths import Step
from geo.ranges import Range, Sampler, Samples, spreads


@dataclass(frozen=True)
class LegEmission:
    """A leg's CO2e per FEU: the typical WTW and TTW, in kg, and its WTW draws."""

    step: Step
    wtw_kg: float
    ttw_kg: float
    draws: Samples


@dataclass(frozen=True)
class RouteEmission:
    """A route's CO2e per FEU in kg: WTW with its range, TTW, and per leg."""

    wtw_kg: float
    wtw_range: Range
    ttw_kg: float
    legs: list[LegEmission]


def _factors(model: EmissionModel) -> dict[FactorId, EmissionFactor]:
    return {factor.id: factor for factor in model.factors}


def leg_mix(catalogue: Catalogue, step: Step) -> list[tuple[str, FactorId, float]]:
    """The transport types a leg is carried by, with their shares (and the share's draw key)."""
    mode = step.leg.mode
    model = catalogue.parameters.emissions
    assert model is not None
    if mode is Mode.RAIL:
        country = catalogue.country(catalogue.node(step.start).country)
        share = country.rail_electric_share
        electric = share.value if share is not None else 0.5
        key = f"country:{country.code}:electric_share" if share is not None else ""
        return [(key, "rail-electric", electric), (key, "rail-diesel", 1 - electric)]
    if mode is Mode.SEA:
        deep = step.leg.distance_km.value > model.deep_sea_above_km
        return [("", "sea-deep" if deep else "sea-short", 1.0)]
    if mode is Mode.FERRY:
        return [("", "ferry", 1.0)]
    return [("", "road", 1.0)]


def _grid_intensity(catalogue: Catalogue, step: Step) -> tuple[NonNegativeFigure, str] | None:
    """Electric traction's intensity on the start country's grid, where the catalogue has it."""
    country = catalogue.country(catalogue.node(step.start).country)
    figure = country.rail_electric_wtw_g_per_tkm
    return None if figure is None else (figure, f"country:{country.code}:electric_wtw")


def leg_emission(catalogue: Catalogue, step: Step, sampler: Sampler) -> LegEmission:
    """One leg's CO2e per FEU, typical and drawn."""
    model = catalogue.parameters.emissions
    assert model is not None
    factors = _factors(model)
    leg = step.leg
    tonne_km = leg.distance_km.value * model.tonnes_per_feu.value
    drawn_tonne_km = sampler.draw(f"leg:{leg.id}:distance", leg.distance_km) * sampler.draw(
        "emissions:tonnes_per_feu", model.tonnes_per_feu
    )
    wtw = ttw = 0.0
    draws: Samples = 0.0
    for key, factor_id, share in leg_mix(catalogue, step):
        factor = factors[factor_id]
        wtw += tonne_km * share * factor.wtw_g_per_tkm.value / 1000
        ttw += tonne_km * share * factor.ttw_g_per_tkm.value / 1000
        drawn_share: Samples = share
        if key:
            country = catalogue.country(catalogue.node(step.start).country)
            assert country.rail_electric_share is not None
            electric = sampler.draw(key, country.rail_electric_share)
            drawn_share = electric if factor_id == "rail-electric" else 1 - electric
        figure, intensity_key = factor.wtw_g_per_tkm, f"emissions:{factor_id}:wtw"
        grid = _grid_intensity(catalogue, step) if factor_id == "rail-electric" else None
        if grid is not None:
            figure, intensity_key = grid
            wtw += tonne_km * share * (figure.value - factor.wtw_g_per_tkm.value) / 1000
        intensity = sampler.draw(intensity_key, figure)
        draws = draws + drawn_tonne_km * drawn_share * intensity / 1000
    return LegEmission(step, wtw, ttw, draws)


def route_emission(
    catalogue: Catalogue, steps: Sequence[Step], sampler: Sampler | None = None
) -> RouteEmission | None:
    """A route's CO2e per FEU with its range; None when the catalogue has no emission model."""
    if catalogue.parameters.emissions is None:
        return None
    sampler = sampler or Sampler()
    legs = [leg_emission(catalogue, step, sampler) for step in steps]
    wtw = sum(leg.wtw_kg for leg in legs)
    draws: Samples = sum((leg.draws for leg in legs), 0.0)
    (spread,) = spreads([draws], [wtw])
    return RouteEmission(wtw, spread, sum(leg.ttw_kg for leg in legs), legs)


def leg_co2e_figure(catalogue: Catalogue, step: Step) -> Figure | None:
    """A leg's typical WTW CO2e per FEU as a figure citing the factors it rests on (popups)."""
    model = catalogue.parameters.emissions
    if model is None:
        return None
    found = leg_emission(catalogue, step, Sampler(draws=2))
    factors = _factors(model)
    cited = list(model.tonnes_per_feu.sources)
    for _, factor_id, share in leg_mix(catalogue, step):
        if share > 0:
            cited += factors[factor_id].wtw_g_per_tkm.sources
    return Figure(
        value=round(found.wtw_kg),
        sources=list(dict.fromkeys(cited)),
        estimate=f"well-to-wheel: distance × {model.tonnes_per_feu.value:g} t per FEU × "
        f"g CO2e per tonne-km by mode and traction (tank-to-wheel {found.ttw_kg:,.0f} kg)",
    )
