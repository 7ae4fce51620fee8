"""
Briefing exports, each format checked for what it holds: pixels, text, rows, parts, and an
interactive map that draws from disk in a browser with the network cut off; in English, and in
Chinese with every word from the locale files and no missing glyphs.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import re
import string
import warnings
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from matplotlib.collections import LineCollection
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Browser, Route

from geo.catalogue import Catalogue
from geo.exports import (
    FORMATS,
    MD_FIGURES,
    PACK_FILES,
    TABLE_COLUMNS,
    export,
    export_bytes,
    file_name,
    safe_cell,
    standalone_html,
)
from geo.exports.briefing import Briefing
from geo.exports.markdown import markdown_bytes
from geo.exports.tables import csv_bytes, xlsx_bytes
from geo.figures import (
    PNG_DPI,
    PRESETS,
    briefing_figure,
    cited_sources,
    comparison_chart,
    format_date,
    save_figure,
    short_citations,
)
from geo.figures.chart import METRICS
from geo.figures.layout import new_figure, rendering
from geo.figures.style import KEY_KINDS
from geo.figures.words import Words, takeaway
from geo.i18n import LOCALES, messages
from geo.loader import content_key, load_catalogue, parse_catalogue
from geo.maps import corridor_styles
from geo.metrics import evaluate_all
from geo.scenarios import Adjustments, apply_scenario, customise
from geo.summary import summary
from geo.text import markdown_escape
from tests.browser import ARTIFACTS, offline_context
from tests.conftest import REAL, tiny_variant

DAY = dt.date(2026, 11, 24)
needs_real = pytest.mark.skipif(not REAL.exists(), reason="corridors.yaml is not written yet")
REPO = Path(__file__).resolve().parent.parent
EXPORT_CODE = sorted(
    [*(REPO / "geo" / "figures").glob("*.py"), *(REPO / "geo" / "exports").glob("*.py")]
)


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


def svg_blocks(svg: bytes) -> list[str]:
    """Each text object of an SVG as one string, its lines joined (a wrapped footer is one)."""
    groups = re.findall(r'<g id="text_\d+">(.*?)</g>', svg.decode("utf-8"), re.S)
    return ["\n".join(svg_texts(group.encode("utf-8"))) for group in groups]


CITED = re.compile(r"^(资料来源|模型|来源)：")
"""Chinese text that cites sources, the model and the catalogue by their own (English) names."""


def english_left(svg: bytes) -> list[str]:
    """Texts with English words in them, leaving out citations and codes ('FEU', 'TRIPP')."""
    blocks = [b for b in svg_blocks(svg) if b and not CITED.match(b)]
    return [b for b in blocks if re.search(r"[a-z]{2,}|[A-Z][a-z]", b)]


def no_glyph_warnings(make: Any) -> Any:
    """Run `make()` and fail on any missing-glyph warning (tofu) it raises."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = make()
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    assert not glyphs, glyphs
    return result


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
    assert "CorridorAtlas" in page and ".ca-node" in page  # the map's own script and stylesheet


def test_standalone_html_inlines_each_served_file_whatever_its_query_or_attributes() -> None:
    page = (
        "<html><head>"
        '<script src="/app/static/vendor/leaflet/leaflet.js?v=0123abcd"></script>'
        '<script type="module" src="/app/static/vendor/fullscreen/Control.FullScreen.js">'
        "</script>"
        '<link rel="stylesheet" href="/app/static/vendor/leaflet/leaflet.css?v=1" />'
        '<link rel="icon" href="https://example.org/favicon.ico">'
        '<script src="https://example.org/x.js"></script>'
        "</head><body></body></html>"
    )
    out = standalone_html(page, title="<T>", lang="zh")
    assert "/app/static" not in out and "?v=" not in out
    assert 't.version="1.9.4"' in out and '<script type="module">' in out
    assert "leaflet-container" in out and "data:image/png;base64," in out
    assert '<link rel="icon" href="https://example.org/favicon.ico">' in out  # not ours: kept
    assert '<script src="https://example.org/x.js"></script>' in out
    assert '<html lang="zh-Hans">' in out and "<title>&lt;T&gt;</title>" in out
    with pytest.raises(RuntimeError, match="static files"):
        standalone_html('<img src="/app/static/vendor/leaflet/images/layers.png">')
    with pytest.raises(ValueError, match="not a vendored asset"):
        standalone_html('<script src="/app/static/vendor/../../pyproject.toml"></script>')


