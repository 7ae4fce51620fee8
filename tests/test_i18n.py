"""Translations: both languages have every message, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

from geo.catalogue import Catalogue
from geo.i18n import LANGUAGES, LOCALES, localized, messages, translator
from geo.scenarios import apply_scenario, closure_text, scenario_changes

REPO = Path(__file__).resolve().parent.parent


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_exists_in_every_language_file_pair() -> None:
    for path in (LOCALES / "en").glob("*.yaml"):
        english = yaml.safe_load(path.read_text(encoding="utf-8"))
        for lang in LANGUAGES:
            other = yaml.safe_load((LOCALES / lang / path.name).read_text(encoding="utf-8"))
            assert set(other) == set(english), (lang, path.name, set(other) ^ set(english))


def test_placeholders_match_across_languages() -> None:
    english = messages("en")
    for lang in LANGUAGES:
        for key, template in messages(lang).items():
            assert placeholders(template) == placeholders(english[key]), (lang, key)


def test_every_literal_key_used_in_code_exists() -> None:
    used = set()
    for path in [*REPO.glob("pages/*.py"), REPO / "dashboard.py", *REPO.glob("geo/*.py")]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.\-]+)["']""", path.read_text()))
    assert used, "the scan should find translated keys"
    missing = used - set(messages("en"))
    assert not missing, missing


def test_translator_falls_back_to_english_and_formats() -> None:
    zh = translator("zh")
    assert zh("closure.country", country="俄罗斯") == "经俄罗斯过境已关闭"
    assert translator("en")("best.days_value", days="12.1") == "12.1 days"
    with pytest.raises(KeyError, match=r"no message 'nope\.key'"):
        zh("nope.key")
    with pytest.raises(ValueError, match="expected to be in"):
        translator("xx")


def test_names_fall_back_to_english_when_a_translation_is_missing(real: Catalogue) -> None:
    altynkol = real.node("altynkol")
    assert localized(altynkol, "zh") == altynkol.name_zh != altynkol.name
    untranslated = altynkol.model_copy(update={"name_zh": None})
    assert localized(untranslated, "zh") == altynkol.name


def test_engine_text_comes_out_in_chinese(real: Catalogue) -> None:
    zh = translator("zh")
    active = apply_scenario(real, "russia-transit-closed")
    closure = next(c for c in active.closed_legs.values() if c.kind == "country")
    assert closure_text(real, closure, t=zh, lang="zh") == "经俄罗斯过境已关闭"
    changes = scenario_changes(real, real.scenario("caspian-storms"), t=zh, lang="zh")
    assert changes and all(not re.search(r"[A-Za-z]{4,}", c) for c in changes), changes


def test_every_catalogue_name_has_a_chinese_form(real: Catalogue) -> None:
    for section in ("countries", "nodes", "corridors", "scenarios"):
        for record in getattr(real, section):
            assert record.name_zh, (section, record)
