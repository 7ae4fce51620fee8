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
from geo.text import markdown_escape
from pages._sidebar import View


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
