"""Every page runs under AppTest against the real catalogue and shows what it promises."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.catalogue import Catalogue
from geo.i18n import translator
from geo.loader import content_key
from geo.mapdata import map_data
from geo.metrics import evaluate_all
from geo.palette import corridor_styles
from geo.scenarios import apply_scenario
from geo.summary import best_corridors, summary
from geo.text import markdown_escape
from geo.viewstate import WEIGHT_KEYS
from pages._session import STATE_CATALOGUE_KEY
from tests.conftest import REPO, TINY

PAGES = ["pages/map.py", "pages/compare.py", "pages/catalogue.py", "pages/sources.py"]


def keyed(widgets: Any, prefix: str) -> Any:
    """The one widget whose key starts with `prefix` (keys end in the catalogue's hash)."""
    found = [w for w in widgets if str(w.key or "").startswith(prefix)]
    assert len(found) == 1, [w.key for w in widgets]
    return found[0]


def app(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


class _Cells(HTMLParser):
    """Rows of (text, bold) cells from the map page's HTML table."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, bool]]] = []
        self.bold = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append(("", False))
        self.bold = self.bold or tag == "b"

    def handle_endtag(self, tag: str) -> None:
        self.bold = self.bold and tag != "b"

    def handle_data(self, data: str) -> None:
        if self.rows and self.rows[-1]:
            text, bold = self.rows[-1][-1]
            self.rows[-1][-1] = (text + data, bold or self.bold)


def map_cells(at: AppTest) -> list[list[tuple[str, bool]]]:
    """The map page's comparison table as the reader sees it: (text, bold) per cell."""
    (table,) = [h.value for h in at.html if "<table>" in h.value]
    parser = _Cells()
    parser.feed(table.split("</style>")[-1])
    return parser.rows


def map_table(at: AppTest, catalogue: Catalogue) -> pd.DataFrame:
    """The map page's comparison as numbers, indexed by corridor id."""
    header, *body = map_cells(at)

    def value(raw: str) -> object:
        if raw in ("✓", "✗"):
            return raw == "✓"
        try:  # a total reads "typical (low–high)": the typical is its value
            return float(raw.split(" (", maxsplit=1)[0].replace(",", ""))
        except ValueError:
            return raw

    columns = [value(text) for text, _ in header]
    frame = pd.DataFrame([[value(text) for text, _ in row] for row in body], columns=columns)
    ids = {c.name: c.id for c in catalogue.corridors}
    if_open = translator("en")  # a planned or shut corridor is named "… (if open)"
    ids |= {if_open("figures.named_if_open", name=c.name): c.id for c in catalogue.corridors}
    return frame.set_index(frame["corridor"].map(ids))


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(page: str) -> None:
    at = app(page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_map_page_table_lists_every_corridor_with_the_best_values_in_bold(
    real: Catalogue,
) -> None:
    at = app()
    table = map_table(at, real)
    assert sorted(table.index) == sorted(c.id for c in real.corridors)
    header, *body = map_cells(at)
    best = best_corridors(summary(real, apply_scenario(real)))
    sea = next(c for c in ("suez", "suez-cape") if c in best["exposure_score"])  # least exposed
    row = next(row for row in body if row[0][0].startswith(real.corridor(sea).name))
    column = [text for text, _ in header].index("exposure (0-100)")
    assert row[column] == (f"{table.loc[sea, 'exposure (0-100)']:.1f}", True)
    bold = {row[0][0] for row in body if row[column][1]}
    assert bold == {real.corridor(c).name for c in best["exposure_score"]}


def test_map_component_loads_only_local_scripts_and_styles() -> None:
    at = app()
    (component,) = at.get("component_instance")
    args = json.loads(component.proto.json_args)
    links = args["js_links"] + args["css_links"]
    assert any(link.endswith("/leaflet.js") for link in links)
    assert links and all(link.startswith("/app/static/vendor/") for link in links), links
    # source links inside popups are fine (clicked, never fetched); tiles and scripts are not
    assert "L.tileLayer" not in args["script"]
    assert "https://" not in args["header"]


def test_headline_names_the_best_passable_corridor_per_market(real: Catalogue) -> None:
    at = app()
    data = summary(real, apply_scenario(real))
    best = best_corridors(data)
    text = [m.value for m in at.markdown]
    captions = [c.value for c in at.caption]
    assert {"Cheapest", "Fastest", "Fewest hops", "Lowest exposure"} <= set(captions)
    markets = {r["market"] for r in data["corridors"]}
    assert all(any(f"**{markdown_escape(market)}**" in t for t in text) for market in markets)
    for column in ("cost_usd_per_feu", "transit_days", "exposure_score"):
        for winner in best[column]:
            assert any(
                t.startswith(f"**{markdown_escape(real.corridor(winner).name)}**") for t in text
            ), winner
    assert {"suez", "suez-cape"} & set(best["exposure_score"])  # deep sea: least exposed


def test_scenario_from_the_url_marks_northern_impassable(real: Catalogue) -> None:
    at = app(scenario="russia-transit-closed")
    assert keyed(at.sidebar.selectbox, "sidebar_scenario_").value == "russia-transit-closed"
    table = map_table(at, real)
    assert not table.loc["northern", "passable"]
    assert table.loc["middle-corridor", "passable"]
    assert "closed" in table.loc["northern", "blocked by"]


def test_changing_the_scenario_in_the_sidebar_updates_table_and_url(real: Catalogue) -> None:
    at = app()
    assert map_table(at, real).loc["northern", "passable"]
    keyed(at.sidebar.selectbox, "sidebar_scenario_").select("russia-transit-closed").run()
    assert not map_table(at, real).loc["northern", "passable"]
    assert at.query_params["scenario"] in ("russia-transit-closed", ["russia-transit-closed"])


def test_bad_query_parameters_fall_back_with_a_notice() -> None:
    at = app(scenario="<script>alert(1)</script>", corridors="nope,khorgos", basemap="x" * 500)
    assert not at.exception
    assert keyed(at.sidebar.selectbox, "sidebar_scenario_").value == "baseline"
    assert keyed(at.sidebar.multiselect, "sidebar_corridors_").value == ["khorgos"]
    notices = " ".join(w.value for w in at.sidebar.warning)
    assert "Unknown scenario" in notices and "Unknown basemap" in notices


def test_selecting_a_corridor_shows_its_legs(real: Catalogue) -> None:
    at = app()
    at.selectbox(key="select_corridor").select("middle-corridor").run()
    (legs_table,) = [d.value for d in at.dataframe]
    assert len(legs_table) == len(real.corridor("middle-corridor").legs)
    assert at.query_params["select"] in ("middle-corridor", ["middle-corridor"])


def test_compare_page_keeps_calibration_targets_out_of_the_validation_table(
    real: Catalogue,
) -> None:
    at = app("pages/compare.py")
    frames = [d.value for d in at.dataframe if "what it measures" in d.value.columns]
    validation, calibration = frames  # validation first, then the calibration targets
    roles = {b.id: b.role for b in real.benchmarks}
    figures = {
        role: sum(
            (b.transit_days is not None) + (b.cost_usd_per_feu is not None)
            for b in real.benchmarks
            if b.role == role
        )
        for role in ("validation", "calibration")
    }
    assert len(validation) == figures["validation"]
    assert len(calibration) == figures["calibration"]
    assert "inside the model's range" in validation.columns
    assert "inside the model's range" not in calibration.columns
    assert set(roles.values()) == {"validation", "calibration"}
    score = next(m.value for m in at.markdown if "validation benchmarks fall inside" in m.value)
    assert f"of {sum(r == 'validation' for r in roles.values())}**" in score


def test_compare_page_names_both_benchmark_groups_in_chinese() -> None:
    at = app("pages/compare.py", lang="zh")
    assert not at.exception
    headings = [m.value for m in at.markdown]
    assert any("验证" in h for h in headings) and any("校准目标" in h for h in headings)
    tables = [d.value for d in at.dataframe if "测量范围" in d.value.columns]
    assert len(tables) == 2
    assert "是否落在模型区间内" in tables[0].columns


def test_sources_page_lists_the_bibliography(real: Catalogue) -> None:
    at = app("pages/sources.py")
    assert len(at.dataframe[0].value) == len(real.sources)
    key = content_key(real)
    assert f"Catalogue version {real.meta.version}, content hash {key}" in at.caption[0].value
    assert at.query_params["v"] in (f"{real.meta.version}-{key}", [f"{real.meta.version}-{key}"])


def test_a_link_made_with_another_catalogue_opens_with_a_notice_not_an_error() -> None:
    at = app(scenario="baseline", v="1.0.0-abc123")
    assert not at.exception and not at.error
    notices = " ".join(w.value for w in at.sidebar.warning)
    assert markdown_escape("made with catalogue 1.0.0 (abc123); figures may differ") in notices


def test_invalid_default_catalogue_shows_the_problems_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, write_yaml
) -> None:
    path = write_yaml("meta: {title: x}\nlegs: [1, 2\n")
    monkeypatch.setenv("CORRIDOR_ATLAS_CATALOGUE", str(path))
    at = app()
    assert not at.exception
    assert "YAML syntax" in at.error[0].value and markdown_escape(f"{path}:") in at.error[0].value


def test_catalogue_problems_are_shown_in_the_reader_s_language(
    monkeypatch: pytest.MonkeyPatch, write_yaml
) -> None:
    from tests.conftest import tiny_variant

    path = write_yaml(tiny_variant("lat: 0, lon: 3.0", "lat: 95, lon: 3.0"))
    monkeypatch.setenv("CORRIDOR_ATLAS_CATALOGUE", str(path))
    at = app(lang="zh")
    assert not at.exception
    assert "输入值应小于或等于 90，实际为 95" in at.error[0].value
    assert "Input should" not in at.error[0].value and "input should" not in at.error[0].value


def open_adjustments(at: AppTest) -> None:
    """Open "Adjust the scenario" as a click would (its state lives under its key)."""
    at.session_state[f"adjust_{at.session_state[STATE_CATALOGUE_KEY]}"] = True
    at.run()


def test_the_fine_controls_are_built_only_while_adjust_is_open(real: Catalogue) -> None:
    at = app()
    assert [m.label for m in at.sidebar.multiselect] == ["Avoid countries", "Corridors"]
    assert not at.sidebar.slider
    open_adjustments(at)
    assert "Close nodes" in [m.label for m in at.sidebar.multiselect]
    assert len(at.sidebar.slider) == 2 + len(WEIGHT_KEYS)
    adjusted = app(cost=1.5)  # a link with adjustments opens it
    assert len(adjusted.sidebar.slider) == 2 + len(WEIGHT_KEYS)
    adjusted.session_state[f"adjust_{adjusted.session_state[STATE_CATALOGUE_KEY]}"] = False
    adjusted.run()  # closed, the adjustments still apply and stay in the link
    assert not adjusted.sidebar.slider
    assert map_table(adjusted, real).loc["middle-corridor", "Δ cost (USD/FEU)"] > 0
    assert adjusted.query_params["cost"] in ("1.5", ["1.5"])


def test_sidebar_toggles_close_a_country_and_scale_costs(real: Catalogue) -> None:
    at = app()
    before = map_table(at, real).loc["middle-corridor", "cost (USD/FEU)"]
    open_adjustments(at)
    countries = next(m for m in at.sidebar.multiselect if m.label == "Avoid countries")
    countries.select("AZ").run()
    table = map_table(at, real)
    assert not table.loc["middle-corridor", "passable"]
    assert table.loc["northern", "passable"]
    assert at.query_params["close_c"] in ("AZ", ["AZ"])
    assert any("Transit through Azerbaijan closed" in m.value for m in at.sidebar.markdown)
    cost = next(s for s in at.sidebar.slider if s.label.startswith("All costs"))
    cost.set_value(2.0).run()
    after = map_table(at, real).loc["middle-corridor", "cost (USD/FEU)"]
    assert after == pytest.approx(2 * before, rel=0.01)
    assert map_table(at, real).loc["middle-corridor", "Δ cost (USD/FEU)"] == pytest.approx(
        after - before, abs=10
    )  # the costs are shown to the nearest 10


def test_compare_page_sets_two_scenarios_side_by_side() -> None:
    at = app("pages/compare.py", scenario="middle-corridor-2030")
    side = at.dataframe[-1].value
    assert "Δ days" in side.columns and "days (baseline)" in side.columns
    assert "days (middle-corridor-2030)" in side.columns
    mc = side[side["corridor"].str.startswith("Middle Corridor (TITR), Black")].iloc[0]
    assert mc["Δ days"] < 0


def test_scenario_and_corridor_prose_follow_the_language(real: Catalogue) -> None:
    at = app(lang="zh", scenario="russia-transit-closed", select="northern")
    chinese = real.scenario("russia-transit-closed").description_zh
    assert chinese and markdown_escape(chinese) in [c.value for c in at.sidebar.caption]
    corridor = real.corridor("northern").description_zh
    assert corridor and any(markdown_escape(corridor) in m.value for m in at.markdown)
    english = app(scenario="russia-transit-closed")
    described = markdown_escape(real.scenario("russia-transit-closed").description)
    assert described in [c.value for c in english.sidebar.caption]


def test_prose_without_a_chinese_text_falls_back_to_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.conftest import TINY

    monkeypatch.setenv("CORRIDOR_ATLAS_CATALOGUE", str(TINY))
    at = app(lang="zh")
    assert markdown_escape("The network as catalogued") not in " ".join(
        c.value for c in at.sidebar.caption
    )
    assert "As is" in " ".join(c.value for c in at.sidebar.caption)


def map_script(at: AppTest) -> str:
    """The scripts st_folium hands to the map's iframe: the map's, then its layers' (the
    feature group it swaps in place on a scenario change)."""
    (component,) = at.get("component_instance")
    args = json.loads(component.proto.json_args)
    return args["script"] + "\n" + (args["feature_group"] or "")


def map_config(script: str) -> dict:
    """The configuration the map's scripts hand `geo/web/map.js`: the map's own
    (`CorridorAtlas.draw`) with its layers' (`CorridorAtlas.update`) merged in."""
    call = re.search(r"window\.CorridorAtlas\.draw\(map_\w+, ", script)
    assert call, script[:500]
    config = json.JSONDecoder().raw_decode(script, call.end())[0]
    update = re.search(r"window\.CorridorAtlas\.update\(map_\w+, ", script)
    if update:
        assert config["live"], "layers apart from a map that draws its own"
        config |= json.JSONDecoder().raw_decode(script, update.end())[0]
    return config


def test_the_operator_s_map_data_is_fetched_from_a_published_file(
    real: Catalogue, published: Path
) -> None:
    """Kept out of Streamlit's message: the script names a file, which holds the whole map."""
    at = app()
    script = map_script(at)
    config = map_config(script)
    fetched = re.fullmatch(r"/app/static/maps/([0-9a-f]{64}\.json)", config["dataUrl"])
    assert fetched, config["dataUrl"]
    assert config["data"] is None
    path = published / fetched[1]
    text = path.read_text(encoding="utf-8")
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() + ".json" == path.name
    results = evaluate_all(real, apply_scenario(real))
    styles = corridor_styles(real)
    expected = map_data(real, results, styles, t=translator("en"), lang="en").bundle
    assert text == expected  # the map's data, every corridor and node, nothing else
    corridors = {f"corridor:{c.id}" for c in real.corridors}
    assert set(json.loads(text)["parts"]) == {*corridors, "nodes"}
    assert text not in script


def test_an_uploaded_catalogue_s_map_data_stays_in_the_session_and_off_the_disk(
    published: Path,
) -> None:
    """An upload is one session's own: its data is embedded, never published for anyone to fetch."""
    at = app("pages/catalogue.py")
    before = sorted(published.iterdir())  # the operator's map, drawn on the first run
    upload = TINY.read_bytes()
    at.file_uploader(key="catalogue_upload").set_value(("mine.yaml", upload, "application/x-yaml"))
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state["catalogue_uploaded"] is True
    at.switch_page("pages/map.py")
    at.run()
    script = map_script(at)
    config = map_config(script)
    assert config["dataUrl"] is None
    assert "/app/static/maps" not in script
    tiles = [source["url"] for source in config["basemap"]["sources"]]
    assert [url.split("?")[0] for url in tiles] == [  # fetched: the basemap's tiles
        "/app/static/vendor/corridor-atlas/basemap-low.pmtiles",
        "/app/static/vendor/corridor-atlas/basemap-high.pmtiles",
    ]
    parts = set(config["data"]["parts"])
    assert parts == {"corridor:main", "corridor:onward", "nodes"}  # the upload's map, embedded
    assert sorted(published.iterdir()) == before  # nothing written for it


def test_above_many_corridors_the_sidebar_offers_all_and_the_table_is_folded(
    real: Catalogue, settings: Any
) -> None:
    """Hundreds of chips and table rows cost the browser seconds; they wait until asked for."""
    count = len(real.corridors)
    settings.set(many_corridors=count - 1)
    at = app()
    every = at.toggle(key=f"sidebar_all_corridors_{at.session_state[STATE_CATALOGUE_KEY]}")
    assert every.label == f"All {count} corridors" and every.value is True
    assert "Corridors" not in [m.label for m in at.sidebar.multiselect]
    assert len(at.get("component_instance")) == 1  # the map, with every corridor
    assert not [h for h in at.html if "<table>" in h.value]  # the table is not built
    assert f"Show the comparison of {count} corridors" in [e.label for e in at.expander]
    at.session_state["fold_comparison"] = True  # opened, as a click would
    at.run()
    assert sorted(map_table(at, real).index) == sorted(c.id for c in real.corridors)
    at.session_state["fold_comparison"] = False
    at.run()
    assert not [h for h in at.html if "<table>" in h.value]  # folded again, not built
    every.set_value(False).run()
    (picker,) = [m for m in at.sidebar.multiselect if m.label == "Corridors"]
    assert picker.value == []  # not hundreds of chips to remove one by one
    assert "Choose at least one corridor in the sidebar." in [i.value for i in at.info]
    assert not at.get("component_instance")
    picker.select("suez").run()
    assert len(at.get("component_instance")) == 1
    assert at.query_params["corridors"] in ("suez", ["suez"])


def test_at_many_corridors_everything_shows_as_before(real: Catalogue, settings: Any) -> None:
    """The threshold itself is not "many": chips and table, no toggle and no fold."""
    settings.set(many_corridors=len(real.corridors))
    at = app()
    assert not [t for t in at.sidebar.toggle if t.label.startswith("All ")]
    (picker,) = [m for m in at.sidebar.multiselect if m.label == "Corridors"]
    assert sorted(picker.value) == sorted(c.id for c in real.corridors)
    assert not [e for e in at.expander if e.label.startswith("Show the comparison")]
    assert len(map_table(at, real)) == len(real.corridors)


def test_many_impassable_corridors_fold_their_detours_until_opened(
    real: Catalogue, settings: Any
) -> None:
    """The detours are searched and listed only once their section is opened."""
    settings.set(many_corridors=0)
    results = evaluate_all(real, apply_scenario(real, "russia-transit-closed"))
    blocked = sum(1 for r in results if not r.passable)
    at = app(scenario="russia-transit-closed")
    label = f"Show {blocked} impassable corridors and their best open detours"
    assert label in [e.label for e in at.expander]
    assert not [m for m in at.markdown if m.value.startswith("- **")]  # not listed while folded
    at.session_state["fold_detours"] = True
    at.run()
    (listed,) = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert listed.count("- **") == blocked and "Best open detour" in listed


def test_a_headline_card_names_three_tied_corridors_and_counts_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copies of a corridor tie; a card listing all of them would fill the page."""
    from bench.synthetic import write_synthetic

    monkeypatch.setenv("CORRIDOR_ATLAS_CATALOGUE", str(write_synthetic(5, tmp_path)))
    at = app()
    tied = [m.value for m in at.markdown if "more tied" in m.value]
    assert tied, "five copies tie for every card"
    for text in tied:
        names = text.split("\n")[0]
        assert names.count(" / ") == 2 and names.rstrip().endswith("and 2 more tied**")


def test_the_side_by_side_table_writes_totals_as_every_view_does(real: Catalogue) -> None:
    from geo.numbers import format_range, record_range

    at = app("pages/compare.py", scenario="middle-corridor-2030")
    side = at.dataframe[-1].value
    data = summary(real, apply_scenario(real, "middle-corridor-2030"))
    record = next(r for r in data["corridors"] if r["id"] == "middle-corridor")
    row = side[side["corridor"] == real.corridor("middle-corridor").name].iloc[0]
    days = format_range(record_range(record, "transit_days"), "days")
    assert row["days (middle-corridor-2030)"] == days
    assert row["USD/FEU (middle-corridor-2030)"] == format_range(
        record_range(record, "cost_usd_per_feu"), "usd"
    )


def test_headline_cards_give_the_winning_figures_with_their_range(real: Catalogue) -> None:
    from geo.comparison import headline_cards
    from geo.numbers import format_range, record_range

    at = app()
    data = summary(real, apply_scenario(real))
    text = "\n".join(m.value for m in at.markdown)
    for market in headline_cards(real, data, [c.id for c in real.corridors]):
        cheapest = next(r for r in data["corridors"] if r["id"] == market.cards[0].winners[0])
        cost = format_range(record_range(cheapest, "cost_usd_per_feu"), "usd")
        assert "–" in cost, "the engine gives the cheapest corridor a range"
        assert f"${cost} per FEU" in text
