"""
Ranges on totals, by Monte Carlo over the figures' low / value / high (`docs/model.md`).

Each uncertain figure is one quantity: it is drawn once per sample from a triangular distribution
and that draw is shared by every leg and node that uses it, so a corridor's range reflects the
figures it rests on, not independent lows summed (a total nobody observes). A figure's draws come
from a generator seeded by the run's seed and the figure's stream (`stream_key`: its key, or for a
country's rail rate or speed the measurement it states), so they are the same whichever corridors,
stretches or routes are evaluated, and in whatever order.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from geo import settings
from geo.catalogue import Figure

PERCENTILES = (10.0, 90.0)
"""The range is the 10th to 90th percentile of the simulated totals: an 80 % interval."""

Draws = npt.NDArray[np.float64]
Samples = Draws | float
"""A quantity per sample: an array of draws, or a plain float when nothing about it is uncertain."""


@dataclass(frozen=True)
class Range:
    """A total's typical value (the model at the figures' values) and its 80 % interval."""

    low: float
    typical: float
    high: float

    def __post_init__(self) -> None:
        if not self.low <= self.typical <= self.high:
            raise ValueError(f"a range needs low <= typical <= high, not {self}")

    @classmethod
    def exact(cls, value: float) -> Range:
        """A total with no uncertain figure behind it."""
        return cls(value, value, value)

    def as_dict(self) -> dict[str, float]:
        """`{"low", "typical", "high"}`, unrounded: the caller knows the unit's precision."""
        return {"low": self.low, "typical": self.typical, "high": self.high}

    def rounded(self, digits: int | None) -> dict[str, float]:
        """`as_dict` rounded (None: to a whole number, as an int-valued float would print)."""
        return {k: round(v, digits) for k, v in self.as_dict().items()}


def figure_bounds(figure: Figure) -> tuple[float, float, float]:
    """(low, mode, high) of a figure's triangle; a missing bound is the value itself."""
    low = figure.value if figure.low is None else min(figure.low, figure.value)
    high = figure.value if figure.high is None else max(figure.high, figure.value)
    return low, figure.value, high


def triangular(uniform: Draws, low: float, mode: float, high: float) -> Draws:
    """Inverse CDF of the triangular distribution (low, mode, high) at `uniform` in [0, 1)."""
    width = high - low
    cut = (mode - low) / width
    below = low + np.sqrt(uniform * width * (mode - low))
    above = high - np.sqrt((1 - uniform) * width * (high - mode))
    result: Draws = np.where(uniform < cut, below, above)
    return result


def _key_words(key: str) -> list[int]:
    digest = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")
    return [digest & 0xFFFFFFFF, digest >> 32]


SHARED_KINDS = ("rail_cost", "rail_speed")
"""Country figures (`country:<code>:<kind>`) that several countries may state as one measurement."""


def stream_key(key: str, figure: Figure) -> str:
    """
    The name a figure's draws are seeded by: its key, except for a country's rail rate or speed
    with sources, which is named by the measurement it states (the kind, the value and the
    first-listed source, the one the value is read from). Countries that state the same rail
    figure from the same source (Russia and Belarus the ERAI composite) thus share one stream:
    identical figures draw identically, and one with bounds of its own (Kazakhstan's lower rate)
    moves with them, high when they are high. A different value or first source stays independent.
    """
    parts = key.split(":")
    if len(parts) == 3 and parts[0] == "country" and parts[2] in SHARED_KINDS and figure.sources:
        return f"rail-measurement:{parts[2]}:{figure.value!r}:{figure.sources[0]}"
    return key


