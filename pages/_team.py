"""
The team's store as the pages use it: opened once per process from the environment
(`DATABASE_URL`, else SQLite at `CORRIDOR_ATLAS_DATABASE` or `data/atlas.db`), who is signed in,
the team's notes as plain data for the map and the exports, and opening a saved view.

A database that cannot be reached is a warning on the page, never a traceback; the map and
exports then go on without notes.
"""

from __future__ import annotations

import time
import uuid
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from geo import settings
from geo.annotations import Annotation, annotation_key
from geo.catalogue import Catalogue
from geo.changelog import change_lines, changelog
from geo.i18n import Translate
from geo.loader import check_catalogue_bytes
from geo.text import markdown_escape
from geo.yamlread import file_limits
from pages._session import STATE_CATALOGUE, STATE_CATALOGUE_BYTES, STATE_CATALOGUE_NAME
from store import NotAllowed, SavedView, Store, StoreError, StoreUnavailable, database_url

OPENED = "opened"
"""Query parameter: the saved view a link opens (the sidebar drops it from the link after)."""
NOTES_TTL_S = 5
"""Seconds the team's notes are kept between reads (every session's map reads them)."""
QUIET_AFTER_FAILURE_S = 15
"""After the database failed to answer, seconds the map and exports do without notes instead of
waiting for it again on every rerun."""
CHANGES_SHOWN = 12
"""Change-log lines shown when a saved view opens on a newer catalogue."""

_down_until = [0.0]


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Store:
    return Store(url)


def team_store() -> Store:
    """The process's store (it connects on first use). Raises `StoreError` for a bad URL."""
    return _open(database_url())


def login_configured() -> bool:
    """Whether the operator configured `st.login` (an `[auth]` section in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own kinds of error
        return False


def current_user() -> str | None:
    """The signed-in user's e-mail (or name, or subject), or None."""
    if not login_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        found = st.user.get("email") or st.user.get("name") or st.user.get("sub")
    except Exception:  # auth half-configured: treat as nobody signed in
        return None
    return str(found) if found else None


def attempt_key(name: str) -> str:
    """This session's key for its next save of one kind: the same until the save succeeds, so a
    save retried after a failure never writes twice."""
    slot = f"team_attempt_{name}"
    if slot not in st.session_state:
        st.session_state[slot] = str(uuid.uuid4())
    return str(st.session_state[slot])


def attempt_done(name: str) -> None:
    st.session_state.pop(f"team_attempt_{name}", None)


def session_catalogue_text() -> tuple[str, str, str]:
    """The session's catalogue as (file name, YAML text, version)."""
    catalogue: Catalogue = st.session_state[STATE_CATALOGUE]
    data: bytes = st.session_state.get(STATE_CATALOGUE_BYTES, b"")
    name = st.session_state.get(STATE_CATALOGUE_NAME, "corridors.yaml")
    return name, data.decode("utf-8", errors="replace"), catalogue.meta.version


def remember_session_catalogue(store: Store, catalogue_key: str) -> None:
    """Keep the YAML of the catalogue a view is saved on, once per content hash, so a later
    catalogue can say what changed since."""
    if store.catalogue_by_hash(catalogue_key) is not None:
        return
    name, text, version = session_catalogue_text()
    store.remember_catalogue(
        name=name,
        text=text,
        version=version,
        content_hash=catalogue_key,
        max_bytes=settings.get().file_max_bytes,
    )


@st.cache_data(show_spinner=False, ttl=NOTES_TTL_S, max_entries=4)
def _notes(url: str) -> dict[str, tuple[Annotation, ...]]:
    grouped: dict[str, list[Annotation]] = {}
    for note in _open(url).notes():
        key = annotation_key(note.target_kind, note.target_id)
        grouped.setdefault(key, []).append((f"{note.created:%Y-%m-%d}", note.author, note.text))
    return {key: tuple(notes) for key, notes in grouped.items()}


def team_annotations(t: Translate | None = None) -> dict[str, tuple[Annotation, ...]]:
    """The team's notes by `corridor:<id>` / `node:<id>`; none (and a warning, given `t`) when
    the database cannot be reached."""
    if time.monotonic() < _down_until[0]:
        return {}
    try:
        return _notes(database_url())
    except StoreError:
        _down_until[0] = time.monotonic() + QUIET_AFTER_FAILURE_S
        if t is not None:
            st.warning(t("notes.unavailable"))
        return {}


def notes_changed() -> None:
    """A note was added or deleted: every map reads the notes again."""
    _notes.clear()


def open_link(saved: SavedView) -> str:
    """The link that opens a saved view: its query string, and `opened` naming it so the page
    can say what changed since. Followed in the same tab it starts a fresh session, so every
    widget is drawn from the link (a rerun would keep what the widgets showed)."""
    return "?" + urlencode(saved.params() | {OPENED: str(saved.id)})


def opened_view() -> int | None:
    """The saved view a link just opened (`opened`), read before the sidebar rewrites the link."""
    raw = st.query_params.get(OPENED, "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@st.cache_resource(show_spinner=False, max_entries=8)
def _stored_catalogue(url: str, catalogue_id: int, content_hash: str) -> Catalogue | None:
    text = _open(url).catalogue_text(catalogue_id)
    if text is None:
        return None
    catalogue, _ = check_catalogue_bytes(
        text.encode("utf-8"), name=f"stored-{catalogue_id}.yaml", limits=file_limits()
    )
    return catalogue


def stored_catalogue(catalogue_id: int, content_hash: str) -> Catalogue | None:
    """A stored catalogue, validated once per process; None if it is gone or no longer valid."""
    return _stored_catalogue(database_url(), catalogue_id, content_hash)


def changes_since(
    store: Store, content_hash: str, current: Catalogue, t: Translate, lang: str
) -> list[str] | None:
    """What changed from the stored catalogue with `content_hash` to `current`, as Markdown
    lines (escaped); None when that catalogue is not stored."""
    found = store.catalogue_by_hash(content_hash)
    older = stored_catalogue(found.id, found.content_hash) if found else None
    if older is None:
        return None
    lines = change_lines(changelog(older, current), current, t=t, lang=lang)
    if not lines:
        return [t("changelog.none")]
    shown = [f"- {markdown_escape(line)}" for line in lines[:CHANGES_SHOWN]]
    if len(lines) > CHANGES_SHOWN:
        shown.append(t("saved.changes_more", count=len(lines) - CHANGES_SHOWN))
    return shown


def store_problem(exc: StoreError, t: Translate) -> None:
    """A store error on the page now: a warning when the database is away, an error otherwise."""
    report_problem(exc, t)
    show_outcome()


def short_date(moment: Any) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


OUTCOME = "team_outcome"
"""Session key: what the last action (a button's callback) came to, shown on the next run."""


def report(kind: str, message: str) -> None:
    """Remember an action's outcome ("success", "warning" or "error", a Markdown message)."""
    st.session_state[OUTCOME] = (kind, message)


def report_problem(exc: StoreError, t: Translate) -> None:
    """A store error as an outcome: a warning when the database is away, an error otherwise."""
    if isinstance(exc, StoreUnavailable):
        report("warning", t("saved.unavailable", detail=markdown_escape(exc)))
    elif isinstance(exc, NotAllowed):
        report("error", t("saved.not_allowed", reason=markdown_escape(exc)))
    else:
        report("error", t("saved.refused", reason=markdown_escape(exc)))


def show_outcome() -> None:
    """The last action's outcome, once."""
    outcome = st.session_state.pop(OUTCOME, None)
    if outcome is not None:
        kind, message = outcome
        {"success": st.success, "warning": st.warning}.get(kind, st.error)(message)
