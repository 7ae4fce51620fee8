"""Sources & method: the bibliography behind every figure, and how each metric is computed."""

from __future__ import annotations

import streamlit as st

from geo.i18n import localized
from geo.text import markdown_escape
from geo.validate import DATED_AFTER_YEARS, catalogue_year, dated_figures, figure_label
from pages._session import page_view

view = page_view()
catalogue, t = view.catalogue, view.t

st.title(t("sources.title"))
# Which catalogue every figure below comes from, as exports and links cite it.
st.caption(t("sources.catalogue", version=catalogue.meta.version, hash=view.catalogue_key))
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

# Figures that describe a year long before the catalogue's date: they may no longer hold.
dated = dated_figures(catalogue)
st.subheader(t("sources.dated_title", count=len(dated)))
year = catalogue_year(catalogue)
if year is not None:
    st.caption(t("sources.dated_intro", limit=DATED_AFTER_YEARS, year=year))
if dated:
    st.dataframe(
        [
            {
                t("sources.dated_figure"): figure_label(catalogue, key),
                t("sources.dated_as_of"): figure.as_of,
                t("sources.dated_value"): figure.value,
                t("sources.dated_sources"): ", ".join(figure.sources),
                t("compare.note"): figure.note or "",
            }
            for key, figure in dated
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.markdown(t("sources.dated_none"))

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
        chokepoints=weights.chokepoints,
        cap=catalogue.parameters.exposure.border_crossings_cap,
    )
)
st.caption(markdown_escape(catalogue.parameters.exposure.method))
