"""Benchmarks kept apart: calibration targets are never counted as validation of the model."""

from __future__ import annotations

import json

import pytest

from geo.benchmarks import BenchmarkComparison, Check, compare_benchmarks, split
from geo.catalogue import Catalogue, Figure
from geo.cli import main
from geo.loader import check_catalogue_bytes
from geo.ranges import Range
from geo.scenarios import apply_scenario
from tests.conftest import tiny_variant

CALIBRATED_ON = {
    "northern-dostyk-brest-erai": "1,520 mm rail rate (ERAI U West), its low and speed low",
    "northern-xian-duisburg-days": "EU rail speed, Altynkol and Dostyk dwells",
    "mc-altynkol-alat": "Aktau and Kuryk dwells",
    "mc-altynkol-constanta": "Poti and Batumi dwells",
    "suez-shanghai-rotterdam-cost": "deep-sea legs' cost (Drewry WCI 2025)",
}
"""What each parameter was tuned on, read from the `estimate` texts in corridors.yaml."""

TINY_BENCHMARK = "role: validation, definition: A to C"


def figure(value: float, low: float | None = None, high: float | None = None) -> Figure:
    return Figure(value=value, low=low, high=high, sources=["src"])


def check(reported: Figure, low: float, typical: float, high: float) -> Check:
    return Check("transit_days", reported, Range(low, typical, high))


# ------------------------------------------------------------------------ inside and the gap


def test_a_reported_value_inside_the_model_range_is_inside() -> None:
    assert check(figure(12), 10, 11, 13).inside


def test_a_reported_value_beyond_the_model_high_is_outside() -> None:
    assert not check(figure(14), 10, 11, 13).inside


def test_a_reported_range_that_overlaps_the_model_range_is_inside() -> None:
    assert check(figure(15, 13, 17), 10, 11, 13.5).inside


def test_a_reported_range_wholly_below_the_model_range_is_outside() -> None:
    assert not check(figure(8, 7, 9), 10, 11, 13).inside


def test_the_gap_is_the_model_typical_against_the_reported_value_in_signed_percent() -> None:
    assert check(figure(10, 10, 16), 9, 14.7, 20).gap_pct == pytest.approx(47.0)
    assert check(figure(20), 9, 15, 21).gap_pct == pytest.approx(-25.0)


def test_a_reported_zero_has_no_gap_rather_than_a_division_by_zero() -> None:
    assert check(figure(0, 0, 2), 1, 1.4, 2).gap_pct is None


# ------------------------------------------------------------------------ the tiny catalogue


def test_the_tiny_benchmark_is_compared_on_its_stretch_with_the_model_range(
    tiny: Catalogue,
) -> None:
    (comparison,) = compare_benchmarks(tiny, apply_scenario(tiny))
    days, cost = comparison.checks
    assert days.model.low <= days.model.typical <= days.model.high
    assert days.gap_pct == pytest.approx((comparison.model_days - 7) / 7 * 100)
    assert cost.gap_pct == pytest.approx((comparison.model_cost_usd - 600) / 600 * 100)
    assert comparison.inside == (days.inside and cost.inside)


def test_a_benchmark_without_a_role_is_rejected() -> None:
    text = tiny_variant(TINY_BENCHMARK, "definition: A to C")
    catalogue, problems = check_catalogue_bytes(text, name="tiny.yaml")
    assert catalogue is None
    assert any("role" in str(p) for p in problems)


def test_a_role_other_than_calibration_or_validation_is_rejected() -> None:
    text = tiny_variant(TINY_BENCHMARK, TINY_BENCHMARK.replace("validation", "validated"))
    catalogue, _ = check_catalogue_bytes(text, name="tiny.yaml")
    assert catalogue is None


def test_a_calibration_target_is_never_counted_among_validation_benchmarks() -> None:
    text = tiny_variant(TINY_BENCHMARK, TINY_BENCHMARK.replace("validation", "calibration"))
    catalogue, _ = check_catalogue_bytes(text, name="tiny.yaml")
    assert catalogue is not None
    calibration, validation = split(compare_benchmarks(catalogue, apply_scenario(catalogue)))
    assert [c.benchmark.id for c in calibration] == ["main-reported"]
    assert validation == []


