"""
Fonts, saving, and layout in inches: text measured and wrapped, stacked in columns, boxes and
page furniture (header, footer), so figures are computed instead of guessed.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.typing import RcKeyType

from geo.figures.style import (
    ACCENT,
    CJK_FAMILY,
    CJK_FONT,
    INK,
    LINE_SPACING,
    MUTED,
    PNG_DPI,
    RULE,
)

# --------------------------------------------------------------------------- fonts and saving


@cache
def font_families() -> tuple[str, ...]:
    """
    Font family list with the CJK font as fallback after DejaVu Sans.

    The font is registered once with matplotlib's font manager, so Chinese names render even when
    the font cache was built before the font was installed.
    """
    if not CJK_FONT.is_file():
        return ("DejaVu Sans",)
    if CJK_FAMILY not in {entry.name for entry in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(CJK_FONT))
    return ("DejaVu Sans", CJK_FAMILY)


@contextmanager
def rendering() -> Iterator[None]:
    """
    Figure settings, and quiet font lookups while they apply.

    The CJK fallback font has no bold face, and matplotlib logs that for every bold text;
    the regular face is the right fallback, so the message is noise here.
    """
    fonts = logging.getLogger("matplotlib.font_manager")
    level = fonts.level
    fonts.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context(figure_rc()):
            yield
    finally:
        fonts.setLevel(level)


def figure_rc() -> dict[RcKeyType, Any]:
    """
    Settings for building and saving every figure here.

    Catalogue text is untrusted and may hold `$`: mathtext is off so it prints as written. SVG keeps
    text as <text> (searchable, editable), PDF embeds TrueType, and SVG ids are stable.
    """
    return {
        "font.family": list(font_families()),
        "text.parse_math": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "corridor-atlas",
        "pdf.fonttype": 42,
        "hatch.linewidth": 0.5,
        "axes.unicode_minus": True,
    }


def save_figure(fig: Figure, fmt: str, *, dpi: int = PNG_DPI) -> bytes:
    """
    The figure as PNG, SVG or PDF bytes, under the same settings it was built with.

    One figure can be saved in several formats; call `close_figure` when done with it.
    """
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"`fmt` was {fmt!r} but is expected to be 'png', 'svg' or 'pdf'")
    out = io.BytesIO()
    by_format: dict[str, dict[str, Any]] = {
        "png": {"Software": "Corridor Atlas"},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "Creator": "Corridor Atlas"},
    }
    metadata = by_format[fmt]
    with rendering():
        fig.savefig(out, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    return out.getvalue()


def close_figure(fig: Figure) -> None:
    """Drop a figure's artists (figures here never enter pyplot, so nothing else holds them)."""
    fig.clear()


