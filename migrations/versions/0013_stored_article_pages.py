"""stored article pages: each article's page for readers, rendered ahead and kept by version

Revision ID: 0013
Revises: 0012
Created: 2026-11-29

Workers render an article's page when they store the article, and a page rendered
for a reader is kept as well, so a reader's first request for an article served by
any app server costs one read instead of a render (see factcheck/stored_pages.py).
Empty after the upgrade: `flask --app wsgi pages render` fills it.
"""
import sqlalchemy as sa
from alembic import op

from factcheck.db import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "article_pages",
        sa.Column("article_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("release", sa.String(length=32), nullable=False),
        sa.Column("etag", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("rendered_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE",
                                name=op.f("fk_article_pages_article_id_articles")),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_pages")),
    )


def downgrade():
    op.drop_table("article_pages")
