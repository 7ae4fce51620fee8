"""
The team's database behind one small interface: saved views, notes on corridors and nodes, and
stored catalogues. SQLite in a file by default; PostgreSQL when `DATABASE_URL` names one.

Every save carries a key made by the client (a uuid per attempt): saving again with the same
key returns the row already written, so a retried save never writes twice. Every database
failure that means "not reachable now" is raised as `StoreUnavailable`; connections are checked
before use (`pool_pre_ping`), so the first call after the database is back works.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from store.records import (
    HASH_MAX,
    KEY_MAX,
    NAME_MAX,
    NOTE_MAX,
    QUERY_MAX,
    TARGET_KINDS,
    TARGET_MAX,
    VERSION_MAX,
    InvalidEntry,
    NotAllowed,
    Note,
    SavedView,
    StoredCatalogue,
    StoreError,
    StoreUnavailable,
    clean_author,
    clean_text,
    utc,
)
from store.schema import CatalogueRow, NoteRow, ViewRow

REPO_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
URL_ENV = "DATABASE_URL"
"""A SQLAlchemy URL (`postgresql://user@host/db`); when set, it is the team's database."""
PATH_ENV = "CORRIDOR_ATLAS_DATABASE"
"""Without `DATABASE_URL`: the SQLite file (default `data/atlas.db` in the repository)."""
DEFAULT_PATH = REPO_ROOT / "data" / "atlas.db"
CONNECT_TIMEOUT_S = 5
"""Seconds to wait for PostgreSQL to answer before saying it is unavailable."""

T = TypeVar("T")
_MIGRATING = threading.Lock()
"""Alembic's `context` is one per process: one store at a time migrates in a process."""


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """The database in force: `DATABASE_URL`, else SQLite at `CORRIDOR_ATLAS_DATABASE` or
    `data/atlas.db`. A `postgres://` or `postgresql://` URL is given the psycopg 3 driver."""
    environ = os.environ if environ is None else environ
    url = environ.get(URL_ENV, "").strip()
    if not url:
        path = Path(environ.get(PATH_ENV, "").strip() or DEFAULT_PATH)
        return f"sqlite:///{path.resolve()}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _first_line(exc: BaseException) -> str:
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return detail[0][:300] if detail else type(exc).__name__


