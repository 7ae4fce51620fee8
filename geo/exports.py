"""
Briefing exports of the current view: figure, chart, table, interactive map, summary, or a ZIP.

One dispatcher picks the format from a file extension (or a format name, for the dashboard's
download buttons), so every entry point produces the same files. Every file comes in each language
of `geo.i18n.LANGUAGES`: words from `locales/<lang>/exports.yaml`, names from the catalogue, and
source titles as published. Catalogue strings are untrusted: they are HTML-escaped in HTML,
escaped in Markdown, and defused in CSV/XLSX cells that a spreadsheet would otherwise run as a
formula.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
import mimetypes
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote

from geo.assets import IMAGE_PATH_JS, SERVED_PREFIX, VENDOR_DIR
from geo.catalogue import Catalogue, Source
from geo.figures import (
    PRESETS,
    briefing_figure,
    cited_sources,
    close_figure,
    comparison_chart,
    save_figure,
    short_citations,
)
from geo.figures.words import Words, records_of
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES, localized
from geo.maps import BASEMAPS, NODE_CSS, corridor_map
from geo.metrics import CorridorMetrics, evaluate_all
from geo.scenarios import ActiveScenario
from geo.summary import BEST_BY, COLUMNS, best_corridors, flat_row, hops

FORMATS: dict[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "zip": "application/zip",
    "md": "text/markdown",
}
"""Export formats by file extension (without the dot), with their media types."""

PACK_FILES: dict[str, str] = {
    "briefing-map.png": "png",
    "briefing-map.svg": "svg",
    "briefing-map.pdf": "pdf",
    "comparison-chart.png": "chart-png",
    "comparison-chart.svg": "chart-svg",
    "comparison.csv": "csv",
    "comparison.xlsx": "xlsx",
    "interactive-map.html": "html",
    "summary.md": "md",
}
"""What the briefing pack holds: name in the ZIP -> what is written there."""

TABLE_COLUMNS: list[tuple[str, str]] = [
    COLUMNS[0],
    ("name", "name"),
    *COLUMNS[1:8],
    ("hops", "hops (count)"),
    *COLUMNS[8:],
]
"""
The comparison's columns with units in the (English) headings: `geo.summary.COLUMNS` plus name
and hops. The headings in each language are the messages `export.column.<key>`.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

HTML_LANG: dict[str, str] = {"en": "en", "zh": "zh-Hans"}
"""The `lang` attribute of an HTML page per interface language (BCP 47)."""


# --------------------------------------------------------------------------- the view


@dataclass
class Briefing:
    """One view (scenario, corridors, weights, date) and everything derived from it, made once."""

    catalogue: Catalogue
    active: ActiveScenario
    corridors: list[str] | None = None
    preset: str = "slide"
    weights: dict[str, float] | None = None
    date: dt.date | None = None
    title: str | None = None
    basemap: str = "natural-earth"
    lang: str = DEFAULT_LANGUAGE

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"`lang` was {self.lang!r}; expected one of {list(LANGUAGES)}")
        known = {c.id for c in self.catalogue.corridors}
        if self.corridors is not None:
            unknown = [c for c in self.corridors if c not in known]
            if unknown:
                raise ValueError(
                    f"`corridors` names unknown corridors: {', '.join(unknown)}; "
                    f"known: {', '.join(sorted(known))}"
                )
            if not self.corridors:
                raise ValueError("`corridors` is empty: choose at least one corridor to export")
        if self.preset not in PRESETS:
            raise ValueError(f"`preset` was {self.preset!r}; expected one of {list(PRESETS)}")
        if self.basemap not in BASEMAPS:
            raise ValueError(f"`basemap` was {self.basemap!r}; expected one of {list(BASEMAPS)}")
        self.date = self.date or dt.date.today()

    @cached_property
    def results(self) -> list[CorridorMetrics]:
        """The shown corridors' metrics, in the order asked for."""
        every = {
            r.corridor_id: r
            for r in evaluate_all(self.catalogue, self.active, weights=self.weights)
        }
        ids = list(dict.fromkeys(self.corridors)) if self.corridors else list(every)
        return [every[c] for c in ids]

    @cached_property
    def words(self) -> Words:
        return Words(self.lang)

    @cached_property
    def data(self) -> dict[str, Any]:
        """
        The comparison in the shape of `geo.summary.summary`, limited to the shown corridors, with
        names, markets and blocking reasons in the briefing's language.
        """
        scenario = self.active.scenario
        return {
            "scenario": {
                "id": scenario.id,
                "name": self.words.scenario(scenario),
                "description": localized(scenario, self.lang, field="description"),
            },
            "catalogue": {
                "title": localized(self.catalogue.meta, self.lang, "title"),
                "version": self.catalogue.meta.version,
            },
            "units": {"distance": "km", "time": "days", "cost": "USD per FEU (40-ft container)"},
            "corridors": records_of(self.catalogue, self.results, self.words),
        }

    @cached_property
    def changes(self) -> list[str]:
        return self.words.changes(self.catalogue, self.active.scenario)

    @cached_property
    def sources(self) -> list[Source]:
        return cited_sources(self.catalogue, self.results, self.active)

    @property
    def day(self) -> dt.date:
        return self.date or dt.date.today()

    @property
    def heading(self) -> str:
        return self.words.title(self.catalogue, self.title)

    @property
    def scenario_name(self) -> str:
        return self.words.scenario(self.active.scenario)

    @property
    def scenario_label(self) -> str:
        """'Russia transit closed (russia-transit-closed)'."""
        label = "export.scenario.label"
        return self.words.t(label, scenario=self.scenario_name, id=self.active.scenario.id)

    @property
    def full_title(self) -> str:
        """'Corridor Atlas: …: Russia transit closed', for a file's title."""
        return self.words.t("export.heading", heading=self.heading, scenario=self.scenario_name)