def test_html_and_markdown_escape_catalogue_text(write_yaml: Any) -> None:
    payload = "<img src=x onerror=alert(1)>"
    text = tiny_variant("{id: main, name: Main,", f"{{id: main, name: '{payload} [l](http://e.x)',")
    catalogue = load_catalogue(write_yaml(text))
    page = tiny_bytes(catalogue, "html").decode("utf-8")
    assert payload not in page
    markdown = tiny_bytes(catalogue, "md").decode("utf-8")
    assert payload not in markdown
    assert "[l](" not in markdown  # the link syntax is escaped: no clickable link
    assert "&lt;img src\\=x onerror\\=alert\\(1\\)&gt; \\[l\\]\\(http\\://e\\.x\\)" in markdown
    assert markdown_escape("- a | b") == "\\- a \\| b"


def test_markdown_summary_says_who_wins_and_what_is_shut(
    tiny_exports: dict[str, bytes],
) -> None:
    text = tiny_exports["md"].decode("utf-8")
    assert text.startswith("# Tiny test catalogue: Baseline\n")
    assert "| Corridor | Passable | Distance (km) | Transit (days) | Cost (USD/FEU) |" in text
    assert "| Main | yes | 555 | 7.9 | 840 | 4 | 22.8 |" in text  # no figure of tiny has a range
    assert "| Onward (if open) | **no** | 666 |" in text
    for word in ("Cheapest: Main", "Fastest: Main", "Fewest hops: Main", "Lowest exposure: Main"):
        assert word in text
    assert "- Onward: leg c\\-planned is planned, not yet open" in text
    assert "- Test (2024). Source A. <https://example.org/a> \\[src\\-a\\]" in text


