"""page cache: one content version, bumped by every transaction that changes what pages show

Revision ID: 0006
Revises: 0005
Created: 2026-11-27

A single row. Cached public pages are keyed by it (see factcheck/pagecache.py),
so a committed change is never followed by an older page.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 1}])


def downgrade():
    op.drop_table("content_version")
