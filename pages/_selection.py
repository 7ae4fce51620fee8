"""
The corridor shown in detail: picked in a map popup or the page's selectbox, kept in the link.

A pick from the map comes back as the map component's value, which stays until the map is
rebuilt; acting on each pick once needs a note in the session, kept here with its key.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages._sidebar import View

PARAM_SELECT = "select"
"""The one query parameter pages set directly; the rest go through geo.viewstate."""
STATE_MAP_PICK = "map_pick_at"
"""Session key: when the last pick acted on was made (the map's clock, in ms)."""


def map_pick(value: Any, view: View) -> str | None:
    """
    The corridor picked with a button in a map popup, acted on once.

    The pick stays as the map's value until the map is rebuilt, so each carries the time it
    was made and a pick no newer than the last one acted on is ignored; the id must be shown.
    """
    if not isinstance(value, dict):
        return None
    corridor, at = value.get("ca_select"), value.get("at")
    if corridor not in view.corridors or not isinstance(at, int | float):
        return None
    if at <= st.session_state.get(STATE_MAP_PICK, 0):
        return None
    st.session_state[STATE_MAP_PICK] = at
    return str(corridor)


def set_selected(corridor_id: str | None) -> None:
    """Show `corridor_id` in detail (None: none), in the link so it survives a reload."""
    if corridor_id:
        st.query_params[PARAM_SELECT] = corridor_id
    elif PARAM_SELECT in st.query_params:
        del st.query_params[PARAM_SELECT]