@needs_real
def test_the_summary_names_the_non_dominated_routes_and_what_beats_the_others(
    real: Catalogue,
) -> None:
    from geo.exports.briefing import Briefing
    from geo.exports.decisions import options_by_market, tradeoff_lines

    briefing = Briefing(real, apply_scenario(real), date=DAY)
    groups = options_by_market(briefing)
    lines = tradeoff_lines(briefing)
    for market, options in groups.items():
        front = [o for o in options if not o.dominated]
        assert front, market  # every market with an open route has a non-dominated one
        header = next(line for line in lines if line.startswith(f"- **{market}**"))
        for option in options:
            if option.dominated:
                assert any(option.reason in line for line in lines)
            else:
                assert markdown_escape(option.name) in header


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
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_exported_html_draws_every_leg_from_disk_with_the_network_cut(
    tiny: Catalogue, tmp_path: Path, lang: str, browser: Browser
) -> None:
    """In the session's browser (a second Playwright in one process would fail)."""
    active = apply_scenario(tiny)
    path = export(tiny, active, tmp_path / "map.html", date=DAY, lang=lang)
    requested: list[str] = []
    refused: list[str] = []
    errors: list[str] = []

    def only_files(route: Route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context, external = offline_context(browser)
    try:
        page = context.new_page()
        page.route("**/*", only_files)
        page.on("request", lambda request: requested.append(request.url))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(path.as_uri())
        page.wait_for_selector('[data-ca-ready="1"]', state="attached", timeout=15_000)
        lines = page.locator("path.leaflet-interactive").count()
        version = page.evaluate("L.version")
        legend = page.locator(".ca-legend").count()
        ARTIFACTS.mkdir(exist_ok=True)
        suffix = "" if lang == "en" else f"-{lang}"
        page.screenshot(path=str(ARTIFACTS / f"export-map-tiny{suffix}.png"))
    finally:
        context.close()
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


# --------------------------------------------------------------------------- Chinese


def test_every_export_key_exists_in_both_language_files_with_the_same_placeholders() -> None:
    files = {lang: LOCALES / lang / "exports.yaml" for lang in ("en", "zh")}
    keys = {lang: yaml.safe_load(path.read_text(encoding="utf-8")) for lang, path in files.items()}
    assert set(keys["en"]) == set(keys["zh"]), set(keys["en"]) ^ set(keys["zh"])
    assert all(key.startswith("export.") for key in keys["en"])
    fields = string.Formatter()
    for key, english in keys["en"].items():
        chinese = keys["zh"][key]
        assert {f for _, f, _, _ in fields.parse(english) if f} == {
            f for _, f, _, _ in fields.parse(chinese) if f
        }, key
    for lang in files:
        messages(lang)  # raises if a key is defined twice across the language's files
    used = set()
    for path in EXPORT_CODE:
        used |= set(re.findall(r"""["'](export\.[a-z0-9_.]+[a-z0-9_])["']""", path.read_text()))
    used |= {f"export.column.{key}" for key, _ in TABLE_COLUMNS}
    used |= {f"export.symbol.{symbol}" for symbol in KEY_KINDS}
    used |= {f"export.month.{month}" for month in range(1, 13)}
    used |= {f"export.projection.{kind}" for kind in ("lcc", "eqc")}
    used |= {key for _, title, unit, _ in METRICS for key in (title, unit)}
    used |= {f"export.{kind}.{column}" for column in MD_FIGURES for kind in ("best", "figure")}
    missing = used - set(keys["en"])
    assert not missing, missing
    built = ("export.about.source_", "export.md.column.", "export.blocked.unopened.")
    built += ("export.corridors.", "export.note.")  # families the code builds with f-strings
    unused = [key for key in keys["en"] if key not in used and not key.startswith(built)]
    assert not unused, unused


def test_english_table_headings_are_the_english_messages() -> None:
    english = messages("en")
    assert [english[f"export.column.{key}"] for key, _ in TABLE_COLUMNS] == [
        heading for _, heading in TABLE_COLUMNS
    ]


def test_chinese_svg_has_chinese_title_labels_and_date_as_text(tiny: Catalogue) -> None:
    svg = no_glyph_warnings(lambda: tiny_bytes(tiny, "svg", lang="zh"))
    texts = svg_texts(svg)
    joined = "\n".join(texts)
    assert messages("zh")["export.title.generic"] in texts
    for node in ("a-city", "c-port", "c-inland", "b-port"):
        assert tiny.node(node).name_zh in texts, f"node label of {node} missing from the SVG text"
    assert "主线" in texts and "延伸" in texts  # corridors in the key, by their Chinese names
    assert "情景：基准 · 2 条走廊，其中 1 条不可通行 · 2026年11月24日" in texts
    assert "不可通行：1 个路段尚未开通" in texts
    assert "资料来源：Test 2024, 2025" in joined
    assert english_left(svg) == []


def test_chinese_closed_scenario_names_the_closed_country(tiny: Catalogue) -> None:
    active = apply_scenario(tiny, "close-bb")
    fig = briefing_figure(tiny, active, evaluate_all(tiny, active), date=DAY, lang="zh")
    svg = save_figure(fig, "svg")
    texts = svg_texts(svg)
    assert "本情景下关闭" in texts
    assert "• 经乙国过境关闭" in texts
    assert "不可通行：经乙国过境已关闭" in texts
    assert english_left(svg) == []


def test_chinese_a4_and_chart_render_without_missing_glyphs(tiny: Catalogue) -> None:
    active = apply_scenario(tiny, "close-bb")

    def make() -> tuple[bytes, bytes, bytes]:
        fig = briefing_figure(tiny, active, evaluate_all(tiny, active), preset="a4", lang="zh")
        outputs = {fmt: save_figure(fig, fmt) for fmt in ("png", "svg", "pdf")}
        chart = comparison_chart(tiny, summary(tiny, active), lang="zh")
        return outputs["svg"], save_figure(chart, "svg"), outputs["pdf"]

    a4, chart, pdf = no_glyph_warnings(make)
    assert "本情景下的比较" in svg_texts(a4)
    assert {"运输成本", "运输时间", "中转环节", "政治风险敞口"} <= set(svg_texts(a4))
    assert "走廊比较：关闭乙" in svg_texts(chart)
    assert {"美元/FEU", "天", "次", "指数（0–100）"} <= set(svg_texts(chart))
    assert english_left(a4) == [] and english_left(chart) == []
    assert b"/FontFile2" in pdf and b"WenQuanYi" in pdf  # the CJK font is embedded


def test_chinese_lines_break_between_characters_but_not_before_closing_marks() -> None:
    with rendering():
        _, ink = new_figure((4, 3))
        text = "哈萨克斯坦—连云港—日本（3,400 美元/FEU），最快为中间走廊（22.5 天）。" * 3
        lines = ink.wrap(text, 1.6, 9)
    assert len(lines) > 3
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(ink.width(line, 9) <= 1.6 for line in lines)
    assert not [line for line in lines if line[0] in "，。）；："]
    assert not [line for line in lines if line[-1] in "（“"]


def test_chinese_dates() -> None:
    assert format_date(DAY, "zh") == "2026年11月24日"
    assert format_date(DAY) == "24 November 2026"


def test_chinese_xlsx_and_csv_have_chinese_headings_and_names(tiny: Catalogue) -> None:
    chinese = messages("zh")
    headings = [chinese[f"export.column.{key}"] for key, _ in TABLE_COLUMNS]
    book = load_workbook(io.BytesIO(tiny_bytes(tiny, "xlsx", lang="zh")))
    assert book.sheetnames == ["比较", "说明"]
    rows = list(book["比较"].iter_rows(values_only=True))
    assert list(rows[0]) == headings
    assert {"走廊名称", "可通行", "运输成本（美元/FEU）", "中转环节（次）"} <= set(rows[0])
    by_key = [dict(zip(headings, row, strict=True)) for row in rows[1:]]
    assert [(r["走廊代码"], r["走廊名称"], r["可通行"]) for r in by_key] == [
        ("main", "主线", "是"),
        ("onward", "延伸", "否"),
    ]
    assert by_key[1]["受阻原因"] == "路段 c-planned 规划中，尚未开通"
    about = [[c for c in row if c is not None] for row in book["说明"].iter_rows(values_only=True)]
    assert ["情景", "基准"] in about and ["关于本表"] in about
    assert ["代码", "标题", "发布机构", "年份", "网址"] in about
    assert ["src-a", "Source A", "Test", 2024, "https://example.org/a"] in about  # as published
    assert book.properties.title == "欧亚货运走廊简报：基准"
    rows_csv = list(csv.reader(io.StringIO(tiny_bytes(tiny, "csv", lang="zh").decode("utf-8-sig"))))
    assert rows_csv[0] == headings
    assert {r[0]: r[1] for r in rows_csv[4:]}["情景"] == "基准（baseline）"


def test_chinese_markdown_summary_has_chinese_headings(tiny: Catalogue) -> None:
    text = tiny_bytes(tiny, "md", lang="zh").decode("utf-8")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# 欧亚货运走廊简报：基准",
        "## 情景：基准",
        "## 走廊",
        "## 最优可通行走廊",
        "## 权衡",
        "## 不可通行的走廊",
        "## 资料来源",
    ]
    key = content_key(tiny)
    assert f"2026年11月24日 · 数据目录 Tiny test catalogue（版本 test，哈希 {key}）" in text
    assert "| 走廊 | 可通行 | 距离（公里） | 运输时间（天） | 运输成本（美元/FEU） |" in text
    assert "| 主线 | 是 | 555 | 7.9 | 840 | 4 | 22.8 |" in text
    assert "| 延伸（若开通） | **否** | 666 |" in text
    assert "- 成本最低：主线（840 美元/FEU）" in text
    assert "- 延伸：路段 c\\-planned 规划中，尚未开通" in text
    assert "- Test (2024). Source A. <https://example.org/a> \\[src\\-a\\]" in text


