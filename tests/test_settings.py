"""One settings module: defaults with reasons, overrides that end, clear errors, documented."""

from __future__ import annotations

from pathlib import Path

import pytest

import geo.settings
from geo.settings import SETTINGS, Settings, SettingsError, from_environment, override
from tests.conftest import run_geo

REPO = Path(__file__).resolve().parent.parent


def test_every_setting_has_a_default_and_a_reason() -> None:
    assert [name for name, _, _ in SETTINGS] == list(Settings.__dataclass_fields__)
    for name, default, why in SETTINGS:
        assert isinstance(default, int) and default >= 0, name
        assert len(why) > 30, f"{name} needs a reason"


def test_every_setting_is_documented() -> None:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name, default, _ in SETTINGS:
        assert f"| `{name}` | {default:,} |" in text, name


def test_an_override_lasts_for_its_block_only() -> None:
    before = geo.settings.get()
    with override(fetch_above=0, many_corridors=2) as inside:
        assert geo.settings.get() is inside
        assert (inside.fetch_above, inside.many_corridors) == (0, 2)
        assert inside.canvas_above == before.canvas_above
    assert geo.settings.get() == before
    with pytest.raises(TypeError), override(no_such_setting=1):
        pass
    assert geo.settings.get() == before


def test_the_fixture_sets_for_one_test(settings) -> None:
    settings.set(published_keep=1)
    assert geo.settings.get().published_keep == 1


def test_the_fixture_left_nothing_behind() -> None:
    assert geo.settings.get().published_keep == Settings().published_keep


def test_the_environment_sets_whole_numbers_and_refuses_anything_else() -> None:
    assert from_environment({}) == Settings()
    got = from_environment(
        {"CORRIDOR_ATLAS_FETCH_ABOVE": "0", "CORRIDOR_ATLAS_CANVAS_ABOVE": "1_000"}
    )
    assert (got.fetch_above, got.canvas_above) == (0, 1000)
    for bad in ("lots", "-1", "1.5", ""):
        with pytest.raises(SettingsError, match="CORRIDOR_ATLAS_MANY_CORRIDORS"):
            from_environment({"CORRIDOR_ATLAS_MANY_CORRIDORS": bad})


def test_the_command_line_lists_settings_and_reports_a_bad_one_without_a_traceback() -> None:
    good = run_geo("settings", env={"CORRIDOR_ATLAS_FETCH_ABOVE": "0"})
    assert good.returncode == 0
    assert "fetch_above = 0 (default 1_000_000)" in good.stdout
    bad = run_geo("settings", env={"CORRIDOR_ATLAS_FETCH_ABOVE": "lots"})
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "CORRIDOR_ATLAS_FETCH_ABOVE is 'lots'" in bad.stderr
