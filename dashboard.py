"""Corridor Atlas: `streamlit run dashboard.py`. Pages live in pages/; the engine in geo/."""

import streamlit as st

from geo import settings
from geo.i18n import translator
from geo.viewstate import link_language

st.set_page_config(page_title="Corridor Atlas", page_icon=":world_map:", layout="wide")
try:
    settings.get()  # an operator's CORRIDOR_ATLAS_<NAME> that is no number: say which, stop
except settings.SettingsError as exc:
    st.error(str(exc))
    st.stop()
t = translator(link_language({key: st.query_params.get(key, "") for key in st.query_params}))

navigation = st.navigation(
    [
        st.Page("pages/map.py", title=t("nav.map"), url_path="map", default=True),
        st.Page("pages/compare.py", title=t("nav.compare"), url_path="compare"),
        st.Page("pages/routes.py", title=t("nav.routes"), url_path="routes"),
        st.Page("pages/decisions.py", title=t("nav.decisions"), url_path="decisions"),
        st.Page("pages/export.py", title=t("nav.export"), url_path="export"),
        st.Page("pages/saved.py", title=t("nav.saved"), url_path="saved"),
        st.Page("pages/catalogue.py", title=t("nav.catalogue"), url_path="catalogue"),
        st.Page("pages/sources.py", title=t("nav.sources"), url_path="sources"),
    ]
)
navigation.run()
