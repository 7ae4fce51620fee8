"""
Every threshold and limit in one place, each with its default and the reason for it.

Code reads a setting at call time through `get()` (never a copy taken at import), so a test or
an operator can change one without patching the module that uses it:

- tests: the `settings` fixture in `tests/conftest.py` (`settings.override(fetch_above=0)`);
- a server: `CORRIDOR_ATLAS_<NAME>=<integer>` in its environment, read once at start
  (`CORRIDOR_ATLAS_FETCH_ABOVE=0`), so browser tests can drive a real dashboard.

`SETTINGS` is the table (name, default, help); `python -m geo settings` prints it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_ENV = "CORRIDOR_ATLAS_CATALOGUE"
ENV_PREFIX = "CORRIDOR_ATLAS_"
MIB = 1024 * 1024


def default_catalogue_path() -> Path:
    """`$CORRIDOR_ATLAS_CATALOGUE` if set, else the repository's `corridors.yaml`."""
    return Path(os.environ.get(CATALOGUE_ENV) or REPO_ROOT / "corridors.yaml")


def _setting(default: int, help: str) -> int:
    return dataclasses.field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """The values in force; one frozen record, replaced whole by `override`."""

    many_corridors: int = _setting(
        30,
        "Corridors above which lists naming each one are folded (legend, layer control, "
        "sidebar chips, comparison): at 800 Leaflet's layer control alone took 2 s.",
    )
    canvas_above: int = _setting(
        3000,
        "Map lines above which the map draws on one canvas (nodes as dots) instead of an SVG "
        "path each: tens of thousands of paths take the browser seconds.",
    )
    fetch_above: int = _setting(
        1_000_000,
        "Characters of map JSON above which the browser fetches the data as a file: embedding "
        "drew 0.7 MB 0.1 s sooner, fetching drew 7 MB 0.5 s sooner.",
    )
    published_keep: int = _setting(
        48,
        "Published map-data files kept on disk; the least recently used beyond are deleted.",
    )
    upload_max_bytes: int = _setting(
        5 * MIB, "Largest catalogue a user may upload: about 30 times the real one (170 KB)."
    )
    upload_max_values: int = _setting(
        120_000, "Most YAML values in an upload: bounds the memory a hostile file can take."
    )
    file_max_bytes: int = _setting(
        32 * MIB, "Largest catalogue file the operator may name: a 100x catalogue fits."
    )
    file_max_values: int = _setting(
        2_000_000, "Most YAML values in the operator's file: a 100x catalogue fits."
    )
    max_depth: int = _setting(
        64, "Deepest YAML nesting accepted: the real catalogue needs 6; far deeper is an attack."
    )
    max_param_length: int = _setting(
        2000,
        "Longest query-parameter value read from a link: browsers and mail clients cut links "
        "near 2,000 characters anyway.",
    )
    results_cache: int = _setting(
        64, "Scenario results kept per server, shared by sessions: presets and recent adjustments."
    )
    map_data_cache: int = _setting(
        6, "Map views kept per server: at 100x each holds about 7 MB of encoded data."
    )
    catalogue_cache: int = _setting(
        8, "Versions of the operator's catalogue file kept validated in memory."
    )
    range_draws: int = _setting(
        2000,
        "Monte Carlo samples behind every range: with 2,000 the ends of a range move by under "
        "2 % of its width between seeds, and ranges add 1-3 s to a 100x evaluation.",
    )
    range_seed: int = _setting(
        20261206,
        "Seed of the range draws: the same catalogue gives the same ranges on every run.",
    )
    route_overlap_percent: int = _setting(
        70,
        "Share of a found route's kilometres it may share with a better one and still be listed "
        "as an alternative: above it, it is a near-copy (one detour), not a different route.",
    )
    route_backtrack_percent: int = _setting(
        20,
        "How far (percent of the farthest point reached, and at least route_backtrack_km) a "
        "found route may come back towards its origin: more is a path that runs back the way it "
        "came (Almaty to Japan by way of Rotterdam), not an alternative.",
    )
    route_backtrack_km: int = _setting(
        300,
        "Kilometres a found route may always come back towards its origin (a junction just "
        "behind the start), whatever the percentage.",
    )
    route_turn_ratio: int = _setting(
        4,
        "A found route that goes out and back between two of its nodes, each way more than this "
        "many times their distance apart (plus route_backtrack_km), has turned round: Shanghai by "
        "sea to Suez and back to Yokohama.",
    )
    utilisation_warn_percent: int = _setting(
        70,
        "Utilisation from which a bottleneck's mark turns amber: queues grow fast beyond it "
        "(a single-server queue's wait is 2.3 times the service time at 70 %).",
    )
    utilisation_high_percent: int = _setting(
        90,
        "Utilisation from which a bottleneck's mark turns orange: waits of 9 service times "
        "and more, a small shift of traffic saturates it.",
    )
    route_candidates: int = _setting(
        12,
        "Paths the route finder examines, from k-shortest paths and from paths found after "
        "penalising the legs of those already found, before ranking them by the full metrics.",
    )


SETTINGS: tuple[tuple[str, int, str], ...] = tuple(
    (f.name, f.default, f.metadata["help"])  # type: ignore[misc]
    for f in dataclasses.fields(Settings)
)
"""The table of settings: name, default and why; documented in docs/architecture.md."""


class SettingsError(ValueError):
    """A setting in the environment that is not a whole number of the right size."""


def from_environment(environ: dict[str, str] | None = None) -> Settings:
    """Defaults, then `CORRIDOR_ATLAS_<NAME>` integers; a bad value is an error that says which."""
    environ = dict(os.environ) if environ is None else environ
    changes: dict[str, int] = {}
    for name, _, _ in SETTINGS:
        key = ENV_PREFIX + name.upper()
        if key in environ:
            try:
                changes[name] = int(environ[key].replace("_", ""))
            except ValueError:
                changes[name] = -1
            if changes[name] < 0:
                raise SettingsError(
                    f"{key} is {environ[key]!r} but must be a whole number, 0 or more "
                    f"(default {Settings.__dataclass_fields__[name].default:_})"
                )
    return Settings(**changes)


_in_force: list[Settings] = []
"""A stack: the environment's settings at the bottom (read on first use), overrides above."""


def get() -> Settings:
    """The settings in force now. Raises `SettingsError` if the environment sets one wrongly."""
    if not _in_force:
        _in_force.append(from_environment())
    return _in_force[-1]


def table() -> str:
    """The settings in force, with defaults and reasons (`python -m geo settings`)."""
    current = get()
    rows = []
    for name, default, why in SETTINGS:
        value = getattr(current, name)
        changed = "" if value == default else f" (default {default:_})"
        rows.append(f"{name} = {value:_}{changed}\n    {why}")
    return "\n".join(rows)


@contextmanager
def override(**changes: int) -> Iterator[Settings]:
    """Change some settings for the duration of a `with` block (tests); unknown names raise."""
    _in_force.append(dataclasses.replace(get(), **changes))
    try:
        yield _in_force[-1]
    finally:
        _in_force.pop()
