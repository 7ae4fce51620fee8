"""Catalogue: every node, leg, corridor and country as a table, and the validation report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.catalogue import Figure
from geo.i18n import localized
from geo.text import markdown_escape
from geo.yamlread import upload_limits
from pages._kept import keep_upload, kept_catalogues
from pages._session import (
    STATE_CATALOGUE_NAME,
    STATE_PROBLEMS,
    STATE_UPLOAD_ERRORS,
    current_catalogue_bytes,
    page_view,
    use_uploaded_catalogue,
)

view = page_view()
catalogue, t = view.catalogue, view.t


def cite(figure: Figure | None) -> str:
    if figure is None:
        return ""
    if figure.sources:
        return ", ".join(figure.sources)
    return t("catalogue.estimate", method=figure.estimate)


st.title(t("catalogue.title"))
st.caption(
    t(
        "catalogue.summary",
        file=markdown_escape(st.session_state.get(STATE_CATALOGUE_NAME, "corridors.yaml")),
        title=markdown_escape(localized(catalogue.meta, view.lang, "title")),
        version=markdown_escape(catalogue.meta.version),
        corridors=len(catalogue.corridors),
        nodes=len(catalogue.nodes),
        legs=len(catalogue.legs),
        sources=len(catalogue.sources),
    )
)

with st.expander(t("catalogue.upload_title"), expanded=False):
    st.markdown(t("catalogue.upload_help", limit=upload_limits().max_bytes // 1024 // 1024))
    upload = st.file_uploader(
        t("catalogue.upload_label"), type=["yaml", "yml"], key="catalogue_upload"
    )
    if upload is not None and st.session_state.get("upload_seen") != upload.file_id:
        st.session_state["upload_seen"] = upload.file_id
        found = use_uploaded_catalogue(upload.getvalue(), upload.name)
        errors = [p for p in found if p.severity == "error"]
        st.session_state[STATE_UPLOAD_ERRORS] = (upload.name, errors)
        if not errors:
            keep_upload(upload.getvalue(), upload.name, found, upload.file_id, t)  # for the team
            st.rerun()
    failed = st.session_state.get(STATE_UPLOAD_ERRORS)
    if failed and failed[1]:
        st.error(
            t("catalogue.upload_failed", name=markdown_escape(failed[0]), count=len(failed[1]))
        )
        st.code("\n".join(p.render(t) for p in failed[1]), language=None)
    name, data = current_catalogue_bytes()
    st.download_button(t("catalogue.download"), data, file_name=name, mime="application/x-yaml")

kept_catalogues(t, view.lang)  # catalogues kept for the team, and what changed against one

problems = st.session_state.get(STATE_PROBLEMS, [])
with st.expander(t("catalogue.report", count=len(problems)), expanded=False):
    if problems:
        st.code("\n".join(p.render(t) for p in problems), language=None)
    else:
        st.success(t("catalogue.no_problems"))

tabs = st.tabs(
    [t(f"catalogue.tab.{tab}") for tab in ("corridors", "legs", "nodes", "countries", "scenarios")]
)
with tabs[0]:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": c.id,
                    t("catalogue.name"): view.name(c),
                    t("legs.status"): t(f"status.{c.status.value}"),
                    t("catalogue.direction"): localized(c, view.lang, "direction"),
                    t("catalogue.legs"): len(c.legs),
                    t("catalogue.description"): localized(c, view.lang, "description"),
                }
                for c in catalogue.corridors
            ]
        ),
        hide_index=True,
        width="stretch",
    )
with tabs[1]:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": leg.id,
                    t("legs.from"): view.name(catalogue.node(leg.from_)),
                    t("legs.to"): view.name(catalogue.node(leg.to)),
                    t("legs.mode"): t(f"mode.{leg.mode.value}"),
                    t("legs.gauge"): leg.gauge_mm,
                    t("legs.status"): t(f"status.{leg.status.value}"),
                    t("legs.distance"): leg.distance_km.value,
                    t("catalogue.distance_source"): cite(leg.distance_km),
                    t("compare.note"): leg.note or "",
                }
                for leg in catalogue.legs
            ]
        ),
        hide_index=True,
        width="stretch",
    )
with tabs[2]:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": n.id,
                    t("catalogue.name"): view.name(n),
                    t("catalogue.kind"): t(f"symbol.{n.kind.value}"),
                    t("catalogue.country"): view.name(catalogue.country(n.country)),
                    t("catalogue.lat"): n.lat,
                    t("catalogue.lon"): n.lon,
                    t("catalogue.gauge_break"): n.gauge_break,
                    t("catalogue.dwell"): n.dwell_hours.value if n.dwell_hours else None,
                    t("catalogue.dwell_source"): cite(n.dwell_hours),
                    t("catalogue.handling"): n.handling_usd_per_feu.value
                    if n.handling_usd_per_feu
                    else None,
                    t("catalogue.coordinates"): n.coordinates_basis,
                }
                for n in catalogue.nodes
            ]
        ),
        hide_index=True,
        width="stretch",
    )
with tabs[3]:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("catalogue.code"): c.code,
                    t("catalogue.name"): view.name(c),
                    t("catalogue.blocs"): ", ".join(c.blocs),
                    t("catalogue.sanctions"): ", ".join(c.sanctions),
                    t("catalogue.gatekeeper"): c.gatekeeper,
                    t("catalogue.wgi"): c.stability_percentile.value,
                    t("legs.sources"): cite(c.stability_percentile),
                    t("catalogue.oecd"): c.oecd_risk.value if c.oecd_risk else None,
                }
                for c in catalogue.countries
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(t("catalogue.oecd_caveat"))
with tabs[4]:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": s.id,
                    t("catalogue.name"): view.name(s),
                    t("catalogue.description"): localized(s, view.lang, "description"),
                    t("catalogue.rationale"): localized(s, view.lang, "rationale"),
                    t("catalogue.closes"): ", ".join(
                        [*s.close_countries, *s.close_nodes, *s.close_legs]
                    ),
                    t("catalogue.opens"): ", ".join(s.open_legs),
                }
                for s in catalogue.scenarios
            ]
        ),
        hide_index=True,
        width="stretch",
    )
