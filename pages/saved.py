"""Saved views: name the sidebar's view and keep it for the team; open one; notes on records.

Every action runs in its button's callback, before the page is drawn again, so the list drawn
afterwards already shows it; its outcome is shown at the top of the next run."""

from __future__ import annotations

from html import escape

import streamlit as st

from geo.i18n import LANGUAGES, localized
from geo.text import markdown_escape
from pages._session import STATE_CATALOGUE, page_view
from pages._sidebar import url_query
from pages._team import (
    attempt_done,
    attempt_key,
    changes_since,
    current_user,
    login_configured,
    notes_changed,
    open_link,
    opened_view,
    remember_session_catalogue,
    report,
    report_problem,
    short_date,
    show_outcome,
    store_problem,
    team_store,
)
from store import NAME_MAX, NOTE_MAX, Note, SavedView, Store, StoreError, StoreUnavailable

opened_id = opened_view()  # read before the sidebar writes the link again
view = page_view()
t, state = view.t, view.state
whole = st.session_state[STATE_CATALOGUE]
st.title(t("saved.title"))
st.caption(t("saved.intro"))

login = login_configured()
user = current_user()
if not login:
    st.info(t("saved.open_access"))
elif user is None:
    st.button(t("saved.sign_in"), key="saved_sign_in", on_click=st.login)
else:
    st.caption(t("saved.signed_in", user=markdown_escape(user)))
may_write = not login or user is not None

try:
    store = team_store()
except StoreError as exc:
    st.error(markdown_escape(exc))
    st.stop()


def save_view(store: Store) -> None:
    try:
        remember_session_catalogue(store, view.catalogue_key)
        saved = store.save_view(
            key=attempt_key("view"),  # the same until it succeeds: a retry never writes twice
            name=st.session_state.get("saved_name", ""),
            note=st.session_state.get("saved_note", ""),
            query=url_query(),
            catalogue_version=whole.meta.version,
            catalogue_hash=view.catalogue_key,
            author=user,
        )
    except StoreError as exc:
        report_problem(exc, t)
    else:
        attempt_done("view")
        report("success", t("saved.saved", name=markdown_escape(saved.name)))


def delete_view(store: Store, view_id: int, name: str) -> None:
    try:
        store.delete_view(view_id, user=user, login=login)
    except StoreError as exc:
        report_problem(exc, t)
    else:
        report("success", t("saved.deleted", name=markdown_escape(name)))


def add_note(store: Store, kind: str) -> None:
    try:
        store.add_note(
            key=attempt_key("note"),
            target_kind=kind,
            target_id=st.session_state.get(f"notes_target_{kind}") or "",
            text=st.session_state.get("notes_text", ""),
            catalogue_version=whole.meta.version,
            author=user,
        )
    except StoreError as exc:
        report_problem(exc, t)
    else:
        attempt_done("note")
        notes_changed()
        report("success", t("notes.added"))


def delete_note(store: Store, note_id: int) -> None:
    try:
        store.delete_note(note_id, user=user, login=login)
    except StoreError as exc:
        report_problem(exc, t)
    else:
        notes_changed()


show_outcome()
try:
    opened = store.view(opened_id) if opened_id is not None else None
except StoreError as exc:
    store_problem(exc, t)
    opened = None
if opened is not None:
    st.success(t("saved.opened", name=markdown_escape(opened.name)))
    if opened.catalogue_hash != view.catalogue_key:
        marks = {
            "name": markdown_escape(opened.name),
            "old": markdown_escape(opened.catalogue_version),
            "hash": markdown_escape(opened.catalogue_hash),
            "new": markdown_escape(whole.meta.version),
        }
        try:
            lines = changes_since(store, opened.catalogue_hash, whole, t, view.lang)
        except StoreError as exc:
            store_problem(exc, t)
            lines = None
        if lines is None:
            st.warning(t("saved.older_unknown", **marks))
        else:
            st.warning(t("saved.older_catalogue", **marks) + "\n\n" + "\n".join(lines))

# ---- save the current view -------------------------------------------------------------------
trip = ""
if state.origin and state.market:
    trip = t(
        "saved.current_trip",
        origin=markdown_escape(localized(whole.place(state.origin), view.lang)),
        market=markdown_escape(localized(whole.place(state.market), view.lang)),
    )
