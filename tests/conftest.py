"""Shared fixtures: the tiny hand-computed catalogue, and a factory for variants of it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from geo.catalogue import Catalogue
from geo.loader import load_catalogue

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.yaml"
REPO = Path(__file__).resolve().parent.parent
REAL = REPO / "corridors.yaml"

pytest_plugins = ["tests.postgres_fixture"]  # `postgres`: a real, throwaway PostgreSQL cluster


@pytest.fixture(scope="session")
def tiny() -> Catalogue:
    return load_catalogue(TINY)


@pytest.fixture(scope="session")
def real() -> Catalogue:
    return load_catalogue(REAL)


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str], Path]:
    """Write YAML text to a file and return its path."""

    def write(text: str, name: str = "catalogue.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def tiny_variant(old: str, new: str) -> str:
    """The tiny catalogue's text with one exact piece replaced (which must exist once)."""
    text = TINY.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture text {old!r} must occur exactly once"
    return text.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    """1-based line where `fragment` first occurs."""
    return text[: text.index(fragment)].count("\n") + 1


@pytest.fixture(scope="session", autouse=True)
def team_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test, and every dashboard a test starts, uses a throwaway SQLite file for the
    team's store (`store.database_url`), never the developer's data/atlas.db or DATABASE_URL."""
    path = tmp_path_factory.mktemp("team") / "atlas.db"
    saved = {name: os.environ.get(name) for name in ("DATABASE_URL", "CORRIDOR_ATLAS_DATABASE")}
    os.environ.pop("DATABASE_URL", None)
    os.environ["CORRIDOR_ATLAS_DATABASE"] = str(path)
    yield path
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """One dashboard server on the real catalogue for all browser tests."""
    from tests.browser import ARTIFACTS, dashboard_server

    ARTIFACTS.mkdir(exist_ok=True)
    with dashboard_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_chromium

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: Any) -> Path:
    """Published map data goes to a fresh directory, and every map counts as large enough to
    fetch (the `fetch_above` setting), so the fetched path is what is tested."""
    import geo.assets

    directory = tmp_path / "maps"
    monkeypatch.setattr(geo.assets, "PUBLISHED_DIR", directory)
    settings.set(fetch_above=0)
    return directory


@pytest.fixture
def settings() -> Any:
    """Change `geo.settings` for one test: `with settings.override(fetch_above=0): …`, or call
    `settings.set(fetch_above=0)` for the rest of the test."""
    import contextlib

    import geo.settings

    class _Settings:
        override = staticmethod(geo.settings.override)

        def __init__(self) -> None:
            self._stack = contextlib.ExitStack()

        def set(self, **changes: int) -> geo.settings.Settings:
            return self._stack.enter_context(geo.settings.override(**changes))

    handle = _Settings()
    with handle._stack:
        yield handle


def run_geo(
    *argv: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m geo …` as its own process: the exit code and stderr a user would see, so an
    exception escaping `main` shows up as a Traceback on stderr (and exit code 1)."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "geo", *argv],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, **(env or {})},
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"python -m geo {' '.join(argv)} did not finish within {timeout:.0f} s")