# ------------------------------------------------------------------------ the real catalogue


def test_exactly_the_benchmarks_parameters_were_tuned_on_are_calibration(real: Catalogue) -> None:
    calibration = {b.id for b in real.benchmarks if b.role == "calibration"}
    assert calibration == set(CALIBRATED_ON)


def test_every_calibration_target_says_what_was_calibrated_on_it(real: Catalogue) -> None:
    for b in real.benchmarks:
        if b.role == "calibration":
            assert b.note and "calibrated" in b.note, b.id


def test_no_benchmark_describes_a_year_after_it_was_reported(real: Catalogue) -> None:
    for b in real.benchmarks:
        assert b.year <= int(b.date[:4]), b.id


def test_every_benchmark_cites_a_source_for_each_figure(real: Catalogue) -> None:
    for b in real.benchmarks:
        for reported in (b.transit_days, b.cost_usd_per_feu):
            if reported is not None:
                assert reported.sources, b.id


def test_the_benchmarks_the_review_found_mis_defined_are_gone(real: Catalogue) -> None:
    ids = {b.id for b in real.benchmarks}
    assert not ids & {"mc-xian-duisburg-cost", "northern-xian-duisburg-cost"}
    assert "khorgos-khorgos-duisburg" not in ids  # a one-off congestion episode, not a norm


# ------------------------------------------------------------------------ the command line


def test_benchmarks_json_has_one_object_per_reported_figure_with_the_documented_fields(
    capsys: pytest.CaptureFixture[str], real: Catalogue
) -> None:
    assert main(["benchmarks", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    figures = sum(
        (b.transit_days is not None) + (b.cost_usd_per_feu is not None) for b in real.benchmarks
    )
    assert len(data["benchmarks"]) == figures
    for record in data["benchmarks"]:
        assert {"role", "definition", "year", "publisher", "interest", "gap_pct"} <= set(record)
        assert record["role"] in ("calibration", "validation")
        model = record["model"]
        assert model["low"] <= model["typical"] <= model["high"]
        assert (
            record["reported"]["low"] <= record["reported"]["value"] <= record["reported"]["high"]
        )
        assert isinstance(record["inside"], bool)
    validation = [r for r in data["benchmarks"] if r["role"] == "validation"]
    inside = sum(r["inside"] for r in validation)
    assert data["validation"]["summary"] == (
        f"{inside} of {len(validation)} validation benchmarks inside the model's range"
    )


def test_benchmarks_table_lists_calibration_targets_apart_from_validation(
    capsys: pytest.CaptureFixture[str], real: Catalogue
) -> None:
    assert main(["benchmarks"]) == 0
    text = capsys.readouterr().out
    calibration_part, validation_part = text.split("Validation (")
    for b in real.benchmarks:
        part = calibration_part if b.role == "calibration" else validation_part
        other = validation_part if b.role == "calibration" else calibration_part
        assert f" {b.id}:" in part or f" {b.id} (" in part, b.id
        assert f" {b.id}:" not in other and f" {b.id} (" not in other, b.id
    assert "validation benchmarks inside the model's range." in validation_part


def test_benchmarks_rejects_an_unknown_format_as_bad_usage() -> None:
    assert main(["benchmarks", "--format", "xml"]) == 2


def test_a_comparison_is_inside_only_when_every_figure_it_reports_is(tiny: Catalogue) -> None:
    (base,) = compare_benchmarks(tiny, apply_scenario(tiny))
    wide = BenchmarkComparison(base.benchmark, Range(0, 7, 100), Range(0, 600, 10_000))
    narrow_cost = BenchmarkComparison(base.benchmark, Range(0, 7, 100), Range(1, 2, 3))
    assert wide.inside
    assert not narrow_cost.inside
