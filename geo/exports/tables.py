"""
The comparison as a table (CSV and XLSX) with the view it was made under. Catalogue text lands in
spreadsheet cells here, so this is where text that a spreadsheet would run as a formula is defused
(`safe_cell`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import TYPE_CHECKING, TypeVar

from geo.exports.briefing import Briefing
from geo.figures import short_citations
from geo.i18n import localized
from geo.numbers import figure_status, range_parts, record_range
from geo.summary import COLUMNS, blocked_by_text, flat_row, hops

if TYPE_CHECKING:
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

Cell = str | int | float | dt.date | None
"""What one spreadsheet cell holds (a bool is an int)."""

CellT = TypeVar("CellT", bound=Cell)

_OWN_HEADINGS = {
    "name": "name",
    "status": "status",
    "transit_days_low": "transit low (days)",
    "transit_days_high": "transit high (days)",
    "cost_usd_per_feu_low": "cost low (USD/FEU)",
    "cost_usd_per_feu_high": "cost high (USD/FEU)",
    "hops": "hops (count)",
}
_TABLE_KEYS = (
    "id",
    "name",
    "passable",
    "status",
    "distance_km",
    "transit_days",
    "transit_days_low",
    "transit_days_high",
    "cost_usd_per_feu",
    "cost_usd_per_feu_low",
    "cost_usd_per_feu_high",
    "border_crossings",
    "transshipments",
    "gauge_breaks",
    "hops",
    "exposure_score",
    "blocked_by",
)
TABLE_COLUMNS: list[tuple[str, str]] = [
    (key, _OWN_HEADINGS.get(key) or dict(COLUMNS)[key]) for key in _TABLE_KEYS
]
"""
The comparison's columns with units in the (English) headings: `geo.summary.COLUMNS` plus name,
hops, whether the figures hold only if the corridor opens (`status`), and the low and high of
transit and cost beside each. The headings in each language are the messages
`export.column.<key>`.
"""

RANGE_DIGITS = {"transit_days": 1, "cost_usd_per_feu": 0}
"""Totals with a range, and the decimals their low and high keep (as the typical does)."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""How a cell a spreadsheet would run as a formula starts."""


def safe_cell(value: CellT) -> CellT | str:
    """A cell value a spreadsheet will not run: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def table_rows(briefing: Briefing) -> list[list[Cell]]:
    """Header (units in the headings) and one row per shown corridor, cells made safe."""
    t = briefing.words.t
    rows: list[list[Cell]] = [[t(f"export.column.{key}") for key, _ in TABLE_COLUMNS]]
    for record in briefing.data["corridors"]:
        flat = flat_row(record)
        flat["name"] = record["name"]
        flat["hops"] = hops(record)
        flat["passable"] = t("export.yes") if record["passable"] else t("export.no")
        flat["status"] = t(f"figures.status.{figure_status(record)}")
        for key, digits in RANGE_DIGITS.items():
            low, _, high = range_parts(record_range(record, key))
            flat[f"{key}_low"], flat[f"{key}_high"] = _rounded(low, digits), _rounded(high, digits)
        flat["blocked_by"] = blocked_by_text(
            record["blocked_by"], catalogue=briefing.catalogue, t=t, lang=briefing.lang
        )
        rows.append([safe_cell(flat[key]) for key, _ in TABLE_COLUMNS])
    return rows


def _rounded(value: float, digits: int) -> float | int:
    return round(value, digits) if digits else round(value)


def _about_rows(briefing: Briefing) -> list[tuple[str, str]]:
    """What the table was made under: scenario, its changes, date, catalogue, units, sources."""
    words = briefing.words
    t = words.t
    meta = briefing.catalogue.meta
    title = localized(meta, briefing.lang, "title")
    catalogue = t("export.about.catalogue_value", title=title, **briefing.citation)
    return [
        (t("export.about.scenario"), briefing.scenario_label),
        (t("export.about.changes"), words.join(briefing.changes) or t("export.about.unchanged")),
        (t("export.about.date"), briefing.day.isoformat()),
        (t("export.about.catalogue"), catalogue),
        (t("export.about.units"), t("export.about.units_value")),
        (t("export.about.range"), t("export.about.range_value")),
        (
            t("export.about.sources"),
            words.join(short_citations(briefing.sources)) or t("export.about.none"),
        ),
    ]


def csv_bytes(briefing: Briefing) -> bytes:
    """The table, a blank row, then `scenario`, `date`, `sources`… rows a spreadsheet can open."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(table_rows(briefing))
    writer.writerow([])
    for key, value in _about_rows(briefing):
        writer.writerow([key, safe_cell(value)])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(briefing: Briefing) -> bytes:
    """Sheet "Comparison" (the table) and sheet "About" (scenario, changes, date, bibliography)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    t = briefing.words.t
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook starts with one worksheet
    sheet.title = t("export.sheet.comparison")
    for row in table_rows(briefing):
        sheet.append([_xlsx_text(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    formats = {"distance_km": "#,##0"}
    for key, digits in RANGE_DIGITS.items():
        for column in (key, f"{key}_low", f"{key}_high"):
            formats[column] = "0.0" if digits else "#,##0"
    for index, (key, _) in enumerate(TABLE_COLUMNS, start=1):
        letter = get_column_letter(index)
        widths = {"name": 34, "status": 30, "blocked_by": 48}
        sheet.column_dimensions[letter].width = widths.get(key, 14)
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


def _about_sheet(sheet: Worksheet, briefing: Briefing, bold: Font) -> None:
    """Scenario, changes, date, catalogue and the bibliography of the shown corridors."""
    scenario = briefing.active.scenario
    meta = briefing.catalogue.meta
    t = briefing.words.t

    def put(*values: Cell, strong: bool = False) -> int:
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
    put(t("export.about.catalogue_hash"), briefing.citation["hash"])
    put(t("export.about.units"), t("export.about.units_value"))
    put(t("export.about.range"), t("export.about.range_value"))
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


def _xlsx_text(value: CellT) -> CellT | str:
    """Strip control characters openpyxl refuses (a stray one in the YAML must not break export)."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value