def new_figure(size: tuple[float, float]) -> tuple[Figure, Ink]:
    fig = Figure(figsize=size, dpi=PNG_DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    # Drawn once, when saved: geopandas asks for a redraw after each layer it plots, which on
    # Agg is a full render of the page every time.
    canvas.draw_idle = lambda *args, **kwargs: None  # type: ignore[method-assign]
    return fig, Ink(fig)


# --------------------------------------------------------------------------- text measurement


WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
"""CJK characters and full-width punctuation: a line may break between any two of them."""
OPENING = "（《「『【〈“‘"
CLOSING = "）》」』】〉”’，。、；：！？…·—"


def break_units(word: str) -> list[str]:
    """
    A space-free word cut where a line may break: between Chinese characters, with closing marks
    kept on the unit before and opening marks on the unit after; Latin runs stay whole.
    """
    if not WIDE.search(word):
        return [word]
    units: list[str] = []
    for char in word:
        if units and (char in CLOSING or all(c in OPENING for c in units[-1])):
            units[-1] += char
        elif (
            WIDE.match(char)
            or char in OPENING
            or not units
            or WIDE.match(units[-1][-1])
            or units[-1][-1] in CLOSING
        ):
            units.append(char)
        else:
            units[-1] += char
    return units


def heading_weight(text: str) -> str:
    """
    Bold, unless the text holds Chinese: the CJK font has no bold face, and bold Latin letters or
    digits beside regular Chinese (a bold '2030' in '中间走廊2030') look like a mistake.
    """
    return "normal" if WIDE.search(text) else "bold"


class Ink:
    """Measures text in inches on one figure, so layouts are computed instead of guessed."""

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self._widths: dict[tuple[str, float, str], float] = {}

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        key = (text, size, weight)
        if key not in self._widths:
            prop = FontProperties(family=list(font_families()), size=size, weight=weight)
            width, _, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
            self._widths[key] = float(width) / self.fig.dpi
        return self._widths[key]

    def wrap(self, text: str, width: float, size: float, weight: str = "normal") -> list[str]:
        """
        Greedy word wrap to `width` inches; Chinese breaks between characters, never before a
        closing mark (，。）…) or after an opening one (（“…), and a word wider than a line breaks
        anywhere.

        A line's width is the sum of its (cached) word widths and spaces: long source lists are
        wrapped many times while fitting, and measuring whole lines each time is slow.
        """
        space = self.width("a a", size, weight) - 2 * self.width("a", size, weight)
        width *= 0.98  # summed word widths run a little short of the set line
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current, used = "", 0.0
            for word in paragraph.split():
                for index, unit in enumerate(break_units(word)):
                    for piece in self._pieces(unit, width, size, weight):
                        gap, joiner = (space, " ") if index == 0 else (0.0, "")
                        extent = self.width(piece, size, weight)
                        if current and used + gap + extent > width:
                            lines.append(current)
                            current, used = piece, extent
                        elif current:
                            current, used = f"{current}{joiner}{piece}", used + gap + extent
                        else:
                            current, used = piece, extent
            lines.append(current)
        return lines

    def _pieces(self, word: str, width: float, size: float, weight: str) -> list[str]:
        if self.width(word, size, weight) <= width:
            return [word]
        pieces, current = [], ""
        for char in word:
            if current and self.width(current + char, size, weight) > width:
                pieces.append(current)
                current = ""
            current += char
        return [*pieces, current] if current else pieces

    def fit(self, text: str, width: float, size: float, weight: str = "normal") -> str:
        """`text` cut with an ellipsis to fit on one line."""
        if self.width(text, size, weight) <= width:
            return text
        while text and self.width(text + "…", size, weight) > width:
            text = text[:-1]
        return text.rstrip() + "…"


def text_height(lines: int, size: float) -> float:
    return lines * size * LINE_SPACING / 72


@dataclass
class Flow:
    """A column of rows stacked top-down in inches; with `draw=False` it only measures."""

    fig: Figure
    ink: Ink
    x: float
    top: float
    width: float
    bottom: float = -math.inf
    draw: bool = True
    y: float = field(init=False)

    def __post_init__(self) -> None:
        self.y = self.top

    def room(self, height: float) -> bool:
        return self.y - height >= self.bottom - 1e-6

    def gap(self, inches: float) -> None:
        self.y -= inches

    def text(
        self,
        text: str,
        *,
        size: float,
        colour: str = INK,
        weight: str = "normal",
        indent: float = 0.0,
        max_lines: int | None = None,
        style: str = "normal",
    ) -> bool:
        """
        Wrapped text; False (and nothing drawn) when it does not fit above `bottom`. Bold text
        with Chinese in it is set regular (see `heading_weight`).
        """
        if weight == "bold":
            weight = heading_weight(text)
        lines = self.ink.wrap(text, self.width - indent, size, weight)
        if max_lines is not None and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = self.ink.fit(lines[-1] + " …", self.width - indent, size, weight)
        height = text_height(len(lines), size)
        if not self.room(height):
            return False
        if self.draw:
            self.fig.text(
                self.x + indent,
                self.y,
                "\n".join(lines),
                transform=self.fig.dpi_scale_trans,
                ha="left",
                va="top",
                fontsize=size,
                color=colour,
                fontweight=weight,
                fontstyle=style,
                linespacing=LINE_SPACING,
            )
        self.y -= height
        return True

    def row(
        self,
        label: str,
        symbol: Callable[[Figure, float, float, float], None],
        *,
        size: float,
        colour: str = INK,
        note: str | None = None,
        swatch: float = 0.46,
    ) -> bool:
        """A key row: a symbol drawn in a swatch box, its label, and an optional grey note."""
        text_x = swatch + 0.08
        lines = self.ink.wrap(label, self.width - text_x, size)
        note_lines = self.ink.wrap(note, self.width - text_x, size - 1) if note else []
        height = text_height(len(lines), size) + text_height(len(note_lines), size - 1)
        if not self.room(height):
            return False
        if self.draw:
            middle = self.y - text_height(1, size) / 2 - 0.01
            symbol(self.fig, self.x, self.x + swatch, middle)
            self.fig.text(
                self.x + text_x,
                self.y,
                "\n".join(lines),
                transform=self.fig.dpi_scale_trans,
                ha="left",
                va="top",
                fontsize=size,
                color=colour,
                linespacing=LINE_SPACING,
            )
            if note_lines:
                self.fig.text(
                    self.x + text_x,
                    self.y - text_height(len(lines), size),
                    "\n".join(note_lines),
                    transform=self.fig.dpi_scale_trans,
                    ha="left",
                    va="top",
                    fontsize=size - 1,
                    color=MUTED,
                    linespacing=LINE_SPACING,
                )
        self.y -= height + 0.03
        return True

    def grid(
        self,
        items: list[tuple[str, Callable[[Figure, float, float, float], None]]],
        *,
        size: float,
        columns: int = 2,
        swatch: float = 0.2,
    ) -> None:
        """Short symbol rows side by side: node symbols need less width than a line of text."""
        if any(
            self.ink.width(label, size) > self.width / columns - swatch - 0.3 for label, _ in items
        ):
            columns = 1
        cell = self.width / columns
        step = text_height(1, size) + 0.03
        for start in range(0, len(items), columns):
            if not self.room(step):
                return
            for offset, (label, symbol) in enumerate(items[start : start + columns]):
                x = self.x + offset * cell
                if self.draw:
                    middle = self.y - text_height(1, size) / 2 - 0.01
                    symbol(self.fig, x + 0.13, x + 0.13 + swatch, middle)
                    self.fig.text(
                        x + 0.13 + swatch + 0.08,
                        self.y,
                        self.ink.fit(label, cell - swatch - 0.25, size),
                        transform=self.fig.dpi_scale_trans,
                        ha="left",
                        va="top",
                        fontsize=size,
                        color=INK,
                    )
            self.y -= step


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.bottom + self.height

    @property
    def right(self) -> float:
        return self.left + self.width


def add_axes(fig: Figure, box_in: Box) -> Axes:
    fig_w, fig_h = fig.get_size_inches()
    return fig.add_axes(
        (box_in.left / fig_w, box_in.bottom / fig_h, box_in.width / fig_w, box_in.height / fig_h)
    )


# --------------------------------------------------------------------------- page furniture


def header(
    fig: Figure, ink: Ink, parts: dict[str, Any], *, left: float, top: float, width: float
) -> float:
    """Accent bar, title and subtitle lines; returns the bottom of the header in inches."""
    fig.add_artist(
        Rectangle((left, top - 0.05), 0.55, 0.05, transform=fig.dpi_scale_trans, color=ACCENT, lw=0)
    )
    flow = Flow(fig, ink, left, top - 0.13, width)
    flow.text(parts["title"], size=parts["title_size"], weight="bold", max_lines=2)
    flow.gap(0.02)
    for line in parts["subtitle"]:
        flow.text(line, size=parts["subtitle_size"], colour=MUTED, max_lines=parts["lines"])
    return flow.y


def footer(
    fig: Figure, text: list[str], *, left: float, bottom: float, width: float, size: float
) -> None:
    fig.add_artist(
        Line2D(
            [left, left + width],
            [bottom + text_height(len(text), size) + 0.08] * 2,
            transform=fig.dpi_scale_trans,
            color=RULE,
            lw=0.6,
        )
    )
    fig.text(
        left,
        bottom,
        "\n".join(text),
        transform=fig.dpi_scale_trans,
        ha="left",
        va="bottom",
        fontsize=size,
        color=MUTED,
        linespacing=LINE_SPACING,
    )
