"""Sources & method: the bibliography behind every figure, and how each metric is computed."""

from __future__ import annotations

import streamlit as st

from geo.i18n import localized
from geo.text import markdown_escape
from pages._session import page_view

view = page_view()
catalogue, t = view.catalogue, view.t

st.title(t("sources.title"))
st.markdown(markdown_escape(localized(catalogue.meta, view.lang, "description")))

st.subheader(t("sources.bibliography", count=len(catalogue.sources)))
url = t("sources.url")
st.dataframe(
    [
        {
            "id": s.id,
            t("sources.source_title"): s.title,
            t("sources.publisher"): s.publisher,
            t("sources.year"): s.year,
            url: s.url if s.url and s.url.startswith(("http://", "https://")) else None,
            t("sources.accessed"): s.accessed.isoformat(),
            t("sources.quality"): t(f"sources.quality.{s.quality}"),
            t("compare.note"): s.note or "",
        }
        for s in catalogue.sources
    ],
    column_config={url: st.column_config.LinkColumn(url)},
    hide_index=True,
    width="stretch",
)

st.subheader(t("sources.method_title"))
st.markdown(t("sources.method"))
st.markdown(f"#### {t('sources.exposure_title')}")
weights = catalogue.parameters.exposure.weights
st.markdown(
    t(
        "sources.weights",
        instability=weights.instability,
        sanctions=weights.sanctions,
        gatekeepers=weights.gatekeepers,
        borders=weights.borders,
        cap=catalogue.parameters.exposure.border_crossings_cap,
    )
)
st.caption(markdown_escape(catalogue.parameters.exposure.method))
