"""
The shareable view: scenario, adjustments, corridors, basemap, selection, exposure weights,
presentation mode and language, to and from a URL query string.

Query parameters are untrusted input: every value is checked against the catalogue and its
bounds, and anything that does not fit falls back to the default with a notice saying so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from geo import settings
from geo.assets import BASEMAPS
from geo.catalogue import Catalogue
from geo.i18n import DEFAULT_LANGUAGE, ENGLISH, LANGUAGES, Translate
from geo.scenarios import BASELINE, Adjustments

FACTOR_RANGE = (0.1, 10.0)
WEIGHT_KEYS = ("instability", "sanctions", "gatekeepers", "borders", "chokepoints")


@dataclass(frozen=True)
class ViewState:
    scenario: str = BASELINE
    adjustments: Adjustments = field(default_factory=Adjustments)
    corridors: tuple[str, ...] = ()
    basemap: str = "natural-earth"
    selected: str | None = None
    weights: tuple[float, ...] | None = None
    present: bool = False
    lang: str = DEFAULT_LANGUAGE
    made_with: tuple[str, str] | None = None
    """The catalogue (version, hash) the link was made with, as it says (`v`); None if unsaid."""
    origin: str | None = None
    """The trip's origin place (`geo.trade.Place`); with `market`, the view is of that trip."""
    market: str | None = None
    commodity: str | None = None
    """The cargo (`geo.trade.Commodity`); None: containers, no restriction."""

    def weights_dict(self) -> dict[str, float] | None:
        """Weights by component; one a link leaves out (made before it existed) weighs nothing."""
        if not self.weights:
            return None
        return {k: 0.0 for k in WEIGHT_KEYS} | dict(zip(WEIGHT_KEYS, self.weights, strict=False))


def _ids(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()][:200]


def _known(
    raw: str | None, known: set[str], kind: str, notices: list[str], t: Translate
) -> tuple[str, ...]:
    if not raw:
        return ()
    values = _ids(raw)
    kept = tuple(dict.fromkeys(v for v in values if v in known))
    if len(kept) < len(values):
        notices.append(t("notice.unknown_ids", kind=t(f"notice.kind.{kind}")))
    return kept


def _factor(raw: str | None, kind: str, notices: list[str], t: Translate) -> float:
    if raw is None:
        return 1.0
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    low, high = FACTOR_RANGE
    if not low <= value <= high:
        notices.append(t("notice.factor", kind=t(f"notice.kind.{kind}"), low=low, high=high))
        return 1.0
    return value


def _weights(raw: str | None, notices: list[str], t: Translate) -> tuple[float, ...] | None:
    """One weight per component; a link made before the chokepoints component gives it none."""
    if not raw:
        return None
    try:
        values = tuple(float(v) for v in raw.split(","))
    except ValueError:
        values = ()
    counts = (len(WEIGHT_KEYS) - 1, len(WEIGHT_KEYS))
    if len(values) not in counts or not all(0 <= v <= 1 for v in values) or sum(values) <= 0:
        notices.append(t("notice.weights"))
        return None
    return values


def _shown(key: str) -> str:
    """A parameter name fit to repeat in a notice: plain names only, anything else as '?'."""
    return key if re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", key) else "?"


def _flag(raw: str | None, key: str, notices: list[str], t: Translate) -> bool:
    if raw in (None, "", "0", "1"):
        return raw == "1"
    notices.append(t("notice.flag", key=_shown(key)))
    return False


_CATALOGUE_MARK = re.compile(r"(?P<version>[A-Za-z0-9._+]{1,40})-(?P<hash>[0-9a-f]{6,64})")
"""A link's `v`: the catalogue's version and content hash, `1.1.0-f1d29534a70a`."""


def catalogue_mark(catalogue: Catalogue, key: str) -> str:
    """The `v` a link carries: which catalogue (version and content hash) its view was made on."""
    return f"{catalogue.meta.version}-{key}"


def _made_with(
    raw: str | None, catalogue: Catalogue, key: str | None, notices: list[str], t: Translate
) -> tuple[str, str] | None:
    """
    The catalogue a link names. When its hash is not the one in use the figures may have moved,
    so a notice says which catalogue made the link; the view opens all the same.
    """
    if raw is None:
        return None
    found = _CATALOGUE_MARK.fullmatch(raw)
    if found is None:
        notices.append(t("notice.catalogue", version="?", hash="?"))
        return None
    made = (found["version"], found["hash"])
    if key is not None and made[1] != key:
        notices.append(t("notice.catalogue", version=made[0], hash=made[1]))
    return made


