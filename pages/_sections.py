"""
Sections more than one page draws: the headline cards, and lists folded away when long.

What the cards say is computed in `geo.comparison` (tested without Streamlit); this module only
lays it out, escaping catalogue text for Markdown where it is drawn.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo import settings
from geo.comparison import headline_cards
from geo.scenarios import ActiveScenario
from geo.text import markdown_escape
from geo.trips import commodity_exclusions
from pages._sidebar import View


def trip_header(view: View, active: ActiveScenario) -> None:
    """The trip asked about, in one line: from, to, cargo, avoided; the found options; and what
    the cargo may not use."""
    t, catalogue = view.t, view.catalogue
    state = view.state
    if view.trip is None or state.origin is None or state.market is None:
        return
    ends = {
        "origin": view.name(catalogue.place(state.origin)),
        "market": view.name(catalogue.place(state.market)),
    }
    line = t("trip.line", **ends)
    extras = []
    if state.commodity:
        extras.append(view.name(catalogue.commodity(state.commodity)))
    if state.adjustments.close_countries:
        codes = state.adjustments.close_countries
        avoided = ", ".join(view.name(catalogue.country(c)) for c in codes)
        extras.append(t("trip.avoid") + ": " + avoided)
    st.markdown(" · ".join([f"**{markdown_escape(line)}**", *map(markdown_escape, extras)]))
    if not view.trip.corridors and not view.trip.found:
        st.warning(t("trip.none", **{k: markdown_escape(v) for k, v in ends.items()}))
    if view.trip.found:
        ranks = ", ".join(str(rank) for rank in range(1, len(view.trip.found) + 1))
        st.caption(t("trip.found_note", found=ranks))
    for exclusion in commodity_exclusions(catalogue, active):
        what = ", ".join(_target_name(view, target) for target in exclusion.targets[:12])
        commodity = view.name(catalogue.commodity(exclusion.commodity))
        st.caption(markdown_escape(t("trip.excluded", commodity=commodity, what=what)))


def _target_name(view: View, target: str) -> str:
    """A node, leg or country id in the view's language."""
    catalogue = view.catalogue
    if target in {n.id for n in catalogue.nodes}:
        return view.name(catalogue.node(target))
    if target in {c.code for c in catalogue.countries}:
        return view.name(catalogue.country(target))
    return target


def headline(view: View, data: dict[str, Any]) -> None:
    """Per market: the cheapest, fastest, fewest-hops and least-exposed passable corridor."""
    t = view.t
    for market in headline_cards(view.catalogue, data, view.corridors, lang=view.lang):
        count = t("best.count", count=len(market.members))
        st.markdown(f"**{markdown_escape(market.market)}** {count}")
        for box, card in zip(st.columns(len(market.cards)), market.cards, strict=True):
            with box, st.container(border=True):
                st.caption(card.caption)
                if card.winners:
                    names = " / ".join(markdown_escape(name) for name in card.names)
                    if card.more:  # ties: a card names a few and counts the rest
                        names += " " + t("best.more_tied", count=card.more)
                    st.markdown(f"**{names}**  \n{card.figure}")
                else:
                    st.markdown(f"**{t('best.none')}**")


def unfolded(label: str, *, items: int, key: str) -> Any:
    """
    Where a section listing `items` corridors goes: the page, or above `many_corridors`
    (`geo.settings`) an expander whose content is built only while it is open (None while
    folded).
    """
    if items <= settings.get().many_corridors:
        return st.container()
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None
