"""
The catalogue each session works on: the operator's file, validated once per version and shared,
or the session's own upload, which replaces it for that session alone; and every page's start.

The session-state keys live here, so the upload, the download and the report read one record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from geo import settings
from geo.catalogue import Catalogue
from geo.errors import CatalogueError
from geo.i18n import translator
from geo.loader import check_catalogue_bytes, content_key, read_catalogue_file
from geo.settings import default_catalogue_path
from geo.text import markdown_escape
from geo.viewstate import link_language
from geo.yamlread import file_limits
from pages._sidebar import PRESENTATION_CSS, View, sidebar, url_query

STATE_CATALOGUE = "catalogue"
"""Session key: this session's last good catalogue (an upload replaces it for this session)."""
STATE_CATALOGUE_KEY = "catalogue_key"
STATE_CATALOGUE_NAME = "catalogue_name"
STATE_CATALOGUE_UPLOADED = "catalogue_uploaded"
STATE_PROBLEMS = "catalogue_problems"
STATE_CATALOGUE_BYTES = "catalogue_bytes"
STATE_UPLOAD_ERRORS = "upload_errors"


# The cache size is read once, when Streamlit decorates the function at import: a decorator
# cannot read it per call. Set CORRIDOR_ATLAS_CATALOGUE_CACHE before the server starts.
@st.cache_resource(show_spinner=False, max_entries=settings.get().catalogue_cache)
def _load_file(path: str, mtime: float) -> tuple[Catalogue | None, list[Any], bytes, str]:
    """
    Validate a catalogue file once per version of it (the key includes its mtime). Its bytes
    (for download) and content key are kept here too, shared by every session, not copied.
    """
    data = read_catalogue_file(path)  # read once: the bytes kept are the bytes validated
    catalogue, problems = check_catalogue_bytes(data, name=path, limits=file_limits())
    return catalogue, problems, data, content_key(catalogue) if catalogue else ""


def enter_through_dashboard() -> None:
    """
    Run this page inside dashboard.py's navigation, even when a link to it is the first request
    a new server gets.

    Until some session has called `st.navigation`, Streamlit treats a `pages/` folder as the
    old kind of multipage app: a link such as `/compare?scenario=…` ran pages/compare.py on its
    own, without the page set-up, titles and layout of dashboard.py, and listed every file in
    pages/ as a page (the helper modules included). Clearing the flag that `st.navigation`
    clears on its first call, and running again, routes the same link through dashboard.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "uses_pages_directory", False):  # a Streamlit internal; if it
        PagesManager.uses_pages_directory = False  # goes, this does nothing and a test fails
        st.rerun()


def session_catalogue() -> tuple[Catalogue, str] | None:
    """
    The session's catalogue and a key identifying its content, loading the default on first use.

    An invalid default shows every problem and returns None: the page stops with the report,
    never a traceback or a blank page.
    """
    if STATE_CATALOGUE in st.session_state:
        return st.session_state[STATE_CATALOGUE], st.session_state[STATE_CATALOGUE_KEY]
    path = default_catalogue_path()
    try:
        mtime = path.stat().st_mtime if path.exists() else 0
        catalogue, problems, data, key = _load_file(str(path), mtime)
    except CatalogueError as exc:
        catalogue, problems = None, exc.problems
    st.session_state[STATE_PROBLEMS] = problems
    if catalogue is None:
        t = translator(link_language(url_query()))
        errors = [p for p in problems if p.severity == "error"]
        st.error(
            t("app.catalogue_unusable", path=markdown_escape(path))
            + "\n\n"
            + "\n".join(f"- {markdown_escape(p.render(t))}" for p in errors)
        )
        return None
    _remember(catalogue, data, Path(path).name, problems, key, uploaded=False)
    return catalogue, key


def _remember(
    catalogue: Catalogue, data: bytes, name: str, problems: list[Any], key: str, *, uploaded: bool
) -> None:
    st.session_state[STATE_CATALOGUE] = catalogue
    st.session_state[STATE_CATALOGUE_UPLOADED] = uploaded
    st.session_state[STATE_CATALOGUE_KEY] = key
    st.session_state[STATE_CATALOGUE_NAME] = name
    st.session_state[STATE_CATALOGUE_BYTES] = data
    st.session_state[STATE_PROBLEMS] = problems


def catalogue_uploaded() -> bool:
    """Whether this session works on its own upload (True until a catalogue is known: the
    cautious answer, since an upload's data must never be published)."""
    return bool(st.session_state.get(STATE_CATALOGUE_UPLOADED, True))


def use_uploaded_catalogue(data: bytes, name: str) -> list[Any]:
    """
    Validate an upload; if it is usable it replaces this session's catalogue (no one else's).

    Returns the problems found. On errors the last good catalogue stays in place.
    """
    catalogue, problems = check_catalogue_bytes(data, name=name)
    if catalogue is not None:
        _remember(catalogue, data, name, problems, content_key(catalogue), uploaded=True)
    return problems


def current_catalogue_bytes() -> tuple[str, bytes]:
    """The session's catalogue file, for download: whatever is in use is never lost."""
    return (
        st.session_state.get(STATE_CATALOGUE_NAME, "corridors.yaml"),
        st.session_state.get(STATE_CATALOGUE_BYTES, b""),
    )


def page_view() -> View:
    """Every page's start: the session's catalogue and the sidebar; stops with the report if the
    catalogue cannot be used, so a page never draws on nothing."""
    enter_through_dashboard()
    loaded = session_catalogue()
    if loaded is None:
        st.stop()
    catalogue, catalogue_key = loaded
    view = sidebar(catalogue, catalogue_key)
    if view.state.present:
        st.html(PRESENTATION_CSS)
    return view
