"""The Saved views page under AppTest, on a real SQLite file (and a real PostgreSQL for faults)."""

from __future__ import annotations

import dataclasses
import re
import uuid
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from geo.catalogue import Catalogue
from geo.loader import content_key
from geo.text import markdown_escape
from office.postgres import PostgresCluster
from pages._team import team_store
from store import Store, database_url
from tests.conftest import REAL, REPO, TINY
from tests.test_pages import keyed, map_config, map_script

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def team(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Store:
    """This test's own database, which the page opens from the environment."""
    monkeypatch.setenv("CORRIDOR_ATLAS_DATABASE", str(tmp_path / "team.db"))
    return Store(database_url())


def saved_page(**params: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page("pages/saved.py")  # the link's page from the first run, as a browser would
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return "\n".join(
        str(e.value)
        for kind in ("markdown", "caption", "info", "warning", "success", "error", "text")
        for e in getattr(at, kind)
    )


def save_through_page(at: AppTest, name: str, note: str) -> None:
    at.text_input(key="saved_name").input(name)
    at.text_area(key="saved_note").input(note)
    at.button(key="saved_save").click().run()
    assert not at.exception, at.exception


def test_a_view_is_saved_listed_and_reopened_into_the_same_view(team: Store) -> None:
    at = saved_page(scenario="russia-transit-closed", lang="en")
    assert "anyone who can reach this server" in texts(at)
    save_through_page(at, "Northern route shut", "Check the Caspian ferry.")
    assert "Saved “Northern route shut”." in [s.value for s in at.success]
    [saved] = team.views()
    assert saved.params()["scenario"] == "russia-transit-closed"
    assert saved.author is None and saved.note == "Check the Caspian ferry."
    assert saved.catalogue_hash == content_key(
        Catalogue.model_validate(yaml.safe_load(REAL.read_text(encoding="utf-8")))
    )
    assert "Check the Caspian ferry." in [t.value for t in at.text]
    assert any("Northern route shut" in m.value and "anyone" in m.value for m in at.markdown)
    at.button(key="saved_save").click().run()  # the same attempt again would be a new save…
    assert len(team.views()) == 2  # …since a successful save starts a new attempt

    other = saved_page()  # a second session, on the default view
    assert other.query_params["scenario"] == "baseline"
    [link] = [h.value for h in other.get("html") if f'data-saved-view="{saved.id}"' in h.value]
    href = re.search(r'href="\?([^"]+)"', link)
    assert href, link
    params = dict(parse_qsl(unescape(href[1])))
    assert params == saved.params() | {"opened": str(saved.id)}
    other = saved_page(**params)  # the link followed: a session drawn from it
    assert "opened" not in other.query_params  # the sidebar keeps the view's parameters only
    assert other.query_params["scenario"] == "russia-transit-closed"
    scenario = keyed(other.selectbox, "sidebar_scenario_")
    assert scenario.value == "russia-transit-closed"
    assert "Opened “Northern route shut”" in texts(other)


def test_hostile_names_and_notes_are_shown_as_text(team: Store) -> None:
    at = saved_page()
    save_through_page(at, HOSTILE, "**bold** [x](javascript:alert(1)) <img src=x onerror=1>")
    [saved] = team.views()
    assert saved.name == HOSTILE  # kept as typed
    shown = [m.value for m in at.markdown if "script" in m.value]
    assert shown and all("<script>" not in value for value in shown)
    assert any(markdown_escape(HOSTILE) in value for value in shown)
    assert "**bold** [x](javascript:alert(1)) <img src=x onerror=1>" in [t.value for t in at.text]


def test_too_long_or_empty_names_are_refused_with_a_message(team: Store) -> None:
    at = saved_page()
    save_through_page(at, "   ", "")
    assert any("Not saved" in e.value and "empty" in e.value for e in at.error)
    assert team.views() == []


def test_a_view_saved_on_another_catalogue_opens_with_what_changed(
    team: Store, real: Catalogue
) -> None:
    data = yaml.safe_load(REAL.read_text(encoding="utf-8"))
    data["meta"]["version"] = "0.9.0"
    node = next(n for n in data["nodes"] if n.get("dwell_hours"))
    node["dwell_hours"]["value"] += 7
    removed = data["corridors"].pop()
    data["benchmarks"] = [b for b in data["benchmarks"] if b["corridor"] != removed["id"]]
    older = Catalogue.model_validate(data)
    old_key = content_key(older)
    team.remember_catalogue(
        name="corridors.yaml",
        text=yaml.safe_dump(data, allow_unicode=True),
        version="0.9.0",
        content_hash=old_key,
        max_bytes=50_000_000,
    )
    saved = team.save_view(
        key=str(uuid.uuid4()),
        name="Old view",
        query={"scenario": "baseline"},
        catalogue_version="0.9.0",
        catalogue_hash=old_key,
    )
    unknown = team.save_view(
        key=str(uuid.uuid4()),
        name="Lost catalogue",
        query={"scenario": "baseline"},
        catalogue_version="0.1.0",
        catalogue_hash="0123456789ab",
    )
    at = saved_page(**(saved.params() | {"opened": str(saved.id)}))
    warning = "\n".join(w.value for w in at.warning)
    assert "was saved on catalogue 0\\.9\\.0" in warning
    assert markdown_escape(f"({removed['id']}): added") in warning  # in use, not in the older
    assert markdown_escape(f"({node['id']}): dwell_hours") in warning
    at = saved_page(**(unknown.params() | {"opened": str(unknown.id)}))
    assert "which this server no longer has" in "\n".join(w.value for w in at.warning)


def test_notes_added_on_the_page_show_in_the_map_popups(team: Store) -> None:
    at = saved_page()
    at.radio(key="notes_kind").set_value("node").run()
    at.selectbox(key="notes_target_node").set_value("khorgos")
    at.text_area(key="notes_text").input("Gauge-change queue: 3 days.")
    at.button(key="notes_add").click().run()
    assert not at.exception, at.exception
    [note] = team.notes()
    assert (note.target_kind, note.target_id, note.author) == ("node", "khorgos", None)
    assert "Gauge-change queue: 3 days." in [t.value for t in at.text]
    at.switch_page("pages/map.py")
    at.run()
    assert not at.exception, at.exception
    pool = map_config(map_script(at))["data"]["shared"]["pool"]
    assert any("Gauge-change queue: 3 days." in value for value in pool)


def test_with_sign_in_configured_nobody_signed_in_may_not_save(team: Store) -> None:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
    }
    at.run()
    at.switch_page("pages/saved.py")
    at.run()
    assert not at.exception, at.exception
    assert "anyone who can reach this server" not in texts(at)
    assert at.button(key="saved_sign_in").label == "Sign in to save views under your name"
    assert at.button(key="saved_save").disabled


def test_the_page_reads_in_chinese(team: Store) -> None:
    at = saved_page(lang="zh")
    assert at.title[0].value == "保存的视图"
    assert "任何能访问此服务器的人" in texts(at)


def test_a_database_that_is_down_is_a_warning_and_saving_resumes_after(
    monkeypatch: pytest.MonkeyPatch, postgres: PostgresCluster
) -> None:
    cluster = dataclasses.replace(postgres, database=f"t_{uuid.uuid4().hex[:12]}")
    cluster.create_database()
    monkeypatch.setenv("DATABASE_URL", cluster.url)
    at = saved_page(scenario="russia-transit-closed")
    postgres.stop()
    try:
        save_through_page(at, "During the restart", "")
        warnings = "\n".join(w.value for w in at.warning)
        assert "cannot be reached now; nothing was saved" in warnings
        assert "Traceback" not in texts(at)
    finally:
        postgres.start()
    at.button(key="saved_save").click().run()  # the same attempt, retried
    assert not at.exception, at.exception
    assert "Saved “During the restart”." in [s.value for s in at.success]
    check = Store(cluster.url)
    assert [v.name for v in check.views()] == ["During the restart"]  # written once
    check.close()
    team_store().close()  # the page's store for this database: its connections closed


def catalogue_page() -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/catalogue.py")
    at.run()
    assert not at.exception, at.exception
    return at


def test_an_upload_is_kept_for_the_team_and_another_session_picks_it(team: Store) -> None:
    at = catalogue_page()
    upload = TINY.read_bytes()
    at.file_uploader(key="catalogue_upload").set_value(("mine.yaml", upload, "application/x-yaml"))
    at.run()
    assert not at.exception, at.exception
    [kept] = team.catalogues()
    assert (kept.name, kept.version, kept.uploader, kept.uploaded) == (
        "mine.yaml",
        "test",
        None,
        True,
    )
    assert team.catalogue_text(kept.id) == upload.decode("utf-8")
    assert "Kept for the team as “mine\\.yaml”." in [s.value for s in at.success]

    other = catalogue_page()  # another member, on the operator's catalogue
    assert other.session_state["catalogue_uploaded"] is False
    assert other.selectbox(key="stored_pick").value == kept.id
    lines = "\n".join(m.value for m in other.markdown)
    assert "From catalogue test to 1\\.2\\.0" in lines
    assert "Corridor Main \\(main\\)\\: removed" in lines  # in the upload, not in the real one
    other.button(key="stored_use").click().run()
    assert not other.exception, other.exception
    assert other.session_state["catalogue_uploaded"] is True
    assert other.session_state["catalogue_name"] == "mine.yaml"
    assert "Now using “mine\\.yaml” in this session." in [s.value for s in other.success]


def test_an_oversized_upload_is_not_kept(team: Store, settings: Any) -> None:
    settings.set(upload_max_bytes=len(TINY.read_bytes()) - 1)
    at = catalogue_page()
    at.file_uploader(key="catalogue_upload").set_value(
        ("big.yaml", TINY.read_bytes(), "application/x-yaml")
    )
    at.run()
    assert not at.exception, at.exception
    assert team.catalogues() == []
