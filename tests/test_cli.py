"""`python -m geo`: exit codes, output shapes, and errors as messages rather than tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from geo.cli import main
from tests.conftest import REPO, TINY, tiny_variant


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_validate_exits_0_for_a_valid_file() -> None:
    code, out, _ = run("validate", str(TINY))
    assert code == 0
    assert "valid: 2 corridors, 6 nodes, 5 legs" in out


def test_validate_exits_1_and_lists_errors_for_an_invalid_file(write_yaml) -> None:
    path = write_yaml(tiny_variant("lat: 0, lon: 3.0", "lat: 95, lon: 3.0"))
    code, _, err = run("validate", str(path))
    assert code == 1
    assert f"{path}:" in err and "(nodes[3].lat)" in err
    assert "Traceback" not in err


def test_validate_exits_2_for_an_unreadable_file(tmp_path) -> None:
    code, _, err = run("validate", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "cannot read file" in err


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
    assert first.startswith("main,True,555,7.9,844,2,1,1,")


def test_unknown_scenario_is_a_usage_error() -> None:
    code, _, err = run("summary", "--catalogue", str(TINY), "--scenario", "nope")
    assert code == 2
    assert "unknown scenario 'nope'" in err


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
    assert rows[0][:4] == ["corridor", "name", "passable", "distance (km)"]
    assert [r[2] for r in rows[1:3]] == ["no", "no"]  # Bland closed: both corridors shut
    assert any(r[:1] == ["scenario"] and "close-bb" in ",".join(r) for r in rows)


def test_export_refuses_unknown_extensions_and_corridors(tmp_path) -> None:
    code, _, err = run("export", "--catalogue", str(TINY), "--out", str(tmp_path / "x.docx"))
    assert code == 2 and "is not one of .png" in err
    code, _, err = run(
        "export",
        "--catalogue",
        str(TINY),
        "--corridors",
        "main,nope",
        "--out",
        str(tmp_path / "x.png"),
    )
    assert code == 2 and "unknown corridor(s): nope" in err


def test_export_speaks_chinese_when_asked(tmp_path) -> None:
    out = tmp_path / "brief.md"
    code, _, _ = run("export", "--catalogue", str(TINY), "--lang", "zh", "--out", str(out))
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "主线" in text  # the corridor's Chinese name from the catalogue
    assert not any(word in text for word in ("Scenario", "Sources", "Cheapest"))
