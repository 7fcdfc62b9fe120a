"""matching: PostgreSQL keeps a term's quote ids in chunks of a few hundred per row

Revision ID: 0009
Revises: 0008
Created: 2026-11-27

0008's GIN index over one array per quote was compact, but a lookup then read
one random heap row per candidate quote: at 10^6 quotes a cold query took
hundreds of milliseconds. ``match_chunks`` reads about one row per looked-up
term instead. SQLite keeps ``match_postings``; each database leaves the other's
table empty. Refill with ``flask --app wsgi rematch --index-only``.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_ARRAY = sa.JSON().with_variant(postgresql.ARRAY(sa.Integer()), "postgresql")


def upgrade():
    op.drop_index("ix_match_documents_terms", table_name="match_documents")
    op.drop_table("match_documents")
    op.create_table(
        "match_chunks",
        sa.Column("term", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("chunk", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("quote_ids", _ARRAY, nullable=False),
        sa.PrimaryKeyConstraint("term", "chunk", name=op.f("pk_match_chunks")),
    )


def downgrade():
    op.drop_table("match_chunks")
    op.create_table(
        "match_documents",
        sa.Column("quote_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("terms", _ARRAY, nullable=False),
        sa.PrimaryKeyConstraint("quote_id", name=op.f("pk_match_documents")),
    )
    op.create_index("ix_match_documents_terms", "match_documents", ["terms"], unique=False,
                    postgresql_using="gin", postgresql_with={"fastupdate": "off"})