# --------------------------------------------------------------------------- dispatch


def export(
    catalogue: Catalogue,
    active: ActiveScenario,
    path: Path,
    *,
    corridors: list[str] | None = None,
    preset: str = "slide",
    weights: dict[str, float] | None = None,
    date: dt.date | None = None,
    title: str | None = None,
    basemap: str = "natural-earth",
    lang: str = DEFAULT_LANGUAGE,
) -> Path:
    """
    Write the current view to `path`, in the format its extension names.

    `.png .svg .pdf` the briefing figure, `.csv .xlsx` the comparison table, `.html` the
    interactive map as one offline file, `.md` a written summary, `.zip` all of them. Every word
    in them is in `lang`, a key of `geo.i18n.LANGUAGES` ("en" English, "zh" Simplified Chinese).

    Raises
    ------
    ValueError
        For an extension not listed above, unknown corridors, an unknown preset or language.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(
            f"cannot export to {path.name!r}: the extension {path.suffix or '(none)'!r} is not one "
            f"of {', '.join('.' + f for f in FORMATS)}"
        )
    data = export_bytes(
        catalogue,
        active,
        fmt,
        corridors=corridors,
        preset=preset,
        weights=weights,
        date=date,
        title=title,
        basemap=basemap,
        lang=lang,
    )
    path.write_bytes(data)
    return path


def export_bytes(
    catalogue: Catalogue,
    active: ActiveScenario,
    fmt: str,
    *,
    corridors: list[str] | None = None,
    preset: str = "slide",
    weights: dict[str, float] | None = None,
    date: dt.date | None = None,
    title: str | None = None,
    basemap: str = "natural-earth",
    lang: str = DEFAULT_LANGUAGE,
) -> bytes:
    """
    The same exports as `export`, as bytes for a download button; `fmt` is e.g. "png", `lang`
    e.g. "zh".
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"`fmt` was {fmt!r} but is expected to be one of {', '.join(FORMATS)}")
    briefing = Briefing(catalogue, active, corridors, preset, weights, date, title, basemap, lang)
    return _RENDER[fmt](briefing)


def media_type(fmt: str) -> str:
    """The media type for a download of `fmt` ("png", ".xlsx", …)."""
    return FORMATS[fmt.lower().lstrip(".")]


def file_name(active: ActiveScenario, fmt: str, date: dt.date | None = None) -> str:
    """A download name such as `corridor-briefing-baseline-2026-11-24.png`."""
    slug = re.sub(r"[^a-z0-9]+", "-", active.scenario.id.lower()).strip("-") or "scenario"
    day = (date or dt.date.today()).isoformat()
    return f"corridor-briefing-{slug}-{day}.{fmt.lower().lstrip('.')}"


# --------------------------------------------------------------------------- figures


