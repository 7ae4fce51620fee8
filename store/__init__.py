"""
The team's store: saved views, dated notes on corridors and nodes, and catalogues kept for the
team, in SQLite by default or PostgreSQL (`DATABASE_URL`), through SQLAlchemy with Alembic
migrations. Used by the pages only: the engine (`geo/`) never imports it.

    from store import open_store, StoreUnavailable
    store = open_store()            # DATABASE_URL, else SQLite at data/atlas.db
    store.save_view(key=uuid, name="…", query=params, catalogue_version="1.1.0",
                    catalogue_hash="f1d29534a70a", note="…", author=None)
"""

from store.records import (
    AUTHOR_MAX,
    NAME_MAX,
    NOTE_MAX,
    TARGET_KINDS,
    InvalidEntry,
    NotAllowed,
    Note,
    SavedView,
    StoredCatalogue,
    StoreError,
    StoreUnavailable,
)
from store.store import DEFAULT_PATH, PATH_ENV, URL_ENV, Store, database_url, open_store

__all__ = [
    "AUTHOR_MAX",
    "DEFAULT_PATH",
    "NAME_MAX",
    "NOTE_MAX",
    "PATH_ENV",
    "TARGET_KINDS",
    "URL_ENV",
    "InvalidEntry",
    "NotAllowed",
    "Note",
    "SavedView",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "StoredCatalogue",
    "database_url",
    "open_store",
]
