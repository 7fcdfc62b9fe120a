"""full-text index over quotes: SQLite FTS5 or PostgreSQL tsvector + GIN, kept by triggers

Revision ID: 0002
Revises: 0001
Created: 2026-11-27

The DDL is written out here rather than imported, so this revision keeps building
what it built even when factcheck/search_index.py changes later.
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = (
    "CREATE VIRTUAL TABLE quote_search USING fts5("
    "text, speaker, tokenize = 'porter unicode61 remove_diacritics 2')",
    """CREATE TRIGGER quote_search_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quote_search (rowid, text, speaker) VALUES (
            new.id, new.text, coalesce((SELECT name FROM speakers WHERE id = new.speaker_id), ''));
    END""",
    """CREATE TRIGGER quote_search_update AFTER UPDATE OF text, speaker_id ON quotes BEGIN
        DELETE FROM quote_search WHERE rowid = old.id;
        INSERT INTO quote_search (rowid, text, speaker) VALUES (
            new.id, new.text, coalesce((SELECT name FROM speakers WHERE id = new.speaker_id), ''));
    END""",
    """CREATE TRIGGER quote_search_delete AFTER DELETE ON quotes BEGIN
        DELETE FROM quote_search WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER quote_search_speaker AFTER UPDATE OF name ON speakers BEGIN
        UPDATE quote_search SET speaker = new.name
        WHERE rowid IN (SELECT id FROM quotes WHERE speaker_id = new.id);
    END""",
    "INSERT INTO quote_search (rowid, text, speaker) "
    "SELECT q.id, q.text, coalesce(s.name, '') FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS quote_search_speaker",
    "DROP TRIGGER IF EXISTS quote_search_delete",
    "DROP TRIGGER IF EXISTS quote_search_update",
    "DROP TRIGGER IF EXISTS quote_search_insert",
    "DROP TABLE IF EXISTS quote_search",
)

POSTGRESQL_UP = (
    """CREATE TABLE quote_search (
        quote_id integer PRIMARY KEY REFERENCES quotes (id) ON DELETE CASCADE,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX ix_quote_search_document ON quote_search USING gin (document)",
    """CREATE FUNCTION quote_search_document(quote_text text, speaker_name text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE AS $$
        SELECT setweight(to_tsvector('english', coalesce(quote_text, '')), 'A')
            || setweight(to_tsvector('english', coalesce(speaker_name, '')), 'B')
    $$""",
    """CREATE FUNCTION quote_search_on_quote() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO quote_search (quote_id, document)
        VALUES (NEW.id, quote_search_document(
            NEW.text, (SELECT name FROM speakers WHERE id = NEW.speaker_id)))
        ON CONFLICT (quote_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER quote_search_quote AFTER INSERT OR UPDATE OF text, speaker_id ON quotes
        FOR EACH ROW EXECUTE FUNCTION quote_search_on_quote()""",
    """CREATE FUNCTION quote_search_on_speaker() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE quote_search SET document = quote_search_document(quotes.text, NEW.name)
        FROM quotes WHERE quotes.speaker_id = NEW.id AND quote_search.quote_id = quotes.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER quote_search_speaker AFTER UPDATE OF name ON speakers
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
        EXECUTE FUNCTION quote_search_on_speaker()""",
    "INSERT INTO quote_search (quote_id, document) "
    "SELECT q.id, quote_search_document(q.text, s.name) FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id",
)
POSTGRESQL_DOWN = (
    "DROP TRIGGER IF EXISTS quote_search_speaker ON speakers",
    "DROP TRIGGER IF EXISTS quote_search_quote ON quotes",
    "DROP FUNCTION IF EXISTS quote_search_on_speaker()",
    "DROP FUNCTION IF EXISTS quote_search_on_quote()",
    "DROP TABLE IF EXISTS quote_search",
    "DROP FUNCTION IF EXISTS quote_search_document(text, text)",
)


def _run(statements):
    connection = op.get_bind()
    for statement in statements:
        connection.exec_driver_sql(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(POSTGRESQL_UP)
    else:
        raise NotImplementedError(f"no full-text index for the {dialect} database")


def downgrade():
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else POSTGRESQL_DOWN)