def test_chinese_names_an_adjusted_scenario_and_the_html_page(tiny: Catalogue) -> None:
    preset = tiny.scenario("baseline")
    adjusted = customise(tiny, preset, Adjustments(cost_factor=1.2))
    active = apply_scenario(tiny, adjusted)
    markdown = export_bytes(tiny, active, "md", date=DAY, lang="zh").decode("utf-8")
    assert markdown.startswith("# 欧亚货运走廊简报：基准（已调整）\n")
    assert "- 成本默认 ×1\\.2" in markdown
    page = export_bytes(tiny, apply_scenario(tiny), "html", date=DAY, lang="zh").decode("utf-8")
    assert '<html lang="zh-Hans">' in page
    assert "<title>欧亚货运走廊简报：基准</title>" in page
    assert "<b>欧亚货运走廊简报</b> · 情景：基准 · 2026年11月24日" in page
    with pytest.raises(ValueError, match="`lang`"):
        export_bytes(tiny, active, "md", lang="xx")


@needs_real
def test_real_chinese_briefing_figures_read_in_chinese(real: Catalogue) -> None:
    """The pictures in test-artifacts/briefing-real-zh-*.png are the ones to look at."""
    active = apply_scenario(real, "russia-transit-closed")
    eurasian = ("khorgos", "northern", "northern-pacific", "lianyungang", "middle-corridor")
    eurasian += ("middle-corridor-btk", "tripp", "suez", "suez-cape")
    # The Eurasian corridors, as a trip shows them: with the US routes the map spans the world.
    results = [r for r in evaluate_all(real, active) if r.corridor_id in eurasian]
    styles = corridor_styles(real)
    for preset in PRESETS:

        def make(preset: str = preset) -> tuple[bytes, bytes]:
            fig = briefing_figure(real, active, results, preset=preset, date=DAY, lang="zh")
            return save_figure(fig, "png"), save_figure(fig, "svg")

        png, svg = no_glyph_warnings(make)
        save_artifact(f"briefing-real-zh-{preset}.png", png)
        texts = svg_texts(svg)
        count = f"{len(results)} 条走廊，其中 4 条不可通行"
        assert f"情景：{active.scenario.name_zh} · {count} · 2026年11月24日" in texts
        labels = {"xian", "almaty", "lianyungang", "yokohama"}
        assert {real.node(n).name_zh for n in labels} & set(texts), "no Chinese node labels"
        assert "俄罗斯" in texts  # the closed country, labelled in Chinese
        assert english_left(svg) == [], english_left(svg)
        for result in results:
            if any(leg.closure is None for leg in result.legs):
                assert colour_pixels(png, styles[result.corridor_id].colour) > 100
    chart = no_glyph_warnings(
        lambda: save_figure(comparison_chart(real, summary(real, active), lang="zh"), "png")
    )
    save_artifact("comparison-real-zh.png", chart)


