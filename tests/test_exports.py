"""
Briefing exports, each format checked for what it holds: pixels, text, rows, parts, and an
interactive map that draws from disk in a browser with the network cut off.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Route, sync_playwright

from geo.catalogue import Catalogue
from geo.exports import (
    FORMATS,
    PACK_FILES,
    TABLE_COLUMNS,
    export,
    export_bytes,
    file_name,
    md_text,
    safe_cell,
)
from geo.figures import (
    PNG_DPI,
    PRESETS,
    briefing_figure,
    cited_sources,
    comparison_chart,
    save_figure,
    short_citations,
)
from geo.loader import load_catalogue
from geo.maps import corridor_styles
from geo.metrics import evaluate_all
from geo.scenarios import apply_scenario
from geo.summary import summary
from tests.browser import ARTIFACTS, launch_chromium, offline_context
from tests.conftest import REAL, tiny_variant

DAY = dt.date(2026, 11, 24)
needs_real = pytest.mark.skipif(not REAL.exists(), reason="corridors.yaml is not written yet")


def tiny_bytes(catalogue: Catalogue, fmt: str, scenario: str = "baseline", **kw: Any) -> bytes:
    return export_bytes(catalogue, apply_scenario(catalogue, scenario), fmt, date=DAY, **kw)


@pytest.fixture(scope="module")
def tiny_exports(tiny: Catalogue) -> dict[str, bytes]:
    """Every single-file format of the tiny catalogue's baseline, made once for the module."""
    return {fmt: tiny_bytes(tiny, fmt) for fmt in FORMATS if fmt != "zip"}


def save_artifact(name: str, data: bytes) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(data)
    return path


