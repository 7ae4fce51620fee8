"""
The team's store against real databases: every test runs on SQLite (a file) and on PostgreSQL
(the session's throwaway cluster, a fresh database per test). No mock database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from office.postgres import PostgresCluster
from store import (
    NAME_MAX,
    NOTE_MAX,
    InvalidEntry,
    NotAllowed,
    Store,
    StoreError,
    StoreUnavailable,
    database_url,
)
from store.schema import Base
from store.store import MIGRATIONS

HOSTILE = "<script>alert(1)</script>"
QUERY = {"scenario": "russia-transit-closed", "origin": "almaty", "lang": "zh"}


class Clock:
    """A clock the test moves: saved things get distinct, known times."""

    def __init__(self) -> None:
        self.moment = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.moment += dt.timedelta(minutes=1)
        return self.moment


def fresh_database(postgres: PostgresCluster) -> PostgresCluster:
    cluster = dataclasses.replace(postgres, database=f"t_{uuid.uuid4().hex[:12]}")
    cluster.create_database()
    return cluster


def drop_database(cluster: PostgresCluster) -> None:
    dsn = f"host=127.0.0.1 port={cluster.port} user=atlas dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{cluster.database}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'atlas.db'}"
        return
    cluster = fresh_database(request.getfixturevalue("postgres"))
    yield cluster.url
    drop_database(cluster)


@pytest.fixture
def store(database: str) -> Iterator[Store]:
    opened = Store(database, now=Clock())
    yield opened
    opened.close()


def save(store: Store, name: str = "Rare earths to Japan", **changes: object) -> object:
    values: dict[str, object] = {
        "key": str(uuid.uuid4()),
        "name": name,
        "query": QUERY,
        "catalogue_version": "1.1.0",
        "catalogue_hash": "f1d29534a70a",
        "note": "Avoids China; check the Caspian ferry.",
    } | changes
    return store.save_view(**values)  # type: ignore[arg-type]


def test_a_saved_view_comes_back_listed_newest_first_and_can_be_deleted(store: Store) -> None:
    first = save(store, "first")
    second = save(store, "second", author="alice@example.org")
    listed = store.views()
    assert [v.name for v in listed] == ["second", "first"]
    got = store.view(first.id)  # type: ignore[attr-defined]
    assert got is not None
    assert got.params() == QUERY
    assert got.note == "Avoids China; check the Caspian ferry."
    assert got.author is None and listed[0].author == "alice@example.org"
    assert (got.catalogue_version, got.catalogue_hash) == ("1.1.0", "f1d29534a70a")
    assert got.created.tzinfo is not None and got.created < listed[0].created
    assert store.delete_view(second.id)  # type: ignore[attr-defined]
    assert [v.name for v in store.views()] == ["first"]
    assert store.delete_view(second.id) is False  # type: ignore[attr-defined]
    assert store.view(10_000) is None


def test_a_retried_save_never_writes_twice(store: Store) -> None:
    key = str(uuid.uuid4())
    once = save(store, "once", key=key)
    again = save(store, "once, retried", key=key)
    assert again == once
    assert len(store.views()) == 1
    results: list[object] = []
    errors: list[BaseException] = []
    other = str(uuid.uuid4())

    def retry() -> None:
        try:
            results.append(save(store, "racing", key=other))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=retry) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({r.id for r in results}) == 1  # type: ignore[attr-defined]
    assert sorted(v.name for v in store.views()) == ["once", "racing"]


def test_with_login_only_the_author_deletes(store: Store) -> None:
    mine = save(store, "mine", author="alice@example.org")
    anonymous = save(store, "before login")
    with pytest.raises(NotAllowed, match=r"alice@example\.org"):
        store.delete_view(mine.id, user="bob@example.org", login=True)  # type: ignore[attr-defined]
    with pytest.raises(NotAllowed):
        store.delete_view(mine.id, user=None, login=True)  # type: ignore[attr-defined]
    assert store.view(mine.id) is not None  # type: ignore[attr-defined]
    assert store.delete_view(mine.id, user="alice@example.org", login=True)  # type: ignore[attr-defined]
    assert store.delete_view(anonymous.id, user="bob@example.org", login=True)  # type: ignore[attr-defined]
    open_one = save(store, "open", author="alice@example.org")
    assert store.delete_view(open_one.id, user=None, login=False)  # type: ignore[attr-defined]


def test_names_and_notes_are_limited_and_kept_as_plain_text(store: Store) -> None:
    assert save(store, "x" * NAME_MAX).name == "x" * NAME_MAX  # type: ignore[attr-defined]
    with pytest.raises(InvalidEntry, match="at most 120"):
        save(store, "x" * (NAME_MAX + 1))
    with pytest.raises(InvalidEntry, match="at most 2,000"):
        save(store, "long note", note="n" * (NOTE_MAX + 1))
    with pytest.raises(InvalidEntry, match="empty"):
        save(store, "   ")
    with pytest.raises(InvalidEntry, match="control"):
        save(store, "nul\x00byte")
    with pytest.raises(InvalidEntry, match="control"):
        save(store, "two\nlines")
    sneaky = "'; DROP TABLE saved_views; --"
    saved = save(store, HOSTILE, note=f"{sneaky}\n第二行 **bold** [link](javascript:alert(1))")
    back = store.view(saved.id)  # type: ignore[attr-defined]
    assert back is not None and back.name == HOSTILE
    assert back.note == f"{sneaky}\n第二行 **bold** [link](javascript:alert(1))"
    assert len(store.views()) == 2  # the table is still there, both rows in it


def test_notes_on_corridors_and_nodes(store: Store) -> None:
    key = str(uuid.uuid4())
    note = store.add_note(
        key=key,
        target_kind="corridor",
        target_id="middle-corridor",
        text="Aktau ferry slots booked to March.",
        catalogue_version="1.1.0",
        author="alice@example.org",
    )
    store.add_note(
        key=key,
        target_kind="corridor",
        target_id="middle-corridor",
        text="again",
        catalogue_version="1.1.0",
    )
    store.add_note(
        key=str(uuid.uuid4()),
        target_kind="node",
        target_id="khorgos",
        text=HOSTILE,
        catalogue_version="1.1.0",
    )
    assert [n.text for n in store.notes()] == ["Aktau ferry slots booked to March.", HOSTILE]
    assert store.notes("corridor", "middle-corridor") == [note]
    assert [n.target_id for n in store.notes("node")] == ["khorgos"]
    with pytest.raises(InvalidEntry, match="corridor, node"):
        store.add_note(
            key="k", target_kind="country", target_id="KZ", text="x", catalogue_version="1"
        )
    with pytest.raises(InvalidEntry, match="empty"):
        store.add_note(key="k", target_kind="node", target_id="a", text=" ", catalogue_version="1")
    with pytest.raises(NotAllowed):
        store.delete_note(note.id, user="bob@example.org", login=True)
    assert store.delete_note(note.id, user="alice@example.org", login=True)
    assert [n.target_id for n in store.notes()] == ["khorgos"]


def test_uploaded_catalogues_persist_with_their_report_within_the_size_limit(store: Store) -> None:
    text_yaml = "meta:\n  title: 测试 <b>upload</b>\n"
    kept = store.save_catalogue(
        key=str(uuid.uuid4()),
        name="team.yaml",
        text=text_yaml,
        version="2.0.0",
        content_hash="abc123def456",
        report=["warning: line 3: a dated figure", "warning: line 9:\nsplit"],
        uploader="alice@example.org",
        max_bytes=1000,
    )
    assert kept.report == ("warning: line 3: a dated figure", "warning: line 9: split")
    assert kept.size == len(text_yaml.encode("utf-8"))
    snapshot = store.remember_catalogue(
        name="corridors.yaml",
        text="meta: {}\n",
        version="1.1.0",
        content_hash="f1d29534a70a",
        max_bytes=1000,
    )
    again = store.remember_catalogue(
        name="corridors.yaml",
        text="meta: {}\n",
        version="1.1.0",
        content_hash="f1d29534a70a",
        max_bytes=1000,
    )
    assert again == snapshot
    assert [c.name for c in store.catalogues()] == ["team.yaml"]  # uploads only
    assert len(store.catalogues(uploaded_only=False)) == 2
    assert store.catalogue_text(kept.id) == text_yaml
    assert store.catalogue_by_hash("f1d29534a70a") == snapshot
    assert store.catalogue_by_hash("nothing") is None
    with pytest.raises(InvalidEntry, match="at most 10 "):
        store.save_catalogue(
            key="big",
            name="big.yaml",
            text="x" * 11,
            version="1",
            content_hash="a1b2c3",
            max_bytes=10,
        )


def test_migrations_build_the_schema_from_empty_and_match_the_declarations(database: str) -> None:
    fresh = Store(database)
    with fresh.engine.connect() as connection:
        assert inspect(connection).get_table_names() == []
    fresh.migrate()
    with fresh.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        assert current == ScriptDirectory.from_config(config).get_current_head()
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        tables = set(inspect(connection).get_table_names())
    assert {"saved_views", "notes", "catalogues", "alembic_version"} <= tables
    fresh.close()


def test_replicas_starting_together_migrate_once(database: str) -> None:
    stores = [Store(database) for _ in range(4)]
    errors: list[BaseException] = []

    def start(one: Store) -> None:
        try:
            one.migrate()
            save(one, "hello")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(one,)) for one in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(stores[0].views()) == 4
    for one in stores:
        one.close()


def test_a_stopped_postgresql_is_a_clear_error_and_saving_resumes_after(
    postgres: PostgresCluster,
) -> None:
    cluster = fresh_database(postgres)
    store = Store(cluster.url)
    save(store, "before")
    postgres.stop()
    try:
        with pytest.raises(StoreUnavailable, match=r"not answering.*try again") as caught:
            save(store, "while down")
        assert "Traceback" not in str(caught.value)
        with pytest.raises(StoreUnavailable):
            store.views()
    finally:
        postgres.start()
    save(store, "after")
    assert [v.name for v in store.views()] == ["after", "before"]
    postgres.restart()  # connections in the pool die with the server; the next use reconnects
    assert len(store.views()) == 2
    store.close()
    drop_database(cluster)


def test_an_unreachable_sqlite_file_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"  # a folder where the database file should be
    folder.mkdir()
    with pytest.raises(StoreUnavailable, match="not answering"):
        Store(f"sqlite:///{folder}").views()


def test_the_database_comes_from_the_environment(tmp_path: Path) -> None:
    assert database_url({}).endswith("/data/atlas.db")
    assert database_url({}).startswith("sqlite:///")
    path = tmp_path / "team.db"
    assert database_url({"CORRIDOR_ATLAS_DATABASE": str(path)}) == f"sqlite:///{path}"
    url = database_url({"DATABASE_URL": "postgres://atlas@db.internal:5432/atlas"})
    assert url == "postgresql+psycopg://atlas@db.internal:5432/atlas"
    assert database_url({"DATABASE_URL": "postgresql://a@b/c"}) == "postgresql+psycopg://a@b/c"
    with pytest.raises(StoreError, match="neither SQLite nor PostgreSQL"):
        Store("mysql://root@localhost/atlas")
    with pytest.raises(StoreError, match="cannot be read"):
        Store("not a url at all")
    secret = Store("postgresql+psycopg://atlas:hunter2@127.0.0.1:1/atlas")
    assert "hunter2" not in secret.url


def test_a_password_never_appears_in_an_unavailable_message() -> None:
    store = Store("postgresql+psycopg://atlas:hunter2@127.0.0.1:1/atlas")  # nothing on port 1
    with pytest.raises(StoreUnavailable) as caught:
        store.views()
    assert "hunter2" not in str(caught.value)
    assert "***" in str(caught.value)


def test_sqlite_survives_a_missing_data_folder(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'data' / 'deeper' / 'atlas.db'}")
    save(store, "made its folder")
    assert (tmp_path / "data" / "deeper" / "atlas.db").exists()
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
