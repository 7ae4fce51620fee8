"""The loader reports every problem of a bad file with its line, and never a traceback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from geo import yamlread
from geo.errors import CatalogueError, CatalogueUnreadable
from geo.loader import check_catalogue_bytes, check_catalogue_file, load_catalogue
from geo.yamlread import Limits, file_limits
from tests.conftest import REAL, TINY, line_of, tiny_variant

BILLION_LAUGHS = b"a: &a [1]\n" + b"".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n".encode()
    for p, n in zip("abcdef", "bcdefg", strict=True)
)
"""Seven levels of nine-fold aliases: 9**6 = 531,441 leaves if expanded."""

# (old text, new text, expected message fragment, fragment locating the expected line)
BAD_CASES = [
    pytest.param(
        "to: a-border, mode: rail, gauge_mm: 1435",
        "to: a-bordr, mode: rail, gauge_mm: 1435",
        "unknown node 'a-bordr' in leg 'a-rail'",
        "a-bordr",
        id="unknown-node",
    ),
    pytest.param(
        "{id: b-rail, from: b-port",
        "{id: a-rail, from: b-port",
        "duplicate id 'a-rail', first used at line",
        "{id: a-rail, from: b-port",
        id="duplicate-id",
    ),
    pytest.param(
        "legs: [a-rail, ab-border, b-rail, bc-sea]}",
        "legs: [a-rail, b-rail, ab-border, bc-sea]}",
        "corridor 'main' is broken",
        "legs: [a-rail, b-rail",
        id="legs-do-not-join",
    ),
    pytest.param(
        "legs: [a-rail, ab-border, b-rail, bc-sea]}",
        "legs: [a-rail, ab-border, b-rail, bc-ferry]}",
        "unknown leg 'bc-ferry' in corridor 'main'",
        "bc-ferry",
        id="unknown-leg",
    ),
    pytest.param(
        "lat: 0, lon: 3.0",
        "lat: 95, lon: 3.0",
        "less than or equal to 90, got 95",
        "lat: 95",
        id="latitude-out-of-range",
    ),
    pytest.param(
        "distance_km: {value: 211, sources: [src-a]}",
        "distance_km: {value: -211, sources: [src-a]}",
        "greater than 0, got -211",
        "value: -211",
        id="negative-distance",
    ),
    pytest.param(
        "gauge_mm: 1520, distance_km: {value: 11",
        "gauge_mm: 1000, distance_km: {value: 11",
        "input should be 1435 or 1520, got 1000",
        "gauge_mm: 1000",
        id="unknown-gauge",
    ),
    pytest.param(
        "distance_km: {value: 211, sources: [src-a]}",
        "distance_km: {value: 211}",
        "a figure needs `sources`",
        "{value: 211}",
        id="figure-without-source",
    ),
    pytest.param(
        "distance_km: {value: 211, sources: [src-a]}",
        "distance_km: {value: 211, sources: [src-z]}",
        "unknown source 'src-z'",
        "src-z",
        id="unknown-source",
    ),
    pytest.param(
        "country: CC, lat: 0, lon: 5.0",
        "country: DD, lat: 0, lon: 5.0",
        "unknown country 'DD' for node 'c-port'",
        "country: DD",
        id="unknown-country",
    ),
    pytest.param(
        "{id: b-border, name: B Border",
        "{id: b-border, nmae: B Border",
        "unknown key 'nmae'",
        "nmae",
        id="unknown-key",
    ),
    pytest.param(
        "gauge_mm: 1520, distance_km: {value: 11",
        "gauge_mm: 1435, distance_km: {value: 11",
        "gauge changes from 1435 to 1520 mm at 'b-border'",
        "legs: [a-rail, ab-border, b-rail, bc-sea]}",
        id="gauge-change-without-break",
    ),
    pytest.param(
        "from: a-border, to: c-port, transit_days",
        "from: c-port, to: a-border, transit_days",
        "'a-border' does not come after 'c-port' on 'main'",
        "from: c-port, to: a-border",
        id="benchmark-backwards",
    ),
    pytest.param(
        "close_countries: [BB]}",
        "close_countries: [BX]}",
        "scenario 'close-bb' names unknown country 'BX'",
        "close_countries: [BX]",
        id="scenario-unknown-target",
    ),
    pytest.param(
        "  - {id: c-port, name: C Port",
        "  - {id: c-port name: C Port",
        "YAML syntax",
        "{id: c-port name",
        id="yaml-syntax",
    ),
]


@pytest.mark.parametrize(("old", "new", "message", "locator"), BAD_CASES)
def test_bad_catalogue_reports_message_and_line(old, new, message, locator, write_yaml) -> None:
    text = tiny_variant(old, new)
    path = write_yaml(text)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    problems = [p for p in caught.value.problems if message in p.message]
    assert problems, caught.value.report()
    assert problems[0].line == line_of(text, locator), caught.value.report()
    assert str(problems[0]).startswith(f"{path}:{problems[0].line}:{problems[0].column}: error:")


def test_every_error_is_reported_together(write_yaml) -> None:
    text = tiny_variant(
        "to: a-border, mode: rail, gauge_mm: 1435", "to: nowhere, mode: rail, gauge_mm: 1435"
    )
    text = text.replace("country: CC, lat: 0, lon: 5.0", "country: DD, lat: 0, lon: 5.0")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(write_yaml(text))
    messages = [p.message for p in caught.value.problems]
    assert any("unknown node 'nowhere'" in m for m in messages)
    assert any("unknown country 'DD'" in m for m in messages)
    assert str(caught.value).endswith("2 problems")


def test_report_lines_have_path_line_column_and_field(write_yaml) -> None:
    text = tiny_variant("lat: 0, lon: 3.0", "lat: 95, lon: 3.0")
    path = write_yaml(text)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    first = caught.value.report().splitlines()[1]
    assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: error: .+ \(nodes\[3\]\.lat\)$", first)


def test_suggests_the_nearest_known_id(write_yaml) -> None:
    text = tiny_variant(
        "to: a-border, mode: rail, gauge_mm: 1435", "to: a-bordr, mode: rail, gauge_mm: 1435"
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(write_yaml(text))
    assert "did you mean 'a-border'?" in caught.value.report()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "it is empty"),
        (b"- just\n- a list\n", "it is a list"),
        (b"meta: \xff\xfe broken\n", "not UTF-8 text"),
        (b"a: !!python/object/apply:os.system ['echo hacked']\n", "YAML syntax"),
        (
            BILLION_LAUGHS,
            "alias bomb",
        ),
        (b"a: " + b"[" * 100 + b"]" * 100 + b"\n", "nesting deeper"),
        (b"meta: 1\nmeta: 2\n", "duplicate key 'meta'"),
        (b"meta: 1\nnote: \x08\n", "character U+0008 is not allowed"),
    ],
    ids=[
        "empty",
        "not-a-mapping",
        "not-utf8",
        "python-tag",
        "billion-laughs",
        "deep",
        "dup-key",
        "control-char",
    ],
)
def test_hostile_bytes_get_a_message_not_a_traceback(data: bytes, message: str) -> None:
    catalogue, problems = check_catalogue_bytes(data, name="upload.yaml")
    assert catalogue is None
    assert any(message in p.message for p in problems), problems


def test_unreadable_file_is_its_own_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogueUnreadable) as caught:
        load_catalogue(tmp_path / "absent.yaml")
    assert "cannot read file: No such file or directory" in caught.value.report()


def test_distance_far_from_drawn_line_is_a_warning_and_strict_makes_it_fatal(write_yaml) -> None:
    text = tiny_variant(
        "distance_km: {value: 211, sources: [src-a]}", "distance_km: {value: 600, sources: [src-a]}"
    )
    path = write_yaml(text)
    catalogue = load_catalogue(path)
    assert catalogue.leg("b-rail").distance_km.value == 600
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path, strict=True)
    warning = next(p for p in caught.value.problems if p.severity == "warning")
    assert "declares 600 km but its drawn line is 212 km (-65%)" in warning.message
    assert warning.line == line_of(text, "value: 600")


def test_tiny_fixture_is_valid() -> None:
    catalogue = load_catalogue(TINY, strict=True)
    assert [c.id for c in catalogue.corridors] == ["main", "onward"]


def test_libyaml_and_the_exact_parser_read_the_real_catalogue_alike() -> None:
    """The fast path (C) must give the same values and the same line/column marks (the real
    catalogue has Chinese text, where byte and character columns would differ)."""
    text = REAL.read_text(encoding="utf-8")
    limits = file_limits()
    assert yamlread._fits_libyaml(text, limits)
    fast_document, fast_marks = yamlread._document(yaml.CSafeLoader(text), "c.yaml", limits)
    exact_loader = yamlread._exact_loader(text, "c.yaml", limits)
    exact_document, exact_marks = yamlread._parse_exact(exact_loader, "c.yaml", limits)
    assert fast_document == exact_document
    assert fast_marks.starts == exact_marks.starts


def test_documents_beyond_the_limits_never_reach_libyaml() -> None:
    """libyaml composes without limits, so the event count decides first."""

    def values(most: int) -> Limits:
        return Limits(max_bytes=10**6, max_values=most, max_depth=64)

    wide = "a: [" + "1, " * 200 + "]\n"
    assert yamlread._fits_libyaml(wide, values(1000))
    assert not yamlread._fits_libyaml(wide, values(100))
    assert not yamlread._fits_libyaml("a: " + "[" * 100 + "]" * 100 + "\n", values(10**6))
    assert not yamlread._fits_libyaml("a: [1, 2\n", values(1000))  # malformed: exact parser


def test_limits_are_the_settings_in_force_when_called(settings: Any) -> None:
    """No copy taken at import: a changed setting applies to the next call."""
    tiny = TINY.read_bytes()
    assert check_catalogue_bytes(tiny, name="upload.yaml")[0] is not None
    with settings.override(upload_max_bytes=len(tiny) - 1):
        catalogue, problems = check_catalogue_bytes(tiny, name="upload.yaml")
        assert catalogue is None
        assert f"the limit is {len(tiny) - 1:,}" in problems[0].message
        assert check_catalogue_file(TINY)[0] is not None  # a file has its own limit
    with settings.override(file_max_values=100):
        catalogue, problems = check_catalogue_file(TINY)
        assert catalogue is None
        assert "more than 100 values" in problems[0].message, problems
    settings.set(max_depth=2)
    catalogue, problems = check_catalogue_bytes(b"a: [[[1]]]\n", name="deep.yaml")
    assert catalogue is None
    assert "nesting deeper than 2" in problems[0].message, problems