def _figure_bytes(briefing: Briefing, formats: tuple[str, ...]) -> list[bytes]:
    fig = briefing_figure(
        briefing.catalogue,
        briefing.active,
        briefing.results,
        preset=briefing.preset,
        title=briefing.title,
        date=briefing.day,
        lang=briefing.lang,
    )
    try:
        return [save_figure(fig, fmt) for fmt in formats]
    finally:
        close_figure(fig)


def _chart_bytes(briefing: Briefing, formats: tuple[str, ...]) -> list[bytes]:
    fig = comparison_chart(briefing.catalogue, briefing.data, lang=briefing.lang)
    try:
        return [save_figure(fig, fmt) for fmt in formats]
    finally:
        close_figure(fig)


# --------------------------------------------------------------------------- table


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet will not run: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def table_rows(briefing: Briefing) -> list[list[Any]]:
    """Header (units in the headings) and one row per shown corridor, cells made safe."""
    words = briefing.words
    t = words.t
    rows: list[list[Any]] = [[t(f"export.column.{key}") for key, _ in TABLE_COLUMNS]]
    for record in briefing.data["corridors"]:
        flat = flat_row(record)
        flat["name"] = record["name"]
        flat["hops"] = hops(record)
        flat["passable"] = t("export.yes") if record["passable"] else t("export.no")
        flat["blocked_by"] = blocked_text(record["blocked_by"], words)
        rows.append([safe_cell(flat[key]) for key, _ in TABLE_COLUMNS])
    return rows


def blocked_text(blockers: list[dict[str, Any]], words: Words) -> str:
    """`geo.summary.blocked_by_text` in the briefing's language: one phrase per cause."""
    not_open = [b["leg"] for b in blockers if b["kind"] == "status"]
    phrases = list(dict.fromkeys(b["reason"] for b in blockers if b["kind"] != "status"))
    if len(not_open) == 1:
        phrases.append(next(b["reason"] for b in blockers if b["kind"] == "status"))
    elif not_open:
        legs = ", ".join(not_open[:2])
        phrases.append(words.t("export.blocked.unopened_list", count=len(not_open), legs=legs))
    return words.join(phrases)


def _about(briefing: Briefing) -> list[tuple[str, str]]:
    words = briefing.words
    t = words.t
    meta = briefing.catalogue.meta
    title = localized(meta, briefing.lang, "title")
    catalogue = t("export.about.catalogue_value", title=title, version=meta.version)
    return [
        (t("export.about.scenario"), briefing.scenario_label),
        (t("export.about.changes"), words.join(briefing.changes) or t("export.about.unchanged")),
        (t("export.about.date"), briefing.day.isoformat()),
        (t("export.about.catalogue"), catalogue),
        (t("export.about.units"), t("export.about.units_value")),
        (
            t("export.about.sources"),
            words.join(short_citations(briefing.sources)) or t("export.about.none"),
        ),
    ]


