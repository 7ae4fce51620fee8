"""The trip in the sidebar (AppTest): from the link, from a preset question, and what it draws."""

from __future__ import annotations

from geo.catalogue import Catalogue
from tests.test_pages import app, keyed, map_table


def test_a_trip_in_the_link_shows_only_its_corridors_trimmed_to_it(real: Catalogue) -> None:
    at = app(origin="kazakhstan-hubs", market="japan")
    assert not at.exception, at.exception
    table = map_table(at, real)
    catalogued = {i for i in table.index if isinstance(i, str)}
    assert {"lianyungang", "northern-pacific", "caspian-japan"} <= catalogued
    assert "northern" not in catalogued and "suez" not in catalogued
    assert keyed(at.sidebar.selectbox, "trip_origin_").value == "kazakhstan-hubs"
    assert keyed(at.sidebar.selectbox, "trip_market_").value == "japan"
    header = " ".join(m.value for m in at.markdown)
    assert "Kazakhstan \\(Almaty and Altynkol hubs\\) → Japan" in header


def test_a_preset_question_fills_the_controls_and_the_link(real: Catalogue) -> None:
    at = app()
    question = keyed(at.sidebar.selectbox, "trip_question_")
    question.select("rare-earths-japan-without-china").run()
    assert not at.exception, at.exception
    assert keyed(at.sidebar.selectbox, "trip_origin_").value == "kz-rare-earths"
    assert keyed(at.sidebar.selectbox, "trip_cargo_").value == "rare-earths"
    assert keyed(at.sidebar.multiselect, "trip_avoid_").value == ["CN"]
    params = {k: v if isinstance(v, str) else v[0] for k, v in at.query_params.items()}
    assert params["origin"] == "kz-rare-earths" and params["market"] == "japan"
    assert params["cargo"] == "rare-earths" and params["close_c"] == "CN"


def test_uranium_says_which_ports_it_may_not_use(real: Catalogue) -> None:
    at = app(origin="kz-uranium-south", market="eu", cargo="uranium")
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Not open to Uranium ore concentrate" in captions
    assert "Lianyungang" in captions
    table = map_table(at, real)
    assert "uranium-st-petersburg" in table.index


def test_a_bad_trip_in_the_link_falls_back_to_every_corridor_with_a_notice(
    real: Catalogue,
) -> None:
    at = app(origin="japan", market="kazakhstan-hubs", cargo="<b>plutonium</b>")
    assert not at.exception, at.exception
    notices = " ".join(w.value for w in at.sidebar.warning)
    assert "not a known origin and market" in notices
    assert "Unknown cargo" in notices
    assert set(map_table(at, real).index) >= {"northern", "lianyungang", "suez"}


def test_the_route_finder_page_follows_the_cargo(real: Catalogue) -> None:
    from geo.routing import find_routes
    from geo.scenarios import apply_scenario

    uranium = apply_scenario(real, "baseline", "uranium")
    expected = find_routes(real, uranium, "suzak-uranium", "baltimore")
    containers = find_routes(real, apply_scenario(real), "suzak-uranium", "baltimore")
    assert [r.metrics.distance_km for r in expected] != [
        r.metrics.distance_km for r in containers
    ], "the cargo should change the answer"
    at = app(cargo="uranium")
    at.switch_page("pages/routes.py")
    at.query_params["from"] = "suzak-uranium"
    at.query_params["to"] = "baltimore"
    at.run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    distances = [int(d) for d in table["distance (km)"]]
    assert distances == [round(r.metrics.distance_km) for r in expected]


def test_the_export_page_previews_the_figure_for_the_view() -> None:
    def images(at: object) -> list[object]:
        found: list[object] = []

        def walk(node: object) -> None:
            for child in getattr(node, "children", {}).values():
                if type(child).__name__ == "Image":
                    found.append(child)
                walk(child)

        walk(at._tree)  # type: ignore[attr-defined]
        return found

    def preview(**params: str) -> str:
        at = app("pages/export.py", origin="kazakhstan-hubs", market="japan", **params)
        assert not at.exception, at.exception
        assert [s.value for s in at.subheader] == ["Preview"]
        shown = images(at)
        assert len(shown) == 1
        return str(shown[0].proto.imgs[0].url)  # type: ignore[attr-defined]  # named by content

    baseline = preview()
    assert preview() == baseline  # the same view, the same picture
    assert preview(scenario="red-sea-closed") != baseline  # the Suez route closes: redrawn