st.markdown(
    t(
        "saved.current",
        scenario=markdown_escape(view.name(view.scenario)),
        trip=trip,
        count=len(view.corridors),
        lang=LANGUAGES[view.lang],
    )
)
with st.form("saved_form", border=True):
    st.text_input(
        t("saved.name"),
        max_chars=NAME_MAX,
        key="saved_name",
        help=t("saved.name_help", limit=NAME_MAX),
    )
    st.text_area(
        t("saved.note"),
        max_chars=NOTE_MAX,
        key="saved_note",
        help=t("saved.note_help", limit=NOTE_MAX),
    )
    st.form_submit_button(
        t("saved.save"),
        type="primary",
        disabled=not may_write,
        key="saved_save",
        on_click=save_view,
        args=(store,),
    )

# ---- the team's saved views ------------------------------------------------------------------
views: list[SavedView] | None
try:
    views = store.views()
except StoreUnavailable as exc:
    store_problem(exc, t)  # the list comes back with the database; nothing is claimed meanwhile
    views = None
st.subheader(t("saved.list", count=len(views) if views is not None else "?"))
if views == []:
    st.caption(t("saved.none"))
for saved in views or []:
    with st.container(border=True, key=f"saved_view_{saved.id}"):
        body, open_box, delete_box = st.columns([6, 1, 1])
        body.markdown(
            t(
                "saved.row",
                name=markdown_escape(saved.name),
                author=markdown_escape(saved.author or t("saved.anonymous")),
                date=short_date(saved.created),
                version=markdown_escape(saved.catalogue_version),
            )
        )
        if saved.note:
            body.text(saved.note)  # plain text: a note is never Markdown or HTML
        open_box.html(  # a link, not a button: it starts a session drawn from the saved link
            f'<a class="ca-open-view" data-saved-view="{saved.id}" '
            f'href="{escape(open_link(saved))}">{escape(t("saved.open"))}</a>'
        )
        delete_box.button(
            t("saved.delete"),
            key=f"saved_delete_{saved.id}",
            disabled=login and (user is None or saved.author not in (None, user)),
            on_click=delete_view,
            args=(store, saved.id, saved.name),
        )

# ---- notes on corridors and nodes ------------------------------------------------------------
st.subheader(t("notes.title"))
st.caption(t("notes.intro"))
kinds = {"corridor": whole.corridors, "node": whole.nodes}
kind = st.radio(
    t("notes.kind"),
    list(kinds),
    format_func=lambda k: t(f"notes.kind.{k}"),
    key="notes_kind",
    horizontal=True,
)
records = {r.id: localized(r, view.lang) for group in kinds.values() for r in group}
with st.form("notes_form", border=True):
    st.selectbox(
        t("notes.target"),
        [r.id for r in kinds[kind]],
        format_func=lambda i: f"{records.get(i, i)} ({i})",
        key=f"notes_target_{kind}",
    )
    st.text_area(t("notes.text"), max_chars=NOTE_MAX, key="notes_text")
    st.form_submit_button(
        t("notes.add"),
        disabled=not may_write,
        key="notes_add",
        on_click=add_note,
        args=(store, kind),
    )
notes: list[Note] | None
try:
    notes = store.notes()
except StoreUnavailable as exc:
    store_problem(exc, t)
    notes = None
if notes == []:
    st.caption(t("notes.none"))
for entry in reversed(notes or []):
    with st.container(border=True, key=f"team_note_{entry.id}"):
        body, delete_box = st.columns([7, 1])
        label = records.get(entry.target_id, entry.target_id)
        body.markdown(
            t(
                "notes.row",
                target=markdown_escape(f"{t(f'notes.kind.{entry.target_kind}')}: {label}"),
                author=markdown_escape(entry.author or t("saved.anonymous")),
                date=short_date(entry.created),
            )
        )
        body.text(entry.text)
        delete_box.button(
            t("saved.delete"),
            key=f"notes_delete_{entry.id}",
            disabled=login and (user is None or entry.author not in (None, user)),
            on_click=delete_note,
            args=(store, entry.id),
        )