class Sampler:
    """
    Draws for one evaluation: `draws` samples per uncertain figure, seeded per figure's stream.

    A figure's draws depend only on the seed, its stream and its low / value / high. The sampler
    keeps every figure it has drawn, however many (an evaluation draws each once), and the
    process keeps the most recent `CACHED_FIGURES` (`_figure_draws`), so a parameter used by every
    leg is drawn once, and a route or a rerun evaluated after the corridors reuses their draws.
    """

    def __init__(self, draws: int | None = None, seed: int | None = None) -> None:
        current = settings.get()
        self.draws = max(current.range_draws if draws is None else draws, 2)
        self.seed = current.range_seed if seed is None else seed
        self._drawn: dict[tuple[str, float, float, float], Draws] = {}

    def draw(self, key: str, figure: Figure) -> Samples:
        """The figure's value in every sample; a float when the figure has no low/high spread."""
        low, mode, high = figure_bounds(figure)
        if low == high:
            return figure.value
        name = (stream_key(key, figure), low, mode, high)
        found = self._drawn.get(name)
        if found is None:
            found = self._drawn[name] = _figure_draws(self.seed, self.draws, *name)
        return found

    def spread(self, samples: Samples, typical: float) -> Range:
        """The range of one simulated total (see `spreads`)."""
        return spreads([samples], [typical])[0]


CACHED_FIGURES = 8192
"""Figures whose draws the process keeps: about twice the 4,221 of the 100x benchmark catalogue
(128 MB at 2,000 draws), so evaluating it again draws nothing; 2,048 made every 100x evaluation
draw them all afresh."""


@lru_cache(maxsize=CACHED_FIGURES)
def _figure_draws(  # noqa: PLR0917 (positional: lru_cache keys on the arguments)
    seed: int, draws: int, stream: str, low: float, mode: float, high: float
) -> Draws:
    """One figure's draws (read-only, since they are shared)."""
    rng = np.random.Generator(np.random.PCG64([seed, *_key_words(stream)]))
    samples = triangular(rng.random(draws), low, mode, high)
    samples.flags.writeable = False
    return samples


def spreads(samples: Sequence[Samples], typicals: Sequence[float]) -> list[Range]:
    """
    The 10th–90th percentile of each simulated total, clamped to hold its typical value.

    Totals with draws are sorted together in one call (one per row is several times slower at
    100x); a plain float has no spread.
    """
    ranges = [Range.exact(t) for t in typicals]
    rows = [i for i, s in enumerate(samples) if isinstance(s, np.ndarray)]
    if not rows:
        return ranges
    for chunk in range(0, len(rows), 1024):
        part = rows[chunk : chunk + 1024]
        ordered = np.sort(np.stack([samples[i] for i in part]), axis=1)
        count = ordered.shape[1]
        for index, row in zip(part, _percentiles(ordered, count), strict=True):
            low, high = row
            typical = typicals[index]
            ranges[index] = Range(min(low, typical), typical, max(high, typical))
    return ranges


def _percentiles(ordered: Draws, count: int) -> list[tuple[float, float]]:
    """Linear-interpolated percentiles (numpy's default method) of rows already sorted."""
    result = []
    columns = []
    for percentile in PERCENTILES:
        position = percentile / 100 * (count - 1)
        below = int(np.floor(position))
        above = min(below + 1, count - 1)
        fraction = position - below
        columns.append(ordered[:, below] * (1 - fraction) + ordered[:, above] * fraction)
    for low, high in zip(columns[0].tolist(), columns[1].tolist(), strict=True):
        result.append((float(low), float(high)))
    return result


Kind = Literal["days", "usd"]
"""How a total is written: days to 0.1; US dollars to the nearest 10, with thousands separators."""

DASH = "–"
"""An en dash between low and high."""


def number_text(value: float, kind: Kind) -> str:
    """One figure by the unit rules: '28.0' days, '3,410' USD (halves round up, not to even)."""
    if kind == "days":
        return f"{value:.1f}"
    return f"{math.floor(value / 10 + 0.5) * 10:,.0f}"


def range_text(low: float, typical: float, high: float, kind: Kind) -> str:
    """
    'typical (low–high)' by the unit rules, e.g. '28.0 (24.1–35.2)' or '3,410 (2,980–4,120)'; a
    figure whose low and high read the same as its typical is written once (a range of nothing is
    noise). The one text of a range: the command line's tables and every view
    (`geo.numbers.format_range`) write it, so a range pasted from any of them reads the same.
    """
    low_text, typical_text, high_text = (number_text(v, kind) for v in (low, typical, high))
    if low_text == typical_text == high_text:
        return typical_text
    return f"{typical_text} ({low_text}{DASH}{high_text})"
