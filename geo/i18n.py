"""
Interface languages: messages from plain YAML files in `locales/`, and localised catalogue names.

Translators edit `locales/<lang>/*.yaml` (flat keys, `{placeholders}`) without touching code;
a test fails when a key exists in one language and not the other. A missing message falls back to
English, and a missing translated name falls back to the English name, so no label is ever blank.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import yaml

LOCALES = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES: dict[str, str] = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"


class Translate(Protocol):
    def __call__(self, key: str, /, **values: Any) -> str: ...


@cache
def messages(lang: str) -> Mapping[str, str]:
    """All messages of one language (read once per process)."""
    if lang not in LANGUAGES:
        raise ValueError(f"`lang` was {lang!r} but is expected to be in {list(LANGUAGES)}")
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if key in merged:
                raise ValueError(f"{path}: message '{key}' is defined twice in locales/{lang}/")
            merged[str(key)] = str(value)
    return merged


def translator(lang: str = DEFAULT_LANGUAGE) -> Translate:
    """A function from message key (and placeholder values) to text in `lang`, English fallback."""
    own, english = messages(lang), messages(DEFAULT_LANGUAGE)

    def translate(key: str, /, **values: Any) -> str:
        template = own.get(key) or english.get(key)
        if template is None:
            raise KeyError(f"no message '{key}' in locales/{DEFAULT_LANGUAGE}/")
        return template.format(**values) if values else template

    return translate


def localized(record: Any, lang: str, field: str = "name") -> str:
    """`name_zh` (or `name_ru`, …) of a catalogue record in that language, else its `name`."""
    if lang != DEFAULT_LANGUAGE:
        translated = getattr(record, f"{field}_{lang}", None)
        if translated:
            return str(translated)
    return str(getattr(record, field))


ENGLISH = translator(DEFAULT_LANGUAGE)