def link_language(params: Mapping[str, str]) -> str:
    """The interface language a link asks for, if we have it; else English."""
    wanted = params.get("lang", DEFAULT_LANGUAGE)
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def parse_query(
    params: Mapping[str, str],
    catalogue: Catalogue,
    *,
    t: Translate = ENGLISH,
    catalogue_key: str | None = None,
) -> tuple[ViewState, list[str]]:
    """
    A view from query parameters, and a notice for each value that had to be dropped, or (given
    the catalogue's content `catalogue_key`) when the link was made with another catalogue.
    """
    notices: list[str] = []
    clean = {}
    for key, value in params.items():
        if len(value) > settings.get().max_param_length:  # no real view needs more
            notices.append(t("notice.too_long", key=_shown(key)))
        else:
            clean[key] = value
    if clean.get("lang", DEFAULT_LANGUAGE) not in LANGUAGES:
        notices.append(t("notice.lang"))
    scenarios = {s.id for s in catalogue.scenarios}
    scenario = clean.get("scenario", BASELINE)
    if scenario not in scenarios:
        notices.append(t("notice.scenario"))
        scenario = BASELINE if BASELINE in scenarios else catalogue.scenarios[0].id
    corridor_ids = {c.id for c in catalogue.corridors}
    leg_ids = {leg.id for leg in catalogue.legs}
    adjustments = Adjustments(
        close_countries=_known(
            clean.get("close_c"), {c.code for c in catalogue.countries}, "countries", notices, t
        ),
        close_nodes=_known(
            clean.get("close_n"), {n.id for n in catalogue.nodes}, "nodes", notices, t
        ),
        close_legs=_known(clean.get("close_l"), leg_ids, "legs", notices, t),
        open_legs=_known(clean.get("open_l"), leg_ids, "legs", notices, t),
        open_all_planned=_flag(clean.get("open_planned"), "open_planned", notices, t),
        border_dwell_factor=_factor(clean.get("dwell"), "dwell", notices, t),
        cost_factor=_factor(clean.get("cost"), "cost", notices, t),
    )
    basemap = clean.get("basemap", "natural-earth")
    if basemap not in BASEMAPS:
        notices.append(t("notice.basemap"))
        basemap = "natural-earth"
    corridors = _known(clean.get("corridors"), corridor_ids, "corridors", notices, t)
    selected = clean.get("select")
    if selected is not None and selected not in corridor_ids:
        notices.append(t("notice.select"))
        selected = None
    origin, market = _trip(clean, catalogue, notices, t)
    commodity = clean.get("cargo")
    if commodity is not None and commodity not in {c.id for c in catalogue.commodities}:
        notices.append(t("notice.cargo"))
        commodity = None
    state = ViewState(
        scenario=scenario,
        adjustments=adjustments,
        corridors=corridors or tuple(c.id for c in catalogue.corridors),
        basemap=basemap,
        selected=selected,
        weights=_weights(clean.get("w"), notices, t),
        present=_flag(clean.get("present"), "present", notices, t),
        lang=link_language(clean),
        made_with=_made_with(clean.get("v"), catalogue, catalogue_key, notices, t),
        origin=origin,
        market=market,
        commodity=commodity,
    )
    return state, notices


def _trip(
    params: Mapping[str, str], catalogue: Catalogue, notices: list[str], t: Translate
) -> tuple[str | None, str | None]:
    """The link's origin and market: both places of the right role, or neither (a notice)."""
    origin, market = params.get("origin"), params.get("market")
    if origin is None and market is None:
        return None, None
    roles = {place.id: place.role for place in catalogue.places}
    if roles.get(origin or "") != "origin" or roles.get(market or "") != "market":
        notices.append(t("notice.trip"))
        return None, None
    return origin, market


def to_query(
    state: ViewState, catalogue: Catalogue, *, catalogue_key: str | None = None
) -> dict[str, str]:
    """
    The query parameters that reproduce a view (defaults left out to keep links short: every
    corridor shown is the default, and at a few hundred corridors their list would pass the
    length `parse_query` accepts). With `catalogue_key`, the link says which catalogue
    it was made with (`v`), so whoever opens it learns if the figures may differ.
    """
    a = state.adjustments
    params = {"scenario": state.scenario}
    if catalogue_key is not None:
        params["v"] = catalogue_mark(catalogue, catalogue_key)
    if set(state.corridors) != {c.id for c in catalogue.corridors}:
        params["corridors"] = ",".join(state.corridors)
    if state.lang != DEFAULT_LANGUAGE:
        params["lang"] = state.lang
    if state.basemap != "natural-earth":
        params["basemap"] = state.basemap
    if state.selected:
        params["select"] = state.selected
    for key, values in (
        ("close_c", a.close_countries),
        ("close_n", a.close_nodes),
        ("close_l", a.close_legs),
        ("open_l", a.open_legs),
    ):
        if values:
            params[key] = ",".join(values)
    if a.open_all_planned:
        params["open_planned"] = "1"
    if a.border_dwell_factor != 1.0:
        params["dwell"] = f"{a.border_dwell_factor:g}"
    if a.cost_factor != 1.0:
        params["cost"] = f"{a.cost_factor:g}"
    if state.weights:
        params["w"] = ",".join(f"{w:g}" for w in state.weights)
    if state.present:
        params["present"] = "1"
    return params | _trip_query(state)


def _trip_query(state: ViewState) -> dict[str, str]:
    """The trip's parameters: origin and market together, and the cargo."""
    params = {}
    if state.origin and state.market:
        params["origin"], params["market"] = state.origin, state.market
    if state.commodity:
        params["cargo"] = state.commodity
    return params