# --------------------------------------------------------------------------- ranges, if open


def ranged(briefing: Briefing) -> Briefing:
    """The briefing with stated ranges on every corridor's days and cost, as `geo.summary` gives
    them, so each format is checked on known numbers whatever the engine draws."""
    data = copy.deepcopy(briefing.data)
    for record in data["corridors"]:
        days, cost = record["transit_days"], record["cost_usd_per_feu"]
        record["transit_days_range"] = {"low": days - 3.94, "typical": days, "high": days + 7.2}
        record["cost_usd_per_feu_range"] = {"low": cost - 84, "typical": cost, "high": cost + 1236}
    briefing.data = data  # type: ignore[misc]  # a cached_property, set once here
    return briefing


def tiny_briefing(catalogue: Catalogue, scenario: str = "baseline", lang: str = "en") -> Briefing:
    return ranged(Briefing(catalogue, apply_scenario(catalogue, scenario), date=DAY, lang=lang))


def test_csv_and_xlsx_give_low_and_high_beside_each_total_and_say_if_figures_hold_if_open(
    tiny: Catalogue,
) -> None:
    briefing = tiny_briefing(tiny)
    rows = list(csv.reader(io.StringIO(csv_bytes(briefing).decode("utf-8-sig"))))
    main, onward = (dict(zip(rows[0], row, strict=True)) for row in rows[1:3])
    assert (main["transit low (days)"], main["transit (days)"]) == ("4.0", "7.9")  # 7.94 - 3.94
    assert main["transit high (days)"] == "15.1"  # 7.94 + 7.2, to 0.1 like the typical
    assert (main["cost low (USD/FEU)"], main["cost high (USD/FEU)"]) == ("760", "2080")
    assert main["status"] == "operational"
    assert onward["status"] == "planned: figures if open"
    about = {r[0]: r[1] for r in rows[4:] if r}
    assert "10th and 90th percentiles" in about["range"]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(briefing)))["Comparison"]
    table = list(sheet.iter_rows(values_only=True))
    low = table[0].index("cost low (USD/FEU)")
    assert table[1][low] == 760 and isinstance(table[1][low], int)
    shut = tiny_briefing(tiny, "close-bb")
    rows = list(csv.reader(io.StringIO(csv_bytes(shut).decode("utf-8-sig"))))
    status = rows[0].index("status")
    assert rows[1][status] == "impassable under this scenario: figures if open"
    assert rows[2][status] == "planned: figures if open"  # its own status says more
    chinese = list(
        csv.reader(io.StringIO(csv_bytes(tiny_briefing(tiny, lang="zh")).decode("utf-8-sig")))
    )
    assert chinese[2][chinese[0].index("状态")] == "规划中：数据以开通为前提"