class Store:
    """The one way the pages reach the database. Opening does not connect; the schema is
    brought to the newest migration on first use (and again after a failed first use)."""

    def __init__(self, url: str, *, now: Callable[[], dt.datetime] = _now) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise StoreError(f"the database URL {url!r} cannot be read: {exc}") from None
        self.url = parsed.render_as_string(hide_password=True)
        """The URL, password hidden: fit for a message."""
        self.dialect = parsed.get_backend_name()
        self._now = now
        self._ready = False
        self._path = ""
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                self._path = parsed.database
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(parsed, pool_pre_ping=True, connect_args={"timeout": 15})
            event.listen(self.engine, "connect", _sqlite_pragmas)
        elif self.dialect == "postgresql":
            self.engine = create_engine(
                parsed,
                pool_pre_ping=True,
                pool_timeout=CONNECT_TIMEOUT_S,
                connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
            )
        else:
            raise StoreError(
                f"the database {self.url} is neither SQLite nor PostgreSQL; "
                "set DATABASE_URL to a postgresql:// URL or leave it unset for SQLite"
            )

    # ---- plumbing -------------------------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Database failures as the store's errors: unreachable → `StoreUnavailable`."""
        try:
            yield
        except (OperationalError, InterfaceError, DisconnectionError, PoolTimeout) as exc:
            raise StoreUnavailable(
                f"The team database ({self.url}) is not answering: {_first_line(exc)}. "
                "Nothing was lost; try again once it is back."
            ) from None
        except OSError as exc:  # SQLite's folder cannot be written (the migration lock)
            raise StoreUnavailable(
                f"The team database ({self.url}) cannot be opened: {exc}. "
                "Check that its folder exists and can be written."
            ) from None
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise StoreUnavailable(
                    f"The connection to the team database ({self.url}) was lost: "
                    f"{_first_line(exc)}. Try again in a moment."
                ) from None
            raise StoreError(f"The team database refused the request: {_first_line(exc)}") from None

    def migrate(self) -> None:
        """Bring the schema to the newest migration (Alembic `upgrade head`), once per process."""
        if self._ready:
            return
        with _MIGRATING, self._guard(), self._file_lock():
            if not self._ready:  # another thread may have migrated while this one waited
                with self.engine.begin() as connection:
                    config = Config()
                    config.set_main_option("script_location", str(MIGRATIONS))
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
                self._ready = True

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        """SQLite: one process at a time migrates (a lock file beside the database); its DDL
        is not transactional, so two replicas starting together would both create tables.
        PostgreSQL takes an advisory lock instead (`store/migrations/env.py`)."""
        if self.dialect != "sqlite" or not self._path:
            yield
            return
        with open(f"{self._path}.migrate-lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _run(self, work: Callable[[Session], T]) -> T:
        self.migrate()
        with self._guard(), Session(self.engine, expire_on_commit=False) as session:
            return work(session)

    def _insert_once(self, session: Session, row: Any, model: Any, key: str) -> Any:
        """Insert `row` unless a row with its key exists; return whichever row is stored."""
        existing = session.scalar(select(model).where(model.key == key))
        if existing is not None:
            return existing
        session.add(row)
        try:
            session.commit()
        except IntegrityError:  # the same key, written by a concurrent retry in between
            session.rollback()
            existing = session.scalar(select(model).where(model.key == key))
            if existing is None:
                raise StoreError("the save conflicted with another one; try again") from None
            return existing
        return row

    def ping(self) -> None:
        """Raise `StoreUnavailable` unless the database answers now."""
        self._run(lambda session: session.execute(select(1)).scalar_one())

    def close(self) -> None:
        self.engine.dispose()

    # ---- saved views ----------------------------------------------------------------------

    def save_view(
        self,
        *,
        key: str,
        name: str,
        query: Mapping[str, str],
        catalogue_version: str,
        catalogue_hash: str,
        note: str = "",
        author: str | None = None,
    ) -> SavedView:
        """Save a named view (its URL query parameters). Saving again with the same `key`
        returns the view already saved and writes nothing."""
        encoded = urlencode(dict(query))
        if len(encoded) > QUERY_MAX:
            raise InvalidEntry(
                f"the view's link has {len(encoded):,} characters; at most {QUERY_MAX:,}"
            )
        row = ViewRow(
            key=clean_text(key, "key", KEY_MAX),
            name=clean_text(name, "name", NAME_MAX),
            note=clean_text(note, "note", NOTE_MAX, lines=True, empty=True),
            author=clean_author(author),
            created=self._now(),
            catalogue_version=clean_text(catalogue_version, "catalogue version", VERSION_MAX),
            catalogue_hash=clean_text(catalogue_hash, "catalogue hash", HASH_MAX),
            query=encoded,
        )
        return _view(self._run(lambda s: self._insert_once(s, row, ViewRow, row.key)))

    def views(self, limit: int = 500) -> list[SavedView]:
        """Saved views, newest first."""
        query = select(ViewRow).order_by(ViewRow.created.desc(), ViewRow.id.desc()).limit(limit)
        return self._run(lambda s: [_view(row) for row in s.scalars(query)])

    def view(self, view_id: int) -> SavedView | None:
        return self._run(lambda s: _maybe(s.get(ViewRow, view_id), _view))

    def delete_view(self, view_id: int, *, user: str | None = None, login: bool = False) -> bool:
        """
        Delete a saved view; False if there was none. With `login` on, only its author (`user`)
        may, or any signed-in user for a view saved before login was configured (no author);
        otherwise anyone may. A refusal raises `NotAllowed`.
        """
        return self._delete(
            ViewRow,
            view_id,
            user=user,
            login=login,
            what=lambda row: f"the saved view {row.name!r}",
        )

    # ---- notes ----------------------------------------------------------------------------

    def add_note(
        self,
        *,
        key: str,
        target_kind: str,
        target_id: str,
        text: str,
        catalogue_version: str,
        author: str | None = None,
    ) -> Note:
        """A dated note on a corridor or node; the same `key` again writes nothing."""
        if target_kind not in TARGET_KINDS:
            raise InvalidEntry(
                f"a note is on one of {', '.join(TARGET_KINDS)}, not {target_kind!r}"
            )
        row = NoteRow(
            key=clean_text(key, "key", KEY_MAX),
            target_kind=target_kind,
            target_id=clean_text(target_id, "target", TARGET_MAX),
            text=clean_text(text, "note", NOTE_MAX, lines=True),
            author=clean_author(author),
            created=self._now(),
            catalogue_version=clean_text(catalogue_version, "catalogue version", VERSION_MAX),
        )
        return _note(self._run(lambda s: self._insert_once(s, row, NoteRow, row.key)))

    def notes(self, target_kind: str | None = None, target_id: str | None = None) -> list[Note]:
        """Notes, oldest first; on one kind of target, or on one target."""
        query = select(NoteRow).order_by(NoteRow.created, NoteRow.id)
        if target_kind is not None:
            query = query.where(NoteRow.target_kind == target_kind)
        if target_id is not None:
            query = query.where(NoteRow.target_id == target_id)
        return self._run(lambda s: [_note(row) for row in s.scalars(query)])

    def delete_note(self, note_id: int, *, user: str | None = None, login: bool = False) -> bool:
        """Delete a note, under the same rule as `delete_view`."""
        return self._delete(NoteRow, note_id, user=user, login=login, what=lambda row: "this note")

    def _delete(
        self, model: Any, row_id: int, *, user: str | None, login: bool, what: Callable[[Any], str]
    ) -> bool:
        """Delete one row of `model` (a view or a note) under the author rule; False if none."""

        def work(session: Session) -> bool:
            row = session.get(model, row_id)
            if row is None:
                return False
            if login and (user is None or (row.author is not None and row.author != user)):
                raise NotAllowed(f"only {row.author} may delete {what(row)}")
            session.delete(row)
            session.commit()
            return True

        return self._run(work)

    # ---- catalogues -----------------------------------------------------------------------

    def save_catalogue(
        self,
        *,
        key: str,
        name: str,
        text: str,
        version: str,
        content_hash: str,
        report: list[str] | tuple[str, ...] = (),
        uploader: str | None = None,
        uploaded: bool = True,
        max_bytes: int,
    ) -> StoredCatalogue:
        """Keep a catalogue's YAML with its validation report. `max_bytes` is the limit the
        upload was read under (`geo.settings` `upload_max_bytes`); the same `key` again writes
        nothing."""
        size = len(text.encode("utf-8"))
        if size > max_bytes:
            raise InvalidEntry(f"the catalogue has {size:,} bytes; at most {max_bytes:,} are kept")
        if "\x00" in text:
            raise InvalidEntry("the catalogue holds a NUL character; it is not a text file")
        row = CatalogueRow(
            key=clean_text(key, "key", KEY_MAX + 16),
            name=clean_text(name, "name", NAME_MAX),
            uploader=clean_author(uploader),
            created=self._now(),
            version=clean_text(version, "catalogue version", VERSION_MAX),
            content_hash=clean_text(content_hash, "catalogue hash", HASH_MAX),
            uploaded=uploaded,
            size=size,
            report="\n".join(line.replace("\n", " ") for line in report),
            text=text,
        )
        return _catalogue(self._run(lambda s: self._insert_once(s, row, CatalogueRow, row.key)))

    def remember_catalogue(
        self, *, name: str, text: str, version: str, content_hash: str, max_bytes: int
    ) -> StoredCatalogue:
        """A snapshot of the operator's catalogue, once per content hash: what a saved view was
        made on, so a later version can say what changed."""
        return self.save_catalogue(
            key=f"snapshot:{content_hash}",
            name=name,
            text=text,
            version=version,
            content_hash=content_hash,
            uploaded=False,
            max_bytes=max_bytes,
        )

    def catalogues(self, *, uploaded_only: bool = True) -> list[StoredCatalogue]:
        """Stored catalogues, newest first (uploads only, unless asked)."""
        query = select(CatalogueRow).order_by(CatalogueRow.created.desc(), CatalogueRow.id.desc())
        if uploaded_only:
            query = query.where(CatalogueRow.uploaded.is_(True))
        return self._run(lambda s: [_catalogue(row) for row in s.scalars(query)])

    def catalogue_text(self, catalogue_id: int) -> str | None:
        """A stored catalogue's YAML, or None if there is none with that id."""
        return self._run(lambda s: _maybe(s.get(CatalogueRow, catalogue_id), lambda r: r.text))

    def catalogue_by_hash(self, content_hash: str) -> StoredCatalogue | None:
        """The newest stored catalogue with this content hash (upload or snapshot)."""
        query = (
            select(CatalogueRow)
            .where(CatalogueRow.content_hash == content_hash)
            .order_by(CatalogueRow.created.desc(), CatalogueRow.id.desc())
            .limit(1)
        )
        return self._run(lambda s: _maybe(s.scalar(query), _catalogue))


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """Write-ahead logging, so readers never wait for a writer, and a writer waits its turn."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _maybe(row: Any, make: Callable[[Any], T]) -> T | None:
    return None if row is None else make(row)


def _view(row: ViewRow) -> SavedView:
    return SavedView(
        id=row.id,
        key=row.key,
        name=row.name,
        note=row.note,
        author=row.author,
        created=utc(row.created),
        catalogue_version=row.catalogue_version,
        catalogue_hash=row.catalogue_hash,
        query=row.query,
    )


def _note(row: NoteRow) -> Note:
    return Note(
        id=row.id,
        key=row.key,
        target_kind=row.target_kind,
        target_id=row.target_id,
        text=row.text,
        author=row.author,
        created=utc(row.created),
        catalogue_version=row.catalogue_version,
    )


def _catalogue(row: CatalogueRow) -> StoredCatalogue:
    return StoredCatalogue(
        id=row.id,
        key=row.key,
        name=row.name,
        uploader=row.uploader,
        created=utc(row.created),
        version=row.version,
        content_hash=row.content_hash,
        report=tuple(line for line in row.report.splitlines() if line),
        uploaded=row.uploaded,
        size=row.size,
    )


def open_store(url: str | None = None) -> Store:
    """The store at `url`, or at `database_url()` (the environment's). Does not connect."""
    return Store(url or database_url())
