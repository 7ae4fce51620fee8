"""
The store's tables as SQLAlchemy declarations, used to query. Alembic's migrations in
`store/migrations/versions/` create and change them; a test checks the two agree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from store.records import (
    AUTHOR_MAX,
    HASH_MAX,
    KEY_MAX,
    NAME_MAX,
    NOTE_MAX,
    TARGET_MAX,
    VERSION_MAX,
)


class Base(DeclarativeBase):
    pass


class ViewRow(Base):
    __tablename__ = "saved_views"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    note: Mapped[str] = mapped_column(String(NOTE_MAX))
    author: Mapped[str | None] = mapped_column(String(AUTHOR_MAX))
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    catalogue_version: Mapped[str] = mapped_column(String(VERSION_MAX))
    catalogue_hash: Mapped[str] = mapped_column(String(HASH_MAX))
    query: Mapped[str] = mapped_column(Text)


class NoteRow(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX), unique=True)
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(TARGET_MAX))
    text: Mapped[str] = mapped_column(String(NOTE_MAX))
    author: Mapped[str | None] = mapped_column(String(AUTHOR_MAX))
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    catalogue_version: Mapped[str] = mapped_column(String(VERSION_MAX))


class CatalogueRow(Base):
    __tablename__ = "catalogues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX + 16), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    uploader: Mapped[str | None] = mapped_column(String(AUTHOR_MAX))
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[str] = mapped_column(String(VERSION_MAX))
    content_hash: Mapped[str] = mapped_column(String(HASH_MAX), index=True)
    uploaded: Mapped[bool] = mapped_column(Boolean)
    size: Mapped[int] = mapped_column(Integer)
    report: Mapped[str] = mapped_column(Text)
    """The rendered validation report, one problem a line."""
    text: Mapped[str] = mapped_column(Text)
