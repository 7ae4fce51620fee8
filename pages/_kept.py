"""
The Catalogue page's team sections: a usable upload kept for the team with its validation
report, the kept catalogues to pick from, and what changed between the catalogue in use and
a kept one (an upload, or the catalogue a saved view was made on).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo.catalogue import Catalogue
from geo.changelog import change_lines, changelog
from geo.i18n import ENGLISH, Translate
from geo.loader import content_key
from geo.text import markdown_escape
from geo.yamlread import upload_limits
from pages._session import STATE_CATALOGUE, use_uploaded_catalogue
from pages._team import (
    current_user,
    login_configured,
    report,
    report_problem,
    short_date,
    show_outcome,
    store_problem,
    stored_catalogue,
    team_store,
)
from store import StoredCatalogue, StoreError


def keep_upload(data: bytes, name: str, problems: list[Any], upload_id: str, t: Translate) -> None:
    """Keep a usable upload for the team, with its report (read in English), once per upload."""
    catalogue: Catalogue = st.session_state[STATE_CATALOGUE]
    if login_configured() and current_user() is None:
        return  # with sign-in configured, only signed-in users keep catalogues for the team
    try:
        kept = team_store().save_catalogue(
            key=f"upload:{upload_id}"[:80],
            name=name[:120] or "catalogue.yaml",
            text=data.decode("utf-8"),
            version=catalogue.meta.version,
            content_hash=content_key(catalogue),
            report=[p.render(ENGLISH) for p in problems],
            uploader=current_user(),
            max_bytes=upload_limits().max_bytes,
        )
    except (StoreError, UnicodeDecodeError) as exc:
        if isinstance(exc, StoreError):
            report_problem(exc, t)
        return
    report("success", t("stored.kept", name=markdown_escape(kept.name)))


def _label(entry: StoredCatalogue, t: Translate) -> str:
    return t(
        "stored.row",
        name=entry.name,
        version=entry.version,
        uploader=entry.uploader or t("saved.anonymous"),
        date=short_date(entry.created),
        size=f"{entry.size / 1024:,.0f}",
    )


def kept_catalogues(t: Translate, lang: str) -> None:
    """The kept catalogues to pick from, and the change log against the catalogue in use."""
    show_outcome()
    try:
        every = team_store().catalogues(uploaded_only=False)
    except StoreError as exc:
        store_problem(exc, t)
        return
    uploads = [entry for entry in every if entry.uploaded]
    with st.expander(t("stored.title"), expanded=False, key="stored_catalogues"):
        st.caption(t("stored.intro"))
        if not uploads:
            st.caption(t("stored.none"))
        else:
            kept = {entry.id: entry for entry in uploads}
            picked = st.selectbox(
                t("stored.pick"),
                list(kept),
                format_func=lambda i: _label(kept[i], t) if i in kept else str(i),
                key="stored_pick",
            )
            entry = kept[picked]
            if entry.report:
                st.caption(t("stored.report"))
                st.code("\n".join(entry.report), language=None)
            else:
                st.caption(t("stored.report_clean"))
            st.button(t("stored.use"), key="stored_use", on_click=_use, args=(entry, t))
    current: Catalogue = st.session_state[STATE_CATALOGUE]
    others = [entry for entry in every if entry.content_hash != content_key(current)]
    with st.expander(t("changelog.title"), expanded=False, key="catalogue_changes"):
        if not others:
            st.caption(t("stored.none"))
            return
        compared = {entry.id: entry for entry in others}
        picked = st.selectbox(
            t("changelog.compare_with"),
            list(compared),
            format_func=lambda i: _label(compared[i], t) if i in compared else str(i),
            key="changelog_pick",
        )
        older = stored_catalogue(picked, compared[picked].content_hash)
        if older is None:
            name = markdown_escape(compared[picked].name)
            st.warning(t("stored.unusable", name=name, count="?"))
            return
        lines = change_lines(changelog(older, current), current, t=t, lang=lang)
        st.markdown(
            t(
                "changelog.versions",
                old=markdown_escape(older.meta.version),
                new=markdown_escape(current.meta.version),
            )
        )
        if not lines:
            st.caption(t("changelog.none"))
        st.markdown("\n".join(f"- {markdown_escape(line)}" for line in lines))


def _use(entry: StoredCatalogue, t: Translate) -> None:
    """Work on a kept catalogue in this session (a button's callback, before the page runs)."""
    try:
        text = team_store().catalogue_text(entry.id)
    except StoreError as exc:
        report_problem(exc, t)
        return
    problems = use_uploaded_catalogue((text or "").encode("utf-8"), entry.name)
    errors = [p for p in problems if p.severity == "error"]
    if text is None or errors:
        name = markdown_escape(entry.name)
        report("error", t("stored.unusable", name=name, count=len(errors)))
        return
    report("success", t("stored.using", name=markdown_escape(entry.name)))
