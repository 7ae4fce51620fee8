"""`python -m geo`: exit codes, output shapes, and errors as messages rather than tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from geo.cli import main
from tests.conftest import REPO, TINY, run_geo, tiny_variant


def run(*argv: str) -> tuple[int, str, str]:
    """`main` in-process: quick, but an exception escaping it raises here, it prints nothing."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_validate_exits_0_for_a_valid_file() -> None:
    code, out, _ = run("validate", str(TINY))
    assert code == 0
    assert "valid: 2 corridors, 6 nodes, 5 legs" in out


def test_validate_exits_1_and_lists_errors_for_an_invalid_file(write_yaml) -> None:
    path = write_yaml(tiny_variant("lat: 0, lon: 3.0", "lat: 95, lon: 3.0"))
    done = run_geo("validate", str(path))
    assert "Traceback" not in done.stderr, done.stderr  # exit code 1 is also a crash's
    assert done.returncode == 1, done.stderr
    assert f"{path}:" in done.stderr and "(nodes[3].lat)" in done.stderr


def test_validate_exits_2_for_an_unreadable_file(tmp_path) -> None:
    done = run_geo("validate", str(tmp_path / "missing.yaml"))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr
    assert "cannot read file" in done.stderr


def test_summary_json_has_the_documented_shape() -> None:
    code, out, _ = run("summary", "--catalogue", str(TINY), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["scenario"]["id"] == "baseline"
    main_corridor = data["corridors"][0]
    for key in (
        "id",
        "name",
        "status",
        "passable",
        "distance_km",
        "transit_days",
        "cost_usd_per_feu",
        "border_crossings",
        "transshipments",
        "gauge_breaks",
    ):
        assert key in main_corridor
    assert main_corridor["exposure"]["by_country"] == {"AA": 0.2099, "BB": 0.3901}
    leg = main_corridor["legs"][0]
    assert leg["from"] == {
        "id": "a-city",
        "name": "A City",
        "lat": 0.0,
        "lon": 0.0,
        "country": "AA",
        "kind": "city",
    }
    assert leg["gauge_mm"] == 1435 and leg["sources"] == ["src-a"]


def test_summary_honours_the_scenario() -> None:
    _, out, _ = run(
        "summary", "--catalogue", str(TINY), "--scenario", "close-bb", "--format", "json"
    )
    passable = {c["id"]: c["passable"] for c in json.loads(out)["corridors"]}
    assert passable == {"main": False, "onward": False}


def test_summary_csv_has_units_in_headings() -> None:
    _, out, _ = run("summary", "--catalogue", str(TINY), "--format", "csv")
    header, first = out.splitlines()[:2]
    assert "distance (km)" in header and "cost (USD/FEU)" in header
    assert first.startswith("main,True,555,7.9,7.9,7.9,844,844,844,2,1,1,")  # no low/high in tiny


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(("summary", "--scenario", "nope"), "unknown scenario 'nope'", id="scenario"),
        pytest.param(("export", "--out", "x.docx"), "'.docx' is not one of .png", id="extension"),
        pytest.param(
            ("export", "--corridors", "main,nope", "--out", "x.png"),
            "unknown corridor(s): nope",
            id="corridor",
        ),
        pytest.param(
            ("route", "--from", "a-city", "--to", "nowhere"), "unknown node 'nowhere'", id="node"
        ),
    ],
)
def test_bad_usage_exits_2_with_a_message_not_a_traceback(
    argv: tuple[str, ...], message: str, tmp_path
) -> None:
    command, *options = argv
    options = [str(tmp_path / o) if o.startswith("x.") else o for o in options]
    done = run_geo(command, "--catalogue", str(TINY), *options)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert not list(tmp_path.iterdir())  # nothing written


def test_scenarios_lists_presets_with_descriptions() -> None:
    _, out, _ = run("scenarios", "--catalogue", str(TINY))
    assert "close-bb\n    Close B: B shuts transit." in out


def test_module_entry_point_runs_as_a_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "geo", "validate", str(TINY)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_export_writes_the_format_its_extension_names(tmp_path) -> None:
    out = tmp_path / "brief.csv"
    code, text, _ = run(
        "export", "--catalogue", str(TINY), "--scenario", "close-bb", "--out", str(out)
    )
    assert code == 0 and f"wrote {out}" in text
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:5] == ["corridor", "name", "passable", "status", "distance (km)"]
    assert [r[2] for r in rows[1:3]] == ["no", "no"]  # Bland closed: both corridors shut
    assert any(r[:1] == ["scenario"] and "close-bb" in ",".join(r) for r in rows)


def test_export_speaks_chinese_when_asked(tmp_path) -> None:
    out = tmp_path / "brief.md"
    code, _, _ = run("export", "--catalogue", str(TINY), "--lang", "zh", "--out", str(out))
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "主线" in text  # the corridor's Chinese name from the catalogue
    assert not any(word in text for word in ("Scenario", "Sources", "Cheapest"))


def test_the_table_rounds_each_range_as_the_dashboard_does() -> None:
    """One rule for a range's text (days to 0.1, USD to the nearest 10); JSON keeps its digits."""
    from geo.numbers import format_range, record_range
    from tests.conftest import REAL

    code, table, _ = run("summary", "--catalogue", str(REAL))
    assert code == 0
    _, out, _ = run("summary", "--catalogue", str(REAL), "--format", "json")
    corridors = json.loads(out)["corridors"]
    rows = {line.split()[0]: line for line in table.splitlines()[4:]}
    for corridor in corridors:
        row = rows[corridor["id"]]
        assert format_range(record_range(corridor, "transit_days"), "days") in row
        assert format_range(record_range(corridor, "cost_usd_per_feu"), "usd") in row
    assert any(c["cost_usd_per_feu"] % 10 for c in corridors)  # the JSON is not rounded to 10


def test_benchmarks_write_money_as_the_dashboard_does_and_json_keeps_dollars() -> None:
    from geo.benchmarks import compare_benchmarks
    from geo.loader import load_catalogue
    from geo.numbers import format_range
    from geo.scenarios import apply_scenario
    from tests.conftest import REAL

    code, table, _ = run("benchmarks", "--catalogue", str(REAL))
    assert code == 0
    catalogue = load_catalogue(REAL)
    shown = 0
    for comparison in compare_benchmarks(catalogue, apply_scenario(catalogue)):
        for check in comparison.checks:
            if check.measure != "cost_usd_per_feu":
                continue
            line = next(
                x for x in table.splitlines() if f" {comparison.benchmark.id}" in x and "USD" in x
            )
            reported = {
                "low": check.reported_low,
                "typical": check.reported.value,
                "high": check.reported_high,
            }
            assert f"reported {format_range(reported, 'usd')}, model " in line
            assert f"model {format_range(check.model, 'usd')}" in line
            shown += 1
    assert shown
    _, out, _ = run("benchmarks", "--catalogue", str(REAL), "--format", "json")
    costs = [b for b in json.loads(out)["benchmarks"] if b["measure"] == "cost_usd_per_feu"]
    assert any(b["model"]["typical"] % 10 for b in costs)  # e.g. ERAI's 3,372, not 3,370
