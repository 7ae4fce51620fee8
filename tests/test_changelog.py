"""The catalogue change log, and the team's notes in map popups and the Markdown briefing."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.annotations import annotation_key, annotation_line
from geo.catalogue import Catalogue
from geo.changelog import change_lines, changelog
from geo.exports import export_bytes
from geo.i18n import translator
from geo.loader import check_catalogue_bytes
from geo.mapdata import map_data
from geo.maps import corridor_styles
from geo.metrics import evaluate_all
from geo.scenarios import apply_scenario
from tests.conftest import tiny_variant

HOSTILE = "<img src=x onerror=alert(1)> [click](javascript:alert(1)) **loud**"


def variant(*edits: tuple[str, str]) -> Catalogue:
    text = tiny_variant(*edits[0])
    for old, new in edits[1:]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    catalogue, problems = check_catalogue_bytes(text.encode("utf-8"), name="variant.yaml")
    assert catalogue is not None, [p.message for p in problems]
    return catalogue


def test_the_same_catalogue_has_no_changes(tiny: Catalogue) -> None:
    log = changelog(tiny, tiny)
    assert log.empty
    assert change_lines(log) == []


def test_figures_name_old_and_new_value_with_their_sources(tiny: Catalogue) -> None:
    newer = variant(
        ("version: test", "version: test-2"),
        (
            "distance_km: {value: 211, sources: [src-a]}",
            "distance_km: {value: 250, low: 240, high: 260, sources: [src-b]}",
        ),
        (
            "border_crossing_cost_usd_per_feu: {value: 50,",
            "border_crossing_cost_usd_per_feu: {value: 75,",
        ),
    )
    log = changelog(tiny, newer)
    assert (log.old_version, log.new_version) == ("test", "test-2")
    [leg] = log.of("leg")
    assert (leg.id, leg.change, leg.fields) == ("b-rail", "changed", ())
    [figure] = leg.figures
    assert (figure.field, figure.old, figure.new) == ("distance_km", 211, 250)
    assert (figure.old_sources, figure.new_sources) == (("src-a",), ("src-b",))
    assert figure.new_range == (240, 260)
    [parameter] = log.parameters
    assert parameter.field == "border_crossing_cost_usd_per_feu"
    lines = change_lines(log, newer)
    assert (
        "Leg B Port → B Border (b-rail): distance_km 211 → 250 (240–260) (sources: src-a → src-b)"
        in lines
    )
    assert "Model parameter: border_crossing_cost_usd_per_feu 50 → 75 (sources: src-b)" in lines
    chinese = change_lines(log, newer, t=translator("zh"), lang="zh")
    assert (
        "路段 乙港 → 乙口岸（b-rail）：distance_km 211 → 250 (240–260)（来源：src-a → src-b）"
        in chinese
    )


def test_records_added_removed_and_changed(tiny: Catalogue) -> None:
    newer = variant(
        (
            "  - {id: onward, name: Onward, name_zh: 延伸, description: On to C Inland (planned)., "
            "direction: eastbound, status: planned, "
            "legs: [a-rail, ab-border, b-rail, bc-sea, c-planned]}\n",
            "",
        ),
        (
            "name: Main, name_zh: 主线, description: A to C",
            "name: Main line, name_zh: 主线, description: A to C",
        ),
        (
            "coordinates_basis: fixture}\nlegs:",
            "coordinates_basis: fixture}\n  - {id: d-dry, name: D Dry Port, kind: dry_port, "
            "country: CC, lat: 2.0, lon: 5.0, coordinates_basis: fixture}\nlegs:",
        ),
    )
    log = changelog(tiny, newer)
    changes = {(r.kind, r.id): r for r in log.records}
    assert changes["corridor", "onward"].change == "removed"
    assert changes["corridor", "main"].fields == ("name",)
    assert changes["node", "d-dry"].change == "added"
    lines = change_lines(log, newer)
    assert "Corridor Onward (onward): removed" in lines
    assert "Node D Dry Port (d-dry): added" in lines
    assert "Corridor Main line (main): name changed" in lines


def test_notes_show_in_popups_as_plain_text(tiny: Catalogue) -> None:
    results = evaluate_all(tiny, apply_scenario(tiny))
    notes = {
        annotation_key("corridor", "main"): [("2026-12-01", "alice@example.org", HOSTILE)],
        annotation_key("node", "b-port"): [("2026-12-02", None, "Berth\nclosed")],
    }
    data = map_data(tiny, results, corridor_styles(tiny), notes=notes)
    pool, popups = data.shared["pool"], data.shared["popups"]
    feet = [[pool[i] for i in popup[4]] for popup in popups]
    main_line = f"Main: Note 2026-12-01, alice@example.org: {HOSTILE}"
    assert sum(main_line in foot for foot in feet) == 4  # each of Main's legs
    assert any("Note 2026-12-02: Berth closed" in foot for foot in feet)
    without = map_data(tiny, results, corridor_styles(tiny))
    assert not any("Note 2026" in value for value in without.shared["pool"])
    assert HOSTILE not in data.bundle  # the JSON escapes < and > inside the page's script
    with pytest.raises(ValueError, match="corridor, node"):
        annotation_key("country", "AA")


def test_notes_in_the_markdown_briefing_are_escaped(tiny: Catalogue) -> None:
    notes = {
        annotation_key("corridor", "main"): [("2026-12-01", "alice", HOSTILE)],
        annotation_key("node", "c-inland"): [("2026-12-03", None, "not on the shown corridor")],
    }
    active = apply_scenario(tiny)
    md = export_bytes(
        tiny, active, "md", corridors=["main"], notes=notes, date=dt.date(2026, 12, 6)
    ).decode("utf-8")
    section = md[md.index("## Team notes") : md.index("## Sources")]
    assert "alice" in section and "<img" not in section and "](javascript" not in section
    assert "\\*\\*loud\\*\\*" in section
    assert "c-inland" not in section and "not on the shown corridor" not in section
    plain = export_bytes(tiny, active, "md", date=dt.date(2026, 12, 6)).decode("utf-8")
    assert "## Team notes" not in plain
    zh = export_bytes(tiny, active, "md", notes=notes, lang="zh").decode("utf-8")
    assert "## 团队注释" in zh


def test_the_one_file_map_carries_the_notes_in_its_popups(tiny: Catalogue) -> None:
    notes = {annotation_key("node", "b-port"): [("2026-12-02", "bob", "Berth 3 closed")]}
    active = apply_scenario(tiny)
    page = export_bytes(tiny, active, "html", notes=notes).decode("utf-8")
    assert "Note 2026-12-02, bob: Berth 3 closed" in page
    assert "Berth 3 closed" not in export_bytes(tiny, active, "html").decode("utf-8")


def test_a_note_line_names_its_date_and_author() -> None:
    assert annotation_line(("2026-12-01", "bob", "a\n b")) == "Note 2026-12-01, bob: a b"
    assert annotation_line(("2026-12-01", None, "x"), translator("zh")) == "注释 2026-12-01：x"
