"""
The briefing pack: every format of one view in one ZIP, each part made once from the same
`Briefing` (the figure is drawn once for its three formats), every entry dated with its day.
"""

from __future__ import annotations

import io
import zipfile

from geo.exports.briefing import Briefing
from geo.exports.decisions import tradeoff_parts
from geo.exports.figures import chart_bytes, figure_bytes
from geo.exports.html import html_bytes
from geo.exports.markdown import markdown_bytes
from geo.exports.tables import csv_bytes, xlsx_bytes

PACK_FILES: dict[str, str] = {
    "briefing-map.png": "png",
    "briefing-map.svg": "svg",
    "briefing-map.pdf": "pdf",
    "comparison-chart.png": "chart-png",
    "comparison-chart.svg": "chart-svg",
    "comparison.csv": "csv",
    "comparison.xlsx": "xlsx",
    "tradeoffs.png": "tradeoffs-png",
    "tradeoffs.svg": "tradeoffs-svg",
    "tradeoffs.csv": "tradeoffs-csv",
    "interactive-map.html": "html",
    "summary.md": "md",
}
"""What the briefing pack holds: name in the ZIP -> what is written there."""


def zip_bytes(briefing: Briefing) -> bytes:
    """Every part of the briefing in one archive, each made once from the same view."""
    png, svg, pdf = figure_bytes(briefing, ("png", "svg", "pdf"))
    chart_png, chart_svg = chart_bytes(briefing, ("png", "svg"))
    tradeoffs_png, tradeoffs_svg, tradeoffs_csv = tradeoff_parts(briefing)
    parts = {
        "png": png,
        "svg": svg,
        "pdf": pdf,
        "chart-png": chart_png,
        "chart-svg": chart_svg,
        "csv": csv_bytes(briefing),
        "xlsx": xlsx_bytes(briefing),
        "tradeoffs-png": tradeoffs_png,
        "tradeoffs-svg": tradeoffs_svg,
        "tradeoffs-csv": tradeoffs_csv,
        "html": html_bytes(briefing),
        "md": markdown_bytes(briefing),
    }
    out = io.BytesIO()
    stamp = (briefing.day.year, briefing.day.month, briefing.day.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.comment = briefing.cite.encode("utf-8")
        for name, part in PACK_FILES.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, parts[part])
    return out.getvalue()