def _csv(briefing: Briefing) -> bytes:
    """The table, a blank row, then `scenario`, `date`, `sources`… rows a spreadsheet can open."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(table_rows(briefing))
    writer.writerow([])
    for key, value in _about(briefing):
        writer.writerow([key, safe_cell(value)])
    return out.getvalue().encode("utf-8-sig")


def _xlsx(briefing: Briefing) -> bytes:
    """Sheet "Comparison" (the table) and sheet "About" (scenario, changes, date, bibliography)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    t = briefing.words.t
    book = Workbook()
    sheet = book.active
    sheet.title = t("export.sheet.comparison")
    for row in table_rows(briefing):
        sheet.append([_xlsx_text(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    formats = {"distance_km": "#,##0", "transit_days": "0.0", "cost_usd_per_feu": "#,##0"}
    for index, (key, _) in enumerate(TABLE_COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = {"name": 34, "blocked_by": 48}.get(key, 14)
        for cell in sheet[letter][1:]:
            cell.number_format = formats.get(key, cell.number_format)
    _about_sheet(book.create_sheet(t("export.sheet.about")), briefing, Font(bold=True))
    book.properties.title = briefing.full_title
    book.properties.creator = "Corridor Atlas"
    stamp = dt.datetime.combine(briefing.day, dt.time())
    book.properties.created = stamp
    book.properties.modified = stamp
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _about_sheet(sheet: Any, briefing: Briefing, bold: Any) -> None:
    """Scenario, changes, date, catalogue and the bibliography of the shown corridors."""
    scenario = briefing.active.scenario
    meta = briefing.catalogue.meta
    t = briefing.words.t

    def put(*values: Any, strong: bool = False) -> int:
        sheet.append([_xlsx_text(safe_cell(v)) for v in values])
        if strong:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        return int(sheet.max_row)

    put(t("export.about.heading"), strong=True)
    put(t("export.about.scenario"), briefing.scenario_name)
    put(t("export.about.scenario_id"), scenario.id)
    put(t("export.about.description"), localized(scenario, briefing.lang, "description"))
    changes = briefing.changes or [t("export.about.unchanged")]
    for index, change in enumerate(changes):
        put(t("export.about.changes") if index == 0 else "", change)
    row = put(t("export.about.date"), briefing.day)
    sheet.cell(row=row, column=2).number_format = t("export.date_format.xlsx")
    put(t("export.about.catalogue"), localized(meta, briefing.lang, "title"))
    put(t("export.about.catalogue_version"), meta.version)
    put(t("export.about.units"), t("export.about.units_value"))
    put()
    put(t("export.about.sources_heading"), strong=True)
    columns = ("source_id", "source_title", "source_publisher", "source_year", "source_url")
    put(*(t(f"export.about.{column}") for column in columns), strong=True)
    for source in briefing.sources:
        row = put(source.id, source.title, source.publisher, source.year, source.url)
        if source.url and source.url.startswith(("http://", "https://")):
            sheet.cell(row=row, column=5).hyperlink = source.url
    for letter, width in zip("ABCDE", (22, 60, 28, 8, 50), strict=True):
        sheet.column_dimensions[letter].width = width


def _xlsx_text(value: Any) -> Any:
    """Strip control characters openpyxl refuses (a stray one in the YAML must not break export)."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


# --------------------------------------------------------------------------- interactive HTML


_SCRIPT_TAG = re.compile(r'<script\s+src="(?P<url>[^"]+)"\s*>\s*</script>')
_LINK_TAG = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>[^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?P<ref>[^'\")]+)\1\s*\)")
_MARKER_IMAGES = {
    "iconUrl": "leaflet/images/marker-icon.png",
    "iconRetinaUrl": "leaflet/images/marker-icon-2x.png",
    "shadowUrl": "leaflet/images/marker-shadow.png",
}


def _vendor_file(url: str) -> Path:
    """The file on disk behind a served `/app/static/vendor/...` URL (never outside VENDOR_DIR)."""
    name = url.removeprefix(SERVED_PREFIX + "/")
    path = (VENDOR_DIR / name).resolve()
    if not url.startswith(SERVED_PREFIX + "/") or VENDOR_DIR.resolve() not in path.parents:
        raise ValueError(f"not a vendored asset: {url}")
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make setup` to copy the vendor files")
    return path


def _data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path: Path) -> str:
    """A stylesheet with every relative `url(...)` replaced by the file itself as a data URI."""

    def replace(match: re.Match[str]) -> str:
        ref = match.group("ref").strip()
        if ref.startswith(("data:", "#", "http:", "https:", "//")):
            return match.group(0)
        target = (path.parent / ref).resolve()
        if VENDOR_DIR.resolve() not in target.parents or not target.is_file():
            return match.group(0)
        return f'url("{_data_uri(target)}")'

    return _CSS_URL.sub(replace, path.read_text(encoding="utf-8"))


def _icon_script() -> str:
    """Leaflet's default marker images as data URIs, in place of the served image path."""
    options = ", ".join(
        f'{key}: "{_data_uri(VENDOR_DIR / name)}"' for key, name in _MARKER_IMAGES.items()
    )
    return f'L.Icon.Default.imagePath = "";\nL.Icon.Default.mergeOptions({{{options}}});\n'


def standalone_html(
    html_text: str, *, caption: str = "", title: str = "", lang: str = DEFAULT_LANGUAGE
) -> str:
    """
    A rendered folium page made self-contained: vendored scripts and styles inlined.

    Every `/app/static/vendor/…` script and stylesheet is replaced by its contents, images in
    the CSS become data URIs, and the marker image path points at inlined images, so the file
    opens from disk with no server and no network. `caption` is HTML as given; `title` is
    escaped here. A page in another language than English says so (`<html lang="zh-Hans">`), so
    browsers pick Chinese fonts and screen readers the right voice.

    Raises
    ------
    RuntimeError
        If anything still points at the app's static files afterwards.
    """

    def script(match: re.Match[str]) -> str:
        url = match.group("url")
        if not url.startswith(SERVED_PREFIX):
            return match.group(0)
        if url.endswith(IMAGE_PATH_JS):
            body = _icon_script()
        else:
            body = _vendor_file(url).read_text(encoding="utf-8")
        return "<script>" + body.replace("</script", "<\\/script") + "</script>"

    def stylesheet(match: re.Match[str]) -> str:
        url = match.group("url")
        if not url.startswith(SERVED_PREFIX):
            return match.group(0)
        body = _inline_css(_vendor_file(url))
        return "<style>" + body.replace("</style", "<\\/style") + "</style>"

    page = _LINK_TAG.sub(stylesheet, _SCRIPT_TAG.sub(script, html_text))
    # the map's own rules again, after the inlined leaflet.css, so they win (sea colour)
    page = page.replace("</head>", NODE_CSS + "</head>", 1)
    if lang != DEFAULT_LANGUAGE:
        page = page.replace("<html>", f'<html lang="{HTML_LANG.get(lang, lang)}">', 1)
    if title:
        page = page.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>", 1)
    if caption:
        box = (
            '<div style="position:fixed;top:10px;left:50%;transform:translateX(-50%);'
            "z-index:1000;background:rgba(255,255,255,.92);padding:4px 10px;border-radius:4px;"
            'font:13px/1.3 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:60vw">'
            f"{caption}</div>"
        )
        page = page.replace("</body>", box + "\n</body>", 1)
    if SERVED_PREFIX in page:
        raise RuntimeError("the exported map still refers to the app's static files")
    return page


def _html(briefing: Briefing) -> bytes:
    words = briefing.words
    m = corridor_map(
        briefing.catalogue, briefing.results, basemap=briefing.basemap, lang=briefing.lang
    )
    scenario = words.t("export.html.scenario", scenario=briefing.scenario_name)
    caption = (
        f"<b>{html.escape(briefing.heading)}</b> · {html.escape(scenario)}"
        f" · {html.escape(words.date(briefing.day))}"
    )
    page = standalone_html(
        m.get_root().render(), caption=caption, title=briefing.full_title, lang=briefing.lang
    )
    return page.encode("utf-8")


# --------------------------------------------------------------------------- Markdown summary


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_MD_LINE_START = re.compile(r"^([-+=])")


def md_text(value: Any) -> str:
    """
    Catalogue text made inert in Markdown: one line, HTML escaped, Markdown syntax backslashed.

    Escaping `[` and `]` rules out links and images; a leading `-`, `+` or `=` is escaped so
    text never starts a list or an underline (`>` is already `&gt;`).
    """
    text = html.escape(" ".join(str(value).split()), quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\\\1", text)


def _md_url(url: str) -> str:
    return "<" + quote(url, safe=":/?#[]@!$&'()*+,;=%~-._") + ">"


def _markdown(briefing: Briefing) -> bytes:
    """
    The written summary. Messages are trusted Markdown; everything filled into them from the
    catalogue goes through `md_text`.
    """
    data, scenario, words = briefing.data, briefing.active.scenario, briefing.words
    t = words.t
    meta = briefing.catalogue.meta
    records = data["corridors"]
    name = md_text(briefing.scenario_name)
    columns = ("corridor", "passable", "distance", "transit", "cost", "hops", "exposure")
    headings = " | ".join(t(f"export.md.column.{column}") for column in columns)
    changes = [f"- {md_text(c)}" for c in briefing.changes] or [f"- {t('export.md.unchanged')}"]
    rationale = md_text(localized(scenario, briefing.lang, field="rationale"))
    lines = [
        f"# {t('export.heading', heading=md_text(briefing.heading), scenario=name)}",
        "",
        t(
            "export.md.catalogue",
            date=md_text(words.date(briefing.day)),
            title=md_text(localized(meta, briefing.lang, "title")),
            version=md_text(meta.version),
        ),
        "",
        f"## {t('export.scenario.heading', scenario=name)}",
        "",
        md_text(localized(scenario, briefing.lang, "description")),
        "",
        t("export.md.assumptions"),
        "",
        *changes,
        "",
        t("export.md.rationale", rationale=rationale),
        "",
        f"## {t('export.key.corridors')}",
        "",
        f"| {headings} |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in records:
        passable = t("export.yes") if r["passable"] else f"**{t('export.no')}**"
        lines.append(
            f"| {md_text(r['name'])} | {passable} "
            f"| {r['distance_km']:,} | {r['transit_days']:.1f} | {r['cost_usd_per_feu']:,} "
            f"| {hops(r)} | {r['exposure']['score']:.1f} |"
        )
    lines += [
        "",
        t("export.md.hops_note"),
        "",
        f"## {t('export.md.best')}",
        "",
        *_md_best(data, words),
        "",
        f"## {t('export.md.impassable')}",
        "",
        *_md_blocked(records, words),
        "",
        f"## {t('export.md.sources')}",
        "",
        *_md_sources(briefing.sources, words),
        "",
    ]
    return "\n".join(lines).encode("utf-8")


MD_FIGURES: dict[str, Callable[[dict[str, Any]], str]] = {
    "cost_usd_per_feu": lambda r: f"{r['cost_usd_per_feu']:,}",
    "transit_days": lambda r: f"{r['transit_days']:.1f}",
    "hops": lambda r: f"{hops(r)}",
    "exposure_score": lambda r: f"{r['exposure']['score']:.1f}",
    "distance_km": lambda r: f"{r['distance_km']:,}",
}
"""The summary's best-of columns (see `geo.summary.BEST_BY`) and how each figure is written."""


def _md_best(data: dict[str, Any], words: Words) -> list[str]:
    """Winners per lower-is-better column, one per market (ties kept), each with its figure."""
    t = words.t
    best = best_corridors(data)
    if not best:
        return [t("export.md.best_none")]
    by_id = {r["id"]: r for r in data["corridors"]}
    several = len({r.get("market") for r in data["corridors"]}) > 1
    lines = []
    for column in (c for c in MD_FIGURES if c in BEST_BY):
        winners = []
        for corridor_id in best.get(column, []):
            record = by_id[corridor_id]
            figure = t(f"export.figure.{column}", value=MD_FIGURES[column](record))
            if several:
                market = md_text(record.get("market", ""))
                figure = t("export.takeaway.market", market=market, text=figure)
            winners.append(t("export.md.winner", name=md_text(record["name"]), figure=figure))
        if winners:
            label = t(f"export.best.{column}")
            lines.append(f"- {t('export.md.best_line', label=label, winners=words.join(winners))}")
    if several:
        lines += ["", t("export.md.markets_note")]
    return lines


def _md_blocked(records: list[dict[str, Any]], words: Words) -> list[str]:
    lines = []
    for record in records:
        if not record["passable"]:
            reasons = list(dict.fromkeys(b["reason"] for b in record["blocked_by"]))
            text = md_text(words.join(reasons))
            line = words.t("export.md.impassable_line", name=md_text(record["name"]), reasons=text)
            lines.append(f"- {line}")
    return lines or [words.t("export.md.impassable_none")]


def _md_sources(sources: list[Source], words: Words) -> list[str]:
    """The bibliography as published (titles and publishers are citations, not translated)."""
    lines = []
    for source in sources:
        url = f" {_md_url(source.url)}" if source.url else ""
        lines.append(
            f"- {md_text(source.publisher)} ({source.year}). {md_text(source.title)}.{url}"
            f" \\[{md_text(source.id)}\\]"
        )
    return lines or [words.t("export.md.sources_none")]


# --------------------------------------------------------------------------- ZIP pack


def _zip(briefing: Briefing) -> bytes:
    """Every part of the briefing in one archive, each made once from the same view."""
    png, svg, pdf = _figure_bytes(briefing, ("png", "svg", "pdf"))
    chart_png, chart_svg = _chart_bytes(briefing, ("png", "svg"))
    parts = {
        "png": png,
        "svg": svg,
        "pdf": pdf,
        "chart-png": chart_png,
        "chart-svg": chart_svg,
        "csv": _csv(briefing),
        "xlsx": _xlsx(briefing),
        "html": _html(briefing),
        "md": _markdown(briefing),
    }
    out = io.BytesIO()
    stamp = (briefing.day.year, briefing.day.month, briefing.day.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, part in PACK_FILES.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, parts[part])
    return out.getvalue()


_RENDER: dict[str, Any] = {
    "png": lambda b: _figure_bytes(b, ("png",))[0],
    "svg": lambda b: _figure_bytes(b, ("svg",))[0],
    "pdf": lambda b: _figure_bytes(b, ("pdf",))[0],
    "csv": _csv,
    "xlsx": _xlsx,
    "html": _html,
    "md": _markdown,
    "zip": _zip,
}
