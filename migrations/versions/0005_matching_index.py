"""matching: the candidate index (word frequencies, postings) and speakers' surname keys

Revision ID: 0005
Revises: 0004
Created: 2026-11-27

``match_terms`` holds how many quotes contain each word (by a 32-bit hash);
``match_postings`` is the inverted index itself, clustered on (term, quote_id)
(WITHOUT ROWID on SQLite). ``speakers.surname_key`` is the transliteration-
folded surname similar names are looked up by; existing rows are filled here.

A database that already holds quotes gets its index with ``flask --app wsgi rematch``.
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "match_terms",
        sa.Column("term", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("quotes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_match_terms")),
    )
    op.create_table(
        "match_postings",
        sa.Column("term", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("quote_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("term", "quote_id", name=op.f("pk_match_postings")),
        sqlite_with_rowid=False,
    )
    # Plain ALTER TABLE, not batch mode: rebuilding speakers on SQLite would trip
    # the search index's triggers, which name the table.
    op.add_column("speakers", sa.Column("surname_key", sa.String(length=120), nullable=True))
    op.create_index(op.f("ix_speakers_surname_key"), "speakers", ["surname_key"], unique=False)
    _fill_surname_keys()


def downgrade():
    op.drop_index(op.f("ix_speakers_surname_key"), table_name="speakers")
    op.execute("ALTER TABLE speakers DROP COLUMN surname_key")  # SQLite 3.35+ and PostgreSQL
    op.drop_table("match_postings")
    op.drop_table("match_terms")


def _fill_surname_keys():
    """Existing speakers get the key new ones get (factcheck.names is pure, no app needed)."""
    from factcheck.names import surname_key

    connection = op.get_bind()
    speakers = sa.table("speakers", sa.column("id", sa.Integer), sa.column("name", sa.String),
                        sa.column("surname_key", sa.String))
    for ident, name in connection.execute(sa.select(speakers.c.id, speakers.c.name)).all():
        connection.execute(sa.update(speakers).where(speakers.c.id == ident)
                           .values(surname_key=surname_key(name or "")))
