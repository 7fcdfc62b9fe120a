"""matching: PostgreSQL keeps its candidate index as one term array per quote under GIN

Revision ID: 0008
Revises: 0007
Created: 2026-11-27

A row per posting costs PostgreSQL about 60 bytes (tuple header, index entry);
a GIN index over one integer array per quote stores compressed posting lists
instead, several times smaller. SQLite keeps ``match_postings`` (a WITHOUT ROWID
table is already compact); each database leaves the other's table empty.

On PostgreSQL the index is filled by ``flask --app wsgi rematch --index-only``.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "match_documents",
        sa.Column("quote_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("terms", sa.JSON().with_variant(postgresql.ARRAY(sa.Integer()), "postgresql"),
                  nullable=False),
        sa.PrimaryKeyConstraint("quote_id", name=op.f("pk_match_documents")),
    )
    op.create_index("ix_match_documents_terms", "match_documents", ["terms"], unique=False,
                    postgresql_using="gin", postgresql_with={"fastupdate": "off"})


def downgrade():
    op.drop_index("ix_match_documents_terms", table_name="match_documents")
    op.drop_table("match_documents")