def colour_pixels(png: bytes, colour: str) -> int:
    """How many pixels are exactly `colour` (the solid core of a drawn line is)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return int(np.all(pixels == rgb, axis=-1).sum())


def svg_texts(svg: bytes) -> list[str]:
    return [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8"))]


# --------------------------------------------------------------------------- figure


def test_png_is_a_200_dpi_slide_showing_each_corridor_colour(
    tiny: Catalogue, tiny_exports: dict[str, bytes]
) -> None:
    png = tiny_exports["png"]
    save_artifact("briefing-tiny-slide.png", png)
    image = Image.open(io.BytesIO(png))
    width, height = PRESETS["slide"]
    assert image.size == (round(width * PNG_DPI), round(height * PNG_DPI))
    assert image.info["dpi"] == pytest.approx((PNG_DPI, PNG_DPI), abs=0.01)
    for corridor_id, style in corridor_styles(tiny).items():
        assert colour_pixels(png, style.colour) > 200, f"{corridor_id} ({style.colour}) not drawn"


def test_a4_preset_is_portrait_with_the_comparison_below(tiny: Catalogue) -> None:
    png = tiny_bytes(tiny, "png", preset="a4")
    save_artifact("briefing-tiny-a4.png", png)
    width, height = PRESETS["a4"]
    assert Image.open(io.BytesIO(png)).size == (round(width * PNG_DPI), round(height * PNG_DPI))
    svg = tiny_bytes(tiny, "svg", preset="a4")
    texts = svg_texts(svg)
    assert "Comparison under this scenario" in texts
    assert {"Cost", "Transit time", "Hops", "Political exposure"} <= set(texts)


def test_svg_keeps_title_node_labels_and_sources_as_text(
    tiny: Catalogue, tiny_exports: dict[str, bytes]
) -> None:
    texts = svg_texts(tiny_exports["svg"])
    joined = "\n".join(texts)
    assert tiny.meta.title in texts
    for label in ("A City", "C Port", "C Inland", "B Port"):
        assert label in texts, f"node label {label!r} missing from the SVG text"
    assert "Scenario: Baseline" in joined
    assert "24 November 2026" in joined
    assert "Sources: Test 2024, 2025" in joined
    assert "Onward" in texts and "Impassable: 1 leg not yet open" in texts


def test_pdf_has_a_page(tiny_exports: dict[str, bytes]) -> None:
    pdf = tiny_exports["pdf"]
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    assert b"/FontFile2" in pdf  # TrueType embedded: text stays text


def test_closed_legs_are_struck_through_and_the_closed_country_noted(tiny: Catalogue) -> None:
    active = apply_scenario(tiny, "close-bb")
    fig = briefing_figure(tiny, active, evaluate_all(tiny, active), date=DAY)
    svg = save_figure(fig, "svg")
    texts = svg_texts(svg)
    assert "Closed in this scenario" in texts
    assert "• Transit through Bland closed" in texts
    assert "Impassable: transit through Bland closed" in texts


def test_a_chinese_corridor_name_renders_without_missing_glyphs(write_yaml: Any) -> None:
    name = "中欧班列 Main"
    text = tiny_variant("{id: main, name: Main,", f"{{id: main, name: {name},")
    catalogue = load_catalogue(write_yaml(text))
    active = apply_scenario(catalogue)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = briefing_figure(catalogue, active, evaluate_all(catalogue, active), preset="a4")
        outputs = {fmt: save_figure(fig, fmt) for fmt in ("png", "svg", "pdf")}
        chart = comparison_chart(catalogue, summary(catalogue, active))
        save_figure(chart, "png")
    assert not [w for w in caught if "Glyph" in str(w.message)], [str(w.message) for w in caught]
    assert name in svg_texts(outputs["svg"])


def test_catalogue_text_with_dollar_signs_is_not_mathtext(write_yaml: Any) -> None:
    name = "$x$ or $y$ per box"
    text = tiny_variant("{id: main, name: Main,", f"{{id: main, name: '{name}',")
    svg = tiny_bytes(load_catalogue(write_yaml(text)), "svg")
    assert name in svg_texts(svg)


def test_only_the_chosen_corridors_are_drawn(tiny: Catalogue) -> None:
    png = tiny_bytes(tiny, "png", corridors=["main"])
    styles = corridor_styles(tiny)
    assert colour_pixels(png, styles["main"].colour) > 200
    assert colour_pixels(png, styles["onward"].colour) == 0


def test_comparison_chart_has_units_and_greys_impassable(tiny: Catalogue) -> None:
    active = apply_scenario(tiny)
    fig = comparison_chart(tiny, summary(tiny, active))
    png = save_figure(fig, "png")
    save_artifact("comparison-tiny.png", png)
    texts = svg_texts(save_figure(comparison_chart(tiny, summary(tiny, active)), "svg"))
    for unit in ("USD per FEU", "days", "count", "index 0–100"):
        assert unit in texts
    assert "impassable" in "\n".join(texts)
    styles = corridor_styles(tiny)
    assert colour_pixels(png, styles["main"].colour) > 500  # passable: its own colour
    assert colour_pixels(png, styles["onward"].colour) == 0  # impassable: grey bars
    assert colour_pixels(png, "#d9d9d9") > 500


def test_sources_are_those_of_the_shown_corridors_most_cited_first(tiny: Catalogue) -> None:
    active = apply_scenario(tiny)
    sources = cited_sources(tiny, evaluate_all(tiny, active), active)
    assert [s.id for s in sources] == ["src-a", "src-b"]
    assert short_citations(sources) == ["Test 2024, 2025"]


# --------------------------------------------------------------------------- table


def test_csv_parses_with_units_in_the_header_and_the_view_below(
    tiny: Catalogue, tiny_exports: dict[str, bytes]
) -> None:
    rows = list(csv.reader(io.StringIO(tiny_exports["csv"].decode("utf-8-sig"))))
    header = rows[0]
    assert header == [heading for _, heading in TABLE_COLUMNS]
    assert {"distance (km)", "transit (days)", "cost (USD/FEU)", "hops (count)"} <= set(header)
    table = rows[1:3]
    assert [r[0] for r in table] == ["main", "onward"]
    by_key = dict(zip(header, table[0], strict=True))
    assert by_key["passable"] == "yes" and by_key["cost (USD/FEU)"].isdigit()
    assert rows[3] == []
    about = {r[0]: r[1] for r in rows[4:]}
    assert about["scenario"] == "Baseline (baseline)"
    assert about["date"] == "2026-11-24"
    assert about["sources"] == "Test 2024, 2025"
    assert all(not r[0].startswith("#") for r in rows if r)


def test_xlsx_has_the_comparison_and_an_about_sheet(
    tiny: Catalogue, tiny_exports: dict[str, bytes]
) -> None:
    book = load_workbook(io.BytesIO(tiny_exports["xlsx"]))
    assert book.sheetnames == ["Comparison", "About"]
    rows = list(book["Comparison"].iter_rows(values_only=True))
    assert list(rows[0]) == [heading for _, heading in TABLE_COLUMNS]
    assert [r[0] for r in rows[1:]] == ["main", "onward"]
    assert isinstance(rows[1][TABLE_COLUMNS.index(("hops", "hops (count)"))], int)
    about = [[c for c in row if c is not None] for row in book["About"].iter_rows(values_only=True)]
    flat = {str(c) for row in about for c in row}
    assert {"Baseline", "test", "Tiny test catalogue"} <= flat
    assert ["id", "title", "publisher", "year", "url"] in about
    assert ["src-a", "Source A", "Test", 2024, "https://example.org/a"] in about
    assert ["src-b", "Source B", "Test", 2025] in about
    assert any(isinstance(c, dt.datetime) and c.date() == DAY for row in about for c in row)


def test_formula_like_names_are_defused_in_csv_and_xlsx(write_yaml: Any) -> None:
    formula = '=HYPERLINK("http://x.example","y")'
    text = tiny_variant("{id: onward, name: Onward,", f"{{id: onward, name: '{formula}',")
    catalogue = load_catalogue(write_yaml(text))
    rows = list(csv.reader(io.StringIO(tiny_bytes(catalogue, "csv").decode("utf-8-sig"))))
    assert rows[2][1] == "'" + formula
    sheet = load_workbook(io.BytesIO(tiny_bytes(catalogue, "xlsx")))["Comparison"]
    cell = sheet.cell(row=3, column=2)
    assert cell.value == "'" + formula and cell.data_type == "s"
    assert safe_cell("-1") == "'-1" and safe_cell(-1) == -1 and safe_cell("@a") == "'@a"


# --------------------------------------------------------------------------- HTML, Markdown, ZIP


def test_html_is_one_self_contained_file(tiny: Catalogue, tiny_exports: dict[str, bytes]) -> None:
    page = tiny_exports["html"].decode("utf-8")
    assert "/app/static" not in page
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=\"https?:", page)
    assert 't.version="1.9.4"' in page and "leaflet-container" in page  # Leaflet JS and CSS
    assert "Control.FullScreen" in page
    assert "url(images/" not in page and "data:image/png;base64," in page
    assert 'L.Icon.Default.imagePath = ""' in page
    assert "<title>Tiny test catalogue: Baseline</title>" in page


def test_html_and_markdown_escape_catalogue_text(write_yaml: Any) -> None:
    payload = "<img src=x onerror=alert(1)>"
    text = tiny_variant("{id: main, name: Main,", f"{{id: main, name: '{payload} [l](http://e.x)',")
    catalogue = load_catalogue(write_yaml(text))
    page = tiny_bytes(catalogue, "html").decode("utf-8")
    assert payload not in page
    markdown = tiny_bytes(catalogue, "md").decode("utf-8")
    assert payload not in markdown
    assert "[l](" not in markdown  # the link syntax is escaped: no clickable link
    assert "&lt;img src=x onerror=alert(1)&gt; \\[l\\](http://e.x)" in markdown
    assert md_text("- a | b") == "\\- a \\| b"


def test_markdown_summary_says_who_wins_and_what_is_shut(
    tiny_exports: dict[str, bytes],
) -> None:
    text = tiny_exports["md"].decode("utf-8")
    assert text.startswith("# Tiny test catalogue: Baseline\n")
    assert "| Corridor | Passable | Distance (km) | Transit (days) | Cost (USD/FEU) |" in text
    assert "| Main | yes | 555 | 7.9 | 844 | 4 | 22.8 |" in text
    assert "| Onward | **no** | 666 |" in text
    for word in ("Cheapest: Main", "Fastest: Main", "Fewest hops: Main", "Lowest exposure: Main"):
        assert word in text
    assert "- Onward: leg c-planned is planned, not yet open" in text
    assert "- Test (2024). Source A. <https://example.org/a> \\[src-a\\]" in text


def test_zip_pack_holds_every_part(tiny: Catalogue, tmp_path: Path) -> None:
    path = export(tiny, apply_scenario(tiny, "close-bb"), tmp_path / "pack.zip", date=DAY)
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == list(PACK_FILES)
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert Image.open(io.BytesIO(parts["briefing-map.png"])).size == (2666, 1500)
    assert Image.open(io.BytesIO(parts["comparison-chart.png"])).format == "PNG"
    assert "Tiny test catalogue" in svg_texts(parts["briefing-map.svg"])
    assert "Corridor comparison: Close B" in svg_texts(parts["comparison-chart.svg"])
    assert parts["briefing-map.pdf"].startswith(b"%PDF-")
    assert load_workbook(io.BytesIO(parts["comparison.xlsx"])).sheetnames == ["Comparison", "About"]
    assert parts["comparison.csv"].decode("utf-8-sig").startswith("corridor,name,passable,")
    assert b"/app/static" not in parts["interactive-map.html"]
    assert "Transit through Bland closed" in parts["summary.md"].decode("utf-8")


def test_every_extension_is_dispatched_and_unknown_ones_refused(
    tiny: Catalogue, tmp_path: Path
) -> None:
    active = apply_scenario(tiny)
    assert export(tiny, active, tmp_path / "t.MD", date=DAY).read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=r"extension '\.docx' is not one of .*\.png"):
        export(tiny, active, tmp_path / "t.docx")
    with pytest.raises(ValueError, match="not one of"):
        export(tiny, active, tmp_path / "no-extension")
    with pytest.raises(ValueError, match="`fmt`"):
        export_bytes(tiny, active, "gif")
    with pytest.raises(ValueError, match="unknown corridors: nowhere"):
        export_bytes(tiny, active, "csv", corridors=["nowhere"])
    with pytest.raises(ValueError, match="`preset`"):
        export_bytes(tiny, active, "png", preset="poster")
    assert file_name(active, "png", DAY) == "corridor-briefing-baseline-2026-11-24.png"


@pytest.mark.browser
def test_exported_html_draws_every_leg_from_disk_with_the_network_cut(
    tiny: Catalogue, tmp_path: Path
) -> None:
    active = apply_scenario(tiny)
    path = export(tiny, active, tmp_path / "map.html", date=DAY)
    requested: list[str] = []
    refused: list[str] = []
    errors: list[str] = []

    def only_files(route: Route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context, external = offline_context(browser)
            page = context.new_page()
            page.route("**/*", only_files)
            page.on("request", lambda request: requested.append(request.url))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(path.as_uri())
            page.wait_for_selector("path.leaflet-interactive", state="attached", timeout=15_000)
            page.wait_for_timeout(500)
            lines = page.locator("path.leaflet-interactive").count()
            version = page.evaluate("L.version")
            legend = page.locator(".ca-legend").count()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "export-map-tiny.png"))
            context.close()
        finally:
            browser.close()
    assert lines == sum(len(r.legs) for r in evaluate_all(tiny, active))
    assert version == "1.9.4" and legend == 1
    assert refused == [] and external == []
    assert all(url.startswith(("file:", "data:")) for url in requested), requested
    assert errors == []


# --------------------------------------------------------------------------- the real catalogue


@needs_real
def test_real_briefing_figures_show_every_corridor(real: Catalogue) -> None:
    active = apply_scenario(real, "russia-transit-closed")
    results = evaluate_all(real, active)
    styles = corridor_styles(real)
    for preset in PRESETS:
        fig = briefing_figure(real, active, results, preset=preset, date=DAY)
        png = save_figure(fig, "png")
        save_artifact(f"briefing-real-{preset}.png", png)
        for result in results:
            drawn_in_colour = any(leg.closure is None for leg in result.legs)
            if drawn_in_colour:
                colour = styles[result.corridor_id].colour
                assert colour_pixels(png, colour) > 100, f"{result.corridor_id} not drawn"
    chart = save_figure(comparison_chart(real, summary(real, active)), "png")
    save_artifact("comparison-real.png", chart)


@needs_real
def test_real_pack_holds_every_part_and_every_corridor(real: Catalogue) -> None:
    pack = export_bytes(real, apply_scenario(real, "russia-transit-closed"), "zip", date=DAY)
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        assert archive.namelist() == list(PACK_FILES)
        book = load_workbook(io.BytesIO(archive.read("comparison.xlsx")))
        markdown = archive.read("summary.md").decode("utf-8")
        svg = archive.read("briefing-map.svg")
    rows = list(book["Comparison"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(real.corridors)
    assert "transit through Russia closed" in markdown
    texts = svg_texts(svg)
    assert real.meta.title in texts and any(t.startswith("Sources: ") for t in texts)


@needs_real
def test_real_sources_line_fits_and_counts_the_rest(real: Catalogue) -> None:
    active = apply_scenario(real)
    results = evaluate_all(real, active)
    cited = short_citations(cited_sources(real, results, active))
    texts = svg_texts(save_figure(briefing_figure(real, active, results, date=DAY), "svg"))
    line = next(t for t in texts if t.startswith("Sources: "))
    shown = line.removeprefix("Sources: ").split("; ")
    assert shown[0] == cited[0]
    if len(cited) > len(shown):
        assert re.search(r" and \d+ more$", line)
