"""Briefing exports: the current view as a figure, table, interactive map or the whole pack."""

from __future__ import annotations

import streamlit as st

from geo.catalogue import Catalogue
from geo.exports import export_bytes, file_name, media_type
from geo.scenarios import ActiveScenario
from geo.text import markdown_escape
from pages._cached import scenario_results
from pages._session import page_view
from pages._team import team_annotations

FORMATS = ("png", "svg", "pdf", "xlsx", "csv", "html", "md", "zip")


@st.cache_resource(show_spinner=False, max_entries=8)
def _preview(
    key: tuple[object, ...],
    _catalogue: Catalogue,
    _active: ActiveScenario,
    _weights: dict[str, float] | None,
    corridors: tuple[str, ...],
    preset: str,
    basemap: str,
    lang: str,
) -> bytes:
    """The briefing figure as it will be downloaded (PNG), made once per view (`key`)."""
    return export_bytes(
        _catalogue,
        _active,
        "png",
        corridors=list(corridors),
        preset=preset,
        weights=_weights,
        basemap=basemap,
        lang=lang,
    )


view = page_view()
catalogue, t = view.catalogue, view.t
active = scenario_results(view)[0]

st.title(t("exportpage.page_title"))
st.caption(
    t(
        "exportpage.intro",
        scenario=markdown_escape(view.name(active.scenario)),
        count=len(view.corridors),
    )
)
left, right = st.columns([2, 1])
with left:
    fmt = st.selectbox(
        t("exportpage.file"),
        FORMATS,
        format_func=lambda f: t(f"exportpage.format.{f}"),
        key="export_format",
    )
with right:
    preset = st.radio(
        t("exportpage.size"),
        ["slide", "a4"],
        horizontal=True,
        key="export_preset",
        format_func=lambda p: t(f"exportpage.preset.{p}"),
    )
request = (
    fmt,
    preset,
    active.scenario.model_dump_json(),
    tuple(view.corridors),
    view.state.weights,
    view.cache_key,
    view.commodity,
    view.lang,
)
if not view.corridors:
    st.info(t("app.choose_corridor"))
elif st.button(t("exportpage.prepare"), type="primary", key="export_prepare"):
    with st.status(
        t("exportpage.making", what=t(f"exportpage.format.{fmt}")), expanded=False
    ) as status:
        try:
            data = export_bytes(
                catalogue,
                active,
                fmt,
                corridors=view.corridors,
                preset=preset,
                weights=view.state.weights_dict(),
                basemap=view.basemap,
                lang=view.lang,
                notes=team_annotations(t),  # the team's notes, in the Markdown summary
            )
        except ValueError as exc:
            status.update(label=t("exportpage.failed", error=markdown_escape(exc)), state="error")
        else:
            st.session_state["export_ready"] = (request, data)
            status.update(label=t("exportpage.ready", size=f"{len(data):,}"), state="complete")
ready = st.session_state.get("export_ready")
if ready and ready[0] == request:
    st.download_button(
        t("exportpage.download", fmt=fmt),
        ready[1],
        file_name=file_name(active, fmt),
        mime=media_type(fmt),
        key="export_download",
    )
if fmt in ("png", "svg", "pdf", "zip"):
    st.caption(t("exportpage.figure_note"))

if view.corridors:
    st.subheader(t("exportpage.preview"))
    st.caption(t("exportpage.preview_note"))
    picture = _preview(
        request[1:],
        catalogue,
        active,
        view.state.weights_dict(),
        tuple(view.corridors),
        preset,
        view.basemap,
        view.lang,
    )
    st.image(picture, width="stretch")
