"""search index: the date each quote was said (indexed); PostgreSQL folds accents

Revision ID: 0004
Revises: 0003
Created: 2026-11-27

A quote is dated by its article (published, else recorded). Kept by triggers like
the words in 0002. SQLite: a table beside the FTS5 table; PostgreSQL: a column of
quote_search. On PostgreSQL the documents also move to a text search
configuration that folds accents (unaccent), as SQLite's FTS5 already does, so
"sanchez" finds "Sánchez". The DDL is written out here so this revision never changes.
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE_UP = (
    """CREATE TABLE quote_search_dates (
        quote_id INTEGER PRIMARY KEY, said_at DATETIME NOT NULL)""",
    "CREATE INDEX ix_quote_search_dates_said_at ON quote_search_dates (said_at, quote_id)",
    """CREATE TRIGGER quote_search_dates_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quote_search_dates (quote_id, said_at) SELECT new.id,
            coalesce(published_at, created_at) FROM articles WHERE id = new.article_id;
    END""",
    """CREATE TRIGGER quote_search_dates_move AFTER UPDATE OF article_id ON quotes BEGIN
        UPDATE quote_search_dates SET said_at = (SELECT coalesce(published_at, created_at)
            FROM articles WHERE id = new.article_id) WHERE quote_id = new.id;
    END""",
    """CREATE TRIGGER quote_search_dates_delete AFTER DELETE ON quotes BEGIN
        DELETE FROM quote_search_dates WHERE quote_id = old.id;
    END""",
    """CREATE TRIGGER quote_search_dates_article AFTER UPDATE OF published_at, created_at ON articles BEGIN
        UPDATE quote_search_dates SET said_at = coalesce(new.published_at, new.created_at)
        WHERE quote_id IN (SELECT id FROM quotes WHERE article_id = new.id);
    END""",
    "INSERT INTO quote_search_dates (quote_id, said_at) "
    "SELECT q.id, coalesce(a.published_at, a.created_at) FROM quotes q JOIN articles a ON a.id = q.article_id",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS quote_search_dates_article",
    "DROP TRIGGER IF EXISTS quote_search_dates_delete",
    "DROP TRIGGER IF EXISTS quote_search_dates_move",
    "DROP TRIGGER IF EXISTS quote_search_dates_insert",
    "DROP TABLE IF EXISTS quote_search_dates",
)

POSTGRESQL_UP = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION factcheck_english (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION factcheck_english "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    """CREATE OR REPLACE FUNCTION quote_search_document(quote_text text, speaker_name text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE AS $$
        SELECT setweight(to_tsvector('factcheck_english', coalesce(quote_text, '')), 'A')
            || setweight(to_tsvector('factcheck_english', coalesce(speaker_name, '')), 'B')
    $$""",
    "UPDATE quote_search SET document = quote_search_document(quotes.text, "
    "(SELECT name FROM speakers WHERE speakers.id = quotes.speaker_id)) "
    "FROM quotes WHERE quotes.id = quote_search.quote_id",
    "ALTER TABLE quote_search ADD COLUMN said_at timestamp without time zone",
    "UPDATE quote_search SET said_at = coalesce(articles.published_at, articles.created_at) "
    "FROM quotes JOIN articles ON articles.id = quotes.article_id WHERE quotes.id = quote_search.quote_id",
    "ALTER TABLE quote_search ALTER COLUMN said_at SET NOT NULL",
    "CREATE INDEX ix_quote_search_said_at ON quote_search (said_at, quote_id)",
    "DROP TRIGGER quote_search_quote ON quotes",
    """CREATE OR REPLACE FUNCTION quote_search_on_quote() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO quote_search (quote_id, document, said_at)
        VALUES (NEW.id,
            quote_search_document(NEW.text, (SELECT name FROM speakers WHERE id = NEW.speaker_id)),
            (SELECT coalesce(published_at, created_at) FROM articles WHERE id = NEW.article_id))
        ON CONFLICT (quote_id) DO UPDATE SET document = EXCLUDED.document, said_at = EXCLUDED.said_at;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER quote_search_quote AFTER INSERT OR UPDATE OF text, speaker_id, article_id ON quotes
        FOR EACH ROW EXECUTE FUNCTION quote_search_on_quote()""",
    """CREATE FUNCTION quote_search_on_article() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE quote_search SET said_at = coalesce(NEW.published_at, NEW.created_at)
        FROM quotes WHERE quotes.article_id = NEW.id AND quote_search.quote_id = quotes.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER quote_search_article AFTER UPDATE OF published_at, created_at ON articles
        FOR EACH ROW EXECUTE FUNCTION quote_search_on_article()""",
)
POSTGRESQL_DOWN = (
    "DROP TRIGGER IF EXISTS quote_search_article ON articles",
    "DROP FUNCTION IF EXISTS quote_search_on_article()",
    "DROP TRIGGER quote_search_quote ON quotes",
    """CREATE OR REPLACE FUNCTION quote_search_on_quote() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO quote_search (quote_id, document)
        VALUES (NEW.id, quote_search_document(
            NEW.text, (SELECT name FROM speakers WHERE id = NEW.speaker_id)))
        ON CONFLICT (quote_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER quote_search_quote AFTER INSERT OR UPDATE OF text, speaker_id ON quotes
        FOR EACH ROW EXECUTE FUNCTION quote_search_on_quote()""",
    "DROP INDEX IF EXISTS ix_quote_search_said_at",
    "ALTER TABLE quote_search DROP COLUMN said_at",
    """CREATE OR REPLACE FUNCTION quote_search_document(quote_text text, speaker_name text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE AS $$
        SELECT setweight(to_tsvector('english', coalesce(quote_text, '')), 'A')
            || setweight(to_tsvector('english', coalesce(speaker_name, '')), 'B')
    $$""",
    "UPDATE quote_search SET document = quote_search_document(quotes.text, "
    "(SELECT name FROM speakers WHERE speakers.id = quotes.speaker_id)) "
    "FROM quotes WHERE quotes.id = quote_search.quote_id",
    # unaccent stays: other things may use it, and it is harmless.
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS factcheck_english",
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