def test_markdown_shows_ranges_and_marks_figures_that_hold_if_open(tiny: Catalogue) -> None:
    text = markdown_bytes(tiny_briefing(tiny, "open-planned")).decode("utf-8")
    main = re.search(r"^\| Main \| yes \| 555 \| (.+?) \| (.+?) \|", text, re.M)
    assert main and main.groups() == ("7.9 (4.0–15.1)", "840 (760–2,080)")
    assert re.search(r"^\| Onward \(if open\) \| yes \|", text, re.M)  # opened, still planned
    assert "Cheapest: Main (US$ 840 (760–2,080) per FEU" in text
    assert "low and high bound the model's 80 % range" in text
    only = Briefing(tiny, apply_scenario(tiny, "open-planned"), corridors=["onward"], date=DAY)
    text = markdown_bytes(ranged(only)).decode("utf-8")
    assert re.search(r"Cheapest: Onward \(US\$ [\d,]+ \([\d,]+–[\d,]+\) per FEU, if open\)", text)
    zh = markdown_bytes(tiny_briefing(tiny, lang="zh")).decode("utf-8")
    assert "| 延伸（若开通） |" in zh


def test_the_takeaway_gives_the_winners_figures_with_their_range(tiny: Catalogue) -> None:
    line = takeaway(tiny_briefing(tiny).data)
    assert line == "Cheapest Main, US$ 840 (760–2,080)/FEU; fastest Main, 7.9 (4.0–15.1) days"
    zh = takeaway(tiny_briefing(tiny, lang="zh").data, Words("zh"))
    assert "每 FEU 840 (760–2,080) 美元" in zh and "7.9 (4.0–15.1) 天" in zh


def test_the_comparison_chart_draws_each_range_as_a_whisker_and_labels_it(
    tiny: Catalogue,
) -> None:
    data = tiny_briefing(tiny, "open-planned").data
    fig = comparison_chart(tiny, data)
    whiskers = [c for ax in fig.axes for c in ax.collections if isinstance(c, LineCollection)]
    assert len(whiskers) == 4  # cost and days, for each of the two corridors
    (cost,) = [ax for ax in fig.axes if ax.get_xlabel() == "USD per FEU"]
    ends = sorted(x for c in cost.collections for segment in c.get_segments() for x, _ in segment)
    assert ends[0] == pytest.approx(844 - 84) and ends[-1] == pytest.approx(955 + 1236)
    texts = svg_texts(save_figure(comparison_chart(tiny, data), "svg"))
    assert "840 (760–2,080)" in texts and "7.9 (4.0–15.1)" in texts
    assert "hops" not in "".join(t for t in texts if "–" in t and "(" in t)  # no range on hops
    assert "planned · figures if open" in "\n".join(texts)
    assert "Whiskers and brackets: the model's 80 % range." in "\n".join(texts)
    flat = summary(tiny, apply_scenario(tiny))  # without a range: no whisker, one figure
    plain = comparison_chart(tiny, flat)
    assert not any(isinstance(c, LineCollection) for ax in plain.axes for c in ax.collections)


def test_a_briefing_s_units_are_the_summary_s_with_how_ranges_are_made(tiny: Catalogue) -> None:
    active = apply_scenario(tiny)
    briefing = Briefing(tiny, active, date=DAY)
    assert briefing.data["units"] == summary(tiny, active)["units"]
    assert "percentile" in briefing.data["units"]["range"]


