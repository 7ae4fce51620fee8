"""The first schema: saved views, notes on corridors and nodes, stored catalogues.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("note", sa.String(2000), nullable=False),
        sa.Column("author", sa.String(200), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("catalogue_version", sa.String(64), nullable=False),
        sa.Column("catalogue_hash", sa.String(64), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
    )
    op.create_index("ix_saved_views_created", "saved_views", ["created"])
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(120), nullable=False),
        sa.Column("text", sa.String(2000), nullable=False),
        sa.Column("author", sa.String(200), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("catalogue_version", sa.String(64), nullable=False),
    )
    op.create_table(
        "catalogues",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(80), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("uploader", sa.String(200), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("uploaded", sa.Boolean(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_catalogues_content_hash", "catalogues", ["content_hash"])


def downgrade() -> None:
    op.drop_index("ix_catalogues_content_hash", "catalogues")
    op.drop_table("catalogues")
    op.drop_table("notes")
    op.drop_index("ix_saved_views_created", "saved_views")
    op.drop_table("saved_views")