def test_every_export_names_the_catalogue_version_and_content_hash(
    tiny: Catalogue, tiny_exports: dict[str, bytes]
) -> None:
    key = content_key(tiny)
    assert "version test, hash " + key in tiny_exports["md"].decode("utf-8")
    rows = csv.reader(io.StringIO(tiny_exports["csv"].decode("utf-8-sig")))
    about = {r[0]: r[1] for r in rows if len(r) == 2}
    assert about["catalogue"] == f"Tiny test catalogue (version test, hash {key})"
    book = load_workbook(io.BytesIO(tiny_exports["xlsx"]))
    sheet = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row}
    assert sheet["catalogue version"] == "test" and sheet["catalogue hash"] == key
    assert f"catalogue test ({key})" in tiny_exports["html"].decode("utf-8")
    assert any(f"version test, hash {key}" in block for block in svg_blocks(tiny_exports["svg"]))
    with zipfile.ZipFile(io.BytesIO(tiny_bytes(tiny, "zip"))) as archive:
        assert archive.comment.decode("utf-8") == f"catalogue test ({key})"
        assert key in archive.read("summary.md").decode("utf-8")


def test_a_catalogue_with_one_figure_changed_has_another_hash(tiny: Catalogue) -> None:
    text = (Path(__file__).parent / "data" / "tiny.yaml").read_text(encoding="utf-8")
    assert content_key(parse_catalogue(text, name="tiny.yaml")) == content_key(tiny)
    reformatted = parse_catalogue("# a comment\n" + text, name="tiny.yaml")
    assert content_key(reformatted) == content_key(tiny)  # content, not layout
    changed = text.replace("dwell_hours: {value: 24,", "dwell_hours: {value: 25,", 1)
    assert changed != text
    assert content_key(parse_catalogue(changed, name="tiny.yaml")) != content_key(tiny)


def test_the_summary_names_the_catalogue_by_version_and_content_hash(tiny: Catalogue) -> None:
    data = summary(tiny, apply_scenario(tiny, "baseline"))
    assert data["catalogue"] == {
        "title": "Tiny test catalogue",
        "version": "test",
        "hash": content_key(tiny),
    }


@needs_real
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chart_s_range_labels_have_room_and_leave_the_bars_theirs(
    real: Catalogue, lang: str
) -> None:
    """
    Each panel's labels stay inside its column (clear of the next panel and the page edge), and
    the bars use their axes: the longest whisker ends near the axis' end, not a third of the way.
    """
    fig = comparison_chart(
        real, summary(real, apply_scenario(real, "russia-transit-closed")), lang=lang
    )
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    panels = sorted((ax for ax in fig.axes if ax.patches), key=lambda ax: ax.get_position().x0)
    assert len(panels) == len(METRICS)
    page_right = fig.bbox.width - 0.42 * fig.dpi  # the chart's right margin
    for ax, following in zip(panels, [*panels[1:], None], strict=True):
        end = following.get_window_extent().x0 if following is not None else page_right
        labels = [text.get_window_extent(renderer) for text in ax.texts]
        assert labels and max(box.x1 for box in labels) <= end, ax.get_xlabel()
        bars = ax.get_window_extent()
        assert all(box.x0 >= bars.x0 for box in labels)
        longest = max(patch.get_bbox().x1 for patch in ax.patches)
        whiskers = [x for c in ax.collections for s in c.get_segments() for x, _ in s]
        reach = max([longest, *whiskers]) / ax.get_xlim()[1]
        assert reach >= 0.9, (ax.get_xlabel(), reach)
    save_artifact(f"comparison-real-{lang}-russia-closed.png", save_figure(fig, "png"))


def test_the_figure_s_land_reaches_past_the_date_line_where_a_route_does() -> None:
    """The route to Los Angeles is drawn east of Asia (longitude 241.7): the land there is the
    world's copy a turn east, so the port is on a coast, not in an empty ocean."""
    from shapely.geometry import Point

    from geo.figures.basemap import _world_between

    once = _world_between(-96.0, 170.0)
    twice = _world_between(-96.0, 262.0)
    los_angeles = Point(241.7, 33.75)
    assert not once.geometry.intersects(los_angeles.buffer(1.0)).any()
    assert twice.geometry.intersects(los_angeles.buffer(1.0)).any()
    assert len(twice) == 2 * len(once)
